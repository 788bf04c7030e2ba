//! The documents' structs → the `data.json` their templates read: every line as word items.

use serde_json::{Value, json};

use super::data::{LabelSheet, LoanForm, LoansReport, OutstandingList, PlaceKind, Signatory, SopManual};
use super::flow;
use crate::docs::pdf::{KEEP_TOGETHER, known_names, line_items};

/// Turns lines into word items, keeping the names the document holds whole (organization, place,
/// people, divisions).
struct Words {
    keep: Vec<String>,
}

impl Words {
    fn new(names: &[&str]) -> Self {
        let mut keep: Vec<String> = KEEP_TOGETHER.iter().map(|k| k.to_string()).collect();
        keep.extend(known_names(names));
        keep.extend(["ผู้ยืม", "พัสดุ", "ครุภัณฑ์", "เจ้าหน้าที่"].map(String::from));
        Self { keep }
    }

    fn line(&self, text: &str) -> Value {
        Value::from(glue_numbers(line_items(text, &self.keep)))
    }

    /// A short code (loan or asset number) as one unbreakable unit.
    fn unit(&self, text: &str) -> Value {
        json!([text.trim()])
    }

    fn opt(&self, text: &Option<String>) -> Value {
        match text.as_deref().map(str::trim) {
            Some(t) if !t.is_empty() => self.line(t),
            _ => Value::Null,
        }
    }

    fn lines(&self, lines: &[String]) -> Value {
        Value::from(lines.iter().map(|l| self.line(l)).collect::<Vec<_>>())
    }

    fn signatory(&self, s: &Signatory) -> Value {
        json!({ "name": self.opt(&s.name), "position": self.opt(&s.position), "date": self.opt(&s.date) })
    }
}

/// Words that must stay on the line of the number after them ("พ.ศ. ๒๕๖๗", "ข้อ ๒๑๐").
const BEFORE_NUMBER: &[&str] = &["พ.ศ.", "ข้อ"];

/// Joins `พ.ศ.`, `ข้อ` and the number that follows into one unit, so a line never breaks between them.
fn glue_numbers(items: Vec<Value>) -> Vec<Value> {
    let starts_with_digit = |v: &Value| v.as_str().and_then(|s| s.chars().next()).is_some_and(|c| c.is_numeric());
    let mut out: Vec<Value> = Vec::with_capacity(items.len());
    let mut rest = items.into_iter().peekable();
    while let Some(item) = rest.next() {
        let space_follows =
            out.last().and_then(Value::as_str).is_some_and(|p| BEFORE_NUMBER.iter().any(|w| p.ends_with(w)))
                && item == " "
                && rest.peek().is_some_and(starts_with_digit);
        if space_follows {
            let number = rest.next().expect("peeked");
            let prev = out.pop().expect("checked");
            out.push(Value::from(format!(
                "{} {}",
                prev.as_str().unwrap_or_default(),
                number.as_str().unwrap_or_default()
            )));
        } else {
            out.push(item);
        }
    }
    out
}

pub fn label_sheet(sheet: &LabelSheet) -> Value {
    let w = Words::new(&[&sheet.org_short_name]);
    json!({
        "org": w.line(&sheet.org_short_name),
        "labels": sheet.labels.iter().enumerate().map(|(i, l)| json!({
            "qr": format!("qr-{}.svg", i + 1),
            "asset_number": w.unit(&l.asset_number),
            "name": w.line(&l.item_name),
        })).collect::<Vec<_>>(),
    })
}

pub fn loan_form(f: &LoanForm) -> Value {
    let mut names = vec![f.org_name.as_str(), &f.written_at, &f.borrower_name, &f.borrower_division];
    for s in [&f.borrower, &f.approver, &f.handed_over_by, &f.received_by] {
        names.extend(s.name.as_deref());
    }
    let w = Words::new(&names);
    json!({
        "title": w.line(&f.title),
        "title_text": f.title,
        "loan_number": w.unit(&f.loan_number),
        "written_at": w.line(&f.written_at),
        "written_on": w.line(&f.written_on),
        "addressed_to": w.line(&f.addressed_to),
        "borrower_name": w.line(&f.borrower_name),
        "borrower_position": w.line(&f.borrower_position),
        "borrower_division": w.line(&f.borrower_division),
        "items": f.items.iter().enumerate().map(|(i, it)| json!({
            "n": (i + 1),
            "asset_number": w.unit(&it.asset_number),
            "name": w.line(&it.name),
            "quantity": w.line(&it.quantity),
            "condition": w.opt(&it.condition_at_handover),
        })).collect::<Vec<_>>(),
        "purpose": w.line(&f.purpose),
        "outside": f.place_kind == PlaceKind::Outside,
        "agency_use": f.place_kind == PlaceKind::Agency,
        "agency": f.borrower_is_agency,
        "decision": f.decision,
        "decision_note": w.opt(&f.decision_note),
        "place": w.line(&f.place),
        "borrow_date": w.line(&f.borrow_date),
        "due_date": w.line(&f.due_date),
        "rules": w.lines(&f.rules),
        "borrower": w.signatory(&f.borrower),
        "approver": w.signatory(&f.approver),
        "handed_over_by": w.signatory(&f.handed_over_by),
        "received_by": w.signatory(&f.received_by),
        "returned_on": w.opt(&f.returned.returned_on),
        "return_condition": w.opt(&f.returned.condition),
        "settlement": w.opt(&f.returned.settlement),
    })
}

