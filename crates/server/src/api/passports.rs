//! `/api/v1/services/{code}/passport`: a service's passport (issue 17; 003 §1–26). Anyone
//! with a token reads the published versions; administrators write the draft, publish it and
//! discard it. Every write answers with the draft or version as it now stands.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::openapi::{BodyErrors, ParamErrors, TokenErrors};
use crate::app::registry::passports::{self as uc, DraftRequest, PublishRequest, Which};
use crate::app::validate as v;
use crate::app::Caller;
use crate::i18n::Lang;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use qyzmet_domain::passport::{changes, Passport, Strictness};
use qyzmet_store::{PassportState, PassportVersion};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// What keeps a draft from publication: a field and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemView {
    /// The field's path in the passport, e.g. `documents[2].name.kk`.
    pub field: String,
    /// `required`, `language_missing`, …
    pub code: String,
    /// In the request's language.
    pub message: String,
}

/// A version of a service's passport.
#[derive(Debug, Serialize, ToSchema)]
pub struct PassportView {
    pub service: String,
    pub version: i64,
    /// `draft` or `published`.
    #[schema(pattern = "^(draft|published)$")]
    pub state: String,
    /// The first day (Asia/Almaty) it is in force; none for a draft.
    #[schema(format = Date)]
    pub valid_from: Option<String>,
    /// The last day it is in force, when a later version follows it.
    #[schema(format = Date)]
    pub valid_to: Option<String>,
    /// The act that approved it (published versions).
    pub approving_act: String,
    /// Bumped by every write of the draft; send it back with an edit or a publication.
    pub revision: i64,
    #[schema(format = DateTime)]
    pub updated_at: String,
    #[schema(format = DateTime)]
    pub published_at: Option<String>,
    pub passport: Passport,
    /// For a draft: what keeps it from publication (empty when it may be published).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problems: Option<Vec<ProblemView>>,
}

impl PassportView {
    fn of(p: &PassportVersion, lang: Lang) -> Self {
        let problems = (p.state == PassportState::Draft).then(|| {
            uc::problem_messages(lang, &uc::problems(&p.passport, Strictness::Publish))
                .into_iter()
                .map(|(field, code, message)| ProblemView {
                    field,
                    code,
                    message,
                })
                .collect()
        });
        PassportView {
            service: p.service.to_string(),
            version: p.version,
            state: p.state.as_str().to_string(),
            valid_from: p.valid_from.map(|d| d.to_string()),
            valid_to: p.valid_to.map(|d| d.to_string()),
            approving_act: p.approving_act.clone(),
            revision: p.revision,
            updated_at: v::local(p.updated_at),
            published_at: p.published_at.map(v::local),
            passport: p.passport.clone(),
            problems,
        }
    }
}

/// A version in a service's list of versions (without its body).
#[derive(Debug, Serialize, ToSchema)]
pub struct PassportVersionView {
    pub version: i64,
    #[schema(pattern = "^(draft|published)$")]
    pub state: String,
    #[schema(format = Date)]
    pub valid_from: Option<String>,
    #[schema(format = Date)]
    pub valid_to: Option<String>,
    pub approving_act: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
    #[schema(format = DateTime)]
    pub published_at: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct VersionQuery {
    /// A published version's number, or `draft` (administrators); the version in force
    /// today when left out.
    #[param(pattern = "^([1-9][0-9]{0,9}|draft)$")]
    pub version: Option<String>,
}

fn lang_of(headers: &axum::http::HeaderMap) -> Lang {
    crate::i18n::Lang::from_headers(headers)
}

/// A service's passport: the version in force today, a published version (`?version=N`),
/// or the draft (`?version=draft`, administrators, with what keeps it from publication).
#[utoipa::path(get, path = "/api/v1/services/{code}/passport", params(("code" = String, Path, description = "Service code"), VersionQuery),
    responses((status = 200, description = "The version", body = PassportView),
        (status = 403, description = "The draft, asked by other than an administrator", body = ErrorBody),
        (status = 404, description = "No such service or version (`passport_not_found`: none published yet)", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "registry")]
pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<VersionQuery>,
) -> Result<Json<PassportView>, ApiError> {
    let which = Which::parse("version", q.version.as_deref())?;
    let p = uc::show(&state, Some(&caller), &code, which).await?;
    Ok(Json(PassportView::of(&p, lang_of(&headers))))
}

/// Writes the service's draft (administrators): a new one when `revision` is left out (409
/// `stale_revision` when one exists), else the draft at that revision. A draft may be
/// incomplete; every text it holds must be valid, its codes unique, the organizations it
/// names registered. Audited with the fields that changed.
#[utoipa::path(put, path = "/api/v1/services/{code}/passport", request_body = DraftRequest,
    params(("code" = String, Path, description = "Service code")),
    responses((status = 200, description = "The draft as saved, with what keeps it from publication", body = PassportView),
        (status = 403, description = "Not an administrator's token", body = ErrorBody),
        (status = 404, description = "No such service", body = ErrorBody),
        (status = 409, description = "Edited since the revision sent, or a draft exists (`stale_revision`)", body = ErrorBody),
        BodyErrors, ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "registry")]
