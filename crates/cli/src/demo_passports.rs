//! The demo services' passports (issue 17; the model standard of 003): `data/demo/passports.toml`
//! holds one per service of the demo registry, in Kazakh and Russian, and the demo publishes each
//! as version 1, in force from the day the registry is loaded.
//!
//! The file is written for a ministry's staff to read, so what many passports share is said once
//! (its header explains it to them):
//! - a `[[passport]]` starts from `[defaults.all]`, then the families its `use` names, in order,
//!   then its own fields: tables merge key by key, and anything else (a list, a number, a string,
//!   a text of `kk`/`ru`/`en`) replaces what came before whole;
//! - in the lists of places, acts, documents and grounds an entry may be the key of a library
//!   entry (`"identity"` for `[document.identity]`), or a table that starts from one
//!   (`like = "identity"`) and changes some of its fields; a place's organization and a
//!   document's or ground's code default to the key.
//!
//! What remains is the [`Passport`] type's own serde shape, unknown fields refused; `service` and
//! `approving_act` (the publication's) are the only keys of an entry that are not the passport's.
//! Every passport is checked for publication before anything is written, and a failure names the
//! service and its problems.

use anyhow::{anyhow, bail, Context};
use jiff::Timestamp;
use qyzmet_domain::ids::ServiceCode;
use qyzmet_domain::passport::{Passport, Strictness};
use qyzmet_domain::zone;
use qyzmet_store::{Publication, Store};
use toml::{Table, Value};

const PASSPORTS: &str = include_str!("../../../data/demo/passports.toml");

/// A passport of the file, ready to publish.
pub(crate) struct DemoPassport {
    /// The service's code in the registry.
    pub service: String,
    /// The act that approves it (the publication's).
    pub approving_act: String,
    pub passport: Passport,
}

/// The lists whose entries may name a library entry: the list, its library (a top-level table of
/// the file), and the field a library entry's key fills when the entry leaves it out.
const LIBRARIES: [(&str, &str, Option<&str>); 5] = [
    ("providers", "place", Some("organization")),
    ("legal_basis", "act", None),
    ("documents", "document", Some("code")),
    ("suspension_grounds", "ground", Some("code")),
    ("refusal_grounds", "ground", Some("code")),
];

/// The passports of `src` (the file's text), in the file's order.
pub(crate) fn parse(src: &str) -> anyhow::Result<Vec<DemoPassport>> {
    let mut root: Table = toml::from_str(src).context("data/demo/passports.toml")?;
    let defaults = take_table(&mut root, "defaults")?;
    let mut libraries = Table::new();
    for (_, library, _) in LIBRARIES {
        if !libraries.contains_key(library) {
            let t = take_table(&mut root, library)?;
            libraries.insert(library.to_string(), Value::Table(t));
        }
    }
    let entries = match root.remove("passport") {
        Some(Value::Array(a)) => a,
        _ => bail!("data/demo/passports.toml: no [[passport]]"),
    };
    if let Some(other) = root.keys().next() {
        bail!("data/demo/passports.toml: unknown section [{other}]");
    }
    entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| match entry {
            Value::Table(t) => one(t, &defaults, &libraries),
            _ => bail!(
                "data/demo/passports.toml: passport {} is not a table",
                i + 1
            ),
        })
        .collect()
}

/// The passports of the demo, each checked for publication: the first that fails names its
/// service and every problem (`documents[2].name.kk (language_missing)`).
pub(crate) fn checked() -> anyhow::Result<Vec<DemoPassport>> {
    let passports = parse(PASSPORTS)?;
    for p in &passports {
        let problems = p.passport.check(Strictness::Publish);
        if !problems.is_empty() {
            let list: Vec<String> = problems
                .iter()
                .map(|p| format!("{} ({})", p.field, p.reason.code()))
                .collect();
            bail!(
                "the demo passport of {} cannot be published: {}",
                p.service,
                list.join(", ")
            );
        }
    }
    Ok(passports)
}

/// Saves each passport as its service's draft and publishes it, in force from today in
/// Asia/Almaty, by the actor `demo`.
pub(crate) async fn publish(
    store: &Store,
    passports: Vec<DemoPassport>,
    now: Timestamp,
) -> anyhow::Result<()> {
    let valid_from = zone::local_date(now);
    for p in passports {
        let service = p.service;
        let code =
            ServiceCode::parse(&service).map_err(|e| anyhow!("passport of {service}: {e}"))?;
        let draft = store
            .save_passport_draft(&code, None, &p.passport, "demo", now)
            .await
            .with_context(|| format!("saving the passport of {service}"))?;
        let publication = Publication {
            valid_from,
            approving_act: p.approving_act,
        };
        store
            .publish_passport(&code, draft.revision, &publication, "demo", now)
            .await
            .with_context(|| format!("publishing the passport of {service}"))?;
    }
    Ok(())
}

