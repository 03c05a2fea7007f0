//! Issue 18's second figure: 500 hall displays and digital tickets connected to the office's
//! feed (`GET /api/v1/offices/{code}/display/stream`, server-sent events); a call must reach
//! p99 of them within 300 ms; the server's memory with the streams open is reported
//! (`bench/hall.sh`).
//!
//! Setup through the API: an office open around the clock with one open counter (as the queue
//! benchmark's). Then `streams` streams are opened, spread over the given nodes (on PostgreSQL
//! two nodes: half the streams are served by the node that does not make the calls, so the
//! figure includes LISTEN/NOTIFY), and each must show its `snapshot` before the clock starts.
//! Each of `calls` rounds takes a ticket, then starts the clock and calls the next ticket
//! (`call-next`, answered by the first node); every stream notes when the `called` event of
//! that number arrives. The latency of a stream is that moment less the clock's start: the
//! call's own request, the notification and the delivery, as a display lives it. The round
//! waits until every stream has it (or 5 s: then the stream counts as missed), and the counter
//! starts and finishes the visit before the next round. The node's resident memory is read
//! from /proc before the streams open and after.

use crate::queue::{setup, Api};
use anyhow::{ensure, Context};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Args {
    /// The node that takes the calls; streams go to every node of `nodes` in turn.
    pub url: String,
    pub nodes: Vec<String>,
    pub token: String,
    pub streams: usize,
    pub calls: usize,
    /// The nodes' process ids, for their memory.
    pub pids: Vec<u32>,
}

/// When each stream received each number's call.
type Arrivals = Arc<Mutex<HashMap<String, Vec<Instant>>>>;

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
}

/// Reads one stream until it ends: signals `ready` at its snapshot, notes every `called`.
async fn listen(
    url: String,
    arrivals: Arrivals,
    ready: tokio::sync::mpsc::Sender<()>,
) -> anyhow::Result<()> {
    let client = reqwest::Client::new();
    let mut resp = client.get(&url).send().await?;
    ensure!(resp.status().is_success(), "{url}: {}", resp.status());
    let mut buf = String::new();
    let mut ready = Some(ready);
    while let Some(chunk) = resp.chunk().await? {
        let at = Instant::now();
        buf.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let mut name = "";
            let mut data = "";
            for line in block.lines() {
                if let Some(n) = line.strip_prefix("event:") {
                    name = n.trim();
                } else if let Some(d) = line.strip_prefix("data:") {
                    data = d.trim();
                }
            }
            match name {
                "snapshot" => {
                    if let Some(r) = ready.take() {
                        let _ = r.send(()).await;
                    }
                }
                "called" => {
                    let ev: Value = serde_json::from_str(data)?;
                    if let Some(n) = ev["number"].as_str() {
                        arrivals
                            .lock()
                            .map_err(|_| anyhow::anyhow!("poisoned"))?
                            .entry(n.to_string())
                            .or_default()
                            .push(at);
                    }
                }
                _ => {}
            }
        }
    }
    Ok(())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

pub async fn run(a: Args) -> anyhow::Result<()> {
    ensure!(!a.nodes.is_empty(), "no node to stream from");
    let api = Api {
        client: reqwest::Client::new(),
        url: a.url.clone(),
        token: a.token.clone(),
    };
    let (code, counters) = setup(&api, 1).await?;
    let counter = counters[0];
    let rss_before: Vec<Option<u64>> = a.pids.iter().map(|p| rss_kib(*p)).collect();

    let arrivals: Arrivals = Arc::default();
    let (tx, mut rx) = tokio::sync::mpsc::channel(a.streams);
    let mut tasks = Vec::new();
    for i in 0..a.streams {
        let node = &a.nodes[i % a.nodes.len()];
        let url = format!("{node}/api/v1/offices/{code}/display/stream");
        tasks.push(tokio::spawn(listen(url, arrivals.clone(), tx.clone())));
    }
    drop(tx);
    for _ in 0..a.streams {
        tokio::time::timeout(Duration::from_secs(60), rx.recv())
            .await
            .context("every stream opens within 60 s")?
            .context("a stream ended before its snapshot")?;
    }
    // Let the servers settle after the connection burst before reading their memory.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_streams: Vec<Option<u64>> = a.pids.iter().map(|p| rss_kib(*p)).collect();

    let mut latencies = Vec::with_capacity(a.streams * a.calls);
    let mut missed = 0usize;
    for _ in 0..a.calls {
        api.post(
            &format!("/api/v1/offices/{code}/tickets"),
            json!({"purpose": "acceptance"}),
        )
        .await?;
        let t0 = Instant::now();
        let called = api
            .post(&format!("/api/v1/counters/{counter}/call-next"), json!({}))
            .await?;
        let number = called["ticket"]["number"]
            .as_str()
            .context("a ticket was called")?
            .to_string();
        let deadline = t0 + Duration::from_secs(5);
        loop {
            let got = arrivals
                .lock()
                .map_err(|_| anyhow::anyhow!("poisoned"))?
                .get(&number)
                .map_or(0, Vec::len);
            if got >= a.streams || Instant::now() > deadline {
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let times = arrivals
            .lock()
            .map_err(|_| anyhow::anyhow!("poisoned"))?
            .remove(&number)
            .unwrap_or_default();
        missed += a.streams.saturating_sub(times.len());
        latencies.extend(
            times
                .iter()
                .map(|t| t.duration_since(t0).as_secs_f64() * 1000.0),
        );
        for step in ["start", "finish"] {
            api.post(&format!("/api/v1/counters/{counter}/{step}"), json!({}))
                .await?;
        }
    }
    for t in &tasks {
        t.abort();
    }
    latencies.sort_by(|x, y| x.total_cmp(y));
    let kib = |v: &[Option<u64>]| -> Vec<Value> { v.iter().map(|k| json!(k)).collect() };
    println!(
        "{}",
        json!({
            "streams": a.streams,
            "nodes": a.nodes.len(),
            "calls": a.calls,
            "deliveries": latencies.len(),
            "missed": missed,
            "p50_ms": (percentile(&latencies, 50.0) * 10.0).round() / 10.0,
            "p99_ms": (percentile(&latencies, 99.0) * 10.0).round() / 10.0,
            "max_ms": (latencies.last().copied().unwrap_or(f64::NAN) * 10.0).round() / 10.0,
            "rss_kib_before": kib(&rss_before),
            "rss_kib_streams": kib(&rss_streams),
        })
    );
    Ok(())
}
