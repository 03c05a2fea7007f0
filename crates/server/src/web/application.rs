//! One application's page: where it stands against its deadline and why (`web::why`), its
//! data, the stage timeline (planned vs actual, suspensions as bands), the history from the
//! registration on, how the planned date was derived, and — for operators and supervisors —
//! the actions the stage machine admits now. Actions are recorded through
//! `app::monitoring::events::record_event`.

use super::format;
use super::session::Staff;
use super::why::{self, BandView, WhyView};
use super::{render_status, see_other, Ui, WebError};
use crate::app::monitoring::applications::{executors_of, read_application};
use crate::app::monitoring::events::{record_event, EventRequest, Grounds};
use crate::app::monitoring::grounds::{choices, passport_of, resolve, resolve_code, GroundText};
use crate::app::monitoring::lateness::{explain, Lateness};
use crate::app::monitoring::submissions::plain;
use crate::app::AppError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use jiff::Timestamp;
use qyzmet_domain::passport::Passport;
use qyzmet_domain::stage::{Event, EventKind, GroundList, History, Stage};
use qyzmet_store::{ApplicationDetail, UserRole};
use serde::Deserialize;

pub use crate::app::monitoring::events::STAGES;

pub struct Field {
    pub label: String,
    pub value: String,
}

pub struct TimelineStep {
    pub stage: &'static str,
    pub number: u8,
    pub name: String,
    pub planned: String,
    pub actual: String,
    pub reached: bool,
    pub current: bool,
    /// The suspensions that started after this stage was reached (before the next one).
    pub bands: Vec<BandView>,
}

pub struct HistoryLine {
    pub at: String,
    pub recorded: String,
    pub what: String,
    /// The passport's ground of a suspension or a refusal (003 §17), with its legal
    /// reference; empty when none was recorded.
    pub ground: String,
    pub reason: String,
    pub actor: String,
}

pub struct Rule {
    pub rule: String,
    /// What the rule did, in the page's language, from the application's own facts.
    pub text: String,
    /// The domain's note on what the rule did, in the page's language; in English (the
    /// domain's own sentence) when it is of a sentence no language knows.
    pub note: String,
    /// Whether `note` is the domain's English sentence.
    pub note_in_english: bool,
}

/// What rule `rule` did to this application, in the page's language.
fn rule_text(
    ui: &Ui,
    rule: u8,
    a: &qyzmet_store::Application,
    dv: &qyzmet_domain::deadline::Derivation,
) -> String {
    let lang = ui.lang;
    let term = format!(
        "{} {}",
        dv.term.amount,
        ui.term("unit", dv.term.unit.as_str())
    );
    let args: Vec<(&'static str, String)> = match rule {
        1 => vec![("term", term)],
        2 => vec![("received", format::datetime(lang, a.accepted_at))],
        3 => vec![("accepted", format::datetime(lang, a.effective_acceptance))],
        4 => vec![(
            "date",
            dv.counting_starts
                .map(|d| format::date(lang, d))
                .unwrap_or_default(),
        )],
        5 | 6 => vec![
            ("term", term),
            ("planned", format::date(lang, a.planned_date)),
        ],
        7 => vec![
            ("accepted", format::datetime(lang, a.effective_acceptance)),
            ("term", term),
            ("deadline", format::datetime(lang, a.deadline)),
        ],
        8 => vec![("deadline", format::datetime(lang, a.deadline))],
        9 => vec![
            ("n", dv.suspension_extension.to_string()),
            (
                "unit",
                ui.term(
                    "unit",
                    if dv.term.unit.is_day_unit() {
                        dv.term.unit.as_str()
                    } else {
                        "minutes"
                    },
                ),
            ),
        ],
        _ => vec![],
    };
    crate::i18n::message(lang, &format!("rule-{rule}-text"), &args)
}

