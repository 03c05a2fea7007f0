//! Booked visits (001 §12): a place in a slot of an office for a service, taken so that two
//! clients never hold the same place (the partial unique index `bookings_place`; a lost race
//! is run again and takes the next free place, or finds the slot full), cancelled,
//! rescheduled, and checked in at the kiosk, where the booking becomes a queue ticket with the
//! booked group's head start and its slot. The confirmation and the reminder are written to
//! the outbox in the same transaction; a cancelled or moved visit takes its unsent reminder
//! back. Every step recorded (001 §21).

use super::queue_action;
use super::tickets::{
    application_id, insert_ticket, service_id, ticket_by_id, NewTicket, Ticket, TicketRow, SELECT,
};
use crate::convert::{ts, us};
use crate::error::{Result, StoreError};
use crate::{with_db, Store};
use jiff::civil::Date;
use jiff::Timestamp;
use qyzmet_domain::front_office::Purpose;
use serde::Serialize;
use uuid::Uuid;

/// A booking's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingState {
    Booked,
    Cancelled,
    CheckedIn,
    Missed,
}

impl BookingState {
    pub fn as_str(self) -> &'static str {
        match self {
            BookingState::Booked => "booked",
            BookingState::Cancelled => "cancelled",
            BookingState::CheckedIn => "checked_in",
            BookingState::Missed => "missed",
        }
    }

    fn parse(s: &str) -> Option<BookingState> {
        [
            BookingState::Booked,
            BookingState::Cancelled,
            BookingState::CheckedIn,
            BookingState::Missed,
        ]
        .into_iter()
        .find(|b| b.as_str() == s)
    }
}

/// A booked visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Booking {
    pub id: i64,
    /// The booking's link (a random UUID).
    pub public_id: String,
    pub office_id: i64,
    pub office: String,
    pub service: String,
    pub purpose: Purpose,
    pub slot: (Timestamp, Timestamp),
    pub place: i64,
    pub state: BookingState,
    /// Typed at the kiosk to check in.
    pub code: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// `kk` or `ru`.
    pub language: String,
    /// The ticket it became (its link), once checked in.
    pub ticket: Option<String>,
    pub created_by: String,
    pub created_at: Timestamp,
}

/// A message about a booking to write to the outbox: sent from `at` on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingMessage {
    /// `confirmation` or `reminder`: part of the message's key.
    pub kind: &'static str,
    /// `email` or `sms`.
    pub channel: &'static str,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub at: Timestamp,
}

/// A slot to book, checked by the caller against the office's schedule.
#[derive(Debug, Clone)]
pub struct SlotWanted {
    pub start: Timestamp,
    pub end: Timestamp,
    /// Places in the slot: the counters that take bookings for the service.
    pub capacity: i64,
}

/// A visit to book, checked by the caller.
#[derive(Debug, Clone)]
pub struct NewBooking {
    pub office_id: i64,
    pub service: String,
    pub purpose: Purpose,
    pub slot: SlotWanted,
    /// The check-in code (drawn by the caller; another one is drawn when it is taken).
    pub code: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub language: &'static str,
}

#[derive(sqlx::FromRow)]
struct BookingRow {
    id: i64,
    public_id: String,
    office_id: i64,
    office: String,
    service: String,
    purpose: String,
    slot_start: i64,
    slot_end: i64,
    place: i64,
    state: String,
    code: String,
    email: Option<String>,
    phone: Option<String>,
    language: String,
    ticket: Option<String>,
    created_by: String,
    created_at: i64,
}

impl BookingRow {
    fn into_model(self) -> Result<Booking> {
        let corrupt = |column: &'static str, v: &str| StoreError::Corrupt {
            column,
            detail: v.to_string(),
        };
        Ok(Booking {
            id: self.id,
            public_id: self.public_id,
            office_id: self.office_id,
            office: self.office,
            service: self.service,
            purpose: Purpose::parse(&self.purpose)
                .ok_or_else(|| corrupt("bookings.purpose", &self.purpose))?,
            slot: (
                ts("bookings.slot_start", self.slot_start)?,
                ts("bookings.slot_end", self.slot_end)?,
            ),
            place: self.place,
            state: BookingState::parse(&self.state)
                .ok_or_else(|| corrupt("bookings.state", &self.state))?,
            code: self.code,
            email: self.email,
            phone: self.phone,
            language: self.language,
            ticket: self.ticket,
            created_by: self.created_by,
            created_at: ts("bookings.created_at", self.created_at)?,
        })
    }
}

