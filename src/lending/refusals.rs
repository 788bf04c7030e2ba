//! Why a request or a step of a loan is refused, in Thai: the item taken or short of units, the
//! reserve the lender keeps, a rule, a date, the units of a return, or the settlement's fields.

use chrono::NaiveDate;

use super::availability;
use super::documents::regulation::{Subject, clause_of};
use super::returns;
use super::rules::RequestError;
use super::workflow::{DateError, WorkflowError};

/// Why a request was refused; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestRefusal {
    NoSuchItem,
    NotLendable,
    Rules(Vec<RequestError>),
    /// Every unit has been written off.
    WrittenOff,
    /// Fewer units than asked for are free on some of these days; `unit`: how they are counted.
    Short {
        short: Short,
        unit: String,
    },
    /// Lending the units asked for would leave less than the lender keeps for its own needs.
    Reserved {
        on: NaiveDate,
        wanted: i64,
        free: i64,
        reserve: i64,
        unit: String,
        consumable: bool,
    },
    /// The number of units asked for is not a positive number.
    NoUnits,
}

/// Why not enough units are free: on which day, how many, and one loan holding some.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Short {
    pub on: NaiveDate,
    pub wanted: i64,
    pub free: i64,
    pub on_hand: i64,
    pub by: Option<availability::Holder>,
}

impl RequestRefusal {
    pub fn message_th(&self) -> String {
        match self {
            RequestRefusal::NoSuchItem => "ไม่พบพัสดุนี้".into(),
            RequestRefusal::NotLendable => "พัสดุนี้ไม่เปิดให้ยืม".into(),
            RequestRefusal::Rules(errors) => errors.iter().map(|e| e.message_th()).collect::<Vec<_>>().join(" · "),
            RequestRefusal::WrittenOff => "พัสดุนี้จำหน่ายออกจากบัญชีแล้ว ไม่มีให้ยืม".into(),
            RequestRefusal::NoUnits => "จำนวนที่ขอยืมต้องเป็นจำนวนเต็มไม่น้อยกว่า ๑".into(),
            RequestRefusal::Short { short, unit } => short_message(short, unit),
            RequestRefusal::Reserved { on, wanted, free, reserve, unit, consumable } => format!(
                "วันที่ {} ให้ยืมได้ไม่เกิน {} {unit} แต่ขอยืม {} {unit}: หน่วยงานต้องเหลือไว้ใช้ในราชการ {} {unit}{}",
                thai_date(*on),
                thai_int(*free),
                thai_int(*wanted),
                thai_int(*reserve),
                if *consumable {
                    // The clause on consumables: lent only when the lender has enough without harm.
                    format!(
                        " ({} ให้ยืมวัสดุสิ้นเปลืองได้เฉพาะเมื่อหน่วยงานผู้ให้ยืมมีพอให้ยืมโดยไม่เสียหายแก่ราชการของตน)",
                        clause_of(Subject::ConsumablesBetweenAgencies)
                    )
                } else {
                    String::new()
                }
            ),
        }
    }
}

fn thai_date(d: NaiveDate) -> String {
    crate::thai::format_date_medium(d, crate::thai::Digits::Thai)
}

fn thai_int(n: i64) -> String {
    crate::thai::format_int(n, crate::thai::Digits::Thai)
}

/// "Taken" for an item of one unit (named by the loan holding it); "only n of m free" otherwise.
fn short_message(s: &Short, unit: &str) -> String {
    let holder = s.by.map(|h| {
        let until = match h.until {
            Some(u) => format!(" ถึง {}", thai_date(u)),
            None => " จนกว่าจะส่งคืน".into(),
        };
        format!("คำขอเลขที่ {} ตั้งแต่ {}{until}", h.loan.0, thai_date(h.from))
    });
    if s.on_hand == 1 && s.wanted == 1 {
        let (loan, from, until) = match s.by {
            Some(h) => (h.loan.0, h.from, h.until),
            None => (0, s.on, None),
        };
        return format!(
            "พัสดุนี้ถูกยืมหรือจองแล้ว (คำขอเลขที่ {loan}) ตั้งแต่ {}{} ซึ่งทับกับช่วงวันที่ขอยืม",
            thai_date(from),
            match until {
                Some(u) => format!(" ถึง {}", thai_date(u)),
                None => " จนกว่าจะส่งคืน".into(),
            }
        );
    }
    format!(
        "วันที่ {} มีพัสดุนี้ว่างให้ยืมเพียง {} {unit} จากทั้งหมด {} {unit} แต่ขอยืม {} {unit}{}",
        thai_date(s.on),
        thai_int(s.free),
        thai_int(s.on_hand),
        thai_int(s.wanted),
        holder.map(|h| format!(" (ถูกยืมหรือจองแล้ว เช่น {h})")).unwrap_or_default()
    )
}

/// Why a step was refused; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepRefusal {
    Workflow(WorkflowError),
    /// The date given for the hand-over or the return is outside what the loan allows.
    Date(DateError),
    /// The item is no longer free or lendable for this loan.
    Item(RequestRefusal),
    /// The units given for a return; `unit`: how they are counted.
    Units {
        error: returns::ReturnError,
        unit: String,
    },
    /// Fields of the settlement form, each with its problem.
    Settlement(Vec<super::settlement::Problem>),
}

impl StepRefusal {
    pub fn message_th(&self) -> String {
        match self {
            StepRefusal::Workflow(e) => e.message_th(),
            StepRefusal::Date(e) => e.message_th(),
            StepRefusal::Item(r) => r.message_th(),
            StepRefusal::Units { error, unit } => error.message_th(unit),
            StepRefusal::Settlement(problems) => {
                problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join(" · ")
            }
        }
    }
}
