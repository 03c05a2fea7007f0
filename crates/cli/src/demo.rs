//! Demo data: the registry of `data/demo/registry.toml` (ministries, akimats, State
//! Corporation branches, 40+ services, each with its published passport from
//! `data/demo/passports.toml`) and synthetic applications with realistic histories
//! — most on time, some late, some overdue and open, some nearing their deadline. Whatever
//! the dice say, every akimat has at least one open overdue and one nearing application
//! (the browser suite and a first look at the dashboard rely on it), and `serve --demo`
//! stores the violations reports of the completed months the data covers.

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use jiff::{SignedDuration, Timestamp, ToSpan};
use qyzmet_domain::deadline::{self, DeadlineRules};
use qyzmet_domain::ids::{self, Bin, Iin, OrgCode, ServiceCode, TaxId};
use qyzmet_domain::stage::{Event, EventKind, Outcome, Stage};
use qyzmet_domain::violation::Month;
use qyzmet_domain::{zone, ProductionCalendar, Term, TermUnit, WorkingHours};
use qyzmet_store::{
    Applicant, Channel, ImportedApplication, InformationSystem, LocalizedName, NewApplication,
    NewOrganization, NewService, OrgKind, Organization, PassportWhich, Store, TermVariant,
};
use rand::seq::IndexedRandom;
use rand::Rng;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

pub(crate) const REGISTRY: &str = include_str!("../../../data/demo/registry.toml");

#[derive(Deserialize)]
struct Registry {
    information_system: Vec<SystemDef>,
    /// The names of the term variant codes, for every service's variant of that code.
    #[serde(default)]
    term_variant: Vec<VariantDef>,
    organization: Vec<OrgDef>,
    service: Vec<ServiceDef>,
}

#[derive(Deserialize)]
struct Names {
    kk: String,
    ru: String,
    en: String,
}

impl From<Names> for LocalizedName {
    fn from(n: Names) -> Self {
        LocalizedName {
            kk: n.kk,
            ru: n.ru,
            en: n.en,
        }
    }
}

#[derive(Deserialize)]
struct SystemDef {
    code: String,
    name: Names,
    operator: String,
}

#[derive(Deserialize)]
struct OrgDef {
    code: String,
    parent: Option<String>,
    kind: String,
    bin: String,
    name: Names,
    working_hours: String,
}

#[derive(Deserialize)]
struct VariantDef {
    code: String,
    name: Names,
}

#[derive(Deserialize)]
struct TermDef {
    variant: String,
    amount: u32,
    unit: TermUnit,
}

#[derive(Deserialize)]
struct ServiceDef {
    code: String,
    organization: String,
    name: Names,
    acceptance_day_counted: bool,
    channels: Vec<String>,
    depends_on: Vec<String>,
    terms: Vec<TermDef>,
}

