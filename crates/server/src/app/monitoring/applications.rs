//! Applications: registration (000 §7) with the planned date computed at once (000 §10),
//! reading one (audited, ADR 0011) and listing them within the caller's scope; which
//! organizations may execute a service (its responsible organization and those under it).

use crate::app::now;
use crate::app::paging::{decode_cursor, encode_cursor};
use crate::app::validate as v;
use crate::app::AppError;
use crate::app::Caller;
use crate::signing::Submission;
use crate::state::AppState;
use qyzmet_domain::ids::ApplicationNumber;
use qyzmet_domain::ids::{Bin, IdKind, Iin, OrgCode, TaxId};
use qyzmet_domain::stage::Stage;
use qyzmet_store::{
    Applicant, Application, ApplicationDetail, ApplicationFilter, ApplicationSearch, AuditEntry,
    Channel, ListCursor, ListOrder, ListTotal, NewApplication, Organization, Service,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicantIn {
    /// IIN of an individual (12 digits with a valid check digit); give either iin or bin.
    #[schema(pattern = "^[0-9]{12}$")]
    pub iin: Option<String>,
    /// BIN of a legal entity (12 digits with a valid check digit).
    #[schema(pattern = "^[0-9]{12}$")]
    pub bin: Option<String>,
    #[schema(schema_with = crate::app::schema::line_200)]
    pub last_name: String,
    #[schema(schema_with = crate::app::schema::line_200)]
    pub first_name: String,
    /// Blank counts as absent.
    #[schema(max_length = 200)]
    pub middle_name: Option<String>,
    /// Where to inform the applicant of the stages the service's passport flags (000 §2);
    /// personal data, shown masked.
    pub contact: Option<crate::app::informing::contact::ContactIn>,
}

/// A registration (000 §7).
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApplicationRequest {
    /// A registered service.
    #[schema(schema_with = crate::app::schema::code)]
    pub service_code: String,
    /// Term variant of the service; its default (first) variant when absent or blank.
    #[schema(max_length = 64)]
    pub term_variant: Option<String>,
    pub applicant: ApplicantIn,
    /// A channel the service is offered through.
    #[schema(schema_with = crate::app::schema::channel)]
    pub channel: String,
    /// Documents travel to the provider on paper (with state_corp: the acceptance day never counts, 001 §25).
    #[serde(default)]
    pub paper: bool,
    /// Code of the organization where the application was accepted (in the token's sub-tree).
    #[schema(schema_with = crate::app::schema::code)]
    pub acceptance_place: String,
    /// Code of the executing organization (in the token's sub-tree).
    #[schema(schema_with = crate::app::schema::code)]
    pub executor: String,
    /// The executing official, if known.
    #[schema(max_length = 200)]
    pub executor_person: Option<String>,
    /// RFC 3339 with offset, e.g. 2026-03-20T10:00:00+05:00; not in the future (5 minutes'
    /// tolerance).
    #[schema(schema_with = crate::app::schema::instant)]
    pub accepted_at: String,
    /// The provider system's own id: a retry with the same id returns the first registration.
    #[schema(max_length = 128)]
    pub external_id: Option<String>,
    /// The IIN of the employee who registered it: when the registration is signed, the
    /// signer's certificate must carry this IIN.
    #[schema(pattern = "^[0-9]{12}$")]
    pub employee_iin: Option<String>,
}

/// Registers an application (000 §7), plain or signed (the API's body, the workstation's
/// form); returns the application and whether this call created it (false for a retry with
/// the same `external_id`).
pub async fn register_application(
    state: &AppState,
    caller: &Caller,
    submission: Submission,
    now: jiff::Timestamp,
) -> Result<(Application, bool), AppError> {
    caller.require_writer()?;
    let mut opened = super::submissions::open_all(state, caller, vec![submission], now)
        .await?
        .pop()
        .ok_or_else(AppError::internal)??;
    let req: NewApplicationRequest =
        crate::app::decode::from_value(std::mem::take(&mut opened.data))?;
    opened.check_employee(req.employee_iin.as_deref())?;
    // The API answers the first reason (in the order of the fields, as always).
    let new = new_application(&req, now)
        .map_err(|mut problems| problems.remove(0))?
        .signed(opened.evidence);
    let (app, created) = state
        .store
        .register(
            &new,
            caller.scope(),
            &caller.actor(),
            now,
            state.config.nearing_fraction,
        )
        .await?;
    if created {
        metrics::counter!("qyzmet_applications_registered_total").increment(1);
    } else {
        // A retry returns the stored application, applicant included: a read of personal
        // data like any other, audited durably before it is returned (ADR 0011).
        state
            .audit
            .record(AuditEntry {
                at: now,
                actor: caller.actor(),
                action: "application.read".into(),
                subject: app.number.to_string(),
                detail: "registration retried (same external_id)".into(),
            })
            .await?;
    }
    Ok((app, created))
}

/// Collects every reason a request is refused instead of stopping at the first.
#[derive(Default)]
struct Problems(Vec<AppError>);

impl Problems {
    fn take<T>(&mut self, r: Result<T, AppError>) -> Option<T> {
        r.map_err(|e| self.0.push(e)).ok()
    }
}

/// A registration's fields as domain values, or every field's reason at once (field order).
pub(crate) fn new_application(
    req: &NewApplicationRequest,
    now: jiff::Timestamp,
) -> Result<Unsigned, Vec<AppError>> {
    let mut p = Problems::default();
    let service = p.take(v::service_code("service_code", &req.service_code));
    let term_variant = p.take(v::opt_text("term_variant", req.term_variant.as_deref(), 64));
    let id = p.take(v::tax_id(
        "applicant",
        req.applicant.iin.as_deref(),
        req.applicant.bin.as_deref(),
    ));
    let last_name = p.take(v::text(
        "applicant.last_name",
        &req.applicant.last_name,
        200,
    ));
    let first_name = p.take(v::text(
        "applicant.first_name",
        &req.applicant.first_name,
        200,
    ));
    let middle_name = p.take(v::opt_text(
        "applicant.middle_name",
        req.applicant.middle_name.as_deref(),
        200,
    ));
    let channel = p.take(v::one_of::<Channel>(
        "channel",
        &req.channel,
        &["provider", "state_corp", "portal"],
    ));
    let acceptance_place = p.take(v::org_code("acceptance_place", &req.acceptance_place));
    let executor = p.take(v::org_code("executor", &req.executor));
    let executor_person = p.take(v::opt_text(
        "executor_person",
        req.executor_person.as_deref(),
        200,
    ));
    let accepted_at = p.take(v::past_instant("accepted_at", &req.accepted_at, now));
    let external_id = p.take(v::opt_text("external_id", req.external_id.as_deref(), 128));
    let contact = match &req.applicant.contact {
        None => Some(None),
        Some(c) => match crate::app::informing::contact::contact("applicant.contact", c) {
            Ok(c) => Some(Some(c)),
            Err(e) => {
                p.0.extend(e);
                None
            }
        },
    };
    match (
        service,
        term_variant,
        (id, last_name, first_name, middle_name),
        channel,
        (acceptance_place, executor, executor_person),
        (accepted_at, external_id, contact),
    ) {
        (
            Some(service),
            Some(term_variant),
            (Some(id), Some(last_name), Some(first_name), Some(middle_name)),
            Some(channel),
            (Some(acceptance_place), Some(executor), Some(executor_person)),
            (Some(accepted_at), Some(external_id), Some(contact)),
        ) if p.0.is_empty() => Ok(Unsigned(NewApplication {
            service,
            term_variant,
            applicant: Applicant {
                id,
                last_name,
                first_name,
                middle_name,
            },
            channel,
            paper: req.paper,
            acceptance_place,
            executor: Some(executor),
            executor_person,
            accepted_at,
            external_id,
            signature: None,
            contact,
        })),
        _ => Err(p.0),
    }
}

/// A registration checked field by field, waiting for its signature evidence.
pub(crate) struct Unsigned(NewApplication);

impl Unsigned {
    pub(crate) fn signed(
        self,
        evidence: Option<qyzmet_store::SignatureEvidence>,
    ) -> NewApplication {
        NewApplication {
            signature: evidence,
            ..self.0
        }
    }
}

/// Every reason the registration `req` would be refused, field by field, before anything is
/// written: the form's own checks and those against the service (its channels, its term
/// variants, an executor that delivers it, 000 §7) — for a form that shows them all at
/// once. Empty when the registration can go ahead.
pub async fn registration_problems(
    state: &AppState,
    req: &NewApplicationRequest,
    now: jiff::Timestamp,
) -> Result<Vec<AppError>, AppError> {
    let mut problems = new_application(req, now).err().unwrap_or_default();
    let Ok(code) = v::service_code("service_code", &req.service_code) else {
        return Ok(problems);
    };
    let Some(service) = state.store.service(&code).await? else {
        problems.insert(0, AppError::invalid("service_code", "unknown_service"));
        return Ok(problems);
    };
    let mut found = Vec::new();
    if let Ok(channel) = req.channel.trim().parse::<Channel>() {
        if !service.channels.contains(&channel) {
            found.push(AppError::invalid("channel", "channel_not_offered"));
        }
    }
    if let Some(variant) = req.term_variant.as_deref().map(str::trim) {
        if !variant.is_empty() && !service.terms.iter().any(|t| t.variant == variant) {
            found.push(AppError::invalid("term_variant", "unknown_term_variant"));
        }
    }
    if let Ok(executor) = v::org_code("executor", &req.executor) {
        match delivers(state, &service, &executor).await? {
            Some(true) => {}
            Some(false) => found.push(AppError::invalid("executor", "executor_not_provider")),
            None => found.push(AppError::invalid("executor", "unknown_organization")),
        }
    }
    problems.extend(found);
    Ok(problems)
}

/// Whether `executor` delivers `service`: it is the service's responsible organization or
/// one under it (000 §7; issue 16 B.5). `None` when there is no such organization.
pub async fn delivers(
    state: &AppState,
    service: &Service,
    executor: &OrgCode,
) -> Result<Option<bool>, AppError> {
    let Some(executor) = state.store.organization(executor).await? else {
        return Ok(None);
    };
    let provider = state
        .store
        .organization(&service.organization_code)
        .await?
        .ok_or_else(AppError::internal)?;
    Ok(Some(executor.path.starts_with(provider.path.as_str())))
}

/// The organizations that deliver `service` (its responsible organization and those under
/// it), within the sub-tree at `within` when given, in the registry's order: the executors a
/// registration or a reassignment may name.
pub async fn executors_of(
    state: &AppState,
    service: &Service,
    within: Option<&str>,
) -> Result<Vec<Organization>, AppError> {
    let all = state.store.every_organization(None).await?;
    let Some(provider) = all.iter().find(|o| o.code == service.organization_code) else {
        return Ok(Vec::new());
    };
    let provider_path = provider.path.clone();
    Ok(all
        .into_iter()
        .filter(|o| o.path.starts_with(&provider_path))
        .filter(|o| within.is_none_or(|w| o.path.starts_with(w)))
        .collect())
}

/// One application in the caller's scope, for the API and the workstation; the read is
/// audited, durably, before the application is returned (503 when the entry cannot be
/// written). A mistyped number finds nothing.
pub async fn read_application(
    state: &AppState,
    caller: &Caller,
    number: &str,
) -> Result<ApplicationDetail, AppError> {
    let number = ApplicationNumber::parse(number)
        .map_err(|_| AppError::not_found("application_not_found"))?;
    let mut detail = state.store.application(number, caller.scope()).await?;
    detail.application = detail.application.at(now());
    state
        .audit
        .record(AuditEntry {
            at: now(),
            actor: caller.actor(),
            action: "application.read".into(),
            subject: number.to_string(),
            detail: String::new(),
        })
        .await?;
    Ok(detail)
}

/// Filters of the application list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Organization code: applications accepted or executed in its sub-tree (it must exist).
    #[param(pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    pub organization: Option<String>,
    /// Organization code: applications executed in its sub-tree (it must exist).
    #[param(pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    pub executor: Option<String>,
    /// Service code (it must exist).
    #[param(pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    pub service: Option<String>,
    /// Current stage.
    #[param(schema_with = crate::app::schema::stage)]
    pub stage: Option<String>,
    pub overdue: Option<bool>,
    pub nearing: Option<bool>,
    /// Not yet completed (no stage 4 or later).
    pub pending: Option<bool>,
    /// Accepted at or after (RFC 3339).
    #[param(schema_with = crate::app::schema::instant)]
    pub accepted_from: Option<String>,
    /// Accepted before (RFC 3339).
    #[param(schema_with = crate::app::schema::instant)]
    pub accepted_to: Option<String>,
    /// Planned date on or after (YYYY-MM-DD).
    #[param(schema_with = crate::app::schema::date)]
    pub planned_from: Option<String>,
    /// Planned date on or before (YYYY-MM-DD).
    #[param(schema_with = crate::app::schema::date)]
    pub planned_to: Option<String>,
    /// Completed (stage 4 or later) at or after (RFC 3339).
    #[param(schema_with = crate::app::schema::instant)]
    pub completed_from: Option<String>,
    /// Completed before (RFC 3339).
    #[param(schema_with = crate::app::schema::instant)]
    pub completed_to: Option<String>,
    /// Deadline at or after (RFC 3339).
    #[param(schema_with = crate::app::schema::instant)]
    pub deadline_from: Option<String>,
    /// Deadline before (RFC 3339).
    #[param(schema_with = crate::app::schema::instant)]
    pub deadline_to: Option<String>,
    /// `newest` (default: newest acceptance first) or `due` (earliest planned date first).
    #[param(schema_with = crate::app::schema::sort)]
    pub sort: Option<String>,
    /// Search: an application number (13 digits, dashes and spaces allowed), an applicant's
    /// IIN or BIN (12 digits), or a surname (the whole surname, any case).
    #[param(max_length = 200)]
    pub q: Option<String>,
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// The `next` value of the previous page (of the same sort).
    pub cursor: Option<String>,
}

