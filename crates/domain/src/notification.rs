//! The message an applicant receives when the application reaches a stage its passport flags
//! (000 §2): the passport's notice for the stage in the applicant's language, with the
//! application's number, the service, the stage in words, the planned date and the link to
//! the public status page filled in.

use crate::contact::Language;
use crate::passport::{render, StageNotice};
use crate::stage::Stage;

/// What a notice is filled with.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    /// The number as people read it (XXXX-XXXX-XXXX-X).
    pub number: &'a str,
    /// The service's name in the applicant's language.
    pub service: &'a str,
    pub stage: Stage,
    /// YYYY-MM-DD.
    pub planned_date: &'a str,
    /// The public status page.
    pub status_url: &'a str,
}

/// A composed message: the e-mail's subject and body; an SMS carries the body alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub subject: String,
    pub body: String,
}

/// The stage in words (000 §6), as the regulations name it.
pub fn stage_words(stage: Stage, language: Language) -> &'static str {
    match (stage, language) {
        (Stage::Accepted, Language::Kk) => "қабылданды",
        (Stage::Accepted, Language::Ru) => "принято",
        (Stage::SentForExecution, Language::Kk) => "орындауға жіберілді",
        (Stage::SentForExecution, Language::Ru) => "отправлено на исполнение",
        (Stage::TakenIntoWork, Language::Kk) => "жұмысқа қабылданды",
        (Stage::TakenIntoWork, Language::Ru) => "принято в работу",
        (Stage::Executed, Language::Kk) => "орындалды",
        (Stage::Executed, Language::Ru) => "исполнено",
        (Stage::ReadyForIssue, Language::Kk) => "беруге дайын",
        (Stage::ReadyForIssue, Language::Ru) => "готово к выдаче",
        (Stage::Closed, Language::Kk) => "жабылды",
        (Stage::Closed, Language::Ru) => "закрыто",
    }
}

/// The message of `notice` for `facts` in `language`. The body ends with the status page's
/// address when the notice's text does not already give it.
pub fn compose(notice: &StageNotice, language: Language, facts: &Facts) -> Message {
    let words = stage_words(facts.stage, language);
    let values = [
        ("number", facts.number),
        ("service", facts.service),
        ("stage", words),
        ("planned_date", facts.planned_date),
        ("status_url", facts.status_url),
    ];
    let text = notice.message.get(language.as_str());
    let mut body = render(text, &values);
    if !text.contains("{status_url}") {
        let more = match language {
            Language::Kk => "Мәртебесі",
            Language::Ru => "Статус",
        };
        body.push_str(&format!("\n{more}: {}", facts.status_url));
    }
    let subject = match language {
        Language::Kk => format!("{} өтінім: {words}", facts.number),
        Language::Ru => format!("Заявка {}: {words}", facts.number),
    };
    Message { subject, body }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passport::Texts;

    fn facts() -> Facts<'static> {
        Facts {
            number: "0000-0000-0001-7",
            service: "Туу туралы куәлік",
            stage: Stage::ReadyForIssue,
            planned_date: "2026-12-10",
            status_url: "https://qyzmet.example/status",
        }
    }

    #[test]
    fn the_notice_in_the_applicants_language_with_its_placeholders_filled() {
        let notice = StageNotice {
            stage: Stage::ReadyForIssue,
            message: Texts::new(
                "{number} өтінім бойынша нәтиже {stage}. Мерзімі: {planned_date}.",
                "Результат по заявке {number} {stage}. Срок: {planned_date}. {status_url}",
                "",
            ),
        };
        let kk = compose(&notice, Language::Kk, &facts());
        assert_eq!(kk.subject, "0000-0000-0001-7 өтінім: беруге дайын");
        assert_eq!(
            kk.body,
            "0000-0000-0001-7 өтінім бойынша нәтиже беруге дайын. Мерзімі: 2026-12-10.\n\
             Мәртебесі: https://qyzmet.example/status"
        );
        let ru = compose(&notice, Language::Ru, &facts());
        assert_eq!(ru.subject, "Заявка 0000-0000-0001-7: готово к выдаче");
        // The link is given once when the text has it.
        assert_eq!(
            ru.body,
            "Результат по заявке 0000-0000-0001-7 готово к выдаче. Срок: 2026-12-10. \
             https://qyzmet.example/status"
        );
    }

    #[test]
    fn every_stage_has_words_in_both_languages() {
        for stage in Stage::ALL {
            for lang in [Language::Kk, Language::Ru] {
                assert!(!stage_words(stage, lang).is_empty());
            }
        }
    }
}
