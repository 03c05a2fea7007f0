//! Properties of the validated text (issue 15, finding 3): whatever a constructor accepts is
//! stable (validating it again gives it back), holds no refused character, is trimmed, NFC,
//! within its bound and shows something; whatever it refuses, it refuses for a reason that
//! names a character really in the value.

use proptest::prelude::*;
use qyzmet_domain::text::{is_invisible, is_noncharacter, Line, Text, TextError};
use unicode_normalization::is_nfc;

/// Characters that matter here, mixed with letters: controls, bidi controls, invisibles,
/// marks, noncharacters, whitespace of every kind, Kazakh and Russian letters.
fn interesting() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => prop::sample::select(vec![
            'а', 'ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і', 'Ә', 'Ё', 'E', 'z', '-', '\'', '1',
        ]),
        2 => prop::sample::select(vec![
            '\u{0}', '\u{7}', '\t', '\n', '\r', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}',
            '\u{2028}', '\u{2029}', '\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}', '\u{200E}',
            '\u{200F}', '\u{061C}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}',
            '\u{AD}', '\u{34F}', '\u{115F}', '\u{1160}', '\u{3164}', '\u{FFA0}', '\u{2800}',
            '\u{FE0F}', '\u{0301}', '\u{0308}', ' ', '\u{A0}', '\u{3000}', '\u{2003}', '\u{FFFE}',
            '\u{FFFF}', '\u{FDD0}', '\u{FFF9}', '\u{E0001}', '\u{1F600}',
        ]),
        1 => any::<char>(),
    ]
}

fn strings() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(interesting(), 0..24).prop_map(|v| v.into_iter().collect()),
        any::<String>(),
    ]
}

fn refused_anywhere(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FFF9}'..='\u{FFFB}')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        || is_noncharacter(c)
}

fn check_accepted(v: &str, max: usize, multi_line: bool) {
    assert_eq!(v, v.trim());
    assert!(!v.is_empty());
    assert!(v.chars().count() <= max);
    assert!(is_nfc(v));
    assert!(!v.chars().all(is_invisible));
    for c in v.chars() {
        assert!(!refused_anywhere(c), "{c:?} in {v:?}");
        if !multi_line {
            assert!(!matches!(c, '\t' | '\n' | '\r'), "{c:?} in {v:?}");
        }
    }
    if multi_line {
        // A CR only ever starts a CR LF.
        let b = v.as_bytes();
        for (i, _) in v.match_indices('\r') {
            assert_eq!(b.get(i + 1), Some(&b'\n'), "{v:?}");
        }
    }
}

fn check_refused(s: &str, e: &TextError) {
    if let Some((position, c)) = e.offending() {
        assert_eq!(s.chars().nth(position - 1), Some(c), "{e} in {s:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn a_line_is_what_it_accepted(s in strings(), max in 1usize..30) {
        match Line::new(&s, max) {
            Ok(line) => {
                check_accepted(line.as_str(), max, false);
                prop_assert_eq!(Line::new(line.as_str(), max), Ok(line.clone()));
            }
            Err(e) => check_refused(&s, &e),
        }
    }

    #[test]
    fn a_text_is_what_it_accepted(s in strings(), max in 1usize..30) {
        match Text::new(&s, max) {
            Ok(text) => {
                check_accepted(text.as_str(), max, true);
                prop_assert_eq!(Text::new(text.as_str(), max), Ok(text.clone()));
            }
            Err(e) => check_refused(&s, &e),
        }
    }

    #[test]
    fn letters_with_spaces_inside_are_always_a_line(
        words in prop::collection::vec("[а-яәғқңөұүһіА-ЯӘҒҚҢӨҰҮҺІ'-]{1,8}", 1..4)
    ) {
        let name = words.join(" ");
        prop_assert_eq!(Line::new(&format!("  {name} "), 200).map(Line::into_string), Ok(name));
    }
}
