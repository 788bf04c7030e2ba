//! Reads an ITA result from a file or from text copied off the ITAS result page.
//!
//! One item per line: a name and a value, separated by a comma, a tab, or (text pasted from a
//! web page) spaces before the value. Names, in Thai or English, with either digits:
//! - `คะแนนรวม` / `total`; `ระดับ` / `ผลการประเมิน` / `grade` (a level such as A or a label such as ผ่านดี);
//! - `IIT`, `EIT`, `OIT`: the tools' scores;
//! - `1` … `10`, or `ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่`: the indicators (all ten are required);
//! - `i1`, `e3`: IIT/EIT questions; `O1` … `O43`: OIT items, passed (ผ่าน, 100, มี, pass) or failed
//!   (ไม่ผ่าน, 0, ไม่มี, fail).
//!
//! A header line, blank lines and lines starting with `#` are skipped. Every problem is named by
//! its line, and a file with any problem is refused whole (nothing is stored).
//! The ITAS page's exact layout is unconfirmed (shared/notes/ita.md §4.1); the reader therefore
//! takes the last field of a line as its value and recognises the name by its leading words.

use super::scores::{ItaResult, Source};
use crate::thai::digits::to_arabic_digits;

/// A problem of the file, in Thai, with its line (None: the file as a whole).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub line: Option<usize>,
    pub message_th: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "บรรทัดที่ {line} (line {line}): {}", self.message_th),
            None => write!(f, "{}", self.message_th),
        }
    }
}

fn at(line: usize, message: impl Into<String>) -> Problem {
    Problem { line: Some(line), message_th: message.into() }
}

/// What a line's name says it is.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Key {
    Total,
    Grade,
    Tool(usize),
    Indicator(usize),
    Question(String),
    OitItem(String),
    Header,
}

/// Reads `bytes` (UTF-8, or Windows-874 as Thai Excel saves CSV) into the result of `year`.
pub fn read(bytes: &[u8], year: i64, source: Source) -> Result<ItaResult, Vec<Problem>> {
    let text = crate::measures::import::text::decode(bytes)
        .map(|(text, _)| text)
        .map_err(|p| vec![Problem { line: p.line, message_th: p.message_th }])?;
    parse(&text, year, source)
}

