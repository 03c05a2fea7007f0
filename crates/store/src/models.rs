//! What the store keeps and returns: the registry, applications with their projection,
//! events, outages, tokens. Validated domain types are used wherever a value has rules.

use jiff::civil::Date;
use jiff::Timestamp;
use qyzmet_domain::ids::{ApplicationNumber, Bin, OrgCode, ServiceCode, TaxId};
use qyzmet_domain::stage::{Event, Outcome, Stage};
use qyzmet_domain::{Term, WorkingHours};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A name in the three languages of the system.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalizedName {
    pub kk: String,
    pub ru: String,
    pub en: String,
}

impl LocalizedName {
    /// The name in `lang` (`kk`, `ru`, `en`), else in Russian, Kazakh, English: never empty
    /// while any language has one.
    pub fn get(&self, lang: &str) -> &str {
        qyzmet_domain::localized::pick(lang, &self.kk, &self.ru, &self.en)
    }
}

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }

        impl FromStr for $name {
            type Err = ();
            fn from_str(s: &str) -> Result<Self, ()> {
                match s { $($text => Ok($name::$variant),)+ _ => Err(()) }
            }
        }
    };
}

string_enum! {
    /// Kinds of organizations in the registry (000 §12 lists them for the report).
    OrgKind {
        CentralStateBody = "central_state_body",
        Department = "department",
        TerritorialUnit = "territorial_unit",
        SubordinateOrganization = "subordinate_organization",
        LocalExecutiveBody = "local_executive_body",
        StateCorpBranch = "state_corp_branch",
        OtherProvider = "other_provider",
    }
}

string_enum! {
    /// Whether an organization's events must, may or need not be signed (issue 3, 000 §8).
    SignaturePolicy {
        Required = "required",
        Optional = "optional",
        Off = "off",
    }
}

string_enum! {
    /// What a workstation user may do (issue 4): administrators keep the registry, analysts
    /// read everything, operators work their organization's sub-tree, supervisors also reassign.
    UserRole {
        Administrator = "administrator",
        Analyst = "analyst",
        Operator = "operator",
        Supervisor = "supervisor",
    }
}

impl UserRole {
    /// Operators and supervisors work for an organization; administrators and analysts do not.
    pub fn needs_organization(self) -> bool {
        matches!(self, UserRole::Operator | UserRole::Supervisor)
    }
}

