//! Issue 19's figure: receipt PDFs rendered per second on one core (001 §15.5; limit: at
//! least 100). Each receipt is distinct — its own id, application, employee, documents and
//! sealed token (the line signed with an Ed25519 key, as the server seals it) — and is rendered
//! whole: the fonts subset and embedded, the QR code drawn. The sealing is timed apart, so that
//! the PDF's share is seen. (The share of an acceptance's total time follows when the
//! acceptance exists.)

use qyzmet_domain::front_office::receipt::{ReceiptKind, Sealed, VERSION};
use qyzmet_signature::{sealed_token, SealKey};
use std::time::Instant;

const DOCUMENTS: [&str; 4] = [
    "Өтініш (түпнұсқа, 1)",
    "Жеке басын куәландыратын құжат (көрсетілді)",
    "Мұрағаттық анықтама алу үшін қажетті құжаттардың көшірмесі (көшірме, 2)",
    "Мемлекеттік баж төленгенін растайтын түбіртек (түпнұсқа, 1)",
];

/// Seals and renders `count` receipts on this thread, prints one JSON line.
pub fn run(count: usize) -> anyhow::Result<()> {
    let key = SealKey::generate()?;
    let started = Instant::now();
    let mut tokens = Vec::with_capacity(count);
    for i in 0..count {
        let line = Sealed {
            id: uuid::Uuid::new_v4().to_string(),
            kind: ReceiptKind::Acceptance,
            application: Some(format!("2612-{:04}-{:04}-1", i / 10_000, i % 10_000)),
            applied_at: jiff::Timestamp::now(),
            issue_date: Some(jiff::civil::date(2026, 12, 22)),
            office: "AST-01".into(),
            accepted: vec![
                "application".into(),
                "id".into(),
                "copies".into(),
                "fee".into(),
            ],
            missing: vec![],
        }
        .line()?;
        tokens.push(sealed_token::seal(&key, VERSION, &line)?);
    }
    let seal_secs = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let mut bytes = 0usize;
    for (i, token) in tokens.iter().enumerate() {
        let number = format!("2612-{:04}-{:04}-1", i / 10_000, i % 10_000);
        let employee = format!("Серікбаева Айгүл Нұрланқызы №{i}");
        // The rating link a printed receipt carries: the site and a sealed token as long.
        let rating = format!(
            "https://qyzmet.gov.kz/rate/{}",
            &token[..token.len().min(140)]
        );
        let pdf = qyzmet_print::receipt(&qyzmet_print::Receipt {
            title: "Құжаттарды қабылдау туралы қолхат",
            fields: &[
                ("Өтінім нөмірі", &number),
                ("Бөлім", "Астана қаласының №1 халыққа қызмет көрсету бөлімі"),
                ("Қабылдаған қызметкер", &employee),
                ("Өтінім берілген уақыт", "2026-12-07 10:10"),
                ("Нәтижені беру күні", "2026-12-22"),
            ],
            list_title: "Қабылданған құжаттар",
            items: &DOCUMENTS[..1 + i % DOCUMENTS.len()],
            seal: token,
            seal_caption: "Қолхатты тексеру: qyzmet receipt verify немесе /verify беті",
            rating: Some((&rating, "Қызмет көрсету сапасын бағалаңыз")),
        })?;
        bytes += pdf.len();
    }
    let pdf_secs = started.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "receipts": count,
            "pdf_seconds": (pdf_secs * 1000.0).round() / 1000.0,
            "pdf_per_second": (count as f64 / pdf_secs).round(),
            "seal_per_second": (count as f64 / seal_secs).round(),
            "avg_pdf_bytes": bytes / count.max(1),
        })
    );
    Ok(())
}
