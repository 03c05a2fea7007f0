//! The dashboard's chart, drawn on the server as SVG: applications accepted (bars, each a
//! link to that day's list), completed and overdue (lines) per local day. Plain SVG keeps the
//! page free of scripts and readable by screen readers (a title per day, a table fallback).

use super::{format, Ui};
use jiff::Timestamp;
use qyzmet_store::DayCounts;
use std::fmt::Write;

const WIDTH: f64 = 900.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 48.0;
const BOTTOM: f64 = 28.0;
const TOP: f64 = 12.0;

/// Escapes text for SVG/HTML.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The value axis of a chart: a grid line and a label at 0, half the maximum and the
/// maximum, across `span` (left and right ends); `y` places a value.
pub fn value_grid(svg: &mut String, ui: &Ui, max: i64, span: (f64, f64), y: impl Fn(i64) -> f64) {
    let (left, right) = span;
    for v in [0, max / 2, max] {
        let yy = y(v);
        let _ = write!(
            svg,
            r#"<line class="grid" x1="{left}" y1="{yy:.1}" x2="{right:.1}" y2="{yy:.1}"/><text class="axis" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            left - 6.0,
            yy + 4.0,
            escape(&ui.number(v))
        );
    }
}

/// The list of one day's applications: `what` is accepted, completed or deadline.
fn day_link(from: Timestamp, to: Timestamp, what: &str, extra: &str) -> String {
    format!(
        "/analytics/applications?{what}_from={}&amp;{what}_to={}{extra}",
        escape(&crate::app::validate::local(from)).replace('+', "%2B"),
        escape(&crate::app::validate::local(to)).replace('+', "%2B"),
    )
}

