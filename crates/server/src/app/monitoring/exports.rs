//! The violations report (000 §12) and the quality annex table (003 annex) as files for
//! people and spreadsheets: CSV and Excel (.xlsx), headed in the reader's language (kk, ru,
//! en). Figures are written as numbers, never as text, and each file says what it covers and
//! the moment its figures are computed as of.
//!
//! Made to be opened in Excel (issue 16, B.9): every organization and service is named in the
//! reader's language beside its code; each row has its share on time; a totals row sums the
//! rows; in a workbook the columns are as wide as their headers (or their widest value), the
//! header row has an autofilter and stays in view with the codes and names; a CSV file starts
//! with a UTF-8 byte order mark, so that Excel reads its Kazakh and Russian letters.

use super::quality::QualityView;
use super::reports::{ReportFormat, ViolationsView};
use crate::app::AppError;
use crate::i18n::{message, month_name, Lang};
use qyzmet_domain::violation::Figures;
use qyzmet_store::ViolationsReport;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// The figures' message ids, in the column order of every file.
const FIGURES: [&str; 6] = [
    "report-due",
    "report-on-time",
    "report-violations",
    "report-technical",
    "report-open-overdue",
    "report-overdue-days",
];

/// The byte order mark a CSV file starts with: Excel reads the file as UTF-8 only with it.
const BOM: char = '\u{feff}';

/// A row's figures in the column order of every file (and of the workstation's tables).
pub fn values(f: &Figures) -> [i64; 6] {
    [
        f.due,
        f.on_time,
        f.violations,
        f.technical,
        f.open_overdue,
        f.overdue_days,
    ]
}

fn t(lang: Lang, id: &str) -> String {
    message(lang, id, &[])
}

/// One cell of a table as both file formats write it.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Text(String),
    Count(i64),
    /// A value in percent (66.7); empty when there is none. Excel shows it as a percentage.
    Percent(Option<f64>),
    /// A plain number; empty when there is none.
    Number(Option<f64>),
}

impl Cell {
    /// The cell as CSV writes it.
    fn csv(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Percent(v) | Cell::Number(v) => v.map(|x| x.to_string()).unwrap_or_default(),
        }
    }

    /// How many characters the cell shows, for the column's width.
    fn shown_len(&self) -> usize {
        match self {
            Cell::Text(s) => s.chars().count(),
            other => other.csv().chars().count() + 1,
        }
    }
}

/// A table of a file: the header, the rows, and the totals row (if the table has one).
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<Cell>>,
    totals: Option<Vec<Cell>>,
    /// Columns kept in view with the header when scrolling right (the code and the name).
    frozen_columns: u16,
}

/// A figures row's cells: the six counts, then the share on time.
fn figure_cells(f: &Figures) -> impl Iterator<Item = Cell> {
    values(f)
        .into_iter()
        .map(Cell::Count)
        .chain([Cell::Percent(f.on_time_percent())])
}

/// The figures' headers, the share on time last, each after `prefix` when given.
fn figure_headers(lang: Lang, prefix: Option<&str>) -> Vec<String> {
    FIGURES
        .iter()
        .chain(["report-on-time-percent"].iter())
        .map(|id| match prefix {
            Some(p) => format!("{p}: {}", t(lang, id)),
            None => t(lang, id),
        })
        .collect()
}

/// The sum of the rows' figures: each application of the scope counted once.
fn sum<'a>(rows: impl Iterator<Item = &'a Figures>) -> Figures {
    rows.fold(Figures::default(), |mut acc, f| {
        acc.add(f);
        acc
    })
}

/// The report's heading line: month and moment.
fn caption(r: &ViolationsReport, lang: Lang) -> String {
    message(
        lang,
        "report-caption",
        &[
            ("month", r.month.to_string()),
            (
                "month_name",
                month_name(lang, r.month.year(), r.month.month()),
            ),
            ("as_of", crate::app::validate::local(r.as_of)),
        ],
    )
}

/// The figures of the whole report's scope: every organization's own figures added, each
/// application counted once (the same as the services' figures added).
fn scope_total(r: &ViolationsReport) -> Figures {
    sum(r.organizations.iter().map(|o| &o.own))
}

