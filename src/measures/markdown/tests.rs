use super::*;
use proptest::prelude::*;

fn n(text: &str) -> Item {
    Item { text: text.to_string(), numbered: true }
}

fn u(text: &str) -> Item {
    Item { text: text.to_string(), numbered: false }
}

fn strings(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|l| l.to_string()).collect()
}

fn zero_lines(mut report: ParsedReport) -> ParsedReport {
    for m in &mut report.measures {
        m.line = 0;
    }
    report
}

fn seed() -> ParsedReport {
    parse(SEED).expect("the seed parses")
}

#[test]
fn the_seed_heading_is_the_bold_block_and_the_intro_the_paragraph_before_the_table() {
    let report = seed();
    assert_eq!(
        report.heading_lines,
        strings(&[
            "รายงานผลการดำเนินการมาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใส",
            "ขององค์การบริหารส่วนตำบลแม่คะตวน",
            "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖",
        ])
    );
    assert_eq!(
        report.intro,
        "ตามที่ได้ดำเนินการวิเคราะห์ผลการประเมิน ITA ขององค์การบริหารส่วนตำบลแม่คะตวน ปีงบประมาณ พ.ศ. ๒๕๖๕ และได้กำหนดมาตรการ/แนวทางในการส่งเสริมคุณธรรมและความโปร่งใสขององค์กรปกครองส่วนท้องถิ่นในปีงบประมาณ พ.ศ. ๒๕๖๖ โดยได้มีการดำเนินการขับเคลื่อนมาตรการส่งเสริมคุณธรรมและความโปร่งใสขององค์กรปกครองส่วนท้องถิ่น ประจำปีงบประมาณ พ.ศ.๒๕๖๖ ดังต่อไปนี้"
    );
}

#[test]
fn the_seed_has_three_measures_with_continuation_rows_merged() {
    assert_eq!(seed().measures.len(), 3);
}

#[test]
fn the_seed_first_measure_keeps_its_sub_lines_and_responsible_lines() {
    let m = &seed().measures[0];
    let expected = ParsedMeasure {
        line: 18,
        title: "จัดทำคู่มือมาตรฐานการปฏิบัติงาน".into(),
        indicators: vec![IndicatorRef {
            number: 4, name: "การใช้ทรัพย์สินของราชการ".into()
        }],
        methods: vec![
            n("จัดทำคู่มือมาตรฐานการปฏิบัติงาน โดยระบุขั้นตอนและแนวทางในการยืมทรัพย์สินของทางราชการ"),
            n("ประชาสัมพันธ์คู่มือหรือแนวทางดังกล่าวให้บุคลากรถือปฏิบัติอย่างเคร่งครัด"),
            n("กำชับให้ผู้บุคลากรภายในหน่วยงานมีการขออนุญาตในการยืมทรัพย์สินอย่างถูกต้อง"),
            n("เผยแพร่คู่มือ ผ่าน\n- เว็บไซต์ อบต.\n- เฟสบุ๊ก\n- แอปพลิเคชันไลน์"),
        ],
        responsible: strings(&["กองคลัง", "- เจ้าหน้าที่ผู้รับผิดชอบงานพัสดุ"]),
        period: "มี.ค. – เม.ย. ๒๕๖๖".into(),
        results: vec![
            n("มีคู่มือมาตรฐานการปฏิบัติงานการยืมทรัพย์สินของทางราชการ"),
            n("ประชาสัมพันธ์คู่มือให้บุคลากรในหน่วยงานทราบผ่านทางแอปพลิเคชันไลน์"),
        ],
        outcomes: vec![n("การยืมทรัพย์สินเป็นไปด้วยความเรียบร้อยตามคู่มือมาตรฐานการปฏิบัติงานการยืม")],
    };
    assert_eq!(m, &expected);
}

