//! Surveys and their published questionnaire versions (all their SQL). Every read and write takes
//! the organization: another organization's survey id finds nothing.
//!
//! A version is inserted once and never updated: an answer will keep the version it answered.

use super::questionnaire::Questionnaire;
use super::scale::Scale;
use crate::db::{Db, now};
use crate::orgs::OrgId;

/// A survey's row id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct SurveyId(pub i64);

impl std::fmt::Display for SurveyId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Survey {
    pub id: SurveyId,
    pub name: String,
    pub scale: Scale,
}

/// A published questionnaire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub survey: SurveyId,
    pub number: i64,
    pub questionnaire: Questionnaire,
    pub published_by: String,
    pub published_at: i64,
}

/// Why a survey was not created or a version not published, in Thai.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SurveyRefusal {
    #[error("กรุณากรอกชื่อแบบประเมิน (ไม่เกิน {0} ตัวอักษร)")]
    BadName(usize),
    #[error("มีแบบประเมินชื่อ \"{0}\" อยู่แล้ว")]
    NameTaken(String),
    #[error("ไม่พบแบบประเมินนี้")]
    NoSuchSurvey,
    #[error("แบบประเมินยังเผยแพร่ไม่ได้: {}", .0.join("; "))]
    Invalid(Vec<String>),
    #[error("ไม่มีอะไรเปลี่ยนจากฉบับที่ {0} ที่เผยแพร่แล้ว")]
    Unchanged(i64),
    #[error("มีผู้เผยแพร่ฉบับที่ {0} หลังจากท่านเปิดแบบฟอร์มนี้ กรุณาเปิดหน้าแก้ไขใหม่ เพื่อไม่ให้ทับสิ่งที่เขาแก้")]
    Stale(i64),
}

/// Longest survey name, in characters.
pub const MAX_NAME: usize = 200;

/// A new survey of the organization, its means read by `scale`.
pub async fn create(
    db: &Db,
    org: OrgId,
    name: &str,
    scale: Scale,
    actor: &str,
) -> anyhow::Result<Result<SurveyId, SurveyRefusal>> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Ok(Err(SurveyRefusal::BadName(MAX_NAME)));
    }
    // The organization's write lock makes the check and the insert one step for its writers; the
    // unique key stays the last word.
    let mut tx = db.write(org).await?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM surveys WHERE org_id = $1 AND name = $2")
        .bind(org.0)
        .bind(name)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Ok(Err(SurveyRefusal::NameTaken(name.to_string())));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO surveys (org_id, name, scale, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(org.0)
    .bind(name)
    .bind(scale.code())
    .bind(actor)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    let after = serde_json::json!({ "name": name, "scale": scale.code() });
    crate::audit::record(&mut tx, org, actor, "create", "survey", &id.to_string(), None, Some(&after)).await?;
    tx.commit().await?;
    Ok(Ok(SurveyId(id)))
}

/// The organization's survey `id`, if it is the organization's.
pub async fn find(db: &Db, org: OrgId, id: SurveyId) -> anyhow::Result<Option<Survey>> {
    let row: Option<(i64, String, String)> =
        sqlx::query_as("SELECT id, name, scale FROM surveys WHERE org_id = $1 AND id = $2")
            .bind(org.0)
            .bind(id.0)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map(survey_of_row))
}

fn survey_of_row((id, name, scale): (i64, String, String)) -> Survey {
    Survey { id: SurveyId(id), name, scale: Scale::from_code(&scale).unwrap_or_default() }
}

/// Whether the survey is the organization's, read inside a write.
pub async fn exists_in(tx: &mut crate::db::Tx, org: OrgId, survey: SurveyId) -> Result<bool, sqlx::Error> {
    let known: Option<i64> = sqlx::query_scalar("SELECT id FROM surveys WHERE org_id = $1 AND id = $2")
        .bind(org.0)
        .bind(survey.0)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(known.is_some())
}

