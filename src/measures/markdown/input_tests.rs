//! The parser refuses what would otherwise be read short or wrong: a file cut off inside a table
//! row, and characters that cannot be stored; a pasted line separator is a line break.

use super::*;

/// Where the seed's last row starts (the file ends inside it, without a newline).
fn last_row_start() -> usize {
    SEED.rfind("\n|").unwrap() + 1
}

fn line_of(offset: usize) -> usize {
    SEED[..offset].matches('\n').count() + 1
}

/// The seed cut after `chars` characters of its last row.
fn cut_in_last_row(chars: usize) -> &'static str {
    let start = last_row_start();
    let len: usize = SEED[start..].chars().take(chars).map(char::len_utf8).sum();
    &SEED[..start + len]
}

#[test]
fn the_whole_seed_still_parses() {
    assert_eq!(parse(SEED).unwrap().measures.len(), 3);
}

#[test]
fn a_file_cut_anywhere_inside_its_last_row_is_refused_naming_the_line() {
    let row_chars = SEED[last_row_start()..].chars().count();
    let line = line_of(last_row_start());
    // Just after the opening '|', inside the first cells, mid-word in the last cell, and just
    // before the closing '|' (the cases that used to import with the last cell cut short).
    for chars in [1, 2, 40, row_chars / 2, row_chars - 30, row_chars - 9, row_chars - 1] {
        let cut = cut_in_last_row(chars);
        let e = parse(cut).expect_err(&format!("cut after {chars} of {row_chars} characters was accepted"));
        assert_eq!((e.line, e.kind.clone()), (line, ImportErrorKind::UnclosedRow), "cut after {chars}");
        assert_eq!(
            e.message_th(),
            format!("บรรทัดที่ {line}: แถวของตารางไม่สมบูรณ์: ไม่มีเครื่องหมาย | ปิดท้ายแถว (ไฟล์อาจถูกตัดกลางแถว) จึงไม่ได้นำเข้า")
        );
        assert!(e.message_en().starts_with(&format!("line {line}: the table row does not end with '|'")));
    }
    // Cut right after the closing '|': the row is complete, and so is the file as far as it can tell.
    assert!(parse(cut_in_last_row(row_chars)).is_ok());
}

#[test]
fn a_file_cut_inside_a_header_or_separator_row_is_refused_too() {
    let header = SEED.rfind("\n| มาตรการ/แนวทาง").unwrap() + 1;
    let e = parse(&SEED[..header + 30]).unwrap_err();
    assert_eq!((e.line, e.kind), (line_of(header), ImportErrorKind::UnclosedRow));
    let separator = header + SEED[header..].find('\n').unwrap() + 1;
    let e = parse(&SEED[..separator + 8]).unwrap_err();
    assert_eq!((e.line, e.kind), (line_of(separator), ImportErrorKind::UnclosedRow));
}

const TABLE: &str = "| มาตรการ/แนวทาง | วิธีดำเนินการ | ผู้รับผิดชอบ | ระยะเวลาดำเนินการ | ผลการดำเนินการ | ผลลัพธ์หรือความสำเร็จ |\n|---|---|---|---|---|---|\n";

#[test]
fn a_pasted_line_separator_in_a_cell_is_a_line_break_and_a_space_elsewhere() {
    for sep in ['\u{0b}', '\u{0c}', '\u{2028}', '\u{2029}'] {
        let text = format!("คำนำ{sep}ต่อ\n\n{TABLE}| ก | ๑. หนึ่ง{sep}๒. สอง | กองคลัง{sep}กองช่าง | | | |\n");
        let r = parse(&text).unwrap();
        assert_eq!(r.intro, "คำนำ ต่อ");
        let m = &r.measures[0];
        assert_eq!(
            m.methods,
            [Item { text: "หนึ่ง".into(), numbered: true }, Item { text: "สอง".into(), numbered: true }]
        );
        assert_eq!(m.responsible, ["กองคลัง", "กองช่าง"]);
    }
}

#[test]
fn other_control_characters_and_noncharacters_are_refused_by_line_and_position() {
    for bad in ['\0', '\u{1}', '\u{1b}', '\u{7f}', '\u{FFFE}', '\u{FFFF}'] {
        let text = format!("{TABLE}| ก | ขค{bad} | | | | |\n");
        let e = parse(&text).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(matches!(e.kind, ImportErrorKind::ControlCharacter { position: 9, .. }), "{:?}", e.kind);
    }
    let e = parse(&format!("{TABLE}| ก\0 | | | | | |\n")).unwrap_err();
    assert_eq!(e.message_th(), "บรรทัดที่ 3: ตัวอักษรที่ 4 เป็นอักขระควบคุมหรืออักขระที่ใช้ไม่ได้ (U+0000 (NUL)) ซึ่งบันทึกไม่ได้ กรุณาลบออก");
}
