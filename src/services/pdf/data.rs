//! A manual (or several) → the `data.json` the template reads: every line as word items, every
//! number already in the organization's digits and every date in the Buddhist era.

use serde_json::{Value, json};

use crate::docs::pdf::{KEEP_TOGETHER, known_names, line_items};
use crate::orgs::Org;
use crate::services::manual::{Manual, NO_DOCUMENTS, NO_FEE};
use crate::thai::{Digits, format_date_long, format_instant_th, format_int};

/// One manual as printed: the version it is and when it was published (`None`: a draft), and
/// what the points that give the service offer while citizens wait, as on the day it is printed:
/// (point name, facilities).
pub struct Printed<'a> {
    pub manual: &'a Manual,
    pub version: Option<(i64, i64)>,
    pub facilities: Vec<(String, Vec<&'static str>)>,
}

/// Turns lines into word items, keeping the names the manuals hold whole.
struct Words {
    keep: Vec<String>,
}

impl Words {
    fn new(org: &Org, manuals: &[Printed<'_>]) -> Self {
        let mut names: Vec<&str> = vec![&org.name, &org.short_name];
        for p in manuals {
            names.push(&p.manual.division);
            names.extend(p.manual.steps.iter().map(|s| s.who.as_str()));
        }
        let mut keep: Vec<String> = KEEP_TOGETHER.iter().map(|k| k.to_string()).collect();
        keep.extend(known_names(&names));
        keep.extend(["ผู้รับบริการ", "เจ้าหน้าที่", "วันทำการ", "ค่าธรรมเนียม"].map(String::from));
        Words { keep }
    }

    fn line(&self, text: &str) -> Value {
        Value::from(line_items(text, &self.keep))
    }

    fn lines(&self, lines: &[String]) -> Value {
        Value::from(lines.iter().filter(|l| !l.trim().is_empty()).map(|l| self.line(l)).collect::<Vec<_>>())
    }
}

/// The version line: "ฉบับที่ ๒ ประกาศเมื่อ ๓๐ พ.ย. ๒๕๖๙ ๑๗:๐๕ น.", or that it is a draft.
pub fn version_th(version: Option<(i64, i64)>, digits: Digits) -> String {
    match version {
        Some((n, at)) => format!("ฉบับที่ {} ประกาศเมื่อ {}", format_int(n, digits), format_instant_th(at, digits)),
        None => "ร่าง ยังไม่ได้ประกาศใช้".into(),
    }
}

fn service(org: &Org, w: &Words, p: &Printed<'_>) -> Value {
    let m = p.manual;
    let d = org.digits;
    let text = |s: &str| d.apply(s);
    let fact = |label: &str, lines: Vec<String>| json!({ "label": w.line(label), "lines": w.lines(&lines) });
    let mut facts = vec![
        fact("หน่วยงานที่รับผิดชอบ", vec![format!("{} {}", m.division.trim(), org.name)]),
        fact(
            "กฎหมายที่ให้อำนาจ",
            if m.legal_basis.is_empty() { vec!["-".into()] } else { m.legal_basis.iter().map(|l| text(l)).collect() },
        ),
        fact("สถานที่/ช่องทางการให้บริการ", vec![text(&m.place)]),
        fact("ระยะเวลาเปิดให้บริการ", vec![text(&m.hours)]),
    ];
    if !p.facilities.is_empty() {
        let lines =
            p.facilities.iter().map(|(point, listed)| text(&format!("{point}: {}", listed.join(", ")))).collect();
        facts.push(fact("สิ่งอำนวยความสะดวกสำหรับผู้รับบริการ", lines));
    }
    facts.push(fact("ระยะเวลาดำเนินการรวม", vec![m.total_th(d)]));
    let steps: Vec<Value> = m
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            json!({
                "n": format_int(i as i64 + 1, d), "what": w.line(&text(&s.what)), "who": w.line(&text(&s.who)),
                "time": w.line(&s.time_th(d)), "counter": s.at_counter,
            })
        })
        .collect();
    let counter = m.counter_minutes();
    json!({
        "name": w.line(m.name.trim()),
        "org": w.line(&org.name),
        "version": w.line(&version_th(p.version, d)),
        "facts": facts,
        "criteria": w.lines(&m.criteria.iter().map(|l| text(l)).collect::<Vec<_>>()),
        "none_criteria": w.line("ไม่มีเงื่อนไขเพิ่มเติม"),
        "steps": steps,
        "total_time": w.line(&m.total_th(d)),
        "time_basis": (!m.time_basis.trim().is_empty()).then(|| w.line(&format!("ที่มาของระยะเวลา: {}", text(m.time_basis.trim())))),
        "flow_start": w.line("ผู้รับบริการยื่นคำขอ"),
        "total": w.line(&format!("รวมระยะเวลาดำเนินการ {}", m.total_th(d))),
        "has_counter": counter.is_some(),
        "counter_note": w.line(&format!(
            "กรอบสีเหลือง: ขั้นตอนที่ผู้รับบริการรอรับบริการที่จุดบริการ รวม {}",
            crate::services::manual::duration_th(counter.unwrap_or(0), false, d)
        )),
        "documents": m.documents.iter().enumerate().map(|(i, doc)| json!({
            "n": format_int(i as i64 + 1, d), "name": w.line(&text(&doc.name)), "amount": w.line(&doc.amount_th(d)),
            "issued_by": w.line(if doc.issued_by.trim().is_empty() { "-" } else { doc.issued_by.trim() }),
        })).collect::<Vec<_>>(),
        "none_documents": w.line(NO_DOCUMENTS),
        "fees": m.fees.iter().enumerate().map(|(i, f)| {
            let amount = if f.note.trim().is_empty() { f.amount_th(d) } else { format!("{} ({})", f.amount_th(d), text(f.note.trim())) };
            json!({ "n": format_int(i as i64 + 1, d), "what": w.line(&text(&f.what)), "amount": w.line(&amount) })
        }).collect::<Vec<_>>(),
        "none_fees": w.line(NO_FEE),
        "complaints": w.lines(&m.complaints.iter().map(|l| text(l)).collect::<Vec<_>>()),
        "forms": w.lines(&m.forms.iter().map(|f| format!("{} (ดาวน์โหลดได้ที่หน้าเว็บของงานบริการนี้)", f.title)).collect::<Vec<_>>()),
        "none_forms": w.line("ไม่มีแบบฟอร์มให้ดาวน์โหลด"),
        "remarks": w.lines(&m.remarks.iter().map(|l| text(l)).collect::<Vec<_>>()),
    })
}

