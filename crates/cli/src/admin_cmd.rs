//! `qyzmet admin …`: workstation users from the command line — the first administrator
//! included (issue 4). The password is read from standard input, never from arguments (they
//! show in process lists and shell histories).

use crate::DbArgs;
use clap::Subcommand;
use qyzmet_domain::ids::OrgCode;
use qyzmet_server::app::accounts::{self, AccountError};
use qyzmet_store::UserRole;
use std::io::BufRead;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Create a workstation user; the password is read from standard input.
    CreateUser {
        #[arg(long)]
        username: String,
        /// administrator, analyst, operator or supervisor.
        #[arg(long)]
        role: String,
        /// The organization of an operator or supervisor.
        #[arg(long)]
        org: Option<String>,
        /// Read the password from the first line of standard input (required).
        #[arg(long, required = true)]
        password_stdin: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List workstation users: id, username, role, organization (never passwords).
    Users {
        #[command(flatten)]
        db: DbArgs,
    },
}

pub async fn run(command: AdminCommand) -> anyhow::Result<ExitCode> {
    match command {
        AdminCommand::CreateUser {
            username,
            role,
            org,
            password_stdin: _,
            db,
        } => {
            let role: UserRole = role.trim().parse().map_err(|_| {
                anyhow::anyhow!(
                    "role must be administrator, analyst, operator or supervisor, not {role:?}"
                )
            })?;
            let org = org
                .as_deref()
                .map(|c| {
                    OrgCode::parse(c).map_err(|e| anyhow::anyhow!("organization code {c:?}: {e}"))
                })
                .transpose()?;
            let mut password = String::new();
            std::io::stdin().lock().read_line(&mut password)?;
            let password = password.trim_end_matches(['\n', '\r']);
            let store = qyzmet_server::open_store(&db.config()?).await?;
            let actor = format!(
                "cli:{}",
                std::env::var("USER").unwrap_or_else(|_| "unknown".into())
            );
            match accounts::create_user(
                &store,
                &username,
                role,
                org,
                password,
                &actor,
                jiff::Timestamp::now(),
            )
            .await
            {
                Ok(user) => {
                    println!(
                        "created user {} ({}) as {}",
                        user.id, user.username, user.role
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(AccountError::Store(qyzmet_store::StoreError::Conflict { .. })) => {
                    eprintln!("username {username:?} is taken");
                    Ok(ExitCode::from(1))
                }
                Err(e) => {
                    eprintln!("{e}");
                    Ok(ExitCode::from(2))
                }
            }
        }
        AdminCommand::Users { db } => {
            let store = qyzmet_server::open_store(&db.config()?).await?;
            for u in store.users().await? {
                println!(
                    "{}\t{}\t{}\t{}",
                    u.id,
                    u.username,
                    u.role,
                    u.organization
                        .map(|o| o.to_string())
                        .unwrap_or_else(|| "-".into())
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
