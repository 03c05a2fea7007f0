//! Issue 19's scan figure: package scans through the HTTP API (`POST
//! /api/v1/packages/{barcode}/scans`) against the raw insert of the same rows with the driver,
//! in one run (`bench/scans.sh`).
//!
//! Setup (before any clock starts), through the API: `packages` applications accepted at the
//! first State Corporation branch on paper (so each has a package) for a service offered there,
//! with the applicant's two consents, twice — one set for the API run, one for the raw run. The API run: `clients` couriers scan
//! the packages, each package's four handovers in order (to the provider, back from it, to the
//! issue desk, to the applicant); every answer must be 201. The scans counted are those four
//! per package; the two that stand for stages (sent for execution, closed as issued) write
//! their stage event in the same transaction, uncounted.
//!
//! The raw run writes the rows those scans write, with the driver, one transaction per scan
//! by `clients` writers: the scan's event row (and the stage's where it stands for one) and
//! the application's row updated (its event count and chain head). No HTTP, no JSON, no rule,
//! no hashing: the floor the API is compared with.

use crate::queue::Api;
use anyhow::{anyhow, ensure, Context};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

pub struct Args {
    pub url: String,
    pub token: String,
    pub database: String,
    pub packages: usize,
    pub clients: usize,
}

const SCANS: [&str; 4] = ["to_provider", "from_provider", "to_issue_desk", "issued"];

/// The branch, and a service offered at the State Corporation with its organization.
async fn registry(api: &Api) -> anyhow::Result<(String, String, String)> {
    let orgs = api
        .send(
            reqwest::Method::GET,
            "/api/v1/organizations?limit=500",
            None,
        )
        .await?;
    let branch = orgs["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|o| o["kind"] == "state_corp_branch")
        .and_then(|o| o["code"].as_str())
        .ok_or_else(|| anyhow!("no State Corporation branch in the registry"))?
        .to_string();
    let services = api
        .send(reqwest::Method::GET, "/api/v1/services?limit=500", None)
        .await?;
    let service = services["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|s| {
            s["channels"]
                .as_array()
                .is_some_and(|c| c.iter().any(|c| c == "state_corp"))
        })
        .ok_or_else(|| anyhow!("no service offered at the State Corporation"))?;
    Ok((
        branch,
        service["code"].as_str().context("code")?.to_string(),
        service["organization"]
            .as_str()
            .context("organization")?
            .to_string(),
    ))
}

/// Registers `n` applications with paper packages; their numbers.
async fn accept(
    api: &Api,
    n: usize,
    (branch, service, executor): &(String, String, String),
) -> anyhow::Result<Vec<String>> {
    let mut numbers = Vec::with_capacity(n);
    for i in 0..n {
        let a = api
            .post(
                "/api/v1/applications",
                json!({"service_code": service,
                       "applicant": {"iin": "900101300017", "last_name": "Бенчмарк", "first_name": format!("№{i}")},
                       "channel": "state_corp", "paper": true, "acceptance_place": branch,
                       "executor": executor, "accepted_at": jiff::Timestamp::now().to_string()}),
            )
            .await?;
        let number = a["number"].as_str().context("number")?.to_string();
        // Without both consents a package is not sent (001 §7, §8).
        api.post(
            &format!("/api/v1/applications/{number}/consents"),
            json!({"consents": [
                {"kind": "personal_data", "source": "paper", "source_id": format!("B-{i}")},
                {"kind": "protected_data", "source": "paper", "source_id": format!("B-{i}")}]}),
        )
        .await?;
        numbers.push(number);
    }
    Ok(numbers)
}

fn barcode(number: &str) -> anyhow::Result<String> {
    let n = qyzmet_domain::ids::ApplicationNumber::parse(number)
        .map_err(|e| anyhow!("number {number}: {e:?}"))?;
    Ok(qyzmet_domain::front_office::package::barcode(n))
}

/// The API run: seconds taken.
async fn api_run(
    api: &Api,
    numbers: &[String],
    office: &str,
    clients: usize,
) -> anyhow::Result<f64> {
    let codes: Arc<Vec<String>> = Arc::new(
        numbers
            .iter()
            .map(|n| barcode(n))
            .collect::<Result<_, _>>()?,
    );
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (api, codes, next, office) =
                (api.clone(), codes.clone(), next.clone(), office.to_string());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(code) = codes.get(i) else { break };
                    for kind in SCANS {
                        let r: Value = api
                            .post(
                                &format!("/api/v1/packages/{code}/scans"),
                                json!({"kind": kind, "office": office}),
                            )
                            .await?;
                        ensure!(r["scan"]["kind"] == kind, "{code} {kind}: {r}");
                    }
                }
                anyhow::Ok(())
            })
        })
        .collect();
    for t in tasks {
        t.await??;
    }
    Ok(start.elapsed().as_secs_f64())
}