#[test]
fn the_seed_second_measure_takes_item_four_from_the_next_table() {
    let m = &seed().measures[1];
    let expected = ParsedMeasure {
        line: 19,
        title: "กำกับติดตามการทำงานของผู้บริหารของหน่วยงานว่ามี การติดต่อปฏิบัติงาน และให้บริการแก่ประชาชนเป็นไปตามขั้นตอนและระยะเวลาที่กำหนด ให้บริการประชาชนอย่างเท่าเทียมกันโดยไม่เลือกปฏิบัติ ทำงานอย่างตรงไปตรงมา ไม่ปิดบังหรือบิดเบือนข้อมูล ส่งเสริมการทำงานที่คำนึงถึงประโยชน์ของประชาชนและส่วนรวมเป็นหลัก".into(),
        indicators: vec![IndicatorRef {
            number: 6,
            name: "คุณภาพการดำเนินงาน".into(),
        }],
        methods: vec![
            n("มีระบบให้บริการที่เท่าเทียมกัน เช่น การจัดให้มีบัตรคิดในการมารับบริการ"),
            n("การให้ความรู้เจ้าหน้าที่เกี่ยวกับการแยกแยะประโยชน์ส่วนตนและส่วนรวม เช่นการจัดทำในรูปแบบคู่มือ"),
            n("จัดทำคู่มือสำหรับประชาชนในรูปแบบอิเล็กทรอนิกส์ โดยเผยแพร่ประชาสัมพันธ์ให้บุคลากรและประชาชนทราบผ่านระบบสารสนเทศ และช่องทางที่หลากหลาย เช่นบนเว็บไซต์หลักขององค์กร"),
            n("จัดทำแผนผังแสดงขั้นตอน / ระยะเวลา การให้บริการประชาชน และระบุผู้รับผิดชอบงาน ให้บริการ โดยเผยแพร่ ประชาสัมพันธ์ ให้ประชาชนทราบผ่านช่องทางที่หลากหลาย เช่น บอร์ด เว็บไซต์"),
        ],
        responsible: strings(&["สำนักปลัด /กองคลัง/กองช่าง"]),
        period: "มี.ค. – เม.ย. ๒๕๖๖".into(),
        results: vec![
            n("มีการจัดทำบัตรคิวในการมารับบริการ"),
            n("มีการจัดทำคู่มือการปฏิบัติงานเพื่อป้องกันผลประโยชน์ทับซ้อน และเผยแพร่บนเว็บไซต์ อบต.แม่คะตวน"),
            n("มีการจัดทำคู่มือสำหรับประชาชนขั้นตอนการให้บริการขององค์การบริหารส่วนตำบลแม่คะตวน โดยเผยแพร่ประชาสัมพันธ์ให้บุคลากรและประชาชนทราบบนเว็บไซต์หลักของ อบต."),
            n("มีการจัดทำแผนผังแสดงขั้นตอน/ระยะเวลา การให้บริการประชาชน โดยประชาสัมพันธ์ให้ประชาชนทราบผ่านทางเว็บไซต์ อบรม."),
        ],
        outcomes: vec![
            n("การให้บริการเป็นไปด้วยความเรียบร้อย"),
            n("เจ้าหน้าที่ อบต.แม่คะตวนมีความรู้ความเข้าใจและสามารถแยกแยะประโยชน์ส่วนตนและส่วนรวมได้"),
            n("ประชาชนได้ทราบถึงขั้นตอน/ระยะเวลาการให้บริการของส่วนงานต่างๆของ อบต."),
        ],
    };
    assert_eq!(m, &expected);
}