/// One CSV table: a row per organization with its own and total figures, then a row per
/// service, told apart by the first column, and the totals row of the scope. The caption is
/// the first line.
pub fn violations_csv(r: &ViolationsReport, lang: Lang) -> Result<String, csv::Error> {
    let code = lang.code();
    let mut header = vec![
        t(lang, "report-row"),
        t(lang, "report-code"),
        t(lang, "report-name"),
        t(lang, "report-parent"),
    ];
    header.extend(figure_headers(lang, None));
    let row = |kind: &str, code: &str, name: &str, parent: &str, f: &Figures| {
        let mut rec = vec![
            Cell::Text(t(lang, kind)),
            Cell::Text(code.to_string()),
            Cell::Text(name.to_string()),
            Cell::Text(parent.to_string()),
        ];
        rec.extend(figure_cells(f));
        rec
    };
    let mut rows = Vec::new();
    for o in &r.organizations {
        let parent = o.parent.as_ref().map(|p| p.to_string()).unwrap_or_default();
        let name = o.name.get(code);
        rows.push(row(
            "report-row-own",
            o.code.as_str(),
            name,
            &parent,
            &o.own,
        ));
        rows.push(row(
            "report-row-total",
            o.code.as_str(),
            name,
            &parent,
            &o.total,
        ));
    }
    for s in &r.services {
        let name = s.name.get(code);
        rows.push(row(
            "report-row-service",
            s.code.as_str(),
            name,
            "",
            &s.figures,
        ));
    }
    let totals = row("report-row-totals", "", "", "", &scope_total(r));
    let table = Table {
        header,
        rows,
        totals: Some(totals),
        frozen_columns: 0,
    };
    csv_file(&caption(r, lang), &table)
}

/// A workbook of two sheets, organizations and services: the caption in the first row, the
/// header in the second (frozen with it, with an autofilter), one row per organization or
/// service below, and the totals row last.
pub fn violations_xlsx(r: &ViolationsReport, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let code = lang.code();
    let mut book = Workbook::new();
    let caption = caption(r, lang);

    let mut header = vec![
        t(lang, "report-code"),
        t(lang, "report-name"),
        t(lang, "report-parent"),
    ];
    let (own, total) = (t(lang, "report-own"), t(lang, "report-total"));
    header.extend(figure_headers(lang, Some(&own)));
    header.extend(figure_headers(lang, Some(&total)));
    let rows = r
        .organizations
        .iter()
        .map(|o| {
            let mut row = vec![
                Cell::Text(o.code.to_string()),
                Cell::Text(o.name.get(code).to_string()),
                Cell::Text(o.parent.as_ref().map(|p| p.to_string()).unwrap_or_default()),
            ];
            row.extend(figure_cells(&o.own));
            row.extend(figure_cells(&o.total));
            row
        })
        .collect();
    // The scope's own and total figures are the same: every application once.
    let all = scope_total(r);
    let mut totals = vec![
        Cell::Text(t(lang, "report-totals")),
        Cell::Text(String::new()),
        Cell::Text(String::new()),
    ];
    totals.extend(figure_cells(&all));
    totals.extend(figure_cells(&all));
    let organizations = Table {
        header,
        rows,
        totals: Some(totals),
        frozen_columns: 2,
    };
    let sheet = book.add_worksheet();
    sheet.set_name(t(lang, "report-sheet-organizations"))?;
    write_sheet(sheet, &caption, &organizations)?;

    let mut header = vec![t(lang, "report-code"), t(lang, "report-name")];
    header.extend(figure_headers(lang, None));
    let rows = r
        .services
        .iter()
        .map(|s| {
            let mut row = vec![
                Cell::Text(s.code.to_string()),
                Cell::Text(s.name.get(code).to_string()),
            ];
            row.extend(figure_cells(&s.figures));
            row
        })
        .collect();
    let mut totals = vec![
        Cell::Text(t(lang, "report-totals")),
        Cell::Text(String::new()),
    ];
    totals.extend(figure_cells(&sum(r.services.iter().map(|s| &s.figures))));
    let services = Table {
        header,
        rows,
        totals: Some(totals),
        frozen_columns: 2,
    };
    let sheet = book.add_worksheet();
    sheet.set_name(t(lang, "report-sheet-services"))?;
    write_sheet(sheet, &caption, &services)?;
    book.save_to_buffer()
}

