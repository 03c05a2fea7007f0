//! The application page's account of its deadline (issue 16, B.4), in the user's language:
//! the summary at the top (on time, nearing, suspended, overdue — which stage and by how
//! much —, completed on time or late), what moved the deadline or explains a violation, the
//! suspensions as bands of the timeline, and the registration as the first entry of the
//! history. The facts come from the query `app::monitoring::lateness::explain`; this module
//! only says them.

use super::format;
use super::Ui;
use crate::app::monitoring::lateness::{Lateness, Standing};
use crate::i18n::message;
use qyzmet_domain::lateness::{Band, Distance};
use qyzmet_domain::TermUnit;

/// The summary at the top of the page.
pub struct WhyView {
    /// `running`, `nearing`, `suspended`, `overdue`, `on_time` or `late`.
    pub status: &'static str,
    /// The status in words (shown as a badge: never colour alone).
    pub label: String,
    pub headline: String,
    /// Further sentences of the standing (late before a suspension, the closure).
    pub details: Vec<String>,
    /// What moved the deadline or explains a violation.
    pub reasons: Vec<String>,
    /// The stage whose planned moment is judged: `executed`, or the stage that completed.
    pub stage: &'static str,
    /// How late, in the term's measure: `working_days`, `calendar_days` or `minutes`, and
    /// the figure; empty when not late.
    pub late_unit: &'static str,
    pub late_n: String,
}

/// A suspension as a band of the timeline.
pub struct BandView {
    pub period: String,
    pub open: bool,
    pub extension: String,
    pub reason: String,
    /// The passport's ground it rests on (003 §17): its text and legal reference, or its code
    /// when the passport does not resolve it; empty when none was recorded.
    pub ground: String,
    pub note: String,
}

