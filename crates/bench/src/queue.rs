//! Issue 18's first figure: queue operations through the HTTP API — take a ticket, call the
//! next, start, finish — against the raw writes of the same rows with the driver, in one run
//! (`bench/queue.sh`).
//!
//! Setup (before any clock starts), through the API: an office open around the clock under the
//! first State Corporation branch, with `counters` counters serving acceptance and issue, all
//! open; today made a working day if the production calendar has it off (the benchmark's own
//! database). The API run, as an office's day: `clients` kiosks take `visits` tickets (`POST
//! /api/v1/offices/{code}/tickets`), pausing while [`DEPTH`] wait, while every counter calls,
//! starts and finishes (`call-next`, `start`, `finish`; the rule picks under the office's lock)
//! until every ticket is served. Every answer must be a success, and every ticket must be
//! finished exactly once. The operations are the takes, calls, starts and finishes: four per
//! visit (calls that found nobody waiting are counted apart, not in the rate).
//!
//! The raw run writes what those operations write, with the driver, one transaction per
//! operation as the server does, by `clients` writers: the take (the day's sequence, the
//! ticket, its journal row), then per ticket the call, start and finish (the ticket's update
//! and its journal row). No HTTP, no JSON, no rule, no lock: the floor the API is compared with.

use anyhow::{anyhow, ensure, Context};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

pub struct Args {
    pub url: String,
    pub token: String,
    pub database: String,
    pub counters: usize,
    pub visits: usize,
    pub clients: usize,
}

#[derive(Clone)]
pub(crate) struct Api {
    pub(crate) client: reqwest::Client,
    pub(crate) url: String,
    pub(crate) token: String,
}

impl Api {
    pub(crate) async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        let mut req = self
            .client
            .request(method.clone(), format!("{}{path}", self.url))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await?;
        let status = resp.status();
        let text = resp.text().await?;
        ensure!(status.is_success(), "{method} {path}: {status} {text}");
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub(crate) async fn post(&self, path: &str, body: Value) -> anyhow::Result<Value> {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }
}

