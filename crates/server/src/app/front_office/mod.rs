//! The front office (001): offices and their weeks, counters and the employees at them, and
//! the electronic queue's tickets from the kiosk to the counter, and booked visits. The call-next rule is the
//! domain's (`qyzmet_domain::front_office::ordering`); the store runs it under the office's
//! lock.

pub mod acceptances;
pub mod bookings;
pub mod checklists;
pub mod copies;
pub mod counters;
pub mod display;
pub mod figures;
pub mod issues;
pub mod live;
pub mod offices;
pub mod packages;
pub mod ratings;
pub mod receipts;
pub mod returns;
pub mod scan_writer;
pub mod storage;
pub mod tickets;
