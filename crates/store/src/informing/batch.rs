//! What a change tells the outside, decided inside its transaction (DESIGN: the outbox): the
//! applicant's message when an application reaches a stage its passport flags (000 §2), and
//! a post to every webhook of an organization the application belongs to. Pure: the rows are
//! built from what the drivers read (`ingest.rs`, `native/ingest.rs`, `applications.rs`).

use crate::models::RecordedEvent;
use crate::passports::PassportKey;
use qyzmet_domain::contact::Language;
use qyzmet_domain::ids::ApplicationNumber;
use qyzmet_domain::notification::{compose, Facts};
use qyzmet_domain::passport::Passport;
use qyzmet_domain::stage::{EventKind, Stage};
use std::collections::HashMap;
use std::sync::Arc;

/// The status page's address is not the store's to know: messages keep this placeholder and
/// the delivery job fills it from the configured public address.
pub const STATUS_URL: &str = "{status_url}";
/// The public site's address (no trailing slash), for links to other public pages (a
/// booking's page): filled by the delivery job like [`STATUS_URL`].
pub const SITE_URL: &str = "{site_url}";

/// The contacts of a batch's applications (rows of `applicant_contacts`, with what a message
/// names), by the columns of [`CONTACTS_SELECT`].
pub(crate) const CONTACTS_SELECT: &str =
    "SELECT c.app_id, c.email, c.phone, c.language, a.service_id, a.passport_version, \
     s.name_kk, s.name_ru FROM applicant_contacts c JOIN applications a ON a.id = c.app_id \
     JOIN services s ON s.id = a.service_id WHERE c.app_id IN (";

/// The active webhooks with their organizations' paths.
pub(crate) const HOOKS_SELECT: &str = "SELECT w.id, o.path FROM webhooks w \
     JOIN organizations o ON o.id = w.organization_id WHERE w.active ORDER BY w.id";

/// Head of the multi-row outbox insert (8 columns a row, [`OutboxRow::values`]); a key
/// already written (a retried change) is left as it is.
pub(crate) const OUTBOX_INSERT: &str = "INSERT INTO outbox (key, channel, app_id, webhook_id, \
     recipient, subject, body, state, attempts, next_attempt_at, created_at, updated_at) ";
pub(crate) const OUTBOX_INSERT_TAIL: &str = " ON CONFLICT (key) DO NOTHING";

/// One applicant's contact, as read with [`CONTACTS_SELECT`].
#[derive(Debug, Clone)]
pub(crate) struct Addressee {
    pub app_id: i64,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub language: Language,
    pub service_id: i64,
    pub passport_version: Option<i64>,
    pub service_kk: String,
    pub service_ru: String,
}

/// A row of [`CONTACTS_SELECT`].
#[derive(sqlx::FromRow, serde::Deserialize)]
pub(crate) struct ContactRow {
    pub app_id: i64,
    email: Option<String>,
    phone: Option<String>,
    language: String,
    service_id: i64,
    passport_version: Option<i64>,
    name_kk: String,
    name_ru: String,
}

impl From<ContactRow> for Addressee {
    fn from(r: ContactRow) -> Addressee {
        Addressee {
            app_id: r.app_id,
            email: r.email,
            phone: r.phone,
            language: language(&r.language),
            service_id: r.service_id,
            passport_version: r.passport_version,
            service_kk: r.name_kk,
            service_ru: r.name_ru,
        }
    }
}

/// An active webhook and its organization's path.
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub(crate) struct Hook {
    pub id: i64,
    pub path: String,
}

/// A row to write to the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OutboxRow {
    pub key: String,
    pub channel: &'static str,
    pub app_id: i64,
    pub webhook_id: Option<i64>,
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

/// What the batch's rows are built from: one application's change.
pub(crate) struct Change<'a> {
    pub app_id: i64,
    pub number: ApplicationNumber,
    pub accept_path: &'a str,
    pub exec_path: &'a str,
    /// The planned date after the change (YYYY-MM-DD).
    pub planned_date: String,
    /// The position in the history (0: the registration itself).
    pub seq: i64,
    /// The stage reached, when the change is a stage (the registration reaches `accepted`).
    pub stage: Option<Stage>,
    /// What happened: the webhook's payload is made of it, only when a webhook takes it.
    pub what: What<'a>,
}

