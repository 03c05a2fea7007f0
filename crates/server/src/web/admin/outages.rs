//! Outages of information systems (000 §12): the list, newest first, and the form that
//! registers one through `api::outages::register_outage` or, opened from a line of the list,
//! changes it through `api::outages::change_outage`.

use super::{is_for_the_form, store_error, FormErrors, Pairs, ADMINS};
use crate::app::monitoring::outages::{change_outage, register_outage, NewOutageRequest};
use crate::state::AppState;
use crate::web::session::Staff;
use crate::web::{format, localized, render, render_status, see_other, system_names, Ui, WebError};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

pub struct OutageLine {
    pub id: i64,
    pub started: String,
    pub ended: String,
    pub systems: String,
    pub operator: String,
    pub description: String,
}

/// An information system as the form offers it.
pub struct SystemOption {
    pub code: String,
    pub name: String,
    pub checked: bool,
}

/// The outage form as sent and re-shown.
#[derive(Debug, Default)]
pub struct OutageForm {
    pub started_at: String,
    pub ended_at: String,
    pub all_systems: bool,
    pub systems: Vec<String>,
    pub operator: String,
    pub description: String,
}

#[derive(Template)]
#[template(path = "admin/outages.html")]
struct OutagesPage {
    ui: Ui,
    lines: Vec<OutageLine>,
    systems: Vec<SystemOption>,
    form: OutageForm,
    errors: FormErrors,
    created: bool,
    updated: bool,
    /// The outage the form changes; `None`: the form registers a new one.
    editing: Option<i64>,
}

async fn page(
    state: &AppState,
    ui: Ui,
    form: OutageForm,
    errors: FormErrors,
) -> Result<OutagesPage, WebError> {
    let registry = state
        .store
        .information_systems()
        .await
        .map_err(store_error(&ui))?;
    let lines = state
        .store
        .outages(None, None, None, 200)
        .await
        .map_err(store_error(&ui))?
        .into_iter()
        .map(|o| OutageLine {
            id: o.id,
            started: format::datetime(ui.lang, o.started_at),
            ended: o
                .ended_at
                .map(|t| format::datetime(ui.lang, t))
                .unwrap_or_default(),
            systems: if o.all_systems {
                ui.t("outage-all-systems")
            } else {
                system_names(ui.lang, &registry, &o.systems)
            },
            operator: o.operator,
            description: o.description,
        })
        .collect();
    let systems = registry
        .into_iter()
        .map(|s| SystemOption {
            checked: form.systems.contains(&s.code),
            name: localized(ui.lang, &s.name),
            code: s.code,
        })
        .collect();
    Ok(OutagesPage {
        ui,
        lines,
        systems,
        form,
        errors,
        created: false,
        updated: false,
        editing: None,
    })
}

#[derive(Debug, Deserialize)]
pub struct CreatedQuery {
    created: Option<String>,
    updated: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<CreatedQuery>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    let mut page = page(
        &state,
        staff.ui,
        OutageForm::default(),
        FormErrors::default(),
    )
    .await?;
    page.created = q.created.is_some();
    page.updated = q.updated.is_some();
    Ok(render(&page))
}

/// `GET /admin/outages/{id}`: the list with the form filled with that outage, to change it.
pub async fn edit(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    let ui = staff.ui;
    let found = state
        .store
        .outages(None, None, Some(id + 1), 1)
        .await
        .map_err(store_error(&ui))?
        .into_iter()
        .find(|o| o.id == id);
    let Some(o) = found else {
        return Err(WebError::from_app(
            &ui,
            crate::app::AppError::not_found("outage_not_found"),
        ));
    };
    let form = OutageForm {
        started_at: format::datetime_input(o.started_at),
        ended_at: o.ended_at.map(format::datetime_input).unwrap_or_default(),
        all_systems: o.all_systems,
        systems: o.systems,
        operator: o.operator,
        description: o.description,
    };
    let mut page = page(&state, ui, form, FormErrors::default()).await?;
    page.editing = Some(id);
    Ok(render(&page))
}

fn outage_field(api: &str) -> Option<(String, &'static str)> {
    let label = match api {
        "started_at" => "col-started",
        "ended_at" => "col-ended",
        s if s == "systems" || s.starts_with("systems[") => {
            return Some(("systems".into(), "col-systems"))
        }
        "operator" => "col-operator",
        "description" => "col-description",
        _ => return None,
    };
    Some((api.to_string(), label))
}

/// `POST /admin/outages`: registers an outage; times are Asia/Almaty, as typed.
pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    let pairs = Pairs::new(pairs);
    staff.check_csrf(&pairs.one("csrf"))?;
    let ui = staff.ui.clone();
    let (form, req) = read_form(&pairs);
    match register_outage(&state, &staff.caller, &req).await {
        Ok(o) => Ok(see_other(&format!("/admin/outages?created={}", o.id))),
        Err(e) if is_for_the_form(&e) => {
            let errors = FormErrors::from_app(&ui, &e, outage_field);
            let page = page(&state, ui, form, errors).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(WebError::from_app(&ui, e)),
    }
}

/// The form as sent, and the API request it stands for (times are Asia/Almaty, as typed).
fn read_form(pairs: &Pairs) -> (OutageForm, NewOutageRequest) {
    let form = OutageForm {
        started_at: pairs.one("started_at"),
        ended_at: pairs.one("ended_at"),
        all_systems: pairs.has("all_systems"),
        systems: pairs
            .all("systems")
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .collect(),
        operator: pairs.one("operator"),
        description: pairs.one("description"),
    };
    let ended = form.ended_at.trim();
    let req = NewOutageRequest {
        started_at: format::datetime_from_input(&form.started_at),
        ended_at: (!ended.is_empty()).then(|| format::datetime_from_input(ended)),
        all_systems: form.all_systems,
        systems: form.systems.clone(),
        operator: form.operator.clone(),
        description: form.description.clone(),
    };
    (form, req)
}

/// `POST /admin/outages/{id}`: changes an outage; the reports it touches are revised.
pub async fn update(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    let pairs = Pairs::new(pairs);
    staff.check_csrf(&pairs.one("csrf"))?;
    let ui = staff.ui.clone();
    let (form, req) = read_form(&pairs);
    match change_outage(&state, &staff.caller, id, &req).await {
        Ok(_) => Ok(see_other("/admin/outages?updated=1")),
        Err(e) if is_for_the_form(&e) => {
            let errors = FormErrors::from_app(&ui, &e, outage_field);
            let mut page = page(&state, ui, form, errors).await?;
            page.editing = Some(id);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(WebError::from_app(&ui, e)),
    }
}
