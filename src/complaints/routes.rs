//! Staff pages: the complaints list (paged, searched, filtered by status, overdue first) and a
//! complaint's page with its steps (receive, assign, reply, close), each a CSRF form refused out
//! of order with the reason. A complaint the user may not see (another organization's, or a
//! corruption complaint they are not designated for) is a 404 on every URL.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::access::Viewer;
use super::events::Change;
use super::store::{self, Complaint, Filter};
use super::workflow::Step;
use super::{Category, Status, code};
use crate::app::AppState;
use crate::http::paging::{ListQuery, PageRequest, Pager};
use crate::http::{AppError, CsrfForm, CurrentUser, download, page, see_other};
use crate::orgs::Division;
use crate::thai::format_int;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/complaints", get(list))
        .route("/app/complaints/{id}", get(case_page))
        .route("/app/complaints/{id}/receive", post(receive))
        .route("/app/complaints/{id}/assign", post(assign))
        .route("/app/complaints/{id}/reply", post(reply))
        .route("/app/complaints/{id}/close", post(close))
        .route("/app/complaints/{id}/photos/{photo}", get(photo))
}

/// The user as the visibility rule needs them.
pub async fn viewer(state: &AppState, me: &CurrentUser) -> Result<Viewer, AppError> {
    Ok(viewer_in(&state.db, me).await?)
}

async fn viewer_in(db: &crate::db::Db, me: &CurrentUser) -> Result<Viewer, sqlx::Error> {
    Ok(Viewer {
        user_id: me.user.id,
        division_id: me.user.division_id,
        designated: super::settings::is_designated(db, me.org_id(), me.user.id).await?,
    })
}

/// The complaints past their deadline this user may see (the menu's badge for executives).
pub async fn overdue_badge(state_db: &crate::db::Db, me: &CurrentUser) -> Result<i64, sqlx::Error> {
    let viewer = viewer_in(state_db, me).await?;
    store::overdue_count(state_db, me.org_id(), &viewer, super::today()).await
}

struct Row {
    id: i64,
    code: String,
    subject: String,
    category: &'static str,
    status: &'static str,
    filed: String,
    due: String,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "complaints/staff_list.html")]
struct ListPage {
    me: CurrentUser,
    rows: Vec<Row>,
    pager: Pager,
    search_label: &'static str,
    filter: &'static str,
    filters: Vec<(&'static str, &'static str)>,
    overdue: String,
    has_overdue: bool,
    is_executive: bool,
}

#[derive(Deserialize, Default)]
struct ListParams {
    #[serde(default)]
    status: String,
    #[serde(flatten)]
    list: ListQuery,
}

async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(q): Query<ListParams>,
) -> Result<Response, AppError> {
    let request = PageRequest::from_query(&q.list)?;
    let filter = Filter::parse(&q.status);
    let viewer = viewer(&state, &me).await?;
    let today = super::today();
    let digits = me.org.digits;
    let (complaints, total) = store::page(&state.db, me.org_id(), &viewer, filter, &request, today).await?;
    let overdue = store::overdue_count(&state.db, me.org_id(), &viewer, today).await?;
    // The page links keep the status filter.
    let path = match filter {
        Filter::All => "/app/complaints".to_string(),
        _ => format!("/app/complaints?status={}", filter.code()),
    };
    let pager = Pager::new(&path, &request, total, complaints.len(), digits);
    let rows = complaints
        .into_iter()
        .map(|c| Row {
            id: c.id,
            code: code::display(&c.code),
            category: c.category.label_th(),
            status: c.status.label_th(),
            filed: crate::thai::format_instant_th(c.filed_at, digits),
            due: crate::documents::issued_th(c.due_on, digits),
            overdue: super::is_overdue(c.status, c.due_on, today),
            subject: c.subject,
        })
        .collect();
    let mut filters = vec![("", "ทั้งหมด"), ("open", "ยังไม่ปิด"), ("overdue", "เกินกำหนด")];
    filters.extend(Status::ALL.iter().map(|s| (s.code(), s.label_th())));
    let is_executive = me.user.role == crate::auth::Role::Executive;
    page(ListPage {
        rows,
        pager,
        search_label: "ค้นหาด้วยรหัสติดตามเรื่องหรือหัวเรื่อง",
        filter: filter.code(),
        filters,
        overdue: format_int(overdue, digits),
        has_overdue: overdue > 0,
        is_executive,
        me,
    })
}

