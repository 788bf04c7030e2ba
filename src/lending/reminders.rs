//! The daily reminder job: loans due soon remind their borrower; overdue loans tell the borrower
//! and the officers who must follow up within the rule's days (ข้อ 211). Notifications are in the
//! app; each (loan, person, kind) is written once a day, so the job may run as often as it likes.
//! The notices of a request and an approval are written when they happen ([`super::notices`]).

use std::collections::HashSet;

use chrono::NaiveDate;
use sqlx::Row;

use super::calendar::FollowUpState;
use super::loans::{self, Loan};
use super::rules::Duty;
use super::workflow::LoanStatus;
use super::{LoanId, day_of, store_rules};
use crate::db::{Db, now};
use crate::http::paging::PageRequest;
use crate::mail::Mailer;
use crate::orgs::OrgId;
use crate::thai::{Digits, format_date_medium};

/// What one run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct RunSummary {
    pub due_soon: usize,
    pub overdue: usize,
    pub notifications: usize,
}

/// What a notice is about; the code is stored in `notifications.kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    DueSoon,
    Overdue,
    /// A request waits for the reader's approval.
    Approve,
    /// An approved loan waits for the reader (supplies) to hand the item over.
    HandOver,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::DueSoon => "due_soon",
            Kind::Overdue => "overdue",
            Kind::Approve => "approve",
            Kind::HandOver => "hand_over",
        }
    }

    /// The e-mail's subject.
    pub fn subject_th(self) -> &'static str {
        match self {
            Kind::DueSoon => "ใกล้ครบกำหนดส่งคืนพัสดุ",
            Kind::Overdue => "พัสดุเกินกำหนดส่งคืน",
            Kind::Approve => "คำขอยืมพัสดุรอท่านอนุมัติ",
            Kind::HandOver => "คำขอยืมพัสดุอนุมัติแล้ว รอส่งมอบ",
        }
    }
}

/// Everyone who runs the store (head of supplies and supplies officers): all of them follow up
/// overdue loans, not only the head.
async fn store_staff(db: &Db, org: OrgId) -> Result<Vec<i64>, sqlx::Error> {
    let mut ids = Vec::new();
    for duty in Duty::ALL.into_iter().filter(|d| d.runs_the_store()) {
        ids.extend(super::approvers::holders(db, org, duty).await?.into_iter().map(|(id, _)| id));
    }
    Ok(ids)
}

/// A notice for one person about one loan, as it is shown in the app and e-mailed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub user_id: i64,
    pub loan_id: LoanId,
    pub kind: Kind,
    pub message: String,
}

/// Writes `notices` for `day` in one transaction, each once per (loan, user, kind, day); returns
/// the ones that are new. One transaction per organization and run, not per notice: the day's
/// first run writes thousands, each write transaction waiting its turn in the one write queue.
pub(super) async fn write_notices(
    db: &Db,
    org: OrgId,
    day: NaiveDate,
    notices: Vec<Notice>,
) -> Result<Vec<Notice>, sqlx::Error> {
    if notices.is_empty() {
        return Ok(notices);
    }
    // In the write queue, so that the daily job waits for a long write instead of failing.
    let mut tx = db.begin_write().await?;
    let created_at = now();
    let mut new = Vec::new();
    for notice in notices {
        let done = sqlx::query(
            "INSERT INTO notifications (org_id, user_id, loan_id, kind, day, message, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (loan_id, user_id, kind, day) DO NOTHING",
        )
        .bind(org.0)
        .bind(notice.user_id)
        .bind(notice.loan_id.0)
        .bind(notice.kind.code())
        .bind(day_of(day))
        .bind(&notice.message)
        .bind(created_at)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 1 {
            new.push(notice);
        }
    }
    tx.commit().await?;
    Ok(new)
}

/// E-mails each notice to its reader when they have an address, once the notices are committed.
/// A failed e-mail is logged: the notice stays in the app.
pub(super) async fn email_notices(db: &Db, mailer: &Mailer, org: OrgId, notices: &[Notice]) {
    for notice in notices {
        let Notice { user_id: user, kind, message, .. } = notice;
        match crate::auth::users::email_of(db, org, *user).await {
            Ok(Some(to)) => {
                if let Err(e) = mailer.send(&to, kind.subject_th(), message).await {
                    tracing::warn!(error = %e, user, "lending notice e-mail not sent");
                }
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, user, "lending notice e-mail: address not read"),
        }
    }
}

/// The notices of `org`'s loans out already written for `day`: (loan, user, kind's code). The job
/// runs every hour; without this each run would insert every notice of the day again in the
/// database's one write queue (21,000 an hour for 1,000 organizations with 7 loans out each,
/// clerks' saves waiting behind them).
async fn written_on(db: &Db, org: OrgId, day: NaiveDate) -> Result<HashSet<(i64, i64, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT n.loan_id, n.user_id, n.kind FROM notifications n JOIN loans l ON l.id = n.loan_id
         WHERE l.org_id = $1 AND l.status = $2 AND n.day = $3",
    )
    .bind(org.0)
    .bind(LoanStatus::HandedOver.code())
    .bind(day_of(day))
    .fetch_all(&db.pool)
    .await?;
    // A notice's user may be gone (NULL): nothing to skip for them.
    Ok(rows
        .iter()
        .filter_map(|r| Some((r.get("loan_id"), r.get::<Option<i64>, _>("user_id")?, r.get("kind"))))
        .collect())
}

