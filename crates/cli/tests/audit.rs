//! `qyzmet audit` against real databases that the tests tamper with, on SQLite and on
//! PostgreSQL: each kind of tampering is caught and named once, by `audit verify` over the
//! database and over a file from `audit export`; an untouched history passes.
//!
//! One history is seeded per backend — imported demo applications, and applications
//! registered and moved through their stages by the live write paths, with signed checkpoints
//! in between — and every scenario tampers with a fresh copy of it.

use jiff::{SignedDuration, Timestamp};
use qyzmet_domain::ids::{Iin, TaxId};
use qyzmet_domain::stage::{Event, EventKind, Stage};
use qyzmet_signature::SealKey;
use qyzmet_store::{Applicant, Channel, IncomingEvent, NewApplication, Scope, Store};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

mod common;
use common::{postgres_base_url, postgres_database, qyzmet, TestDb};

const IIN: &str = "900101300017";
const SURNAME: &str = "Тамперов";

// ---------------------------------------------------------------------------------------
// Databases the test owns.

enum Backend {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Backend {
    /// A new database: empty, or a copy of `template` (whose connections are all closed).
    async fn database(&self, label: &str, template: Option<&TestDb>) -> TestDb {
        match self {
            Backend::Sqlite(dir) => {
                let path = dir.join(format!("{label}.db"));
                if let Some(t) = template {
                    let from = t.url.trim_start_matches("sqlite://");
                    std::fs::copy(from, &path).expect("copy template database");
                    for ext in ["-wal", "-shm"] {
                        let side = format!("{from}{ext}");
                        if Path::new(&side).exists() {
                            std::fs::copy(&side, format!("{}{ext}", path.display()))
                                .expect("copy template database");
                        }
                    }
                }
                TestDb {
                    url: format!("sqlite://{}", path.display()),
                    pg: None,
                }
            }
            Backend::Postgres(base) => postgres_database(base, template).await,
        }
    }
}

// ---------------------------------------------------------------------------------------
// The attacker's own code: the hash formats, written again from their definitions.

fn sha(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

fn link(prev: &str, content: &str, recorded_at: i64) -> String {
    sha(&format!("{prev}|{content}|{recorded_at}"))
}

fn text(v: &Value, k: &str) -> String {
    v[k].as_str().unwrap_or("").to_string()
}

fn content_hash(e: &Value) -> String {
    let (n, t) = (
        e["number"].as_i64().unwrap(),
        e["occurred_at"].as_i64().unwrap(),
    );
    let canonical = match e["kind"].as_str().unwrap() {
        "stage" => format!(
            "stage|{n}|{t}|{}|{}|{}",
            text(e, "stage"),
            text(e, "outcome"),
            text(e, "reason")
        ),
        "suspended" => format!("suspended|{n}|{t}|{}", text(e, "reason")),
        "resumed" => format!("resumed|{n}|{t}|{}", text(e, "reason")),
        other => panic!("the attacker did not plan for {other}"),
    };
    sha(&canonical)
}

fn next_head(prev: &str, l: &Value) -> String {
    let leaf = Sha256::digest(
        format!(
            "qyzmet/ledger/1|{}|{}|{}|{}",
            l["number"],
            l["seq"],
            text(l, "event_id"),
            text(l, "chain_hash")
        )
        .as_bytes(),
    );
    sha(&format!("{prev}|{}", hex::encode(leaf)))
}

/// SQL that stores `ledger` (position order, some chain hashes changed) with every head
/// recomputed from the first changed entry on, and the head row.
fn rewrite_ledger_sql(
    ledger: &[Value],
    changed: &std::collections::HashMap<i64, String>,
) -> String {
    let mut sql = String::new();
    let mut head = "0".repeat(64);
    let mut rewriting = false;
    for l in ledger {
        let pos = l["position"].as_i64().unwrap();
        let mut l = l.clone();
        if let Some(c) = changed.get(&pos) {
            l["chain_hash"] = Value::String(c.clone());
            rewriting = true;
        }
        head = next_head(&head, &l);
        if rewriting {
            sql += &format!(
                "UPDATE ledger SET chain_hash = '{}', head = '{head}' WHERE position = {pos};\n",
                text(&l, "chain_hash")
            );
        }
    }
    sql + &format!("UPDATE ledger_head SET head = '{head}' WHERE id = 1;\n")
}

// ---------------------------------------------------------------------------------------
// The seeded history and the command.

struct Ctx {
    backend: Backend,
    work: tempfile::TempDir,
    public_key: PathBuf,
    config: PathBuf,
    /// The export of the untouched history, parsed.
    lines: Vec<Value>,
    /// The live-registered applications' numbers.
    live: Vec<i64>,
}

fn at(now: Timestamp, hours_ago: i64) -> Timestamp {
    now - SignedDuration::from_hours(hours_ago)
}

fn stage(s: Stage, reason: Option<&str>) -> EventKind {
    EventKind::Stage {
        stage: s,
        outcome: None,
        reason: reason.map(str::to_string),
        ground: None,
    }
}

async fn apply(store: &Store, events: Vec<(i64, Timestamp, EventKind)>) {
    let items: Vec<IncomingEvent> = events
        .into_iter()
        .map(|(n, t, kind)| IncomingEvent {
            number: qyzmet_domain::ids::ApplicationNumber::from_i64(n).unwrap(),
            event: Event {
                id: uuid::Uuid::now_v7(),
                occurred_at: t,
                kind,
            },
            executor_person: None,
            signature: None,
            ground_required: false,
        })
        .collect();
    let results = store
        .apply_events(&items, &Scope::Admin, "test", Timestamp::now(), 0.8)
        .await
        .expect("apply events");
    for r in results {
        r.expect("event accepted");
    }
}

/// Demo applications imported through the binary, two applications registered and moved
/// through their stages by the live paths, a checkpoint, more events, a second checkpoint,
/// and an unsigned tail.
async fn seed(url: &str, key: &SealKey) -> Vec<i64> {
    let (code, _, err) = qyzmet(&[
        "demo",
        "generate",
        "--applications",
        "12",
        "--days",
        "20",
        "--quiet",
        "--database",
        url,
    ]);
    assert_eq!(code, 0, "{err}");
    let store = Store::connect(url, &Default::default()).await.unwrap();
    let services = store.services(None, 0, 100).await.unwrap();
    let svc = services
        .iter()
        .find(|s| s.channels.contains(&Channel::Provider))
        .expect("a service filed with the provider");
    let now = Timestamp::now();
    let mut live = vec![];
    for _ in 0..2 {
        let (app, created) = store
            .register(
                &NewApplication {
                    service: svc.code.clone(),
                    term_variant: None,
                    applicant: Applicant {
                        id: TaxId::Iin(Iin::parse(IIN).unwrap()),
                        last_name: SURNAME.into(),
                        first_name: "Айбек".into(),
                        middle_name: None,
                    },
                    channel: Channel::Provider,
                    paper: false,
                    acceptance_place: svc.organization_code.clone(),
                    executor: None,
                    executor_person: None,
                    accepted_at: at(now, 72),
                    external_id: None,
                    signature: None,
                    contact: None,
                },
                &Scope::Admin,
                "test",
                now,
                0.8,
            )
            .await
            .expect("register");
        assert!(created);
        live.push(app.number.as_i64());
    }
    let mut first = vec![];
    for &n in &live {
        first.push((n, at(now, 60), stage(Stage::SentForExecution, None)));
        first.push((
            n,
            at(now, 50),
            stage(Stage::TakenIntoWork, Some("assigned")),
        ));
        first.push((n, at(now, 40), EventKind::suspended("awaiting archive")));
        first.push((
            n,
            at(now, 30),
            EventKind::Resumed {
                reason: Some("archive answered".into()),
            },
        ));
    }
    apply(&store, first).await;
    let c1 = qyzmet_server::checkpoints::write_checkpoint(&store, key, Timestamp::now())
        .await
        .unwrap();
    assert!(c1.is_some(), "the ledger moved: a checkpoint is due");
    apply(
        &store,
        vec![(live[0], at(now, 20), stage(Stage::Executed, None))],
    )
    .await;
    let c2 = qyzmet_server::checkpoints::write_checkpoint(&store, key, Timestamp::now())
        .await
        .unwrap();
    assert!(c2.is_some());
    // The ledger did not move: no new checkpoint.
    let again = qyzmet_server::checkpoints::write_checkpoint(&store, key, Timestamp::now())
        .await
        .unwrap();
    assert!(again.is_none());
    apply(
        &store,
        vec![(live[0], at(now, 10), stage(Stage::ReadyForIssue, None))],
    )
    .await;
    store.close().await;
    live
}

impl Ctx {
    async fn new(backend: Backend, template: &TestDb) -> Ctx {
        let work = tempfile::tempdir().unwrap();
        let key_file = work.path().join("keys/ledger-key.pem");
        let key = SealKey::load_or_create(&key_file).unwrap();
        let public_key = work.path().join("ledger-public.pem");
        std::fs::write(&public_key, key.public_pem().unwrap()).unwrap();
        let config = work.path().join("qyzmet.toml");
        std::fs::write(
            &config,
            format!("ledger_key_file = {:?}\n", key_file.display().to_string()),
        )
        .unwrap();
        let live = seed(&template.url, &key).await;
        let export = work.path().join("template.jsonl");
        let (code, _, err) = qyzmet(&[
            "audit",
            "export",
            "--out",
            export.to_str().unwrap(),
            "--database",
            &template.url,
        ]);
        assert_eq!(code, 0, "{err}");
        let lines = std::fs::read_to_string(&export)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        Ctx {
            backend,
            work,
            public_key,
            config,
            lines,
            live,
        }
    }

    fn of_type(&self, t: &str) -> Vec<&Value> {
        self.lines.iter().filter(|l| l["type"] == t).collect()
    }

    fn app(&self, number: i64) -> &Value {
        self.of_type("application")
            .into_iter()
            .find(|a| a["number"] == number)
            .unwrap()
    }

    /// The events of application `number`, by seq.
    fn events(&self, number: i64) -> Vec<Value> {
        let id = self.app(number)["app_id"].clone();
        let mut e: Vec<Value> = self
            .of_type("event")
            .into_iter()
            .filter(|e| e["app_id"] == id)
            .cloned()
            .collect();
        e.sort_by_key(|e| e["seq"].as_i64());
        e
    }

    fn ledger(&self) -> Vec<Value> {
        self.of_type("ledger").into_iter().cloned().collect()
    }

    fn ledger_entry(&self, event_id: &str) -> Value {
        self.of_type("ledger")
            .into_iter()
            .find(|l| l["event_id"] == event_id)
            .cloned()
            .unwrap()
    }

    fn checkpoints(&self) -> Vec<&Value> {
        self.of_type("checkpoint")
    }

    /// An imported (demo) application with at least two events.
    fn imported(&self) -> i64 {
        self.of_type("application")
            .into_iter()
            .map(|a| a["number"].as_i64().unwrap())
            .find(|n| !self.live.contains(n) && self.events(*n).len() >= 2)
            .expect("a demo application with events")
    }

    async fn tamper(&self, label: &str, sql: &str, template: &TestDb) -> TestDb {
        let db = self.backend.database(label, Some(template)).await;
        if !sql.is_empty() {
            let store = Store::connect(&db.url, &Default::default()).await.unwrap();
            store.execute_raw(sql).await.expect("tamper");
            store.close().await;
        }
        db
    }
}

/// What a finding line must say: its kind and a text it contains (e.g. `event=<id>`).
type Expect<'a> = (&'a str, String);

/// Runs `audit verify` over the database and over its export with `extra` arguments; both
/// must exit `code` with exactly the findings `expect` (in any order).
fn verify(
    ctx: &Ctx,
    db: &TestDb,
    label: &str,
    extra: &[&str],
    code: i32,
    expect: &[Expect<'_>],
) -> Result<(), String> {
    let file = ctx.work.path().join(format!("{label}.jsonl"));
    let (c, _, err) = qyzmet(&[
        "audit",
        "export",
        "--out",
        file.to_str().unwrap(),
        "--database",
        &db.url,
    ]);
    if c != 0 {
        return Err(format!("{label}: export exited {c}: {err}"));
    }
    let exported = std::fs::read_to_string(&file).unwrap_or_default();
    if exported.contains(IIN) || exported.contains(SURNAME) {
        return Err(format!("{label}: the export holds personal data"));
    }
    for (mode, source) in [
        ("--database", db.url.as_str()),
        ("--file", file.to_str().unwrap()),
    ] {
        let mut args = vec!["audit", "verify", mode, source];
        args.extend_from_slice(extra);
        let (c, out, err) = qyzmet(&args);
        let context = format!("{label} ({mode}):\n{out}{err}");
        if c != code {
            return Err(format!("exit {c}, expected {code}: {context}"));
        }
        if out.contains(IIN) || out.contains(SURNAME) {
            return Err(format!("personal data printed: {context}"));
        }
        let findings: Vec<&str> = out
            .lines()
            .skip_while(|l| !l.starts_with("findings:"))
            .skip(1)
            .collect();
        if findings.len() != expect.len() {
            return Err(format!(
                "{} findings, expected {}: {context}",
                findings.len(),
                expect.len()
            ));
        }
        for (kind, needle) in expect {
            if !findings
                .iter()
                .any(|f| f.split('\t').next() == Some(*kind) && f.contains(needle.as_str()))
            {
                return Err(format!("no {kind} finding with {needle:?}: {context}"));
            }
        }
        eprintln!("--- {context}");
    }
    Ok(())
}

fn id(e: &Value) -> String {
    text(e, "id")
}

// ---------------------------------------------------------------------------------------
// The scenarios.

async fn scenarios(ctx: &Ctx, template: &TestDb) -> Vec<String> {
    let key = ["--public-key", ctx.public_key.to_str().unwrap()];
    let mut failures = vec![];
    let mut check = |r: Result<(), String>| {
        if let Err(e) = r {
            failures.push(e);
        }
    };
    let (a, b) = (ctx.live[0], ctx.live[1]);
    let ea = ctx.events(a);
    let eb = ctx.events(b);
    assert_eq!(ea.len(), 6, "seeded history of the first live application");
    assert_eq!(ctx.checkpoints().len(), 2);

    // Untouched: clean, with the key given, from the configuration, and with none.
    let db = ctx.tamper("untouched", "", template).await;
    check(verify(ctx, &db, "untouched", &key, 0, &[]));
    check(verify(
        ctx,
        &db,
        "untouched-config",
        &["--config", ctx.config.to_str().unwrap()],
        0,
        &[],
    ));
    let (c, out, _) = qyzmet(&["audit", "verify", "--database", &db.url]);
    check(
        if c == 0 && out.contains("NOT checked: no public key") && out.contains("2 unchecked") {
            Ok(())
        } else {
            Err(format!("without a key ({c}):\n{out}"))
        },
    );
    drop(db);

    // A history recorded before the ledger existed (migration 0003 sets the backfill flag when
    // it finds applications): the next start enters it once, and it then verifies clean.
    let db = ctx
        .tamper(
            "backfill",
            "DELETE FROM ledger_checkpoints; DELETE FROM ledger; \
             UPDATE ledger_head SET position = 0, \
             head = '0000000000000000000000000000000000000000000000000000000000000000', \
             backfill = TRUE",
            template,
        )
        .await;
    let (c, _, err) = qyzmet(&["migrate", "--database", &db.url]);
    check(if c == 0 {
        Ok(())
    } else {
        Err(format!("migrate for the backfill: {err}"))
    });
    let (c, out, err) = qyzmet(&["audit", "verify", "--database", &db.url]);
    let entries = ctx.ledger().len();
    check(if c == 0 && out.contains(&format!("{entries}")) {
        Ok(())
    } else {
        Err(format!(
            "after the backfill ({c}), {entries} entries expected:\n{out}\n{err}"
        ))
    });
    drop(db);

    // The public key an operator hands to the auditors.
    let (c, pem, err) = qyzmet(&[
        "audit",
        "public-key",
        "--config",
        ctx.config.to_str().unwrap(),
    ]);
    check(
        if c == 0 && pem == std::fs::read_to_string(&ctx.public_key).unwrap_or_default() {
            Ok(())
        } else {
            Err(format!("public-key ({c}): {pem}{err}"))
        },
    );

    // An event's reason edited with SQL.
    let target = &ea[1];
    let db = ctx
        .tamper(
            "edit",
            &format!(
                "UPDATE events SET reason = 'forged' WHERE id = '{}'",
                id(target)
            ),
            template,
        )
        .await;
    check(verify(
        ctx,
        &db,
        "edit",
        &key,
        1,
        &[("edited", format!("event={}", id(target)))],
    ));
    drop(db);

    // An imported event edited.
    let imported = ctx.events(ctx.imported());
    let target = &imported[0];
    let db = ctx
        .tamper(
            "edit-imported",
            &format!(
                "UPDATE events SET occurred_at = occurred_at + 1000000 WHERE id = '{}'",
                id(target)
            ),
            template,
        )
        .await;
    check(verify(
        ctx,
        &db,
        "edit-imported",
        &key,
        1,
        &[("edited", format!("event={}", id(target)))],
    ));
    drop(db);

    // An event deleted.
    let target = &ea[2];
    let db = ctx
        .tamper(
            "delete",
            &format!("DELETE FROM events WHERE id = '{}'", id(target)),
            template,
        )
        .await;
    check(verify(
        ctx,
        &db,
        "delete",
        &key,
        1,
        &[("deleted", format!("event={}", id(target)))],
    ));
    drop(db);

    // Two events swapped.
    let (x, y) = (&eb[0], &eb[1]);
    let app_id = &x["app_id"];
    let db = ctx
        .tamper(
            "swap",
            &format!(
                "UPDATE events SET seq = -1 WHERE app_id = {app_id} AND seq = 1;\n\
                 UPDATE events SET seq = 1 WHERE app_id = {app_id} AND seq = 2;\n\
                 UPDATE events SET seq = 2 WHERE app_id = {app_id} AND seq = -1;"
            ),
            template,
        )
        .await;
    let swapped = verify(
        ctx,
        &db,
        "swap",
        &key,
        1,
        &[("reordered", format!("event={}", id(x)))],
    )
    .or_else(|_| {
        verify(
            ctx,
            &db,
            "swap",
            &key,
            1,
            &[("reordered", format!("event={}", id(y)))],
        )
    });
    check(swapped);
    drop(db);

    // A forged event appended with hashes the attacker computed; then also the head moved.
    let last = eb.last().unwrap();
    let forged_id = uuid::Uuid::new_v4().to_string();
    let mut forged = last.clone();
    forged["id"] = Value::String(forged_id.clone());
    forged["seq"] = (last["seq"].as_i64().unwrap() + 1).into();
    forged["kind"] = "resumed".into();
    forged["stage"] = Value::Null;
    forged["reason"] = "forged".into();
    forged["occurred_at"] = (last["occurred_at"].as_i64().unwrap() + 1_000_000).into();
    forged["recorded_at"] = (last["recorded_at"].as_i64().unwrap() + 1_000_000).into();
    let content = content_hash(&forged);
    let chain = link(
        &text(last, "chain_hash"),
        &content,
        forged["recorded_at"].as_i64().unwrap(),
    );
    let insert = format!(
        "INSERT INTO events (app_id, seq, id, number, kind, stage, outcome, reason, executor, \
         executor_person, occurred_at, recorded_at, actor, content_hash, chain_hash) VALUES \
         ({}, {}, '{forged_id}', {}, 'resumed', NULL, NULL, 'forged', NULL, NULL, {}, {}, 'test', '{content}', '{chain}');",
        forged["app_id"], forged["seq"], forged["number"], forged["occurred_at"], forged["recorded_at"]
    );
    let db = ctx.tamper("insert", &insert, template).await;
    check(verify(
        ctx,
        &db,
        "insert",
        &key,
        1,
        &[("inserted", format!("event={forged_id}"))],
    ));
    drop(db);
    let db = ctx
        .tamper(
            "insert-head",
            &format!(
                "{insert}\nUPDATE applications SET head_hash = '{chain}', event_count = event_count + 1 \
                 WHERE id = {};",
                forged["app_id"]
            ),
            template,
        )
        .await;
    check(verify(
        ctx,
        &db,
        "insert-head",
        &key,
        1,
        &[("inserted", format!("event={forged_id}"))],
    ));
    drop(db);

    // An application deleted with its history.
    let gone = ctx.imported();
    let gone_id = &ctx.app(gone)["app_id"];
    let db = ctx
        .tamper(
            "delete-app",
            &format!(
                "DELETE FROM event_signatures WHERE app_id = {gone_id};\n\
                 DELETE FROM events WHERE app_id = {gone_id};\n\
                 DELETE FROM application_derivations WHERE app_id = {gone_id};\n\
                 DELETE FROM violation_cases WHERE app_id = {gone_id};\n\
                 DELETE FROM violation_amended WHERE app_id = {gone_id};\n\
                 DELETE FROM deadline_changes WHERE number = {gone};\n\
                 DELETE FROM applications WHERE id = {gone_id};"
            ),
            template,
        )
        .await;
    check(verify(
        ctx,
        &db,
        "delete-app",
        &key,
        1,
        &[("deleted", format!("number={gone}\tseq=-"))],
    ));
    drop(db);

    // A ledger entry before the first checkpoint rewritten, every head after it recomputed.
    let target = &ea[1];
    let entry = ctx.ledger_entry(&id(target));
    let first_checkpoint = ctx.checkpoints()[0]["position"].as_i64().unwrap();
    assert!(entry["position"].as_i64().unwrap() <= first_checkpoint);
    let changed = [(entry["position"].as_i64().unwrap(), sha("forged"))]
        .into_iter()
        .collect();
    let db = ctx
        .tamper(
            "ledger",
            &rewrite_ledger_sql(&ctx.ledger(), &changed),
            template,
        )
        .await;
    check(verify(
        ctx,
        &db,
        "ledger",
        &key,
        1,
        &[("ledger", format!("event={}", id(target)))],
    ));
    drop(db);

    // The same event edited and every hash after it recomputed — its application's chain,
    // head and ledger entries, the ledger's heads: only the signed checkpoint still tells.
    let mut sql = String::new();
    let mut changed = std::collections::HashMap::new();
    let mut prev = text(&ea[0], "chain_hash");
    for (i, e) in ea.iter().enumerate().skip(1) {
        let mut e = e.clone();
        if i == 1 {
            e["reason"] = "forged".into();
        }
        let content = if i == 1 {
            content_hash(&e)
        } else {
            text(&e, "content_hash")
        };
        let chain = link(&prev, &content, e["recorded_at"].as_i64().unwrap());
        sql += &format!(
            "UPDATE events SET reason = {}, content_hash = '{content}', chain_hash = '{chain}' WHERE id = '{}';\n",
            if i == 1 { "'forged'".to_string() } else { "reason".to_string() },
            id(&e)
        );
        changed.insert(
            ctx.ledger_entry(&id(&e))["position"].as_i64().unwrap(),
            chain.clone(),
        );
        prev = chain;
    }
    sql += &format!("UPDATE applications SET head_hash = '{prev}' WHERE number = {a};\n");
    sql += &rewrite_ledger_sql(&ctx.ledger(), &changed);
    let db = ctx.tamper("rewrite", &sql, template).await;
    check(verify(
        ctx,
        &db,
        "rewrite",
        &key,
        1,
        &[(
            "ledger",
            format!("checkpoint at ledger position {first_checkpoint}"),
        )],
    ));
    drop(db);

    // A checkpoint's signature forged; a checkpoint slipped in, signed with another key;
    // the checkpoints checked with the wrong key.
    let other = SealKey::generate().unwrap();
    let other_pem = ctx.work.path().join("other-public.pem");
    std::fs::write(&other_pem, other.public_pem().unwrap()).unwrap();
    let forged_sig = other.sign(b"anything").unwrap();
    let db = ctx
        .tamper(
            "forged-signature",
            &format!("UPDATE ledger_checkpoints SET signature = '{forged_sig}' WHERE position = {first_checkpoint}"),
            template,
        )
        .await;
    check(verify(
        ctx,
        &db,
        "forged-signature",
        &key,
        1,
        &[("signature", "does not verify".into())],
    ));
    drop(db);
    let (position, head) = {
        let l = ctx.ledger();
        let last = l.last().unwrap();
        (last["position"].as_i64().unwrap(), text(last, "head"))
    };
    let signed_at = Timestamp::now().as_microsecond();
    let message = format!("qyzmet/checkpoint/1\n{position}\n{head}\n{signed_at}\n");
    let db = ctx
        .tamper(
            "foreign-checkpoint",
            &format!(
                "INSERT INTO ledger_checkpoints (position, head, signed_at, key_id, signature) VALUES \
                 ({position}, '{head}', {signed_at}, '{}', '{}')",
                other.key_id(),
                other.sign(message.as_bytes()).unwrap()
            ),
            template,
        )
        .await;
    check(verify(
        ctx,
        &db,
        "foreign-checkpoint",
        &key,
        1,
        &[("signature", format!("signed with key {}", other.key_id()))],
    ));
    drop(db);
    let db = ctx.tamper("wrong-key", "", template).await;
    check(verify(
        ctx,
        &db,
        "wrong-key",
        &["--public-key", other_pem.to_str().unwrap()],
        1,
        &[
            ("signature", "not among the public keys".into()),
            ("signature", "not among the public keys".into()),
        ],
    ));
    // With both keys (a rotation), the signatures verify.
    check(verify(
        ctx,
        &db,
        "two-keys",
        &[
            "--public-key",
            other_pem.to_str().unwrap(),
            "--public-key",
            ctx.public_key.to_str().unwrap(),
        ],
        0,
        &[],
    ));
    drop(db);
    failures
}

async fn tampering_is_caught(backend: Backend) {
    let template = backend.database("template", None).await;
    let ctx = Ctx::new(backend, &template).await;
    let failures = scenarios(&ctx, &template).await;
    drop(template);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_tampering_is_caught_and_named() {
    let dir = tempfile::tempdir().unwrap();
    tampering_is_caught(Backend::Sqlite(dir.path().to_path_buf())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_tampering_is_caught_and_named() {
    let Some(base) = postgres_base_url() else {
        eprintln!("skipping: QYZMET_TEST_POSTGRES_URL is not set");
        return;
    };
    tampering_is_caught(Backend::Postgres(base)).await;
}

#[test]
fn a_file_that_is_not_a_whole_export_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cut.jsonl");
    std::fs::write(
        &file,
        "{\"type\":\"header\",\"format\":\"qyzmet-audit/1\",\"backend\":\"sqlite\",\
         \"exported_at\":\"x\",\"ledger_position\":0,\"ledger_head\":\"0\"}\n",
    )
    .unwrap();
    let (c, _, err) = qyzmet(&["audit", "verify", "--file", file.to_str().unwrap()]);
    assert_eq!(c, 2, "{err}");
    assert!(err.contains("cut short"), "{err}");
    std::fs::write(&file, "not json\n").unwrap();
    let (c, _, _) = qyzmet(&["audit", "verify", "--file", file.to_str().unwrap()]);
    assert_eq!(c, 2);
    let (c, _, err) = qyzmet(&[
        "audit",
        "verify",
        "--database",
        &format!("sqlite://{}", dir.path().join("none.db").display()),
    ]);
    assert_eq!(c, 2, "{err}");
    assert!(
        !dir.path().join("none.db").exists(),
        "an audit creates no database"
    );
}
