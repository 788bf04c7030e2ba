//! What the stream sends a board, as JSON, every string final (digits in the organization's set).

use serde::Serialize;

use super::store::{QueueEvent, Waiting};
use super::voice;
use crate::thai::Digits;

/// A call younger than this is announced when it reaches a board; older ones (a board catching up
/// after a long cut) are only shown.
pub const ANNOUNCE_WITHIN_MS: i64 = 60_000;

/// One queue event for a board.
#[derive(Debug, Serialize)]
pub struct WireEvent<'a> {
    pub id: i64,
    pub point: i64,
    pub kind: &'a str,
    pub counter_id: Option<i64>,
    pub counter: String,
    pub label: String,
    pub service: &'a str,
    /// The time of day it happened: "๑๐:๓๒".
    pub time: String,
    /// Whether the board should say it (a call made within [`ANNOUNCE_WITHIN_MS`]).
    pub announce: bool,
    /// For the device's Thai voice; empty unless a call.
    pub speech: String,
    /// The bundled clips to play in order when the device has no Thai voice.
    pub clips: Vec<String>,
}

impl<'a> WireEvent<'a> {
    pub fn new(event: &'a QueueEvent, digits: Digits, now_ms: i64) -> Self {
        let counter = event.counter.as_deref().unwrap_or_default();
        let (speech, clips) = if event.is_call() {
            let words = voice::call_words(&event.label, counter);
            (voice::speech(&words), words.iter().map(|w| w.clip()).collect())
        } else {
            (String::new(), Vec::new())
        };
        WireEvent {
            id: event.id,
            point: event.point_id,
            kind: &event.kind,
            counter_id: event.counter_id,
            counter: digits.apply(counter),
            // As printed on the ticket (see `page.rs`).
            label: event.label.clone(),
            service: &event.service,
            time: time_of_day(event.at_ms, digits),
            announce: event.is_call() && now_ms - event.at_ms <= ANNOUNCE_WITHIN_MS,
            speech,
            clips,
        }
    }

    pub fn json(&self) -> String {
        serde_json::to_string(self).expect("plain data serializes")
    }
}

/// "10:32" in Thailand's time, in `digits`.
pub fn time_of_day(at_ms: i64, digits: Digits) -> String {
    let minutes = (at_ms + 7 * 3600 * 1000).div_euclid(60_000).rem_euclid(24 * 60);
    digits.apply(&format!("{:02}:{:02}", minutes / 60, minutes % 60))
}

/// The waiting counts of one point.
#[derive(Debug, Serialize)]
pub struct WireCounts {
    pub point: i64,
    pub services: Vec<WireWaiting>,
}

#[derive(Debug, Serialize)]
pub struct WireWaiting {
    pub service_id: i64,
    pub name: String,
    pub waiting: String,
}

/// One JSON text per point in `waiting` (which is ordered by point).
pub fn counts_by_point(waiting: &[Waiting], digits: Digits) -> Vec<(i64, String)> {
    let mut out: Vec<(i64, WireCounts)> = Vec::new();
    for w in waiting {
        if out.last().is_none_or(|(p, _)| *p != w.point_id) {
            out.push((w.point_id, WireCounts { point: w.point_id, services: Vec::new() }));
        }
        let (_, counts) = out.last_mut().expect("pushed above");
        counts.services.push(WireWaiting {
            service_id: w.service_id,
            name: w.service.clone(),
            waiting: crate::thai::format_grouped(w.count, digits),
        });
    }
    out.into_iter().map(|(p, c)| (p, serde_json::to_string(&c).expect("plain data serializes"))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_is_sent_in_the_organization_digits_with_its_label_as_printed_and_its_words() {
        let event = QueueEvent {
            id: 7,
            point_id: 1,
            kind: "call".into(),
            counter_id: Some(3),
            counter: Some("ช่องบริการ 2".into()),
            label: "A012".into(),
            service: "ภาษีป้าย".into(),
            // 2026-11-30 03:32 UTC: 10:32 in Thailand.
            at_ms: 1_796_009_520_000,
        };
        let wire = WireEvent::new(&event, Digits::Thai, event.at_ms + 1_000);
        // The label as on the paper ticket; the counter and the time in the organization's digits.
        assert_eq!(wire.label, "A012");
        assert_eq!(wire.counter, "ช่องบริการ ๒");
        assert_eq!(wire.time, "๑๐:๓๒");
        assert!(wire.announce);
        assert_eq!(wire.speech, "หมายเลข เอ ศูนย์ หนึ่ง สอง เชิญที่ช่องบริการ สอง");
        let late = WireEvent::new(&event, Digits::Arabic, event.at_ms + ANNOUNCE_WITHIN_MS + 1);
        assert!(!late.announce, "an old call caught up after a cut is shown, not said");
        assert_eq!(late.label, "A012");
        let issued = QueueEvent { kind: "issue".into(), ..event };
        let wire = WireEvent::new(&issued, Digits::Thai, 0);
        assert!(!wire.announce && wire.speech.is_empty() && wire.clips.is_empty());
    }
}
