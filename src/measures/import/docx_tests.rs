use super::*;
use crate::measures::Item;

const HEADER: &str = r#"<w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc><w:p><w:r><w:t>มาตรการ/</w:t></w:r><w:r><w:br/><w:t>แนวทาง</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>วิธีดำเนินการ</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>ผู้รับผิดชอบ</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>ระยะเวลาดำเนินการ</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>ผลการดำเนินการ</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>ผลลัพธ์หรือความสำเร็จ</w:t></w:r></w:p></w:tc></w:tr>"#;

fn cell(props: &str, lines: &[&str]) -> String {
    let paragraphs: String = if lines.is_empty() {
        "<w:p/>".into()
    } else {
        lines.iter().map(|l| format!("<w:p><w:r><w:t xml:space=\"preserve\">{l}</w:t></w:r></w:p>")).collect()
    };
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{paragraphs}</w:tc>")
}

fn row(cells: &[String]) -> String {
    format!("<w:tr>{}</w:tr>", cells.concat())
}

fn document(front: &str, tables: &[Vec<String>]) -> String {
    let tables: String = tables.iter().map(|rows| format!("<w:tbl>{HEADER}{}</w:tbl>", rows.concat())).collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_MAIN}"><w:body>{front}{tables}<w:sectPr/></w:body></w:document>"#
    )
}

fn read_xml(xml: &str) -> Result<ParsedReport, ImportProblem> {
    read_document(&Document::parse(xml).unwrap(), &HashMap::new())
}

fn numbered(text: &str) -> Item {
    Item { text: text.into(), numbered: true }
}

#[test]
fn a_measure_continued_on_the_next_page_with_the_header_repeated_is_one_measure() {
    let first = row(&[
        cell("", &["จัดทำคู่มือ (ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ)"]),
        cell("", &["๑. จัดทำคู่มือ", "๒. เผยแพร่ ผ่าน", "- เว็บไซต์"]),
        cell("", &["กองคลัง", "- เจ้าหน้าที่พัสดุ"]),
        cell("", &["มี.ค. – เม.ย.", "๒๕๖๖"]),
        cell("", &["๑. มีคู่มือ"]),
        cell("", &["๑. เรียบร้อย"]),
    ]);
    let continued = row(&[
        cell("", &[]),
        cell("", &["๓. ประเมินผล"]),
        cell("", &[]),
        cell("", &[]),
        cell("", &["มีการประเมิน"]),
        cell("", &[]),
    ]);
    let bold_heading = r#"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>รายงานผล ประจำปีงบประมาณ พ.ศ. ๒๕๖๖</w:t></w:r></w:p><w:p><w:r><w:t>ตามที่ได้ดำเนินการ</w:t></w:r></w:p>"#;
    let report = read_xml(&document(bold_heading, &[vec![first], vec![continued]])).unwrap();
    assert_eq!(report.heading_lines, vec!["รายงานผล ประจำปีงบประมาณ พ.ศ. ๒๕๖๖".to_string()]);
    assert_eq!(report.intro, "ตามที่ได้ดำเนินการ");
    assert_eq!(report.measures.len(), 1);
    let m = &report.measures[0];
    assert_eq!(m.title, "จัดทำคู่มือ");
    assert_eq!(m.indicators[0].number, 4);
    assert_eq!(m.methods, vec![numbered("จัดทำคู่มือ"), numbered("เผยแพร่ ผ่าน\n- เว็บไซต์"), numbered("ประเมินผล")]);
    assert_eq!(m.responsible, vec!["กองคลัง", "- เจ้าหน้าที่พัสดุ"]);
    assert_eq!(m.period, "มี.ค. – เม.ย. ๒๕๖๖");
    assert_eq!(m.results, vec![numbered("มีคู่มือ"), Item { text: "มีการประเมิน".into(), numbered: false }]);
}

#[test]
fn vertically_merged_cells_belong_to_every_measure_they_span_and_not_twice_to_one() {
    let restart = r#"<w:vMerge w:val="restart"/>"#;
    let cont = "<w:vMerge/>";
    let rows = vec![
        row(&[
            cell(restart, &["มาตรการหนึ่ง"]),
            cell("", &["๑. ก"]),
            cell(restart, &["สำนักปลัด"]),
            cell(restart, &["ตลอดปี"]),
            cell("", &[]),
            cell("", &[]),
        ]),
        // The same measure continues: merged title, merged responsible.
        row(&[cell(cont, &[]), cell("", &["๒. ข"]), cell(cont, &[]), cell(cont, &[]), cell("", &[]), cell("", &[])]),
        // A new measure under the same merged responsible office and period.
        row(&[
            cell("", &["มาตรการสอง"]),
            cell("", &["๑. ค"]),
            cell(cont, &[]),
            cell(cont, &[]),
            cell("", &[]),
            cell("", &[]),
        ]),
    ];
    let report = read_xml(&document("", &[rows])).unwrap();
    assert_eq!(report.measures.len(), 2);
    assert_eq!(report.measures[0].methods, vec![numbered("ก"), numbered("ข")]);
    assert_eq!(report.measures[0].responsible, vec!["สำนักปลัด"]);
    assert_eq!(report.measures[0].period, "ตลอดปี");
    assert_eq!(report.measures[1].title, "มาตรการสอง");
    assert_eq!(report.measures[1].responsible, vec!["สำนักปลัด"]);
    assert_eq!(report.measures[1].period, "ตลอดปี");
}

