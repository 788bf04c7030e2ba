//! The CSV file, one row per item so that Excel can edit it: the service, the heading the row
//! belongs to (หัวข้อ), its text, who (the officer of a step, the issuer of a document), a number
//! (minutes/hours/days of a step, copies of a document, baht of a fee), its unit and its kind
//! (a step done while the citizen waits, original or copy, a fee's note). Rows of a service keep
//! their order. Written with a byte-order mark and CRLF, as Excel reads Thai; read back also when
//! Excel or Word saved or pasted it: BOM or not, CRLF, tab-separated, Thai digits.

use super::{FileProblem, Parsed};
use crate::services::manual::{Document, DocumentKind, Fee, Manual, Step, TimeUnit, baht};
use crate::services::rules::{Part, parse_baht, parse_count};
use crate::thai::Digits;

const HEADER: [&str; 7] = ["งานบริการ", "หัวข้อ", "ข้อความ", "ผู้รับผิดชอบหรือผู้ออกเอกสาร", "จำนวน", "หน่วย", "ลักษณะ"];
const TEXT: usize = 2;
const WHO: usize = 3;
const NUMBER: usize = 4;
const UNIT: usize = 5;
const KIND: usize = 6;

const DIVISION: &str = "หน่วยงานที่รับผิดชอบ";
const LEGAL: &str = "กฎหมายที่ให้อำนาจ";
const PLACE: &str = "สถานที่ให้บริการ";
const HOURS: &str = "วันเวลาเปิดให้บริการ";
const CRITERIA: &str = "หลักเกณฑ์";
const STEP: &str = "ขั้นตอน";
const TIME_BASIS: &str = "ที่มาของระยะเวลา";
const DOCUMENT: &str = "เอกสาร";
const FEE: &str = "ค่าธรรมเนียม";
const COMPLAINT: &str = "ช่องทางร้องเรียน";
const REMARK: &str = "หมายเหตุ";
const AT_COUNTER: &str = "รอที่จุดบริการ";

pub fn write(manuals: &[Manual]) -> anyhow::Result<String> {
    let mut out = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    out.write_record(HEADER)?;
    for m in manuals {
        let mut row = |heading: &str, text: &str, who: &str, number: String, unit: &str, kind: &str| {
            out.write_record([m.name.as_str(), heading, text, who, number.as_str(), unit, kind])
        };
        row(DIVISION, &m.division, "", String::new(), "", "")?;
        for l in &m.legal_basis {
            row(LEGAL, l, "", String::new(), "", "")?;
        }
        row(PLACE, &m.place, "", String::new(), "", "")?;
        row(HOURS, &m.hours, "", String::new(), "", "")?;
        for l in &m.criteria {
            row(CRITERIA, l, "", String::new(), "", "")?;
        }
        for s in &m.steps {
            row(
                STEP,
                &s.what,
                &s.who,
                s.amount.to_string(),
                s.unit.label_th(),
                if s.at_counter { AT_COUNTER } else { "" },
            )?;
        }
        if !m.time_basis.is_empty() {
            row(TIME_BASIS, &m.time_basis, "", String::new(), "", "")?;
        }
        for d in &m.documents {
            row(DOCUMENT, &d.name, &d.issued_by, d.count.to_string(), "ฉบับ", d.kind.label_th())?;
        }
        for f in &m.fees {
            row(FEE, &f.what, "", baht(f.satang, Digits::Arabic).replace(',', ""), "บาท", &f.note)?;
        }
        for l in &m.complaints {
            row(COMPLAINT, l, "", String::new(), "", "")?;
        }
        for l in &m.remarks {
            row(REMARK, l, "", String::new(), "", "")?;
        }
    }
    let bytes = out.into_inner().map_err(|e| anyhow::anyhow!("writing CSV: {e}"))?;
    Ok(format!("\u{feff}{}", String::from_utf8(bytes)?))
}

