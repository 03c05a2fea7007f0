//! The behavioural suite of the API: every case runs against SQLite and PostgreSQL through
//! the real HTTP server (DESIGN "Testing as a user would").

mod browser;
mod proxy;
mod support;

mod acceptances;
mod admin_pages;
mod applications;
mod bookings;
mod calendar_upgrade;
mod catalogue_io;
mod concurrency;
mod display;
mod docs;
mod events;
mod front_office;
mod front_office_pages;
mod grounds;
mod hygiene;
mod informing;
mod issues;
mod live_queue;
mod localised;
mod operations;
mod outage;
mod packages;
mod pages;
mod passport_editor;
mod passports;
mod public;
mod quality;
mod receipts;
mod registry;
mod registry_edit;
mod report_pages;
mod reports;
mod rollups;
mod search;
mod sign_in;
mod signatures;
mod smtp_sink;
mod storage;
mod users_admin;
mod workstation;
