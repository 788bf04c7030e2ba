//! Staff pages of the ITA documents: each kind's draft of a year (preview files), the executive's
//! approval (ผู้บริหารเห็นชอบ) and publishing a version, as for the measures report.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::publish::{self, Standing};
use super::{Format, Kind};
use crate::app::AppState;
use crate::auth::Role;
use crate::http::{AppError, CsrfForm, CurrentUser, FieldErrors, download, form_page, see_other};
use crate::measures::publication::rules::parse_approval;
use crate::thai::{FiscalYear, format_date_field, format_date_words, format_instant_th, format_int};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/ita/documents", get(list))
        .route("/app/ita/documents/approve", post(approve))
        .route("/app/ita/documents/publish", post(publish_version))
        .route("/app/ita/documents/{kind}/{file}", get(preview))
}

/// One published version as the staff list shows it.
pub struct VersionRow {
    pub label: String,
    pub published: String,
    pub published_by: String,
    pub pdf: String,
    pub docx: String,
}

/// The approval form's fields, as typed or proposed.
#[derive(Deserialize, Default, Clone)]
pub struct ApproveForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub approver_name: String,
    #[serde(default)]
    pub approver_position: String,
    #[serde(default)]
    pub approved_on: String,
    /// The hash of the draft the executive read.
    #[serde(default)]
    pub seen: String,
}

/// One kind's standing for the page, every string final.
pub struct KindView {
    pub code: &'static str,
    pub name: String,
    /// Why there is no draft (no result for year N-1), instead of everything below.
    pub missing: Option<String>,
    pub state: String,
    pub approval: Option<(String, bool)>,
    pub blocked: Option<String>,
    pub can_approve: bool,
    pub can_publish: bool,
    pub form: ApproveForm,
    pub date_echo: String,
    pub preview_pdf: String,
    pub preview_docx: String,
    pub versions: Vec<VersionRow>,
}

#[derive(Template)]
#[template(path = "ita/documents.html")]
struct ListPage {
    me: CurrentUser,
    year: i64,
    year_label: String,
    assessed_label: String,
    kinds: Vec<KindView>,
    errors: FieldErrors,
}

#[derive(Deserialize)]
struct YearQuery {
    year: Option<String>,
}

fn year_of(typed: &str) -> Result<i64, AppError> {
    typed
        .trim()
        .parse::<FiscalYear>()
        .map(|y| i64::from(y.be()))
        .map_err(|e| AppError::Invalid(format!("ปีงบประมาณ \"{typed}\" ไม่ถูกต้อง: {}", e.message_th())))
}

fn kind_of(code: &str) -> Result<Kind, AppError> {
    Kind::parse(code).ok_or_else(|| AppError::Invalid(format!("ไม่รู้จักเอกสาร \"{code}\" (ใช้ o42, o43-6m หรือ o43-12m)")))
}

/// The year N whose documents the page shows when none is asked: the year after the latest
/// assessed result, else the current fiscal year.
async fn default_year(state: &AppState, me: &CurrentUser) -> Result<i64, AppError> {
    let latest = crate::ita::scores::years(&state.db, me.org.id).await?.first().map(|(y, _, _)| y + 1);
    Ok(latest.unwrap_or_else(|| i64::from(FiscalYear::of(crate::thai::today_in_thailand()).be())))
}

async fn kind_view(
    state: &AppState,
    me: &CurrentUser,
    kind: Kind,
    year: i64,
    typed: Option<ApproveForm>,
) -> Result<KindView, AppError> {
    let digits = me.org.digits;
    let standing = publish::standing(&state.db, &me.org, kind, year).await?;
    let preview = |ext: &str| format!("/app/ita/documents/{}/{year}.{ext}", kind.code());
    let public = format!("/o/{}/ita/{}/{year}", me.org.slug, kind.segment());
    let mut view = KindView {
        code: kind.code(),
        name: kind.name_th(digits),
        missing: None,
        state: String::new(),
        approval: None,
        blocked: None,
        can_approve: false,
        can_publish: false,
        form: ApproveForm::default(),
        date_echo: String::new(),
        preview_pdf: preview("pdf"),
        preview_docx: preview("docx"),
        versions: Vec::new(),
    };
    let Some(Standing { state: draft, .. }) = standing else {
        view.missing = Some(format!(
            "ยังไม่มีผลการประเมิน ITA ปีงบประมาณ พ.ศ. {} จึงยังจัดทำรายงานการวิเคราะห์ไม่ได้ (นำเข้าผลคะแนนที่หน้า ผลการประเมิน ITA)",
            crate::thai::format_year_be(year as i32 - 1, digits)
        ));
        return Ok(view);
    };
    view.state = draft.label_th(digits);
    view.approval = draft.approval_th(digits);
    view.blocked = draft.blocked_th(digits);
    view.can_approve = me.user.role == Role::Executive && draft.has_measures;
    view.can_publish = (me.user.role.can_edit() || me.user.role == Role::Executive) && draft.may_publish().is_ok();
    view.form = typed.unwrap_or_else(|| ApproveForm {
        kind: kind.code().to_string(),
        year: year.to_string(),
        approver_name: draft
            .approval
            .as_ref()
            .map_or_else(|| me.user.display_name.clone(), |a| a.approver_name.clone()),
        approver_position: draft.approval.as_ref().map(|a| a.approver_position.clone()).unwrap_or_default(),
        approved_on: format_date_field(crate::thai::today_in_thailand(), digits),
        seen: draft.draft_sha256.clone(),
    });
    view.date_echo =
        crate::thai::parse_date_field(&view.form.approved_on).map(|d| format_date_words(d, digits)).unwrap_or_default();
    view.versions = draft
        .versions
        .iter()
        .map(|v| VersionRow {
            label: format!("ฉบับที่ {}", format_int(v.number, digits)),
            published: format_instant_th(v.published_at, digits),
            published_by: crate::audit::words::actor_th(&v.published_by).to_string(),
            pdf: format!("{public}/v{}.pdf", v.number),
            docx: format!("{public}/v{}.docx", v.number),
        })
        .collect();
    Ok(view)
}