/// A page of the applications in the caller's scope (as of now) and the cursor of the next
/// page, for the API and the workstation; the numbers shown are audited, durably, before the
/// page is returned.
pub async fn find_applications(
    state: &AppState,
    caller: &Caller,
    q: &ListQuery,
) -> Result<(Vec<Application>, Option<String>), AppError> {
    let limit = v::limit("limit", q.limit)?;
    let filter = filter_of(state, q).await?;
    let cursor = match &q.cursor {
        None => None,
        Some(c) => Some(
            decode_cursor(c)
                .and_then(|s| parse_cursor(&s))
                .filter(|c| {
                    matches!(
                        (c, filter.order),
                        (ListCursor::Newest { .. }, ListOrder::NewestFirst)
                            | (ListCursor::Due { .. }, ListOrder::DueFirst)
                    )
                })
                .ok_or_else(|| AppError::invalid("cursor", "cursor_invalid"))?,
        ),
    };
    let (items, next) = state
        .store
        .applications(&filter, caller.scope(), cursor, limit)
        .await?;
    audit_list(state, caller, &filter, &items).await?;
    let at = now();
    Ok((
        items.into_iter().map(|a| a.at(at)).collect(),
        next.map(|c| encode_cursor(&cursor_text(&c))),
    ))
}

