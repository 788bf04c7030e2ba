//! The measures register: an organization's ITA measures for a fiscal year, with their methods,
//! responsible divisions, period, results, outcomes and evidence, and the report made from them.

pub mod evidence;
pub mod evidence_routes;
pub mod figures;
pub mod import;
pub mod item_changes;
pub mod markdown;
pub mod publication;
pub mod report;
pub mod routes;
pub mod rules;
pub mod store;
mod store_children;

use serde::Serialize;

pub use markdown::Item;

use crate::orgs::OrgId;
use crate::thai::Period;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct MeasureId(pub i64);

/// Where a measure stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Status {
    Planned,
    InProgress,
    Done,
    Cancelled,
}

crate::from_str_by_parse!(Status);

impl Status {
    pub const ALL: [Status; 4] = [Status::Planned, Status::InProgress, Status::Done, Status::Cancelled];

    pub fn code(self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::InProgress => "in_progress",
            Status::Done => "done",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label_th(self) -> &'static str {
        match self {
            Status::Planned => "ยังไม่เริ่ม",
            Status::InProgress => "กำลังดำเนินการ",
            Status::Done => "ดำเนินการแล้ว",
            Status::Cancelled => "ยกเลิก",
        }
    }
}

/// Which list of a measure an item belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    Method,
    Result,
    Outcome,
}

impl ItemKind {
    pub const ALL: [ItemKind; 3] = [ItemKind::Method, ItemKind::Result, ItemKind::Outcome];

    pub fn code(self) -> &'static str {
        match self {
            ItemKind::Method => "method",
            ItemKind::Result => "result",
            ItemKind::Outcome => "outcome",
        }
    }
}

/// Everything a person (or an import) sets on a measure.
#[derive(Clone, Debug, PartialEq)]
pub struct MeasureInput {
    pub title: String,
    /// ITA indicator numbers, ascending.
    pub indicators: Vec<i64>,
    /// Lines such as "กองคลัง", "- เจ้าหน้าที่ผู้รับผิดชอบงานพัสดุ".
    pub responsible: Vec<String>,
    /// When the work is planned, as the office wrote it.
    pub period: Option<Period>,
    pub status: Status,
    /// Percent, 0–100.
    pub progress: i64,
    pub methods: Vec<Item>,
    pub results: Vec<Item>,
    pub outcomes: Vec<Item>,
}

/// A stored measure.
#[derive(Clone, Debug)]
pub struct Measure {
    pub id: MeasureId,
    pub org_id: OrgId,
    pub fiscal_year: i64,
    pub position: i64,
    pub input: MeasureInput,
    /// Divisions of the organization named in `responsible`.
    pub division_ids: Vec<i64>,
}

impl Measure {
    pub fn items(&self, kind: ItemKind) -> &[Item] {
        match kind {
            ItemKind::Method => &self.input.methods,
            ItemKind::Result => &self.input.results,
            ItemKind::Outcome => &self.input.outcomes,
        }
    }
}
