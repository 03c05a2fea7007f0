//! Issue 17's figure: the public catalogue's search (`GET /services?q=…`, the whole page
//! rendered) over 5,000 services with a published passport, p95 under 20 ms.
//!
//! `fill` (before any clock starts) adds services to the database until it holds `services`
//! with a published passport, in the organizations it already has: their names are drawn from
//! the words real service names are made of, in Kazakh, Russian and English, so that a word
//! matches a realistic share of them. `run` then asks the running server `requests` times,
//! one request in flight, after `warmup` unmeasured ones (the first of which fills the node's
//! copy of the catalogue), each query a word or two of those names with another ending
//! ("справку", "анықтаманы", "certificates"), and with a filter by channel in one request in
//! four; every answer must be 200 and list at least one service.

use anyhow::{anyhow, Context};
use jiff::Timestamp;
use qyzmet_domain::ids::{OrgCode, ServiceCode};
use qyzmet_domain::passport::Passport;
use qyzmet_domain::{Term, TermUnit};
use qyzmet_store::{Channel, LocalizedName, NewService, Publication, Store, TermVariant};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use std::time::{Duration, Instant};

/// What a service does, in three languages: (kk, ru, en).
const ACTIONS: [(&str, &str, &str); 8] = [
    ("беру", "Выдача", "Issuing"),
    ("тіркеу", "Регистрация", "Registration of"),
    ("есепке қою", "Постановка на учёт", "Registering"),
    ("тағайындау", "Назначение", "Granting"),
    ("ресімдеу", "Оформление", "Drawing up"),
    ("қайта ресімдеу", "Переоформление", "Re-issuing"),
    ("келісу", "Согласование", "Approval of"),
    ("ұзарту", "Продление", "Extension of"),
];

/// What it is about: (kk, ru, en).
const SUBJECTS: [(&str, &str, &str); 16] = [
    (
        "мұрағаттық анықтамалар",
        "архивных справок",
        "archival certificates",
    ),
    (
        "жер учаскесіне құқық",
        "права на земельный участок",
        "land plot rights",
    ),
    (
        "құрылысқа рұқсат",
        "разрешения на строительство",
        "building permits",
    ),
    ("жәрдемақы", "пособия", "allowances"),
    ("тұрғын үй көмегі", "жилищной помощи", "housing assistance"),
    ("баланы тіркеу", "рождения ребёнка", "births"),
    ("неке", "брака", "marriages"),
    (
        "мекенжай анықтамасы",
        "адресной справки",
        "address certificates",
    ),
    (
        "жүргізуші куәлігі",
        "водительского удостоверения",
        "driving licences",
    ),
    ("көлік құралы", "транспортного средства", "vehicles"),
    ("лицензия", "лицензии", "licences"),
    ("зейнетақы", "пенсии", "pensions"),
    ("мүгедектік", "инвалидности", "disability status"),
    (
        "білім туралы құжат",
        "документа об образовании",
        "education documents",
    ),
    (
        "сотталмағандығы туралы анықтама",
        "справки о несудимости",
        "no-criminal-record certificates",
    ),
    (
        "мекенжай тіркеу",
        "регистрации по месту жительства",
        "residence registrations",
    ),
];

/// The words a visitor types: one or two, with other endings than the names have.
const QUERIES: [&str; 16] = [
    "справку",
    "архивная справка",
    "анықтаманы",
    "мұрағаттық",
    "certificates",
    "земельного участка",
    "разрешение на строительство",
    "пособие",
    "водительское удостоверение",
    "лицензию",
    "пенсию",
    "регистрация брака",
    "баланы",
    "транспортное средство",
    "no-criminal-record",
    "жилищная помощь",
];

pub struct FillArgs {
    pub database: String,
    pub services: usize,
    /// A published passport to give every service (its providers are rewritten to the
    /// service's organization).
    pub passport: String,
}

