//! The lending rules of one organization, as data, and the check of a borrowing request.
//!
//! The defaults follow the Ministry of Finance regulation on procurement and supplies management
//! B.E. 2560, ข้อ 207–211 (texts and sources in `documents/regulation.rs`). Offices add local rules, such as a maximum loan length, in their
//! rules file; [`LendingRules::from_toml`] reads it and refuses values that break the regulation.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Who must approve a loan. The codes are stored in the database and in rules files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Duty {
    /// หัวหน้าหน่วยพัสดุ.
    SuppliesHead,
    /// หัวหน้าหน่วยงาน: the นายก of the organization, or the ปลัด acting for them.
    OrgHead,
    /// เจ้าหน้าที่พัสดุ: hands items over, receives and inspects them, records settlements.
    SuppliesOfficer,
}

crate::from_str_by_parse!(Duty);

impl Duty {
    pub const ALL: [Duty; 3] = [Duty::SuppliesHead, Duty::OrgHead, Duty::SuppliesOfficer];

    pub fn code(self) -> &'static str {
        match self {
            Duty::SuppliesHead => "supplies_head",
            Duty::OrgHead => "org_head",
            Duty::SuppliesOfficer => "supplies_officer",
        }
    }

    /// May run the store: hand items over, take them back, record settlements.
    pub fn runs_the_store(self) -> bool {
        matches!(self, Duty::SuppliesHead | Duty::SuppliesOfficer)
    }

    pub fn parse(code: &str) -> Option<Duty> {
        Duty::ALL.into_iter().find(|d| d.code() == code)
    }

    pub fn label_th(self) -> &'static str {
        match self {
            Duty::SuppliesHead => "หัวหน้าหน่วยพัสดุ",
            Duty::OrgHead => "หัวหน้าหน่วยงาน (นายก/ปลัด)",
            Duty::SuppliesOfficer => "เจ้าหน้าที่พัสดุ",
        }
    }
}

/// Where, and by whom, the item will be used; decides the approver (ข้อ 208).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UseType {
    /// A person uses it inside the organization's premises (ข้อ 208(2)).
    Inside,
    /// A person takes it outside the premises (ข้อ 208(2), its second half).
    Outside,
    /// Another state agency borrows it (ข้อ 208(1); consumables ข้อ 210).
    Agency,
}

crate::from_str_by_parse!(UseType);

impl UseType {
    pub const ALL: [UseType; 3] = [UseType::Inside, UseType::Outside, UseType::Agency];

    pub fn code(self) -> &'static str {
        match self {
            UseType::Inside => "inside",
            UseType::Outside => "outside",
            UseType::Agency => "agency",
        }
    }

    pub fn parse(code: &str) -> Option<UseType> {
        UseType::ALL.into_iter().find(|u| u.code() == code)
    }

    pub fn label_th(self) -> &'static str {
        match self {
            UseType::Inside => "ใช้ภายในสถานที่ของหน่วยงาน",
            UseType::Outside => "นำออกไปใช้นอกสถานที่",
            UseType::Agency => "ยืมระหว่างหน่วยงานของรัฐ",
        }
    }
}

/// Whether an item keeps its form in use or is used up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemClass {
    /// พัสดุประเภทใช้คงรูป: ครุภัณฑ์ and วัสดุใช้คงรูป.
    Durable,
    /// พัสดุประเภทใช้สิ้นเปลือง.
    Consumable,
}

crate::from_str_by_parse!(ItemClass);

impl ItemClass {
    pub const ALL: [ItemClass; 2] = [ItemClass::Durable, ItemClass::Consumable];

    pub fn code(self) -> &'static str {
        match self {
            ItemClass::Durable => "durable",
            ItemClass::Consumable => "consumable",
        }
    }

    pub fn parse(code: &str) -> Option<ItemClass> {
        ItemClass::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label_th(self) -> &'static str {
        match self {
            ItemClass::Durable => "พัสดุประเภทใช้คงรูป (ครุภัณฑ์/วัสดุใช้คงรูป)",
            ItemClass::Consumable => "พัสดุประเภทใช้สิ้นเปลือง",
        }
    }
}

