//! The O42 document as print-ready text, shared by the PDF and DOCX renderers: the title, the
//! assessed year's result and its indicator table, the chart's bars, the analysis (each indicator
//! below the mark or with issues written, and the failed OIT items), and the measures of year N.
//! Every string is final (digits converted, years written); renderers only lay it out.

use serde::{Deserialize, Serialize};

use crate::ita::analysis::{Analysis, IndicatorRow};
use crate::ita::scores::{PASS_MARK_X100, format_score};
use crate::measures::report::ReportSource;
use crate::thai::{Digits, format_int, format_year_be};

/// One bar of the chart: the indicator's number as printed and its score in hundredths.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bar {
    pub label: String,
    pub score: i64,
}

/// One indicator the analysis speaks of: a heading and its lines ("- " lines indented).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub heading: String,
    pub lines: Vec<String>,
}

/// "รายงานการวิเคราะห์ผลการประเมิน ITA ปี N-1 และมาตรการ … ปี N" of one organization.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnalysisDoc {
    pub title_lines: Vec<String>,
    pub org_name: String,
    /// [`crate::docs::report_data::DRAFT_MARK`] on a draft, `None` on a published version.
    pub draft_mark: Option<String>,
    pub result_heading: String,
    pub result_lines: Vec<String>,
    pub score_headers: Vec<String>,
    /// One row per indicator, 1 to 10, as many cells as headers.
    pub score_rows: Vec<Vec<String>>,
    pub chart_title: String,
    pub chart: Vec<Bar>,
    /// "เกณฑ์ ๘๕", written by the chart's line.
    pub pass_label: String,
    pub analysis_heading: String,
    pub findings: Vec<Finding>,
    pub measures_heading: String,
    pub measure_headers: Vec<String>,
    /// One row per measure of year N: title, indicators, methods, responsible, period.
    pub measure_rows: Vec<Vec<Vec<String>>>,
    pub footer: String,
    pub thai_digits: bool,
    /// The executive's approval, once published (see `measures::publication::rules::signature`).
    pub signature: Vec<String>,
    pub version_note: Option<String>,
}

/// The title's two lines.
pub fn title_lines(assessed_year: i64, measures_year: i64, digits: Digits) -> Vec<String> {
    let year = |y: i64| format_year_be(y as i32, digits);
    vec![
        "รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA)".to_string(),
        format!(
            "ประจำปีงบประมาณ พ.ศ. {} และมาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. {}",
            year(assessed_year),
            year(measures_year)
        ),
    ]
}

fn passed_th(score: i64) -> &'static str {
    if score >= PASS_MARK_X100 { "ผ่าน" } else { "ไม่ผ่าน" }
}

/// "+๒.๕๗", "-๑.๐๐", "๐.๐๐".
fn change_th(change: i64, digits: Digits) -> String {
    let sign = match change.signum() {
        1 => "+",
        -1 => "-",
        _ => "",
    };
    format!("{sign}{}", format_score(change.abs(), digits))
}

fn previous_score(row: &IndicatorRow, year: i64) -> Option<i64> {
    row.history.iter().find(|(y, _)| *y == year).map(|(_, s)| *s)
}