/// Loads the demo registry, and publishes its services' passports, unless organizations already
/// exist. Returns whether it loaded.
pub async fn load_registry(store: &Store) -> anyhow::Result<bool> {
    if !store.organizations(None, 0, 1).await?.is_empty() {
        return Ok(false);
    }
    let reg: Registry = toml::from_str(REGISTRY).context("data/demo/registry.toml")?;
    // Checked before anything is written: a passport that cannot be published stops the load.
    let passports = crate::demo_passports::checked()?;
    let now = Timestamp::now();
    let variant_names: HashMap<String, LocalizedName> = reg
        .term_variant
        .into_iter()
        .map(|v| (v.code, v.name.into()))
        .collect();
    for s in reg.information_system {
        store
            .upsert_information_system(&InformationSystem {
                code: s.code,
                name: s.name.into(),
                operator: s.operator,
            })
            .await?;
    }
    // Parents first: the file lists them first, but do not rely on it.
    let mut pending: Vec<OrgDef> = reg.organization;
    let mut created: HashSet<String> = HashSet::new();
    while !pending.is_empty() {
        let before = pending.len();
        let mut rest = Vec::new();
        for o in pending {
            if o.parent.as_ref().is_some_and(|p| !created.contains(p)) {
                rest.push(o);
                continue;
            }
            let code = o.code.clone();
            let new = NewOrganization {
                code: OrgCode::parse(&o.code)
                    .map_err(|e| anyhow::anyhow!("organization {}: {e}", o.code))?,
                parent: o
                    .parent
                    .as_deref()
                    .map(OrgCode::parse)
                    .transpose()
                    .map_err(|e| anyhow::anyhow!("{e}"))?,
                kind: o
                    .kind
                    .parse::<OrgKind>()
                    .map_err(|_| anyhow::anyhow!("organization {code}: kind {}", o.kind))?,
                bin: Bin::parse(&o.bin)
                    .map_err(|e| anyhow::anyhow!("organization {code}: bin: {e}"))?,
                name: o.name.into(),
                working_hours: o
                    .working_hours
                    .parse()
                    .map_err(|e| anyhow::anyhow!("organization {code}: {e}"))?,
            };
            store.create_organization(&new, now).await?;
            created.insert(code);
        }
        anyhow::ensure!(
            rest.len() < before,
            "organizations with unknown parents: {}",
            rest.len()
        );
        pending = rest;
    }
    for s in reg.service {
        let code = s.code.clone();
        let new = NewService {
            code: ServiceCode::parse(&s.code)
                .map_err(|e| anyhow::anyhow!("service {code}: {e}"))?,
            organization: OrgCode::parse(&s.organization)
                .map_err(|e| anyhow::anyhow!("service {code}: {e}"))?,
            name: s.name.into(),
            acceptance_day_counted: s.acceptance_day_counted,
            channels: s
                .channels
                .iter()
                .map(|c| {
                    c.parse::<Channel>()
                        .map_err(|_| anyhow::anyhow!("service {code}: channel {c}"))
                })
                .collect::<anyhow::Result<_>>()?,
            depends_on: s.depends_on,
            terms: s
                .terms
                .into_iter()
                .map(|t| TermVariant {
                    name: variant_names.get(&t.variant).cloned().unwrap_or_default(),
                    variant: t.variant,
                    term: Term::new(t.amount, t.unit),
                })
                .collect(),
        };
        store.create_service(&new, now).await?;
    }
    crate::demo_passports::publish(store, passports, now).await?;
    crate::demo_offices::load(store, now).await?;
    tracing::info!("demo registry, service passports and front offices loaded");
    Ok(true)
}

/// `serve --demo`: the registry and 3,000 applications, once.
pub async fn load_if_empty(
    store: &Store,
    nearing_fraction: f64,
    accounts_file: &std::path::Path,
) -> anyhow::Result<()> {
    let fresh = load_registry(store).await?;
    if fresh || store.count_applications().await? == 0 {
        generate(store, 3000, DEMO_DAYS, nearing_fraction, false).await?;
        eprintln!(
            "demo data loaded: {} organizations' registry, 3000 applications",
            58
        );
    }
    store_past_reports(store, DEMO_DAYS).await?;
    if store.users().await?.is_empty() {
        demo_accounts(store, accounts_file).await?;
    }
    Ok(())
}

/// The days back over which `serve --demo` spreads its applications' acceptance.
const DEMO_DAYS: i64 = 90;

/// Stores the violations report of every completed month the last `days` days touch that has
/// none yet, as the monthly job would have on the 1st (the job's own function): the report's
/// page shows stored versions and a trend as soon as the demo starts.
async fn store_past_reports(store: &Store, days: i64) -> anyhow::Result<()> {
    let now = Timestamp::now();
    let today = zone::local_date(now);
    let first = Month::of(today.checked_sub(days.days()).unwrap_or(today));
    let mut months = Vec::new();
    let mut m = Month::of(today).previous();
    while m >= first {
        months.push(m);
        m = m.previous();
    }
    months.reverse();
    let stored = qyzmet_server::jobs::store_missing_reports(store, &months, now, "demo").await?;
    if !stored.is_empty() {
        let names: Vec<String> = stored.iter().map(ToString::to_string).collect();
        eprintln!("demo violations reports stored: {}", names.join(", "));
    }
    Ok(())
}

