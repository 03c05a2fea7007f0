//! The shared test harness: a real server on a random port over a fresh database — a
//! temporary SQLite file, or a new database on the PostgreSQL server named by
//! `QYZMET_TEST_POSTGRES_URL` (the test script starts a throwaway cluster when none is given).

use qyzmet_domain::ids;
use qyzmet_server::config::Config;
use qyzmet_store::{InformationSystem, LocalizedName, Store};
use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio::sync::oneshot;

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub store: Store,
    /// The database's URL, as the test reaches it (directly).
    pub database_url: String,
    pub admin: String,
    /// The configuration the server was started with (to open its database again).
    pub config: Config,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
    _dir: Option<tempfile::TempDir>,
    /// The CRL cache and the ledger key of this server.
    _scratch: tempfile::TempDir,
}

/// The first valid 12-digit id whose 11-digit prefix `prefix(serial)` makes, trying serials
/// upward (some prefixes are never issued).
fn with_check_digit(mut serial: u32, prefix: impl Fn(u32) -> String) -> String {
    loop {
        let p = prefix(serial);
        let digits: Vec<u8> = p.bytes().map(|c| c - b'0').collect();
        if let Some(c) = digits
            .try_into()
            .ok()
            .and_then(|d: [u8; 11]| ids::check_digit(&d))
        {
            return format!("{p}{c}");
        }
        serial += 1;
    }
}

/// A valid BIN with the given serial (MISSION "IIN and BIN").
pub fn bin(serial: u32) -> String {
    with_check_digit(serial, |s| format!("240140{:05}", s % 100_000))
}

/// A valid IIN from a serial (born 1990-01-01, male).
pub fn iin(serial: u32) -> String {
    with_check_digit(serial, |s| format!("9001013{:04}", s % 10_000))
}

