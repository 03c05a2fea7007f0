//! The passport of a service: the model service standard of 003 (its 26 fields in five
//! chapters), as structured data where software reads it (documents, grounds, fee, terms,
//! the stages that inform the applicant) and as text in Kazakh and Russian (English for
//! staff) where people read it.
//!
//! A passport is written as a draft and published as a version (valid from a day, under an
//! approving act); a draft may be incomplete, a published version may not. [`Passport::check`]
//! is the one rule for both: every text is a valid [`Text`], codes are unique, numbers are in
//! range; and, for publication ([`Strictness::Publish`]), every field the model standard says
//! a standard "must indicate" is there in both Kazakh and Russian ("a passport with a language
//! missing cannot be published", issue 17).
//!
//! Each problem names the field by its path (`documents[2].name.kk`) and a stable reason code,
//! which the layers above turn into a message in the caller's language.

use crate::stage::Stage;
use crate::text::{Line, Text, TextError};
use crate::working_hours::WorkingHours;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The longest text of a passport field, in characters (a procedure, a list of conditions).
pub const TEXT_MAX: usize = 4_000;
/// The longest single line (a code, an article, an address line).
pub const LINE_MAX: usize = 300;
/// The most entries of any list of a passport (documents, grounds, providers…).
pub const LIST_MAX: usize = 100;

/// A text in the system's languages. Kazakh and Russian are the applicant's; English is for
/// staff and may stay empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Texts {
    #[serde(default)]
    pub kk: String,
    #[serde(default)]
    pub ru: String,
    #[serde(default)]
    pub en: String,
}

impl Texts {
    /// The same text in every language (tests, and codes that are not words).
    pub fn all(s: &str) -> Texts {
        Texts {
            kk: s.into(),
            ru: s.into(),
            en: s.into(),
        }
    }