/// One `[[passport]]` entry, its defaults merged and its library entries resolved.
fn one(mut entry: Table, defaults: &Table, libraries: &Table) -> anyhow::Result<DemoPassport> {
    let service = take_string(&mut entry, "service")
        .context("data/demo/passports.toml: a passport without its service")?;
    build(service.clone(), entry, defaults, libraries)
        .with_context(|| format!("data/demo/passports.toml: the passport of {service}"))
}

fn build(
    service: String,
    entry: Table,
    defaults: &Table,
    libraries: &Table,
) -> anyhow::Result<DemoPassport> {
    let (approving_act, body) = resolved(entry, defaults, libraries)?;
    let passport: Passport = Value::Table(body).try_into()?;
    Ok(DemoPassport {
        service,
        approving_act,
        passport,
    })
}

/// An entry (without its `service`) with its families merged and its library entries resolved:
/// its approving act, and the passport's fields.
fn resolved(
    mut entry: Table,
    defaults: &Table,
    libraries: &Table,
) -> anyhow::Result<(String, Table)> {
    let families = match entry.remove("use") {
        None => vec![],
        Some(Value::Array(a)) => a,
        Some(_) => bail!("`use` is a list of [defaults.*] names"),
    };
    let mut body = match defaults.get("all") {
        Some(Value::Table(t)) => t.clone(),
        _ => Table::new(),
    };
    for family in &families {
        let name = family
            .as_str()
            .ok_or_else(|| anyhow!("`use` is a list of [defaults.*] names"))?;
        let t = defaults
            .get(name)
            .and_then(Value::as_table)
            .ok_or_else(|| anyhow!("no [defaults.{name}]"))?;
        merge(&mut body, t);
    }
    merge(&mut body, &entry);
    let approving_act = take_string(&mut body, "approving_act")?;
    let none = Table::new();
    for (list, library, key) in LIBRARIES {
        let lib = libraries
            .get(library)
            .and_then(Value::as_table)
            .unwrap_or(&none);
        resolve(&mut body, list, library, lib, key)?;
    }
    Ok((approving_act, body))
}

/// Merges `over` into `into`: tables key by key; anything else, and a text (a table of language
/// codes only), replaces what `into` had whole.
fn merge(into: &mut Table, over: &Table) {
    for (key, value) in over {
        if let (Some(Value::Table(a)), Value::Table(b)) = (into.get_mut(key), value) {
            if !is_text(b) {
                merge(a, b);
                continue;
            }
        }
        into.insert(key.clone(), value.clone());
    }
}

/// Whether a table is a text: its keys are language codes (or it has none, a text left empty).
fn is_text(t: &Table) -> bool {
    t.keys().all(|k| matches!(k.as_str(), "kk" | "ru" | "en"))
}

/// Replaces each entry of `body[list]` that names an entry of `library` (`name` in the file) by
/// that entry, changed by the fields the entry gives beside `like`.
fn resolve(
    body: &mut Table,
    list: &str,
    name: &str,
    library: &Table,
    key_field: Option<&str>,
) -> anyhow::Result<()> {
    let Some(Value::Array(items)) = body.get_mut(list) else {
        return Ok(());
    };
    for item in items.iter_mut() {
        let (key, changes) = match item {
            Value::String(key) => (key.clone(), Table::new()),
            Value::Table(t) => match t.remove("like") {
                None => continue,
                Some(Value::String(key)) => (key, std::mem::take(t)),
                Some(_) => bail!("{list}: `like` is the key of a [{name}.*] entry"),
            },
            // Anything else is the passport type's to refuse.
            _ => continue,
        };
        let mut entry = library
            .get(&key)
            .and_then(Value::as_table)
            .cloned()
            .ok_or_else(|| anyhow!("{list}: no [{name}.{key}]"))?;
        if let Some(field) = key_field {
            if !entry.contains_key(field) {
                entry.insert(field.to_string(), Value::String(key.clone()));
            }
        }
        merge(&mut entry, &changes);
        *item = Value::Table(entry);
    }
    Ok(())
}

fn take_table(t: &mut Table, key: &str) -> anyhow::Result<Table> {
    match t.remove(key) {
        None => Ok(Table::new()),
        Some(Value::Table(t)) => Ok(t),
        Some(_) => bail!("data/demo/passports.toml: [{key}] is not a table"),
    }
}

