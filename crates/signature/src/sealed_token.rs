//! A sealed token: a line of text and the server's Ed25519 signature of it, in one string a QR
//! code carries (ADR 0021: the receipt's seal, `QZR1.<line>.<signature>`, both base64url
//! without padding). Anyone with the server's public key checks it offline; a changed byte of
//! the line breaks the signature.

use crate::error::LoadError;
use crate::seal::{SealKey, SealPublicKey};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;

/// Why a token is not a genuine one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not `TAG.<line>.<signature>` with base64url parts and a UTF-8 line.
    #[error("not a sealed token")]
    Malformed,
    /// Well formed, but the signature is not this key's over this line: forged or altered.
    #[error("the seal does not match: the text was changed or another key signed it")]
    BadSeal,
}

/// Seals `line` with `key` under `tag` (the line's version, e.g. `QZR1`).
pub fn seal(key: &SealKey, tag: &str, line: &str) -> Result<String, LoadError> {
    let sig = STANDARD
        .decode(key.sign(line.as_bytes())?)
        .expect("the key's own base64");
    Ok(format!(
        "{tag}.{}.{}",
        URL_SAFE_NO_PAD.encode(line.as_bytes()),
        URL_SAFE_NO_PAD.encode(sig)
    ))
}

/// Opens a token sealed under `tag`: its line, when `key` signed exactly it.
pub fn open(key: &SealPublicKey, tag: &str, token: &str) -> Result<String, TokenError> {
    let mut parts = token.trim().split('.');
    let (Some(t), Some(line), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::Malformed);
    };
    if t != tag {
        return Err(TokenError::Malformed);
    }
    let line = URL_SAFE_NO_PAD
        .decode(line)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or(TokenError::Malformed)?;
    let sig = URL_SAFE_NO_PAD
        .decode(sig)
        .map_err(|_| TokenError::Malformed)?;
    if key.verify(line.as_bytes(), &STANDARD.encode(sig)) {
        Ok(line)
    } else {
        Err(TokenError::BadSeal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: &str = "QZR1|r-1|acceptance|2612-0000-0042-5|2026-12-07T05:10:42Z|2026-12-22|AST-01|application,id|-";

    #[test]
    fn a_genuine_token_opens_to_its_line() {
        let key = SealKey::generate().unwrap();
        let token = seal(&key, "QZR1", LINE).unwrap();
        assert!(token.starts_with("QZR1."), "{token}");
        assert!(
            token.len() < 300,
            "small enough for a QR code: {}",
            token.len()
        );
        assert!(!token.contains(['+', '/', '=']), "base64url: {token}");
        assert_eq!(
            open(&key.public_key().unwrap(), "QZR1", &token).unwrap(),
            LINE
        );
    }

    #[test]
    fn a_changed_date_or_another_key_breaks_the_seal() {
        let key = SealKey::generate().unwrap();
        let public = key.public_key().unwrap();
        let token = seal(&key, "QZR1", LINE).unwrap();
        let parts: Vec<&str> = token.split('.').collect();
        let forged_line = LINE.replace("2026-12-22", "2026-12-10");
        let forged = format!(
            "QZR1.{}.{}",
            URL_SAFE_NO_PAD.encode(forged_line.as_bytes()),
            parts[2]
        );
        assert_eq!(open(&public, "QZR1", &forged), Err(TokenError::BadSeal));
        let other = SealKey::generate().unwrap().public_key().unwrap();
        assert_eq!(open(&other, "QZR1", &token), Err(TokenError::BadSeal));
        for bad in [
            "",
            "QZR1",
            "QZR1.a",
            "QZR2.a.b",
            "QZR1.!!.b",
            &format!("{token}.x"),
        ] {
            assert_eq!(
                open(&public, "QZR1", bad),
                Err(TokenError::Malformed),
                "{bad}"
            );
        }
    }
}
