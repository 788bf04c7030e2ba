//! The measures report as print-ready text, shared by the PDF, DOCX and HTML renderers.
//!
//! Every string here is final: digits already converted (Thai or Arabic), items already numbered,
//! dates already written. Renderers only lay the text out; they never reformat it.

use serde::{Deserialize, Serialize};

/// One table cell: its lines, top to bottom. A line is never empty.
pub type Cell = Vec<String>;

/// The report "รายงานผลการดำเนินการมาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใส" of one organization and year.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MeasuresReportDoc {
    /// Cover page lines, centred, e.g. ["รายงานผลการดำเนินการ", "มาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใส",
    /// "ขององค์การบริหารส่วนตำบลแม่คะตวน", "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖"].
    pub cover_lines: Vec<String>,
    /// Bold title block at the top of the first body page (same wording, may be wrapped differently).
    pub heading_lines: Vec<String>,
    /// The introduction paragraph under the title (may be empty).
    pub intro: String,
    /// The six column headers, e.g. "มาตรการ/แนวทาง", "วิธีดำเนินการ", "ผู้รับผิดชอบ", "ระยะเวลาดำเนินการ",
    /// "ผลการดำเนินการ", "ผลลัพธ์หรือความสำเร็จ".
    pub headers: [String; 6],
    /// One row per measure, in order.
    pub rows: Vec<MeasureRow>,
    /// Text for the page footer, e.g. the organization's name.
    pub footer: String,
    /// Page numbers in Thai digits (true, the official default) or Arabic digits.
    pub thai_digits: bool,
    /// A draft's mark, printed above the title: [`DRAFT_MARK`]. `None` for a published version.
    pub draft_mark: Option<String>,
    /// The block the ITA expects at the end, once an executive approved the report:
    /// ["ผู้บริหารเห็นชอบ", "(นายสมชาย ใจดี)", "ตำแหน่ง นายก…", "วันที่ ๑๕ มีนาคม พ.ศ. ๒๕๖๗"].
    /// Empty for a draft.
    pub signature: Vec<String>,
    /// Under the signature: which published version this is and when it was published.
    pub version_note: Option<String>,
}

/// One measure: six cells.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MeasureRow {
    /// The measure's title with its indicator reference, e.g.
    /// ["จัดทำคู่มือมาตรฐานการปฏิบัติงาน (ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ)"].
    pub measure: Cell,
    /// Methods, numbered: ["๑. จัดทำคู่มือ…", "๒. …", "๔. เผยแพร่คู่มือ ผ่าน", "- เว็บไซต์ อบต.", …].
    pub methods: Cell,
    /// Responsible divisions and officers: ["กองคลัง", "- เจ้าหน้าที่ผู้รับผิดชอบงานพัสดุ"].
    pub responsible: Cell,
    /// Planned period: ["มี.ค. – เม.ย.", "๒๕๖๖"].
    pub period: Cell,
    /// Results, numbered like methods.
    pub results: Cell,
    /// Outcomes, numbered like methods.
    pub outcomes: Cell,
}

impl MeasureRow {
    /// The six cells, left to right.
    pub fn cells(&self) -> [&Cell; 6] {
        [&self.measure, &self.methods, &self.responsible, &self.period, &self.results, &self.outcomes]
    }
}

/// What a report of a year without measures says in place of the table (a new organization's
/// first look at its current year).
pub const NO_MEASURES: &str = "ยังไม่มีมาตรการในปีงบประมาณนี้";

/// What a report not yet approved and published says above its title.
pub const DRAFT_MARK: &str = "ร่าง – ไม่ใช่ฉบับเผยแพร่";