/// The O42 draft of `analysis` with the measures of `measures` (its year N).
pub fn build(analysis: &Analysis, measures: &ReportSource) -> AnalysisDoc {
    let digits = measures.digits();
    let score = |x: i64| format_score(x, digits);
    let year = |y: i64| format_year_be(y as i32, digits);
    let (assessed, n) = (analysis.assessed_year, analysis.measures_year);
    let mark = format_int(PASS_MARK_X100 / 100, digits);
    let result = &analysis.result;

    let mut result_lines = vec![format!(
        "คะแนนรวม {} คะแนน{} ผลการประเมิน{}เกณฑ์ ({mark} คะแนน)",
        score(result.total),
        if result.grade.is_empty() { String::new() } else { format!(" ระดับ {}", result.grade) },
        passed_th(result.total)
    )];
    let tools: Vec<String> = [("IIT", result.iit), ("EIT", result.eit), ("OIT", result.oit)]
        .into_iter()
        .filter_map(|(tool, s)| s.map(|s| format!("{tool} {}", score(s))))
        .collect();
    if !tools.is_empty() {
        result_lines.push(format!("คะแนนตามเครื่องมือการประเมิน: {}", tools.join(" · ")));
    }
    if let Some(previous) = analysis.previous_total {
        result_lines.push(format!(
            "ปีงบประมาณ พ.ศ. {} ได้ {} คะแนน (เปลี่ยนแปลง {})",
            year(assessed - 1),
            score(previous),
            change_th(result.total - previous, digits)
        ));
    }
    let averages: Vec<String> =
        [("ค่าเฉลี่ยระดับประเทศ", analysis.national_total), ("ค่าเฉลี่ยระดับจังหวัด", analysis.province_total)]
            .into_iter()
            .filter_map(|(what, s)| s.map(|s| format!("{what} {}", score(s))))
            .collect();
    if !averages.is_empty() {
        result_lines.push(averages.join(" · "));
    }

    let rows = &analysis.indicators;
    let has_previous = rows.iter().any(|r| previous_score(r, assessed - 1).is_some());
    let has_national = rows.iter().any(|r| r.national.is_some());
    let has_province = rows.iter().any(|r| r.province.is_some());
    let mut score_headers = vec!["ตัวชี้วัด".to_string(), "เครื่องมือ".into(), "คะแนน".into(), format!("ผลเทียบเกณฑ์ {mark}")];
    if has_previous {
        score_headers.push(format!("ปี {}", year(assessed - 1)));
        score_headers.push("เปลี่ยนแปลง".into());
    }
    if has_national {
        score_headers.push("เฉลี่ยประเทศ".into());
    }
    if has_province {
        score_headers.push("เฉลี่ยจังหวัด".into());
    }
    let or_dash = |s: Option<i64>| s.map_or_else(|| "–".to_string(), score);
    let score_rows = rows
        .iter()
        .map(|r| {
            let mut cells = vec![
                format!("{}. {}", format_int(r.number, digits), r.name_th),
                r.tool.to_string(),
                score(r.score),
                passed_th(r.score).to_string(),
            ];
            if has_previous {
                cells.push(or_dash(previous_score(r, assessed - 1)));
                cells.push(r.change.map_or_else(|| "–".to_string(), |c| change_th(c, digits)));
            }
            if has_national {
                cells.push(or_dash(r.national));
            }
            if has_province {
                cells.push(or_dash(r.province));
            }
            cells
        })
        .collect();

    AnalysisDoc {
        title_lines: title_lines(assessed, n, digits),
        org_name: measures.org.name.clone(),
        draft_mark: Some(crate::docs::report_data::DRAFT_MARK.to_string()),
        result_heading: format!("๑. ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. {}", year(assessed)),
        result_lines: result_lines.iter().map(|l| digits.apply(l)).collect(),
        score_headers,
        score_rows,
        chart_title: format!("คะแนนรายตัวชี้วัด ปีงบประมาณ พ.ศ. {} เทียบกับเกณฑ์ {mark} คะแนน", year(assessed)),
        chart: rows.iter().map(|r| Bar { label: format_int(r.number, digits), score: r.score }).collect(),
        pass_label: format!("เกณฑ์ {mark}"),
        analysis_heading: "๒. ผลการวิเคราะห์และประเด็นที่ต้องแก้ไข".to_string(),
        findings: findings(analysis, digits),
        measures_heading: format!("๓. มาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. {}", year(n)),
        measure_headers: ["มาตรการ/แนวทาง", "ตัวชี้วัดที่ตอบ", "วิธีดำเนินการ", "ผู้รับผิดชอบ", "ระยะเวลาดำเนินการ"]
            .map(String::from)
            .to_vec(),
        measure_rows: measure_rows(measures),
        footer: measures.org.name.clone(),
        thai_digits: digits == Digits::Thai,
        signature: Vec::new(),
        version_note: None,
    }
}

