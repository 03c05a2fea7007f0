//! The `qyzmet` binary as an operator uses it.

use std::process::{Command, Output};

fn qyzmet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qyzmet"))
        .args(args)
        .env_remove("QYZMET_DATABASE_URL")
        .output()
        .expect("run qyzmet")
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn iin_check_prints_json_and_exits_by_validity() {
    let ok = qyzmet(&["iin", "check", "900101300017"]);
    assert_eq!(ok.status.code(), Some(0));
    let v = json(&ok);
    assert_eq!(v["valid"], true);
    assert_eq!(v["kind"], "iin");
    let bin = qyzmet(&["iin", "check", "940140000385"]);
    assert_eq!(bin.status.code(), Some(0));
    assert_eq!(json(&bin)["kind"], "bin");
    let bad = qyzmet(&["iin", "check", "900101300016"]);
    assert_eq!(bad.status.code(), Some(1));
    let v = json(&bad);
    assert_eq!(v["valid"], false);
    assert!(v["reason"].as_str().unwrap().contains("check digit"), "{v}");
    assert!(v["warnings"].is_array());
}

#[test]
fn calendar_deadline_follows_the_worked_examples() {
    let out = qyzmet(&[
        "calendar",
        "deadline",
        "--accepted-at",
        "2026-03-20T10:00:00+05:00",
        "--term",
        "5",
        "--unit",
        "working-days",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["planned_date"], "2026-04-01");
    assert_eq!(v["deadline"], "2026-04-01T23:59:59+05:00");
    let out = qyzmet(&[
        "calendar",
        "deadline",
        "--accepted-at",
        "2026-03-07T12:00:00+05:00",
        "--term",
        "5",
        "--unit",
        "working-days",
    ]);
    assert_eq!(json(&out)["planned_date"], "2026-03-17");
    let out = qyzmet(&[
        "calendar",
        "deadline",
        "--accepted-at",
        "2026-03-20T17:30:00+05:00",
        "--term",
        "2",
        "--unit",
        "hours",
        "--working-hours",
        "09:00-18:30",
    ]);
    assert_eq!(json(&out)["deadline"], "2026-03-20T19:30:00+05:00");
    let out = qyzmet(&[
        "calendar",
        "deadline",
        "--accepted-at",
        "yesterday",
        "--term",
        "5",
        "--unit",
        "working-days",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["field"], "accepted_at");
}

#[test]
fn tokens_demo_and_calendar_edits_on_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("q.db").display());
    let out = qyzmet(&["migrate", "--database", &db]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = qyzmet(&["token", "create", "--database", &db]);
    assert!(!out.status.success(), "--org or --admin is required");
    let out = qyzmet(&["token", "create", "--org", "NOPE", "--database", &db]);
    assert_eq!(out.status.code(), Some(2));
    let out = qyzmet(&[
        "demo",
        "generate",
        "--applications",
        "300",
        "--quiet",
        "--database",
        &db,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = qyzmet(&["token", "create", "--org", "AKIM-AST", "--database", &db]);
    assert!(out.status.success());
    let token = String::from_utf8(out.stdout).unwrap();
    assert!(token.trim().starts_with("qz_") && token.trim().len() > 40);
    let out = qyzmet(&["token", "list", "--database", &db]);
    let listing = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        listing.contains("org AKIM-AST") && listing.contains("active"),
        "{listing}"
    );
    assert!(!listing.contains(token.trim()), "secrets are never listed");
    let id = listing
        .lines()
        .last()
        .unwrap()
        .split('\t')
        .next()
        .unwrap()
        .to_string();
    let out = qyzmet(&["token", "revoke", &id, "--database", &db]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = qyzmet(&["token", "revoke", &id, "--database", &db]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "revoking twice finds no active token"
    );
    let out = qyzmet(&["token", "list", "--database", &db]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("revoked"));
    let out = qyzmet(&[
        "calendar",
        "set",
        "2026-12-30",
        "--kind",
        "day-off",
        "--name",
        "Test",
        "--source",
        "Decree (test)",
        "--database",
        &db,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json(&out)["day"], "2026-12-30");
    let out = qyzmet(&["calendar", "list", "--year", "2026", "--database", &db]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("2026-12-30\tday_off\tTest"));
}

/// `qyzmet org signature-policy` sets the policy the API enforces, refuses unknown values and
/// organizations, and `org show` reads it back.
#[test]
fn org_signature_policy_is_set_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("q.db").display());
    let out = qyzmet(&[
        "demo",
        "generate",
        "--applications",
        "10",
        "--quiet",
        "--database",
        &db,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let show = |code: &str| {
        let out = qyzmet(&["org", "show", code, "--database", &db]);
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
        )
    };
    assert!(show("AKIM-AST").1.contains("signature_policy optional"));
    let out = qyzmet(&[
        "org",
        "signature-policy",
        "AKIM-AST",
        "required",
        "--database",
        &db,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(show("AKIM-AST").1.contains("signature_policy required"));
    let out = qyzmet(&[
        "org",
        "signature-policy",
        "AKIM-AST",
        "sometimes",
        "--database",
        &db,
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("required, optional or off"));
    assert!(show("AKIM-AST").1.contains("signature_policy required"));
    let out = qyzmet(&[
        "org",
        "signature-policy",
        "NOWHERE",
        "off",
        "--database",
        &db,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(show("NOWHERE").0, Some(1));
}
