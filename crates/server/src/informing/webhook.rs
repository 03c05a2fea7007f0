//! Posts to provider systems' webhooks: the event as JSON, signed with the webhook's secret
//! (`X-Qyzmet-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, the timestamp in
//! `X-Qyzmet-Timestamp`, Unix seconds), with the message's key in `Idempotency-Key` so the
//! receiver can drop a repeat. The address is resolved and checked at every post (a name may
//! come to point inside the network) and the connection goes to the address checked.

use super::{Failure, Sent};
use crate::app::informing::webhooks::resolve;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::Duration;

/// The signature header's value for `body` posted at `timestamp` with `secret`.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Posts webhooks.
pub struct Poster {
    allow_private: bool,
}

impl Poster {
    pub fn new(allow_private: bool) -> Poster {
        Poster { allow_private }
    }

    pub async fn send(&self, key: &str, url: &str, secret: &str, body: &str) -> Sent {
        let url = reqwest::Url::parse(url).map_err(|e| Failure::permanent(format!("url: {e}")))?;
        let addrs = resolve(&url, self.allow_private)
            .await
            .map_err(|code| Failure::transient(code.to_string()))?;
        let host = url.host_str().unwrap_or_default().to_string();
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .redirect(reqwest::redirect::Policy::none())
            .resolve_to_addrs(&host, &addrs)
            .build()
            .map_err(|e| Failure::transient(format!("client: {e}")))?;
        let timestamp = jiff::Timestamp::now().as_second();
        let answer = client
            .post(url)
            .header("content-type", "application/json")
            .header("idempotency-key", key)
            .header("x-qyzmet-timestamp", timestamp.to_string())
            .header("x-qyzmet-signature", signature(secret, timestamp, body))
            .body(body.to_string())
            .send()
            .await
            .map_err(|e| Failure::transient(format!("webhook: {}", e.without_url())))?;
        let status = answer.status();
        if status.is_success() {
            Ok(None)
        } else if status == reqwest::StatusCode::GONE {
            Err(Failure::permanent("webhook: HTTP 410 Gone"))
        } else {
            Err(Failure::transient(format!("webhook: HTTP {status}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_of_timestamp_dot_body() {
        // Computed apart from this code:
        // echo -n '1700000000.{"a":1}' | openssl dgst -sha256 -hmac 'sixteen-char-key'
        let s = signature("sixteen-char-key", 1_700_000_000, r#"{"a":1}"#);
        assert_eq!(
            s,
            "sha256=fab7cfd727cbdef5af74b22b30de2b8639d1f643ba3d7e87cc3ebcac2f2bbac2"
        );
        assert_ne!(
            s,
            signature("sixteen-char-kez", 1_700_000_000, r#"{"a":1}"#)
        );
        assert_ne!(
            s,
            signature("sixteen-char-key", 1_700_000_001, r#"{"a":1}"#)
        );
    }
}