/// Publishes `questionnaire` as the survey's next version, if it passes its checks and differs
/// from the last version.
pub async fn publish(
    db: &Db,
    org: OrgId,
    survey: SurveyId,
    questionnaire: &Questionnaire,
    actor: &str,
) -> anyhow::Result<Result<Version, SurveyRefusal>> {
    publish_built(db, org, survey, None, |_| questionnaire.clone(), actor).await
}

/// Publishes the questionnaire `build` makes from every key the survey's versions used, read under
/// the organization's write lock (so two editors publishing at once never give one new key to two
/// items). `based_on`: the version the editor's form started from; a later one published meanwhile
/// refuses it (the form would silently undo it).
pub async fn publish_built(
    db: &Db,
    org: OrgId,
    survey: SurveyId,
    based_on: Option<i64>,
    build: impl FnOnce(&std::collections::BTreeSet<String>) -> Questionnaire,
    actor: &str,
) -> anyhow::Result<Result<Version, SurveyRefusal>> {
    let mut tx = db.write(org).await?;
    if !exists_in(&mut tx, org, survey).await? {
        return Ok(Err(SurveyRefusal::NoSuchSurvey));
    }
    let published: Vec<(i64, String)> =
        sqlx::query_as("SELECT number, definition FROM survey_versions WHERE org_id = $1 AND survey_id = $2")
            .bind(org.0)
            .bind(survey.0)
            .fetch_all(&mut *tx)
            .await?;
    let mut versions = std::collections::BTreeMap::new();
    for (number, definition) in published {
        versions.insert(number, serde_json::from_str::<Questionnaire>(&definition)?);
    }
    let last = versions.keys().next_back().copied();
    if let Some(base) = based_on
        && last.unwrap_or(0) != base
    {
        return Ok(Err(SurveyRefusal::Stale(last.unwrap_or(0))));
    }
    let used = versions.values().flat_map(Questionnaire::keys).collect();
    let questionnaire = build(&used);
    let faults = questionnaire.check();
    if !faults.is_empty() {
        return Ok(Err(SurveyRefusal::Invalid(faults)));
    }
    if let Some(number) = last
        && versions.get(&number) == Some(&questionnaire)
    {
        return Ok(Err(SurveyRefusal::Unchanged(number)));
    }
    let number = last.map_or(1, |n| n + 1);
    let published_at = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO survey_versions (org_id, survey_id, number, definition, published_by, published_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(org.0)
    .bind(survey.0)
    .bind(number)
    .bind(serde_json::to_string(&questionnaire)?)
    .bind(actor)
    .bind(published_at)
    .fetch_one(&mut *tx)
    .await?;
    let after = serde_json::json!({
        "survey_id": survey.0, "number": number, "items": questionnaire.item_count(),
    });
    crate::audit::record(&mut tx, org, actor, "publish", "survey_version", &id.to_string(), None, Some(&after)).await?;
    tx.commit().await?;
    Ok(Ok(Version { survey, number, questionnaire, published_by: actor.to_string(), published_at }))
}

/// Version `number` of the survey, or its latest when None.
pub async fn version(db: &Db, org: OrgId, survey: SurveyId, number: Option<i64>) -> anyhow::Result<Option<Version>> {
    let row: Option<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT number, definition, published_by, published_at FROM survey_versions
         WHERE org_id = $1 AND survey_id = $2 AND ($3 = 0 OR number = $3) ORDER BY number DESC LIMIT 1",
    )
    .bind(org.0)
    .bind(survey.0)
    .bind(number.unwrap_or(0))
    .fetch_optional(&db.pool)
    .await?;
    let Some((number, definition, published_by, published_at)) = row else { return Ok(None) };
    let questionnaire = serde_json::from_str(&definition)?;
    Ok(Some(Version { survey, number, questionnaire, published_by, published_at }))
}

