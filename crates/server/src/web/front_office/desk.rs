//! The counter's desk pages (001 §7–8, §14–19): acceptance (`/counter/accept`) — from the
//! called ticket or directly: the applicant and how they were identified, the checklist of the
//! service's passport, the payment, the two consents — answered with the receipt (acceptance
//! or refusal naming what is missing), its PDF, the package's label and the rating's QR code
//! for the counter's tablet; and the issue of a result (`/counter/issue`): the package
//! scanned, the identity document checked, the result handed over. The same use cases as the
//! API (`POST /api/v1/acceptances`, `POST /api/v1/issues`); a form refused keeps what was
//! typed.

use super::super::session::Staff;
use super::super::{render_status, Ui, WebError};
use crate::app::front_office::acceptances::{
    self, AcceptanceRequest, ConsentIn, DocumentIn, IdentificationIn, PowerOfAttorneyIn,
    RepresentativeIn,
};
use crate::app::front_office::checklists::{self, ChecklistView};
use crate::app::front_office::issues::{self, IssueRequest, IssueView};
use crate::app::front_office::packages::{self, PackageView};
use crate::app::front_office::receipts::{self, ReceiptView};
use crate::app::informing::contact::ContactIn;
use crate::app::monitoring::applications::ApplicantIn;
use crate::app::{now, AppError};
use crate::files::pdf_response;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use qyzmet_store::UserRole;
use serde::Deserialize;
use std::collections::HashMap;

const DESK_ROLES: [UserRole; 3] = [
    UserRole::Operator,
    UserRole::Supervisor,
    UserRole::Administrator,
];

/// What a form carried, to fill it again when it is refused.
#[derive(Debug, Default, Clone)]
pub struct Values(HashMap<String, String>);

impl Values {
    fn of(pairs: Vec<(String, String)>) -> Values {
        let mut m = HashMap::new();
        for (k, v) in pairs {
            m.insert(k, v);
        }
        Values(m)
    }

    /// The value of `name`, empty when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map(String::as_str).unwrap_or("")
    }

    /// Whether the checkbox `name` was ticked.
    pub fn on(&self, name: &str) -> bool {
        matches!(self.get(name), "on" | "true" | "1")
    }

    /// Whether `name` has the value `value` (a select's option, a radio button).
    pub fn is(&self, name: &str, value: &str) -> bool {
        self.get(name) == value
    }

    /// A field's name: `group.item.part` (`doc.photo.form`), or `group.item` without a part.
    pub fn key(&self, group: &str, item: &str, part: &str) -> String {
        if part.is_empty() {
            format!("{group}.{item}")
        } else {
            format!("{group}.{item}.{part}")
        }
    }

    fn opt(&self, name: &str) -> Option<String> {
        Some(self.get(name).trim().to_string()).filter(|s| !s.is_empty())
    }

    fn set(&mut self, name: &str, value: impl Into<String>) {
        self.0.insert(name.to_string(), value.into());
    }
}

/// Where the desk works: the office, the counter, the ticket being served.
#[derive(Debug, Default, Clone)]
pub struct Desk {
    pub office: String,
    pub office_name: String,
    pub counter: Option<i64>,
    pub window: Option<i64>,
    /// The ticket's link id and number.
    pub ticket: Option<(String, String)>,
}

#[derive(Debug, Deserialize, Default)]
pub struct DeskQuery {
    office: Option<String>,
    counter: Option<i64>,
    ticket: Option<String>,
    service: Option<String>,
    barcode: Option<String>,
}

/// The desk of the request: the counter named or the user's own, its office, and the ticket
/// named or the one the counter serves; or the office named.
async fn desk_of(state: &AppState, staff: &Staff, q: &DeskQuery) -> Result<Desk, AppError> {
    let caller = &staff.caller;
    let counter = match q.counter {
        Some(id) => Some(id),
        None => match caller.user_id() {
            Some(u) => state.store.counter_of_user(u).await?.map(|c| c.id),
            None => None,
        },
    };
    let mut desk = Desk::default();
    if let Some(id) = counter {
        let (c, office) = crate::app::front_office::counters::workable(state, caller, id).await?;
        desk.office = office.code.clone();
        desk.office_name = office.name.get(staff.ui.lang.code()).to_string();
        desk.counter = Some(c.id);
        desk.window = Some(c.number);
        let current = crate::app::front_office::tickets::current(state, caller, id, now())
            .await?
            .ticket;
        desk.ticket = match (&q.ticket, current) {
            (Some(t), _) => state
                .store
                .ticket(t.trim())
                .await?
                .filter(|x| x.office_id == office.id)
                .map(|x| (x.public_id.clone(), x.number.clone())),
            (None, Some(t)) => Some((t.ticket.id.clone(), t.ticket.number.clone())),
            (None, None) => None,
        };
    } else if let Some(code) = q.office.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let office = crate::app::front_office::offices::find(state, code).await?;
        crate::app::front_office::offices::require_office_staff(caller, &office)?;
        desk.office = office.code.clone();
        desk.office_name = office.name.get(staff.ui.lang.code()).to_string();
    }
    Ok(desk)
}

