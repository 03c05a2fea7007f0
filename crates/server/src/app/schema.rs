//! The rules of the commands' fields as OpenAPI schemas: the constraints each use case
//! enforces, stated once beside the commands (`#[schema(schema_with = …)]`), so the API's
//! document cannot drift from what is accepted. The enumerations are built from the domain's
//! own lists.

use utoipa::openapi::schema::{Array, ArrayBuilder, Object, ObjectBuilder, Type};

/// The six stages (000 §6) by their API names, in order.
pub const STAGES: [&str; 6] = [
    "accepted",
    "sent_for_execution",
    "taken_into_work",
    "executed",
    "ready_for_issue",
    "closed",
];

/// The figures a list can be asked for, as `figure=` names them.
pub const DRILL_FIGURES: [&str; 5] = ["due", "on_time", "violations", "technical", "open_overdue"];

// --- Schemas of values whose rules the handlers enforce ----------------------------------------
// Used with `#[schema(schema_with = …)]` and `#[param(schema_with = …)]`; the enumerations are
// built from the domain's own lists so that they cannot drift from what is accepted.

/// Organization and service codes (`qyzmet_domain::ids::validate_code`).
pub const CODE_PATTERN: &str = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";
/// An application number: 13 digits, optionally grouped `XXXX-XXXX-XXXX-X`. The check digit
/// (Damm) is beyond a pattern: a mistyped number is a 404.
/// A package's label (001 §15.9): QZ and the application's 13 digits.
pub const BARCODE_PATTERN: &str = "^QZ[0-9]{13}$";
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

pub fn line(max: usize) -> Object {
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
pub fn line_1000() -> Object {
    line(1000)
}
pub fn opt_date() -> Object {
    use utoipa::openapi::schema::{KnownFormat, SchemaFormat};
    nullable_string()
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
        .pattern(Some(DATE_PATTERN))
        .build()
}
pub fn opt_working_hours() -> Object {
    nullable_string()
        .pattern(Some(
            "^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$",
        ))
        .build()
}
pub fn opt_bin() -> Object {
    nullable_string().pattern(Some("^[0-9]{12}$")).build()
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

pub fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

pub fn nullable_string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(utoipa::openapi::schema::SchemaType::from_iter([
        Type::String,
        Type::Null,
    ]))
}

pub fn one_of<'a>(values: impl IntoIterator<Item = &'a str>, nullable: bool) -> Object {
    let mut values: Vec<serde_json::Value> =
        values.into_iter().map(serde_json::Value::from).collect();
    if nullable {
        values.push(serde_json::Value::Null);
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
/// The code of a passport's ground (003 §17; `qyzmet_domain::passport::is_code`).
pub fn opt_ground() -> Object {
    nullable_string()
        .pattern(Some("^[A-Za-z0-9_-]{1,40}$"))
        .build()
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
/// Channels that may be left out or null (an edit that keeps them).
pub fn opt_channels() -> Array {
    ArrayBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            utoipa::openapi::schema::Type::Array,
            utoipa::openapi::schema::Type::Null,
        ]))
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
    one_of(STAGES, false)
}
pub fn opt_stage() -> Object {
    one_of(STAGES, true)
}
pub fn tax_id_kind() -> Object {
    one_of(["iin", "bin"], false)
}
pub fn event_type() -> Object {
    one_of(["stage", "suspended", "resumed", "executor_changed"], false)
}
/// A recorded event's type: the four a caller may send, and a package's scan (001 §15.9).
pub fn recorded_event_type() -> Object {
    one_of(
        [
            "stage",
            "suspended",
            "resumed",
            "executor_changed",
            "scanned",
        ],
        false,
    )
}
pub fn id_document() -> Object {
    one_of(
        [
            "identity_card",
            "passport",
            "residence_permit",
            "digital_documents",
        ],
        false,
    )
}
pub fn document_form() -> Object {
    one_of(["original", "copy", "original_for_identification"], false)
}
pub fn consent_kind() -> Object {
    one_of(["personal_data", "protected_data"], false)
}
pub fn consent_source() -> Object {
    one_of(["paper", "egov_sms", "digital_signature"], false)
}
pub fn rating_source() -> Object {
    one_of(["tablet", "link"], true)
}
pub fn receipt_language() -> Object {
    one_of(["kk", "ru"], true)
}
pub fn json_or_pdf() -> Object {
    one_of(["json", "pdf"], false)
}
pub fn storage_class() -> Object {
    one_of(["return_after_month", "keep_year", "no_return"], false)
}
pub fn pdf_format() -> Object {
    one_of(["pdf"], false)
}
pub fn scan() -> Object {
    one_of(
        [
            "to_provider",
            "from_provider",
            "to_issue_desk",
            "issued",
            "returned",
        ],
        false,
    )
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
    one_of(DRILL_FIGURES, false)
}
