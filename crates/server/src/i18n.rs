//! Messages in Kazakh, Russian and English (Fluent files under `locales/`), and the choice
//! of language from a request's Accept-Language. Kazakh is the default.

use axum::http::HeaderMap;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use std::sync::OnceLock;
use unic_langid::LanguageIdentifier;

/// A language of the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Kk,
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// The language of a stored or submitted code (`kk`, `ru`, `en`).
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The language's own name, as the switcher shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Kk => "Қазақша",
            Lang::Ru => "Русский",
            Lang::En => "English",
        }
    }

    fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.trim().to_ascii_lowercase();
        match primary.as_str() {
            "kk" | "kz" => Some(Lang::Kk),
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The best supported language of an Accept-Language header (q-values honoured);
    /// Kazakh when none is supported or the header is absent.
    pub fn from_accept_language(value: Option<&str>) -> Lang {
        let Some(value) = value else { return Lang::Kk };
        let mut best: Option<(f32, usize, Lang)> = None;
        for (i, part) in value.split(',').enumerate() {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let q = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            if q <= 0.0 {
                continue;
            }
            if let Some(lang) = Lang::from_tag(tag) {
                let better = match best {
                    None => true,
                    Some((bq, bi, _)) => q > bq || (q == bq && i < bi),
                };
                if better {
                    best = Some((q, i, lang));
                }
            }
        }
        best.map(|b| b.2).unwrap_or(Lang::Kk)
    }

    pub fn from_headers(headers: &HeaderMap) -> Lang {
        Lang::from_accept_language(
            headers
                .get(axum::http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok()),
        )
    }
}

/// Each language's files: the API's messages, the workstation's, the administrator's forms,
/// and the application page's account of its deadline.
const SOURCES: [(Lang, [&str; 8]); 3] = [
    (
        Lang::Kk,
        [
            include_str!("../../../locales/kk/main.ftl"),
            include_str!("../../../locales/kk/web.ftl"),
            include_str!("../../../locales/kk/admin.ftl"),
            include_str!("../../../locales/kk/application.ftl"),
            include_str!("../../../locales/kk/passport.ftl"),
            include_str!("../../../locales/kk/public.ftl"),
            include_str!("../../../locales/kk/informing.ftl"),
            include_str!("../../../locales/kk/front_office.ftl"),
        ],
    ),
    (
        Lang::Ru,
        [
            include_str!("../../../locales/ru/main.ftl"),
            include_str!("../../../locales/ru/web.ftl"),
            include_str!("../../../locales/ru/admin.ftl"),
            include_str!("../../../locales/ru/application.ftl"),
            include_str!("../../../locales/ru/passport.ftl"),
            include_str!("../../../locales/ru/public.ftl"),
            include_str!("../../../locales/ru/informing.ftl"),
            include_str!("../../../locales/ru/front_office.ftl"),
        ],
    ),
    (
        Lang::En,
        [
            include_str!("../../../locales/en/main.ftl"),
            include_str!("../../../locales/en/web.ftl"),
            include_str!("../../../locales/en/admin.ftl"),
            include_str!("../../../locales/en/application.ftl"),
            include_str!("../../../locales/en/passport.ftl"),
            include_str!("../../../locales/en/public.ftl"),
            include_str!("../../../locales/en/informing.ftl"),
            include_str!("../../../locales/en/front_office.ftl"),
        ],
    ),
];

fn bundles() -> &'static [(Lang, FluentBundle<FluentResource>)] {
    static BUNDLES: OnceLock<Vec<(Lang, FluentBundle<FluentResource>)>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        SOURCES
            .iter()
            .map(|(lang, texts)| {
                let id: LanguageIdentifier = lang.code().parse().expect("static language tag");
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                bundle.set_use_isolating(false);
                for text in texts {
                    let res = FluentResource::try_new(text.to_string())
                        .expect("locale files are checked by tests");
                    bundle.add_resource(res).expect("no duplicate message ids");
                }
                (*lang, bundle)
            })
            .collect()
    })
}

/// The message `id` in `lang` with `args`; English, then the id itself, when missing.
pub fn message(lang: Lang, id: &str, args: &[(&str, String)]) -> String {
    let mut fluent_args = FluentArgs::new();
    for (k, v) in args {
        // A count (`n`) is a number, so plural variants select on it; other arguments stay
        // text (an IIN or a serial number must keep its leading zeros).
        match (*k, v.parse::<i64>()) {
            ("n", Ok(n)) => fluent_args.set(*k, n),
            _ => fluent_args.set(*k, v.clone()),
        }
    }
    for try_lang in [lang, Lang::En] {
        let Some((_, bundle)) = bundles().iter().find(|(l, _)| *l == try_lang) else {
            continue;
        };
        if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
            let mut errors = vec![];
            return bundle
                .format_pattern(pattern, Some(&fluent_args), &mut errors)
                .into_owned();
        }
    }
    id.to_string()
}

