//! Issue 4's figure: the operator inbox (`GET /work`, 50 rows) rendered server-side, end to
//! end over HTTP, against the bare query of the page in the same run — the raw limit.
//!
//! Setup (before any clock starts): the operators' organizations are picked from the data
//! (the biggest executor, the organization below the roots with the widest scope — issue 16:
//! the random data may make another executor the biggest on one backend than on the other, the
//! widest scope is the same —, the organization with the fewest applications in its scope, and
//! the root with the biggest sub-tree), a `bench.<code>` operator is created in each (if missing),
//! and each signs in through `POST /sign-in` as a browser would (the `pre` double-submit
//! cookie, then the session cookie).
//!
//! Per case (an operator and the inbox's query string): `warmup` unmeasured requests, then
//! `requests` sequential requests (one in flight), then `requests` more with `concurrency`
//! in flight; each request's latency is its whole exchange on a keep-alive connection, the
//! body read to its end. Every answer must be 200 with the expected number of rows. Then the
//! bare queries: the list's bounded count (`Store::count_listed`) and its page
//! (`Store::applications_from`) in this process with the same filter, scope, offset and limit
//! (the very statements the page runs, through the same driver, plus the decoding of its 51
//! rows), `requests` times sequentially after the same warm-up. The page's other two queries
//! (its session and every service's name) are timed the same way once.
//!
//! Issue 16 added the search (`q`): by the surname of an application in the operator's scope
//! (the whole surname, upper case), by that applicant's IIN, and by number.

use anyhow::{anyhow, Context};
use jiff::Timestamp;
use qyzmet_domain::ids::OrgCode;
use qyzmet_store::{ApplicationFilter, ListOrder, Scope, Store, UserRole};
use std::collections::HashMap;
use std::time::{Duration, Instant};

pub struct Args {
    pub url: String,
    pub database: String,
    pub requests: usize,
    pub warmup: usize,
    pub concurrency: usize,
    /// The most time one series of one case may take; a slow case is measured on fewer
    /// requests then (the table says how many).
    pub budget: Duration,
    pub password: String,
    /// Only the cases whose label contains one of these (all when empty).
    pub only: Vec<String>,
}

/// An organization an operator works in, and the applications its scope holds.
#[derive(Clone, Debug)]
struct Org {
    id: i64,
    code: String,
    path: String,
    scope_count: i64,
}

/// The inbox's filters as the benchmark sends them.
#[derive(Clone, Debug, Default)]
struct Filters {
    pending: bool,
    overdue: bool,
    page2: bool,
    /// `sort=due`: earliest planned date first.
    due: bool,
    /// The search box's text.
    q: Option<String>,
}

struct Case {
    label: String,
    org: Org,
    filters: Filters,
}

/// Latency percentiles of one series, in milliseconds.
struct Stats {
    n: usize,
    p50: f64,
    p95: f64,
    p99: f64,
    max: f64,
    per_second: f64,
}

fn stats(mut samples: Vec<Duration>, wall: Duration) -> Stats {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    // Nearest rank: the smallest sample with at least p% of the samples at or below it.
    let pct = |p: f64| {
        let rank = ((p / 100.0) * samples.len() as f64).ceil() as usize;
        ms(samples[rank.clamp(1, samples.len()) - 1])
    };
    Stats {
        n: samples.len(),
        p50: pct(50.0),
        p95: pct(95.0),
        p99: pct(99.0),
        max: ms(*samples.last().expect("samples")),
        per_second: samples.len() as f64 / wall.as_secs_f64(),
    }
}

/// Every pair of (acceptance path, executor path) with its count: a few thousand rows at
/// most, from which each organization's scope is counted exactly.
async fn path_pairs(database: &str) -> anyhow::Result<Vec<(String, String, i64)>> {
    const SQL: &str =
        "SELECT accept_path, exec_path, COUNT(*) AS n FROM applications GROUP BY accept_path, exec_path";
    Ok(if database.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(database).await?;
        sqlx::query_as(SQL).fetch_all(&pool).await?
    } else {
        let pool = sqlx::SqlitePool::connect(database).await?;
        sqlx::query_as(SQL).fetch_all(&pool).await?
    })
}

