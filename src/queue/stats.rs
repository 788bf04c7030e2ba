//! Time standards, measured: waiting time (in line until the first call) and service time (start
//! to finish) per service and per counter, their median and 90th percentile, the share served
//! within the service's published standard (`services.standard_minutes`), and the busy hours.
//!
//! A visit is split into legs by its events (`queue_events`): a transfer ends one leg (its service
//! time counts up to the transfer) and starts another in the new service, waiting from the
//! transfer. The median of an even count is the mean of the two middle values; the 90th
//! percentile is the nearest rank (the value at rank ⌈0.9·n⌉).

use std::collections::BTreeMap;

use sqlx::Row;

use super::CounterId;
use crate::db::Db;
use crate::orgs::OrgId;
use crate::services::ServiceId;

/// One row of `queue_events` as the statistics read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRow {
    pub ticket: i64,
    pub service: ServiceId,
    pub counter: Option<CounterId>,
    pub kind: String,
    pub at: i64,
}

/// A ticket's time in one service's line and at its counter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Leg {
    pub ticket: i64,
    pub service: Option<ServiceId>,
    pub counter: Option<CounterId>,
    /// When it began to wait: issue, or the transfer that brought it here.
    pub waiting_from: i64,
    pub called_at: Option<i64>,
    pub started_at: Option<i64>,
    /// Finish, or the transfer that took it away while being served.
    pub ended_at: Option<i64>,
    pub finished: bool,
}

impl Leg {
    pub fn wait_ms(&self) -> Option<i64> {
        self.called_at.map(|c| c - self.waiting_from)
    }

    pub fn service_ms(&self) -> Option<i64> {
        match (self.started_at, self.ended_at) {
            (Some(s), Some(e)) => Some(e - s),
            _ => None,
        }
    }
}

/// Splits events (ordered by ticket, then as they happened) into legs.
pub fn legs(events: &[EventRow]) -> Vec<Leg> {
    let mut legs: Vec<Leg> = Vec::new();
    let mut current: Option<Leg> = None;
    for e in events {
        if current.as_ref().is_some_and(|l| l.ticket != e.ticket) {
            legs.extend(current.take());
        }
        match e.kind.as_str() {
            "issue" => {
                legs.extend(current.take());
                current =
                    Some(Leg { ticket: e.ticket, service: Some(e.service), waiting_from: e.at, ..Leg::default() });
            }
            "transfer" => {
                if let Some(mut leg) = current.take() {
                    if leg.started_at.is_some() && leg.ended_at.is_none() {
                        leg.ended_at = Some(e.at);
                    }
                    legs.push(leg);
                }
                current =
                    Some(Leg { ticket: e.ticket, service: Some(e.service), waiting_from: e.at, ..Leg::default() });
            }
            kind => {
                let Some(leg) = current.as_mut() else { continue };
                match kind {
                    "call" => {
                        if leg.called_at.is_none() {
                            leg.called_at = Some(e.at);
                        }
                        leg.counter = e.counter.or(leg.counter);
                    }
                    "recall" | "start" => {
                        leg.counter = e.counter.or(leg.counter);
                        if kind == "start" && leg.started_at.is_none() {
                            leg.started_at = Some(e.at);
                        }
                    }
                    "finish" => {
                        leg.ended_at = Some(e.at);
                        leg.finished = true;
                    }
                    _ => {}
                }
            }
        }
    }
    legs.extend(current);
    legs
}

/// The median of sorted values (the mean of the two middle ones for an even count).
pub fn median(sorted: &[i64]) -> Option<i64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2),
    }
}

/// The 90th percentile of sorted values by nearest rank.
pub fn p90(sorted: &[i64]) -> Option<i64> {
    let n = sorted.len();
    (n > 0).then(|| sorted[(n * 9).div_ceil(10) - 1])
}

