//! Revocation lists from the certificates' CRL distribution points (RFC 5280 §4.2.1.13):
//! which URLs to fetch, fetching them over HTTP with a timeout, and a refreshed [`CrlSet`]
//! that keeps the last good copy of every list in a cache directory, so that a restart
//! without network, or a distribution point that is down, still has the lists.

use crate::certs::files;
use crate::crl::{parse_crl, CrlSet, LoadedCrl};
use crate::error::LoadError;
use crate::trust::TrustStore;
use crate::verify::Verifier;
use jiff::Timestamp;
use openssl::x509::{X509Crl, X509Ref};
use serde::Serialize;
use std::collections::{BTreeSet, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

/// The http(s) URLs of `cert`'s CRL distribution points, in the certificate's order. Only
/// `fullName` URIs count: LDAP URLs and names relative to the issuer are skipped, as nothing
/// here speaks LDAP and the national PKI publishes every list over HTTP.
pub fn distribution_points(cert: &X509Ref) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let Some(points) = cert.crl_distribution_points() else {
        return out;
    };
    for point in points.iter() {
        let Some(names) = point.distpoint().and_then(|n| n.fullname()) else {
            continue;
        };
        for uri in names.iter().filter_map(|n| n.uri()) {
            if is_http(uri) && !out.iter().any(|u| u == uri) {
                out.push(uri.to_string());
            }
        }
    }
    out
}

fn is_http(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Why one distribution point gave no list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FetchError {
    #[error("not an http(s) URL")]
    UnsupportedUrl,
    #[error("no answer within {millis} ms")]
    Timeout { millis: u64 },
    #[error("HTTP status {status}")]
    Status { status: u16 },
    #[error("transport: {detail}")]
    Transport { detail: String },
    #[error("larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("not a CRL in DER or PEM: {detail}")]
    NotACrl { detail: String },
}

/// One list as a distribution point served it.
pub struct FetchedCrl {
    pub crl: X509Crl,
    /// Its DER, as written to the cache.
    pub der: Vec<u8>,
}

impl std::fmt::Debug for FetchedCrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FetchedCrl")
            .field("bytes", &self.der.len())
            .finish()
    }
}

/// The national CA's full lists run to tens of megabytes; anything far beyond is not a CRL
/// worth holding in memory.
const MAX_CRL_BYTES: u64 = 256 * 1024 * 1024;

/// Downloads CRLs over HTTP(S), blocking, each request bounded by a timeout.
///
/// Call it from a blocking thread (a refresh job, `tokio::task::spawn_blocking`), never from
/// an async task: reqwest's blocking client runs its own runtime. The client is built on the
/// first fetch for the same reason, so constructing a fetcher is safe anywhere.
pub struct CrlFetcher {
    timeout: Duration,
    client: OnceLock<Result<reqwest::blocking::Client, String>>,
}

