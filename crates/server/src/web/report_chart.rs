//! The violations report's charts (000 §12), drawn on the server as SVG: violations by
//! organization and by service as horizontal bars with their technical part set apart, and
//! the 12-month trend of violations and technical violations read from the stored reports,
//! a month without a stored report marked as missing, not drawn as zero.
//!
//! No script and no style element (the pages' CSP allows neither): the look comes from the
//! style sheet's classes. Each chart is an image named by its `<title>` and described, with
//! every number it draws, by its `<desc>`; every bar carries its own `<title>` and text label,
//! and the page's tables hold the same numbers.

use super::chart::{escape, value_grid};
use super::Ui;
use crate::i18n::message;
use qyzmet_domain::violation::Month;
use std::fmt::Write;

const WIDTH: f64 = 900.0;
/// The bar charts: the labels' column, a row per bar.
const LABEL_W: f64 = 310.0;
/// Room after the longest bar for its numbers ("14 (технических 6)").
const VALUE_W: f64 = 200.0;
const ROW: f64 = 28.0;
const BAR_H: f64 = 18.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 8.0;
/// The trend: its height, the axis' column and the month labels' band.
const TREND_H: f64 = 260.0;
const LEFT: f64 = 48.0;
const TREND_BOTTOM: f64 = 30.0;
const TREND_TOP: f64 = 18.0;

/// A row of a bar chart: an organization's or a service's violations.
pub struct Bar {
    pub code: String,
    pub label: String,
    pub violations: i64,
    pub technical: i64,
}

/// A month of the trend: its violations and technical violations from its latest stored
/// version, or `None` when the month has no stored report.
pub struct TrendPoint {
    pub month: Month,
    pub figures: Option<(i64, i64)>,
}

/// The characters of a label that fit the labels' column at the chart's font size.
const MAX_LABEL: usize = 38;