/// The chart of days `first..=last` (days since 1970-01-01 in the local offset); each day's
/// links add `scope` to their query (`&amp;executor=CODE` for one organization's sub-tree).
pub fn daily(
    ui: &Ui,
    days: &[DayCounts],
    first: i64,
    last: i64,
    offset: i64,
    scope: &str,
) -> String {
    let n = (last - first + 1).max(1) as usize;
    let mut series = vec![DayCounts::default(); n];
    for d in days {
        if (first..=last).contains(&d.day) {
            series[(d.day - first) as usize] = *d;
        }
    }
    let max = series
        .iter()
        .map(|d| d.accepted.max(d.completed).max(d.overdue))
        .max()
        .unwrap_or(0)
        .max(1);
    let plot_w = WIDTH - LEFT - 8.0;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let step = plot_w / n as f64;
    let y = |v: i64| TOP + plot_h - plot_h * v as f64 / max as f64;
    let x = |i: usize| LEFT + step * i as f64;
    let day_start = |day: i64| Timestamp::from_second(day * 86_400 - offset).ok();
    let title = escape(&ui.t("chart-title"));
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="group" aria-labelledby="chart-title" preserveAspectRatio="xMinYMin meet"><title id="chart-title">{title}</title>"#
    );
    value_grid(&mut svg, ui, max, (LEFT, WIDTH - 8.0), y);
    for i in [0, n / 2, n - 1] {
        if let Some(t) = day_start(first + i as i64) {
            let label = format::date(
                ui.lang,
                t.to_zoned(qyzmet_domain::zone::almaty().clone()).date(),
            );
            let _ = write!(
                svg,
                r#"<text class="axis" x="{:.1}" y="{:.1}" text-anchor="{}">{}</text>"#,
                x(i) + step / 2.0,
                HEIGHT - 8.0,
                if i == 0 {
                    "start"
                } else if i == n - 1 {
                    "end"
                } else {
                    "middle"
                },
                escape(&label)
            );
        }
    }
    let (accepted, completed, overdue) = (
        escape(&ui.t("chart-accepted")),
        escape(&ui.t("chart-completed")),
        escape(&ui.t("chart-overdue")),
    );
    for (i, d) in series.iter().enumerate() {
        let (Some(from), Some(to)) = (day_start(first + i as i64), day_start(first + i as i64 + 1))
        else {
            continue;
        };
        let date = format::date(
            ui.lang,
            from.to_zoned(qyzmet_domain::zone::almaty().clone()).date(),
        );
        let top = y(d.accepted);
        // A day nothing was accepted has an empty bar and no link: a link of no size would
        // take the keyboard's focus and show nothing.
        if d.accepted == 0 {
            let _ = write!(
                svg,
                r#"<rect class="bar" x="{:.1}" y="{top:.1}" width="{:.1}" height="0.0"/>"#,
                x(i) + 1.0,
                (step - 2.0).max(1.0),
            );
            continue;
        }
        let href = day_link(from, to, "accepted", scope);
        let _ = write!(
            svg,
            r#"<a href="{href}"><title>{}: {accepted} {}, {completed} {}, {overdue} {}</title><rect class="bar" x="{:.1}" y="{top:.1}" width="{:.1}" height="{:.1}"/></a>"#,
            escape(&date),
            escape(&ui.number(d.accepted)),
            escape(&ui.number(d.completed)),
            escape(&ui.number(d.overdue)),
            x(i) + 1.0,
            (step - 2.0).max(1.0),
            (TOP + plot_h - top).max(0.0),
        );
    }
    // The lines' points link to their lists too: completed that day, and deadlines of that
    // day passed before completion.
    for (i, d) in series.iter().enumerate() {
        let (Some(from), Some(to)) = (day_start(first + i as i64), day_start(first + i as i64 + 1))
        else {
            continue;
        };
        let date = format::date(
            ui.lang,
            from.to_zoned(qyzmet_domain::zone::almaty().clone()).date(),
        );
        for (class, value, label, href) in [
            (
                "pt-completed",
                d.completed,
                &completed,
                day_link(from, to, "completed", scope),
            ),
            (
                "pt-overdue",
                d.overdue,
                &overdue,
                day_link(from, to, "deadline", &format!("{scope}&amp;overdue=true")),
            ),
        ] {
            if value > 0 {
                let _ = write!(
                    svg,
                    r#"<a href="{href}"><title>{}: {label} {}</title><circle class="{class}" cx="{:.1}" cy="{:.1}" r="3"/></a>"#,
                    escape(&date),
                    escape(&ui.number(value)),
                    x(i) + step / 2.0,
                    y(value),
                );
            }
        }
    }
    for (class, pick) in [
        (
            "line-completed",
            (|d: &DayCounts| d.completed) as fn(&DayCounts) -> i64,
        ),
        ("line-overdue", |d: &DayCounts| d.overdue),
    ] {
        let points: Vec<String> = series
            .iter()
            .enumerate()
            .map(|(i, d)| format!("{:.1},{:.1}", x(i) + step / 2.0, y(pick(d))))
            .collect();
        let _ = write!(
            svg,
            r#"<polyline class="{class}" fill="none" points="{}"/>"#,
            points.join(" ")
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn the_chart_has_a_bar_per_day_and_escapes_text() {
        let ui = Ui::anonymous(Lang::En);
        let days = [DayCounts {
            day: 20_000,
            accepted: 7,
            completed: 3,
            overdue: 1,
        }];
        let svg = daily(&ui, &days, 19_991, 20_000, 18_000, "");
        assert_eq!(svg.matches("<rect").count(), 10);
        assert!(svg.contains("accepted_from="), "{svg}");
        assert!(svg.contains("completed_from="), "{svg}");
        assert!(
            svg.contains("deadline_from=") && svg.contains("overdue=true"),
            "{svg}"
        );
        assert!(svg.contains(">7<") || svg.contains(" 7,"), "{svg}");
        assert_eq!(escape("<a&\"'>"), "&lt;a&amp;&quot;&#39;&gt;");
    }
}
