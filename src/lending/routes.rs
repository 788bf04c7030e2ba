//! Staff pages of lending: inventory, requests, the approval and return steps, follow-ups.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use chrono::NaiveDate;
use serde::Deserialize;

use super::calendar::FollowUpState;
use super::items::{self, Item, ItemInput};
use super::loans::{self, Loan, LoanRequest, StepNote};
use super::routes_settlement::{SettleFields, SettleView, WriteOffView};
use super::rules::{Duty, ItemClass, UseType};
use super::workflow::{Action, Damage, LoanStatus, Settlement, WorkflowError};
use super::{ItemId, LoanId, documents, duties_of, notices, reminders, store_rules, today};
use crate::app::AppState;
use crate::docs::typeset::DocSize;
use crate::http::paging::{ListQuery, PageRequest, Pager};
use crate::http::{
    AppError, CsrfForm, CsrfFormKept, CsrfMultipart, CurrentUser, FieldErrors, download, form_page, page,
    read_multipart, see_other,
};
use crate::thai::{Digits, format_date_field, format_date_medium, parse_date_field};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/lending", get(dashboard))
        .route("/app/lending/items", get(items_page).post(create_item))
        .route("/app/lending/items/import", post(import_items))
        .route("/app/lending/items/{id}", get(item_page))
        .route("/app/lending/items/{id}/photo", get(item_photo).post(upload_photo))
        .route("/app/lending/loans", get(loans_page).post(request_loan))
        .route("/app/lending/loans/{id}", get(loan_page))
        .route("/app/lending/loans/{id}/act", post(act))
        .route("/app/lending/loans/{id}/follow-up", post(follow_up))
        .route("/app/lending/loans/{id}/form.pdf", get(loan_form_pdf))
        .route("/app/lending/labels.pdf", get(labels_pdf))
        .route("/app/lending/report.pdf", get(report_pdf))
        .route("/app/lending/rules", get(rules_page).post(save_rules))
        .route("/app/notifications", get(notifications_page))
        .merge(super::manual_routes::router())
        .merge(super::todo_routes::router())
        .merge(super::routes_settlement::router())
        .merge(super::delegation_routes::router())
}

fn d(date: NaiveDate, digits: Digits) -> String {
    format_date_medium(date, digits)
}

/// A loan as a row of a list.
pub(super) struct LoanRow {
    pub(super) id: i64,
    pub(super) item: String,
    pub(super) borrower: String,
    pub(super) period: String,
    pub(super) status: &'static str,
    pub(super) alert: String,
}

pub(super) fn loan_row(l: &Loan, digits: Digits, rules: &super::rules::LendingRules, today: NaiveDate) -> LoanRow {
    let alert = match l.follow_up(today, rules) {
        Some(FollowUpState::Overdue { days, follow_up_by, late }) => format!(
            "เกินกำหนด {} วัน · ติดตามภายใน {}{}",
            crate::thai::format_int(days, digits),
            d(follow_up_by, digits),
            if late { " · เลยกำหนดติดตาม" } else { "" }
        ),
        Some(FollowUpState::DueSoon { days_left: 0 }) => "ครบกำหนดวันนี้".into(),
        Some(FollowUpState::DueSoon { days_left }) => {
            format!("ครบกำหนดใน {} วัน", crate::thai::format_int(days_left, digits))
        }
        _ => String::new(),
    };
    let units = if l.quantity == 1 {
        String::new()
    } else {
        format!(" ({} {})", crate::thai::format_int(l.quantity, digits), l.count_unit)
    };
    LoanRow {
        id: l.id.0,
        item: format!("{} {}{units}", l.asset_number, l.item_name),
        borrower: l.borrower_name.clone(),
        period: format!("{} – {}", d(l.start, digits), d(l.due, digits)),
        status: l.status.label_th(),
        alert,
    }
}

#[derive(Template)]
#[template(path = "lending/dashboard.html")]
struct DashboardPage {
    me: CurrentUser,
    to_approve: Vec<LoanRow>,
    out: Vec<LoanRow>,
    settling: Vec<LoanRow>,
    stock_count: String,
    recent: Vec<LoanRow>,
}

/// Loans under "รายการล่าสุด" on the dashboard; the rest are on /app/lending/loans.
const RECENT_LOANS: usize = 30;

async fn dashboard(State(state): State<AppState>, me: CurrentUser) -> Result<Response, AppError> {
    let org = me.org_id();
    let digits = me.org.digits;
    let rules = store_rules::load(&state.db, org).await?;
    let today = today();
    let who = super::todo::Me::load(&state.db, org, &me.user, today).await?;
    // Only loans still in progress: the closed ones of past years are on the paged list.
    let open = [LoanStatus::Requested, LoanStatus::Approved, LoanStatus::HandedOver, LoanStatus::AwaitingSettlement];
    let all = loans::list(&state.db, org, &open).await?;
    let (recent, _) = loans::page(&state.db, org, &PageRequest::first()).await?;
    let row = |l: &Loan| loan_row(l, digits, &rules, today);
    let fy = crate::thai::FiscalYear::of(today);
    let count_day = super::calendar::stock_count_start(fy.be(), &rules.holidays);
    page(DashboardPage {
        to_approve: all
            .iter()
            // Only what this user may decide (their to-do list's first section): never their own request.
            .filter(|l| {
                super::todo::section_of(l.status, &l.facts(), l.holding_unit, l.due, &who, today)
                    == Some(super::todo::Section::Approve)
            })
            .map(row)
            .collect(),
        out: all.iter().filter(|l| l.status == LoanStatus::HandedOver).map(row).collect(),
        settling: all.iter().filter(|l| l.status == LoanStatus::AwaitingSettlement).map(row).collect(),
        stock_count: format!(
            "การตรวจสอบพัสดุประจำปี (สิ้นปีงบประมาณ {}) เริ่ม {}: พัสดุที่ยังไม่ส่งคืนด้านล่างต้องเรียกคืนก่อนวันตรวจนับ",
            crate::thai::format_year_be(fy.be(), digits),
            d(count_day, digits)
        ),
        recent: recent.iter().take(RECENT_LOANS).map(row).collect(),
        me,
    })
}