/// The figures of one group of legs (a service, a counter, or all).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    /// Legs that joined the line (tickets, and transfers into it).
    pub tickets: i64,
    /// Legs whose service finished.
    pub served: i64,
    pub wait_median_ms: Option<i64>,
    pub wait_p90_ms: Option<i64>,
    pub service_median_ms: Option<i64>,
    pub service_p90_ms: Option<i64>,
    /// Finished legs whose service time was within the standard, of those with a standard.
    pub within_standard: i64,
    pub with_standard: i64,
}

impl Figures {
    /// Percent served within the standard (None without a standard or without service).
    pub fn within_percent(&self) -> Option<f64> {
        (self.with_standard > 0).then(|| self.within_standard as f64 * 100.0 / self.with_standard as f64)
    }
}

/// The figures of `legs`, with each service's standard in minutes.
pub fn figures<'a>(legs: impl IntoIterator<Item = &'a Leg>, standards: &BTreeMap<ServiceId, i64>) -> Figures {
    let mut f = Figures::default();
    let mut waits = Vec::new();
    let mut services = Vec::new();
    for leg in legs {
        f.tickets += 1;
        waits.extend(leg.wait_ms());
        if leg.finished {
            f.served += 1;
            if let Some(ms) = leg.service_ms() {
                services.push(ms);
                if let Some(minutes) = leg.service.and_then(|s| standards.get(&s)) {
                    f.with_standard += 1;
                    if ms <= minutes * 60_000 {
                        f.within_standard += 1;
                    }
                }
            }
        }
    }
    waits.sort_unstable();
    services.sort_unstable();
    f.wait_median_ms = median(&waits);
    f.wait_p90_ms = p90(&waits);
    f.service_median_ms = median(&services);
    f.service_p90_ms = p90(&services);
    f
}

/// The statistics of a period.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub all: Figures,
    pub by_service: BTreeMap<ServiceId, Figures>,
    pub by_counter: BTreeMap<CounterId, Figures>,
    /// Tickets issued per hour of the day (Thai time), 0–23.
    pub by_hour: [i64; 24],
    /// Days with at least one ticket.
    pub days: i64,
}

/// Builds the report of events (ordered by ticket, then as they happened).
pub fn report(events: &[EventRow], standards: &BTreeMap<ServiceId, i64>) -> Report {
    let legs = legs(events);
    let mut r = Report { all: figures(&legs, standards), ..Report::default() };
    let mut services: BTreeMap<ServiceId, Vec<&Leg>> = BTreeMap::new();
    let mut counters: BTreeMap<CounterId, Vec<&Leg>> = BTreeMap::new();
    for leg in &legs {
        if let Some(s) = leg.service {
            services.entry(s).or_default().push(leg);
        }
        if let Some(c) = leg.counter {
            counters.entry(c).or_default().push(leg);
        }
    }
    r.by_service = services.into_iter().map(|(s, l)| (s, figures(l, standards))).collect();
    r.by_counter = counters.into_iter().map(|(c, l)| (c, figures(l, standards))).collect();
    let mut days = std::collections::BTreeSet::new();
    for e in events.iter().filter(|e| e.kind == "issue") {
        r.by_hour[super::thai_hour(e.at) as usize] += 1;
        days.insert(super::thai_day(e.at));
    }
    r.days = days.len() as i64;
    r
}

/// The events of tickets issued in `[from_ms, to_ms)` (a service's figures are its legs in the
/// report: `Report::by_service`).
pub async fn events(db: &Db, org: OrgId, from_ms: i64, to_ms: i64) -> Result<Vec<EventRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT e.ticket_id, COALESCE(e.service_id, (SELECT t.service_id FROM queue_tickets t WHERE t.id = e.ticket_id)),
                e.counter_id, e.kind, e.at FROM queue_events e
         WHERE e.org_id = $1 AND e.ticket_id IN (
             SELECT i.ticket_id FROM queue_events i WHERE i.org_id = $1 AND i.kind = 'issue' AND i.at >= $2 AND i.at < $3)

         ORDER BY e.ticket_id, e.id",
    )
    .bind(org.0)
    .bind(from_ms)
    .bind(to_ms)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(EventRow {
                ticket: r.try_get(0)?,
                service: ServiceId(r.try_get(1)?),
                counter: r.try_get::<Option<i64>, _>(2)?.map(CounterId),
                kind: r.try_get(3)?,
                at: r.try_get(4)?,
            })
        })
        .collect()
}

