//! The server's own Ed25519 key that seals the ledger: it signs checkpoints (position, head,
//! time) so that a rewrite of the history cannot be made to look consistent without it.
//! Keys are PEM (PKCS#8 private, SPKI public) and named by the SHA-256 of the public key's
//! SPKI DER, so a checkpoint says which key signed it.

use crate::error::LoadError;
use base64::Engine;
use openssl::pkey::{Id, PKey, Private, Public};
use openssl::sign::{Signer, Verifier};
use std::path::Path;

/// The server's private sealing key.
pub struct SealKey {
    key: PKey<Private>,
    key_id: String,
}

/// A public key that checks seals (checkpoint signatures).
#[derive(Clone)]
pub struct SealPublicKey {
    key: PKey<Public>,
    key_id: String,
}

impl std::fmt::Debug for SealKey {
    // Never the private key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SealKey")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for SealPublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SealPublicKey")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

fn io(path: &Path, source: std::io::Error) -> LoadError {
    LoadError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn not_ed25519(path: &str) -> LoadError {
    LoadError::Parse {
        path: path.to_string(),
        detail: "not an Ed25519 key".into(),
    }
}

/// Hex SHA-256 of the SPKI DER of a public key.
fn key_id_of<T: openssl::pkey::HasPublic>(key: &PKey<T>) -> Result<String, LoadError> {
    Ok(hex::encode(openssl::sha::sha256(&key.public_key_to_der()?)))
}

impl SealKey {
    /// A fresh key (not stored).
    pub fn generate() -> Result<SealKey, LoadError> {
        Self::from_key(PKey::generate_ed25519()?, "generated key")
    }

    fn from_key(key: PKey<Private>, origin: &str) -> Result<SealKey, LoadError> {
        if key.id() != Id::ED25519 {
            return Err(not_ed25519(origin));
        }
        let key_id = key_id_of(&key)?;
        Ok(SealKey { key, key_id })
    }

    /// Reads the key at `path` (PEM, PKCS#8).
    pub fn load(path: &Path) -> Result<SealKey, LoadError> {
        let pem = std::fs::read(path).map_err(|e| io(path, e))?;
        let key = PKey::private_key_from_pem(&pem).map_err(|e| LoadError::Parse {
            path: path.display().to_string(),
            detail: format!("not a PEM private key ({e})"),
        })?;
        Self::from_key(key, &path.display().to_string())
    }

    /// Reads the key at `path`, or creates one there (parent directories too; the file is
    /// written with mode 0600 and never overwritten: two nodes racing both end up with the
    /// key that was written first).
    pub fn load_or_create(path: &Path) -> Result<SealKey, LoadError> {
        match std::fs::metadata(path) {
            Ok(_) => return Self::load(path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(path, e)),
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
        }
        let key = Self::generate()?;
        let pem = key.key.private_key_to_pem_pkcs8()?;
        // Written whole under a name of its own, then linked into place: a reader never sees
        // the key half written, and a link that finds the name taken leaves the first key.
        static ATTEMPT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = ATTEMPT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = path.with_extension(format!("tmp-{}-{n}", std::process::id()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let written = options.open(&tmp).and_then(|mut file| {
            use std::io::Write;
            file.write_all(&pem).and_then(|()| file.sync_all())
        });
        let linked = written.and_then(|()| std::fs::hard_link(&tmp, path));
        let _ = std::fs::remove_file(&tmp);
        match linked {
            Ok(()) => Ok(key),
            // Another process or thread created it in between: use theirs.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Self::load(path),
            Err(e) => Err(io(path, e)),
        }
    }

    /// Hex SHA-256 of the public key's SPKI DER.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The Ed25519 signature of `msg`, base64.
    pub fn sign(&self, msg: &[u8]) -> Result<String, LoadError> {
        let mut signer = Signer::new_without_digest(&self.key)?;
        let sig = signer.sign_oneshot_to_vec(msg)?;
        Ok(base64::engine::general_purpose::STANDARD.encode(sig))
    }

    /// The public key, PEM (SPKI).
    pub fn public_pem(&self) -> Result<String, LoadError> {
        let pem = self.key.public_key_to_pem()?;
        Ok(String::from_utf8_lossy(&pem).into_owned())
    }

    /// The public half, to check this key's seals.
    pub fn public_key(&self) -> Result<SealPublicKey, LoadError> {
        SealPublicKey::from_pem(self.public_pem()?.as_bytes())
    }
}

impl SealPublicKey {
    /// From a PEM public key (SPKI).
    pub fn from_pem(pem: &[u8]) -> Result<SealPublicKey, LoadError> {
        let key = PKey::public_key_from_pem(pem).map_err(|e| LoadError::Parse {
            path: "public key".into(),
            detail: format!("not a PEM public key ({e})"),
        })?;
        if key.id() != Id::ED25519 {
            return Err(not_ed25519("public key"));
        }
        let key_id = key_id_of(&key)?;
        Ok(SealPublicKey { key, key_id })
    }

    /// Hex SHA-256 of the key's SPKI DER.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// Whether `signature_b64` is this key's signature of `msg`. Anything malformed is
    /// simply not a valid signature.
    pub fn verify(&self, msg: &[u8], signature_b64: &str) -> bool {
        let Ok(sig) = base64::engine::general_purpose::STANDARD.decode(signature_b64.trim()) else {
            return false;
        };
        Verifier::new_without_digest(&self.key)
            .and_then(|mut v| v.verify_oneshot(&sig, msg))
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_verifies_with_the_public_half() {
        let key = SealKey::generate().unwrap();
        let public = SealPublicKey::from_pem(key.public_pem().unwrap().as_bytes()).unwrap();
        assert_eq!(key.key_id(), public.key_id());
        assert_eq!(key.key_id().len(), 64);
        let sig = key.sign(b"checkpoint 1").unwrap();
        assert!(public.verify(b"checkpoint 1", &sig));
        assert!(!public.verify(b"checkpoint 2", &sig));
        assert!(!public.verify(b"checkpoint 1", "not base64!"));
        assert!(!public.verify(b"checkpoint 1", ""));
        let other = SealKey::generate().unwrap();
        assert_ne!(other.key_id(), key.key_id());
        assert!(!other.public_key().unwrap().verify(b"checkpoint 1", &sig));
    }

    #[test]
    fn created_once_then_loaded_with_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/nested/ledger.pem");
        let first = SealKey::load_or_create(&path).unwrap();
        let again = SealKey::load_or_create(&path).unwrap();
        assert_eq!(first.key_id(), again.key_id());
        assert_eq!(SealKey::load(&path).unwrap().key_id(), first.key_id());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let sig = again.sign(b"m").unwrap();
        assert!(first.public_key().unwrap().verify(b"m", &sig));
        assert!(!format!("{first:?}").contains("PRIVATE"));
    }

    #[test]
    fn threads_racing_to_create_it_all_get_the_one_key_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("race/ledger.pem");
        let ids: Vec<String> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| s.spawn(|| SealKey::load_or_create(&path).unwrap().key_id().to_string()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
        assert_eq!(SealKey::load(&path).unwrap().key_id(), ids[0]);
        let left: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left");
    }

    #[test]
    fn refuses_what_is_not_an_ed25519_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.pem");
        std::fs::write(&path, b"garbage").unwrap();
        assert!(SealKey::load_or_create(&path).is_err());
        let rsa = openssl::rsa::Rsa::generate(2048).unwrap();
        let rsa = PKey::from_rsa(rsa).unwrap();
        std::fs::write(&path, rsa.private_key_to_pem_pkcs8().unwrap()).unwrap();
        assert!(matches!(SealKey::load(&path), Err(LoadError::Parse { .. })));
        assert!(SealPublicKey::from_pem(&rsa.public_key_to_pem().unwrap()).is_err());
        assert!(SealKey::load(&dir.path().join("missing.pem")).is_err());
    }
}
