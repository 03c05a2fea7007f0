//! README.md's "API quick start", run as written (issue 16, B.12), on SQLite and on
//! PostgreSQL: the real `qyzmet serve --demo` on a fresh database, then the block's lines in
//! bash, stopping at the first command that fails. Two things differ from a newcomer's
//! terminal: the block's `qyzmet` shell function runs the binary under test instead of
//! `cargo run`, and `QYZMET_URL` (which the block keeps when set) names the server's port.

mod common;

use common::{postgres_base_url, postgres_database, Server, TestDb};
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// The README's definition of the `qyzmet` function, which the test replaces.
const DEFINITION: &str = r#"qyzmet() { cargo run -q --release --bin qyzmet -- "$@"; }"#;

const README: &str = include_str!("../../../README.md");

/// The ```sh block of the section "API quick start", with its `qyzmet` function running the
/// binary under test.
fn quick_start() -> String {
    let section = README
        .split_once("## API quick start\n")
        .expect("README has the section \"API quick start\"")
        .1;
    let block = section
        .split_once("```sh\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .expect("the section has a ```sh block")
        .0;
    let definitions = block.lines().filter(|l| l.starts_with(DEFINITION)).count();
    assert_eq!(
        definitions, 1,
        "the quick start defines `qyzmet` once, as {DEFINITION}"
    );
    block
        .lines()
        .map(|l| {
            if l.starts_with(DEFINITION) {
                r#"qyzmet() { "$QYZMET_BIN" "$@"; }"#
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_qyzmet_function_is_defined_before_its_first_use() {
    let defined = README.find(DEFINITION).expect("README defines `qyzmet`");
    let used = README.find("`qyzmet ").expect("README uses `qyzmet`");
    assert!(
        defined < used,
        "README uses `qyzmet` (at byte {used}) before it defines the function (at byte {defined})"
    );
}

/// The environment the server and the block's commands share: the database, and the
/// node's files in `dir` (the ledger key; `--demo` writes its accounts beside it).
fn environment(command: &mut Command, url: &str, dir: &Path) {
    command
        .env("QYZMET_DATABASE_URL", url)
        .env("QYZMET_LEDGER_KEY_FILE", dir.join("ledger-key.pem"))
        .env("QYZMET_CRL_CACHE_DIR", dir.join("crl-cache"))
        .env("QYZMET_CRL_FETCH", "false")
        .env("RUST_LOG", "error");
}

/// Starts `qyzmet serve --demo` on `url` and waits until the demo data is loaded and the
/// server is ready (a few seconds; minutes on a busy machine).
async fn serve_demo(url: &str, dir: &Path) -> Server {
    let log = dir.join("server.log");
    Server::start(
        &["--demo"],
        |c| {
            environment(c.current_dir(dir), url, dir);
        },
        Some(&log),
        Duration::from_secs(600),
    )
    .await
}

async fn the_quick_start_runs_as_written(db: &TestDb) {
    let dir = tempfile::tempdir().expect("temp dir");
    let server = serve_demo(&db.url, dir.path()).await;
    // The block's own variables, read back for the checks below.
    let script = format!(
        "set -euo pipefail\n{}\nprintf '\\nquick-start %s %s %s\\n' \"$NUMBER\" \"$ADMIN\" \"$MONTH\"\n",
        quick_start()
    );
    let mut command = Command::new("bash");
    command
        .arg("-c")
        .arg(&script)
        .current_dir(dir.path())
        .env("QYZMET_BIN", env!("CARGO_BIN_EXE_qyzmet"))
        .env("QYZMET_URL", &server.base);
    environment(&mut command, &db.url, dir.path());
    // The server is another process: the commands may block this thread.
    let out = command.output().expect("bash");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "a command of README's quick start failed ({}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let last = stdout.lines().last().unwrap_or_default();
    let [number, admin, month] = last
        .strip_prefix("quick-start ")
        .map(|rest| rest.split(' ').collect::<Vec<_>>())
        .and_then(|v| <[&str; 3]>::try_from(v).ok())
        .unwrap_or_else(|| panic!("the block's variables: {last:?}"));

    // The application went through the stages the block records.
    let client = reqwest::Client::new();
    let get = |path: String| {
        let request = client
            .get(format!("{}{path}", server.base))
            .bearer_auth(admin);
        async move {
            let resp = request.send().await.expect("request");
            assert!(resp.status().is_success(), "{path}: {}", resp.status());
            resp.json::<Value>().await.expect("JSON")
        }
    };
    let app = get(format!("/api/v1/applications/{number}")).await;
    assert_eq!(
        (&app["stage"], &app["outcome"], &app["planned_date"]),
        (
            &Value::from("closed"),
            &Value::from("issued"),
            &Value::from("2026-12-07")
        ),
        "{app}"
    );
    // The list printed the Astana akimat's open overdue applications, as many as the API
    // finds (the demo may have none there), and the report's month lies inside the demo data.
    let listed = |line: &&str| {
        let fields: Vec<&str> = line.split('\t').collect();
        fields.len() == 5
            && fields[0].len() == 16
            && fields[0].matches('-').count() == 3
            && fields[4] != "closed"
    };
    let open_overdue = get(
        "/api/v1/applications?organization=AKIM-AST&pending=true&overdue=true&sort=due&limit=20"
            .into(),
    )
    .await;
    assert_eq!(
        stdout.lines().filter(listed).count(),
        open_overdue["items"].as_array().map_or(0, Vec::len),
        "the open overdue applications listed:\n{stdout}"
    );
    let report = get(format!("/api/v1/reports/violations?month={month}")).await;
    let due: i64 = report["organizations"]
        .as_array()
        .expect("organizations")
        .iter()
        .filter(|o| o["parent"].is_null())
        .map(|o| o["total"]["due"].as_i64().unwrap_or(0))
        .sum();
    assert!(due > 0, "the month {month} has no demo applications");
    assert!(
        stdout.lines().any(|l| l.starts_with("AKIM-AST\t")),
        "the report's rows were not printed:\n{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quick_start_runs_as_written_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = TestDb {
        url: format!("sqlite://{}", dir.path().join("qyzmet.db").display()),
        pg: None,
    };
    the_quick_start_runs_as_written(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quick_start_runs_as_written_postgres() {
    let Some(base) = postgres_base_url() else {
        eprintln!("skipping: QYZMET_TEST_POSTGRES_URL is not set");
        return;
    };
    let db = postgres_database(&base, None).await;
    the_quick_start_runs_as_written(&db).await;
}
