//! The citizen manual of one service (คู่มือสำหรับประชาชน): the fields the Licensing Facilitation
//! Act B.E. 2558 s.7 requires (criteria, steps and time frame, documents) and the usual template's
//! others (legal basis, place and hours, fees, complaint channels, forms, remarks). Pure data:
//! stored as JSON in a draft and frozen in each published version.

use serde::{Deserialize, Serialize};

use crate::thai::{Digits, format_grouped, format_int};

/// One manual, every field as the office writes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manual {
    /// ชื่อกระบวนงาน
    pub name: String,
    /// หน่วยงานที่รับผิดชอบ: a division of the organization, by name.
    pub division: String,
    /// กฎหมายที่ให้อำนาจ, one act or rule a line.
    #[serde(default)]
    pub legal_basis: Vec<String>,
    /// สถานที่/ช่องทางการให้บริการ
    pub place: String,
    /// ระยะเวลาเปิดให้บริการ
    pub hours: String,
    /// หลักเกณฑ์ วิธีการ เงื่อนไข, one a line.
    #[serde(default)]
    pub criteria: Vec<String>,
    /// ขั้นตอน ระยะเวลา และส่วนงานที่รับผิดชอบ, in order.
    #[serde(default)]
    pub steps: Vec<Step>,
    /// Where the time standard comes from when it is not the law's: e.g. "มาตรฐานของสำนักงาน"
    /// (the office's own promise), or the law and section that set it.
    #[serde(default)]
    pub time_basis: String,
    /// รายการเอกสารหลักฐานประกอบ; none is printed "ไม่ต้องใช้เอกสาร".
    #[serde(default)]
    pub documents: Vec<Document>,
    /// ค่าธรรมเนียม; none is printed "ไม่มีค่าธรรมเนียม".
    #[serde(default)]
    pub fees: Vec<Fee>,
    /// ช่องทางการร้องเรียน, one a line.
    #[serde(default)]
    pub complaints: Vec<String>,
    /// หมายเหตุ, one a line.
    #[serde(default)]
    pub remarks: Vec<String>,
    /// แบบฟอร์ม: uploaded files (`service_forms` rows) the manual offers. Not part of the
    /// import/export files (a file's bytes are not in them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forms: Vec<FormRef>,
}

/// One step: what is done, by whom, how long it takes, and whether the citizen waits at the
/// counter meanwhile (those minutes are the standard the queue measures service against).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub what: String,
    pub who: String,
    pub amount: i64,
    pub unit: TimeUnit,
    #[serde(default)]
    pub at_counter: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    Minutes,
    Hours,
    WorkingDays,
}

/// The minutes of an official working day (08.30–16.30 less the lunch hour): a total that
/// mixes days and minutes is counted in working days with this.
pub const WORKING_DAY_MINUTES: i64 = 7 * 60;

impl TimeUnit {
    pub const ALL: [TimeUnit; 3] = [TimeUnit::Minutes, TimeUnit::Hours, TimeUnit::WorkingDays];

    pub fn code(self) -> &'static str {
        match self {
            TimeUnit::Minutes => "minutes",
            TimeUnit::Hours => "hours",
            TimeUnit::WorkingDays => "working_days",
        }
    }

    pub fn label_th(self) -> &'static str {
        match self {
            TimeUnit::Minutes => "นาที",
            TimeUnit::Hours => "ชั่วโมง",
            TimeUnit::WorkingDays => "วันทำการ",
        }
    }

    /// The unit by its code or its Thai word (forms and imported files use either).
    pub fn parse(s: &str) -> Option<TimeUnit> {
        let s = s.trim();
        TimeUnit::ALL.into_iter().find(|u| u.code() == s || u.label_th() == s).or(match s {
            "วัน" => Some(TimeUnit::WorkingDays),
            "ชม." => Some(TimeUnit::Hours),
            _ => None,
        })
    }
}

