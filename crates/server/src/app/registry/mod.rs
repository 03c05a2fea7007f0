//! The registry context: organizations, services and their terms, the production calendar.

pub mod calendar;
pub mod catalogue;
pub mod catalogue_check;
pub mod catalogue_csv;
pub mod catalogue_file;
pub mod catalogue_io;
pub mod organizations;
pub mod passports;
pub mod services;
