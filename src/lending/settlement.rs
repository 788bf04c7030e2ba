//! Settlement of damage or loss on record (ข้อ 209: repair to the original state, replacement of
//! the same type, kind and quality, or payment of the value by the Ministry's criteria), and the
//! write-off (จำหน่ายออกจากบัญชี) of units that left the stock. Pure: the form's checks, money in
//! satang, and the lines printed on the pages and documents. The SQL is in `store_settlement.rs`.

use chrono::NaiveDate;

use super::loans::Loan;
use super::workflow::{Damage, Settlement, check_settlement};
use crate::thai::{Digits, format_date_medium, format_grouped, format_int, to_arabic_digits};

/// One field's problem, in Thai; `field` is the form input's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub message: String,
}

fn problem(field: &'static str, message: impl Into<String>) -> Problem {
    Problem { field, message: message.into() }
}

/// An amount typed in baht ("1,250.50", "๑๒๕๐", "1250 บาท") in satang; `Ok(None)` when empty.
pub fn parse_baht(raw: &str) -> Result<Option<i64>, String> {
    let cleaned: String = to_arabic_digits(raw.trim().trim_end_matches("บาท"))
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    let unreadable = || format!("จำนวนเงิน “{}” อ่านไม่ได้ พิมพ์เป็นตัวเลข เช่น 1,250.50", raw.trim());
    let (baht, satang) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let digits_only = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !digits_only(baht) || (!satang.is_empty() && !digits_only(satang)) || satang.len() > 2 || baht.len() > 12 {
        return Err(unreadable());
    }
    let satang = format!("{satang:0<2}").parse::<i64>().map_err(|_| unreadable())?;
    let baht = baht.parse::<i64>().map_err(|_| unreadable())?;
    Ok(Some(baht * 100 + satang))
}

/// Satang as "๑,๒๕๐.๕๐ บาท".
pub fn format_baht(satang: i64, digits: Digits) -> String {
    let cents = digits.apply(&format!("{:02}", satang.rem_euclid(100)));
    format!("{}.{cents} บาท", format_grouped(satang.div_euclid(100), digits))
}

/// A settlement as the officer records it, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettlementRecord {
    pub how: Settlement,
    /// Satang: the payment, or what a repair or a replacement cost when known.
    pub amount: Option<i64>,
    /// ใบเสร็จรับเงินเลขที่ (required for a payment).
    pub receipt: String,
    pub on: NaiveDate,
    pub note: String,
}

/// What the settlement form sent (the date already read; `None` = today).
#[derive(Clone, Debug, Default)]
pub struct SettlementForm {
    pub how: String,
    pub amount: String,
    pub receipt: String,
    pub on: Option<NaiveDate>,
    pub note: String,
}

/// Checks a settlement of `damage` found at a return completed on `returned_on`; lists every
/// problem by field.
pub fn check(
    form: &SettlementForm,
    damage: Damage,
    returned_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<SettlementRecord, Vec<Problem>> {
    let mut problems = Vec::new();
    let how = match Settlement::parse(&form.how) {
        None => {
            problems.push(problem("settlement", "กรุณาเลือกวิธีชดใช้"));
            None
        }
        Some(how) => match check_settlement(damage, how) {
            Ok(()) => Some(how),
            Err(e) => {
                problems.push(problem("settlement", e.message_th()));
                None
            }
        },
    };
    let amount = match parse_baht(&form.amount) {
        Ok(Some(0)) | Ok(None) if how == Some(Settlement::Pay) => {
            problems.push(problem("amount", "การชดใช้เป็นเงินต้องระบุจำนวนเงิน (บาท) ตามราคาที่หลักเกณฑ์กระทรวงการคลังกำหนด"));
            None
        }
        Ok(a) => a,
        Err(message) => {
            problems.push(problem("amount", message));
            None
        }
    };
    let receipt = form.receipt.trim().to_string();
    if how == Some(Settlement::Pay) && receipt.is_empty() {
        problems.push(problem("receipt", "การชดใช้เป็นเงินต้องระบุเลขที่ใบเสร็จรับเงิน"));
    }
    if receipt.chars().count() > 60 {
        problems.push(problem("receipt", "เลขที่ใบเสร็จรับเงินยาวเกิน ๖๐ ตัวอักษร"));
    }
    let on = form.on.unwrap_or(today);
    if on > today {
        problems.push(problem("on", format!("วันที่ {} ยังมาไม่ถึง บันทึกล่วงหน้าไม่ได้", format_date_medium(on, Digits::Thai))));
    } else if let Some(back) = returned_on.filter(|back| on < *back) {
        problems.push(problem("on", format!("วันที่ชดใช้ต้องไม่ก่อนวันรับคืนพัสดุ ({})", format_date_medium(back, Digits::Thai))));
    }
    match how {
        Some(how) if problems.is_empty() => {
            Ok(SettlementRecord { how, amount, receipt, on, note: form.note.trim().to_string() })
        }
        _ => Err(problems),
    }
}

/// A write-off as the officer records it, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteOffRecord {
    pub units: i64,
    pub on: NaiveDate,
    pub reason: String,
    /// The approval or order of the write-off (or the receipt of a payment).
    pub reference: String,
}

