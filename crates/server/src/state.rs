//! Shared state of a server node: the store, the calendar in force, configuration, the
//! token cache and the audit queue. Nodes keep nothing else: any node can serve any request.

use crate::audit::AuditQueue;
use crate::config::Config;
use crate::hashing::Hashing;
use crate::signing::Signing;
use crate::throttle::SignInThrottle;
use qyzmet_domain::ProductionCalendar;
use qyzmet_store::{Store, StoreError, TokenInfo};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    pub calendar: Arc<CalendarCell>,
    pub tokens: Arc<TokenCache>,
    pub audit: AuditQueue,
    /// The signature verifier and the roles every signer must hold.
    pub signing: Arc<Signing>,
    /// The bounded pool that checks and hashes passwords.
    pub hashing: Hashing,
    /// Sign-in attempts per account and per client.
    pub sign_in_throttle: SignInThrottle,
    /// Public status lookups per client.
    pub status_throttle: crate::throttle::ClientThrottle,
    /// Digital tickets taken without signing in, per client address.
    pub ticket_throttle: crate::throttle::ClientThrottle,
    /// The queue's live feed (hall displays, digital tickets).
    pub feed: crate::queue_feed::QueueFeed,
    /// The public catalogue this node holds.
    pub catalogue: Arc<crate::app::registry::catalogue::CatalogueCache>,
    /// The server's sealing key (receipts' seals, ADR 0021), loaded on first use.
    pub seal: Arc<tokio::sync::OnceCell<Arc<ServerSeal>>>,
    /// The node's writer of package scans (group commit).
    pub scans: crate::app::front_office::scan_writer::ScanWriter,
}

/// The server's sealing key with its public half, derived once.
pub struct ServerSeal {
    pub key: qyzmet_signature::SealKey,
    pub public: qyzmet_signature::SealPublicKey,
    pub public_pem: String,
}

fn load_seal(path: &std::path::Path) -> Result<ServerSeal, qyzmet_signature::LoadError> {
    let key = qyzmet_signature::SealKey::load_or_create(path)?;
    Ok(ServerSeal {
        public: key.public_key()?,
        public_pem: key.public_pem()?,
        key,
    })
}

impl AppState {
    /// The server's sealing key (the ledger's, `ledger_key_file`; created when missing), or
    /// `None` when it cannot be loaded now (logged).
    pub async fn seal_key(&self) -> Option<Arc<ServerSeal>> {
        // A failure is not kept: the next caller tries again.
        self.seal
            .get_or_try_init(|| async {
                let path = self.config.ledger_key_file.clone();
                match tokio::task::spawn_blocking(move || load_seal(&path)).await {
                    Ok(Ok(seal)) => Ok(Arc::new(seal)),
                    Ok(Err(e)) => {
                        tracing::error!(error = %e, "the sealing key cannot be loaded");
                        Err(())
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "loading the sealing key failed");
                        Err(())
                    }
                }
            })
            .await
            .ok()
            .cloned()
    }
}

/// The calendar in force, swapped whole when it changes.
pub struct CalendarCell {
    current: RwLock<(Arc<ProductionCalendar>, (i64, i64))>,
}

impl CalendarCell {
    pub fn new(calendar: ProductionCalendar, stamp: (i64, i64)) -> Self {
        CalendarCell {
            current: RwLock::new((Arc::new(calendar), stamp)),
        }
    }

    pub fn get(&self) -> Arc<ProductionCalendar> {
        self.current
            .read()
            .map(|g| g.0.clone())
            .unwrap_or_else(|p| p.into_inner().0.clone())
    }

    pub fn stamp(&self) -> (i64, i64) {
        self.current
            .read()
            .map(|g| g.1)
            .unwrap_or_else(|p| p.into_inner().1)
    }

    /// Replaces the calendar with one read at `stamp`, unless the one held was read at a
    /// later stamp: two refreshes after two edits at once may finish in either order, and
    /// the earlier one must not put back the calendar without the later edit. (Every edit
    /// moves the stamp's second part, the last change's time, forward.)
    pub fn set(&self, calendar: ProductionCalendar, stamp: (i64, i64)) {
        let mut g = self.current.write().unwrap_or_else(|p| p.into_inner());
        if stamp.1 >= g.1 .1 {
            *g = (Arc::new(calendar), stamp);
        }
    }

    /// Reloads from the store when its stamp moved (an edit on this or another node). The
    /// stamp is read before the entries, so the entries are at least as new as it.
    pub async fn refresh(&self, store: &Store) -> Result<bool, StoreError> {
        let stamp = store.calendar_stamp().await?;
        if stamp == self.stamp() {
            return Ok(false);
        }
        let entries = store.calendar_entries().await?;
        self.set(ProductionCalendar::new(entries), stamp);
        Ok(true)
    }
}

/// A short-lived cache of resolved tokens: authentication costs a hash and a map look-up on
/// the hot path instead of a query. Revocation takes effect within `ttl`.
pub struct TokenCache {
    ttl: Duration,
    entries: Mutex<HashMap<String, (Instant, Option<TokenInfo>)>>,
}

impl TokenCache {
    pub fn new(ttl: Duration) -> Self {
        TokenCache {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// Forgets every resolved token: an organization's signer data changed on this node.
    pub fn clear(&self) {
        if let Ok(mut map) = self.entries.lock() {
            map.clear();
        }
    }

    pub async fn resolve(
        &self,
        store: &Store,
        hash: &str,
    ) -> Result<Option<TokenInfo>, StoreError> {
        if let Ok(map) = self.entries.lock() {
            if let Some((at, info)) = map.get(hash) {
                if at.elapsed() < self.ttl {
                    return Ok(info.clone());
                }
            }
        }
        let info = store.token(hash).await?;
        if let Ok(mut map) = self.entries.lock() {
            if map.len() > 10_000 {
                map.clear();
            }
            map.insert(hash.to_string(), (Instant::now(), info.clone()));
        }
        Ok(info)
    }
}
