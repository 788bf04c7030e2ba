//! Staff pages of the ITA results: the years on record and the import of a year's scores
//! (/app/ita), and the analysis of an assessed year (/app/ita/{year}): the office writes what to
//! fix per indicator and the averages it compares with, and sees which weak indicator no measure
//! of the next year answers yet.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};

use super::analysis::{self, Analysis};
use super::score_file;
use super::scores::{self, PASS_MARK_X100, Scope, Source, format_score};
use crate::app::AppState;
use crate::http::{AppError, CsrfForm, CsrfMultipart, CurrentUser, form_page, page, see_other};
use crate::thai::FiscalYear;
use crate::thai::digits::Digits;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/ita", get(scores_page))
        .route("/app/ita/import", post(import))
        .route("/app/ita/{year}", get(analysis_page))
        .route("/app/ita/{year}/notes", post(save_notes))
        .route("/app/ita/{year}/references", post(save_references))
}

/// A year on record, as the list shows it.
struct YearRow {
    year: i64,
    year_th: String,
    total: String,
    grade: String,
    passed: bool,
}

#[derive(Template)]
#[template(path = "ita/scores.html")]
struct ScoresPage {
    me: CurrentUser,
    years: Vec<YearRow>,
    /// The import form as typed.
    year: String,
    pasted: String,
    /// What was wrong with the file, by line; nothing was stored.
    problems: Vec<String>,
    /// Shown after an import.
    imported: Option<String>,
}

async fn year_rows(state: &AppState, me: &CurrentUser) -> Result<Vec<YearRow>, AppError> {
    let digits = me.org.digits;
    Ok(scores::years(&state.db, me.org_id())
        .await?
        .into_iter()
        .map(|(year, total, grade)| YearRow {
            year,
            year_th: crate::thai::format_year_be(year as i32, digits),
            total: format_score(total, digits),
            grade,
            passed: total >= PASS_MARK_X100,
        })
        .collect())
}

#[derive(serde::Deserialize)]
struct ScoresQuery {
    #[serde(default)]
    imported: Option<i64>,
}

async fn scores_page(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(q): Query<ScoresQuery>,
) -> Result<Response, AppError> {
    let years = year_rows(&state, &me).await?;
    let last_year = FiscalYear::of(crate::thai::today_in_thailand()).be() - 1;
    let imported = q
        .imported
        .map(|y| format!("บันทึกผลการประเมิน ITA ปี {} แล้ว", crate::thai::format_year_be(y as i32, me.org.digits)));
    let year = me.org.digits.apply(&last_year.to_string());
    page(ScoresPage { me, years, year, pasted: String::new(), problems: Vec::new(), imported })
}

async fn import(
    State(state): State<AppState>,
    CsrfMultipart { user: me, multipart }: CsrfMultipart,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let (fields, file) = crate::http::read_multipart(multipart, state.settings.max_upload_bytes).await?;
    let typed_year = fields.get("year").cloned().unwrap_or_default();
    let pasted = fields.get("pasted").cloned().unwrap_or_default();
    let replace = fields.get("replace").is_some_and(|v| v == "yes");
    let mut problems = Vec::new();
    let year = match typed_year.parse::<FiscalYear>() {
        Ok(y) => Some(i64::from(y.be())),
        Err(e) => {
            problems.push(format!("ปีงบประมาณที่ประเมิน “{}”: {}", typed_year.trim(), e.message_th()));
            None
        }
    };
    let (bytes, source) = match file.filter(|(_, bytes)| !bytes.is_empty()) {
        Some((_, bytes)) => (bytes, Source::Csv),
        None if !pasted.trim().is_empty() => (pasted.clone().into_bytes(), Source::Itas),
        None => {
            problems.push("กรุณาเลือกไฟล์ CSV หรือวางข้อความจากหน้าผลการประเมินของระบบ ITAS".into());
            (Vec::new(), Source::Csv)
        }
    };
    let result = match (year, problems.is_empty()) {
        (Some(year), true) => match score_file::read(&bytes, year, source) {
            Ok(result) => Some(result),
            Err(found) => {
                problems.extend(found.iter().map(ToString::to_string));
                None
            }
        },
        _ => None,
    };
    if let Some(result) = &result
        && !replace
        && scores::load(&state.db, me.org_id(), result.fiscal_year).await?.is_some()
    {
        problems.push(format!(
            "มีผลการประเมินปี {} อยู่แล้ว ถ้าต้องการแทนที่ด้วยไฟล์นี้ ให้เลือก “แทนที่ผลเดิมของปีนี้” แล้วนำเข้าอีกครั้ง",
            crate::thai::format_year_be(result.fiscal_year as i32, me.org.digits)
        ));
    }
    let Some(result) = result.filter(|_| problems.is_empty()) else {
        let years = year_rows(&state, &me).await?;
        return form_page(ScoresPage { me, years, year: typed_year, pasted, problems, imported: None }, true);
    };
    let mut tx = state.db.write(me.org_id()).await?;
    scores::replace(&mut tx, me.org_id(), &result, &me.actor()).await?;
    tx.commit().await?;
    Ok(see_other(&format!("/app/ita/{}?imported=1", result.fiscal_year)))
}

