//! Booking a visit (001 §12): the free slots of an office for a service on a day (its week,
//! the production calendar, the service's maximum service time from its passport, 003
//! §7(3)), a booking with a check-in code and its confirmation and reminder through the
//! outbox, cancel and reschedule by the booking's link, check-in at the kiosk (the booking
//! becomes a ticket of the booked group, called within its slot) and the office's list for
//! its staff, with contacts masked.

use super::offices::{find, is_open, require_office_reader};
use super::tickets::{announce, ticket_view, TicketView};
use crate::app::informing::contact::{contact, ContactIn};
use crate::app::informing::outbox::masked;
use crate::app::validate as v;
use crate::app::{AppError, Caller};
use crate::state::AppState;
use jiff::civil::{Date, Time};
use jiff::Timestamp;
use qyzmet_domain::contact::Language;
use qyzmet_domain::front_office::booking::{self, CheckIn, Notice, Visit};
use qyzmet_domain::front_office::slots::{day_slots, slot_minutes, within_horizon};
use qyzmet_domain::front_office::{PriorityGroup, Purpose, Slot};
use qyzmet_domain::zone;
use qyzmet_store::front_office::{
    Booking, BookingMessage, BookingState, NewBooking, NewTicket, Office, SlotWanted,
};
use qyzmet_store::{PassportWhich, SITE_URL};
use rand::Rng;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How many check-in codes to draw before giving up (a code is taken only by a standing
/// booking of the same office: with six digits a clash is rare, two in a row rarer still).
const CODE_DRAWS: usize = 5;

/// A bookable slot and its free places.
#[derive(Debug, Serialize, ToSchema)]
pub struct SlotView {
    /// Local time, `HH:MM`.
    #[schema(example = "10:15")]
    pub start: String,
    #[schema(example = "10:30")]
    pub end: String,
    #[schema(format = DateTime)]
    pub starts_at: String,
    pub capacity: i64,
    pub free: i64,
}

/// The slots of a day.
#[derive(Debug, Serialize, ToSchema)]
pub struct SlotsView {
    pub office: String,
    pub service_code: String,
    pub purpose: Purpose,
    #[schema(format = Date)]
    pub date: String,
    /// The length of a slot, in minutes (the service's maximum service time).
    pub minutes: u32,
    /// The slots still ahead, by time; a full one has `free` 0.
    pub items: Vec<SlotView>,
}

/// A visit to book.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBookingRequest {
    #[schema(max_length = 64)]
    pub service_code: String,
    /// The local date, `YYYY-MM-DD`, from today up to 30 days ahead.
    #[schema(format = Date)]
    pub date: String,
    /// The slot's start, `HH:MM`, as `slots` lists it.
    #[schema(example = "10:15", max_length = 5)]
    pub start: String,
    /// `acceptance` (default), `issue` or `consultation`.
    pub purpose: Option<String>,
    /// Where to send the confirmation and the reminder (none: the link alone).
    pub contact: Option<ContactIn>,
}

/// Where to move a booking.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RescheduleRequest {
    #[schema(format = Date)]
    pub date: String,
    #[schema(example = "11:00", max_length = 5)]
    pub start: String,
}

/// A booking as its holder and the office's staff see it: the contact masked.
#[derive(Debug, Serialize, ToSchema)]
pub struct BookingView {
    /// The booking's link (`/booking/{id}`).
    pub id: String,
    pub office: String,
    pub service_code: String,
    pub purpose: Purpose,
    #[schema(format = DateTime)]
    pub starts_at: String,
    #[schema(format = DateTime)]
    pub ends_at: String,
    /// `booked`, `cancelled`, `checked_in` or `missed` (its slot passed unchecked-in).
    #[schema(example = "booked")]
    pub state: String,
    /// Typed at the kiosk to check in.
    #[schema(example = "123456")]
    pub code: String,
    /// The ticket's link once checked in.
    pub ticket: Option<String>,
    /// The e-mail and phone, masked.
    pub contact: Vec<String>,
}

fn view(b: &Booking, now: Timestamp) -> BookingView {
    let state = if b.state == BookingState::Booked && b.slot.1 <= now {
        "missed"
    } else {
        b.state.as_str()
    };
    BookingView {
        id: b.public_id.clone(),
        office: b.office.clone(),
        service_code: b.service.clone(),
        purpose: b.purpose,
        starts_at: v::local(b.slot.0),
        ends_at: v::local(b.slot.1),
        state: state.into(),
        code: b.code.clone(),
        ticket: b.ticket.clone(),
        contact: [
            b.email.as_deref().map(|e| masked("email", e)),
            b.phone.as_deref().map(|p| masked("sms", p)),
        ]
        .into_iter()
        .flatten()
        .collect(),
    }
}

