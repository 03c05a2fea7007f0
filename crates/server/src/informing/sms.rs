//! SMS to applicants through Mobizon (mobizon.kz), a gateway used in Kazakhstan, by its
//! published HTTP API: `POST {sms_url}/service/Message/SendSmsMessage?output=json&api=v1&apiKey=…`
//! with the form fields `recipient` (digits, 7XXXXXXXXXX), `text` and `from` (the registered
//! sender name); the answer is `{"code": 0, "data": {"messageId": …}, "message": ""}`, any other
//! code an error (1: the data was refused — not tried again). Delivery reports are read by
//! `POST {sms_url}/service/Message/GetSMSStatus` with the form field `ids[]` (up to 100 ids);
//! the answer's `data` lists `{id, status}`: `DELIVRD` delivered; `UNDELIV`, `REJECTD`,
//! `EXPIRED`, `DELETED` never will be; anything else not known yet. docs/informing.md.

use super::{Failure, Sent};
use qyzmet_store::Report;
use serde::Deserialize;
use std::collections::HashMap;
use std::time::Duration;

/// The Mobizon API.
pub struct Mobizon {
    client: reqwest::Client,
    url: String,
    api_key: String,
    from: Option<String>,
}

#[derive(Deserialize)]
struct Answer {
    code: i64,
    #[serde(default)]
    data: serde_json::Value,
    #[serde(default)]
    message: String,
}

impl Mobizon {
    pub fn new(url: &str, api_key: &str, from: Option<&str>) -> Result<Mobizon, String> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("sms client: {e}"))?;
        Ok(Mobizon {
            client,
            url: url.trim_end_matches('/').to_string(),
            api_key: api_key.to_string(),
            from: from.map(str::to_string),
        })
    }

    /// `POST {url}/service/Message/{method}` with the key and `form`: the gateway's answer, or
    /// a transient failure when there is none.
    async fn call(&self, method: &str, form: &[(&str, &str)]) -> Result<Answer, Failure> {
        let answer = self
            .client
            .post(format!("{}/service/Message/{method}", self.url))
            .query(&[
                ("output", "json"),
                ("api", "v1"),
                ("apiKey", self.api_key.as_str()),
            ])
            .form(form)
            .send()
            .await
            .map_err(|e| Failure::transient(format!("sms gateway: {}", e.without_url())))?;
        let status = answer.status();
        if !status.is_success() {
            return Err(Failure::transient(format!("sms gateway: HTTP {status}")));
        }
        answer
            .json()
            .await
            .map_err(|e| Failure::transient(format!("sms gateway answer: {}", e.without_url())))
    }

    pub async fn send(&self, to: &str, text: &str) -> Sent {
        let mut form = vec![("recipient", to), ("text", text)];
        if let Some(f) = &self.from {
            form.push(("from", f.as_str()));
        }
        let a = self.call("SendSmsMessage", &form).await?;
        match a.code {
            0 => Ok(a.data.get("messageId").map(|id| match id {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })),
            1 => Err(Failure::permanent(format!(
                "sms gateway refused the data: {}",
                a.message
            ))),
            code => Err(Failure::transient(format!(
                "sms gateway code {code}: {}",
                a.message
            ))),
        }
    }

    /// The delivery reports of messages `ids` (the gateway's ids), by id; an id the gateway
    /// does not list is not known yet.
    pub async fn reports(&self, ids: &[String]) -> Result<HashMap<String, Report>, Failure> {
        let form: Vec<(&str, &str)> = ids.iter().map(|id| ("ids[]", id.as_str())).collect();
        let a = self.call("GetSMSStatus", &form).await?;
        if a.code != 0 {
            return Err(Failure::transient(format!(
                "sms gateway code {}: {}",
                a.code, a.message
            )));
        }
        let text = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        Ok(a.data
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| Some((text(r.get("id")?), report(&text(r.get("status")?)))))
            .collect())
    }
}

/// What a Mobizon status says of a message.
pub fn report(status: &str) -> Report {
    match status {
        "DELIVRD" => Report::Delivered,
        "UNDELIV" | "REJECTD" | "EXPIRED" | "DELETED" => Report::Undelivered(status.to_string()),
        _ => Report::Pending,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_reports() {
        assert_eq!(report("DELIVRD"), Report::Delivered);
        assert_eq!(report("UNDELIV"), Report::Undelivered("UNDELIV".into()));
        assert_eq!(report("EXPIRED"), Report::Undelivered("EXPIRED".into()));
        for pending in ["NEW", "ENQUEUD", "ACCEPTD", "PDLIVRD", ""] {
            assert_eq!(report(pending), Report::Pending, "{pending}");
        }
    }
}