/// The most applications a list counts: beyond, it says "more than" and its page links stop.
pub const COUNT_BOUND: i64 = 10_000;

/// The most time a list's total may take; past it the total is unknown ("more than" what the
/// page has seen), so the page keeps within the inbox's 50 ms (issue 4, issue 16).
pub const COUNT_BUDGET: std::time::Duration = std::time::Duration::from_millis(15);

/// A numbered page of a list, with the list's total (counted up to [`COUNT_BOUND`]).
#[derive(Debug)]
pub struct NumberedPage {
    pub items: Vec<Application>,
    pub total: ListTotal,
    /// This page's number, from 1.
    pub page: i64,
    /// The pages the counted total fills (at least 1).
    pub pages: i64,
}

/// Page `page` (from 1) of the list `q` in the caller's scope with the list's total, for the
/// workstation's page links (the API pages by cursor). The numbers shown are audited.
pub async fn find_page(
    state: &AppState,
    caller: &Caller,
    q: &ListQuery,
    page: i64,
) -> Result<NumberedPage, AppError> {
    let limit = v::limit("limit", q.limit)?;
    let filter = filter_of(state, q).await?;
    let counted = state
        .store
        .count_listed(&filter, caller.scope(), COUNT_BOUND, COUNT_BUDGET)
        .await?;
    let page = match counted {
        Some(total) => page.clamp(1, ((total.count + limit - 1) / limit).max(1)),
        None => page.max(1),
    };
    let offset = (page - 1) * limit;
    let (items, next) = state
        .store
        .applications_from(&filter, caller.scope(), None, offset, limit)
        .await?;
    audit_list(state, caller, &filter, &items).await?;
    // Not counted in time: what this page has seen, and whether there is more.
    let total = counted.unwrap_or(ListTotal {
        count: offset + items.len() as i64,
        more: next.is_some(),
    });
    let pages = match counted {
        Some(t) => ((t.count + limit - 1) / limit).max(1),
        None => page + i64::from(next.is_some()),
    };
    let at = now();
    Ok(NumberedPage {
        items: items.into_iter().map(|a| a.at(at)).collect(),
        total,
        page,
        pages,
    })
}

