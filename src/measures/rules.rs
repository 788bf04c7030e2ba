//! Pure rules of the register: reading what a clerk typed into a measure, with messages that say
//! which field is wrong.

use super::{Item, MeasureInput, Status};
use crate::thai::{FiscalYear, Period, PeriodError, to_arabic_digits};

/// The raw fields of the measure form, as posted.
#[derive(Debug, Default, serde::Deserialize)]
pub struct MeasureForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub indicators: Vec<String>,
    #[serde(default)]
    pub responsible: String,
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub progress: String,
    #[serde(default)]
    pub methods: String,
    #[serde(default)]
    pub results: String,
    #[serde(default)]
    pub outcomes: String,
}

/// A field and what is wrong with it, in Thai.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

/// Splits a list typed one item per line. A line that starts with a number ("๑." or "1.")
/// is a numbered item (its number is recomputed on print); a line that starts with "-" or "•"
/// belongs to the item above it; any other line is an item without a number.
pub fn items_from_text(text: &str) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let is_sub = line.starts_with('-') || line.starts_with('•');
        match (is_sub, items.last_mut()) {
            (true, Some(last)) => {
                last.text.push('\n');
                last.text.push_str(line);
            }
            _ => match strip_item_number(line) {
                Some(rest) => items.push(Item { text: rest.to_string(), numbered: true }),
                None => items.push(Item { text: line.to_string(), numbered: false }),
            },
        }
    }
    items
}

/// "๑. ข้อความ" → Some("ข้อความ"); "ข้อความ" → None.
pub fn strip_item_number(line: &str) -> Option<&str> {
    let digits_end = line.char_indices().find(|(_, c)| !c.is_ascii_digit() && !('๐'..='๙').contains(c))?.0;
    if digits_end == 0 {
        return None;
    }
    line[digits_end..].strip_prefix('.').map(str::trim_start)
}

/// The form's text for a list: what [`items_from_text`] reads back to the same items.
pub fn items_to_text(items: &[Item], digits: crate::thai::Digits) -> String {
    let mut n = 0;
    let mut out = Vec::new();
    for item in items {
        let mut lines = item.text.lines();
        let first = lines.next().unwrap_or("");
        if item.numbered {
            n += 1;
            out.push(format!("{}. {first}", crate::thai::format_int(n, digits)));
        } else {
            out.push(first.to_string());
        }
        out.extend(lines.map(str::to_string));
    }
    out.join("\n")
}

