//! The regulation's text and the flowchart's labels, shared by every SOP manual (the issued ones
//! in `build.rs` and the sample).
//!
//! Source: ระเบียบกระทรวงการคลังว่าด้วยการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ. ๒๕๖๐,
//! ราชกิจจานุเบกษา เล่ม ๑๓๔ ตอนพิเศษ ๒๑๐ ง วันที่ ๒๓ สิงหาคม ๒๕๖๐, หมวด ๙ การบริหารพัสดุ
//! ส่วนที่ ๒ การยืม, ข้อ ๒๐๗–๒๑๑ (https://ratchakitcha.soc.go.th, the Gazette's archive).
//!
//! What was checked, and against what (November 2026):
//! - The Gazette volume, part and date are confirmed by the official English translation printed
//!   with the Gazette page header "Volume 134 Special Part 210 D, Government Gazette, August 23,
//!   2017" (clauses 203–205 on its page 66):
//!   http://winkdesigncorporation.com/ebook/book/book06/files/basic-html/page253.html
//! - The three cases of a durable-item loan (between agencies; a person, inside the premises of
//!   the same agency; outside the premises) and consumables only between agencies are confirmed by
//!   agencies' ITA evidence lists that follow the clauses, e.g.
//!   https://banthihospital.org/banthimain2/ita64_eb15.php and
//!   http://www.sangkhahospital.com/sangkhahospital/?p=1071
//! - The clause numbers' subjects follow the regulation's order: 208 durable items with two
//!   sub-clauses, 209 return and damage of durable items, 210 consumables, 211 follow-up. An
//!   outside reading of the Gazette text found the product had 209 and 210 swapped and cited a
//!   "208 (3)" that does not exist; a school's loan form quotes the damage wording as ข้อ 209.
//! - NOT confirmed: the primary Gazette text itself was not retrievable from here (its PDF is
//!   not in the searchable stores), so the wording below is the closest wording confirmed by the
//!   secondary sources, condensed; `CONFIRMED_WORDING` is false until someone compares it with
//!   the Gazette PDF, and the manual says the texts are summaries ("โดยสรุป").

use super::data::{FlowLabels, LegalClause};

/// The citation printed beside the clauses in the manual.
pub const SOURCE_TH: &str = "ที่มา: ระเบียบกระทรวงการคลังว่าด้วยการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ. ๒๕๖๐ ราชกิจจานุเบกษา เล่ม ๑๓๔ ตอนพิเศษ ๒๑๐ ง วันที่ ๒๓ สิงหาคม ๒๕๖๐ หมวด ๙ ส่วนที่ ๒ การยืม ข้อ ๒๐๗–๒๑๑ (ข้อความข้างต้นเป็นสาระสำคัญโดยสรุป โปรดตรวจสอบถ้อยคำกับราชกิจจานุเบกษา)";

/// Whether the wording below was compared word for word with the Gazette's text (it was not).
pub const CONFIRMED_WORDING: bool = false;

pub const LEGAL_BASIS_INTRO: &str = "ระเบียบกระทรวงการคลังว่าด้วยการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ. ๒๕๖๐ หมวด ๙ การบริหารพัสดุ ส่วนที่ ๒ การยืม กำหนดไว้โดยสรุปดังนี้";

/// What a clause of ส่วนที่ ๒ การยืม is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// Only for the agency's business.
    OfficialUseOnly,
    /// Durable items: who approves, by use.
    DurableApproval,
    /// Returning a durable item in working order; repair, replacement or payment.
    DurableReturnAndDamage,
    /// Consumables: only between agencies, in urgent need; returned in kind.
    ConsumablesBetweenAgencies,
    /// The lender chases the return within 7 days of the due date.
    FollowUp,
}

/// One clause: its number as printed, its subject, and its text in plain Thai.
pub struct Clause {
    pub number_th: &'static str,
    pub subject: Subject,
    pub text_th: &'static str,
}