#[test]
fn the_seed_third_measure_ends_with_unnumbered_items_from_a_paragraph_row() {
    let m = &seed().measures[2];
    let expected = ParsedMeasure {
        line: 24,
        title: "เพิ่มกลไกการปรับปรุงคุณภาพการปฏิบัติงาน/ การให้บริการของหน่วยงานให้ดีขึ้น เพิ่มการปรับปรุงวิธีการและขั้นตอนการดำเนินงาน การให้บริการให้ดีขึ้น เปิดโอกาสให้ผู้รับบริการ ผู้มาติดต่อ หรือผู้มีส่วนได้เสีย เข้าไปมีส่วนร่วมในการปรับปรุงพัฒนาการดำเนินงาน การให้บริการของหน่วยงานให้ดีขึ้น ปรับปรุงการดำเนินงาน การให้บริการให้มีความโปร่งใสมากขึ้น".into(),
        indicators: vec![IndicatorRef {
            number: 8,
            name: "การปรับปรุงระบบการทำงาน".into(),
        }],
        methods: vec![
            n("จัดให้มีการอำนวยความสะดวกในการบริการประชาชนหรือผู้มาติดต่อ เช่น มีเก้าอี้รับรอง ผู้มาติดต่อราชการหรือรับบริการ มีการออกแบบสถานที่คำนึงถึงผู้พิการ สตรีมีครรภ์ และผู้สูงอายุ มีจุดให้บริการอินเทอร์เน็ต มีการจัดแสงสว่างอย่างเพียงพอ มีการจัดบัตรคิวเพื่อบริการอย่างเป็นธรรม มีจุดแรงรับเพื่อช่วยอำนวยความสะดวกต่างๆ มีจุดประเมินผลความพึงพอใจ QR Code ณ จุดให้บริการ เป็นต้น"),
            n("จัดทำประกาศกำหนดมาตรการส่งเสริมการมีส่วนร่วมของประชาชน"),
            n("จัดทำ แสดง ระเบียบสภาพองค์การบริหารส่วนตำบลแม่คะตวน ที่เปิดโอกาสให้ประชาชนเข้ามาร่วมรับฟังการประชุม การปรึกษา ของสภาองค์การบริหารส่วนตำบลแม่คะตวน"),
            n("มีการประเมินความพึงพอใจของประชาชนผู้รับบริการต่อคุณภาพการให้บริการ ประจำปี ๒๕๖๖ และมีการรายงานผลให้ผู้บริหารส่วนตำบลแม่คะตวน และประชาชนทราบ"),
        ],
        responsible: strings(&["สำนักปลัด /กองคลัง/กองช่าง"]),
        period: "มี.ค. – เม.ย. ๒๕๖๖".into(),
        results: vec![
            n("มีชุดเก้าอี้รับรองผู้มาติดต่อราชการหรือรับบริการในทุกสำนัก กอง"),
            n("มีห้องน้ำบริการสำหรับผู้พิการ"),
            n("มีบริการอินเทอร์เน็ตภายในสำนักงาน (Free WiFi)"),
            n("มีการจัดแสงสว่างภายในสำนักงานและภายนอกสำนักงานอย่างเพียงพอ"),
            n("จัดทำระเบียบว่าด้วยการให้ประชาชนเข้าฟังการประชุม และการปรึกษาของสภาองค์การบริหารส่วนตำบลแม่คะตวน"),
            u("มีการประเมินความพึงพอใจของประชาชนผู้มารับบริการ ประจำปี ๒๕๖๖"),
        ],
        outcomes: vec![
            n("มีที่นั่งพักสำหรับผู้มาติดต่อราชการหรือเข้ารับบริการ"),
            n("ผู้มารับบริการได้ใช้ห้องน้ำมีสะอาด ถูกสุขอนามัย"),
            n("ภายในสำนักงานมีแสงสว่างเพียงพอ"),
            n("ประชาชนได้ทราบระเบียบว่าด้วยการให้ประชาชนเข้าฟังการประชุม และการปรึกษาของสภาองค์การบริหารส่วนตำบล"),
            u("ผลการประเมินความพึงพอใจอยู่ในระดับ มาก"),
        ],
    };
    assert_eq!(m, &expected);
}

#[test]
fn the_seed_survives_a_write_and_parse_in_thai_and_in_arabic_digits() {
    let original = zero_lines(seed());
    for thai_digits in [true, false] {
        let written = write(&original, thai_digits);
        let again = zero_lines(parse(&written).expect("written report parses"));
        assert_eq!(again, original, "thai_digits = {thai_digits}\n{written}");
    }
}

#[test]
fn the_writer_produces_the_seed_layout() {
    let written = write(&seed(), true);
    let lines: Vec<&str> = written.lines().collect();
    assert_eq!(lines[0], "**รายงานผลการดำเนินการมาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใส  ");
    assert_eq!(lines[2], "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖**");
    assert_eq!(lines[3], "");
    assert_eq!(lines[5], "");
    assert_eq!(
        lines[6],
        "| มาตรการ/<br>แนวทาง | วิธีดำเนินการ | ผู้รับผิดชอบ | ระยะเวลา<br>ดำเนินการ | ผลการดำเนินการ | ผลลัพธ์หรือ<br>ความสำเร็จ |"
    );
    assert_eq!(lines[7], "|---|---|---|---|---|---|");
    assert_eq!(lines.len(), 11);
    assert!(lines[8].starts_with("| จัดทำคู่มือมาตรฐานการปฏิบัติงาน (ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ) | ๑. จัดทำ"));
    assert!(lines[8].contains("<br>๔. เผยแพร่คู่มือ ผ่าน<br>- เว็บไซต์ อบต.<br>- เฟสบุ๊ก<br>"));
    assert!(lines[8].contains(" | กองคลัง<br>- เจ้าหน้าที่ผู้รับผิดชอบงานพัสดุ | มี.ค. – เม.ย. ๒๕๖๖ | "));
    assert!(lines[10].contains("<br>๕. จัดทำระเบียบ"));
    assert!(lines[10].contains("ตำบลแม่คะตวน<br><br>มีการประเมินความพึงพอใจ"));
    let arabic = write(&seed(), false);
    assert!(arabic.contains("(ตัวชี้วัดที่ 8 การปรับปรุงระบบการทำงาน) | 1. จัดให้มี"));
}

