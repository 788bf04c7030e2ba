//! Approving and publishing the measures report: the steps that read the draft, check the rules
//! of `versions.rs` under the organization's write lock, and store what they decided.

use super::rules::{self as versions, Approval, ApprovalInput, Refusal, Version, YearState};
use super::store::{self as store, Files, NewVersion, StoredContent};
use crate::db::{Db, now};
use crate::docs::MeasuresReportDoc;
use crate::docs::typeset::{RenderError, Typesetter};
use crate::measures::report::{self, Format, ReportSource};
use crate::orgs::Org;
use crate::thai::{format_instant_th, format_int};

/// The year's draft as it stands, and where its report stands.
pub struct Draft {
    pub source: ReportSource,
    pub state: YearState,
}

/// Reads the draft, its content hash, the last approval and the versions.
pub async fn draft(db: &Db, org: Org, year: i64) -> anyhow::Result<Draft> {
    let org_id = org.id;
    let mut source = ReportSource::load(db, org, year).await?;
    let cited = crate::measures::figures::cited(db, org_id, year).await?;
    let state = YearState {
        draft_sha256: versions::content_sha256(&mut source, &cited),
        has_measures: !source.measures.is_empty(),
        approval: store::last_approval(db, org_id, year).await?,
        versions: store::versions(db, org_id, year).await?,
    };
    Ok(Draft { source, state })
}

/// Records an executive's approval of the draft as it stands. `seen`, when given, is the hash of
/// the draft the executive read: a draft changed since is refused, not approved unread.
pub async fn approve(
    db: &Db,
    org: &Org,
    year: i64,
    input: &ApprovalInput,
    seen: Option<&str>,
    actor: &str,
) -> anyhow::Result<Result<i64, Refusal>> {
    let mut tx = db.write(org.id).await?;
    // Read under the write lock: no edit can land between the hash and the approval.
    let state = draft(db, org.clone(), year).await?.state;
    if let Err(refusal) = state.may_approve(seen) {
        tx.rollback().await?;
        return Ok(Err(refusal));
    }
    let id = store::insert_approval(&mut tx, org.id, year, input, &state.draft_sha256, actor).await?;
    tx.commit().await?;
    Ok(Ok(id))
}

/// Publishes the approved draft as the next version: renders PDF, DOCX and HTML once, before
/// taking the write lock (typesetting must not hold up the organization's other writes), then
/// stores them if nothing changed meanwhile.
pub async fn publish(
    db: &Db,
    pdf: &Typesetter,
    org: &Org,
    year: i64,
    actor: &str,
) -> Result<Result<Version, Refusal>, RenderError> {
    let draft = draft(db, org.clone(), year).await?;
    let approval = match draft.state.may_publish() {
        Ok(a) => a.clone(),
        Err(refusal) => return Ok(Err(refusal)),
    };
    let number = draft.state.next_number();
    let published_at = now();
    let doc = versions::signed(draft.source.to_doc(), &approval, number, published_at, org.digits);
    let files = Files {
        pdf: Some(render(db, pdf, org, year, (number, published_at), &doc, Format::Pdf).await?),
        docx: Some(render(db, pdf, org, year, (number, published_at), &doc, Format::Docx).await?),
        html: Some(render(db, pdf, org, year, (number, published_at), &doc, Format::Html).await?),
    };
    let mut tx = db.write(org.id).await?;
    let now_state = self::draft(db, org.clone(), year).await?.state;
    let unchanged = now_state.draft_sha256 == draft.state.draft_sha256
        && now_state.approval.as_ref().map(|a| a.id) == Some(approval.id)
        && now_state.next_number() == number;
    if !unchanged {
        tx.rollback().await?;
        return Ok(Err(Refusal::ChangedMeanwhile));
    }
    let document = serde_json::to_value(&doc).map_err(anyhow::Error::from)?;
    let new = NewVersion {
        year,
        number,
        approval_id: approval.id,
        content_sha256: &draft.state.draft_sha256,
        published_at,
        document: &document,
        files,
    };
    let id = store::insert_version(&mut tx, org.id, new, actor).await?;
    tx.commit().await?;
    Ok(Ok(Version {
        id,
        number,
        approval_id: approval.id,
        content_sha256: draft.state.draft_sha256,
        published_by: actor.to_string(),
        published_at,
    }))
}