/// The data of one service's manual.
pub fn manual_data(org: &Org, printed: &Printed<'_>) -> Value {
    let w = Words::new(org, std::slice::from_ref(printed));
    let name = printed.manual.name.trim();
    json!({
        "booklet": false,
        "title_text": format!("คู่มือสำหรับประชาชน: {name} {}", org.name),
        "footer": w.line(&format!("คู่มือสำหรับประชาชน: {name}")),
        "thai_digits": org.digits == Digits::Thai,
        "services": [service(org, &w, printed)],
    })
}

/// The data of the booklet of `manuals` (in catalogue order), printed on `today`.
pub fn booklet_data(org: &Org, manuals: &[Printed<'_>], today: chrono::NaiveDate) -> Value {
    let w = Words::new(org, manuals);
    json!({
        "booklet": true,
        "title_text": format!("คู่มือสำหรับประชาชน {}", org.name),
        "cover_title": w.line("คู่มือสำหรับประชาชน"),
        "cover_org": w.line(&org.name),
        "cover_date": w.line(&format!("ข้อมูล ณ วันที่ {}", format_date_long(today, org.digits))),
        "footer": w.line(&format!("คู่มือสำหรับประชาชน {}", org.name)),
        "thai_digits": org.digits == Digits::Thai,
        "services": manuals.iter().map(|p| service(org, &w, p)).collect::<Vec<_>>(),
    })
}
