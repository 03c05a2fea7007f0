//! The hash chain over an application's append-only history: each event's hash covers the
//! previous head, so a silent edit of a stored event is detectable.

use jiff::Timestamp;
use qyzmet_domain::stage::{Event, EventKind};
use sha2::{Digest, Sha256};

/// Hash of the client's content of an event: the same id with other content is a conflict.
pub fn content_hash(number: i64, event: &Event, executor_person: Option<&str>) -> String {
    let mut h = Sha256::new();
    h.update(canonical(number, event, executor_person).as_bytes());
    hex::encode(h.finalize())
}

/// The genesis hash of an application: its registration.
pub fn genesis(number: i64, service: &str, accepted_at: Timestamp, applicant_id: &str) -> String {
    let mut h = Sha256::new();
    h.update(
        format!(
            "qyzmet/1/registration|{number}|{service}|{}|{applicant_id}",
            accepted_at.as_microsecond()
        )
        .as_bytes(),
    );
    hex::encode(h.finalize())
}

/// Next link: H(previous head | content hash | recorded_at).
pub fn link(prev: &str, content_hash: &str, recorded_at: Timestamp) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"|");
    h.update(content_hash.as_bytes());
    h.update(b"|");
    h.update(recorded_at.as_microsecond().to_string().as_bytes());
    hex::encode(h.finalize())
}

fn canonical(number: i64, event: &Event, executor_person: Option<&str>) -> String {
    let t = event.occurred_at.as_microsecond();
    let person = executor_person.unwrap_or("");
    match &event.kind {
        EventKind::Stage {
            stage,
            outcome,
            reason,
        } => format!(
            "stage|{number}|{t}|{}|{}|{}",
            stage.as_str(),
            outcome.map(|o| o.as_str()).unwrap_or(""),
            reason.as_deref().unwrap_or("")
        ),
        EventKind::Suspended { reason } => format!("suspended|{number}|{t}|{reason}"),
        EventKind::Resumed { reason } => {
            format!("resumed|{number}|{t}|{}", reason.as_deref().unwrap_or(""))
        }
        EventKind::ExecutorChanged { executor } => {
            format!("executor_changed|{number}|{t}|{executor}|{person}")
        }
    }
}