/// The follow-up limit of ข้อ 211: a local rule may be stricter, never laxer.
pub const REGULATION_FOLLOW_UP_DAYS: u32 = 7;

/// The longest loan when the rules do not say: a month covers the uses the demo and the offices
/// we met lend for (events, field work, a month's project), and keeps an item from vanishing from
/// the store by a typo in the due date (issue 11, seen 11: a request running to 2399).
pub const DEFAULT_MAX_LOAN_DAYS: u32 = 30;

/// How far ahead a loan may be booked when the rules do not say. Half a year covers events in
/// the next two quarters of the annual plan; beyond that the office cannot know the item will
/// still be there, and an early booking would hold it against everyone else.
pub const DEFAULT_BOOKING_HORIZON_DAYS: u32 = 180;

/// The most either limit may be set to: items must be back for the yearly stock count (ข้อ 213),
/// so no loan or booking runs over a year.
pub const LONGEST_LIMIT_DAYS: u32 = 366;

/// One organization's lending rules. Missing keys in a rules file take the regulation's defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LendingRules {
    /// The longest loan, in days counted from the day after the borrow date (so a loan returned
    /// the same day is 0 days); [`DEFAULT_MAX_LOAN_DAYS`] unless the rules say otherwise.
    pub max_loan_days: u32,
    /// How many days ahead of today a loan may start; [`DEFAULT_BOOKING_HORIZON_DAYS`] unless the
    /// rules say otherwise.
    pub booking_horizon_days: u32,
    /// Days after the due date within which the officer must chase the return (ข้อ 211: 7).
    pub follow_up_days: u32,
    /// How many days before the due date the borrower is reminded.
    pub remind_days_before_due: u32,
    /// Approver of use inside the premises (ข้อ 208(2)).
    pub approver_inside: Duty,
    /// Approver of use outside the premises (ข้อ 208(2), its second half).
    pub approver_outside: Duty,
    /// Approver of loans to another state agency (ข้อ 208(1); consumables ข้อ 210).
    pub approver_agency: Duty,
    /// Non-working days besides weekends, for the stock-count start date. In TOML either
    /// `2023-10-13` or `"2023-10-13"`.
    #[serde(with = "date_list")]
    pub holidays: Vec<NaiveDate>,
    /// Local rules, one sentence each, printed in the SOP manual.
    pub extra_rules_th: Vec<String>,
}

impl Default for LendingRules {
    fn default() -> Self {
        Self {
            max_loan_days: DEFAULT_MAX_LOAN_DAYS,
            booking_horizon_days: DEFAULT_BOOKING_HORIZON_DAYS,
            follow_up_days: REGULATION_FOLLOW_UP_DAYS,
            remind_days_before_due: 2,
            approver_inside: Duty::SuppliesHead,
            approver_outside: Duty::OrgHead,
            approver_agency: Duty::OrgHead,
            holidays: Vec::new(),
            extra_rules_th: Vec::new(),
        }
    }
}

/// A rules file that cannot be used.
#[derive(Debug, Error, PartialEq)]
pub enum RulesError {
    #[error("the lending rules file cannot be read: {0}")]
    Syntax(String),
    #[error("lending rule `{field}` is invalid: {reason}")]
    Invalid { field: &'static str, reason: &'static str, message_th: &'static str },
}

impl RulesError {
    pub fn message_th(&self) -> String {
        match self {
            RulesError::Syntax(detail) => format!("อ่านไฟล์ระเบียบการยืมพัสดุไม่ได้: {detail}"),
            RulesError::Invalid { message_th, .. } => (*message_th).to_string(),
        }
    }
}

impl LendingRules {
    /// Reads a rules file; keys left out keep the regulation's defaults.
    pub fn from_toml(text: &str) -> Result<Self, RulesError> {
        let rules: LendingRules = toml::from_str(text).map_err(|e| RulesError::Syntax(e.message().to_string()))?;
        rules.validate()?;
        Ok(rules)
    }

    /// The rules as a TOML file that [`Self::from_toml`] reads back unchanged.
    pub fn to_toml(&self) -> String {
        // Every field is a plain number, string, date string or list: serializing cannot fail.
        toml::to_string(self).expect("LendingRules always serializes to TOML")
    }

