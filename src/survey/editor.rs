//! The staff's questionnaire form (pure): the latest version laid out as fields, with blank slots
//! to add an aspect, items and a respondent fact, and the posted form read back as the next
//! version.
//!
//! Items keep their keys through edits (a hidden field each), so a year compares with the last
//! item by item; a new item gets a key no version ever used, so an item removed and another added
//! later are never counted as one. A blanked item or option is removed.

use std::collections::{BTreeSet, HashMap};

use super::questionnaire::{Aspect, Fact, Item, Questionnaire};

/// Blank items offered under each aspect, and blank aspects and facts at the end.
pub const BLANK_ITEMS: usize = 2;
pub const BLANK_ASPECTS: usize = 1;
pub const BLANK_FACTS: usize = 1;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ItemSlot {
    pub key: String,
    pub text: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AspectSlot {
    pub key: String,
    pub title: String,
    pub items: Vec<ItemSlot>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FactSlot {
    pub key: String,
    pub question: String,
    /// One option a line.
    pub options: String,
}

/// The form's fields, every slot numbered from 0 in the page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EditorForm {
    pub title: String,
    pub intro: String,
    pub comment_prompt: String,
    pub aspects: Vec<AspectSlot>,
    pub facts: Vec<FactSlot>,
}

/// The form for `q`, with blank slots to add to it.
pub fn form_of(q: &Questionnaire) -> EditorForm {
    let blank_items = || vec![ItemSlot::default(); BLANK_ITEMS];
    let mut aspects: Vec<AspectSlot> = q
        .aspects
        .iter()
        .map(|a| AspectSlot {
            key: a.key.clone(),
            title: a.title.clone(),
            items: a
                .items
                .iter()
                .map(|i| ItemSlot { key: i.key.clone(), text: i.text.clone() })
                .chain(blank_items())
                .collect(),
        })
        .collect();
    aspects.extend((0..BLANK_ASPECTS).map(|_| AspectSlot { items: blank_items(), ..AspectSlot::default() }));
    let mut facts: Vec<FactSlot> = q
        .facts
        .iter()
        .map(|f| FactSlot { key: f.key.clone(), question: f.question.clone(), options: f.options.join("\n") })
        .collect();
    facts.extend((0..BLANK_FACTS).map(|_| FactSlot::default()));
    EditorForm {
        title: q.title.clone(),
        intro: q.intro.clone(),
        comment_prompt: q.comment_prompt.clone(),
        aspects,
        facts,
    }
}

/// The posted form as typed (slots included), to show again when refused.
pub fn read_form(fields: &HashMap<String, String>) -> EditorForm {
    let get = |name: &str| fields.get(name).map(|v| v.trim().to_string()).unwrap_or_default();
    let mut aspects = Vec::new();
    for a in 0.. {
        if !fields.contains_key(&format!("a{a}_title")) {
            break;
        }
        let mut items = Vec::new();
        for i in 0.. {
            if !fields.contains_key(&format!("a{a}_{i}_text")) {
                break;
            }
            items.push(ItemSlot { key: get(&format!("a{a}_{i}_key")), text: get(&format!("a{a}_{i}_text")) });
        }
        aspects.push(AspectSlot { key: get(&format!("a{a}_key")), title: get(&format!("a{a}_title")), items });
    }
    let mut facts = Vec::new();
    for f in 0.. {
        if !fields.contains_key(&format!("f{f}_question")) {
            break;
        }
        facts.push(FactSlot {
            key: get(&format!("f{f}_key")),
            question: get(&format!("f{f}_question")),
            options: fields.get(&format!("f{f}_options")).cloned().unwrap_or_default(),
        });
    }
    EditorForm { title: get("title"), intro: get("intro"), comment_prompt: get("comment_prompt"), aspects, facts }
}

/// A key not in `taken` (and then taken): `stem_1`, `stem_2`, …
fn fresh_key(stem: &str, taken: &mut BTreeSet<String>) -> String {
    let stem: String =
        stem.chars().filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_').take(30).collect();
    let stem = if stem.is_empty() { "item".to_string() } else { stem };
    let key = (1..).map(|n| format!("{stem}_{n}")).find(|k| !taken.contains(k)).expect("a free key");
    taken.insert(key.clone());
    key
}

/// The questionnaire a form describes. Blank slots are left out; a kept slot keeps its key only
/// if an earlier version gave it (`used`: every key any version used), else it gets a fresh one.
pub fn questionnaire_of(form: &EditorForm, used: &BTreeSet<String>) -> Questionnaire {
    let mut taken = used.clone();
    let known = |key: &str| !key.is_empty() && used.contains(key);
    let mut kept_keys = BTreeSet::new();
    let mut keep = |key: &str, stem: &str, taken: &mut BTreeSet<String>| {
        // A key posted twice (a slot copied in the page) is given once.
        if known(key) && kept_keys.insert(key.to_string()) { key.to_string() } else { fresh_key(stem, taken) }
    };
    let mut aspects = Vec::new();
    for a in &form.aspects {
        let items: Vec<&ItemSlot> = a.items.iter().filter(|i| !i.text.is_empty()).collect();
        if a.title.is_empty() && items.is_empty() {
            continue;
        }
        let key = keep(&a.key, "aspect", &mut taken);
        let items =
            items.into_iter().map(|i| Item { key: keep(&i.key, &key, &mut taken), text: i.text.clone() }).collect();
        aspects.push(Aspect { key, title: a.title.clone(), items });
    }
    let mut facts = Vec::new();
    for f in &form.facts {
        let options: Vec<String> =
            f.options.lines().map(str::trim).filter(|o| !o.is_empty()).map(str::to_string).collect();
        if f.question.is_empty() && options.is_empty() {
            continue;
        }
        facts.push(Fact { key: keep(&f.key, "fact", &mut taken), question: f.question.clone(), options });
    }
    Questionnaire {
        title: form.title.clone(),
        intro: form.intro.clone(),
        aspects,
        facts,
        comment_prompt: form.comment_prompt.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::questionnaire::default_questionnaire;

    fn fields_of(form: &EditorForm) -> HashMap<String, String> {
        let mut f = HashMap::new();
        f.insert("title".into(), form.title.clone());
        f.insert("intro".into(), form.intro.clone());
        f.insert("comment_prompt".into(), form.comment_prompt.clone());
        for (a, aspect) in form.aspects.iter().enumerate() {
            f.insert(format!("a{a}_key"), aspect.key.clone());
            f.insert(format!("a{a}_title"), aspect.title.clone());
            for (i, item) in aspect.items.iter().enumerate() {
                f.insert(format!("a{a}_{i}_key"), item.key.clone());
                f.insert(format!("a{a}_{i}_text"), item.text.clone());
            }
        }
        for (n, fact) in form.facts.iter().enumerate() {
            f.insert(format!("f{n}_key"), fact.key.clone());
            f.insert(format!("f{n}_question"), fact.question.clone());
            f.insert(format!("f{n}_options"), fact.options.clone());
        }
        f
    }

    fn used(q: &Questionnaire) -> BTreeSet<String> {
        q.keys().collect()
    }

    #[test]
    fn an_unchanged_form_is_the_same_questionnaire() {
        let q = default_questionnaire();
        let form = read_form(&fields_of(&form_of(&q)));
        assert_eq!(questionnaire_of(&form, &used(&q)), q);
    }

    #[test]
    fn items_keep_their_keys_and_new_ones_get_keys_never_used() {
        let q = default_questionnaire();
        let mut form = form_of(&q);
        // Remove the first item, add one at the end of the first aspect, and a new aspect.
        let removed = form.aspects[0].items[0].key.clone();
        form.aspects[0].items[0].text.clear();
        let blank = q.aspects[0].items.len();
        form.aspects[0].items[blank].text = "ยื่นคำขอทางออนไลน์ได้สะดวก".into();
        let last = form.aspects.len() - 1;
        form.aspects[last].title = "ด้านการให้ข้อมูล".into();
        form.aspects[last].items[0].text = "ได้รับข้อมูลครบถ้วน".into();
        // A key typed into a slot that no version used is not believed.
        form.aspects[last].items[0].key = "made_up".into();
        let next = questionnaire_of(&read_form(&fields_of(&form)), &used(&q));
        assert!(next.check().is_empty(), "{:?}", next.check());
        assert_eq!(next.aspects[0].items.len(), q.aspects[0].items.len());
        assert!(next.items().all(|(_, i)| i.key != removed), "a removed item's key is not reused");
        assert_eq!(next.aspects[0].items[0].key, q.aspects[0].items[1].key, "kept items keep their keys");
        let added = &next.aspects[0].items.last().unwrap().key;
        assert!(!used(&q).contains(added) && added.starts_with("process_"), "{added}");
        assert_eq!(next.aspects.len(), q.aspects.len() + 1);
        assert_eq!(next.aspects[last].key, "aspect_1");
        assert_eq!(next.aspects[last].items[0].key, "aspect_1_1");
    }

    #[test]
    fn fact_options_are_one_a_line_and_blank_slots_are_left_out() {
        let mut form = form_of(&default_questionnaire());
        let last = form.facts.len() - 1;
        form.facts[last].question = "ท่านมาติดต่อครั้งแรกหรือไม่".into();
        form.facts[last].options = "ครั้งแรก\r\n\r\n เคยมาแล้ว \n".into();
        let q = questionnaire_of(&read_form(&fields_of(&form)), &BTreeSet::new());
        assert_eq!(q.facts.last().unwrap().options, ["ครั้งแรก", "เคยมาแล้ว"]);
        assert_eq!(q.aspects.len(), default_questionnaire().aspects.len());
    }
}
