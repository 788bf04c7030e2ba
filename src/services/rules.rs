//! What a manual must hold before it is saved (pure): the same rules for the staff form and the
//! imported files, each problem told in Thai with the item it is about, so that the form shows it
//! beside the field and the import names the line.

use super::manual::{Manual, TimeUnit};

/// Where in a manual a problem is: a top field (by its form id), or an item of a list (from 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Field(&'static str),
    Step(usize),
    Document(usize),
    Fee(usize),
}

/// One problem: where, which column of an item ("what", "who", …; the field itself for a top
/// field), and the message in Thai.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub part: Part,
    pub column: &'static str,
    pub message: String,
}

/// The longest service name (it heads the kiosk's buttons and the booklet's contents).
pub const MAX_NAME_CHARS: usize = 200;
/// The longest time one step may take, in minutes (a year of working days).
const MAX_STEP_MINUTES: i64 = 250 * super::manual::WORKING_DAY_MINUTES;

/// Every problem of `manual`, in the order of the form.
pub fn check(manual: &Manual) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut top = |field: &'static str, message: &str| {
        out.push(Problem { part: Part::Field(field), column: field, message: message.to_string() })
    };
    if manual.name.trim().is_empty() {
        top("name", "กรุณาระบุชื่องานบริการ");
    } else if manual.name.trim().chars().count() > MAX_NAME_CHARS {
        top("name", "ชื่องานบริการยาวเกิน ๒๐๐ ตัวอักษร");
    }
    if manual.division.trim().is_empty() {
        top("division", "กรุณาระบุหน่วยงานที่รับผิดชอบ");
    }
    if manual.place.trim().is_empty() {
        top("place", "กรุณาระบุสถานที่หรือช่องทางการให้บริการ");
    }
    if manual.hours.trim().is_empty() {
        top("hours", "กรุณาระบุวันและเวลาเปิดให้บริการ");
    }
    if manual.steps.is_empty() {
        top("steps", "กรุณาระบุขั้นตอนการให้บริการอย่างน้อย ๑ ขั้นตอน");
    }
    if manual.complaints.iter().all(|c| c.trim().is_empty()) {
        top("complaints", "กรุณาระบุช่องทางการร้องเรียนอย่างน้อย ๑ ช่องทาง");
    }
    for (i, s) in manual.steps.iter().enumerate() {
        let n = crate::thai::to_thai_digits(&(i + 1).to_string());
        let mut problem = |column, message: String| out.push(Problem { part: Part::Step(i), column, message });
        if s.what.trim().is_empty() {
            problem("what", format!("ขั้นตอนที่ {n}: กรุณาระบุว่าทำอะไร"));
        }
        if s.who.trim().is_empty() {
            problem("who", format!("ขั้นตอนที่ {n}: กรุณาระบุผู้รับผิดชอบ"));
        }
        if s.amount <= 0 {
            problem("amount", format!("ขั้นตอนที่ {n}: ระยะเวลาต้องเป็นจำนวนเต็มมากกว่าศูนย์"));
        } else if s.minutes() > MAX_STEP_MINUTES {
            problem("amount", format!("ขั้นตอนที่ {n}: ระยะเวลานานเกินไป (ไม่เกิน ๒๕๐ วันทำการ)"));
        }
        // The citizen waits at the counter for minutes or hours; days are spent behind it.
        if s.at_counter && s.unit == TimeUnit::WorkingDays {
            problem("counter", format!("ขั้นตอนที่ {n}: ขั้นตอนที่ผู้รับบริการรอที่จุดบริการต้องระบุเวลาเป็นนาทีหรือชั่วโมง ไม่ใช่วันทำการ"));
        }
    }
    for (i, d) in manual.documents.iter().enumerate() {
        let n = crate::thai::to_thai_digits(&(i + 1).to_string());
        if d.name.trim().is_empty() {
            out.push(Problem {
                part: Part::Document(i),
                column: "name",
                message: format!("เอกสารรายการที่ {n}: กรุณาระบุชื่อเอกสาร"),
            });
        }
        if !(1..=99).contains(&d.count) {
            out.push(Problem {
                part: Part::Document(i),
                column: "count",
                message: format!("เอกสารรายการที่ {n}: จำนวนต้องเป็น ๑ ถึง ๙๙ ฉบับ"),
            });
        }
    }
    for (i, f) in manual.fees.iter().enumerate() {
        let n = crate::thai::to_thai_digits(&(i + 1).to_string());
        if f.what.trim().is_empty() {
            out.push(Problem {
                part: Part::Fee(i),
                column: "what",
                message: format!("ค่าธรรมเนียมรายการที่ {n}: กรุณาระบุว่าเป็นค่าอะไร"),
            });
        }
        if f.satang < 0 {
            out.push(Problem {
                part: Part::Fee(i),
                column: "amount",
                message: format!("ค่าธรรมเนียมรายการที่ {n}: จำนวนเงินต้องไม่ติดลบ"),
            });
        }
    }
    out
}