pub fn sop_manual(m: &SopManual) -> Value {
    let mut names = vec![m.org_name.as_str()];
    // The approver's name, in parentheses as signed.
    names.extend(m.approved_by.iter().filter(|l| l.starts_with("(")).map(String::as_str));
    let w = Words::new(&names);
    let items = |t: &str| w.line(t);
    json!({
        "title_text": format!("{} {}", m.title, m.org_name),
        "title": w.line(&m.title),
        "org": w.line(&m.org_name),
        "fiscal_year": w.line(&m.fiscal_year),
        "issued_on": w.line(&m.issued_on),
        "approved_by": w.lines(&m.approved_by),
        "purpose": w.lines(&m.purpose),
        "legal_intro": w.line(&m.legal_basis_intro),
        "legal": m.legal_basis.iter().map(|c| json!({ "clause": w.line(&c.clause), "text": w.line(&c.text) }))
            .collect::<Vec<_>>(),
        "legal_source": w.line(&m.legal_source),
        "rules": w.lines(&m.rules),
        "steps": m.steps.iter().map(|s| json!({
            "number": w.line(&s.number), "title": w.line(&s.title), "who": w.line(&s.who),
            "detail": w.line(&s.detail), "time": w.line(&s.time_standard),
        })).collect::<Vec<_>>(),
        "flow": flow::nodes(&m.steps, &m.flow, &items),
        "monitoring": w.lines(&m.monitoring),
        "annex": w.lines(&m.annex),
        "footer": w.line(&format!("{} {}", m.title, m.org_name)),
        "thai_digits": m.thai_digits,
        "page_placeholder": crate::docs::pdf::page_placeholder(m.thai_digits),
    })
}

pub fn outstanding_list(o: &OutstandingList) -> Value {
    let mut names = vec![o.org_name.as_str()];
    names.extend(o.loans.iter().map(|l| l.borrower.as_str()));
    let w = Words::new(&names);
    json!({
        "title_text": format!("{} {}", o.title, o.org_name),
        "title": w.line(&o.title),
        "org": w.line(&o.org_name),
        "heading": w.line(&o.heading),
        "loans": o.loans.iter().map(|l| json!({
            "loan_number": w.unit(&l.loan_number), "asset_number": w.unit(&l.asset_number),
            "item": w.line(&l.item), "borrower": w.line(&l.borrower),
            "due_date": w.line(&l.due_date), "status": w.line(&l.status),
        })).collect::<Vec<_>>(),
        "none": w.line(&o.none),
        "footer": w.line(&format!("{} {}", o.title, o.org_name)),
        "thai_digits": o.thai_digits,
        "page_placeholder": crate::docs::pdf::page_placeholder(o.thai_digits),
    })
}

pub fn loans_report(r: &LoansReport) -> Value {
    let mut names = vec![r.org_name.as_str()];
    names.extend(r.loans.iter().map(|l| l.borrower.as_str()));
    let w = Words::new(&names);
    let s = &r.summary;
    json!({
        "title_text": format!("{} {}", r.title, r.org_name),
        "title": w.line(&r.title),
        "org": w.line(&r.org_name),
        "period": w.line(&r.period),
        "printed_on": w.line(&r.printed_on),
        "summary": [
            [w.line("จำนวนการยืมทั้งหมด"), w.line(&s.loans)],
            [w.line("ส่งคืนตรงตามกำหนด"), w.line(&s.returned_on_time)],
            [w.line("เกินกำหนดส่งคืน"), w.line(&s.overdue)],
            [w.line("กรณีชำรุดหรือสูญหาย"), w.line(&s.damage_cases)],
        ],
        "loans": r.loans.iter().map(|l| json!({
            "number": w.unit(&l.number), "item": w.line(&l.item), "borrower": w.line(&l.borrower),
            "borrowed_on": w.line(&l.borrowed_on), "due_on": w.line(&l.due_on),
            "returned_on": w.opt(&l.returned_on), "status": w.line(&l.status),
        })).collect::<Vec<_>>(),
        "utilization": r.utilization.iter().map(|u| json!({
            "item": w.line(&u.item), "loans": w.line(&u.loans),
            "days_out": w.line(&u.days_out), "percent": w.line(&u.percent),
        })).collect::<Vec<_>>(),
        "footer": w.line(&format!("{} {} {}", r.title, r.org_name, r.period)),
        "thai_digits": r.thai_digits,
        "page_placeholder": crate::docs::pdf::page_placeholder(r.thai_digits),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_year_stays_with_its_era_and_a_clause_with_its_number() {
        let w = Words::new(&[]);
        let items = w.line("ประจำปีงบประมาณ พ.ศ. ๒๕๖๗ ตามข้อ ๒๑๐ และ 2 เครื่อง");
        let items: Vec<&str> = items.as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert!(items.contains(&"พ.ศ. ๒๕๖๗"), "{items:?}");
        assert!(items.contains(&"ข้อ ๒๑๐"), "{items:?}");
        assert_eq!(items.concat(), "ประจำปีงบประมาณ พ.ศ. ๒๕๖๗ ตามข้อ ๒๑๐ และ 2 เครื่อง");
    }
}