#[derive(Template)]
#[template(path = "application.html")]
pub struct ApplicationPage {
    pub ui: Ui,
    pub base: &'static str,
    pub number: String,
    pub number_formatted: String,
    pub stage: String,
    pub stage_name: String,
    pub outcome: String,
    pub outcome_code: &'static str,
    pub planned_date: String,
    pub deadline: String,
    pub overdue: bool,
    pub nearing: bool,
    pub suspended: bool,
    /// Where it stands against its deadline, and why.
    pub why: WhyView,
    pub fields: Vec<Field>,
    pub timeline: Vec<TimelineStep>,
    pub history: Vec<HistoryLine>,
    pub rules: Vec<Rule>,
    pub term: String,
    pub counting_starts: String,
    pub calendar_version: String,
    pub changes: Vec<String>,
    /// Stages the machine admits now, with their names.
    pub next_stages: Vec<(&'static str, String)>,
    pub can_act: bool,
    pub can_close: bool,
    pub can_suspend: bool,
    pub can_resume: bool,
    pub can_reassign: bool,
    /// The organizations a supervisor may reassign to (their sub-tree), code and name.
    pub executors: Vec<(String, String)>,
    pub event_id: String,
    pub error: Option<String>,
    /// A refusal of one of the action forms' fields: the field's element id and the message.
    pub field_error: Option<(&'static str, String)>,
    pub notice: Option<String>,
    /// What the user chose and typed in the form that was refused (its action, the outcome,
    /// the reason), shown again so that correcting it cannot silently change it (issue 16,
    /// B1: a refusal without a reason used to come back as "issued").
    pub kept: Option<(String, String, String)>,
    /// The ground chosen in the refused form, kept like its reason.
    pub kept_ground: String,
    /// The passport's grounds the suspend and refuse actions pick from (003 §17), in the
    /// page's language; when a list is not empty, picking one of it is required.
    pub suspension_grounds: Vec<GroundText>,
    pub refusal_grounds: Vec<GroundText>,
}

/// The service of an application as its page needs it: its name in the page's language and
/// the passport version the application was registered under.
pub struct ServiceFacts<'a> {
    pub name: String,
    pub passport: Option<&'a Passport>,
}

/// The history as the stage machine reads it.
fn history_of(d: &ApplicationDetail) -> History {
    History::from_events(
        d.application.accepted_at,
        d.events.iter().map(|e| e.event.clone()).collect(),
    )
}

/// Whether the machine would admit `kind` now.
fn admits(h: &History, kind: EventKind, now: Timestamp) -> bool {
    h.admit(&Event {
        id: uuid::Uuid::nil(),
        occurred_at: now,
        kind,
    })
    .is_ok()
}

impl ApplicationPage {
    /// The reason typed in the refused form of `action` (empty for the other forms).
    pub fn kept_reason(&self, action: &str) -> String {
        match &self.kept {
            Some((a, _, reason)) if a == action => reason.clone(),
            _ => String::new(),
        }
    }

    /// Whether the refused form of `action` had the ground `code` chosen.
    pub fn kept_ground_is(&self, action: &str, code: &str) -> bool {
        matches!(&self.kept, Some((a, _, _)) if a == action) && self.kept_ground == code
    }

    /// Whether the refused closing form had `outcome` chosen.
    pub fn kept_outcome_is(&self, outcome: &str) -> bool {
        matches!(&self.kept, Some((a, o, _)) if a == "close" && o == outcome)
    }

    /// The message refusing the form field whose element id is `id` (empty when none).
    pub fn error_at(&self, id: &str) -> String {
        match &self.field_error {
            Some((at, message)) if *at == id => message.clone(),
            _ => String::new(),
        }
    }

