//! The supervisor's live board (`/office/{code}/board`) and the analyst's queue figures
//! (`/analytics/queue`, and the same as an Excel workbook) — issue 18, point 6; 003 §7(2)(3).
//! The board refreshes itself every five seconds (htmx); the figures page is a form over the
//! office, the period and the grouping.

use super::super::session::Staff;
use super::super::{render, Ui, WebError};
use crate::app::front_office::figures::{self, BoardView, QueueFiguresView};
use crate::app::front_office::offices;
use crate::app::monitoring::reports::ReportFormat;
use crate::app::{now, AppError};
use crate::i18n::message;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use qyzmet_domain::front_office::figures::{By, Figures, Spread};
use rust_xlsxwriter::{Format, Workbook};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "front_office/board.html")]
struct BoardPage {
    ui: Ui,
    board: BoardView,
    office_name: String,
}

/// The part of the board that refreshes itself (htmx).
#[derive(Template)]
#[template(path = "front_office/board_part.html")]
struct BoardPart {
    ui: Ui,
    board: BoardView,
}

impl BoardPage {
    fn minutes(&self, secs: &i64) -> i64 {
        secs / 60
    }
}

impl BoardPart {
    fn minutes(&self, secs: &i64) -> i64 {
        secs / 60
    }
}

/// `/office/{code}/board`.
pub async fn board(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Response {
    let result = async {
        let office = offices::find(&state, &code).await?;
        let board = figures::board(&state, &staff.caller, &code, now()).await?;
        Ok::<_, AppError>((office, board))
    }
    .await;
    match result {
        Ok((_, board)) if headers.contains_key("hx-request") => render(&BoardPart {
            ui: staff.ui,
            board,
        }),
        Ok((office, board)) => render(&BoardPage {
            office_name: office.name.get(staff.ui.lang.code()).to_string(),
            ui: staff.ui,
            board,
        }),
        Err(e) => WebError::from_app(&staff.ui, e).into_response(),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct FiguresQuery {
    #[serde(default)]
    office: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    by: String,
    #[serde(default)]
    format: String,
}

#[derive(Template)]
#[template(path = "front_office/figures.html")]
struct FiguresPage {
    ui: Ui,
    offices: Vec<(String, String)>,
    office: String,
    from: String,
    to: String,
    by: String,
    bys: Vec<&'static str>,
    view: Option<QueueFiguresView>,
    error: Option<String>,
}

impl FiguresPage {
    /// Seconds as minutes with one decimal, or a dash.
    fn min(&self, s: &Option<i64>) -> String {
        s.map_or_else(|| "—".into(), |s| format!("{:.1}", s as f64 / 60.0))
    }
}

/// `/analytics/queue`: the figures of an office over a period; `format=xlsx` downloads them.
pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<FiguresQuery>,
) -> Response {
    let ui = staff.ui.clone();
    let today = qyzmet_domain::zone::local_date(now());
    let month_start = today.first_of_month();
    let offices = match state.store.offices(staff.caller.scope().path()).await {
        Ok(o) => o,
        Err(e) => return WebError::from_app(&ui, e.into()).into_response(),
    };
    let mut page = FiguresPage {
        offices: offices
            .iter()
            .map(|o| (o.code.clone(), o.name.get(ui.lang.code()).to_string()))
            .collect(),
        office: q.office.trim().to_string(),
        from: Some(q.from.trim())
            .filter(|s| !s.is_empty())
            .map_or_else(|| month_start.to_string(), str::to_string),
        to: Some(q.to.trim())
            .filter(|s| !s.is_empty())
            .map_or_else(|| today.to_string(), str::to_string),
        by: Some(q.by.trim())
            .filter(|s| !s.is_empty())
            .unwrap_or("day")
            .to_string(),
        bys: By::ALL.iter().map(|b| b.as_str()).collect(),
        view: None,
        error: None,
        ui,
    };
    if page.office.is_empty() {
        return render(&page);
    }
    let result = match figures::period(&page.from, &page.to) {
        Ok(p) => {
            figures::figures(
                &state,
                &staff.caller,
                &page.office,
                p,
                &page.by,
                page.ui.lang,
            )
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(view) if q.format.trim() == "xlsx" => match workbook(&view, &page.ui) {
            Ok(bytes) => crate::files::attachment(
                bytes,
                ReportFormat::Xlsx,
                &format!("queue-{}-{}-{}", view.office, view.from, view.to),
            ),
            Err(_) => WebError::Internal(Box::new(page.ui.clone())).into_response(),
        },
        Ok(view) => {
            page.view = Some(view);
            render(&page)
        }
        Err(e) if e.kind == crate::app::ErrorKind::Invalid => {
            page.error = Some(page.ui.error_message(&e));
            super::super::render_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => WebError::from_app(&page.ui, e).into_response(),
    }
}

/// The figures' columns: the message id of each header.
const COLUMNS: [&str; 15] = [
    "queue-figures-visits",
    "queue-figures-served",
    "queue-figures-no-shows",
    "queue-figures-wait-avg",
    "queue-figures-wait-p90",
    "queue-figures-wait-max",
    "queue-figures-service-avg",
    "queue-figures-service-p90",
    "queue-figures-service-max",
    "queue-figures-wait-exceeded",
    "queue-figures-service-exceeded",
    "queue-figures-with-application",
    "queue-figures-before-due",
    "queue-figures-raised",
    "queue-figures-raised-before-due",
];

/// A row's values in the order of [`COLUMNS`]; times in minutes.
fn values(f: &Figures) -> [Option<f64>; 15] {
    let m = |s: &Spread, pick: fn(&Spread) -> Option<i64>| pick(s).map(|v| v as f64 / 60.0);
    [
        Some(f.visits as f64),
        Some(f.served as f64),
        Some(f.no_shows as f64),
        m(&f.wait, |s| s.avg_secs),
        m(&f.wait, |s| s.p90_secs),
        m(&f.wait, |s| s.max_secs),
        m(&f.service, |s| s.avg_secs),
        m(&f.service, |s| s.p90_secs),
        m(&f.service, |s| s.max_secs),
        Some(f.wait_exceeded as f64),
        Some(f.service_exceeded as f64),
        Some(f.with_application as f64),
        Some(f.finished_before_due as f64),
        Some(f.raised as f64),
        Some(f.raised_finished_before_due as f64),
    ]
}

fn workbook(v: &QueueFiguresView, ui: &Ui) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let t = |id: &str| message(ui.lang, id, &[]);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold();
    let minutes = Format::new().set_num_format("0.0");
    sheet.write_string(0, 0, format!("{} {} — {}", v.office, v.from, v.to))?;
    sheet.write_string_with_format(2, 0, t(&format!("queue-figures-by-{}", v.by)), &bold)?;
    for (i, c) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(2, (i + 1) as u16, t(c), &bold)?;
    }
    let mut row = 3u32;
    let total_label = t("queue-figures-total");
    let lines = v
        .rows
        .iter()
        .map(|r| (&r.label, &r.figures))
        .chain(std::iter::once((&total_label, &v.total)));
    for (label, f) in lines {
        sheet.write_string(row, 0, label)?;
        for (i, value) in values(f).iter().enumerate() {
            if let Some(x) = value {
                sheet.write_number_with_format(row, (i + 1) as u16, *x, &minutes)?;
            }
        }
        row += 1;
    }
    sheet.set_column_width(0, 28)?;
    sheet.set_freeze_panes(3, 1)?;
    sheet.autofilter(2, 0, row - 1, COLUMNS.len() as u16)?;
    book.save_to_buffer()
}