    /// Kazakh, Russian and English.
    pub fn new(kk: &str, ru: &str, en: &str) -> Texts {
        Texts {
            kk: kk.into(),
            ru: ru.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`, else in Russian, Kazakh, English (never empty while one has it).
    pub fn get(&self, lang: &str) -> &str {
        crate::localized::pick(lang, &self.kk, &self.ru, &self.en)
    }

    /// Whether no language has anything but whitespace.
    pub fn is_blank(&self) -> bool {
        [&self.kk, &self.ru, &self.en]
            .iter()
            .all(|t| t.trim().is_empty())
    }

    fn languages(&self) -> [(&'static str, &str); 3] {
        [("kk", &self.kk), ("ru", &self.ru), ("en", &self.en)]
    }
}

/// 003 §2: how far the service is automated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Automation {
    /// Толық автоматтандырылған / полностью автоматизированная.
    Fully,
    /// Ішінара автоматтандырылған / частично автоматизированная.
    #[default]
    Partly,
    /// Автоматтандырылмаған / неавтоматизированная.
    Not,
}

/// 003 §5: the form in which the result is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ResultForm {
    Paper,
    Electronic,
    /// Data entered into a state body's information system.
    DataInSystem,
}

/// 003 §7(1): the moment the term counts from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TermStart {
    /// (а) the applicant submitted the documents of §11.
    #[default]
    Documents,
    /// (б) the applicant applied (registered, took a ticket).
    Application,
    /// (в) the applicant submitted an electronic request.
    ElectronicRequest,
}

/// 003 §16: how the result reaches the applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    InPerson,
    Portal,
    Email,
    Post,
    Courier,
}

/// A life situation (өмірлік жағдай / жизненная ситуация): how the public catalogue groups
/// services for people who know what happened to them rather than what the service is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LifeSituation {
    BirthOfAChild,
    FamilyAndMarriage,
    Education,
    Health,
    Employment,
    SocialSupport,
    Housing,
    Land,
    Business,
    Transport,
    IdentityDocuments,
    Archives,
}

impl LifeSituation {
    pub const ALL: [LifeSituation; 12] = [
        LifeSituation::BirthOfAChild,
        LifeSituation::FamilyAndMarriage,
        LifeSituation::Education,
        LifeSituation::Health,
        LifeSituation::Employment,
        LifeSituation::SocialSupport,
        LifeSituation::Housing,
        LifeSituation::Land,
        LifeSituation::Business,
        LifeSituation::Transport,
        LifeSituation::IdentityDocuments,
        LifeSituation::Archives,
    ];

    /// The snake_case name, as stored, sent and put in a page's query.
    pub fn as_str(self) -> &'static str {
        match self {
            LifeSituation::BirthOfAChild => "birth_of_a_child",
            LifeSituation::FamilyAndMarriage => "family_and_marriage",
            LifeSituation::Education => "education",
            LifeSituation::Health => "health",
            LifeSituation::Employment => "employment",
            LifeSituation::SocialSupport => "social_support",
            LifeSituation::Housing => "housing",
            LifeSituation::Land => "land",
            LifeSituation::Business => "business",
            LifeSituation::Transport => "transport",
            LifeSituation::IdentityDocuments => "identity_documents",
            LifeSituation::Archives => "archives",
        }
    }

    pub fn parse(s: &str) -> Option<LifeSituation> {
        LifeSituation::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// 003 §11: whether a document is brought as the original, as a copy, or as the original
/// shown for identification and handed back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DocumentForm {
    #[default]
    Original,
    Copy,
    /// Shown, checked and handed back (an identity document).
    OriginalForIdentification,
}

impl DocumentForm {
    pub const ALL: [DocumentForm; 3] = [
        DocumentForm::Original,
        DocumentForm::Copy,
        DocumentForm::OriginalForIdentification,
    ];

    /// Its name in the API and the passport's TOML (the serde form).
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentForm::Original => "original",
            DocumentForm::Copy => "copy",
            DocumentForm::OriginalForIdentification => "original_for_identification",
        }
    }

    pub fn parse(s: &str) -> Option<DocumentForm> {
        DocumentForm::ALL.into_iter().find(|f| f.as_str() == s)
    }
}

/// A day of the week, for a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

/// 003 §1, §9: when a place receives applicants: the days, the hours and the breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    pub days: Vec<Day>,
    /// `HH:MM-HH:MM`, e.g. `09:00-18:30`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "09:00-18:30"))]
    pub hours: WorkingHours,
    /// Each `HH:MM-HH:MM`, within the hours, not overlapping.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub breaks: Vec<WorkingHours>,
    /// Anything the days and hours cannot say ("the last Saturday of the month: 09:00–13:00").
    #[serde(default)]
    pub note: Texts,
}

/// 003 §1: a place the service is delivered at: the provider and its address and schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProviderPlace {
    /// The provider's organization code in the registry.
    pub organization: String,
    pub address: Texts,
    pub schedule: Schedule,
}

/// 003 §3: an act and the article (clause) of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LegalReference {
    pub act: Texts,
    /// "Article 11, paragraph 2" as the act numbers it (`бап 11, 2-тармақ`): kept as written.
    #[serde(default)]
    pub article: String,
}

/// 003 §5: the result and its forms.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ServiceResult {
    pub name: Texts,
    pub forms: Vec<ResultForm>,
}

/// 003 §6: who may receive the service.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Recipients {
    pub individuals: bool,
    pub legal_entities: bool,
    /// The categories in words ("citizens of the Republic of Kazakhstan, foreigners and
    /// stateless persons permanently residing in it").
    pub description: Texts,
}

/// 003 §7: the terms beyond the legal term variants (which the service's terms hold).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Terms {
    pub counted_from: TermStart,
    /// §7(2): the longest wait before being served, for a service delivered on the day.
    #[serde(default)]
    pub max_wait_minutes: Option<u32>,
    /// §7(3): the longest service on the day.
    #[serde(default)]
    pub max_service_minutes: Option<u32>,
    /// §7(4): other terms, in words.
    #[serde(default)]
    pub other: Texts,
}

/// 003 §8: the fee.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Fee {
    pub paid: bool,
    /// In tenge, when the amount is fixed; `None` when it is computed (in monthly calculation
    /// indices, by a rate), which `description` then says.
    #[serde(default)]
    pub amount_kzt: Option<u64>,
    /// The fee in words: its legal kind (state duty, charge), how it is computed.
    #[serde(default)]
    pub description: Texts,
    /// How it is paid (a bank, a terminal, the portal's payment gateway).
    #[serde(default)]
    pub payment_form: Texts,
    /// The documents that prove payment (the receipt, its form).
    #[serde(default)]
    pub receipt: Texts,
}

/// 003 §8, §9: expedited service (жедел қызмет), when it is offered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Expedited {
    #[serde(default)]
    pub amount_kzt: Option<u64>,
    pub conditions: Texts,
}

/// 003 §11: one required document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RequiredDocument {
    /// Unique within the passport; stable across versions (receipts and checklists name it).
    pub code: String,
    pub name: Texts,
    #[serde(default)]
    pub form: DocumentForm,
    /// How many (copies, or originals) are brought.
    #[serde(default = "one")]
    pub copies: u8,
    /// Who must bring it: empty when everyone; else the categories ("for persons with
    /// privileges: the document confirming the privilege").
    #[serde(default)]
    pub who: Texts,
    /// The information system it is obtained from instead (001 §22: then the applicant is
    /// never asked for it), e.g. "ГБД ФЛ".
    #[serde(default)]
    pub from_system: Option<String>,
    /// The requirements on it (notarised, apostilled, not older than 30 days).
    #[serde(default)]
    pub requirements: Texts,
}

fn one() -> u8 {
    1
}

/// 003 §17: a ground for suspending or refusing the service, with its legal reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Ground {
    /// Unique within its list; stable across versions (a recorded suspension or refusal
    /// names it).
    pub code: String,
    pub text: Texts,
    /// The act and article the ground rests on, as written.
    pub legal_reference: String,
}

/// 003 §21–26: the complaint procedure.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Complaints {
    /// §21: who explains the procedure and helps prepare a complaint (body, e-mail, call
    /// centre phones, office of the official).
    pub help: Texts,
    /// §22: the higher instance for disagreement with the result: name, address, e-mail,
    /// schedule, contacts.
    pub appeal: Texts,
    /// §22: the higher instance's organization in the registry, when it is one.
    #[serde(default)]
    pub appeal_organization: Option<String>,
    /// §23: whom to complain to about improper service (the provider, its e-mail, the
    /// official's office, the schedule).
    pub improper_service: Texts,
    /// §24: the documents a complaint needs.
    pub documents: Texts,
    /// §25: the document that acknowledges a complaint, with the term and place of the answer
    /// and the contacts for its progress.
    pub acknowledgement: Texts,
    /// §26: other useful information.
    #[serde(default)]
    pub other: Texts,
}

/// 000 §2: a stage at which the applicant is informed, and the message, with placeholders
/// `{number}`, `{service}`, `{stage}`, `{planned_date}`, `{status_url}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StageNotice {
    pub stage: Stage,
    pub message: Texts,
}

/// The placeholders a [`StageNotice`]'s message may use.
pub const PLACEHOLDERS: [&str; 5] = ["number", "service", "stage", "planned_date", "status_url"];

/// The passport: the model standard's 26 fields (003), and the stages that inform the
/// applicant (000 §2).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Passport {
    // Chapter 1, general provisions.
    /// §1.
    pub providers: Vec<ProviderPlace>,
    /// §2.
    #[serde(default)]
    pub automation: Automation,
    /// §3.
    pub legal_basis: Vec<LegalReference>,
    /// §4: where information on the service is found and the standard is posted.
    pub information_sources: Texts,
    /// §5.
    pub result: ServiceResult,
    /// §6.
    pub recipients: Recipients,
    /// §7.
    pub terms: Terms,
    /// §8.
    pub fee: Fee,
    /// §8, §9.
    #[serde(default)]
    pub expedited: Option<Expedited>,
    /// §9: pre-registration, when offered, and its conditions.
    #[serde(default)]
    pub pre_registration: Option<Texts>,
    /// §10: conditions at the place (premises, security, access for people with
    /// disabilities, waiting, samples).
    pub place_conditions: Texts,
    /// §19: whether information on the service is available electronically (indicator 3.2).
    #[serde(default)]
    pub information_online: bool,
    /// The life situations the public catalogue lists the service under.
    #[serde(default)]
    pub life_situations: Vec<LifeSituation>,

    // Chapter 2, the procedure.
    /// §11: the exhaustive list.
    pub documents: Vec<RequiredDocument>,
    /// §12.
    pub forms: Texts,
    /// §13.
    pub where_to_submit: Texts,
    /// §14.
    pub internal_procedure: Texts,
    /// §15: the document confirming the submission, with the day the service will be
    /// received (001 §15's receipt).
    pub confirmation: Texts,
    /// §16.
    pub delivery: Vec<Delivery>,
    /// §17: complete.
    pub suspension_grounds: Vec<Ground>,
    /// §17: complete.
    pub refusal_grounds: Vec<Ground>,

    // Chapter 3, principles.
    /// §18.
    pub principles: Texts,

    // Chapter 5, complaints.
    /// §21–26.
    pub complaints: Complaints,

    /// 000 §2: which stages inform the applicant, and how.
    #[serde(default)]
    pub informing: Vec<StageNotice>,

    /// Fields of later standards (Law 88-V Art. 11, 2020 edition) the model has no place
    /// for, by name; kept and shown as they are.
    #[serde(default)]
    pub extensions: BTreeMap<String, Texts>,
}

/// How complete a passport must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    /// A draft: what is there must be valid; anything may be missing.
    Draft,
    /// A version to publish: every required field in Kazakh and Russian.
    Publish,
}

/// Why a field was refused. [`Reason::code`] is stable (the API's error code per field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Required for publication and missing.
    Required,
    /// Required in this language (Kazakh or Russian) for publication.
    LanguageMissing,
    /// An invalid text (control characters, too long…).
    Text(TextError),
    /// A code already used in the same list.
    Duplicate,
    /// More entries than [`LIST_MAX`].
    TooMany,
    /// A number out of its range (copies 1–20, minutes 1–1440, a fee with an amount when
    /// free).
    OutOfRange,
    /// A code of letters, digits, `-` and `_` only, 1–40 of them.
    BadCode,
    /// A break outside the hours, or overlapping another.
    BadBreak,
    /// A placeholder that is not one of [`PLACEHOLDERS`], or an unclosed brace.
    BadPlaceholder,
    /// A stage listed twice among the notices.
    DuplicateStage,
}

