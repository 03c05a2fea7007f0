//! `qyzmet org …`: an organization's settings from the command line (administrators on the
//! server), audited like the API's.

use crate::DbArgs;
use clap::Subcommand;
use qyzmet_domain::ids::OrgCode;
use qyzmet_store::SignaturePolicy;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum OrgCommand {
    /// Show an organization's settings.
    Show {
        /// Organization code.
        code: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Set whether its events must, may or need not be signed: required, optional or off.
    SignaturePolicy {
        /// Organization code.
        code: String,
        /// required, optional or off.
        policy: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

pub async fn run(command: OrgCommand) -> anyhow::Result<ExitCode> {
    match command {
        OrgCommand::Show { code, db } => {
            let code = parse_code(&code)?;
            let store = qyzmet_server::open_store(&db.config()?).await?;
            let Some(org) = store.organization(&code).await? else {
                eprintln!("no organization {code}");
                return Ok(ExitCode::from(1));
            };
            println!(
                "{}\tbin {}\t{}\tsignature_policy {}",
                org.code,
                org.bin,
                org.kind.as_str(),
                org.signature_policy
            );
            Ok(ExitCode::SUCCESS)
        }
        OrgCommand::SignaturePolicy { code, policy, db } => {
            let code = parse_code(&code)?;
            let policy: SignaturePolicy = policy.trim().parse().map_err(|_| {
                anyhow::anyhow!(
                    "signature policy must be required, optional or off, not {policy:?}"
                )
            })?;
            let store = qyzmet_server::open_store(&db.config()?).await?;
            let actor = format!("cli:{}", whoami());
            match store
                .set_signature_policy(&code, policy, &actor, jiff::Timestamp::now())
                .await
            {
                Ok(org) => {
                    println!("{}: signature_policy {}", org.code, org.signature_policy);
                    Ok(ExitCode::SUCCESS)
                }
                Err(qyzmet_store::StoreError::NotFound(_)) => {
                    eprintln!("no organization {code}");
                    Ok(ExitCode::from(1))
                }
                Err(e) => Err(e.into()),
            }
        }
    }
}

fn parse_code(code: &str) -> anyhow::Result<OrgCode> {
    OrgCode::parse(code).map_err(|e| anyhow::anyhow!("organization code {code:?}: {e}"))
}

/// The operating-system user, for the audit trail.
pub(crate) fn whoami() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "unknown".into())
}