#[derive(Template)]
#[template(path = "lending/loans.html")]
struct LoansPage {
    me: CurrentUser,
    rows: Vec<LoanRow>,
    pager: Pager,
    search_label: &'static str,
}

/// Every loan of the organization, a page at a time, newest first; searchable.
async fn loans_page(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let request = PageRequest::from_query(&query)?;
    let org = me.org_id();
    let rules = store_rules::load(&state.db, org).await?;
    let (list, total) = loans::page(&state.db, org, &request).await?;
    let today = today();
    page(LoansPage {
        pager: Pager::new("/app/lending/loans", &request, total, list.len(), me.org.digits),
        rows: list.iter().map(|l| loan_row(l, me.org.digits, &rules, today)).collect(),
        search_label: "ค้นหาตามชื่อผู้ยืม ชื่อพัสดุ หรือเลขครุภัณฑ์",
        me,
    })
}

struct ItemRow {
    id: i64,
    asset_number: String,
    name: String,
    category: String,
    class: &'static str,
    location: String,
    lendable: bool,
    /// Units on hand with their unit word, e.g. "๕๐ ตัว".
    units: String,
}

#[derive(Template)]
#[template(path = "lending/items.html")]
struct ItemsPage {
    me: CurrentUser,
    items: Vec<ItemRow>,
    pager: Pager,
    search_label: &'static str,
    /// The new-item form as typed (empty on a first visit).
    form: ItemForm,
    errors: FieldErrors,
    can_edit: bool,
}

async fn items_view(
    state: &AppState,
    me: CurrentUser,
    form: ItemForm,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    items_view_at(state, me, &PageRequest::first(), form, errors).await
}

async fn items_view_at(
    state: &AppState,
    me: CurrentUser,
    request: &PageRequest,
    form: ItemForm,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let (list, total) = items::page(&state.db, me.org_id(), request).await?;
    let refused = !errors.is_empty();
    form_page(
        ItemsPage {
            pager: Pager::new("/app/lending/items", request, total, list.len(), me.org.digits),
            search_label: "ค้นหาพัสดุตามชื่อหรือเลขครุภัณฑ์",
            items: list
                .into_iter()
                .map(|i| ItemRow {
                    id: i.id.0,
                    asset_number: i.asset_number,
                    name: i.name,
                    category: i.category,
                    class: i.class.label_th(),
                    location: i.location,
                    lendable: i.lendable,
                    units: format!("{} {}", crate::thai::format_int(i.quantity, me.org.digits), i.count_unit),
                })
                .collect(),
            form,
            errors,
            can_edit: me.user.role.can_edit(),
            me,
        },
        refused,
    )
}

async fn items_page(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let request = PageRequest::from_query(&query)?;
    let blank = ItemForm {
        condition: "ใช้งานได้ดี".into(), lendable: "yes".into(), ..ItemForm::default()
    };
    items_view_at(&state, me, &request, blank, FieldErrors::new()).await
}

/// The new-item form, as typed: shown again unchanged when it is refused.
#[derive(Deserialize, Default)]
struct ItemForm {
    #[serde(default)]
    asset_number: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    class: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    condition: String,
    #[serde(default)]
    lendable: String,
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    count_unit: String,
    #[serde(default)]
    reserve: String,
}

/// A count typed in a form (Thai or Arabic digits, thousands commas); empty = `empty`.
fn parse_count(raw: &str, empty: i64, field: &str) -> Result<i64, String> {
    match crate::thai::to_arabic_digits(raw.trim()).replace(',', "").as_str() {
        "" => Ok(empty),
        s => s.parse::<i64>().map_err(|_| format!("{field} “{}” ต้องเป็นจำนวนเต็ม", raw.trim())),
    }
}

async fn create_item(
    State(state): State<AppState>,
    CsrfFormKept { user: me, form, errors }: CsrfFormKept<ItemForm>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    if !errors.is_empty() {
        return items_view(&state, me, form, errors).await;
    }
    let (quantity, reserve) =
        match (parse_count(&form.quantity, 1, "จำนวน"), parse_count(&form.reserve, 0, "จำนวนที่เก็บไว้ใช้ในราชการ"))
        {
            (Ok(q), Ok(r)) => (q, r),
            (q, r) => {
                let mut errors = FieldErrors::new();
                if let Err(e) = q {
                    errors.add("quantity", e);
                }
                if let Err(e) = r {
                    errors.add("reserve", e);
                }
                return items_view(&state, me, form, errors).await;
            }
        };
    let input = ItemInput {
        asset_number: form.asset_number.trim().to_string(),
        name: form.name.trim().to_string(),
        category: form.category.clone(),
        class: ItemClass::parse(&form.class).unwrap_or(ItemClass::Durable),
        location: form.location.clone(),
        division_id: me.user.division_id,
        condition: form.condition.clone(),
        lendable: form.lendable == "yes",
        quantity,
        count_unit: form.count_unit.clone(),
        reserve,
    };
    match items::create(&state.db, me.org_id(), &input, &me.actor()).await? {
        Ok(id) => Ok(see_other(&format!("/app/lending/items/{}", id.0))),
        Err(problem) => items_view(&state, me, form, FieldErrors::one(problem.field, problem.message)).await,
    }
}

/// The problems of an imported file, each a line of the summary, linked to the file field.
fn file_errors<'a>(problems: impl IntoIterator<Item = &'a items::ItemProblem>) -> FieldErrors {
    let mut errors = FieldErrors::new();
    for problem in problems {
        errors.add("file", problem.to_string());
    }
    errors
}

