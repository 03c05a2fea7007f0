//! Issue 19's second receipt figure: the printed receipt's share of an acceptance's total
//! time, through the HTTP API of the release server (`bench/acceptance.sh`).
//!
//! Setup (before any clock starts): an office of the first State Corporation branch, and the
//! first service offered at the State Corporation whose passport is in force; a complete
//! package for it built from its checklist (every document to bring in its form and number,
//! the conditional ones marked as not applying, the fee paid in full, both consents). The run:
//! `clients` employees make `count` acceptances (`POST /api/v1/acceptances`: checked,
//! registered, receipt written and sealed, one transaction), then print each receipt (`GET
//! /api/v1/receipts/{id}?format=pdf`: read, sealed, rendered). Every answer must be a success.
//! Reported: the mean time of each, and the PDF's share of the two together.

use crate::queue::Api;
use anyhow::{anyhow, ensure, Context};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

pub struct Args {
    pub url: String,
    pub token: String,
    pub count: usize,
    pub clients: usize,
}

/// A complete acceptance of the first service with a passport in force, at `office`.
async fn complete_body(api: &Api, office: &str) -> anyhow::Result<Value> {
    let services = api
        .send(reqwest::Method::GET, "/api/v1/services?limit=500", None)
        .await?;
    for s in services["items"].as_array().into_iter().flatten() {
        let offered = s["channels"]
            .as_array()
            .is_some_and(|c| c.iter().any(|c| c == "state_corp"));
        let code = s["code"].as_str().context("code")?;
        if !offered {
            continue;
        }
        let Ok(list) = api
            .send(
                reqwest::Method::GET,
                &format!("/api/v1/services/{code}/checklist"),
                None,
            )
            .await
        else {
            continue;
        };
        let docs = list["documents"].as_array().context("documents")?;
        let documents: Vec<Value> = docs
            .iter()
            .filter(|d| d["conditional"] == false)
            .map(|d| json!({"code": d["code"], "form": d["form"], "count": d["copies"]}))
            .collect();
        let not_applicable: Vec<Value> = docs
            .iter()
            .filter(|d| d["conditional"] == true)
            .map(|d| d["code"].clone())
            .collect();
        let paid = list["fee"]["amount_kzt"].as_u64().unwrap_or(1);
        return Ok(json!({
            "office": office, "service_code": code, "language": "kk",
            "applicant": {"iin": "900101300017", "last_name": "Бенчмарк", "first_name": "Қабылдау"},
            "identification": {"document": "identity_card", "number": "045612378"},
            "documents": documents, "not_applicable": not_applicable, "paid_kzt": paid,
            "consents": [{"kind": "personal_data", "source": "paper", "source_id": "B"},
                         {"kind": "protected_data", "source": "paper", "source_id": "B"}]}));
    }
    Err(anyhow!(
        "no service offered at the State Corporation has a passport in force"
    ))
}

/// Runs `count` requests made by `make(i)` from `clients` tasks; the mean seconds of each and
/// the answers.
async fn timed<F, Fut>(count: usize, clients: usize, make: F) -> anyhow::Result<(f64, Vec<Value>)>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = anyhow::Result<Value>> + Send,
{
    let make = Arc::new(make);
    let next = Arc::new(AtomicUsize::new(0));
    let out = Arc::new(Mutex::new(Vec::with_capacity(count)));
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (make, next, out) = (make.clone(), next.clone(), out.clone());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        break;
                    }
                    let started = Instant::now();
                    let v = make(i).await?;
                    let secs = started.elapsed().as_secs_f64();
                    out.lock().map_err(|_| anyhow!("poisoned"))?.push((secs, v));
                }
                anyhow::Ok(())
            })
        })
        .collect();
    for t in tasks {
        t.await??;
    }
    let out = std::mem::take(&mut *out.lock().map_err(|_| anyhow!("poisoned"))?);
    let mean = out.iter().map(|(s, _)| s).sum::<f64>() / out.len().max(1) as f64;
    Ok((mean, out.into_iter().map(|(_, v)| v).collect()))
}

pub async fn run(a: Args) -> anyhow::Result<()> {
    let api = Api {
        client: reqwest::Client::builder()
            .pool_max_idle_per_host(a.clients)
            .build()?,
        url: a.url.trim_end_matches('/').to_string(),
        token: a.token.clone(),
    };
    let (office, _) = crate::queue::setup(&api, 1).await?;
    let body = Arc::new(complete_body(&api, &office).await?);
    let started = Instant::now();
    let (accept_secs, accepted) = {
        let (api, body) = (api.clone(), body.clone());
        timed(a.count, a.clients, move |_| {
            let (api, body) = (api.clone(), body.clone());
            async move { api.post("/api/v1/acceptances", (*body).clone()).await }
        })
        .await?
    };
    let accept_wall = started.elapsed().as_secs_f64();
    let ids: Arc<Vec<String>> = Arc::new(
        accepted
            .iter()
            .map(|v| {
                ensure!(v["outcome"] == "accepted", "not accepted: {v}");
                Ok(v["receipt"]["id"]
                    .as_str()
                    .context("receipt id")?
                    .to_string())
            })
            .collect::<anyhow::Result<_>>()?,
    );
    let started = Instant::now();
    let (pdf_secs, _) = {
        let (api, ids) = (api.clone(), ids.clone());
        timed(a.count, a.clients, move |i| {
            let (api, ids) = (api.clone(), ids.clone());
            async move {
                let resp = api
                    .client
                    .get(format!("{}/api/v1/receipts/{}?format=pdf", api.url, ids[i]))
                    .bearer_auth(&api.token)
                    .send()
                    .await?;
                ensure!(resp.status().is_success(), "pdf: {}", resp.status());
                let bytes = resp.bytes().await?;
                ensure!(bytes.starts_with(b"%PDF-"), "not a PDF");
                Ok(Value::from(bytes.len()))
            }
        })
        .await?
    };
    let pdf_wall = started.elapsed().as_secs_f64();
    println!(
        "{{\"count\": {}, \"clients\": {}, \"acceptance_ms\": {:.2}, \"acceptances_per_second\": {:.0}, \"pdf_ms\": {:.2}, \"pdfs_per_second\": {:.0}, \"pdf_share_percent\": {:.1}}}",
        a.count,
        a.clients,
        accept_secs * 1000.0,
        a.count as f64 / accept_wall,
        pdf_secs * 1000.0,
        a.count as f64 / pdf_wall,
        100.0 * pdf_secs / (accept_secs + pdf_secs)
    );
    Ok(())
}
