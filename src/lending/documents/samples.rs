//! Realistic sample documents of อบต.แม่คะตวน, for tests, previews and the demo data.

use super::data::*;

const ORG: &str = "องค์การบริหารส่วนตำบลแม่คะตวน";
const ORG_SHORT: &str = "อบต.แม่คะตวน";
const MAYOR: &str = "นายกองค์การบริหารส่วนตำบลแม่คะตวน";

/// (asset number, name) of the demo organization's lendable items.
const ITEMS: &[(&str, &str)] = &[
    ("416-66-0001", "เครื่องฉายภาพ (โปรเจคเตอร์)"),
    ("416-66-0002", "จอรับภาพ ชนิดขาตั้ง ขนาด 100 นิ้ว"),
    ("417-65-0003", "เครื่องขยายเสียงพร้อมลำโพงเคลื่อนที่"),
    ("417-65-0004", "ไมโครโฟนไร้สาย"),
    ("405-64-0001", "เต็นท์ผ้าใบ ขนาด 4x8 เมตร"),
    ("405-64-0002", "เต็นท์ผ้าใบ ขนาด 4x8 เมตร"),
    ("401-63-0012", "โต๊ะพับอเนกประสงค์"),
    ("401-63-0031", "เก้าอี้พลาสติก"),
    ("416-67-0005", "กล้องถ่ายภาพดิจิทัล"),
    ("416-62-0007", "เครื่องคอมพิวเตอร์โน้ตบุ๊ก สำหรับงานประมวลผล"),
    ("420-66-0002", "เครื่องตัดหญ้า แบบข้อแข็ง"),
];

impl LabelSheet {
    /// Ten labels of the demo organization's items, with URLs on a local server.
    pub fn sample() -> Self {
        Self {
            org_short_name: ORG_SHORT.into(),
            labels: ITEMS
                .iter()
                .take(10)
                .map(|(no, name)| Label {
                    asset_number: (*no).into(),
                    item_name: (*name).into(),
                    url: format!("http://127.0.0.1:8080/o/mae-khatuan/items/{no}"),
                })
                .collect(),
        }
    }
}

impl Signatory {
    fn named(name: &str, position: &str, date: Option<&str>) -> Self {
        Self { name: Some(name.into()), position: Some(position.into()), date: date.map(Into::into) }
    }
}

impl LoanForm {
    /// A loan for use outside the premises, approved and not yet handed over or returned.
    pub fn sample() -> Self {
        Self {
            title: "แบบฟอร์มการยืมพัสดุ".into(),
            loan_number: "ยพ. ๐๑๒/๒๕๖๗".into(),
            org_name: ORG.into(),
            written_at: ORG.into(),
            written_on: "๑๒ มีนาคม ๒๕๖๗".into(),
            addressed_to: MAYOR.into(),
            borrower_name: "นางสาวมาลี ศรีสุข".into(),
            borrower_is_agency: false,
            borrower_position: "นักวิชาการศึกษาชำนาญการ".into(),
            borrower_division: "กองการศึกษา ศาสนาและวัฒนธรรม".into(),
            items: vec![
                LoanFormItem {
                    asset_number: "416-66-0001".into(),
                    name: "เครื่องฉายภาพ (โปรเจคเตอร์)".into(),
                    quantity: "๑ เครื่อง".into(),
                    condition_at_handover: None,
                },
                LoanFormItem {
                    asset_number: "405-64-0001".into(),
                    name: "เต็นท์ผ้าใบ ขนาด 4x8 เมตร".into(),
                    quantity: "๑ หลัง".into(),
                    condition_at_handover: None,
                },
            ],
            purpose: "จัดอบรมเชิงปฏิบัติการส่งเสริมการอ่านสำหรับเด็กและเยาวชน ประจำปีงบประมาณ พ.ศ. ๒๕๖๗".into(),
            place_kind: PlaceKind::Outside,
            place: "ศาลาอเนกประสงค์ หมู่ที่ ๓ บ้านแม่คะตวน".into(),
            borrow_date: "๑๕ มีนาคม ๒๕๖๗".into(),
            due_date: "๑๙ มีนาคม ๒๕๖๗".into(),
            rules: vec![
                "(๑) ใช้พัสดุเพื่อประโยชน์ของทางราชการเท่านั้น (ระเบียบกระทรวงการคลังฯ พ.ศ. ๒๕๖๐ ข้อ ๒๐๗)".into(),
                "(๒) การยืมไปใช้นอกสถานที่ต้องได้รับอนุมัติจากหัวหน้าหน่วยงานของรัฐ (ข้อ ๒๐๘ (๒)) และยืมได้ไม่เกิน ๑๕ วัน".into(),
                "(๓) ส่งคืนพัสดุในสภาพที่ใช้การได้เรียบร้อยภายในกำหนด หากชำรุดเสียหายหรือสูญหาย ผู้ยืมต้องซ่อมแซมให้คงสภาพเดิม ชดใช้เป็นพัสดุประเภท ชนิด ขนาด ลักษณะและคุณภาพเดียวกัน หรือชดใช้เป็นเงินตามราคาที่เป็นอยู่ในขณะยืม (ข้อ ๒๐๙)".into(),
                "(๔) เมื่อครบกำหนดแล้วยังไม่ส่งคืน เจ้าหน้าที่พัสดุจะติดตามทวงคืนภายใน ๗ วัน (ข้อ ๒๑๑)".into(),
            ],
            borrower: Signatory::named("นางสาวมาลี ศรีสุข", "นักวิชาการศึกษาชำนาญการ", Some("๑๒ มีนาคม ๒๕๖๗")),
            approver: Signatory { name: Some("นายประเสริฐ วงศ์คำ".into()), position: Some(MAYOR.into()), date: None },
            decision: Some(true),
            decision_note: None,
            handed_over_by: Signatory::default(),
            received_by: Signatory::default(),
            returned: ReturnSection::default(),
        }
    }
}

