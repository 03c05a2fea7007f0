//! The front office of the State Corporation (001): when an office is open, the words of a
//! queue ticket, the call-next rule, the booking slots and a booked visit's check-in and
//! reminders, the document checklist of an acceptance, the sealed line of a receipt, a paper
//! package's barcode and scans, and the storage of results not collected. Pure rules; the store keeps the tickets and the server runs the counters.

pub mod booking;
pub mod checklist;
pub mod figures;
pub mod ordering;
pub mod package;
pub mod receipt;
pub mod schedule;
pub mod slots;
pub mod storage;
pub mod ticket;

pub use ordering::{CounterScope, Policy, Waiting};
pub use schedule::{OfficeKind, OfficeSchedule, ScheduleRow};
pub use slots::Slot;
pub use ticket::{PriorityGroup, Purpose, TicketNumber, Weights};