/// The change itself.
pub(crate) enum What<'a> {
    Registered(&'a crate::models::NewApplication),
    Event(&'a RecordedEvent),
}

impl<'a> Change<'a> {
    /// A recorded event of an application at `accept_path`/`exec_path`.
    pub(crate) fn event(
        app_id: i64,
        e: &'a RecordedEvent,
        accept_path: &'a str,
        exec_path: &'a str,
        planned_date: String,
    ) -> Change<'a> {
        let stage = match &e.event.kind {
            EventKind::Stage { stage, .. } => Some(*stage),
            _ => None,
        };
        Change {
            app_id,
            number: e.number,
            accept_path,
            exec_path,
            planned_date,
            seq: e.seq,
            stage,
            what: What::Event(e),
        }
    }

    /// A registration: stage 1 reached (000 §6).
    pub(crate) fn registration(
        app_id: i64,
        number: ApplicationNumber,
        accept_path: &'a str,
        exec_path: &'a str,
        planned_date: String,
        a: &'a crate::models::NewApplication,
    ) -> Change<'a> {
        Change {
            app_id,
            number,
            accept_path,
            exec_path,
            planned_date,
            seq: 0,
            stage: Some(Stage::Accepted),
            what: What::Registered(a),
        }
    }

    /// The webhook's payload: the change, without personal data or free text.
    fn payload(&self) -> String {
        let number = self.number.to_string();
        match self.what {
            What::Registered(a) => serde_json::json!({
                "type": "application.registered",
                "number": number,
                "seq": 0,
                "service_code": a.service.to_string(),
                "channel": a.channel.as_str(),
                "accepted_at": a.accepted_at.to_string(),
                "planned_date": self.planned_date,
            }),
            What::Event(e) => {
                let (kind, outcome) = match &e.event.kind {
                    EventKind::Stage { outcome, .. } => ("stage", outcome.map(|o| o.as_str())),
                    EventKind::Suspended { .. } => ("suspended", None),
                    EventKind::Resumed { .. } => ("resumed", None),
                    EventKind::ExecutorChanged { .. } => ("executor_changed", None),
                    EventKind::Scanned { .. } => ("scanned", None),
                };
                serde_json::json!({
                    "type": "application.event",
                    "number": number,
                    "seq": e.seq,
                    "event": {
                        "id": e.event.id.to_string(),
                        "type": kind,
                        "stage": self.stage.map(|s| s.as_str()),
                        "outcome": outcome,
                        "occurred_at": e.event.occurred_at.to_string(),
                    },
                    "recorded_at": e.recorded_at.to_string(),
                    "planned_date": self.planned_date,
                })
            }
        }
        .to_string()
    }
}

/// The outbox rows of `changes`: the applicant's message for each stage the passport flags,
/// by e-mail and by SMS as the contact allows, and a post to each webhook whose organization
/// accepted or executes the application (or is above one that does).
pub(crate) fn rows(
    changes: &[Change],
    contacts: &HashMap<i64, Addressee>,
    passports: &HashMap<PassportKey, Arc<Passport>>,
    hooks: &[Hook],
) -> Vec<OutboxRow> {
    let mut out = Vec::new();
    for c in changes {
        let number = c.number.to_string();
        if let (Some(stage), Some(to)) = (c.stage, contacts.get(&c.app_id)) {
            let notice = to
                .passport_version
                .and_then(|v| passports.get(&(to.service_id, v)))
                .and_then(|p| p.notice(stage));
            if let Some(notice) = notice {
                let formatted = c.number.formatted();
                let service = match to.language {
                    Language::Kk => &to.service_kk,
                    Language::Ru => &to.service_ru,
                };
                let message = compose(
                    notice,
                    to.language,
                    &Facts {
                        number: &formatted,
                        service,
                        stage,
                        planned_date: &c.planned_date,
                        status_url: STATUS_URL,
                    },
                );
                if let Some(email) = &to.email {
                    out.push(OutboxRow {
                        key: format!("{number}:{}:email", c.seq),
                        channel: "email",
                        app_id: c.app_id,
                        webhook_id: None,
                        recipient: email.clone(),
                        subject: message.subject.clone(),
                        body: message.body.clone(),
                    });
                }
                if let Some(phone) = &to.phone {
                    out.push(OutboxRow {
                        key: format!("{number}:{}:sms", c.seq),
                        channel: "sms",
                        app_id: c.app_id,
                        webhook_id: None,
                        recipient: phone.clone(),
                        subject: String::new(),
                        body: message.body,
                    });
                }
            }
        }
        for h in hooks {
            if c.accept_path.starts_with(&h.path) || c.exec_path.starts_with(&h.path) {
                out.push(OutboxRow {
                    key: format!("{number}:{}:webhook:{}", c.seq, h.id),
                    channel: "webhook",
                    app_id: c.app_id,
                    webhook_id: Some(h.id),
                    recipient: String::new(),
                    subject: String::new(),
                    body: c.payload(),
                });
            }
        }
    }
    out
}