    /// Refuses rules that contradict the regulation or make no sense.
    pub fn validate(&self) -> Result<(), RulesError> {
        if !(1..=LONGEST_LIMIT_DAYS).contains(&self.max_loan_days) {
            return Err(RulesError::Invalid {
                field: "max_loan_days",
                reason: "must be 1 to 366 days",
                message_th: "ระยะเวลายืมสูงสุดต้องอยู่ระหว่าง 1–366 วัน (พัสดุต้องกลับมาให้ตรวจสอบประจำปี ข้อ 213)",
            });
        }
        if !(1..=LONGEST_LIMIT_DAYS).contains(&self.booking_horizon_days) {
            return Err(RulesError::Invalid {
                field: "booking_horizon_days",
                reason: "must be 1 to 366 days",
                message_th: "ระยะจองล่วงหน้าต้องอยู่ระหว่าง 1–366 วัน",
            });
        }
        if !(1..=REGULATION_FOLLOW_UP_DAYS).contains(&self.follow_up_days) {
            return Err(RulesError::Invalid {
                field: "follow_up_days",
                reason: "must be 1 to 7 days (regulation clause 211)",
                message_th: "ต้องติดตามทวงคืนภายใน 1–7 วันนับแต่วันครบกำหนดส่งคืน (ข้อ 211)",
            });
        }
        Ok(())
    }

    /// Who approves a loan of this use type.
    pub fn approver_for(&self, use_type: UseType) -> Duty {
        match use_type {
            UseType::Inside => self.approver_inside,
            UseType::Outside => self.approver_outside,
            UseType::Agency => self.approver_agency,
        }
    }
}

/// What a borrowing request states, as the checks need it.
#[derive(Clone, Debug)]
pub struct RequestFacts<'a> {
    pub item_class: ItemClass,
    pub use_type: UseType,
    /// The borrower is another state agency, not a person.
    pub borrower_is_agency: bool,
    /// The borrowing agency needs it urgently and cannot procure it in time (ข้อ 210).
    pub urgent_need: bool,
    pub purpose: &'a str,
    pub place_of_use: &'a str,
    pub borrower_name: &'a str,
    pub start: NaiveDate,
    pub due: NaiveDate,
    pub today: NaiveDate,
}

/// A reason a request cannot be accepted. [`RequestError::field`] names the form field.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum RequestError {
    #[error("consumables are lent only to another state agency (clause 210)")]
    ConsumableOnlyToAgencies,
    #[error("consumables are lent only when the borrowing agency has an urgent need (clause 210)")]
    ConsumableWithoutUrgentNeed,
    #[error("a loan between agencies needs a borrowing agency")]
    AgencyUseByPerson,
    #[error("an agency borrows as a loan between agencies, not for use inside or outside the premises")]
    AgencyBorrowerWithPersonalUse,
    #[error("the purpose of the loan is required")]
    MissingPurpose,
    #[error("the place of use is required")]
    MissingPlaceOfUse,
    #[error("the borrower's name is required")]
    MissingBorrowerName,
    #[error("the due date is before the borrow date")]
    DueBeforeStart,
    #[error("the borrow date is in the past")]
    StartInPast,
    #[error("the loan starts {days} days ahead; bookings are taken at most {max} days ahead")]
    StartTooFarAhead { days: i64, max: u32 },
    #[error("the loan lasts {days} days; the limit is {max} days")]
    LoanTooLong { days: i64, max: u32 },
}

