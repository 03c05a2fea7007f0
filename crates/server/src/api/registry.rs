//! `/api/v1/organizations`, `/api/v1/services`, `/api/v1/information-systems`: the registry.
//! Anyone with a token reads it; only administrators change it.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::openapi::{BodyErrors, ParamErrors, TokenErrors};
use super::{PageQuery, PageView};
use crate::app::registry::organizations::*;
use crate::app::registry::services::*;
use crate::app::validate as v;
use crate::app::Caller;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use qyzmet_store::{LocalizedName, Organization, Service, TermVariant, TermsVersion};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationView {
    pub code: String,
    pub parent: Option<String>,
    #[schema(schema_with = crate::app::schema::org_kind)]
    pub kind: String,
    pub bin: String,
    pub name: Names,
    pub working_hours: String,
    /// Whether its events must, may or need not be signed.
    #[schema(schema_with = crate::app::schema::signature_policy)]
    pub signature_policy: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    /// Bumped by every edit; send it back with an edit (`PATCH`).
    pub revision: i64,
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
            revision: o.revision,
        }
    }
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

/// Edits an organization's names, BIN or working hours (administrators); a field left out
/// keeps its value. Its code and parent are not editable. Atomic and audited with the values
/// before and after.
#[utoipa::path(patch, path = "/api/v1/organizations/{code}", request_body = EditOrganizationRequest,
    params(("code" = String, Path, description = "Organization code", pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")),
    responses((status = 200, description = "Edited", body = OrganizationView),
        (status = 403, description = "Not an administrator's token", body = ErrorBody),
        (status = 404, description = "No such organization", body = ErrorBody),
        (status = 409, description = "Edited since the revision sent (`stale_revision`), or the BIN is taken", body = ErrorBody),
        BodyErrors, ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "registry")]
pub async fn edit_organization(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiJson(req): ApiJson<EditOrganizationRequest>,
) -> Result<Json<OrganizationView>, ApiError> {
    let org = crate::app::registry::organizations::edit_organization(&state, &caller, &code, &req)
        .await?;
    Ok(Json((&org).into()))
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
    let org = crate::app::registry::organizations::show(&state, &caller, &code).await?;
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
    let page = crate::app::registry::organizations::list(&state, &caller, q.page()?).await?;
    Ok(Json(PageView::of(page, |o| o.into())))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceView {
    pub code: String,
    pub organization: String,
    pub name: Names,
    pub terms: Vec<TermView>,
    pub terms_version: i64,
    pub acceptance_day_counted: bool,
    #[schema(schema_with = crate::app::schema::channel_list)]
    pub channels: Vec<String>,
    pub depends_on: Vec<String>,
    #[schema(format = DateTime)]
    pub updated_at: String,
    /// Bumped by every edit of its names, provider, channels or systems; send it back with an
    /// edit (`PATCH`).
    pub revision: i64,
}

fn term_view(t: &TermVariant) -> TermView {
    TermView {
        variant: t.variant.clone(),
        amount: i64::from(t.term.amount),
        unit: t.term.unit.as_str().into(),
        name: (t.name != LocalizedName::default()).then(|| (&t.name).into()),
    }
}

impl From<&Service> for ServiceView {
    fn from(s: &Service) -> Self {
        ServiceView {
            code: s.code.to_string(),
            organization: s.organization_code.to_string(),
            name: (&s.name).into(),
            terms: s.terms.iter().map(term_view).collect(),
            terms_version: s.terms_version,
            acceptance_day_counted: s.acceptance_day_counted,
            channels: s.channels.iter().map(|c| c.as_str().to_string()).collect(),
            depends_on: s.depends_on.clone(),
            updated_at: v::local(s.updated_at),
            revision: s.revision,
        }
    }
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

/// Adds a new version of a service's terms (administrators), with the legal act that changed
/// them and the day from which registrations use it (`effective_from`, today by default).
/// Until that day the service's `terms` and `terms_version` stay those in force; registered
/// applications keep the version they were registered under.
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

/// Edits a service's names, provider, channels or systems (administrators); a field left out
/// keeps its value. The provider changes only while no application of the service is
/// registered. Atomic and audited with the values before and after.
#[utoipa::path(patch, path = "/api/v1/services/{code}", request_body = EditServiceRequest,
    params(("code" = String, Path, description = "Service code", pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")),
    responses((status = 200, description = "Edited", body = ServiceView),
        (status = 403, description = "Not an administrator's token", body = ErrorBody),
        (status = 404, description = "No such service", body = ErrorBody),
        (status = 409, description = "Edited since the revision sent (`stale_revision`), or a change of provider of a service with applications (`service_has_applications`)", body = ErrorBody),
        BodyErrors, ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "registry")]
pub async fn edit_service(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiJson(req): ApiJson<EditServiceRequest>,
) -> Result<Json<ServiceView>, ApiError> {
    let svc = crate::app::registry::services::edit_service(&state, &caller, &code, &req).await?;
    Ok(Json((&svc).into()))
}

/// One version of a service's terms.
#[derive(Debug, Serialize, ToSchema)]
pub struct TermsVersionView {
    pub version: i64,
    /// The day (Asia/Almaty) from which registrations use it.
    #[schema(format = Date)]
    pub effective_from: String,
    /// The legal act that changed the terms; empty for versions recorded before it was asked.
    pub legal_basis: String,
    #[schema(format = DateTime)]
    pub recorded_at: String,
    pub terms: Vec<TermView>,
}

impl From<&TermsVersion> for TermsVersionView {
    fn from(t: &TermsVersion) -> Self {
        TermsVersionView {
            version: t.version,
            effective_from: t.effective_from.to_string(),
            legal_basis: t.legal_basis.clone(),
            recorded_at: v::local(t.created_at),
            terms: t.terms.iter().map(term_view).collect(),
        }
    }
}

/// The history of a service's terms, the latest version first (a version dated ahead is
/// listed before it is in force).
#[utoipa::path(get, path = "/api/v1/services/{code}/terms",
    params(("code" = String, Path, description = "Service code", pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")),
    responses((status = 200, description = "Every version", body = Vec<TermsVersionView>),
        (status = 404, description = "No such service", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "registry")]
pub async fn terms_history(
    State(state): State<AppState>,
    _caller: Caller,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<Vec<TermsVersionView>>, ApiError> {
    let versions = crate::app::registry::services::terms_history(&state, &code).await?;
    Ok(Json(versions.iter().map(Into::into).collect()))
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
    let page = crate::app::registry::services::list(&state, q.page()?).await?;
    Ok(Json(PageView::of(page, |s| s.into())))
}