/// The operators' organizations: the biggest executor (by applications it executes itself),
/// the organization with the fewest applications in its scope (at least one), the root
/// organization whose sub-tree holds the most, and one with none at all (if any: a unit
/// that has not started yet).
async fn pick_orgs(
    store: &Store,
    database: &str,
) -> anyhow::Result<(Org, Org, Org, Org, Option<Org>)> {
    let mut orgs = Vec::new();
    let mut after = 0;
    loop {
        let page = store.organizations(None, after, 500).await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        orgs.extend(page);
    }
    let pairs = path_pairs(database).await?;
    let mut executed: HashMap<&str, i64> = HashMap::new();
    for (_, exec, n) in &pairs {
        *executed.entry(exec.as_str()).or_default() += n;
    }
    let all: Vec<(Org, bool, i64)> = orgs
        .iter()
        .map(|o| {
            let scope_count = pairs
                .iter()
                .filter(|(a, e, _)| a.starts_with(&o.path) || e.starts_with(&o.path))
                .map(|(_, _, n)| n)
                .sum();
            (
                Org {
                    id: o.id,
                    code: o.code.to_string(),
                    path: o.path.clone(),
                    scope_count,
                },
                o.parent_code.is_none(),
                executed.get(o.path.as_str()).copied().unwrap_or(0),
            )
        })
        .collect();
    let big = all
        .iter()
        .max_by_key(|(_, _, ex)| *ex)
        .ok_or_else(|| anyhow!("no organizations"))?
        .0
        .clone();
    let small = all
        .iter()
        .filter(|(o, _, _)| o.scope_count > 0)
        .min_by_key(|(o, _, _)| o.scope_count)
        .ok_or_else(|| anyhow!("no organization has applications"))?
        .0
        .clone();
    let root = all
        .iter()
        .filter(|(_, root, _)| *root)
        .max_by_key(|(o, _, _)| o.scope_count)
        .ok_or_else(|| anyhow!("no root organization"))?
        .0
        .clone();
    // The widest scope below the roots: the one the random data does not decide between two
    // executors of near equal size (the State Corporation's branch in the demo data).
    let wide = all
        .iter()
        .filter(|(_, root, _)| !*root)
        .max_by_key(|(o, _, _)| o.scope_count)
        .ok_or_else(|| anyhow!("no organization below a root"))?
        .0
        .clone();
    let empty = all
        .iter()
        .find(|(o, _, _)| o.scope_count == 0)
        .map(|(o, _, _)| o.clone());
    Ok((big, wide, small, root, empty))
}

fn username(org: &Org) -> String {
    format!("bench.{}", org.code.to_lowercase())
}

/// Creates the operator of `org` unless it exists.
async fn ensure_operator(store: &Store, org: &Org, password: &str) -> anyhow::Result<()> {
    let code = OrgCode::parse(&org.code).map_err(|e| anyhow!("{e:?}"))?;
    match qyzmet_server::app::accounts::create_user(
        store,
        &username(org),
        UserRole::Operator,
        Some(code),
        password,
        "bench",
        Timestamp::now(),
    )
    .await
    {
        Ok(_) => Ok(()),
        Err(qyzmet_server::app::accounts::AccountError::Store(
            qyzmet_store::StoreError::Conflict { .. },
        )) => Ok(()),
        Err(e) => Err(anyhow!("creating {}: {e}", username(org))),
    }
}

/// The value of cookie `name` among a response's `Set-Cookie` headers.
fn set_cookie(resp: &reqwest::Response, name: &str) -> Option<String> {
    resp.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            let (k, rest) = v.split_once('=')?;
            (k.trim() == name).then(|| rest.split(';').next().unwrap_or("").to_string())
        })
}

/// The value of the first `attr="…"` after `marker` in an HTML page, unescaped.
fn attr_after(html: &str, marker: &str, attr: &str) -> Option<String> {
    let at = html.find(marker)?;
    let rest = &html[at..];
    let start = rest.find(&format!("{attr}=\""))? + attr.len() + 2;
    let end = rest[start..].find('"')? + start;
    Some(
        rest[start..end]
            .replace("&amp;", "&")
            .replace("&#x3d;", "="),
    )
}

