//! The audit page's words: the action and record kind codes stored in the chain (stable English
//! codes, hashed as written) shown to people in Thai.

/// The action of an audit entry in Thai ("create" → "เพิ่ม").
pub fn action_th(code: &str) -> &'static str {
    match code {
        "create" => "เพิ่ม",
        "update" => "แก้ไข",
        "delete" => "ลบ",
        "reorder" => "จัดลำดับใหม่",
        "reset" => "ตั้งรหัสผ่านชั่วคราว",
        "reactivate" => "เปิดใช้งานอีกครั้ง",
        "deactivate" => "ระงับการใช้งาน",
        "login" => "เข้าสู่ระบบ",
        "login_failed" => "เข้าสู่ระบบไม่สำเร็จ",
        "approve" => "อนุมัติ",
        "reject" => "ไม่อนุมัติ",
        "hand_over" => "ส่งมอบพัสดุ",
        "return" => "รับคืนพัสดุ",
        "settle" => "บันทึกการชดใช้",
        "cancel" => "ยกเลิกคำขอ",
        "follow_up" => "ติดตามทวงคืน",
        "escalate" => "ส่งต่อผู้มีอำนาจอนุมัติ",
        "issue" => "ออกเอกสาร",
        "publish" => "เผยแพร่",
        "unpublish" => "ยกเลิกการเผยแพร่",
        "register" => "ลงทะเบียน",
        "check_in" => "ลงชื่อเข้าร่วม",
        "acknowledge" => "รับทราบ",
        "answer" => "ตอบแบบประเมิน",
        "revoke" => "เพิกถอน",
        "write_off" => "จำหน่ายออกจากบัญชี",
        "populate" => "เติมข้อมูลทดสอบความเร็ว",
        "issue_ticket" => "ออกบัตรคิว",
        "call" => "เรียกคิว",
        "recall" => "เรียกคิวซ้ำ",
        "skip" => "ข้ามคิว",
        "transfer" => "ส่งต่อคิว",
        "start" => "เริ่มให้บริการ",
        "finish" => "ให้บริการเสร็จ",
        "load_demo" => "โหลดข้อมูลตัวอย่าง",
        "retry" => "ส่งใหม่",
        "sent" => "ส่งถึงปลายทางแล้ว",
        "send_failed" => "ส่งไม่สำเร็จ",
        _ => "รายการอื่น",
    }
}

/// The kind of record an audit entry is about, in Thai ("item" → "พัสดุ").
pub fn entity_th(code: &str) -> &'static str {
    match code {
        "user" => "ผู้ใช้",
        "user_email" => "อีเมลผู้ใช้",
        "user_password" => "รหัสผ่านผู้ใช้",
        "user_duties" => "หน้าที่ของผู้ใช้",
        "session" => "การเข้าใช้งาน",
        "measure" | "measures" => "มาตรการ",
        "measure_figure" => "ตัวเลขของมาตรการ",
        "measure_report" => "รายงานมาตรการ",
        "evidence" => "หลักฐาน",
        "org" => "หน่วยงาน",
        "loan" => "คำขอยืม",
        "item" => "พัสดุ",
        "item_photo" => "รูปพัสดุ",
        "lending_rules" => "ระเบียบการยืม",
        "delegation" => "คำสั่งมอบอำนาจ",
        "unit_heads" => "หัวหน้าหน่วยที่ถือพัสดุ",
        "manual" | "manual_version" | "lending_manual" => "คู่มือการยืม-คืนพัสดุ",
        "settlement" => "การชดใช้",
        "notice" => "การแจ้งเตือน",
        "bench_data" => "ข้อมูลทดสอบความเร็ว",
        "service" => "งานบริการ",
        "queue_point" => "จุดบริการ",
        "queue_counter" => "ช่องบริการ",
        "queue_ticket" => "บัตรคิว",
        "queue_kiosk" => "ตู้ออกบัตรคิว",
        "queue_history" => "ประวัติบัตรคิว",
        "service_draft" => "ร่างคู่มือสำหรับประชาชน",
        "service_manual" => "คู่มือสำหรับประชาชน",
        "service_form" => "แบบฟอร์มของงานบริการ",
        "survey" => "แบบประเมินความพึงพอใจ",
        "survey_version" => "ฉบับที่เผยแพร่ของแบบประเมินความพึงพอใจ",
        "survey_answers" => "คำตอบแบบประเมินความพึงพอใจ",
        "survey_token" => "ลิงก์ประเมินเฉพาะครั้ง",
        "site" => "ข้อมูลติดต่อบนเว็บไซต์",
        "site_emblem" => "ตราสัญลักษณ์บนเว็บไซต์",
        "news_post" => "ข่าวและประกาศ",
        "document" => "เอกสารเผยแพร่",
        "document_version" => "ไฟล์ฉบับใหม่ของเอกสารเผยแพร่",
        "council_meeting" => "การประชุมสภา",
        "oit_link" => "ลิงก์ข้อมูลสาธารณะ (OIT)",
        "ita_result" => "ผลการประเมิน ITA",
        "ita_reference" => "ค่าเฉลี่ยผลการประเมิน ITA ที่ใช้เปรียบเทียบ",
        "ita_analysis_note" => "ประเด็นที่ต้องแก้ไขจากผลการประเมิน ITA",
        "ita_document" => "เอกสาร ITA (O42/O43)",
        "consultation" => "การรับฟังความคิดเห็น",
        "point_facilities" => "สิ่งอำนวยความสะดวกของจุดบริการ",
        "point_photo" => "รูปจุดบริการ",
        "opinion" => "ความคิดเห็นของประชาชน",
        "complaint" => "เรื่องร้องเรียน",
        "holiday" => "วันหยุดของหน่วยงาน",
        "complaint_reply_days" => "ระยะเวลาดำเนินการเรื่องร้องเรียน",
        "complaint_officer" => "ผู้รับผิดชอบเรื่องร้องเรียนการทุจริต",
        "complaint_line_follower" => "ผู้รับแจ้งความคืบหน้าเรื่องร้องเรียนทาง LINE",
        "publishing_channel" => "ช่องทางเผยแพร่ (LINE, Facebook)",
        "publishing_outbox" => "รายการส่งเผยแพร่",
        "council_registration" => "การลงทะเบียนเข้าฟังการประชุมสภา",
        _ => "ข้อมูลอื่น",
    }
}

