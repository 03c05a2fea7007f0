//! Services of the registry: adding one with its term variants and channels, a new version
//! of its terms, listing them.

//! `/api/v1/organizations`, `/api/v1/services`, `/api/v1/information-systems`: the registry.
//! Anyone with a token reads it; only administrators change it.

use super::organizations::Names;
use crate::app::now;
use crate::app::paging::{Page, PageRequest};
use crate::app::validate as v;
use crate::app::AppError;
use crate::app::Caller;
use crate::state::AppState;
use qyzmet_store::{
    Channel, LocalizedName, NewService, Service, ServiceEdit, TermVariant, TermsChange,
    TermsVersion,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
fn channels() -> Vec<&'static str> {
    Channel::ALL.iter().map(|k| k.as_str()).collect()
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TermView {
    /// Variant code, e.g. "standard", "archive_request"; unique within the service.
    #[schema(pattern = "^[a-z0-9_]{1,64}$")]
    pub variant: String,
    /// At most a year in the unit: 366 days, 8,760 hours, 525,600 minutes.
    #[schema(minimum = 1, maximum = 525600)]
    pub amount: i64,
    #[schema(schema_with = crate::app::schema::unit)]
    pub unit: String,
    /// What the variant is, in each language ("Standard term", «Стандартный срок»); shown to
    /// people instead of the code. Optional: a new version of the terms that leaves it out
    /// keeps the name the variant of the same code had.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Names>,
}

/// A new service.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewServiceRequest {
    #[schema(schema_with = crate::app::schema::code)]
    pub code: String,
    /// Code of the responsible organization (it must exist).
    #[schema(schema_with = crate::app::schema::code)]
    pub organization: String,
    pub name: Names,
    /// Term variants; the first is the default.
    #[schema(min_items = 1)]
    pub terms: Vec<TermView>,
    /// The service standard counts the acceptance day (rule 4).
    #[serde(default)]
    pub acceptance_day_counted: bool,
    /// The channels it is offered through.
    #[schema(schema_with = crate::app::schema::channels)]
    pub channels: Vec<String>,
    /// Codes of the information systems the service depends on (they must be registered).
    #[serde(default)]
    pub depends_on: Vec<String>,
}

pub fn validate_terms(field: &str, terms: &[TermView]) -> Result<Vec<TermVariant>, AppError> {
    if terms.is_empty() {
        return Err(AppError::invalid(field, "empty"));
    }
    let mut out: Vec<TermVariant> = Vec::with_capacity(terms.len());
    for (i, t) in terms.iter().enumerate() {
        let f = format!("{field}[{i}]");
        let variant = t.variant.trim();
        if variant.is_empty()
            || variant.len() > 64
            || !variant
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(AppError::invalid(format!("{f}.variant"), "variant_invalid"));
        }
        if out.iter().any(|o| o.variant == variant) {
            return Err(AppError::invalid(format!("{f}.variant"), "duplicate"));
        }
        out.push(TermVariant {
            variant: variant.to_string(),
            term: v::term(&f, t.amount, &t.unit)?,
            name: match &t.name {
                Some(n) => n.validate(&format!("{f}.name"))?,
                None => LocalizedName::default(),
            },
        });
    }
    Ok(out)
}

/// The channels a service is offered through: at least one, each known, repeats dropped.
pub(crate) fn validate_channels(given: &[String]) -> Result<Vec<Channel>, AppError> {
    if given.is_empty() {
        return Err(AppError::invalid("channels", "empty"));
    }
    let mut chans: Vec<Channel> = Vec::new();
    for (i, c) in given.iter().enumerate() {
        let ch: Channel = v::one_of(&format!("channels[{i}]"), c, &channels())?;
        if !chans.contains(&ch) {
            chans.push(ch);
        }
    }
    Ok(chans)
}