string_enum! {
    /// Where an application was filed.
    Channel {
        Provider = "provider",
        StateCorp = "state_corp",
        Portal = "portal",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InformationSystem {
    pub code: String,
    pub name: LocalizedName,
    pub operator: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organization {
    pub id: i64,
    pub code: OrgCode,
    pub parent_code: Option<OrgCode>,
    /// Materialized path of ids ('/1/7/42/'): the sub-tree is every path with this prefix.
    pub path: String,
    pub kind: OrgKind,
    pub bin: Bin,
    pub name: LocalizedName,
    pub working_hours: WorkingHours,
    /// Whether its events must, may or need not be signed.
    pub signature_policy: SignaturePolicy,
    pub created_at: Timestamp,
    /// Bumped by every edit of its names, BIN or working hours: an edit made from an older
    /// revision is refused (optimistic concurrency).
    pub revision: i64,
}

/// What an administrator may change of an organization. Its code and its parent are not
/// editable: the tree path they make scopes tokens, users and reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationEdit {
    pub bin: Bin,
    pub name: LocalizedName,
    pub working_hours: WorkingHours,
}

#[derive(Debug, Clone)]
pub struct NewOrganization {
    pub code: OrgCode,
    pub parent: Option<OrgCode>,
    pub kind: OrgKind,
    pub bin: Bin,
    pub name: LocalizedName,
    pub working_hours: WorkingHours,
}

/// One term variant of a service (rule 1): e.g. "standard" 15 calendar days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermVariant {
    pub variant: String,
    pub term: Term,
    /// What the variant is, in each language ("Standard term", «Стандартный срок»); empty
    /// when it was registered without one.
    #[serde(default)]
    pub name: LocalizedName,
}

impl TermVariant {
    /// The variant's name in `lang`, else in Russian, Kazakh, English; its code when it has
    /// no name in any language.
    pub fn name_in(&self, lang: &str) -> &str {
        match self.name.get(lang) {
            "" => &self.variant,
            name => name,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Service {
    pub id: i64,
    pub code: ServiceCode,
    pub organization_code: OrgCode,
    pub name: LocalizedName,
    pub acceptance_day_counted: bool,
    pub channels: Vec<Channel>,
    pub depends_on: Vec<String>,
    /// Version of the term variants in force today (a change of terms adds a version, in force
    /// from its effective date).
    pub terms_version: i64,
    /// The variants in force; the first is the default.
    pub terms: Vec<TermVariant>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Bumped by every edit of its names, provider, channels or systems (not by a change of
    /// terms, which has versions of its own): an edit made from an older revision is refused.
    pub revision: i64,
}

/// What an administrator may change of a service besides its terms. Its code is not
/// editable; its provider only while no application of it is registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceEdit {
    pub organization: OrgCode,
    pub name: LocalizedName,
    pub channels: Vec<Channel>,
    pub depends_on: Vec<String>,
}

/// A new version of a service's terms: its variants, the day from which registrations use
/// it, and the legal act that changed them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermsChange {
    pub terms: Vec<TermVariant>,
    pub effective_from: Date,
    pub legal_basis: String,
}

/// One version of a service's terms, as its history lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermsVersion {
    pub version: i64,
    pub effective_from: Date,
    /// Empty for versions recorded before legal bases were (migration 0014).
    pub legal_basis: String,
    pub actor: String,
    pub created_at: Timestamp,
    pub terms: Vec<TermVariant>,
}

#[derive(Debug, Clone)]
pub struct NewService {
    pub code: ServiceCode,
    pub organization: OrgCode,
    pub name: LocalizedName,
    pub acceptance_day_counted: bool,
    pub channels: Vec<Channel>,
    pub depends_on: Vec<String>,
    pub terms: Vec<TermVariant>,
}

/// The applicant data of 000 §7.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Applicant {
    pub id: TaxId,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
}

/// A registration (000 §7, §9–10).
#[derive(Debug, Clone)]
pub struct NewApplication {
    pub service: ServiceCode,
    pub term_variant: Option<String>,
    pub applicant: Applicant,
    pub channel: Channel,
    /// Documents travel to the provider on paper (rule 4, 001 §25).
    pub paper: bool,
    pub acceptance_place: OrgCode,
    /// The executing organization; the service's responsible organization when absent.
    pub executor: Option<OrgCode>,
    pub executor_person: Option<String>,
    pub accepted_at: Timestamp,
    pub external_id: Option<String>,
    /// The signature the registration arrived with, verified.
    pub signature: Option<SignatureEvidence>,
    /// Where and in which language to inform the applicant (000 §2).
    pub contact: Option<qyzmet_domain::contact::Contact>,
}

/// A workstation user to create; the password arrives already hashed.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Lower case, validated by the caller.
    pub username: String,
    /// PHC string (argon2id).
    pub password_hash: String,
    pub role: UserRole,
    pub organization: Option<OrgCode>,
}

/// A workstation user as stored (never with the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub role: UserRole,
    pub organization: Option<OrgCode>,
    pub language: String,
    pub created_at: Timestamp,
    /// The person's full name and position (issue 16, B.6); empty until an administrator
    /// sets them. Personal data: never in logs.
    pub full_name: String,
    pub position: String,
    /// The password was set by an administrator: the user changes it before anything else.
    pub must_change_password: bool,
}

/// Why and by whom a user is blocked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Block {
    pub at: Timestamp,
    /// The actor who blocked (`user:ID`, `cli:NAME`).
    pub by: String,
    pub reason: String,
}

/// A user as the administrator sees it: the account and its state (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRecord {
    pub user: User,
    pub block: Option<Block>,
    /// The lockout after repeated failures (ADR 0014), while it lasts or until it is cleared.
    pub locked_until: Option<Timestamp>,
    pub failed_attempts: i64,
    pub last_sign_in_at: Option<Timestamp>,
}

/// A verified signature kept with what it signed: the CMS as received and the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureEvidence {
    /// attached | detached
    pub form: String,
    /// DER CMS SignedData.
    pub cms: Vec<u8>,
    /// The verification report, JSON.
    pub report: String,
}

/// What proves one entry of an application's history (seq 0: the registration): its place in
/// the global ledger and, when it was signed, the signature's report.
#[derive(Debug, Clone, PartialEq)]
pub struct EventEvidence {
    pub seq: i64,
    /// Position in the global ledger and the ledger's head after it.
    pub ledger: Option<(i64, String)>,
    /// attached | detached, and the verification report.
    pub signature: Option<(String, serde_json::Value)>,
}