pub const CLAUSES: [Clause; 5] = [
    Clause {
        number_th: "ข้อ ๒๐๗",
        subject: Subject::OfficialUseOnly,
        text_th: "การยืมหรือนำพัสดุไปใช้ในกิจการซึ่งมิใช่เพื่อประโยชน์ของทางราชการหรือหน่วยงานของรัฐจะกระทำมิได้",
    },
    Clause {
        number_th: "ข้อ ๒๐๘",
        subject: Subject::DurableApproval,
        text_th: "การยืมพัสดุประเภทใช้คงรูป (๑) การยืมระหว่างหน่วยงานของรัฐ ต้องมีหลักฐานการยืมเป็นลายลักษณ์อักษรและได้รับอนุมัติจากหัวหน้าหน่วยงานของรัฐผู้ให้ยืม (๒) การให้บุคคลยืมไปใช้ภายในสถานที่ของหน่วยงานของรัฐเดียวกัน ต้องได้รับอนุมัติจากหัวหน้าหน่วยพัสดุผู้ครอบครองพัสดุนั้น ส่วนการยืมไปใช้นอกสถานที่ของหน่วยงานของรัฐ ต้องได้รับอนุมัติจากหัวหน้าหน่วยงานของรัฐ โดยผู้ยืมต้องทำหลักฐานการยืมเป็นลายลักษณ์อักษรแสดงเหตุผลและกำหนดวันส่งคืน",
    },
    Clause {
        number_th: "ข้อ ๒๐๙",
        subject: Subject::DurableReturnAndDamage,
        text_th: "ผู้ยืมพัสดุประเภทใช้คงรูปต้องนำพัสดุส่งคืนในสภาพที่ใช้การได้เรียบร้อย หากเกิดชำรุดเสียหายหรือใช้การไม่ได้หรือสูญหายไป ผู้ยืมต้องจัดการแก้ไขซ่อมแซมให้คงสภาพเดิมโดยเสียค่าใช้จ่ายของตนเอง หรือชดใช้เป็นพัสดุประเภท ชนิด ขนาด ลักษณะและคุณภาพอย่างเดียวกัน หรือชดใช้เป็นเงินตามราคาที่เป็นอยู่ในขณะยืม ตามหลักเกณฑ์ที่กระทรวงการคลังกำหนด",
    },
    Clause {
        number_th: "ข้อ ๒๑๐",
        subject: Subject::ConsumablesBetweenAgencies,
        text_th: "การยืมพัสดุประเภทใช้สิ้นเปลืองทำได้เฉพาะระหว่างหน่วยงานของรัฐ เมื่อหน่วยงานของรัฐผู้ยืมมีความจำเป็นต้องใช้พัสดุนั้นเป็นการเร่งด่วนและจัดหาไม่ทัน และหน่วยงานของรัฐผู้ให้ยืมมีพัสดุนั้นพอที่จะให้ยืมได้ โดยมีหลักฐานการยืมเป็นลายลักษณ์อักษรและได้รับอนุมัติจากหัวหน้าหน่วยงานของรัฐผู้ให้ยืม ผู้ยืมต้องส่งคืนเป็นพัสดุประเภท ชนิด และปริมาณเดียวกัน",
    },
    Clause {
        number_th: "ข้อ ๒๑๑",
        subject: Subject::FollowUp,
        text_th: "เมื่อครบกำหนดยืม ให้ผู้ให้ยืมหรือเจ้าหน้าที่ผู้รับผิดชอบติดตามทวงพัสดุที่ให้ยืมไปคืนภายใน ๗ วันนับแต่วันครบกำหนด",
    },
];

/// The clause about `subject`, as printed ("ข้อ ๒๐๙").
pub fn clause_of(subject: Subject) -> &'static str {
    CLAUSES.iter().find(|c| c.subject == subject).map(|c| c.number_th).expect("every subject has a clause")
}

/// Clauses 207–211 in plain Thai.
pub fn legal_basis() -> Vec<LegalClause> {
    CLAUSES.iter().map(|c| LegalClause { clause: c.number_th.to_string(), text: c.text_th.to_string() }).collect()
}

impl FlowLabels {
    /// The flowchart's labels in Thai.
    pub fn thai() -> Self {
        FlowLabels {
            start: "เริ่มต้น".into(),
            end: "สิ้นสุด".into(),
            approved: "อนุมัติ".into(),
            rejected: "ไม่อนุมัติ".into(),
            rejected_end: "แจ้งผู้ยืมทราบ / สิ้นสุด".into(),
            damaged: "ชำรุดหรือสูญหาย?".into(),
            yes: "ใช่".into(),
            no: "ไม่ใช่".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pins each clause number to its subject, so a swap (as 209/210 once were) fails here.
    #[test]
    fn each_clause_number_is_pinned_to_its_subject() {
        let pinned: Vec<(&str, Subject)> = CLAUSES.iter().map(|c| (c.number_th, c.subject)).collect();
        assert_eq!(
            pinned,
            [
                ("ข้อ ๒๐๗", Subject::OfficialUseOnly),
                ("ข้อ ๒๐๘", Subject::DurableApproval),
                ("ข้อ ๒๐๙", Subject::DurableReturnAndDamage),
                ("ข้อ ๒๑๐", Subject::ConsumablesBetweenAgencies),
                ("ข้อ ๒๑๑", Subject::FollowUp),
            ]
        );
        assert!(clause_of(Subject::DurableReturnAndDamage) == "ข้อ ๒๐๙");
        assert!(clause_of(Subject::ConsumablesBetweenAgencies) == "ข้อ ๒๑๐");
    }

    #[test]
    fn each_text_speaks_of_its_subject() {
        for c in &CLAUSES {
            let key = match c.subject {
                Subject::OfficialUseOnly => "ประโยชน์ของทางราชการ",
                Subject::DurableApproval => "ใช้คงรูป",
                Subject::DurableReturnAndDamage => "ชำรุด",
                Subject::ConsumablesBetweenAgencies => "ใช้สิ้นเปลือง",
                Subject::FollowUp => "ภายใน ๗ วัน",
            };
            assert!(c.text_th.contains(key), "{} should speak of {key}", c.number_th);
        }
        // Clause 208 has two sub-clauses; outside use is in the second.
        let durable = CLAUSES[1].text_th;
        assert!(durable.contains("(๑)") && durable.contains("(๒)") && !durable.contains("(๓)"));
        assert!(SOURCE_TH.contains("เล่ม ๑๓๔ ตอนพิเศษ ๒๑๐ ง"));
    }
}
