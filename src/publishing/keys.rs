//! The key that seals the channels' tokens (ChaCha20-Poly1305, through ring, which TLS already
//! brings), kept outside the database: `PRONGSAI_SECRET_KEY_FILE`, or on SQLite a file beside the
//! database made with mode 0600 on first need. A sealed token carries the id of its key (a short
//! hash of it), so that a wrong key is reported as such and never opens garbage.

use std::path::{Path, PathBuf};

use rand::RngCore;
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use sha2::{Digest, Sha256};

use super::config::Config;
use crate::db::{Backend, DatabaseUrl};

/// What a missing or wrong key is reported as (beside the field, on the outbox row).
pub const WRONG_KEY: &str = "กุญแจไม่ตรงกับที่ใช้เข้ารหัส";

pub struct Key {
    bytes: [u8; 32],
    /// The first 12 hex digits of SHA-256 over a label and the key.
    pub id: String,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Key({})", self.id)
    }
}

/// Where the key is: the configured file, or (SQLite) the one beside the database, which may be
/// created. None: PostgreSQL without `PRONGSAI_SECRET_KEY_FILE`.
fn location(config: &Config, db: &DatabaseUrl) -> Option<(PathBuf, bool)> {
    if let Some(file) = &config.secret_key_file {
        return Some((file.clone(), false));
    }
    if db.backend() != Backend::Sqlite {
        return None;
    }
    let path = db.expose().strip_prefix("sqlite://")?.split('?').next()?;
    if path.is_empty() || path.contains(":memory:") {
        return None;
    }
    Some((Path::new(path).with_extension("secret-key"), true))
}

/// The key, made first when `create` and the database is SQLite without a configured file.
/// The error is a Thai sentence saying what to do.
pub fn load(config: &Config, db: &DatabaseUrl, create: bool) -> Result<Key, String> {
    let Some((path, may_create)) = location(config, db) else {
        return Err("ยังไม่ได้ตั้งกุญแจเข้ารหัส: ตั้งค่า PRONGSAI_SECRET_KEY_FILE ให้ชี้ไปที่ไฟล์กุญแจ \
                    (เลขฐานสิบหก 64 ตัว จากคำสั่ง openssl rand -hex 32) แล้วเริ่มระบบใหม่"
            .into());
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => parse(&text).ok_or_else(|| format!("ไฟล์กุญแจ {} ไม่ใช่เลขฐานสิบหก 64 ตัว", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && create && may_create => make(&path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(format!("ไม่พบไฟล์กุญแจ {} (PRONGSAI_SECRET_KEY_FILE)", path.display()))
        }
        Err(e) => {
            tracing::error!(error = %e, path = %path.display(), "reading the secret key file");
            Err(format!("อ่านไฟล์กุญแจ {} ไม่ได้", path.display()))
        }
    }
}

fn parse(text: &str) -> Option<Key> {
    let bytes: [u8; 32] = hex::decode(text.trim()).ok()?.try_into().ok()?;
    Some(Key::from_bytes(bytes))
}

/// Writes a new key beside the database. Two processes making it at once: the file is linked
/// into place whole, so one wins and the other reads the winner's.
fn make(path: &Path) -> Result<Key, String> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let temp = path.with_extension(format!("secret-key.{}.tmp", std::process::id()));
    let written = write_private(&temp, &hex::encode(bytes)).and_then(|()| std::fs::hard_link(&temp, path));
    let _ = std::fs::remove_file(&temp);
    match written {
        Ok(()) => Ok(Key::from_bytes(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::read_to_string(path).ok().and_then(|t| parse(&t)).ok_or_else(|| "อ่านไฟล์กุญแจไม่ได้".into())
        }
        Err(e) => {
            tracing::error!(error = %e, path = %path.display(), "creating the secret key file");
            Err(format!("สร้างไฟล์กุญแจ {} ไม่ได้", path.display()))
        }
    }
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

impl Key {
    pub fn from_bytes(bytes: [u8; 32]) -> Key {
        let digest = Sha256::new().chain_update(b"prongsai publishing token key\0").chain_update(bytes).finalize();
        Key { bytes, id: hex::encode(digest)[..12].to_string() }
    }

    fn aead(&self) -> LessSafeKey {
        LessSafeKey::new(UnboundKey::new(&CHACHA20_POLY1305, &self.bytes).expect("a 32-byte key"))
    }

    /// Seals `plain`, bound to `context` (the organization and channel, so a sealed token moved
    /// to another row does not open): hex of nonce then ciphertext and tag.
    pub fn seal(&self, context: &str, plain: &str) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let mut data = plain.as_bytes().to_vec();
        self.aead()
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::from(context.as_bytes()), &mut data)
            .expect("sealing a short token");
        let mut out = nonce.to_vec();
        out.extend(data);
        hex::encode(out)
    }

    /// Opens what [`Key::seal`] made with the key named `key_id`.
    pub fn open(&self, key_id: &str, context: &str, sealed: &str) -> Result<String, String> {
        if key_id != self.id {
            return Err(format!("{WRONG_KEY} (กุญแจที่ใช้อยู่ {} แต่โทเค็นเข้ารหัสด้วย {key_id})", self.id));
        }
        let bytes = hex::decode(sealed).map_err(|_| "ข้อมูลโทเค็นที่เก็บไว้เสียหาย".to_string())?;
        if bytes.len() < NONCE_LEN {
            return Err("ข้อมูลโทเค็นที่เก็บไว้เสียหาย".into());
        }
        let (nonce, rest) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| "ข้อมูลโทเค็นที่เก็บไว้เสียหาย".to_string())?;
        let mut data = rest.to_vec();
        let plain = self
            .aead()
            .open_in_place(nonce, Aad::from(context.as_bytes()), &mut data)
            .map_err(|_| format!("{WRONG_KEY} หรือข้อมูลโทเค็นเสียหาย"))?;
        String::from_utf8(plain.to_vec()).map_err(|_| "ข้อมูลโทเค็นที่เก็บไว้เสียหาย".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_token_opens_with_its_key_and_context_only() {
        let key = Key::from_bytes([7; 32]);
        let sealed = key.seal("1:line", "secret-token-1234");
        assert!(!sealed.contains("secret"));
        assert_eq!(key.open(&key.id, "1:line", &sealed).unwrap(), "secret-token-1234");
        assert!(key.open(&key.id, "2:line", &sealed).is_err());
        let other = Key::from_bytes([8; 32]);
        let refused = other.open(&key.id, "1:line", &sealed).unwrap_err();
        assert!(refused.starts_with(WRONG_KEY), "{refused}");
    }
}