async fn import_items(
    State(state): State<AppState>,
    CsrfMultipart { user: me, multipart }: CsrfMultipart,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let refused = |message: String| FieldErrors::one("file", message);
    let file = match read_multipart(multipart, state.settings.max_upload_bytes).await {
        Ok((_, file)) => file,
        Err(AppError::TooLarge(m) | AppError::Invalid(m)) => {
            return items_view(&state, me, ItemForm::default(), refused(m)).await;
        }
        Err(e) => return Err(e),
    };
    let Some((_, bytes)) = file else {
        return items_view(&state, me, ItemForm::default(), refused("กรุณาเลือกไฟล์ CSV".into())).await;
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return items_view(&state, me, ItemForm::default(), refused("ไฟล์ CSV ต้องเข้ารหัส UTF-8".into())).await;
    };
    let inputs = match items::parse_csv(&text) {
        Ok(i) => i,
        Err(problems) => return items_view(&state, me, ItemForm::default(), file_errors(&problems)).await,
    };
    match items::import(&state.db, me.org_id(), &inputs, &me.actor()).await? {
        Ok(_) => Ok(see_other("/app/lending/items")),
        Err(problem) => items_view(&state, me, ItemForm::default(), file_errors([&problem])).await,
    }
}

#[derive(Template)]
#[template(path = "lending/item.html")]
struct ItemPage {
    me: CurrentUser,
    item: Item,
    class: &'static str,
    loans: Vec<LoanRow>,
    public_url: String,
    use_types: Vec<(&'static str, &'static str)>,
    /// The loan request as typed (empty on a first visit), kept when it is refused.
    request: RequestForm,
    /// The request's dates in words, as read (the echo beside each date field).
    start_echo: String,
    due_echo: String,
    errors: FieldErrors,
    /// Whether it is on the shelf today, from [`super::availability`].
    status: String,
    /// Units on hand, free today and kept back, in words.
    units: String,
    /// Units that left the register, one line each.
    write_offs: Vec<String>,
    can_write_off: bool,
    write_off: WriteOffView,
}

async fn item_view(
    state: &AppState,
    me: CurrentUser,
    id: i64,
    request: RequestForm,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    item_view_full(state, me, id, request, errors, None).await
}

/// The item page with a refused write-off form (`write_off`: what was typed).
pub(super) async fn item_view_with(
    state: &AppState,
    me: CurrentUser,
    id: i64,
    errors: FieldErrors,
    write_off: Option<WriteOffView>,
) -> Result<Response, AppError> {
    item_view_full(state, me, id, RequestForm::blank(), errors, write_off).await
}

/// The item page; `request`: the loan request as typed; `write_off`: a refused write-off form.
async fn item_view_full(
    state: &AppState,
    me: CurrentUser,
    id: i64,
    request: RequestForm,
    errors: FieldErrors,
    write_off: Option<WriteOffView>,
) -> Result<Response, AppError> {
    let org = me.org_id();
    let item = items::find(&state.db, org, ItemId(id)).await?.ok_or(AppError::NotFound)?;
    let rules = store_rules::load(&state.db, org).await?;
    let digits = me.org.digits;
    let loans = loans::list_for_item(&state.db, org, item.id)
        .await?
        .iter()
        .map(|l| loan_row(l, digits, &rules, today()))
        .collect();
    let shelf = super::availability::today(&state.db, org, item.id).await?.ok_or(AppError::NotFound)?;
    let n = |v: i64| crate::thai::format_int(v, digits);
    let units = format!(
        "มีในทะเบียน {} {unit} · ว่างให้ยืมวันนี้ {} {unit} · เก็บไว้ใช้ในราชการ (ไม่ให้ยืม) {} {unit}",
        n(item.quantity),
        n(shelf.free()),
        n(item.reserve),
        unit = item.count_unit
    );
    let refused = !errors.is_empty();
    let write_offs = super::routes_settlement::write_off_lines(state, org, item.id, &item.count_unit, digits).await?;
    let can_write_off = me.user.role.can_edit()
        && item.quantity > 0
        && duties_of(&state.db, me.user.id).await?.iter().any(|d| d.runs_the_store());
    form_page(
        ItemPage {
            status: shelf.label_th(digits),
            units,
            write_offs,
            can_write_off,
            write_off: write_off.unwrap_or_default(),
            public_url: super::asset_number::public_url(&state.settings.public_url, &me.org.slug, &item.asset_number),
            class: item.class.label_th(),
            item,
            loans,
            use_types: UseType::ALL.iter().map(|u| (u.code(), u.label_th())).collect(),
            start_echo: date_echo(&request.start, digits),
            due_echo: date_echo(&request.due, digits),
            request,
            errors,
            me,
        },
        refused,
    )
}

/// A typed date in words ("วันพฤหัสบดีที่ ๑๐ ธันวาคม พ.ศ. ๒๕๖๙") when it reads, else nothing.
fn date_echo(typed: &str, digits: Digits) -> String {
    crate::thai::date_field::echo(typed, digits)
}

async fn item_page(State(state): State<AppState>, me: CurrentUser, Path(id): Path<i64>) -> Result<Response, AppError> {
    item_view(&state, me, id, RequestForm::blank(), FieldErrors::new()).await
}

async fn item_photo(State(state): State<AppState>, me: CurrentUser, Path(id): Path<i64>) -> Result<Response, AppError> {
    let (bytes, content_type) = items::photo(&state.db, me.org_id(), ItemId(id)).await?.ok_or(AppError::NotFound)?;
    Ok(download(bytes, &content_type, &format!("item-{id}"), true))
}

/// Item photos are small pictures for recognising the item, not documents.
const PHOTO_LIMIT: usize = 5 * 1024 * 1024;

