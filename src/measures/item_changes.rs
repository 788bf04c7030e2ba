//! Pure: which rows of a measure's list (methods, results or outcomes) a save must write, so that
//! an edit touches only what changed instead of deleting and re-inserting the whole list (issue 13,
//! item 4: every save left the old rows dead in PostgreSQL's tables).
//!
//! A stored row keeps its id when its text is still in the list (wherever it moved), else when
//! the list still has an item at a place no kept text took (an item edited in place).

use super::Item;

/// A stored row of the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredItem {
    pub id: i64,
    pub position: i64,
    pub text: String,
    pub numbered: bool,
}

/// One statement of the save.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemChange {
    Update { id: i64, position: i64, text: String, numbered: bool },
    Insert { position: i64, text: String, numbered: bool },
    Delete { id: i64 },
}

/// The changes that turn `stored` (in position order) into `wanted` (positions 0, 1, …); none when
/// they already agree.
pub fn plan(stored: &[StoredItem], wanted: &[Item]) -> Vec<ItemChange> {
    // Which stored row each wanted item keeps, if any.
    let mut kept: Vec<Option<usize>> = vec![None; wanted.len()];
    let mut taken = vec![false; stored.len()];
    // Same text: prefer the row at the same place, else the first free one with that text.
    for (at, item) in wanted.iter().enumerate() {
        let same_place = stored.get(at).filter(|s| s.text == item.text).map(|_| at).filter(|&i| !taken[i]);
        let found = same_place.or_else(|| (0..stored.len()).find(|&i| !taken[i] && stored[i].text == item.text));
        if let Some(i) = found {
            taken[i] = true;
            kept[at] = Some(i);
        }
    }
    // Items whose text is new take the free rows in order: an edit in place keeps its row.
    let mut free = (0..stored.len()).filter(|&i| !taken[i]).collect::<Vec<_>>().into_iter();
    for slot in kept.iter_mut().filter(|k| k.is_none()) {
        *slot = free.next();
    }
    let mut changes = Vec::new();
    for (at, (item, slot)) in wanted.iter().zip(&kept).enumerate() {
        let (position, text, numbered) = (at as i64, item.text.clone(), item.numbered);
        match slot.map(|i| &stored[i]) {
            Some(s) if s.position == position && s.text == text && s.numbered == numbered => {}
            Some(s) => changes.push(ItemChange::Update { id: s.id, position, text, numbered }),
            None => changes.push(ItemChange::Insert { position, text, numbered }),
        }
    }
    changes.extend(free.map(|i| ItemChange::Delete { id: stored[i].id }));
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(texts: &[&str]) -> Vec<StoredItem> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| StoredItem { id: 10 + i as i64, position: i as i64, text: t.to_string(), numbered: true })
            .collect()
    }

    fn items(texts: &[&str]) -> Vec<Item> {
        texts.iter().map(|t| Item { text: t.to_string(), numbered: true }).collect()
    }

    #[test]
    fn an_unchanged_list_writes_nothing() {
        assert_eq!(plan(&stored(&["ก", "ข", "ค"]), &items(&["ก", "ข", "ค"])), vec![]);
        assert_eq!(plan(&[], &[]), vec![]);
    }

    #[test]
    fn an_item_edited_in_place_keeps_its_row() {
        let changes = plan(&stored(&["ก", "ข", "ค"]), &items(&["ก", "ข แก้", "ค"]));
        assert_eq!(changes, vec![ItemChange::Update { id: 11, position: 1, text: "ข แก้".into(), numbered: true }]);
    }

    #[test]
    fn the_number_mark_alone_is_one_update() {
        let mut wanted = items(&["ก", "ข"]);
        wanted[0].numbered = false;
        let changes = plan(&stored(&["ก", "ข"]), &wanted);
        assert_eq!(changes, vec![ItemChange::Update { id: 10, position: 0, text: "ก".into(), numbered: false }]);
    }

    #[test]
    fn moved_items_keep_their_rows_and_only_their_places_change() {
        let changes = plan(&stored(&["ก", "ข", "ค"]), &items(&["ค", "ก", "ข"]));
        assert_eq!(
            changes,
            vec![
                ItemChange::Update { id: 12, position: 0, text: "ค".into(), numbered: true },
                ItemChange::Update { id: 10, position: 1, text: "ก".into(), numbered: true },
                ItemChange::Update { id: 11, position: 2, text: "ข".into(), numbered: true },
            ]
        );
    }

    #[test]
    fn an_item_added_at_the_end_is_one_insert_and_a_removed_one_one_delete() {
        assert_eq!(
            plan(&stored(&["ก", "ข"]), &items(&["ก", "ข", "ค"])),
            vec![ItemChange::Insert { position: 2, text: "ค".into(), numbered: true }]
        );
        assert_eq!(
            plan(&stored(&["ก", "ข", "ค"]), &items(&["ก", "ค"])),
            vec![
                ItemChange::Update { id: 12, position: 1, text: "ค".into(), numbered: true },
                ItemChange::Delete { id: 11 },
            ]
        );
    }

    #[test]
    fn repeated_texts_each_keep_one_row() {
        assert_eq!(plan(&stored(&["ก", "ก"]), &items(&["ก", "ก"])), vec![]);
        assert_eq!(plan(&stored(&["ก", "ก"]), &items(&["ก"])), vec![ItemChange::Delete { id: 11 }]);
    }
}
