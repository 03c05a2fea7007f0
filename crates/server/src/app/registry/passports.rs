//! Service passports (issue 17; 003 §1–26): reading the version in force or any published
//! one, writing a draft, publishing it, discarding it. Anyone with a token reads published
//! versions; only administrators see and write drafts.
//!
//! A draft may be incomplete but never invalid: every text it holds passes the text rule,
//! its codes are unique, the organizations it names exist. Publication asks for completeness
//! (every field the model standard requires, in Kazakh and Russian): until then the draft's
//! view lists what is missing ([`problems`]), and a publication refused names the first.

use crate::app::validate as v;
use crate::app::{now, AppError, Caller};
use crate::i18n::Lang;
use crate::state::AppState;
use jiff::civil::Date;
use qyzmet_domain::ids::{OrgCode, ServiceCode};
use qyzmet_domain::passport::{Passport, Problem, Strictness};
use qyzmet_store::{PassportVersion, PassportWhich, Publication};
use serde::Deserialize;
use utoipa::ToSchema;

/// Which version a reader asks for: `None` for the one in force today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    InForce,
    Version(i64),
    Draft,
}

impl Which {
    /// `?version=`: a number, `draft`, or nothing for the one in force today.
    pub fn parse(field: &str, s: Option<&str>) -> Result<Which, AppError> {
        match s.map(str::trim) {
            None | Some("") => Ok(Which::InForce),
            Some("draft") => Ok(Which::Draft),
            Some(n) => n
                .parse::<i64>()
                .ok()
                .filter(|n| *n >= 1)
                .map(Which::Version)
                .ok_or_else(|| AppError::invalid(field, "passport_version_invalid")),
        }
    }
}

fn code_of(code: &str) -> Result<ServiceCode, AppError> {
    v::service_code("code", code).map_err(|_| AppError::not_found("service_not_found"))
}

/// A version of a service's passport: the one in force today, a published one by number, or
/// (administrators) the draft.
pub async fn show(
    state: &AppState,
    caller: Option<&Caller>,
    code: &str,
    which: Which,
) -> Result<PassportVersion, AppError> {
    let code = code_of(code)?;
    let which = match which {
        Which::InForce => PassportWhich::InForce(qyzmet_domain::zone::local_date(now())),
        Which::Version(n) => PassportWhich::Published(n),
        Which::Draft => {
            caller
                .ok_or_else(|| AppError::not_found("passport_not_found"))?
                .require_admin()?;
            PassportWhich::Draft
        }
    };
    state
        .store
        .passport(&code, which)
        .await?
        .ok_or_else(|| AppError::not_found("passport_not_found"))
}

/// Every version of a service's passport, the newest first; the draft only for
/// administrators.
pub async fn versions(
    state: &AppState,
    caller: &Caller,
    code: &str,
) -> Result<Vec<PassportVersion>, AppError> {
    let code = code_of(code)?;
    let admin = caller.require_admin().is_ok();
    Ok(state
        .store
        .passport_versions(&code)
        .await?
        .into_iter()
        .filter(|p| admin || p.state == qyzmet_store::PassportState::Published)
        .collect())
}