async fn upload_photo(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfMultipart { user: me, multipart }: CsrfMultipart,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let refused = |message: String| FieldErrors::one("photo", message);
    // A too large or broken upload is the item page again with the message beside the photo field.
    let file = match read_multipart(multipart, PHOTO_LIMIT).await {
        Ok((_, file)) => file,
        Err(AppError::TooLarge(_)) => {
            let limit = format!("รูปพัสดุใหญ่เกิน {} MB กรุณาย่อรูปแล้วเลือกใหม่", PHOTO_LIMIT / (1024 * 1024));
            let mut r = item_view(&state, me, id, RequestForm::blank(), refused(limit)).await?;
            *r.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
            return Ok(r);
        }
        Err(AppError::Invalid(m)) => return item_view(&state, me, id, RequestForm::blank(), refused(m)).await,
        Err(e) => return Err(e),
    };
    let Some(bytes) = file.map(|(_, b)| b).filter(|b| !b.is_empty()) else {
        return item_view(&state, me, id, RequestForm::blank(), refused("กรุณาเลือกรูปพัสดุ".into())).await;
    };
    match items::set_photo(&state.db, me.org_id(), ItemId(id), &bytes, &me.actor()).await? {
        Ok(true) => Ok(see_other(&format!("/app/lending/items/{id}"))),
        Ok(false) => Err(AppError::NotFound),
        Err(message) => item_view(&state, me, id, RequestForm::blank(), refused(message)).await,
    }
}

/// The loan request form, as typed: shown again unchanged when it is refused.
#[derive(Deserialize, Default)]
pub(super) struct RequestForm {
    #[serde(default)]
    item_id: i64,
    #[serde(default)]
    for_self: String,
    #[serde(default)]
    borrower_name: String,
    #[serde(default)]
    borrower_position: String,
    #[serde(default)]
    borrower_unit: String,
    #[serde(default)]
    use_type: String,
    #[serde(default)]
    urgent_need: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    place_of_use: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    due: String,
    #[serde(default)]
    quantity: String,
}

/// A date typed in a form field (วัน/เดือน/ปี พ.ศ., see [`parse_date_field`]); the message names
/// the field.
pub(super) fn parse_day(s: &str, field: &str) -> Result<NaiveDate, String> {
    parse_date_field(s).map_err(|e| format!("{field}: {} (พิมพ์ วัน/เดือน/ปี พ.ศ. เช่น ๑๐/๑๒/๒๕๖๙)", e.message_th()))
}

impl RequestForm {
    /// The form on a first visit: one unit.
    fn blank() -> Self {
        RequestForm { quantity: "1".into(), ..RequestForm::default() }
    }
}

/// The request form's field a rule error belongs to.
fn request_field(e: &super::rules::RequestError) -> &'static str {
    match e.field() {
        "start_date" => "start",
        "due_date" => "due",
        // The item's class cannot be changed on the form: the use is what the person can fix.
        "item_class" => "use_type",
        other => other,
    }
}

async fn request_loan(
    State(state): State<AppState>,
    CsrfFormKept { user: me, form, mut errors }: CsrfFormKept<RequestForm>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let start = parse_day(&form.start, "วันที่ยืม").map_err(|e| errors.add("start", e));
    let due = parse_day(&form.due, "กำหนดส่งคืน").map_err(|e| errors.add("due", e));
    let quantity = parse_count(&form.quantity, 1, "จำนวนที่ขอยืม").map_err(|e| errors.add("quantity", e));
    let (Ok(start), Ok(due), Ok(quantity), true) = (start, due, quantity, errors.is_empty()) else {
        return item_view(&state, me, form.item_id, form, errors).await;
    };
    let use_type = UseType::parse(&form.use_type).unwrap_or(UseType::Inside);
    let for_self = form.for_self == "yes";
    let request = LoanRequest {
        item_id: ItemId(form.item_id),
        borrower_user_id: for_self.then_some(me.user.id),
        borrower_name: if for_self { me.user.display_name.clone() } else { form.borrower_name.clone() },
        borrower_position: form.borrower_position.clone(),
        borrower_unit: form.borrower_unit.clone(),
        borrower_is_agency: use_type == UseType::Agency,
        urgent_need: form.urgent_need == "yes",
        use_type,
        purpose: form.purpose.clone(),
        place_of_use: form.place_of_use.clone(),
        start,
        due,
        quantity,
    };
    match loans::request(&state.db, me.org_id(), &request, &me.user, today()).await? {
        Ok(id) => {
            notices::announce(&state.db, state.mailer.as_ref(), me.org_id(), id, notices::Step::Requested).await;
            Ok(see_other(&format!("/app/lending/loans/{}", id.0)))
        }
        Err(loans::RequestRefusal::NoSuchItem) => Err(AppError::NotFound),
        Err(refusal) => {
            // A taken or unlendable item is a conflict (409); a rule the form broke is a 422.
            let status = match &refusal {
                loans::RequestRefusal::Rules(_) | loans::RequestRefusal::NoUnits => StatusCode::UNPROCESSABLE_ENTITY,
                _ => StatusCode::CONFLICT,
            };
            let errors = match &refusal {
                loans::RequestRefusal::Rules(broken) => {
                    let mut errors = FieldErrors::new();
                    for e in broken {
                        errors.add(request_field(e), e.message_th());
                    }
                    errors
                }
                // The days are what the person can change.
                _ => FieldErrors::one("start", refusal.message_th()),
            };
            let item_id = form.item_id;
            let mut r = item_view(&state, me, item_id, form, errors).await?;
            *r.status_mut() = status;
            r.headers_mut().insert("x-error-code", HeaderValue::from_static(error_code(status)));
            Ok(r)
        }
    }
}

/// The stable code a refused form page carries, as [`AppError`] pages do.
fn error_code(status: StatusCode) -> &'static str {
    match status {
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::CONFLICT => "conflict",
        _ => "invalid",
    }
}

