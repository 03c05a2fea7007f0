//! The `qyzmet` binary as an operator uses it.

use std::process::{Command, Output};

fn qyzmet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qyzmet"))
        .args(args)
        .env_remove("QYZMET_DATABASE_URL")
        .output()
        .expect("run qyzmet")
}

/// A SQLite database in `dir` filled by `qyzmet demo generate` with `n` applications.
fn demo_database(dir: &tempfile::TempDir, n: u32) -> String {
    let db = format!("sqlite://{}", dir.path().join("q.db").display());
    let out = qyzmet(&[
        "demo",
        "generate",
        "--applications",
        &n.to_string(),
        "--quiet",
        "--database",
        &db,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    db
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

/// `qyzmet iin check … | head -c0`: the reader is gone before the command writes. The
/// command ends as Unix tools do (killed by SIGPIPE), not with a panic's message and code.
#[cfg(unix)]
#[test]
fn output_into_a_closed_pipe_ends_without_a_panic() {
    use std::os::unix::process::ExitStatusExt;
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let out = Command::new(env!("CARGO_BIN_EXE_qyzmet"))
        .args(["iin", "check", "900101300017"])
        .stdout(writer)
        .output()
        .expect("run qyzmet");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.signal(), Some(libc::SIGPIPE), "{:?}", out.status);
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

/// `qyzmet calendar set` and `token create` take text through the API's own checks: a bidi
/// override, a control character or an invisible name is refused with the API's error (the
/// field, the code, the offending code point, never the value) in the language of `LANG`,
/// exit code 2, and nothing is stored. (A NUL cannot reach a command line: argv strings end
/// at one.)
#[test]
fn hostile_text_on_the_command_line_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("q.db").display());
    assert!(qyzmet(&["migrate", "--database", &db]).status.success());
    let run = |args: &[&str], lang: &str| {
        Command::new(env!("CARGO_BIN_EXE_qyzmet"))
            .args(args)
            .env_remove("QYZMET_DATABASE_URL")
            .env("LANG", lang)
            .output()
            .expect("run qyzmet")
    };
    let set = |date: &str, name: &str, source: &str, lang: &str| {
        run(
            &[
                "calendar",
                "set",
                date,
                "--kind",
                "day-off",
                "--name",
                name,
                "--source",
                source,
                "--database",
                &db,
            ],
            lang,
        )
    };
    for (date, name, source, code, field, shows) in [
        (
            "2026-12-30",
            "Secret\u{202E}",
            "Decree",
            "text_bidi_control",
            "name",
            "U+202E",
        ),
        (
            "2026-12-30",
            "Test",
            "Decree\u{1b}[2J",
            "text_control_character",
            "source",
            "U+001B",
        ),
        (
            "2026-12-30",
            "Test",
            "Decree\u{85}",
            "text_control_character",
            "source",
            "U+0085",
        ),
        (
            "2026-12-30",
            "\u{200B}\u{3164}",
            "Decree",
            "text_invisible",
            "name",
            "name",
        ),
        (
            "0001-01-01",
            "Test",
            "Decree",
            "date_out_of_range",
            "date",
            "2000-01-01",
        ),
    ] {
        let out = set(date, name, source, "en_US.UTF-8");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name:?} {source:?}: {stderr}");
        let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
        assert_eq!(err["error"]["code"], code, "{stderr}");
        assert_eq!(err["error"]["field"], field, "{stderr}");
        let message = err["error"]["message"].as_str().unwrap();
        assert!(message.contains(shows), "{message}");
        assert!(
            !message.contains("Secret"),
            "the value is not echoed: {message}"
        );
    }
    // In Russian when LANG says so.
    let out = set("2026-12-30", "Тест\u{202E}", "Decree", "ru_RU.UTF-8");
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    let message = err["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("«name»") && message.contains("U+202E"),
        "{message}"
    );
    let out = run(
        &[
            "token",
            "create",
            "--admin",
            "--label",
            "ops\u{2066}",
            "--database",
            &db,
        ],
        "en_US.UTF-8",
    );
    assert_eq!(out.status.code(), Some(2));
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["field"], "label");
    let listing = qyzmet(&["token", "list", "--database", &db]);
    assert!(listing.stdout.is_empty(), "no token stored");
    let out = qyzmet(&["calendar", "list", "--year", "2026", "--database", &db]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("2026-12-30"));
    // A legitimate Kazakh name is stored as given.
    let out = set("2026-12-30", "Тәуелсіздік күні", "Заң", "kk_KZ.UTF-8");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = qyzmet(&["calendar", "list", "--year", "2026", "--database", &db]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("2026-12-30\tday_off\tТәуелсіздік күні"));
}