impl SopManual {
    /// The demo organization's manual for fiscal year 2567.
    pub fn sample() -> Self {
        let step = |number: &str, title: &str, who: &str, detail: &str, time: &str, kind| SopStep {
            number: number.into(),
            title: title.into(),
            who: who.into(),
            detail: detail.into(),
            time_standard: time.into(),
            kind,
        };
        Self {
            title: "คู่มือการยืม-คืนพัสดุ".into(),
            org_name: ORG.into(),
            fiscal_year: "ประจำปีงบประมาณ พ.ศ. ๒๕๖๗".into(),
            issued_on: "ประกาศ ณ วันที่ ๒ ตุลาคม ๒๕๖๖".into(),
            approved_by: vec!["(นายประเสริฐ วงศ์คำ)".into(), MAYOR.into()],
            purpose: vec![
                "เพื่อให้การยืมและการส่งคืนพัสดุขององค์การบริหารส่วนตำบลแม่คะตวนเป็นไปตามระเบียบกระทรวงการคลังว่าด้วยการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ. ๒๕๖๐ มีขั้นตอนที่ชัดเจน ตรวจสอบได้ และป้องกันการนำทรัพย์สินของทางราชการไปใช้เพื่อประโยชน์ส่วนตน".into(),
                "คู่มือนี้ใช้กับพนักงานส่วนตำบล พนักงานจ้าง และหน่วยงานของรัฐที่ขอยืมพัสดุขององค์การบริหารส่วนตำบลแม่คะตวน".into(),
            ],
            legal_basis_intro: super::regulation::LEGAL_BASIS_INTRO.into(),
            legal_basis: super::regulation::legal_basis(),
            legal_source: super::regulation::SOURCE_TH.into(),
            rules: vec![
                "ยืมได้เฉพาะพัสดุประเภทใช้คงรูปที่กำหนดให้ยืมได้ในทะเบียนพัสดุ".into(),
                "ยื่นแบบฟอร์มการยืมพัสดุล่วงหน้าอย่างน้อย ๓ วันทำการ".into(),
                "ระยะเวลายืมแต่ละครั้งไม่เกิน ๑๕ วัน หากจำเป็นต้องยืมต่อให้ยื่นคำขอใหม่ก่อนครบกำหนด ๗ วัน".into(),
                "ผู้ขอยืมจะเป็นผู้อนุมัติคำขอของตนเองไม่ได้".into(),
                "พัสดุชิ้นเดียวกันให้ยืมซ้อนช่วงเวลากันไม่ได้".into(),
            ],
            steps: vec![
                step("๑", "ยื่นคำขอยืมพัสดุ", "ผู้ยืม", "กรอกแบบฟอร์มการยืมพัสดุ ระบุรายการ เหตุผล สถานที่ใช้งาน วันที่ยืมและกำหนดส่งคืน", "๓ วันทำการก่อนวันยืม", StepKind::Process),
                step("๒", "ตรวจสอบพัสดุและเสนอความเห็น", "เจ้าหน้าที่พัสดุ", "ตรวจสอบว่าพัสดุว่างและให้ยืมได้ เสนอผู้มีอำนาจอนุมัติตามสถานที่ใช้งาน", "๑ วันทำการ", StepKind::Process),
                step("๓", "พิจารณาอนุมัติ", "หัวหน้าเจ้าหน้าที่ / นายก อบต.", "ใช้ภายในสถานที่ หัวหน้าหน่วยพัสดุอนุมัติ ใช้ภายนอกสถานที่หรือหน่วยงานอื่นยืม นายก อบต. อนุมัติ", "๑ วันทำการ", StepKind::Approval),
                step("๔", "ส่งมอบพัสดุและบันทึกสภาพ", "เจ้าหน้าที่พัสดุ", "ส่งมอบพัสดุ บันทึกสภาพขณะส่งมอบ ผู้ยืมลงนามรับ", "๓๐ นาที", StepKind::Process),
                step("๕", "ส่งคืนพัสดุตามกำหนด", "ผู้ยืม", "นำพัสดุมาส่งคืนภายในกำหนด หากเกินกำหนดเจ้าหน้าที่ติดตามทวงคืนภายใน ๗ วัน", "ภายในวันครบกำหนด", StepKind::Process),
                step("๖", "ตรวจสภาพพัสดุที่ส่งคืน", "เจ้าหน้าที่พัสดุ", "ตรวจสภาพและจำนวนพัสดุเทียบกับที่บันทึกไว้เมื่อส่งมอบ", "๓๐ นาที", StepKind::Inspection),
                step("๗", "ชดใช้ความเสียหาย", "ผู้ยืม", "ซ่อมแซมให้คงสภาพเดิม ชดใช้เป็นพัสดุชนิดและคุณภาพเดียวกัน หรือชดใช้เป็นเงินตามราคาขณะยืม", "๓๐ วัน", StepKind::Settlement),
                step("๘", "ปิดรายการยืมในทะเบียน", "เจ้าหน้าที่พัสดุ", "บันทึกการรับคืนและผลการชดใช้ในระบบ ปิดรายการยืม", "๑ วันทำการ", StepKind::Process),
            ],
            flow: FlowLabels::thai(),
            monitoring: vec![
                "เจ้าหน้าที่พัสดุตรวจสอบรายการยืมที่ครบกำหนดทุกวันทำการ เมื่อพ้นกำหนดส่งคืนแล้วต้องติดตามทวงคืนภายใน ๗ วัน และบันทึกผลการติดตามทุกครั้งในระบบ".into(),
                "ก่อนเริ่มการตรวจสอบพัสดุประจำปีในวันทำการแรกของเดือนตุลาคม เจ้าหน้าที่พัสดุจัดทำรายการพัสดุที่ยังไม่ส่งคืนเสนอหัวหน้าเจ้าหน้าที่ และเรียกคืนพัสดุทุกรายการ".into(),
                "หัวหน้าเจ้าหน้าที่รายงานผลการยืม-คืนพัสดุต่อนายกองค์การบริหารส่วนตำบลแม่คะตวนทุกรอบ ๖ เดือน".into(),
            ],
            annex: vec![
                "แบบฟอร์มการยืมพัสดุ (พิมพ์จากระบบสำหรับการยืมแต่ละครั้ง พร้อมช่องลงนามผู้ยืม ผู้อนุมัติ ผู้ส่งมอบ และผู้รับคืน)".into(),
                "คู่มือนี้เผยแพร่บนเว็บไซต์ขององค์การบริหารส่วนตำบลแม่คะตวน และแจ้งเวียนให้บุคลากรทุกคนทราบและถือปฏิบัติ".into(),
            ],
            thai_digits: true,
        }
    }
}