/// Whether a document is the original, a copy, or both must be shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Original,
    Copy,
    OriginalAndCopy,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 3] = [DocumentKind::Original, DocumentKind::Copy, DocumentKind::OriginalAndCopy];

    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::Original => "original",
            DocumentKind::Copy => "copy",
            DocumentKind::OriginalAndCopy => "original_and_copy",
        }
    }

    pub fn label_th(self) -> &'static str {
        match self {
            DocumentKind::Original => "ฉบับจริง",
            DocumentKind::Copy => "สำเนา",
            DocumentKind::OriginalAndCopy => "ฉบับจริงพร้อมสำเนา",
        }
    }

    pub fn parse(s: &str) -> Option<DocumentKind> {
        let s = s.trim();
        DocumentKind::ALL.into_iter().find(|k| k.code() == s || k.label_th() == s)
    }
}

/// A document the citizen brings: what, original or copy, how many, issued by whom.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub name: String,
    pub kind: DocumentKind,
    pub count: i64,
    #[serde(default)]
    pub issued_by: String,
}

/// A fee: what it is for and its amount in satang; `note` says more (a rate, an exemption).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fee {
    pub what: String,
    pub satang: i64,
    #[serde(default)]
    pub note: String,
}

/// An uploaded form the manual offers for download.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormRef {
    pub id: i64,
    pub title: String,
    pub file_name: String,
}

/// What a manual prints when a list is empty: the ITA asks for "none" to be said, never a blank.
pub const NO_FEE: &str = "ไม่มีค่าธรรมเนียม";
pub const NO_DOCUMENTS: &str = "ไม่ต้องใช้เอกสาร";

impl Step {
    pub fn minutes(&self) -> i64 {
        match self.unit {
            TimeUnit::Minutes => self.amount,
            TimeUnit::Hours => self.amount * 60,
            TimeUnit::WorkingDays => self.amount * WORKING_DAY_MINUTES,
        }
    }

    /// "๑๕ นาที", "๒ วันทำการ".
    pub fn time_th(&self, digits: Digits) -> String {
        format!("{} {}", format_int(self.amount, digits), self.unit.label_th())
    }
}

impl Fee {
    /// "๕๐ บาท", "๑๒.๕๐ บาท", "ไม่เสียค่าธรรมเนียม" for zero.
    pub fn amount_th(&self, digits: Digits) -> String {
        if self.satang == 0 {
            return "ไม่เสียค่าธรรมเนียม".into();
        }
        format!("{} บาท", baht(self.satang, digits))
    }
}

/// Satang as baht: "1,250" or "12.50", in `digits`.
pub fn baht(satang: i64, digits: Digits) -> String {
    let whole = format_grouped(satang / 100, digits);
    match satang % 100 {
        0 => whole,
        s => digits.apply(&format!("{whole}.{s:02}")),
    }
}

impl Document {
    /// "ฉบับจริง ๑ ฉบับ (ออกโดย สำนักทะเบียน)".
    pub fn amount_th(&self, digits: Digits) -> String {
        format!("{} {} ฉบับ", self.kind.label_th(), format_int(self.count, digits))
    }
}

impl Manual {
    /// The manual as stored: every text trimmed, line breaks as `\n`, blank lines of the lists
    /// dropped. Saving and importing store this form, so an export reads back exactly.
    pub fn normalized(mut self) -> Manual {
        let text = |s: &mut String| *s = s.replace("\r\n", "\n").replace('\r', "\n").trim().to_string();
        let lines = |v: &mut Vec<String>| {
            v.iter_mut().for_each(|l| *l = l.split_whitespace().collect::<Vec<_>>().join(" "));
            v.retain(|l| !l.is_empty());
        };
        for s in [&mut self.name, &mut self.division, &mut self.place, &mut self.hours, &mut self.time_basis] {
            text(s);
        }
        self.name = self.name.split_whitespace().collect::<Vec<_>>().join(" ");
        for v in [&mut self.legal_basis, &mut self.criteria, &mut self.complaints, &mut self.remarks] {
            lines(v);
        }
        for st in &mut self.steps {
            text(&mut st.what);
            text(&mut st.who);
        }
        for d in &mut self.documents {
            text(&mut d.name);
            text(&mut d.issued_by);
        }
        for f in &mut self.fees {
            text(&mut f.what);
            text(&mut f.note);
        }
        self
    }