/// The office and its open counters.
pub(crate) async fn setup(api: &Api, counters: usize) -> anyhow::Result<(String, Vec<i64>)> {
    let orgs = api
        .send(reqwest::Method::GET, "/api/v1/organizations", None)
        .await?;
    let branch = orgs["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|o| o["kind"] == "state_corp_branch")
        .and_then(|o| o["code"].as_str())
        .ok_or_else(|| anyhow!("no State Corporation branch in the registry"))?
        .to_string();
    let today = qyzmet_domain::zone::local_date(jiff::Timestamp::now());
    let cal = api
        .send(reqwest::Method::GET, "/api/v1/calendar", None)
        .await?;
    let off = cal["entries"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|e| e["date"] == today.to_string() && e["kind"] == "day_off");
    if off {
        api.send(
            reqwest::Method::PUT,
            &format!("/api/v1/calendar/{today}"),
            Some(json!({"kind": "working_day", "name": "benchmark", "source": "benchmark"})),
        )
        .await?;
    }
    let code = format!("BQ-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]);
    api.post(
        "/api/v1/offices",
        json!({"code": code, "organization": branch, "kind": "duty",
               "name": {"kk": "Бенчмарк", "ru": "Бенчмарк", "en": "Benchmark"},
               "address": {"kk": "—", "ru": "—"},
               "schedule": {"rows": [{"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "hours": "00:00-23:59"}]}}),
    )
    .await?;
    let mut ids = Vec::new();
    for w in 1..=counters {
        let c = api
            .post(
                &format!("/api/v1/offices/{code}/counters"),
                json!({"window": w, "purposes": ["acceptance", "issue"]}),
            )
            .await?;
        let id = c["id"].as_i64().context("counter id")?;
        api.post(
            &format!("/api/v1/counters/{id}/state"),
            json!({"state": "open"}),
        )
        .await?;
        ids.push(id);
    }
    Ok((code, ids))
}

/// How many tickets may wait at once in the API run: kiosks pause while the queue is this deep
/// (an office's hall, not a backlog of thousands that no office has).
const DEPTH: usize = 64;

/// The API run: seconds taken, tickets finished, and the calls that found nobody waiting.
async fn api_run(
    api: &Api,
    code: &str,
    counters: &[i64],
    visits: usize,
    clients: usize,
) -> anyhow::Result<(f64, usize, usize)> {
    let start = Instant::now();
    let next = Arc::new(AtomicUsize::new(0));
    let taken = Arc::new(AtomicUsize::new(0));
    let called = Arc::new(AtomicUsize::new(0));
    let takers: Vec<_> = (0..clients)
        .map(|_| {
            let (api, next, code) = (api.clone(), next.clone(), code.to_string());
            let (taken, called) = (taken.clone(), called.clone());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= visits {
                        break;
                    }
                    while taken
                        .load(Ordering::Relaxed)
                        .saturating_sub(called.load(Ordering::Relaxed))
                        >= DEPTH
                    {
                        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
                    }
                    let purpose = if i % 3 == 0 { "issue" } else { "acceptance" };
                    api.post(
                        &format!("/api/v1/offices/{code}/tickets"),
                        json!({"purpose": purpose}),
                    )
                    .await?;
                    taken.fetch_add(1, Ordering::Relaxed);
                }
                anyhow::Ok(())
            })
        })
        .collect();
    let servers: Vec<_> = counters
        .iter()
        .map(|&c| {
            let (api, taken, called) = (api.clone(), taken.clone(), called.clone());
            tokio::spawn(async move {
                let (mut served, mut idle) = (Vec::new(), 0usize);
                loop {
                    let call = api
                        .post(&format!("/api/v1/counters/{c}/call-next"), json!({}))
                        .await?;
                    let Some(id) = call["ticket"]["id"].as_str() else {
                        if called.load(Ordering::Relaxed) >= visits
                            || (taken.load(Ordering::Relaxed) >= visits
                                && called.load(Ordering::Relaxed) >= taken.load(Ordering::Relaxed))
                        {
                            break;
                        }
                        idle += 1;
                        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                        continue;
                    };
                    called.fetch_add(1, Ordering::Relaxed);
                    served.push(id.to_string());
                    api.post(&format!("/api/v1/counters/{c}/start"), json!({}))
                        .await?;
                    api.post(&format!("/api/v1/counters/{c}/finish"), json!({}))
                        .await?;
                }
                anyhow::Ok((served, idle))
            })
        })
        .collect();
    for t in takers {
        t.await??;
    }
    let (mut all, mut idle) = (Vec::new(), 0);
    for s in servers {
        let (served, i) = s.await??;
        all.extend(served);
        idle += i;
    }
    let secs = start.elapsed().as_secs_f64();
    let distinct: std::collections::HashSet<&String> = all.iter().collect();
    ensure!(
        all.len() == visits && distinct.len() == visits,
        "served {} ({} distinct) of {visits}",
        all.len(),
        distinct.len()
    );
    Ok((secs, all.len(), idle))
}

/// The raw run over the office `office_id`, on `day`: seconds taken.
macro_rules! raw_run {
    ($pool:expr, $office:expr, $counter:expr, $day:expr, $visits:expr, $clients:expr) => {{
        let pool = $pool;
        let (office, counter): (i64, i64) = ($office, $counter);
        let start = Instant::now();
        let next = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..$clients)
            .map(|_| {
                let (pool, next, day) = (pool.clone(), next.clone(), $day.clone());
                tokio::spawn(async move {
                    while next.fetch_add(1, Ordering::Relaxed) < $visits {
                        let now = jiff::Timestamp::now().as_microsecond();
                        let mut tx = pool.begin().await?;
                        let n: i64 = sqlx::query_scalar(
                            "INSERT INTO ticket_sequences (office_id, day, last_n) VALUES ($1, $2, 1) \
                             ON CONFLICT (office_id, day) DO UPDATE SET last_n = ticket_sequences.last_n + 1 RETURNING last_n",
                        )
                        .bind(office).bind(&day).fetch_one(&mut *tx).await?;
                        let id: i64 = sqlx::query_scalar(
                            "INSERT INTO tickets (public_id, office_id, day, n, purpose, source, state, arrived_at) \
                             VALUES ($1, $2, $3, $4, 'acceptance', 'kiosk', 'waiting', $5) RETURNING id",
                        )
                        .bind(uuid::Uuid::new_v4().to_string()).bind(office).bind(&day).bind(n).bind(now)
                        .fetch_one(&mut *tx).await?;
                        sqlx::query("INSERT INTO queue_actions (office_id, ticket_id, action, actor, at, detail) VALUES ($1, $2, 'ticket.take', 'bench', $3, 'kiosk')")
                            .bind(office).bind(id).bind(now).execute(&mut *tx).await?;
                        tx.commit().await?;
                        for (set, action) in [
                            ("state = 'called', counter_id = $2, called_at = $3, call_count = 1", "ticket.call"),
                            ("state = 'serving', started_at = $3, counter_id = $2", "ticket.start"),
                            ("state = 'done', finished_at = $3, counter_id = $2", "ticket.finish"),
                        ] {
                            let now = jiff::Timestamp::now().as_microsecond();
                            let mut tx = pool.begin().await?;
                            sqlx::query(&format!("UPDATE tickets SET {set} WHERE id = $1"))
                                .bind(id).bind(counter).bind(now).execute(&mut *tx).await?;
                            sqlx::query("INSERT INTO queue_actions (office_id, ticket_id, counter_id, action, actor, at, detail) VALUES ($1, $2, $3, $4, 'bench', $5, '')")
                                .bind(office).bind(id).bind(counter).bind(action).bind(now).execute(&mut *tx).await?;
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

pub async fn run(a: Args) -> anyhow::Result<()> {
    let api = Api {
        client: reqwest::Client::builder()
            .pool_max_idle_per_host(a.clients.max(a.counters))
            .build()?,
        url: a.url.trim_end_matches('/').to_string(),
        token: a.token.clone(),
    };
    let (code, counters) = setup(&api, a.counters).await?;
    let (api_secs, served, idle) = api_run(&api, &code, &counters, a.visits, a.clients).await?;
    let api_ops = served * 4;

    // The raw run: the same rows, on a second office of the same kind (its own sequence).
    let (raw_code, raw_counters) = setup(&api, 1).await?;
    let day = qyzmet_domain::zone::local_date(jiff::Timestamp::now()).to_string();
    macro_rules! office_id {
        ($pool:expr) => {
            sqlx::query_scalar::<_, i64>("SELECT id FROM offices WHERE code = $1")
                .bind(&raw_code)
                .fetch_one($pool)
                .await?
        };
    }
    let raw_secs = if a.database.starts_with("postgres") {
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(a.clients as u32)
            .connect(&a.database)
            .await?;
        let office = office_id!(&pool);
        raw_run!(pool, office, raw_counters[0], day, a.visits, a.clients)
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
        let office = office_id!(&pool);
        raw_run!(pool, office, raw_counters[0], day, a.visits, a.clients)
    };
    let raw_ops = a.visits * 4;
    println!(
        "{{\"visits\": {}, \"counters\": {}, \"clients\": {}, \"depth\": {DEPTH}, \"idle_calls\": {idle}, \"api_ops\": {api_ops}, \"api_seconds\": {api_secs:.3}, \"api_ops_per_second\": {:.0}, \"raw_ops\": {raw_ops}, \"raw_seconds\": {raw_secs:.3}, \"raw_ops_per_second\": {:.0}}}",
        a.visits,
        a.counters,
        a.clients,
        api_ops as f64 / api_secs,
        raw_ops as f64 / raw_secs
    );
    Ok(())
}
