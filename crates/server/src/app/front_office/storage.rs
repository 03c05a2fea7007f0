//! Storage of results not collected (001 §20, decision Q2; ADR 0021): each service's storage
//! term (data, set by administrators with the act it rests on), the office's shelf with each
//! result's term computed by the domain (`qyzmet_domain::front_office::storage`: from the later
//! of its arrival and the receipt's issue date, to the next working day), and the daily job
//! that reminds the applicants a week and a day before the term ends (through the outbox, each
//! reminder once) and counts what is due.

use super::offices::{self, require_office_reader};
use crate::app::validate as v;
use crate::app::{AppError, Caller};
use crate::i18n::{message, Lang};
use crate::state::AppState;
use jiff::civil::Date;
use jiff::Timestamp;
use qyzmet_domain::front_office::package;
use qyzmet_domain::front_office::storage::{self, Due, StorageClass};
use qyzmet_store::front_office::{Kept, StorageReminder};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A service's storage term.
#[derive(Debug, Serialize, ToSchema)]
pub struct StorageTermView {
    pub service_code: String,
    /// return_after_month (the rule), keep_year (passports and identity cards), or no_return
    /// (documents for assigning payments: reviewed after a year).
    #[schema(schema_with = crate::app::schema::storage_class)]
    pub storage_class: String,
    /// The act it rests on (empty: the rule).
    pub source: String,
    pub updated_by: Option<String>,
    #[schema(format = DateTime)]
    pub updated_at: Option<String>,
}

/// A storage term to set.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StorageTermRequest {
    #[schema(schema_with = crate::app::schema::storage_class)]
    pub storage_class: String,
    /// The act it rests on.
    #[schema(schema_with = crate::app::schema::line_200)]
    pub source: String,
}

/// When a kept result is due: returned to the provider, or (never returned) reviewed.
#[derive(Debug, Serialize, ToSchema)]
pub struct DueView {
    /// return or review.
    #[schema(example = "return")]
    pub kind: String,
    #[schema(format = Date)]
    pub on: String,
}

/// A result on the shelf.
#[derive(Debug, Serialize, ToSchema)]
pub struct KeptView {
    pub application: String,
    pub barcode: String,
    pub service_code: String,
    /// The provider's organization, where the result goes back to.
    pub executor: String,
    #[schema(schema_with = crate::app::schema::storage_class)]
    pub storage_class: String,
    /// back_at_office or at_issue_desk.
    pub whereabouts: String,
    /// When it reached the office.
    #[schema(format = DateTime)]
    pub reached_at: String,
    /// The date the receipt named.
    #[schema(format = Date)]
    pub issue_date: String,
    /// Not collected by the receipt's date (001 §19): the day asked about is after it.
    pub past_issue_date: bool,
    /// The first day of storage: the later of the two (Q2).
    #[schema(format = Date)]
    pub storage_start: String,
    pub due: DueView,
    /// Whether it is due on the day asked about (or before).
    pub due_now: bool,
    /// The days the applicant is (or was) reminded: a week and a day before.
    pub reminders: Vec<String>,
}

/// An office's shelf.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShelfView {
    pub office: String,
    /// The day it is judged on.
    #[schema(format = Date)]
    pub on: String,
    /// The results due on that day or before.
    pub due: usize,
    /// The results not collected by their receipts' dates.
    pub past_issue_date: usize,
    /// Every result kept, the soonest due first.
    pub items: Vec<KeptView>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ShelfQuery {
    /// The day to judge the terms on (YYYY-MM-DD); today when absent.
    #[param(format = Date)]
    pub on: Option<String>,
}

fn term_view(code: &str, t: qyzmet_store::front_office::StorageTerm) -> StorageTermView {
    StorageTermView {
        service_code: code.to_string(),
        storage_class: t.class.as_str().into(),
        source: t.source,
        updated_by: t.updated_by,
        updated_at: t.updated_at.map(v::local),
    }
}

fn service(code: &str) -> Result<qyzmet_domain::ids::ServiceCode, AppError> {
    v::service_code("code", code).map_err(|_| AppError::not_found("service_not_found"))
}

/// A service's storage term (anyone who reads the registry).
pub async fn term(state: &AppState, code: &str) -> Result<StorageTermView, AppError> {
    let c = service(code)?;
    Ok(term_view(c.as_ref(), state.store.storage_term(&c).await?))
}

/// Sets a service's storage term (administrators; audited).
pub async fn set_term(
    state: &AppState,
    caller: &Caller,
    code: &str,
    req: &StorageTermRequest,
    now: Timestamp,
) -> Result<StorageTermView, AppError> {
    caller.require_admin()?;
    let c = service(code)?;
    let class = StorageClass::parse(req.storage_class.trim()).ok_or_else(|| {
        AppError::invalid("storage_class", "enum_invalid")
            .arg("allowed", "return_after_month, keep_year, no_return")
    })?;
    let source = v::text("source", &req.source, 200)?;
    state
        .store
        .set_storage_term(&c, class, &source, &caller.actor(), now)
        .await?;
    term(state, code).await
}

