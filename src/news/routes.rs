//! Staff pages of the news: the list, writing a post, publishing it and taking it back.
//! Editors (admin and staff) write and publish; a post is public from the moment it is published.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::{Kind, store};
use crate::app::AppState;
use crate::http::paging::{ListQuery, PageRequest, Pager};
use crate::http::{AppError, CsrfForm, CurrentUser, FieldErrors, form_page, page, see_other};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app/news", get(list))
        .route("/app/news/new", get(new_page).post(create))
        .route("/app/news/{id}", get(edit_page).post(save))
        .route("/app/news/{id}/publish", post(publish))
        .route("/app/news/{id}/unpublish", post(unpublish))
}

const TITLE_MAX_CHARS: usize = 300;
const BODY_MAX_CHARS: usize = 20_000;

struct Row {
    id: i64,
    title: String,
    kind: &'static str,
    state: String,
}

#[derive(Template)]
#[template(path = "news/list.html")]
struct ListPage {
    me: CurrentUser,
    rows: Vec<Row>,
    pager: Pager,
    can_edit: bool,
}

async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let request = PageRequest::from_query(&q)?;
    let (posts, total) = store::page(&state.db, me.org_id(), &request, false).await?;
    let digits = me.org.digits;
    let pager = Pager::new("/app/news", &request, total, posts.len(), digits);
    let rows = posts
        .into_iter()
        .map(|p| Row {
            id: p.id,
            kind: p.kind.label_th(),
            state: match p.published_at {
                Some(t) => format!("เผยแพร่แล้ว {}", crate::thai::format_instant_th(t, digits)),
                None => "ร่าง (ยังไม่เผยแพร่)".into(),
            },
            title: p.title,
        })
        .collect();
    let can_edit = me.user.role.can_edit();
    page(ListPage { me, rows, pager, can_edit })
}

#[derive(Deserialize, Default)]
struct PostForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    /// "1" when the post is published as it is saved.
    #[serde(default)]
    publish_now: Option<String>,
}

impl PostForm {
    /// The post, or what is wrong with each field (in Thai).
    fn check(&self) -> Result<store::Draft<'_>, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = match self.kind.as_str() {
            "news" => Some(Kind::News),
            "announcement" => Some(Kind::Announcement),
            _ => {
                errors.add("kind", "กรุณาเลือกประเภท: ข่าวประชาสัมพันธ์ หรือ ประกาศ");
                None
            }
        };
        let title = self.title.trim();
        if title.is_empty() {
            errors.add("title", "กรุณากรอกหัวข้อ");
        } else if title.chars().count() > TITLE_MAX_CHARS {
            errors.add("title", format!("หัวข้อยาวเกิน {TITLE_MAX_CHARS} ตัวอักษร"));
        }
        let body = self.body.trim();
        if body.is_empty() {
            errors.add("body", "กรุณากรอกเนื้อหา");
        } else if body.chars().count() > BODY_MAX_CHARS {
            errors.add(
                "body",
                format!(
                    "เนื้อหายาวเกิน {} ตัวอักษร",
                    crate::thai::format_int(BODY_MAX_CHARS as i64, crate::thai::Digits::Thai)
                ),
            );
        }
        match (kind, errors.is_empty()) {
            (Some(kind), true) => Ok(store::Draft { kind, title, body }),
            _ => Err(errors),
        }
    }
}

#[derive(Template)]
#[template(path = "news/edit.html")]
struct EditPage {
    me: CurrentUser,
    id: Option<i64>,
    form: PostForm,
    kinds: Vec<(&'static str, &'static str)>,
    errors: FieldErrors,
    /// When it was published (None: a draft or a new post).
    published: Option<String>,
    saved: Option<String>,
}