impl std::fmt::Debug for CrlFetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CrlFetcher")
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl CrlFetcher {
    pub fn new(timeout: Duration) -> CrlFetcher {
        CrlFetcher {
            timeout,
            client: OnceLock::new(),
        }
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    fn client(&self) -> Result<&reqwest::blocking::Client, FetchError> {
        self.client
            .get_or_init(|| {
                reqwest::blocking::Client::builder()
                    .timeout(self.timeout)
                    .connect_timeout(self.timeout)
                    .build()
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|detail| FetchError::Transport {
                detail: detail.clone(),
            })
    }

    /// Downloads the list at `url` (DER or PEM). Its signature is not checked here: that is
    /// [`LoadedCrl::accept`]'s job, against the configured issuer certificates.
    pub fn fetch(&self, url: &str) -> Result<FetchedCrl, FetchError> {
        if !is_http(url) {
            return Err(FetchError::UnsupportedUrl);
        }
        let timeout = || FetchError::Timeout {
            millis: u64::try_from(self.timeout.as_millis()).unwrap_or(u64::MAX),
        };
        let transport = |e: reqwest::Error| {
            if e.is_timeout() {
                timeout()
            } else {
                FetchError::Transport {
                    detail: error_chain(&e),
                }
            }
        };
        let response = self.client()?.get(url).send().map_err(transport)?;
        let status = response.status();
        if !status.is_success() {
            return Err(FetchError::Status {
                status: status.as_u16(),
            });
        }
        let mut bytes = Vec::new();
        response
            .take(MAX_CRL_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| {
                // The blocking body reports its timeout as an io::Error wrapping reqwest's.
                let timed_out = e.kind() == std::io::ErrorKind::TimedOut
                    || e.get_ref()
                        .and_then(|inner| inner.downcast_ref::<reqwest::Error>())
                        .is_some_and(reqwest::Error::is_timeout);
                if timed_out {
                    timeout()
                } else {
                    FetchError::Transport {
                        detail: e.to_string(),
                    }
                }
            })?;
        if bytes.len() as u64 > MAX_CRL_BYTES {
            return Err(FetchError::TooLarge {
                limit: MAX_CRL_BYTES,
            });
        }
        let crl = parse_crl(&bytes).map_err(|e| FetchError::NotACrl {
            detail: e.to_string(),
        })?;
        let der = crl.to_der().map_err(|e| FetchError::NotACrl {
            detail: e.to_string(),
        })?;
        Ok(FetchedCrl { crl, der })
    }
}

/// reqwest's own message ("error sending request") hides the cause one level down.
fn error_chain(e: &reqwest::Error) -> String {
    let mut out = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// What became of one distribution point in a refresh.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UrlReport {
    pub url: String,
    #[serde(flatten)]
    pub outcome: UrlOutcome,
}

/// The outcome for one URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum UrlOutcome {
    /// Fetched and signed by a configured issuer certificate; in force and cached.
    Ok {
        this_update: Timestamp,
        next_update: Option<Timestamp>,
    },
    /// Nothing usable came back; `cached` says whether the last good copy stays in force.
    Failed { error: FetchError, cached: bool },
    /// A CRL, but signed by no configured certificate of its issuer: not used, not cached.
    Rejected { cached: bool },
}

/// A refreshed set of revocation lists and what happened to each URL.
#[derive(Debug)]
pub struct Refreshed {
    pub crls: CrlSet,
    /// One entry per URL fetched, in URL order.
    pub urls: Vec<UrlReport>,
}

impl CrlSet {
    /// A fresh set: the lists of `crl_dir` (when configured) plus those of `urls` and of the
    /// URLs the cache remembers, each fetched list accepted only when a configured certificate
    /// of its issuer signed it ([`LoadedCrl::accept`]) and then written to `cache_dir` as
    /// `<sha256 of the URL>.crl` (its URL beside it in `.url`). A URL that fails keeps its
    /// last good copy from the cache; a cached list in force says `(cached)` in its source.
    pub fn refresh(
        trust: &TrustStore,
        crl_dir: Option<&Path>,
        cache_dir: &Path,
        urls: &[String],
        fetcher: &CrlFetcher,
    ) -> Result<Refreshed, LoadError> {
        let mut set = match crl_dir {
            Some(dir) => CrlSet::load_dir(dir, trust)?,
            None => CrlSet::default(),
        };
        std::fs::create_dir_all(cache_dir).map_err(|source| LoadError::Io {
            path: cache_dir.display().to_string(),
            source,
        })?;
        let cache = Cache { dir: cache_dir };
        // URLs learnt from signers seen before a restart are remembered by the cache: the
        // verifier knows only the trust store's until it sees those signers again.
        let mut all: BTreeSet<String> = urls.iter().cloned().collect();
        all.extend(cache.remembered_urls());
        let mut reports = Vec::new();
        let mut fresh = HashSet::new();
        for url in all {
            let outcome = match fetcher.fetch(&url) {
                Ok(fetched) => match LoadedCrl::accept(fetched.crl, url.clone(), trust) {
                    Some(list) => {
                        let outcome = UrlOutcome::Ok {
                            this_update: list.this_update,
                            next_update: list.next_update,
                        };
                        if cache.store(&url, &list, &fetched.der, trust) {
                            fresh.insert(url.clone());
                        } else {
                            // Not cached (disk trouble, or an older list than the cached one):
                            // use it now all the same; the set consults the newest per issuer.
                            set.push(list);
                        }
                        outcome
                    }
                    None => {
                        tracing::warn!(%url, "fetched revocation list signed by no configured certificate");
                        set.rejected.push(url.clone());
                        UrlOutcome::Rejected {
                            cached: cache.path(&url).exists(),
                        }
                    }
                },
                Err(error) => {
                    tracing::warn!(%url, %error, "revocation list not fetched");
                    UrlOutcome::Failed {
                        error,
                        cached: cache.path(&url).exists(),
                    }
                }
            };
            reports.push(UrlReport { url, outcome });
        }
        cache.load_into(&mut set, trust, &fresh)?;
        Ok(Refreshed {
            crls: set,
            urls: reports,
        })
    }
}

/// The cache directory: `<sha256 of the URL>.crl` (DER) and `<…>.url` (the URL).
struct Cache<'a> {
    dir: &'a Path,
}