/// The workstation's demo accounts, one per role (the operator and the supervisor at the
/// Astana akimat, whose departments hold many of the demo applications), and a front-office
/// operator of the State Corporation's Astana branch at window 1 of office AST-01. They share one
/// random password, printed once and kept in `accounts_file` (readable by the owner only):
/// never a password known in advance, even on a demo.
async fn demo_accounts(store: &Store, accounts_file: &std::path::Path) -> anyhow::Result<()> {
    use qyzmet_store::UserRole;
    let password: String = {
        use rand::distr::{Alphanumeric, SampleString};
        Alphanumeric.sample_string(&mut rand::rng(), 16)
    };
    let org = OrgCode::parse("AKIM-AST").context("demo organization code")?;
    let accounts = [
        ("demo.operator", UserRole::Operator, Some(org.clone())),
        ("demo.supervisor", UserRole::Supervisor, Some(org)),
        ("demo.analyst", UserRole::Analyst, None),
        ("demo.admin", UserRole::Administrator, None),
        (
            "demo.fo",
            UserRole::Operator,
            Some(OrgCode::parse("GOVCORP-AST-1").context("demo branch code")?),
        ),
    ];
    let mut lines = String::from(
        "# qyzmet demo accounts (created by `qyzmet serve --demo` on an empty database)\n",
    );
    for (name, role, org) in accounts {
        qyzmet_server::app::accounts::create_user(
            store,
            name,
            role,
            org,
            &password,
            "demo",
            Timestamp::now(),
        )
        .await
        .with_context(|| format!("creating the demo account {name}"))?;
        if name == "demo.fo" {
            crate::demo_offices::seat(store, name).await?;
        }
        lines.push_str(&format!("{name} ({role}): {password}\n"));
    }
    if let Some(dir) = accounts_file.parent() {
        std::fs::create_dir_all(dir).ok();
    }
    {
        use std::io::Write;
        #[cfg(unix)]
        use std::os::unix::fs::OpenOptionsExt;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        options.mode(0o600);
        let mut f = options
            .open(accounts_file)
            .with_context(|| format!("writing {}", accounts_file.display()))?;
        f.write_all(lines.as_bytes())?;
    }
    eprintln!(
        "demo accounts for the workstation (http://<listen>/sign-in), password {password}:\n  \
         demo.operator, demo.supervisor, demo.analyst, demo.admin, demo.fo (window 1 of AST-01)\n  (kept in {})",
        accounts_file.display()
    );
    Ok(())
}

const SURNAMES: &[&str] = &[
    "Әбдірахманов",
    "Жұмабаев",
    "Серікбаев",
    "Омаров",
    "Нұрланов",
    "Қасымов",
    "Төлеуов",
    "Байжанов",
    "Сейітов",
    "Ахметов",
    "Мұхамеджанов",
    "Исабеков",
    "Оспанов",
    "Темірханов",
    "Иванов",
    "Ким",
    "Петров",
    "Бекова",
    "Сағындықова",
    "Жақсылықова",
    "Әлиева",
    "Нұрғалиева",
    "Құрманова",
    "Смағұлова",
];
const FIRST_NAMES: &[&str] = &[
    "Айбек",
    "Ерлан",
    "Нұрлан",
    "Дәурен",
    "Асқар",
    "Бауыржан",
    "Қанат",
    "Серік",
    "Арман",
    "Дмитрий",
    "Айгерім",
    "Мәдина",
    "Гүлнар",
    "Әсел",
    "Жанар",
    "Динара",
    "Сәуле",
    "Ақбота",
    "Анна",
    "Томирис",
];
const PATRONYMICS: &[&str] = &[
    "Серікұлы",
    "Болатұлы",
    "Нұрланұлы",
    "Қайратқызы",
    "Ерланқызы",
    "Маратұлы",
    "Сергеевич",
    "Бекетқызы",
];