struct Entry {
    when: String,
    what: &'static str,
    who: String,
    text: Vec<String>,
    public: bool,
    photos: Vec<(i64, String)>,
}

struct Officer {
    id: i64,
    name: String,
}

#[derive(Template)]
#[template(path = "complaints/case.html")]
struct CasePage {
    me: CurrentUser,
    c: Complaint,
    shown_code: String,
    category: &'static str,
    accused: Option<String>,
    division: Option<String>,
    officer: Option<String>,
    filed: String,
    due: String,
    overdue: bool,
    entries: Vec<Entry>,
    divisions: Vec<Division>,
    officers: Vec<Officer>,
    can_act: bool,
    may_receive: bool,
    may_assign: bool,
    may_reply: bool,
    may_close: bool,
    resolved: &'static str,
}

async fn visible(state: &AppState, me: &CurrentUser, id: i64) -> Result<Complaint, AppError> {
    let viewer = viewer(state, me).await?;
    store::find_for(&state.db, me.org_id(), &viewer, id).await?.ok_or(AppError::NotFound)
}

/// Who may be assigned: the organization's active users; for a corruption complaint only the
/// designated officers outside the accused division.
async fn officers(state: &AppState, me: &CurrentUser, c: &Complaint) -> Result<Vec<Officer>, AppError> {
    let users = crate::auth::users::list(&state.db, me.org_id()).await?;
    let designated = super::settings::designated(&state.db, me.org_id()).await?;
    let mut out = Vec::new();
    for u in users.into_iter().filter(|u| u.active) {
        if c.category == Category::Corruption {
            let division = crate::auth::users::find_by_id(&state.db, u.id).await?.and_then(|f| f.division_id);
            let viewer = Viewer { user_id: u.id, division_id: division, designated: designated.contains(&u.id) };
            if !super::access::may_see(c.category, c.accused_division_id, &viewer) {
                continue;
            }
        }
        out.push(Officer { id: u.id, name: u.display_name });
    }
    Ok(out)
}

async fn case_page(State(state): State<AppState>, me: CurrentUser, Path(id): Path<i64>) -> Result<Response, AppError> {
    let c = visible(&state, &me, id).await?;
    let digits = me.org.digits;
    let divisions = crate::orgs::store::divisions(&state.db, me.org_id()).await?;
    let division_name =
        |id: Option<i64>| id.and_then(|id| divisions.iter().find(|d| d.id == id)).map(|d| d.name.clone());
    let events = store::events(&state.db, me.org_id(), c.id, false).await?;
    let photos = store::photos(&state.db, me.org_id(), c.id).await?;
    let entries = events
        .iter()
        .map(|e| Entry {
            when: crate::thai::format_instant_th(e.at, digits),
            what: super::public_tracking::event_label(&e.kind),
            who: e.actor.clone(),
            text: e.body.lines().map(str::to_string).collect(),
            public: e.public,
            photos: photos.iter().filter(|p| p.event_id == e.id).map(|p| (p.id, p.file_name.clone())).collect(),
        })
        .collect();
    let officers = officers(&state, &me, &c).await?;
    let officer = c.officer_id.and_then(|id| officers.iter().find(|o| o.id == id)).map(|o| o.name.clone());
    let check = |step| super::workflow::check(c.status, c.resolved, step).is_ok();
    let can_act = me.user.role.can_edit() || c.category == Category::Corruption;
    page(CasePage {
        shown_code: code::display(&c.code),
        category: c.category.label_th(),
        accused: division_name(c.accused_division_id),
        division: division_name(c.division_id),
        officer,
        filed: crate::thai::format_instant_th(c.filed_at, digits),
        due: crate::documents::issued_th(c.due_on, digits),
        overdue: super::is_overdue(c.status, c.due_on, super::today()),
        entries,
        officers,
        can_act,
        may_receive: check(Step::Receive),
        may_assign: check(Step::Assign),
        may_reply: check(Step::Reply),
        may_close: check(Step::Close),
        resolved: match (c.status, c.resolved) {
            (Status::Closed, Some(true)) => "ผู้ร้องเรียนตอบว่าได้รับการแก้ไขแล้ว",
            (Status::Closed, _) => "รอผู้ร้องเรียนตอบว่าได้รับการแก้ไขหรือไม่",
            _ => "",
        },
        divisions,
        c,
        me,
    })
}

