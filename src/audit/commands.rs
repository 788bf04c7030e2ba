//! `prongsai audit verify` and `prongsai audit keygen`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use super::signing::{HeadSigner, PublishedHead, parse_public_key};
use crate::db::{DatabaseUrl, Db};

/// Checks every chain read-only; with `heads`, also that the log still holds each recorded head
/// (signed heads are checked against `public_key`, else the configured key file, else the key
/// they name). Exit 1 when anything is wrong.
pub async fn verify_command(
    url: &DatabaseUrl,
    heads: Option<&Path>,
    public_key: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let recorded = match heads {
        Some(path) => read_heads(path)?,
        None => Vec::new(),
    };
    let trusted = match public_key {
        Some(text) => Some(parse_public_key(text).map_err(anyhow::Error::msg)?),
        None => HeadSigner::from_env()?.map(|s| s.public_key()),
    };
    let (mut genuine, mut bad, mut unsigned, mut keys) = (Vec::new(), 0, 0, Vec::new());
    for head in recorded {
        if head.signature.is_none() {
            unsigned += 1;
            genuine.push(head);
            continue;
        }
        match head.check_signature(trusted.as_ref()) {
            Ok(key) => {
                keys.push(hex::encode(key.to_bytes()));
                genuine.push(head);
            }
            // Not compared: a head whose signature fails proves nothing about the log.
            Err(e) => {
                println!("BAD SIGNATURE {} at {} entries: {e}", head.organization, head.entries);
                bad += 1;
            }
        }
    }
    keys.sort();
    keys.dedup();

    let db = Db::connect_read_only(url).await?;
    let report = super::verify_against(&db, &genuine).await?;
    for p in &report.problems {
        println!("TAMPERED {p}");
    }
    if heads.is_some() {
        println!(
            "{} recorded heads compared: {} signed and checked, {unsigned} unsigned, {bad} with a bad signature",
            report.recorded_heads,
            report.recorded_heads - unsigned
        );
        if trusted.is_none() && !keys.is_empty() {
            println!(
                "signatures were checked with the key(s) the heads name ({}): compare with the organization's \
                 published key, or pass --public-key",
                keys.join(", ")
            );
        }
    }
    if !report.problems.is_empty() {
        println!(
            "audit log NOT intact: {} problems in {} entries of {} chains (บันทึกการเปลี่ยนแปลงถูกแก้ไข)",
            report.problems.len(),
            report.entries,
            report.chains
        );
        return Ok(ExitCode::FAILURE);
    }
    println!("audit log intact: {} entries in {} chains", report.entries, report.chains);
    if bad > 0 {
        println!("but {bad} recorded heads have a bad signature (ลายมือชื่อดิจิทัลของค่าที่จดไว้ไม่ถูกต้อง)");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// Heads saved from `/o/SLUG/audit/head`: one JSON object, an array of them, or several objects
/// one after another (as `curl … >> heads.json` leaves them).
pub fn read_heads(path: &Path) -> anyhow::Result<Vec<PublishedHead>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {} (อ่านไฟล์ไม่ได้)", path.display()))?;
    let mut heads = Vec::new();
    for value in serde_json::Deserializer::from_str(&text).into_iter::<serde_json::Value>() {
        let value = value.with_context(|| format!("{} is not JSON (ไฟล์ไม่ใช่ JSON)", path.display()))?;
        let items = match value {
            serde_json::Value::Array(items) => items,
            one => vec![one],
        };
        for item in items {
            heads.push(serde_json::from_value(item).with_context(|| {
                format!("{}: each head needs organization, entries and last_hash (ข้อมูลไม่ครบ)", path.display())
            })?);
        }
    }
    anyhow::ensure!(!heads.is_empty(), "{} holds no heads (ไม่มีข้อมูลในไฟล์)", path.display());
    Ok(heads)
}

/// Writes a new signing key (never over an existing file) and prints its public key.
pub fn keygen_command(out: &Path) -> anyhow::Result<ExitCode> {
    let signer = HeadSigner::create_file(out)?;
    println!("wrote a new audit signing key to {} (readable by its owner only)", out.display());
    println!("public key: {}", signer.public_key_hex());
    println!(
        "Set {}={} for `prongsai serve`; keep a copy apart from the database and its backups.",
        super::signing::KEY_FILE_ENV,
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