/// Adds services with a published passport until the database holds `services` of them.
pub async fn fill(args: FillArgs) -> anyhow::Result<()> {
    let store = Store::connect(&args.database, &Default::default()).await?;
    let template: Passport = serde_json::from_str(
        &std::fs::read_to_string(&args.passport).with_context(|| args.passport.clone())?,
    )
    .context("the passport template")?;
    let orgs = store.organizations(None, 0, 500).await?;
    if orgs.is_empty() {
        return Err(anyhow!("no organizations: load the demo registry first"));
    }
    let now = Timestamp::now();
    let today = qyzmet_domain::zone::local_date(now);
    let mut rng = rand::rngs::StdRng::seed_from_u64(17);
    let mut have = store.catalogue(today).await?.len();
    let mut n = 0usize;
    let started = Instant::now();
    while have < args.services {
        n += 1;
        let code = format!("BENCH-{n:05}");
        let code = ServiceCode::parse(&code).map_err(|e| anyhow!("{e}"))?;
        let org = orgs.choose(&mut rng).expect("organizations");
        let (a, s) = (
            ACTIONS.choose(&mut rng).expect("actions"),
            SUBJECTS.choose(&mut rng).expect("subjects"),
        );
        let name = LocalizedName {
            kk: format!("{} {} №{n}", s.0, a.0),
            ru: format!("{} {} №{n}", a.1, s.1),
            en: format!("{} {} No. {n}", a.2, s.2),
        };
        let channels = if rng.random_bool(0.5) {
            vec![Channel::Provider, Channel::Portal]
        } else {
            vec![Channel::Provider, Channel::StateCorp]
        };
        if store
            .create_service(
                &NewService {
                    code: code.clone(),
                    organization: OrgCode::parse(org.code.as_ref()).map_err(|e| anyhow!("{e}"))?,
                    name,
                    acceptance_day_counted: false,
                    channels,
                    depends_on: vec![],
                    terms: vec![TermVariant {
                        variant: "standard".into(),
                        term: Term::new(15, TermUnit::CalendarDays),
                        name: LocalizedName::default(),
                    }],
                },
                now,
            )
            .await
            .is_err()
        {
            continue; // already there from an earlier fill
        }
        let mut passport = template.clone();
        for p in &mut passport.providers {
            p.organization = org.code.to_string();
        }
        passport.complaints.appeal_organization = None;
        let draft = store
            .save_passport_draft(&code, None, &passport, "bench", now)
            .await?;
        store
            .publish_passport(
                &code,
                draft.revision,
                &Publication {
                    valid_from: today,
                    approving_act: "bench".into(),
                },
                "bench",
                now,
            )
            .await?;
        have += 1;
    }
    eprintln!(
        "catalogue: {have} services with a passport in force ({n} added in {:.1} s)",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

pub struct RunArgs {
    pub url: String,
    pub requests: usize,
    pub warmup: usize,
}

/// Measures the search page; prints one line of results.
pub async fn run(args: RunArgs) -> anyhow::Result<()> {
    let client = reqwest::Client::builder().build()?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(42);
    let ask = |rng: &mut rand::rngs::StdRng| {
        let q = QUERIES.choose(rng).expect("queries");
        let mut url = format!(
            "{}/services?q={}",
            args.url,
            form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
        );
        if rng.random_range(0..4) == 0 {
            url.push_str("&channel=portal");
        }
        url
    };
    // The first request fills the node's copy of the catalogue: timed apart.
    let t = Instant::now();
    let first = client
        .get(format!("{}/services?q=справка", args.url))
        .send()
        .await?;
    anyhow::ensure!(
        first.status().is_success(),
        "first request: {}",
        first.status()
    );
    first.bytes().await?;
    let cold = t.elapsed();
    for _ in 0..args.warmup {
        let url = ask(&mut rng);
        client.get(url).send().await?.bytes().await?;
    }
    let mut samples = Vec::with_capacity(args.requests);
    let mut listed = 0usize;
    let wall = Instant::now();
    for _ in 0..args.requests {
        let url = ask(&mut rng);
        let t = Instant::now();
        let resp = client.get(&url).send().await?;
        let status = resp.status();
        let body = resp.text().await?;
        samples.push(t.elapsed());
        anyhow::ensure!(status.is_success(), "{url}: {status}");
        let rows = body.matches("data-service=").count();
        anyhow::ensure!(rows > 0, "{url}: nothing listed");
        listed += rows;
    }
    let wall = wall.elapsed();
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let pct = |p: f64| {
        let rank = ((p / 100.0) * samples.len() as f64).ceil() as usize;
        ms(samples[rank.clamp(1, samples.len()) - 1])
    };
    let p95 = pct(95.0);
    println!(
        "catalogue search: n={} p50_ms={:.2} p95_ms={:.2} p99_ms={:.2} max_ms={:.2} req_per_s={:.0} \
         mean_listed={:.0} first_request_ms={:.1} limit=p95<20ms {}",
        samples.len(),
        pct(50.0),
        p95,
        pct(99.0),
        ms(*samples.last().expect("samples")),
        samples.len() as f64 / wall.as_secs_f64(),
        listed as f64 / samples.len() as f64,
        ms(cold),
        if p95 < 20.0 { "met" } else { "MISSED" }
    );
    Ok(())
}
