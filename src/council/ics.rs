//! The council's meetings as an iCalendar feed (RFC 5545), for a phone's calendar. Pure.

use super::store::Meeting;

/// How long a meeting is shown in a calendar (the schedule gives only its start).
const SHOWN_SECONDS: i64 = 3 * 3600;

/// RFC 5545 TEXT escaping: backslash, semicolon, comma and line breaks.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets without splitting a UTF-8 character (Thai is 3 octets each).
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

fn utc(epoch_seconds: i64) -> String {
    chrono::DateTime::from_timestamp(epoch_seconds, 0).unwrap_or_default().format("%Y%m%dT%H%M%SZ").to_string()
}

/// The calendar of `meetings`; `host` names the UIDs, `base` makes the links absolute.
pub fn calendar(org_name: &str, host: &str, base: &str, slug: &str, meetings: &[Meeting]) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".into(),
        "PRODID:-//Prongsai//Council meetings//TH".into(),
        "CALSCALE:GREGORIAN".into(),
        format!("X-WR-CALNAME:{}", text(&format!("การประชุมสภา {org_name}"))),
        "X-WR-TIMEZONE:Asia/Bangkok".into(),
    ] {
        out.push_str(&fold(&line));
    }
    for m in meetings {
        let d = &m.details;
        let mut lines = vec![
            "BEGIN:VEVENT".to_string(),
            format!("UID:council-{}@{}", m.id, host),
            format!("DTSTAMP:{}", utc(m.updated_at)),
            format!("DTSTART:{}", utc(d.starts_at)),
            format!("DTEND:{}", utc(d.starts_at + SHOWN_SECONDS)),
            format!("SUMMARY:{}", text(&d.title)),
            format!("LOCATION:{}", text(&d.place)),
            format!("URL:{base}/o/{slug}/council/{}", m.id),
        ];
        if !d.agenda.is_empty() {
            lines.push(format!("DESCRIPTION:{}", text(&d.agenda)));
        }
        lines.push(format!("STATUS:{}", if d.cancelled { "CANCELLED" } else { "CONFIRMED" }));
        lines.push("END:VEVENT".into());
        for line in lines {
            out.push_str(&fold(&line));
        }
    }
    out.push_str(&fold("END:VCALENDAR"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::council::store::MeetingDetails;

    #[test]
    fn the_feed_escapes_text_and_folds_long_thai_lines_between_characters() {
        let meeting = Meeting {
            id: 7,
            details: MeetingDetails {
                title: "การประชุมสภาองค์การบริหารส่วนตำบลแม่คะตวน สมัยสามัญ สมัยที่ ๑, ครั้งที่ ๑/๒๕๖๙; ห้องประชุม".into(),
                starts_at: 1_767_232_800,
                place: "ห้องประชุมสภา".into(),
                agenda: "ระเบียบวาระที่ ๑\nระเบียบวาระที่ ๒".into(),
                seats: 20,
                cancelled: false,
                minutes_document_id: None,
            },
            updated_at: 1_767_000_000,
        };
        let ics = calendar("อบต.แม่คะตวน", "example.go.th", "https://example.go.th", "mae-khatuan", &[meeting]);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "an unfolded line of {} octets: {line}", line.len());
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(
            unfolded.contains("SUMMARY:การประชุมสภาองค์การบริหารส่วนตำบลแม่คะตวน สมัยสามัญ สมัยที่ ๑\\, ครั้งที่ ๑/๒๕๖๙\\; ห้องประชุม")
        );
        assert!(unfolded.contains("DESCRIPTION:ระเบียบวาระที่ ๑\\nระเบียบวาระที่ ๒"));
        assert!(unfolded.contains("DTSTART:20260101T020000Z"), "{unfolded}");
        assert!(unfolded.contains("UID:council-7@example.go.th"));
    }
}
