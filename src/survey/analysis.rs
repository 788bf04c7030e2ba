//! A year's answers analysed (pure): tallies per item, aspect, service, service point, month and
//! channel; the respondents' facts; the comments; the answers flagged as bursts.
//!
//! Answers of every version are read together: an item is the same item in every version that
//! has its key, so a wording fixed mid-year does not split its figures. Items and aspects are
//! listed in the order of the newest version, then any only older versions had.
//!
//! The overall figure (ภาพรวม) pools every item of every answer, as Thai reports compute it. Burst
//! answers are counted in every figure (never dropped) and the overall figure is also given
//! without them, so a reader sees whether they matter.

use std::collections::BTreeMap;

use super::answers::Scores;
use super::questionnaire::Questionnaire;
use super::stats::Tally;

/// One stored answer, as the analysis needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub id: i64,
    pub version: i64,
    pub channel: String,
    pub point: Option<i64>,
    pub service: Option<i64>,
    pub scores: Scores,
    /// Fact key → chosen option index.
    pub facts: BTreeMap<String, usize>,
    pub comment: String,
    pub burst: bool,
    /// Seconds since the epoch.
    pub at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemFigures {
    pub aspect: String,
    pub key: String,
    pub text: String,
    pub tally: Tally,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AspectFigures {
    pub key: String,
    pub title: String,
    /// Every answer to every item of the aspect.
    pub tally: Tally,
    /// The answers that gave a level to at least one of its items (what a table's n is).
    pub respondents: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FactFigures {
    pub question: String,
    /// (option, answers that chose it); then how many did not say.
    pub options: Vec<(String, u64)>,
    pub unsaid: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Analysis {
    pub answers: u64,
    pub bursts: u64,
    pub overall: Tally,
    pub overall_without_bursts: Tally,
    pub aspects: Vec<AspectFigures>,
    pub items: Vec<ItemFigures>,
    pub by_service: BTreeMap<Option<i64>, (u64, Tally)>,
    pub by_point: BTreeMap<Option<i64>, (u64, Tally)>,
    /// Month index within the span (0: the first month), answers and tally.
    pub by_month: BTreeMap<u32, (u64, Tally)>,
    pub by_channel: BTreeMap<String, u64>,
    pub facts: Vec<FactFigures>,
    /// (seconds since the epoch, text), oldest first.
    pub comments: Vec<(i64, String)>,
}

/// The analysis of `rows` answering `versions` (number → questionnaire); `month_of` places an
/// answer's time in a month of the span.
pub fn analyse(versions: &BTreeMap<i64, Questionnaire>, rows: &[Row], month_of: impl Fn(i64) -> u32) -> Analysis {
    let mut a = Analysis::default();
    // The layout: the newest version's aspects and items, then older ones' not in it.
    let mut aspect_index: BTreeMap<String, usize> = BTreeMap::new();
    let mut item_index: BTreeMap<String, usize> = BTreeMap::new();
    let mut fact_index: BTreeMap<String, usize> = BTreeMap::new();
    for q in versions.values().rev() {
        for aspect in &q.aspects {
            aspect_index.entry(aspect.key.clone()).or_insert_with(|| {
                a.aspects.push(AspectFigures {
                    key: aspect.key.clone(),
                    title: aspect.title.clone(),
                    tally: Tally::default(),
                    respondents: 0,
                });
                a.aspects.len() - 1
            });
            for item in &aspect.items {
                item_index.entry(item.key.clone()).or_insert_with(|| {
                    a.items.push(ItemFigures {
                        aspect: aspect.key.clone(),
                        key: item.key.clone(),
                        text: item.text.clone(),
                        tally: Tally::default(),
                    });
                    a.items.len() - 1
                });
            }
        }
        for fact in &q.facts {
            fact_index.entry(fact.key.clone()).or_insert_with(|| {
                a.facts.push(FactFigures {
                    question: fact.question.clone(),
                    options: fact.options.iter().map(|o| (o.clone(), 0)).collect(),
                    unsaid: 0,
                });
                a.facts.len() - 1
            });
        }
    }
    // Each version's items as (item index, aspect index), in the version's order.
    let layouts: BTreeMap<i64, Vec<(usize, usize)>> = versions
        .iter()
        .map(|(n, q)| (*n, q.items().map(|(asp, item)| (item_index[&item.key], aspect_index[&asp.key])).collect()))
        .collect();
    for row in rows {
        let Some(layout) = layouts.get(&row.version) else { continue };
        a.answers += 1;
        a.bursts += u64::from(row.burst);
        *a.by_channel.entry(row.channel.clone()).or_default() += 1;
        let mut mine = Tally::default();
        let mut aspects_answered = std::collections::BTreeSet::new();
        for (index, (item, aspect)) in layout.iter().enumerate() {
            if let Some(level) = row.scores.level(index) {
                a.items[*item].tally.add(level);
                a.aspects[*aspect].tally.add(level);
                aspects_answered.insert(*aspect);
                mine.add(level);
            }
        }
        for aspect in aspects_answered {
            a.aspects[aspect].respondents += 1;
        }
        a.overall.merge(&mine);
        if !row.burst {
            a.overall_without_bursts.merge(&mine);
        }
        for (key, tally) in [(row.service, &mut a.by_service), (row.point, &mut a.by_point)] {
            let entry = tally.entry(key).or_default();
            entry.0 += 1;
            entry.1.merge(&mine);
        }
        let month = a.by_month.entry(month_of(row.at)).or_default();
        month.0 += 1;
        month.1.merge(&mine);
        let q = &versions[&row.version];
        for fact in &q.facts {
            let figures = &mut a.facts[fact_index[&fact.key]];
            match row.facts.get(&fact.key).and_then(|i| fact.options.get(*i)) {
                Some(option) => match figures.options.iter_mut().find(|(o, _)| o == option) {
                    Some((_, count)) => *count += 1,
                    None => figures.options.push((option.clone(), 1)),
                },
                None => figures.unsaid += 1,
            }
        }
        if !row.comment.trim().is_empty() {
            a.comments.push((row.at, row.comment.clone()));
        }
    }
    a.comments.sort();
    a
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::questionnaire::{Aspect, Fact, Item};
    use crate::survey::scale::{Level, Scale};

    fn q(items: &[(&str, &[&str])]) -> Questionnaire {
        Questionnaire {
            title: "t".into(),
            intro: String::new(),
            aspects: items
                .iter()
                .map(|(a, is)| Aspect {
                    key: a.to_string(),
                    title: format!("ด้าน {a}"),
                    items: is.iter().map(|i| Item { key: i.to_string(), text: format!("ข้อ {i}") }).collect(),
                })
                .collect(),
            facts: vec![Fact {
                key: "sex".into(), question: "เพศ".into(), options: vec!["ชาย".into(), "หญิง".into()]
            }],
            comment_prompt: "ข้อเสนอแนะ".into(),
        }
    }

    fn row(id: i64, version: i64, scores: &str, burst: bool) -> Row {
        Row {
            id,
            version,
            channel: "poster".into(),
            point: Some(1),
            service: if id % 2 == 0 { Some(7) } else { None },
            scores: Scores(scores.into()),
            facts: if id == 1 { BTreeMap::from([("sex".to_string(), 1)]) } else { BTreeMap::new() },
            comment: if id == 2 { "ดีมาก".into() } else { String::new() },
            burst,
            at: id,
        }
    }

    /// Hand-computed: three answers to items a1, a2 (aspect a) and b1 (aspect b).
    /// a1: 5, 4, 3 → mean 4.00; a2: 5, 5, 2 → 4.00; b1: 4, 4, 1 → 3.00.
    /// Aspect a pools a1 and a2: 24 / 6 = 4.00; overall 33 / 9 = 3.666… → 3.67 (มาก under both
    /// scales); without the burst (the third): 27 / 6 = 4.50 → มากที่สุด by 0.80 bands (≥ 4.21),
    /// มาก by the nearest level (< 4.51).
    #[test]
    fn figures_match_hand_computed_values_under_both_scales() {
        let versions = BTreeMap::from([(1, q(&[("a", &["a1", "a2"]), ("b", &["b1"])]))]);
        let rows = [row(1, 1, "554", false), row(2, 1, "454", false), row(3, 1, "321", true)];
        let a = analyse(&versions, &rows, |_| 0);
        assert_eq!(a.answers, 3);
        assert_eq!(a.bursts, 1);
        let means: Vec<Option<i64>> = a.items.iter().map(|i| i.tally.mean_hundredths()).collect();
        assert_eq!(means, [Some(400), Some(400), Some(300)]);
        assert_eq!(a.aspects[0].tally.mean_hundredths(), Some(400));
        assert_eq!(a.aspects[0].tally.n(), 6);
        assert_eq!(a.aspects[0].respondents, 3);
        assert_eq!(a.overall.mean_hundredths(), Some(367));
        assert_eq!(Scale::EqualWidth.level(367), Level::More);
        assert_eq!(Scale::NearestLevel.level(367), Level::More);
        let clean = a.overall_without_bursts.mean_hundredths().unwrap();
        assert_eq!(clean, 450);
        assert_eq!(Scale::EqualWidth.level(clean), Level::Most);
        assert_eq!(Scale::NearestLevel.level(clean), Level::More);
        // Satisfied (4 or 5): a1 5,4; a2 5,5; b1 4,4 → 6 of 9 = 66.7 %.
        assert_eq!(a.overall.satisfied_tenths(), Some(667));
        assert_eq!(a.by_service[&Some(7)].0, 1);
        assert_eq!(a.by_service[&None].0, 2);
        assert_eq!(a.facts[0].options, [("ชาย".to_string(), 0), ("หญิง".to_string(), 1)]);
        assert_eq!(a.facts[0].unsaid, 2);
        assert_eq!(a.comments, [(2, "ดีมาก".to_string())]);
    }

    #[test]
    fn versions_share_items_by_key_and_the_newest_sets_the_order() {
        // Version 2 moved b1 first and dropped a2.
        let versions = BTreeMap::from([
            (1, q(&[("a", &["a1", "a2"]), ("b", &["b1"])])),
            (2, q(&[("b", &["b1"]), ("a", &["a1"])])),
        ]);
        let rows = [row(1, 1, "542", false), row(2, 2, "35", false), row(3, 9, "55", false)];
        let a = analyse(&versions, &rows, |_| 0);
        assert_eq!(a.answers, 2, "an answer to an unknown version is not counted");
        let keys: Vec<&str> = a.items.iter().map(|i| i.key.as_str()).collect();
        assert_eq!(keys, ["b1", "a1", "a2"]);
        // b1: 2 (v1) and 3 (v2); a1: 5 and 5; a2: 4.
        assert_eq!(a.items[0].tally.counts, [0, 1, 1, 0, 0]);
        assert_eq!(a.items[1].tally.counts, [0, 0, 0, 0, 2]);
        assert_eq!(a.items[2].tally.counts, [0, 0, 0, 1, 0]);
    }
}
