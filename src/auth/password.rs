//! Argon2id password hashes (PHC strings, salt included).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};

pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
}

pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// [`hash`] on the blocking pool's hashing lane: argon2 takes tens of milliseconds of CPU, which
/// must not stall the async threads that answer every other page.
pub async fn hash_off_thread(password: &str) -> anyhow::Result<String> {
    let password = password.to_owned();
    crate::blocking::run(crate::blocking::Lane::Hash, move || hash(&password)).await?
}

/// [`verify`] on the blocking pool's hashing lane. A failure of the pool (a panic in argon2)
/// is logged and verifies nothing.
pub async fn verify_off_thread(password: &str, phc: &str) -> bool {
    let (password, phc) = (password.to_owned(), phc.to_owned());
    match crate::blocking::run(crate::blocking::Lane::Hash, move || verify(&password, &phc)).await {
        Ok(ok) => ok,
        Err(e) => {
            tracing::error!(error = %e, "password verification failed");
            false
        }
    }
}

/// A hash of a random password, verified against when the user does not exist, so that a
/// login's timing does not reveal which usernames exist.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| hash("not-a-real-password").expect("argon2 works"));
    &DUMMY
}

/// The rules a new password must meet, in Thai for the form.
pub fn check_strength(password: &str) -> Result<(), &'static str> {
    if password.chars().count() < 10 {
        return Err("รหัสผ่านต้องยาวอย่างน้อย 10 ตัวอักษร (password must have at least 10 characters)");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_hash_verifies_only_its_own_password() {
        let h = super::hash("ยืมคืนพัสดุ2566").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(super::verify("ยืมคืนพัสดุ2566", &h));
        assert!(!super::verify("ยืมคืนพัสดุ2567", &h));
        assert!(!super::verify("x", "not a hash"));
    }
}
