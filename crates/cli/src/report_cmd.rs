//! `qyzmet report …`: the monthly violations report (000 §12) written to a file, the same
//! bytes `GET /api/v1/reports/violations` answers with, over every organization; and the
//! repair of its rollups (ADR 0009).

use crate::DbArgs;
use anyhow::{anyhow, Context};
use clap::Subcommand;
use qyzmet_server::app::monitoring::exports::render_violations;
use qyzmet_server::app::monitoring::reports::{month, ReportFormat};
use qyzmet_server::i18n::Lang;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum ReportCommand {
    /// The violations report of a month, as of now.
    Violations {
        /// The month, YYYY-MM: the applications whose deadline falls in it.
        #[arg(long)]
        month: String,
        /// json, csv or xlsx.
        #[arg(long, default_value = "json")]
        format: String,
        /// The file to write; `-` for standard output.
        #[arg(long)]
        out: PathBuf,
        /// The language of the files' headings: kk, ru or en.
        #[arg(long, default_value = "kk")]
        lang: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Rebuilds the report's rollups from the applications, in one transaction (a repair;
    /// they are kept up to date by every write, and built once when first introduced).
    RebuildRollups {
        #[command(flatten)]
        db: DbArgs,
    },
}

pub async fn run(command: ReportCommand) -> anyhow::Result<ExitCode> {
    match command {
        ReportCommand::Violations {
            month: m,
            format,
            out,
            lang,
            db,
        } => {
            let m = month("month", &m).map_err(|_| {
                anyhow!("--month must be a month written YYYY-MM (2000-01 to 2999-12), not {m:?}")
            })?;
            let format = ReportFormat::parse(&format).ok_or_else(|| {
                anyhow!(
                    "--format must be one of {}, not {format:?}",
                    ReportFormat::ALLOWED
                )
            })?;
            let lang = Lang::from_code(&lang)
                .ok_or_else(|| anyhow!("--lang must be kk, ru or en, not {lang:?}"))?;
            let store = qyzmet_server::open_store(&db.config()?).await?;
            let report = store
                .violations_report(m, jiff::Timestamp::now(), None)
                .await?;
            let bytes = render_violations(report, format, lang, jiff::Timestamp::now())
                .map_err(|_| anyhow!("the report could not be written as {format:?}"))?;
            if out.as_os_str() == "-" {
                std::io::stdout().write_all(&bytes)?;
            } else {
                // Written beside the target and renamed: a reader never sees half a file.
                let tmp = out.with_extension("partial");
                std::fs::write(&tmp, &bytes)
                    .with_context(|| format!("cannot write {}", tmp.display()))?;
                std::fs::rename(&tmp, &out)
                    .with_context(|| format!("cannot write {}", out.display()))?;
                eprintln!("{} ({} bytes)", out.display(), bytes.len());
            }
            Ok(ExitCode::SUCCESS)
        }
        ReportCommand::RebuildRollups { db } => {
            let store = qyzmet_server::open_store(&db.config()?).await?;
            let started = std::time::Instant::now();
            let n = store.rebuild_violation_rollups().await?;
            eprintln!(
                "rollups rebuilt from {n} applications in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