/// Offices the user may work at, for a desk without a counter: (code, name).
async fn office_choices(
    state: &AppState,
    staff: &Staff,
) -> Result<Vec<(String, String)>, AppError> {
    Ok(state
        .store
        .offices(staff.caller.scope().path())
        .await?
        .into_iter()
        .map(|o| (o.code.clone(), o.name.get(staff.ui.lang.code()).to_string()))
        .collect())
}

#[derive(Template)]
#[template(path = "front_office/accept.html")]
struct AcceptPage {
    ui: Ui,
    desk: Desk,
    offices: Vec<(String, String)>,
    checklist: Option<ChecklistView>,
    values: Values,
    error: Option<String>,
    /// The outcome: the receipt, the package's barcode (a paper package), the rating's QR.
    receipt: Option<ReceiptView>,
    barcode: Option<String>,
    rating_qr: String,
    rating_path: String,
}

fn blank_accept(ui: Ui, desk: Desk) -> AcceptPage {
    AcceptPage {
        ui,
        desk,
        offices: Vec::new(),
        checklist: None,
        values: Values::default(),
        error: None,
        receipt: None,
        barcode: None,
        rating_qr: String::new(),
        rating_path: String::new(),
    }
}

/// `GET /counter/accept`: the acceptance form (`?service=` the service's checklist;
/// `?counter=`, `?ticket=`, `?office=` where).
pub async fn accept_form(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<DeskQuery>,
) -> Response {
    if let Err(e) = staff.require(&DESK_ROLES) {
        return e.into_response();
    }
    let built = async {
        let desk = desk_of(&state, &staff, &q).await?;
        let mut page = blank_accept(staff.ui.clone(), desk);
        if page.desk.office.is_empty() {
            page.offices = office_choices(&state, &staff).await?;
        }
        let service = q.service.as_deref().map(str::trim).unwrap_or("");
        page.values.set("service_code", service);
        page.values
            .set("request_key", uuid::Uuid::new_v4().to_string());
        page.values.set("language", staff.ui.lang.code());
        page.values.set("paper", "on");
        let mut status = StatusCode::OK;
        if !service.is_empty() {
            // An unknown service, or one without a passport in force: said under the field,
            // for the code to be typed again.
            match checklists::of_service(&state, service, staff.ui.lang, now()).await {
                Ok(c) => {
                    for d in &c.documents {
                        page.values
                            .set(&format!("doc.{}.form", d.code), d.form.clone());
                        page.values
                            .set(&format!("doc.{}.count", d.code), d.copies.to_string());
                    }
                    page.checklist = Some(c);
                }
                Err(e) if e.code == "service_not_found" || e.code == "no_passport" => {
                    status = WebError::form_status(&e);
                    page.error = Some(staff.ui.error_message(&e));
                }
                Err(e) => return Err(e),
            }
        }
        Ok::<_, AppError>((page, status))
    }
    .await;
    match built {
        Ok((p, status)) => render_status(status, &p),
        Err(e) => WebError::from_app(&staff.ui, e).into_response(),
    }
}

/// The acceptance the form asks for.
fn acceptance_request(v: &Values, checklist: &ChecklistView) -> AcceptanceRequest {
    let mut documents = Vec::new();
    let mut not_applicable = Vec::new();
    for d in &checklist.documents {
        if v.on(&format!("na.{}", d.code)) {
            not_applicable.push(d.code.clone());
        } else if v.on(&format!("doc.{}.got", d.code)) {
            documents.push(DocumentIn {
                code: d.code.clone(),
                form: v
                    .opt(&format!("doc.{}.form", d.code))
                    .unwrap_or_else(|| d.form.clone()),
                count: v
                    .get(&format!("doc.{}.count", d.code))
                    .trim()
                    .parse()
                    .unwrap_or(0),
            });
        }
    }
    let consents = acceptances::CONSENT_KINDS
        .iter()
        .filter(|k| v.on(&format!("consent.{k}")))
        .map(|k| ConsentIn {
            kind: (*k).to_string(),
            source: v.opt(&format!("consent.{k}.source")).unwrap_or_default(),
            source_id: v.get(&format!("consent.{k}.source_id")).to_string(),
            given_at: None,
        })
        .collect();
    let (iin, bin) = match v.get("applicant_kind") {
        "bin" => (None, v.opt("applicant_id")),
        _ => (v.opt("applicant_id"), None),
    };
    let contact = (v.opt("email").is_some() || v.opt("phone").is_some()).then(|| ContactIn {
        email: v.opt("email"),
        phone: v.opt("phone"),
        language: v.opt("language"),
    });
    AcceptanceRequest {
        request_key: v.opt("request_key"),
        office: v.get("office").to_string(),
        counter: v.get("counter").trim().parse().ok(),
        ticket: v.opt("ticket"),
        service_code: v.get("service_code").to_string(),
        term_variant: None,
        language: v.opt("language"),
        applicant: ApplicantIn {
            iin,
            bin,
            last_name: v.get("last_name").to_string(),
            first_name: v.get("first_name").to_string(),
            middle_name: v.opt("middle_name"),
            contact,
        },
        identification: identification_in(v),
        documents,
        not_applicable,
        paid_kzt: v.get("paid_kzt").trim().parse().ok(),
        consents,
        paper: Some(v.on("paper")),
        executor: None,
        employee_iin: None,
    }
}

