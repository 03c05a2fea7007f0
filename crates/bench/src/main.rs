//! Benchmarks of qyzmet (issue 2, "Performance"). Subcommands:
//! - `prepare`: imports fresh pending applications (the targets of the ingest runs) and
//!   writes their numbers to a file;
//! - `ingest`: sends stage events for those applications through the HTTP API in batches,
//!   end to end, and reports events per second;
//! - `raw`: inserts the same rows (events, and the projection update of each application)
//!   straight into the same tables with the driver, in the same batch sizes — the raw limit;
//! - `sample`: writes random stored application numbers for the lookup load (wrk);
//! - `count`: how many applications the database holds;
//! - `signatures`: signed events verified per second on one core against the bare
//!   `CMS_verify` of the same signatures (issue 3);
//! - `inbox`: the operator inbox page (`GET /work`, 50 rows) end to end over HTTP against
//!   a running server, and the bare query of the page in the same run (issue 4);
//! - `report`: the violations report of one month from the rollups, against the reference
//!   computation from every application in the same run; writes its figures for DuckDB to
//!   be compared with (issue 5, `bench/report.sh`);
//! - `hot`: concurrent events to one hot application against the same load spread over many
//!   applications, over HTTP against a running server (issue 15, `bench/hot.sh`);
//! - `queue`: the electronic queue's operations (take, call next, start, finish) over HTTP
//!   against the raw writes of the same rows in the same run (issue 18, `bench/queue.sh`).
//! - `hall`: 500 hall displays and digital tickets on the office's feed: how soon a call
//!   reaches them, and the server's memory with the streams open (issue 18, `bench/hall.sh`).
//! - `receipts`: receipt PDFs rendered per second on one core, each sealed (issue 19).
//!
//! The orchestration (database sizes, server process, wrk, RSS) is `bench/run.sh`; results
//! go to BENCHMARKS.md with the commands that produced them.

mod acceptance;
mod catalogue;
mod hall;
mod hot;
mod inbox;
mod queue;
mod receipts;
mod report;
mod scans;
mod signatures;

use anyhow::Context;
use clap::{Parser, Subcommand};
use futures::stream::{self, StreamExt};
use jiff::Timestamp;
use qyzmet_domain::ids::{Iin, OrgCode, ServiceCode, TaxId};
use qyzmet_domain::stage::Stage;
use qyzmet_store::{Applicant, Channel, ImportedApplication, NewApplication, Store};
use rand::seq::IndexedRandom;
use rand::Rng;
use serde_json::json;
use std::time::Instant;