/// One indicator's row, formatted.
struct RowView {
    number: i64,
    number_th: String,
    name: String,
    tool: &'static str,
    score: String,
    passed: bool,
    flagged: bool,
    previous: String,
    change: String,
    national: String,
    province: String,
    issues: String,
    measures: Vec<(i64, String)>,
}

#[derive(Template)]
#[template(path = "ita/analysis.html")]
struct AnalysisPage {
    me: CurrentUser,
    year: i64,
    year_th: String,
    measures_year: i64,
    measures_year_th: String,
    total: String,
    grade: String,
    passed: bool,
    tools: Vec<(&'static str, String)>,
    national_total: String,
    province_total: String,
    previous_total: String,
    rows: Vec<RowView>,
    flagged: Vec<String>,
    failed_items: Vec<(String, String)>,
    unlinked_measures: Vec<(i64, String)>,
    /// The averages' form fields: (name, label, value).
    references: Vec<(String, String, String, String)>,
    can_edit: bool,
    notice: Option<&'static str>,
    problems: Vec<String>,
}

fn optional(score: Option<i64>, digits: Digits) -> String {
    score.map(|s| format_score(s, digits)).unwrap_or_else(|| "–".into())
}

fn signed(change: i64, digits: Digits) -> String {
    let sign = if change > 0 {
        "+"
    } else if change < 0 {
        "−"
    } else {
        ""
    };
    format!("{sign}{}", format_score(change.abs(), digits))
}

fn view(
    me: CurrentUser,
    a: Analysis,
    notice: Option<&'static str>,
    problems: Vec<String>,
    typed_references: Option<&HashMap<String, String>>,
) -> AnalysisPage {
    let digits = me.org.digits;
    let rows: Vec<RowView> = a
        .indicators
        .iter()
        .map(|r| RowView {
            number: r.number,
            number_th: crate::thai::format_int(r.number, digits),
            name: r.name_th.clone(),
            tool: r.tool,
            score: format_score(r.score, digits),
            passed: r.passed,
            flagged: r.flagged,
            previous: optional(r.history.last().map(|(_, s)| *s), digits),
            change: r.change.map(|c| signed(c, digits)).unwrap_or_else(|| "–".into()),
            national: optional(r.national, digits),
            province: optional(r.province, digits),
            issues: r.issues.clone(),
            measures: r.measures.clone(),
        })
        .collect();
    let flagged =
        a.flagged().map(|r| format!("ตัวชี้วัดที่ {} {}", crate::thai::format_int(r.number, digits), r.name_th)).collect();
    let reference_value = |scope: Scope, number: i64| {
        let name = format!("{}_{number}", scope.code());
        let value = match typed_references {
            Some(typed) => typed.get(&name).cloned().unwrap_or_default(),
            None => {
                let stored = if number == 0 {
                    if scope == Scope::National { a.national_total } else { a.province_total }
                } else {
                    a.indicators
                        .iter()
                        .find(|r| r.number == number)
                        .and_then(|r| if scope == Scope::National { r.national } else { r.province })
                };
                stored.map(|s| format_score(s, digits)).unwrap_or_default()
            }
        };
        let label = if number == 0 {
            "คะแนนรวม".to_string()
        } else {
            format!("ตัวชี้วัดที่ {}", crate::thai::format_int(number, digits))
        };
        let scope_th = if scope == Scope::National {
            "ค่าเฉลี่ยประเทศ"
        } else {
            "ค่าเฉลี่ยจังหวัด"
        };
        (name, format!("{scope_th} {label}"), value, scope.code().to_string())
    };
    let references = [Scope::National, Scope::Province]
        .into_iter()
        .flat_map(|scope| (0..=10).map(move |n| (scope, n)))
        .map(|(scope, n)| reference_value(scope, n))
        .collect();
    let tools = [("IIT", a.result.iit), ("EIT", a.result.eit), ("OIT", a.result.oit)]
        .into_iter()
        .filter_map(|(name, s)| s.map(|s| (name, format_score(s, digits))))
        .collect();
    let can_edit = me.user.role.can_edit();
    AnalysisPage {
        year: a.assessed_year,
        year_th: crate::thai::format_year_be(a.assessed_year as i32, digits),
        measures_year: a.measures_year,
        measures_year_th: crate::thai::format_year_be(a.measures_year as i32, digits),
        total: format_score(a.result.total, digits),
        grade: a.result.grade.clone(),
        passed: a.result.total >= PASS_MARK_X100,
        tools,
        national_total: optional(a.national_total, digits),
        province_total: optional(a.province_total, digits),
        previous_total: optional(a.previous_total, digits),
        rows,
        flagged,
        failed_items: a.failed_oit_items.iter().map(|i| (i.code.clone(), i.title.clone())).collect(),
        unlinked_measures: a.measures_without_indicator.clone(),
        references,
        can_edit,
        notice,
        problems,
        me,
    }
}

fn year_of(year: &str) -> Result<i64, AppError> {
    year.parse::<FiscalYear>().map(|y| i64::from(y.be())).map_err(|_| AppError::NotFound)
}

#[derive(serde::Deserialize)]
struct AnalysisQuery {
    #[serde(default)]
    imported: Option<String>,
    #[serde(default)]
    saved: Option<String>,
}

async fn analysis_page(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(year): Path<String>,
    Query(q): Query<AnalysisQuery>,
) -> Result<Response, AppError> {
    let year = year_of(&year)?;
    let a = analysis::build(&state.db, me.org_id(), year).await?.ok_or(AppError::NotFound)?;
    let notice = match (q.imported, q.saved) {
        (Some(_), _) => Some("บันทึกผลการประเมินแล้ว"),
        (_, Some(_)) => Some("บันทึกแล้ว"),
        _ => None,
    };
    page(view(me, a, notice, Vec::new(), None))
}

/// The year an editor changes: another organization's year, or a year without a result, is 404.
/// The analysis itself is built only when a refused form shows it again.
async fn editable_year(state: &AppState, me: &CurrentUser, year: &str) -> Result<i64, AppError> {
    me.require_editor()?;
    let year = year_of(year)?;
    if !scores::exists(&state.db, me.org_id(), year).await? {
        return Err(AppError::NotFound);
    }
    Ok(year)
}

/// The analysis of a year known to exist, for showing a refused form again.
async fn analysis_of(state: &AppState, me: &CurrentUser, year: i64) -> Result<Analysis, AppError> {
    analysis::build(&state.db, me.org_id(), year).await?.ok_or(AppError::NotFound)
}

/// Most characters the office may write per indicator.
const MAX_ISSUES: usize = 5000;

async fn save_notes(
    State(state): State<AppState>,
    Path(year): Path<String>,
    CsrfForm { user: me, form }: CsrfForm<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let year = editable_year(&state, &me, &year).await?;
    let mut notes = Vec::new();
    let mut problems = Vec::new();
    for number in 1..=10 {
        let Some(raw) = form.get(&format!("issues_{number}")) else { continue };
        let text = raw.trim();
        if text.chars().count() > MAX_ISSUES {
            problems.push(format!(
                "ประเด็นของตัวชี้วัดที่ {} ยาวเกิน {} ตัวอักษร",
                crate::thai::format_int(number, me.org.digits),
                crate::thai::format_int(MAX_ISSUES as i64, me.org.digits)
            ));
        }
        notes.push((number, text.to_string()));
    }
    if !problems.is_empty() {
        let mut a = analysis_of(&state, &me, year).await?;
        for (number, text) in &notes {
            if let Some(row) = a.indicators.iter_mut().find(|r| r.number == *number) {
                row.issues = text.clone();
            }
        }
        return form_page(view(me, a, None, problems, None), true);
    }
    let mut tx = state.db.write(me.org_id()).await?;
    for (number, text) in &notes {
        scores::set_note(&mut tx, me.org_id(), year, *number, text, &me.actor()).await?;
    }
    tx.commit().await?;
    Ok(see_other(&format!("/app/ita/{year}?saved=1#issues")))
}

async fn save_references(
    State(state): State<AppState>,
    Path(year): Path<String>,
    CsrfForm { user: me, form }: CsrfForm<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let year = editable_year(&state, &me, &year).await?;
    let mut problems = Vec::new();
    let mut by_scope = Vec::new();
    for scope in [Scope::National, Scope::Province] {
        let mut scores = Vec::new();
        for number in 0..=10 {
            let typed = form.get(&format!("{}_{number}", scope.code())).map(|s| s.trim()).unwrap_or("");
            if typed.is_empty() {
                continue;
            }
            let label = if number == 0 { "คะแนนรวม".to_string() } else { number.to_string() };
            match score_file::parse_score(typed) {
                Ok(s) => scores.push((number, s)),
                Err(message) => problems.push(format!(
                    "{} {}: {message}",
                    if scope == Scope::National {
                        "ค่าเฉลี่ยประเทศ"
                    } else {
                        "ค่าเฉลี่ยจังหวัด"
                    },
                    if number == 0 { label } else { format!("ตัวชี้วัดที่ {label}") }
                )),
            }
        }
        by_scope.push((scope, scores));
    }
    if !problems.is_empty() {
        let a = analysis_of(&state, &me, year).await?;
        return form_page(view(me, a, None, problems, Some(&form)), true);
    }
    let mut tx = state.db.write(me.org_id()).await?;
    for (scope, scores) in &by_scope {
        scores::set_references(&mut tx, me.org_id(), year, *scope, scores, &me.actor()).await?;
    }
    tx.commit().await?;
    Ok(see_other(&format!("/app/ita/{year}?saved=1#references")))
}