/// A kept result's term on `today`.
struct Term {
    start: Date,
    due: Due,
    reminders: Vec<Date>,
}

fn term_of(k: &Kept, calendar: &qyzmet_domain::ProductionCalendar) -> Term {
    let start = storage::start(qyzmet_domain::zone::local_date(k.reached_at), k.issue_date);
    let due = storage::due(k.class, start, calendar);
    // Every reminder day of the term (those before its start are none).
    let reminders = storage::reminders(due.date(), start);
    Term {
        start,
        due,
        reminders,
    }
}

/// The office's shelf, judged on `on` (today when absent): its staff and analysts within reach.
pub async fn shelf(
    state: &AppState,
    caller: &Caller,
    code: &str,
    on: Option<&str>,
    now: Timestamp,
) -> Result<ShelfView, AppError> {
    let office = offices::find(state, code).await?;
    require_office_reader(caller, &office)?;
    let on = match on.map(str::trim) {
        None | Some("") => qyzmet_domain::zone::local_date(now),
        Some(s) => s
            .parse::<Date>()
            .map_err(|_| AppError::invalid("on", "date_invalid"))?,
    };
    let calendar = state.calendar.get();
    let mut items: Vec<(Date, KeptView)> = state
        .store
        .storage_shelf(&office.code)
        .await?
        .iter()
        .map(|k| {
            let t = term_of(k, &calendar);
            let view = KeptView {
                application: k.number.to_string(),
                barcode: package::barcode(k.number),
                service_code: k.service.clone(),
                executor: k.executor.clone(),
                storage_class: k.class.as_str().into(),
                whereabouts: if k.scan == "to_issue_desk" {
                    "at_issue_desk"
                } else {
                    "back_at_office"
                }
                .into(),
                reached_at: v::local(k.reached_at),
                issue_date: k.issue_date.to_string(),
                past_issue_date: on > k.issue_date,
                storage_start: t.start.to_string(),
                due: DueView {
                    kind: match t.due {
                        Due::Return(_) => "return",
                        Due::Review(_) => "review",
                    }
                    .into(),
                    on: t.due.date().to_string(),
                },
                due_now: t.due.date() <= on,
                reminders: t.reminders.iter().map(Date::to_string).collect(),
            };
            (t.due.date(), view)
        })
        .collect();
    items.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.application.cmp(&b.1.application)));
    let due = items.iter().filter(|(_, k)| k.due_now).count();
    let past_issue_date = items.iter().filter(|(_, k)| k.past_issue_date).count();
    Ok(ShelfView {
        office: office.code,
        on: on.to_string(),
        due,
        past_issue_date,
        items: items.into_iter().map(|(_, k)| k).collect(),
    })
}

/// What a run of the storage job found and did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StorageRun {
    pub offices: usize,
    pub kept: usize,
    /// Due on the day: to return to the provider, or to review.
    pub due: usize,
    /// Reminders newly written to the outbox.
    pub reminded: u64,
}

/// One run of the storage job at `now`: every office's shelf; the applicants whose reminder
/// day has come (and whose term has not ended) reminded through the outbox, each reminder
/// once. Idempotent: a second run the same day writes nothing new.
pub async fn run(state: &AppState, now: Timestamp) -> Result<StorageRun, AppError> {
    let today = qyzmet_domain::zone::local_date(now);
    let calendar = state.calendar.get();
    let mut run = StorageRun::default();
    let mut reminders = Vec::new();
    for code in state.store.office_codes().await? {
        run.offices += 1;
        for k in state.store.storage_shelf(&code).await? {
            run.kept += 1;
            let t = term_of(&k, &calendar);
            if t.due.date() <= today {
                run.due += 1;
                continue;
            }
            // The latest reminder day that has come: a week before, then a day before.
            let Some(day) = t.reminders.iter().rev().find(|d| **d <= today) else {
                continue;
            };
            let days_before = t.due.date().since(*day).map(|s| s.get_days()).unwrap_or(0);
            let lang = match k.language.as_deref() {
                Some("ru") => Lang::Ru,
                _ => Lang::Kk,
            };
            let args = [
                ("number", k.number.to_string()),
                ("office", code.clone()),
                ("due", t.due.date().to_string()),
            ];
            let subject = message(lang, "storage-reminder-subject", &args);
            let body = message(lang, "storage-reminder-body", &args);
            for (channel, to) in [("email", &k.email), ("sms", &k.phone)] {
                if let Some(to) = to {
                    reminders.push(StorageReminder {
                        number: k.number,
                        days_before: i64::from(days_before),
                        channel,
                        recipient: to.clone(),
                        subject: subject.clone(),
                        body: body.clone(),
                    });
                }
            }
        }
    }
    run.reminded = state.store.write_storage_reminders(&reminders, now).await?;
    metrics::counter!("qyzmet_storage_reminders_total").increment(run.reminded);
    Ok(run)
}