/// A label cut to fit the labels' column (the whole one is in the bar's title).
fn short(label: &str) -> String {
    if label.chars().count() <= MAX_LABEL {
        label.to_string()
    } else {
        let cut: String = label.chars().take(MAX_LABEL - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// One bar's sentence: "name: 12 violations, of which technical 3".
fn bar_sentence(ui: &Ui, name: &str, violations: i64, technical: i64) -> String {
    message(
        ui.lang,
        "report-chart-bar",
        &[
            ("name", name.to_string()),
            ("violations", ui.number(violations)),
            ("technical", ui.number(technical)),
        ],
    )
}

/// The opening of a chart's SVG: its title and description referenced as its name.
fn open(svg: &mut String, id: &str, height: f64, title: &str, desc: &str) {
    let _ = write!(
        svg,
        r#"<svg id="{id}" viewBox="0 0 {WIDTH} {height:.0}" role="img" aria-labelledby="{id}-title {id}-desc" preserveAspectRatio="xMinYMin meet"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(desc),
    );
}

/// A horizontal bar chart of violations, the technical part of each bar darker; `id` names
/// the SVG element, `title` the chart.
pub fn bars(ui: &Ui, id: &str, title: &str, bars: &[Bar]) -> String {
    let height = TOP + ROW * bars.len().max(1) as f64 + BOTTOM;
    let desc = if bars.is_empty() {
        ui.t("report-chart-empty")
    } else {
        bars.iter()
            .map(|b| bar_sentence(ui, &b.label, b.violations, b.technical))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let mut svg = String::new();
    open(&mut svg, id, height, title, &desc);
    if bars.is_empty() {
        let _ = write!(
            svg,
            r#"<text class="label" x="{:.1}" y="{:.1}">{}</text>"#,
            8.0,
            TOP + ROW / 2.0 + 4.0,
            escape(&ui.t("report-chart-empty"))
        );
    }
    let max = bars.iter().map(|b| b.violations).max().unwrap_or(0).max(1) as f64;
    let plot_w = WIDTH - LABEL_W - VALUE_W;
    let w = |v: i64| plot_w * v as f64 / max;
    for (i, b) in bars.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let bar_y = y + (ROW - BAR_H) / 2.0;
        let text_y = y + ROW / 2.0 + 4.0;
        let value = message(
            ui.lang,
            "report-chart-value",
            &[
                ("violations", ui.number(b.violations)),
                ("technical", ui.number(b.technical)),
            ],
        );
        let _ = write!(
            svg,
            r#"<g class="bar-row" data-code="{code}" data-violations="{v}" data-technical="{t}"><title>{sentence}</title><text class="label" x="{lx:.1}" y="{text_y:.1}" text-anchor="end">{label}</text><rect class="bar-violations" x="{LABEL_W}" y="{bar_y:.1}" width="{wv:.1}" height="{BAR_H}"/><rect class="bar-technical" x="{LABEL_W}" y="{bar_y:.1}" width="{wt:.1}" height="{BAR_H}"/><text class="value" x="{vx:.1}" y="{text_y:.1}">{value}</text></g>"#,
            code = escape(&b.code),
            v = b.violations,
            t = b.technical,
            sentence = escape(&format!(
                "{} {}",
                b.code,
                bar_sentence(ui, &b.label, b.violations, b.technical)
            )),
            lx = LABEL_W - 8.0,
            label = escape(&short(&b.label)),
            wv = w(b.violations),
            wt = w(b.technical),
            vx = LABEL_W + w(b.violations) + 6.0,
            value = escape(&value),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The month's name in full and its year, "March 2026", "март 2026 г.".
pub fn month_label(ui: &Ui, m: Month) -> String {
    crate::i18n::month_name(ui.lang, m.year(), m.month())
}

/// The month's short name and year, "Mar 2026", where a chart's axis has no room for more.
fn month_label_short(ui: &Ui, m: Month) -> String {
    format!(
        "{} {}",
        ui.t(&format!("month-short-{}", m.month())),
        m.year()
    )
}

/// The trend: for each month, a bar of violations and one of technical violations; a month
/// without a stored report is a dashed frame marked "—", not a zero.
pub fn trend(ui: &Ui, points: &[TrendPoint]) -> String {
    let id = "chart-trend";
    let n = points.len().max(1);
    let max = points
        .iter()
        .filter_map(|p| p.figures.map(|(v, _)| v))
        .max()
        .unwrap_or(0)
        .max(1);
    let plot_w = WIDTH - LEFT - 8.0;
    let plot_h = TREND_H - TREND_TOP - TREND_BOTTOM;
    let step = plot_w / n as f64;
    let base = TREND_TOP + plot_h;
    let y = |v: i64| base - plot_h * v as f64 / max as f64;
    let desc = points
        .iter()
        .map(|p| {
            let label = month_label(ui, p.month);
            match p.figures {
                Some((v, t)) => bar_sentence(ui, &label, v, t),
                None => message(ui.lang, "report-chart-missing", &[("name", label.clone())]),
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    let mut svg = String::new();
    open(&mut svg, id, TREND_H, &ui.t("report-chart-trend"), &desc);
    value_grid(&mut svg, ui, max, (LEFT, WIDTH - 8.0), y);
    let bar_w = step * 0.34;
    for (i, p) in points.iter().enumerate() {
        let x = LEFT + step * i as f64;
        let label = month_label(ui, p.month);
        let _ = write!(
            svg,
            r#"<text class="axis" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            x + step / 2.0,
            TREND_H - 10.0,
            escape(&month_label_short(ui, p.month))
        );
        match p.figures {
            Some((v, t)) => {
                let _ = write!(
                    svg,
                    r#"<g class="trend-month" data-month="{m}" data-violations="{v}" data-technical="{t}"><title>{sentence}</title><rect class="bar-violations" x="{xv:.1}" y="{yv:.1}" width="{bar_w:.1}" height="{hv:.1}"/><rect class="bar-technical" x="{xt:.1}" y="{yt:.1}" width="{bar_w:.1}" height="{ht:.1}"/><text class="value" x="{cv:.1}" y="{lv:.1}" text-anchor="middle">{nv}</text><text class="value" x="{ct:.1}" y="{lt:.1}" text-anchor="middle">{nt}</text></g>"#,
                    m = p.month,
                    sentence = escape(&bar_sentence(ui, &label, v, t)),
                    xv = x + step * 0.14,
                    yv = y(v),
                    hv = base - y(v),
                    xt = x + step * 0.52,
                    yt = y(t),
                    ht = base - y(t),
                    cv = x + step * 0.14 + bar_w / 2.0,
                    lv = y(v) - 4.0,
                    ct = x + step * 0.52 + bar_w / 2.0,
                    lt = y(t) - 4.0,
                    nv = escape(&ui.number(v)),
                    nt = escape(&ui.number(t)),
                );
            }
            None => {
                let _ = write!(
                    svg,
                    r#"<g class="trend-month" data-month="{m}" data-missing="true"><title>{sentence}</title><rect class="missing" x="{x0:.1}" y="{TREND_TOP}" width="{w:.1}" height="{plot_h:.1}" stroke-dasharray="4 3"/><text class="value" x="{cx:.1}" y="{cy:.1}" text-anchor="middle">—</text></g>"#,
                    m = p.month,
                    sentence = escape(&message(
                        ui.lang,
                        "report-chart-missing",
                        &[("name", label.clone())]
                    )),
                    x0 = x + step * 0.1,
                    w = step * 0.8,
                    cx = x + step / 2.0,
                    cy = TREND_TOP + plot_h / 2.0,
                );
            }
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn bars_carry_their_numbers_and_escape_names() {
        let ui = Ui::anonymous(Lang::En);
        let svg = bars(
            &ui,
            "chart-x",
            "Violations",
            &[
                Bar {
                    code: "MIN".into(),
                    label: "Ministry <of> things".into(),
                    violations: 12,
                    technical: 3,
                },
                Bar {
                    code: "AKIM".into(),
                    label: "Akimat".into(),
                    violations: 0,
                    technical: 0,
                },
            ],
        );
        assert_eq!(svg.matches("class=\"bar-row\"").count(), 2);
        assert!(svg.contains("data-code=\"MIN\" data-violations=\"12\" data-technical=\"3\""));
        assert!(svg.contains("Ministry &lt;of&gt; things"), "{svg}");
        assert!(svg.contains("<desc id=\"chart-x-desc\">"), "{svg}");
        assert!(svg.contains("role=\"img\""));
        assert!(!svg.contains("style"), "no inline style: {svg}");
    }

    #[test]
    fn the_trend_marks_missing_months() {
        let ui = Ui::anonymous(Lang::Ru);
        let m: Month = "2026-03".parse().unwrap();
        let points = [
            TrendPoint {
                month: m.previous(),
                figures: None,
            },
            TrendPoint {
                month: m,
                figures: Some((7, 2)),
            },
        ];
        let svg = trend(&ui, &points);
        assert!(svg.contains("data-month=\"2026-02\" data-missing=\"true\""));
        assert!(svg.contains("data-month=\"2026-03\" data-violations=\"7\" data-technical=\"2\""));
        assert_eq!(svg.matches("class=\"trend-month\"").count(), 2);
    }

    #[test]
    fn long_labels_are_cut() {
        let long = "x".repeat(80);
        assert_eq!(short(&long).chars().count(), MAX_LABEL);
        assert_eq!(short("short"), "short");
    }
}
