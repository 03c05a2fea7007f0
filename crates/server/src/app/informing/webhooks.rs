//! Webhooks of provider systems: an organization registers the URL where every event of its
//! applications is posted, signed with its secret (HMAC-SHA256). A URL that resolves to a
//! loopback, private, link-local or otherwise internal address is refused (a server-side
//! request forgery guard) unless `webhook_allow_private` is set; the delivery checks again at
//! every post, since what a name resolves to can change.

use crate::app::{AppError, Caller, Principal};
use crate::state::AppState;
use jiff::Timestamp;
use qyzmet_store::{Scope, Webhook};
use serde::Deserialize;
use std::net::IpAddr;
use utoipa::ToSchema;

/// A webhook to register.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// Where to post: http:// or https://, no user name or password in it.
    #[schema(max_length = 2000)]
    pub url: String,
    /// The shared secret the posts are signed with (16–256 characters); never shown again.
    #[schema(min_length = 16, max_length = 256)]
    pub secret: String,
    /// The organization's code: required of administrators, and must be the caller's own (or
    /// under it) for an organization's token.
    #[schema(max_length = 64)]
    pub organization: Option<String>,
}

/// Whether `ip` is an address on the public internet (not loopback, private, link-local,
/// shared, documentation, multicast, unspecified or broadcast).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || o[0] == 0
                || (o[0] == 100 && (64..128).contains(&o[1])) // shared, RFC 6598
                || (o[0] == 192 && o[1] == 0 && o[2] == 0) // IETF protocol assignments
                || o[0] >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let s = v6.segments();
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local
                || (s[0] & 0xffc0) == 0xfe80 // link-local
                || s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        }
    }
}

/// The URL's host and port resolved; every address must be public unless `allow_private`.
/// `Err` names the reason code.
pub async fn resolve(
    url: &reqwest::Url,
    allow_private: bool,
) -> Result<Vec<std::net::SocketAddr>, &'static str> {
    let host = url.host_str().ok_or("webhook_url_invalid")?;
    let port = url.port_or_known_default().ok_or("webhook_url_invalid")?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<_> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|_| "webhook_host_unresolved")?
        .collect();
    if addrs.is_empty() {
        return Err("webhook_host_unresolved");
    }
    if !allow_private && addrs.iter().any(|a| !is_public(a.ip())) {
        return Err("webhook_private_address");
    }
    Ok(addrs)
}

/// The URL as given, checked: http or https, a host, no credentials, at most 2,000 characters.
pub fn parse_url(s: &str) -> Result<reqwest::Url, AppError> {
    let s = s.trim();
    if s.len() > 2000 {
        return Err(AppError::invalid("url", "too_long").arg("max", 2000));
    }
    let url =
        reqwest::Url::parse(s).map_err(|_| AppError::invalid("url", "webhook_url_invalid"))?;
    if !matches!(url.scheme(), "http" | "https")
        || url.host_str().is_none()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(AppError::invalid("url", "webhook_url_invalid"));
    }
    Ok(url)
}

/// Registers a webhook (an organization's token for its own sub-tree, or an administrator
/// for any organization); audited.
pub async fn create(
    state: &AppState,
    caller: &Caller,
    w: &NewWebhook,
    now: Timestamp,
) -> Result<Webhook, AppError> {
    // An organization's token acts for its own sub-tree (its root's id and path).
    let own = match (&caller.principal, caller.scope()) {
        (Principal::Token { .. }, Scope::Organization { id, path }) => Some((*id, path.clone())),
        _ => {
            caller.require_admin()?;
            None
        }
    };
    let url = parse_url(&w.url)?;
    let secret = w.secret.as_str();
    if !(16..=256).contains(&secret.chars().count()) || secret.chars().any(char::is_control) {
        return Err(AppError::invalid("secret", "webhook_secret_invalid"));
    }
    let named = w
        .organization
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let org = match (named, &own) {
        (Some(code), _) => crate::app::validate::org_code("organization", code)?,
        (None, Some((id, _))) => state.store.organization_by_id(*id).await?.code,
        (None, None) => return Err(AppError::invalid("organization", "required")),
    };
    if let Some((_, path)) = &own {
        let target = state
            .store
            .organization(&org)
            .await?
            .ok_or_else(|| AppError::invalid("organization", "unknown_organization"))?;
        if !target.path.starts_with(path.as_str()) {
            return Err(AppError::forbidden("outside_scope").with_field("organization"));
        }
    }
    resolve(&url, state.config.webhook_allow_private)
        .await
        .map_err(|code| AppError::invalid("url", code))?;
    Ok(state
        .store
        .create_webhook(&org, url.as_str(), secret, &caller.actor(), now)
        .await?)
}

/// The webhooks the caller may see: its sub-tree's, or all for administrators.
pub async fn list(state: &AppState, caller: &Caller) -> Result<Vec<Webhook>, AppError> {
    if !matches!(caller.principal, Principal::Token { .. }) {
        caller.require_admin()?;
    }
    Ok(state.store.webhooks(caller.scope().path()).await?)
}

/// Stops a webhook (audited); its undelivered posts are given up.
pub async fn deactivate(
    state: &AppState,
    caller: &Caller,
    id: i64,
    now: Timestamp,
) -> Result<Webhook, AppError> {
    if !matches!(caller.principal, Principal::Token { .. }) {
        caller.require_admin()?;
    }
    Ok(state
        .store
        .deactivate_webhook(id, caller.scope().path(), &caller.actor(), now)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fc00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "224.0.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["8.8.8.8", "195.210.46.1", "2a00:1450::1"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn urls_of_the_web_only() {
        assert!(parse_url("https://provider.kz/hooks/qyzmet").is_ok());
        for bad in [
            "ftp://x.kz/",
            "https://user:pw@x.kz/",
            "not a url",
            "file:///etc/passwd",
        ] {
            assert!(parse_url(bad).is_err(), "{bad}");
        }
    }
}
