//! Approving and publishing an ITA document: the measures report's rules
//! (`measures::publication::rules`) applied to a kind's draft, under the organization's write lock.

use super::draft::{self, Draft};
use super::store::{self, NewVersion};
use super::{Format, Kind};
use crate::db::{Db, now};
use crate::docs::typeset::{RenderError, Typesetter};
use crate::measures::publication::rules::{ApprovalInput, Refusal, Version, YearState};
use crate::orgs::Org;

/// A kind's draft of a year and where its publication stands.
pub struct Standing {
    pub draft: Draft,
    pub state: YearState,
}

/// The draft and its state; `None` for an analysis without the year N-1 result.
pub async fn standing(db: &Db, org: &Org, kind: Kind, year: i64) -> anyhow::Result<Option<Standing>> {
    let Some(draft) = draft::load(db, org, kind, year).await? else { return Ok(None) };
    let state = YearState {
        draft_sha256: draft.sha256.clone(),
        has_measures: draft.has_measures,
        approval: store::last_approval(db, org.id, kind, year).await?,
        versions: store::versions(db, org.id, kind, year).await?,
    };
    Ok(Some(Standing { draft, state }))
}

/// Why nothing was done, or what was.
pub type Outcome<T> = Option<Result<T, Refusal>>;

/// Records an executive's approval of the draft as it stands; `seen`, when given, is the hash of
/// the draft the executive read (a draft changed since is refused). `None`: no such draft.
pub async fn approve(
    db: &Db,
    org: &Org,
    (kind, year): (Kind, i64),
    input: &ApprovalInput,
    seen: Option<&str>,
    actor: &str,
) -> anyhow::Result<Outcome<i64>> {
    let mut tx = db.write(org.id).await?;
    // Read under the write lock: no edit can land between the hash and the approval.
    let Some(standing) = standing(db, org, kind, year).await? else { return Ok(None) };
    let state = standing.state;
    if let Err(refusal) = state.may_approve(seen) {
        tx.rollback().await?;
        return Ok(Some(Err(refusal)));
    }
    let id = store::insert_approval(&mut tx, org.id, (kind, year), input, &state.draft_sha256, actor).await?;
    tx.commit().await?;
    Ok(Some(Ok(id)))
}

/// Publishes the approved draft as the next version: renders PDF and DOCX before taking the
/// write lock, then stores them if nothing changed meanwhile.
pub async fn publish(
    db: &Db,
    typesetter: &Typesetter,
    org: &Org,
    (kind, year): (Kind, i64),
    actor: &str,
) -> Result<Outcome<Version>, RenderError> {
    let Some(Standing { draft, state }) = standing(db, org, kind, year).await? else { return Ok(None) };
    let approval = match state.may_publish() {
        Ok(a) => a.clone(),
        Err(refusal) => return Ok(Some(Err(refusal))),
    };
    let number = state.next_number();
    let published_at = now();
    let doc = draft.doc.signed(&approval, number, published_at, org.digits);
    let pdf = doc.render(typesetter, Format::Pdf).await?;
    let docx = doc.render(typesetter, Format::Docx).await?;
    let mut tx = db.write(org.id).await?;
    let unchanged = match standing(db, org, kind, year).await? {
        Some(now) => {
            now.state.draft_sha256 == state.draft_sha256
                && now.state.approval.as_ref().map(|a| a.id) == Some(approval.id)
                && now.state.next_number() == number
        }
        None => false,
    };
    if !unchanged {
        tx.rollback().await?;
        return Ok(Some(Err(Refusal::ChangedMeanwhile)));
    }
    let document = serde_json::to_value(&doc).map_err(anyhow::Error::from)?;
    let new = NewVersion {
        kind,
        year,
        number,
        approval_id: approval.id,
        content_sha256: &state.draft_sha256,
        published_at,
        document: &document,
        pdf,
        docx,
    };
    let id = store::insert_version(&mut tx, org.id, new, actor).await?;
    tx.commit().await?;
    Ok(Some(Ok(Version {
        id,
        number,
        approval_id: approval.id,
        content_sha256: state.draft_sha256,
        published_by: actor.to_string(),
        published_at,
    })))
}
