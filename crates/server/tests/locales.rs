//! The locale files as a translator leaves them (issue 16, B.8): every message and term, and
//! every attribute of one, exists in Kazakh, Russian and English, in the same file, and in one
//! file of a language only; no message is empty; none shown to people cites an internal
//! document (an ADR, a page of `docs/`, an issue, the regulations' internal numbers such as
//! "000 §12"); and none of the workstation's shows a raw field or value name (`on_time`,
//! `term_variant`). Read from `locales/` on disk with fluent-syntax, so a file added to one
//! language and not the others fails too.

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const LANGUAGES: [&str; 3] = ["kk", "ru", "en"];

fn locales() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales")
}

/// The `.ftl` files of a language's directory, by name.
fn files(lang: &str) -> BTreeMap<String, String> {
    let dir = locales().join(lang);
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// The plain text a pattern shows, with `{…}` for each placeable; every variant of a select.
fn text_of(p: &Pattern<&str>, out: &mut String) {
    for e in &p.elements {
        match e {
            PatternElement::TextElement { value } => out.push_str(value),
            PatternElement::Placeable { expression } => match expression {
                Expression::Select { variants, .. } => {
                    for v in variants {
                        text_of(&v.value, out);
                        out.push(' ');
                    }
                }
                Expression::Inline(InlineExpression::StringLiteral { value }) => {
                    out.push_str(value)
                }
                Expression::Inline(_) => out.push_str("{…}"),
            },
        }
    }
}

/// Every key of a file (`id`, `id.attribute`, `-term`) with the text it shows.
fn keys(lang: &str, file: &str, source: &str) -> BTreeMap<String, String> {
    let resource = match fluent_syntax::parser::parse(source) {
        Ok(r) => r,
        Err((_, errors)) => panic!("{lang}/{file} does not parse: {errors:?}"),
    };
    let mut out = BTreeMap::new();
    let mut add = |key: String, pattern: Option<&Pattern<&str>>| {
        let mut text = String::new();
        if let Some(p) = pattern {
            text_of(p, &mut text);
        }
        assert!(
            out.insert(key.clone(), text).is_none(),
            "{lang}/{file}: {key} twice"
        );
    };
    for entry in &resource.body {
        let (prefix, id, value, attributes) = match entry {
            Entry::Message(m) => ("", m.id.name, m.value.as_ref(), &m.attributes),
            Entry::Term(t) => ("-", t.id.name, Some(&t.value), &t.attributes),
            Entry::Junk { content } => panic!("{lang}/{file}: unreadable entry {content:?}"),
            _ => continue,
        };
        // A message of attributes only has no value of its own to show.
        if value.is_some() || attributes.is_empty() {
            add(format!("{prefix}{id}"), value);
        }
        for a in attributes {
            add(format!("{prefix}{id}.{}", a.id.name), Some(&a.value));
        }
    }
    out
}

/// What a text cites that a reader of the page cannot open: an internal document.
fn internal_reference(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    if text.contains("ADR") {
        return Some("an ADR");
    }
    if lower.contains("docs/") || lower.contains(".md") {
        return Some("a page of docs/");
    }
    if text.contains("MISSION") {
        return Some("MISSION");
    }
    let after_issue = lower.match_indices("issue ").map(|(i, _)| &lower[i + 6..]);
    if after_issue
        .into_iter()
        .any(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
    {
        return Some("an issue");
    }
    // "000 §12", "003 §19": the regulations' internal numbers.
    let chars: Vec<char> = lower.chars().collect();
    if chars
        .windows(5)
        .any(|w| w[0] == '0' && w[1] == '0' && w[2].is_ascii_digit() && w[3] == ' ' && w[4] == '§')
    {
        return Some("a regulation's internal number");
    }
    None
}

/// A raw identifier in the text (`on_time`, `term_variant`): lowercase letters joined by `_`.
fn raw_name(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_'
            && i > 0
            && chars[i - 1].is_ascii_lowercase()
            && chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase())
        {
            let start = chars[..i]
                .iter()
                .rposition(|c| !(c.is_ascii_lowercase() || *c == '_'))
                .map(|p| p + 1)
                .unwrap_or(0);
            let end = chars[i..]
                .iter()
                .position(|c| !(c.is_ascii_lowercase() || *c == '_'))
                .map(|p| i + p)
                .unwrap_or(chars.len());
            return Some(chars[start..end].iter().collect());
        }
    }
    None
}

#[test]
fn every_locale_has_every_key_and_no_message_is_empty() {
    let by_lang: BTreeMap<&str, BTreeMap<String, String>> =
        LANGUAGES.iter().map(|l| (*l, files(l))).collect();
    let names: BTreeSet<&String> = by_lang.values().flat_map(|f| f.keys()).collect();
    assert!(names.len() >= 3, "the locale files: {names:?}");
    let mut problems = Vec::new();
    for name in names {
        let mut all: BTreeMap<&str, BTreeMap<String, String>> = BTreeMap::new();
        for lang in LANGUAGES {
            match by_lang[lang].get(name) {
                Some(source) => {
                    all.insert(lang, keys(lang, name, source));
                }
                None => problems.push(format!("{lang} has no {name}")),
            }
        }
        let every: BTreeSet<&String> = all.values().flat_map(|k| k.keys()).collect();
        for key in every {
            for (lang, keys) in &all {
                match keys.get(key) {
                    None => problems.push(format!("{lang}/{name}: {key} is missing")),
                    Some(text) if text.trim().is_empty() => {
                        problems.push(format!("{lang}/{name}: {key} is empty"))
                    }
                    Some(text) => {
                        if let Some(what) = internal_reference(text) {
                            problems.push(format!("{lang}/{name}: {key} cites {what}: {text}"));
                        }
                        // The workstation's messages speak in words; the API's may name the
                        // values a client sends (`working_days`).
                        if name != "main.ftl" {
                            if let Some(raw) = raw_name(text) {
                                problems.push(format!("{lang}/{name}: {key} shows {raw}: {text}"));
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A language's files make one bundle: a key in two of its files would stop the server.
#[test]
fn no_key_is_in_two_files_of_a_language() {
    let mut problems = Vec::new();
    for lang in LANGUAGES {
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for (name, source) in files(lang) {
            for key in keys(lang, &name, &source).into_keys() {
                if let Some(other) = seen.insert(key.clone(), name.clone()) {
                    problems.push(format!("{lang}: {key} in {other} and {name}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_checks_find_what_they_look_for() {
    let ftl =
        "a = x\nb = { $n ->\n  [one] one\n *[other] many\n}\nc =\n    .title = T\n-t = term\n";
    let k = keys("en", "t.ftl", ftl);
    assert_eq!(
        k.keys().map(String::as_str).collect::<Vec<_>>(),
        ["-t", "a", "b", "c.title"]
    );
    assert!(k["b"].contains("one") && k["b"].contains("many"));
    assert!(keys("en", "t.ftl", "e = { \"\" }\n")["e"].is_empty());
    assert_eq!(internal_reference("see ADR 0011"), Some("an ADR"));
    assert_eq!(
        internal_reference("in docs/reports.md"),
        Some("a page of docs/")
    );
    assert_eq!(internal_reference("since issue 15"), Some("an issue"));
    assert_eq!(
        internal_reference("by service (000 §12)."),
        Some("a regulation's internal number")
    );
    assert_eq!(internal_reference("Labour Code, art. 84"), None);
    assert_eq!(internal_reference("the channel of submission"), None);
    assert_eq!(
        raw_name("one of due, on_time, late").as_deref(),
        Some("on_time")
    );
    assert_eq!(raw_name("'.', '_' or '-'"), None);
}