/// The page of year `year`, the posted kind's form as typed, with its errors.
async fn list_page(
    state: &AppState,
    me: CurrentUser,
    year: i64,
    typed: Option<(Kind, ApproveForm)>,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let mut kinds = Vec::new();
    for kind in Kind::ALL {
        let form = typed.as_ref().filter(|(k, _)| *k == kind).map(|(_, f)| f.clone());
        kinds.push(kind_view(state, &me, kind, year, form).await?);
    }
    let digits = me.org.digits;
    let refused = !errors.is_empty();
    let page = ListPage {
        year,
        year_label: crate::thai::format_year_be(year as i32, digits),
        assessed_label: crate::thai::format_year_be(year as i32 - 1, digits),
        kinds,
        errors,
        me,
    };
    form_page(page, refused)
}

async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let year = match q.year.as_deref() {
        Some(typed) => year_of(typed)?,
        None => default_year(&state, &me).await?,
    };
    list_page(&state, me, year, None, FieldErrors::new()).await
}

/// `2566.pdf` or `2566.docx`: the draft of the year as it stands.
async fn preview(
    State(state): State<AppState>,
    me: CurrentUser,
    Path((kind, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let kind = Kind::parse(&kind).ok_or(AppError::NotFound)?;
    let (year, format) = file.split_once('.').ok_or(AppError::NotFound)?;
    let format = Format::parse(format).ok_or(AppError::NotFound)?;
    let year = year.parse::<FiscalYear>().map_err(|_| AppError::NotFound)?.be() as i64;
    let draft = super::draft::load(&state.db, &me.org, kind, year).await?.ok_or_else(|| {
        AppError::NotYet(format!(
            "ยังไม่มีผลการประเมิน ITA ปีงบประมาณ พ.ศ. {} จึงยังจัดทำรายงานการวิเคราะห์ไม่ได้",
            crate::thai::format_year_be(year as i32 - 1, me.org.digits)
        ))
    })?;
    let bytes = draft.doc.render(&state.pdf, format).await?;
    Ok(download(bytes, format.content_type(), &kind.file_name(&me.org.slug, year, None, format.extension()), false))
}

async fn approve(
    State(state): State<AppState>,
    CsrfForm { user: me, form }: CsrfForm<ApproveForm>,
) -> Result<Response, AppError> {
    if me.user.role != Role::Executive {
        return Err(AppError::Forbidden);
    }
    let kind = kind_of(&form.kind)?;
    let fiscal_year = form
        .year
        .trim()
        .parse::<FiscalYear>()
        .map_err(|e| AppError::Invalid(format!("ปีงบประมาณ \"{}\" ไม่ถูกต้อง: {}", form.year, e.message_th())))?;
    let year = i64::from(fiscal_year.be());
    let today = crate::thai::today_in_thailand();
    let prefixed = |errors: FieldErrors| {
        let mut out = FieldErrors::new();
        for e in errors.iter() {
            out.add(&format!("{}-{}", kind.code(), e.field), e.message.clone());
        }
        out
    };
    let errors =
        match parse_approval(&form.approver_name, &form.approver_position, &form.approved_on, fiscal_year, today) {
            Ok(input) => {
                match publish::approve(&state.db, &me.org, (kind, year), &input, Some(&form.seen), &me.actor()).await? {
                    Some(Ok(_)) => return Ok(see_other(&format!("/app/ita/documents?year={year}#{}", kind.code()))),
                    Some(Err(refusal)) => FieldErrors::one(kind.code(), refusal.message_th(me.org.digits)),
                    None => return Err(AppError::NotFound),
                }
            }
            Err(errors) => prefixed(errors),
        };
    list_page(&state, me, year, Some((kind, form)), errors).await
}

#[derive(Deserialize)]
struct PublishForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    year: String,
}

/// Editors and executives publish; the rules (an approval of the draft as it stands) decide.
async fn publish_version(
    State(state): State<AppState>,
    CsrfForm { user: me, form }: CsrfForm<PublishForm>,
) -> Result<Response, AppError> {
    if !(me.user.role.can_edit() || me.user.role == Role::Executive) {
        return Err(AppError::Forbidden);
    }
    let kind = kind_of(&form.kind)?;
    let year = year_of(&form.year)?;
    match publish::publish(&state.db, &state.pdf, &me.org, (kind, year), &me.actor()).await? {
        Some(Ok(_)) => Ok(see_other(&format!("/app/ita/documents?year={year}#{}", kind.code()))),
        Some(Err(refusal)) => Err(AppError::Conflict(refusal.message_th(me.org.digits))),
        None => Err(AppError::NotFound),
    }
}
