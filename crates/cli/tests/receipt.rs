//! `qyzmet receipt verify` as an auditor uses it (ADR 0021): a genuine receipt's seal — as the
//! QR code's text, and as the QR code on the printed receipt's page rendered with pdftoppm at
//! 300 dpi as a scanner would, the code read from pixels — is accepted with its fields; one with
//! a changed issue date, or signed by another key, is refused.

use qyzmet_domain::front_office::receipt::{ReceiptKind, Sealed, VERSION};
use qyzmet_signature::sealed_token;
use qyzmet_signature::SealKey;
use std::process::{Command, Output};

fn verify(input: &str, key: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qyzmet"))
        .args(["receipt", "verify", input, "--public-key"])
        .arg(key)
        .output()
        .expect("run qyzmet")
}

fn sealed() -> Sealed {
    Sealed {
        id: "2f6c1a52-0c0e-4a57-9a52-2b8a3b1f0a11".into(),
        kind: ReceiptKind::Acceptance,
        application: Some("2612-0000-0042-9".into()),
        applied_at: "2026-12-07T05:10:42Z".parse().unwrap(),
        issue_date: Some("2026-12-22".parse().unwrap()),
        office: "AST-01".into(),
        accepted: vec!["application".into(), "id".into()],
        missing: vec![],
    }
}

#[test]
fn a_genuine_receipt_is_accepted_and_an_altered_one_refused() {
    let dir = tempfile::tempdir().unwrap();
    let key = SealKey::generate().unwrap();
    let public = dir.path().join("public.pem");
    std::fs::write(&public, key.public_pem().unwrap()).unwrap();
    let token = sealed_token::seal(&key, VERSION, &sealed().line().unwrap()).unwrap();

    let out = verify(&token, &public);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("GENUINE receipt 2f6c1a52"), "{stdout}");
    assert!(stdout.contains("issue date:  2026-12-22"), "{stdout}");

    // The same line with another issue date, under the genuine signature.
    let altered = Sealed {
        issue_date: Some("2026-12-10".parse().unwrap()),
        ..sealed()
    };
    let forged_line = sealed_token::seal(&key, VERSION, &altered.line().unwrap()).unwrap();
    let signature = token.rsplit('.').next().unwrap();
    let line_part = forged_line.split('.').nth(1).unwrap();
    let forged = format!("{VERSION}.{line_part}.{signature}");
    let out = verify(&forged, &public);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("NOT GENUINE"));

    // Signed by another server's key.
    let other = sealed_token::seal(
        &SealKey::generate().unwrap(),
        VERSION,
        &sealed().line().unwrap(),
    )
    .unwrap();
    assert_eq!(verify(&other, &public).status.code(), Some(1));
    // Not a receipt at all.
    assert_eq!(verify("hello", &public).status.code(), Some(2));
    // A file holding the text.
    let file = dir.path().join("token.txt");
    std::fs::write(&file, format!("{token}\n")).unwrap();
    assert_eq!(
        verify(file.to_str().unwrap(), &public).status.code(),
        Some(0)
    );
}

#[test]
fn the_printed_receipts_qr_code_is_verified_from_its_pixels() {
    let present = Command::new("pdftoppm").arg("-v").output().is_ok();
    if !present {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "CI=true but pdftoppm is missing"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let key = SealKey::generate().unwrap();
    let public = dir.path().join("public.pem");
    std::fs::write(&public, key.public_pem().unwrap()).unwrap();
    let token = sealed_token::seal(&key, VERSION, &sealed().line().unwrap()).unwrap();
    let pdf = qyzmet_print::receipt(&qyzmet_print::Receipt {
        title: "Құжаттарды қабылдау туралы қолхат",
        fields: &[("Өтінім нөмірі", "2612-0000-0042-9")],
        list_title: "Қабылданған құжаттар",
        items: &["Өтініш (түпнұсқа, 1)"],
        seal: &token,
        seal_caption: "qyzmet receipt verify",
        rating: None,
    })
    .unwrap();
    let pdf_path = dir.path().join("receipt.pdf");
    std::fs::write(&pdf_path, pdf).unwrap();
    let png = dir.path().join("scan");
    let status = Command::new("pdftoppm")
        .args(["-r", "300", "-png", "-singlefile"])
        .arg(&pdf_path)
        .arg(&png)
        .status()
        .unwrap();
    assert!(status.success());
    let out = verify(png.with_extension("png").to_str().unwrap(), &public);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