#[derive(Parser)]
struct Cli {
    /// The kind of event id the ingest and raw runs send: random (v4) or time-ordered (v7,
    /// RFC 9562, which the API docs recommend: new ids land at the edge of the id index).
    #[arg(long, global = true, env = "BENCH_EVENT_IDS", default_value = "v4")]
    event_ids: EventIds,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum EventIds {
    V4,
    V7,
}

static EVENT_IDS: std::sync::OnceLock<EventIds> = std::sync::OnceLock::new();

/// A new event id of the kind chosen on the command line.
fn event_id() -> String {
    match EVENT_IDS.get().copied().unwrap_or(EventIds::V4) {
        EventIds::V4 => uuid::Uuid::new_v4().to_string(),
        EventIds::V7 => uuid::Uuid::now_v7().to_string(),
    }
}

#[derive(Subcommand)]
enum Command {
    Prepare {
        #[arg(long)]
        database: String,
        #[arg(long)]
        count: usize,
        #[arg(long)]
        out: String,
        /// Give every applicant an e-mail address (issue 17: the stages their passports flag
        /// then write messages to the outbox).
        #[arg(long)]
        contacts: bool,
    },
    Ingest {
        #[arg(long)]
        url: String,
        #[arg(long)]
        token: String,
        #[arg(long)]
        numbers: String,
        #[arg(long, default_value_t = 1000)]
        batch: usize,
        #[arg(long, default_value_t = 4)]
        concurrency: usize,
        /// Sign every event (attached CMS, RSA-2048/SHA-256) with the PKI `qyzmet-bench pki`
        /// wrote to this directory; the signing happens before the clock starts.
        #[arg(long)]
        sign: Option<std::path::PathBuf>,
    },
    /// Writes a throwaway PKI for a signed ingest run: `trust/`, `crl/` (the server's
    /// QYZMET_TRUST_DIR and QYZMET_CRL_DIR), and `leaf.crt`, `leaf.key`, `nca.crt`.
    Pki {
        #[arg(long)]
        out: std::path::PathBuf,
    },
    Raw {
        #[arg(long)]
        database: String,
        #[arg(long)]
        numbers: String,
        #[arg(long, default_value_t = 1000)]
        batch: usize,
        /// Transactions in flight at once: the same as the ingest run's requests, so the
        /// two are compared at equal concurrency (SQLite serializes writers either way).
        #[arg(long, default_value_t = 4)]
        concurrency: usize,
    },
    /// Diagnostic: `Store::application` called in-process (no HTTP), `concurrency` tasks
    /// for `seconds`; prints calls per second and the process CPU time per call.
    StoreLookup {
        #[arg(long)]
        database: String,
        #[arg(long)]
        numbers: String,
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
        #[arg(long, default_value_t = 5)]
        seconds: u64,
    },
    /// The violations report of `month` from the rollups and the reference computation,
    /// `runs` times each, alternating; writes the report's figures to `out` (issue 5).
    Report {
        #[arg(long)]
        database: String,
        #[arg(long)]
        month: qyzmet_domain::violation::Month,
        #[arg(long, default_value_t = 5)]
        runs: usize,
        #[arg(long)]
        out: std::path::PathBuf,
        /// Register outages in the month first when the database has none.
        #[arg(long)]
        outages: bool,
    },
    /// Concurrent single events to one hot application, then the same load spread over
    /// many applications, against a running server; prints events per second of both
    /// (issue 15). Registers the applications it sends to.
    Hot {
        /// The server, e.g. http://127.0.0.1:8080.
        #[arg(long)]
        url: String,
        /// An administrator's token.
        #[arg(long)]
        token: String,
        #[arg(long, default_value_t = 16)]
        clients: usize,
        /// Events each client sends per run.
        #[arg(long, default_value_t = 100)]
        events: usize,
        /// Hot and spread runs, alternating.
        #[arg(long, default_value_t = 1)]
        rounds: usize,
    },
    /// Queue operations over HTTP against the raw writes of the same rows (issue 18).
    Queue {
        /// The server, e.g. http://127.0.0.1:8080.
        #[arg(long)]
        url: String,
        /// An administrator's token.
        #[arg(long)]
        token: String,
        /// The server's database (for the raw run).
        #[arg(long)]
        database: String,
        #[arg(long, default_value_t = 8)]
        counters: usize,
        #[arg(long, default_value_t = 2000)]
        visits: usize,
        /// Kiosks taking tickets at once (and writers of the raw run).
        #[arg(long, default_value_t = 8)]
        clients: usize,
    },
    /// Acceptances at the counter and their printed receipts over HTTP: the PDF's share of the
    /// acceptance's time (issue 19).
    Acceptance {
        /// The server, e.g. http://127.0.0.1:8080.
        #[arg(long)]
        url: String,
        /// An administrator's token.
        #[arg(long)]
        token: String,
        #[arg(long, default_value_t = 400)]
        count: usize,
        /// Employees accepting at once.
        #[arg(long, default_value_t = 4)]
        clients: usize,
    },
    /// Package scans over HTTP against the raw insert of the same rows (issue 19).
    Scans {
        /// The server, e.g. http://127.0.0.1:8080.
        #[arg(long)]
        url: String,
        /// An administrator's token.
        #[arg(long)]
        token: String,
        /// The server's database (for the raw run).
        #[arg(long)]
        database: String,
        /// Packages per run (four scans each).
        #[arg(long, default_value_t = 1000)]
        packages: usize,
        /// Couriers scanning at once (and writers of the raw run).
        #[arg(long, default_value_t = 8)]
        clients: usize,
    },
    /// Streams of the office's feed and how soon a call reaches them (`bench/hall.sh`).
    Hall {
        /// The node that takes the calls, e.g. http://127.0.0.1:8080.
        #[arg(long)]
        url: String,
        /// The nodes serving the streams, in turn (default: `url`).
        #[arg(long = "node")]
        nodes: Vec<String>,
        /// An administrator's token.
        #[arg(long)]
        token: String,
        #[arg(long, default_value_t = 500)]
        streams: usize,
        #[arg(long, default_value_t = 100)]
        calls: usize,
        /// The nodes' process ids (their memory is reported).
        #[arg(long = "pid")]
        pids: Vec<u32>,
    },
    /// Prints how many applications the database holds.
    Count {
        #[arg(long)]
        database: String,
    },
    Sample {
        #[arg(long)]
        database: String,
        #[arg(long)]
        count: usize,
        #[arg(long)]
        out: String,
    },
    /// Signed events verified per second on one core, and the bare `CMS_verify` of the same
    /// signatures (issue 3).
    Signatures {
        #[arg(long, default_value_t = 20_000)]
        count: usize,
    },
    /// Receipt PDFs rendered per second on one core (issue 19).
    Receipts {
        #[arg(long, default_value_t = 2_000)]
        count: usize,
    },
    /// Adds services with a published passport to `database` until it holds `services`
    /// (issue 17's catalogue search over 5,000 passports).
    CatalogueFill {
        #[arg(long)]
        database: String,
        #[arg(long, default_value_t = 5000)]
        services: usize,
        /// A passport (JSON) every added service publishes.
        #[arg(long)]
        passport: String,
    },
    /// The public catalogue's search page (`GET /services?q=`) against a running server.
    Catalogue {
        #[arg(long)]
        url: String,
        #[arg(long, default_value_t = 2000)]
        requests: usize,
        #[arg(long, default_value_t = 200)]
        warmup: usize,
    },
    /// The operator inbox (`GET /work`) over HTTP against a running `qyzmet serve` on
    /// `database`, per operator and filter, and the bare query of each page in-process
    /// (issue 4). Creates the `bench.<org>` operators it signs in as, if missing.
    Inbox {
        /// The server, e.g. http://127.0.0.1:8080.
        #[arg(long)]
        url: String,
        /// The server's database (for picking the organizations and the bare query).
        #[arg(long)]
        database: String,
        /// Measured requests per case and series.
        #[arg(long, default_value_t = 2000)]
        requests: usize,
        /// Unmeasured requests per case before each series.
        #[arg(long, default_value_t = 200)]
        warmup: usize,
        /// Requests in flight in the concurrent series.
        #[arg(long, default_value_t = 4)]
        concurrency: usize,
        /// The most seconds one series of one case may take (a slow case is measured on
        /// fewer requests; the table's `n` says how many).
        #[arg(long, default_value_t = 60)]
        budget_secs: u64,
        /// The bench operators' password.
        #[arg(long, env = "BENCH_PASSWORD", default_value = "inbox-bench-Pa55word")]
        password: String,
        /// Only the cases whose label contains this (repeatable).
        #[arg(long)]
        only: Vec<String>,
    },
}

/// The stages each prepared application receives, in order: four events per application.
const STAGES: [Stage; 4] = [
    Stage::SentForExecution,
    Stage::TakenIntoWork,
    Stage::Executed,
    Stage::ReadyForIssue,
];

fn read_numbers(path: &str) -> anyhow::Result<Vec<String>> {
    Ok(std::fs::read_to_string(path)
        .with_context(|| path.to_string())?
        .lines()
        .map(str::to_string)
        .collect())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    EVENT_IDS.set(cli.event_ids).ok();
    match cli.command {
        Command::Prepare {
            database,
            count,
            out,
            contacts,
        } => prepare(&database, count, &out, contacts).await,
        Command::Ingest {
            url,
            token,
            numbers,
            batch,
            concurrency,
            sign,
        } => {
            let signer = sign
                .as_deref()
                .map(signatures::EventSigner::load)
                .transpose()?;
            ingest(&url, &token, &numbers, batch, concurrency, signer.as_ref()).await
        }
        Command::Pki { out } => signatures::write_pki(&out),
        Command::Raw {
            database,
            numbers,
            batch,
            concurrency,
        } => raw(&database, &numbers, batch, concurrency).await,
        Command::Sample {
            database,
            count,
            out,
        } => sample(&database, count, &out).await,
        Command::StoreLookup {
            database,
            numbers,
            concurrency,
            seconds,
        } => store_lookup(&database, &numbers, concurrency, seconds).await,
        Command::Signatures { count } => signatures::run(count),
        Command::Receipts { count } => receipts::run(count),
        Command::CatalogueFill {
            database,
            services,
            passport,
        } => {
            catalogue::fill(catalogue::FillArgs {
                database,
                services,
                passport,
            })
            .await
        }
        Command::Catalogue {
            url,
            requests,
            warmup,
        } => {
            catalogue::run(catalogue::RunArgs {
                url,
                requests,
                warmup,
            })
            .await
        }
        Command::Inbox {
            url,
            database,
            requests,
            warmup,
            concurrency,
            budget_secs,
            password,
            only,
        } => {
            inbox::run(inbox::Args {
                url,
                database,
                requests,
                warmup,
                concurrency,
                budget: std::time::Duration::from_secs(budget_secs),
                password,
                only,
            })
            .await
        }
        Command::Report {
            database,
            month,
            runs,
            out,
            outages,
        } => {
            report::run(report::Args {
                database,
                month,
                runs,
                out,
                outages,
            })
            .await
        }
        Command::Hot {
            url,
            token,
            clients,
            events,
            rounds,
        } => {
            hot::run(hot::Args {
                url,
                token,
                clients,
                events,
                rounds,
            })
            .await
        }
        Command::Queue {
            url,
            token,
            database,
            counters,
            visits,
            clients,
        } => {
            queue::run(queue::Args {
                url,
                token,
                database,
                counters,
                visits,
                clients,
            })
            .await
        }
        Command::Acceptance {
            url,
            token,
            count,
            clients,
        } => {
            acceptance::run(acceptance::Args {
                url,
                token,
                count,
                clients,
            })
            .await
        }
        Command::Scans {
            url,
            token,
            database,
            packages,
            clients,
        } => {
            scans::run(scans::Args {
                url,
                token,
                database,
                packages,
                clients,
            })
            .await
        }
        Command::Hall {
            url,
            nodes,
            token,
            streams,
            calls,
            pids,
        } => {
            let nodes = if nodes.is_empty() {
                vec![url.clone()]
            } else {
                nodes
            };
            hall::run(hall::Args {
                url,
                nodes,
                token,
                streams,
                calls,
                pids,
            })
            .await
        }
        Command::Count { database } => {
            let store = Store::connect(&database, &Default::default()).await?;
            println!("{}", store.count_applications().await?);
            Ok(())
        }
    }
}

/// Fresh applications accepted a few minutes ago with a working-days term: pending, and
/// every stage event dated now is admissible.
async fn prepare(database: &str, count: usize, out: &str, contacts: bool) -> anyhow::Result<()> {
    let store = Store::connect(database, &Default::default()).await?;
    let services = store.services(None, 0, 1000).await?;
    let picks: Vec<_> = services
        .iter()
        .filter(|s| {
            s.terms[0].term.unit == qyzmet_domain::TermUnit::WorkingDays
                && s.channels.contains(&Channel::Provider)
        })
        .collect();
    anyhow::ensure!(
        !picks.is_empty(),
        "no working-day services: load the demo registry first"
    );
    let accepted_at = Timestamp::now().checked_sub(jiff::SignedDuration::from_mins(10))?;
    let iin = Iin::parse("900101300017")?;
    let mut numbers = Vec::with_capacity(count);
    for chunk in (0..count).collect::<Vec<_>>().chunks(5000) {
        let apps: Vec<ImportedApplication> = {
            let mut rng = rand::rng();
            chunk
                .iter()
                .map(|_| {
                    let s = picks.choose(&mut rng).expect("non-empty");
                    ImportedApplication {
                        application: NewApplication {
                            service: ServiceCode::parse(s.code.as_ref()).expect("stored code"),
                            term_variant: None,
                            applicant: Applicant {
                                id: TaxId::Iin(iin),
                                last_name: "Bench".into(),
                                first_name: "Bench".into(),
                                middle_name: None,
                            },
                            channel: Channel::Provider,
                            paper: false,
                            acceptance_place: OrgCode::parse(s.organization_code.as_ref())
                                .expect("stored code"),
                            executor: None,
                            executor_person: None,
                            accepted_at,
                            external_id: None,
                            signature: None,
                            contact: contacts.then(|| qyzmet_domain::contact::Contact {
                                email: qyzmet_domain::contact::Email::parse(&format!(
                                    "bench{}@mail.kz",
                                    rng.random_range(0..1_000_000u32)
                                ))
                                .ok(),
                                phone: None,
                                language: qyzmet_domain::contact::Language::Kk,
                            }),
                        },
                        events: vec![],
                    }
                })
                .collect()
        };
        numbers.extend(
            store
                .import_applications(&apps, "bench", Timestamp::now(), 0.8)
                .await?,
        );
    }
    std::fs::write(
        out,
        numbers
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    )?;
    eprintln!("prepared {count} pending applications → {out}");
    Ok(())
}

async fn ingest(
    url: &str,
    token: &str,
    numbers: &str,
    batch: usize,
    concurrency: usize,
    signer: Option<&signatures::EventSigner>,
) -> anyhow::Result<()> {
    let numbers = read_numbers(numbers)?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()?;
    // One batch per stage round keeps every application's events in order: round k sends
    // STAGES[k] for every application.
    let mut bodies = Vec::new();
    for (k, stage) in STAGES.iter().enumerate() {
        let at = Timestamp::now()
            .checked_sub(jiff::SignedDuration::from_secs(240 - 60 * k as i64))?
            .to_string();
        for chunk in numbers.chunks(batch) {
            let mut events: Vec<_> = chunk
                .iter()
                .map(|n| json!({"number": n, "id": event_id(), "type": "stage", "stage": stage.as_str(), "occurred_at": at}))
                .collect();
            if let Some(signer) = signer {
                events = signer.sign_all(&events)?;
            }
            bodies.push((k, serde_json::to_vec(&json!({ "events": events }))?));
        }
    }
    let total_events = numbers.len() * STAGES.len();
    let endpoint = format!("{url}/api/v1/events/batch");
    let start = Instant::now();
    let mut recorded = 0usize;
    for round in 0..STAGES.len() {
        let round_bodies: Vec<Vec<u8>> = bodies
            .iter()
            .filter(|(k, _)| *k == round)
            .map(|(_, b)| b.clone())
            .collect();
        let results: Vec<anyhow::Result<usize>> = stream::iter(round_bodies)
            .map(|body| {
                let client = client.clone();
                let endpoint = endpoint.clone();
                async move {
                    let resp = client
                        .post(&endpoint)
                        .bearer_auth(token)
                        .header("content-type", "application/json")
                        .body(body)
                        .send()
                        .await?;
                    anyhow::ensure!(
                        resp.status().is_success(),
                        "batch answered {}",
                        resp.status()
                    );
                    let v: serde_json::Value = resp.json().await?;
                    Ok(v["recorded"].as_u64().unwrap_or(0) as usize)
                }
            })
            .buffer_unordered(concurrency)
            .collect()
            .await;
        for r in results {
            recorded += r?;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    anyhow::ensure!(
        recorded == total_events,
        "recorded {recorded} of {total_events} events"
    );
    println!(
        "{{\"events\": {total_events}, \"seconds\": {secs:.3}, \"events_per_second\": {:.0}}}",
        total_events as f64 / secs
    );
    Ok(())
}

/// The raw limit: the same rows — four events per application into `events`, and the
/// projection update of each application — written straight with the driver, one
/// transaction per batch of `batch`, multi-row statements of 500 rows, `concurrency`
/// transactions in flight (as many as the ingest run's requests).
async fn raw(
    database: &str,
    numbers: &str,
    batch: usize,
    concurrency: usize,
) -> anyhow::Result<()> {
    let numbers: Vec<i64> = read_numbers(numbers)?
        .iter()
        .map(|n| n.parse())
        .collect::<Result<_, _>>()?;
    let total = numbers.len() * STAGES.len();
    // The internal keys of those applications, resolved before the clock starts: the raw
    // limit is the writes alone.
    let numbers: Vec<(i64, i64)> = {
        let store = Store::connect(database, &Default::default()).await?;
        let keys = store
            .application_keys(&numbers)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        store.close().await;
        anyhow::ensure!(keys.len() == numbers.len(), "unknown application numbers");
        keys
    };
    macro_rules! run {
        ($pool:expr) => {{
            let pool = $pool;
            let start = Instant::now();
            for (k, stage) in STAGES.iter().enumerate() {
                let at = Timestamp::now().as_microsecond() - 1_000_000 * (240 - 60 * k as i64);
                let results: Vec<anyhow::Result<()>> = stream::iter(numbers.chunks(batch))
                    .map(|chunk| {
                        let pool = pool.clone();
                        async move {
                            let mut tx = pool.begin().await?;
                            let now = Timestamp::now().as_microsecond();
                            for part in chunk.chunks(500) {
                                let mut qb = sqlx::QueryBuilder::new(
                                    "INSERT INTO events (app_id, id, number, seq, kind, stage, outcome, reason, executor, executor_person, \
                                     occurred_at, recorded_at, actor, content_hash, chain_hash) ",
                                );
                                qb.push_values(part, |mut b, (id, n)| {
                                    b.push_bind(*id)
                                        .push_bind(event_id())
                                        .push_bind(*n)
                                        .push_bind(k as i64 + 1)
                                        .push_bind("stage")
                                        .push_bind(Some(stage.as_str()))
                                        .push_bind(None::<String>)
                                        .push_bind(None::<String>)
                                        .push_bind(None::<String>)
                                        .push_bind(None::<String>)
                                        .push_bind(at)
                                        .push_bind(now)
                                        .push_bind("token:raw")
                                        .push_bind(format!("{:064x}", n))
                                        .push_bind(format!("{:064x}", n + k as i64));
                                });
                                qb.build().execute(&mut *tx).await?;
                                let mut qb = sqlx::QueryBuilder::new(
                                    "UPDATE applications SET stage = v.column2, stage_no = v.column3, event_count = v.column4, \
                                     head_hash = v.column5, updated_at = v.column6 FROM (",
                                );
                                qb.push_values(part, |mut b, (id, n)| {
                                    b.push_bind(*id)
                                        .push_bind(stage.as_str())
                                        .push_bind(i64::from(stage.number()))
                                        .push_bind(k as i64 + 1)
                                        .push_bind(format!("{:064x}", n + k as i64))
                                        .push_bind(now);
                                });
                                qb.push(") AS v WHERE applications.id = v.column1");
                                qb.build().execute(&mut *tx).await?;
                            }
                            tx.commit().await?;
                            Ok(())
                        }
                    })
                    .buffer_unordered(concurrency)
                    .collect()
                    .await;
                for r in results {
                    r?;
                }
            }
            start.elapsed().as_secs_f64()
        }};
    }
    let secs = if let Some(path) = database.strip_prefix("sqlite://") {
        // SQLite through rusqlite, the driver qyzmet's SQLite ingest uses: one writer.
        let path = path.split('?').next().unwrap_or(path).to_string();
        let numbers = numbers.clone();
        tokio::task::spawn_blocking(move || raw_sqlite(&path, &numbers, batch)).await??
    } else if database.starts_with("postgres") {
        run!(
            sqlx::postgres::PgPoolOptions::new()
                .max_connections(concurrency as u32)
                .connect(database)
                .await?
        )
    } else {
        // One writer, as qyzmet itself uses: SQLite has one writer at a time anyway.
        let opts: sqlx::sqlite::SqliteConnectOptions = database.parse()?;
        let opts = opts
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
            .synchronous(sqlx::sqlite::SqliteSynchronous::Normal)
            .busy_timeout(std::time::Duration::from_secs(30));
        run!(
            sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(opts)
                .await?
        )
    };
    println!(
        "{{\"rows\": {total}, \"seconds\": {secs:.3}, \"rows_per_second\": {:.0}}}",
        total as f64 / secs
    );
    Ok(())
}

async fn sample(database: &str, count: usize, out: &str) -> anyhow::Result<()> {
    macro_rules! pick {
        ($pool:expr) => {{
            let pool = $pool;
            let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applications").fetch_one(&pool).await?;
            let step = (total / count as i64).max(1);
            // Every step-th number in key order: spread over the whole table, not cached together.
            let sql = format!("SELECT number FROM (SELECT number, ROW_NUMBER() OVER (ORDER BY number) AS r FROM applications) t WHERE r % {step} = 0 LIMIT {count}");
            let v: Vec<i64> = sqlx::query_scalar(&sql).fetch_all(&pool).await?;
            v
        }};
    }
    let numbers = if database.starts_with("postgres") {
        pick!(sqlx::PgPool::connect(database).await?)
    } else {
        pick!(sqlx::SqlitePool::connect(database).await?)
    };
    std::fs::write(
        out,
        numbers
            .iter()
            .map(|n| format!("{n:013}"))
            .collect::<Vec<_>>()
            .join("\n"),
    )?;
    eprintln!("sampled {} numbers → {out}", numbers.len());
    Ok(())
}

fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks: f64 = fields
        .get(11)
        .and_then(|u| u.parse::<f64>().ok())
        .unwrap_or(0.0)
        + fields
            .get(12)
            .and_then(|s| s.parse::<f64>().ok())
            .unwrap_or(0.0);
    ticks / 100.0
}

async fn store_lookup(
    database: &str,
    numbers: &str,
    concurrency: usize,
    seconds: u64,
) -> anyhow::Result<()> {
    let numbers: Vec<qyzmet_domain::ids::ApplicationNumber> = read_numbers(numbers)?
        .iter()
        .map(|n| qyzmet_domain::ids::ApplicationNumber::parse(n))
        .collect::<Result<_, _>>()
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let store = qyzmet_store::Store::connect(database, &Default::default()).await?;
    let numbers = std::sync::Arc::new(numbers);
    let deadline = Instant::now() + std::time::Duration::from_secs(seconds);
    let cpu0 = cpu_seconds();
    let start = Instant::now();
    let mut tasks = Vec::new();
    for t in 0..concurrency {
        let store = store.clone();
        let numbers = numbers.clone();
        tasks.push(tokio::spawn(async move {
            let mut i = t * 7919;
            let mut done = 0u64;
            while Instant::now() < deadline {
                let n = numbers[i % numbers.len()];
                store
                    .application(n, &qyzmet_store::Scope::Admin)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                i += 1;
                done += 1;
            }
            anyhow::Ok(done)
        }));
    }
    let mut calls = 0;
    for t in tasks {
        calls += t.await??;
    }
    let secs = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu0;
    println!(
        "{{\"calls\": {calls}, \"per_second\": {:.0}, \"cpu_us_per_call\": {:.1}}}",
        calls as f64 / secs,
        cpu * 1e6 / calls as f64
    );
    Ok(())
}

/// The SQLite raw limit: the same rows and statements as the PostgreSQL raw loop, written
/// with rusqlite on one connection (SQLite has one writer), one transaction per batch.
fn raw_sqlite(path: &str, numbers: &[(i64, i64)], batch: usize) -> anyhow::Result<f64> {
    let mut conn = rusqlite::Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    conn.pragma_update(None, "journal_mode", "wal")?;
    conn.pragma_update(None, "synchronous", "normal")?;
    conn.pragma_update(None, "cache_size", -32000)?;
    // As qyzmet's writer: checkpoints past 16,384 pages; the running server copies the rest.
    conn.pragma_update(None, "wal_autocheckpoint", 16_384)?;
    let start = Instant::now();
    for (k, stage) in STAGES.iter().enumerate() {
        let at = Timestamp::now().as_microsecond() - 1_000_000 * (240 - 60 * k as i64);
        for chunk in numbers.chunks(batch) {
            let tx = conn.transaction()?;
            let now = Timestamp::now().as_microsecond();
            for part in chunk.chunks(500) {
                let mut sql = String::from(
                    "INSERT INTO events (app_id, id, number, seq, kind, stage, outcome, reason, executor, executor_person, \
                     occurred_at, recorded_at, actor, content_hash, chain_hash) VALUES ",
                );
                let mut params: Vec<rusqlite::types::Value> = Vec::with_capacity(part.len() * 15);
                for (i, (id, n)) in part.iter().enumerate() {
                    sql.push_str(if i == 0 { "(" } else { ", (" });
                    sql.push_str(&vec!["?"; 15].join(", "));
                    sql.push(')');
                    use rusqlite::types::Value::{Integer, Null, Text};
                    params.extend([
                        Integer(*id),
                        Text(event_id()),
                        Integer(*n),
                        Integer(k as i64 + 1),
                        Text("stage".into()),
                        Text(stage.as_str().into()),
                        Null,
                        Null,
                        Null,
                        Null,
                        Integer(at),
                        Integer(now),
                        Text("token:raw".into()),
                        Text(format!("{:064x}", n)),
                        Text(format!("{:064x}", n + k as i64)),
                    ]);
                }
                tx.prepare_cached(&sql)?
                    .execute(rusqlite::params_from_iter(params))?;
                let mut sql = String::from(
                    "UPDATE applications SET stage = v.column2, stage_no = v.column3, event_count = v.column4, \
                     head_hash = v.column5, updated_at = v.column6 FROM (VALUES ",
                );
                let mut params: Vec<rusqlite::types::Value> = Vec::with_capacity(part.len() * 6);
                for (i, (id, n)) in part.iter().enumerate() {
                    sql.push_str(if i == 0 {
                        "(?, ?, ?, ?, ?, ?)"
                    } else {
                        ", (?, ?, ?, ?, ?, ?)"
                    });
                    use rusqlite::types::Value::{Integer, Text};
                    params.extend([
                        Integer(*id),
                        Text(stage.as_str().into()),
                        Integer(i64::from(stage.number())),
                        Integer(k as i64 + 1),
                        Text(format!("{:064x}", n + k as i64)),
                        Integer(now),
                    ]);
                }
                sql.push_str(") AS v WHERE applications.id = v.column1");
                tx.prepare_cached(&sql)?
                    .execute(rusqlite::params_from_iter(params))?;
            }
            tx.commit()?;
        }
    }
    Ok(start.elapsed().as_secs_f64())
}
