//! `qyzmet admin …`: workstation users from the command line — the first administrator
//! included (issue 4) — and their administration (issue 16, B.6): block, unblock, unlock,
//! reset a password, change the role or the profile, through the same use cases as the
//! administrator's pages, audited as `cli:<operating-system user>`. A password is read from
//! standard input, never from arguments (they show in process lists and shell histories).

use crate::DbArgs;
use clap::Subcommand;
use qyzmet_domain::ids::OrgCode;
use qyzmet_server::app::accounts::users::{self, ProfileRequest, RoleRequest, UserStatus};
use qyzmet_server::app::accounts::{self, AccountError};
use qyzmet_server::app::{AppError, Caller};
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
    /// List workstation users, tab-separated: id, username, role, organization, status
    /// (active, blocked, locked), last sign-in, full name, position (never passwords).
    Users {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Block a user: no sign-in, and their open sessions end at once.
    Block {
        #[arg(long)]
        username: String,
        /// Why (kept with the block and in the audit).
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Lift a user's block.
    Unblock {
        #[arg(long)]
        username: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Lift the lock after repeated failed sign-ins.
    Unlock {
        #[arg(long)]
        username: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Reset a user's password: the user must change it at the next sign-in, and their open
    /// sessions end. Without --password-stdin a temporary password is generated and printed
    /// once.
    ResetPassword {
        #[arg(long)]
        username: String,
        /// Read the new password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Change a user's role and organization (operators and supervisors need --org).
    SetRole {
        #[arg(long)]
        username: String,
        /// administrator, analyst, operator or supervisor.
        #[arg(long)]
        role: String,
        #[arg(long)]
        org: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Set a user's full name and position (an option not given keeps its value; an empty
    /// one clears it).
    SetProfile {
        #[arg(long)]
        username: String,
        #[arg(long)]
        full_name: Option<String>,
        #[arg(long)]
        position: Option<String>,
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
            let now = jiff::Timestamp::now();
            for r in store.user_records().await? {
                let status = UserStatus::of(&r, now);
                let u = r.user;
                let or_dash = |s: String| if s.is_empty() { "-".into() } else { s };
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    u.id,
                    u.username,
                    u.role,
                    or_dash(u.organization.map(|o| o.to_string()).unwrap_or_default()),
                    status.as_str(),
                    r.last_sign_in_at
                        .map(|t| t.to_string())
                        .unwrap_or_else(|| "-".into()),
                    or_dash(u.full_name),
                    or_dash(u.position),
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        AdminCommand::Block {
            username,
            reason,
            db,
        } => administer(db, &username, Action::Block(reason)).await,
        AdminCommand::Unblock { username, db } => administer(db, &username, Action::Unblock).await,
        AdminCommand::Unlock { username, db } => administer(db, &username, Action::Unlock).await,
        AdminCommand::ResetPassword {
            username,
            password_stdin,
            db,
        } => administer(db, &username, Action::ResetPassword { password_stdin }).await,
        AdminCommand::SetRole {
            username,
            role,
            org,
            db,
        } => administer(db, &username, Action::SetRole { role, org }).await,
        AdminCommand::SetProfile {
            username,
            full_name,
            position,
            db,
        } => {
            administer(
                db,
                &username,
                Action::SetProfile {
                    full_name,
                    position,
                },
            )
            .await
        }
    }
}

/// What `administer` does to a user.
enum Action {
    Block(String),
    Unblock,
    Unlock,
    ResetPassword {
        password_stdin: bool,
    },
    SetRole {
        role: String,
        org: Option<String>,
    },
    SetProfile {
        full_name: Option<String>,
        position: Option<String>,
    },
}

/// The administration of one user, named by username, as the machine's operator.
async fn administer(db: DbArgs, username: &str, action: Action) -> anyhow::Result<ExitCode> {
    let caller = Caller::console(&crate::org_cmd::whoami());
    let now = jiff::Timestamp::now();
    let store = qyzmet_server::open_store(&db.config()?).await?;
    let id = match users::user_id(&store, &caller, username).await {
        Ok(id) => id,
        Err(e) => return crate::refused(&e),
    };
    let done: Result<users::UserView, AppError> = match action {
        Action::Block(reason) => users::block(&store, &caller, id, &reason, now).await,
        Action::Unblock => users::unblock(&store, &caller, id, now).await,
        Action::Unlock => users::unlock(&store, &caller, id, now).await,
        Action::ResetPassword { password_stdin } => {
            let typed = if password_stdin {
                let mut line = String::new();
                std::io::stdin().lock().read_line(&mut line)?;
                Some(line.trim_end_matches(['\n', '\r']).to_string())
            } else {
                None
            };
            match users::reset_password(&store, &caller, id, typed.as_deref(), now).await {
                Ok(reset) => {
                    if let Some(p) = reset.generated {
                        // Shown this once; only its hash is stored.
                        println!("temporary password: {p}");
                    }
                    Ok(reset.user)
                }
                Err(e) => Err(e),
            }
        }
        Action::SetRole { role, org } => {
            let req = RoleRequest {
                role,
                organization: org.unwrap_or_default(),
            };
            users::change_role(&store, &caller, id, &req, now).await
        }
        Action::SetProfile {
            full_name,
            position,
        } => match users::find_user(&store, &caller, id, now).await {
            Ok(current) => {
                let req = ProfileRequest {
                    full_name: full_name.unwrap_or(current.record.user.full_name),
                    position: position.unwrap_or(current.record.user.position),
                };
                users::update_profile(&store, &caller, id, &req, now).await
            }
            Err(e) => Err(e),
        },
    };
    match done {
        Ok(view) => {
            let u = &view.record.user;
            println!(
                "{}\t{}\t{}\t{}\t{}{}",
                u.id,
                u.username,
                u.role,
                u.organization
                    .as_ref()
                    .map(|o| o.to_string())
                    .unwrap_or_else(|| "-".into()),
                view.status.as_str(),
                if u.must_change_password {
                    "\tmust change password"
                } else {
                    ""
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => crate::refused(&e),
    }
}