fn random_iin(rng: &mut impl Rng) -> Iin {
    loop {
        let year = rng.random_range(1950..2006);
        let month = rng.random_range(1..13);
        let day = rng.random_range(1..29);
        let female = rng.random_bool(0.5);
        let century = if year >= 2000 { 5 } else { 3 } + u8::from(female);
        let s = format!(
            "{:02}{:02}{:02}{}{:04}",
            year % 100,
            month,
            day,
            century,
            rng.random_range(0..10000)
        );
        let mut digits = [0u8; 11];
        for (i, c) in s.bytes().enumerate() {
            digits[i] = c - b'0';
        }
        if let Some(check) = ids::check_digit(&digits) {
            if let Ok(iin) = Iin::parse(&format!("{s}{check}")) {
                return iin;
            }
        }
    }
}

struct ServicePick {
    code: ServiceCode,
    org: OrgCode,
    channels: Vec<Channel>,
    terms: Vec<TermVariant>,
    acceptance_day_counted: bool,
    working_hours: WorkingHours,
    /// The codes of its passport's grounds for suspension and for refusal (003 §17): the
    /// demo's suspensions and refusals name one.
    suspension_grounds: Vec<String>,
    refusal_grounds: Vec<String>,
}

/// A moment in the last `days` days: mostly working hours, some evenings and weekends.
fn acceptance_moment(rng: &mut impl Rng, now: Timestamp, days: i64, channel: Channel) -> Timestamp {
    let back = rng.random_range(0..days.max(1));
    let day = now
        .to_zoned(zone::almaty().clone())
        .date()
        .checked_sub(back.days())
        .unwrap_or_default();
    let (h, m) = if channel == Channel::Portal && rng.random_bool(0.3) {
        (rng.random_range(0..24), rng.random_range(0..60))
    } else {
        (rng.random_range(9..18), rng.random_range(0..60))
    };
    let t = day
        .at(h, m, 0, 0)
        .to_zoned(zone::almaty().clone())
        .map(|z| z.timestamp())
        .unwrap_or(now);
    if t > now {
        now.checked_sub(SignedDuration::from_mins(rng.random_range(5..240)))
            .unwrap_or(now)
    } else {
        t
    }
}

fn at(start: Timestamp, span: SignedDuration, f: f64) -> Timestamp {
    start
        .checked_add(SignedDuration::from_secs_f64(span.as_secs_f64() * f))
        .unwrap_or(start)
}