/// The raw run over the applications `apps` (internal id, number, event count): seconds.
macro_rules! raw_run {
    ($pool:expr, $apps:expr, $office:expr, $clients:expr) => {{
        let pool = $pool;
        let apps: Arc<Vec<(i64, i64, i64)>> = Arc::new($apps);
        let next = Arc::new(AtomicUsize::new(0));
        let start = Instant::now();
        let tasks: Vec<_> = (0..$clients)
            .map(|_| {
                let (pool, apps, next, office) =
                    (pool.clone(), apps.clone(), next.clone(), $office.to_string());
                tokio::spawn(async move {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&(app_id, number, count)) = apps.get(i) else { break };
                        let mut seq = count;
                        for kind in SCANS {
                            let now = jiff::Timestamp::now().as_microsecond();
                            let stage = match kind {
                                "to_provider" => Some(("sent_for_execution", None)),
                                "issued" => Some(("closed", Some("issued"))),
                                _ => None,
                            };
                            let mut tx = pool.begin().await?;
                            seq += 1;
                            sqlx::query(
                                "INSERT INTO events (app_id, id, number, seq, kind, occurred_at, recorded_at, \
                                 actor, content_hash, chain_hash, scan, office) \
                                 VALUES ($1, $2, $3, $4, 'scanned', $5, $5, 'bench', 'h', 'h', $6, $7)",
                            )
                            .bind(app_id).bind(uuid::Uuid::now_v7().to_string()).bind(number).bind(seq)
                            .bind(now).bind(kind).bind(&office)
                            .execute(&mut *tx).await?;
                            if let Some((stage, outcome)) = stage {
                                seq += 1;
                                sqlx::query(
                                    "INSERT INTO events (app_id, id, number, seq, kind, stage, outcome, occurred_at, \
                                     recorded_at, actor, content_hash, chain_hash) \
                                     VALUES ($1, $2, $3, $4, 'stage', $5, $6, $7, $7, 'bench', 'h', 'h')",
                                )
                                .bind(app_id).bind(uuid::Uuid::now_v7().to_string()).bind(number).bind(seq)
                                .bind(stage).bind(outcome).bind(now)
                                .execute(&mut *tx).await?;
                            }
                            sqlx::query("UPDATE applications SET event_count = $2, head_hash = 'h', updated_at = $3 WHERE id = $1")
                                .bind(app_id).bind(seq).bind(now)
                                .execute(&mut *tx).await?;
                            tx.commit().await?;
                        }
                    }
                    anyhow::Ok(())
                })
            })
            .collect();
        for t in tasks {
            t.await??;
        }
        start.elapsed().as_secs_f64()
    }};
}

/// The raw run's applications: internal id, number, event count.
macro_rules! rows_of {
    ($pool:expr, $numbers:expr) => {{
        let mut rows = Vec::new();
        for n in $numbers {
            let number: i64 = n.parse()?;
            let (id, count): (i64, i64) =
                sqlx::query_as("SELECT id, event_count FROM applications WHERE number = $1")
                    .bind(number)
                    .fetch_one($pool)
                    .await?;
            rows.push((id, number, count));
        }
        rows
    }};
}

pub async fn run(a: Args) -> anyhow::Result<()> {
    let api = Api {
        client: reqwest::Client::builder()
            .pool_max_idle_per_host(a.clients)
            .build()?,
        url: a.url.trim_end_matches('/').to_string(),
        token: a.token.clone(),
    };
    let reg = registry(&api).await?;
    // The office the packages are scanned at (the branch's, as the queue's benchmark makes it).
    let (office, _) = crate::queue::setup(&api, 0).await?;
    let for_api = accept(&api, a.packages, &reg).await?;
    let for_raw = accept(&api, a.packages, &reg).await?;
    let api_secs = api_run(&api, &for_api, &office, a.clients).await?;
    let raw_secs = if a.database.starts_with("postgres") {
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(a.clients as u32)
            .connect(&a.database)
            .await?;
        let apps = rows_of!(&pool, &for_raw);
        raw_run!(pool, apps, office, a.clients)
    } else {
        // One writer, as qyzmet's SQLite store has.
        let opts: sqlx::sqlite::SqliteConnectOptions = a.database.parse()?;
        let opts = opts
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
            .synchronous(sqlx::sqlite::SqliteSynchronous::Normal)
            .busy_timeout(std::time::Duration::from_secs(30));
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(opts)
            .await?;
        let apps = rows_of!(&pool, &for_raw);
        raw_run!(pool, apps, office, a.clients)
    };
    let scans = a.packages * SCANS.len();
    println!(
        "{{\"packages\": {}, \"clients\": {}, \"scans\": {scans}, \"api_seconds\": {api_secs:.3}, \"api_scans_per_second\": {:.0}, \"raw_seconds\": {raw_secs:.3}, \"raw_scans_per_second\": {:.0}}}",
        a.packages,
        a.clients,
        scans as f64 / api_secs,
        scans as f64 / raw_secs
    );
    Ok(())
}
