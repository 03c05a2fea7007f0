//! `/api/v1/catalogue/export` and `/api/v1/catalogue/import`: the whole catalogue as one file,
//! JSON or CSV (issue 17, point 2), for a ministry's bulk loading. Administrators only.

use super::error::{ApiError, ErrorBody, ImportProblemView};
use super::extract::ApiQuery;
use super::openapi::{ParamErrors, TokenErrors};
use crate::app::registry::catalogue_io::{self as uc, CatalogueFile, ImportAnswer, Source};
use crate::app::{AppError, Caller, ErrorKind};
use crate::i18n::Lang;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use qyzmet_store::{LoadReport, Tally};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `json` (the default) or `csv` (UTF-8 with a byte-order mark).
    #[param(pattern = "^(json|csv)$")]
    pub format: Option<String>,
}

/// The whole catalogue as one file (administrators): the organizations its services name
/// with their ancestors, the information systems they name, every service with every version
/// of its terms and passport. As JSON, or as CSV with one row per record (docs/passports.md).
#[utoipa::path(get, path = "/api/v1/catalogue/export", params(ExportQuery),
    responses((status = 200, description = "The catalogue",
        content((CatalogueFile = "application/json"), (String = "text/csv"))),
        (status = 403, description = "Not an administrator's token", body = ErrorBody),
        ParamErrors, TokenErrors),
    security(("bearer" = [])), tag = "registry")]
pub async fn export(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> Result<Response, ApiError> {
    let csv = match q.format.as_deref().map(str::trim) {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => {
            return Err(AppError::invalid("format", "enum_invalid")
                .arg("allowed", "json, csv")
                .into())
        }
    };
    if csv {
        let bytes = uc::export_csv(&state.store, &caller).await?;
        return Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"catalogue.csv\"",
                ),
            ],
            bytes,
        )
            .into_response());
    }
    Ok(Json(uc::export(&state.store, &caller).await?).into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Check and count everything, write nothing.
    pub dry_run: Option<bool>,
}

/// How many records of a kind an import created, changed and left as they were.
#[derive(Debug, Serialize, ToSchema)]
pub struct TallyView {
    pub created: u64,
    pub changed: u64,
    pub unchanged: u64,
}

impl From<Tally> for TallyView {
    fn from(t: Tally) -> Self {
        TallyView {
            created: t.created,
            changed: t.changed,
            unchanged: t.unchanged,
        }
    }
}

/// What an import did, or (a dry run) would do.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportView {
    pub dry_run: bool,
    /// Records created or changed: 0 when the catalogue was already as the file says.
    pub changes: u64,
    pub organizations: TallyView,
    pub information_systems: TallyView,
    pub services: TallyView,
    pub term_versions: TallyView,
    pub passport_versions: TallyView,
}

impl ImportView {
    fn of(r: LoadReport, dry_run: bool) -> Self {
        ImportView {
            dry_run,
            changes: r.changes(),
            organizations: r.organizations.into(),
            information_systems: r.information_systems.into(),
            services: r.services.into(),
            term_versions: r.term_versions.into(),
            passport_versions: r.passport_versions.into(),
        }
    }
}

/// Loads a catalogue file (administrators): the JSON of the export (`application/json`) or
/// its CSV (`text/csv`), up to 20 MB. Every record is checked by the rules of the endpoints
/// that write it one by one; then all of it is loaded in one transaction, or nothing. What is
/// stored as the file says is left (a second import of one file changes nothing); a published
/// passport version or a version of terms stored otherwise is a conflict (409) naming the
/// service and the version. Audited once, with the counts. `dry_run=true` answers the counts
/// and writes nothing.
#[utoipa::path(post, path = "/api/v1/catalogue/import", params(ImportQuery),
    request_body(content((CatalogueFile = "application/json"), (String = "text/csv"))),
    responses((status = 200, description = "Imported (or, a dry run, what would be)", body = ImportView),
        (status = 400, description = "The body is not JSON (`malformed_json`)", body = ErrorBody),
        (status = 403, description = "Not an administrator's token", body = ErrorBody),
        (status = 409, description = "A record conflicts with what is stored; nothing was written", body = ErrorBody),
        (status = 413, description = "The body is larger than 20 MB (`payload_too_large`)", body = ErrorBody),
        (status = 415, description = "Neither `application/json` nor `text/csv` (`catalogue_media_type`)", body = ErrorBody),
        (status = 422, description = "Invalid records, each with where and why; nothing was written (or, without `problems`, an invalid parameter or field)", body = ErrorBody),
        TokenErrors),
    security(("bearer" = [])), tag = "registry")]
pub async fn import(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
        } else {
            ApiError::bad_request("malformed_json").arg("detail", e.body_text())
        }
    })?;
    let source = if kind.starts_with("application/json") {
        Source::Json(&body)
    } else if kind.starts_with("text/csv") {
        Source::Csv(&body)
    } else {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "catalogue_media_type",
        ));
    };
    let dry_run = q.dry_run.unwrap_or(false);
    let lang = Lang::from_headers(&headers);
    match uc::import(&state.store, &caller, source, dry_run).await? {
        ImportAnswer::Done(report) => {
            if !dry_run && report.changes() > 0 {
                // A token's organization carries its BIN: this node's caches forget it.
                state.tokens.clear();
            }
            Ok(Json(ImportView::of(report, dry_run)).into_response())
        }
        ImportAnswer::Refused(problems) => {
            let conflict = problems.iter().any(|p| p.error.kind == ErrorKind::Conflict);
            let status = if conflict {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let error = ApiError::from(
                AppError::new(ErrorKind::Invalid, "catalogue_refused").arg("n", problems.len()),
            )
            .detail(lang);
            let problems = problems
                .into_iter()
                .map(|p| ImportProblemView {
                    message: p.error.message_with_path(lang),
                    at: p.at,
                    field: p.error.field,
                    code: p.error.code,
                })
                .collect();
            Ok((
                status,
                Json(ErrorBody {
                    error,
                    problems: Some(problems),
                }),
            )
                .into_response())
        }
    }
}
