//! Grounds of suspensions and refusals (003 §17) as an application's readers and its
//! workstation see them: the passport version the application was registered under, a
//! recorded ground code resolved to its text in the reader's language and its legal
//! reference, and the list the workstation's suspend and refuse actions pick from.

use crate::app::AppError;
use crate::i18n::Lang;
use crate::state::AppState;
use qyzmet_domain::passport::Passport;
use qyzmet_domain::stage::{EventKind, GroundList};
use qyzmet_store::{Application, PassportWhich};

/// A ground as shown: its code, and — when the application's passport has it — its text in
/// the reader's language and its legal reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroundText {
    pub code: String,
    pub text: Option<String>,
    pub legal_reference: Option<String>,
}

/// The passport version `app` was registered under; `None` when it has none (registered
/// before its service's first publication).
pub async fn passport_of(
    state: &AppState,
    app: &Application,
) -> Result<Option<Passport>, AppError> {
    let Some(version) = app.passport_version else {
        return Ok(None);
    };
    Ok(state
        .store
        .passport(&app.service_code, PassportWhich::Published(version))
        .await?
        .map(|v| v.passport))
}

/// The ground `kind` names, resolved in `passport`; only the code when the passport is
/// unknown or lacks it.
pub fn resolve(passport: Option<&Passport>, kind: &EventKind, lang: Lang) -> Option<GroundText> {
    let code = kind.ground()?;
    Some(resolve_code(passport, kind.ground_list(), code, lang))
}

/// The ground `code` of `list`, resolved in `passport`.
pub fn resolve_code(
    passport: Option<&Passport>,
    list: Option<GroundList>,
    code: &str,
    lang: Lang,
) -> GroundText {
    let found = list
        .zip(passport)
        .and_then(|(list, p)| p.ground(list == GroundList::Suspension, code));
    GroundText {
        code: code.to_string(),
        text: found.map(|g| g.text.get(lang.code()).to_string()),
        legal_reference: found.map(|g| g.legal_reference.clone()),
    }
}

/// The grounds of `list` in `passport` (none without one), each as the workstation offers
/// it: code, text in `lang`, legal reference.
pub fn choices(passport: Option<&Passport>, list: GroundList, lang: Lang) -> Vec<GroundText> {
    let Some(p) = passport else { return vec![] };
    p.grounds(list == GroundList::Suspension)
        .iter()
        .map(|g| GroundText {
            code: g.code.clone(),
            text: Some(g.text.get(lang.code()).to_string()),
            legal_reference: Some(g.legal_reference.clone()),
        })
        .collect()
}

impl GroundText {
    /// "text (legal reference)", or the code when the text is unknown.
    pub fn line(&self) -> String {
        match (&self.text, &self.legal_reference) {
            (Some(t), Some(r)) if !r.trim().is_empty() => format!("{t} ({r})"),
            (Some(t), _) => t.clone(),
            _ => self.code.clone(),
        }
    }
}