/// Where each item of a manual came from: lines of its top fields and of each list item.
#[derive(Clone, Default)]
struct Lines {
    first: usize,
    fields: Vec<(&'static str, usize)>,
    steps: Vec<usize>,
    documents: Vec<usize>,
    fees: Vec<usize>,
}

fn column_name(part: Part, column: &str) -> &'static str {
    match (part, column) {
        (Part::Field("division"), _) => DIVISION,
        (Part::Field("place"), _) => PLACE,
        (Part::Field("hours"), _) => HOURS,
        (Part::Field("steps"), _) => STEP,
        (Part::Field("complaints"), _) => COMPLAINT,
        (Part::Field(_), _) => HEADER[0],
        (_, "what" | "name") => HEADER[TEXT],
        (_, "who") => HEADER[WHO],
        (_, "amount" | "count") => HEADER[NUMBER],
        (_, "counter") => HEADER[KIND],
        _ => HEADER[TEXT],
    }
}

impl Lines {
    fn place(&self, part: Part, column: &'static str) -> (usize, String) {
        let line = match part {
            Part::Field(f) => self.fields.iter().find(|(name, _)| *name == f).map_or(self.first, |(_, l)| *l),
            Part::Step(i) => self.steps.get(i).copied().unwrap_or(self.first),
            Part::Document(i) => self.documents.get(i).copied().unwrap_or(self.first),
            Part::Fee(i) => self.fees.get(i).copied().unwrap_or(self.first),
        };
        // A heading missing from the file is told as that heading, on the service's first line.
        let field = match part {
            Part::Field(f) if !self.fields.iter().any(|(name, _)| *name == f) => {
                format!("{} = {}", HEADER[1], column_name(part, column))
            }
            _ => column_name(part, column).to_string(),
        };
        (line, field)
    }
}

/// Tab-separated when the header row has tabs and no commas (cells copied from Excel and pasted).
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    if header.contains('\t') && !header.contains(',') { b'\t' } else { b',' }
}

