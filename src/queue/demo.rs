//! The demo organization's queue: one service point (ศูนย์บริการร่วม) with two counters, and the
//! last five working days of tickets, made by a deterministic simulation that calls by the
//! point's own rule, so that the statistics and the fairness summary show something true to it.

use super::rules::{self, Candidate, OutOfOrder, PriorityGroup};
use super::store::{self, RuleInput};
use super::{CounterId, PointId, day_start_ms, thai_day};
use crate::db::Db;
use crate::orgs::Org;
use crate::services::ServiceId;

/// Ticket letters of the demo's services, in catalogue order.
const PREFIXES: [&str; 8] = ["A", "B", "C", "D", "E", "F", "G", "H"];
/// Services (by catalogue position, from 0) each counter serves: finance at 1, the rest at 2;
/// general requests at both.
const COUNTER_1: [usize; 4] = [0, 1, 6, 7];
const COUNTER_2: [usize; 5] = [2, 3, 4, 5, 7];
const DAYS: i64 = 5;

/// Creates the point, its services and counters, and the history.
pub async fn load(db: &Db, org: &Org) -> anyhow::Result<()> {
    let services = crate::services::store::list(db, org.id, false).await?;
    let mut tx = db.write(org.id).await?;
    let input = RuleInput {
        name: "ศูนย์บริการร่วม (One Stop Service)",
        priority_every: 2,
        recall_limit: 2,
        rule_note: "ผู้สูงอายุ ผู้พิการ หญิงตั้งครรภ์ และพระภิกษุสงฆ์ แจ้งที่ตู้ออกบัตรคิวหรือเจ้าหน้าที่ประชาสัมพันธ์",
    };
    let point =
        store::create_point(&mut tx, org.id, &input, "demo").await?.map_err(|p| anyhow::anyhow!("demo point: {p}"))?;
    for (service, prefix) in services.iter().zip(PREFIXES) {
        store::set_point_service(&mut tx, org.id, point, service.id, prefix, "demo")
            .await?
            .map_err(|p| anyhow::anyhow!("demo service {}: {p}", service.name))?;
    }
    let pick =
        |positions: &[usize]| positions.iter().filter_map(|&i| services.get(i).map(|s| s.id)).collect::<Vec<_>>();
    let one = store::create_counter(&mut tx, org.id, point, "ช่องบริการ ๑", &pick(&COUNTER_1), "demo")
        .await?
        .map_err(|p| anyhow::anyhow!("demo counter: {p}"))?;
    let two = store::create_counter(&mut tx, org.id, point, "ช่องบริการ ๒", &pick(&COUNTER_2), "demo")
        .await?
        .map_err(|p| anyhow::anyhow!("demo counter: {p}"))?;
    let lines: Vec<SimService> = services
        .iter()
        .zip(PREFIXES)
        .map(|(s, prefix)| SimService { id: s.id, prefix, minutes: s.standard_minutes.unwrap_or(15) })
        .collect();
    let counters = [(one, pick(&COUNTER_1)), (two, pick(&COUNTER_2))];
    let today = thai_day(super::now_ms());
    let days = working_days_before(today, DAYS);
    let history = simulate(&days, &lines, &counters, input.priority_every);
    write_history(&mut tx, org, point, &history).await?;
    tx.commit().await?;
    Ok(())
}

/// The `n` working days (Monday to Friday) before `today`, oldest first.
fn working_days_before(today: i64, n: i64) -> Vec<i64> {
    use chrono::Datelike;
    let mut days = Vec::new();
    let mut day = today - 1;
    while (days.len() as i64) < n {
        if super::date_of_day(day).weekday().num_days_from_monday() < 5 {
            days.push(day);
        }
        day -= 1;
    }
    days.reverse();
    days
}

#[derive(Clone, Debug)]
struct SimService {
    id: ServiceId,
    prefix: &'static str,
    minutes: i64,
}

/// One simulated ticket with its events.
#[derive(Clone, Debug, PartialEq)]
struct SimTicket {
    day: i64,
    service: ServiceId,
    number: i64,
    label: String,
    priority: Option<PriorityGroup>,
    issued_at: i64,
    counter: Option<CounterId>,
    called_at: Option<i64>,
    started_at: Option<i64>,
    finished_at: Option<i64>,
    skipped: bool,
    recalls: i64,
    events: Vec<SimEvent>,
}