/// One synthetic application with a history consistent with the stage machine.
fn synthesize(
    rng: &mut impl Rng,
    svc: &ServicePick,
    branches: &[OrgCode],
    calendar: &ProductionCalendar,
    now: Timestamp,
    days: i64,
) -> ImportedApplication {
    let channel = *svc.channels.choose(rng).unwrap_or(&Channel::Provider);
    let acceptance_place = if channel == Channel::StateCorp && !branches.is_empty() {
        branches
            .choose(rng)
            .cloned()
            .unwrap_or_else(|| svc.org.clone())
    } else {
        svc.org.clone()
    };
    let variant = if svc.terms.len() > 1 && rng.random_bool(0.15) {
        &svc.terms[1]
    } else {
        &svc.terms[0]
    };
    let paper = channel == Channel::StateCorp && rng.random_bool(0.5);
    let accepted_at = acceptance_moment(rng, now, days, channel);
    let rules = DeadlineRules {
        acceptance_day_counted: svc.acceptance_day_counted,
        paper_via_state_corp: paper,
        working_hours: svc.working_hours,
    };
    let d = deadline::compute(calendar, accepted_at, variant.term, &rules, &[]);
    let start = d.effective_acceptance;
    let window = d.deadline.duration_since(start);
    let late = rng.random_bool(0.07);
    let completion = if late {
        d.deadline
            .checked_add(SignedDuration::from_hours(rng.random_range(2..120)))
            .unwrap_or(d.deadline)
    } else {
        at(start, window, rng.random_range(0.2..0.97))
    };
    let mut events: Vec<(Event, Option<String>)> = Vec::new();
    let mut push = |t: Timestamp, kind: EventKind| {
        if t <= now && t >= accepted_at {
            events.push((
                Event {
                    id: uuid::Uuid::now_v7(),
                    occurred_at: t,
                    kind,
                },
                None,
            ));
        }
    };
    let stage = EventKind::stage;
    let ground = |rng: &mut _, codes: &[String]| codes.choose(rng).cloned();
    push(at(start, window, 0.02), stage(Stage::SentForExecution));
    push(at(start, window, 0.1), stage(Stage::TakenIntoWork));
    // Some are suspended for a while on the way (a request to another body, 003 §17) and
    // resumed before completion; the report replays them up to its moment (docs/reports.md).
    if completion <= now && rng.random_bool(0.04) {
        push(
            at(start, window, 0.12),
            EventKind::Suspended {
                reason: "Запрос в другой орган (003 §17)".into(),
                ground: ground(rng, &svc.suspension_grounds),
            },
        );
        push(
            at(start, window, 0.18),
            EventKind::Resumed {
                reason: Some("Ответ получен".into()),
            },
        );
    }
    if completion <= now {
        push(completion, stage(Stage::Executed));
        let ready = completion
            .checked_add(SignedDuration::from_mins(30))
            .unwrap_or(completion);
        push(ready, stage(Stage::ReadyForIssue));
        let closed = ready
            .checked_add(SignedDuration::from_hours(rng.random_range(1..72)))
            .unwrap_or(ready);
        let refused = rng.random_bool(0.06);
        push(
            closed,
            EventKind::Stage {
                stage: Stage::Closed,
                outcome: Some(if refused {
                    Outcome::Refused
                } else {
                    Outcome::Issued
                }),
                reason: refused.then(|| {
                    "Құжаттар толық емес / Неполный пакет документов (003 §17)".to_string()
                }),
                ground: if refused {
                    ground(rng, &svc.refusal_grounds)
                } else {
                    None
                },
            },
        );
    } else if rng.random_bool(0.03) {
        push(
            at(start, window, 0.3),
            EventKind::Suspended {
                reason: "Запрос в другой архив (003 §17)".into(),
                ground: ground(rng, &svc.suspension_grounds),
            },
        );
    }
    let events = events.into_iter().map(|(e, _)| e).collect();
    imported(
        rng,
        svc,
        Acceptance {
            channel,
            variant,
            paper,
            place: acceptance_place,
            at: accepted_at,
        },
        events,
    )
}

/// How an application was accepted.
struct Acceptance<'a> {
    channel: Channel,
    variant: &'a TermVariant,
    paper: bool,
    place: OrgCode,
    at: Timestamp,
}

/// An application of `svc` with a random applicant, executed by the service's organization.
fn imported(
    rng: &mut impl Rng,
    svc: &ServicePick,
    acceptance: Acceptance<'_>,
    events: Vec<Event>,
) -> ImportedApplication {
    ImportedApplication {
        application: NewApplication {
            service: svc.code.clone(),
            term_variant: Some(acceptance.variant.variant.clone()),
            applicant: Applicant {
                id: TaxId::Iin(random_iin(rng)),
                last_name: SURNAMES.choose(rng).copied().unwrap_or("Ахметов").into(),
                first_name: FIRST_NAMES.choose(rng).copied().unwrap_or("Айбек").into(),
                middle_name: rng
                    .random_bool(0.8)
                    .then(|| PATRONYMICS.choose(rng).copied().unwrap_or("").to_string()),
            },
            channel: acceptance.channel,
            paper: acceptance.paper,
            acceptance_place: acceptance.place,
            executor: Some(svc.org.clone()),
            executor_person: None,
            accepted_at: acceptance.at,
            external_id: None,
            signature: None,
            contact: None,
        },
        events: events.into_iter().map(|e| (e, None)).collect(),
    }
}

/// What an application pinned in an akimat must be at the moment of generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pinned {
    /// Open, running and past its deadline by a day or more.
    Overdue,
    /// Open, running, within the last part of its term (`nearing_fraction`), with as much of
    /// the term left as the akimat's services allow: it stays nearing for days, not minutes.
    Nearing,
}