/// A request field's path (`applicant.iin`, `events[3].occurred_at`, `terms[1].unit`) in words
/// in `lang`, as messages name it: the label of the whole path without its indexes, else of
/// its longest tail that has one, with the item's number (from 1) when the path has one.
/// `None` when the locale has no label for it.
pub fn field_label(lang: Lang, path: &str) -> Option<String> {
    let mut plain = String::with_capacity(path.len());
    let mut index: Option<u64> = None;
    let mut rest = path;
    while let Some(open) = rest.find('[') {
        plain.push_str(&rest[..open]);
        let close = rest[open..].find(']').map(|c| open + c)?;
        if index.is_none() {
            index = rest[open + 1..close].parse::<u64>().ok();
        }
        rest = &rest[close + 1..];
    }
    plain.push_str(rest);
    let id = |p: &str| format!("request-field-{}", p.replace(['.', '_'], "-"));
    // The whole path, then ever shorter tails of it: `terms.name.kk`, `name.kk`, `kk`.
    let tails = std::iter::once(plain.as_str())
        .chain(plain.match_indices('.').map(|(i, _)| &plain[i + 1..]));
    let label = tails
        .map(id)
        .find(|m| has_message(lang, m))
        .map(|m| message(lang, &m, &[]))?;
    Some(match index {
        Some(i) => message(
            lang,
            "request-field-item",
            &[("label", label), ("n", (i + 1).to_string())],
        ),
        None => label,
    })
}

/// A month and its year as `lang` writes them in full: "2026 жылғы наурыз", "март 2026 г.",
/// "March 2026".
pub fn month_name(lang: Lang, year: i16, month: i8) -> String {
    // The calendar's month names are headings ("Наурыз"); inside a phrase Kazakh and Russian
    // write them in lower case.
    let name = message(lang, &format!("month-{month}"), &[]);
    let name = match lang {
        Lang::En => name,
        Lang::Kk | Lang::Ru => name.to_lowercase(),
    };
    message(
        lang,
        "month-year",
        &[("month", name), ("year", year.to_string())],
    )
}

/// Whether a message id exists in every language (used by tests of the locale files).
pub fn has_message(lang: Lang, id: &str) -> bool {
    bundles()
        .iter()
        .any(|(l, b)| *l == lang && b.has_message(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_best_supported() {
        assert_eq!(Lang::from_accept_language(None), Lang::Kk);
        assert_eq!(
            Lang::from_accept_language(Some("ru-RU,ru;q=0.9,en;q=0.8")),
            Lang::Ru
        );
        assert_eq!(
            Lang::from_accept_language(Some("de, en;q=0.5, ru;q=0.7")),
            Lang::Ru
        );
        assert_eq!(Lang::from_accept_language(Some("en-US")), Lang::En);
        assert_eq!(Lang::from_accept_language(Some("fr")), Lang::Kk);
        assert_eq!(
            Lang::from_accept_language(Some("kk-KZ, ru;q=0.1")),
            Lang::Kk
        );
    }

    fn ids_of(texts: &[&'static str]) -> std::collections::BTreeSet<&'static str> {
        texts
            .iter()
            .flat_map(|t| t.lines())
            .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && l.contains(" ="))
            .map(|l| l.split(" =").next().unwrap_or("").trim())
            .collect()
    }

    /// The three languages have exactly the same message ids, and every file parses.
    #[test]
    fn locales_have_the_same_messages() {
        for (lang, texts) in &SOURCES {
            for text in texts {
                if let Err((_, errors)) = FluentResource::try_new(text.to_string()) {
                    panic!("{} has syntax errors: {errors:?}", lang.code());
                }
            }
        }
        let en = ids_of(&SOURCES[2].1);
        assert!(en.len() > 200, "English has {} messages", en.len());
        for (lang, texts) in &SOURCES[..2] {
            let ids = ids_of(texts);
            let missing: Vec<_> = en.difference(&ids).collect();
            let extra: Vec<_> = ids.difference(&en).collect();
            assert!(
                missing.is_empty(),
                "missing in {}: {missing:?}",
                lang.code()
            );
            assert!(extra.is_empty(), "only in {}: {extra:?}", lang.code());
        }
    }

    #[test]
    fn fields_are_named_in_words() {
        assert_eq!(
            field_label(Lang::Ru, "applicant.iin").as_deref(),
            Some("ИИН заявителя")
        );
        assert_eq!(
            field_label(Lang::En, "events[3].occurred_at").as_deref(),
            Some("the time of the event (item 4)")
        );
        assert_eq!(
            field_label(Lang::Kk, "terms[0].unit").as_deref(),
            Some("мерзім бірлігі (№ 1 жазба)")
        );
        assert_eq!(
            field_label(Lang::Ru, "terms[0].name.kk").as_deref(),
            Some("наименование на казахском языке (запись № 1)")
        );
        assert_eq!(field_label(Lang::En, "no_such_field"), None);
        assert_eq!(field_label(Lang::En, "broken[1"), None);
    }

    #[test]
    fn months_are_named_in_full() {
        assert_eq!(month_name(Lang::En, 2026, 3), "March 2026");
        assert_eq!(month_name(Lang::Ru, 2026, 3), "март 2026 г.");
        assert_eq!(month_name(Lang::Kk, 2026, 3), "2026 жылғы наурыз");
    }

    #[test]
    fn messages_interpolate() {
        let m = message(
            Lang::En,
            "error-required",
            &[("field", "applicant.iin".into())],
        );
        assert!(m.contains("applicant.iin"), "{m}");
    }
}