/// Records, durably, which applications a list showed (ADR 0011), and what was searched for
/// by its kind (never the IIN or the name typed: the numbers say whose data was seen).
async fn audit_list(
    state: &AppState,
    caller: &Caller,
    filter: &ApplicationFilter,
    items: &[Application],
) -> Result<(), AppError> {
    if items.is_empty() {
        return Ok(());
    }
    let numbers: Vec<String> = items.iter().map(|a| a.number.to_string()).collect();
    let action = match &filter.search {
        None => "application.list",
        Some(ApplicationSearch::Number(_)) => "application.search.number",
        Some(ApplicationSearch::Applicant(_)) => "application.search.applicant",
        Some(ApplicationSearch::Surname(_)) => "application.search.surname",
    };
    state
        .audit
        .record(AuditEntry {
            at: now(),
            actor: caller.actor(),
            action: action.into(),
            subject: "applications".into(),
            detail: numbers.join(","),
        })
        .await?;
    Ok(())
}

/// The search box's text, understood: a number (13 digits, dashes and spaces allowed), an
/// IIN/BIN (12 digits with a valid check digit), or a surname (the whole surname, 2 letters
/// or more, any case). Blank: no search.
pub fn search(field: &str, text: &str) -> Result<Option<ApplicationSearch>, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let digits: String = text.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        return match digits.len() {
            13 => ApplicationNumber::parse(&digits)
                .map(|n| Some(ApplicationSearch::Number(n)))
                .map_err(|_| AppError::invalid(field, "search_number_invalid")),
            12 => match qyzmet_domain::ids::check(&digits).kind {
                Some(IdKind::Iin) => Ok(Some(ApplicationSearch::Applicant(TaxId::Iin(
                    Iin::parse(&digits)
                        .map_err(|_| AppError::invalid(field, "search_tax_id_invalid"))?,
                )))),
                Some(IdKind::Bin) => Ok(Some(ApplicationSearch::Applicant(TaxId::Bin(
                    Bin::parse(&digits)
                        .map_err(|_| AppError::invalid(field, "search_tax_id_invalid"))?,
                )))),
                None => Err(AppError::invalid(field, "search_tax_id_invalid")),
            },
            _ => Err(AppError::invalid(field, "search_digits")),
        };
    }
    let line = v::text(field, text, 200)?;
    if line.chars().any(|c| c.is_ascii_digit()) {
        return Err(AppError::invalid(field, "search_digits"));
    }
    let key = qyzmet_domain::search::name_key(&line);
    if key.chars().filter(|c| c.is_alphabetic()).count() < 2 {
        return Err(AppError::invalid(field, "search_too_short"));
    }
    Ok(Some(ApplicationSearch::Surname(key)))
}