/// The akimats (local executive bodies not under another one) with the services their
/// sub-trees deliver, in code order.
fn akimats<'a>(
    orgs: &[Organization],
    services: &'a [ServicePick],
) -> Vec<(OrgCode, Vec<&'a ServicePick>)> {
    let by_code = |code: &OrgCode| orgs.iter().find(|o| &o.code == code);
    let mut out: Vec<(OrgCode, Vec<&ServicePick>)> = orgs
        .iter()
        .filter(|o| o.kind == OrgKind::LocalExecutiveBody)
        .filter(|o| {
            o.parent_code
                .as_ref()
                .and_then(by_code)
                .is_none_or(|p| p.kind != OrgKind::LocalExecutiveBody)
        })
        .map(|akimat| {
            let delivered = services
                .iter()
                .filter(|s| by_code(&s.org).is_some_and(|o| o.path.starts_with(&akimat.path)))
                .collect();
            (akimat.code.clone(), delivered)
        })
        .collect();
    out.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
    out
}

/// An open application of one of `services` that is `pinned` at `now` (the moment the
/// import projects it at), accepted through the provider's own channel, with stages 2 and 3
/// recorded soon after its effective acceptance. Searched back from `now` an hour at a time (the deadline rules are not
/// inverted: the acceptance found is checked by the same computation the store makes).
/// `None` when no service of the list can be so (none has a term).
fn pinned(
    rng: &mut impl Rng,
    services: &[&ServicePick],
    calendar: &ProductionCalendar,
    now: Timestamp,
    nearing_fraction: f64,
    want: Pinned,
) -> Option<ImportedApplication> {
    const LOOK_BACK_HOURS: i64 = 24 * 400;
    // Nearing with a margin at both ends, so that neither rounding nor the minutes before
    // the first page is seen move it out.
    let margin = (1.0 - nearing_fraction) * 0.1;
    let (lo, hi) = (nearing_fraction + margin, 1.0 - margin);
    let mut best: Option<(SignedDuration, &ServicePick, Timestamp, Timestamp)> = None;
    for &svc in services {
        let Some(variant) = svc.terms.first() else {
            continue;
        };
        let rules = DeadlineRules {
            acceptance_day_counted: svc.acceptance_day_counted,
            paper_via_state_corp: false,
            working_hours: svc.working_hours,
        };
        for hours in 1..=LOOK_BACK_HOURS {
            let Ok(accepted_at) = now.checked_sub(SignedDuration::from_hours(hours)) else {
                break;
            };
            let d = deadline::compute(calendar, accepted_at, variant.term, &rules, &[]);
            let span = d
                .deadline
                .duration_since(d.effective_acceptance)
                .as_secs_f64();
            let elapsed = now.duration_since(d.effective_acceptance).as_secs_f64();
            if span <= 0.0 || elapsed <= 0.0 {
                continue;
            }
            let left = d.deadline.duration_since(now);
            match want {
                Pinned::Overdue => {
                    if left <= SignedDuration::from_hours(-24) {
                        // The most recent acceptance that is a day late, across the services.
                        if best.is_none_or(|(_, _, at, _)| accepted_at > at) {
                            best = Some((left, svc, accepted_at, d.effective_acceptance));
                        }
                        break;
                    }
                }
                Pinned::Nearing => {
                    let f = elapsed / span;
                    if f > hi {
                        break;
                    }
                    if f >= lo && best.is_none_or(|(l, _, _, _)| left > l) {
                        best = Some((left, svc, accepted_at, d.effective_acceptance));
                    }
                }
            }
        }
    }
    let (_, svc, accepted_at, start) = best?;
    let variant = svc.terms.first()?;
    let channel = if svc.channels.contains(&Channel::Provider) {
        Channel::Provider
    } else {
        *svc.channels.first().unwrap_or(&Channel::Provider)
    };
    let step = |minutes: i64, stage: Stage| Event {
        id: uuid::Uuid::now_v7(),
        occurred_at: start
            .checked_add(SignedDuration::from_mins(minutes))
            .unwrap_or(start),
        kind: EventKind::stage(stage),
    };
    let events = vec![
        step(10, Stage::SentForExecution),
        step(40, Stage::TakenIntoWork),
    ];
    Some(imported(
        rng,
        svc,
        Acceptance {
            channel,
            variant,
            paper: false,
            place: svc.org.clone(),
            at: accepted_at,
        },
        events,
    ))
}