const BOOKING: &str =
    "SELECT b.id, b.public_id, b.office_id, f.code AS office, s.code AS service, \
    b.purpose, b.slot_start, b.slot_end, b.place, b.state, b.code, b.email, b.phone, b.language, \
    (SELECT t.public_id FROM tickets t WHERE t.booking_id = b.id ORDER BY t.id DESC LIMIT 1) \
    AS ticket, b.created_by, b.created_at FROM bookings b JOIN offices f ON f.id = b.office_id \
    JOIN services s ON s.id = b.service_id";

/// The indexes two bookings can race on: the place (run again, the next place or full) and
/// the check-in code (the caller draws another).
const RACES: &[&str] = &["bookings_place"];

/// Records a booking's action (001 §21) in `$tx`.
macro_rules! booking_action {
    ($tx:expr, $office:expr, $booking:expr, $action:expr, $actor:expr, $at:expr, $detail:expr) => {
        sqlx::query(
            "INSERT INTO queue_actions (office_id, booking_id, action, actor, at, detail) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind($office)
        .bind($booking)
        .bind($action)
        .bind($actor)
        .bind(us($at))
        .bind($detail)
        .execute(&mut *$tx)
        .await?
    };
}

/// The lowest place of the slot `$slot` of service `$service_id` at office `$office` free in
/// `$tx` (`$except`: a booking whose own place does not count), or `Conflict(slot_full)`.
macro_rules! free_place {
    ($tx:expr, $office:expr, $service_id:expr, $slot:expr, $except:expr) => {{
        let slot: &SlotWanted = $slot;
        let taken: Vec<i64> = sqlx::query_scalar(
            "SELECT place FROM bookings WHERE office_id = $1 AND service_id = $2 \
             AND slot_start = $3 AND state <> 'cancelled' AND id <> $4 ORDER BY place",
        )
        .bind($office)
        .bind($service_id)
        .bind(us(slot.start))
        .bind($except)
        .fetch_all(&mut *$tx)
        .await?;
        (1..=slot.capacity)
            .find(|p| !taken.contains(p))
            .ok_or(StoreError::Conflict {
                code: "slot_full",
                field: Some("start"),
            })?
    }};
}

/// The booking of link `$public_id`, locked (`$lock`) in `$tx`, as (id, office id, service
/// id, slot start): `NotFound` when there is none, `Conflict(booking_not_standing)` when it
/// is not booked any more.
macro_rules! standing {
    ($tx:expr, $public_id:expr, $lock:expr) => {{
        let (id, office_id, service_id, state, from): (i64, i64, i64, String, i64) =
            sqlx::query_as(&format!(
                "SELECT id, office_id, service_id, state, slot_start FROM bookings \
                 WHERE public_id = $1{}",
                $lock
            ))
            .bind($public_id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or(StoreError::NotFound("booking"))?;
        if state != "booked" {
            return Err(StoreError::Conflict {
                code: "booking_not_standing",
                field: None,
            });
        }
        (id, office_id, service_id, from)
    }};
}

/// The booking of row id `$id`, read in `$tx`.
macro_rules! booking_by_id {
    ($tx:expr, $id:expr) => {
        sqlx::query_as::<_, BookingRow>(&format!("{BOOKING} WHERE b.id = $1"))
            .bind($id)
            .fetch_one(&mut *$tx)
            .await?
            .into_model()?
    };
}

/// Marks booking `$id` `$state` in `$tx` and takes back its unsent reminders.
macro_rules! settle {
    ($tx:expr, $id:expr, $public_id:expr, $state:expr, $now:expr) => {
        sqlx::query("UPDATE bookings SET state = $2, updated_at = $3 WHERE id = $1")
            .bind($id)
            .bind($state)
            .bind(us($now))
            .execute(&mut *$tx)
            .await?;
        withdraw_reminders!($tx, $public_id);
    };
}

/// Writes `$messages` of booking `$public_id` to the outbox in `$tx`.
macro_rules! write_messages {
    ($tx:expr, $public_id:expr, $slot_start:expr, $messages:expr, $now:expr) => {
        for m in $messages {
            let m: &BookingMessage = m;
            sqlx::query(
                "INSERT INTO outbox (key, channel, recipient, subject, body, state, attempts, \
                 next_attempt_at, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $7, $7) ON CONFLICT (key) DO NOTHING",
            )
            .bind(format!(
                "booking:{}:{}:{}:{}",
                $public_id,
                us($slot_start),
                m.kind,
                m.channel
            ))
            .bind(m.channel)
            .bind(&m.recipient)
            .bind(&m.subject)
            .bind(&m.body)
            .bind(us(m.at))
            .bind(us($now))
            .execute(&mut *$tx)
            .await?;
        }
    };
}

/// Takes back the reminders of booking `$public_id` not sent yet (a cancelled or moved visit).
macro_rules! withdraw_reminders {
    ($tx:expr, $public_id:expr) => {
        sqlx::query("DELETE FROM outbox WHERE key LIKE $1 AND state = 'pending' AND attempts = 0")
            .bind(format!("booking:{}:%:reminder:%", $public_id))
            .execute(&mut *$tx)
            .await?
    };
}

impl Store {
    /// The standing bookings of an office's service for the slots starting in `[from, to)`:
    /// how many places each slot start has taken.
    pub async fn booked_places(
        &self,
        office_id: i64,
        service: &str,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(Timestamp, i64)>> {
        with_db!(self, |read, _write| {
            let rows: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT b.slot_start, COUNT(*) FROM bookings b JOIN services s \
                 ON s.id = b.service_id WHERE b.office_id = $1 AND s.code = $2 \
                 AND b.slot_start >= $3 AND b.slot_start < $4 AND b.state <> 'cancelled' \
                 GROUP BY b.slot_start ORDER BY b.slot_start",
            )
            .bind(office_id)
            .bind(service)
            .bind(us(from))
            .bind(us(to))
            .fetch_all(read)
            .await?;
            rows.into_iter()
                .map(|(at, n)| Ok((ts("bookings.slot_start", at)?, n)))
                .collect()
        })
    }

    /// Books a visit: the lowest free place of the slot, the check-in code, and the
    /// messages `messages` makes of the booking, in one transaction; recorded (001 §21).
    /// `Conflict(slot_full)` when every place is held; `Conflict(booking_code_taken)` when
    /// the code is another standing booking's (draw another).
    pub async fn book<F>(
        &self,
        b: &NewBooking,
        messages: F,
        actor: &str,
        now: Timestamp,
    ) -> Result<Booking>
    where
        F: Fn(&Booking) -> Vec<BookingMessage> + Send + Sync,
    {
        let public_id = Uuid::new_v4().to_string();
        let r = crate::contention::retrying!(
            "book",
            RACES,
            self.book_once(b, &public_id, &messages, actor, now)
        );
        r.map_err(|e| crate::contention::unique_as_conflict(e, RACES, "booking_code_taken", "code"))
    }

    async fn book_once<F>(
        &self,
        b: &NewBooking,
        public_id: &str,
        messages: &F,
        actor: &str,
        now: Timestamp,
    ) -> Result<Booking>
    where
        F: Fn(&Booking) -> Vec<BookingMessage> + Send + Sync,
    {
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let service_id = service_id!(tx, Some(b.service.as_str()), "service_code")
                .ok_or(StoreError::NotFound("service"))?;
            let place = free_place!(tx, b.office_id, service_id, &b.slot, 0_i64);
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO bookings (public_id, office_id, service_id, slot_start, slot_end, \
                 place, state, email, phone, language, created_at, updated_at, purpose, code, \
                 created_by) VALUES ($1, $2, $3, $4, $5, $6, 'booked', $7, $8, $9, $10, $10, \
                 $11, $12, $13) RETURNING id",
            )
            .bind(public_id)
            .bind(b.office_id)
            .bind(service_id)
            .bind(us(b.slot.start))
            .bind(us(b.slot.end))
            .bind(place)
            .bind(b.email.as_deref())
            .bind(b.phone.as_deref())
            .bind(b.language)
            .bind(us(now))
            .bind(b.purpose.as_str())
            .bind(&b.code)
            .bind(actor)
            .fetch_one(&mut *tx)
            .await?;
            booking_action!(
                tx,
                b.office_id,
                id,
                "booking.book",
                actor,
                now,
                String::new()
            );
            let booking = booking_by_id!(tx, id);
            write_messages!(tx, public_id, b.slot.start, &messages(&booking), now);
            tx.commit().await?;
            Ok(booking)
        })
    }

    /// A booking by its link.
    pub async fn booking(&self, public_id: &str) -> Result<Option<Booking>> {
        with_db!(self, |read, _write| {
            sqlx::query_as::<_, BookingRow>(&format!("{BOOKING} WHERE b.public_id = $1"))
                .bind(public_id)
                .fetch_optional(read)
                .await?
                .map(BookingRow::into_model)
                .transpose()
        })
    }

    /// The standing booking of an office with check-in code `code`.
    pub async fn booking_by_code(&self, office_id: i64, code: &str) -> Result<Option<Booking>> {
        with_db!(self, |read, _write| {
            sqlx::query_as::<_, BookingRow>(&format!(
                "{BOOKING} WHERE b.office_id = $1 AND b.code = $2 AND b.state = 'booked'"
            ))
            .bind(office_id)
            .bind(code)
            .fetch_optional(read)
            .await?
            .map(BookingRow::into_model)
            .transpose()
        })
    }

    /// An office's bookings whose slot starts in `[from, to)`, by time and place.
    pub async fn bookings(
        &self,
        office_id: i64,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<Booking>> {
        with_db!(self, |read, _write| {
            let rows = sqlx::query_as::<_, BookingRow>(&format!(
                "{BOOKING} WHERE b.office_id = $1 AND b.slot_start >= $2 AND b.slot_start < $3 \
                 ORDER BY b.slot_start, s.code, b.place"
            ))
            .bind(office_id)
            .bind(us(from))
            .bind(us(to))
            .fetch_all(read)
            .await?;
            rows.into_iter().map(BookingRow::into_model).collect()
        })
    }

    /// Cancels a standing booking: its place is free again and its unsent reminder taken
    /// back; recorded. `Conflict(booking_not_standing)` when it is not booked any more.
    pub async fn cancel_booking(
        &self,
        public_id: &str,
        actor: &str,
        now: Timestamp,
    ) -> Result<Booking> {
        let lock = self.row_lock();
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let (id, office_id, _, _) = standing!(tx, public_id, lock);
            settle!(tx, id, public_id, "cancelled", now);
            booking_action!(
                tx,
                office_id,
                id,
                "booking.cancel",
                actor,
                now,
                String::new()
            );
            let booking = booking_by_id!(tx, id);
            tx.commit().await?;
            Ok(booking)
        })
    }

    /// Moves a standing booking to another slot of the same office and service: the lowest
    /// free place there, the old reminder taken back and the new messages written; the link
    /// and the code stay. Recorded.
    pub async fn reschedule_booking<F>(
        &self,
        public_id: &str,
        slot: &SlotWanted,
        messages: F,
        actor: &str,
        now: Timestamp,
    ) -> Result<Booking>
    where
        F: Fn(&Booking) -> Vec<BookingMessage> + Send + Sync,
    {
        crate::contention::retrying!(
            "reschedule_booking",
            RACES,
            self.reschedule_once(public_id, slot, &messages, actor, now)
        )
    }

    async fn reschedule_once<F>(
        &self,
        public_id: &str,
        slot: &SlotWanted,
        messages: &F,
        actor: &str,
        now: Timestamp,
    ) -> Result<Booking>
    where
        F: Fn(&Booking) -> Vec<BookingMessage> + Send + Sync,
    {
        let lock = self.row_lock();
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let (id, office_id, service_id, from) = standing!(tx, public_id, lock);
            if from == us(slot.start) {
                return Err(StoreError::Conflict {
                    code: "booking_same_slot",
                    field: Some("start"),
                });
            }
            let place = free_place!(tx, office_id, service_id, slot, id);
            sqlx::query(
                "UPDATE bookings SET slot_start = $2, slot_end = $3, place = $4, updated_at = $5 \
                 WHERE id = $1",
            )
            .bind(id)
            .bind(us(slot.start))
            .bind(us(slot.end))
            .bind(place)
            .bind(us(now))
            .execute(&mut *tx)
            .await?;
            withdraw_reminders!(tx, public_id);
            booking_action!(
                tx,
                office_id,
                id,
                "booking.reschedule",
                actor,
                now,
                format!("{} -> {}", from, us(slot.start))
            );
            let booking = booking_by_id!(tx, id);
            write_messages!(tx, public_id, slot.start, &messages(&booking), now);
            tx.commit().await?;
            Ok(booking)
        })
    }

    /// Checks a standing booking in: it becomes a waiting ticket of the office's `day` (the
    /// booked group, its slot, `ticket`'s purpose and service) in the same transaction, and
    /// its reminder, if still unsent, is taken back. Recorded.
    pub async fn check_in_booking(
        &self,
        public_id: &str,
        ticket: &NewTicket,
        day: Date,
        actor: &str,
        now: Timestamp,
    ) -> Result<Ticket> {
        let lock = self.row_lock();
        with_db!(self, |_read, write| {
            let mut tx = write.begin().await?;
            let (id, office_id, _, _) = standing!(tx, public_id, lock);
            settle!(tx, id, public_id, "checked_in", now);
            booking_action!(
                tx,
                office_id,
                id,
                "booking.check_in",
                actor,
                now,
                String::new()
            );
            let t = NewTicket {
                booking_id: Some(id),
                ..ticket.clone()
            };
            let ticket_id = insert_ticket!(tx, office_id, &t, day, None::<&str>, actor, now);
            let ticket = ticket_by_id!(tx, ticket_id);
            tx.commit().await?;
            Ok(ticket)
        })
    }
}
