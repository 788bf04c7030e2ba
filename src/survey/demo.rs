//! The demo organization's survey: the default questionnaire published as version 1, and answers
//! made by a deterministic generator over the last whole fiscal year (a few hundred), the year
//! before (fewer, a little less satisfied) and this year so far, at the demo's service point, so
//! that the results page, the comparison and the reports show something plausible.

use super::ingest::{self, Channel, NewAnswer};
use super::questionnaire::default_questionnaire;
use super::results::span;
use super::scale::Scale;
use super::store;
use crate::db::Db;
use crate::orgs::Org;
use crate::thai::FiscalYear;

/// The demo survey's name.
pub const NAME: &str = "ความพึงพอใจต่อการให้บริการ ณ ศูนย์บริการร่วม";
/// Answers in the last whole fiscal year, and in the year before it; this year's so far come at
/// the last year's pace (one a working day or so) up to yesterday.
pub const LAST_YEAR_ANSWERS: usize = 360;
pub const YEAR_BEFORE_ANSWERS: usize = 120;

const COMMENTS: [&str; 6] = [
    "เจ้าหน้าที่พูดจาสุภาพ ให้คำแนะนำดีมาก",
    "อยากให้มีที่จอดรถมากกว่านี้",
    "รอคิวนานในช่วงเช้าวันจันทร์",
    "ห้องน้ำสะอาด มีน้ำดื่มบริการ",
    "ควรติดป้ายบอกขั้นตอนให้ชัดเจนกว่านี้",
    "บริการรวดเร็ว ขอบคุณครับ",
];

/// A small deterministic generator (the demo is the same on every machine).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

/// A level leaning to 4–5: about 4.1 on average (มาก) in the last year, 4.0 the year before
/// (`mood` 0).
fn level(rng: &mut Lcg, mood: u64) -> char {
    let (two, three, four) = if mood == 0 { (5, 25, 70) } else { (3, 20, 65) };
    match rng.next(100) {
        r if r < two => '2',
        r if r < three => '3',
        r if r < four => '4',
        _ => '5',
    }
}

pub async fn load(db: &Db, org: &Org) -> anyhow::Result<()> {
    let questionnaire = default_questionnaire();
    let survey = store::create(db, org.id, NAME, Scale::EqualWidth, "demo")
        .await?
        .map_err(|r| anyhow::anyhow!("demo survey: {r}"))?;
    store::publish(db, org.id, survey, &questionnaire, "demo")
        .await?
        .map_err(|r| anyhow::anyhow!("demo survey: {r}"))?;
    let point = crate::queue::store::points(db, org.id).await?.first().map(|p| p.id.0);
    let services: Vec<i64> = crate::services::store::list(db, org.id, false).await?.iter().map(|s| s.id.0).collect();
    // The fiscal year now running; the demo's whole years are the two before it.
    let now_year = FiscalYear::of(crate::thai::today_in_thailand());
    let mut rng = Lcg(2566);
    let mut answers = Vec::new();
    let (this_year_from, _) = span(now_year);
    let today_start = super::ingest::thai_day_start(crate::db::now());
    let so_far = ((today_start - this_year_from).max(0) * LAST_YEAR_ANSWERS as i64 / (365 * 86_400)) as usize;
    for (back, count, mood) in [(2, YEAR_BEFORE_ANSWERS, 0), (1, LAST_YEAR_ANSWERS, 1), (0, so_far, 1)] {
        let Ok(year) = FiscalYear::new(now_year.be() - back) else { continue };
        let (from, to) = span(year);
        // This year: up to the start of today.
        let to = if back == 0 { today_start } else { to };
        for i in 0..count {
            // Spread evenly over the year, during office hours (08:30–16:30 Thai time).
            let day = from + (to - from) * i as i64 / count as i64;
            let day = day - (day + 7 * 3600).rem_euclid(86_400);
            let at = day + 8 * 3600 + 30 * 60 + rng.next(8 * 3600) as i64;
            let scores: String = (0..questionnaire.item_count()).map(|_| level(&mut rng, mood)).collect();
            let facts = serde_json::json!({
                "age": rng.next(4), "sex": rng.next(3), "occupation": rng.next(6),
            });
            let comment = if rng.next(8) == 0 { COMMENTS[rng.next(COMMENTS.len() as u64) as usize] } else { "" };
            answers.push(NewAnswer {
                org: org.id,
                survey,
                version: 1,
                channel: Channel::Poster,
                visit: None,
                point,
                service: (!services.is_empty()).then(|| services[rng.next(services.len() as u64) as usize]),
                counter: None,
                scores,
                facts: facts.to_string(),
                comment: comment.to_string(),
                device: String::new(),
                client_key: String::new(),
                at,
            });
        }
    }
    let refs: Vec<&NewAnswer> = answers.iter().collect();
    ingest::write_batch(db, org.id, &refs).await?;
    Ok(())
}
