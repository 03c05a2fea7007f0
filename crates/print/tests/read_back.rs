//! The printed documents read back as a user's tools read them (DESIGN "real components"): the
//! text with `pdftotext` (Kazakh letters intact), the codes decoded from the rendered page's
//! pixels with `pdftoppm` and `zbarimg` (poppler-utils, zbar-tools; installed by `.ci/run`).
//! Without the tools the checks are skipped, except under CI, where that is a failure.

use std::path::Path;
use std::process::Command;

fn tools() -> bool {
    let present = ["pdftotext", "pdftoppm", "zbarimg"]
        .iter()
        .all(|t| Command::new(t).arg("-v").output().is_ok());
    if !present && std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but poppler-utils or zbar-tools is missing");
    }
    present
}

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The codes zbarimg decodes from the PDF's first page rendered at 300 dpi, as `TYPE:text`.
fn codes(pdf: &Path) -> Vec<String> {
    let png = pdf.with_extension("");
    let status = Command::new("pdftoppm")
        .args(["-r", "300", "-png", "-singlefile"])
        .arg(pdf)
        .arg(&png)
        .status()
        .unwrap();
    assert!(status.success());
    let out = Command::new("zbarimg")
        .args([
            "--quiet",
            "--raw",
            "-Sdisable",
            "-Scode128.enable",
            "-Sqrcode.enable",
        ])
        .arg(png.with_extension("png"))
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn a_package_label_reads_back_its_text_and_its_barcode() {
    if !tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("label.pdf");
    let code = "QZ2612000000429";
    let bytes = qyzmet_print::label(
        code,
        &[
            "2612-0000-0042-9",
            "Мұрағаттық анықтамалар беру",
            "Астана қаласының №1 халыққа қызмет көрсету бөлімі",
        ],
    )
    .unwrap();
    std::fs::write(&pdf, &bytes).unwrap();
    let text = pdftotext(&pdf);
    for expected in [
        "2612-0000-0042-9",
        "Мұрағаттық анықтамалар беру",
        "қызмет көрсету",
        code,
    ] {
        assert!(text.contains(expected), "{expected:?} in {text:?}");
    }
    assert_eq!(codes(&pdf), [code], "the barcode decoded from pixels");
}

#[test]
fn a_receipt_reads_back_its_kazakh_text_and_its_seal() {
    if !tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("receipt.pdf");
    // A sealed token's shape (QZR1.<line>.<signature>, base64url), ~250 characters.
    let seal = format!(
        "QZR1.{}.{}",
        "UVpSMXxyLTF8YWNjZXB0YW5jZQ".repeat(5),
        "c2lnbmF0dXJl".repeat(7)
    );
    let rating = format!(
        "https://qyzmet.test/rate/QZT1.{}",
        "YWNjZXB0YW5jZXw".repeat(8)
    );
    let bytes = qyzmet_print::receipt(&qyzmet_print::Receipt {
        title: "Құжаттарды қабылдау туралы қолхат",
        fields: &[
            ("Өтінім нөмірі", "2612-0000-0042-9"),
            ("Қабылдаған қызметкер", "Серікбаева Айгүл Нұрланқызы"),
            ("Нәтижені беру күні", "2026-12-22"),
        ],
        list_title: "Қабылданған құжаттар",
        items: &[
            "Өтініш (түпнұсқа, 1)",
            "Жеке басын куәландыратын құжат (көрсетілді)",
        ],
        seal: &seal,
        seal_caption: "Қолхатты тексеру: qyzmet receipt verify немесе /verify беті",
        rating: Some((&rating, "Қызмет көрсету сапасын бағалаңыз")),
    })
    .unwrap();
    std::fs::write(&pdf, &bytes).unwrap();
    let text = pdftotext(&pdf);
    for expected in [
        "Құжаттарды қабылдау туралы қолхат",
        "Серікбаева Айгүл Нұрланқызы",
        "2026-12-22",
        "Жеке басын куәландыратын құжат",
        "Қолхатты тексеру",
        "Қызмет көрсету сапасын бағалаңыз",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text:?}");
    }
    let mut decoded = codes(&pdf);
    decoded.sort();
    let mut both = vec![seal, rating];
    both.sort();
    assert_eq!(decoded, both, "both QR codes decoded from pixels");
}
