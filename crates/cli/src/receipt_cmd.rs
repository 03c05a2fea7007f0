//! `qyzmet receipt verify INPUT`: checks a receipt's seal offline (001 §15.5–6, ADR 0021). The
//! input is the text of its QR code, a file holding that text, or a photo or scan of the QR
//! code (PNG or JPEG, decoded from its pixels). Genuine: the receipt's fields are printed and
//! the exit is 0; altered or signed by another key: 1; not a receipt or unreadable: 2.

use crate::DbArgs;
use anyhow::Context;
use clap::Subcommand;
use qyzmet_domain::front_office::receipt::{Sealed, VERSION};
use qyzmet_signature::sealed_token::{self, TokenError};
use qyzmet_signature::{SealKey, SealPublicKey};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum ReceiptCommand {
    /// Check a receipt's seal: INPUT is the QR code's text, a file with it, or a PNG/JPEG
    /// image of the QR code. Exit 0 genuine, 1 altered or forged, 2 unreadable.
    Verify {
        input: String,
        /// The PEM public key(s) of the server that issued it (repeatable, e.g. after a key
        /// rotation; `qyzmet audit public-key` prints it). Default: the public half of the
        /// configured `ledger_key_file`.
        #[arg(long = "public-key")]
        public_key: Vec<PathBuf>,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// The token in `input`: itself, a file's text, or the QR code of an image file.
fn token(input: &str) -> anyhow::Result<String> {
    let path = std::path::Path::new(input);
    if !path.is_file() {
        return Ok(input.trim().to_string());
    }
    let bytes = std::fs::read(path).with_context(|| format!("reading {input}"))?;
    let image = bytes.starts_with(b"\x89PNG") || bytes.starts_with(&[0xff, 0xd8, 0xff]);
    if !image {
        return Ok(String::from_utf8(bytes)
            .context("the file is neither an image nor text")?
            .trim()
            .to_string());
    }
    let gray = image::load_from_memory(&bytes)
        .with_context(|| format!("decoding the image {input}"))?
        .to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(gray);
    for grid in prepared.detect_grids() {
        if let Ok((_, content)) = grid.decode() {
            if content.starts_with(VERSION) {
                return Ok(content);
            }
        }
    }
    anyhow::bail!("no receipt's QR code found in {input} (a scan at 300 dpi reads)")
}

pub fn run(command: ReceiptCommand) -> anyhow::Result<ExitCode> {
    let ReceiptCommand::Verify {
        input,
        public_key,
        db,
    } = command;
    let keys: Vec<SealPublicKey> = if public_key.is_empty() {
        let cfg = db.config()?;
        let key = SealKey::load(&cfg.ledger_key_file).with_context(|| {
            format!(
                "no --public-key, and the server key {} cannot be read",
                cfg.ledger_key_file.display()
            )
        })?;
        vec![key.public_key()?]
    } else {
        public_key
            .iter()
            .map(|p| {
                let pem = std::fs::read(p).with_context(|| format!("reading {}", p.display()))?;
                Ok(SealPublicKey::from_pem(&pem)?)
            })
            .collect::<anyhow::Result<_>>()?
    };
    let token = match token(&input) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e:#}");
            return Ok(ExitCode::from(2));
        }
    };
    let mut verdict = Err(TokenError::Malformed);
    for key in &keys {
        verdict = sealed_token::open(key, VERSION, &token);
        if verdict.is_ok() {
            break;
        }
    }
    let line = match verdict {
        Ok(line) => line,
        Err(TokenError::BadSeal) => {
            println!("NOT GENUINE: {}", TokenError::BadSeal);
            return Ok(ExitCode::from(1));
        }
        Err(e) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let Ok(r) = Sealed::parse(&line) else {
        eprintln!("error: sealed, but not a receipt line this version reads");
        return Ok(ExitCode::from(2));
    };
    println!("GENUINE receipt {} ({})", r.id, r.kind.as_str());
    if let Some(a) = &r.application {
        println!("application: {a}");
    }
    println!("applied at:  {}", r.applied_at);
    if let Some(d) = r.issue_date {
        println!("issue date:  {d}");
    }
    println!("office:      {}", r.office);
    println!("accepted:    {}", r.accepted.join(", "));
    if !r.missing.is_empty() {
        println!("missing:     {}", r.missing.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}
