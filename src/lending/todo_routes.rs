//! The to-do page: `/app/lending/todo`, linked (with its badge) from the staff menu.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use super::routes::{LoanRow, loan_row};
use super::todo::{self, Me};
use super::{loans, store_rules, today};
use crate::app::AppState;
use crate::http::{AppError, CurrentUser, page};
use crate::thai::format_int;

pub fn router() -> Router<AppState> {
    Router::new().route("/app/lending/todo", get(todo_page))
}

/// One section of the list as the page shows it.
struct SectionView {
    id: &'static str,
    heading: &'static str,
    empty: &'static str,
    count: String,
    rows: Vec<LoanRow>,
}

#[derive(Template)]
#[template(path = "lending/todo.html")]
struct TodoPage {
    me: CurrentUser,
    total: String,
    sections: Vec<SectionView>,
}

async fn todo_page(State(state): State<AppState>, me: CurrentUser) -> Result<Response, AppError> {
    let org = me.org_id();
    let digits = me.org.digits;
    let rules = store_rules::load(&state.db, org).await?;
    let today = today();
    let who = Me::load(&state.db, org, &me.user, today).await?;
    let open = loans::list(&state.db, org, &todo::OPEN).await?;
    let mut total = 0;
    let sections = todo::sections(&open, &who, today)
        .into_iter()
        .map(|(section, mut list)| {
            // The most pressing first: the earliest due date (then the oldest request).
            list.sort_by_key(|l| (l.due, l.id.0));
            total += list.len();
            SectionView {
                id: section.html_id(),
                heading: section.heading_th(),
                empty: section.empty_th(),
                count: format_int(list.len() as i64, digits),
                rows: list.into_iter().map(|l| loan_row(l, digits, &rules, today)).collect(),
            }
        })
        .collect();
    page(TodoPage { total: format_int(total as i64, digits), sections, me })
}
