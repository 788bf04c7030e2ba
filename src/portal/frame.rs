//! The frame of every page of an organization's public site: its emblem and name, the menu, the
//! breadcrumbs and the footer with the office's contact details (table `org_sites`, filled in by
//! its staff on `/app/site`; the site shows only what is filled in).

use sqlx::Row;

use crate::db::{Db, Tx, now};
use crate::http::AppError;
use crate::orgs::{Org, OrgId};

/// What the staff fill in about the office for the public site.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct SiteDetails {
    /// The organization's name in English, where it has one.
    pub name_en: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    /// "วันจันทร์–ศุกร์ ๐๘.๓๐–๑๖.๓๐ น." as the office writes it.
    pub office_hours: String,
    /// A link to the office on a map (https only).
    pub map_url: String,
}

/// The details and the emblem's SHA-256 (it names the emblem's URL), with when they last changed.
#[derive(Clone, Debug, Default)]
pub struct StoredSite {
    pub details: SiteDetails,
    pub emblem_sha256: Option<String>,
    pub updated_at: Option<i64>,
}

pub async fn load(db: &Db, org: OrgId) -> Result<StoredSite, sqlx::Error> {
    let row = sqlx::query(
        "SELECT name_en, address, phone, email, office_hours, map_url, emblem_sha256, updated_at
         FROM org_sites WHERE org_id = $1",
    )
    .bind(org.0)
    .fetch_optional(&db.pool)
    .await?;
    let Some(r) = row else { return Ok(StoredSite::default()) };
    Ok(StoredSite {
        details: SiteDetails {
            name_en: r.try_get("name_en")?,
            address: r.try_get("address")?,
            phone: r.try_get("phone")?,
            email: r.try_get("email")?,
            office_hours: r.try_get("office_hours")?,
            map_url: r.try_get("map_url")?,
        },
        emblem_sha256: r.try_get("emblem_sha256")?,
        updated_at: Some(r.try_get("updated_at")?),
    })
}

/// Saves the details, audited in the caller's transaction.
pub async fn save(tx: &mut Tx, org: OrgId, details: &SiteDetails, actor: &str) -> anyhow::Result<()> {
    let before: Option<String> = sqlx::query_scalar(
        "SELECT name_en || '|' || address || '|' || phone || '|' || email || '|' || office_hours || '|' || map_url
         FROM org_sites WHERE org_id = $1",
    )
    .bind(org.0)
    .fetch_optional(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO org_sites (org_id, name_en, address, phone, email, office_hours, map_url, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (org_id) DO UPDATE SET name_en = $2, address = $3, phone = $4, email = $5,
             office_hours = $6, map_url = $7, updated_by = $8, updated_at = $9",
    )
    .bind(org.0)
    .bind(&details.name_en)
    .bind(&details.address)
    .bind(&details.phone)
    .bind(&details.email)
    .bind(&details.office_hours)
    .bind(&details.map_url)
    .bind(actor)
    .bind(now())
    .fetch_all(&mut **tx)
    .await?;
    let before = before.map(|b| serde_json::json!({ "details": b }));
    let after = serde_json::to_value(details)?;
    crate::audit::record(tx, org, actor, "update", "site", &org.0.to_string(), before.as_ref(), Some(&after)).await?;
    Ok(())
}

/// The largest emblem: a page header shows it at 64 px.
pub const EMBLEM_MAX_BYTES: usize = 512 * 1024;

/// The content type of an acceptable emblem, or why it is refused (in Thai).
pub fn check_emblem(file_name: &str, bytes: &[u8]) -> Result<&'static str, String> {
    use crate::http::upload::FileRefusal;
    crate::http::upload::file_type(file_name, bytes, EMBLEM_MAX_BYTES, crate::http::upload::IMAGE_TYPES).map_err(
        |refusal| match refusal {
            FileRefusal::Empty => "ไฟล์ว่างเปล่า".into(),
            FileRefusal::CutShort => crate::http::upload::cut_short(file_name),
            FileRefusal::TooLarge { .. } => "ไฟล์ตราสัญลักษณ์ใหญ่เกิน 512 KB".into(),
            FileRefusal::UnsupportedType => {
                format!("รับเฉพาะรูปภาพ PNG หรือ JPEG: ไฟล์ \"{file_name}\" ไม่ใช่ชนิดที่รับ")
            }
        },
    )
}

/// Stores the emblem (replacing the last), audited in the caller's transaction.
pub async fn set_emblem(tx: &mut Tx, org: OrgId, bytes: &[u8], content_type: &str, actor: &str) -> anyhow::Result<()> {
    let sha = crate::measures::evidence::sha256_hex(bytes);
    sqlx::query(
        "INSERT INTO org_sites (org_id, emblem, emblem_type, emblem_sha256, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (org_id) DO UPDATE SET emblem = $2, emblem_type = $3, emblem_sha256 = $4,
             updated_by = $5, updated_at = $6",
    )
    .bind(org.0)
    .bind(bytes)
    .bind(content_type)
    .bind(&sha)
    .bind(actor)
    .bind(now())
    .fetch_all(&mut **tx)
    .await?;
    let after = serde_json::json!({ "emblem_sha256": sha, "size_bytes": bytes.len(), "content_type": content_type });
    crate::audit::record(tx, org, actor, "update", "site_emblem", &org.0.to_string(), None, Some(&after)).await?;
    Ok(())
}