    pub async fn load(
        state: &AppState,
        staff: &Staff,
        number: &str,
        base: &'static str,
    ) -> Result<ApplicationPage, WebError> {
        let ui = &staff.ui;
        let now = Timestamp::now();
        let detail = read_application(state, &staff.caller, number)
            .await
            .map_err(|e| WebError::from_app(ui, e))?;
        let lateness = explain(state, &detail, now)
            .await
            .map_err(|e| WebError::from_app(ui, e))?;
        let service = state
            .store
            .service(&detail.application.service_code)
            .await
            .ok()
            .flatten();
        let service_name = service
            .as_ref()
            .map(|s| super::localized(ui.lang, &s.name))
            .unwrap_or_default();
        let usernames: std::collections::HashMap<String, String> = state
            .store
            .users()
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|u| (format!("user:{}", u.id), u.username))
            .collect();
        let passport = passport_of(state, &detail.application)
            .await
            .map_err(|e| WebError::from_app(ui, e))?;
        let calendar = state.calendar.get();
        let mut page = Self::build(
            ui.clone(),
            staff.role(),
            base,
            &detail,
            &lateness,
            ServiceFacts {
                name: service_name,
                passport: passport.as_ref(),
            },
            &calendar,
        );
        let contact =
            crate::app::informing::contact::of_application(state, detail.application.number)
                .await
                .map_err(|e| WebError::from_app(ui, e))?;
        page.fields.push(Field {
            label: ui.t("application-contact"),
            value: contact.map_or_else(|| ui.t("application-contact-none"), |c| c.line()),
        });
        if page.can_reassign {
            // Organizations of the supervisor's sub-tree that deliver the service (B.5).
            if let (qyzmet_store::Scope::Organization { path, .. }, Some(service)) =
                (&staff.session.scope, &service)
            {
                page.executors = executors_of(state, service, Some(path))
                    .await
                    .map_err(|e| WebError::from_app(ui, e))?
                    .into_iter()
                    .filter(|o| o.code != detail.application.executor)
                    .map(|o| (o.code.to_string(), super::localized(ui.lang, &o.name)))
                    .collect();
            }
        }
        for line in &mut page.history {
            line.actor = match (
                usernames.get(&line.actor),
                line.actor.strip_prefix("token:"),
            ) {
                (Some(name), _) => name.clone(),
                (None, Some(id)) => ui.t1("actor-token", "n", id),
                _ => line.actor.clone(),
            };
        }
        Ok(page)
    }