/// Generates `n` applications in batches, with a progress bar when `progress`.
pub async fn generate(
    store: &Store,
    n: u64,
    days: i64,
    nearing_fraction: f64,
    progress: bool,
) -> anyhow::Result<()> {
    let calendar = ProductionCalendar::new(store.calendar_entries().await?);
    let mut orgs = Vec::new();
    let mut after = 0;
    loop {
        let page = store.organizations(None, after, 500).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        orgs.extend(page);
    }
    let branches: Vec<OrgCode> = orgs
        .iter()
        .filter(|o| o.kind == OrgKind::StateCorpBranch)
        .map(|o| o.code.clone())
        .collect();
    let mut services: Vec<ServicePick> = Vec::new();
    let today = zone::local_date(Timestamp::now());
    for s in store.services(None, 0, 10_000).await? {
        let wh = orgs
            .iter()
            .find(|o| o.code == s.organization_code)
            .map(|o| o.working_hours)
            .unwrap_or_default();
        // The passport the applications are registered under (the one in force today).
        let passport = store
            .passport(&s.code, PassportWhich::InForce(today))
            .await?
            .map(|v| v.passport)
            .unwrap_or_default();
        let codes = |grounds: &[qyzmet_domain::passport::Ground]| {
            grounds.iter().map(|g| g.code.clone()).collect()
        };
        services.push(ServicePick {
            code: s.code,
            org: s.organization_code,
            channels: s.channels,
            terms: s.terms,
            acceptance_day_counted: s.acceptance_day_counted,
            working_hours: wh,
            suspension_grounds: codes(&passport.suspension_grounds),
            refusal_grounds: codes(&passport.refusal_grounds),
        });
    }
    anyhow::ensure!(!services.is_empty(), "no services in the registry");
    let bar = if progress {
        ProgressBar::new(n)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} applications  {per_sec}  eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let akimats = akimats(&orgs, &services);
    let mut done = 0u64;
    const BATCH: u64 = 5000;
    while done < n {
        let now = Timestamp::now();
        let take = BATCH.min(n - done);
        let batch: Vec<ImportedApplication> = {
            let mut rng = rand::rng();
            // The first batch starts with each akimat's pinned applications (counted in `n`).
            let mut batch: Vec<ImportedApplication> = Vec::new();
            if done == 0 {
                for (_, delivered) in &akimats {
                    for want in [Pinned::Overdue, Pinned::Nearing] {
                        batch.extend(pinned(
                            &mut rng,
                            delivered,
                            &calendar,
                            now,
                            nearing_fraction,
                            want,
                        ));
                    }
                }
                batch.truncate(take as usize);
            }
            while (batch.len() as u64) < take {
                let Some(svc) = services.choose(&mut rng) else {
                    break;
                };
                batch.push(synthesize(&mut rng, svc, &branches, &calendar, now, days));
            }
            batch
        };
        store
            .import_applications(&batch, "demo", now, nearing_fraction)
            .await?;
        done += take;
        bar.set_position(done);
        if done.is_multiple_of(100_000) || done == n {
            store.refresh_statistics().await?;
        }
    }
    bar.finish_and_clear();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every term variant of the demo registry is named in Kazakh, Russian and English
    /// (issue 16, B.8), so no page shows a variant's code instead of its name.
    #[test]
    fn every_demo_term_variant_is_named_in_each_language() {
        let reg: Registry = toml::from_str(REGISTRY).unwrap();
        let named: HashMap<String, Names> = reg
            .term_variant
            .into_iter()
            .map(|v| (v.code, v.name))
            .collect();
        for s in &reg.service {
            for t in &s.terms {
                let n = named
                    .get(&t.variant)
                    .unwrap_or_else(|| panic!("{}: variant {} has no name", s.code, t.variant));
                for text in [&n.kk, &n.ru, &n.en] {
                    assert!(!text.trim().is_empty(), "{}: {}", s.code, t.variant);
                }
            }
        }
    }
}