fn purpose(s: Option<&str>) -> Result<Purpose, AppError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(Purpose::Acceptance),
        Some(p) => match Purpose::parse(p) {
            Some(p) if p != Purpose::SelfService => Ok(p),
            _ => Err(AppError::invalid("purpose", "enum_invalid")
                .arg("allowed", "acceptance, issue, consultation")),
        },
    }
}

fn hhmm(field: &str, s: &str) -> Result<Time, AppError> {
    let s = s.trim();
    let ok = s.len() == 5 && s.as_bytes()[2] == b':';
    ok.then(|| Time::strptime("%H:%M", s).ok())
        .flatten()
        .ok_or_else(|| AppError::invalid(field, "time_invalid"))
}

fn instant(date: Date, t: Time) -> Result<Timestamp, AppError> {
    date.to_datetime(t)
        .to_zoned(zone::almaty().clone())
        .map(|z| z.timestamp())
        .map_err(|_| AppError::invalid("date", "out_of_range"))
}

/// The office's slots of `date` for a service and purpose: the week, the calendar, the
/// passport's maximum service time; as many places as counters take bookings for it.
async fn offered(
    state: &AppState,
    office: &Office,
    service: &str,
    purpose: Purpose,
    date: Date,
    now: Timestamp,
) -> Result<(u32, Vec<Slot>), AppError> {
    let today = zone::local_date(now);
    if !within_horizon(today, date) {
        return Err(AppError::invalid("date", "outside_booking_horizon").arg(
            "days",
            qyzmet_domain::front_office::slots::BOOKING_HORIZON_DAYS,
        ));
    }
    let code = v::service_code("service_code", service)?;
    let passport = match state
        .store
        .passport(&code, PassportWhich::InForce(date))
        .await
    {
        Ok(p) => p,
        Err(qyzmet_store::StoreError::NotFound(_)) => {
            return Err(AppError::invalid("service_code", "unknown_service"))
        }
        Err(e) => return Err(e.into()),
    };
    let minutes = slot_minutes(passport.and_then(|p| p.passport.terms.max_service_minutes));
    let capacity = state
        .store
        .counters(office.id)
        .await?
        .iter()
        .filter(|c| {
            c.takes_bookings
                && c.purposes.contains(&purpose)
                && (c.services.is_empty() || c.services.iter().any(|s| s == code.as_ref()))
        })
        .count() as u32;
    let slots = day_slots(
        &office.schedule,
        &state.calendar.get(),
        date,
        minutes,
        capacity,
    );
    Ok((minutes, slots))
}

fn day_bounds(date: Date) -> Result<(Timestamp, Timestamp), AppError> {
    let from = instant(date, Time::midnight())?;
    let next = date
        .tomorrow()
        .map_err(|_| AppError::invalid("date", "out_of_range"))?;
    Ok((from, instant(next, Time::midnight())?))
}

/// The free slots of an office for a service on a day, for anyone (001 §12).
pub async fn slots(
    state: &AppState,
    office_code: &str,
    service: &str,
    purpose_s: Option<&str>,
    date_s: &str,
    now: Timestamp,
) -> Result<SlotsView, AppError> {
    let office = find(state, office_code).await?;
    let purpose = purpose(purpose_s)?;
    let date = v::date("date", date_s)?;
    let (minutes, slots) = offered(state, &office, service, purpose, date, now).await?;
    let (from, to) = day_bounds(date)?;
    let code = service.trim();
    let booked = state.store.booked_places(office.id, code, from, to).await?;
    let mut items = Vec::new();
    for s in slots {
        let at = instant(date, s.start)?;
        if at <= now {
            continue;
        }
        let taken = booked.iter().find(|(t, _)| *t == at).map_or(0, |(_, n)| *n);
        items.push(SlotView {
            start: s.start.strftime("%H:%M").to_string(),
            end: s.end.strftime("%H:%M").to_string(),
            starts_at: v::local(at),
            capacity: i64::from(s.capacity),
            free: (i64::from(s.capacity) - taken).max(0),
        });
    }
    Ok(SlotsView {
        office: office.code,
        service_code: code.to_string(),
        purpose,
        date: date.to_string(),
        minutes,
        items,
    })
}