    fn build(
        ui: Ui,
        role: UserRole,
        base: &'static str,
        d: &ApplicationDetail,
        lateness: &Lateness,
        service: ServiceFacts<'_>,
        calendar: &qyzmet_domain::ProductionCalendar,
    ) -> ApplicationPage {
        let (service_name, passport) = (service.name, service.passport);
        // One instant for the whole page: the one the account of the deadline is of.
        let now = lateness.at;
        let a = &d.application;
        let lang = ui.lang;
        let history = history_of(d);
        let reached = history.stage_times();
        let dt = |t: Timestamp| format::datetime(lang, t);
        let works = matches!(role, UserRole::Operator | UserRole::Supervisor);
        let open = a.closed_at.is_none();
        let next_stages = if works && open {
            [
                Stage::SentForExecution,
                Stage::TakenIntoWork,
                Stage::Executed,
                Stage::ReadyForIssue,
            ]
            .into_iter()
            .filter(|s| s.number() > a.stage.number())
            .filter(|s| admits(&history, EventKind::stage(*s), now))
            .map(|s| (s.as_str(), ui.term("stage", s.as_str())))
            .collect()
        } else {
            vec![]
        };
        let applicant = &a.applicant;
        let full_name = [
            applicant.last_name.as_str(),
            applicant.first_name.as_str(),
            applicant.middle_name.as_deref().unwrap_or(""),
        ]
        .join(" ")
        .trim()
        .to_string();
        let mut fields = vec![
            Field {
                label: ui.t("field-service"),
                value: format!("{} — {}", a.service_code, service_name),
            },
            Field {
                label: ui.t(match applicant.id.kind() {
                    qyzmet_domain::ids::IdKind::Iin => "field-iin",
                    qyzmet_domain::ids::IdKind::Bin => "field-bin",
                }),
                value: applicant.id.to_string(),
            },
            Field {
                label: ui.t("field-applicant"),
                value: full_name,
            },
            Field {
                label: ui.t("field-channel"),
                value: ui.term("channel", a.channel.as_str()),
            },
            Field {
                label: ui.t("field-paper"),
                value: ui.t(if a.paper { "yes" } else { "no" }),
            },
            Field {
                label: ui.t("field-acceptance-place"),
                value: a.acceptance_place.to_string(),
            },
            Field {
                label: ui.t("field-executor"),
                value: match &a.executor_person {
                    Some(p) => format!("{} ({p})", a.executor),
                    None => a.executor.to_string(),
                },
            },
            Field {
                label: ui.t("field-accepted-at"),
                value: dt(a.accepted_at),
            },
            Field {
                label: ui.t("field-effective-acceptance"),
                value: dt(a.effective_acceptance),
            },
        ];
        if let Some(ext) = &a.external_id {
            fields.push(Field {
                label: ui.t("field-external-id"),
                value: ext.clone(),
            });
        }
        // Each suspension is drawn after the last stage reached when it started.
        let band_after = |from: Timestamp| {
            (0..6)
                .rev()
                .find(|&i| reached[i].is_some_and(|t| t <= from))
                .unwrap_or(0)
        };
        let timeline = STAGES
            .iter()
            .enumerate()
            .map(|(i, s)| TimelineStep {
                bands: lateness
                    .bands
                    .iter()
                    .filter(|b| band_after(b.from) == i)
                    .map(|b| {
                        let mut view = why::band(&ui, a.term.unit, b);
                        if let Some(code) = &b.ground {
                            let list = Some(GroundList::Suspension);
                            let ground = resolve_code(passport, list, code, lang).line();
                            view.ground = ui.t1("band-ground", "ground", &ground);
                        }
                        view
                    })
                    .collect(),
                stage: s,
                number: i as u8 + 1,
                name: ui.term("stage", s),
                planned: match i {
                    0 => dt(a.effective_acceptance),
                    3 => dt(a.deadline),
                    _ => String::new(),
                },
                actual: reached[i].map(dt).unwrap_or_default(),
                reached: reached[i].is_some(),
                current: a.stage.as_str() == *s,
            })
            .collect();
        let (registered, registered_notes) = why::registration_text(&ui, lateness);
        let registration = HistoryLine {
            at: dt(a.accepted_at),
            recorded: dt(lateness.registration.recorded_at),
            what: registered,
            ground: String::new(),
            reason: registered_notes,
            actor: lateness.registration.by.clone().unwrap_or_default(),
        };
        let history_lines = std::iter::once(registration)
            .chain(d.events.iter().map(|e| {
                let (what, reason) = match &e.event.kind {
                    EventKind::Stage {
                        stage,
                        outcome,
                        reason,
                        ..
                    } => (
                        match outcome {
                            Some(o) => format!(
                                "{} — {}",
                                ui.term("stage", stage.as_str()),
                                ui.term("outcome", o.as_str())
                            ),
                            None => ui.term("stage", stage.as_str()),
                        },
                        reason.clone().unwrap_or_default(),
                    ),
                    EventKind::Suspended { reason, .. } => {
                        (ui.t("event-suspended"), reason.clone())
                    }
                    EventKind::Resumed { reason } => {
                        (ui.t("event-resumed"), reason.clone().unwrap_or_default())
                    }
                    EventKind::ExecutorChanged { executor } => (
                        format!("{}: {executor}", ui.t("event-executor-changed")),
                        e.executor_person.clone().unwrap_or_default(),
                    ),
                    EventKind::Scanned { scan, office } => (
                        format!(
                            "{}: {}",
                            ui.t("event-scanned"),
                            ui.term("scan", scan.as_str())
                        ),
                        office.clone(),
                    ),
                };
                HistoryLine {
                    at: dt(e.event.occurred_at),
                    recorded: dt(e.recorded_at),
                    what,
                    ground: resolve(passport, &e.event.kind, lang)
                        .map(|g| g.line())
                        .unwrap_or_default(),
                    reason,
                    actor: e.actor.clone(),
                }
            }))
            .collect();
        let derivation: Option<qyzmet_domain::deadline::Derivation> =
            serde_json::from_value(a.derivation.clone()).ok();
        let (rules, term, counting_starts, calendar_version) = match &derivation {
            Some(dv) => (
                dv.rules
                    .iter()
                    .map(|r| Rule {
                        rule: ui.t(&format!("rule-{}", r.rule)),
                        text: rule_text(&ui, r.rule, a, dv),
                        note: format::derivation_note(lang, &r.note)
                            .unwrap_or_else(|| r.note.clone()),
                        note_in_english: qyzmet_domain::note::parts(&r.note).is_none(),
                    })
                    .collect(),
                format!(
                    "{} {}",
                    dv.term.amount,
                    ui.term("unit", dv.term.unit.as_str())
                ),
                dv.counting_starts
                    .map(|d| format::date(lang, d))
                    .unwrap_or_default(),
                dv.calendar_version.clone(),
            ),
            None => (vec![], String::new(), String::new(), String::new()),
        };
        let changes = d
            .deadline_changes
            .iter()
            .map(|c| {
                format!(
                    "{} → {} ({}, {})",
                    format::date(lang, c.old_planned_date),
                    format::date(lang, c.new_planned_date),
                    format::deadline_change_reason(lang, &c.reason, calendar),
                    dt(c.changed_at)
                )
            })
            .collect();
        let can_suspend = works && open && admits(&history, EventKind::suspended("-"), now);
        let can_resume =
            works && open && admits(&history, EventKind::Resumed { reason: None }, now);
        let outcome_name = a
            .outcome
            .map(|o| ui.term("outcome", o.as_str()))
            .unwrap_or_default();
        ApplicationPage {
            why: why::summary(&ui, lateness, &outcome_name, calendar),
            base,
            number: a.number.to_string(),
            number_formatted: a.number.formatted(),
            stage: a.stage.as_str().to_string(),
            stage_name: ui.term("stage", a.stage.as_str()),
            outcome: outcome_name,
            outcome_code: a.outcome.map(|o| o.as_str()).unwrap_or(""),
            planned_date: format::date(lang, a.planned_date),
            deadline: dt(a.deadline),
            overdue: a.overdue,
            nearing: a.nearing,
            suspended: a.suspended,
            fields,
            timeline,
            history: history_lines,
            rules,
            term,
            counting_starts,
            calendar_version,
            changes,
            next_stages,
            can_act: works && open,
            can_close: works
                && open
                && admits(
                    &history,
                    EventKind::Stage {
                        stage: Stage::Closed,
                        outcome: Some(qyzmet_domain::stage::Outcome::Issued),
                        reason: None,
                        ground: None,
                    },
                    now,
                ),
            can_suspend,
            can_resume,
            can_reassign: role == UserRole::Supervisor && open,
            executors: vec![],
            event_id: uuid::Uuid::now_v7().to_string(),
            error: None,
            field_error: None,
            notice: None,
            kept: None,
            kept_ground: String::new(),
            suspension_grounds: choices(passport, GroundList::Suspension, lang),
            refusal_grounds: choices(passport, GroundList::Refusal, lang),
            ui,
        }
    }
}

