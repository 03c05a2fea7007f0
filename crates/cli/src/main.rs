//! The `qyzmet` command: serve the API, migrate, issue tokens, check IINs/BINs, compute
//! deadlines, edit the production calendar, load or generate demo data, and audit the
//! tamper-evident history.

mod admin_cmd;
mod audit_cmd;
mod calendar_cmd;
mod catalogue_cmd;
mod demo;
mod demo_offices;
mod demo_passports;
mod org_cmd;
mod receipt_cmd;
mod report_cmd;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use qyzmet_server::config::Config;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc: the server allocates many small, short-lived buffers per request; glibc's
/// allocator spent ~7% of lookup time in malloc/free bookkeeping.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "qyzmet",
    version,
    about = "Monitoring of public-service delivery (Kazakhstan)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the database and configuration come from.
#[derive(Args, Clone, Default)]
struct DbArgs {
    /// Database URL: sqlite://path or postgres://… (env QYZMET_DATABASE_URL).
    #[arg(long)]
    database: Option<String>,
    /// Configuration file (TOML).
    #[arg(long)]
    config: Option<PathBuf>,
}

impl DbArgs {
    fn config(&self) -> anyhow::Result<Config> {
        let mut cfg = Config::load(self.config.as_deref())?;
        if let Some(db) = &self.database {
            cfg.database_url = db.clone();
        }
        Ok(cfg)
    }
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (default: 127.0.0.1:8080, SQLite file ./data/qyzmet.db).
    Serve {
        /// Address to listen on (env QYZMET_LISTEN).
        #[arg(long)]
        listen: Option<SocketAddr>,
        #[command(flatten)]
        db: DbArgs,
        /// Load the demo registry and a few thousand applications when the database is empty.
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// IIN/BIN checks.
    Iin {
        #[command(subcommand)]
        command: IinCommand,
    },
    /// The production calendar and deadlines.
    Calendar {
        #[command(subcommand)]
        command: calendar_cmd::CalendarCommand,
    },
    /// Demo data.
    Demo {
        #[command(subcommand)]
        command: DemoCommand,
    },
    /// Workstation users: create (the first administrator too), list, block and unblock,
    /// unlock, reset a password, change a role or a profile.
    Admin {
        #[command(subcommand)]
        command: admin_cmd::AdminCommand,
    },
    /// An organization's settings (its signature policy).
    Org {
        #[command(subcommand)]
        command: org_cmd::OrgCommand,
    },
    /// The tamper-evident history: export it, verify it.
    Audit {
        #[command(subcommand)]
        command: audit_cmd::AuditCommand,
    },
    /// Reports: the monthly violations report (000 §12).
    Report {
        #[command(subcommand)]
        command: report_cmd::ReportCommand,
    },
    /// The catalogue as one file: export it, import a ministry's (issue 17).
    Catalogue {
        #[command(subcommand)]
        command: catalogue_cmd::CatalogueCommand,
    },
    /// Receipts of the front office: verify one's seal offline (from its QR code).
    Receipt {
        #[command(subcommand)]
        command: receipt_cmd::ReceiptCommand,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// List tokens: id, scope, label, created, revoked (never the secrets).
    List {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Revoke a token by id (takes effect within 30 s on every node).
    Revoke {
        id: i64,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Create a token; it is printed once and only its hash is stored.
    Create {
        /// Organization code: the token sees that organization's sub-tree.
        #[arg(long, conflicts_with = "admin", required_unless_present = "admin")]
        org: Option<String>,
        /// An administrator token (registry, outages, calendar; sees everything).
        #[arg(long)]
        admin: bool,
        /// A label to recognise the token by.
        #[arg(long, default_value = "")]
        label: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
enum IinCommand {
    /// Check an IIN or BIN: prints {valid, kind, warnings, reason}; exit 0 when valid, 1 when not.
    Check { number: String },
}

#[derive(Subcommand)]
enum DemoCommand {
    /// Generate synthetic applications (loads the demo registry first if missing).
    Generate {
        /// How many applications.
        #[arg(long, default_value_t = 1000)]
        applications: u64,
        /// Spread acceptance over the last N days.
        #[arg(long, default_value_t = 90)]
        days: i64,
        /// Hide the progress bar.
        #[arg(long)]
        quiet: bool,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// A use case's refusal, shaped as the API answers it, in the language of `LANG` (kk, ru or
/// en), on standard error; exit code 2.
pub(crate) fn refused(e: &qyzmet_server::app::AppError) -> anyhow::Result<ExitCode> {
    let lang = qyzmet_server::i18n::Lang::from_accept_language(
        std::env::var("LANG")
            .ok()
            .as_deref()
            .map(|l| l.split('.').next().unwrap_or(l)),
    );
    #[derive(serde::Serialize)]
    struct Detail<'a> {
        code: &'a str,
        message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        field: Option<&'a str>,
    }
    let body = serde_json::json!({ "error": Detail {
        code: &e.code,
        // The field as the command line names it (its flag), not in words.
        message: qyzmet_server::app::error::render_message(lang, &e.code, &e.args, |_, path| {
            path.to_string()
        }),
        field: e.field.as_deref(),
    } });
    eprintln!("{}", serde_json::to_string_pretty(&body)?);
    Ok(ExitCode::from(2))
}

fn init_tracing(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutdown requested: finishing requests in flight");
}

/// A command's output piped into `head` or the like ends when the reader stops reading, as
/// with any Unix tool, instead of a panic on the broken pipe. The server keeps Rust's default
/// (the signal ignored): a client hanging up must never stop it.
fn end_quietly_on_broken_pipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in `main`, before any other thread exists; restoring the
    // default disposition of SIGPIPE has no other effect on this process's memory.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve { .. }) {
        end_quietly_on_broken_pipe();
    }
    // Commands that need no runtime.
    if let Command::Iin {
        command: IinCommand::Check { number },
    } = &cli.command
    {
        let result = qyzmet_domain::ids::check(number);
        println!(
            "{}",
            serde_json::to_string_pretty(&result).unwrap_or_default()
        );
        return if result.valid {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        };
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

async fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve { listen, db, demo } => {
            let mut cfg = db.config()?;
            if let Some(l) = listen {
                cfg.listen = l;
            }
            init_tracing(&cfg.log_format);
            let store = qyzmet_server::open_store(&cfg)
                .await
                .context("opening the database")?;
            if demo {
                // Beside the ledger key: under data/ by default, which git ignores.
                let accounts = cfg
                    .ledger_key_file
                    .parent()
                    .unwrap_or(std::path::Path::new("."))
                    .join("demo-accounts.txt");
                demo::load_if_empty(&store, cfg.nearing_fraction, &accounts).await?;
            }
            let listener = tokio::net::TcpListener::bind(cfg.listen)
                .await
                .with_context(|| format!("cannot listen on {}", cfg.listen))?;
            eprintln!(
                "qyzmet listening on http://{} ({})",
                listener.local_addr()?,
                store.backend_name()
            );
            qyzmet_server::serve(listener, cfg, store, shutdown_signal()).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate { db } => {
            let cfg = db.config()?;
            init_tracing(&cfg.log_format);
            let store = qyzmet_server::open_store(&cfg).await?;
            println!("migrated ({})", store.backend_name());
            Ok(ExitCode::SUCCESS)
        }
        Command::Token {
            command:
                TokenCommand::Create {
                    org,
                    admin,
                    label,
                    db,
                },
        } => {
            let cfg = db.config()?;
            let store = qyzmet_server::open_store(&cfg).await?;
            let org = org
                .map(|o| {
                    qyzmet_domain::ids::OrgCode::parse(&o)
                        .map_err(|e| anyhow::anyhow!("--org: {e}"))
                })
                .transpose()?;
            let secret = qyzmet_server::app::accounts::tokens::generate_token();
            let label = match qyzmet_server::app::validate::opt_text("label", Some(&label), 200) {
                Ok(Some(label)) => label,
                Ok(None) => org
                    .as_ref()
                    .map(|o| format!("org {o}"))
                    .unwrap_or_else(|| "admin".into()),
                Err(e) => return refused(&e),
            };
            store
                .create_token(
                    &qyzmet_server::app::accounts::tokens::hash_token(&secret),
                    org.as_ref(),
                    admin,
                    &label,
                    jiff::Timestamp::now(),
                )
                .await
                .map_err(|e| match e {
                    qyzmet_store::StoreError::Invalid { .. } => {
                        anyhow::anyhow!("--org: no such organization")
                    }
                    other => other.into(),
                })?;
            println!("{secret}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Token {
            command: TokenCommand::List { db },
        } => {
            let store = qyzmet_server::open_store(&db.config()?).await?;
            for t in store.tokens().await? {
                let scope = if t.admin {
                    "admin".to_string()
                } else {
                    format!("org {}", t.organization.unwrap_or_default())
                };
                let revoked = t
                    .revoked_at
                    .map(|r| format!("revoked {r}"))
                    .unwrap_or_else(|| "active".into());
                println!(
                    "{}\t{scope}\t{}\tcreated {}\t{revoked}",
                    t.id, t.label, t.created_at
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Token {
            command: TokenCommand::Revoke { id, db },
        } => {
            let store = qyzmet_server::open_store(&db.config()?).await?;
            match store.revoke_token(id, jiff::Timestamp::now()).await {
                Ok(()) => {
                    println!("token {id} revoked");
                    Ok(ExitCode::SUCCESS)
                }
                Err(qyzmet_store::StoreError::NotFound(_)) => {
                    eprintln!("error: no active token with id {id}");
                    Ok(ExitCode::from(1))
                }
                Err(e) => Err(e.into()),
            }
        }
        Command::Calendar { command } => calendar_cmd::run(command).await,
        Command::Audit { command } => audit_cmd::run(command).await,
        Command::Org { command } => org_cmd::run(command).await,
        Command::Report { command } => report_cmd::run(command).await,
        Command::Catalogue { command } => catalogue_cmd::run(command).await,
        Command::Receipt { command } => receipt_cmd::run(command),
        Command::Admin { command } => admin_cmd::run(command).await,
        Command::Demo {
            command:
                DemoCommand::Generate {
                    applications,
                    days,
                    quiet,
                    db,
                },
        } => {
            let cfg = db.config()?;
            init_tracing(&cfg.log_format);
            let store = qyzmet_server::open_store(&cfg).await?;
            demo::load_registry(&store).await?;
            let t0 = std::time::Instant::now();
            demo::generate(&store, applications, days, cfg.nearing_fraction, !quiet).await?;
            let secs = t0.elapsed().as_secs_f64();
            eprintln!(
                "generated {applications} applications in {secs:.1} s ({:.0}/s)",
                applications as f64 / secs.max(1e-9)
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Iin { .. } => unreachable!("handled before the runtime starts"),
    }
}
