//! A browser without a script engine for the workstation's tests: its cookies, forms sent
//! as a browser sends them, no redirects followed.

use crate::support::TestApp;
use qyzmet_domain::ids::OrgCode;
use qyzmet_store::UserRole;
use reqwest::StatusCode;
use std::collections::HashMap;

pub const PASSWORD: &str = "correct horse battery";

/// A browser without a script engine: its cookies, no redirects followed.
pub struct Browser<'a> {
    app: &'a TestApp,
    client: reqwest::Client,
    pub cookies: HashMap<String, String>,
}

pub struct Page {
    pub status: StatusCode,
    pub location: String,
    pub set_cookies: Vec<String>,
    pub html: String,
    /// `Retry-After`, seconds, when the answer had one.
    pub retry_after: Option<u64>,
}

impl Page {
    /// The value of the first `name="…" value="…"` input.
    pub fn field(&self, name: &str) -> String {
        let key = format!("name=\"{name}\" value=\"");
        let start = self.html.find(&key).map(|i| i + key.len());
        start
            .and_then(|s| {
                self.html[s..]
                    .find('"')
                    .map(|e| self.html[s..s + e].to_string())
            })
            .unwrap_or_default()
    }
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Browser {
            app,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: HashMap::new(),
        }
    }

    pub async fn request(
        &mut self,
        method: reqwest::Method,
        path: &str,
        form: &[(&str, &str)],
    ) -> Page {
        let cookie = self.cookie_header();
        let mut req = self.client.request(method, self.app.url(path));
        if !cookie.is_empty() {
            req = req.header("Cookie", cookie);
        }
        if !form.is_empty() {
            let body: String = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(form)
                .finish();
            req = req
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(body);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status();
        let location = resp
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let retry_after = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        let set_cookies: Vec<String> = resp
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok().map(String::from))
            .collect();
        for c in &set_cookies {
            let pair = c.split(';').next().unwrap_or_default();
            if let Some((k, v)) = pair.split_once('=') {
                if c.contains("Max-Age=0") {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_string(), v.to_string());
                }
            }
        }
        Page {
            status,
            location,
            set_cookies,
            retry_after,
            html: resp.text().await.unwrap_or_default(),
        }
    }

    /// The `Cookie` header of the next request.
    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// A GET answered as the server sent it, for a body of bytes (a file).
    pub async fn raw(&mut self, path: &str) -> reqwest::Response {
        self.client
            .get(self.app.url(path))
            .header("Cookie", self.cookie_header())
            .send()
            .await
            .expect("request")
    }

    pub async fn get(&mut self, path: &str) -> Page {
        self.request(reqwest::Method::GET, path, &[]).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        self.request(reqwest::Method::POST, path, form).await
    }

    pub async fn sign_in(&mut self, username: &str, password: &str) -> Page {
        let form = self.get("/sign-in").await;
        let pre = form.field("pre");
        self.post(
            "/sign-in",
            &[
                ("username", username),
                ("password", password),
                ("pre", &pre),
            ],
        )
        .await
    }

    /// The CSRF token of a page's forms.
    pub async fn csrf(&mut self, path: &str) -> String {
        self.get(path).await.field("csrf")
    }
}

pub async fn user(app: &TestApp, name: &str, role: UserRole, org: Option<&str>) {
    qyzmet_server::app::accounts::create_user(
        &app.store,
        name,
        role,
        org.map(|o| OrgCode::parse(o).unwrap()),
        PASSWORD,
        "test",
        jiff::Timestamp::now(),
    )
    .await
    .unwrap();
}

/// A form's POST as a browser sends it, prepared before and sent when `barrier` lets every
/// sender go at once (concurrency tests): `form` urlencoded, `cookie` as the Cookie header, no
/// redirect followed.
pub async fn post_when_released(
    barrier: std::sync::Arc<tokio::sync::Barrier>,
    url: String,
    cookie: String,
    form: Vec<(&'static str, String)>,
) -> reqwest::Response {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    barrier.wait().await;
    client
        .post(url)
        .header("Cookie", cookie)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("post")
}
