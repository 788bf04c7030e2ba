//! The staff form of a manual: the fields as typed (every value a string, so a refused form comes
//! back exactly as it was sent), read into a `Manual` with the errors beside their fields. Lists
//! of steps, documents and fees are rows of inputs; blank rows are ignored, so the page offers a
//! few empty rows to add more without script. Steps are put in the order of their "ลำดับ".

use serde::Deserialize;

use super::manual::{Document, DocumentKind, Fee, FormRef, Manual, Step, TimeUnit, baht};
use super::rules::{self, Part, parse_baht, parse_count};
use crate::http::FieldErrors;
use crate::thai::Digits;

/// Empty rows offered under each list.
const BLANK_ROWS: usize = 3;

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ManualForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub division: String,
    #[serde(default)]
    pub legal_basis: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub hours: String,
    #[serde(default)]
    pub criteria: String,
    #[serde(default)]
    pub time_basis: String,
    #[serde(default)]
    pub complaints: String,
    #[serde(default)]
    pub remarks: String,
    #[serde(default)]
    pub step_order: Vec<String>,
    #[serde(default)]
    pub step_what: Vec<String>,
    #[serde(default)]
    pub step_who: Vec<String>,
    #[serde(default)]
    pub step_amount: Vec<String>,
    #[serde(default)]
    pub step_unit: Vec<String>,
    #[serde(default)]
    pub step_counter: Vec<String>,
    #[serde(default)]
    pub doc_name: Vec<String>,
    #[serde(default)]
    pub doc_kind: Vec<String>,
    #[serde(default)]
    pub doc_count: Vec<String>,
    #[serde(default)]
    pub doc_issued_by: Vec<String>,
    #[serde(default)]
    pub fee_what: Vec<String>,
    #[serde(default)]
    pub fee_amount: Vec<String>,
    #[serde(default)]
    pub fee_note: Vec<String>,
}

/// One row of the steps' table as typed.
pub struct StepRow {
    pub order: String,
    pub what: String,
    pub who: String,
    pub amount: String,
    pub unit: String,
    pub counter: bool,
}

pub struct DocRow {
    pub name: String,
    pub kind: String,
    pub count: String,
    pub issued_by: String,
}

pub struct FeeRow {
    pub what: String,
    pub amount: String,
    pub note: String,
}

