//! Complainants who follow a complaint in LINE. A LINE user who sends a complaint's tracking code
//! to the organization's official account (line_hook.rs) is linked to it: sending the code is
//! their own act of agreeing. Each status change the citizen can see is then pushed to every
//! linked user through the outbox, in the step's own transaction ([`notify`]). The audit log
//! names a LINE user only by a hash ([`user_mark`]); the userId itself is kept only where LINE
//! needs it (this table and the outbox row that pushes).

use sha2::{Digest, Sha256};

use super::workflow::Step;
use super::{Status, code};
use crate::db::Tx;
use crate::orgs::OrgId;
use crate::publishing::{LinePush, enqueue_line_push};

/// Who the audit log names for what a LINE user did through the webhook.
pub const ACTOR: &str = "ผู้ใช้ LINE (ผ่าน webhook)";

/// A LINE user as the audit log and the outbox's sources name them: a hash of the userId.
pub fn user_mark(line_user_id: &str) -> String {
    let digest = Sha256::new().chain_update(b"prongsai line user\0").chain_update(line_user_id.as_bytes()).finalize();
    hex::encode(digest)[..16].to_string()
}

/// The tracking page's path within the site (the outbox adds the public address when it sends).
pub fn tracking_path(slug: &str, code: &str) -> String {
    format!("/o/{slug}/complaints/{code}")
}

/// The organization's complaint with this tracking code (as stored), if any.
pub async fn complaint_by_code(tx: &mut Tx, org: OrgId, code: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM complaints WHERE org_id = $1 AND code = $2")
        .bind(org.0)
        .bind(code)
        .fetch_optional(&mut **tx)
        .await
}

/// Links the user to the complaint and audits it; false when they were linked already.
pub async fn link(tx: &mut Tx, org: OrgId, complaint: i64, line_user_id: &str, at: i64) -> anyhow::Result<bool> {
    let inserted = sqlx::query(
        "INSERT INTO complaint_line_followers (org_id, complaint_id, line_user_id, linked_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (org_id, complaint_id, line_user_id) DO NOTHING",
    )
    .bind(org.0)
    .bind(complaint)
    .bind(line_user_id)
    .bind(at)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    if inserted {
        let after = serde_json::json!({ "complaint_id": complaint, "line_user": user_mark(line_user_id) });
        crate::audit::record(
            tx,
            org,
            ACTOR,
            "create",
            "complaint_line_follower",
            &complaint.to_string(),
            None,
            Some(&after),
        )
        .await?;
    }
    Ok(inserted)
}

/// Ends the user's links: to one complaint, or (None) to every complaint of the organization;
/// audits each; the complaints unlinked.
pub async fn unlink(tx: &mut Tx, org: OrgId, complaint: Option<i64>, line_user_id: &str) -> anyhow::Result<Vec<i64>> {
    let ids: Vec<i64> =
        match complaint {
            Some(id) => {
                sqlx::query_scalar(
                    "DELETE FROM complaint_line_followers WHERE org_id = $1 AND complaint_id = $2 AND line_user_id = $3
             RETURNING complaint_id",
                )
                .bind(org.0)
                .bind(id)
                .bind(line_user_id)
                .fetch_all(&mut **tx)
                .await?
            }
            None => sqlx::query_scalar(
                "DELETE FROM complaint_line_followers WHERE org_id = $1 AND line_user_id = $2 RETURNING complaint_id",
            )
            .bind(org.0)
            .bind(line_user_id)
            .fetch_all(&mut **tx)
            .await?,
        };
    for id in &ids {
        let before = serde_json::json!({ "complaint_id": id, "line_user": user_mark(line_user_id) });
        crate::audit::record(tx, org, ACTOR, "delete", "complaint_line_follower", &id.to_string(), Some(&before), None)
            .await?;
    }
    Ok(ids)
}

/// The text a follower gets for a new status: the code, the status and (added when sent) the
/// tracking page's link. Nothing else: a corruption complaint's details stay off LINE.
pub fn status_text(code: &str, status: Status) -> String {
    format!("เรื่องร้องเรียนรหัส {}: {}\nดูรายละเอียดได้ที่", code::display(code), status.label_th())
}

/// Pushes the new status to each follower of the complaint, in the step's transaction: for the
/// steps that change what the citizen sees as its status. One message per (event, follower).
pub async fn notify(tx: &mut Tx, org: OrgId, complaint: i64, step: Step, event: i64) -> anyhow::Result<()> {
    let Some(status) = step.next_status() else { return Ok(()) };
    let followers: Vec<String> = sqlx::query_scalar(
        "SELECT line_user_id FROM complaint_line_followers WHERE org_id = $1 AND complaint_id = $2 ORDER BY line_user_id",
    )
    .bind(org.0)
    .bind(complaint)
    .fetch_all(&mut **tx)
    .await?;
    if followers.is_empty() {
        return Ok(());
    }
    let (slug, code): (String, String) = sqlx::query_as(
        "SELECT o.slug, c.code FROM complaints c JOIN orgs o ON o.id = c.org_id WHERE c.org_id = $1 AND c.id = $2",
    )
    .bind(org.0)
    .bind(complaint)
    .fetch_one(&mut **tx)
    .await?;
    let text = status_text(&code, status);
    let link = tracking_path(&slug, &code);
    let title = format!("ความคืบหน้าเรื่องร้องเรียน ({})", status.label_th());
    for user in &followers {
        let source = format!("complaint_event:{event}:{}", user_mark(user));
        let push = LinePush { to_user_id: user, title: &title, text: &text, link: &link, source: &source };
        enqueue_line_push(tx, org, &push).await?;
    }
    Ok(())
}
