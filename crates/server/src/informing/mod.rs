//! Delivery of the outbox (000 §2; DESIGN: the outbox): one node at a time, by lease, sends
//! what is due through its channel — e-mail over SMTP ([`email`]), SMS through an HTTP
//! gateway ([`sms`]), posts to provider systems' webhooks ([`webhook`]) — and records each
//! result. docs/informing.md says how to configure each channel and what is guaranteed.

pub mod delivery;
pub mod email;
pub mod sms;
pub mod smtp;
pub mod webhook;

pub use delivery::{deliver_once, delivery_loop, Channels, DELIVERY_JOB};

/// Why a send failed: permanent failures are not tried again.
#[derive(Debug, Clone)]
pub struct Failure {
    pub reason: String,
    pub permanent: bool,
}

impl Failure {
    pub fn transient(reason: impl Into<String>) -> Failure {
        Failure {
            reason: reason.into(),
            permanent: false,
        }
    }

    pub fn permanent(reason: impl Into<String>) -> Failure {
        Failure {
            reason: reason.into(),
            permanent: true,
        }
    }
}

/// What a send came to: the gateway's id of the message (when it gives one), or why not.
pub type Sent = Result<Option<String>, Failure>;