/// Approves and publishes in one step without printing (the demo's seed has no renderer): the
/// files are printed from the frozen report on their first request, and kept.
pub async fn approve_and_record_unprinted(
    db: &Db,
    org: &Org,
    year: i64,
    input: &ApprovalInput,
    published_at: i64,
    actor: &str,
) -> anyhow::Result<i64> {
    let draft = draft(db, org.clone(), year).await?;
    anyhow::ensure!(draft.state.has_measures, "{year} has no measures to publish");
    let number = draft.state.next_number();
    let mut tx = db.write(org.id).await?;
    let approval_id = store::insert_approval(&mut tx, org.id, year, input, &draft.state.draft_sha256, actor).await?;
    let approval = Approval {
        id: approval_id,
        content_sha256: draft.state.draft_sha256.clone(),
        approver_name: input.approver_name.clone(),
        approver_position: input.approver_position.clone(),
        approved_on: input.approved_on,
        recorded_by: actor.to_string(),
        recorded_at: published_at,
    };
    let doc = versions::signed(draft.source.to_doc(), &approval, number, published_at, org.digits);
    let new = NewVersion {
        year,
        number,
        approval_id,
        content_sha256: &draft.state.draft_sha256,
        published_at,
        document: &serde_json::to_value(&doc)?,
        files: Files { pdf: None, docx: None, html: None },
    };
    let id = store::insert_version(&mut tx, org.id, new, actor).await?;
    tx.commit().await?;
    Ok(id)
}

/// A published version's stored file.
pub struct PublishedFile {
    pub number: i64,
    pub bytes: Vec<u8>,
    pub sha256: String,
}

/// Version `number` of the year (the latest when `None`) in `format`, exactly as stored; a
/// version recorded without its files is printed once here from its frozen report, and kept.
pub async fn file(
    db: &Db,
    pdf: &Typesetter,
    org: &Org,
    year: i64,
    number: Option<i64>,
    format: Format,
) -> Result<Option<PublishedFile>, RenderError> {
    let Some(stored) = store::stored_file(db, org.id, year, number, format).await? else { return Ok(None) };
    let (bytes, sha256) = match stored.content {
        StoredContent::File { bytes, sha256 } => (bytes, sha256),
        StoredContent::Unprinted { document } => {
            let doc: MeasuresReportDoc = serde_json::from_str(&document).map_err(anyhow::Error::from)?;
            let printed = render(db, pdf, org, year, (stored.number, stored.published_at), &doc, format).await?;
            store::fill_file(db, org.id, stored.version_id, format, printed).await?
        }
    };
    Ok(Some(PublishedFile { number: stored.number, bytes, sha256 }))
}

/// Renders version `number`'s frozen report. The web page lists the versions published before
/// it and the year's evidence as they are at this moment (which is publication, but for the demo).
async fn render(
    db: &Db,
    pdf: &Typesetter,
    org: &Org,
    year: i64,
    (number, published_at): (i64, i64),
    doc: &MeasuresReportDoc,
    format: Format,
) -> Result<Vec<u8>, RenderError> {
    match format {
        Format::Pdf => report::render_pdf(pdf, doc.clone()).await,
        Format::Docx => Ok(crate::docs::docx::measures_report_docx(doc)?),
        Format::Md => Err(RenderError::Failed(anyhow::anyhow!("a published version has no Markdown file"))),
        Format::Html => {
            let digits = org.digits;
            let base = format!("/o/{}/ita/{year}/measures", org.slug);
            let earlier = store::versions(db, org.id, year)
                .await?
                .into_iter()
                .filter(|v| v.number < number)
                .map(|v| {
                    let label = format!(
                        "ฉบับที่ {} เผยแพร่เมื่อ {}",
                        format_int(v.number, digits),
                        format_instant_th(v.published_at, digits)
                    );
                    (format!("{base}/v/{}", v.number), label)
                })
                .collect();
            let evidence = crate::measures::evidence::list_for_year(db, org.id, year)
                .await?
                .into_iter()
                .map(|e| {
                    let href = e.url.clone().unwrap_or_else(|| format!("/o/{}/evidence/{}", org.slug, e.id));
                    (e.title, href)
                })
                .collect();
            let view = crate::portal::PublishedView {
                version: format!("ฉบับที่ {}", format_int(number, digits)),
                updated: format_instant_th(published_at, digits),
                pdf: format!("{base}/v/{number}.pdf"),
                docx: format!("{base}/v/{number}.docx"),
                latest: base.clone(),
                home: format!("/o/{}/", org.slug),
                earlier,
            };
            Ok(crate::portal::published_report_html(doc, evidence, &view)?.into_bytes())
        }
    }
}
