//! The registry context: organizations, services and their terms, the production calendar.

pub mod calendar;
pub mod catalogue;
pub mod organizations;
pub mod passports;
pub mod services;