impl RequestError {
    /// The form field the error belongs to.
    pub fn field(&self) -> &'static str {
        match self {
            RequestError::ConsumableOnlyToAgencies => "item_class",
            RequestError::ConsumableWithoutUrgentNeed => "urgent_need",
            RequestError::AgencyUseByPerson | RequestError::AgencyBorrowerWithPersonalUse => "use_type",
            RequestError::MissingPurpose => "purpose",
            RequestError::MissingPlaceOfUse => "place_of_use",
            RequestError::MissingBorrowerName => "borrower_name",
            RequestError::StartInPast | RequestError::StartTooFarAhead { .. } => "start_date",
            RequestError::DueBeforeStart | RequestError::LoanTooLong { .. } => "due_date",
        }
    }

    pub fn message_th(&self) -> String {
        match self {
            RequestError::ConsumableOnlyToAgencies => {
                "วัสดุสิ้นเปลืองให้ยืมได้เฉพาะหน่วยงานของรัฐที่มีความจำเป็นเร่งด่วน (ข้อ 210)".into()
            }
            RequestError::ConsumableWithoutUrgentNeed => {
                "วัสดุสิ้นเปลืองให้ยืมได้เฉพาะเมื่อหน่วยงานผู้ยืมมีความจำเป็นเร่งด่วนและไม่อาจจัดหาได้ทัน (ข้อ 210)".into()
            }
            RequestError::AgencyUseByPerson => "การยืมระหว่างหน่วยงานของรัฐ ผู้ยืมต้องเป็นหน่วยงานของรัฐ".into(),
            RequestError::AgencyBorrowerWithPersonalUse => {
                "หน่วยงานของรัฐต้องยืมในลักษณะการยืมระหว่างหน่วยงานของรัฐ (ข้อ 208(1))".into()
            }
            RequestError::MissingPurpose => "กรุณาระบุเหตุผลและความจำเป็นในการยืม (ใช้ในราชการเท่านั้น ข้อ 207)".into(),
            RequestError::MissingPlaceOfUse => "กรุณาระบุสถานที่นำพัสดุไปใช้".into(),
            RequestError::MissingBorrowerName => "กรุณาระบุชื่อผู้ยืม".into(),
            RequestError::DueBeforeStart => "วันกำหนดส่งคืนต้องไม่ก่อนวันที่ยืม".into(),
            RequestError::StartInPast => "วันที่ยืมต้องไม่เป็นวันที่ผ่านมาแล้ว".into(),
            RequestError::LoanTooLong { days, max } => {
                format!("วันกำหนดส่งคืน: ระยะเวลายืม {days} วัน เกินกำหนดของหน่วยงานที่ให้ยืมได้ไม่เกิน {max} วัน")
            }
            RequestError::StartTooFarAhead { days, max } => {
                format!("วันที่ยืม: อยู่ห่างจากวันนี้ {days} วัน หน่วยงานรับจองล่วงหน้าได้ไม่เกิน {max} วัน")
            }
        }
    }
}

/// Days of a loan, counted from the day after the borrow date (วันที่ยืม 1 ต.ค., คืน 15 ต.ค. = 14 วัน).
pub fn loan_days(start: NaiveDate, due: NaiveDate) -> i64 {
    (due - start).num_days()
}

