//! Issue 5: the violations report of one month over a large database. Times the report as
//! the server makes it (from the rollups, every view assembled) and the reference
//! computation from every application of the month, in the same run; checks that the two
//! agree cell by cell; and writes the report's figures as JSON for `bench/report.sh`, which
//! has DuckDB compute the same figures from the raw rows and compares them exactly.

use anyhow::Context;
use jiff::{SignedDuration, Timestamp};
use qyzmet_domain::violation::{Figures, Month};
use qyzmet_store::{NewOutage, Store};
use serde_json::json;
use std::time::{Duration, Instant};

pub struct Args {
    pub database: String,
    pub month: Month,
    pub runs: usize,
    /// Where the report's figures go (JSON).
    pub out: std::path::PathBuf,
    /// Registers outages in the month first when the database has none, so the technical
    /// figures are not all zero.
    pub outages: bool,
}

fn figures(f: &Figures) -> serde_json::Value {
    json!([
        f.due,
        f.on_time,
        f.violations,
        f.technical,
        f.open_overdue,
        f.overdue_days
    ])
}

/// min, median and max in milliseconds.
fn summary(times: &mut [Duration]) -> (f64, f64, f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (
        ms(times[0]),
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1]),
    )
}

pub async fn run(a: Args) -> anyhow::Result<()> {
    let store = Store::connect(&a.database, &Default::default()).await?;
    store.migrate().await?;
    let month = a.month;
    let start = month
        .first_day()
        .to_zoned(jiff::tz::TimeZone::get("Asia/Almaty")?)?
        .timestamp();
    if a.outages && store.outages(None, None, None, 1).await?.is_empty() {
        // The system most services depend on, down three times in the month; and every
        // system down for an hour.
        let services = store.every_service().await?;
        let mut systems: Vec<String> = services
            .iter()
            .flat_map(|s| s.depends_on.iter().cloned())
            .collect();
        systems.sort();
        let most = systems
            .chunk_by(|a, b| a == b)
            .max_by_key(|run| run.len())
            .map(|run| run[0].clone())
            .context("no service depends on a system")?;
        for (day, hours, all) in [
            (3, 6, false),
            (12, 30, false),
            (21, 2, false),
            (27, 1, true),
        ] {
            let from = start + SignedDuration::from_hours(24 * (day - 1) + 9);
            store
                .create_outage(
                    &NewOutage {
                        started_at: from,
                        ended_at: Some(from + SignedDuration::from_hours(hours)),
                        all_systems: all,
                        systems: if all { vec![] } else { vec![most.clone()] },
                        operator: "bench".into(),
                        description: "benchmark outage".into(),
                    },
                    "bench",
                    Timestamp::now(),
                )
                .await?;
        }
    }
    // As the job of the 1st computes it: ten minutes into the next month (its first check).
    let as_of = month
        .end()
        .to_zoned(jiff::tz::TimeZone::get("Asia/Almaty")?)?
        .timestamp()
        + SignedDuration::from_mins(10);
    anyhow::ensure!(
        as_of <= Timestamp::now(),
        "{month} is not over yet: its report is computed as of the 1st of the next month"
    );

    // Warm-up (the database's pages into the cache), then the measured runs, alternating.
    let _ = store.violations_report(month, as_of, None).await?;
    let _ = store
        .violation_cells_from_applications(month, as_of)
        .await?;
    let mut report_times = vec![];
    let mut reference_times = vec![];
    let mut report = None;
    let mut reference = None;
    for _ in 0..a.runs {
        let t = Instant::now();
        let r = store.violations_report(month, as_of, None).await?;
        report_times.push(t.elapsed());
        report = Some(r);
        let t = Instant::now();
        let cells = store
            .violation_cells_from_applications(month, as_of)
            .await?;
        reference_times.push(t.elapsed());
        reference = Some(cells);
    }
    let report = report.context("no run")?;
    let rolled = store.violation_cells(month, as_of).await?;
    let reference = reference.context("no run")?;
    anyhow::ensure!(
        rolled == reference,
        "the rollups disagree with the reference computation"
    );
    // Generation as the job does it: computed, compared with the latest stored version and
    // stored when it differs (the first time), then again (nothing to store).
    let mut generation = vec![];
    for _ in 0..2 {
        let t = Instant::now();
        let (version, stored) = store
            .generate_violations_report(month, Timestamp::now(), "demand", "bench")
            .await?;
        generation.push((t.elapsed(), version.version, stored));
    }
    let due: i64 = reference.iter().map(|c| c.figures.due).sum();
    let applications = store.count_applications().await?;
    let (r_min, r_med, r_max) = summary(&mut report_times);
    let (f_min, f_med, f_max) = summary(&mut reference_times);
    println!(
        "report {month} as of {as_of} over {applications} applications ({due} due in the month, {} cells), {} runs",
        reference.len(),
        a.runs
    );
    println!("| computation | min ms | median ms | max ms |");
    println!("|---|---|---|---|");
    println!("| report from the rollups (every view) | {r_min:.1} | {r_med:.1} | {r_max:.1} |");
    println!("| reference cells from every application of the month | {f_min:.1} | {f_med:.1} | {f_max:.1} |");
    for (took, version, stored) in &generation {
        println!(
            "generation (compute, compare, store): {:.1} ms, version {version}, {}",
            took.as_secs_f64() * 1000.0,
            if *stored {
                "stored"
            } else {
                "unchanged, nothing stored"
            }
        );
    }
    println!("rollup cells = reference cells: yes");

    let out = json!({
        "month": month.to_string(),
        "as_of_us": as_of.as_microsecond(),
        "applications": applications,
        "report_ms": {"min": r_min, "median": r_med, "max": r_max},
        "reference_ms": {"min": f_min, "median": f_med, "max": f_max},
        "organizations": report.organizations.iter().map(|o| json!({
            "code": o.code.as_str(), "own": figures(&o.own), "total": figures(&o.total)
        })).collect::<Vec<_>>(),
        "services": report.services.iter().map(|s| json!({
            "code": s.code.as_str(), "figures": figures(&s.figures)
        })).collect::<Vec<_>>(),
    });
    std::fs::write(&a.out, serde_json::to_vec_pretty(&out)?)
        .with_context(|| format!("writing {}", a.out.display()))?;
    store.close().await;
    Ok(())
}