/// A form of the application page. `event_id` is minted when the page is drawn, so a form
/// sent twice (a double click, a retry) records the event once.
#[derive(Debug, Default, Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    event_id: String,
    #[serde(default)]
    stage: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    reason: String,
    /// The code of the passport's ground picked (suspend, and close with a refusal).
    #[serde(default)]
    ground: String,
    #[serde(default)]
    occurred_at: String,
    #[serde(default)]
    executor: String,
    #[serde(default)]
    executor_person: String,
}

/// The API event a form stands for.
fn event_command(action: &str, f: &ActionForm, now: Timestamp) -> Result<EventRequest, AppError> {
    let occurred_at = match f.occurred_at.trim() {
        // To the microsecond, not the second: a suspension, its resumption and the closure
        // clicked within one second must keep their order (a completion may not be dated at
        // a recorded suspension's instant, rule 9).
        "" => now.to_string(),
        s => format::datetime_from_input(s),
    };
    let text = |s: &str| {
        let t = s.trim();
        (!t.is_empty()).then(|| t.to_string())
    };
    let event = EventRequest {
        id: f.event_id.trim().to_string(),
        occurred_at,
        ..Default::default()
    };
    Ok(match action {
        "stage" => EventRequest {
            kind: "stage".into(),
            stage: Some(f.stage.trim().to_string()),
            ..event
        },
        "close" => EventRequest {
            kind: "stage".into(),
            stage: Some("closed".into()),
            outcome: text(&f.outcome),
            reason: text(&f.reason),
            // The ground's select stays filled when "issued" is chosen after it.
            ground: text(&f.ground).filter(|_| f.outcome.trim() == "refused"),
            ..event
        },
        "suspend" => EventRequest {
            kind: "suspended".into(),
            reason: text(&f.reason),
            ground: text(&f.ground),
            ..event
        },
        "resume" => EventRequest {
            kind: "resumed".into(),
            reason: text(&f.reason),
            ..event
        },
        "reassign" => EventRequest {
            kind: "executor_changed".into(),
            executor: text(&f.executor),
            executor_person: text(&f.executor_person),
            ..event
        },
        _ => return Err(AppError::not_found("not_found")),
    })
}