fn say(ui: &Ui, id: &str, args: &[(&'static str, String)]) -> String {
    message(ui.lang, id, args)
}

/// A distance past a deadline, in the term's measure (working days with the calendar days
/// beside them, calendar days, or hours and minutes).
pub fn late_text(ui: &Ui, d: &Distance) -> String {
    let calendar = || {
        say(
            ui,
            "dist-calendar-days",
            &[("n", d.calendar_days.to_string())],
        )
    };
    match d.unit {
        TermUnit::WorkingDays if d.working_days > 0 => say(
            ui,
            "dist-both",
            &[
                (
                    "working",
                    say(
                        ui,
                        "dist-working-days",
                        &[("n", d.working_days.to_string())],
                    ),
                ),
                ("calendar", calendar()),
            ],
        ),
        TermUnit::WorkingDays => say(ui, "dist-days-off", &[("calendar", calendar())]),
        TermUnit::CalendarDays => calendar(),
        TermUnit::Hours | TermUnit::Minutes => time_text(ui, d.minutes),
    }
}

fn time_text(ui: &Ui, minutes: i64) -> String {
    if minutes >= 60 {
        say(
            ui,
            "dist-hours",
            &[
                ("h", (minutes / 60).to_string()),
                ("m", (minutes % 60).to_string()),
            ],
        )
    } else {
        say(ui, "dist-minutes", &[("m", minutes.to_string())])
    }
}

/// What is left of the term, in its measure.
fn left_text(ui: &Ui, d: &Distance) -> String {
    match d.unit {
        TermUnit::WorkingDays if d.working_days > 0 => say(
            ui,
            "left-working-days",
            &[("n", d.working_days.to_string())],
        ),
        TermUnit::CalendarDays if d.calendar_days > 0 => say(
            ui,
            "left-calendar-days",
            &[("n", d.calendar_days.to_string())],
        ),
        TermUnit::WorkingDays | TermUnit::CalendarDays => ui.t("left-today"),
        TermUnit::Hours | TermUnit::Minutes => {
            say(ui, "left-time", &[("time", time_text(ui, d.minutes))])
        }
    }
}

/// The figure of a distance in the term's measure, for the page's data attributes.
fn late_figure(d: &Distance) -> (&'static str, String) {
    match d.unit {
        TermUnit::WorkingDays if d.working_days > 0 => ("working_days", d.working_days.to_string()),
        TermUnit::WorkingDays | TermUnit::CalendarDays => {
            ("calendar_days", d.calendar_days.to_string())
        }
        TermUnit::Hours | TermUnit::Minutes => ("minutes", d.minutes.to_string()),
    }
}

/// The name of a term unit for an extension: days of the unit, or minutes (rule 9).
fn extension_unit(ui: &Ui, unit: TermUnit) -> String {
    ui.term(
        "unit",
        if unit.is_day_unit() {
            unit.as_str()
        } else {
            "minutes"
        },
    )
}

/// The summary of `l` in the page's language.
pub fn summary(
    ui: &Ui,
    l: &Lateness,
    outcome_name: &str,
    calendar: &qyzmet_domain::ProductionCalendar,
) -> WhyView {
    let dt = |t| format::datetime(ui.lang, t);
    let deadline = dt(l.deadline);
    let stage_name = |s: qyzmet_domain::stage::Stage| ui.term("stage", s.as_str());
    let mut details = vec![];
    let mut late_fig = ("", String::new());
    let (status, headline, stage) = match &l.standing {
        Standing::Running { left, nearing } => {
            let id = if *nearing {
                "why-nearing"
            } else {
                "why-running"
            };
            (
                if *nearing { "nearing" } else { "running" },
                say(
                    ui,
                    id,
                    &[
                        ("stage", stage_name(l.due_stage)),
                        ("deadline", deadline.clone()),
                        ("left", left_text(ui, left)),
                    ],
                ),
                l.due_stage,
            )
        }
        Standing::Suspended {
            since,
            reason,
            late,
        } => {
            if let Some(late) = late {
                late_fig = late_figure(late);
                details.push(say(
                    ui,
                    "why-suspended-late",
                    &[
                        ("deadline", deadline.clone()),
                        ("late", late_text(ui, late)),
                    ],
                ));
            }
            (
                "suspended",
                say(
                    ui,
                    "why-suspended",
                    &[("since", dt(*since)), ("reason", reason.clone())],
                ),
                l.due_stage,
            )
        }
        Standing::Overdue { late } => {
            late_fig = late_figure(late);
            (
                "overdue",
                say(
                    ui,
                    "why-overdue",
                    &[
                        ("stage", stage_name(l.due_stage)),
                        ("deadline", deadline.clone()),
                        ("late", late_text(ui, late)),
                    ],
                ),
                l.due_stage,
            )
        }
        Standing::Completed {
            stage,
            at,
            late,
            closed,
        } => {
            if let Some((closed_at, _)) = closed {
                details.push(say(
                    ui,
                    "why-closed",
                    &[
                        ("at", dt(*closed_at)),
                        ("outcome", outcome_name.to_string()),
                    ],
                ));
            }
            match late {
                None => (
                    "on_time",
                    say(
                        ui,
                        "why-completed-on-time",
                        &[
                            ("stage", stage_name(*stage)),
                            ("at", dt(*at)),
                            ("deadline", deadline.clone()),
                        ],
                    ),
                    *stage,
                ),
                Some(late) => {
                    late_fig = late_figure(late);
                    (
                        "late",
                        say(
                            ui,
                            "why-completed-late",
                            &[
                                ("stage", stage_name(*stage)),
                                ("at", dt(*at)),
                                ("late", late_text(ui, late)),
                                ("deadline", deadline.clone()),
                            ],
                        ),
                        *stage,
                    )
                }
            }
        }
    };
    WhyView {
        status,
        label: ui.t(&format!("why-label-{}", status.replace('_', "-"))),
        headline,
        details,
        reasons: reasons(ui, l, calendar),
        stage: stage.as_str(),
        late_unit: late_fig.0,
        late_n: late_fig.1,
    }
}

/// What moved the deadline (suspensions, changes of the planned date, their reasons in the
/// reader's language) or explains a violation (outages), one sentence each.
fn reasons(ui: &Ui, l: &Lateness, calendar: &qyzmet_domain::ProductionCalendar) -> Vec<String> {
    let dt = |t| format::datetime(ui.lang, t);
    let mut out = vec![];
    if l.suspension_extension > 0 {
        out.push(say(
            ui,
            "why-suspensions-moved",
            &[
                ("n", l.suspension_extension.to_string()),
                ("unit", extension_unit(ui, l.term.unit)),
            ],
        ));
    }
    if matches!(l.standing, Standing::Suspended { .. }) {
        out.push(ui.t("why-suspended-now"));
    }
    for c in &l.changes {
        out.push(say(
            ui,
            "why-planned-moved",
            &[
                ("from", format::date(ui.lang, c.old_planned_date)),
                ("to", format::date(ui.lang, c.new_planned_date)),
                (
                    "reason",
                    format::deadline_change_reason(ui.lang, &c.reason, calendar),
                ),
            ],
        ));
    }
    for o in &l.outages {
        let systems = if o.all_systems {
            ui.t("why-outage-all")
        } else {
            o.systems
                .iter()
                .map(|s| super::localized(ui.lang, &s.name))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push(match o.ended_at {
            Some(end) => say(
                ui,
                "why-outage",
                &[
                    ("systems", systems),
                    ("from", dt(o.started_at)),
                    ("to", dt(end)),
                ],
            ),
            None => say(
                ui,
                "why-outage-open",
                &[("systems", systems), ("from", dt(o.started_at))],
            ),
        });
    }
    if l.technical {
        out.push(ui.t("why-technical"));
    }
    if out.is_empty() {
        out.push(ui.t("why-nothing-moved"));
    }
    out
}

/// A suspension as a band of the timeline.
pub fn band(ui: &Ui, unit: TermUnit, b: &Band) -> BandView {
    let dt = |t| format::datetime(ui.lang, t);
    let period = match (b.until, b.ended_by_completion) {
        (None, _) => say(ui, "band-open", &[("from", dt(b.from))]),
        (Some(until), true) => say(
            ui,
            "band-by-completion",
            &[("from", dt(b.from)), ("until", dt(until))],
        ),
        (Some(until), false) => say(
            ui,
            "band-period",
            &[("from", dt(b.from)), ("until", dt(until))],
        ),
    };
    BandView {
        period,
        open: b.until.is_none(),
        extension: if b.until.is_some() {
            say(
                ui,
                "band-extension",
                &[
                    ("n", b.extension.to_string()),
                    ("unit", extension_unit(ui, unit)),
                ],
            )
        } else {
            String::new()
        },
        reason: say(ui, "band-reason", &[("reason", b.reason.clone())]),
        ground: String::new(),
        note: b
            .note
            .as_ref()
            .map(|n| say(ui, "band-note", &[("note", n.clone())]))
            .unwrap_or_default(),
    }
}

/// The registration, as the first entry of the history: the stage, the channel, where it
/// was accepted, when it counts as accepted when that differs, and the planned date
/// computed.
pub fn registration_text(ui: &Ui, l: &Lateness) -> (String, String) {
    let r = &l.registration;
    let place = match &r.acceptance_place_name {
        Some(name) => format!(
            "{} — {}",
            r.acceptance_place,
            super::localized(ui.lang, name)
        ),
        None => r.acceptance_place.to_string(),
    };
    let what = say(
        ui,
        "history-registered",
        &[
            ("stage", ui.term("stage", "accepted")),
            ("channel", ui.term("channel", r.channel.as_str())),
            ("place", place),
            ("planned", format::date(ui.lang, r.planned_date)),
        ],
    );
    let mut notes = vec![];
    if r.effective_acceptance != r.accepted_at {
        notes.push(say(
            ui,
            "history-registered-effective",
            &[("at", format::datetime(ui.lang, r.effective_acceptance))],
        ));
    }
    if r.paper {
        notes.push(ui.t("history-registered-paper"));
    }
    (what, notes.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn d(unit: TermUnit, working_days: u32, calendar_days: u32, minutes: i64) -> Distance {
        Distance {
            unit,
            working_days,
            calendar_days,
            minutes,
        }
    }

    /// Lateness is said in the term's measure, with each language's plural forms.
    #[test]
    fn lateness_is_said_in_the_terms_measure() {
        let en = Ui::anonymous(Lang::En);
        let ru = Ui::anonymous(Lang::Ru);
        let kk = Ui::anonymous(Lang::Kk);
        let wd = d(TermUnit::WorkingDays, 5, 7, 0);
        assert_eq!(late_text(&en, &wd), "5 working days (7 calendar days)");
        assert_eq!(late_text(&ru, &wd), "5 рабочих дней (7 календарных дней)");
        assert_eq!(late_text(&kk, &wd), "5 жұмыс күні (7 күнтізбелік күн)");
        assert_eq!(
            late_text(&ru, &d(TermUnit::WorkingDays, 1, 3, 0)),
            "1 рабочий день (3 календарных дня)"
        );
        // Late on days off only: no working day, said in calendar days.
        assert_eq!(
            late_text(&en, &d(TermUnit::WorkingDays, 0, 1, 0)),
            "1 calendar day, on days off (no working day)"
        );
        assert_eq!(
            late_text(&en, &d(TermUnit::CalendarDays, 0, 2, 0)),
            "2 calendar days"
        );
        assert_eq!(late_text(&en, &d(TermUnit::Hours, 0, 0, 151)), "2 h 31 min");
        assert_eq!(late_text(&ru, &d(TermUnit::Minutes, 0, 0, 7)), "7 мин");
        assert_eq!(
            left_text(&en, &d(TermUnit::WorkingDays, 0, 0, 0)),
            "due by the end of today"
        );
        assert_eq!(
            left_text(&ru, &d(TermUnit::WorkingDays, 2, 4, 0)),
            "после сегодняшнего дня осталось 2 рабочих дня"
        );
        assert_eq!(late_figure(&wd), ("working_days", "5".to_string()));
    }
}
