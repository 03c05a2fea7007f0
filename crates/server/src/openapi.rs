//! The OpenAPI 3 description of the provider API and a self-contained docs page (no
//! external scripts: government networks are often closed). The document is the contract
//! (DESIGN "Conventions"): every route of the router is in it with every status it can
//! answer, query parameters are query parameters, and the constraints the handlers enforce
//! are in the schemas. `tests/api/docs.rs` walks the router against it, and
//! `scripts/schemathesis` fuzzes a running server with it.
use crate::api;
use crate::error::ErrorBody;
use axum::response::Html;
use axum::Json;
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{Array, ArrayBuilder, Object, ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr};
use utoipa::{IntoResponses, Modify, OpenApi};

// --- Schemas of values whose rules the handlers enforce ----------------------------------------
// Used with `#[schema(schema_with = …)]` and `#[param(schema_with = …)]`; the enumerations are
// built from the domain's own lists so that they cannot drift from what is accepted.

/// Organization and service codes (`qyzmet_domain::ids::validate_code`).
pub const CODE_PATTERN: &str = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";
/// An application number: 13 digits, optionally grouped `XXXX-XXXX-XXXX-X`. The check digit
/// (Damm) is beyond a pattern: a mistyped number is a 404.
pub const NUMBER_PATTERN: &str = "^[0-9]{4}-?[0-9]{4}-?[0-9]{4}-?[0-9]$";
/// IIN and BIN: 12 digits. The check digit is beyond a pattern: a mistyped one is a 422.
pub const TAX_ID_PATTERN: &str = "^[0-9]{12}$";
/// A reporting month `YYYY-MM`, 2000-01 to 2999-12 (`qyzmet_domain::violation::Month`).
pub const MONTH_PATTERN: &str = "^2[0-9]{3}-(0[1-9]|1[0-2])$";
/// Working hours `HH:MM-HH:MM` (the start before the end is checked by the handler: 422).
pub const HOURS_PATTERN: &str = "^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$";
/// A term variant code.
pub const VARIANT_PATTERN: &str = "^[a-z0-9_]{1,64}$";

/// A date `YYYY-MM-DD` in the supported years, 2000–2999.
pub const DATE_PATTERN: &str = "^2[0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$";
/// An instant: RFC 3339 in the supported years with an offset in civil use (−12:00 to
/// +14:00, whole minutes).
pub const INSTANT_PATTERN: &str = "^2[0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]\
    ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?\
    ([Zz]|\\+((0[0-9]|1[0-3]):[0-5][0-9]|14:00)|-((0[0-9]|1[01]):[0-5][0-9]|12:00))$";

/// Free text as the input rules take it (DESIGN "Conventions"): no control characters (but
/// tab, line feed and CR LF in multi-line text), no bidirectional controls, no
/// noncharacters, and at least one visible character. The classes are computed from the
/// character predicates, so the pattern says exactly what they do (within the Basic
/// Multilingual Plane, which is what a pattern's `\\u` escapes reach).
pub mod text {
    // The predicates are the input rules' own (`qyzmet_domain::text`): the document cannot
    // drift from what is refused.
    use qyzmet_domain::text::{is_invisible as invisible, is_refused as refused};

    /// The ranges of the Basic Multilingual Plane where `pred` holds, as the inside of a
    /// regular expression's character class.
    fn class(pred: impl Fn(char) -> bool) -> String {
        let mut out = String::new();
        let mut start: Option<u32> = None;
        for n in 0..=0x1_0000u32 {
            let hit = n < 0x1_0000 && char::from_u32(n).is_some_and(&pred);
            match (hit, start) {
                (true, None) => start = Some(n),
                (false, Some(a)) => {
                    let b = n - 1;
                    out.push_str(&format!("\\u{a:04x}"));
                    if b > a {
                        out.push_str(&format!("-\\u{b:04x}"));
                    }
                    start = None;
                }
                _ => {}
            }
        }
        out
    }

    /// A single line: a name, a label, a legal source.
    pub fn line_pattern() -> String {
        let no = class(refused);
        let blank = class(|c| refused(c) || invisible(c));
        format!("^[^{no}]*[^{blank}][^{no}]*$")
    }

    /// A text that may span lines: a reason, a description.
    pub fn text_pattern() -> String {
        let no = class(|c| refused(c) && !matches!(c, '\t' | '\n'));
        let blank = class(|c| refused(c) || invisible(c));
        let any = format!("(?:[^{no}]|\\r\\n)*");
        format!("^{any}[^{blank}]{any}$")
    }
}

fn line(max: usize) -> Object {
    string()
        .pattern(Some(text::line_pattern()))
        .max_length(Some(max))
        .build()
}
pub fn line_200() -> Object {
    line(200)
}
pub fn line_300() -> Object {
    line(300)
}
pub fn line_500() -> Object {
    line(500)
}
pub fn text_4000() -> Object {
    string()
        .pattern(Some(text::text_pattern()))
        .max_length(Some(4000))
        .build()
}
pub fn date() -> Object {
    use utoipa::openapi::schema::{KnownFormat, SchemaFormat};
    string()
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
        .pattern(Some(DATE_PATTERN))
        .build()
}
pub fn instant() -> Object {
    use utoipa::openapi::schema::{KnownFormat, SchemaFormat};
    string()
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
        .pattern(Some(INSTANT_PATTERN))
        .build()
}
pub fn opt_instant() -> Object {
    use utoipa::openapi::schema::{KnownFormat, SchemaFormat};
    nullable_string()
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
        .pattern(Some(INSTANT_PATTERN))
        .build()
}

fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

fn nullable_string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(utoipa::openapi::schema::SchemaType::from_iter([
        Type::String,
        Type::Null,
    ]))
}

fn one_of<'a>(values: impl IntoIterator<Item = &'a str>, nullable: bool) -> Object {
    let mut values: Vec<Value> = values.into_iter().map(Value::from).collect();
    if nullable {
        values.push(Value::Null);
        nullable_string().enum_values(Some(values)).build()
    } else {
        string().enum_values(Some(values)).build()
    }
}

pub fn code() -> Object {
    string().pattern(Some(CODE_PATTERN)).build()
}
pub fn opt_code() -> Object {
    nullable_string().pattern(Some(CODE_PATTERN)).build()
}
pub fn org_kind() -> Object {
    one_of(qyzmet_store::OrgKind::ALL.iter().map(|k| k.as_str()), false)
}
pub fn channel() -> Object {
    one_of(qyzmet_store::Channel::ALL.iter().map(|k| k.as_str()), false)
}
/// The items of a batch: any JSON value, each judged alone (a malformed one is rejected in
/// the answer without sinking the others).
pub fn batch_items() -> Array {
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(utoipa::openapi::schema::SchemaType::AnyValue)
                .build(),
        )
        .min_items(Some(1))
        .max_items(Some(1000))
        .build()
}

/// The channels a service is offered through: at least one.
pub fn channels() -> Array {
    ArrayBuilder::new()
        .items(channel())
        .min_items(Some(1))
        .build()
}
pub fn channel_list() -> Array {
    ArrayBuilder::new().items(channel()).build()
}
pub fn signature_policy() -> Object {
    one_of(
        qyzmet_store::SignaturePolicy::ALL
            .iter()
            .map(|k| k.as_str()),
        false,
    )
}
pub fn unit() -> Object {
    one_of(UNITS, false)
}
/// The term units by their API names.
pub const UNITS: [&str; 4] = ["minutes", "hours", "working_days", "calendar_days"];
pub fn stage() -> Object {
    one_of(api::events::STAGES, false)
}
pub fn opt_stage() -> Object {
    one_of(api::events::STAGES, true)
}
pub fn tax_id_kind() -> Object {
    one_of(["iin", "bin"], false)
}
pub fn event_type() -> Object {
    one_of(["stage", "suspended", "resumed", "executor_changed"], false)
}
pub fn item_status() -> Object {
    one_of(["recorded", "rejected"], false)
}
pub fn outcome() -> Object {
    one_of(["issued", "refused"], true)
}
pub fn question() -> Object {
    one_of(["process", "information", "complaint", "courtesy"], false)
}
pub fn survey() -> Object {
    one_of(["not_satisfied", "partly", "satisfied"], true)
}
pub fn indicator() -> Object {
    one_of(
        qyzmet_domain::quality::Indicator::ALL
            .iter()
            .map(|i| i.code()),
        false,
    )
}
pub fn day_kind() -> Object {
    one_of(["day_off", "working_day"], false)
}
pub fn report_format() -> Object {
    one_of(["json", "csv", "xlsx"], false)
}
pub fn sort() -> Object {
    one_of(["newest", "due"], false)
}
pub fn drill_scope() -> Object {
    one_of(["own", "total"], false)
}
pub fn verdict() -> Object {
    one_of(["on_time", "running", "violation"], false)
}
pub fn drill_figure() -> Object {
    one_of(api::reports::DRILL_FIGURES, false)
}

/// An Excel workbook, as the report endpoints send it.
pub struct Spreadsheet;

impl utoipa::PartialSchema for Spreadsheet {
    fn schema() -> RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, SchemaFormat};
        string()
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .build()
            .into()
    }
}

impl utoipa::ToSchema for Spreadsheet {}

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
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
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
                .maximum(Some(api::validate::max_amount(unit)))
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
        api::applications::register, api::applications::show, api::applications::list,
        api::events::post_one, api::events::post_batch,
        api::outages::create, api::outages::list, api::outages::update,
        api::calendar::entries, api::calendar::deadline, api::calendar::put_entry, api::calendar::delete_entry,
        api::reports::violations, api::reports::versions, api::reports::generate,
        api::reports::compare, api::reports::applications,
        api::quality::post_feedback, api::quality::show, api::quality::set_target,
        crate::ops::healthz, crate::ops::readyz, crate::ops::metrics,
    ),
    components(schemas(ErrorBody, Spreadsheet)),
    modifiers(&BearerAuth, &PathParams, &CrossFieldRules),
    tags((name = "registry"), (name = "applications"), (name = "events"), (name = "outages"), (name = "calendar"),
        (name = "reports"), (name = "quality"), (name = "operations"))
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