/// The problems of `passport` at `strictness`, as refusals: the field's path under
/// `passport` (as a request names it) and the reason's code.
pub fn problems(passport: &Passport, strictness: Strictness) -> Vec<AppError> {
    passport
        .check(strictness)
        .into_iter()
        .map(|Problem { field, reason }| {
            let err = AppError::invalid(format!("passport.{field}"), reason.code());
            match reason {
                qyzmet_domain::passport::Reason::Text(e) => match e.offending() {
                    Some((position, c)) => err
                        .arg("position", position)
                        .arg("character", qyzmet_domain::text::code_point(c)),
                    None => err,
                },
                qyzmet_domain::passport::Reason::BadPlaceholder => err.arg(
                    "allowed",
                    qyzmet_domain::passport::PLACEHOLDERS
                        .iter()
                        .map(|p| format!("{{{p}}}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                _ => err,
            }
        })
        .collect()
}

/// The organizations a passport names (its providers, the higher instance), by field; blank
/// ones left out.
pub fn named_organizations(p: &Passport) -> Vec<(String, String)> {
    p.providers
        .iter()
        .enumerate()
        .map(|(i, x)| {
            (
                format!("providers[{i}].organization"),
                x.organization.clone(),
            )
        })
        .chain(
            p.complaints
                .appeal_organization
                .iter()
                .map(|o| ("complaints.appeal_organization".to_string(), o.clone())),
        )
        .filter(|(_, c)| !c.trim().is_empty())
        .collect()
}

/// The organizations a passport names (its providers and the higher instance) must be in the
/// registry.
async fn check_organizations(state: &AppState, passport: &Passport) -> Result<(), AppError> {
    for (field, code) in named_organizations(passport) {
        let org: OrgCode = v::org_code(&field, &code)?;
        if state.store.organization(&org).await?.is_none() {
            return Err(AppError::invalid(field, "unknown_organization"));
        }
    }
    Ok(())
}

/// A draft to write.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftRequest {
    /// The draft's revision it was edited from (as last read); left out to start a new
    /// draft, which is refused (409 `stale_revision`) when one exists.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub revision: Option<i64>,
    pub passport: Passport,
}

/// Writes the service's draft (administrators): valid, possibly incomplete. Atomic and
/// audited with the fields that changed.
pub async fn save_draft(
    state: &AppState,
    caller: &Caller,
    code: &str,
    req: &DraftRequest,
) -> Result<PassportVersion, AppError> {
    caller.require_admin()?;
    let code = code_of(code)?;
    if let Some(first) = problems(&req.passport, Strictness::Draft)
        .into_iter()
        .next()
    {
        return Err(first);
    }
    check_organizations(state, &req.passport)
        .await
        .map_err(|e| e.within("passport"))?;
    Ok(state
        .store
        .save_passport_draft(&code, req.revision, &req.passport, &caller.actor(), now())
        .await?)
}

/// A publication of the draft.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    /// The draft's revision (as last read).
    #[schema(minimum = 1)]
    pub revision: i64,
    /// The first day (Asia/Almaty) it is in force: today (the default) or later, after the
    /// previous version's. Applications registered before keep their version.
    #[serde(default)]
    #[schema(schema_with = crate::app::schema::opt_date)]
    pub valid_from: Option<String>,
    /// The act that approved the standard (its name, number and date), up to 1,000
    /// characters; required.
    #[schema(schema_with = crate::app::schema::line_1000)]
    pub approving_act: String,
}

/// Publishes the service's draft (administrators) when it is complete: every field the model
/// standard requires, in Kazakh and Russian; else `passport_incomplete`, naming the first
/// missing field and how many there are. Audited.
pub async fn publish(
    state: &AppState,
    caller: &Caller,
    code: &str,
    req: &PublishRequest,
) -> Result<PassportVersion, AppError> {
    caller.require_admin()?;
    let service = code_of(code)?;
    let today = qyzmet_domain::zone::local_date(now());
    let valid_from: Date = match req.valid_from.as_deref() {
        None => today,
        Some(d) => v::date("valid_from", d)?,
    };
    if valid_from < today {
        return Err(AppError::invalid("valid_from", "effective_from_past").arg("today", today));
    }
    let approving_act = v::text("approving_act", &req.approving_act, 1000)?;
    let draft = show(state, Some(caller), code, Which::Draft)
        .await
        .map_err(|e| match e.kind {
            crate::app::ErrorKind::NotFound => AppError::not_found("passport_draft_not_found"),
            _ => e,
        })?;
    let missing = problems(&draft.passport, Strictness::Publish);
    if let Some(first) = missing.first() {
        let mut err = AppError::invalid(
            first.field.clone().unwrap_or_default(),
            "passport_incomplete",
        )
        .arg("n", missing.len());
        err.args.push(("reason", first.code.clone()));
        return Err(err);
    }
    check_organizations(state, &draft.passport)
        .await
        .map_err(|e| e.within("passport"))?;
    Ok(state
        .store
        .publish_passport(
            &service,
            req.revision,
            &Publication {
                valid_from,
                approving_act,
            },
            &caller.actor(),
            now(),
        )
        .await?)
}

/// Discards the service's draft at `revision` (administrators). Audited.
pub async fn discard(
    state: &AppState,
    caller: &Caller,
    code: &str,
    revision: i64,
) -> Result<(), AppError> {
    caller.require_admin()?;
    let code = code_of(code)?;
    Ok(state
        .store
        .discard_passport_draft(&code, revision, &caller.actor(), now())
        .await?)
}

/// Each problem's message in `lang` (the draft's view; the workstation's editor).
pub fn problem_messages(lang: Lang, problems: &[AppError]) -> Vec<(String, String, String)> {
    problems
        .iter()
        .map(|p| {
            (
                p.field.clone().unwrap_or_default(),
                p.code.clone(),
                p.message(lang),
            )
        })
        .collect()
}