impl Reason {
    pub fn code(&self) -> &'static str {
        match self {
            Reason::Required => "required",
            Reason::LanguageMissing => "language_missing",
            Reason::Text(e) => e.code(),
            Reason::Duplicate => "duplicate",
            Reason::TooMany => "too_many",
            Reason::OutOfRange => "out_of_range",
            Reason::BadCode => "bad_code",
            Reason::BadBreak => "bad_break",
            Reason::BadPlaceholder => "bad_placeholder",
            Reason::DuplicateStage => "duplicate_stage",
        }
    }
}

/// One problem of a passport: the field's path and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub reason: Reason,
}

/// Collects problems under a path.
struct Checker {
    strict: bool,
    problems: Vec<Problem>,
}

impl Checker {
    fn push(&mut self, field: impl Into<String>, reason: Reason) {
        self.problems.push(Problem {
            field: field.into(),
            reason,
        });
    }

    /// A text field: each language a valid [`Text`] when present; when `required` and
    /// publishing, Kazakh and Russian present (English optional).
    fn texts(&mut self, field: &str, t: &Texts, required: bool) {
        for (lang, value) in t.languages() {
            if !value.trim().is_empty() {
                if let Err(e) = Text::new(value, TEXT_MAX) {
                    self.push(format!("{field}.{lang}"), Reason::Text(e));
                }
            }
        }
        if !(self.strict && required) {
            return;
        }
        if t.is_blank() {
            self.push(field, Reason::Required);
            return;
        }
        for (lang, value) in t.languages().into_iter().take(2) {
            if value.trim().is_empty() {
                self.push(format!("{field}.{lang}"), Reason::LanguageMissing);
            }
        }
    }