impl Cache<'_> {
    fn stem(url: &str) -> String {
        hex::encode(openssl::sha::sha256(url.as_bytes()))
    }

    fn path(&self, url: &str) -> PathBuf {
        self.dir.join(format!("{}.crl", Cache::stem(url)))
    }

    fn remembered_urls(&self) -> Vec<String> {
        let Ok(paths) = files(self.dir) else {
            return Vec::new();
        };
        paths
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "url"))
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .map(|u| u.trim().to_string())
            .filter(|u| is_http(u))
            .collect()
    }

    /// Writes `list` as the cached copy of `url` unless the cached one is newer (a lagging
    /// mirror must not replace a newer list); true when the cache now holds it.
    fn store(&self, url: &str, list: &LoadedCrl, der: &[u8], trust: &TrustStore) -> bool {
        let path = self.path(url);
        let cached = std::fs::read(&path)
            .ok()
            .and_then(|b| parse_crl(&b).ok())
            .and_then(|c| LoadedCrl::accept(c, String::new(), trust));
        if cached.is_some_and(|c| c.this_update > list.this_update) {
            tracing::warn!(%url, "fetched revocation list is older than the cached one; cache kept");
            return false;
        }
        // Written beside and renamed: a crash mid-write never leaves half a list in the cache.
        let tmp = self.dir.join(format!(".{}.tmp", Cache::stem(url)));
        let written = std::fs::write(&tmp, der)
            .and_then(|()| std::fs::rename(&tmp, &path))
            .and_then(|()| std::fs::write(path.with_extension("url"), url));
        if let Err(error) = written {
            tracing::warn!(%url, %error, "revocation list not cached");
            return false;
        }
        true
    }

    /// Every cached list still signed by a configured certificate (the trust store may have
    /// changed since it was written).
    fn load_into(
        &self,
        set: &mut CrlSet,
        trust: &TrustStore,
        fresh: &HashSet<String>,
    ) -> Result<(), LoadError> {
        for path in files(self.dir)? {
            if path.extension().is_none_or(|e| e != "crl") {
                continue;
            }
            let url = std::fs::read_to_string(path.with_extension("url"))
                .map(|u| u.trim().to_string())
                .unwrap_or_else(|_| path.display().to_string());
            let source = if fresh.contains(&url) {
                url
            } else {
                format!("{url} (cached)")
            };
            let parsed = std::fs::read(&path).ok().and_then(|b| parse_crl(&b).ok());
            match parsed.and_then(|c| LoadedCrl::accept(c, source.clone(), trust)) {
                Some(list) => set.push(list),
                None => {
                    tracing::warn!(path = %path.display(), "cached revocation list unusable");
                    set.rejected.push(source);
                }
            }
        }
        Ok(())
    }
}

impl Verifier {
    /// Fetches the lists of [`Verifier::distribution_points`] (and those the cache remembers),
    /// puts the refreshed set in force and says what happened to each URL. Blocking: run it
    /// on the refresh job's thread.
    pub fn refresh_crls(
        &self,
        crl_dir: Option<&Path>,
        cache_dir: &Path,
        fetcher: &CrlFetcher,
    ) -> Result<Vec<UrlReport>, LoadError> {
        let urls = self.distribution_points();
        let refreshed = CrlSet::refresh(self.trust(), crl_dir, cache_dir, &urls, fetcher)?;
        tracing::info!(
            lists = refreshed.crls.len(),
            urls = refreshed.urls.len(),
            "revocation lists refreshed"
        );
        self.set_crls(refreshed.crls);
        Ok(refreshed.urls)
    }
}