#[derive(Clone, Debug, PartialEq)]
struct SimEvent {
    kind: &'static str,
    counter: Option<CounterId>,
    out_of_order: Option<OutOfOrder>,
    reason: String,
    at: i64,
}

/// xorshift64*: the same history every time for the same days.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

const MINUTE: i64 = 60_000;

fn simulate(
    days: &[i64],
    services: &[SimService],
    counters: &[(CounterId, Vec<ServiceId>)],
    priority_every: i64,
) -> Vec<SimTicket> {
    let mut all = Vec::new();
    for &day in days {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (day as u64).wrapping_mul(0x1000_0001));
        // Arrivals: more in the morning and after lunch (hours 8–15, Thai time).
        let weights: [(i64, u64); 7] = [(8, 2), (9, 4), (10, 3), (11, 2), (13, 3), (14, 2), (15, 1)];
        let total: u64 = weights.iter().map(|w| w.1).sum();
        let count = 30 + rng.below(12) as usize;
        let mut arrivals: Vec<i64> = (0..count)
            .map(|_| {
                let mut pick = rng.below(total);
                let hour = weights
                    .iter()
                    .find(|(_, w)| {
                        if pick < *w {
                            true
                        } else {
                            pick -= w;
                            false
                        }
                    })
                    .map_or(9, |w| w.0);
                let minute = if hour == 8 { 30 + rng.below(30) as i64 } else { rng.below(60) as i64 };
                day_start_ms(day) + hour * 60 * MINUTE + minute * MINUTE + rng.below(60) as i64 * 1000
            })
            .collect();
        arrivals.sort_unstable();
        let mut numbers = vec![0i64; services.len()];
        let mut tickets: Vec<SimTicket> = arrivals
            .iter()
            .map(|&at| {
                let s = rng.below(services.len() as u64) as usize;
                numbers[s] += 1;
                let priority = (rng.below(6) == 0).then(|| PriorityGroup::ALL[rng.below(4) as usize]);
                SimTicket {
                    day,
                    service: services[s].id,
                    number: numbers[s],
                    label: format!("{}{:03}", services[s].prefix, numbers[s]),
                    priority,
                    issued_at: at,
                    counter: None,
                    called_at: None,
                    started_at: None,
                    finished_at: None,
                    skipped: false,
                    recalls: 0,
                    events: vec![SimEvent {
                        kind: "issue",
                        counter: None,
                        out_of_order: None,
                        reason: String::new(),
                        at,
                    }],
                }
            })
            .collect();
        let mut free_at: Vec<i64> =
            counters.iter().map(|_| day_start_ms(day) + 8 * 60 * MINUTE + 30 * MINUTE).collect();
        let mut ordinary_since = 0;
        let mut calls = 0;
        // The counter free first takes its next ticket.
        while let Some((c, _)) = free_at.iter().enumerate().min_by_key(|(_, t)| **t) {
            let (counter, serves) = &counters[c];
            let open: Vec<usize> = (0..tickets.len())
                .filter(|&i| tickets[i].called_at.is_none() && serves.contains(&tickets[i].service))
                .collect();
            if open.is_empty() {
                free_at[c] = i64::MAX;
                if free_at.iter().all(|t| *t == i64::MAX) {
                    break;
                }
                continue;
            }
            let now = free_at[c].max(open.iter().map(|&i| tickets[i].issued_at).min().unwrap_or(0));
            let waiting: Vec<Candidate> = open
                .iter()
                .filter(|&&i| tickets[i].issued_at <= now)
                .map(|&i| Candidate {
                    id: i as i64,
                    queued_at: tickets[i].issued_at,
                    priority: tickets[i].priority.is_some(),
                })
                .collect();
            let Some((id, out_of_order)) = rules::next(&waiting, priority_every, ordinary_since) else { break };
            let t = &mut tickets[id as usize];
            calls += 1;
            ordinary_since = if t.priority.is_some() { 0 } else { ordinary_since + 1 };
            let reason = match out_of_order {
                Some(OutOfOrder::Priority) => format!(
                    "{} ตามกฎเรียกคิวพิเศษ ๑ ใน {} ครั้ง",
                    t.priority.map_or("", PriorityGroup::label_th),
                    crate::thai::format_int(priority_every, crate::thai::Digits::Thai)
                ),
                _ => String::new(),
            };
            t.counter = Some(*counter);
            t.called_at = Some(now);
            t.events.push(SimEvent { kind: "call", counter: Some(*counter), out_of_order, reason, at: now });
            if calls % 11 == 0 {
                // A citizen who did not come: called again once, then skipped.
                t.recalls = 1;
                t.skipped = true;
                let recall = "ผู้รับบริการยังไม่มาที่ช่อง".to_string();
                t.events.push(SimEvent {
                    kind: "recall",
                    counter: Some(*counter),
                    out_of_order: Some(OutOfOrder::Recall),
                    reason: recall,
                    at: now + 2 * MINUTE,
                });
                let skip = "เรียกแล้วไม่มาที่ช่องบริการ".to_string();
                t.events.push(SimEvent {
                    kind: "skip",
                    counter: Some(*counter),
                    out_of_order: Some(OutOfOrder::Skip),
                    reason: skip,
                    at: now + 4 * MINUTE,
                });
                free_at[c] = now + 4 * MINUTE;
                continue;
            }
            let minutes = services.iter().find(|s| s.id == t.service).map_or(15, |s| s.minutes);
            // Most within the standard, some over: 50 % to 130 % of it.
            let service_ms = minutes * MINUTE * (50 + rng.below(81) as i64) / 100;
            let started = now + MINUTE;
            let finished = started + service_ms;
            t.started_at = Some(started);
            t.finished_at = Some(finished);
            t.events.push(SimEvent {
                kind: "start",
                counter: Some(*counter),
                out_of_order: None,
                reason: String::new(),
                at: started,
            });
            t.events.push(SimEvent {
                kind: "finish",
                counter: Some(*counter),
                out_of_order: None,
                reason: String::new(),
                at: finished,
            });
            free_at[c] = finished + MINUTE / 2;
        }
        all.extend(tickets);
    }
    all
}