#[test]
fn item_lines_for_the_pdf_are_numbered_in_order_without_markdown_escapes_or_gaps() {
    let items = [n("a | b"), u("1. not a number\n- sub"), n("c"), n("")];
    assert_eq!(write_item_lines(&items, true), strings(&["๑. a | b", "1. not a number", "- sub", "๒. c", "๓."]));
    assert_eq!(write_item_lines(&items[2..], false), strings(&["1. c", "2."]));
}

#[test]
fn unnumbered_items_and_digit_dot_lines_are_escaped_so_they_read_back_the_same() {
    let measure = ParsedMeasure {
        line: 0,
        title: "ชื่อ (ตัวชี้วัดที่ 3 ไม่ใช่) \\ & &amp; <br> |".into(),
        indicators: vec![IndicatorRef { number: 10, name: "ชื่อ (มี) วงเล็บ".into() }],
        methods: vec![u("- ขีดนำ"), n("1. ข้อความ\n2. ย่อย"), u("3.x"), u("- อีก")],
        responsible: strings(&["กอง | คลัง"]),
        period: "ม.ค.<p>".into(),
        results: vec![],
        outcomes: vec![n("")],
    };
    let report = ParsedReport {
        heading_lines: strings(&["**ตัวหนา**", "| ไม่ใช่ตาราง"]),
        intro: "*ไม่หนา*\n| ไม่ใช่ตาราง".into(),
        measures: vec![measure],
    };
    let written = write(&report, true);
    assert_eq!(zero_lines(parse(&written).unwrap()), report, "{written}");
}

// ----- errors -----

fn err(input: &str) -> ImportError {
    parse(input).expect_err("input should be refused")
}

const HEAD: &str = "| มาตรการ/แนวทาง | ก | ข | ค | ง | จ |\n|---|---|---|---|---|---|\n";

#[test]
fn an_empty_file_is_refused() {
    for input in ["", "  \n\n\t", "\u{feff}"] {
        assert_eq!(err(input), ImportError::new(1, None, ImportErrorKind::EmptyFile));
    }
}

#[test]
fn a_file_without_a_table_is_refused() {
    assert_eq!(err("**หัวเรื่อง**\n\nข้อความ"), ImportError::new(1, None, ImportErrorKind::NoTable));
}

#[test]
fn a_row_with_the_wrong_number_of_columns_names_expected_and_found() {
    let e = err(&format!("intro\n\n{HEAD}| ก | ข | ค |\n"));
    assert_eq!(e.line, 5);
    assert_eq!(e.column, None);
    assert_eq!(e.kind, ImportErrorKind::WrongColumnCount { expected: 6, found: 3 });
    assert!(e.message_th().contains("ต้องมี 6 คอลัมน์ แต่พบ 3"));
    let header = err("| มาตรการ | ข |\n|---|---|\n");
    assert_eq!(header.line, 1);
    assert_eq!(header.kind, ImportErrorKind::WrongColumnCount { expected: 6, found: 2 });
}

#[test]
fn a_table_without_its_separator_row_is_refused_at_the_line_after_the_header() {
    let e = err("| มาตรการ/แนวทาง | ก | ข | ค | ง | จ |\n| ชื่อ | ก | ข | ค | ง | จ |\n");
    assert_eq!(e, ImportError::new(2, None, ImportErrorKind::MissingSeparator));
    let at_end = err("x\n| มาตรการ/แนวทาง | ก | ข | ค | ง | จ |");
    assert_eq!(at_end.line, 3);
}