#[derive(Template)]
#[template(path = "lending/loan.html")]
struct LoanPage {
    me: CurrentUser,
    loan: LoanRow,
    /// Returned: staff may print the borrower a link to the satisfaction survey (`survey::visits`).
    survey_link: bool,
    /// Who must act now, by duty and name.
    waiting_for: Option<String>,
    /// Why the request went to the head of the agency, when it did.
    escalation: Option<String>,
    detail: Vec<(&'static str, String)>,
    actions: Vec<(&'static str, &'static str)>,
    can_follow_up: bool,
    /// The loan's steps so far, in the workflow's order ([`super::history`]).
    history: Vec<HistoryRow>,
    damage: Vec<(&'static str, &'static str)>,
    settlements: Vec<(&'static str, &'static str)>,
    /// Each return of units so far.
    returns: Vec<String>,
    /// Units still out, and how they are counted (the return form's default).
    outstanding: i64,
    outstanding_th: String,
    count_unit: String,
    /// The settlement form: what was typed and its problems.
    settle: SettleView,
    /// The step's form as typed (its `action` says which form), kept when it is refused.
    kept: ActForm,
    /// The kept day in words, beside the day field.
    on_echo: String,
    errors: FieldErrors,
}

/// A step of the loan's history as the page shows it.
struct HistoryRow {
    what: String,
    who: String,
    on: String,
    /// When it was recorded, for a hand-over or return (may be later than it happened).
    recorded: String,
    note: String,
}

impl LoanPage {
    /// The day typed in this step's form, when this step's form was the one refused.
    fn kept_on(&self, code: &str) -> &str {
        if self.kept.action == code { &self.kept.on } else { "" }
    }

    fn kept_on_echo(&self, code: &str) -> &str {
        if self.kept.action == code { &self.on_echo } else { "" }
    }
}

/// The loan page with errors (of a step handled elsewhere, such as the settlement).
pub(super) async fn loan_view(
    state: &AppState,
    me: CurrentUser,
    id: i64,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    loan_view_full(state, me, id, ActForm::default(), errors, None).await
}

/// The loan page with a refused settlement form (`settle`: what was typed).
pub(super) async fn loan_view_with(
    state: &AppState,
    me: CurrentUser,
    id: i64,
    errors: FieldErrors,
    settle: Option<SettleView>,
) -> Result<Response, AppError> {
    loan_view_full(state, me, id, ActForm::default(), errors, settle).await
}

/// The loan page with a refused step form as typed (`kept`).
async fn loan_view_kept(
    state: &AppState,
    me: CurrentUser,
    id: i64,
    kept: ActForm,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    loan_view_full(state, me, id, kept, errors, None).await
}

async fn loan_view_full(
    state: &AppState,
    me: CurrentUser,
    id: i64,
    kept: ActForm,
    errors: FieldErrors,
    settle: Option<SettleView>,
) -> Result<Response, AppError> {
    let org = me.org_id();
    let loan = loans::find(&state.db, org, LoanId(id)).await?.ok_or(AppError::NotFound)?;
    let rules = store_rules::load(&state.db, org).await?;
    let digits = me.org.digits;
    let mut actions = Vec::new();
    // Only the steps this user may take now: a button that can only be refused is a dead end.
    let duties = duties_of(&state.db, me.user.id).await?;
    let actor = super::workflow::Actor { user_id: me.user.id, duties };
    // Deciding goes by the user's authority on this loan (unit head, delegation order).
    let authority = super::delegation::authority(&state.db, org, me.user.id, today()).await?;
    let deciding =
        super::workflow::Actor { user_id: me.user.id, duties: authority.deciding(&loan.facts(), loan.holding_unit).0 };
    let can = |a: Action| {
        let who = if matches!(a, Action::Approve | Action::Reject | Action::Cancel) { &deciding } else { &actor };
        super::workflow::next(loan.status, &a, who, &loan.facts()).is_ok()
    };
    for (code, label, action) in [
        ("approve", "อนุมัติ", Action::Approve),
        ("reject", "ไม่อนุมัติ", Action::Reject),
        ("hand_over", "ส่งมอบพัสดุ", Action::HandOver),
        ("return", "รับคืนและตรวจสภาพ", Action::Return { damage: Damage::None }),
        ("settle", "บันทึกการชดใช้เรียบร้อย", Action::Settle { how: Settlement::Repair }),
        ("cancel", "ยกเลิกคำขอ", Action::Cancel),
    ] {
        let decision = matches!(action, Action::Approve | Action::Reject);
        if can(action) && (decision || me.user.role.can_edit()) {
            actions.push((code, label));
        }
    }
    let waiting_for = waiting_for(state, org, &loan).await?;
    let escalation = loan.escalation.map(|e| e.notice_th(rules.approver_for(loan.use_type)));
    let history = super::history::load(&state.db, org, &loan, rules.approver_for(loan.use_type))
        .await?
        .into_iter()
        .map(|s| HistoryRow {
            on: d(s.on, digits),
            recorded: s.recorded.map(|at| crate::thai::format_instant_th(at, digits)).unwrap_or_default(),
            what: s.what,
            who: s.who,
            note: s.note,
        })
        .collect();
    let returned = super::returns::list(&state.db, org, loan.id).await?;
    let returns_lines = if returned.len() > 1 || loan.quantity > 1 {
        returned.iter().map(|r| r.line_th(&loan.count_unit, digits)).collect()
    } else {
        Vec::new()
    };
    let detail = vec![
        ("จำนวน", format!("{} {}", crate::thai::format_int(loan.quantity, digits), loan.count_unit)),
        ("ผู้ยืม", format!("{} {} {}", loan.borrower_name, loan.borrower_position, loan.borrower_unit)),
        ("ลักษณะการใช้", loan.use_type.label_th().to_string()),
        ("เพื่อใช้ในงาน", loan.purpose.clone()),
        ("สถานที่นำไปใช้", loan.place_of_use.clone()),
        ("ผู้มีอำนาจอนุมัติ", loan.required_duty.label_th().to_string()),
        ("บันทึกการพิจารณา", loan.decision_note.clone()),
        ("สภาพเมื่อส่งมอบ", loan.handover_condition.clone()),
        ("สภาพเมื่อรับคืน", loan.return_condition.clone()),
        ("ความเสียหาย", if loan.returned_at.is_some() { loan.damage.label_th().to_string() } else { String::new() }),
        ("การชดใช้", super::settlement::line_th(&loan, digits).unwrap_or_default()),
    ];
    let refused = !errors.is_empty();
    form_page(
        LoanPage {
            on_echo: date_echo(&kept.on, digits),
            kept,
            errors,
            loan: loan_row(&loan, digits, &rules, today()),
            waiting_for,
            escalation,
            detail: detail.into_iter().filter(|(_, v)| !v.trim().is_empty()).collect(),
            actions,
            can_follow_up: loan.status == LoanStatus::HandedOver && me.user.role.can_edit(),
            survey_link: loan.status == LoanStatus::Returned && me.user.role.can_edit(),
            history,
            damage: Damage::ALL.iter().map(|x| (x.code(), x.label_th())).collect(),
            settlements: loan.damage.settlements().iter().map(|x| (x.code(), x.label_th())).collect(),
            returns: returns_lines,
            outstanding: loan.quantity - loan.units_back,
            outstanding_th: format!(
                "{} {}",
                crate::thai::format_int(loan.quantity - loan.units_back, digits),
                loan.count_unit
            ),
            count_unit: loan.count_unit.clone(),
            settle: settle.unwrap_or_default(),
            me,
        },
        refused,
    )
}

/// Who must take the loan's next step: the duty, and the names of those holding it who may.
async fn waiting_for(state: &AppState, org: crate::orgs::OrgId, loan: &Loan) -> Result<Option<String>, AppError> {
    let (duties, what): (&[Duty], &str) = match loan.status {
        LoanStatus::Requested => (&[loan.required_duty], "พิจารณาอนุมัติ"),
        LoanStatus::Approved => (&[Duty::SuppliesOfficer, Duty::SuppliesHead], "ส่งมอบพัสดุ"),
        LoanStatus::HandedOver => (&[Duty::SuppliesOfficer, Duty::SuppliesHead], "รับคืนและตรวจสภาพพัสดุ"),
        LoanStatus::AwaitingSettlement => (&[Duty::SuppliesOfficer, Duty::SuppliesHead], "บันทึกการชดใช้"),
        _ => return Ok(None),
    };
    let facts = loan.facts();
    let mut names = Vec::new();
    if loan.status == LoanStatus::Requested {
        // Exactly those whose to-do list holds it: the holding unit's head, delegates of an order.
        for (_, name) in super::todo::readers(&state.db, org, loan, super::todo::Section::Approve, today()).await? {
            names.push(name);
        }
    }
    for duty in duties.iter().filter(|_| loan.status != LoanStatus::Requested) {
        for (id, name) in super::approvers::holders(&state.db, org, *duty).await? {
            // The requester and the borrower never decide on their loan; the borrower never records it.
            let excluded = match loan.status {
                LoanStatus::Requested => id == facts.requested_by || facts.borrower_user_id == Some(id),
                _ => facts.borrower_user_id == Some(id),
            };
            if !excluded && !names.contains(&name) {
                names.push(name);
            }
        }
    }
    let duty = duties.iter().map(|d| d.label_th()).collect::<Vec<_>>().join(" หรือ ");
    Ok(Some(if names.is_empty() {
        format!("รอ{duty}{what} แต่ยังไม่มีผู้ได้รับมอบหมายหน้าที่นี้ที่พิจารณาได้ กรุณาแจ้งผู้ดูแลระบบให้กำหนดหน้าที่")
    } else {
        format!("รอ{duty}{what}: {}", names.join(", "))
    }))
}

async fn loan_page(State(state): State<AppState>, me: CurrentUser, Path(id): Path<i64>) -> Result<Response, AppError> {
    loan_view(&state, me, id, FieldErrors::new()).await
}

/// One step's form (approve, hand over, return …), as typed.
#[derive(Deserialize, Default)]
struct ActForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    note: String,
    /// The day a hand-over or return happened; empty = today.
    #[serde(default)]
    on: String,
    #[serde(default)]
    damage: String,
    #[serde(default)]
    settlement: String,
    /// Units coming back with a return; empty = all still out.
    #[serde(default)]
    units: String,
    /// A settlement's amount (baht) and receipt number.
    #[serde(default)]
    amount: String,
    #[serde(default)]
    receipt: String,
}