/// Writes the simulated tickets, their numbers and events in the caller's transaction, with one
/// audit entry for the whole history.
async fn write_history(tx: &mut crate::db::Tx, org: &Org, point: PointId, history: &[SimTicket]) -> anyhow::Result<()> {
    use sqlx::Row;
    for chunk in history.chunks(50) {
        let mut sql = String::from(
            "INSERT INTO queue_tickets (org_id, point_id, service_id, day, number, label, code, priority_group, channel, status,
                counter_id, queued_at, issued_at, called_at, started_at, finished_at, recalls) VALUES ",
        );
        let per = 17;
        for (i, _) in chunk.iter().enumerate() {
            let b = i * per;
            sql.push_str(if i == 0 { "(" } else { ", (" });
            sql.push_str(&(1..=per).map(|k| format!("${}", b + k)).collect::<Vec<_>>().join(", "));
            sql.push(')');
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for t in chunk {
            // Random like every ticket's: the history is the same, its status pages are not guessable.
            let code = super::tickets::new_code();
            let status = if t.skipped {
                "skipped"
            } else if t.finished_at.is_some() {
                "done"
            } else {
                "waiting"
            };
            q = q
                .bind(org.id.0)
                .bind(point.0)
                .bind(t.service.0)
                .bind(t.day)
                .bind(t.number)
                .bind(t.label.clone())
                .bind(code)
                .bind(t.priority.map_or("", PriorityGroup::code))
                .bind(if t.number % 4 == 0 { "staff" } else { "kiosk" })
                .bind(status)
                .bind(t.counter.map(|c| c.0))
                .bind(t.issued_at)
                .bind(t.issued_at)
                .bind(t.called_at)
                .bind(t.started_at)
                .bind(t.finished_at)
                .bind(t.recalls);
        }
        q.execute(&mut **tx).await?;
    }
    let rows = sqlx::query("SELECT id, day, service_id, number FROM queue_tickets WHERE org_id = $1 AND point_id = $2")
        .bind(org.id.0)
        .bind(point.0)
        .fetch_all(&mut **tx)
        .await?;
    let mut ids = std::collections::HashMap::new();
    for r in &rows {
        ids.insert(
            (r.try_get::<i64, _>(1)?, r.try_get::<i64, _>(2)?, r.try_get::<i64, _>(3)?),
            r.try_get::<i64, _>(0)?,
        );
    }
    // Events in time order across tickets, as a real day would append them.
    let mut events: Vec<(i64, ServiceId, &SimEvent)> = Vec::new();
    for t in history {
        let id = ids[&(t.day, t.service.0, t.number)];
        events.extend(t.events.iter().map(|e| (id, t.service, e)));
    }
    events.sort_by_key(|(id, _, e)| (e.at, *id));
    for chunk in events.chunks(80) {
        let mut sql = String::from(
            "INSERT INTO queue_events (org_id, point_id, ticket_id, counter_id, service_id, kind, out_of_order, reason, actor, at) VALUES ",
        );
        let per = 10;
        for (i, _) in chunk.iter().enumerate() {
            let b = i * per;
            sql.push_str(if i == 0 { "(" } else { ", (" });
            sql.push_str(&(1..=per).map(|k| format!("${}", b + k)).collect::<Vec<_>>().join(", "));
            sql.push(')');
        }
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (id, service, e) in chunk {
            q = q
                .bind(org.id.0)
                .bind(point.0)
                .bind(*id)
                .bind(e.counter.map(|c| c.0))
                .bind(service.0)
                .bind(e.kind)
                .bind(e.out_of_order.map_or("", OutOfOrder::code))
                .bind(e.reason.clone())
                .bind("demo")
                .bind(e.at);
        }
        q.execute(&mut **tx).await?;
    }
    let mut last: std::collections::BTreeMap<(i64, i64), i64> = std::collections::BTreeMap::new();
    for t in history {
        let n = last.entry((t.day, t.service.0)).or_insert(0);
        *n = (*n).max(t.number);
    }
    for ((day, service), number) in &last {
        sqlx::query(
            "INSERT INTO queue_numbers (org_id, point_id, service_id, day, last_number) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(org.id.0)
        .bind(point.0)
        .bind(service)
        .bind(day)
        .bind(number)
        .execute(&mut **tx)
        .await?;
    }
    let after = serde_json::json!({ "point_id": point.0, "tickets": history.len(), "events": events.len() });
    crate::audit::record(tx, org.id, "demo", "load_demo", "queue_history", &point.0.to_string(), None, Some(&after))
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (Vec<SimService>, Vec<(CounterId, Vec<ServiceId>)>) {
        let services = (0..8)
            .map(|i| SimService { id: ServiceId(i + 1), prefix: PREFIXES[i as usize], minutes: 10 + i * 3 })
            .collect();
        let counters = vec![
            (CounterId(1), COUNTER_1.iter().map(|&i| ServiceId(i as i64 + 1)).collect()),
            (CounterId(2), COUNTER_2.iter().map(|&i| ServiceId(i as i64 + 1)).collect()),
        ];
        (services, counters)
    }

    #[test]
    fn the_demo_history_is_the_same_every_time_and_numbers_have_no_gap() {
        let (services, counters) = setup();
        let days = [20_000, 20_001, 20_002];
        let a = simulate(&days, &services, &counters, 2);
        assert_eq!(a, simulate(&days, &services, &counters, 2));
        for day in days {
            for s in &services {
                let mut numbers: Vec<i64> =
                    a.iter().filter(|t| t.day == day && t.service == s.id).map(|t| t.number).collect();
                numbers.sort_unstable();
                assert_eq!(numbers, (1..=numbers.len() as i64).collect::<Vec<_>>());
            }
        }
        // Everyone was called; some by the priority rule, some skipped after a recall.
        assert!(a.iter().all(|t| t.called_at.is_some()));
        assert!(a.iter().flat_map(|t| &t.events).any(|e| e.out_of_order == Some(OutOfOrder::Priority)));
        assert!(a.iter().any(|t| t.skipped));
        assert!(a.iter().all(|t| t.called_at.unwrap() >= t.issued_at));
    }

    #[test]
    fn the_demo_days_are_the_working_days_before_today() {
        // 2026-12-01 is a Tuesday: the five before are Mon 30 Nov, Fri 27 … Tue 24 Nov.
        let today = super::super::day_of_date(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        let days: Vec<String> =
            working_days_before(today, 5).iter().map(|d| super::super::date_of_day(*d).to_string()).collect();
        assert_eq!(days, ["2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-30"]);
    }
}