fn edit_view(
    me: CurrentUser,
    id: Option<i64>,
    form: PostForm,
    errors: FieldErrors,
    published: Option<String>,
    saved: Option<String>,
) -> Result<Response, AppError> {
    let refused = !errors.is_empty();
    let kinds = Kind::ALL.iter().map(|k| (k.code(), k.label_th())).collect();
    form_page(EditPage { me, id, form, kinds, errors, published, saved }, refused)
}

async fn new_page(me: CurrentUser) -> Result<Response, AppError> {
    me.require_editor()?;
    edit_view(me, None, PostForm { kind: "news".into(), ..PostForm::default() }, FieldErrors::new(), None, None)
}

async fn create(
    State(state): State<AppState>,
    CsrfForm { user: me, form }: CsrfForm<PostForm>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let draft = match form.check() {
        Ok(draft) => draft,
        Err(errors) => return edit_view(me, None, form, errors, None, None),
    };
    let publish = form.publish_now.is_some();
    let mut tx = state.db.write(me.org_id()).await?;
    let id = store::create(&mut tx, me.org_id(), &draft, publish, &me.actor()).await?;
    tx.commit().await?;
    Ok(see_other(&format!("/app/news/{id}?saved={}", if publish { "published" } else { "draft" })))
}

#[derive(Deserialize)]
struct Saved {
    saved: Option<String>,
}

fn saved_message(code: Option<&str>) -> Option<String> {
    match code? {
        "published" => Some("บันทึกและเผยแพร่แล้ว ประชาชนเห็นได้ที่หน้าข่าวของเว็บไซต์และในฟีด".into()),
        "draft" => Some("บันทึกร่างแล้ว (ยังไม่เผยแพร่)".into()),
        "saved" => Some("บันทึกแล้ว".into()),
        "unpublished" => Some("ยกเลิกการเผยแพร่แล้ว ข่าวนี้กลับเป็นร่าง".into()),
        _ => None,
    }
}

async fn edit_page(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<Saved>,
) -> Result<Response, AppError> {
    let post = store::find(&state.db, me.org_id(), id).await?.ok_or(AppError::NotFound)?;
    let published = post.published_at.map(|t| crate::thai::format_instant_th(t, me.org.digits));
    let form = PostForm { kind: post.kind.code().into(), title: post.title, body: post.body, publish_now: None };
    edit_view(me, Some(id), form, FieldErrors::new(), published, saved_message(q.saved.as_deref()))
}

async fn save(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { user: me, form }: CsrfForm<PostForm>,
) -> Result<Response, AppError> {
    me.require_editor()?;
    let existing = store::find(&state.db, me.org_id(), id).await?.ok_or(AppError::NotFound)?;
    let draft = match form.check() {
        Ok(draft) => draft,
        Err(errors) => {
            let published = existing.published_at.map(|t| crate::thai::format_instant_th(t, me.org.digits));
            return edit_view(me, Some(id), form, errors, published, None);
        }
    };
    let mut tx = state.db.write(me.org_id()).await?;
    if !store::update(&mut tx, me.org_id(), id, &draft, &me.actor()).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(see_other(&format!("/app/news/{id}?saved=saved")))
}

#[derive(Deserialize)]
struct Empty {}

async fn set_published(state: &AppState, me: &CurrentUser, id: i64, publish: bool) -> Result<(), AppError> {
    me.require_editor()?;
    let mut tx = state.db.write(me.org_id()).await?;
    if !store::set_published(&mut tx, me.org_id(), id, publish, &me.actor()).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

async fn publish(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { user: me, form: Empty {} }: CsrfForm<Empty>,
) -> Result<Response, AppError> {
    set_published(&state, &me, id, true).await?;
    Ok(see_other(&format!("/app/news/{id}?saved=published")))
}

async fn unpublish(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm { user: me, form: Empty {} }: CsrfForm<Empty>,
) -> Result<Response, AppError> {
    set_published(&state, &me, id, false).await?;
    Ok(see_other(&format!("/app/news/{id}?saved=unpublished")))
}
