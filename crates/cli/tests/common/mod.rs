//! What the command's tests share: databases they own on SQLite or on the PostgreSQL server
//! named by `QYZMET_TEST_POSTGRES_URL` (dropped when done), and the binary itself.

#![allow(dead_code)] // each test file uses its own part

use qyzmet_store::Store;
use std::process::Command;

/// A database of the test: a SQLite file, or a PostgreSQL database dropped when this is.
pub struct TestDb {
    pub url: String,
    pub pg: Option<(String, String)>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((base, name)) = self.pg.take() {
            // Drop runs outside the test's runtime (and on panic): a thread with its own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    let admin = Store::connect(&base, &Default::default())
                        .await
                        .expect("connect to drop a test database");
                    admin
                        .execute_raw(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await
                        .expect("drop test database");
                    admin.close().await;
                });
            })
            .join();
        }
    }
}

/// The PostgreSQL server of the tests; `None` (outside CI) when none is configured.
pub fn postgres_base_url() -> Option<String> {
    match std::env::var("QYZMET_TEST_POSTGRES_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            assert!(
                std::env::var("CI").is_err(),
                "CI=true but QYZMET_TEST_POSTGRES_URL is not set: the PostgreSQL suite may not be skipped"
            );
            None
        }
    }
}

/// The URL of database `name` on the server of `base`.
pub fn pg_url(base: &str, name: &str) -> String {
    let (head, query) = match base.split_once('?') {
        Some((h, q)) => (h.to_string(), format!("?{q}")),
        None => (base.to_string(), String::new()),
    };
    let root = head
        .rsplit_once('/')
        .map(|(r, _)| r.to_string())
        .unwrap_or(head);
    format!("{root}/{name}{query}")
}

/// A new, empty PostgreSQL database on the server of `base`, or a copy of `template`.
pub async fn postgres_database(base: &str, template: Option<&TestDb>) -> TestDb {
    let name = format!("qyzmet_t_{}", uuid::Uuid::new_v4().simple());
    let admin = Store::connect(base, &Default::default())
        .await
        .expect("connect to the PostgreSQL test server");
    let sql = match template {
        Some(t) => format!(
            "CREATE DATABASE {name} TEMPLATE {}",
            t.pg.as_ref().map(|p| p.1.as_str()).unwrap_or_default()
        ),
        None => format!("CREATE DATABASE {name}"),
    };
    admin.execute_raw(&sql).await.expect("create test database");
    admin.close().await;
    TestDb {
        url: pg_url(base, &name),
        pg: Some((base.to_string(), name)),
    }
}

/// Runs `qyzmet` with `args` (no database or key from the environment): exit code, stdout,
/// stderr.
pub fn qyzmet(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_qyzmet"))
        .args(args)
        .env_remove("QYZMET_DATABASE_URL")
        .env_remove("QYZMET_LEDGER_KEY_FILE")
        .output()
        .expect("run qyzmet");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A running `qyzmet serve`, killed when dropped.
pub struct Server {
    pub child: std::process::Child,
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `qyzmet serve` with `args` and `--listen` on a free port, its environment set by
    /// `env`, and waits until it answers `/readyz`: at most `patience`, and no longer than
    /// the process lives (its stderr, kept in `log` when given, then says why).
    pub async fn start(
        args: &[&str],
        env: impl FnOnce(&mut Command),
        log: Option<&std::path::Path>,
        patience: std::time::Duration,
    ) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut command = Command::new(env!("CARGO_BIN_EXE_qyzmet"));
        command
            .arg("serve")
            .args(args)
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .stdout(std::process::Stdio::null())
            .stderr(match log {
                Some(path) => std::fs::File::create(path).expect("server log").into(),
                None => std::process::Stdio::null(),
            });
        env(&mut command);
        let mut server = Server {
            child: command.spawn().expect("start qyzmet serve"),
            base: format!("http://127.0.0.1:{port}"),
        };
        let client = reqwest::Client::new();
        let started = std::time::Instant::now();
        while started.elapsed() < patience {
            if let Some(status) = server.child.try_wait().expect("the server's status") {
                let said = log
                    .and_then(|p| std::fs::read_to_string(p).ok())
                    .unwrap_or_default();
                panic!("qyzmet serve {args:?} ended ({status}):\n{said}");
            }
            if let Ok(r) = client.get(format!("{}/readyz", server.base)).send().await {
                if r.status().is_success() {
                    return server;
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("qyzmet serve {args:?} did not become ready in {patience:?}");
    }
}