impl OutstandingList {
    /// Two loans still out two weeks before the stock count of fiscal year 2568.
    pub fn sample() -> Self {
        Self {
            title: "รายการพัสดุที่ยังไม่ส่งคืน".into(),
            org_name: ORG.into(),
            heading: "รายการพัสดุที่ยังไม่ส่งคืน ณ วันที่ ๑๕ กันยายน ๒๕๖๗".into(),
            loans: vec![
                OutstandingLoan {
                    loan_number: "ยพ. ๐๔๑/๒๕๖๗".into(),
                    asset_number: "405-64-0002".into(),
                    item: "เต็นท์ผ้าใบ ขนาด 4x8 เมตร".into(),
                    borrower: "นายวิชัย คำมูล".into(),
                    due_date: "๑๐ กันยายน ๒๕๖๗".into(),
                    status: "เกินกำหนด ๕ วัน".into(),
                },
                OutstandingLoan {
                    loan_number: "ยพ. ๐๔๓/๒๕๖๗".into(),
                    asset_number: "416-67-0005".into(),
                    item: "กล้องถ่ายภาพดิจิทัล".into(),
                    borrower: "นางสาวมาลี ศรีสุข".into(),
                    due_date: "๒๐ กันยายน ๒๕๖๗".into(),
                    status: "ยังไม่ถึงกำหนด".into(),
                },
            ],
            none: "ไม่มีพัสดุค้างส่งคืน".into(),
            thai_digits: true,
        }
    }
}

