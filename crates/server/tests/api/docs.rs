//! docs/signatures.md, run as written: its shell blocks of section 2 sign events with the
//! openssl CLI and send them with curl to a real server, and both are recorded as signed.

use crate::support::TestApp;
use reqwest::StatusCode;

/// The ```sh blocks of the guide's section 2 ("Signing with openssl"), in order.
fn signing_blocks() -> Vec<String> {
    let guide = include_str!("../../../../docs/signatures.md");
    let start = guide.find("## 2.").expect("section 2");
    let end = guide.find("## 3.").expect("section 3");
    let mut blocks = vec![];
    let mut rest = &guide[start..end];
    while let Some(at) = rest.find("```sh\n") {
        let body = &rest[at + 6..];
        let close = body.find("```").expect("closed block");
        blocks.push(body[..close].to_string());
        rest = &body[close + 3..];
    }
    blocks
}

async fn the_guide_signs_events_that_are_accepted(app: &TestApp) {
    let f = crate::signatures::fixture();
    let token = crate::signatures::setup(app, "required").await;
    let (s, reg) = app
        .post(
            &token,
            "/api/v1/applications",
            crate::signatures::attached(&f.pki, &f.good, &crate::signatures::registration()),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{reg}");
    let number = reg["number"].as_str().unwrap().to_string();

    let blocks = signing_blocks();
    assert_eq!(blocks.len(), 3, "event, attached, detached: {blocks:?}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(&f.good.cert, dir.path().join("me.crt")).unwrap();
    std::fs::copy(&f.good.key, dir.path().join("me.key")).unwrap();
    std::fs::copy(f.pki.intermediate(), dir.path().join("nca.crt")).unwrap();
    let script = format!("set -euo pipefail\n{}", blocks.join("\n"));
    let (dir_path, base, num, tok) = (
        dir.path().to_path_buf(),
        app.base.clone(),
        number.clone(),
        token.clone(),
    );
    // The server answers on this runtime: the commands run on a blocking thread.
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(dir_path)
            .env("QYZMET_URL", base)
            .env("QYZMET_TOKEN", tok)
            .env("NUMBER", num)
            .env("EMPLOYEE_IIN", crate::signatures::employee())
            .output()
            .expect("bash")
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the guide's commands failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, detail) = app
        .get(&token, &format!("/api/v1/applications/{number}"))
        .await;
    let forms: Vec<&str> = detail["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["signature"]["form"].as_str().unwrap_or("unsigned"))
        .collect();
    assert_eq!(forms, ["attached", "detached"], "{detail}");
    assert_eq!(detail["stage"], "taken_into_work");
}

crate::both!(with configure; the_guide_signs_events_that_are_accepted);

use crate::signatures::configure;
