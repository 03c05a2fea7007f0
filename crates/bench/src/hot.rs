//! Issue 15's figure: concurrent events to one hot application, against the same load spread
//! over many applications, end to end over HTTP (`bench/hot.sh`).
//!
//! Setup (before any clock starts), through the API: a provider service and its
//! organization are picked from the registry, with a second organization to hand the
//! applications to; per round, one hot application and `clients × events` spread
//! applications are registered. Then, per round, two runs of the same load: `clients`
//! clients released together, each sending `events` single events (`POST
//! /api/v1/applications/{n}/events`, one in flight per client) — all to the round's hot
//! application, then each to its own spread application. The events are executor changes,
//! alternating between the two organizations: admissible in any order and unlimited in
//! number, and each one moves the application in the report's rollups (the heaviest
//! projection write). Every answer must be 201, and after each run the histories must hold
//! every event sent (the hot application's `seq` 1..N).
//!
//! Each event re-reads its application's whole history (the state is rebuilt from it), so
//! the hot application's events cost more as its history grows (to `clients × events`),
//! besides waiting for each other; each round starts with a fresh one.

use anyhow::{anyhow, ensure, Context};
use jiff::{SignedDuration, Timestamp};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::Barrier;

pub struct Args {
    pub url: String,
    pub token: String,
    pub clients: usize,
    /// Events per client and run.
    pub events: usize,
    pub rounds: usize,
}

/// What the runs send to: the two executors and, per round, the applications.
struct Plan {
    executors: [String; 2],
    hot: Vec<String>,
    spread: Vec<Vec<String>>,
    /// The acceptance of every application: events are dated after it, one second apart.
    accepted: Timestamp,
}

struct Api {
    client: reqwest::Client,
    url: String,
    token: String,
}

impl Api {
    async fn get(&self, path: &str) -> anyhow::Result<Value> {
        let resp = self
            .client
            .get(format!("{}{path}", self.url))
            .bearer_auth(&self.token)
            .send()
            .await?;
        ensure!(resp.status().is_success(), "GET {path}: {}", resp.status());
        Ok(resp.json().await?)
    }

    /// POSTs `body`; the status and the answer.
    async fn post(&self, path: &str, body: &Value) -> anyhow::Result<(u16, Value)> {
        let resp = self
            .client
            .post(format!("{}{path}", self.url))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await?;
        let status = resp.status().as_u16();
        Ok((status, resp.json().await.unwrap_or(Value::Null)))
    }

    /// How many events an application's history holds, after checking they run 1..N.
    async fn stored(&self, number: &str) -> anyhow::Result<usize> {
        let d = self.get(&format!("/api/v1/applications/{number}")).await?;
        let events = d["events"]
            .as_array()
            .ok_or_else(|| anyhow!("no history in {d}"))?;
        for (i, e) in events.iter().enumerate() {
            ensure!(
                e["seq"].as_u64() == Some(i as u64 + 1),
                "{number}: a gap in the history at {i}"
            );
        }
        Ok(events.len())
    }
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    ensure!(args.clients > 0 && args.events > 0, "nothing to send");
    let api = Arc::new(Api {
        client: reqwest::Client::builder()
            .pool_max_idle_per_host(args.clients)
            .build()?,
        url: args.url.trim_end_matches('/').to_string(),
        token: args.token.clone(),
    });
    let plan = Arc::new(plan(&api, &args).await?);
    for round in 1..=args.rounds {
        let hot = send(&api, &plan, &args, round, true).await?;
        let spread = send(&api, &plan, &args, round, false).await?;
        println!(
            "{{\"round\": {round}, \"clients\": {}, \"events\": {}, \"hot_events_per_second\": {hot:.0}, \
             \"spread_events_per_second\": {spread:.0}, \"spread_applications\": {}, \"hot_vs_spread\": {:.2}}}",
            args.clients,
            args.clients * args.events,
            plan.spread[round - 1].len(),
            hot / spread
        );
    }
    Ok(())
}

