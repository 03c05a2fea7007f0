//! The use cases' one error type. [`AppError`] says what went wrong in the domain's words
//! (invalid field, not found, forbidden, conflict, unavailable…) with a stable code, the field
//! at fault and the arguments of its message; it knows nothing of HTTP or pages. The API maps
//! it to a status and a JSON body (`api::error`), the workstation to a page or a form message
//! in the user's language (`web`), the CLI to an exit code and a line on stderr.

use crate::i18n::{field_label, message, Lang};
use qyzmet_store::StoreError;

/// What kind of refusal or failure an [`AppError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A field's value breaks a rule (the field is named).
    Invalid,
    /// The input is not even well-formed (bad JSON, a query that is no query).
    Malformed,
    /// Nothing of that name in the caller's reach.
    NotFound,
    /// The caller's role or organization does not allow it.
    Forbidden,
    /// No valid credential.
    Unauthorized,
    /// It clashes with what is stored (a taken code, a reused id with other content).
    Conflict,
    /// More than a request may carry (a batch over its limit).
    TooLarge,
    /// The database did not answer: nothing was changed, try again.
    Unavailable,
    /// A failure of ours; logged with its cause, said nothing of outside.
    Internal,
}

/// A use case's refusal or failure: its kind, a stable code (`out_of_order`), the field at
/// fault as a path (`events[3].occurred_at`) and the arguments of its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppError {
    pub kind: ErrorKind,
    pub code: String,
    pub field: Option<String>,
    pub args: Vec<(&'static str, String)>,
}

impl AppError {
    pub fn new(kind: ErrorKind, code: impl Into<String>) -> Self {
        AppError {
            kind,
            code: code.into(),
            field: None,
            args: vec![],
        }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        let f = field.into();
        self.args.push(("field", f.clone()));
        self.field = Some(f);
        self
    }

    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }

    /// `field` is invalid for reason `code`.
    pub fn invalid(field: impl Into<String>, code: &str) -> Self {
        AppError::new(ErrorKind::Invalid, code).with_field(field)
    }

    /// A refusal of the whole input, no field named (an empty batch, a body of no shape).
    pub fn rejected(code: &str) -> Self {
        AppError::new(ErrorKind::Invalid, code)
    }

    pub fn malformed(code: &str) -> Self {
        AppError::new(ErrorKind::Malformed, code)
    }

    pub fn not_found(code: &str) -> Self {
        AppError::new(ErrorKind::NotFound, code)
    }

    pub fn forbidden(code: &str) -> Self {
        AppError::new(ErrorKind::Forbidden, code)
    }

    pub fn unauthorized() -> Self {
        AppError::new(ErrorKind::Unauthorized, "unauthorized")
    }

    pub fn conflict(code: &str) -> Self {
        AppError::new(ErrorKind::Conflict, code)
    }

    pub fn too_large(code: &str) -> Self {
        AppError::new(ErrorKind::TooLarge, code)
    }

    pub fn unavailable() -> Self {
        AppError::new(ErrorKind::Unavailable, "database_unavailable")
    }

    pub fn internal() -> Self {
        AppError::new(ErrorKind::Internal, "internal")
    }

    /// A refusal of what the caller asked (any kind but the database's absence and a
    /// failure of ours): the caller may correct it.
    pub fn is_refusal(&self) -> bool {
        !matches!(self.kind, ErrorKind::Unavailable | ErrorKind::Internal)
    }

    /// A refusal a form shows beside its fields: not a missing page nor a forbidden one.
    pub fn is_for_the_form(&self) -> bool {
        self.is_refusal() && !matches!(self.kind, ErrorKind::Forbidden | ErrorKind::NotFound)
    }

    /// Prefixes the field path, e.g. `occurred_at` → `events[3].occurred_at`.
    pub fn within(mut self, prefix: &str) -> Self {
        if let Some(f) = &self.field {
            let full = if f.is_empty() {
                prefix.to_string()
            } else {
                format!("{prefix}.{f}")
            };
            for (k, v) in self.args.iter_mut() {
                if *k == "field" {
                    *v = full.clone();
                }
            }
            self.field = Some(full);
        }
        self
    }

    /// The message in `lang` for people who do not read field paths (the workstation): the
    /// field in words only, where the locale names it.
    pub fn message(&self, lang: Lang) -> String {
        render_message(lang, &self.code, &self.args, |label, _| label)
    }

    /// The message in `lang` for a client's developer (the API, the command line): the field
    /// in words followed by its path, "the applicant's IIN (applicant.iin)".
    pub fn message_with_path(&self, lang: Lang) -> String {
        render_message(lang, &self.code, &self.args, with_path)
    }
}

/// The field in words followed by its path.
pub fn with_path(label: String, path: &str) -> String {
    format!("{label} ({path})")
}

/// The locales' `error-<code>` in `lang`, with the `field` argument replaced by
/// `name(label, path)` wherever the locale has a label for the path.
pub fn render_message(
    lang: Lang,
    code: &str,
    args: &[(&'static str, String)],
    name: impl Fn(String, &str) -> String,
) -> String {
    let id = format!("error-{}", code.replace('_', "-"));
    let args: Vec<(&str, String)> = args
        .iter()
        .map(|(k, v)| match (*k, field_label(lang, v)) {
            ("field", Some(label)) => (*k, name(label, v)),
            _ => (*k, v.clone()),
        })
        .collect();
    // A label opening the message ("the applicant's IIN is …") opens a sentence.
    let text = message(lang, &id, &args);
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if first.is_lowercase() => first.to_uppercase().chain(chars).collect(),
        _ => text,
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{} ({field})", self.code),
            None => f.write_str(&self.code),
        }
    }
}

impl std::error::Error for AppError {}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => AppError::not_found(&format!("{what}_not_found")),
            StoreError::Conflict { code, field } => {
                let err = AppError::conflict(code);
                match field {
                    Some(f) => err.with_field(f),
                    None => err,
                }
            }
            // A value the database refused names no field: the database does not say which.
            StoreError::Invalid { code, field: "" } => AppError::rejected(code),
            StoreError::Invalid { code, field } => AppError::invalid(field, code),
            StoreError::Forbidden { field } => {
                AppError::forbidden("outside_scope").with_field(field)
            }
            StoreError::Unavailable(cause) => {
                tracing::warn!(error = %cause, "database unavailable");
                AppError::unavailable()
            }
            other => {
                tracing::error!(error = %other, "internal error");
                AppError::internal()
            }
        }
    }
}
