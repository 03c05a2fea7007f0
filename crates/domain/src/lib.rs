//! The pure rules of qyzmet: identifiers, the production calendar, deadline arithmetic, the
//! six-stage machine of 000 §6, and the validated text and moments every input passes. No I/O
//! lives here; everything is deterministic and exhaustively tested.

pub mod calendar;
pub mod catalogue;
pub mod contact;
pub mod deadline;
pub mod front_office;
pub mod ids;
pub mod lateness;
pub mod localized;
pub mod moment;
pub mod note;
pub mod notification;
pub mod passport;
pub mod quality;
pub mod search;
pub mod stage;
pub mod term;
pub mod text;
pub mod violation;
pub mod working_hours;
pub mod zone;

pub use calendar::ProductionCalendar;
pub use term::{Term, TermUnit};
pub use working_hours::WorkingHours;