/// The emblem's type and bytes when its SHA-256 is `sha` (an old URL finds nothing).
pub async fn emblem(db: &Db, org: OrgId, sha: &str) -> Result<Option<(String, Vec<u8>)>, sqlx::Error> {
    let row = sqlx::query("SELECT emblem_type, emblem FROM org_sites WHERE org_id = $1 AND emblem_sha256 = $2")
        .bind(org.0)
        .bind(sha)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| Ok((r.try_get("emblem_type")?, r.try_get("emblem")?))).transpose()
}

/// The menu's sections; a page names its own so the menu marks it (`aria-current`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Home,
    News,
    Services,
    Ita,
    Documents,
    Council,
    Participation,
    Complaints,
    Contact,
    /// Pages outside the menu (search, the audit log).
    Other,
}

/// The menu: (section, path under /o/SLUG/, label).
const MENU: &[(Section, &str, &str)] = &[
    (Section::Home, "", "หน้าแรก"),
    (Section::News, "news", "ข่าวและประกาศ"),
    (Section::Services, "services", "งานบริการ"),
    (Section::Ita, "ita", "ITA / OIT"),
    (Section::Documents, "documents", "เอกสารเผยแพร่"),
    (Section::Council, "council", "สภา"),
    (Section::Participation, "participation", "การมีส่วนร่วม"),
    (Section::Complaints, "complaints", "ร้องเรียน/ร้องทุกข์"),
    (Section::Contact, "contact", "ติดต่อเรา"),
];

/// Everything the frame prints around a page, every string final.
pub struct Frame {
    pub org: Org,
    pub site: SiteDetails,
    pub emblem_sha256: Option<String>,
    section: Section,
    /// The path from the home page to this one, the page itself last: (href, label).
    pub crumbs: Vec<(String, String)>,
    /// "ปรับปรุงล่าสุด …" of the page's content, when it has one.
    pub updated: Option<String>,
}

/// One menu entry as the template prints it.
pub struct MenuLink {
    pub href: String,
    pub label: &'static str,
    pub current: bool,
}

impl Frame {
    /// The frame of `slug`'s site (404 for an unknown slug), for a page in `section`.
    pub async fn load(db: &Db, slug: &str, section: Section) -> Result<Frame, AppError> {
        let org = crate::orgs::store::find_by_slug(db, slug).await?.ok_or(AppError::NotFound)?;
        Self::of(db, org, section).await
    }

    pub async fn of(db: &Db, org: Org, section: Section) -> Result<Frame, AppError> {
        let stored = load(db, org.id).await?;
        Ok(Frame {
            org,
            site: stored.details,
            emblem_sha256: stored.emblem_sha256,
            section,
            crumbs: Vec::new(),
            updated: None,
        })
    }

    /// Adds a breadcrumb (the home page is always first; add the page itself last).
    pub fn crumb(mut self, href: impl Into<String>, label: impl Into<String>) -> Self {
        self.crumbs.push((href.into(), label.into()));
        self
    }

    /// Prints "ปรับปรุงล่าสุด" with this time (epoch seconds).
    pub fn updated_at(mut self, epoch_seconds: i64) -> Self {
        self.updated = Some(crate::thai::format_instant_th(epoch_seconds, self.org.digits));
        self
    }

    /// Prints "ปรับปรุงล่าสุด" when the page's content has a time (an empty list has none).
    pub fn updated_at_any(self, epoch_seconds: Option<i64>) -> Self {
        match epoch_seconds {
            Some(at) => self.updated_at(at),
            None => self,
        }
    }

    pub fn home(&self) -> String {
        format!("/o/{}/", self.org.slug)
    }

    pub fn menu(&self) -> Vec<MenuLink> {
        MENU.iter()
            .map(|&(section, path, label)| MenuLink {
                href: format!("/o/{}/{path}", self.org.slug),
                label,
                current: section == self.section,
            })
            .collect()
    }

    pub fn emblem_src(&self) -> Option<String> {
        self.emblem_sha256.as_ref().map(|sha| format!("/o/{}/emblem/{sha}", self.org.slug))
    }

    /// "อำเภอสบปราบ จังหวัดลำปาง" (what is known of it).
    pub fn place(&self) -> String {
        let mut parts = Vec::new();
        if !self.org.district.is_empty() {
            parts.push(format!("อำเภอ{}", self.org.district));
        }
        if !self.org.province.is_empty() {
            parts.push(format!("จังหวัด{}", self.org.province));
        }
        parts.join(" ")
    }

    /// The page comparing the organizations of its province, when its province is known.
    pub fn province_href(&self) -> Option<String> {
        (!self.org.province.is_empty()).then(|| crate::province::province_href(&self.org.province))
    }

    /// The phone number as a `tel:` link (digits and + only), when it has digits.
    pub fn phone_href(&self) -> Option<String> {
        let digits: String = crate::thai::to_arabic_digits(&self.site.phone)
            .chars()
            .take_while(|c| *c != ',')
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        (digits.len() >= 6).then(|| format!("tel:{digits}"))
    }

    pub fn has_contact(&self) -> bool {
        let s = &self.site;
        !(s.address.is_empty() && s.phone.is_empty() && s.email.is_empty() && s.office_hours.is_empty())
    }
}
