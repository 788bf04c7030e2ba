//! A questionnaire: 5-level items grouped in aspects, optional respondent facts (choices only, so
//! no free text can carry a name or an ID number), and one free comment. Items and facts have keys
//! that stay the same across versions, so that a year compares with the last item by item.
//!
//! [`Questionnaire::check`] names every fault with where it is (aspect and item numbers, in Thai),
//! all at once, so that a staff member fixes the form in one go. Numbers in the messages are in
//! Arabic digits; the page shows them in the organization's digits (`Digits::apply`).

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Questionnaire {
    pub title: String,
    /// Shown above the form (what it is for; the PDPA notice is added by the form itself).
    #[serde(default)]
    pub intro: String,
    pub aspects: Vec<Aspect>,
    #[serde(default)]
    pub facts: Vec<Fact>,
    /// The free comment's question; empty: the form has no comment box.
    #[serde(default)]
    pub comment_prompt: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aspect {
    pub key: String,
    pub title: String,
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub key: String,
    pub text: String,
}

/// A fact about the respondent, answered by choosing one option (or none).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    pub key: String,
    pub question: String,
    pub options: Vec<String>,
}

/// Longest title, item text, question or option, in characters.
pub const MAX_TEXT: usize = 300;
/// Most items in one questionnaire: a form a citizen finishes on a phone.
pub const MAX_ITEMS: usize = 40;

/// The questionnaire the demo ships and a new organization starts from: the four aspects Thai
/// local offices' satisfaction surveys use (process, staff, facilities, quality of service).
pub fn default_questionnaire() -> Questionnaire {
    serde_json::from_str(include_str!("../../data/survey/default-questionnaire.json"))
        .expect("data/survey/default-questionnaire.json is checked by a test")
}

