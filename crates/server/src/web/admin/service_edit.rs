//! The form that edits a service on its page: names in three languages, the provider (fixed
//! once an application of the service is registered), channels and the information systems it
//! depends on — through `app::registry::services::edit_service`, refused when the service was
//! edited since the form was shown.

use super::services::{service_page, EditServiceForm, Sent};
use super::{is_for_the_form, FormErrors, Pairs, ADMINS};
use crate::app::registry::organizations::Names;
use crate::app::registry::services::{edit_service, EditServiceRequest};
use crate::state::AppState;
use crate::web::session::Staff;
use crate::web::{render_status, see_other, WebError};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Form;

/// The form field (and the id of its label) of an API field of the edit.
fn edit_field(api: &str) -> Option<(String, &'static str)> {
    let label = match api {
        "organization" => "col-provider",
        "name.kk" => "name-kk",
        "name.ru" => "name-ru",
        "name.en" => "name-en",
        f if f == "channels" || f.starts_with("channels[") => {
            return Some(("channels".into(), "col-channels"));
        }
        f if f == "depends_on" || f.starts_with("depends_on[") => {
            return Some(("depends_on".into(), "col-depends-on"));
        }
        _ => return None,
    };
    Some((api.replace('.', "_"), label))
}

/// `POST /admin/services/{code}/edit`.
pub async fn edit(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    staff.require(&ADMINS)?;
    let p = Pairs::new(pairs);
    staff.check_csrf(&p.one("csrf"))?;
    let ui = staff.ui.clone();
    let mut form = EditServiceForm {
        revision: p.one("revision"),
        organization: p.one("organization"),
        name_kk: p.one("name_kk"),
        name_ru: p.one("name_ru"),
        name_en: p.one("name_en"),
        channels: p.all("channels"),
        depends_on: p.all("depends_on"),
    };
    let req = EditServiceRequest {
        // A revision that is no number is no revision the service has had.
        revision: form.revision.trim().parse().unwrap_or(0),
        name: Some(Names {
            kk: form.name_kk.clone(),
            ru: form.name_ru.clone(),
            en: form.name_en.clone(),
        }),
        // A provider fixed by its applications is shown, not sent: it stays.
        organization: Some(form.organization.clone()).filter(|o| !o.trim().is_empty()),
        channels: Some(form.channels.clone()),
        depends_on: Some(form.depends_on.clone()),
    };
    match edit_service(&state, &staff.caller, &code, &req).await {
        Ok(s) => Ok(see_other(&format!("/admin/services/{}?edited=1", s.code))),
        Err(e) if is_for_the_form(&e) => {
            let mut errors = FormErrors::from_app(&ui, &e, edit_field);
            if e.code == "stale_revision" {
                errors = FormErrors::general(ui.t("admin-stale-revision"));
                // The page shows the values now stored beside the form, which keeps what was
                // typed: saved again, it is an edit made knowing the newer one.
                let now = crate::app::registry::services::show(&state, &code)
                    .await
                    .map_err(|e| WebError::from_app(&ui, e))?;
                form.revision = now.revision.to_string();
            }
            let sent = Sent {
                edit: Some(form),
                edit_errors: errors,
                ..Default::default()
            };
            let page = service_page(&state, ui, &code, sent).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(WebError::from_app(&ui, e)),
    }
}