/// Records an action of the application page and shows the page again: on success through a
/// redirect, on a refusal with the reason and status 422 (403 for a role that may not).
pub async fn act(
    State(state): State<AppState>,
    staff: Staff,
    Path((number, action)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, WebError> {
    staff.require(&super::session::WORKERS)?;
    staff.check_csrf(&form.csrf)?;
    let now = Timestamp::now();
    let result = match event_command(&action, &form, now).and_then(|e| plain(&e)) {
        // The workstation picks a ground from the passport's list when it has one (003 §17).
        Ok(submission) => record_event(
            &state,
            &staff.caller,
            &number,
            submission,
            Grounds::Required,
            now,
        )
        .await
        .map(|_| ()),
        Err(e) => Err(e),
    };
    // The form's event id is minted with the page: the same id already in this application's
    // history is this form sent twice (its "now" differs by the second, hence the conflict),
    // not a clash.
    let result = match result {
        Err(e) if e.code == "event_id_conflict" => {
            let recorded = read_application(&state, &staff.caller, &number)
                .await
                .map(|d| {
                    d.events
                        .iter()
                        .any(|ev| ev.event.id.to_string() == form.event_id.trim())
                })
                .unwrap_or(false);
            if recorded {
                Ok(())
            } else {
                Err(e)
            }
        }
        other => other,
    };
    match result {
        Ok(()) => {
            staff
                .audit(
                    &state,
                    &format!("web.{action}"),
                    &number,
                    &format!("event {}", form.event_id.trim()),
                )
                .await;
            Ok(see_other(&format!("/work/applications/{number}")))
        }
        Err(e) if !e.is_for_the_form() => Err(WebError::from_app(&staff.ui, e)),
        Err(e) => {
            let mut page =
                ApplicationPage::load(&state, &staff, &number, "/work/applications").await?;
            page.kept = Some((action.clone(), form.outcome.clone(), form.reason.clone()));
            page.kept_ground = form.ground.trim().to_string();
            match form_field(&action, e.field.as_deref().unwrap_or("")) {
                // Shown at its field, named by the field's label, when its form is shown.
                Some((id, label)) if page.shows_form_of(&action) => {
                    let mut labelled = e.clone();
                    let label = staff.ui.t(label);
                    for (k, v) in labelled.args.iter_mut() {
                        if *k == "field" {
                            *v = label.clone();
                        }
                    }
                    page.field_error = Some((id, staff.ui.error_message(&labelled)));
                }
                _ => page.error = Some(staff.ui.error_message(&e)),
            }
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}

/// The element id and label of the form field an action's API field is typed into.
fn form_field(action: &str, api_field: &str) -> Option<(&'static str, &'static str)> {
    Some(match (action, api_field) {
        ("close", "reason") => ("close-reason", "label-refusal-reason"),
        ("close", "ground") => ("close-ground", "label-refusal-ground"),
        ("suspend", "reason") => ("suspend-reason", "label-suspension-reason"),
        ("suspend", "ground") => ("suspend-ground", "label-suspension-ground"),
        ("resume", "reason") => ("resume-reason", "label-note"),
        ("reassign", "executor") => ("executor", "label-executor"),
        ("reassign", "executor_person") => ("executor_person", "label-executor-person"),
        _ => return None,
    })
}

impl ApplicationPage {
    /// Whether the page shows the form of `action` (its field can carry the error).
    fn shows_form_of(&self, action: &str) -> bool {
        match action {
            "close" => self.can_close,
            "suspend" => self.can_suspend,
            "resume" => self.can_resume,
            "reassign" => self.can_reassign,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Actions are stamped with the whole instant: two clicks in one second stay ordered.
    #[test]
    fn actions_are_stamped_to_the_microsecond() {
        let now: Timestamp = "2026-11-30T13:22:02.345678Z".parse().unwrap();
        let form = ActionForm {
            reason: "documents missing".into(),
            ..Default::default()
        };
        let body = event_command("suspend", &form, now).unwrap();
        let at: Timestamp = body.occurred_at.parse().unwrap();
        assert_eq!(at, now);
        // A moment typed into the form is taken as Almaty time, to the minute.
        let typed = ActionForm {
            occurred_at: "2026-11-30T10:15".into(),
            ..form
        };
        let body = event_command("suspend", &typed, now).unwrap();
        assert_eq!(body.occurred_at, "2026-11-30T10:15:00+05:00");
    }
}