/// The identification the form carries (shared by acceptance and issue).
fn identification_in(v: &Values) -> IdentificationIn {
    IdentificationIn {
        document: v.get("id_document").to_string(),
        number: v.get("id_number").to_string(),
        representative: v.on("rep").then(|| RepresentativeIn {
            iin: v.get("rep_iin").to_string(),
            last_name: v.get("rep_last_name").to_string(),
            first_name: v.get("rep_first_name").to_string(),
            middle_name: v.opt("rep_middle_name"),
            power_of_attorney: PowerOfAttorneyIn {
                notarised: v.on("poa_notarised"),
                number: v.get("poa_number").to_string(),
                issued_on: v.get("poa_issued_on").to_string(),
                valid_until: v.get("poa_valid_until").to_string(),
            },
        }),
    }
}

/// A desk form posted: the user's role and the form's CSRF token checked, its values, and the
/// desk it names (the counter, the ticket, or the office); or the refusal's page.
async fn posted(
    state: &AppState,
    staff: &Staff,
    pairs: Vec<(String, String)>,
) -> Result<(Values, Desk), Box<Response>> {
    staff
        .require(&DESK_ROLES)
        .map_err(|e| Box::new(e.into_response()))?;
    let values = Values::of(pairs);
    staff
        .check_csrf(values.get("csrf"))
        .map_err(|e| Box::new(e.into_response()))?;
    let q = DeskQuery {
        office: values.opt("office"),
        counter: values.get("counter").trim().parse().ok(),
        ticket: values.opt("ticket"),
        service: values.opt("service_code"),
        barcode: values.opt("barcode"),
    };
    let desk = desk_of(state, staff, &q)
        .await
        .map_err(|e| Box::new(WebError::from_app(&staff.ui, e).into_response()))?;
    Ok((values, desk))
}

/// `POST /counter/accept`: accepts or refuses; the receipt, or the form with the reason.
pub async fn accept_submit(
    State(state): State<AppState>,
    staff: Staff,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (values, desk) = match posted(&state, &staff, pairs).await {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let mut page = blank_accept(staff.ui.clone(), desk);
    let service = values.get("service_code").trim().to_string();
    let checklist = match checklists::of_service(&state, &service, staff.ui.lang, now()).await {
        Ok(c) => c,
        Err(e) => return WebError::from_app(&staff.ui, e).into_response(),
    };
    let mut req = acceptance_request(&values, &checklist);
    req.office = page.desk.office.clone();
    let done = async {
        let submission = crate::app::monitoring::submissions::plain(&req)?;
        let outcome = acceptances::accept(&state, &staff.caller, submission, now()).await?;
        let receipt = receipts::view(&state, &outcome.receipt).await?;
        Ok::<_, AppError>((outcome, receipt))
    }
    .await;
    match done {
        Ok((outcome, receipt)) => {
            staff
                .audit(&state, "acceptance.page", &outcome.public_id, &receipt.kind)
                .await;
            page.barcode = outcome
                .application
                .as_ref()
                .filter(|a| a.paper)
                .map(|a| qyzmet_domain::front_office::package::barcode(a.number));
            page.rating_path = local_path(&receipt.rating_link);
            page.rating_qr = super::qr_svg(&receipt.rating_link, 180);
            page.receipt = Some(receipt);
            page.checklist = Some(checklist);
            page.values = values;
            render_status(StatusCode::CREATED, &page)
        }
        Err(e) => {
            let status = WebError::form_status(&e);
            if matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND) {
                return WebError::from_app(&staff.ui, e).into_response();
            }
            page.error = Some(staff.ui.error_message(&e));
            page.checklist = Some(checklist);
            page.values = values;
            render_status(status, &page)
        }
    }
}

