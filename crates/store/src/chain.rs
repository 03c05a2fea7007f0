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

/// The hashed text of an event. A ground (003 §17) is hashed only when there is one, under
/// its own tag (`stage+ground`, `suspended+ground`) and before the free-text reason, so every
/// event recorded before grounds existed keeps its hash, and no reason can pass for a ground
/// (a ground is a code: it holds no `|`).
fn canonical(number: i64, event: &Event, executor_person: Option<&str>) -> String {
    let t = event.occurred_at.as_microsecond();
    let person = executor_person.unwrap_or("");
    match &event.kind {
        EventKind::Stage {
            stage,
            outcome,
            reason,
            ground,
        } => {
            let (stage, outcome, reason) = (
                stage.as_str(),
                outcome.map(|o| o.as_str()).unwrap_or(""),
                reason.as_deref().unwrap_or(""),
            );
            match ground {
                None => format!("stage|{number}|{t}|{stage}|{outcome}|{reason}"),
                Some(g) => format!("stage+ground|{number}|{t}|{stage}|{outcome}|{g}|{reason}"),
            }
        }
        EventKind::Suspended {
            reason,
            ground: None,
        } => format!("suspended|{number}|{t}|{reason}"),
        EventKind::Suspended {
            reason,
            ground: Some(g),
        } => format!("suspended+ground|{number}|{t}|{g}|{reason}"),
        EventKind::Resumed { reason } => {
            format!("resumed|{number}|{t}|{}", reason.as_deref().unwrap_or(""))
        }
        EventKind::ExecutorChanged { executor } => {
            format!("executor_changed|{number}|{t}|{executor}|{person}")
        }
        EventKind::Scanned { scan, office } => format!("scanned|{number}|{t}|{scan}|{office}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use qyzmet_domain::stage::{Outcome, Stage};

    fn event(kind: EventKind) -> Event {
        Event {
            id: uuid::Uuid::nil(),
            occurred_at: "2026-04-01T05:00:00Z".parse().unwrap(),
            kind,
        }
    }

    fn hash_of(text: &str) -> String {
        hex::encode(Sha256::digest(text.as_bytes()))
    }

    /// 003 §17: events without a ground hash as they always did (their stored hashes still
    /// verify); a ground changes the hash, and a reason cannot pass for a ground.
    #[test]
    fn a_ground_is_hashed_only_when_there_is_one() {
        let t = 1_775_019_600_000_000_i64;
        let suspended = event(EventKind::suspended("awaiting an archive"));
        assert_eq!(
            content_hash(7, &suspended, None),
            hash_of(&format!("suspended|7|{t}|awaiting an archive"))
        );
        let refused = |ground: Option<&str>, reason: &str| {
            event(EventKind::Stage {
                stage: Stage::Closed,
                outcome: Some(Outcome::Refused),
                reason: Some(reason.into()),
                ground: ground.map(str::to_string),
            })
        };
        assert_eq!(
            content_hash(7, &refused(None, "false data"), None),
            hash_of(&format!("stage|7|{t}|closed|refused|false data"))
        );
        let grounded = content_hash(7, &refused(Some("false-data"), "x"), None);
        assert_eq!(
            grounded,
            hash_of(&format!("stage+ground|7|{t}|closed|refused|false-data|x"))
        );
        assert_ne!(
            grounded,
            content_hash(7, &refused(Some("other"), "x"), None)
        );
        // The same characters split otherwise between the reason and the ground differ.
        assert_ne!(
            content_hash(7, &refused(None, "false-data|x"), None),
            grounded
        );
        let mut on_ground = suspended.clone();
        on_ground.kind = EventKind::Suspended {
            reason: "awaiting an archive".into(),
            ground: Some("archive-request".into()),
        };
        assert_eq!(
            content_hash(7, &on_ground, None),
            hash_of(&format!(
                "suspended+ground|7|{t}|archive-request|awaiting an archive"
            ))
        );
    }
}
