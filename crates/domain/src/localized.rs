//! Texts kept in the system's three languages (Kazakh, Russian, English) and the one rule for
//! choosing among them: the language asked for, then Russian, then Kazakh, then English, so
//! that a reader is never shown an empty text while any language has one.

/// The order in which a missing text falls back: Russian first (every reader of the
/// workstation reads it), then Kazakh, then English.
const FALLBACK: [&str; 3] = ["ru", "kk", "en"];

/// The text of `lang` (`kk`, `ru`, `en`) among `kk`, `ru` and `en`, falling back to Russian,
/// then Kazakh, then English when it is empty (blank counts as empty).
pub fn pick<'a>(lang: &str, kk: &'a str, ru: &'a str, en: &'a str) -> &'a str {
    let of = |code: &str| match code {
        "kk" => kk,
        "ru" => ru,
        _ => en,
    };
    std::iter::once(lang)
        .chain(FALLBACK)
        .map(of)
        .find(|t| !t.trim().is_empty())
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_asked_for_then_russian_then_kazakh_then_english() {
        assert_eq!(pick("kk", "қаз", "рус", "eng"), "қаз");
        assert_eq!(pick("en", "қаз", "рус", "eng"), "eng");
        assert_eq!(pick("en", "қаз", "рус", ""), "рус");
        assert_eq!(pick("kk", " ", "рус", "eng"), "рус");
        assert_eq!(pick("ru", "қаз", "", "eng"), "қаз");
        assert_eq!(pick("ru", "", "", "eng"), "eng");
        assert_eq!(pick("xx", "", "", ""), "");
    }
}
