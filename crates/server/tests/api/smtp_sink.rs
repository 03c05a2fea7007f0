//! A real SMTP server for the tests (aiosmtpd, `scripts/smtp_sink.py`): started on a free
//! port, read back as the messages it accepted. Shared by the API suite and the command's
//! kill test (`crates/cli/tests/informing_kill.rs` includes this file).

#![allow(dead_code)] // each including test uses its own part

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A real SMTP server (aiosmtpd) on a free port, recording what it accepts.
pub struct SmtpSink {
    child: Child,
    pub port: u16,
    file: PathBuf,
    _dir: tempfile::TempDir,
}

impl SmtpSink {
    /// The Python that has aiosmtpd: `QYZMET_TEST_SMTP_PYTHON`, else the venv `.ci/run`
    /// makes, else `python3`.
    fn python() -> String {
        if let Ok(p) = std::env::var("QYZMET_TEST_SMTP_PYTHON") {
            return p;
        }
        let venv = std::env::var("HOME")
            .map(|h| PathBuf::from(h).join(".cache/qyzmet/informing-venv/bin/python3"))
            .ok()
            .filter(|p| p.exists());
        venv.map_or_else(|| "python3".into(), |p| p.display().to_string())
    }

    /// `None` (and a note) when aiosmtpd is missing outside CI; under CI=true that fails.
    pub fn start() -> Option<SmtpSink> {
        let python = Self::python();
        let has = Command::new(&python)
            .args(["-c", "import aiosmtpd"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !has {
            assert!(
                std::env::var("CI").is_err(),
                "CI=true but aiosmtpd is not installed (pip install -r scripts/informing-requirements.txt)"
            );
            eprintln!("skipping: aiosmtpd is not installed (pip install -r scripts/informing-requirements.txt)");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("mail.jsonl");
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/smtp_sink.py");
        let mut child = Command::new(&python)
            .arg(script)
            .arg(&file)
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the SMTP server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("PORT ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("SMTP server said {line:?}"));
        Some(SmtpSink {
            child,
            port,
            file,
            _dir: dir,
        })
    }

    /// The messages received so far, as the server parsed them. Only whole lines: the sink
    /// may be in the middle of writing the last one (a long message reaches the file in more
    /// than one write).
    pub fn messages(&self) -> Vec<Value> {
        let text = std::fs::read_to_string(&self.file).unwrap_or_default();
        let whole = text.rfind('\n').map_or("", |end| &text[..end]);
        whole
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// Waits (up to 30 s) until at least `n` messages have arrived.
    pub async fn wait_for(&self, n: usize) -> Vec<Value> {
        for _ in 0..300 {
            let m = self.messages();
            if m.len() >= n {
                return m;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("expected {n} messages, got {:#?}", self.messages());
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