fn postgres_base_url() -> Option<String> {
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

impl TestApp {
    pub async fn sqlite() -> TestApp {
        Self::sqlite_with(|_| {}).await
    }

    /// On SQLite, with the configuration adjusted by `adjust`.
    pub async fn sqlite_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("qyzmet.db").display());
        Self::start(url, Some(dir), adjust).await
    }

    /// `None` (and a note on stderr) when no PostgreSQL is configured outside CI.
    pub async fn postgres() -> Option<TestApp> {
        Self::postgres_with(|_| {}).await
    }

    /// On PostgreSQL, with the configuration adjusted by `adjust`.
    pub async fn postgres_with(adjust: impl FnOnce(&mut Config)) -> Option<TestApp> {
        Self::postgres_routed(adjust, str::to_string).await
    }

    /// On PostgreSQL, the server reaching its database at the URL `route` makes of it (e.g.
    /// through a proxy); the test's own `store` connects directly.
    pub async fn postgres_routed(
        adjust: impl FnOnce(&mut Config),
        route: impl FnOnce(&str) -> String,
    ) -> Option<TestApp> {
        let Some(base) = postgres_base_url() else {
            eprintln!("skipping: QYZMET_TEST_POSTGRES_URL is not set (run scripts/test to get a throwaway cluster)");
            return None;
        };
        let name = format!("qyzmet_t_{}", uuid::Uuid::new_v4().simple());
        let admin = Store::connect(&base, &Default::default())
            .await
            .expect("connect to the PostgreSQL test server");
        if let Store::Postgres(_) = &admin {
            admin
                .execute_raw(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
        }
        admin.close().await;
        let (head, query) = match base.split_once('?') {
            Some((h, q)) => (h.to_string(), format!("?{q}")),
            None => (base.clone(), String::new()),
        };
        let root = head
            .rsplit_once('/')
            .map(|(r, _)| r.to_string())
            .unwrap_or(head);
        let url = format!("{root}/{name}{query}");
        let routed = route(&url);
        Some(Self::start_routed(url, routed, None, adjust).await)
    }

    async fn start(
        url: String,
        dir: Option<tempfile::TempDir>,
        adjust: impl FnOnce(&mut Config),
    ) -> TestApp {
        Self::start_routed(url.clone(), url, dir, adjust).await
    }

    async fn start_routed(
        url: String,
        server_url: String,
        dir: Option<tempfile::TempDir>,
        adjust: impl FnOnce(&mut Config),
    ) -> TestApp {
        let scratch = tempfile::tempdir().expect("temp dir");
        let mut config = Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            database_url: url,
            sweep_interval_secs: 3600,
            calendar_poll_secs: 3600,
            max_connections: 4,
            crl_cache_dir: scratch.path().join("crl-cache"),
            ledger_key_file: scratch.path().join("ledger-key.pem"),
            ..Config::default()
        };
        adjust(&mut config);
        let store = qyzmet_server::open_store(&config)
            .await
            .expect("open store");
        let database_url = config.database_url.clone();
        let server_store = if server_url == config.database_url {
            store.clone()
        } else {
            config.database_url = server_url;
            qyzmet_server::open_store(&config)
                .await
                .expect("open the server's store")
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = oneshot::channel::<()>();
        let server_config = config.clone();
        let server = tokio::spawn(async move {
            qyzmet_server::serve(listener, server_config, server_store, async {
                let _ = rx.await;
            })
            .await
            .expect("server");
        });
        let admin = qyzmet_server::app::accounts::tokens::generate_token();
        store
            .create_token(
                &qyzmet_server::app::accounts::tokens::hash_token(&admin),
                None,
                true,
                "test admin",
                jiff::Timestamp::now(),
            )
            .await
            .unwrap();
        TestApp {
            base,
            client: reqwest::Client::new(),
            store,
            database_url,
            admin,
            config,
            shutdown: Some(tx),
            server: Some(server),
            _dir: dir,
            _scratch: scratch,
        }
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.server.take() {
            let _ = h.await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn token_for(&self, org: &str) -> String {
        let secret = qyzmet_server::app::accounts::tokens::generate_token();
        let code = ids::OrgCode::parse(org).unwrap();
        self.store
            .create_token(
                &qyzmet_server::app::accounts::tokens::hash_token(&secret),
                Some(&code),
                false,
                org,
                jiff::Timestamp::now(),
            )
            .await
            .unwrap();
        secret
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        token: Option<&str>,
        path: &str,
        body: Option<&Value>,
        lang: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut req = self.client.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(l) = lang {
            req = req.header("Accept-Language", l);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status();
        let text = resp.text().await.unwrap_or_default();
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value)
    }

    pub async fn post(&self, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(
            reqwest::Method::POST,
            Some(token),
            path,
            Some(&body),
            Some("en"),
        )
        .await
    }

    pub async fn get(&self, token: &str, path: &str) -> (StatusCode, Value) {
        self.send(reqwest::Method::GET, Some(token), path, None, Some("en"))
            .await
    }

    /// A small registry: a ministry with a committee and two territorial units, an akimat
    /// with an archive department, a State Corporation branch, and services of every unit.
    pub async fn seed(&self) {
        for sys in ["egov_gateway", "archive_is"] {
            self.store
                .upsert_information_system(&InformationSystem {
                    code: sys.into(),
                    name: LocalizedName {
                        kk: sys.into(),
                        ru: sys.into(),
                        en: sys.into(),
                    },
                    operator: "NIT".into(),
                })
                .await
                .unwrap();
        }
        let orgs = [
            ("MIN", None, "central_state_body", "09:00-18:30"),
            ("MIN-COM", Some("MIN"), "department", "09:00-18:30"),
            (
                "MIN-AST",
                Some("MIN-COM"),
                "territorial_unit",
                "09:00-18:30",
            ),
            (
                "MIN-ALA",
                Some("MIN-COM"),
                "territorial_unit",
                "09:00-18:30",
            ),
            ("AKIM", None, "local_executive_body", "09:00-18:00"),
            ("AKIM-ARC", Some("AKIM"), "department", "09:00-18:00"),
            ("GOV-1", None, "state_corp_branch", "09:00-18:00"),
        ];
        for (i, (code, parent, kind, hours)) in orgs.iter().enumerate() {
            let (s, body) = self
                .post(
                    &self.admin,
                    "/api/v1/organizations",
                    json!({"code": code, "parent": parent, "kind": kind, "bin": bin(100 + i as u32 * 7),
                           "name": {"kk": format!("{code} kk"), "ru": format!("{code} ru"), "en": format!("{code} en")},
                           "working_hours": hours}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{body}");
        }
        let services = [
            (
                // The ministry's: every unit of its tree delivers it (issue 16 B.5).
                "SVC-WD5",
                "MIN",
                json!([{"variant": "standard", "amount": 5, "unit": "working_days"}]),
                false,
            ),
            (
                // The akimat's: its archive department delivers it.
                "ARCH-001",
                "AKIM",
                json!([{"variant": "standard", "amount": 15, "unit": "calendar_days"},
                                             {"variant": "archive_request", "amount": 30, "unit": "calendar_days"}]),
                false,
            ),
            (
                // The committee's: both its territorial units deliver these three.
                "SVC-H2",
                "MIN-COM",
                json!([{"variant": "standard", "amount": 2, "unit": "hours"}]),
                false,
            ),
            (
                "SVC-M30",
                "MIN-COM",
                json!([{"variant": "standard", "amount": 30, "unit": "minutes"}]),
                false,
            ),
            (
                "SVC-WD1C",
                "MIN-COM",
                json!([{"variant": "standard", "amount": 1, "unit": "working_days"}]),
                true,
            ),
        ];
        for (code, org, terms, counted) in services {
            let (s, body) = self
                .post(
                    &self.admin,
                    "/api/v1/services",
                    json!({"code": code, "organization": org, "terms": terms, "acceptance_day_counted": counted,
                           "channels": ["provider", "state_corp", "portal"], "depends_on": ["egov_gateway"],
                           "name": {"kk": format!("{code} kk"), "ru": format!("{code} ru"), "en": format!("{code} en")}}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{body}");
        }
    }

    /// Registers an application and returns its JSON.
    pub async fn register(
        &self,
        token: &str,
        service: &str,
        place: &str,
        accepted_at: &str,
    ) -> Value {
        let (s, body) = self
            .post(
                token,
                "/api/v1/applications",
                json!({"service_code": service, "applicant": {"iin": iin(17), "last_name": "Ахметов", "first_name": "Айбек"},
                       "channel": "provider", "acceptance_place": place, "executor": place, "accepted_at": accepted_at}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
        body
    }

    pub async fn event(&self, token: &str, number: &str, body: Value) -> (StatusCode, Value) {
        self.post(
            token,
            &format!("/api/v1/applications/{number}/events"),
            body,
        )
        .await
    }
}

/// A stage event body with a fresh id.
pub fn stage(stage: &str, at: &str) -> Value {
    json!({"id": uuid::Uuid::new_v4().to_string(), "type": "stage", "stage": stage, "occurred_at": at})
}

/// Runs each case against SQLite and PostgreSQL: `both!(case_a, case_b)` makes
/// `sqlite::case_a`, `postgres::case_a`, …
#[macro_export]
macro_rules! both {
    (with $cfg:ident; $($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let app = $crate::support::TestApp::sqlite_with(super::$cfg).await;
                    super::$name(&app).await;
                    app.stop().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(app) = $crate::support::TestApp::postgres_with(super::$cfg).await else { return };
                    super::$name(&app).await;
                    app.stop().await;
                }
            )*
        }
    };
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let app = $crate::support::TestApp::sqlite().await;
                    super::$name(&app).await;
                    app.stop().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(app) = $crate::support::TestApp::postgres().await else { return };
                    super::$name(&app).await;
                    app.stop().await;
                }
            )*
        }
    };
}