/// Each indicator below the mark, or with issues written, then the failed OIT items; a line
/// saying so when there is nothing to fix.
fn findings(analysis: &Analysis, digits: Digits) -> Vec<Finding> {
    let year = format_year_be(analysis.measures_year as i32, digits);
    let mut findings: Vec<Finding> = analysis
        .indicators
        .iter()
        .filter(|r| !r.passed || !r.issues.trim().is_empty())
        .map(|r| {
            let heading = format!(
                "ตัวชี้วัดที่ {} {}: {} คะแนน ({}เกณฑ์)",
                format_int(r.number, digits),
                r.name_th,
                format_score(r.score, digits),
                passed_th(r.score)
            );
            let mut lines = vec!["ประเด็นที่ต้องแก้ไข".to_string()];
            let issues: Vec<String> = r
                .issues
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| if l.starts_with('-') { l.to_string() } else { format!("- {l}") })
                .collect();
            if issues.is_empty() {
                lines.push("- ยังไม่ได้บันทึกประเด็นที่ต้องแก้ไข".into());
            }
            lines.extend(issues);
            if r.measures.is_empty() {
                lines.push(format!("ยังไม่มีมาตรการในปีงบประมาณ พ.ศ. {year} ที่ตอบตัวชี้วัดนี้"));
            } else {
                lines.push(format!("มาตรการปีงบประมาณ พ.ศ. {year} ที่ตอบตัวชี้วัดนี้"));
                lines.extend(r.measures.iter().map(|(_, title)| format!("- {title}")));
            }
            Finding { heading: digits.apply(&heading), lines: lines.iter().map(|l| digits.apply(l)).collect() }
        })
        .collect();
    if findings.is_empty() {
        let mark = format_int(PASS_MARK_X100 / 100, digits);
        findings.push(Finding {
            heading: format!("ทุกตัวชี้วัดได้คะแนนตั้งแต่ {mark} คะแนนขึ้นไป"),
            lines: vec!["มาตรการของปีถัดไปมุ่งรักษาระดับคะแนนของทุกตัวชี้วัด".into()],
        });
    }
    if !analysis.failed_oit_items.is_empty() {
        findings.push(Finding {
            heading: "ข้อการเปิดเผยข้อมูลสาธารณะ (OIT) ที่ไม่ผ่าน".into(),
            lines: analysis
                .failed_oit_items
                .iter()
                .map(|i| digits.apply(format!("- {} {}", i.code, i.title).trim_end()))
                .collect(),
        });
    }
    findings
}

/// The measures of year N: title, indicators answered, methods, responsible, period, as the
/// measures report prints them.
fn measure_rows(source: &ReportSource) -> Vec<Vec<Vec<String>>> {
    let digits = source.digits();
    let printed = source.to_doc();
    source
        .measures
        .iter()
        .zip(printed.rows)
        .map(|(m, row)| {
            let indicators = m
                .input
                .indicators
                .iter()
                .map(|n| {
                    let name = source.indicators.iter().find(|i| i.number == *n).map(|i| i.name_th.as_str());
                    format!("{} {}", format_int(*n, digits), name.unwrap_or_default()).trim_end().to_string()
                })
                .collect();
            vec![vec![digits.apply(m.input.title.trim())], indicators, row.methods, row.responsible, row.period]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_names_the_assessed_year_and_the_measures_year_in_the_organizations_digits() {
        let lines = title_lines(2565, 2566, Digits::Thai);
        assert!(lines[0].starts_with("รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส"));
        assert_eq!(lines[1], "ประจำปีงบประมาณ พ.ศ. ๒๕๖๕ และมาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำปีงบประมาณ พ.ศ. ๒๕๖๖");
        assert!(title_lines(2565, 2566, Digits::Arabic)[1].contains("พ.ศ. 2565"));
    }

    #[test]
    fn a_change_carries_its_sign_and_a_score_is_judged_against_85() {
        assert_eq!(change_th(257, Digits::Thai), "+๒.๕๗");
        assert_eq!(change_th(-100, Digits::Arabic), "-1.00");
        assert_eq!(change_th(0, Digits::Arabic), "0.00");
        assert_eq!(passed_th(8500), "ผ่าน");
        assert_eq!(passed_th(8499), "ไม่ผ่าน");
    }
}
