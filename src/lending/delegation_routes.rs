//! The delegation orders page (`/app/lending/delegations`): the head of the agency or the admin
//! records who may approve in whose stead; everyone on staff may read the orders in force.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::delegation::{self, NewDelegation};
use super::routes::parse_day;
use super::rules::{Duty, UseType};
use super::{duties_of, today};
use crate::app::AppState;
use crate::http::{AppError, CsrfForm, CurrentUser, form_page, see_other};
use crate::thai::format_date_medium;

pub fn router() -> Router<AppState> {
    Router::new().route("/app/lending/delegations", get(page).post(create))
}

struct OrderRow {
    number: String,
    from_user: String,
    to_user: String,
    use_types: String,
    period: String,
    in_force: bool,
}

#[derive(Template)]
#[template(path = "lending/delegations.html")]
struct DelegationsPage {
    me: CurrentUser,
    orders: Vec<OrderRow>,
    users: Vec<(i64, String)>,
    use_types: Vec<(&'static str, &'static str)>,
    can_record: bool,
    error: Option<String>,
}

/// The admin and the head of the agency record orders (the head signs them).
async fn may_record(state: &AppState, me: &CurrentUser) -> Result<bool, AppError> {
    Ok(me.user.role == crate::auth::Role::Admin || duties_of(&state.db, me.user.id).await?.contains(&Duty::OrgHead))
}

async fn view(state: &AppState, me: CurrentUser, error: Option<String>) -> Result<Response, AppError> {
    let org = me.org_id();
    let digits = me.org.digits;
    let users: Vec<(i64, String)> = crate::auth::users::list(&state.db, org)
        .await?
        .into_iter()
        .filter(|u| u.active)
        .map(|u| (u.id, u.display_name))
        .collect();
    let name = |id: i64| users.iter().find(|(u, _)| *u == id).map(|(_, n)| n.clone()).unwrap_or_default();
    let today = today();
    let orders = delegation::list(&state.db, org)
        .await?
        .into_iter()
        .map(|o| OrderRow {
            number: format!("{} ลงวันที่ {}", o.order_number, format_date_medium(o.order_day, digits)),
            from_user: name(o.from_user),
            to_user: name(o.to_user),
            use_types: o.use_types.iter().map(|t| t.label_th()).collect::<Vec<_>>().join(", "),
            period: format!("{} – {}", format_date_medium(o.from, digits), format_date_medium(o.to, digits)),
            in_force: o.valid_on(today),
        })
        .collect();
    let refused = error.is_some();
    form_page(
        DelegationsPage {
            can_record: may_record(state, &me).await?,
            orders,
            users,
            use_types: UseType::ALL.iter().map(|u| (u.code(), u.label_th())).collect(),
            error,
            me,
        },
        refused,
    )
}

async fn page(State(state): State<AppState>, me: CurrentUser) -> Result<Response, AppError> {
    view(&state, me, None).await
}

#[derive(Deserialize)]
struct OrderForm {
    #[serde(default)]
    from_user: i64,
    #[serde(default)]
    to_user: i64,
    #[serde(default)]
    inside: String,
    #[serde(default)]
    outside: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    order_number: String,
    #[serde(default)]
    order_day: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

async fn create(
    State(state): State<AppState>,
    CsrfForm { user: me, form }: CsrfForm<OrderForm>,
) -> Result<Response, AppError> {
    if !may_record(&state, &me).await? {
        return Err(AppError::Forbidden);
    }
    let days =
        (parse_day(&form.order_day, "วันที่ของคำสั่ง"), parse_day(&form.from, "วันเริ่มมีผล"), parse_day(&form.to, "วันสิ้นสุด"));
    let (order_day, from, to) = match days {
        (Ok(a), Ok(b), Ok(c)) => (a, b, c),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return view(&state, me, Some(e)).await,
    };
    let use_types =
        [(UseType::Inside, &form.inside), (UseType::Outside, &form.outside), (UseType::Agency, &form.agency)]
            .into_iter()
            .filter(|(_, v)| v.as_str() == "yes")
            .map(|(t, _)| t)
            .collect();
    let new = NewDelegation {
        from_user: form.from_user,
        to_user: form.to_user,
        use_types,
        order_number: form.order_number,
        order_day,
        from,
        to,
    };
    match delegation::create(&state.db, me.org_id(), &new, me.user.id, &me.actor()).await? {
        Ok(_) => Ok(see_other("/app/lending/delegations")),
        Err(e) => view(&state, me, Some(e)).await,
    }
}