#[test]
fn cells_spanning_grid_columns_are_placed_under_their_header() {
    // The body rows use a finer grid: the title cell spans two grid columns, gridBefore skips none.
    let header = HEADER.replacen("<w:tc>", r#"<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>"#, 1);
    let body = row(&[
        cell(r#"<w:gridSpan w:val="2"/>"#, &["ติดตั้งป้าย"]),
        cell("", &["๑. ก"]),
        cell("", &["กองช่าง"]),
        cell("", &["มี.ค. ๒๕๖๖"]),
        cell("", &["๑. ผล"]),
        cell("", &["๑. ลัพธ์"]),
    ]);
    let label = row(&[cell(r#"<w:gridSpan w:val="7"/>"#, &["หมายเหตุ: ข้อความคั่นระหว่างมาตรการ"])]);
    let xml = document("", &[]).replace("<w:sectPr/>", &format!("<w:tbl>{header}{label}{body}</w:tbl><w:sectPr/>"));
    let report = read_xml(&xml).unwrap();
    assert_eq!(report.measures.len(), 1, "{report:?}");
    let m = &report.measures[0];
    assert_eq!((m.title.as_str(), m.responsible[0].as_str(), m.period.as_str()), ("ติดตั้งป้าย", "กองช่าง", "มี.ค. ๒๕๖๖"));
    assert_eq!(m.outcomes, vec![numbered("ลัพธ์")]);
}

#[test]
fn word_list_numbering_and_deleted_text_are_read_as_shown() {
    let numbered_p = r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>จัดทำคู่มือ</w:t></w:r><w:del><w:r><w:delText>ลบแล้ว</w:delText></w:r></w:del></w:p>"#;
    let bullet_p = r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t>เว็บไซต์</w:t></w:r></w:p>"#;
    let methods = format!("<w:tc>{numbered_p}{bullet_p}</w:tc>");
    let body = row(&[cell("", &["ม"]), methods, cell("", &[]), cell("", &[]), cell("", &[]), cell("", &[])]);
    let mut formats = HashMap::new();
    formats.insert(("3".to_string(), "0".to_string()), true);
    formats.insert(("3".to_string(), "1".to_string()), false);
    let report = read_document(&Document::parse(&document("", &[vec![body]])).unwrap(), &formats).unwrap();
    assert_eq!(report.measures[0].methods, vec![numbered("จัดทำคู่มือ\n- เว็บไซต์")]);
}

#[test]
fn a_document_without_the_measures_table_and_a_cut_file_are_refused_in_thai() {
    let xml = format!(
        r#"<w:document xmlns:w="{W_MAIN}"><w:body><w:p><w:r><w:t>ข้อความ</w:t></w:r></w:p></w:body></w:document>"#
    );
    let e = read_xml(&xml).unwrap_err();
    assert!(e.message_th.contains("ไม่พบตารางมาตรการ"), "{e}");
    let e = read(b"PK\x03\x04 cut here").unwrap_err();
    assert!(e.message_th.contains("ไฟล์เสียหายหรือไม่ครบ"), "{e}");
}

#[test]
fn a_continuation_row_before_any_measure_names_its_table_row() {
    let body = row(&[cell("", &[]), cell("", &["๑. ก"]), cell("", &[]), cell("", &[]), cell("", &[]), cell("", &[])]);
    let e = read_xml(&document("", &[vec![body]])).unwrap_err();
    assert_eq!(e.line, Some(2));
    assert!(e.to_thai().starts_with("แถวที่ 2 ของตาราง"), "{}", e.to_thai());
}

#[test]
fn a_number_column_and_a_remarks_column_are_skipped_by_their_header_names() {
    let names = [
        "ที่",
        "มาตรการ/แนวทาง",
        "วิธีดำเนินการ",
        "ผู้รับผิดชอบ",
        "ระยะเวลาดำเนินการ",
        "ผลการดำเนินการ",
        "ผลลัพธ์หรือความสำเร็จ",
        "หมายเหตุ",
    ];
    let header = row(&names.map(|n| cell("", &[n])));
    let body = row(&[
        cell("", &["๑"]),
        cell("", &["ติดตั้งป้าย"]),
        cell("", &["๑. สำรวจ"]),
        cell("", &["กองช่าง"]),
        cell("", &["มี.ค. ๒๕๖๖"]),
        cell("", &["๑. ติดตั้งแล้ว"]),
        cell("", &["๑. ประชาชนทราบ"]),
        cell("", &["งบประมาณปกติ"]),
    ]);
    let xml = document("", &[]).replace("<w:sectPr/>", &format!("<w:tbl>{header}{body}</w:tbl><w:sectPr/>"));
    let report = read_xml(&xml).unwrap();
    let m = &report.measures[0];
    assert_eq!((m.title.as_str(), m.period.as_str()), ("ติดตั้งป้าย", "มี.ค. ๒๕๖๖"));
    assert_eq!(m.outcomes, vec![numbered("ประชาชนทราบ")]);
    // Without the remarks column's name the table is not the report's layout: refused, saying why.
    let seven =
        row(&names[..7].iter().map(|n| cell("", &[n])).collect::<Vec<_>>()).replace("ผลลัพธ์หรือความสำเร็จ", "อื่น ๆ");
    let xml = document("", &[]).replace("<w:sectPr/>", &format!("<w:tbl>{seven}{body}</w:tbl><w:sectPr/>"));
    let e = read_xml(&xml).unwrap_err();
    assert!(
        e.to_thai().starts_with("แถวที่ 1 ของตาราง") && e.message_th.contains("ผลลัพธ์หรือความสำเร็จ"),
        "{}",
        e.to_thai()
    );
}