#[test]
fn a_table_whose_first_header_is_not_the_measure_is_refused() {
    let e = err("| ลำดับ | ก | ข | ค | ง | จ |\n|---|---|---|---|---|---|\n");
    assert_eq!(e.line, 1);
    assert_eq!(e.column, Some("มาตรการ/แนวทาง"));
    assert!(matches!(e.kind, ImportErrorKind::NotMeasuresTable { .. }));
}

#[test]
fn a_continuation_row_with_no_measure_above_is_refused() {
    let e = err(&format!("{HEAD}|  | ๔. ต่อ | | | | |\n"));
    assert_eq!(e, ImportError::new(3, Some("มาตรการ/แนวทาง"), ImportErrorKind::ContinuationWithoutMeasure));
    assert_eq!(
        e.message_th(),
        "บรรทัดที่ 3 คอลัมน์ มาตรการ/แนวทาง: แถวที่คอลัมน์แรกว่างเป็นส่วนต่อของมาตรการก่อนหน้า แต่ไม่มีมาตรการก่อนหน้า"
    );
}

#[test]
fn a_measure_with_only_an_indicator_reference_has_no_title() {
    let e = err(&format!("{HEAD}| ชื่อ | | | | | |\n| (ตัวชี้วัดที่ ๔ ชื่อ) | ๑. ก | | | | |\n"));
    assert_eq!(e, ImportError::new(4, Some("มาตรการ/แนวทาง"), ImportErrorKind::EmptyTitle));
}

#[test]
fn indicator_numbers_outside_one_to_ten_are_refused() {
    for (number, found) in [("๑๑", "๑๑"), ("0", "0"), ("99999999999", "99999999999")] {
        let e = err(&format!("{HEAD}| ชื่อ (ตัวชี้วัดที่ {number} x) | | | | | |\n"));
        assert_eq!(e.line, 3);
        assert_eq!(e.column, Some("มาตรการ/แนวทาง"));
        assert_eq!(e.kind, ImportErrorKind::IndicatorOutOfRange { found: found.into() });
    }
}

// ----- tolerant reading -----

#[test]
fn indicator_references_may_sit_anywhere_and_use_either_digits_or_a_spaced_word() {
    let report = parse(&format!("{HEAD}| ก (ตัวชี้วัด ที่ 1) ข  (ตัวชี้วัดที่๑๐ ชื่อ  ยาว ) (ไม่ใช่) | | | | | |\n")).unwrap();
    let m = &report.measures[0];
    assert_eq!(m.title, "ก ข (ไม่ใช่)");
    assert_eq!(
        m.indicators,
        vec![IndicatorRef { number: 1, name: String::new() }, IndicatorRef { number: 10, name: "ชื่อ ยาว".into() },]
    );
}

#[test]
fn cells_accept_br_variants_paragraphs_entities_and_escaped_pipes() {
    let report = parse(&format!(
        "{HEAD}| a &amp; b \\| c | 1. x<br/>- y<BR />2. z | <p>กอง</p><p>คลัง</p> | ม.ค.<br>๒๕๖๖ | &#124; | |\n"
    ))
    .unwrap();
    let m = &report.measures[0];
    assert_eq!(m.title, "a & b | c");
    assert_eq!(m.methods, vec![n("x\n- y"), n("z")]);
    assert_eq!(m.responsible, strings(&["กอง", "คลัง"]));
    assert_eq!(m.period, "ม.ค. ๒๕๖๖");
    assert_eq!(m.results, vec![u("|")]);
}

#[test]
fn continuation_rows_add_new_responsible_units_only_once() {
    let report = parse(&format!(
        "{HEAD}| ชื่อ | ๑. ก | กองคลัง | ม.ค. | | |\n\nหน้า ๒\n\n{HEAD}| | ๒. ข | กองคลัง<br>กองช่าง | | ผล | |\n"
    ))
    .unwrap();
    let m = &report.measures[0];
    assert_eq!(m.methods, vec![n("ก"), n("ข")]);
    assert_eq!(m.responsible, strings(&["กองคลัง", "กองช่าง"]));
    assert_eq!(m.period, "ม.ค.");
    assert_eq!(m.results, vec![u("ผล")]);
}