/// Signs in as a browser does; returns the session cookie's value.
async fn sign_in(
    client: &reqwest::Client,
    url: &str,
    user: &str,
    password: &str,
) -> anyhow::Result<String> {
    let form = client.get(format!("{url}/sign-in")).send().await?;
    let pre_cookie = set_cookie(&form, "qyzmet_pre").context("no qyzmet_pre cookie")?;
    let html = form.text().await?;
    let pre = attr_after(&html, "name=\"pre\"", "value").context("no pre field")?;
    let resp = client
        .post(format!("{url}/sign-in"))
        .header("cookie", format!("qyzmet_pre={pre_cookie}"))
        .form(&[("username", user), ("password", password), ("pre", &pre)])
        .send()
        .await?;
    anyhow::ensure!(
        resp.status().is_redirection(),
        "sign-in of {user} answered {}",
        resp.status()
    );
    set_cookie(&resp, "qyzmet_session").context("no session cookie")
}

/// Fetches one inbox page; returns its HTML after checking the status.
async fn page(client: &reqwest::Client, url: &str, cookie: &str) -> anyhow::Result<String> {
    let resp = client
        .get(url)
        .header("cookie", format!("qyzmet_session={cookie}"))
        .send()
        .await?;
    anyhow::ensure!(resp.status() == 200, "{url} answered {}", resp.status());
    Ok(resp.text().await?)
}

fn rows_in(html: &str) -> usize {
    html.matches("<tr data-number=").count()
}

/// One measured series: every request's latency (failed ones included), how many failed
/// (not 200), and the wall time.
struct Series {
    samples: Vec<Duration>,
    failed: usize,
    wall: Duration,
}

/// Sequential fetches of `url` until `n` are done or `budget` is spent. An answer other than
/// 200 is counted as failed (the server's pool time-out under a slow query answers 500); a
/// 200 must show `rows` rows.
async fn sequential(
    client: &reqwest::Client,
    url: &str,
    cookie: &str,
    n: usize,
    budget: Duration,
    rows: usize,
) -> anyhow::Result<Series> {
    let mut samples = Vec::with_capacity(n);
    let mut failed = 0;
    let start = Instant::now();
    while samples.len() < n && start.elapsed() < budget {
        let t = Instant::now();
        let resp = client
            .get(url)
            .header("cookie", format!("qyzmet_session={cookie}"))
            .send()
            .await?;
        let ok = resp.status() == 200;
        let html = resp.text().await?;
        samples.push(t.elapsed());
        if ok {
            anyhow::ensure!(rows_in(&html) == rows, "{url}: row count changed");
        } else {
            failed += 1;
        }
    }
    Ok(Series {
        samples,
        failed,
        wall: start.elapsed(),
    })
}

/// `n` fetches of `url` (or fewer when `budget` is spent), `concurrency` in flight.
async fn concurrent(
    client: &reqwest::Client,
    url: &str,
    cookie: &str,
    n: usize,
    budget: Duration,
    concurrency: usize,
    rows: usize,
) -> anyhow::Result<Series> {
    let start = Instant::now();
    let mut tasks = Vec::new();
    for t in 0..concurrency {
        let (client, url, cookie) = (client.clone(), url.to_string(), cookie.to_string());
        let share = n / concurrency + usize::from(t < n % concurrency);
        tasks.push(tokio::spawn(async move {
            sequential(&client, &url, &cookie, share, budget, rows).await
        }));
    }
    let mut all = Series {
        samples: Vec::with_capacity(n),
        failed: 0,
        wall: Duration::ZERO,
    };
    for t in tasks {
        let s = t.await??;
        all.samples.extend(s.samples);
        all.failed += s.failed;
    }
    all.wall = start.elapsed();
    Ok(all)
}

/// Sequential calls of an in-process future until `n` are done or `budget` is spent;
/// returns their latencies and the wall time.
async fn timed<F, Fut, T>(
    n: usize,
    budget: Duration,
    mut f: F,
) -> anyhow::Result<(Vec<Duration>, Duration)>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<T>>,
{
    let mut samples = Vec::with_capacity(n);
    let start = Instant::now();
    while samples.len() < n && start.elapsed() < budget {
        let t = Instant::now();
        f().await?;
        samples.push(t.elapsed());
    }
    Ok((samples, start.elapsed()))
}

fn query_string(f: &Filters) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    if let Some(text) = &f.q {
        q.append_pair("q", text);
    }
    if f.pending {
        q.append_pair("pending", "true");
    }
    if f.overdue {
        q.append_pair("overdue", "true");
    }
    if f.due {
        q.append_pair("sort", "due");
    }
    if f.page2 {
        q.append_pair("page", "2");
    }
    let q = q.finish();
    if q.is_empty() {
        String::new()
    } else {
        format!("?{q}")
    }
}