fn take_string(t: &mut Table, key: &str) -> anyhow::Result<String> {
    match t.remove(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s),
        _ => bail!("`{key}` (a string) is required"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use qyzmet_domain::passport::Texts;
    use qyzmet_store::{PassportState, PassportWhich};
    use std::collections::{BTreeMap, BTreeSet};

    /// What the tests need of the registry, read as plain TOML (the loader's own types stay
    /// private to it): each service's organization, and each organization's working hours.
    struct Registry {
        provider: BTreeMap<String, String>,
        hours: BTreeMap<String, String>,
    }

    fn registry() -> Registry {
        let root: Table = toml::from_str(crate::demo::REGISTRY).expect("registry.toml");
        let pairs = |list: &str, a: &str, b: &str| -> BTreeMap<String, String> {
            root[list]
                .as_array()
                .expect(list)
                .iter()
                .map(|t| {
                    let field = |k: &str| t[k].as_str().expect(k).to_string();
                    (field(a), field(b))
                })
                .collect()
        };
        Registry {
            provider: pairs("service", "code", "organization"),
            hours: pairs("organization", "code", "working_hours"),
        }
    }

    /// Every text of a passport with the path to it: the JSON objects whose keys are the
    /// languages.
    fn texts(passport: &Passport) -> Vec<(String, Texts)> {
        fn walk(path: String, v: &serde_json::Value, out: &mut Vec<(String, Texts)>) {
            match v {
                serde_json::Value::Object(m) => {
                    let mut keys: Vec<&str> = m.keys().map(String::as_str).collect();
                    keys.sort_unstable();
                    if keys == ["en", "kk", "ru"] {
                        out.push((path, serde_json::from_value(v.clone()).expect("a text")));
                    } else {
                        for (k, x) in m {
                            walk(format!("{path}.{k}"), x, out);
                        }
                    }
                }
                serde_json::Value::Array(a) => {
                    for (i, x) in a.iter().enumerate() {
                        walk(format!("{path}[{i}]"), x, out);
                    }
                }
                _ => {}
            }
        }
        let mut out = vec![];
        walk(
            String::new(),
            &serde_json::to_value(passport).expect("json"),
            &mut out,
        );
        out
    }

    #[test]
    fn every_demo_service_has_exactly_one_passport() {
        let services: Vec<String> = registry().provider.into_keys().collect();
        assert_eq!(services.len(), 44, "the demo registry's services");
        let mut count: BTreeMap<String, usize> = BTreeMap::new();
        for p in parse(PASSPORTS).expect("passports.toml") {
            *count.entry(p.service).or_default() += 1;
        }
        for s in &services {
            assert_eq!(count.get(s), Some(&1), "{s}: one passport");
        }
        let known: BTreeSet<&String> = services.iter().collect();
        let unknown: Vec<&String> = count.keys().filter(|s| !known.contains(s)).collect();
        assert!(unknown.is_empty(), "passports of no service: {unknown:?}");
    }

    /// Each passport may be published, says why its service may be refused, and stands under a
    /// life situation in the public catalogue.
    #[test]
    fn every_demo_passport_may_be_published_and_says_why_it_may_refuse() {
        let passports = checked().unwrap_or_else(|e| panic!("{e:#}"));
        for p in &passports {
            assert!(!p.passport.refusal_grounds.is_empty(), "{}", p.service);
            assert!(!p.approving_act.trim().is_empty(), "{}", p.service);
            assert!(!p.passport.life_situations.is_empty(), "{}", p.service);
        }
    }

    /// The organizations a passport names exist in the registry (as the API checks a draft's),
    /// the service's own organization is its first provider, and each place keeps the
    /// organization's working hours.
    #[test]
    fn every_organization_a_demo_passport_names_is_in_the_registry() {
        let Registry { provider, hours } = registry();
        for p in parse(PASSPORTS).expect("passports.toml") {
            let s = &p.service;
            for place in &p.passport.providers {
                let org = place.organization.as_str();
                let wh = hours
                    .get(org)
                    .unwrap_or_else(|| panic!("{s}: no organization {org}"));
                assert_eq!(&place.schedule.hours.to_string(), wh, "{s}: {org}'s hours");
            }
            if let Some(org) = &p.passport.complaints.appeal_organization {
                assert!(hours.contains_key(org), "{s}: no organization {org}");
            }
            assert_eq!(
                p.passport
                    .providers
                    .first()
                    .map(|p| p.organization.as_str()),
                provider.get(s).map(String::as_str),
                "{s}: the service's organization comes first"
            );
        }
    }

    /// Kazakh is written in Kazakh: no text of a passport is the same in Kazakh and in
    /// Russian, and each passport's Kazakh uses the letters Russian has not.
    #[test]
    fn the_kazakh_of_the_demo_passports_is_not_russian() {
        for p in parse(PASSPORTS).expect("passports.toml") {
            let mut kazakh_letters = 0;
            for (path, t) in texts(&p.passport) {
                if !t.kk.trim().is_empty() {
                    assert_ne!(t.kk, t.ru, "{}{path}", p.service);
                }
                kazakh_letters += t.kk.chars().filter(|c| "әғқңөұүһі".contains(*c)).count();
            }
            assert!(kazakh_letters >= 100, "{}: {kazakh_letters}", p.service);
        }
    }

    #[test]
    fn a_passport_merges_its_families_and_resolves_its_libraries() {
        let src = r#"
            [defaults.all]
            information_online = true
            complaints.help = { kk = "көмек", ru = "помощь" }
            complaints.other = { kk = "басқа", ru = "иное", en = "other" }

            [defaults.family]
            approving_act = "Приказ"
            complaints.other = { kk = "отбасы" }

            [document.identity]
            name = { kk = "куәлік", ru = "удостоверение" }
            form = "original_for_identification"

            [ground.false-data]
            text = { kk = "жалған", ru = "ложные" }
            legal_reference = "ст. 19-1"

            [entry]
            use = ["family"]
            refusal_grounds = ["false-data"]

            [[entry.documents]]
            like = "identity"
            copies = 2
        "#;
        let mut root: Table = toml::from_str(src).expect("toml");
        let defaults = take_table(&mut root, "defaults").expect("defaults");
        let entry = take_table(&mut root, "entry").expect("entry");
        let (act, body) = resolved(entry, &defaults, &root).expect("resolved");
        assert_eq!(act, "Приказ");
        let get = |path: &str| -> Value {
            path.split('.').fold(Value::Table(body.clone()), |v, k| {
                match k.parse::<usize>() {
                    Ok(i) => v[i].clone(),
                    Err(_) => v[k].clone(),
                }
            })
        };
        assert_eq!(get("information_online"), Value::Boolean(true));
        assert_eq!(get("complaints.help.ru").as_str(), Some("помощь"));
        assert_eq!(
            get("complaints.other").as_table().map(|t| t.len()),
            Some(1),
            "a text is replaced whole, not merged language by language"
        );
        assert_eq!(get("documents.0.code").as_str(), Some("identity"));
        assert_eq!(get("documents.0.copies").as_integer(), Some(2));
        assert_eq!(get("documents.0.name.kk").as_str(), Some("куәлік"));
        assert_eq!(get("refusal_grounds.0.code").as_str(), Some("false-data"));
        assert_eq!(
            get("refusal_grounds.0.legal_reference").as_str(),
            Some("ст. 19-1")
        );
    }

    #[test]
    fn a_wrong_passport_is_refused_with_its_service() {
        let base = "[[passport]]\nservice = \"X-2\"\napproving_act = \"Приказ\"\n";
        for (extra, expected) in [
            ("use = [\"nothing\"]\n", "no [defaults.nothing]"),
            ("documents = [\"nothing\"]\n", "no [document.nothing]"),
            ("fees = 1\n", "unknown field `fees`"),
        ] {
            let err = match parse(&format!("{base}{extra}")) {
                Ok(_) => panic!("{extra}: parsed"),
                Err(e) => format!("{e:#}"),
            };
            assert!(err.contains("X-2"), "{err}");
            assert!(err.contains(expected), "{err}");
        }
    }

    /// On a fresh database, loading the registry publishes every service's passport as version
    /// 1, in force today; loading again changes nothing.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_demo_registry_publishes_every_passport() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("demo.db").display());
        let store = Store::connect(&url, &Default::default())
            .await
            .expect("connect");
        store.migrate().await.expect("migrate");
        assert!(crate::demo::load_registry(&store).await.expect("load"));
        let today = zone::local_date(Timestamp::now());
        let services: Vec<String> = registry().provider.into_keys().collect();
        let expected: BTreeMap<String, DemoPassport> = parse(PASSPORTS)
            .expect("passports.toml")
            .into_iter()
            .map(|p| (p.service.clone(), p))
            .collect();
        for s in &services {
            let code = ServiceCode::parse(s).expect("code");
            let v = store
                .passport(&code, PassportWhich::InForce(today))
                .await
                .expect("read")
                .unwrap_or_else(|| panic!("{s}: no passport in force"));
            assert_eq!((v.version, v.state), (1, PassportState::Published), "{s}");
            assert_eq!(v.valid_from, Some(today), "{s}");
            assert_eq!(v.approving_act, expected[s].approving_act, "{s}");
            assert_eq!(v.passport, expected[s].passport, "{s}");
        }
        assert!(!crate::demo::load_registry(&store).await.expect("again"));
        let code = ServiceCode::parse(&services[0]).expect("code");
        assert_eq!(
            store
                .passport_versions(&code)
                .await
                .expect("versions")
                .len(),
            1
        );
        store.close().await;
    }
}
