//! Search keys: how a surname is compared when staff search the application lists (issue 16
//! B.2). A key is the name trimmed, its inner runs of spaces made one, in lower case by
//! Unicode's rules (Kazakh letters included: «Әбдірахманов» and «ӘБДІРАХМАНОВ» have one key),
//! with «ё» read as «е», as Russian writing often drops its dots. Keys are stored beside the
//! name and compared byte by byte (code point order), so a prefix is one range of an index:
//! from the key to [`prefix_end`].

/// The search key of a name.
pub fn name_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        for c in word.chars().flat_map(char::to_lowercase) {
            key.push(if c == 'ё' { 'е' } else { c });
        }
    }
    key
}

/// The first string after every string that starts with `key` in code point order: `key`
/// followed by U+10FFFF (a noncharacter, never in a stored name; see `text`).
pub fn prefix_end(key: &str) -> String {
    let mut end = String::with_capacity(key.len() + 4);
    end.push_str(key);
    end.push('\u{10FFFF}');
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_spacing_and_the_dots_of_yo() {
        assert_eq!(name_key("  ӘБДІРАХМАНОВ "), "әбдірахманов");
        assert_eq!(name_key("Әбдірахманов"), name_key("әбдірахманов"));
        assert_eq!(name_key("Қасымов"), "қасымов");
        assert_eq!(name_key("ҰЛЫҚБЕК"), "ұлықбек");
        assert_eq!(name_key("Семёнов"), name_key("СЕМЕНОВ"));
        assert_eq!(name_key("Ван  дер\tБерг"), "ван дер берг");
        assert_eq!(name_key("O'Brien"), "o'brien");
        assert_eq!(name_key(""), "");
    }

    #[test]
    fn a_prefix_is_one_range() {
        let key = name_key("Омар");
        let end = prefix_end(&key);
        for inside in ["Омар", "Омаров", "Омарова", "ОМАРҰЛЫ"] {
            let k = name_key(inside);
            assert!(k >= key && k < end, "{inside} is in the range");
        }
        for outside in ["Ома", "Омбаев", "Нұрланов", "Омас"] {
            let k = name_key(outside);
            assert!(!(k >= key && k < end), "{outside} is outside the range");
        }
    }
}
