//! Search keys: how a surname is compared when staff search the application lists (issue 16
//! B.2). A key is the name trimmed, its inner runs of spaces made one, in lower case by
//! Unicode's rules (Kazakh letters included: «Әбдірахманов» and «ӘБДІРАХМАНОВ» have one key),
//! with «ё» read as «е», as Russian writing often drops its dots. Keys are stored beside the
//! name, and a search is an equality on them.

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
}
