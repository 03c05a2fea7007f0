//! Searching the public catalogue of services by name (issue 17): in Kazakh, Russian or
//! English, forgiving of word endings, of case, of «ё» and of Kazakh letters typed without a
//! Kazakh keyboard.
//!
//! Both languages inflect by suffixes: «справка», «справки», «справку»; «анықтама»,
//! «анықтамасы», «анықтаманы». A word is compared by its stem — the word without its last
//! three letters, keeping at least three ([`stem`]) — so that a query word matches a word of
//! the name when either one's stem begins the other. Kazakh's own letters are read as the
//! nearest Russian ones («ә» as «а», «қ» as «к», «ү» and «ұ» as «у», …), since many type
//! Kazakh on a Russian keyboard. Words of one or two letters (prepositions, conjunctions)
//! are not searched for. A name matches when every searched word of the query matches one
//! of its words.

/// The letters of Kazakh read as Russian ones, and «ё» as «е».
fn fold(c: char) -> char {
    match c {
        'ә' => 'а',
        'ғ' => 'г',
        'қ' => 'к',
        'ң' => 'н',
        'ө' => 'о',
        'ұ' | 'ү' => 'у',
        'һ' => 'х',
        'і' => 'и',
        'ё' => 'е',
        c => c,
    }
}

/// The words of a text, in lower case and folded: runs of letters and digits.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            word.push(fold(c));
        } else if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// The stem of a folded word: without its last three letters, keeping at least three (a
/// word of three letters or fewer is its own stem).
pub fn stem(word: &str) -> &str {
    let n = word.chars().count();
    let keep = n.saturating_sub(3).max(3).min(n);
    match word.char_indices().nth(keep) {
        Some((i, _)) => &word[..i],
        None => word,
    }
}

/// Whether query word `q` and name word `w` (both folded) are one word with other endings.
pub fn same_word(q: &str, w: &str) -> bool {
    w.starts_with(stem(q)) || (w.chars().count() >= 3 && q.starts_with(stem(w)))
}

/// The words of a query that are searched for (three letters or more, or digits).
pub fn query_words(query: &str) -> Vec<String> {
    words(query)
        .into_iter()
        .filter(|w| w.chars().count() >= 3 || w.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

/// How well a name's words answer a query's: `None` when some query word matches none of
/// them; else a score, higher for more words matched exactly and for a name that begins with
/// the query's first word.
pub fn score(query: &[String], name: &[String]) -> Option<u32> {
    if query.is_empty() {
        return Some(0);
    }
    let mut score = 0;
    for q in query {
        if name.iter().any(|w| w == q) {
            score += 2;
        } else if name.iter().any(|w| same_word(q, w)) {
            score += 1;
        } else {
            return None;
        }
    }
    if name.first().is_some_and(|w| same_word(&query[0], w)) {
        score += 1;
    }
    Some(score)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(query: &str, name: &str) -> bool {
        score(&query_words(query), &words(name)).is_some()
    }

    #[test]
    fn words_are_lower_case_folded_and_split_on_anything_else() {
        assert_eq!(
            words("Выдача АРХИВНЫХ справок (ЖАО), 2-й этап"),
            vec!["выдача", "архивных", "справок", "жао", "2", "й", "этап"]
        );
        assert_eq!(
            words("Мұрағаттық анықтамалар"),
            vec!["мурагаттык", "аныктамалар"]
        );
        assert_eq!(words("Семёнов"), vec!["семенов"]);
    }

    #[test]
    fn a_stem_drops_three_letters_and_keeps_three() {
        assert_eq!(stem("справка"), "спра");
        assert_eq!(stem("архивных"), "архив");
        assert_eq!(stem("жао"), "жао");
        assert_eq!(stem("лес"), "лес");
        assert_eq!(stem("акт"), "акт");
        assert_eq!(stem("пенсия"), "пен");
    }

    #[test]
    fn endings_do_not_matter_in_russian_or_kazakh() {
        assert!(matches("справку архивную", "Выдача архивных справок"));
        assert!(matches("архивная справка", "Выдача архивных справок"));
        assert!(matches("анықтаманы", "Мұрағаттық анықтамалар беру"));
        // Typed on a Russian keyboard.
        assert!(matches(
            "мурагаттык аныктама",
            "Мұрағаттық анықтамалар беру"
        ));
        assert!(matches(
            "ARCHIVAL certificates",
            "Issuing archival certificates"
        ));
        assert!(matches("certificate", "Issuing archival certificates"));
    }

    #[test]
    fn every_searched_word_must_match_and_short_words_are_skipped() {
        assert!(!matches("справка о рождении", "Выдача архивных справок"));
        assert!(matches("справка в архиве", "Выдача архивных справок"));
        assert!(!matches("пенсия", "Выдача архивных справок"));
        assert!(matches("", "anything"));
    }

    #[test]
    fn exact_words_and_a_matching_start_score_higher() {
        let q = query_words("справка");
        let exact = score(&q, &words("Справка о несудимости")).unwrap();
        let inflected = score(&q, &words("Выдача справок")).unwrap();
        assert!(exact > inflected, "{exact} {inflected}");
    }
}