/// Reads an amount of money as typed: "50", "1,250.50", "๕๐ บาท" → satang.
pub fn parse_baht(s: &str) -> Option<i64> {
    let s = crate::thai::to_arabic_digits(s.trim());
    let s = s.trim_end_matches("บาท").trim().replace(',', "");
    if s.is_empty() || s.starts_with('+') {
        return None;
    }
    let (whole, part) = s.split_once('.').unwrap_or((&s, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || part.len() > 2
        || !part.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = whole.parse().ok().filter(|w: &i64| *w < 1_000_000_000)?;
    let part: i64 = if part.is_empty() { 0 } else { format!("{part:0<2}").parse().ok()? };
    Some(whole * 100 + part)
}

/// Reads a whole number typed in either digit set ("๑๕", " 15 ").
pub fn parse_count(s: &str) -> Option<i64> {
    let s = crate::thai::to_arabic_digits(s.trim());
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::super::manual::{Document, DocumentKind, Step};
    use super::*;

    fn valid() -> Manual {
        Manual {
            name: "การขอใช้น้ำประปา".into(),
            division: "กองช่าง".into(),
            place: "อบต.".into(),
            hours: "จ.–ศ.".into(),
            steps: vec![Step {
                what: "รับคำขอ".into(),
                who: "งานประปา".into(),
                amount: 10,
                unit: TimeUnit::Minutes,
                at_counter: true,
            }],
            complaints: vec!["โทร ๐๕๔".into()],
            ..Manual::default()
        }
    }

    #[test]
    fn a_complete_manual_has_no_problem() {
        assert_eq!(check(&valid()), vec![]);
    }

    #[test]
    fn each_problem_names_its_item_and_column() {
        let mut m = valid();
        m.steps.push(Step {
            what: " ".into(),
            who: "x".into(),
            amount: 2,
            unit: TimeUnit::WorkingDays,
            at_counter: true,
        });
        m.documents.push(Document {
            name: "บัตรประชาชน".into(),
            kind: DocumentKind::Copy,
            count: 0,
            issued_by: String::new(),
        });
        let p = check(&m);
        let places: Vec<(Part, &str)> = p.iter().map(|p| (p.part, p.column)).collect();
        assert_eq!(places, [(Part::Step(1), "what"), (Part::Step(1), "counter"), (Part::Document(0), "count")]);
        assert!(p[0].message.starts_with("ขั้นตอนที่ ๒"), "{}", p[0].message);
    }

    #[test]
    fn a_manual_without_steps_or_complaint_channel_is_refused() {
        let mut m = valid();
        m.steps.clear();
        m.complaints = vec![" ".into()];
        let fields: Vec<&str> = check(&m).iter().map(|p| p.column).collect();
        assert_eq!(fields, ["steps", "complaints"]);
    }

    #[test]
    fn money_and_counts_are_read_in_either_digit_set() {
        assert_eq!(parse_baht("๕๐ บาท"), Some(5_000));
        assert_eq!(parse_baht("1,250.5"), Some(125_050));
        assert_eq!(parse_baht("0"), Some(0));
        assert_eq!(parse_baht("-5"), None);
        assert_eq!(parse_baht("12.345"), None);
        assert_eq!(parse_baht("ห้าสิบ"), None);
        assert_eq!(parse_count("๑๕"), Some(15));
        assert_eq!(parse_count("1.5"), None);
    }
}
