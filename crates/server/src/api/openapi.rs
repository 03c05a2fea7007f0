//! The OpenAPI 3 description of the provider API and a self-contained docs page (no
//! external scripts: government networks are often closed). The document is the contract
//! (DESIGN "Conventions"): every route of the router is in it with every status it can
//! answer, query parameters are query parameters, and the constraints the handlers enforce
//! are in the schemas. `tests/api/docs.rs` walks the router against it, and
//! `scripts/schemathesis` fuzzes a running server with it.
use super::error::ErrorBody;
use crate::api;
use crate::app::schema::*;
use axum::response::Html;
use axum::Json;
use std::collections::BTreeMap;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr};
use utoipa::{IntoResponses, Modify, OpenApi};

/// An Excel workbook, as the report endpoints send it.
pub struct Spreadsheet;

/// A PDF document (a package's label, a receipt).
pub struct Pdf;

fn binary() -> RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{KnownFormat, SchemaFormat};
    string()
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
        .build()
        .into()
}

impl utoipa::PartialSchema for Spreadsheet {
    fn schema() -> RefOr<utoipa::openapi::schema::Schema> {
        binary()
    }
}

impl utoipa::ToSchema for Spreadsheet {}

impl utoipa::PartialSchema for Pdf {
    fn schema() -> RefOr<utoipa::openapi::schema::Schema> {
        binary()
    }
}

impl utoipa::ToSchema for Pdf {}

// --- Error answers shared by many operations ---------------------------------------------------

fn error_response(description: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            Content::new(Some(Ref::from_schema_name("ErrorBody"))),
        )
        .build()
        .into()
}

fn errors(list: &[(u16, &str)]) -> BTreeMap<String, RefOr<Response>> {
    list.iter()
        .map(|(status, description)| (status.to_string(), error_response(description)))
        .collect()
}

const INVALID: &str = "An invalid field: `field` names it (a body field, or a query or path \
    parameter) and `code` says why, e.g. `required`, `enum_invalid`, `timestamp_invalid`.";

/// What every operation that takes a token may answer besides its own: the token is looked
/// up in the database.
pub struct TokenErrors;

impl IntoResponses for TokenErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        errors(&[
            (
                401,
                "No token, or a token that is unknown or revoked (`unauthorized`).",
            ),
            (
                503,
                "The database is unreachable; nothing was written (`database_unavailable`).",
            ),
        ])
    }
}

/// What an operation that reads a JSON body may answer besides its own.
pub struct BodyErrors;

impl IntoResponses for BodyErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        errors(&[
            (400, "The body is not JSON (`malformed_json`)."),
            (
                413,
                "The body is larger than the configured limit (`payload_too_large`).",
            ),
            (
                415,
                "The body is not sent as `Content-Type: application/json` (`json_required`).",
            ),
            (422, INVALID),
        ])
    }
}

/// What an operation with query or path parameters may answer besides its own: an unknown,
/// missing or malformed parameter.
pub struct ParamErrors;

impl IntoResponses for ParamErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        errors(&[(422, INVALID)])
    }
}

/// The schemas of the path parameters, by name: one place for what `code`, `number`, `date`
/// and `id` accept on every route.
struct PathParams;

impl Modify for PathParams {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::ParameterIn;
        use utoipa::openapi::schema::{KnownFormat, SchemaFormat};
        for (path, item) in openapi.paths.paths.iter_mut() {
            // A ticket's, a booking's, a receipt's, an acceptance's and a register's id is
            // their link: a UUID, not a row number.
            let link = path.starts_with("/api/v1/tickets/")
                || path.starts_with("/api/v1/bookings/")
                || path.starts_with("/api/v1/receipts/")
                || path.starts_with("/api/v1/acceptances/")
                || path.starts_with("/api/v1/returns/")
                || path.starts_with("/api/v1/copies/");
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.patch,
                &mut item.delete,
            ];
            for op in operations.into_iter().flatten() {
                for p in op.parameters.iter_mut().flatten() {
                    if !matches!(p.parameter_in, ParameterIn::Path) {
                        continue;
                    }
                    let schema = match p.name.as_str() {
                        "code" => code(),
                        "number" => string().pattern(Some(NUMBER_PATTERN)).build(),
                        "date" => date(),
                        "barcode" => string().pattern(Some(BARCODE_PATTERN)).build(),
                        // A rating link's sealed token: its tag, the visit, the signature.
                        "token" => string()
                            .pattern(Some(r"^QZT2\.[ai][A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$"))
                            .build(),
                        "id" if link => string()
                            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)))
                            .build(),
                        "id" => ObjectBuilder::new()
                            .schema_type(Type::Integer)
                            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                            .minimum(Some(1))
                            .build(),
                        _ => continue,
                    };
                    p.schema = Some(schema.into());
                }
            }
        }
    }
}

