//! The layers' dependency rules (docs/architecture.md, ../shared/DESIGN.md "Layers"), checked
//! on the source: the adapters (`api/`, `web/`, the CLI) reach the core only through the use
//! cases of `app/`; no adapter imports another; the use cases know no adapter and no HTTP; no
//! use case takes a raw `serde_json::Value`; and the modules of each layer form no cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A rule: sources under `dir` (relative to the workspace) may not name any of `forbidden`.
struct Rule {
    dir: &'static str,
    forbidden: &'static [&'static str],
    why: &'static str,
}

const RULES: &[Rule] = &[
    Rule {
        dir: "crates/server/src/web",
        forbidden: &["crate::api", "super::api", "qyzmet_server::api"],
        why: "the workstation is an adapter: it calls app/, never the API's handlers",
    },
    Rule {
        dir: "crates/server/src/api",
        forbidden: &["crate::web", "super::web", "qyzmet_server::web"],
        why: "the API is an adapter: it calls app/, never the workstation's",
    },
    Rule {
        dir: "crates/cli/src",
        forbidden: &["qyzmet_server::api", "qyzmet_server::web"],
        why: "the command line is an adapter: it calls app/, never api/ or web/",
    },
    Rule {
        dir: "crates/server/src/app",
        forbidden: &[
            "crate::api",
            "crate::web",
            "super::api",
            "super::web",
            "axum::",
            "StatusCode",
        ],
        why: "the use cases sit under the adapters and know no HTTP",
    },
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a source without its comments (a comment may name anything).
fn code_of(source: &str) -> String {
    source
        .lines()
        .map(|line| match line.find("//") {
            Some(i) if !line[..i].contains('"') => &line[..i],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every breach of `rule` in `source`: (line number, the forbidden path).
fn breaches(rule: &Rule, source: &str) -> Vec<(usize, &'static str)> {
    let code = code_of(source);
    let mut found = vec![];
    for (i, line) in code.lines().enumerate() {
        for f in rule.forbidden {
            let hit = line.match_indices(f).any(|(at, _)| {
                // `crate::api` but not `crate::apikey`: the path segment ends there.
                let next = line[at + f.len()..].chars().next();
                f.ends_with("::") || !next.is_some_and(|c| c.is_alphanumeric() || c == '_')
            });
            if hit {
                found.push((i + 1, *f));
            }
        }
    }
    found
}

#[test]
fn no_adapter_imports_another_and_use_cases_know_no_adapter() {
    let root = workspace();
    let mut failures = vec![];
    let mut checked = 0;
    for rule in RULES {
        let mut files = vec![];
        rust_files(&root.join(rule.dir), &mut files);
        assert!(!files.is_empty(), "{} has no sources: moved?", rule.dir);
        for file in files {
            let source = std::fs::read_to_string(&file).expect("readable source");
            checked += 1;
            for (line, path) in breaches(rule, &source) {
                failures.push(format!(
                    "{}:{line}: names `{path}` ({})",
                    file.strip_prefix(&root).unwrap_or(&file).display(),
                    rule.why
                ));
            }
        }
    }
    assert!(checked > 40, "only {checked} files checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The parameters of every `fn` signature in `source` (up to the body or `;`).
fn signatures(source: &str) -> Vec<String> {
    let code = code_of(source);
    let mut out = vec![];
    let mut rest = code.as_str();
    while let Some(at) = rest.find("fn ") {
        let after = &rest[at..];
        let end = after.find(['{', ';']).unwrap_or(after.len());
        out.push(after[..end].to_string());
        rest = &after[end.min(after.len())..];
    }
    out
}

#[test]
fn no_use_case_takes_a_raw_json_value() {
    let root = workspace();
    let mut files = vec![];
    rust_files(&root.join("crates/server/src/app"), &mut files);
    let mut failures = vec![];
    for file in files {
        // The decoder is what turns a JSON value into a command, for the API's extractors and
        // for the content of a signed envelope: taking a value is its purpose.
        if file.ends_with("app/decode.rs") {
            continue;
        }
        let source = std::fs::read_to_string(&file).expect("readable source");
        for sig in signatures(&source) {
            let public = sig.starts_with("fn ") && source.contains(&format!("pub {sig}"))
                || source.contains(&format!("pub async {sig}"));
            let params = sig.split("->").next().unwrap_or("");
            if public && (params.contains("serde_json::Value") || params.contains(": Value")) {
                failures.push(format!("{}: {}", file.display(), sig.trim()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The sibling modules a module of `layer` names (`crate::layer::x`, `super::x` from a file of
/// the layer's top level).
fn module_graph(layer: &str) -> BTreeMap<String, BTreeSet<String>> {
    let dir = workspace().join("crates/server/src").join(layer);
    let mut files = vec![];
    rust_files(&dir, &mut files);
    let module = |p: &Path| -> String {
        let rel = p.strip_prefix(&dir).expect("under the layer");
        let first = rel.components().next().expect("a component");
        first
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string()
    };
    let names: BTreeSet<String> = files.iter().map(|f| module(f)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let from = module(file);
        if from == "mod" {
            continue;
        }
        let code = code_of(&std::fs::read_to_string(file).expect("readable source"));
        let top_level = file.parent() == Some(dir.as_path());
        for to in &names {
            if to == &from || to == "mod" {
                continue;
            }
            let full = format!("crate::{layer}::{to}");
            let sup = format!("super::{to}");
            let named = mentions(&code, &full) || (top_level && mentions(&code, &sup));
            if named {
                graph.entry(from.clone()).or_default().insert(to.clone());
            }
        }
    }
    graph
}

/// Whether `code` names the path `p` as a whole segment.
fn mentions(code: &str, p: &str) -> bool {
    code.match_indices(p).any(|(at, _)| {
        let next = code[at + p.len()..].chars().next();
        !next.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// A cycle of the graph, if any, as the path that closes it.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == n) {
            let mut c = path[i..].to_vec();
            c.push(n.to_string());
            return Some(c);
        }
        if done.contains(n) {
            return None;
        }
        path.push(n.to_string());
        for m in graph.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for n in graph.keys() {
        if let Some(c) = visit(n, graph, &mut vec![], &mut done) {
            return Some(c);
        }
    }
    None
}

#[test]
fn the_modules_of_each_layer_form_no_cycle() {
    for layer in [
        "api",
        "app",
        "app/monitoring",
        "app/registry",
        "web",
        "web/admin",
    ] {
        let graph = module_graph(layer);
        if let Some(c) = cycle(&graph) {
            panic!("a cycle among the modules of {layer}/: {}", c.join(" → "));
        }
    }
}

#[test]
fn the_checks_catch_what_they_look_for() {
    // A web page that calls an API handler is a breach; a comment that names one is not.
    let web = &RULES[0];
    assert_eq!(
        breaches(
            web,
            "use crate::api::events::record_event;\n// crate::api is not for pages"
        ),
        vec![(1, "crate::api")]
    );
    assert!(breaches(web, "use crate::apikeys::x;").is_empty());
    let app = &RULES[3];
    assert_eq!(breaches(app, "use axum::Json;").len(), 1);
    // A public use case taking a raw JSON value is found.
    let sigs = signatures("pub async fn record(body: serde_json::Value) -> R { }");
    assert_eq!(sigs.len(), 1);
    assert!(sigs[0].contains("serde_json::Value"));
    // Cycles are found, and a chain is no cycle.
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    g.entry("a".into()).or_default().insert("b".into());
    assert!(cycle(&g).is_none());
    g.entry("b".into()).or_default().insert("a".into());
    assert_eq!(cycle(&g), Some(vec!["a".into(), "b".into(), "a".into()]));
}