    /// The minutes the citizen is served at the counter: the sum of the steps done while they
    /// wait; `None` when no step is (the whole service happens behind the counter).
    pub fn counter_minutes(&self) -> Option<i64> {
        let counter: Vec<&Step> = self.steps.iter().filter(|s| s.at_counter).collect();
        (!counter.is_empty()).then(|| counter.iter().map(|s| s.minutes()).sum())
    }

    /// The total time standard in words: minutes and hours when every step is shorter than a
    /// working day, otherwise working days (a part of a day counts as a whole one).
    pub fn total_th(&self, digits: Digits) -> String {
        let minutes: i64 = self.steps.iter().map(Step::minutes).sum();
        let in_days = self.steps.iter().any(|s| s.unit == TimeUnit::WorkingDays);
        duration_th(minutes, in_days, digits)
    }
}

/// `minutes` as an office writes a total: "๔๕ นาที", "๑ ชั่วโมง ๓๐ นาที", "๓ วันทำการ".
pub fn duration_th(minutes: i64, in_days: bool, digits: Digits) -> String {
    let n = |v: i64| format_int(v, digits);
    if in_days {
        let days = (minutes + WORKING_DAY_MINUTES - 1) / WORKING_DAY_MINUTES;
        return format!("{} วันทำการ", n(days));
    }
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{} นาที", n(m)),
        (h, 0) => format!("{} ชั่วโมง", n(h)),
        (h, m) => format!("{} ชั่วโมง {} นาที", n(h), n(m)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(amount: i64, unit: TimeUnit, at_counter: bool) -> Step {
        Step { what: "ตรวจ".into(), who: "เจ้าหน้าที่".into(), amount, unit, at_counter }
    }

    #[test]
    fn the_counter_standard_is_the_sum_of_the_steps_done_while_the_citizen_waits() {
        let mut m = Manual {
            steps: vec![
                step(10, TimeUnit::Minutes, true),
                step(1, TimeUnit::Hours, true),
                step(2, TimeUnit::WorkingDays, false),
            ],
            ..Manual::default()
        };
        assert_eq!(m.counter_minutes(), Some(70));
        m.steps.iter_mut().for_each(|s| s.at_counter = false);
        assert_eq!(m.counter_minutes(), None, "no step at the counter: no standard");
    }

    #[test]
    fn the_total_is_in_minutes_or_in_whole_working_days() {
        let short = Manual {
            steps: vec![step(15, TimeUnit::Minutes, true), step(1, TimeUnit::Hours, false)],
            ..Default::default()
        };
        assert_eq!(short.total_th(Digits::Thai), "๑ ชั่วโมง ๑๕ นาที");
        let long = Manual {
            steps: vec![step(30, TimeUnit::Minutes, true), step(2, TimeUnit::WorkingDays, false)],
            ..Default::default()
        };
        assert_eq!(long.total_th(Digits::Arabic), "3 วันทำการ", "half an hour more starts a third day");
        assert_eq!(duration_th(20, false, Digits::Arabic), "20 นาที");
    }

    #[test]
    fn fees_print_baht_and_satang_in_the_organizations_digits() {
        assert_eq!(baht(125_000, Digits::Thai), "๑,๒๕๐");
        assert_eq!(baht(1_250, Digits::Arabic), "12.50");
        assert_eq!(Fee { what: "x".into(), satang: 0, note: String::new() }.amount_th(Digits::Thai), "ไม่เสียค่าธรรมเนียม");
    }

    #[test]
    fn units_and_kinds_read_their_code_or_their_thai_word() {
        assert_eq!(TimeUnit::parse("วันทำการ"), Some(TimeUnit::WorkingDays));
        assert_eq!(TimeUnit::parse("minutes"), Some(TimeUnit::Minutes));
        assert_eq!(TimeUnit::parse("สัปดาห์"), None);
        assert_eq!(DocumentKind::parse("สำเนา"), Some(DocumentKind::Copy));
    }
}
