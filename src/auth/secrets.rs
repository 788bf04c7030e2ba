//! Server secrets kept in the database, so that every `prongsai serve` process sharing it agrees
//! (a secret kept in one process's memory would fail on the next process behind the same address).

use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::db::{Db, now};

/// The named secret, created (32 random bytes, hex) on first need.
pub async fn get_or_create(db: &Db, name: &str) -> Result<Vec<u8>, sqlx::Error> {
    // Read first: every login page needs the secret, and a write each time would queue behind
    // SQLite's single writer.
    if let Some(secret) = read(db, name).await? {
        return Ok(secret);
    }
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    // Two processes creating it at once: one insert wins and both read the winner.
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(hex::encode(bytes))
    .bind(now())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    read(db, name).await?.ok_or(sqlx::Error::RowNotFound)
}

async fn read(db: &Db, name: &str) -> Result<Option<Vec<u8>>, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT value FROM server_secrets WHERE name = $1").bind(name).fetch_optional(&db.pool).await?;
    row.map(|(value,)| hex::decode(value).map_err(|e| sqlx::Error::Decode(Box::new(e)))).transpose()
}

/// HMAC-SHA256 (RFC 2104) of `message` under `key`.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.map(|b| b ^ byte);
    let inner = Sha256::new().chain_update(pad(0x36)).chain_update(message).finalize();
    let mut mac = [0u8; 32];
    mac.copy_from_slice(&Sha256::new().chain_update(pad(0x5c)).chain_update(inner).finalize());
    mac
}

#[cfg(test)]
mod tests {
    #[test]
    fn hmac_matches_the_rfc_4231_test_vector() {
        // RFC 4231, test case 2.
        let mac = super::hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(hex::encode(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}
