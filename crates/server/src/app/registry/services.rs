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
use qyzmet_store::{Channel, LocalizedName, NewService, Service, TermVariant};
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

/// Adds a service with its first version of terms, for the API and the workstation alike;
/// audited.
pub async fn add_service(
    state: &AppState,
    caller: &Caller,
    req: &NewServiceRequest,
) -> Result<Service, AppError> {
    caller.require_admin()?;
    if req.channels.is_empty() {
        return Err(AppError::invalid("channels", "empty"));
    }
    let mut chans: Vec<Channel> = Vec::new();
    for (i, c) in req.channels.iter().enumerate() {
        let ch: Channel = v::one_of(&format!("channels[{i}]"), c, &channels())?;
        if !chans.contains(&ch) {
            chans.push(ch);
        }
    }
    let new = NewService {
        code: v::service_code("code", &req.code)?,
        organization: v::org_code("organization", &req.organization)?,
        name: req.name.validate("name")?,
        acceptance_day_counted: req.acceptance_day_counted,
        channels: chans,
        depends_on: req
            .depends_on
            .iter()
            .enumerate()
            .map(|(i, d)| v::text(&format!("depends_on[{i}]"), d, 64))
            .collect::<Result<_, _>>()?,
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
        terms_summary(&svc),
    )
    .await;
    Ok(svc)
}

/// The variants as the audit log keeps them: `standard=15 calendar_days, …`.
fn terms_summary(s: &Service) -> String {
    s.terms
        .iter()
        .map(|t| format!("{}={} {}", t.variant, t.term.amount, t.term.unit.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeTermsRequest {
    #[schema(min_items = 1)]
    pub terms: Vec<TermView>,
}

/// Replaces a service's terms with a new version, for the API and the workstation alike;
/// audited.
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
    let svc = state.store.change_service_terms(&code, &terms, at).await?;
    crate::app::audit_change(
        state,
        caller,
        at,
        "service.terms",
        format!("service:{}", svc.code),
        format!("version {}: {}", svc.terms_version, terms_summary(&svc)),
    )
    .await;
    Ok(svc)
}

/// A page of the registry's services, in id order (anyone with a token reads the registry).
pub async fn list(state: &AppState, page: PageRequest) -> Result<Page<Service>, AppError> {
    let svcs = state
        .store
        .services(None, page.after, page.limit + 1)
        .await?;
    Ok(Page::of(svcs, page.limit, |s| s.id))
}