/// Checks a request against the rules; lists every problem, not only the first.
pub fn check_request(rules: &LendingRules, facts: &RequestFacts<'_>) -> Result<(), Vec<RequestError>> {
    let mut errors = Vec::new();
    if facts.item_class == ItemClass::Consumable {
        if !facts.borrower_is_agency {
            errors.push(RequestError::ConsumableOnlyToAgencies);
        } else if !facts.urgent_need {
            errors.push(RequestError::ConsumableWithoutUrgentNeed);
        }
    }
    match (facts.use_type, facts.borrower_is_agency) {
        (UseType::Agency, false) => errors.push(RequestError::AgencyUseByPerson),
        (UseType::Inside | UseType::Outside, true) => errors.push(RequestError::AgencyBorrowerWithPersonalUse),
        _ => {}
    }
    for (text, error) in [
        (facts.purpose, RequestError::MissingPurpose),
        (facts.place_of_use, RequestError::MissingPlaceOfUse),
        (facts.borrower_name, RequestError::MissingBorrowerName),
    ] {
        if text.trim().is_empty() {
            errors.push(error);
        }
    }
    if facts.start < facts.today {
        errors.push(RequestError::StartInPast);
    } else {
        let days = (facts.start - facts.today).num_days();
        if days > i64::from(rules.booking_horizon_days) {
            errors.push(RequestError::StartTooFarAhead { days, max: rules.booking_horizon_days });
        }
    }
    if facts.due < facts.start {
        errors.push(RequestError::DueBeforeStart);
    } else {
        let days = loan_days(facts.start, facts.due);
        if days > i64::from(rules.max_loan_days) {
            errors.push(RequestError::LoanTooLong { days, max: rules.max_loan_days });
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// Dates as `YYYY-MM-DD` strings (chrono's serde feature is off); TOML dates are read too.
mod date_list {
    use chrono::NaiveDate;
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(dates: &[NaiveDate], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(dates.iter().map(|d| d.format("%Y-%m-%d").to_string()))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<NaiveDate>, D::Error> {
        // `toml::Value` takes a TOML date as well as a string from TOML or JSON.
        let values = Vec::<toml::Value>::deserialize(deserializer)?;
        values
            .iter()
            .map(|value| {
                let text = match value {
                    toml::Value::String(s) => s.clone(),
                    toml::Value::Datetime(dt) if dt.date.is_some() && dt.time.is_none() => dt.to_string(),
                    other => return Err(D::Error::custom(format!("expected a date like 2023-10-13, found {other}"))),
                };
                NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                    .map_err(|_| D::Error::custom(format!("`{text}` is not a date like 2023-10-13")))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn durable_inside() -> RequestFacts<'static> {
        RequestFacts {
            item_class: ItemClass::Durable,
            use_type: UseType::Inside,
            borrower_is_agency: false,
            urgent_need: false,
            purpose: "ประชุมประชาคมหมู่บ้าน",
            place_of_use: "ห้องประชุม อบต.",
            borrower_name: "นางสาวสมศรี ใจดี",
            start: date(2024, 10, 1),
            due: date(2024, 10, 3),
            today: date(2024, 10, 1),
        }
    }

    fn errors_of(rules: &LendingRules, facts: &RequestFacts<'_>) -> Vec<RequestError> {
        check_request(rules, facts).err().unwrap_or_default()
    }

    #[test]
    fn the_defaults_follow_the_regulation() {
        let rules = LendingRules::default();
        assert_eq!(rules.follow_up_days, 7);
        assert_eq!(rules.max_loan_days, 30);
        assert_eq!(rules.booking_horizon_days, 180);
        assert_eq!(rules.approver_for(UseType::Inside), Duty::SuppliesHead);
        assert_eq!(rules.approver_for(UseType::Outside), Duty::OrgHead);
        assert_eq!(rules.approver_for(UseType::Agency), Duty::OrgHead);
    }

    #[test]
    fn a_rules_file_overrides_only_the_keys_it_names() {
        let rules = LendingRules::from_toml(
            "max_loan_days = 15\napprover_inside = \"org_head\"\nextra_rules_th = [\"แจ้งล่วงหน้า 7 วัน\"]\n",
        )
        .unwrap();
        assert_eq!(rules.max_loan_days, 15);
        assert_eq!(rules.booking_horizon_days, 180);
        assert_eq!(rules.approver_for(UseType::Inside), Duty::OrgHead);
        assert_eq!(rules.follow_up_days, 7);
        assert_eq!(rules.extra_rules_th, vec!["แจ้งล่วงหน้า 7 วัน".to_string()]);
    }

    #[test]
    fn holidays_are_read_as_toml_dates_or_as_strings() {
        let rules = LendingRules::from_toml("holidays = [2023-10-13, \"2023-10-23\"]").unwrap();
        assert_eq!(rules.holidays, vec![date(2023, 10, 13), date(2023, 10, 23)]);
        assert!(LendingRules::from_toml("holidays = [\"13/10/2566\"]").is_err());
        assert!(LendingRules::from_toml("holidays = [2023-10-13T08:00:00]").is_err());
    }

    #[test]
    fn rules_survive_a_round_trip_through_toml_and_json() {
        let rules = LendingRules {
            max_loan_days: 15,
            booking_horizon_days: 90,
            follow_up_days: 5,
            remind_days_before_due: 3,
            approver_inside: Duty::SuppliesHead,
            approver_outside: Duty::OrgHead,
            approver_agency: Duty::OrgHead,
            holidays: vec![date(2023, 10, 13)],
            extra_rules_th: vec!["ผู้ยืมต้องแจ้งล่วงหน้า 7 วัน".into()],
        };
        assert_eq!(LendingRules::from_toml(&rules.to_toml()).unwrap(), rules);
        assert_eq!(LendingRules::from_toml(&LendingRules::default().to_toml()).unwrap(), LendingRules::default());
        let json = serde_json::to_string(&rules).unwrap();
        assert_eq!(serde_json::from_str::<LendingRules>(&json).unwrap(), rules);
    }

    #[test]
    fn a_follow_up_period_longer_than_the_regulations_seven_days_is_refused() {
        let err = LendingRules::from_toml("follow_up_days = 10").unwrap_err();
        assert!(matches!(err, RulesError::Invalid { field: "follow_up_days", .. }));
        assert!(err.message_th().contains("ข้อ 211"));
        assert!(LendingRules::from_toml("follow_up_days = 3").is_ok());
        assert!(LendingRules::from_toml("max_loan_days = 0").is_err());
        assert!(LendingRules::from_toml("max_loan_days = 400").is_err());
        assert!(LendingRules::from_toml("booking_horizon_days = 0").is_err());
    }

    #[test]
    fn unknown_keys_and_bad_values_in_a_rules_file_are_refused() {
        assert!(matches!(LendingRules::from_toml("max_loan_dayz = 15"), Err(RulesError::Syntax(_))));
        assert!(matches!(LendingRules::from_toml("approver_inside = \"mayor\""), Err(RulesError::Syntax(_))));
    }

    #[test]
    fn codes_parse_back_to_the_same_value() {
        for d in Duty::ALL {
            assert_eq!(Duty::parse(d.code()), Some(d));
        }
        for u in UseType::ALL {
            assert_eq!(UseType::parse(u.code()), Some(u));
        }
        for c in ItemClass::ALL {
            assert_eq!(ItemClass::parse(c.code()), Some(c));
        }
        assert_eq!(Duty::parse("mayor"), None);
        assert_eq!(Duty::OrgHead.label_th(), "หัวหน้าหน่วยงาน (นายก/ปลัด)");
    }

    #[test]
    fn durable_items_are_lent_to_persons_inside_or_outside_and_to_agencies() {
        let rules = LendingRules::default();
        assert_eq!(check_request(&rules, &durable_inside()), Ok(()));
        let outside = RequestFacts { use_type: UseType::Outside, ..durable_inside() };
        assert_eq!(check_request(&rules, &outside), Ok(()));
        let agency = RequestFacts { use_type: UseType::Agency, borrower_is_agency: true, ..durable_inside() };
        assert_eq!(check_request(&rules, &agency), Ok(()));
    }

    #[test]
    fn consumables_are_lent_only_to_an_agency_in_urgent_need() {
        let rules = LendingRules::default();
        let to_person = RequestFacts { item_class: ItemClass::Consumable, ..durable_inside() };
        let errors = errors_of(&rules, &to_person);
        assert_eq!(errors, vec![RequestError::ConsumableOnlyToAgencies]);
        assert_eq!(errors[0].field(), "item_class");
        assert_eq!(errors[0].message_th(), "วัสดุสิ้นเปลืองให้ยืมได้เฉพาะหน่วยงานของรัฐที่มีความจำเป็นเร่งด่วน (ข้อ 210)");

        let agency_not_urgent = RequestFacts {
            item_class: ItemClass::Consumable,
            use_type: UseType::Agency,
            borrower_is_agency: true,
            ..durable_inside()
        };
        assert_eq!(errors_of(&rules, &agency_not_urgent), vec![RequestError::ConsumableWithoutUrgentNeed]);

        let agency_urgent = RequestFacts { urgent_need: true, ..agency_not_urgent };
        assert_eq!(check_request(&rules, &agency_urgent), Ok(()));
    }

    #[test]
    fn the_agency_use_type_goes_with_an_agency_borrower_and_only_with_one() {
        let rules = LendingRules::default();
        let person_as_agency = RequestFacts { use_type: UseType::Agency, ..durable_inside() };
        assert_eq!(errors_of(&rules, &person_as_agency), vec![RequestError::AgencyUseByPerson]);
        let agency_inside = RequestFacts { borrower_is_agency: true, ..durable_inside() };
        let errors = errors_of(&rules, &agency_inside);
        assert_eq!(errors, vec![RequestError::AgencyBorrowerWithPersonalUse]);
        assert_eq!(errors[0].field(), "use_type");
    }

    #[test]
    fn purpose_place_and_borrower_are_required_and_blank_counts_as_missing() {
        let facts = RequestFacts { purpose: "  ", place_of_use: "", borrower_name: "\t", ..durable_inside() };
        let errors = errors_of(&LendingRules::default(), &facts);
        let fields: Vec<_> = errors.iter().map(RequestError::field).collect();
        assert_eq!(fields, ["purpose", "place_of_use", "borrower_name"]);
    }

    #[test]
    fn a_due_date_before_the_borrow_date_is_refused() {
        let facts = RequestFacts { due: date(2024, 9, 30), ..durable_inside() };
        let errors = errors_of(&LendingRules::default(), &facts);
        assert_eq!(errors, vec![RequestError::DueBeforeStart]);
        assert_eq!(errors[0].field(), "due_date");
        let same_day = RequestFacts { due: date(2024, 10, 1), ..durable_inside() };
        assert_eq!(check_request(&LendingRules::default(), &same_day), Ok(()));
    }

    #[test]
    fn a_borrow_date_in_the_past_is_refused() {
        let facts = RequestFacts { today: date(2024, 10, 2), ..durable_inside() };
        let errors = errors_of(&LendingRules::default(), &facts);
        assert_eq!(errors, vec![RequestError::StartInPast]);
        assert_eq!(errors[0].field(), "start_date");
    }

    #[test]
    fn a_loan_longer_than_the_local_limit_is_refused_and_the_limit_itself_is_allowed() {
        let rules = LendingRules { max_loan_days: 15, ..LendingRules::default() };
        let at_limit = RequestFacts { due: date(2024, 10, 16), ..durable_inside() };
        assert_eq!(check_request(&rules, &at_limit), Ok(()));
        let over = RequestFacts { due: date(2024, 10, 17), ..durable_inside() };
        let errors = errors_of(&rules, &over);
        assert_eq!(errors, vec![RequestError::LoanTooLong { days: 16, max: 15 }]);
        assert!(errors[0].message_th().contains("ไม่เกิน 15 วัน"));
        assert_eq!(check_request(&LendingRules::default(), &over), Ok(()));
    }

    #[test]
    fn without_local_rules_a_loan_is_at_most_30_days_and_starts_at_most_180_days_ahead() {
        let rules = LendingRules::default();
        let month = RequestFacts { due: date(2024, 10, 31), ..durable_inside() };
        assert_eq!(check_request(&rules, &month), Ok(()));
        let to_2399 = RequestFacts { due: date(2399, 12, 31), ..durable_inside() };
        let errors = errors_of(&rules, &to_2399);
        assert!(matches!(errors[..], [RequestError::LoanTooLong { max: 30, .. }]));
        assert_eq!(errors[0].field(), "due_date");
        assert!(errors[0].message_th().starts_with("วันกำหนดส่งคืน"));
        let far = RequestFacts { start: date(2025, 3, 31), due: date(2025, 4, 1), ..durable_inside() };
        let errors = errors_of(&rules, &far);
        assert_eq!(errors, vec![RequestError::StartTooFarAhead { days: 181, max: 180 }]);
        assert_eq!(errors[0].field(), "start_date");
        let edge = RequestFacts { start: date(2025, 3, 30), due: date(2025, 3, 31), ..durable_inside() };
        assert_eq!(check_request(&rules, &edge), Ok(()));
    }

    #[test]
    fn every_problem_is_listed_at_once() {
        let facts = RequestFacts {
            item_class: ItemClass::Consumable,
            purpose: "",
            start: date(2024, 9, 1),
            due: date(2024, 8, 1),
            ..durable_inside()
        };
        assert_eq!(errors_of(&LendingRules::default(), &facts).len(), 4);
    }
}