/// Reads the text of a result; every problem found, by line.
pub fn parse(text: &str, year: i64, source: Source) -> Result<ItaResult, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut total = None;
    let mut grade = String::new();
    let mut tools: [Option<i64>; 3] = [None; 3];
    let mut indicators: [Option<(i64, usize)>; 10] = [None; 10];
    let mut questions: Vec<(String, i64)> = Vec::new();
    let mut oit_items: Vec<(String, bool)> = Vec::new();
    let mut seen: Vec<(Key, usize)> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let number = index + 1;
        let line = raw.trim().trim_start_matches('\u{feff}');
        if line.is_empty() || line.starts_with('#') || line.chars().all(|c| c == ',' || c == ';' || c.is_whitespace()) {
            continue;
        }
        let (name, value) = split(line);
        let Some(key) = key_of(&name) else {
            problems.push(at(
                number,
                format!("ไม่รู้จักรายการ “{}” (ใช้ คะแนนรวม ระดับ IIT EIT OIT ตัวชี้วัด 1–10 i1 e1 หรือ O1)", name),
            ));
            continue;
        };
        if key == Key::Header {
            continue;
        }
        if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
            problems.push(at(number, format!("“{name}” ซ้ำกับบรรทัด {first}")));
            continue;
        }
        seen.push((key.clone(), number));
        if value.is_empty() {
            problems.push(at(number, format!("“{name}” ไม่มีค่า")));
            continue;
        }
        match key {
            Key::Grade => grade = value.chars().take(40).collect(),
            Key::OitItem(code) => match passed(&value) {
                Some(p) => oit_items.push((code, p)),
                None => {
                    problems.push(at(number, format!("ผลของ {code} “{value}” อ่านไม่ได้ (ใช้ ผ่าน หรือ ไม่ผ่าน, 100 หรือ 0)")))
                }
            },
            key => match score(&value) {
                Err(message) => problems.push(at(number, format!("คะแนนของ “{name}” {message}"))),
                Ok(s) => match key {
                    Key::Total => total = Some(s),
                    Key::Tool(i) => tools[i] = Some(s),
                    Key::Indicator(i) => indicators[i - 1] = Some((s, number)),
                    Key::Question(code) => questions.push((code, s)),
                    _ => {}
                },
            },
        }
    }
    if seen.is_empty() && problems.is_empty() {
        return Err(vec![Problem { line: None, message_th: "ไฟล์ไม่มีคะแนน".into() }]);
    }
    let missing: Vec<String> =
        indicators.iter().enumerate().filter(|(_, s)| s.is_none()).map(|(i, _)| (i + 1).to_string()).collect();
    if !missing.is_empty() && problems.is_empty() {
        problems.push(Problem {
            line: None, message_th: format!("ไม่มีคะแนนของตัวชี้วัดที่ {}", missing.join(", "))
        });
    }
    if total.is_none() && problems.is_empty() {
        problems.push(Problem {
            line: None, message_th: "ไม่มีคะแนนรวม (บรรทัด “คะแนนรวม”)".into()
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let total = total.unwrap_or_default();
    if grade.is_empty() {
        grade = super::grade_of(year, total).unwrap_or_default();
    }
    Ok(ItaResult {
        fiscal_year: year,
        total,
        grade,
        iit: tools[0],
        eit: tools[1],
        oit: tools[2],
        indicators: indicators.iter().map(|s| s.map(|(score, _)| score).unwrap_or_default()).collect(),
        questions,
        oit_items,
        source,
    })
}

/// The name and the value of a line: CSV fields (the last non-empty one is the value), or text
/// whose last word is the value.
fn split(line: &str) -> (String, String) {
    let fields: Vec<String> = if line.contains(',') || line.contains('\t') || line.contains(';') {
        csv_fields(line)
    } else {
        match line.rsplit_once(char::is_whitespace) {
            Some((name, value)) => vec![name.trim().to_string(), value.trim().to_string()],
            None => vec![line.to_string()],
        }
    };
    let mut fields: Vec<String> = fields.into_iter().map(|f| f.trim().to_string()).collect();
    while fields.len() > 1 && fields.last().is_some_and(|f| f.is_empty()) {
        fields.pop();
    }
    match fields.len() {
        0 => (String::new(), String::new()),
        1 => (fields.remove(0), String::new()),
        _ => {
            let value = fields.pop().unwrap_or_default();
            (fields.join(" ").trim().to_string(), value)
        }
    }
}

/// The fields of one CSV line (comma, tab or semicolon; double quotes as Excel writes them).
fn csv_fields(line: &str) -> Vec<String> {
    let delimiter = if line.contains('\t') {
        b'\t'
    } else if line.contains(',') {
        b','
    } else {
        b';'
    };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).delimiter(delimiter).flexible(true).from_reader(line.as_bytes());
    match reader.records().next() {
        Some(Ok(record)) => record.iter().map(str::to_string).collect(),
        _ => vec![line.to_string()],
    }
}

fn key_of(name: &str) -> Option<Key> {
    let plain = to_arabic_digits(name).trim().trim_end_matches(':').trim().to_string();
    let lower = plain.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let first = words.first().copied().unwrap_or("");
    match lower.as_str() {
        "คะแนนรวม" | "รวม" | "total" | "คะแนน ita" | "ita" | "คะแนนรวม ita" | "ผลคะแนนรวม" =>
        {
            return Some(Key::Total);
        }
        "ระดับ" | "grade" | "level" | "ผลการประเมิน" | "ระดับผลการประเมิน" | "ระดับคะแนน" =>
        {
            return Some(Key::Grade);
        }
        "iit" => return Some(Key::Tool(0)),
        "eit" => return Some(Key::Tool(1)),
        "oit" => return Some(Key::Tool(2)),
        "รายการ" | "item" | "ตัวชี้วัด" | "name" | "หัวข้อ" => {
            return Some(Key::Header);
        }
        _ => {}
    }
    // "ตัวชี้วัดที่ 4 การใช้ทรัพย์สินของราชการ", "ตัวชี้วัดที่4", "indicator 4", "4"
    let after = lower
        .strip_prefix("ตัวชี้วัดที่")
        .or_else(|| lower.strip_prefix("ตัวชี้วัด"))
        .or_else(|| lower.strip_prefix("indicator"))
        .unwrap_or(&lower)
        .trim_start();
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() {
        let rest = after[digits.len()..].trim_start();
        let named = lower != after || rest.is_empty() || !rest.starts_with(|c: char| c.is_ascii_alphanumeric());
        if let Ok(n @ 1..=10) = digits.parse::<usize>()
            && named
            && !rest.starts_with('.')
        {
            return Some(Key::Indicator(n));
        }
        return None;
    }
    let code = |prefix: char| {
        let digits = first.strip_prefix(prefix)?;
        (!digits.is_empty() && digits.len() <= 3 && digits.chars().all(|c| c.is_ascii_digit()))
            .then(|| format!("{prefix}{}", digits.trim_start_matches('0')))
    };
    if let Some(c) = code('o') {
        return Some(Key::OitItem(c.replacen('o', "O", 1)));
    }
    if let Some(c) = code('i') {
        return Some(Key::Question(c));
    }
    code('e').map(Key::Question)
}

/// A score typed on a form (0–100, at most two decimals, either digits), in hundredths; the
/// error says why not, in Thai.
pub fn parse_score(value: &str) -> Result<i64, String> {
    score(value.trim())
}

/// A score 0–100 with at most two decimals, in hundredths.
fn score(value: &str) -> Result<i64, String> {
    let plain = to_arabic_digits(value).replace(' ', "");
    let plain = plain.trim_end_matches('%');
    let (whole, fraction) = plain.split_once('.').unwrap_or((plain, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || whole.len() > 3 {
        return Err(format!("“{value}” ไม่ใช่ตัวเลข"));
    }
    if fraction.len() > 2 {
        return Err(format!("“{value}” มีทศนิยมเกิน ๒ ตำแหน่ง"));
    }
    let x100 =
        whole.parse::<i64>().unwrap_or(i64::MAX / 1000) * 100 + format!("{fraction:0<2}").parse::<i64>().unwrap_or(0);
    if x100 > 10_000 {
        return Err(format!("“{value}” เกิน 100"));
    }
    Ok(x100)
}

fn passed(value: &str) -> Option<bool> {
    let v = to_arabic_digits(value).trim().to_lowercase();
    match v.as_str() {
        "ผ่าน" | "100" | "100.00" | "มี" | "pass" | "passed" | "yes" | "1" | "✓" | "✔" => Some(true),
        "ไม่ผ่าน" | "0" | "0.00" | "ไม่มี" | "fail" | "failed" | "no" | "✗" | "✘" | "-" => {
            Some(false)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "รายการ,คะแนน\nคะแนนรวม,87.57\nระดับ,A\nIIT,27.10\n1,92.45\n2,88\n3,90.10\n4,81.20\n5,86.00\n6,84.3\n7,79.50\n8,83.33\n9,93.00\n10,76.25\ni1,90.5\nO12,ไม่ผ่าน\nO1,ผ่าน\n";

    #[test]
    fn a_csv_file_reads_into_hundredths() {
        let r = parse(GOOD, 2565, Source::Csv).unwrap();
        assert_eq!(r.total, 8757);
        assert_eq!(r.grade, "A");
        assert_eq!(r.iit, Some(2710));
        assert_eq!(r.indicators, vec![9245, 8800, 9010, 8120, 8600, 8430, 7950, 8333, 9300, 7625]);
        assert_eq!(r.questions, vec![("i1".to_string(), 9050)]);
        assert_eq!(r.oit_items, vec![("O12".to_string(), false), ("O1".to_string(), true)]);
    }

    #[test]
    fn text_pasted_from_the_itas_page_reads_too() {
        let text = "คะแนนรวม ๘๗.๕๗\nระดับผลการประเมิน ผ่าน\n\
            ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่\t92.45\nตัวชี้วัดที่ 2 การใช้งบประมาณ 88.00\nตัวชี้วัดที่ 3 การใช้อำนาจ 90.10\n\
            ตัวชี้วัดที่ 4 การใช้ทรัพย์สินของราชการ 81.20\nตัวชี้วัดที่ 5 การแก้ไขปัญหาการทุจริต 86.00\n\
            ตัวชี้วัดที่ 6 คุณภาพการดำเนินงาน 84.30\nตัวชี้วัดที่ 7 ประสิทธิภาพการสื่อสาร 79.50\n\
            ตัวชี้วัดที่ 8 การปรับปรุงระบบการทำงาน 83.33\nตัวชี้วัดที่ 9 การเปิดเผยข้อมูล 93.00\n\
            ตัวชี้วัดที่ 10 การป้องกันการทุจริต 76.25\nO12 รายงานผลการดำเนินงานประจำปี ไม่ผ่าน\n";
        let r = parse(text, 2565, Source::Itas).unwrap();
        assert_eq!(r.total, 8757);
        assert_eq!(r.grade, "ผ่าน");
        assert_eq!(r.indicator(4), Some(8120));
        assert_eq!(r.indicator(10), Some(7625));
        assert_eq!(r.oit_items, vec![("O12".to_string(), false)]);
    }

    #[test]
    fn every_wrong_line_is_named_and_nothing_is_read() {
        let text = GOOD.replace("4,81.20", "4,81.2x").replace("7,79.50", "7,179.50").replace("i1,90.5", "x9,90.5")
            + "3,91\ne2,83.333\nO2,maybe\n";
        let problems = parse(&text, 2565, Source::Csv).unwrap_err();
        let lines: Vec<_> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![Some(8), Some(11), Some(15), Some(18), Some(19), Some(20)], "{problems:?}");
        assert!(problems[0].message_th.contains("ไม่ใช่ตัวเลข"), "{}", problems[0]);
        assert!(problems[1].message_th.contains("เกิน 100"));
        assert!(problems[2].message_th.contains("ไม่รู้จักรายการ “x9”"));
        assert!(problems[3].message_th.contains("ซ้ำกับบรรทัด 7"), "{}", problems[3]);
        assert!(problems[4].message_th.contains("ทศนิยม"));
        assert!(problems[5].to_string().starts_with("บรรทัดที่ 20 (line 20): ผลของ O2"));
    }

    #[test]
    fn a_file_cut_short_names_the_missing_indicators() {
        let cut: String = GOOD.lines().take(8).map(|l| format!("{l}\n")).collect();
        let problems = parse(&cut, 2565, Source::Csv).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, None);
        assert!(problems[0].message_th.contains("5, 6, 7, 8, 9, 10"), "{}", problems[0]);
        assert!(parse("", 2565, Source::Csv).is_err());
    }

    #[test]
    fn a_file_without_a_level_gets_the_years_band_where_the_year_has_bands() {
        let text = GOOD.replace("ระดับ,A\n", "");
        assert_eq!(parse(&text, 2565, Source::Csv).unwrap().grade, "A");
        assert_eq!(parse(&text, 2567, Source::Csv).unwrap().grade, "");
    }

    #[test]
    fn an_excel_csv_in_windows_874_with_quotes_and_crlf_reads() {
        let text = GOOD.replace("คะแนนรวม,87.57", "\"คะแนนรวม\",\"87.57\"").replace('\n', "\r\n");
        let (bytes, _, bad) = encoding_rs::WINDOWS_874.encode(&text);
        assert!(!bad);
        let r = read(&bytes, 2565, Source::Csv).unwrap();
        assert_eq!(r.total, 8757);
    }
}
