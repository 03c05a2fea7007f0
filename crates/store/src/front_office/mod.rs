//! The front office (001): offices, their counters and the electronic queue's tickets, every
//! action on them recorded (001 §21). The call-next rule itself is the domain's
//! (`qyzmet_domain::front_office::ordering`); here it runs inside the office's lock, so two
//! counters never call the same ticket.

pub(crate) mod acceptances;
mod bookings;
mod copies;
mod counters;
mod feed;
mod figures;
mod issues;
mod live;
mod offices;
mod ratings;
mod returns;
mod storage;
mod tickets;

pub(crate) use acceptances::{prior_acceptance, receipt_in, write_acceptance};
pub use acceptances::{
    AcceptanceOutcome, Consent, ConsentRecord, NewAcceptance, NewReceipt, PackageFacts, Receipt,
    ReceiptNotice,
};
pub use bookings::{Booking, BookingMessage, BookingState, NewBooking, SlotWanted};
pub use copies::{CopyRecord, NewCopy};
pub use counters::{Counter, CounterState, NewCounter};
pub use feed::{QueueListener, QUEUE_CHANNEL};
pub use figures::VisitRecord;
pub use issues::{Issuance, NewIssuance};
pub use live::{LiveEntry, Reconciled, TicketRange};
pub use offices::{NewOffice, Office};
pub use ratings::{EmployeeRatings, NewRating, RatingTally, Visit};
pub use returns::{NewReturnRegister, ReturnItem, ReturnRegister};
pub use storage::{Kept, StorageReminder, StorageTerm};
pub use tickets::{NewTicket, QueueAction, Queued, Ticket, TicketMove, TicketState};

/// Records a front-office action (001 §21) inside the transaction `$tx`: who, when, which
/// office, ticket and counter, and a detail without personal data.
macro_rules! queue_action {
    ($tx:expr, $office:expr, $ticket:expr, $counter:expr, $action:expr, $actor:expr, $at:expr, $detail:expr) => {
        sqlx::query(
            "INSERT INTO queue_actions (office_id, ticket_id, counter_id, action, actor, at, detail) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind($office)
        .bind($ticket)
        .bind($counter)
        .bind($action)
        .bind($actor)
        .bind($crate::convert::us($at))
        .bind($detail)
        .execute(&mut *$tx)
        .await?
    };
}
pub(crate) use queue_action;