/// A stored language (kk when it is none the domain knows: the table's check allows none).
pub(crate) fn language(stored: &str) -> Language {
    Language::parse(stored).unwrap_or_default()
}

/// The passport versions `contacts` were registered under.
pub(crate) fn passport_keys(contacts: &HashMap<i64, Addressee>) -> Vec<PassportKey> {
    let mut keys: Vec<PassportKey> = contacts
        .values()
        .filter_map(|a| Some((a.service_id, a.passport_version?)))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Writes the outbox rows of `$changes` inside the transaction `$tx` (sqlx, either backend):
/// reads the active webhooks, the contacts of the applications that reached a stage, and the
/// passport versions they were registered under (through `$cache`). Evaluates to the number of
/// rows built.
macro_rules! write_outbox {
    ($tx:expr, $cache:expr, $changes:expr, $now:expr) => {{
        use $crate::informing::batch as b;
        let changes: &[b::Change] = $changes;
        let cache: &$crate::passports::PassportCache = $cache;
        let now_us = $crate::convert::us($now);
        let hooks: Vec<b::Hook> = sqlx::query_as(b::HOOKS_SELECT).fetch_all(&mut *$tx).await?;
        let mut ids: Vec<i64> = changes
            .iter()
            .filter(|c| c.stage.is_some())
            .map(|c| c.app_id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut contacts = std::collections::HashMap::new();
        for chunk in ids.chunks($crate::ingest::CHUNK) {
            let mut qb = sqlx::QueryBuilder::new(b::CONTACTS_SELECT);
            let mut sep = qb.separated(", ");
            for id in chunk {
                sep.push_bind(*id);
            }
            qb.push(")");
            for r in qb
                .build_query_as::<b::ContactRow>()
                .fetch_all(&mut *$tx)
                .await?
            {
                contacts.insert(r.app_id, b::Addressee::from(r));
            }
        }
        let keys = b::passport_keys(&contacts);
        let found = if keys.is_empty() {
            std::collections::HashMap::new()
        } else {
            $crate::passports::published_passports!($tx, cache, &keys)?
        };
        let rows = b::rows(changes, &contacts, &found, &hooks);
        for chunk in rows.chunks($crate::ingest::CHUNK) {
            let mut qb = sqlx::QueryBuilder::new(b::OUTBOX_INSERT);
            qb.push_values(chunk, |mut q, r| {
                q.push_bind(r.key.clone())
                    .push_bind(r.channel)
                    .push_bind(r.app_id)
                    .push_bind(r.webhook_id)
                    .push_bind(r.recipient.clone())
                    .push_bind(r.subject.clone())
                    .push_bind(r.body.clone())
                    .push_bind("pending")
                    .push_bind(0_i64)
                    .push_bind(now_us)
                    .push_bind(now_us)
                    .push_bind(now_us);
            });
            qb.push(b::OUTBOX_INSERT_TAIL);
            qb.build().execute(&mut *$tx).await?;
        }
        Ok::<usize, $crate::StoreError>(rows.len())
    }};
}
pub(crate) use write_outbox;

/// The planned dates of the projected applications, by key.
pub(crate) fn planned_dates(
    projections: &[(&crate::ingest::AppState, crate::projection::ProjectionRow)],
) -> HashMap<i64, String> {
    projections
        .iter()
        .map(|(s, p)| (s.id, p.planned_date.to_string()))
        .collect()
}

/// The changes of a batch's fresh events.
pub(crate) fn changes_of<'a>(
    fresh: &'a [crate::ingest::NewEventRow],
    states: &'a HashMap<i64, crate::ingest::AppState>,
    planned: &HashMap<i64, String>,
) -> Vec<Change<'a>> {
    fresh
        .iter()
        .filter_map(|r| {
            let s = states.get(&r.recorded.number.as_i64())?;
            Some(Change::event(
                r.app_id,
                &r.recorded,
                &s.accept_path,
                &s.exec_path,
                planned.get(&r.app_id).cloned().unwrap_or_default(),
            ))
        })
        .collect()
}