pub async fn save_draft(
    State(state): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    ApiPath(code): ApiPath<String>,
    ApiJson(req): ApiJson<DraftRequest>,
) -> Result<Json<PassportView>, ApiError> {
    let p = uc::save_draft(&state, &caller, &code, &req).await?;
    Ok(Json(PassportView::of(&p, lang_of(&headers))))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RevisionQuery {
    /// The draft's revision (as last read).
    #[param(minimum = 1)]
    pub revision: i64,
}

/// Discards the service's draft (administrators). Audited.
#[utoipa::path(delete, path = "/api/v1/services/{code}/passport/draft",
    params(("code" = String, Path, description = "Service code"), RevisionQuery),
    responses((status = 204, description = "Discarded"),
        (status = 403, description = "Not an administrator's token", body = ErrorBody),
        (status = 404, description = "No such service, or no draft", body = ErrorBody),
        (status = 409, description = "Edited since the revision sent (`stale_revision`)", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "registry")]
pub async fn discard(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<RevisionQuery>,
) -> Result<StatusCode, ApiError> {
    uc::discard(&state, &caller, &code, q.revision).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Publishes the service's draft (administrators), in force from `valid_from` (today by
/// default) under its approving act. Refused (422 `passport_incomplete`, naming the first
/// missing field and how many there are) until every field the model standard requires is
/// there in Kazakh and Russian. Applications registered before keep their version. Audited.
#[utoipa::path(post, path = "/api/v1/services/{code}/passport/publish", request_body = PublishRequest,
    params(("code" = String, Path, description = "Service code")),
    responses((status = 200, description = "The version published", body = PassportView),
        (status = 403, description = "Not an administrator's token", body = ErrorBody),
        (status = 404, description = "No such service, or no draft", body = ErrorBody),
        (status = 409, description = "Edited since the revision sent (`stale_revision`)", body = ErrorBody),
        BodyErrors, ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "registry")]
pub async fn publish(
    State(state): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    ApiPath(code): ApiPath<String>,
    ApiJson(req): ApiJson<PublishRequest>,
) -> Result<Json<PassportView>, ApiError> {
    let p = uc::publish(&state, &caller, &code, &req).await?;
    Ok(Json(PassportView::of(&p, lang_of(&headers))))
}

/// Every version of a service's passport, the newest first (the draft too, for
/// administrators).
#[utoipa::path(get, path = "/api/v1/services/{code}/passport/versions",
    params(("code" = String, Path, description = "Service code")),
    responses((status = 200, description = "The versions", body = Vec<PassportVersionView>),
        (status = 404, description = "No such service", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "registry")]
pub async fn versions(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<Vec<PassportVersionView>>, ApiError> {
    let list = uc::versions(&state, &caller, &code).await?;
    Ok(Json(
        list.iter()
            .map(|p| PassportVersionView {
                version: p.version,
                state: p.state.as_str().to_string(),
                valid_from: p.valid_from.map(|d| d.to_string()),
                valid_to: p.valid_to.map(|d| d.to_string()),
                approving_act: p.approving_act.clone(),
                updated_at: v::local(p.updated_at),
                published_at: p.published_at.map(v::local),
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// The older version's number.
    #[param(pattern = "^([1-9][0-9]{0,9}|draft)$")]
    pub from: String,
    /// The newer version's number, or `draft` (administrators).
    #[param(pattern = "^([1-9][0-9]{0,9}|draft)$")]
    pub to: String,
}

/// A field of the passport that differs between two versions, with its values in each.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldChange {
    pub field: String,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
}

/// What changed between two versions of a service's passport: each top-level field that
/// differs, with its value in each.
#[utoipa::path(get, path = "/api/v1/services/{code}/passport/diff",
    params(("code" = String, Path, description = "Service code"), DiffQuery),
    responses((status = 200, description = "The fields that differ", body = Vec<FieldChange>),
        (status = 403, description = "The draft, asked by other than an administrator", body = ErrorBody),
        (status = 404, description = "No such service or version", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "registry")]
pub async fn diff(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<DiffQuery>,
) -> Result<Json<Vec<FieldChange>>, ApiError> {
    let from_which = Which::parse("from", Some(&q.from))?;
    let to_which = Which::parse("to", Some(&q.to))?;
    let a = uc::show(&state, Some(&caller), &code, from_which).await?;
    let b = uc::show(&state, Some(&caller), &code, to_which).await?;
    Ok(Json(field_changes(&a.passport, &b.passport)))
}

fn field_changes(a: &Passport, b: &Passport) -> Vec<FieldChange> {
    changes(a, b)
        .into_iter()
        .map(|(field, before, after)| FieldChange {
            field,
            before,
            after,
        })
        .collect()
}
