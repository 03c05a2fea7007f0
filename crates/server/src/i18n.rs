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

const SOURCES: [(Lang, &str); 3] = [
    (Lang::Kk, include_str!("../../../locales/kk/main.ftl")),
    (Lang::Ru, include_str!("../../../locales/ru/main.ftl")),
    (Lang::En, include_str!("../../../locales/en/main.ftl")),
];

fn bundles() -> &'static [(Lang, FluentBundle<FluentResource>)] {
    static BUNDLES: OnceLock<Vec<(Lang, FluentBundle<FluentResource>)>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        SOURCES
            .iter()
            .map(|(lang, text)| {
                let id: LanguageIdentifier = lang.code().parse().expect("static language tag");
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                bundle.set_use_isolating(false);
                let res = FluentResource::try_new(text.to_string())
                    .expect("locale files are checked by tests");
                bundle.add_resource(res).expect("no duplicate message ids");
                (*lang, bundle)
            })
            .collect()
    })
}

/// The message `id` in `lang` with `args`; English, then the id itself, when missing.
pub fn message(lang: Lang, id: &str, args: &[(&str, String)]) -> String {
    let mut fluent_args = FluentArgs::new();
    for (k, v) in args {
        fluent_args.set(*k, v.clone());
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

    /// Every message id of the English file exists in Kazakh and Russian too.
    #[test]
    fn locales_have_the_same_messages() {
        let en = SOURCES[2].1;
        let ids: Vec<&str> = en
            .lines()
            .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && l.contains(" ="))
            .map(|l| l.split(" =").next().unwrap_or("").trim())
            .collect();
        assert!(ids.len() > 20, "English file has {} messages", ids.len());
        for lang in [Lang::Kk, Lang::Ru] {
            for id in &ids {
                assert!(has_message(lang, id), "{id} missing in {}", lang.code());
            }
        }
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