/// `qyzmet org signature-policy` sets the policy the API enforces, refuses unknown values and
/// organizations, and `org show` reads it back.
#[test]
fn org_signature_policy_is_set_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_database(&dir, 10);
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

/// Runs `qyzmet args…` with `input` on standard input.
fn qyzmet_with_input(args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_qyzmet"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run qyzmet");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("qyzmet output")
}

/// `qyzmet admin create-user` (issue 4): the first administrator and operators from the
/// command line; each role's rule on the organization, the password policy and unique
/// usernames enforced; the password stored only as an argon2id hash.
#[test]
fn admin_create_user_from_the_command_line_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("q.db");
    let db = format!("sqlite://{}", file.display());
    let secret = admin_create_user(&db);
    // The database holds a hash, never the password.
    let checkpoint = qyzmet(&["migrate", "--database", &db]);
    assert!(checkpoint.status.success());
    let mut bytes = std::fs::read(&file).unwrap();
    if let Ok(wal) = std::fs::read(dir.path().join("q.db-wal")) {
        bytes.extend(wal);
    }
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains(&secret), "the password is stored in clear");
    assert!(text.contains("$argon2id$"), "no argon2id hash stored");
}

#[test]
fn admin_create_user_from_the_command_line_postgres() {
    with_postgres_database(|db| {
        admin_create_user(db);
    });
}

/// Runs `f` on a fresh PostgreSQL database of `QYZMET_TEST_POSTGRES_URL`, dropped afterwards
/// (also when `f` panics). Without the variable: skipped, except under CI, where it fails.
fn with_postgres_database(f: impl FnOnce(&str) + std::panic::UnwindSafe) {
    let base = match std::env::var("QYZMET_TEST_POSTGRES_URL") {
        Ok(u) if !u.is_empty() => u,
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but QYZMET_TEST_POSTGRES_URL is not set"
            );
            eprintln!("skipping: QYZMET_TEST_POSTGRES_URL is not set");
            return;
        }
    };
    let name = format!("qyzmet_t_{}", uuid::Uuid::new_v4().simple());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let admin = rt
        .block_on(qyzmet_store::Store::connect(&base, &Default::default()))
        .unwrap();
    rt.block_on(admin.execute_raw(&format!("CREATE DATABASE {name}")))
        .unwrap();
    let root = base.rsplit_once('/').map(|(r, _)| r.to_string()).unwrap();
    let db = format!("{root}/{name}");
    let result = std::panic::catch_unwind(|| f(&db));
    rt.block_on(admin.execute_raw(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
        .unwrap();
    rt.block_on(admin.close());
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

/// `qyzmet admin block|unblock|unlock|reset-password|set-role|set-profile` (issue 16, B.6):
/// the administration of users from the command line, through the pages' use cases, audited
/// as `cli:<operating-system user>`; `admin users` shows the status, last sign-in, full name
/// and position, never a password.
#[test]
fn admin_administers_users_from_the_command_line_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("q.db").display());
    admin_administers_users(&db);
}

#[test]
fn admin_administers_users_from_the_command_line_postgres() {
    with_postgres_database(admin_administers_users);
}