/// The path of a link to this site (the rating page opened on the counter's tablet).
fn local_path(link: &str) -> String {
    match link.find("/rate/") {
        Some(i) => link[i..].to_string(),
        None => link.to_string(),
    }
}

#[derive(Template)]
#[template(path = "front_office/issue.html")]
struct IssuePage {
    ui: Ui,
    desk: Desk,
    offices: Vec<(String, String)>,
    package: Option<PackageView>,
    values: Values,
    error: Option<String>,
    issued: Option<IssueView>,
    rating_qr: String,
    rating_path: String,
}

/// `GET /counter/issue`: the package scanned (`?barcode=`), then the identity check.
pub async fn issue_form(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<DeskQuery>,
) -> Response {
    if let Err(e) = staff.require(&DESK_ROLES) {
        return e.into_response();
    }
    let desk = match desk_of(&state, &staff, &q).await {
        Ok(d) => d,
        Err(e) => return WebError::from_app(&staff.ui, e).into_response(),
    };
    let mut page = IssuePage {
        ui: staff.ui.clone(),
        desk,
        offices: Vec::new(),
        package: None,
        values: Values::default(),
        error: None,
        issued: None,
        rating_qr: String::new(),
        rating_path: String::new(),
    };
    if page.desk.office.is_empty() {
        match office_choices(&state, &staff).await {
            Ok(o) => page.offices = o,
            Err(e) => return WebError::from_app(&staff.ui, e).into_response(),
        }
    }
    page.values
        .set("request_key", uuid::Uuid::new_v4().to_string());
    page.values.set("id_document", "identity_card");
    let mut status = StatusCode::OK;
    if let Some(code) = q
        .barcode
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        page.values.set("barcode", code);
        match packages::package(&state, &staff.caller, code).await {
            Ok(p) => page.package = Some(p),
            Err(e) => {
                status = WebError::form_status(&e);
                page.error = Some(staff.ui.error_message(&e));
            }
        }
    }
    render_status(status, &page)
}

/// `POST /counter/issue`: issues the result; the page with the rating's QR code, or the form
/// with the reason.
pub async fn issue_submit(
    State(state): State<AppState>,
    staff: Staff,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let (values, desk) = match posted(&state, &staff, pairs).await {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let req = IssueRequest {
        request_key: values.opt("request_key"),
        barcode: values.get("barcode").to_string(),
        office: desk.office.clone(),
        counter: desk.counter,
        ticket: desk.ticket.as_ref().map(|t| t.0.clone()),
        iin: values.opt("iin"),
        identification: identification_in(&values),
    };
    let mut page = IssuePage {
        ui: staff.ui.clone(),
        desk,
        offices: Vec::new(),
        package: None,
        values,
        error: None,
        issued: None,
        rating_qr: String::new(),
        rating_path: String::new(),
    };
    let status = match issues::issue(&state, &staff.caller, &req, now()).await {
        Ok(v) => {
            page.rating_path = local_path(&v.rating_link);
            page.rating_qr = super::qr_svg(&v.rating_link, 180);
            page.issued = Some(v);
            StatusCode::CREATED
        }
        Err(e) => {
            let status = WebError::form_status(&e);
            if status == StatusCode::FORBIDDEN {
                return WebError::from_app(&staff.ui, e).into_response();
            }
            page.error = Some(staff.ui.error_message(&e));
            status
        }
    };
    if let Ok(p) = packages::package(&state, &staff.caller, &req.barcode).await {
        page.package = Some(p);
    }
    render_status(status, &page)
}

/// `GET /counter/receipts/{id}`: a receipt's PDF, for printing at the counter.
pub async fn receipt_pdf(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Response {
    let made = async {
        let v = receipts::by_id(&state, &staff.caller, &id).await?;
        receipts::pdf(&v)
    }
    .await;
    match made {
        Ok(bytes) => pdf_response(bytes, &format!("receipt-{}", id.trim())),
        Err(e) => WebError::from_app(&staff.ui, e).into_response(),
    }
}

/// `GET /counter/packages/{barcode}/label`: a package's label, for printing.
pub async fn label_pdf(
    State(state): State<AppState>,
    staff: Staff,
    Path(barcode): Path<String>,
) -> Response {
    match packages::label(&state, &staff.caller, &barcode).await {
        Ok(bytes) => pdf_response(bytes, &format!("label-{}", barcode.trim())),
        Err(e) => WebError::from_app(&staff.ui, e).into_response(),
    }
}