/// Runs the reminders of one organization for `today`.
pub async fn run_for_org(db: &Db, org: OrgId, today: NaiveDate, mailer: Option<&Mailer>) -> anyhow::Result<RunSummary> {
    let rules = store_rules::load(db, org).await?;
    let officers = store_staff(db, org).await?;
    let written = written_on(db, org, today).await?;
    let unwritten = |loan: &Loan, user: i64, kind: Kind| !written.contains(&(loan.id.0, user, kind.code().to_string()));
    let mut summary = RunSummary::default();
    let mut pending = Vec::new();
    for loan in loans::list(db, org, &[LoanStatus::HandedOver]).await? {
        let d = |date| format_date_medium(date, Digits::Thai);
        let notice =
            |user_id, kind, message: &String| Notice { user_id, loan_id: loan.id, kind, message: message.clone() };
        let mut people: Vec<i64> = loan.borrower_user_id.into_iter().collect();
        match loan.follow_up(today, &rules) {
            Some(FollowUpState::DueSoon { days_left }) => {
                summary.due_soon += 1;
                let message = format!(
                    "กรุณาส่งคืน {} ({}) ภายใน {}{}",
                    loan.item_name,
                    loan.asset_number,
                    d(loan.due),
                    if days_left == 0 { " (วันนี้)".to_string() } else { String::new() }
                );
                people.push(loan.requested_by);
                people.sort_unstable();
                people.dedup();
                let people = people.into_iter().filter(|&p| unwritten(&loan, p, Kind::DueSoon));
                pending.extend(people.map(|p| notice(p, Kind::DueSoon, &message)));
            }
            Some(FollowUpState::Overdue { days, follow_up_by, late }) => {
                summary.overdue += 1;
                let message = format!(
                    "{} ({}) ที่ {} ยืม เกินกำหนดส่งคืน {} วัน: เจ้าหน้าที่ต้องติดตามทวงคืนภายใน {}{}",
                    loan.item_name,
                    loan.asset_number,
                    loan.borrower_name,
                    crate::thai::format_int(days, Digits::Thai),
                    d(follow_up_by),
                    if late { " (เลยกำหนดติดตามแล้ว)" } else { "" }
                );
                people.push(loan.requested_by);
                people.extend(&officers);
                people.sort_unstable();
                people.dedup();
                let people = people.into_iter().filter(|&p| unwritten(&loan, p, Kind::Overdue));
                pending.extend(people.map(|p| notice(p, Kind::Overdue, &message)));
            }
            _ => {}
        }
    }
    let new = write_notices(db, org, today, pending).await?;
    summary.notifications = new.len();
    if let Some(mailer) = mailer {
        email_notices(db, mailer, org, &new).await;
    }
    Ok(summary)
}

/// Runs the reminders of every organization.
pub async fn run_all(db: &Db, today: NaiveDate, mailer: Option<&Mailer>) -> anyhow::Result<RunSummary> {
    let mut total = RunSummary::default();
    for org in crate::orgs::store::list(db).await? {
        // One organization's trouble (e.g. a broken rules file) must not stop everyone's reminders.
        let s = match run_for_org(db, org.id, today, mailer).await {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(org = %org.slug, error = ?e, "reminders failed for this organization");
                continue;
            }
        };
        total.due_soon += s.due_soon;
        total.overdue += s.overdue;
        total.notifications += s.notifications;
    }
    Ok(total)
}

/// Runs the job now and then every hour while the server runs (the day's notices are written
/// once; the hourly runs only catch a new day and loans changed since).
pub fn spawn(db: Db, mailer: Option<Mailer>) -> ReminderJob {
    let (stop, mut stopping) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stopping.changed() => break,
            }
            // A run is not cut short: it finishes its writes (seconds) before the job stops.
            if let Err(e) = run_all(&db, super::today(), mailer.as_ref()).await {
                tracing::error!(error = ?e, "lending reminders failed");
            }
        }
        tracing::info!("reminder job stopped");
    });
    ReminderJob { stop, task }
}

/// The running reminder job of `prongsai serve`.
pub struct ReminderJob {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl ReminderJob {
    /// Stops the job between runs (a run in progress finishes first) and waits for it.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.task.await {
            tracing::error!(error = ?e, "the reminder job failed");
        }
    }
}

#[derive(Clone, Debug)]
pub struct Notification {
    pub id: i64,
    pub day: NaiveDate,
    pub kind: String,
    pub message: String,
    pub loan_id: Option<i64>,
    pub read: bool,
}

/// One page of a user's notifications, newest first, with how many they have in all.
pub async fn for_user(
    db: &Db,
    org: OrgId,
    user: i64,
    request: &PageRequest,
) -> Result<(Vec<Notification>, i64), sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, day, kind, message, loan_id, read_at FROM notifications WHERE org_id = $1 AND user_id = $2
         ORDER BY day DESC, id DESC LIMIT $3 OFFSET $4",
    )
    .bind(org.0)
    .bind(user)
    .bind(request.limit())
    .bind(request.offset())
    .fetch_all(&db.pool)
    .await?;
    let (total,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM notifications WHERE org_id = $1 AND user_id = $2")
        .bind(org.0)
        .bind(user)
        .fetch_one(&db.pool)
        .await?;
    let notes = rows
        .iter()
        .map(|r| {
            Ok(Notification {
                id: r.try_get(0)?,
                day: super::date_of(r.try_get(1)?),
                kind: r.try_get(2)?,
                message: r.try_get(3)?,
                loan_id: r.try_get(4)?,
                read: r.try_get::<Option<i64>, _>(5)?.is_some(),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok((notes, total))
}