    /// Optional texts are checked as they are; once written in one language, publishing asks
    /// for Kazakh and Russian too.
    fn optional_texts(&mut self, field: &str, t: &Texts) {
        let written = !t.is_blank();
        self.texts(field, t, written);
    }

    fn line(&mut self, field: &str, value: &str, required: bool) {
        if value.trim().is_empty() {
            if self.strict && required {
                self.push(field, Reason::Required);
            }
            return;
        }
        if let Err(e) = Line::new(value, LINE_MAX) {
            self.push(field, Reason::Text(e));
        }
    }

    fn list<T>(&mut self, field: &str, items: &[T], required: bool) {
        if items.len() > LIST_MAX {
            self.push(field, Reason::TooMany);
        }
        if self.strict && required && items.is_empty() {
            self.push(field, Reason::Required);
        }
    }

    fn code(&mut self, field: &str, code: &str, seen: &mut BTreeSet<String>) {
        if !is_code(code) {
            self.push(field, Reason::BadCode);
        } else if !seen.insert(code.to_string()) {
            self.push(field, Reason::Duplicate);
        }
    }

    fn minutes(&mut self, field: &str, m: Option<u32>) {
        if m.is_some_and(|m| !(1..=1440).contains(&m)) {
            self.push(field, Reason::OutOfRange);
        }
    }

    fn schedule(&mut self, field: &str, s: &Schedule) {
        if self.strict && s.days.is_empty() {
            self.push(format!("{field}.days"), Reason::Required);
        }
        let mut breaks = s.breaks.clone();
        breaks.sort_by_key(|b| b.start);
        for (i, b) in s.breaks.iter().enumerate() {
            if b.start < s.hours.start || b.end > s.hours.end {
                self.push(format!("{field}.breaks[{i}]"), Reason::BadBreak);
            }
        }
        if breaks.windows(2).any(|w| w[1].start < w[0].end) {
            self.push(format!("{field}.breaks"), Reason::BadBreak);
        }
        self.optional_texts(&format!("{field}.note"), &s.note);
    }

