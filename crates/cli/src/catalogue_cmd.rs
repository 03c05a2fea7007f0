//! `qyzmet catalogue …`: the catalogue's export and import from the command line (issue 17,
//! point 2), through the same use cases as the API, as the machine's operator (audited as
//! `cli:<user>`).

use crate::DbArgs;
use clap::{Subcommand, ValueEnum};
use qyzmet_server::app::registry::catalogue_io::{self as uc, ImportAnswer, Source};
use qyzmet_server::app::Caller;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Json,
    Csv,
}

#[derive(Subcommand)]
pub enum CatalogueCommand {
    /// Write the whole catalogue to FILE (`-` for standard output).
    Export {
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Load a catalogue file (JSON, or CSV when its name ends in .csv): all or nothing.
    Import {
        file: PathBuf,
        /// Check and count everything, write nothing.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        db: DbArgs,
    },
}

pub async fn run(command: CatalogueCommand) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(&crate::org_cmd::whoami());
    match command {
        CatalogueCommand::Export { format, file, db } => {
            let store = qyzmet_server::open_store(&db.config()?).await?;
            let bytes = match format {
                Format::Json => match uc::export(&store, &caller).await {
                    Ok(f) => serde_json::to_vec_pretty(&f)?,
                    Err(e) => return crate::refused(&e),
                },
                Format::Csv => match uc::export_csv(&store, &caller).await {
                    Ok(b) => b,
                    Err(e) => return crate::refused(&e),
                },
            };
            if file.as_os_str() == "-" {
                use std::io::Write;
                std::io::stdout().write_all(&bytes)?;
            } else {
                std::fs::write(&file, bytes)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        CatalogueCommand::Import { file, dry_run, db } => {
            let bytes = std::fs::read(&file)?;
            let csv = file
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
            let source = if csv {
                Source::Csv(&bytes)
            } else {
                Source::Json(&bytes)
            };
            let store = qyzmet_server::open_store(&db.config()?).await?;
            match uc::import(&store, &caller, source, dry_run).await {
                Ok(ImportAnswer::Done(r)) => {
                    let line = |name: &str, t: qyzmet_store::Tally| {
                        println!(
                            "{name}\t{} created\t{} changed\t{} unchanged",
                            t.created, t.changed, t.unchanged
                        )
                    };
                    line("organizations", r.organizations);
                    line("information_systems", r.information_systems);
                    line("services", r.services);
                    line("term_versions", r.term_versions);
                    line("passport_versions", r.passport_versions);
                    println!(
                        "{} changes{}",
                        r.changes(),
                        if dry_run {
                            " (dry run: nothing written)"
                        } else {
                            ""
                        }
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Ok(ImportAnswer::Refused(problems)) => {
                    for p in &problems {
                        eprintln!("{}:", p.at);
                        crate::refused(&p.error)?;
                    }
                    eprintln!("{} problems: nothing written", problems.len());
                    Ok(ExitCode::from(2))
                }
                Err(e) => crate::refused(&e),
            }
        }
    }
}