fn admin_administers_users(db: &str) {
    admin_create_user(db);
    let run = |args: &[&str]| {
        let mut all = vec!["admin"];
        all.extend_from_slice(args);
        all.extend(["--database", db]);
        let out = Command::new(env!("CARGO_BIN_EXE_qyzmet"))
            .args(&all)
            .env_remove("QYZMET_DATABASE_URL")
            .env("USER", "ops.night")
            .env("LANG", "en_US.UTF-8")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run qyzmet");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (code, out, err) = run(&["block", "--username", "op1", "--reason", "left the agency"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("op1\toperator\tAKIM-AST\tblocked"), "{out}");
    let (code, _, err) = run(&["block", "--username", "op1", "--reason", " "]);
    assert_eq!(code, Some(2), "a reason is required: {err}");
    assert!(err.contains("\"reason\""), "{err}");
    let (code, _, err) = run(&["block", "--username", "nobody", "--reason", "x"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("user_not_found"), "{err}");
    let (_, listing, _) = run(&["users"]);
    assert!(
        listing.contains("op1\toperator\tAKIM-AST\tblocked\t-"),
        "{listing}"
    );
    let (code, out, _) = run(&["unblock", "--username", "op1"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("\tactive"), "{out}");
    let (code, _, _) = run(&["unlock", "--username", "op1"]);
    assert_eq!(code, Some(0));

    let (code, _, err) = run(&[
        "set-role",
        "--username",
        "op1",
        "--role",
        "analyst",
        "--org",
        "AKIM-AST",
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("organization_not_allowed"), "{err}");
    let (code, out, err) = run(&[
        "set-role",
        "--username",
        "op1",
        "--role",
        "supervisor",
        "--org",
        "AKIM-AST",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("op1\tsupervisor\tAKIM-AST"), "{out}");
    let (code, _, err) = run(&[
        "set-profile",
        "--username",
        "op1",
        "--full-name",
        "Айгерім Сейітова",
        "--position",
        "Бас маман",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let (code, _, _) = run(&[
        "set-profile",
        "--username",
        "op1",
        "--position",
        "Бөлім басшысы",
    ]);
    assert_eq!(code, Some(0));
    let (_, listing, _) = run(&["users"]);
    assert!(
        listing.contains("\tАйгерім Сейітова\tБөлім басшысы"),
        "an option not given keeps its value: {listing}"
    );

    let (code, out, err) = run(&["reset-password", "--username", "op1"]);
    assert_eq!(code, Some(0), "{err}");
    let temporary = out
        .lines()
        .find_map(|l| l.strip_prefix("temporary password: "))
        .expect("the temporary password, printed once");
    assert_eq!(temporary.len(), 19, "{out}");
    assert!(out.contains("must change password"), "{out}");
    let typed = qyzmet_with_input(
        &[
            "admin",
            "reset-password",
            "--username",
            "op1",
            "--password-stdin",
            "--database",
            db,
        ],
        "short\n",
    );
    assert_eq!(typed.status.code(), Some(2), "the password rules hold");
    let (_, listing, _) = run(&["users"]);
    assert!(!listing.contains("argon2") && !listing.contains(temporary));

    // Audited as the operating-system user.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let store = rt
        .block_on(qyzmet_store::Store::connect(db, &Default::default()))
        .unwrap();
    let id = rt.block_on(store.user_id("op1")).unwrap().unwrap();
    let audit = rt
        .block_on(store.audit_of(&format!("user:{id}"), 100))
        .unwrap();
    rt.block_on(store.close());
    for action in [
        "user.block",
        "user.unblock",
        "user.role",
        "user.profile",
        "user.password_reset",
    ] {
        assert!(
            audit
                .iter()
                .any(|e| e.action == action && e.actor == "cli:ops.night"),
            "{action}: {audit:?}"
        );
    }
    assert!(
        !audit.iter().any(|e| e.action == "user.unlock"),
        "unlocking an account not locked changes nothing"
    );
}

/// The command-line account flow on the database `db`; returns the administrator's password.
fn admin_create_user(db: &str) -> String {
    let db = db.to_string();
    let out = qyzmet(&[
        "demo",
        "generate",
        "--applications",
        "5",
        "--quiet",
        "--database",
        &db,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let create = |user: &str, role: &str, org: Option<&str>, password: &str| {
        let mut args = vec![
            "admin",
            "create-user",
            "--username",
            user,
            "--role",
            role,
            "--password-stdin",
            "--database",
            &db,
        ];
        if let Some(o) = org {
            args.extend(["--org", o]);
        }
        let out = qyzmet_with_input(&args, &format!("{password}\n"));
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let secret = "Qyzmet-first-admin-2026";
    let (code, text) = create("Root.Admin", "administrator", None, secret);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("root.admin"), "{text}");
    let (code, text) = create("root.admin", "analyst", None, "another long password");
    assert_eq!(code, Some(1), "a taken username: {text}");
    let (code, text) = create("op1", "operator", None, "another long password");
    assert_eq!(code, Some(2), "an operator needs an organization: {text}");
    assert!(text.contains("--org"), "{text}");
    let (code, _) = create("an1", "analyst", Some("AKIM-AST"), "another long password");
    assert_eq!(code, Some(2), "an analyst sees all organizations");
    let (code, text) = create("op1", "operator", Some("AKIM-AST"), "short");
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("12"), "{text}");
    let (code, _) = create("op1", "operator", Some("NOWHERE"), "another long password");
    assert_ne!(code, Some(0), "an unknown organization");
    let (code, text) = create("op1", "operator", Some("AKIM-AST"), "another long password");
    assert_eq!(code, Some(0), "{text}");
    let (code, _) = create("op2", "chief", Some("AKIM-AST"), "another long password");
    assert_ne!(code, Some(0), "an unknown role");

    let out = qyzmet(&["admin", "users", "--database", &db]);
    let listing = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        listing.contains("root.admin\tadministrator\t-"),
        "{listing}"
    );
    assert!(listing.contains("op1\toperator\tAKIM-AST"), "{listing}");
    assert_eq!(listing.lines().count(), 2, "{listing}");
    assert!(!listing.contains("argon2"), "hashes are never listed");
    secret.to_string()
}

/// Signing in (issue 4): wrong passwords counted, the fifth in a row locks the account for
/// 15 minutes (even the right password is refused meanwhile), sessions live in the database,
/// expire, and close on sign-out.
/// A sign-in of analyst.1 with a wrong password at `at`.
async fn wrong(
    store: &qyzmet_store::Store,
    hashing: &qyzmet_server::hashing::Hashing,
    at: jiff::Timestamp,
) -> Result<qyzmet_server::app::accounts::SignedIn, qyzmet_server::app::accounts::SignInError> {
    qyzmet_server::app::accounts::sign_in(
        store,
        hashing,
        "analyst.1",
        "wrong password!",
        "127.0.0.1",
        at,
    )
    .await
}

async fn sign_in_flow(db: &str) {
    use jiff::{SignedDuration, Timestamp};
    use qyzmet_server::app::accounts::{self, SignInError};
    let cfg = qyzmet_server::config::Config {
        database_url: db.to_string(),
        ..Default::default()
    };
    let store = qyzmet_server::open_store(&cfg).await.unwrap();
    let hashing = qyzmet_server::hashing_pool(&cfg);
    let now = Timestamp::now();
    let pw = "a long enough password";
    accounts::create_user(
        &store,
        "analyst.1",
        qyzmet_store::UserRole::Analyst,
        None,
        pw,
        "test",
        now,
    )
    .await
    .unwrap();
    let unknown = accounts::sign_in(&store, &hashing, "nobody", pw, "127.0.0.1", now).await;
    assert!(matches!(unknown, Err(SignInError::Invalid)), "{unknown:?}");
    for i in 1..accounts::LOCK_AFTER {
        let r = wrong(&store, &hashing, now).await;
        assert!(matches!(r, Err(SignInError::Invalid)), "attempt {i}: {r:?}");
    }
    let r = wrong(&store, &hashing, now).await;
    assert!(matches!(r, Err(SignInError::Locked)), "{r:?}");
    let r = accounts::sign_in(&store, &hashing, "Analyst.1", pw, "127.0.0.1", now).await;
    assert!(
        matches!(r, Err(SignInError::Locked)),
        "locked even with the right password: {r:?}"
    );
    let later = now + SignedDuration::from_mins(16);
    let signed = accounts::sign_in(&store, &hashing, "Analyst.1", pw, "127.0.0.1", later)
        .await
        .unwrap();
    let session = accounts::session(&store, &signed.secret, later)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(session.user.username, "analyst.1");
    assert_eq!(session.csrf_token, signed.csrf_token);
    assert!(accounts::session(&store, "forged", later)
        .await
        .unwrap()
        .is_none());
    let expired = later + SignedDuration::from_hours(13);
    assert!(accounts::session(&store, &signed.secret, expired)
        .await
        .unwrap()
        .is_none());
    assert!(accounts::sign_out(&store, &signed.secret, later)
        .await
        .unwrap());
    assert!(accounts::session(&store, &signed.secret, later)
        .await
        .unwrap()
        .is_none());
    // A success resets the count: four more failures do not lock.
    for _ in 1..accounts::LOCK_AFTER {
        let r = wrong(&store, &hashing, later).await;
        assert!(matches!(r, Err(SignInError::Invalid)), "{r:?}");
    }
    store.close().await;
}

#[test]
fn sign_in_locks_out_and_sessions_expire_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("q.db").display());
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(sign_in_flow(&db));
}

#[test]
fn sign_in_locks_out_and_sessions_expire_postgres() {
    with_postgres_database(|db| {
        tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(sign_in_flow(db))
    });
}

/// `qyzmet report violations`: the month's report to a file or standard output, in every
/// format; the organizations' own figures and the services' add up to the same total.
#[test]
fn report_violations_writes_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_database(&dir, 400);
    // Last month: the demo's applications are spread over the days before now.
    let today = jiff::Zoned::now().date();
    let last = today.first_of_month().yesterday().unwrap();
    let month = format!("{:04}-{:02}", last.year(), last.month());
    let args = |format: &'static str, out: &str| -> Vec<String> {
        [
            "report",
            "violations",
            "--month",
            &month,
            "--format",
            format,
            "--out",
            out,
            "--database",
            &db,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let run = |a: Vec<String>| {
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        qyzmet(&a)
    };
    let out = run(args("json", "-"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["month"], month.as_str());
    let sum = |rows: &serde_json::Value, key: &str| -> i64 {
        rows.as_array()
            .unwrap()
            .iter()
            .map(|r| r[key]["due"].as_i64().unwrap())
            .sum()
    };
    let own = sum(&v["organizations"], "own");
    assert!(own > 0, "the demo has applications due last month: {v}");
    assert_eq!(own, sum(&v["services"], "figures"));
    let roots: i64 = v["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["parent"].is_null())
        .map(|o| o["total"]["due"].as_i64().unwrap())
        .sum();
    assert_eq!(
        roots, own,
        "the roots' totals cover every organization once"
    );

    // A rebuild of the rollups from the applications gives the same report.
    let rebuilt = qyzmet(&["report", "rebuild-rollups", "--database", &db]);
    assert!(
        rebuilt.status.success(),
        "{}",
        String::from_utf8_lossy(&rebuilt.stderr)
    );
    assert!(
        String::from_utf8_lossy(&rebuilt.stderr).contains("rollups rebuilt from 400 applications")
    );
    let again = json(&run(args("json", "-")));
    assert_eq!(again["organizations"], v["organizations"]);
    assert_eq!(again["services"], v["services"]);

    let xlsx = dir.path().join("r.xlsx");
    let out = run(args("xlsx", xlsx.to_str().unwrap()));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&xlsx).unwrap();
    assert_eq!(&bytes[..2], b"PK", "an .xlsx is a zip archive");
    let csv = dir.path().join("r.csv");
    let out = run(args("csv", csv.to_str().unwrap()));
    assert!(out.status.success());
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.lines().nth(1).unwrap().starts_with("Жол,Коды"),
        "headed in Kazakh by default: {text}"
    );

    let bad = qyzmet(&[
        "report",
        "violations",
        "--month",
        "2026-13",
        "--out",
        "-",
        "--database",
        &db,
    ]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--month"));
    let bad = run(args("pdf", "-"));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--format"));
}

/// `qyzmet catalogue export|import` (issue 17, point 2): the demo registry's catalogue as CSV
/// loads into an empty database and exports again the same; a second import changes nothing;
/// a broken row is named and nothing is written (exit 2).
#[test]
fn the_catalogue_is_exported_and_imported_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let source = demo_database(&dir, 1);
    let csv = dir.path().join("catalogue.csv");
    let csv = csv.to_str().unwrap();
    let out = qyzmet(&[
        "catalogue",
        "export",
        "--format",
        "csv",
        csv,
        "--database",
        &source,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let target = format!("sqlite://{}", dir.path().join("empty.db").display());
    let out = qyzmet(&["migrate", "--database", &target]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dry = qyzmet(&[
        "catalogue",
        "import",
        csv,
        "--dry-run",
        "--database",
        &target,
    ]);
    assert!(
        dry.status.success(),
        "{}",
        String::from_utf8_lossy(&dry.stderr)
    );
    assert!(String::from_utf8_lossy(&dry.stdout).contains("services\t44 created"));
    for expected in [
        "services\t44 created",
        "services\t0 created\t0 changed\t44 unchanged",
    ] {
        let out = qyzmet(&["catalogue", "import", csv, "--database", &target]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(expected), "{text}");
    }
    let again = dir.path().join("again.csv");
    let again = again.to_str().unwrap();
    let out = qyzmet(&[
        "catalogue",
        "export",
        "--format",
        "csv",
        again,
        "--database",
        &target,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = |p: &str| -> Vec<String> {
        std::fs::read_to_string(p)
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with("catalogue,"))
            .map(str::to_string)
            .collect()
    };
    assert!(rows(csv) == rows(again), "the same catalogue");

    let text = std::fs::read_to_string(csv).unwrap();
    let broken = text.replacen("\nservice,", "\nservice,,", 1);
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, broken).unwrap();
    let out = qyzmet(&[
        "catalogue",
        "import",
        bad.to_str().unwrap(),
        "--database",
        &target,
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing written"));
}