    fn grounds(&mut self, field: &str, grounds: &[Ground], required: bool) {
        self.list(field, grounds, required);
        let mut seen = BTreeSet::new();
        for (i, g) in grounds.iter().enumerate() {
            let f = format!("{field}[{i}]");
            self.code(&format!("{f}.code"), &g.code, &mut seen);
            self.texts(&format!("{f}.text"), &g.text, true);
            self.line(&format!("{f}.legal_reference"), &g.legal_reference, true);
        }
    }
}

/// A code of a document or a ground: 1–40 of ASCII letters, digits, `-` and `_`.
pub fn is_code(s: &str) -> bool {
    (1..=40).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The placeholders of a message; `None` when it has an unknown name or an unmatched brace.
pub fn placeholders(message: &str) -> Option<Vec<&str>> {
    let mut found = Vec::new();
    let mut rest = message;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after.find('}')?;
        let name = &after[..close];
        if !PLACEHOLDERS.contains(&name) {
            return None;
        }
        found.push(name);
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return None;
    }
    Some(found)
}

/// A message with its placeholders filled (unknown ones are left as written; a checked
/// message has none).
pub fn render(message: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(message.len() + 64);
    let mut rest = message;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match values.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

impl Passport {
    /// Every problem of the passport at `strictness`; empty when it may be saved (a draft) or
    /// published.
    pub fn check(&self, strictness: Strictness) -> Vec<Problem> {
        let mut c = Checker {
            strict: strictness == Strictness::Publish,
            problems: Vec::new(),
        };
        // §1
        c.list("providers", &self.providers, true);
        for (i, p) in self.providers.iter().enumerate() {
            let f = format!("providers[{i}]");
            c.line(&format!("{f}.organization"), &p.organization, true);
            c.texts(&format!("{f}.address"), &p.address, true);
            c.schedule(&format!("{f}.schedule"), &p.schedule);
        }
        // §3
        c.list("legal_basis", &self.legal_basis, true);
        for (i, r) in self.legal_basis.iter().enumerate() {
            c.texts(&format!("legal_basis[{i}].act"), &r.act, true);
            c.line(&format!("legal_basis[{i}].article"), &r.article, false);
        }
        c.list("life_situations", &self.life_situations, false);
        // §4–§6
        c.texts("information_sources", &self.information_sources, true);
        c.texts("result.name", &self.result.name, true);
        c.list("result.forms", &self.result.forms, true);
        if c.strict && !self.recipients.individuals && !self.recipients.legal_entities {
            c.push("recipients", Reason::Required);
        }
        c.texts("recipients.description", &self.recipients.description, true);
        // §7
        c.minutes("terms.max_wait_minutes", self.terms.max_wait_minutes);
        c.minutes("terms.max_service_minutes", self.terms.max_service_minutes);
        c.optional_texts("terms.other", &self.terms.other);
        // §8
        if !self.fee.paid && self.fee.amount_kzt.is_some_and(|a| a > 0) {
            c.push("fee.amount_kzt", Reason::OutOfRange);
        }
        if self.fee.paid {
            if c.strict && self.fee.amount_kzt.is_none() && self.fee.description.is_blank() {
                c.push("fee.amount_kzt", Reason::Required);
            }
            c.optional_texts("fee.description", &self.fee.description);
            c.texts("fee.payment_form", &self.fee.payment_form, true);
            c.optional_texts("fee.receipt", &self.fee.receipt);
        } else {
            c.optional_texts("fee.description", &self.fee.description);
            c.optional_texts("fee.payment_form", &self.fee.payment_form);
            c.optional_texts("fee.receipt", &self.fee.receipt);
        }
        if let Some(e) = &self.expedited {
            c.texts("expedited.conditions", &e.conditions, true);
        }
        // §9, §10
        if let Some(p) = &self.pre_registration {
            c.texts("pre_registration", p, true);
        }
        c.texts("place_conditions", &self.place_conditions, true);
        // §11
        c.list("documents", &self.documents, true);
        let mut seen = BTreeSet::new();
        for (i, d) in self.documents.iter().enumerate() {
            let f = format!("documents[{i}]");
            c.code(&format!("{f}.code"), &d.code, &mut seen);
            c.texts(&format!("{f}.name"), &d.name, true);
            if !(1..=20).contains(&d.copies) {
                c.push(format!("{f}.copies"), Reason::OutOfRange);
            }
            c.optional_texts(&format!("{f}.who"), &d.who);
            if let Some(s) = &d.from_system {
                c.line(&format!("{f}.from_system"), s, true);
            }
            c.optional_texts(&format!("{f}.requirements"), &d.requirements);
        }
        // §12–§16
        c.texts("forms", &self.forms, true);
        c.texts("where_to_submit", &self.where_to_submit, true);
        c.texts("internal_procedure", &self.internal_procedure, true);
        c.texts("confirmation", &self.confirmation, true);
        c.list("delivery", &self.delivery, true);
        // §17: a service may have no ground for suspension, but a complete list of refusals
        // is what 003 §17 and 001 §22 rest on.
        c.grounds("suspension_grounds", &self.suspension_grounds, false);
        c.grounds("refusal_grounds", &self.refusal_grounds, true);
        // §18
        c.texts("principles", &self.principles, true);
        // §21–§26
        let k = &self.complaints;
        c.texts("complaints.help", &k.help, true);
        c.texts("complaints.appeal", &k.appeal, true);
        if let Some(o) = &k.appeal_organization {
            c.line("complaints.appeal_organization", o, true);
        }
        c.texts("complaints.improper_service", &k.improper_service, true);
        c.texts("complaints.documents", &k.documents, true);
        c.texts("complaints.acknowledgement", &k.acknowledgement, true);
        c.optional_texts("complaints.other", &k.other);
        // 000 §2
        c.list("informing", &self.informing, false);
        let mut stages = BTreeSet::new();
        for (i, n) in self.informing.iter().enumerate() {
            let f = format!("informing[{i}]");
            if !stages.insert(n.stage) {
                c.push(format!("{f}.stage"), Reason::DuplicateStage);
            }
            c.texts(&format!("{f}.message"), &n.message, true);
            for (lang, m) in n.message.languages() {
                if placeholders(m).is_none() {
                    c.push(format!("{f}.message.{lang}"), Reason::BadPlaceholder);
                }
            }
        }
        // Extensions
        if self.extensions.len() > LIST_MAX {
            c.push("extensions", Reason::TooMany);
        }
        for (name, t) in &self.extensions {
            if !is_code(name) {
                c.push(format!("extensions.{name}"), Reason::BadCode);
            }
            c.texts(&format!("extensions.{name}"), t, true);
        }
        c.problems
    }

    /// The notice for `stage`, when the passport informs the applicant of it.
    pub fn notice(&self, stage: Stage) -> Option<&StageNotice> {
        self.informing.iter().find(|n| n.stage == stage)
    }

    /// The ground of `code` among the suspension grounds (`suspension == true`) or the refusal
    /// grounds.
    pub fn ground(&self, suspension: bool, code: &str) -> Option<&Ground> {
        self.grounds(suspension).iter().find(|g| g.code == code)
    }

    /// The suspension grounds (`suspension == true`) or the refusal grounds.
    pub fn grounds(&self, suspension: bool) -> &[Ground] {
        if suspension {
            &self.suspension_grounds
        } else {
            &self.refusal_grounds
        }
    }

    /// The documents the applicant brings: those not obtained from an information system
    /// (001 §22).
    pub fn documents_to_bring(&self) -> impl Iterator<Item = &RequiredDocument> {
        self.documents.iter().filter(|d| d.from_system.is_none())
    }
}

/// The top-level fields that differ between two passports, each with its value in `a` and
/// in `b` (`null` where one lacks it): what a diff between two versions lists. In the order of
/// the JSON object's keys (by name, serde_json's map without `preserve_order`).
pub fn changes(a: &Passport, b: &Passport) -> Vec<(String, serde_json::Value, serde_json::Value)> {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(a), serde_json::to_value(b))
    else {
        return vec![];
    };
    let value = |m: &serde_json::Map<String, serde_json::Value>, k: &str| {
        m.get(k).cloned().unwrap_or_default()
    };
    let mut out: Vec<_> = a
        .iter()
        .filter(|(k, v)| b.get(*k) != Some(v))
        .map(|(k, v)| (k.clone(), v.clone(), value(&b, k)))
        .collect();
    out.extend(
        b.iter()
            .filter(|(k, _)| !a.contains_key(*k))
            .map(|(k, v)| (k.clone(), serde_json::Value::Null, v.clone())),
    );
    out
}