/// An application with its projection, as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Application {
    pub number: ApplicationNumber,
    pub service_code: ServiceCode,
    pub terms_version: i64,
    /// The version of the service's passport in force when it was registered (issue 17);
    /// `None` when none was published then.
    pub passport_version: Option<i64>,
    pub term_variant: String,
    pub term: Term,
    pub acceptance_day_counted: bool,
    pub paper: bool,
    pub channel: Channel,
    pub applicant: Applicant,
    pub acceptance_place: OrgCode,
    pub executor: OrgCode,
    pub executor_person: Option<String>,
    pub working_hours: WorkingHours,
    pub external_id: Option<String>,
    pub accepted_at: Timestamp,
    pub effective_acceptance: Timestamp,
    pub planned_date: Date,
    pub deadline: Timestamp,
    pub original_planned_date: Date,
    pub derivation: serde_json::Value,
    pub stage: Stage,
    pub outcome: Option<Outcome>,
    pub actual_completion: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
    pub suspended: bool,
    pub overdue: bool,
    pub overdue_seconds: i64,
    pub nearing: bool,
    pub event_count: i64,
    pub head_hash: String,
    pub recorded_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Application {
    /// The application as of `now`. While its clock runs past the deadline it is overdue by
    /// the time elapsed since (rule 8, 000 §11), rounded up to the second as the projection
    /// does; the stored flag and duration are those of the last write (the sweep flags an
    /// application once, when it crosses its deadline, and does not rewrite it afterwards).
    pub fn at(mut self, now: Timestamp) -> Application {
        if self.actual_completion.is_none() && !self.suspended && now > self.deadline {
            let late_us = now.as_microsecond() - self.deadline.as_microsecond();
            self.overdue = true;
            self.nearing = false;
            self.overdue_seconds = self.overdue_seconds.max((late_us + 999_999) / 1_000_000);
        }
        self
    }
}

/// An event as recorded in the append-only history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordedEvent {
    pub number: ApplicationNumber,
    pub seq: i64,
    pub event: Event,
    pub executor_person: Option<String>,
    pub recorded_at: Timestamp,
    pub actor: String,
    pub chain_hash: String,
}

/// A change of an application's planned date, kept with its reason (rule 1, calendar edits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadlineChange {
    pub old_planned_date: Date,
    pub new_planned_date: Date,
    pub old_deadline: Timestamp,
    pub new_deadline: Timestamp,
    pub reason: String,
    pub changed_at: Timestamp,
}

/// An application with its whole history.
#[derive(Debug, Clone, Serialize)]
pub struct ApplicationDetail {
    pub application: Application,
    pub events: Vec<RecordedEvent>,
    pub deadline_changes: Vec<DeadlineChange>,
    /// The registration's (seq 0) and each event's ledger entry and signature.
    #[serde(skip)]
    pub evidence: Vec<EventEvidence>,
}

/// An event to ingest, addressed to an application.
#[derive(Debug, Clone)]
pub struct IncomingEvent {
    pub number: ApplicationNumber,
    pub event: Event,
    /// With `executor_changed`: the person, if named.
    pub executor_person: Option<String>,
    /// The signature it arrived with, verified.
    pub signature: Option<SignatureEvidence>,
    /// A suspension or a refusal must name a ground when the application's passport lists
    /// grounds of its kind (the workstation's rule, 003 §17); the API leaves it optional.
    pub ground_required: bool,
}

/// Why one event was not recorded.
#[derive(Debug, Clone, PartialEq)]
pub enum EventFailure {
    /// No such application in the caller's scope.
    NotFound,
    /// The id was used before with different content.
    IdConflict,
    /// The stage machine refuses it.
    Rejected(qyzmet_domain::stage::Rejection),
    /// A referenced value does not exist (e.g. the new executor organization).
    Invalid {
        field: &'static str,
        code: &'static str,
    },
}

pub type EventResult = Result<RecordedEvent, EventFailure>;

/// Who is asking: an administrator sees everything; an organization its own sub-tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Admin,
    Organization { id: i64, path: String },
}

impl Scope {
    /// The sub-tree's path; `None` for every organization.
    pub fn path(&self) -> Option<&str> {
        match self {
            Scope::Admin => None,
            Scope::Organization { path, .. } => Some(path.as_str()),
        }
    }

    /// Whether an application with these acceptance and executor paths is visible.
    pub fn sees(&self, accept_path: &str, exec_path: &str) -> bool {
        match self {
            Scope::Admin => true,
            Scope::Organization { path, .. } => {
                accept_path.starts_with(path.as_str()) || exec_path.starts_with(path.as_str())
            }
        }
    }
}