fn at(v: &[String], i: usize) -> String {
    v.get(i).cloned().unwrap_or_default()
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

impl ManualForm {
    /// The form filled with a saved manual.
    pub fn from_manual(m: &Manual) -> Self {
        let n = |v: i64| v.to_string();
        ManualForm {
            name: m.name.clone(),
            division: m.division.clone(),
            legal_basis: m.legal_basis.join("\n"),
            place: m.place.clone(),
            hours: m.hours.clone(),
            criteria: m.criteria.join("\n"),
            time_basis: m.time_basis.clone(),
            complaints: m.complaints.join("\n"),
            remarks: m.remarks.join("\n"),
            step_order: (1..=m.steps.len() as i64).map(n).collect(),
            step_what: m.steps.iter().map(|s| s.what.clone()).collect(),
            step_who: m.steps.iter().map(|s| s.who.clone()).collect(),
            step_amount: m.steps.iter().map(|s| n(s.amount)).collect(),
            step_unit: m.steps.iter().map(|s| s.unit.code().to_string()).collect(),
            step_counter: m.steps.iter().map(|s| if s.at_counter { "yes" } else { "no" }.to_string()).collect(),
            doc_name: m.documents.iter().map(|d| d.name.clone()).collect(),
            doc_kind: m.documents.iter().map(|d| d.kind.code().to_string()).collect(),
            doc_count: m.documents.iter().map(|d| n(d.count)).collect(),
            doc_issued_by: m.documents.iter().map(|d| d.issued_by.clone()).collect(),
            fee_what: m.fees.iter().map(|f| f.what.clone()).collect(),
            fee_amount: m.fees.iter().map(|f| baht(f.satang, Digits::Arabic).replace(',', "")).collect(),
            fee_note: m.fees.iter().map(|f| f.note.clone()).collect(),
        }
    }

    fn step_count(&self) -> usize {
        [&self.step_order, &self.step_what, &self.step_who, &self.step_amount]
            .iter()
            .map(|v| v.len())
            .max()
            .unwrap_or(0)
    }

    fn step_blank(&self, i: usize) -> bool {
        [&self.step_what, &self.step_who, &self.step_amount].iter().all(|v| at(v, i).trim().is_empty())
    }

    /// The rows as typed, and a few blank ones to add more.
    pub fn step_rows(&self) -> Vec<StepRow> {
        let typed = self.step_count();
        (0..typed + BLANK_ROWS)
            .map(|i| StepRow {
                order: at(&self.step_order, i),
                what: at(&self.step_what, i),
                who: at(&self.step_who, i),
                amount: at(&self.step_amount, i),
                unit: if i < typed { at(&self.step_unit, i) } else { TimeUnit::Minutes.code().to_string() },
                counter: at(&self.step_counter, i) == "yes",
            })
            .collect()
    }

    pub fn doc_rows(&self) -> Vec<DocRow> {
        let typed = self.doc_name.len().max(self.doc_count.len());
        (0..typed + BLANK_ROWS)
            .map(|i| DocRow {
                name: at(&self.doc_name, i),
                kind: if i < typed { at(&self.doc_kind, i) } else { DocumentKind::Copy.code().to_string() },
                count: if i < typed { at(&self.doc_count, i) } else { String::new() },
                issued_by: at(&self.doc_issued_by, i),
            })
            .collect()
    }

    pub fn fee_rows(&self) -> Vec<FeeRow> {
        let typed = self.fee_what.len().max(self.fee_amount.len());
        (0..typed + BLANK_ROWS)
            .map(|i| FeeRow {
                what: at(&self.fee_what, i),
                amount: at(&self.fee_amount, i),
                note: at(&self.fee_note, i),
            })
            .collect()
    }

    /// The manual the form describes (with the draft's `forms`), or every error beside its field.
    pub fn read(&self, forms: Vec<FormRef>) -> Result<Manual, FieldErrors> {
        let mut errors = FieldErrors::new();
        // Steps: the typed rows that are not blank, put in the order of their ลำดับ.
        let mut rows: Vec<(usize, i64)> = Vec::new();
        for i in (0..self.step_count()).filter(|i| !self.step_blank(*i)) {
            let typed = at(&self.step_order, i);
            let order = if typed.trim().is_empty() { Some(i64::MAX) } else { parse_count(&typed) };
            match order {
                Some(o) => rows.push((i, o)),
                None => {
                    errors.add(&format!("step-{i}-order"), format!("แถวที่ {}: ลำดับต้องเป็นตัวเลข", i + 1));
                    rows.push((i, i64::MAX));
                }
            }
        }
        rows.sort_by_key(|(i, order)| (*order, *i));
        let mut steps = Vec::new();
        for (i, _) in &rows {
            let amount = at(&self.step_amount, *i);
            let amount = parse_count(&amount).unwrap_or_else(|| {
                errors.add(&format!("step-{i}-amount"), format!("แถวที่ {}: ระยะเวลาต้องเป็นจำนวนเต็ม", i + 1));
                1
            });
            let unit = TimeUnit::parse(&at(&self.step_unit, *i)).unwrap_or(TimeUnit::Minutes);
            steps.push(Step {
                what: at(&self.step_what, *i),
                who: at(&self.step_who, *i),
                amount,
                unit,
                at_counter: at(&self.step_counter, *i) == "yes",
            });
        }
        let step_rows: Vec<usize> = rows.iter().map(|(i, _)| *i).collect();
        let doc_rows: Vec<usize> = (0..self.doc_name.len().max(self.doc_count.len()))
            .filter(|i| !at(&self.doc_name, *i).trim().is_empty() || !at(&self.doc_issued_by, *i).trim().is_empty())
            .collect();
        let documents = doc_rows
            .iter()
            .map(|&i| Document {
                name: at(&self.doc_name, i),
                kind: DocumentKind::parse(&at(&self.doc_kind, i)).unwrap_or(DocumentKind::Copy),
                count: parse_count(&at(&self.doc_count, i)).unwrap_or(0),
                issued_by: at(&self.doc_issued_by, i),
            })
            .collect();
        let fee_rows: Vec<usize> = (0..self.fee_what.len().max(self.fee_amount.len()))
            .filter(|i| !at(&self.fee_what, *i).trim().is_empty() || !at(&self.fee_amount, *i).trim().is_empty())
            .collect();
        let fees = fee_rows
            .iter()
            .map(|&i| {
                let satang = parse_baht(&at(&self.fee_amount, i)).unwrap_or_else(|| {
                    errors.add(
                        &format!("fee-{i}-amount"),
                        format!("ค่าธรรมเนียมแถวที่ {}: จำนวนเงินต้องเป็นตัวเลข เช่น 50 หรือ 12.50", i + 1),
                    );
                    0
                });
                Fee { what: at(&self.fee_what, i), satang, note: at(&self.fee_note, i) }
            })
            .collect();
        let manual = Manual {
            name: self.name.clone(),
            division: self.division.clone(),
            legal_basis: lines(&self.legal_basis),
            place: self.place.clone(),
            hours: self.hours.clone(),
            criteria: lines(&self.criteria),
            steps,
            time_basis: self.time_basis.clone(),
            documents,
            fees,
            complaints: lines(&self.complaints),
            remarks: lines(&self.remarks),
            forms,
        }
        .normalized();
        for p in rules::check(&manual) {
            let id = match p.part {
                Part::Field(f) => f.to_string(),
                Part::Step(i) => format!("step-{}-{}", step_rows[i], p.column),
                Part::Document(i) => format!("doc-{}-{}", doc_rows[i], p.column),
                Part::Fee(i) => format!("fee-{}-{}", fee_rows[i], p.column),
            };
            errors.add(&id, p.message);
        }
        if errors.is_empty() { Ok(manual) } else { Err(errors) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ManualForm {
        ManualForm {
            name: "การขอใช้น้ำประปา".into(),
            division: "กองช่าง".into(),
            place: "อบต.".into(),
            hours: "จ.–ศ.".into(),
            complaints: "โทร ๐๕๔\n\n".into(),
            step_order: vec!["2".into(), "1".into(), "".into()],
            step_what: vec!["ตรวจ".into(), "รับคำขอ".into(), "".into()],
            step_who: vec!["ช่าง".into(), "ธุรการ".into(), "".into()],
            step_amount: vec!["๑".into(), "10".into(), "".into()],
            step_unit: vec!["working_days".into(), "minutes".into(), "minutes".into()],
            step_counter: vec!["no".into(), "yes".into(), "no".into()],
            ..ManualForm::default()
        }
    }

    #[test]
    fn steps_take_the_order_typed_and_blank_rows_are_ignored() {
        let m = form().read(Vec::new()).unwrap();
        let what: Vec<&str> = m.steps.iter().map(|s| s.what.as_str()).collect();
        assert_eq!(what, ["รับคำขอ", "ตรวจ"]);
        assert_eq!(m.complaints, ["โทร ๐๕๔"]);
        assert_eq!(m.counter_minutes(), Some(10));
    }

    #[test]
    fn an_error_is_put_beside_the_row_it_was_typed_in() {
        let mut f = form();
        f.step_who[0] = " ".into();
        f.fee_what = vec!["ค่าคำขอ".into()];
        f.fee_amount = vec!["ห้าสิบ".into()];
        let errors = f.read(Vec::new()).unwrap_err();
        assert!(errors.has("step-0-who"), "{errors:?}");
        assert!(errors.get("step-0-who").unwrap().contains("ขั้นตอนที่ ๒"), "the second step once ordered");
        assert!(errors.has("fee-0-amount"));
    }

    #[test]
    fn a_saved_manual_fills_the_form_that_reads_back_the_same() {
        let m = form().read(Vec::new()).unwrap();
        assert_eq!(ManualForm::from_manual(&m).read(Vec::new()).unwrap(), m);
    }
}
