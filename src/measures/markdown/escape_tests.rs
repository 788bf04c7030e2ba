//! The writer's escapes hold in the whole cell it writes, not only in each text on its own: a
//! `<p …>` tag may start in one text (a title) and end in the next (an indicator's name).

use super::*;

fn one_measure(title: &str, indicators: Vec<IndicatorRef>) -> ParsedReport {
    ParsedReport {
        heading_lines: vec![],
        intro: String::new(),
        measures: vec![ParsedMeasure {
            line: 0,
            title: title.into(),
            indicators,
            methods: vec![],
            responsible: vec![],
            period: String::new(),
            results: vec![],
            outcomes: vec![],
        }],
    }
}

fn reads_back(report: &ParsedReport) {
    for thai_digits in [true, false] {
        let written = write(report, thai_digits);
        let mut again = parse(&written).expect("written report parses");
        for m in &mut again.measures {
            m.line = 0;
        }
        assert_eq!(&again, report, "{written}");
    }
}

#[test]
fn a_title_ending_in_p_before_an_indicator_whose_name_ends_in_gt_reads_back() {
    reads_back(&one_measure("<p", vec![IndicatorRef { number: 1, name: ">".into() }]));
}

#[test]
fn a_title_with_an_open_p_tag_closed_in_the_indicator_name_reads_back() {
    reads_back(&one_measure("<p x", vec![IndicatorRef { number: 3, name: "y>".into() }]));
}

#[test]
fn the_whole_reference_typed_inside_a_title_reads_back() {
    reads_back(&one_measure("<p (ตัวชี้วัดที่ 1 >)", vec![]));
}

#[test]
fn escaping_one_lt_does_not_turn_an_earlier_one_into_a_tag() {
    reads_back(&one_measure("<p <p x>", vec![]));
}

#[test]
fn escaping_a_br_does_not_turn_an_earlier_p_into_a_tag_in_any_cell() {
    let mut report = one_measure("ชื่อ", vec![]);
    report.measures[0].period = "<p <br>".into();
    report.measures[0].results = vec![Item { text: "<p x\n<br>".into(), numbered: false }];
    reads_back(&report);
}

#[test]
fn the_cell_as_typed_is_a_paragraph_tag_so_the_writer_escapes_the_lt() {
    let head = "| มาตรการ/แนวทาง | ก | ข | ค | ง | จ |\n|---|---|---|---|---|---|\n";
    let typed = parse(&format!("{head}| <p (ตัวชี้วัดที่ 1 >) | | | | | |\n")).unwrap();
    assert_eq!(typed.measures[0].title, ")");
    assert!(typed.measures[0].indicators.is_empty());

    let written = write(&one_measure("<p", vec![IndicatorRef { number: 1, name: ">".into() }]), false);
    assert!(written.contains("\n| &lt;p (ตัวชี้วัดที่ 1 >) |"), "{written}");
}
