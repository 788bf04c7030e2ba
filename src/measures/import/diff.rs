//! What an import would change in a year's register: which file measure updates which stored
//! one, which are new, which go. Pure, so the preview and the import agree by construction.
//!
//! Matching, decided for evidence's sake (evidence and cited figures hang on the measure's id,
//! so a matched measure is updated in place and keeps them):
//! 1. by title, compared without differences people do not see (spaces, zero-width characters
//!    from Word pastes, Thai or Arabic digits), each stored measure matched once, in order;
//! 2. then by position: a file measure still unmatched takes the unmatched stored measure at the
//!    same place in the list, so that retyping a title (a typo fixed in Word) keeps the evidence.
//!    The preview shows the title as changed, so a wrong pairing is seen before it is applied.

use crate::measures::{Measure, MeasureId, MeasureInput};

/// The fields of a measure a file carries, as the preview names them.
pub const FIELDS: [&str; 7] =
    ["ชื่อมาตรการ", "ตัวชี้วัด", "วิธีดำเนินการ", "ผู้รับผิดชอบ", "ระยะเวลาดำเนินการ", "ผลการดำเนินการ", "ผลลัพธ์หรือความสำเร็จ"];

/// The title as compared for matching.
pub fn normalized_title(title: &str) -> String {
    let visible: String = title
        .chars()
        .filter(|c| !matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}'))
        .map(|c| if ('๐'..='๙').contains(&c) { char::from(b'0' + (c as u32 - '๐' as u32) as u8) } else { c })
        .collect();
    visible.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// For each file measure, the stored measure it updates (None: a new measure).
pub fn match_measures(stored: &[Measure], file: &[MeasureInput]) -> Vec<Option<MeasureId>> {
    let mut taken = vec![false; stored.len()];
    let mut matched: Vec<Option<usize>> = vec![None; file.len()];
    let stored_titles: Vec<String> = stored.iter().map(|m| normalized_title(&m.input.title)).collect();
    for (i, input) in file.iter().enumerate() {
        let title = normalized_title(&input.title);
        if let Some(j) = (0..stored.len()).find(|&j| !taken[j] && stored_titles[j] == title) {
            taken[j] = true;
            matched[i] = Some(j);
        }
    }
    for (i, slot) in matched.iter_mut().enumerate() {
        if slot.is_none() && i < stored.len() && !taken[i] {
            taken[i] = true;
            *slot = Some(i);
        }
    }
    matched.into_iter().map(|j| j.map(|j| stored[j].id)).collect()
}

/// Which of [`FIELDS`] differ between a stored measure and the file's.
pub fn changed_fields(stored: &MeasureInput, file: &MeasureInput) -> Vec<&'static str> {
    let differs = [
        stored.title != file.title,
        stored.indicators != file.indicators,
        stored.methods != file.methods,
        stored.responsible != file.responsible,
        stored.period != file.period,
        stored.results != file.results,
        stored.outcomes != file.outcomes,
    ];
    FIELDS.iter().zip(differs).filter(|(_, d)| *d).map(|(f, _)| *f).collect()
}

/// The stored measures no file measure matched: they would be deleted.
pub fn removed(stored: &[Measure], matches: &[Option<MeasureId>]) -> Vec<MeasureId> {
    stored.iter().map(|m| m.id).filter(|id| !matches.contains(&Some(*id))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measures::{Item, Status};
    use crate::orgs::OrgId;

    fn input(title: &str) -> MeasureInput {
        MeasureInput {
            title: title.into(),
            indicators: vec![4],
            responsible: vec!["กองคลัง".into()],
            period: None,
            status: Status::Planned,
            progress: 0,
            methods: vec![Item { text: "ก".into(), numbered: true }],
            results: Vec::new(),
            outcomes: Vec::new(),
        }
    }

    fn stored(titles: &[&str]) -> Vec<Measure> {
        titles
            .iter()
            .enumerate()
            .map(|(i, t)| Measure {
                id: MeasureId(100 + i as i64),
                org_id: OrgId(1),
                fiscal_year: 2566,
                position: i as i64 + 1,
                input: input(t),
                division_ids: Vec::new(),
            })
            .collect()
    }

    #[test]
    fn titles_match_across_invisible_differences_and_reordering() {
        let old = stored(&["จัดทำคู่มือ ๒๕๖๖", "ประเมินความพึงพอใจ"]);
        let file = [input("ประเมิน\u{200b}ความพึงพอใจ"), input("จัดทำคู่มือ  2566")];
        assert_eq!(match_measures(&old, &file), vec![Some(MeasureId(101)), Some(MeasureId(100))]);
    }

    #[test]
    fn a_retitled_measure_keeps_its_place_and_a_new_one_at_the_end_is_added() {
        let old = stored(&["ก", "ข"]);
        let file = [input("ก"), input("ข แก้คำผิด"), input("ค")];
        let matches = match_measures(&old, &file);
        assert_eq!(matches, vec![Some(MeasureId(100)), Some(MeasureId(101)), None]);
        assert!(removed(&old, &matches).is_empty());
        assert_eq!(changed_fields(&old[1].input, &file[1]), vec!["ชื่อมาตรการ"]);
    }

    #[test]
    fn a_measure_left_out_of_the_file_is_removed() {
        let old = stored(&["ก", "ข", "ค"]);
        let file = [input("ก"), input("ค")];
        let matches = match_measures(&old, &file);
        assert_eq!(matches, vec![Some(MeasureId(100)), Some(MeasureId(102))]);
        assert_eq!(removed(&old, &matches), vec![MeasureId(101)]);
    }
}
