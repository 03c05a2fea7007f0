//! `/api/v1/organizations`, `/api/v1/services`, `/api/v1/information-systems`: the registry.
//! Anyone with a token reads it; only administrators change it.

use super::validate as v;
use super::{now, PageQuery, PageView};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::openapi::{BodyErrors, ParamErrors, TokenErrors};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use qyzmet_store::{
    AuditEntry, Channel, LocalizedName, NewOrganization, NewService, OrgKind, Organization,
    Service, SignaturePolicy, TermVariant,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Names {
    #[schema(schema_with = crate::openapi::line_500)]
    pub kk: String,
    #[schema(schema_with = crate::openapi::line_500)]
    pub ru: String,
    #[schema(schema_with = crate::openapi::line_500)]
    pub en: String,
}

impl Names {
    fn validate(&self, field: &str) -> Result<LocalizedName, ApiError> {
        Ok(LocalizedName {
            kk: v::text(&format!("{field}.kk"), &self.kk, 500)?,
            ru: v::text(&format!("{field}.ru"), &self.ru, 500)?,
            en: v::text(&format!("{field}.en"), &self.en, 500)?,
        })
    }
}

impl From<&LocalizedName> for Names {
    fn from(n: &LocalizedName) -> Self {
        Names {
            kk: n.kk.clone(),
            ru: n.ru.clone(),
            en: n.en.clone(),
        }
    }
}

/// A new organization.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrganizationRequest {
    /// Unique code: 1–64 of A–Z a–z 0–9 . _ -
    #[schema(schema_with = crate::openapi::code)]
    pub code: String,
    /// Code of the parent organization (it must exist).
    #[schema(schema_with = crate::openapi::opt_code)]
    pub parent: Option<String>,
    #[schema(schema_with = crate::openapi::org_kind)]
    pub kind: String,
    /// 12 digits with a valid check digit, unique in the registry.
    #[schema(pattern = "^[0-9]{12}$")]
    pub bin: String,
    pub name: Names,
    /// Half-open working hours, e.g. "09:00-18:30" (default 09:00-18:00), the start before the end.
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub working_hours: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationView {
    pub code: String,
    pub parent: Option<String>,
    #[schema(schema_with = crate::openapi::org_kind)]
    pub kind: String,
    pub bin: String,
    pub name: Names,
    pub working_hours: String,
    /// Whether its events must, may or need not be signed.
    #[schema(schema_with = crate::openapi::signature_policy)]
    pub signature_policy: String,
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl From<&Organization> for OrganizationView {
    fn from(o: &Organization) -> Self {
        OrganizationView {
            code: o.code.to_string(),
            parent: o.parent_code.as_ref().map(|c| c.to_string()),
            kind: o.kind.as_str().into(),
            bin: o.bin.to_string(),
            name: (&o.name).into(),
            working_hours: o.working_hours.to_string(),
            signature_policy: o.signature_policy.as_str().into(),
            created_at: v::local(o.created_at),
        }
    }
}

fn kinds() -> Vec<&'static str> {
    OrgKind::ALL.iter().map(|k| k.as_str()).collect()
}

fn channels() -> Vec<&'static str> {
    Channel::ALL.iter().map(|k| k.as_str()).collect()
}

/// Creates an organization (administrators).
#[utoipa::path(post, path = "/api/v1/organizations", request_body = NewOrganizationRequest,
    responses((status = 201, description = "Created", body = OrganizationView),
        (status = 403, description = "Not an administrator's token", body = ErrorBody),
        (status = 409, description = "The code or the BIN is taken", body = ErrorBody),
        BodyErrors, TokenErrors),
    security(("bearer" = [])), tag = "registry")]
pub async fn create_organization(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<NewOrganizationRequest>,
) -> Result<(StatusCode, Json<OrganizationView>), ApiError> {
    let org = add_organization(&state, &caller, &req).await?;
    Ok((StatusCode::CREATED, Json((&org).into())))
}

/// Adds an organization under its parent, for the API and the workstation alike; audited.
pub async fn add_organization(
    state: &AppState,
    caller: &Caller,
    req: &NewOrganizationRequest,
) -> Result<Organization, ApiError> {
    caller.require_admin()?;
    let new = NewOrganization {
        code: v::org_code("code", &req.code)?,
        parent: req
            .parent
            .as_deref()
            .map(|p| v::org_code("parent", p))
            .transpose()?,
        kind: v::one_of("kind", &req.kind, &kinds())?,
        bin: v::bin("bin", &req.bin)?,
        name: req.name.validate("name")?,
        working_hours: match &req.working_hours {
            Some(w) => v::working_hours("working_hours", w)?,
            None => Default::default(),
        },
    };
    let at = now();
    let org = state.store.create_organization(&new, at).await?;
    audit(
        state,
        caller,
        at,
        "organization.create",
        format!("organization:{}", org.code),
        format!(
            "{} under {}",
            org.kind.as_str(),
            org.parent_code.as_ref().map(|c| c.as_ref()).unwrap_or("-")
        ),
    )
    .await;
    Ok(org)
}