/// Reads a measure's period: nothing written is no period; see [`Period::parse`] for the rest.
/// `year` is the measure's fiscal year ("ตลอดปีงบประมาณ" without a year means it).
pub fn read_period(text: &str, year: FiscalYear) -> Result<Option<Period>, PeriodError> {
    match Period::parse(text, year) {
        Ok(p) => Ok(Some(p)),
        Err(PeriodError::Empty) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Reads the form into a measure of fiscal year `year`, or lists every wrong field.
pub fn parse_form(
    form: &MeasureForm,
    year: FiscalYear,
    known_indicators: &[i64],
) -> Result<MeasureInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let title = form.title.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.is_empty() {
        errors.push(FieldError {
            field: "title", message: "กรุณากรอกชื่อมาตรการ/แนวทาง".into()
        });
    }
    let mut indicators = Vec::new();
    for raw in form.indicators.iter().filter(|raw| !raw.trim().is_empty()) {
        match to_arabic_digits(raw.trim()).parse::<i64>() {
            Ok(n) if known_indicators.contains(&n) => indicators.push(n),
            _ => errors.push(FieldError {
                field: "indicators", message: format!("ไม่มีตัวชี้วัดที่ “{raw}”")
            }),
        }
    }
    indicators.sort_unstable();
    indicators.dedup();
    // Issue 18: a measure answers a weakness of the ITA; the analysis links them by indicator.
    if form.indicators.iter().all(|raw| raw.trim().is_empty()) {
        errors.push(FieldError {
            field: "indicators", message: "กรุณาเลือกตัวชี้วัด ITA ที่มาตรการนี้ตอบอย่างน้อย ๑ ตัว".into()
        });
    }
    let period = match read_period(&form.period, year) {
        Ok(p) => p,
        Err(e) => {
            errors.push(FieldError {
                field: "period",
                message: format!("ระยะเวลาดำเนินการ “{}” อ่านไม่ได้: {}", form.period.trim(), e.message_th()),
            });
            None
        }
    };
    let status = if form.status.is_empty() {
        Status::Planned
    } else {
        Status::parse(&form.status).unwrap_or_else(|| {
            errors
                .push(FieldError { field: "status", message: "สถานะไม่ถูกต้อง".into() });
            Status::Planned
        })
    };
    let progress = if form.progress.trim().is_empty() {
        0
    } else {
        match to_arabic_digits(form.progress.trim().trim_end_matches('%')).parse::<i64>() {
            Ok(p) if (0..=100).contains(&p) => p,
            _ => {
                errors.push(FieldError {
                    field: "progress", message: "ความคืบหน้าต้องเป็นตัวเลข 0–100".into()
                });
                0
            }
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(MeasureInput {
        title,
        indicators,
        responsible: form.responsible.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect(),
        period,
        status,
        progress,
        methods: items_from_text(&form.methods),
        results: items_from_text(&form.results),
        outcomes: items_from_text(&form.outcomes),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::thai::Digits;

    fn fy() -> FiscalYear {
        FiscalYear::new(2566).unwrap()
    }

    #[test]
    fn numbered_lines_start_items_and_dash_lines_belong_to_the_item_above() {
        let items = items_from_text("๑. จัดทำคู่มือ\n๔. เผยแพร่คู่มือ ผ่าน\n- เว็บไซต์ อบต.\n- เฟสบุ๊ก\nมีการประเมิน");
        assert_eq!(
            items,
            vec![
                Item { text: "จัดทำคู่มือ".into(), numbered: true },
                Item {
                    text: "เผยแพร่คู่มือ ผ่าน\n- เว็บไซต์ อบต.\n- เฟสบุ๊ก".into(), numbered: true
                },
                Item { text: "มีการประเมิน".into(), numbered: false },
            ]
        );
    }

    #[test]
    fn the_form_text_of_a_list_reads_back_to_the_same_list() {
        let items = items_from_text("1. a\n- b\nc\n2. d");
        for digits in [Digits::Thai, Digits::Arabic] {
            assert_eq!(items_from_text(&items_to_text(&items, digits)), items);
        }
    }

    #[test]
    fn a_form_with_no_title_and_a_bad_period_names_both_fields() {
        let form = MeasureForm {
            period: "มีนาคม ถึง ธันวา".into(), progress: "150".into(), ..Default::default()
        };
        let errors = parse_form(&form, fy(), &[1, 2]).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["title", "indicators", "period", "progress"]);
    }

    #[test]
    fn a_form_reads_thai_digits_in_progress_and_period() {
        let form = MeasureForm {
            title: " จัดทำคู่มือ ".into(),
            indicators: vec!["๔".into()],
            period: "มี.ค. – เม.ย. ๒๕๖๖".into(),
            progress: "๕๐".into(),
            status: "in_progress".into(),
            ..Default::default()
        };
        let m = parse_form(&form, fy(), &(1..=10).collect::<Vec<_>>()).unwrap();
        assert_eq!((m.title.as_str(), m.indicators.as_slice(), m.progress), ("จัดทำคู่มือ", &[4][..], 50));
        assert_eq!(m.period.unwrap().format(Digits::Thai), "มี.ค. – เม.ย. ๒๕๖๖");
    }

    #[test]
    fn the_whole_fiscal_year_is_the_measures_year_and_a_blank_period_is_none() {
        let form = MeasureForm {
            title: "ก".into(),
            indicators: vec!["1".into()],
            period: "ตลอดปีงบประมาณ".into(),
            ..Default::default()
        };
        let p = parse_form(&form, fy(), &[1]).unwrap().period.unwrap();
        assert_eq!(p.span(), crate::thai::Span::FiscalYear(fy()));
        let blank = MeasureForm { period: " \u{a0}\n".into(), ..form };
        assert_eq!(parse_form(&blank, fy(), &[1]).unwrap().period, None);
    }
}
