//! The monitoring context (000): applications and their events through the six stages,
//! deadlines, outages of the systems services depend on, the monthly violations report and
//! the quality indicators (003).

pub mod applications;
pub mod dashboard;
pub mod events;
pub mod exports;
pub mod grounds;
pub mod lateness;
pub mod outages;
pub mod quality;
pub mod reports;
pub mod status;
pub mod submissions;