/// An administrator's change of the registry in the audit log (the store audits the
/// signature policy itself, in its transaction).
async fn audit(
    state: &AppState,
    caller: &Caller,
    at: jiff::Timestamp,
    action: &str,
    subject: String,
    detail: String,
) {
    state
        .audit
        .record_action(AuditEntry {
            at,
            actor: caller.actor(),
            action: action.into(),
            subject,
            detail,
        })
        .await;
}

/// What an administrator may change of an organization.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOrganizationRequest {
    /// Under required an unsigned or failing event is refused; under optional a signature is
    /// verified when present; under off signed forms are refused (issue 3).
    #[schema(schema_with = crate::openapi::signature_policy)]
    pub signature_policy: String,
}

/// Changes an organization's signature policy (administrators). Takes effect at once on
/// this node and within 30 s on the others (their token caches).
#[utoipa::path(put, path = "/api/v1/organizations/{code}", request_body = UpdateOrganizationRequest,
    params(("code" = String, Path, description = "Organization code", pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")),
    responses((status = 200, description = "Changed", body = OrganizationView),
        (status = 403, description = "Not an administrator's token", body = ErrorBody),
        (status = 404, description = "No such organization", body = ErrorBody),
        BodyErrors, ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "registry")]
pub async fn update_organization(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiJson(req): ApiJson<UpdateOrganizationRequest>,
) -> Result<Json<OrganizationView>, ApiError> {
    let org = set_signature_policy(&state, &caller, &code, &req).await?;
    Ok(Json((&org).into()))
}

/// Sets an organization's signature policy, for the API and the workstation alike (audited
/// by the store); the token caches of this node are cleared so that it applies at once.
pub async fn set_signature_policy(
    state: &AppState,
    caller: &Caller,
    code: &str,
    req: &UpdateOrganizationRequest,
) -> Result<Organization, ApiError> {
    caller.require_admin()?;
    let code =
        v::org_code("code", code).map_err(|_| ApiError::not_found("organization_not_found"))?;
    let policies: Vec<&str> = SignaturePolicy::ALL.iter().map(|p| p.as_str()).collect();
    let policy: SignaturePolicy = v::one_of("signature_policy", &req.signature_policy, &policies)?;
    let org = state
        .store
        .set_signature_policy(&code, policy, &caller.actor(), now())
        .await?;
    state.tokens.clear();
    Ok(org)
}

/// One organization (in the caller's sub-tree; any for administrators).
#[utoipa::path(get, path = "/api/v1/organizations/{code}",
    params(("code" = String, Path, description = "Organization code", pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")),
    responses((status = 200, description = "The organization", body = OrganizationView),
        (status = 404, description = "No such organization in the token's sub-tree", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "registry")]
pub async fn show_organization(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<OrganizationView>, ApiError> {
    let code =
        v::org_code("code", &code).map_err(|_| ApiError::not_found("organization_not_found"))?;
    let org = state
        .store
        .organization(&code)
        .await?
        .filter(|o| match caller.scope() {
            qyzmet_store::Scope::Admin => true,
            qyzmet_store::Scope::Organization { path, .. } => o.path.starts_with(path.as_str()),
        })
        .ok_or_else(|| ApiError::not_found("organization_not_found"))?;
    Ok(Json((&org).into()))
}

/// Lists organizations (in the caller's sub-tree; everything for administrators).
#[utoipa::path(get, path = "/api/v1/organizations", params(PageQuery),
    responses((status = 200, description = "A page", body = PageView<OrganizationView>), ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "registry")]
pub async fn list_organizations(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<PageView<OrganizationView>>, ApiError> {
    let limit = v::limit("limit", q.limit)?;
    let after = q.after_id()?;
    let within = caller.scope().path();
    let orgs = state.store.organizations(within, after, limit + 1).await?;
    Ok(Json(PageView::of(orgs, limit, |o| o.id, |o| o.into())))
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
    #[schema(schema_with = crate::openapi::unit)]
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
    #[schema(schema_with = crate::openapi::code)]
    pub code: String,
    /// Code of the responsible organization (it must exist).
    #[schema(schema_with = crate::openapi::code)]
    pub organization: String,
    pub name: Names,
    /// Term variants; the first is the default.
    #[schema(min_items = 1)]
    pub terms: Vec<TermView>,
    /// The service standard counts the acceptance day (rule 4).
    #[serde(default)]
    pub acceptance_day_counted: bool,
    /// The channels it is offered through.
    #[schema(schema_with = crate::openapi::channels)]
    pub channels: Vec<String>,
    /// Codes of the information systems the service depends on (they must be registered).
    #[serde(default)]
    pub depends_on: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceView {
    pub code: String,
    pub organization: String,
    pub name: Names,
    pub terms: Vec<TermView>,
    pub terms_version: i64,
    pub acceptance_day_counted: bool,
    #[schema(schema_with = crate::openapi::channel_list)]
    pub channels: Vec<String>,
    pub depends_on: Vec<String>,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

impl From<&Service> for ServiceView {
    fn from(s: &Service) -> Self {
        ServiceView {
            code: s.code.to_string(),
            organization: s.organization_code.to_string(),
            name: (&s.name).into(),
            terms: s
                .terms
                .iter()
                .map(|t| TermView {
                    variant: t.variant.clone(),
                    amount: i64::from(t.term.amount),
                    unit: t.term.unit.as_str().into(),
                    name: (t.name != LocalizedName::default()).then(|| (&t.name).into()),
                })
                .collect(),
            terms_version: s.terms_version,
            acceptance_day_counted: s.acceptance_day_counted,
            channels: s.channels.iter().map(|c| c.as_str().to_string()).collect(),
            depends_on: s.depends_on.clone(),
            updated_at: v::local(s.updated_at),
        }
    }
}

pub fn validate_terms(field: &str, terms: &[TermView]) -> Result<Vec<TermVariant>, ApiError> {
    if terms.is_empty() {
        return Err(ApiError::invalid(field, "empty"));
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
            return Err(ApiError::invalid(format!("{f}.variant"), "variant_invalid"));
        }
        if out.iter().any(|o| o.variant == variant) {
            return Err(ApiError::invalid(format!("{f}.variant"), "duplicate"));
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

/// Creates a service (administrators).
#[utoipa::path(post, path = "/api/v1/services", request_body = NewServiceRequest,
    responses((status = 201, description = "Created", body = ServiceView),
        (status = 403, description = "Not an administrator's token", body = ErrorBody),
        (status = 409, description = "The code is taken", body = ErrorBody),
        BodyErrors, TokenErrors),
    security(("bearer" = [])), tag = "registry")]
pub async fn create_service(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<NewServiceRequest>,
) -> Result<(StatusCode, Json<ServiceView>), ApiError> {
    let svc = add_service(&state, &caller, &req).await?;
    Ok((StatusCode::CREATED, Json((&svc).into())))
}

/// Adds a service with its first version of terms, for the API and the workstation alike;
/// audited.
pub async fn add_service(
    state: &AppState,
    caller: &Caller,
    req: &NewServiceRequest,
) -> Result<Service, ApiError> {
    caller.require_admin()?;
    if req.channels.is_empty() {
        return Err(ApiError::invalid("channels", "empty"));
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
    audit(
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

/// Replaces a service's terms with a new version (administrators). Registered applications
/// keep the version they were registered under.
#[utoipa::path(put, path = "/api/v1/services/{code}/terms", request_body = ChangeTermsRequest,
    params(("code" = String, Path, description = "Service code", pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")),
    responses((status = 200, description = "The service with its new terms", body = ServiceView),
        (status = 403, description = "Not an administrator's token", body = ErrorBody),
        (status = 404, description = "No such service", body = ErrorBody),
        BodyErrors, ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "registry")]
pub async fn change_terms(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiJson(req): ApiJson<ChangeTermsRequest>,
) -> Result<Json<ServiceView>, ApiError> {
    let svc = change_service_terms(&state, &caller, &code, &req).await?;
    Ok(Json((&svc).into()))
}

/// Replaces a service's terms with a new version, for the API and the workstation alike;
/// audited.
pub async fn change_service_terms(
    state: &AppState,
    caller: &Caller,
    code: &str,
    req: &ChangeTermsRequest,
) -> Result<Service, ApiError> {
    caller.require_admin()?;
    let code =
        v::service_code("code", code).map_err(|_| ApiError::not_found("service_not_found"))?;
    let terms = validate_terms("terms", &req.terms)?;
    let at = now();
    let svc = state.store.change_service_terms(&code, &terms, at).await?;
    audit(
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

/// Lists services (of the caller's sub-tree; everything for administrators).
#[utoipa::path(get, path = "/api/v1/services", params(PageQuery),
    responses((status = 200, description = "A page", body = PageView<ServiceView>), ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "registry")]
pub async fn list_services(
    State(state): State<AppState>,
    _caller: Caller,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<PageView<ServiceView>>, ApiError> {
    let limit = v::limit("limit", q.limit)?;
    let after = q.after_id()?;
    let svcs = state.store.services(None, after, limit + 1).await?;
    Ok(Json(PageView::of(svcs, limit, |s| s.id, |s| s.into())))
}