fn key_ok(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 40
        && key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

fn text_fault(text: &str, what: &str) -> Option<String> {
    let length = text.trim().chars().count();
    if length == 0 {
        Some(format!("{what}: ยังไม่ได้กรอก"))
    } else if length > MAX_TEXT {
        Some(format!("{what}: ยาว {length} ตัวอักษร เกิน {MAX_TEXT} ตัวอักษร"))
    } else {
        None
    }
}

fn key_fault(key: &str, what: &str, seen: &mut std::collections::HashSet<String>) -> Option<String> {
    if !key_ok(key) {
        Some(format!("{what}: รหัส \"{key}\" ใช้ได้เฉพาะอักษรอังกฤษตัวเล็ก ตัวเลข _ และ - ไม่เกิน 40 ตัว"))
    } else if !seen.insert(key.to_string()) {
        Some(format!("{what}: รหัส \"{key}\" ซ้ำกับข้ออื่น"))
    } else {
        None
    }
}

impl Questionnaire {
    /// Every fault, each naming where it is; empty when the questionnaire may be published.
    pub fn check(&self) -> Vec<String> {
        let mut faults = Vec::new();
        faults.extend(text_fault(&self.title, "ชื่อแบบประเมิน"));
        if self.aspects.is_empty() {
            faults.push("แบบประเมินต้องมีอย่างน้อย 1 ด้าน".to_string());
        }
        let mut keys = std::collections::HashSet::new();
        for (a, aspect) in self.aspects.iter().enumerate() {
            let where_aspect = format!("ด้านที่ {}", a + 1);
            faults.extend(key_fault(&aspect.key, &where_aspect, &mut keys));
            faults.extend(text_fault(&aspect.title, &format!("{where_aspect} ชื่อด้าน")));
            if aspect.items.is_empty() {
                faults.push(format!("{where_aspect}: ต้องมีอย่างน้อย 1 ข้อ"));
            }
            for (i, item) in aspect.items.iter().enumerate() {
                let where_item = format!("{where_aspect} ข้อที่ {}", i + 1);
                faults.extend(key_fault(&item.key, &where_item, &mut keys));
                faults.extend(text_fault(&item.text, &where_item));
            }
        }
        let items = self.item_count();
        if items > MAX_ITEMS {
            faults.push(format!("แบบประเมินมี {items} ข้อ เกิน {MAX_ITEMS} ข้อ (ผู้ตอบบนโทรศัพท์จะตอบไม่จบ)"));
        }
        for (f, fact) in self.facts.iter().enumerate() {
            let where_fact = format!("ข้อมูลผู้ตอบข้อที่ {}", f + 1);
            faults.extend(key_fault(&fact.key, &where_fact, &mut keys));
            faults.extend(text_fault(&fact.question, &where_fact));
            if fact.options.len() < 2 {
                faults.push(format!("{where_fact}: ต้องมีตัวเลือกอย่างน้อย 2 ตัวเลือก"));
            }
            let mut options = std::collections::HashSet::new();
            for (o, option) in fact.options.iter().enumerate() {
                let where_option = format!("{where_fact} ตัวเลือกที่ {}", o + 1);
                faults.extend(text_fault(option, &where_option));
                if !options.insert(option.trim()) {
                    faults.push(format!("{where_option}: \"{}\" ซ้ำกับตัวเลือกอื่น", option.trim()));
                }
            }
        }
        if self.comment_prompt.trim().chars().count() > MAX_TEXT {
            faults.push(format!("คำถามข้อเสนอแนะ: เกิน {MAX_TEXT} ตัวอักษร"));
        }
        faults
    }

    /// Every key it uses: aspects, items and facts.
    pub fn keys(&self) -> impl Iterator<Item = String> + '_ {
        self.aspects
            .iter()
            .flat_map(|a| std::iter::once(a.key.clone()).chain(a.items.iter().map(|i| i.key.clone())))
            .chain(self.facts.iter().map(|f| f.key.clone()))
    }

    pub fn item_count(&self) -> usize {
        self.aspects.iter().map(|a| a.items.len()).sum()
    }

    /// The items in form order, each with its aspect.
    pub fn items(&self) -> impl Iterator<Item = (&Aspect, &Item)> {
        self.aspects.iter().flat_map(|a| a.items.iter().map(move |i| (a, i)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_questionnaire_is_valid_and_has_the_four_usual_aspects() {
        let q = default_questionnaire();
        assert_eq!(q.check(), Vec::<String>::new());
        let aspects: Vec<&str> = q.aspects.iter().map(|a| a.key.as_str()).collect();
        assert_eq!(aspects, ["process", "staff", "facilities", "quality"]);
        assert_eq!(q.item_count(), 13);
        assert_eq!(q.items().next().map(|(a, i)| (a.key.as_str(), i.key.as_str())), Some(("process", "process_clear")));
        // Facts are choices only: nothing free-text that could hold a name or an ID number.
        assert!(q.facts.iter().all(|f| f.options.len() >= 2));
    }

    #[test]
    fn every_fault_is_named_with_where_it_is() {
        let mut q = default_questionnaire();
        q.aspects[1].items[2].text = "  ".to_string();
        q.aspects[2].items[0].key = "staff_polite".to_string();
        q.aspects[3].key = "Quality!".to_string();
        q.aspects[0].items.clear();
        q.facts[1].options = vec!["ชาย".to_string(), "ชาย ".to_string()];
        let faults = q.check();
        assert_eq!(
            faults,
            [
                "ด้านที่ 1: ต้องมีอย่างน้อย 1 ข้อ",
                "ด้านที่ 2 ข้อที่ 3: ยังไม่ได้กรอก",
                "ด้านที่ 3 ข้อที่ 1: รหัส \"staff_polite\" ซ้ำกับข้ออื่น",
                "ด้านที่ 4: รหัส \"Quality!\" ใช้ได้เฉพาะอักษรอังกฤษตัวเล็ก ตัวเลข _ และ - ไม่เกิน 40 ตัว",
                "ข้อมูลผู้ตอบข้อที่ 2 ตัวเลือกที่ 2: \"ชาย\" ซ้ำกับตัวเลือกอื่น",
            ]
        );
    }

    #[test]
    fn a_questionnaire_too_long_for_a_phone_is_refused() {
        let mut q = default_questionnaire();
        let item = q.aspects[0].items[0].clone();
        q.aspects[0].items = (0..=MAX_ITEMS).map(|n| Item { key: format!("i{n}"), text: item.text.clone() }).collect();
        assert!(q.check().iter().any(|f| f.contains("เกิน 40 ข้อ")), "{:?}", q.check());
    }
}