impl MeasuresReportDoc {
    /// [`NO_MEASURES`] when the report has no rows: every renderer prints it instead of the table.
    pub fn no_measures(&self) -> Option<&'static str> {
        self.rows.is_empty().then_some(NO_MEASURES)
    }

    /// The report of the seed (Mae Khatuan SAO, FY 2566) as printed, for tests and benchmarks.
    /// Lines are taken verbatim from `../shared/seed/000_ffedab9c6fdfeff8.txt`.
    pub fn sample() -> Self {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let period = s(&["มี.ค. – เม.ย.", "๒๕๖๖"]);
        let divisions = s(&["สำนักปลัด /กองคลัง/กองช่าง"]);
        Self {
            cover_lines: s(&[
                "รายงานผลการดำเนินการ",
                "มาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใส",
                "ขององค์การบริหารส่วนตำบลแม่คะตวน",
                "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖",
            ]),
            heading_lines: s(&[
                "รายงานผลการดำเนินการมาตรการเพื่อส่งเสริมคุณธรรมและความโปร่งใส",
                "ขององค์การบริหารส่วนตำบลแม่คะตวน",
                "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖",
            ]),
            intro: "ตามที่ได้ดำเนินการวิเคราะห์ผลการประเมิน ITA ขององค์การบริหารส่วนตำบลแม่คะตวน ปีงบประมาณ พ.ศ. ๒๕๖๕ และได้กำหนดมาตรการ/แนวทางในการส่งเสริมคุณธรรมและความโปร่งใสขององค์กรปกครองส่วนท้องถิ่นในปีงบประมาณ พ.ศ. ๒๕๖๖ โดยได้มีการดำเนินการขับเคลื่อนมาตรการส่งเสริมคุณธรรมและความโปร่งใสขององค์กรปกครองส่วนท้องถิ่น ประจำปีงบประมาณ พ.ศ.๒๕๖๖ ดังต่อไปนี้".to_string(),
            headers: [
                "มาตรการ/แนวทาง".into(),
                "วิธีดำเนินการ".into(),
                "ผู้รับผิดชอบ".into(),
                "ระยะเวลาดำเนินการ".into(),
                "ผลการดำเนินการ".into(),
                "ผลลัพธ์หรือความสำเร็จ".into(),
            ],
            rows: vec![
                MeasureRow {
                    measure: s(&["จัดทำคู่มือมาตรฐานการปฏิบัติงาน (ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ)"]),
                    methods: s(&[
                        "๑. จัดทำคู่มือมาตรฐานการปฏิบัติงาน โดยระบุขั้นตอนและแนวทางในการยืมทรัพย์สินของทางราชการ",
                        "๒. ประชาสัมพันธ์คู่มือหรือแนวทางดังกล่าวให้บุคลากรถือปฏิบัติอย่างเคร่งครัด",
                        "๓. กำชับให้ผู้บุคลากรภายในหน่วยงานมีการขออนุญาตในการยืมทรัพย์สินอย่างถูกต้อง",
                        "๔. เผยแพร่คู่มือ ผ่าน",
                        "- เว็บไซต์ อบต.",
                        "- เฟสบุ๊ก",
                        "- แอปพลิเคชันไลน์",
                    ]),
                    responsible: s(&["กองคลัง", "- เจ้าหน้าที่ผู้รับผิดชอบงานพัสดุ"]),
                    period: period.clone(),
                    results: s(&[
                        "๑. มีคู่มือมาตรฐานการปฏิบัติงานการยืมทรัพย์สินของทางราชการ",
                        "๒. ประชาสัมพันธ์คู่มือให้บุคลากรในหน่วยงานทราบผ่านทางแอปพลิเคชันไลน์",
                    ]),
                    outcomes: s(&["๑. การยืมทรัพย์สินเป็นไปด้วยความเรียบร้อยตามคู่มือมาตรฐานการปฏิบัติงานการยืม"]),
                },
                MeasureRow {
                    measure: s(&["กำกับติดตามการทำงานของผู้บริหารของหน่วยงานว่ามี การติดต่อปฏิบัติงาน และให้บริการแก่ประชาชนเป็นไปตามขั้นตอนและระยะเวลาที่กำหนด ให้บริการประชาชนอย่างเท่าเทียมกันโดยไม่เลือกปฏิบัติ ทำงานอย่างตรงไปตรงมา ไม่ปิดบังหรือบิดเบือนข้อมูล ส่งเสริมการทำงานที่คำนึงถึงประโยชน์ของประชาชนและส่วนรวมเป็นหลัก (ตัวชี้วัดที่ ๖ คุณภาพการดำเนินงาน)"]),
                    methods: s(&[
                        "๑. มีระบบให้บริการที่เท่าเทียมกัน เช่น การจัดให้มีบัตรคิดในการมารับบริการ",
                        "๒. การให้ความรู้เจ้าหน้าที่เกี่ยวกับการแยกแยะประโยชน์ส่วนตนและส่วนรวม เช่นการจัดทำในรูปแบบคู่มือ",
                        "๓. จัดทำคู่มือสำหรับประชาชนในรูปแบบอิเล็กทรอนิกส์ โดยเผยแพร่ประชาสัมพันธ์ให้บุคลากรและประชาชนทราบผ่านระบบสารสนเทศ และช่องทางที่หลากหลาย เช่นบนเว็บไซต์หลักขององค์กร",
                        "๔. จัดทำแผนผังแสดงขั้นตอน / ระยะเวลา การให้บริการประชาชน และระบุผู้รับผิดชอบงาน ให้บริการ โดยเผยแพร่ ประชาสัมพันธ์ ให้ประชาชนทราบผ่านช่องทางที่หลากหลาย เช่น บอร์ด เว็บไซต์",
                    ]),
                    responsible: divisions.clone(),
                    period: period.clone(),
                    results: s(&[
                        "๑. มีการจัดทำบัตรคิวในการมารับบริการ",
                        "๒. มีการจัดทำคู่มือการปฏิบัติงานเพื่อป้องกันผลประโยชน์ทับซ้อน และเผยแพร่บนเว็บไซต์ อบต.แม่คะตวน",
                        "๓. มีการจัดทำคู่มือสำหรับประชาชนขั้นตอนการให้บริการขององค์การบริหารส่วนตำบลแม่คะตวน โดยเผยแพร่ประชาสัมพันธ์ให้บุคลากรและประชาชนทราบบนเว็บไซต์หลักของ อบต.",
                        "๔. มีการจัดทำแผนผังแสดงขั้นตอน/ระยะเวลา การให้บริการประชาชน โดยประชาสัมพันธ์ให้ประชาชนทราบผ่านทางเว็บไซต์ อบรม.",
                    ]),
                    outcomes: s(&[
                        "๑. การให้บริการเป็นไปด้วยความเรียบร้อย",
                        "๒. เจ้าหน้าที่ อบต.แม่คะตวนมีความรู้ความเข้าใจและสามารถแยกแยะประโยชน์ส่วนตนและส่วนรวมได้",
                        "๓. ประชาชนได้ทราบถึงขั้นตอน/ระยะเวลาการให้บริการของส่วนงานต่างๆของ อบต.",
                    ]),
                },
                MeasureRow {
                    measure: s(&["เพิ่มกลไกการปรับปรุงคุณภาพการปฏิบัติงาน/ การให้บริการของหน่วยงานให้ดีขึ้น เพิ่มการปรับปรุงวิธีการและขั้นตอนการดำเนินงาน การให้บริการให้ดีขึ้น เปิดโอกาสให้ผู้รับบริการ ผู้มาติดต่อ หรือผู้มีส่วนได้เสีย เข้าไปมีส่วนร่วมในการปรับปรุงพัฒนาการดำเนินงาน การให้บริการของหน่วยงานให้ดีขึ้น ปรับปรุงการดำเนินงาน การให้บริการให้มีความโปร่งใสมากขึ้น (ตัวชี้วัดที่ ๘ การปรับปรุงระบบการทำงาน)"]),
                    methods: s(&[
                        "๑. จัดให้มีการอำนวยความสะดวกในการบริการประชาชนหรือผู้มาติดต่อ เช่น มีเก้าอี้รับรอง ผู้มาติดต่อราชการหรือรับบริการ มีการออกแบบสถานที่คำนึงถึงผู้พิการ สตรีมีครรภ์ และผู้สูงอายุ มีจุดให้บริการอินเทอร์เน็ต มีการจัดแสงสว่างอย่างเพียงพอ มีการจัดบัตรคิวเพื่อบริการอย่างเป็นธรรม มีจุดแรงรับเพื่อช่วยอำนวยความสะดวกต่างๆ มีจุดประเมินผลความพึงพอใจ QR Code ณ จุดให้บริการ เป็นต้น",
                        "๒. จัดทำประกาศกำหนดมาตรการส่งเสริมการมีส่วนร่วมของประชาชน",
                        "๓. จัดทำ แสดง ระเบียบสภาพองค์การบริหารส่วนตำบลแม่คะตวน ที่เปิดโอกาสให้ประชาชนเข้ามาร่วมรับฟังการประชุม การปรึกษา ของสภาองค์การบริหารส่วนตำบลแม่คะตวน",
                        "๔. มีการประเมินความพึงพอใจของประชาชนผู้รับบริการต่อคุณภาพการให้บริการ ประจำปี ๒๕๖๖ และมีการรายงานผลให้ผู้บริหารส่วนตำบลแม่คะตวน และประชาชนทราบ",
                    ]),
                    responsible: divisions,
                    period,
                    results: s(&[
                        "๑. มีชุดเก้าอี้รับรองผู้มาติดต่อราชการหรือรับบริการในทุกสำนัก กอง",
                        "๒. มีห้องน้ำบริการสำหรับผู้พิการ",
                        "๓. มีบริการอินเทอร์เน็ตภายในสำนักงาน (Free WiFi)",
                        "๔. มีการจัดแสงสว่างภายในสำนักงานและภายนอกสำนักงานอย่างเพียงพอ",
                        "๕. จัดทำระเบียบว่าด้วยการให้ประชาชนเข้าฟังการประชุม และการปรึกษาของสภาองค์การบริหารส่วนตำบลแม่คะตวน",
                        "มีการประเมินความพึงพอใจของประชาชนผู้มารับบริการ ประจำปี ๒๕๖๖",
                    ]),
                    outcomes: s(&[
                        "๑. มีที่นั่งพักสำหรับผู้มาติดต่อราชการหรือเข้ารับบริการ",
                        "๒. ผู้มารับบริการได้ใช้ห้องน้ำมีสะอาด ถูกสุขอนามัย",
                        "๓. ภายในสำนักงานมีแสงสว่างเพียงพอ",
                        "๔. ประชาชนได้ทราบระเบียบว่าด้วยการให้ประชาชนเข้าฟังการประชุม และการปรึกษาของสภาองค์การบริหารส่วนตำบล",
                        "ผลการประเมินความพึงพอใจอยู่ในระดับ มาก",
                    ]),
                },
            ],
            footer: "องค์การบริหารส่วนตำบลแม่คะตวน".to_string(),
            thai_digits: true,
            draft_mark: None,
            signature: Vec::new(),
            version_note: None,
        }
    }
}
