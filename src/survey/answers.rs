//! One answer as the form sends it, checked against the version it answers (pure).
//!
//! The form's fields: `v` (the version shown), `i_KEY` (1–5, one per item), `f_KEY` (the chosen
//! option's index, optional) and `comment`. Every item must have a level: a form with one missing
//! comes back with each missing item named, so the figures of every item count the same people.
//! Scores are kept as one digit per item in the version's order ([`Scores`]).

use std::collections::BTreeMap;

use super::questionnaire::Questionnaire;

/// Longest free comment, in characters.
pub const MAX_COMMENT: usize = 2000;

/// An answer's levels: one digit per item of its version, in order; `0` is an item left out (kept
/// for answers of older forms; today's form requires every item).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scores(pub String);

impl Scores {
    /// The level of item `index` (1–5), or None when left out or past the end.
    pub fn level(&self, index: usize) -> Option<i64> {
        match self.0.as_bytes().get(index) {
            Some(b @ b'1'..=b'5') => Some(i64::from(b - b'0')),
            _ => None,
        }
    }
}

/// What a checked form holds, ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filled {
    pub scores: Scores,
    /// Fact key → chosen option index.
    pub facts: BTreeMap<String, usize>,
    pub comment: String,
}

impl Filled {
    pub fn facts_json(&self) -> String {
        serde_json::to_string(&self.facts).expect("a map of strings to numbers serializes")
    }
}

/// A fault of the form, with the field it belongs to (the page puts the message beside it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    pub field: String,
    pub message: String,
}

/// The version number a form says it answers (`v`), if it is a positive number.
pub fn version_of(fields: &[(String, String)]) -> Option<i64> {
    fields.iter().find(|(k, _)| k == "v").and_then(|(_, v)| v.trim().parse::<i64>().ok()).filter(|v| *v > 0)
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim())
}

/// Checks a posted form against `questionnaire`; every fault at once, in the form's order.
pub fn check(questionnaire: &Questionnaire, fields: &[(String, String)]) -> Result<Filled, Vec<Fault>> {
    let mut faults = Vec::new();
    let mut scores = String::with_capacity(questionnaire.item_count());
    for (number, (_, item)) in questionnaire.items().enumerate() {
        let name = format!("i_{}", item.key);
        match field(fields, &name) {
            Some(v @ ("1" | "2" | "3" | "4" | "5")) => scores.push_str(v),
            Some(v) if !v.is_empty() => faults
                .push(Fault {
                    field: name, message: format!("ข้อ {}: ระดับต้องเป็น 1 ถึง 5", number + 1)
                }),
            _ => faults.push(Fault {
                field: name, message: format!("ข้อ {}: กรุณาเลือกระดับความพึงพอใจ", number + 1)
            }),
        }
    }
    let mut facts = BTreeMap::new();
    for fact in &questionnaire.facts {
        let name = format!("f_{}", fact.key);
        match field(fields, &name) {
            None | Some("") => {}
            Some(v) => match v.parse::<usize>() {
                Ok(i) if i < fact.options.len() => {
                    facts.insert(fact.key.clone(), i);
                }
                _ => faults.push(Fault {
                    field: name, message: format!("{}: ไม่มีตัวเลือกนี้", fact.question)
                }),
            },
        }
    }
    let comment = if questionnaire.comment_prompt.is_empty() { "" } else { field(fields, "comment").unwrap_or("") };
    // Browsers send a textarea's line breaks as CR LF.
    let comment = comment.replace("\r\n", "\n");
    let comment = match crate::text::clean(&comment, crate::text::Lines::Many) {
        Ok(c) if c.chars().count() > MAX_COMMENT => {
            faults.push(Fault {
                field: "comment".into(),
                message: format!("ความคิดเห็นยาว {} ตัวอักษร เกิน {MAX_COMMENT} ตัวอักษร", c.chars().count()),
            });
            String::new()
        }
        Ok(c) => c.into_owned(),
        Err(bad) => {
            faults.push(Fault {
                field: "comment".into(), message: format!("ความคิดเห็น: {}", bad.what_th())
            });
            String::new()
        }
    };
    if faults.is_empty() { Ok(Filled { scores: Scores(scores), facts, comment }) } else { Err(faults) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::questionnaire::default_questionnaire;

    fn all_items(q: &Questionnaire, level: &str) -> Vec<(String, String)> {
        q.items().map(|(_, i)| (format!("i_{}", i.key), level.to_string())).collect()
    }

    #[test]
    fn a_full_form_becomes_one_digit_per_item_in_order() {
        let q = default_questionnaire();
        let mut fields = all_items(&q, "4");
        fields[0].1 = "5".into();
        fields.push(("f_age".into(), "1".into()));
        fields.push(("comment".into(), "  บริการดีมาก\r\nขอบคุณ ".into()));
        let filled = check(&q, &fields).unwrap();
        assert_eq!(filled.scores.0, format!("5{}", "4".repeat(q.item_count() - 1)));
        assert_eq!(filled.scores.level(0), Some(5));
        assert_eq!(filled.scores.level(q.item_count()), None);
        assert_eq!(filled.facts_json(), r#"{"age":1}"#);
        assert_eq!(filled.comment, "บริการดีมาก\nขอบคุณ");
    }

    #[test]
    fn every_fault_is_named_with_its_item_number() {
        let q = default_questionnaire();
        let mut fields = all_items(&q, "3");
        fields.remove(2);
        fields[0].1 = "6".into();
        fields.push(("f_sex".into(), "99".into()));
        let faults = check(&q, &fields).unwrap_err();
        let messages: Vec<&str> = faults.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(messages[0], "ข้อ 1: ระดับต้องเป็น 1 ถึง 5");
        assert_eq!(messages[1], "ข้อ 3: กรุณาเลือกระดับความพึงพอใจ");
        assert!(messages[2].ends_with("ไม่มีตัวเลือกนี้"), "{messages:?}");
        assert_eq!(faults[1].field, format!("i_{}", q.items().nth(2).unwrap().1.key));
    }

    #[test]
    fn a_comment_with_a_control_character_or_too_long_is_refused() {
        let q = default_questionnaire();
        let mut fields = all_items(&q, "5");
        fields.push(("comment".into(), "ก\u{0}ข".into()));
        assert_eq!(check(&q, &fields).unwrap_err()[0].field, "comment");
        let mut fields = all_items(&q, "5");
        fields.push(("comment".into(), "ก".repeat(MAX_COMMENT + 1)));
        assert!(check(&q, &fields).unwrap_err()[0].message.contains("เกิน 2000"));
    }

    #[test]
    fn the_version_is_read_from_v() {
        assert_eq!(version_of(&[("v".into(), " 3 ".into())]), Some(3));
        assert_eq!(version_of(&[("v".into(), "0".into())]), None);
        assert_eq!(version_of(&[]), None);
    }
}