pub(super) fn parse(text: &str) -> Result<Parsed, FileProblem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let problem = |line: usize, field: &str, message: String| FileProblem { line, field: field.to_string(), message };
    let mut manuals: Vec<(Manual, Lines)> = Vec::new();
    let mut header_seen = false;
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            problem(line, "", format!("อ่านแถวไม่ได้ ตรวจเครื่องหมายคำพูด (\") ให้ครบคู่ ({e})"))
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if !header_seen {
            let found: Vec<&str> = (0..HEADER.len()).map(cell).collect();
            if found != HEADER {
                return Err(problem(line, "", format!("แถวแรกต้องเป็นหัวตาราง: {}", HEADER.join(", "))));
            }
            header_seen = true;
            continue;
        }
        if record.len() > HEADER.len() && record.iter().skip(HEADER.len()).any(|c| !c.trim().is_empty()) {
            return Err(problem(line, "", format!("มีข้อมูลเกิน {} คอลัมน์", HEADER.len())));
        }
        let name = cell(0).split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(problem(line, HEADER[0], "กรุณาระบุชื่องานบริการ".into()));
        }
        let index = match manuals.iter().position(|(m, _)| m.name == name) {
            Some(i) => i,
            None => {
                let lines = Lines { first: line, ..Lines::default() };
                manuals.push((Manual { name, ..Manual::default() }, lines));
                manuals.len() - 1
            }
        };
        let (m, lines) = &mut manuals[index];
        let number = |what: &str| -> Result<i64, FileProblem> {
            parse_count(cell(NUMBER))
                .ok_or_else(|| problem(line, HEADER[NUMBER], format!("{what}ต้องเป็นจำนวนเต็ม (ได้ \"{}\")", cell(NUMBER))))
        };
        let once = |lines: &mut Lines, field: &'static str, heading: &str| -> Result<(), FileProblem> {
            if lines.fields.iter().any(|(f, _)| *f == field) {
                return Err(problem(line, HEADER[1], format!("หัวข้อ \"{heading}\" ระบุได้แถวเดียวต่องานบริการ")));
            }
            lines.fields.push((field, line));
            Ok(())
        };
        match cell(1) {
            DIVISION => {
                once(lines, "division", DIVISION)?;
                m.division = cell(TEXT).to_string();
            }
            PLACE => {
                once(lines, "place", PLACE)?;
                m.place = cell(TEXT).to_string();
            }
            HOURS => {
                once(lines, "hours", HOURS)?;
                m.hours = cell(TEXT).to_string();
            }
            TIME_BASIS => {
                once(lines, "time_basis", TIME_BASIS)?;
                m.time_basis = cell(TEXT).to_string();
            }
            LEGAL => m.legal_basis.push(cell(TEXT).to_string()),
            CRITERIA => m.criteria.push(cell(TEXT).to_string()),
            COMPLAINT => {
                lines.fields.retain(|(f, _)| *f != "complaints");
                lines.fields.push(("complaints", line));
                m.complaints.push(cell(TEXT).to_string());
            }
            REMARK => m.remarks.push(cell(TEXT).to_string()),
            STEP => {
                let unit = TimeUnit::parse(cell(UNIT)).ok_or_else(|| {
                    problem(
                        line,
                        HEADER[UNIT],
                        format!("หน่วยของเวลาต้องเป็น นาที ชั่วโมง หรือ วันทำการ (ได้ \"{}\")", cell(UNIT)),
                    )
                })?;
                let at_counter = match cell(KIND) {
                    "" => false,
                    AT_COUNTER => true,
                    other => {
                        return Err(problem(
                            line,
                            HEADER[KIND],
                            format!("ลักษณะของขั้นตอนต้องว่าง หรือเป็น \"{AT_COUNTER}\" (ได้ \"{other}\")"),
                        ));
                    }
                };
                let amount = number("ระยะเวลา")?;
                lines.steps.push(line);
                m.steps.push(Step { what: cell(TEXT).into(), who: cell(WHO).into(), amount, unit, at_counter });
            }
            DOCUMENT => {
                let kind = DocumentKind::parse(cell(KIND)).ok_or_else(|| {
                    problem(
                        line,
                        HEADER[KIND],
                        format!("ลักษณะของเอกสารต้องเป็น ฉบับจริง สำเนา หรือ ฉบับจริงพร้อมสำเนา (ได้ \"{}\")", cell(KIND)),
                    )
                })?;
                let count = number("จำนวนเอกสาร")?;
                lines.documents.push(line);
                m.documents.push(Document { name: cell(TEXT).into(), kind, count, issued_by: cell(WHO).into() });
            }
            FEE => {
                let satang = parse_baht(cell(NUMBER)).ok_or_else(|| {
                    problem(
                        line,
                        HEADER[NUMBER],
                        format!("ค่าธรรมเนียมต้องเป็นจำนวนเงินบาท เช่น 50 หรือ 12.50 (ได้ \"{}\")", cell(NUMBER)),
                    )
                })?;
                lines.fees.push(line);
                m.fees.push(Fee { what: cell(TEXT).into(), satang, note: cell(KIND).into() });
            }
            other => {
                let known =
                    [DIVISION, LEGAL, PLACE, HOURS, CRITERIA, STEP, TIME_BASIS, DOCUMENT, FEE, COMPLAINT, REMARK];
                return Err(problem(line, HEADER[1], format!("ไม่รู้จักหัวข้อ \"{other}\" (ใช้ได้: {})", known.join(", "))));
            }
        }
    }
    if !header_seen {
        return Err(problem(1, "", format!("ไฟล์ว่าง: แถวแรกต้องเป็นหัวตาราง {}", HEADER.join(", "))));
    }
    let mut parsed = Parsed { manuals: Vec::new(), places: Vec::new() };
    for (m, lines) in manuals {
        parsed.manuals.push(m.normalized());
        parsed.places.push(Box::new(move |part, column| lines.place(part, column)));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_pasted_from_excel_reads_with_tabs_crlf_and_thai_digits() {
        let text = format!(
            "\u{feff}{}\r\nก\tขั้นตอน\tรับคำขอ\tงานทะเบียน\t๑๕\tนาที\tรอที่จุดบริการ\r\nก\tค่าธรรมเนียม\tค่าคำขอ\t\t๕๐\tบาท\t\r\n",
            HEADER.join("\t")
        );
        let parsed = parse(&text).unwrap_or_else(|p| panic!("{p}"));
        let m = &parsed.manuals[0];
        assert_eq!(m.steps[0].amount, 15);
        assert!(m.steps[0].at_counter);
        assert_eq!(m.fees[0].satang, 5_000);
    }

    #[test]
    fn a_bad_unit_names_its_line_and_column() {
        let text = format!("{}\nก,ขั้นตอน,รับคำขอ,งานทะเบียน,15,นาที,\nก,ขั้นตอน,ตรวจ,งานทะเบียน,2,สัปดาห์,\n", HEADER.join(","));
        let Err(p) = parse(&text) else { panic!("accepted") };
        assert_eq!((p.line, p.field.as_str()), (3, "หน่วย"), "{p}");
    }
}
