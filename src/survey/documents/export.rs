//! The anonymised answers of a year as CSV and XLSX: one row per answer with its date, channel,
//! place, version, the level of each item (columns by item key across versions, blank where
//! the answer's version had no such item), the respondent's facts, the comment and the burst
//! flag. Never the device or address hashes. The XLSX has a second sheet with each item's count,
//! sum and mean, which the first sheet's columns add up to.

use std::collections::BTreeMap;

use crate::docs::xlsx::{Cell, Sheet};
use crate::survey::analysis::{self, Row};
use crate::survey::ingest::Channel;
use crate::survey::questionnaire::Questionnaire;

/// The table: header, then one row per answer.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// (item text, count, sum) per item column.
    pub totals: Vec<(String, i64, i64)>,
}

fn thai_date(at: i64) -> String {
    let t = chrono::DateTime::from_timestamp(at + 7 * 3600, 0).unwrap_or_default().naive_utc();
    use chrono::{Datelike, Timelike};
    format!("{:02}/{:02}/{} {:02}:{:02}", t.day(), t.month(), t.year() + 543, t.hour(), t.minute())
}

pub fn table(
    versions: &BTreeMap<i64, Questionnaire>,
    answers: &[Row],
    services: &BTreeMap<i64, String>,
    points: &BTreeMap<i64, String>,
) -> Table {
    let layout = analysis::analyse(versions, &[], |_| 0);
    let item_column: BTreeMap<&str, usize> =
        layout.items.iter().enumerate().map(|(i, it)| (it.key.as_str(), i)).collect();
    // Facts by key, newest wording first.
    let mut fact_keys: Vec<(String, String)> = Vec::new();
    for q in versions.values().rev() {
        for f in &q.facts {
            if !fact_keys.iter().any(|(k, _)| k == &f.key) {
                fact_keys.push((f.key.clone(), f.question.clone()));
            }
        }
    }
    let mut header: Vec<String> =
        ["เลขที่", "วันเวลา", "ช่องทาง", "จุดบริการ", "งานบริการ", "ฉบับแบบประเมิน"].iter().map(|s| s.to_string()).collect();
    header.extend(layout.items.iter().enumerate().map(|(i, it)| format!("ข้อ {} {}", i + 1, it.text)));
    header.extend(fact_keys.iter().map(|(_, q)| q.clone()));
    header.extend(["ข้อเสนอแนะ", "ส่งถี่ผิดปกติ"].iter().map(|s| s.to_string()));
    let mut totals: Vec<(String, i64, i64)> = layout.items.iter().map(|it| (it.text.clone(), 0, 0)).collect();
    let mut rows = Vec::with_capacity(answers.len());
    for a in answers {
        let Some(q) = versions.get(&a.version) else { continue };
        let mut row: Vec<Cell> = vec![
            Cell::from(a.id),
            thai_date(a.at).into(),
            Channel::from_code(&a.channel).map_or(a.channel.as_str(), |c| c.label_th()).into(),
            a.point.and_then(|p| points.get(&p).cloned()).unwrap_or_default().into(),
            a.service.and_then(|s| services.get(&s).cloned()).unwrap_or_default().into(),
            Cell::from(a.version),
        ];
        let mut levels = vec![Cell::Empty; layout.items.len()];
        for (index, (_, item)) in q.items().enumerate() {
            if let (Some(level), Some(&column)) = (a.scores.level(index), item_column.get(item.key.as_str())) {
                levels[column] = Cell::from(level);
                totals[column].1 += 1;
                totals[column].2 += level;
            }
        }
        row.extend(levels);
        for (key, _) in &fact_keys {
            let option = q
                .facts
                .iter()
                .find(|f| &f.key == key)
                .and_then(|f| a.facts.get(key).and_then(|i| f.options.get(*i)))
                .cloned()
                .unwrap_or_default();
            row.push(option.into());
        }
        row.push(a.comment.clone().into());
        row.push(if a.burst { "ใช่" } else { "" }.into());
        rows.push(row);
    }
    Table { header, rows, totals }
}

pub fn csv(table: &Table) -> anyhow::Result<Vec<u8>> {
    // A byte-order mark, so that Excel opens Thai UTF-8 as UTF-8.
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(&table.header)?;
        for row in &table.rows {
            w.write_record(row.iter().map(|c| match c {
                Cell::Text(t) => formula_safe(t),
                Cell::Number(n) => n.to_string(),
                Cell::Empty => String::new(),
            }))?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// A text cell as a spreadsheet will not run it: a citizen's comment beginning with `=`, `+`,
/// `-` or `@` would otherwise be read as a formula when the CSV is opened (the XLSX stores text as
/// text). The leading apostrophe is what Excel and LibreOffice show for such cells.
fn formula_safe(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_string() }
}

pub fn xlsx(table: &Table) -> anyhow::Result<Vec<u8>> {
    let mut answers = vec![table.header.iter().map(|h| Cell::from(h.as_str())).collect::<Vec<_>>()];
    answers.extend(table.rows.iter().cloned());
    let mut summary = vec![vec![Cell::from("ข้อ"), "จำนวนคำตอบ".into(), "ผลรวมคะแนน".into(), "ค่าเฉลี่ย".into()]];
    for (text, n, sum) in &table.totals {
        // Rounded half up from the integers, as the reports print it.
        let mean = if *n > 0 { Cell::Number(((200 * sum + n) / (2 * n)) as f64 / 100.0) } else { Cell::Empty };
        summary.push(vec![text.as_str().into(), Cell::from(*n), Cell::from(*sum), mean]);
    }
    crate::docs::xlsx::write(&[
        Sheet { name: "คำตอบ".into(), rows: answers },
        Sheet { name: "สรุปรายข้อ".into(), rows: summary },
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_cell_that_would_be_a_formula_is_kept_as_text() {
        assert_eq!(formula_safe("=HYPERLINK(\"http://x\",\"ผล\")"), "'=HYPERLINK(\"http://x\",\"ผล\")");
        assert_eq!(formula_safe("- ที่จอดรถน้อย"), "'- ที่จอดรถน้อย");
        assert_eq!(formula_safe("@x"), "'@x");
        assert_eq!(formula_safe("บริการดี = 5"), "บริการดี = 5");
    }
}
