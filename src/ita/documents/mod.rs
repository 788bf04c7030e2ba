//! The ITA documents an organization publishes for the measures' two OIT items (issue 18):
//! O42, the analysis of the assessed year N-1 with the measures of year N, and O43, the progress
//! reports of those measures at six months and at year end. Each is typeset as PDF (Typst) and
//! DOCX, approved by an executive and published as numbered, frozen versions, like the measures
//! report (`measures::publication`, whose rules these documents share).

pub mod analysis_doc;
pub mod analysis_docx;
pub mod analysis_pdf;
pub mod chart;
pub mod draft;
pub mod progress;
pub mod public;
pub mod publish;
pub mod routes;
pub mod store;

use crate::thai::{Digits, format_int};

/// The progress report's round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Round {
    /// October to March.
    SixMonths,
    /// The whole fiscal year.
    Year,
}

impl Round {
    pub fn months(self) -> i64 {
        match self {
            Round::SixMonths => 6,
            Round::Year => 12,
        }
    }

    /// "รอบ ๖ เดือน", in the organization's digits.
    pub fn label_th(self, digits: Digits) -> String {
        format!("รอบ {} เดือน", format_int(self.months(), digits))
    }
}

/// Which document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// O42: the analysis of year N-1 and the measures of year N.
    Analysis,
    /// O43: the measures' progress in year N.
    Progress(Round),
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Analysis, Kind::Progress(Round::SixMonths), Kind::Progress(Round::Year)];

    /// The code stored with approvals and versions, and used in staff forms.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Analysis => "o42",
            Kind::Progress(Round::SixMonths) => "o43-6m",
            Kind::Progress(Round::Year) => "o43-12m",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The public path's segment: /o/SLUG/ita/{segment}/{year}/v{n}.pdf.
    pub fn segment(self) -> &'static str {
        match self {
            Kind::Analysis => "analysis",
            Kind::Progress(Round::SixMonths) => "progress-6m",
            Kind::Progress(Round::Year) => "progress-12m",
        }
    }

    /// What the staff and public lists call it.
    pub fn name_th(self, digits: Digits) -> String {
        match self {
            Kind::Analysis => "O42 รายงานการวิเคราะห์ผลการประเมิน ITA และมาตรการส่งเสริมคุณธรรมและความโปร่งใส".into(),
            Kind::Progress(round) => {
                format!("O43 รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส ({})", round.label_th(digits))
            }
        }
    }

    /// The download's file name, e.g. "ita-o42-mae-khatuan-2566.pdf".
    pub fn file_name(self, slug: &str, year: i64, number: Option<i64>, extension: &str) -> String {
        let version = number.map(|n| format!("-v{n}")).unwrap_or_default();
        format!("ita-{}-{slug}-{year}{version}.{extension}", self.code())
    }
}

/// The two formats a document comes in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Docx,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "pdf" => Some(Format::Pdf),
            "docx" => Some(Format::Docx),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
        }
    }

    pub fn content_type(self) -> &'static str {
        crate::measures::report::Format::from(self).content_type()
    }
}

impl From<Format> for crate::measures::report::Format {
    fn from(f: Format) -> Self {
        match f {
            Format::Pdf => crate::measures::report::Format::Pdf,
            Format::Docx => crate::measures::report::Format::Docx,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_reads_back_from_its_code_and_names_its_round_in_the_organizations_digits() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.code()), Some(kind));
        }
        assert_eq!(Kind::parse("o44"), None);
        assert!(Kind::Progress(Round::SixMonths).name_th(Digits::Thai).ends_with("(รอบ ๖ เดือน)"));
        assert!(Kind::Progress(Round::Year).name_th(Digits::Arabic).ends_with("(รอบ 12 เดือน)"));
        assert_eq!(Kind::Analysis.file_name("mae-khatuan", 2566, Some(2), "pdf"), "ita-o42-mae-khatuan-2566-v2.pdf");
    }
}