/// What to search for in `org`'s scope: the surname and the IIN/BIN of its newest
/// application, and that application's number.
async fn searches(store: &Store, org: &Org) -> anyhow::Result<Option<(String, String, String)>> {
    let scope = Scope::Organization {
        id: org.id,
        path: org.path.clone(),
    };
    let (items, _) = store
        .applications(&ApplicationFilter::default(), &scope, None, 1)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    Ok(items.first().map(|a| {
        (
            a.applicant.last_name.clone(),
            a.applicant.id.to_string(),
            a.number.to_string(),
        )
    }))
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let store = Store::connect(&args.database, &Default::default()).await?;
    let (big, wide, small, root, empty) = pick_orgs(&store, &args.database).await?;
    let operators: Vec<&Org> = [
        Some(&big),
        Some(&wide),
        Some(&small),
        Some(&root),
        empty.as_ref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    for org in &operators {
        ensure_operator(&store, org, &args.password).await?;
    }
    let big_search = searches(&store, &big).await?;
    let root_search = searches(&store, &root).await?;
    let case = |label: &str, org: &Org, filters: Filters| Case {
        label: format!("{label} ({}, {} in scope)", org.code, org.scope_count),
        org: org.clone(),
        filters,
    };
    let none = Filters::default();
    let mut cases: Vec<Case> = vec![
        case("biggest executor", &big, none.clone()),
        case(
            "biggest executor, page 2",
            &big,
            Filters {
                page2: true,
                ..none.clone()
            },
        ),
        case(
            "biggest executor, pending",
            &big,
            Filters {
                pending: true,
                ..none.clone()
            },
        ),
        case(
            "biggest executor, overdue",
            &big,
            Filters {
                overdue: true,
                ..none.clone()
            },
        ),
        case(
            "biggest executor, due first",
            &big,
            Filters {
                due: true,
                ..none.clone()
            },
        ),
        case(
            "biggest executor, pending, due first",
            &big,
            Filters {
                pending: true,
                due: true,
                ..none.clone()
            },
        ),
        case("widest sub-tree", &wide, none.clone()),
        case(
            "widest sub-tree, pending",
            &wide,
            Filters {
                pending: true,
                ..none.clone()
            },
        ),
        case(
            "widest sub-tree, overdue",
            &wide,
            Filters {
                overdue: true,
                ..none.clone()
            },
        ),
        case("smallest organization", &small, none.clone()),
        case(
            "smallest organization, pending",
            &small,
            Filters {
                pending: true,
                ..none.clone()
            },
        ),
        case(
            "smallest organization, overdue",
            &small,
            Filters {
                overdue: true,
                ..none.clone()
            },
        ),
        case("ministry root", &root, none.clone()),
        case(
            "ministry root, pending",
            &root,
            Filters {
                pending: true,
                ..none.clone()
            },
        ),
    ];
    if let Some(e) = &empty {
        cases.push(case("organization without applications", e, none.clone()));
    }
    for (who, org, found) in [
        ("biggest executor", &big, &big_search),
        ("ministry root", &root, &root_search),
    ] {
        let Some((surname, tax_id, number)) = found else {
            continue;
        };
        for (what, q) in [
            ("search by surname", surname.to_uppercase()),
            ("search by IIN/BIN", tax_id.clone()),
            ("search by number", number.clone()),
        ] {
            cases.push(case(
                &format!("{who}, {what}"),
                org,
                Filters {
                    q: Some(q),
                    ..none.clone()
                },
            ));
        }
    }
    cases
        .retain(|c| args.only.is_empty() || args.only.iter().any(|o| c.label.contains(o.as_str())));

    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(args.concurrency.max(1))
        .build()?;
    let mut sessions: HashMap<String, String> = HashMap::new();
    for org in &operators {
        let cookie = sign_in(&client, &args.url, &username(org), &args.password).await?;
        sessions.insert(org.code.clone(), cookie);
    }

    println!(
        "| case | rows | n | page p50 ms | page p95 ms | page p99 ms | page max ms | page req/s | \
         c{c} n | c{c} p50 ms | c{c} p95 ms | c{c} p99 ms | c{c} req/s | failed | query n | query p50 ms | query p95 ms | query p99 ms |",
        c = args.concurrency
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for c in &cases {
        let cookie = &sessions[&c.org.code];
        let scope = Scope::Organization {
            id: c.org.id,
            path: c.org.path.clone(),
        };
        let search = match &c.filters.q {
            None => None,
            Some(q) => qyzmet_server::app::monitoring::applications::search("q", q)
                .map_err(|e| anyhow!("{}: {e:?}", c.label))?,
        };
        let filter = ApplicationFilter {
            pending: c.filters.pending.then_some(true),
            overdue: c.filters.overdue.then_some(true),
            order: if c.filters.due {
                ListOrder::DueFirst
            } else {
                ListOrder::NewestFirst
            },
            search,
            ..Default::default()
        };
        // Page 2: the page's own "next" link (HTTP), offset 50 (in-process).
        let offset = if c.filters.page2 {
            let first = format!(
                "{}/work{}",
                args.url,
                query_string(&Filters {
                    page2: false,
                    ..c.filters.clone()
                })
            );
            let html = page(&client, &first, cookie).await?;
            let next = attr_after(&html, "rel=\"next\"", "href").context("no next page")?;
            anyhow::ensure!(next.contains("page=2"), "the next link is page 2: {next}");
            50
        } else {
            0
        };
        let url = format!("{}/work{}", args.url, query_string(&c.filters));
        let html = page(&client, &url, cookie).await?;
        let rows = rows_in(&html);
        let (expected, _) = store
            .applications_from(&filter, &scope, None, offset, 50)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        anyhow::ensure!(
            expected.len() == rows,
            "{}: the page shows {rows} rows, the store query {}",
            c.label,
            expected.len()
        );
        let budget = args.budget;
        sequential(&client, &url, cookie, args.warmup, budget / 4, rows).await?;
        let series = sequential(&client, &url, cookie, args.requests, budget, rows).await?;
        let seq_failed = series.failed;
        let seq = stats(series.samples, series.wall);
        let series = concurrent(
            &client,
            &url,
            cookie,
            args.requests,
            budget,
            args.concurrency,
            rows,
        )
        .await?;
        let conc_failed = series.failed;
        let conc = stats(series.samples, series.wall);
        let bare = |n, budget| {
            timed(n, budget, || async {
                store
                    .count_listed(
                        &filter,
                        &scope,
                        qyzmet_server::app::monitoring::applications::COUNT_BOUND,
                        qyzmet_server::app::monitoring::applications::COUNT_BUDGET,
                    )
                    .await
                    .map_err(|e| anyhow!("{e}"))?;
                store
                    .applications_from(&filter, &scope, None, offset, 50)
                    .await
                    .map_err(|e| anyhow!("{e}"))
            })
        };
        bare(args.warmup, budget / 4).await?;
        let (s, wall) = bare(args.requests, budget).await?;
        let q = stats(s, wall);
        println!(
            "| {} | {rows} | {} | {:.2} | **{:.2}** | {:.2} | {:.2} | {:.0} | {} | {:.2} | {:.2} | {:.2} | {:.0} | {} | {} | {:.2} | {:.2} | {:.2} |",
            c.label,
            seq.n,
            seq.p50,
            seq.p95,
            seq.p99,
            seq.max,
            seq.per_second,
            conc.n,
            conc.p50,
            conc.p95,
            conc.p99,
            conc.per_second,
            seq_failed + conc_failed,
            q.n,
            q.p50,
            q.p95,
            q.p99
        );
    }

    // The page's other two queries, in-process: its session, and every service's name.
    let secret = sessions.values().next().expect("a session");
    let hash = qyzmet_server::app::accounts::session_hash(secret);
    let (s, wall) = timed(args.requests, args.budget, || async {
        store
            .session(&hash, Timestamp::now())
            .await
            .map_err(|e| anyhow!("{e}"))
    })
    .await?;
    let sess = stats(s, wall);
    let (s, wall) = timed(args.requests, args.budget, || async {
        store
            .services(None, 0, 500)
            .await
            .map_err(|e| anyhow!("{e}"))
    })
    .await?;
    let svc = stats(s, wall);
    let services = store
        .services(None, 0, 500)
        .await
        .map_err(|e| anyhow!("{e}"))?
        .len();
    println!(
        "\nother queries of every page (in-process, p50/p95/p99 ms): session {:.2}/{:.2}/{:.2}; \
         services ({services}, one page of 500) {:.2}/{:.2}/{:.2}",
        sess.p50, sess.p95, sess.p99, svc.p50, svc.p95, svc.p99
    );
    store.close().await;
    Ok(())
}
