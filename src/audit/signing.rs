//! Signed chain heads: the public site signs each published head with an Ed25519 key that is kept
//! in a file outside the database (`PRONGSAI_AUDIT_KEY_FILE`).
//!
//! Someone with database access can rewrite a whole chain consistently (recompute every hash and
//! the head), and the server will then publish, and sign, the rewritten head. What the signature
//! adds is proof of origin for heads recorded earlier: a saved head whose signature verifies with
//! the organization's public key was published by the site, so a log that no longer contains it
//! (see [`super::verify_against`]) was rewritten, and the copy cannot be dismissed as forged.

use std::io::Write as _;
use std::path::Path;

use anyhow::Context;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

/// The environment variable naming the key file.
pub const KEY_FILE_ENV: &str = "PRONGSAI_AUDIT_KEY_FILE";

const KEY_FILE_HEADER: &str =
    "# Prongsai audit signing key (Ed25519 secret, hex). Keep it secret and outside the database and its backups.";

/// A chain head as the public site publishes it at `/o/SLUG/audit/head`, and as someone saves it
/// to check the log later with `prongsai audit verify --heads FILE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedHead {
    pub organization: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<i64>,
    /// The chain's length: the seq of its last entry.
    pub entries: i64,
    pub last_hash: String,
    /// Ed25519 signature (hex) of [`PublishedHead::signed_text`], when the site has a key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// The public key (hex) that checks the signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
}

impl PublishedHead {
    /// The exact text that is signed: it names the organization (slug and id) so that a head
    /// cannot be passed off as another organization's.
    pub fn signed_text(&self) -> String {
        format!(
            "prongsai audit head v1\norganization={}\norg_id={}\nentries={}\nlast_hash={}\n",
            self.organization,
            self.org_id.unwrap_or(0),
            self.entries,
            self.last_hash
        )
    }

    /// Checks the signature. With `trusted`, the head must be signed by that key; without, by the
    /// key the head itself names (which proves only that the head was not altered since signing).
    pub fn check_signature(&self, trusted: Option<&VerifyingKey>) -> Result<VerifyingKey, String> {
        let signature = self.signature.as_deref().ok_or("the head is not signed")?;
        let named = self.public_key.as_deref().map(parse_public_key).transpose()?;
        let key = match (trusted, named) {
            (Some(t), Some(n)) if *t != n => {
                return Err(format!(
                    "signed with key {}, not with the organization's key {}",
                    hex::encode(n.to_bytes()),
                    hex::encode(t.to_bytes())
                ));
            }
            (Some(t), _) => *t,
            (None, Some(n)) => n,
            (None, None) => return Err("the head is signed but names no public key".into()),
        };
        let bytes: [u8; 64] = hex::decode(signature)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or("the signature is not 64 bytes of hex")?;
        key.verify_strict(self.signed_text().as_bytes(), &Signature::from_bytes(&bytes)).map_err(|_| {
            "the signature does not match the head: the head was altered, or not signed by this key".to_string()
        })?;
        Ok(key)
    }
}

/// A public key given as 64 hex digits.
pub fn parse_public_key(text: &str) -> Result<VerifyingKey, String> {
    let bytes: [u8; 32] = hex::decode(text.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| format!("\"{text}\" is not a public key (64 hex digits)"))?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| format!("\"{text}\" is not a valid Ed25519 public key"))
}

/// The site's signing key.
pub struct HeadSigner {
    key: SigningKey,
}

impl std::fmt::Debug for HeadSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HeadSigner(public {})", self.public_key_hex())
    }
}

impl HeadSigner {
    /// A new random key.
    pub fn generate() -> Self {
        let mut secret = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut secret);
        HeadSigner { key: SigningKey::from_bytes(&secret) }
    }

    /// Writes a new key to `path` (which must not exist yet), readable by its owner only.
    pub fn create_file(path: &Path) -> anyhow::Result<Self> {
        let signer = Self::generate();
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options
            .open(path)
            .with_context(|| format!("creating {} (สร้างไฟล์กุญแจไม่ได้ หรือมีไฟล์นี้อยู่แล้ว)", path.display()))?;
        writeln!(file, "{KEY_FILE_HEADER}\n{}", hex::encode(signer.key.to_bytes()))?;
        file.sync_all()?;
        Ok(signer)
    }

    /// Reads a key written by [`HeadSigner::create_file`].
    pub fn from_file(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the audit key {} (อ่านไฟล์กุญแจไม่ได้)", path.display()))?;
        let line = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#')).unwrap_or("");
        let secret: [u8; 32] = hex::decode(line).ok().and_then(|b| b.try_into().ok()).with_context(|| {
            format!("{} is not an audit key (made by `prongsai audit keygen`) (ไฟล์กุญแจไม่ถูกต้อง)", path.display())
        })?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path)?.permissions().mode();
            if mode & 0o077 != 0 {
                tracing::warn!(file = %path.display(), "the audit key file is readable by others: chmod 600 it");
            }
        }
        Ok(HeadSigner { key: SigningKey::from_bytes(&secret) })
    }

    /// The key named by `PRONGSAI_AUDIT_KEY_FILE`, if set.
    pub fn from_env() -> anyhow::Result<Option<Self>> {
        match std::env::var_os(KEY_FILE_ENV) {
            Some(path) if !path.is_empty() => Self::from_file(Path::new(&path)).map(Some),
            _ => Ok(None),
        }
    }

    pub fn public_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    pub fn public_key_hex(&self) -> String {
        hex::encode(self.public_key().to_bytes())
    }

    /// Adds the signature and the public key to a head.
    pub fn sign(&self, head: &mut PublishedHead) {
        head.public_key = Some(self.public_key_hex());
        head.signature = Some(hex::encode(self.key.sign(head.signed_text().as_bytes()).to_bytes()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head() -> PublishedHead {
        PublishedHead {
            organization: "mae-khatuan".into(),
            org_id: Some(1),
            entries: 12,
            last_hash: "ab".repeat(32),
            signature: None,
            public_key: None,
        }
    }

    #[test]
    fn a_signed_head_checks_and_any_change_breaks_it() {
        let signer = HeadSigner::generate();
        let mut h = head();
        signer.sign(&mut h);
        assert_eq!(h.check_signature(Some(&signer.public_key())), Ok(signer.public_key()));
        assert!(h.check_signature(None).is_ok());
        for altered in [
            PublishedHead { entries: 11, ..h.clone() },
            PublishedHead { last_hash: "cd".repeat(32), ..h.clone() },
            PublishedHead { organization: "other-town".into(), ..h.clone() },
            PublishedHead { org_id: Some(2), ..h.clone() },
        ] {
            assert!(altered.check_signature(Some(&signer.public_key())).is_err(), "{altered:?}");
        }
    }

    #[test]
    fn a_head_signed_by_another_key_is_refused_when_the_key_is_known() {
        let (ours, theirs) = (HeadSigner::generate(), HeadSigner::generate());
        let mut h = head();
        theirs.sign(&mut h);
        let err = h.check_signature(Some(&ours.public_key())).unwrap_err();
        assert!(err.contains("not with the organization's key"), "{err}");
        // Claiming our public key does not help: the signature is checked with it.
        h.public_key = Some(ours.public_key_hex());
        assert!(h.check_signature(Some(&ours.public_key())).is_err());
    }

    #[test]
    fn a_key_file_is_private_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.key");
        let made = HeadSigner::create_file(&path).unwrap();
        assert_eq!(HeadSigner::from_file(&path).unwrap().public_key(), made.public_key());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert!(HeadSigner::create_file(&path).is_err(), "an existing key is never overwritten");
    }
}