/// Codes of information systems (whether they are registered, the store checks).
pub(crate) fn validate_systems(given: &[String]) -> Result<Vec<String>, AppError> {
    given
        .iter()
        .enumerate()
        .map(|(i, d)| v::text(&format!("depends_on[{i}]"), d, 64))
        .collect()
}

/// Adds a service with its first version of terms, for the API and the workstation alike;
/// audited.
pub async fn add_service(
    state: &AppState,
    caller: &Caller,
    req: &NewServiceRequest,
) -> Result<Service, AppError> {
    caller.require_admin()?;
    let new = NewService {
        code: v::service_code("code", &req.code)?,
        organization: v::org_code("organization", &req.organization)?,
        name: req.name.validate("name")?,
        acceptance_day_counted: req.acceptance_day_counted,
        channels: validate_channels(&req.channels)?,
        depends_on: validate_systems(&req.depends_on)?,
        terms: validate_terms("terms", &req.terms)?,
    };
    let at = now();
    let svc = state.store.create_service(&new, at).await?;
    crate::app::audit_change(
        state,
        caller,
        at,
        "service.create",
        format!("service:{}", svc.code),
        terms_summary(&svc.terms),
    )
    .await;
    Ok(svc)
}

/// The variants as the audit log keeps them: `standard=15 calendar_days, …`.
fn terms_summary(terms: &[TermVariant]) -> String {
    terms
        .iter()
        .map(|t| format!("{}={} {}", t.variant, t.term.amount, t.term.unit.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeTermsRequest {
    #[schema(min_items = 1)]
    pub terms: Vec<TermView>,
    /// The day (Asia/Almaty) from which new registrations use these terms: today (the
    /// default) or later, and not before the latest version's. Applications registered before
    /// keep the version they were registered under.
    #[serde(default)]
    #[schema(schema_with = crate::app::schema::opt_date)]
    pub effective_from: Option<String>,
    /// The legal act that changed the terms (its name, number and date), up to 1,000
    /// characters; required.
    #[schema(schema_with = crate::app::schema::line_1000)]
    pub legal_basis: String,
}

/// Adds a new version of a service's terms, in force for registrations from its effective
/// date, for the API and the workstation alike (administrators); audited with its legal
/// basis.
pub async fn change_service_terms(
    state: &AppState,
    caller: &Caller,
    code: &str,
    req: &ChangeTermsRequest,
) -> Result<Service, AppError> {
    caller.require_admin()?;
    let code =
        v::service_code("code", code).map_err(|_| AppError::not_found("service_not_found"))?;
    let terms = validate_terms("terms", &req.terms)?;
    let at = now();
    let today = qyzmet_domain::zone::local_date(at);
    let effective_from = match req.effective_from.as_deref() {
        None => today,
        Some(d) => v::date("effective_from", d)?,
    };
    if effective_from < today {
        return Err(AppError::invalid("effective_from", "effective_from_past").arg("today", today));
    }
    let change = TermsChange {
        terms,
        effective_from,
        legal_basis: v::text("legal_basis", &req.legal_basis, 1000)?,
    };
    let svc = state
        .store
        .change_service_terms(&code, &change, &caller.actor(), at)
        .await?;
    crate::app::audit_change(
        state,
        caller,
        at,
        "service.terms",
        format!("service:{}", svc.code),
        format!(
            "version from {effective_from} ({}): {}",
            change.legal_basis,
            terms_summary(&change.terms)
        ),
    )
    .await;
    Ok(svc)
}

/// An edit of a service (`PATCH`): a field left out keeps its value. Its code is not
/// editable; its terms change by a new version (`PUT …/terms`).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditServiceRequest {
    /// The revision the edit was made from (as last read); an edit made from an older one is
    /// refused with 409 `stale_revision` instead of overwriting the newer edit.
    #[schema(minimum = 1)]
    pub revision: i64,
    #[serde(default)]
    pub name: Option<Names>,
    /// Code of the responsible organization. It changes only while no application of the
    /// service is registered (409 `service_has_applications`): registered applications'
    /// places of acceptance and execution lie in the provider's sub-tree.
    #[serde(default)]
    #[schema(schema_with = crate::app::schema::opt_code)]
    pub organization: Option<String>,
    /// The channels it is offered through (at least one); applications already filed through
    /// a channel removed keep it.
    #[serde(default)]
    #[schema(schema_with = crate::app::schema::opt_channels)]
    pub channels: Option<Vec<String>>,
    /// Codes of the information systems the service depends on (they must be registered).
    #[serde(default)]
    pub depends_on: Option<Vec<String>>,
}

/// Edits a service's names, provider, channels and systems, for the API and the workstation
/// alike (administrators). Atomic and audited with the values before and after (by the store,
/// in the edit's transaction); refused when made from an older revision.
pub async fn edit_service(
    state: &AppState,
    caller: &Caller,
    code: &str,
    req: &EditServiceRequest,
) -> Result<Service, AppError> {
    caller.require_admin()?;
    let current = show(state, code).await?;
    let code = current.code.clone();
    let edit = ServiceEdit {
        name: match &req.name {
            Some(n) => n.validate("name")?,
            None => current.name,
        },
        organization: match req.organization.as_deref() {
            Some(o) => v::org_code("organization", o)?,
            None => current.organization_code,
        },
        channels: match &req.channels {
            Some(c) => validate_channels(c)?,
            None => current.channels,
        },
        depends_on: match &req.depends_on {
            Some(d) => validate_systems(d)?,
            None => current.depends_on,
        },
    };
    state
        .store
        .update_service(&code, req.revision, &edit, &caller.actor(), now())
        .await?;
    show(state, code.as_ref()).await
}

/// One service with the terms in force today (anyone who reads the registry).
pub async fn show(state: &AppState, code: &str) -> Result<Service, AppError> {
    let code =
        v::service_code("code", code).map_err(|_| AppError::not_found("service_not_found"))?;
    state
        .store
        .service(&code)
        .await?
        .ok_or_else(|| AppError::not_found("service_not_found"))
}

/// Every version of a service's terms, the latest first (anyone who reads the registry).
pub async fn terms_history(state: &AppState, code: &str) -> Result<Vec<TermsVersion>, AppError> {
    let code =
        v::service_code("code", code).map_err(|_| AppError::not_found("service_not_found"))?;
    state
        .store
        .terms_history(&code)
        .await?
        .ok_or_else(|| AppError::not_found("service_not_found"))
}

/// Whether the service's provider is fixed (an application of it is registered).
pub async fn provider_fixed(state: &AppState, service: &Service) -> Result<bool, AppError> {
    Ok(state.store.service_has_applications(&service.code).await?)
}

/// The services whose code or name in any language contains `query`, ignoring case, in id
/// order; every one for an empty query.
pub async fn search(state: &AppState, query: &str) -> Result<Vec<Service>, AppError> {
    let needle = query.trim().to_lowercase();
    let mut out = Vec::new();
    let mut page = PageRequest {
        after: 0,
        limit: 500,
    };
    loop {
        let svcs = state.store.services(None, page.after, page.limit).await?;
        let full = svcs.len() as i64 == page.limit;
        let Some(last) = svcs.last() else { break };
        page.after = last.id;
        out.extend(svcs.into_iter().filter(|s| {
            needle.is_empty()
                || [s.code.as_ref(), &s.name.kk, &s.name.ru, &s.name.en]
                    .iter()
                    .any(|t| t.to_lowercase().contains(&needle))
        }));
        if !full {
            break;
        }
    }
    Ok(out)
}

/// A page of the registry's services, in id order (anyone with a token reads the registry).
pub async fn list(state: &AppState, page: PageRequest) -> Result<Page<Service>, AppError> {
    let svcs = state
        .store
        .services(None, page.after, page.limit + 1)
        .await?;
    Ok(Page::of(svcs, page.limit, |s| s.id))
}