/// A table as CSV: the byte order mark, the caption line, the header, the rows, the totals.
fn csv_file(caption: &str, table: &Table) -> Result<String, csv::Error> {
    // Flexible: the caption line has one field, the table below it more.
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(vec![]);
    w.write_record([caption])?;
    w.write_record(&table.header)?;
    for row in table.rows.iter().chain(table.totals.iter()) {
        w.write_record(row.iter().map(Cell::csv))?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    let text = String::from_utf8(bytes)
        .map_err(|e| csv::Error::from(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
    Ok(format!("{BOM}{text}"))
}

/// Column widths in characters: wide enough for the header and the widest value, within
/// reason (a long name wraps no row; it is cut at the column's edge, whole in the cell).
const MIN_WIDTH: usize = 8;
const MAX_WIDTH: usize = 60;

/// A table on `sheet`: the caption in row 0, the bold header in row 1 with an autofilter over
/// the rows (not the totals), both kept in view with the first `frozen_columns`; the totals
/// row in bold. Numbers are number cells; a percentage shows as one (66.7 %).
fn write_sheet(sheet: &mut Worksheet, caption: &str, table: &Table) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let header_format = Format::new().set_bold().set_text_wrap();
    let percent = Format::new().set_num_format("0.0%");
    let bold_percent = Format::new().set_bold().set_num_format("0.0%");
    sheet.write_string_with_format(0, 0, caption, &bold)?;
    for (j, h) in table.header.iter().enumerate() {
        sheet.write_string_with_format(1, j as u16, h, &header_format)?;
    }
    let last_row = 1 + table.rows.len() as u32;
    let rows = table.rows.iter().chain(table.totals.iter());
    for (i, row) in rows.enumerate() {
        let r = 2 + i as u32;
        let is_totals = r > last_row;
        for (j, cell) in row.iter().enumerate() {
            let c = j as u16;
            match (cell, is_totals) {
                (Cell::Text(s), false) if !s.is_empty() => {
                    sheet.write_string(r, c, s)?;
                }
                (Cell::Text(s), true) if !s.is_empty() => {
                    sheet.write_string_with_format(r, c, s, &bold)?;
                }
                (Cell::Count(n), false) => {
                    sheet.write_number(r, c, *n as f64)?;
                }
                (Cell::Count(n), true) => {
                    sheet.write_number_with_format(r, c, *n as f64, &bold)?;
                }
                (Cell::Percent(Some(v)), totals) => {
                    let format = if totals { &bold_percent } else { &percent };
                    sheet.write_number_with_format(r, c, v / 100.0, format)?;
                }
                (Cell::Number(Some(v)), _) => {
                    sheet.write_number(r, c, *v)?;
                }
                _ => {}
            }
        }
    }
    for (j, h) in table.header.iter().enumerate() {
        let widest = table
            .rows
            .iter()
            .chain(table.totals.iter())
            .filter_map(|row| row.get(j))
            .map(Cell::shown_len)
            .max()
            .unwrap_or(0);
        let width = (h.chars().count().max(widest) + 2).clamp(MIN_WIDTH, MAX_WIDTH);
        sheet.set_column_width(j as u16, width as f64)?;
    }
    let last_col = table.header.len().saturating_sub(1) as u16;
    sheet.autofilter(1, 0, last_row, last_col)?;
    sheet.set_freeze_panes(2, table.frozen_columns)?;
    Ok(())
}

/// The annex table's columns after the indicator's code and name.
const QUALITY_COLUMNS: [&str; 5] = [
    "quality-normative",
    "quality-target",
    "quality-current",
    "quality-numerator",
    "quality-denominator",
];

/// The annex table's heading line: service, year and moment.
fn quality_caption(q: &QualityView, lang: Lang) -> String {
    message(
        lang,
        "quality-caption",
        &[
            ("service", q.service.clone()),
            ("year", q.year.to_string()),
            ("as_of", q.as_of.clone()),
        ],
    )
}

fn quality_header(lang: Lang) -> Vec<String> {
    let mut header = vec![t(lang, "quality-code"), t(lang, "quality-indicator")];
    header.extend(QUALITY_COLUMNS.iter().map(|id| t(lang, id)));
    header
}

/// The name of an indicator (`1.1`) in `lang`.
pub fn indicator_name(lang: Lang, code: &str) -> String {
    t(
        lang,
        &format!("quality-indicator-{}", code.replace('.', "-")),
    )
}

/// The annex table: a row per indicator; a value not set or not yet counted is empty. No
/// totals: the indicators are shares of different things.
fn quality_table(q: &QualityView, lang: Lang) -> Table {
    let rows = q
        .indicators
        .iter()
        .map(|i| {
            vec![
                Cell::Text(i.code.clone()),
                Cell::Text(indicator_name(lang, &i.code)),
                Cell::Number(i.normative),
                Cell::Number(i.target),
                Cell::Number(i.current),
                Cell::Count(i.numerator),
                Cell::Count(i.denominator),
            ]
        })
        .collect();
    Table {
        header: quality_header(lang),
        rows,
        totals: None,
        frozen_columns: 2,
    }
}

/// The annex table as CSV: the byte order mark, the caption line, the header, a row per
/// indicator; a value not set or not yet counted is an empty field.
pub fn quality_csv(q: &QualityView, lang: Lang) -> Result<String, csv::Error> {
    csv_file(&quality_caption(q, lang), &quality_table(q, lang))
}

/// The annex table as a workbook of one sheet: the caption, the frozen header with an
/// autofilter, a row per indicator with its values as numbers (a value not set or not yet
/// counted is left empty).
pub fn quality_xlsx(q: &QualityView, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(t(lang, "quality-sheet"))?;
    write_sheet(sheet, &quality_caption(q, lang), &quality_table(q, lang))?;
    book.save_to_buffer()
}

/// The annex table as the bytes of a file of `format`, headed in `lang`.
pub fn render_quality(
    view: &QualityView,
    format: ReportFormat,
    lang: Lang,
) -> Result<Vec<u8>, AppError> {
    let failed = |e: &dyn std::fmt::Display| {
        tracing::error!(error = %e, "the annex table could not be written");
        AppError::internal()
    };
    match format {
        ReportFormat::Json => serde_json::to_vec_pretty(view).map_err(|e| failed(&e)),
        ReportFormat::Csv => quality_csv(view, lang)
            .map(String::into_bytes)
            .map_err(|e| failed(&e)),
        ReportFormat::Xlsx => quality_xlsx(view, lang).map_err(|e| failed(&e)),
    }
}

/// The report as the bytes of a file of `format`, headed in `lang`.
pub fn render_violations(
    report: ViolationsReport,
    format: ReportFormat,
    lang: Lang,
    generated_at: jiff::Timestamp,
) -> Result<Vec<u8>, AppError> {
    let failed = |e: &dyn std::fmt::Display| {
        tracing::error!(error = %e, "the report could not be written");
        AppError::internal()
    };
    match format {
        ReportFormat::Json => serde_json::to_vec_pretty(&ViolationsView::of(report, generated_at))
            .map_err(|e| failed(&e)),
        ReportFormat::Csv => violations_csv(&report, lang)
            .map(String::into_bytes)
            .map_err(|e| failed(&e)),
        ReportFormat::Xlsx => violations_xlsx(&report, lang).map_err(|e| failed(&e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_write_as_csv_and_measure_their_width() {
        assert_eq!(Cell::Percent(Some(66.7)).csv(), "66.7");
        assert_eq!(Cell::Percent(None).csv(), "");
        assert_eq!(Cell::Count(-3).csv(), "-3");
        assert_eq!(Cell::Text("Әділет".into()).shown_len(), 6);
    }
}