/// The numbers of the survey's versions, oldest first.
pub async fn version_numbers(db: &Db, org: OrgId, survey: SurveyId) -> anyhow::Result<Vec<i64>> {
    Ok(sqlx::query_scalar("SELECT number FROM survey_versions WHERE org_id = $1 AND survey_id = $2 ORDER BY number")
        .bind(org.0)
        .bind(survey.0)
        .fetch_all(&db.pool)
        .await?)
}

/// The organization's surveys, oldest first.
pub async fn list(db: &Db, org: OrgId) -> anyhow::Result<Vec<Survey>> {
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, name, scale FROM surveys WHERE org_id = $1 ORDER BY id")
            .bind(org.0)
            .fetch_all(&db.pool)
            .await?;
    Ok(rows.into_iter().map(survey_of_row).collect())
}

/// The survey a visit without its own (a queue ticket) is asked: the organization's first survey
/// with a published version.
pub async fn main_survey(db: &Db, org: OrgId) -> anyhow::Result<Option<Survey>> {
    let row: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT s.id, s.name, s.scale FROM surveys s
         WHERE s.org_id = $1 AND EXISTS (SELECT 1 FROM survey_versions v WHERE v.org_id = s.org_id AND v.survey_id = s.id)
         ORDER BY s.id LIMIT 1",
    )
    .bind(org.0)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|(id, name, scale)| Survey {
        id: SurveyId(id),
        name,
        scale: Scale::from_code(&scale).unwrap_or_default(),
    }))
}

/// The survey with its latest version, in one read (the answer's path).
pub async fn with_latest(db: &Db, org: OrgId, survey: SurveyId) -> anyhow::Result<Option<(Survey, Option<Version>)>> {
    type Row = (i64, String, String, Option<i64>, Option<String>, Option<String>, Option<i64>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT s.id, s.name, s.scale, v.number, v.definition, v.published_by, v.published_at
         FROM surveys s LEFT JOIN survey_versions v ON v.org_id = s.org_id AND v.survey_id = s.id
         WHERE s.org_id = $1 AND s.id = $2 ORDER BY v.number DESC LIMIT 1",
    )
    .bind(org.0)
    .bind(survey.0)
    .fetch_optional(&db.pool)
    .await?;
    let Some((id, name, scale, number, definition, published_by, published_at)) = row else { return Ok(None) };
    let found = survey_of_row((id, name, scale));
    let version = match (number, definition) {
        (Some(number), Some(definition)) => Some(Version {
            survey,
            number,
            questionnaire: serde_json::from_str(&definition)?,
            published_by: published_by.unwrap_or_default(),
            published_at: published_at.unwrap_or_default(),
        }),
        _ => None,
    };
    Ok(Some((found, version)))
}

/// Published versions by organization, survey and number. A version never changes, so once read
/// it is kept (a few KB each; the whole map is dropped past [`VersionCache::MAX`] entries).
#[derive(Default)]
pub struct VersionCache {
    map: std::sync::Mutex<std::collections::HashMap<(i64, i64, i64), std::sync::Arc<Version>>>,
}

impl VersionCache {
    const MAX: usize = 20_000;

    /// Version `number` of the organization's survey, if published.
    pub async fn get(
        &self,
        db: &Db,
        org: OrgId,
        survey: SurveyId,
        number: i64,
    ) -> anyhow::Result<Option<std::sync::Arc<Version>>> {
        let key = (org.0, survey.0, number);
        if let Some(v) = self.map.lock().expect("the version cache's lock").get(&key) {
            return Ok(Some(v.clone()));
        }
        let Some(v) = version(db, org, survey, Some(number)).await?.filter(|v| v.number == number) else {
            return Ok(None);
        };
        let v = std::sync::Arc::new(v);
        let mut map = self.map.lock().expect("the version cache's lock");
        if map.len() >= Self::MAX {
            map.clear();
        }
        map.insert(key, v.clone());
        Ok(Some(v))
    }
}
