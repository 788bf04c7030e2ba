//! O43: the measures report of year N titled as a progress report of one round (six months or
//! the year), each measure's status and progress at the head of its results. The table, the PDF
//! and the DOCX are the measures report's own (`measures::report`, `docs::docx`).

use super::Round;
use crate::docs::MeasuresReportDoc;
use crate::measures::report::ReportSource;
use crate::thai::{Digits, FiscalYear, format_date_long, format_int, format_year_be};

/// The report's name, as the title's first line.
pub const TITLE: &str = "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน";

/// The days the round covers: from 1 October to 31 March, or to 30 September.
pub fn span_th(year: i64, round: Round, digits: Digits) -> String {
    let fiscal = FiscalYear::new(year as i32).ok();
    match fiscal {
        Some(fiscal) => {
            let end = match round {
                Round::SixMonths => fiscal.start() + chrono::Months::new(6) - chrono::Days::new(1),
                Round::Year => fiscal.end(),
            };
            format!("{} – {}", format_date_long(fiscal.start(), digits), format_date_long(end, digits))
        }
        None => String::new(),
    }
}

/// The progress report of `source`'s year for `round`.
pub fn doc(source: &ReportSource, round: Round) -> MeasuresReportDoc {
    let digits = source.digits();
    let year = format_year_be(source.year as i32, digits);
    let round_th = round.label_th(digits);
    let mut doc = source.to_doc();
    doc.cover_lines = vec![
        "รายงานผลการดำเนินการตามมาตรการ".to_string(),
        "ส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน".to_string(),
        format!("ของ{}", source.org.name),
        format!("ประจำปีงบประมาณ พ.ศ. {year} ({round_th})"),
    ];
    doc.heading_lines =
        vec![TITLE.to_string(), format!("ของ{}", source.org.name), format!("ประจำปีงบประมาณ พ.ศ. {year} ({round_th})")];
    doc.intro = digits.apply(&format!(
        "{}ได้กำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. {year} จากผลการวิเคราะห์ผลการประเมิน ITA ปีงบประมาณ พ.ศ. {prev} และขอรายงานผลการดำเนินการตามมาตรการ {round_th} ระหว่างวันที่ {span} ดังต่อไปนี้",
        source.org.name,
        prev = format_year_be(source.year as i32 - 1, digits),
        span = span_th(source.year, round, digits),
    ));
    for (row, measure) in doc.rows.iter_mut().zip(&source.measures) {
        let status = format!(
            "สถานะ: {} ความคืบหน้าร้อยละ {}",
            measure.input.status.label_th(),
            format_int(measure.input.progress, digits)
        );
        row.results.insert(0, status);
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_six_month_round_runs_from_october_to_march() {
        assert_eq!(span_th(2566, Round::SixMonths, Digits::Thai), "๑ ตุลาคม ๒๕๖๕ – ๓๑ มีนาคม ๒๕๖๖");
        assert_eq!(span_th(2566, Round::Year, Digits::Arabic), "1 ตุลาคม 2565 – 30 กันยายน 2566");
    }
}
