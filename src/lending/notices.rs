//! Notices of the workflow's steps: a new request tells everyone who may approve it now; an
//! approval tells every supplies staff member that the item waits to be handed over.
//!
//! The people told are exactly those whose to-do list the loan has just entered
//! ([`super::todo::section_of`]), so a notice never points to a list the reader cannot act on. The
//! notice is written in the app at once; the e-mail (when SMTP is configured and the user has an
//! address) goes out after, off the request. Each (loan, user, kind, day) is written once (the
//! table's UNIQUE key): announcing the same step again writes nothing and mails nothing.

use chrono::NaiveDate;

use super::loans::{self, Loan};
use super::reminders::{self, Kind, Notice};
use super::todo::Section;
use super::{LoanId, today};
use crate::db::Db;
use crate::mail::Mailer;
use crate::orgs::OrgId;
use crate::thai::{Digits, format_date_medium};

/// A step of the workflow that others must hear about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// A request was filed (or went up): its approvers are told.
    Requested,
    /// A request was approved: supplies staff are told to hand the item over.
    Approved,
}

impl Step {
    fn kind(self) -> Kind {
        match self {
            Step::Requested => Kind::Approve,
            Step::Approved => Kind::HandOver,
        }
    }

    fn section(self) -> Section {
        match self {
            Step::Requested => Section::Approve,
            Step::Approved => Section::HandOver,
        }
    }

    fn message(self, loan: &Loan) -> String {
        let d = |date| format_date_medium(date, Digits::Thai);
        let what = format!(
            "{} ({}) ที่ {} ขอยืม {} – {}",
            loan.item_name,
            loan.asset_number,
            loan.borrower_name,
            d(loan.start),
            d(loan.due)
        );
        match self {
            Step::Requested => format!("คำขอยืมเลขที่ {} รอท่านอนุมัติ: {what}", loan.id.0),
            Step::Approved => format!("คำขอยืมเลขที่ {} อนุมัติแล้ว รอส่งมอบพัสดุ: {what}", loan.id.0),
        }
    }
}

/// Writes the in-app notices of `step` on the loan (in one transaction); returns the ones that
/// are new, for the e-mails that follow.
pub async fn record(db: &Db, org: OrgId, loan: LoanId, step: Step, today: NaiveDate) -> anyhow::Result<Vec<Notice>> {
    let Some(loan) = loans::find(db, org, loan).await? else { return Ok(Vec::new()) };
    let message = step.message(&loan);
    let readers = super::todo::readers(db, org, &loan, step.section(), today).await?;
    let notices = readers
        .into_iter()
        .map(|(user_id, _)| Notice { user_id, loan_id: loan.id, kind: step.kind(), message: message.clone() })
        .collect();
    Ok(reminders::write_notices(db, org, today, notices).await?)
}

/// Tells who must act after `step`: in the app now, by e-mail in the background. A failure is
/// logged, never returned: the step itself is already recorded and must not look refused.
pub async fn announce(db: &Db, mailer: Option<&Mailer>, org: OrgId, loan: LoanId, step: Step) {
    match record(db, org, loan, step, today()).await {
        Ok(written) => {
            if let Some(mailer) = mailer.cloned()
                && !written.is_empty()
            {
                let db = db.clone();
                tokio::spawn(async move { reminders::email_notices(&db, &mailer, org, &written).await });
            }
        }
        Err(e) => tracing::error!(error = ?e, loan = loan.0, "lending notices not written"),
    }
}
