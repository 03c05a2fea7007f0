//! The violations report (000 §12) and the quality annex table (003 annex) as files for
//! people and spreadsheets: CSV and Excel (.xlsx), headed in the reader's language (kk, ru,
//! en). Figures are written as numbers, never as text, and each file says what it covers and
//! the moment its figures are computed as of.

use crate::app::monitoring::quality::QualityView;
use crate::i18n::{message, Lang};
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

/// The report's heading line: month and moment.
fn caption(r: &ViolationsReport, lang: Lang) -> String {
    message(
        lang,
        "report-caption",
        &[
            ("month", r.month.to_string()),
            ("as_of", crate::app::validate::local(r.as_of)),
        ],
    )
}

/// One CSV table: a row per organization with its own and total figures, then a row per
/// service, told apart by the first column. The caption is the first line.
pub fn violations_csv(r: &ViolationsReport, lang: Lang) -> Result<String, csv::Error> {
    // Flexible: the caption line has one field, the table below it nine.
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(vec![]);
    w.write_record([caption(r, lang)])?;
    let mut header = vec![
        t(lang, "report-row"),
        t(lang, "report-code"),
        t(lang, "report-parent"),
    ];
    header.extend(FIGURES.iter().map(|id| t(lang, id)));
    w.write_record(&header)?;
    let row = |kind: &str, code: &str, parent: &str, f: &Figures| {
        let mut rec = vec![t(lang, kind), code.to_string(), parent.to_string()];
        rec.extend(values(f).iter().map(i64::to_string));
        rec
    };
    for o in &r.organizations {
        let parent = o.parent.as_ref().map(|p| p.to_string()).unwrap_or_default();
        w.write_record(row("report-row-own", o.code.as_str(), &parent, &o.own))?;
        w.write_record(row("report-row-total", o.code.as_str(), &parent, &o.total))?;
    }
    for s in &r.services {
        w.write_record(row("report-row-service", s.code.as_str(), "", &s.figures))?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8(bytes).expect("the CSV writer writes the UTF-8 it is given"))
}

/// A workbook of two sheets, organizations and services: the caption in the first row, the
/// header in the second (frozen with it), one row per organization or service below.
pub fn violations_xlsx(r: &ViolationsReport, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let caption = caption(r, lang);

    let sheet = book.add_worksheet();
    sheet.set_name(t(lang, "report-sheet-organizations"))?;
    let mut header = vec![t(lang, "report-code"), t(lang, "report-parent")];
    for scope in ["report-own", "report-total"] {
        let scope = t(lang, scope);
        header.extend(FIGURES.iter().map(|id| format!("{scope}: {}", t(lang, id))));
    }
    head(sheet, &caption, &header, &bold)?;
    for (i, o) in r.organizations.iter().enumerate() {
        let row = 2 + i as u32;
        sheet.write_string(row, 0, o.code.as_str())?;
        if let Some(p) = &o.parent {
            sheet.write_string(row, 1, p.as_str())?;
        }
        let figures = values(&o.own).into_iter().chain(values(&o.total));
        for (j, v) in figures.enumerate() {
            sheet.write_number(row, 2 + j as u16, v as f64)?;
        }
    }

    let sheet = book.add_worksheet();
    sheet.set_name(t(lang, "report-sheet-services"))?;
    let mut header = vec![t(lang, "report-code")];
    header.extend(FIGURES.iter().map(|id| t(lang, id)));
    head(sheet, &caption, &header, &bold)?;
    for (i, s) in r.services.iter().enumerate() {
        let row = 2 + i as u32;
        sheet.write_string(row, 0, s.code.as_str())?;
        for (j, v) in values(&s.figures).into_iter().enumerate() {
            sheet.write_number(row, 1 + j as u16, v as f64)?;
        }
    }
    book.save_to_buffer()
}

/// The caption and the bold header, both kept in view when scrolling.
fn head(
    sheet: &mut Worksheet,
    caption: &str,
    header: &[String],
    bold: &Format,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(0, 0, caption, bold)?;
    for (j, h) in header.iter().enumerate() {
        sheet.write_string_with_format(1, j as u16, h, bold)?;
        sheet.set_column_width(j as u16, if j == 0 { 16 } else { 14 })?;
    }
    sheet.set_freeze_panes(2, 0)?;
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

/// The annex table as CSV: the caption line, the header, a row per indicator; a value not
/// set or not yet counted is an empty field.
pub fn quality_csv(q: &QualityView, lang: Lang) -> Result<String, csv::Error> {
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(vec![]);
    w.write_record([quality_caption(q, lang)])?;
    w.write_record(quality_header(lang))?;
    let percent = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    for i in &q.indicators {
        w.write_record([
            i.code.clone(),
            indicator_name(lang, &i.code),
            percent(i.normative),
            percent(i.target),
            percent(i.current),
            i.numerator.to_string(),
            i.denominator.to_string(),
        ])?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8(bytes).expect("the CSV writer writes the UTF-8 it is given"))
}

/// The annex table as a workbook of one sheet: the caption, the frozen header, a row per
/// indicator with its values as numbers (a value not set or not yet counted is left empty).
pub fn quality_xlsx(q: &QualityView, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name(t(lang, "quality-sheet"))?;
    head(
        sheet,
        &quality_caption(q, lang),
        &quality_header(lang),
        &bold,
    )?;
    sheet.set_column_width(1, 48)?;
    for (n, i) in q.indicators.iter().enumerate() {
        let row = 2 + n as u32;
        sheet.write_string(row, 0, &i.code)?;
        sheet.write_string(row, 1, indicator_name(lang, &i.code))?;
        let values = [
            i.normative,
            i.target,
            i.current,
            Some(i.numerator as f64),
            Some(i.denominator as f64),
        ];
        for (j, v) in values.into_iter().enumerate() {
            if let Some(v) = v {
                sheet.write_number(row, 2 + j as u16, v)?;
            }
        }
    }
    book.save_to_buffer()
}