#[test]
fn a_table_that_starts_right_under_another_is_not_read_as_measures() {
    let report = parse(&format!("{HEAD}| ก | ๑. x | | | | |\n{HEAD}| | ๒. y | | | | |\n")).unwrap();
    assert_eq!(report.measures.len(), 1);
    assert_eq!(report.measures[0].methods, vec![n("x"), n("y")]);
}

// ----- properties -----

/// Text as people type it, plus the fragments that collide with the syntax.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[\u{0E01}-\u{0E5B} -~]{1,12}",
        1 => prop::sample::select(vec![
            "|", "\\", "\\|", "&amp;", "&#124;", "&nbsp;", "<br>", "<p>", "</p>", "<p", "<p ", ">", "**", "*",
            "(", ")", "(ตัวชี้วัดที่ 3 x)", "ตัวชี้วัด ที่ ๑๑", "1.", "๒. ", "- ", "• ", "1.5",
        ])
        .prop_map(str::to_string),
    ];
    prop::collection::vec(piece, 1..5).prop_map(|pieces| collapse_spaces(&pieces.concat()))
}

fn nonempty_text() -> impl Strategy<Value = String> {
    text().prop_filter("non-empty", |t| !t.is_empty())
}

fn item() -> impl Strategy<Value = Item> {
    (prop::collection::vec(nonempty_text(), 1..4), any::<bool>())
        .prop_map(|(lines, numbered)| Item { text: lines.join("\n"), numbered })
}

fn items() -> impl Strategy<Value = Vec<Item>> {
    prop::collection::vec(item(), 0..4)
}

fn measure() -> impl Strategy<Value = ParsedMeasure> {
    let indicator = (1u8..=10, text()).prop_map(|(number, name)| IndicatorRef { number, name });
    (
        nonempty_text(),
        prop::collection::vec(indicator, 0..3),
        items(),
        prop::collection::vec(nonempty_text(), 0..3),
        text(),
        items(),
        items(),
    )
        .prop_map(|(title, indicators, methods, responsible, period, results, outcomes)| ParsedMeasure {
            line: 0,
            title,
            indicators,
            methods,
            responsible,
            period,
            results,
            outcomes,
        })
}

fn report() -> impl Strategy<Value = ParsedReport> {
    (
        prop::collection::vec(nonempty_text(), 0..3),
        prop::collection::vec(nonempty_text(), 0..3),
        prop::collection::vec(measure(), 0..4),
    )
        .prop_map(|(heading_lines, intro_lines, measures)| {
            let mut intro = intro_lines.join("\n");
            // An intro that only repeats the heading is read as a cover title and skipped.
            if collapse_spaces(&intro) == collapse_spaces(&heading_lines.join(" ")) {
                intro.clear();
            }
            ParsedReport { heading_lines, intro, measures }
        })
}

/// Inputs built from the syntax's own pieces, to reach deep into the parser.
fn markdownish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[\u{0E01}-\u{0E5B} -~]{0,6}",
        prop::sample::select(vec![
            "|",
            "\n",
            "|---|---|---|---|---|---|\n",
            HEAD,
            "<br>",
            "<p>",
            "</p>",
            "**",
            "\\",
            "(ตัวชี้วัดที่ ",
            "๑๒",
            "1.",
            "&#",
            ";",
            ")",
            "  \n",
            "\u{feff}",
            "\r\n",
        ])
        .prop_map(str::to_string),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|p| p.concat())
}

/// 512 cases, or `PROPTEST_CASES` when set: `with_cases` alone would ignore it, and a longer
/// search is how a rare case is found.
fn cases() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(512);
    ProptestConfig::with_cases(cases)
}

proptest! {
    #![proptest_config(cases())]

    #[test]
    fn a_written_report_reads_back_unchanged(report in report(), thai_digits in any::<bool>()) {
        let written = write(&report, thai_digits);
        let parsed = parse(&written).map(zero_lines);
        prop_assert_eq!(parsed, Ok(report), "{}", written);
    }

    #[test]
    fn parsing_arbitrary_text_never_panics(input in any::<String>()) {
        let _ = parse(&input);
    }

    #[test]
    fn parsing_markdown_like_noise_never_panics(input in markdownish()) {
        if let Ok(report) = parse(&input) {
            // Whatever was read can be written and read again.
            let _ = parse(&write(&report, true));
        }
    }
}
