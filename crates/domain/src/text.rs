//! Validated free text: the one rule every text that enters qyzmet passes, whether it comes
//! through the API, the workstation or the command line (DESIGN "Validated newtypes"; issue
//! 15). [`Line`] is a single line (names, labels, legal sources, external ids, a person);
//! [`Text`] may span lines (reasons, descriptions, comments). Both are trimmed, bounded,
//! in Unicode Normalization Form C, and free of the characters below; the refusal names the
//! first offending character's position and code point, never the value (it may be personal
//! data).
//!
//! Refused anywhere in the value:
//! - control characters (general category Cc: C0, DEL, C1 such as U+0085), except tab, line
//!   feed and CR LF in a [`Text`]; a lone CR, and the separators U+2028/U+2029 (Zl, Zp), which
//!   break lines in some readers and not in others;
//! - the bidirectional embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069
//!   ("Trojan Source", CVE-2021-42574): they reorder what a reader sees beyond the character
//!   itself, so a name could display as another;
//! - the interlinear annotation controls U+FFF9–U+FFFB, which hide text between them;
//! - noncharacters (U+FDD0–U+FDEF and the last two code points of every plane), which Unicode
//!   reserves for a program's internal use and never for interchange.
//!
//! The implicit directional marks LRM, RLM and ALM (U+200E, U+200F, U+061C) are allowed: each
//! acts as one invisible letter of its direction and cannot reorder anything else, and names
//! in Arabic script (Kazakh is written in it in China) need them beside digits and Latin
//! text. Private-use characters are allowed (legacy Kazakh fonts placed letters there), and
//! so are code points unassigned in the tables here: a newer Unicode version may assign them.
//!
//! A value must show something: one made only of invisible characters is refused. Invisible
//! means White_Space, Default_Ignorable_Code_Point (zero-width space and joiners, word joiner,
//! soft hyphen, BOM, variation selectors, the Hangul fillers U+115F/U+1160/U+3164/U+FFA0,
//! the directional marks, tags…), a combining mark without a base (general category M), or
//! the Braille pattern blank U+2800 (drawn as nothing, and the usual "empty name" trick).
//!
//! Normalization: canonically equivalent spellings are the same text to a reader (Unicode
//! C6), so the value is stored in NFC (as W3C's character model recommends): "Ё" typed as
//! "Е" and a combining diaeresis and "Ё" typed at once are one name, for equality, retries
//! and search alike. Length is counted in characters of the normalized value.

use std::fmt;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Why a text was refused. [`TextError::code`] is stable: it is the API's error code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// Nothing but whitespace.
    #[error("the text is empty")]
    Empty,
    /// More characters than the field takes.
    #[error("the text is longer than {max} characters")]
    TooLong { max: usize },
    /// A control character, or a line break where none is allowed.
    #[error("character {position} ({}) is a control character", code_point(*.character))]
    ControlCharacter { position: usize, character: char },
    /// A bidirectional embedding, override or isolate.
    #[error("character {position} ({}) is a bidirectional control", code_point(*.character))]
    BidiControl { position: usize, character: char },
    /// A noncharacter.
    #[error("character {position} ({}) is a noncharacter", code_point(*.character))]
    Noncharacter { position: usize, character: char },
    /// Only invisible characters.
    #[error("the text has no visible character")]
    Invisible,
}

impl TextError {
    /// The stable code: `empty`, `too_long`, `text_control_character`, `text_bidi_control`,
    /// `text_noncharacter` or `text_invisible`.
    pub fn code(&self) -> &'static str {
        match self {
            TextError::Empty => "empty",
            TextError::TooLong { .. } => "too_long",
            TextError::ControlCharacter { .. } => "text_control_character",
            TextError::BidiControl { .. } => "text_bidi_control",
            TextError::Noncharacter { .. } => "text_noncharacter",
            TextError::Invisible => "text_invisible",
        }
    }

    /// The offending character: its 1-based position in the value as sent, and the character.
    pub fn offending(&self) -> Option<(usize, char)> {
        match self {
            TextError::ControlCharacter {
                position,
                character,
            }
            | TextError::BidiControl {
                position,
                character,
            }
            | TextError::Noncharacter {
                position,
                character,
            } => Some((*position, *character)),
            _ => None,
        }
    }
}