async fn act(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfFormKept { user: me, form, errors: typed }: CsrfFormKept<ActForm>,
) -> Result<Response, AppError> {
    // Executives decide (their duty is checked by the workflow); running the store is staff work.
    if !matches!(form.action.as_str(), "approve" | "reject") {
        me.require_editor()?;
    }
    if form.action == "settle" {
        let fields = SettleFields {
            how: &form.settlement,
            amount: &form.amount,
            receipt: &form.receipt,
            on: &form.on,
            note: &form.note,
        };
        return super::routes_settlement::settle(&state, me, id, fields).await;
    }
    // Each step has its own form on the page: its fields' ids carry the step's code.
    let code = form.action.clone();
    let mut errors = FieldErrors::new();
    for e in typed.iter() {
        errors.add(&format!("{}-{code}", e.field), e.message.clone());
    }
    let action = match form.action.as_str() {
        "approve" => Action::Approve,
        "reject" => Action::Reject,
        "hand_over" => Action::HandOver,
        "return" => Action::Return { damage: Damage::parse(&form.damage).unwrap_or(Damage::None) },
        "cancel" => Action::Cancel,
        _ => return Err(AppError::Invalid("ไม่รู้จักขั้นตอนนี้".into())),
    };
    // Only a hand-over or a return may be recorded for an earlier day; a decision is dated when it
    // is made, whatever a crafted form says.
    let on = match form.on.trim() {
        "" => None,
        _ if !matches!(action, Action::HandOver | Action::Return { .. }) => None,
        s => parse_day(s, "วันที่").map_err(|e| errors.add(&format!("on-{code}"), e)).ok(),
    };
    let units = match form.units.trim() {
        "" => None,
        s => parse_count(s, 0, "จำนวนที่รับคืน").map_err(|e| errors.add("units", e)).ok(),
    };
    if !errors.is_empty() {
        return loan_view_kept(&state, me, id, form, errors).await;
    }
    let duties = duties_of(&state.db, me.user.id).await?;
    let note = StepNote { note: form.note.clone(), on, units };
    match loans::act(&state.db, me.org_id(), LoanId(id), action, &me.user, &duties, &note).await? {
        None => Err(AppError::NotFound),
        Some(Ok(next)) => {
            if next == LoanStatus::Approved {
                notices::announce(&state.db, state.mailer.as_ref(), me.org_id(), LoanId(id), notices::Step::Approved)
                    .await;
            }
            Ok(see_other(&format!("/app/lending/loans/{id}")))
        }
        Some(Err(e)) => {
            // 403 only for who acts; a step the status does not allow or a taken item is a 409.
            let status = match &e {
                loans::StepRefusal::Workflow(w) if w.is_permission() => StatusCode::FORBIDDEN,
                loans::StepRefusal::Workflow(WorkflowError::SettlementNotPossible { .. })
                | loans::StepRefusal::Units { .. } => StatusCode::UNPROCESSABLE_ENTITY,
                _ => StatusCode::CONFLICT,
            };
            // A wrong day belongs to the day field; anything else to the step's form as a whole.
            let field = match &e {
                loans::StepRefusal::Date(_) => format!("on-{code}"),
                _ => format!("act-{code}"),
            };
            let mut r = loan_view_kept(&state, me, id, form, FieldErrors::one(&field, e.message_th())).await?;
            *r.status_mut() = status;
            r.headers_mut().insert("x-error-code", HeaderValue::from_static(error_code(status)));
            Ok(r)
        }
    }
}