/// Rules between the fields of a body, which the derives cannot state: a term's maximum
/// depends on its unit (`validate::max_amount`), and feedback is a rating or a survey answer,
/// exactly one of them. Each schema becomes `allOf` its fields and the rule.
struct CrossFieldRules;

impl Modify for CrossFieldRules {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use qyzmet_domain::TermUnit;
        use utoipa::openapi::schema::{AllOfBuilder, OneOfBuilder, Schema, SchemaType};
        // A schema that constrains only the named properties (no `type` of its own).
        let branch = |props: Vec<(&str, Object)>, required: &[&str]| {
            let mut b = ObjectBuilder::new().schema_type(SchemaType::AnyValue);
            for (name, schema) in props {
                b = b.property(name, schema);
            }
            for name in required {
                b = b.required(*name);
            }
            b.build()
        };
        let at_most = |unit| {
            ObjectBuilder::new()
                .schema_type(SchemaType::AnyValue)
                .maximum(Some(crate::app::validate::max_amount(unit)))
                .build()
        };
        let term = OneOfBuilder::new()
            .item(branch(
                vec![
                    ("unit", one_of(["minutes"], false)),
                    ("amount", at_most(TermUnit::Minutes)),
                ],
                &[],
            ))
            .item(branch(
                vec![
                    ("unit", one_of(["hours"], false)),
                    ("amount", at_most(TermUnit::Hours)),
                ],
                &[],
            ))
            .item(branch(
                vec![
                    ("unit", one_of(["working_days", "calendar_days"], false)),
                    ("amount", at_most(TermUnit::WorkingDays)),
                ],
                &[],
            ))
            .build();
        let answer = OneOfBuilder::new()
            .item(branch(
                vec![(
                    "rating",
                    ObjectBuilder::new().schema_type(Type::Integer).build(),
                )],
                &["rating"],
            ))
            .item(branch(vec![("survey", string().build())], &["survey"]))
            .build();
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        for (name, rule) in [("TermView", term), ("FeedbackRequest", answer)] {
            let Some(fields) = components.schemas.remove(name) else {
                continue;
            };
            let both = AllOfBuilder::new()
                .item(fields)
                .item(Schema::OneOf(rule))
                .build();
            components
                .schemas
                .insert(name.to_string(), Schema::AllOf(both).into());
        }
    }
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(c) = openapi.components.as_mut() {
            c.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "qyzmet provider API", version = "1", description = "Monitoring of public-service delivery: \
        registration of applications, stage events (000 §6), outages (000 §12), the production calendar. \
        Errors are {\"error\": {code, message, field}} with the message in the Accept-Language (kk, ru, en)."),
    paths(
        api::registry::create_organization, api::registry::list_organizations,
        api::registry::update_organization, api::registry::show_organization,
        api::registry::create_service, api::registry::list_services, api::registry::change_terms,
        api::registry::edit_organization, api::registry::edit_service, api::registry::terms_history,
        api::passports::show, api::passports::save_draft, api::passports::discard,
        api::passports::publish, api::passports::versions, api::passports::diff,
        api::public::status_lookup, api::public::receipt_key, api::public::receipt_check,
        api::applications::register, api::applications::show, api::applications::list,
        api::events::post_one, api::events::post_batch,
        api::outages::create, api::outages::list, api::outages::update,
        api::calendar::entries, api::calendar::deadline, api::calendar::put_entry, api::calendar::delete_entry,
        api::reports::violations, api::reports::versions, api::reports::generate,
        api::reports::compare, api::reports::applications,
        api::quality::post_feedback, api::quality::show, api::quality::set_target,
        api::informing::create_webhook, api::informing::list_webhooks, api::informing::delete_webhook,
        api::informing::list_outbox, api::informing::retry_message,
        api::front_office::create_office, api::front_office::list_offices,
        api::front_office::create_counter, api::front_office::list_counters,
        api::front_office::take_ticket, api::front_office::show_ticket,
        api::front_office::counter_state, api::front_office::counter_employee,
        api::front_office::counter_ticket,
        api::front_office::call_next, api::front_office::call_number, api::front_office::recall,
        api::front_office::no_show, api::front_office::start, api::front_office::finish,
        api::front_office::redirect,
        api::bookings::slots, api::bookings::create, api::bookings::list, api::bookings::show,
        api::bookings::cancel, api::bookings::reschedule, api::bookings::check_in,
        api::bookings::check_in_by_code, api::display::stream,
        api::queue_figures::figures, api::queue_figures::board,
        api::live_queue::mode, api::live_queue::range, api::live_queue::journal,
        crate::ops::healthz, crate::ops::readyz, crate::ops::metrics,
        api::catalogue_io::export, api::catalogue_io::import,
        api::packages::scan, api::packages::show, api::packages::label, api::packages::issue,
        api::ratings::visit, api::ratings::rate, api::ratings::of_office,
        api::returns::make, api::returns::show,
        api::acceptances::accept, api::acceptances::receipt, api::acceptances::application_receipt,
        api::acceptances::service_checklist, api::acceptances::application_checklist,
        api::acceptances::add_consents, api::acceptances::consents, api::acceptances::identification,
        api::acceptances::certify_copy, api::acceptances::list_copies, api::acceptances::copy_file,
        api::acceptances::storage_term, api::acceptances::set_storage_term, api::acceptances::shelf,
    ),
    components(schemas(ErrorBody, Spreadsheet, Pdf, crate::queue_feed::QueueEvent,
        crate::app::front_office::display::DisplaySnapshot)),
    modifiers(&BearerAuth, &PathParams, &CrossFieldRules),
    tags((name = "registry"), (name = "applications"), (name = "events"), (name = "outages"), (name = "calendar"),
        (name = "reports"), (name = "quality"), (name = "operations"), (name = "public"), (name = "informing"),
        (name = "front_office"))
)]
pub struct ApiDoc;