/// Runs a staff step on a complaint the user sees and may act on; 409 with the reason when it
/// is out of order.
async fn act(
    state: &AppState,
    me: &CurrentUser,
    id: i64,
    step: Step,
    body: &str,
    assign: Option<(Option<i64>, Option<i64>)>,
) -> Result<Response, AppError> {
    let c = visible(state, me, id).await?;
    // Corruption complaints: the designated officers (who alone see them) act whatever their role.
    if c.category != Category::Corruption {
        me.require_editor()?;
    }
    let actor = me.actor();
    let change = Change {
        step,
        actor: &me.user.display_name,
        audit_actor: &actor,
        body,
        public: true,
        client_key: "",
        at: crate::db::now(),
        assign,
        deadline: None,
    };
    match super::filing::staff_step(&state.db, me.org_id(), c.id, &change).await? {
        Ok(()) => Ok(see_other(&format!("/app/complaints/{id}"))),
        Err(why) => Err(AppError::Conflict(why.into())),
    }
}

#[derive(Deserialize, Default)]
struct Empty {}

async fn receive(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { user: me, .. }: CsrfForm<Empty>,
) -> Result<Response, AppError> {
    act(&state, &me, id, Step::Receive, "", None).await
}

#[derive(Deserialize, Default)]
struct AssignForm {
    #[serde(default)]
    division_id: String,
    #[serde(default)]
    officer_id: String,
}

async fn assign(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { user: me, form }: CsrfForm<AssignForm>,
) -> Result<Response, AppError> {
    let c = visible(&state, &me, id).await?;
    let divisions = crate::orgs::store::divisions(&state.db, me.org_id()).await?;
    let division = form.division_id.parse::<i64>().ok().and_then(|id| divisions.iter().find(|d| d.id == id));
    let Some(division) = division else {
        return Err(AppError::Invalid("กรุณาเลือกหน่วยงานที่รับผิดชอบ".into()));
    };
    if c.category == Category::Corruption && c.accused_division_id == Some(division.id) {
        return Err(AppError::Invalid(format!("ส่งเรื่องทุจริตให้{}ซึ่งเป็นหน่วยงานที่ถูกร้องเรียนไม่ได้", division.name)));
    }
    let officer = match form.officer_id.as_str() {
        "" => None,
        typed => {
            let officers = officers(&state, &me, &c).await?;
            let found = typed.parse::<i64>().ok().and_then(|id| officers.iter().find(|o| o.id == id));
            Some(found.ok_or_else(|| AppError::Invalid("เจ้าหน้าที่ที่เลือกไม่มีในรายการ กรุณาเลือกใหม่".into()))?.id)
        }
    };
    let text = format!("ส่งเรื่องให้{}", division.name);
    act(&state, &me, id, Step::Assign, &text, Some((Some(division.id), officer))).await
}

#[derive(Deserialize, Default)]
struct ReplyForm {
    #[serde(default)]
    reply: String,
}

async fn reply(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { user: me, form }: CsrfForm<ReplyForm>,
) -> Result<Response, AppError> {
    let text = form.reply.trim();
    if text.is_empty() {
        return Err(AppError::Invalid("กรุณากรอกคำตอบถึงผู้ร้องเรียน".into()));
    }
    if text.chars().count() > super::filing::BODY_MAX_CHARS {
        return Err(AppError::Invalid("คำตอบถึงผู้ร้องเรียนยาวเกิน ๕,๐๐๐ ตัวอักษร".into()));
    }
    act(&state, &me, id, Step::Reply, text, None).await
}

#[derive(Deserialize, Default)]
struct CloseForm {
    #[serde(default)]
    note: String,
}

async fn close(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { user: me, form }: CsrfForm<CloseForm>,
) -> Result<Response, AppError> {
    let note: String = form.note.trim().chars().take(1000).collect();
    act(&state, &me, id, Step::Close, &note, None).await
}

async fn photo(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((id, photo)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let c = visible(&state, &me, id).await?;
    let (content_type, bytes) = store::photo(&state.db, me.org_id(), c.id, photo).await?.ok_or(AppError::NotFound)?;
    let ext = if content_type == "image/png" { "png" } else { "jpg" };
    Ok(download(bytes, &content_type, &format!("complaint-{}-{photo}.{ext}", c.code), true))
}