#[derive(Deserialize)]
struct FollowUpForm {
    #[serde(default)]
    note: String,
}

async fn follow_up(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { user: me, form }: CsrfForm<FollowUpForm>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    if form.note.trim().is_empty() {
        let errors = FieldErrors::one("fu-note", "กรุณาบันทึกวิธีติดตาม เช่น โทรแจ้ง หรือทำหนังสือทวงถาม");
        return loan_view_kept(&state, me, id, ActForm { action: "follow_up".into(), ..ActForm::default() }, errors)
            .await;
    }
    if !loans::follow_up(&state.db, me.org_id(), LoanId(id), &me.user, &form.note, today()).await? {
        return Err(AppError::NotFound);
    }
    Ok(see_other(&format!("/app/lending/loans/{id}")))
}

async fn loan_form_pdf(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let loan = loans::find(&state.db, me.org_id(), LoanId(id)).await?.ok_or(AppError::NotFound)?;
    let rules = store_rules::load(&state.db, me.org_id()).await?;
    let signers = super::store_signers::of_loan(&state.db, me.org_id(), loan.id).await?;
    let item_class =
        items::find(&state.db, me.org_id(), loan.item_id).await?.map(|i| i.class).unwrap_or(ItemClass::Durable);
    let mut form = documents::build::loan_form(&me.org, &loan, &rules, &signers, item_class);
    // Approved under a delegation order: the approver signs "ปฏิบัติราชการแทน … ตามคำสั่ง …".
    if let Some(order) = loan.delegation_id
        && form.decision.is_some()
        && let Some(line) = super::delegation::acting_for_line(&state.db, &me.org, order).await?
    {
        form.approver.position = Some(line);
    }
    let size = DocSize::of(form.items.len(), "รายการพัสดุ", &form);
    let bytes = state.pdf.pdf("loan_form", size, move |engine| documents::loan_form(engine, &form)).await?;
    Ok(download(bytes, "application/pdf", &format!("loan-{id}.pdf"), true))
}

async fn labels_pdf(State(state): State<AppState>, me: CurrentUser) -> Result<Response, AppError> {
    let bytes = documents::build::labels_pdf(&state.db, &state.pdf, &me.org, &state.settings.public_url).await?;
    Ok(download(bytes, "application/pdf", &format!("labels-{}.pdf", me.org.slug), true))
}

#[derive(Deserialize)]
struct PeriodQuery {
    from: Option<String>,
    to: Option<String>,
}

async fn report_pdf(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    let fy = crate::thai::FiscalYear::of(today());
    let from = match q.from.as_deref() {
        Some(s) if !s.is_empty() => parse_day(s, "ตั้งแต่วันที่").map_err(AppError::Invalid)?,
        _ => fy.start(),
    };
    let to = match q.to.as_deref() {
        Some(s) if !s.is_empty() => parse_day(s, "ถึงวันที่").map_err(AppError::Invalid)?,
        _ => fy.end(),
    };
    let bytes = documents::build::report_pdf(&state.db, &state.pdf, &me.org, from, to).await?;
    Ok(download(bytes, "application/pdf", &format!("loans-{}.pdf", me.org.slug), true))
}

#[derive(Template)]
#[template(path = "lending/notifications.html")]
struct NotificationsPage {
    me: CurrentUser,
    notes: Vec<(String, String, Option<i64>)>,
    pager: Pager,
}

async fn notifications_page(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let request = PageRequest::from_query(&query)?;
    let digits = me.org.digits;
    let (notes, total) = reminders::for_user(&state.db, me.org_id(), me.user.id, &request).await?;
    let pager = Pager::new("/app/notifications", &request, total, notes.len(), digits);
    let notes = notes.into_iter().map(|n| (d(n.day, digits), n.message, n.loan_id)).collect();
    page(NotificationsPage { me, notes, pager })
}

#[derive(Template)]
#[template(path = "lending/rules.html")]
struct RulesPage {
    me: CurrentUser,
    /// The rules as saved, or as typed when the form was refused.
    form: RulesForm,
    approvers: Vec<(&'static str, &'static str, String)>,
    duties: Vec<(&'static str, &'static str)>,
    can_edit: bool,
    errors: FieldErrors,
}