/// A character as Unicode writes it: `U+202E`.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// Whether values may span lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lines {
    One,
    Many,
}

/// A single line of text: trimmed, NFC, 1 to `max` characters, no control, bidi control or
/// noncharacter, not invisible.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Line(String);

/// Text that may span lines (tab, LF and CR LF allowed), otherwise as [`Line`].
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Text(String);

impl Line {
    /// Validates `s` as a single line of at most `max` characters.
    pub fn new(s: &str, max: usize) -> Result<Line, TextError> {
        validate(s, max, Lines::One).map(Line)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl Text {
    /// Validates `s` as a text of at most `max` characters, lines allowed.
    pub fn new(s: &str, max: usize) -> Result<Text, TextError> {
        validate(s, max, Lines::Many).map(Text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

// Debug shows the length only: these values are names and reasons, personal data that must
// not reach a log through a `{:?}`.
impl fmt::Debug for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Line({} chars)", self.0.chars().count())
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Text({} chars)", self.0.chars().count())
    }
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Line {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

fn validate(s: &str, max: usize, lines: Lines) -> Result<String, TextError> {
    let mut chars = s.chars().enumerate().peekable();
    while let Some((i, c)) = chars.next() {
        let position = i + 1;
        let next_is_lf = chars.peek().is_some_and(|(_, n)| *n == '\n');
        let refusal = match refusal(c, lines, next_is_lf) {
            None => continue,
            Some(r) => r,
        };
        return Err(match refusal {
            Refusal::Control => TextError::ControlCharacter {
                position,
                character: c,
            },
            Refusal::Bidi => TextError::BidiControl {
                position,
                character: c,
            },
            Refusal::Noncharacter => TextError::Noncharacter {
                position,
                character: c,
            },
        });
    }
    let trimmed = s.trim();
    if trimmed.is_empty() {
        return Err(TextError::Empty);
    }
    if trimmed.chars().all(is_invisible) {
        return Err(TextError::Invisible);
    }
    let normalized = match is_nfc_quick(trimmed.chars()) {
        IsNormalized::Yes => trimmed.to_string(),
        _ => trimmed.nfc().collect(),
    };
    if normalized.chars().count() > max {
        return Err(TextError::TooLong { max });
    }
    Ok(normalized)
}

enum Refusal {
    Control,
    Bidi,
    Noncharacter,
}

/// Why `c` may not appear in a value (`None`: it may).
fn refusal(c: char, lines: Lines, next_is_lf: bool) -> Option<Refusal> {
    match c {
        '\t' | '\n' if lines == Lines::Many => None,
        '\r' if lines == Lines::Many && next_is_lf => None,
        c if c.is_control() => Some(Refusal::Control),
        '\u{2028}' | '\u{2029}' | '\u{FFF9}'..='\u{FFFB}' => Some(Refusal::Control),
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => Some(Refusal::Bidi),
        c if is_noncharacter(c) => Some(Refusal::Noncharacter),
        _ => None,
    }
}

/// Whether `c` is refused anywhere in a single-line value (a multi-line one also takes tab,
/// line feed and CR LF). The OpenAPI document's text patterns are computed from this.
pub fn is_refused(c: char) -> bool {
    refusal(c, Lines::One, false).is_some()
}

/// Unicode's 66 noncharacters: U+FDD0–U+FDEF and U+xxFFFE, U+xxFFFF of every plane.
pub fn is_noncharacter(c: char) -> bool {
    let n = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&n) || n & 0xFFFE == 0xFFFE
}

/// Whether `c` shows nothing by itself: whitespace, a default-ignorable code point, a
/// combining mark (nothing to combine with when alone), or the Braille pattern blank.
pub fn is_invisible(c: char) -> bool {
    c.is_whitespace() || is_default_ignorable(c) || is_combining_mark(c) || c == '\u{2800}'
}

/// Default_Ignorable_Code_Point, from Unicode's DerivedCoreProperties.txt (the property is
/// stable: its ranges include the code points reserved for future ignorables, so new
/// Unicode versions do not change this list).
pub fn is_default_ignorable(c: char) -> bool {
    matches!(
        u32::from(c),
        0x00AD
            | 0x034F
            | 0x061C
            | 0x115F..=0x1160
            | 0x17B4..=0x17B5
            | 0x180B..=0x180F
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x206F
            | 0x3164
            | 0xFE00..=0xFE0F
            | 0xFEFF
            | 0xFFA0
            | 0xFFF0..=0xFFF8
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(s: &str) -> Result<String, TextError> {
        Line::new(s, 20).map(Line::into_string)
    }

    fn text(s: &str) -> Result<String, TextError> {
        Text::new(s, 20).map(Text::into_string)
    }

    #[test]
    fn names_of_every_kind_are_lines() {
        for name in [
            "Әл-Фараби",
            "O'Brien",
            "Құрманғазы",
            "әғқңөұүһі ӘҒҚҢӨҰҮҺІ",
            "Иванов-Петров",
            "Ёлкин",
            "Ma\u{200C}ria",
            "\u{200E}Айбек",
            "ext-\u{1F600}",
            "\u{E000}",
        ] {
            assert_eq!(line(name).as_deref(), Ok(name), "{name:?}");
        }
    }

    #[test]
    fn values_are_trimmed_and_composed() {
        assert_eq!(line("  Айбек \u{A0}").as_deref(), Ok("Айбек"));
        assert_eq!(line("Е\u{0308}лкин").as_deref(), Ok("Ёлкин"));
        assert_eq!(line("e\u{0301}").as_deref(), Ok("é"));
        // A mark on a letter with no precomposed form stays combined.
        assert_eq!(line("ә\u{0301}").as_deref(), Ok("ә\u{0301}"));
    }

    #[test]
    fn control_characters_are_refused_with_their_position() {
        for (s, position, c) in [
            ("a\u{0}b", 2, '\u{0}'),
            ("\u{7}", 1, '\u{7}'),
            ("abc\u{7F}", 4, '\u{7F}'),
            ("ab\u{85}", 3, '\u{85}'),
            ("a\u{9F}", 2, '\u{9F}'),
            ("a\tb", 2, '\t'),
            ("a\nb", 2, '\n'),
            ("a\r\nb", 2, '\r'),
            ("a\u{2028}b", 2, '\u{2028}'),
            ("a\u{2029}b", 2, '\u{2029}'),
            ("a\u{FFF9}b\u{FFFA}c\u{FFFB}", 2, '\u{FFF9}'),
            // Surrounding whitespace counts: the position is in the value as sent.
            ("  \u{0}", 3, '\u{0}'),
        ] {
            let e = line(s).unwrap_err();
            assert_eq!(
                e,
                TextError::ControlCharacter {
                    position,
                    character: c
                },
                "{s:?}"
            );
            assert_eq!(e.code(), "text_control_character");
        }
    }

    #[test]
    fn texts_take_tabs_and_line_breaks_but_no_lone_cr() {
        assert_eq!(text("a\r\n\tb\nc").as_deref(), Ok("a\r\n\tb\nc"));
        assert_eq!(text("\n a \n").as_deref(), Ok("a"));
        assert_eq!(
            text("a\rb"),
            Err(TextError::ControlCharacter {
                position: 2,
                character: '\r'
            })
        );
        assert_eq!(
            text("a\r"),
            Err(TextError::ControlCharacter {
                position: 2,
                character: '\r'
            })
        );
        assert_eq!(text("a\u{0}").unwrap_err().code(), "text_control_character");
        assert_eq!(
            text("a\u{2028}").unwrap_err().code(),
            "text_control_character"
        );
        assert_eq!(text("\u{202E}").unwrap_err().code(), "text_bidi_control");
    }

    #[test]
    fn bidi_controls_are_refused_but_directional_marks_are_letters() {
        for c in ('\u{202A}'..='\u{202E}').chain('\u{2066}'..='\u{2069}') {
            let e = line(&format!("ab{c}")).unwrap_err();
            assert_eq!(
                e,
                TextError::BidiControl {
                    position: 3,
                    character: c
                }
            );
            assert_eq!(
                e.to_string(),
                format!("character 3 ({}) is a bidirectional control", code_point(c))
            );
        }
        for c in ['\u{200E}', '\u{200F}', '\u{061C}'] {
            assert!(line(&format!("a{c}b")).is_ok(), "{c:?}");
            assert_eq!(line(&c.to_string()), Err(TextError::Invisible));
        }
    }

    #[test]
    fn noncharacters_are_refused() {
        for c in [
            '\u{FDD0}',
            '\u{FDEF}',
            '\u{FFFE}',
            '\u{FFFF}',
            '\u{1FFFE}',
            '\u{10FFFF}',
        ] {
            assert_eq!(
                line(&format!("a{c}")),
                Err(TextError::Noncharacter {
                    position: 2,
                    character: c
                })
            );
        }
        assert!(!is_noncharacter('\u{FDCF}'));
        assert!(!is_noncharacter('\u{FFFD}'));
    }

    #[test]
    fn invisible_values_are_refused() {
        for s in [
            "\u{200B}",
            "\u{200B}\u{200C}\u{200D}",
            "\u{2060}",
            "\u{FEFF}",
            "\u{AD}",
            "\u{34F}",
            "\u{115F}\u{1160}",
            "\u{3164}",
            "\u{FFA0}",
            "\u{2800}",
            "\u{FE0F}",
            "\u{E0100}",
            "\u{E0061}",
            "\u{0301}",
            "\u{0301}\u{0308}",
            "\u{20DD}",
            " \u{200B} ",
            "\u{180E}",
        ] {
            assert_eq!(line(s), Err(TextError::Invisible), "{s:?}");
        }
        for s in [
            "",
            "   ",
            "\u{A0}",
            "\u{3000}",
            "\u{2003}\u{205F}",
            "\u{1680}",
        ] {
            assert_eq!(line(s), Err(TextError::Empty), "{s:?}");
        }
        assert_eq!(text("\n\t\r\n"), Err(TextError::Empty));
        // One visible character is enough.
        assert!(line("\u{200B}a").is_ok());
        assert!(line("\u{0301}a").is_ok());
    }

    #[test]
    fn length_is_counted_in_characters_after_composition() {
        assert!(Line::new(&"я".repeat(20), 20).is_ok());
        assert_eq!(
            Line::new(&"я".repeat(21), 20),
            Err(TextError::TooLong { max: 20 })
        );
        // 20 decomposed Ё (40 code points) compose to 20 characters.
        assert!(Line::new(&"Е\u{0308}".repeat(20), 20).is_ok());
    }

    #[test]
    fn debug_never_shows_the_value() {
        let name = Line::new("Ахметов", 20).unwrap();
        assert_eq!(format!("{name:?}"), "Line(7 chars)");
        assert_eq!(
            format!("{:?}", Text::new("a\nb", 20).unwrap()),
            "Text(3 chars)"
        );
    }

    #[test]
    fn the_default_ignorable_list_matches_its_known_members() {
        for c in [
            '\u{AD}',
            '\u{200B}',
            '\u{2060}',
            '\u{FEFF}',
            '\u{E0001}',
            '\u{1BCA0}',
        ] {
            assert!(is_default_ignorable(c), "{c:?}");
        }
        for c in ['a', ' ', '\u{2800}', '\u{0301}', '\u{FFFC}'] {
            assert!(!is_default_ignorable(c), "{c:?}");
        }
    }
}
