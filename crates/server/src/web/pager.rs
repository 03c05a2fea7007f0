//! The links under a list: the list's total ("1 234 applications", or "more than 10 000"
//! when the count stopped at its bound) and numbered pages — the first, the last, and two
//! either side of the current one, gaps shown as "…" (issue 16 B.2).

use super::{format, Ui};
use crate::app::monitoring::applications::NumberedPage;
use crate::i18n::message;

/// One place in the page links.
pub struct PageLink {
    /// The page's number as shown.
    pub label: String,
    /// Where it goes; `None` for the current page and for a gap.
    pub href: Option<String>,
    pub current: bool,
    pub gap: bool,
}

/// What the template shows under a list.
pub struct Pager {
    pub total: String,
    pub links: Vec<PageLink>,
    pub prev: Option<String>,
    pub next: Option<String>,
}

/// The page numbers to show of `pages`, around `current`; `0` marks a gap.
fn numbers(current: i64, pages: i64) -> Vec<i64> {
    let mut shown: Vec<i64> = Vec::new();
    for n in [
        1,
        current - 2,
        current - 1,
        current,
        current + 1,
        current + 2,
        pages,
    ] {
        if (1..=pages).contains(&n) && !shown.contains(&n) {
            shown.push(n);
        }
    }
    shown.sort_unstable();
    let mut out = Vec::with_capacity(shown.len() + 2);
    for (i, n) in shown.iter().enumerate() {
        if i > 0 && *n > shown[i - 1] + 1 {
            out.push(0);
        }
        out.push(*n);
    }
    out
}

/// The pager of `page`; `href(n)` is the link to page `n`.
pub fn pager(ui: &Ui, page: &NumberedPage, href: impl Fn(i64) -> String) -> Pager {
    let total = message(
        ui.lang,
        if page.total.more {
            "list-total-more"
        } else {
            "list-total"
        },
        &[
            ("n", page.total.count.to_string()),
            ("shown", format::number(ui.lang, page.total.count)),
        ],
    );
    numbered(ui, total, page.page, page.pages, href)
}

/// The pager of page `current` of `pages` under a list whose total reads `total`; `href(n)` is
/// the link to page `n`.
pub fn numbered(
    ui: &Ui,
    total: String,
    current: i64,
    pages: i64,
    href: impl Fn(i64) -> String,
) -> Pager {
    let links = if pages > 1 {
        numbers(current, pages)
            .into_iter()
            .map(|n| PageLink {
                label: if n == 0 {
                    "…".into()
                } else {
                    format::number(ui.lang, n)
                },
                href: (n != 0 && n != current).then(|| href(n)),
                current: n == current,
                gap: n == 0,
            })
            .collect()
    } else {
        vec![]
    };
    Pager {
        total,
        links,
        prev: (current > 1).then(|| href(current - 1)),
        next: (current < pages).then(|| href(current + 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::numbers;

    #[test]
    fn first_last_and_two_either_side() {
        assert_eq!(numbers(1, 1), vec![1]);
        assert_eq!(numbers(1, 3), vec![1, 2, 3]);
        assert_eq!(numbers(1, 10), vec![1, 2, 3, 0, 10]);
        assert_eq!(numbers(5, 10), vec![1, 0, 3, 4, 5, 6, 7, 0, 10]);
        assert_eq!(numbers(4, 10), vec![1, 2, 3, 4, 5, 6, 0, 10]);
        assert_eq!(numbers(10, 10), vec![1, 0, 8, 9, 10]);
        assert_eq!(numbers(200, 200), vec![1, 0, 198, 199, 200]);
    }
}