/// The names of the top-level fields that differ between two passports ([`changes`]).
pub fn changed_fields(a: &Passport, b: &Passport) -> Vec<String> {
    changes(a, b).into_iter().map(|(k, _, _)| k).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::Time;

    fn hours(a: (i8, i8), b: (i8, i8)) -> WorkingHours {
        WorkingHours::new(
            Time::constant(a.0, a.1, 0, 0),
            Time::constant(b.0, b.1, 0, 0),
        )
        .unwrap()
    }

    fn kr(s: &str) -> Texts {
        Texts::new(&format!("{s} (kk)"), &format!("{s} (ru)"), "")
    }

    /// A passport complete enough to publish.
    pub(crate) fn complete() -> Passport {
        Passport {
            providers: vec![ProviderPlace {
                organization: "AKIM".into(),
                address: kr("address"),
                schedule: Schedule {
                    days: vec![Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri],
                    hours: hours((9, 0), (18, 30)),
                    breaks: vec![hours((13, 0), (14, 30))],
                    note: Texts::default(),
                },
            }],
            automation: Automation::Partly,
            legal_basis: vec![LegalReference {
                act: kr("law"),
                article: "10".into(),
            }],
            information_sources: kr("sources"),
            result: ServiceResult {
                name: kr("certificate"),
                forms: vec![ResultForm::Electronic],
            },
            recipients: Recipients {
                individuals: true,
                legal_entities: false,
                description: kr("citizens"),
            },
            terms: Terms {
                counted_from: TermStart::Documents,
                max_wait_minutes: Some(15),
                max_service_minutes: Some(15),
                other: Texts::default(),
            },
            fee: Fee::default(),
            expedited: None,
            pre_registration: None,
            place_conditions: kr("place"),
            information_online: true,
            life_situations: vec![LifeSituation::Archives],
            documents: vec![RequiredDocument {
                code: "application".into(),
                name: kr("application"),
                form: DocumentForm::Original,
                copies: 1,
                who: Texts::default(),
                from_system: None,
                requirements: Texts::default(),
            }],
            forms: kr("forms"),
            where_to_submit: kr("where"),
            internal_procedure: kr("procedure"),
            confirmation: kr("receipt"),
            delivery: vec![Delivery::InPerson],
            suspension_grounds: vec![],
            refusal_grounds: vec![Ground {
                code: "false-data".into(),
                text: kr("false data"),
                legal_reference: "Law, art. 19-1".into(),
            }],
            principles: kr("principles"),
            complaints: Complaints {
                help: kr("help"),
                appeal: kr("appeal"),
                appeal_organization: None,
                improper_service: kr("improper"),
                documents: kr("documents"),
                acknowledgement: kr("ack"),
                other: Texts::default(),
            },
            informing: vec![StageNotice {
                stage: Stage::ReadyForIssue,
                message: Texts::new(
                    "{number} өтініміңіз дайын",
                    "Заявка {number} готова: {status_url}",
                    "",
                ),
            }],
            extensions: BTreeMap::new(),
        }
    }

    fn fields(p: &[Problem]) -> Vec<(&str, &str)> {
        p.iter()
            .map(|p| (p.field.as_str(), p.reason.code()))
            .collect()
    }

    #[test]
    fn a_complete_passport_may_be_published() {
        assert_eq!(fields(&complete().check(Strictness::Publish)), vec![]);
    }

    #[test]
    fn an_empty_draft_may_be_saved_but_not_published() {
        let empty = Passport::default();
        assert_eq!(fields(&empty.check(Strictness::Draft)), vec![]);
        let problems = empty.check(Strictness::Publish);
        let f = fields(&problems);
        for required in [
            "providers",
            "legal_basis",
            "information_sources",
            "result.name",
            "documents",
            "refusal_grounds",
            "complaints.acknowledgement",
            "delivery",
        ] {
            assert!(f.contains(&(required, "required")), "{required}: {f:?}");
        }
        // A service may have no ground for suspension, and nobody is informed by default.
        assert!(!f.iter().any(|(k, _)| *k == "suspension_grounds"));
        assert!(!f.iter().any(|(k, _)| *k == "informing"));
    }

    #[test]
    fn a_language_missing_blocks_publication_and_names_the_language() {
        let mut p = complete();
        p.documents[0].name.kk.clear();
        p.complaints.appeal.ru = "  ".into();
        assert_eq!(
            fields(&p.check(Strictness::Publish)),
            vec![
                ("documents[0].name.kk", "language_missing"),
                ("complaints.appeal.ru", "language_missing"),
            ]
        );
        // English may stay empty, and a draft may lack a language.
        assert_eq!(fields(&p.check(Strictness::Draft)), vec![]);
    }

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut p = complete();
        let d = p.documents[0].clone();
        p.documents.push(d);
        p.refusal_grounds[0].code = "кириллица".into();
        assert_eq!(
            fields(&p.check(Strictness::Draft)),
            vec![
                ("documents[1].code", "duplicate"),
                ("refusal_grounds[0].code", "bad_code"),
            ]
        );
    }

    #[test]
    fn numbers_and_breaks_are_in_range() {
        let mut p = complete();
        p.documents[0].copies = 0;
        p.terms.max_wait_minutes = Some(0);
        p.fee.amount_kzt = Some(500);
        p.providers[0].schedule.breaks = vec![hours((8, 0), (9, 30))];
        assert_eq!(
            fields(&p.check(Strictness::Draft)),
            vec![
                ("providers[0].schedule.breaks[0]", "bad_break"),
                ("terms.max_wait_minutes", "out_of_range"),
                ("fee.amount_kzt", "out_of_range"),
                ("documents[0].copies", "out_of_range"),
            ]
        );
        let mut p = complete();
        p.providers[0].schedule.breaks = vec![hours((12, 0), (13, 30)), hours((13, 0), (14, 0))];
        assert_eq!(
            fields(&p.check(Strictness::Draft)),
            vec![("providers[0].schedule.breaks", "bad_break")]
        );
    }

    #[test]
    fn a_paid_service_says_how_much_and_how_to_pay() {
        let mut p = complete();
        p.fee.paid = true;
        assert_eq!(
            fields(&p.check(Strictness::Publish)),
            vec![
                ("fee.amount_kzt", "required"),
                ("fee.payment_form", "required")
            ]
        );
        p.fee.description = kr("0.5 MRP");
        p.fee.payment_form = kr("bank");
        assert_eq!(fields(&p.check(Strictness::Publish)), vec![]);
    }

    #[test]
    fn a_notice_uses_known_placeholders_once_per_stage() {
        let mut p = complete();
        p.informing[0].message.ru = "Заявка {nomer}".into();
        let n = p.informing[0].clone();
        p.informing.push(n);
        let problems = p.check(Strictness::Draft);
        let f = fields(&problems);
        assert!(
            f.contains(&("informing[0].message.ru", "bad_placeholder")),
            "{f:?}"
        );
        assert!(
            f.contains(&("informing[1].stage", "duplicate_stage")),
            "{f:?}"
        );
        assert_eq!(
            placeholders("a {number} b {status_url}"),
            Some(vec!["number", "status_url"])
        );
        assert_eq!(placeholders("a {number"), None);
        assert_eq!(placeholders("a number}"), None);
    }

    #[test]
    fn a_message_is_rendered_with_its_values() {
        assert_eq!(
            render(
                "Өтінім {number} дайын: {status_url}",
                &[
                    ("number", "001-2026-000001"),
                    ("status_url", "https://x/status")
                ]
            ),
            "Өтінім 001-2026-000001 дайын: https://x/status"
        );
        assert_eq!(render("{other} {", &[]), "{other} {");
    }

    #[test]
    fn invalid_text_is_refused_even_in_a_draft() {
        let mut p = Passport::default();
        p.forms.ru = "a\u{202E}b".into();
        assert_eq!(
            fields(&p.check(Strictness::Draft)),
            vec![("forms.ru", "text_bidi_control")]
        );
    }

    #[test]
    fn the_documents_to_bring_leave_out_those_from_a_system() {
        let mut p = complete();
        let mut d = p.documents[0].clone();
        d.code = "identity".into();
        d.from_system = Some("ГБД ФЛ".into());
        p.documents.push(d);
        let codes: Vec<_> = p.documents_to_bring().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, vec!["application"]);
    }

    #[test]
    fn a_passport_reads_back_what_it_wrote_and_refuses_unknown_fields() {
        let p = complete();
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Passport>(&json).unwrap(), p);
        let mut v = serde_json::to_value(&p).unwrap();
        v["fees"] = serde_json::json!(1);
        assert!(serde_json::from_value::<Passport>(v).is_err());
    }

    #[test]
    fn a_diff_names_the_fields_that_changed() {
        let a = complete();
        let mut b = complete();
        b.fee.paid = true;
        b.documents[0].copies = 2;
        let mut changed = changed_fields(&a, &b);
        changed.sort();
        assert_eq!(changed, vec!["documents", "fee"]);
        assert!(changed_fields(&a, &a).is_empty());
    }
}