/// Each service's standard in minutes (services without one are left out).
pub async fn standards(db: &Db, org: OrgId) -> anyhow::Result<BTreeMap<ServiceId, i64>> {
    Ok(crate::services::store::list(db, org, true)
        .await?
        .into_iter()
        .filter_map(|s| s.standard_minutes.map(|m| (s.id, m)))
        .collect())
}

/// The report of the Thai days `first..=last`.
pub async fn for_days(db: &Db, org: OrgId, first: i64, last: i64) -> anyhow::Result<Report> {
    let events = events(db, org, super::day_start_ms(first), super::day_start_ms(last + 1)).await?;
    Ok(report(&events, &standards(db, org).await?))
}

/// The line a measure cites (`measures::figures`, "queue.summary"): tickets issued from `from` to
/// `to` (Thai calendar days), and the out-of-order steps of those days.
pub async fn summary_for(
    db: &Db,
    org: &crate::orgs::Org,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> anyhow::Result<String> {
    let (first, last) = (super::day_of_date(from), super::day_of_date(to));
    let report = for_days(db, org.id, first, last).await?;
    let (out_of_order,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM queue_events WHERE org_id = $1 AND at >= $2 AND at < $3 AND out_of_order <> ''",
    )
    .bind(org.id.0)
    .bind(super::day_start_ms(first))
    .bind(super::day_start_ms(last + 1))
    .fetch_one(&db.pool)
    .await?;
    Ok(summary_line(&report, out_of_order, org.digits))
}

/// Minutes with one decimal in the organization's digits ("๑๒.๕"), "–" for none.
pub fn minutes(ms: Option<i64>, digits: crate::thai::Digits) -> String {
    ms.map_or("–".to_string(), |ms| digits.apply(&format!("{:.1}", ms as f64 / 60_000.0)))
}

/// A percentage with one decimal ("๘๗.๕%"), "–" for none.
pub fn percent(p: Option<f64>, digits: crate::thai::Digits) -> String {
    p.map_or("–".to_string(), |p| digits.apply(&format!("{p:.1}%")))
}

/// One line of Thai for a measure's results (`measures::figures`, "queue.summary").
pub fn summary_line(r: &Report, out_of_order: i64, digits: crate::thai::Digits) -> String {
    let n = |v: i64| crate::thai::format_grouped(v, digits);
    let mut line = format!("ให้บริการตามบัตรคิว {} ราย", n(r.all.served));
    if let Some(p) = r.all.within_percent() {
        line.push_str(&format!(" ได้รับบริการภายในเวลามาตรฐานที่ประกาศ {}", percent(Some(p), digits)));
    }
    if r.all.wait_median_ms.is_some() {
        line.push_str(&format!(" เวลารอ (มัธยฐาน) {} นาที", minutes(r.all.wait_median_ms, digits)));
    }
    line.push_str(&format!(" เรียกนอกลำดับ {} ครั้ง มีเหตุผลบันทึกทุกครั้ง", n(out_of_order)));
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: i64 = 60_000;

    fn e(ticket: i64, service: i64, counter: Option<i64>, kind: &str, minute: i64) -> EventRow {
        EventRow {
            ticket,
            service: ServiceId(service),
            counter: counter.map(CounterId),
            kind: kind.into(),
            at: minute * M,
        }
    }

    #[test]
    fn median_and_90th_percentile_match_the_hand_computed_values() {
        assert_eq!(median(&[1, 3, 8]), Some(3));
        assert_eq!(median(&[1, 3, 8, 10]), Some(5));
        assert_eq!(median(&[]), None);
        // Ten values: rank ⌈9⌉ = 9th; eleven values: rank ⌈9.9⌉ = 10th.
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(p90(&ten), Some(9));
        let eleven: Vec<i64> = (1..=11).collect();
        assert_eq!(p90(&eleven), Some(10));
        assert_eq!(p90(&[7]), Some(7));
    }

    #[test]
    fn a_transfer_ends_one_leg_and_starts_the_wait_in_the_new_service() {
        let events = vec![
            e(1, 10, None, "issue", 0),
            e(1, 10, Some(1), "call", 5),
            e(1, 10, Some(1), "start", 6),
            e(1, 20, Some(1), "transfer", 9),
            e(1, 20, Some(2), "call", 15),
            e(1, 20, Some(2), "start", 16),
            e(1, 20, Some(2), "finish", 30),
        ];
        let l = legs(&events);
        assert_eq!(l.len(), 2);
        assert_eq!((l[0].wait_ms(), l[0].service_ms(), l[0].finished), (Some(5 * M), Some(3 * M), false));
        assert_eq!((l[1].wait_ms(), l[1].service_ms(), l[1].finished), (Some(6 * M), Some(14 * M), true));
        assert_eq!(l[1].counter, Some(CounterId(2)));
    }

    #[test]
    fn figures_per_service_and_counter_match_the_hand_computed_values() {
        // Service 10 (standard 10 min): waits 5, 2, 9 min; services 8, 12 min (one skipped).
        let events = vec![
            e(1, 10, None, "issue", 0),
            e(1, 10, Some(1), "call", 5),
            e(1, 10, Some(1), "start", 6),
            e(1, 10, Some(1), "finish", 14),
            e(2, 10, None, "issue", 10),
            e(2, 10, Some(2), "call", 12),
            e(2, 10, Some(2), "start", 13),
            e(2, 10, Some(2), "finish", 25),
            e(3, 10, None, "issue", 11),
            e(3, 10, Some(1), "call", 20),
            e(3, 10, Some(1), "recall", 22),
            e(3, 10, Some(1), "skip", 24),
        ];
        let standards = BTreeMap::from([(ServiceId(10), 10)]);
        let r = report(&events, &standards);
        let s = &r.by_service[&ServiceId(10)];
        assert_eq!((s.tickets, s.served), (3, 2));
        // Waits sorted 2, 5, 9: median 5, p90 rank 3 = 9.
        assert_eq!((s.wait_median_ms, s.wait_p90_ms), (Some(5 * M), Some(9 * M)));
        // Services 8, 12: median 10, p90 rank 2 = 12; one of two within 10 minutes.
        assert_eq!((s.service_median_ms, s.service_p90_ms), (Some(10 * M), Some(12 * M)));
        assert_eq!((s.within_standard, s.with_standard), (1, 2));
        assert_eq!(s.within_percent(), Some(50.0));
        let c1 = &r.by_counter[&CounterId(1)];
        assert_eq!((c1.tickets, c1.served, c1.wait_median_ms), (2, 1, Some(7 * M)));
        assert_eq!(r.by_hour[7], 3, "minute 0–11 after the epoch is 07:00–07:11 in Thailand");
        assert_eq!(r.days, 1);
        assert_eq!(
            summary_line(&r, 2, crate::thai::Digits::Thai),
            "ให้บริการตามบัตรคิว ๒ ราย ได้รับบริการภายในเวลามาตรฐานที่ประกาศ ๕๐.๐% เวลารอ (มัธยฐาน) ๕.๐ นาที เรียกนอกลำดับ ๒ ครั้ง มีเหตุผลบันทึกทุกครั้ง"
        );
    }
}
