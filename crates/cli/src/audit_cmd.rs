//! `qyzmet audit`: export the tamper-evident history to a file, verify it (in the database or
//! in such a file) naming every edited, deleted, reordered or inserted event, and print the
//! public half of the server's checkpoint key. Nothing personal is printed: findings name
//! application numbers, seqs, event ids and ledger positions only.

use crate::DbArgs;
use anyhow::Context;
use clap::Subcommand;
use qyzmet_signature::{SealKey, SealPublicKey};
use qyzmet_store::audit_trail::{self, AuditReport, SealCheck, SealKeys};
use qyzmet_store::{ConnectOptions, Store};
use std::io::{BufReader, BufWriter};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Write the history (applications, events, ledger, signed checkpoints) as one snapshot
    /// to a JSON Lines file (mode 0600: it holds reasons and executors' names, not IINs).
    Export {
        /// The file to write.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Check the history and name every edited, deleted, reordered or inserted event.
    /// Exit 0 when intact, 1 when anything was found, 2 when the check could not be made.
    Verify {
        /// Check an export file instead of the database.
        #[arg(long, conflicts_with = "database")]
        file: Option<PathBuf>,
        /// PEM public key(s) that checkpoints must be signed with (repeatable, e.g. after a
        /// key rotation). Default: the public half of the configured `ledger_key_file`.
        #[arg(long = "public-key")]
        public_key: Vec<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Print the public key (PEM) that checks this server's checkpoints, and its id.
    PublicKey {
        #[command(flatten)]
        db: DbArgs,
    },
}

/// The public keys checkpoints are checked with, by key id.
struct Keys(Vec<SealPublicKey>);

impl SealKeys for Keys {
    fn check(&self, key_id: &str, message: &[u8], signature: &str) -> SealCheck {
        if self.0.is_empty() {
            return SealCheck::Unchecked;
        }
        match self.0.iter().find(|k| k.key_id() == key_id) {
            Some(k) if k.verify(message, signature) => SealCheck::Valid,
            Some(_) => SealCheck::Invalid,
            None => SealCheck::UnknownKey,
        }
    }
}

pub async fn run(command: AuditCommand) -> anyhow::Result<ExitCode> {
    match command {
        AuditCommand::Export { out, db } => {
            let cfg = db.config()?;
            let store = open(&cfg.database_url).await?;
            let file = create_private(&out)?;
            let counts = store
                .export_history(BufWriter::new(file))
                .await
                .with_context(|| format!("exporting to {}", out.display()));
            store.close().await;
            let counts = counts?;
            println!(
                "exported {} applications, {} events, {} ledger entries and {} checkpoints \
                 ({}) to {}",
                counts.applications,
                counts.events,
                counts.ledger,
                counts.checkpoints,
                store.backend_name(),
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        AuditCommand::Verify {
            file,
            public_key,
            db,
        } => {
            let cfg = db.config()?;
            let (keys, key_note) = public_keys(&public_key, &cfg.ledger_key_file)?;
            let report = match &file {
                Some(path) => {
                    let f = std::fs::File::open(path)
                        .with_context(|| format!("opening {}", path.display()))?;
                    audit_trail::verify_file(BufReader::new(f), &keys)
                        .with_context(|| format!("reading {}", path.display()))?
                }
                None => {
                    let store = open(&cfg.database_url).await?;
                    let report = store.verify_history(&keys).await;
                    store.close().await;
                    report.context("reading the database")?
                }
            };
            let source = match &file {
                Some(path) => format!("export file {}", path.display()),
                None => format!("{} database", report.summary.backend),
            };
            print_report(&source, &report, &key_note);
            Ok(if report.clean() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        AuditCommand::PublicKey { db } => {
            let cfg = db.config()?;
            let key = SealKey::load(&cfg.ledger_key_file).with_context(|| {
                format!("reading the ledger key {}", cfg.ledger_key_file.display())
            })?;
            eprintln!("key id {}", key.key_id());
            print!("{}", key.public_pem()?);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Opens the database without migrating it: an audit writes nothing.
async fn open(url: &str) -> anyhow::Result<Store> {
    if let Some(path) = sqlite_path(url) {
        anyhow::ensure!(
            Path::new(path).exists(),
            "no database at {path} (give --database or --config)"
        );
    }
    Store::connect(url, &ConnectOptions::default())
        .await
        .context("opening the database")
}

fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then_some(path)
}

fn create_private(path: &Path) -> anyhow::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))
}

/// The keys given, or the public half of the configured server key; and what to say of them.
fn public_keys(given: &[PathBuf], key_file: &Path) -> anyhow::Result<(Keys, String)> {
    if !given.is_empty() {
        let mut keys = vec![];
        for path in given {
            let pem = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            keys.push(
                SealPublicKey::from_pem(&pem)
                    .with_context(|| format!("{} is not an Ed25519 public key", path.display()))?,
            );
        }
        let ids: Vec<&str> = keys.iter().map(|k| k.key_id()).collect();
        let note = format!("checked with the given key(s) {}", ids.join(", "));
        return Ok((Keys(keys), note));
    }
    if key_file.exists() {
        let key = SealKey::load(key_file)
            .with_context(|| format!("reading the ledger key {}", key_file.display()))?;
        let note = format!(
            "checked with the server key {} ({})",
            key.key_id(),
            key_file.display()
        );
        return Ok((Keys(vec![key.public_key()?]), note));
    }
    Ok((
        Keys(vec![]),
        format!(
            "NOT checked: no public key (give --public-key, or a config whose ledger_key_file \
             exists; {} does not)",
            key_file.display()
        ),
    ))
}

fn print_report(source: &str, report: &AuditReport, key_note: &str) {
    let s = &report.summary;
    println!("audit of the {source} (snapshot taken {})", s.exported_at);
    println!("applications:   {}", s.applications);
    println!("events:         {}", s.events);
    println!(
        "ledger entries: {} (head at position {})",
        s.ledger_entries, s.ledger_position
    );
    println!(
        "checkpoints:    {} ({} with a valid signature, {} unchecked); signatures {key_note}",
        s.checkpoints, s.checkpoints_valid, s.checkpoints_unchecked
    );
    match s.last_matching_checkpoint {
        Some(p) => println!("last checkpoint the ledger matches: position {p}"),
        None => println!("last checkpoint the ledger matches: none"),
    }
    if report.findings.is_empty() {
        println!("findings: 0: the history is intact");
        return;
    }
    println!("findings: {}", report.findings.len());
    for f in &report.findings {
        println!("{f}");
    }
}