/// The store's filter of the list `q`: each value validated, each organization and service
/// named found.
async fn filter_of(state: &AppState, q: &ListQuery) -> Result<ApplicationFilter, AppError> {
    let mut filter = ApplicationFilter {
        search: q
            .q
            .as_deref()
            .map(|s| search("q", s))
            .transpose()?
            .flatten(),
        stage: q
            .stage
            .as_deref()
            .map(|s| {
                v::one_of::<Stage>(
                    "stage",
                    s,
                    &[
                        "accepted",
                        "sent_for_execution",
                        "taken_into_work",
                        "executed",
                        "ready_for_issue",
                        "closed",
                    ],
                )
            })
            .transpose()?,
        overdue: q.overdue,
        nearing: q.nearing,
        pending: q.pending,
        accepted_from: q
            .accepted_from
            .as_deref()
            .map(|s| v::instant("accepted_from", s))
            .transpose()?,
        accepted_to: q
            .accepted_to
            .as_deref()
            .map(|s| v::instant("accepted_to", s))
            .transpose()?,
        planned_from: q
            .planned_from
            .as_deref()
            .map(|s| v::date("planned_from", s))
            .transpose()?,
        planned_to: q
            .planned_to
            .as_deref()
            .map(|s| v::date("planned_to", s))
            .transpose()?,
        completed_from: q
            .completed_from
            .as_deref()
            .map(|s| v::instant("completed_from", s))
            .transpose()?,
        completed_to: q
            .completed_to
            .as_deref()
            .map(|s| v::instant("completed_to", s))
            .transpose()?,
        deadline_from: q
            .deadline_from
            .as_deref()
            .map(|s| v::instant("deadline_from", s))
            .transpose()?,
        deadline_to: q
            .deadline_to
            .as_deref()
            .map(|s| v::instant("deadline_to", s))
            .transpose()?,
        ..Default::default()
    };
    if let Some(code) = &q.organization {
        let code = v::org_code("organization", code)?;
        let org = state
            .store
            .organization(&code)
            .await?
            .ok_or_else(|| AppError::invalid("organization", "unknown_organization"))?;
        filter.organization_path = Some(org.path);
    }
    if let Some(code) = &q.executor {
        let code = v::org_code("executor", code)?;
        let org = state
            .store
            .organization(&code)
            .await?
            .ok_or_else(|| AppError::invalid("executor", "unknown_organization"))?;
        filter.executor_path = Some(org.path);
    }
    if let Some(code) = &q.service {
        let code = v::service_code("service", code)?;
        let svc = state
            .store
            .service(&code)
            .await?
            .ok_or_else(|| AppError::invalid("service", "unknown_service"))?;
        filter.service_id = Some(svc.id);
    }
    filter.order = match q.sort.as_deref().map(str::trim) {
        None | Some("") | Some("newest") => ListOrder::NewestFirst,
        Some("due") => ListOrder::DueFirst,
        Some(_) => {
            return Err(AppError::invalid("sort", "enum_invalid").arg("allowed", "newest, due"))
        }
    };
    Ok(filter)
}

/// A list position as its cursor's text: `accepted_at_us:number` (the format since the first
/// version, so old cursors stay valid) or `due:planned_date:number`.
fn cursor_text(c: &ListCursor) -> String {
    match c {
        ListCursor::Newest {
            accepted_at_us,
            number,
        } => format!("{accepted_at_us}:{number}"),
        ListCursor::Due {
            planned_date,
            number,
        } => format!("due:{planned_date}:{number}"),
    }
}

fn parse_cursor(s: &str) -> Option<ListCursor> {
    if let Some(rest) = s.strip_prefix("due:") {
        let (d, n) = rest.split_once(':')?;
        return Some(ListCursor::Due {
            planned_date: d.parse().ok()?,
            number: n.parse().ok()?,
        });
    }
    let (a, n) = s.split_once(':')?;
    Some(ListCursor::Newest {
        accepted_at_us: a.parse().ok()?,
        number: n.parse().ok()?,
    })
}