/// The slot of `date` starting at `start_s`, if the office offers it and it is ahead.
async fn wanted(
    state: &AppState,
    office: &Office,
    service: &str,
    purpose: Purpose,
    date_s: &str,
    start_s: &str,
    now: Timestamp,
) -> Result<SlotWanted, AppError> {
    let date = v::date("date", date_s)?;
    let start = hhmm("start", start_s)?;
    let (_, slots) = offered(state, office, service, purpose, date, now).await?;
    let slot = slots
        .iter()
        .find(|s| s.start == start)
        .ok_or_else(|| AppError::invalid("start", "slot_unknown"))?;
    let (from, to) = (instant(date, slot.start)?, instant(date, slot.end)?);
    if from <= now {
        return Err(AppError::invalid("start", "slot_past"));
    }
    Ok(SlotWanted {
        start: from,
        end: to,
        capacity: i64::from(slot.capacity),
    })
}

/// The confirmation (now) and the reminder (a day or two hours ahead) of `b`, by e-mail and
/// SMS as its contact allows, in its language.
fn messages(
    office: &Office,
    service_name: &qyzmet_store::LocalizedName,
    b: &Booking,
    now: Timestamp,
) -> Vec<BookingMessage> {
    let language = if b.language == "ru" {
        Language::Ru
    } else {
        Language::Kk
    };
    let lang = language.as_str();
    let when = b
        .slot
        .0
        .to_zoned(zone::almaty().clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string();
    let link = format!("{SITE_URL}/booking/{}", b.public_id);
    let visit = Visit {
        office: office.name.get(lang),
        address: office.address.get(lang),
        service: service_name.get(lang),
        when: &when,
        code: &b.code,
        link: &link,
    };
    let mut notices = vec![(Notice::Confirmation, "confirmation", now)];
    if let Some(at) = booking::reminder_at(b.slot.0, now) {
        notices.push((Notice::Reminder, "reminder", at));
    }
    let mut out = Vec::new();
    for (notice, kind, at) in notices {
        let (subject, body) = booking::compose(notice, language, &visit);
        let routes = [("email", b.email.as_ref()), ("sms", b.phone.as_ref())];
        for (channel, to) in routes {
            if let Some(to) = to {
                out.push(BookingMessage {
                    kind,
                    channel,
                    recipient: to.clone(),
                    subject: subject.clone(),
                    body: body.clone(),
                    at,
                });
            }
        }
    }
    out
}

async fn service_name(
    state: &AppState,
    code: &str,
) -> Result<qyzmet_store::LocalizedName, AppError> {
    let code = v::service_code("service_code", code)?;
    Ok(state
        .store
        .service(&code)
        .await?
        .ok_or_else(|| AppError::invalid("service_code", "unknown_service"))?
        .name)
}

/// Books a visit (anyone; rate-limited by the API). Its confirmation and reminder go through
/// the outbox in the same transaction.
pub async fn create(
    state: &AppState,
    actor: &str,
    office_code: &str,
    r: &NewBookingRequest,
    now: Timestamp,
) -> Result<BookingView, AppError> {
    let office = find(state, office_code).await?;
    let purpose = purpose(r.purpose.as_deref())?;
    let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
    let who = match &r.contact {
        // A contact with neither an address nor a number: the link alone, as with none.
        Some(c) if blank(&c.email) && blank(&c.phone) => None,
        Some(c) => Some(contact("contact", c).map_err(|mut e| e.remove(0))?),
        None => None,
    };
    let slot = wanted(
        state,
        &office,
        &r.service_code,
        purpose,
        &r.date,
        &r.start,
        now,
    )
    .await?;
    let name = service_name(state, &r.service_code).await?;
    let mut draws = 0;
    loop {
        let b = NewBooking {
            office_id: office.id,
            service: r.service_code.trim().to_string(),
            purpose,
            slot: slot.clone(),
            code: format!("{:06}", rand::rng().random_range(0..1_000_000u32)),
            email: who
                .as_ref()
                .and_then(|c| c.email.as_ref())
                .map(|e| e.as_str().to_string()),
            phone: who
                .as_ref()
                .and_then(|c| c.phone.as_ref())
                .map(|p| p.digits().to_string()),
            language: who.as_ref().map_or("kk", |c| c.language.as_str()),
        };
        match state
            .store
            .book(&b, |bk| messages(&office, &name, bk, now), actor, now)
            .await
        {
            Ok(booked) => return Ok(view(&booked, now)),
            Err(qyzmet_store::StoreError::Conflict {
                code: "booking_code_taken",
                ..
            }) if draws + 1 < CODE_DRAWS => draws += 1,
            Err(e) => return Err(e.into()),
        }
    }
}

async fn standing(state: &AppState, public_id: &str) -> Result<Booking, AppError> {
    let id = uuid::Uuid::parse_str(public_id.trim())
        .map_err(|_| AppError::not_found("booking_not_found"))?;
    state
        .store
        .booking(&id.to_string())
        .await?
        .ok_or_else(|| AppError::not_found("booking_not_found"))
}

/// A booking by its link (whoever holds the link).
pub async fn show(
    state: &AppState,
    public_id: &str,
    now: Timestamp,
) -> Result<BookingView, AppError> {
    Ok(view(&standing(state, public_id).await?, now))
}

/// Cancels a booking by its link: the place is free again, the reminder taken back.
pub async fn cancel(
    state: &AppState,
    actor: &str,
    public_id: &str,
    now: Timestamp,
) -> Result<BookingView, AppError> {
    let b = standing(state, public_id).await?;
    let done = state.store.cancel_booking(&b.public_id, actor, now).await?;
    Ok(view(&done, now))
}

/// Moves a booking to another slot of the same office and service: the link and the code
/// stay; a new confirmation and reminder go out.
pub async fn reschedule(
    state: &AppState,
    actor: &str,
    public_id: &str,
    r: &RescheduleRequest,
    now: Timestamp,
) -> Result<BookingView, AppError> {
    let b = standing(state, public_id).await?;
    if b.state != BookingState::Booked || b.slot.1 <= now {
        return Err(AppError::conflict("booking_not_standing"));
    }
    let office = find(state, &b.office).await?;
    let slot = wanted(
        state, &office, &b.service, b.purpose, &r.date, &r.start, now,
    )
    .await?;
    let name = service_name(state, &b.service).await?;
    let moved = state
        .store
        .reschedule_booking(
            &b.public_id,
            &slot,
            |bk| messages(&office, &name, bk, now),
            actor,
            now,
        )
        .await?;
    Ok(view(&moved, now))
}

/// Checks a booking in at its office (the kiosk, by its code; or its holder, by its link):
/// within an hour before its slot and until the slot's end, while the office is open and
/// runs the electronic queue. The ticket is of the booked group, with the slot, so the rule
/// calls it within its window.
pub async fn check_in(
    state: &AppState,
    actor: &str,
    b: &Booking,
    now: Timestamp,
) -> Result<TicketView, AppError> {
    match booking::check_in(b.slot.0, b.slot.1, now) {
        CheckIn::TooEarly => {
            return Err(AppError::conflict("check_in_too_early")
                .arg("at", v::local(b.slot.0 - booking::CHECK_IN_EARLY)))
        }
        CheckIn::TooLate => return Err(AppError::conflict("booking_missed")),
        CheckIn::Open => {}
    }
    if b.state != BookingState::Booked {
        return Err(AppError::conflict("booking_not_standing"));
    }
    let office = find(state, &b.office).await?;
    if office.mode != "electronic" {
        return Err(AppError::conflict("queue_live"));
    }
    if !is_open(state, &office, now) {
        return Err(AppError::conflict("office_closed"));
    }
    let ticket = state
        .store
        .check_in_booking(
            &b.public_id,
            &NewTicket {
                purpose: b.purpose,
                service: Some(b.service.clone()),
                priority: Some(PriorityGroup::Booked),
                source: "booking",
                booking_id: None,
                slot: Some(b.slot),
                application: None,
            },
            zone::local_date(now),
            actor,
            now,
        )
        .await?;
    announce(state, &ticket, false);
    ticket_view(state, &office, &ticket, now).await
}

/// Checks in by the booking's link.
pub async fn check_in_by_link(
    state: &AppState,
    actor: &str,
    public_id: &str,
    now: Timestamp,
) -> Result<TicketView, AppError> {
    let b = standing(state, public_id).await?;
    check_in(state, actor, &b, now).await
}

/// Checks in at the kiosk by the code the visitor types.
pub async fn check_in_by_code(
    state: &AppState,
    caller: &Caller,
    office_code: &str,
    code: &str,
    now: Timestamp,
) -> Result<TicketView, AppError> {
    let office = find(state, office_code).await?;
    super::offices::require_office_staff(caller, &office)?;
    let code = code.trim();
    if !booking::is_code(code) {
        return Err(AppError::invalid("code", "booking_code_invalid"));
    }
    let b = state
        .store
        .booking_by_code(office.id, code)
        .await?
        .ok_or_else(|| AppError::not_found("booking_not_found"))?;
    check_in(state, &caller.actor(), &b, now).await
}

/// The bookings of an office for a day (the branch's staff, administrators), contacts masked.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    office_code: &str,
    date_s: &str,
    now: Timestamp,
) -> Result<Vec<BookingView>, AppError> {
    let office = find(state, office_code).await?;
    require_office_reader(caller, &office)?;
    let date = v::date("date", date_s)?;
    let (from, to) = day_bounds(date)?;
    let all = state.store.bookings(office.id, from, to).await?;
    Ok(all.iter().map(|b| view(b, now)).collect())
}