/// The document as this node serves it: the batch's `maxItems` is the configured
/// `batch_limit`.
pub fn document(config: &crate::config::Config) -> utoipa::openapi::OpenApi {
    use utoipa::openapi::schema::Schema;
    let mut doc = ApiDoc::openapi();
    let events = doc
        .components
        .as_mut()
        .and_then(|c| c.schemas.get_mut("BatchRequest"))
        .and_then(|s| match s {
            RefOr::T(Schema::Object(o)) => o.properties.get_mut("events"),
            _ => None,
        });
    if let Some(RefOr::T(Schema::Array(a))) = events {
        a.max_items = Some(config.batch_limit);
    }
    doc
}

pub async fn openapi_json(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
) -> Json<utoipa::openapi::OpenApi> {
    Json(document(&state.config))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A readable page of the endpoints, their parameters and responses, from the same document.
pub async fn docs_page(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
) -> Html<String> {
    let doc = document(&state.config);
    let mut body = String::new();
    for (path, item) in doc.paths.paths.iter() {
        let ops = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("PATCH", &item.patch),
            ("DELETE", &item.delete),
        ];
        for (method, op) in ops {
            let Some(op) = op else { continue };
            body.push_str(&format!(
                "<section><h2><span class=m>{method}</span> <code>{}</code></h2>",
                escape(path)
            ));
            if let Some(s) = &op.summary {
                body.push_str(&format!("<p>{}</p>", escape(s)));
            }
            if let Some(d) = &op.description {
                body.push_str(&format!("<p>{}</p>", escape(d)));
            }
            if let Some(params) = &op.parameters {
                body.push_str("<table><tr><th>parameter</th><th>in</th><th>description</th></tr>");
                for p in params {
                    body.push_str(&format!(
                        "<tr><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                        escape(&p.name),
                        match p.parameter_in {
                            utoipa::openapi::path::ParameterIn::Path => "path",
                            utoipa::openapi::path::ParameterIn::Query => "query",
                            utoipa::openapi::path::ParameterIn::Header => "header",
                            utoipa::openapi::path::ParameterIn::Cookie => "cookie",
                        },
                        escape(p.description.as_deref().unwrap_or(""))
                    ));
                }
                body.push_str("</table>");
            }
            body.push_str("<ul>");
            for (status, resp) in op.responses.responses.iter() {
                let desc = match resp {
                    utoipa::openapi::RefOr::T(r) => r.description.clone(),
                    utoipa::openapi::RefOr::Ref(r) => r.ref_location.clone(),
                };
                body.push_str(&format!(
                    "<li><b>{}</b> {}</li>",
                    escape(status),
                    escape(&desc)
                ));
            }
            body.push_str("</ul></section>");
        }
    }
    Html(format!(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>qyzmet API</title>\
         <style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}\
         section{{border-top:1px solid #ccc;padding:.5rem 0}}.m{{background:#124;color:#fff;padding:0 .4rem;border-radius:3px}}\
         table{{border-collapse:collapse}}td,th{{border:1px solid #ddd;padding:.2rem .5rem;text-align:left}}</style></head>\
         <body><h1>qyzmet provider API v1</h1><p>Machine-readable: <a href=\"/api/openapi.json\">/api/openapi.json</a> (OpenAPI 3). \
         Authenticate with <code>Authorization: Bearer &lt;token&gt;</code>; choose the language of error messages with \
         <code>Accept-Language: kk | ru | en</code>.</p>{body}</body></html>"
    ))
}