/// Checks a write-off form: units, a day not in the future, a reason and a reference.
pub fn check_write_off(
    units: &str,
    on: Option<NaiveDate>,
    reason: &str,
    reference: &str,
    today: NaiveDate,
) -> Result<WriteOffRecord, Vec<Problem>> {
    let mut problems = Vec::new();
    let units = match to_arabic_digits(units.trim()).replace(',', "").parse::<i64>() {
        Ok(n) if n >= 1 => n,
        _ => {
            problems.push(problem("units", "จำนวนที่จำหน่ายต้องเป็นจำนวนเต็มไม่น้อยกว่า ๑"));
            0
        }
    };
    let on = on.unwrap_or(today);
    if on > today {
        problems.push(problem("on", format!("วันที่ {} ยังมาไม่ถึง บันทึกล่วงหน้าไม่ได้", format_date_medium(on, Digits::Thai))));
    }
    if reason.trim().is_empty() {
        problems.push(problem("reason", "กรุณาระบุเหตุที่จำหน่าย เช่น สูญหาย ชำรุดจนซ่อมไม่ได้"));
    }
    if reference.trim().is_empty() {
        problems.push(problem("reference", "กรุณาระบุเลขที่หนังสืออนุมัติหรือคำสั่งจำหน่าย"));
    }
    if problems.is_empty() {
        Ok(WriteOffRecord { units, on, reason: reason.trim().into(), reference: reference.trim().into() })
    } else {
        Err(problems)
    }
}

/// The settlement of a loan in one line, as the pages and documents print it.
pub fn line_th(loan: &Loan, digits: Digits) -> Option<String> {
    let how = Settlement::parse(loan.settlement.as_deref()?)?;
    let mut parts = vec![how.label_th().to_string()];
    if let Some(amount) = loan.settlement_amount {
        parts.push(format!("จำนวนเงิน {}", format_baht(amount, digits)));
    }
    if !loan.settlement_receipt.is_empty() {
        parts.push(format!("ใบเสร็จรับเงินเลขที่ {}", digits.apply(&loan.settlement_receipt)));
    }
    if let Some(day) = loan.settlement_day {
        parts.push(format!("เมื่อวันที่ {}", format_date_medium(day, digits)));
    }
    if let Some(name) = &loan.settled_by_name {
        parts.push(format!("ผู้บันทึก {name}"));
    }
    if !loan.settlement_note.is_empty() {
        parts.push(format!("({})", loan.settlement_note));
    }
    Some(parts.join(" "))
}

/// The reason a write-off after a payment records.
pub fn paid_reason_th(loan: &Loan, digits: Digits) -> String {
    format!("{} ผู้ยืมชดใช้เป็นเงินแล้ว ตามคำขอยืมเลขที่ {}", loan.damage.label_th(), format_int(loan.id.0, digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    #[test]
    fn amounts_are_read_in_baht_and_kept_in_satang() {
        assert_eq!(parse_baht("1,250.50"), Ok(Some(125_050)));
        assert_eq!(parse_baht("๑,๒๕๐ บาท"), Ok(Some(125_000)));
        assert_eq!(parse_baht("0.5"), Ok(Some(50)));
        assert_eq!(parse_baht("  "), Ok(None));
        for bad in ["12.345", "-5", "หนึ่งร้อย", "1.2.3", "."] {
            assert!(parse_baht(bad).is_err(), "{bad}");
        }
        assert_eq!(format_baht(125_050, Digits::Thai), "๑,๒๕๐.๕๐ บาท");
        assert_eq!(format_baht(5, Digits::Arabic), "0.05 บาท");
    }

    #[test]
    fn a_payment_needs_an_amount_and_a_receipt_and_every_problem_names_its_field() {
        let form = SettlementForm { how: "pay".into(), on: Some(day(10)), ..Default::default() };
        let problems = check(&form, Damage::Lost, Some(day(12)), day(11)).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["amount", "receipt", "on"]);
        assert!(problems[2].message.contains("ไม่ก่อนวันรับคืน"));
        let form = SettlementForm {
            how: "pay".into(),
            amount: "3,500".into(),
            receipt: "12/2567".into(),
            ..Default::default()
        };
        let ok = check(&form, Damage::Lost, Some(day(1)), day(2)).unwrap();
        assert_eq!((ok.amount, ok.on), (Some(350_000), day(2)));
    }

    #[test]
    fn a_lost_item_cannot_be_settled_by_repair_and_a_repair_needs_no_receipt() {
        let repair = SettlementForm { how: "repair".into(), ..Default::default() };
        assert_eq!(check(&repair, Damage::Lost, None, day(2)).unwrap_err()[0].field, "settlement");
        assert!(check(&repair, Damage::Damaged, None, day(2)).is_ok());
        let none = SettlementForm::default();
        assert_eq!(check(&none, Damage::Damaged, None, day(2)).unwrap_err()[0].message, "กรุณาเลือกวิธีชดใช้");
    }

    #[test]
    fn a_write_off_needs_units_a_reason_and_a_reference() {
        let problems = check_write_off("0", Some(day(3)), "", "", day(2)).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["units", "on", "reason", "reference"]);
        let ok = check_write_off("๒", None, "ชำรุดซ่อมไม่ได้", "คำสั่งที่ 5/2569", day(2)).unwrap();
        assert_eq!((ok.units, ok.on), (2, day(2)));
    }
}