fn rules_view(me: CurrentUser, form: RulesForm, errors: FieldErrors) -> Result<Response, AppError> {
    let refused = !errors.is_empty();
    form_page(
        RulesPage {
            approvers: vec![
                ("approver_inside", UseType::Inside.label_th(), form.approver_inside.clone()),
                ("approver_outside", UseType::Outside.label_th(), form.approver_outside.clone()),
                ("approver_agency", UseType::Agency.label_th(), form.approver_agency.clone()),
            ],
            duties: Duty::ALL.iter().map(|d| (d.code(), d.label_th())).collect(),
            can_edit: me.user.role == crate::auth::Role::Admin,
            form,
            errors,
            me,
        },
        refused,
    )
}

async fn rules_page(State(state): State<AppState>, me: CurrentUser) -> Result<Response, AppError> {
    let rules = store_rules::load(&state.db, me.org_id()).await?;
    let form = RulesForm::from_rules(&rules, me.org.digits);
    rules_view(me, form, FieldErrors::new())
}

/// The rules form, as typed (or as the saved rules fill it).
#[derive(Deserialize, Default)]
struct RulesForm {
    #[serde(default)]
    max_loan_days: String,
    #[serde(default)]
    booking_horizon_days: String,
    #[serde(default)]
    follow_up_days: String,
    #[serde(default)]
    remind_days_before_due: String,
    #[serde(default)]
    approver_inside: String,
    #[serde(default)]
    approver_outside: String,
    #[serde(default)]
    approver_agency: String,
    #[serde(default)]
    holidays: String,
    #[serde(default)]
    extra_rules: String,
}

impl RulesForm {
    fn from_rules(rules: &super::rules::LendingRules, digits: Digits) -> Self {
        RulesForm {
            max_loan_days: rules.max_loan_days.to_string(),
            booking_horizon_days: rules.booking_horizon_days.to_string(),
            follow_up_days: rules.follow_up_days.to_string(),
            remind_days_before_due: rules.remind_days_before_due.to_string(),
            approver_inside: rules.approver_inside.code().to_string(),
            approver_outside: rules.approver_outside.code().to_string(),
            approver_agency: rules.approver_agency.code().to_string(),
            holidays: rules.holidays.iter().map(|d| format_date_field(*d, digits)).collect::<Vec<_>>().join("\n"),
            extra_rules: rules.extra_rules_th.join("\n"),
        }
    }
}

/// Reads the rules form; every wrong field is named in Thai, beside the field.
fn parse_rules(form: &RulesForm) -> Result<super::rules::LendingRules, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut number = |raw: &str, field: &'static str| -> u32 {
        crate::thai::to_arabic_digits(raw.trim()).parse::<u32>().unwrap_or_else(|_| {
            errors.add(field, format!("{} ต้องเป็นตัวเลข", crate::http::fields::label_th(field)));
            0
        })
    };
    // Left empty, a limit takes its default (a rules file that leaves the key out does the same).
    let max_loan_days = if form.max_loan_days.trim().is_empty() {
        super::rules::DEFAULT_MAX_LOAN_DAYS
    } else {
        number(&form.max_loan_days, "max_loan_days")
    };
    let booking_horizon_days = if form.booking_horizon_days.trim().is_empty() {
        super::rules::DEFAULT_BOOKING_HORIZON_DAYS
    } else {
        number(&form.booking_horizon_days, "booking_horizon_days")
    };
    let follow_up_days = number(&form.follow_up_days, "follow_up_days");
    let remind_days_before_due = number(&form.remind_days_before_due, "remind_days_before_due");
    let mut duty = |raw: &str, field: &'static str| {
        Duty::parse(raw).unwrap_or_else(|| {
            errors.add(field, "ผู้มีอำนาจอนุมัติไม่ถูกต้อง");
            Duty::OrgHead
        })
    };
    let approver_inside = duty(&form.approver_inside, "approver_inside");
    let approver_outside = duty(&form.approver_outside, "approver_outside");
    let approver_agency = duty(&form.approver_agency, "approver_agency");
    let mut holidays = Vec::new();
    for (n, line) in form.holidays.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
        match parse_day(line, &format!("วันหยุดบรรทัดที่ {}", n + 1)) {
            Ok(day) => holidays.push(day),
            Err(e) => errors.add("holidays", e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let rules = super::rules::LendingRules {
        max_loan_days,
        booking_horizon_days,
        follow_up_days,
        remind_days_before_due,
        approver_inside,
        approver_outside,
        approver_agency,
        holidays,
        extra_rules_th: form.extra_rules.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect(),
    };
    rules.validate().map_err(|e| {
        let field = match &e {
            super::rules::RulesError::Invalid { field, .. } => field,
            super::rules::RulesError::Syntax(_) => "max_loan_days",
        };
        FieldErrors::one(field, e.message_th())
    })?;
    Ok(rules)
}

async fn save_rules(
    State(state): State<AppState>,
    CsrfFormKept { user: me, form, errors }: CsrfFormKept<RulesForm>,
) -> Result<Response, AppError> {
    if me.user.role != crate::auth::Role::Admin {
        return Err(AppError::Forbidden);
    }
    if !errors.is_empty() {
        return rules_view(me, form, errors);
    }
    match parse_rules(&form) {
        Ok(rules) => {
            if let Err(below) = store_rules::save(&state.db, me.org_id(), &rules, &me.actor()).await? {
                // An approver below clause 208: beside the approver field of that use.
                let mut errors = FieldErrors::new();
                for b in below {
                    let use_type = b.requirement.use_type;
                    let message = format!("ช่อง “ผู้มีอำนาจอนุมัติ: {}” – {}", use_type.label_th(), b.message_th());
                    errors.add(&format!("approver_{}", use_type.code()), message);
                }
                return rules_view(me, form, errors);
            }
            Ok(see_other("/app/lending/rules"))
        }
        Err(errors) => rules_view(me, form, errors),
    }
}