/// Picks the service and organizations and registers the applications.
async fn plan(api: &Api, args: &Args) -> anyhow::Result<Plan> {
    let services = api.get("/api/v1/services?limit=500").await?;
    let service = services["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|s| {
            s["channels"]
                .as_array()
                .is_some_and(|c| c.iter().any(|c| c == "provider"))
        })
        .ok_or_else(|| anyhow!("no provider service: load the demo registry first"))?;
    let (code, home) = (
        service["code"].as_str().unwrap_or_default().to_string(),
        service["organization"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    );
    let orgs = api.get("/api/v1/organizations?limit=500").await?;
    let other = orgs["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o["code"].as_str())
        .find(|c| *c != home)
        .ok_or_else(|| anyhow!("the registry has one organization"))?
        .to_string();
    // Every event of every round is dated after the acceptance and before now.
    let span = (args.rounds * 2 * args.clients * args.events + 60) as i64;
    let accepted = Timestamp::now() - SignedDuration::from_secs(span);
    let register = |i: usize| {
        json!({"service_code": code,
               "applicant": {"iin": "900101300017", "last_name": "Бенчмарк", "first_name": "Hot"},
               "channel": "provider", "acceptance_place": home, "executor": home,
               "accepted_at": accepted.to_string(), "external_id": format!("bench-hot-{}-{i}", accepted.as_second())})
    };
    let per_round = args.clients * args.events + 1;
    let (mut hot, mut spread) = (vec![], vec![]);
    for round in 0..args.rounds {
        let mut numbers = Vec::with_capacity(per_round);
        for i in 0..per_round {
            let (status, body) = api
                .post("/api/v1/applications", &register(round * per_round + i))
                .await?;
            ensure!(status == 201, "registration answered {status}: {body}");
            numbers.push(
                body["number"]
                    .as_str()
                    .context("registration without a number")?
                    .to_string(),
            );
        }
        hot.push(numbers.remove(0));
        spread.push(numbers);
    }
    Ok(Plan {
        executors: [other, home],
        hot,
        spread,
        accepted,
    })
}

/// One run: every client sends its events; returns events per second, after checking that
/// every event was stored.
async fn send(
    api: &Arc<Api>,
    plan: &Arc<Plan>,
    args: &Args,
    round: usize,
    hot: bool,
) -> anyhow::Result<f64> {
    let (clients, events) = (args.clients, args.events);
    // Distinct times for every event of every run: (round, run, client, k).
    let run = (round - 1) * 2 + usize::from(!hot);
    let barrier = Arc::new(Barrier::new(clients + 1));
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let (api, plan, barrier) = (api.clone(), plan.clone(), barrier.clone());
            tokio::spawn(async move {
                let bodies: Vec<(String, Value)> = (0..events)
                    .map(|k| {
                        let i = c * events + k;
                        let number = if hot {
                            &plan.hot[round - 1]
                        } else {
                            &plan.spread[round - 1][i]
                        };
                        let at = plan.accepted
                            + SignedDuration::from_secs((run * clients * events + i + 1) as i64);
                        let body = json!({"id": uuid::Uuid::now_v7().to_string(),
                            "type": "executor_changed", "executor": plan.executors[k % 2],
                            "occurred_at": at.to_string()});
                        (format!("/api/v1/applications/{number}/events"), body)
                    })
                    .collect();
                barrier.wait().await;
                for (path, body) in bodies {
                    let (status, answer) = api.post(&path, &body).await?;
                    ensure!(status == 201, "an event answered {status}: {answer}");
                }
                Ok::<_, anyhow::Error>(())
            })
        })
        .collect();
    barrier.wait().await;
    let start = Instant::now();
    for t in tasks {
        t.await??;
    }
    let secs = start.elapsed().as_secs_f64();
    let sent = clients * events;
    let held = if hot {
        api.stored(&plan.hot[round - 1]).await?
    } else {
        let mut held = 0;
        for n in &plan.spread[round - 1] {
            held += api.stored(n).await?;
        }
        held
    };
    ensure!(
        held == sent,
        "the applications hold {held} of the {sent} events sent"
    );
    Ok(sent as f64 / secs)
}