/// Who made an audit entry: a user ("username (name)") as recorded; the program's own actors
/// (the demo loader, the command line, the system's jobs) in Thai.
pub fn actor_th(actor: &str) -> &str {
    match actor {
        "demo" => "ข้อมูลตัวอย่าง",
        "cli" => "คำสั่งผู้ดูแลระบบ",
        "system" => "ระบบ",
        // The queue's citizens, who have no account: a kiosk screen, the entrance QR, and the
        // holder of a ticket's code (who may cancel it).
        "kiosk" => "ตู้ออกบัตรคิว",
        "qr" => "ผู้รับบัตรคิวทาง QR",
        "holder" => "ผู้ถือบัตรคิวหรือรหัสยืนยัน",
        "citizen" => "ประชาชน",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every action and record kind written by `audit::record` in the source has its Thai word:
    /// a new code without one would show as "รายการอื่น" (no English on the page, but no meaning).
    #[test]
    fn every_recorded_action_and_kind_has_a_thai_word() {
        let mut missing = Vec::new();
        for (path, code) in crate::source_files::under("src") {
            for call in code.split("audit::record(").skip(1) {
                let call = &call[..call.find(".await").unwrap_or(call.len())];
                // The 4th and 5th arguments: quoted codes among them (an expression may hold two).
                let args: Vec<&str> = call.splitn(6, ',').collect();
                let quoted = |s: &str| s.split('"').skip(1).step_by(2).map(str::to_string).collect::<Vec<_>>();
                for action in args.get(3).map(|a| quoted(a)).unwrap_or_default() {
                    if action_th(&action) == "รายการอื่น" {
                        missing.push(format!("{}: action {action}", path.display()));
                    }
                }
                for entity in args.get(4).map(|a| quoted(a)).unwrap_or_default() {
                    if entity_th(&entity) == "ข้อมูลอื่น" {
                        missing.push(format!("{}: kind {entity}", path.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "audit codes without a Thai word (add them to audit/words.rs): {missing:?}");
        // Codes passed as variables: the workflow's steps and the login's outcomes.
        for code in [
            "approve",
            "reject",
            "hand_over",
            "return",
            "settle",
            "cancel",
            "login",
            "login_failed",
            "recall",
            "skip",
            "transfer",
            "start",
            "finish",
            // The outbox worker's outcomes (publishing::lease::finish).
            "sent",
            "send_failed",
        ] {
            assert_ne!(action_th(code), "รายการอื่น", "{code}");
        }
    }
}