impl LoansReport {
    /// The first half of fiscal year 2567.
    pub fn sample() -> Self {
        let row = |number: &str, i: usize, borrower: &str, on: &str, due: &str, back: Option<&str>, status: &str| {
            let (no, name) = ITEMS[i];
            LoanRow {
                number: number.into(),
                item: format!("{no} {name}"),
                borrower: borrower.into(),
                borrowed_on: on.into(),
                due_on: due.into(),
                returned_on: back.map(Into::into),
                status: status.into(),
            }
        };
        let util = |i: usize, loans: &str, days: &str, percent: &str| UtilizationRow {
            item: format!("{} {}", ITEMS[i].0, ITEMS[i].1),
            loans: loans.into(),
            days_out: days.into(),
            percent: percent.into(),
        };
        Self {
            title: "รายงานการยืม-คืนพัสดุ".into(),
            org_name: ORG.into(),
            period: "ระหว่างวันที่ ๑ ตุลาคม ๒๕๖๖ ถึง ๓๑ มีนาคม ๒๕๖๗".into(),
            printed_on: "พิมพ์เมื่อ ๑ เมษายน ๒๕๖๗".into(),
            summary: LoansSummary {
                loans: "๖".into(),
                returned_on_time: "๓".into(),
                overdue: "๑".into(),
                damage_cases: "๑".into(),
            },
            loans: vec![
                row(
                    "ยพ. ๐๐๓/๒๕๖๗",
                    0,
                    "นายสมชาย ใจดี",
                    "๖ พ.ย. ๒๕๖๖",
                    "๘ พ.ย. ๒๕๖๖",
                    Some("๘ พ.ย. ๒๕๖๖"),
                    "คืนแล้ว ตรงกำหนด",
                ),
                row(
                    "ยพ. ๐๐๕/๒๕๖๗",
                    4,
                    "นายวิชัย คำมูล",
                    "๒๐ พ.ย. ๒๕๖๖",
                    "๒๔ พ.ย. ๒๕๖๖",
                    Some("๒๔ พ.ย. ๒๕๖๖"),
                    "คืนแล้ว ตรงกำหนด",
                ),
                row(
                    "ยพ. ๐๐๗/๒๕๖๗",
                    2,
                    "โรงเรียนบ้านแม่คะตวน",
                    "๑ ธ.ค. ๒๕๖๖",
                    "๕ ธ.ค. ๒๕๖๖",
                    Some("๑๑ ธ.ค. ๒๕๖๖"),
                    "คืนแล้ว เกินกำหนด",
                ),
                row(
                    "ยพ. ๐๐๙/๒๕๖๗",
                    1,
                    "นางสาวมาลี ศรีสุข",
                    "๑๐ ม.ค. ๒๕๖๗",
                    "๑๒ ม.ค. ๒๕๖๗",
                    Some("๑๒ ม.ค. ๒๕๖๗"),
                    "คืนแล้ว ตรงกำหนด",
                ),
                row(
                    "ยพ. ๐๑๐/๒๕๖๗",
                    10,
                    "นายบุญมา ทองดี",
                    "๒ ก.พ. ๒๕๖๗",
                    "๕ ก.พ. ๒๕๖๗",
                    Some("๕ ก.พ. ๒๕๖๗"),
                    "ชำรุด ซ่อมแซมแล้ว",
                ),
                row("ยพ. ๐๑๒/๒๕๖๗", 0, "นางสาวมาลี ศรีสุข", "๑๕ มี.ค. ๒๕๖๗", "๑๙ มี.ค. ๒๕๖๗", None, "อยู่ระหว่างยืม"),
            ],
            utilization: vec![
                util(0, "๒", "๗", "๓.๘"),
                util(1, "๑", "๓", "๑.๖"),
                util(2, "๑", "๑๑", "๖.๐"),
                util(4, "๑", "๕", "๒.๗"),
                util(10, "๑", "๔", "๒.๒"),
            ],
            thai_digits: true,
        }
    }
}