/// Filters of the application list; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct ApplicationFilter {
    /// An organization's path: applications accepted or executed in its sub-tree.
    pub organization_path: Option<String>,
    /// An organization's path: applications executed in its sub-tree.
    pub executor_path: Option<String>,
    pub service_id: Option<i64>,
    pub stage: Option<Stage>,
    pub overdue: Option<bool>,
    pub nearing: Option<bool>,
    /// Still waiting for completion (no stage 4 or later yet).
    pub pending: Option<bool>,
    pub accepted_from: Option<Timestamp>,
    pub accepted_to: Option<Timestamp>,
    pub planned_from: Option<Date>,
    pub planned_to: Option<Date>,
    /// Completed (stage 4 or later reached) at or after.
    pub completed_from: Option<Timestamp>,
    /// Completed before.
    pub completed_to: Option<Timestamp>,
    /// Deadline at or after.
    pub deadline_from: Option<Timestamp>,
    /// Deadline before.
    pub deadline_to: Option<Timestamp>,
    /// What staff searched for (issue 16 B.2).
    pub search: Option<ApplicationSearch>,
    pub order: ListOrder,
}

/// A list's search, understood: a number, an applicant's IIN/BIN, or a surname.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplicationSearch {
    /// The application with this number.
    Number(ApplicationNumber),
    /// The applications of this applicant (an individual's IIN or a legal entity's BIN).
    Applicant(TaxId),
    /// Applicants whose surname's key (`qyzmet_domain::search::name_key`) is this.
    Surname(String),
}

/// How many applications a list holds, counted up to a bound: exact when `more` is false,
/// else at least `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListTotal {
    pub count: i64,
    pub more: bool,
}

/// The order of an application list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListOrder {
    /// Newest acceptance first: (accepted_at DESC, number DESC).
    #[default]
    NewestFirst,
    /// Earliest planned date first: (planned_date ASC, number ASC), what is due next on top.
    DueFirst,
}

/// Keyset position in a list, in the list's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListCursor {
    Newest { accepted_at_us: i64, number: i64 },
    Due { planned_date: Date, number: i64 },
}

/// An information-system outage (000 §12, MISSION "Technical-cause violations").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outage {
    pub id: i64,
    pub started_at: Timestamp,
    pub ended_at: Option<Timestamp>,
    pub all_systems: bool,
    pub systems: Vec<String>,
    pub operator: String,
    pub description: String,
    pub recorded_by: String,
    pub recorded_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct NewOutage {
    pub started_at: Timestamp,
    pub ended_at: Option<Timestamp>,
    pub all_systems: bool,
    pub systems: Vec<String>,
    pub operator: String,
    pub description: String,
}

/// A resolved API token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    pub id: i64,
    pub label: String,
    pub scope: Scope,
    /// The token's organization as a signer: its BIN and signature policy (none for admins).
    pub signer: Option<OrgSigner>,
}

/// What a signature on an organization's data is checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgSigner {
    pub code: String,
    pub bin: String,
    pub policy: SignaturePolicy,
}

/// A checkpoint of the ledger signed with the server's key: the head after `position`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub position: i64,
    pub head: String,
    pub signed_at: Timestamp,
    /// SHA-256 of the signing key's public key (SPKI DER), hex.
    pub key_id: String,
    /// Base64 signature over [`Checkpoint::message`].
    pub signature: String,
}

impl Checkpoint {
    /// The bytes a checkpoint's signature covers.
    pub fn message(position: i64, head: &str, signed_at: Timestamp) -> Vec<u8> {
        format!(
            "qyzmet/checkpoint/1\n{position}\n{head}\n{}\n",
            signed_at.as_microsecond()
        )
        .into_bytes()
    }
}

/// One entry of the personal-data access audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: Timestamp,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

/// Counts of one sweep (000 §11).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SweepCounts {
    pub became_overdue: u64,
    pub became_nearing: u64,
}

/// A calendar edit and its consequences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalendarEditResult {
    pub day: Date,
    pub recomputed: u64,
    pub changed: u64,
}

/// What bringing a stored calendar up to the shipped one did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CalendarSync {
    /// Days rewritten without a change of working status (a name or a source corrected, a
    /// holiday on a Saturday or Sunday added), in one transaction.
    pub updated: u64,
    /// Days whose working status changed, each with the applications it recomputed.
    pub recomputed: Vec<CalendarEditResult>,
    /// Days that differ from the shipped calendar but were last edited by an administrator:
    /// left as they are.
    pub kept: Vec<Date>,
}
