use super::*;
use proptest::prelude::*;

fn fy(be: i32) -> FiscalYear {
    FiscalYear::new(be).expect("plausible year")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

fn months(a: (i32, u32), b: (i32, u32)) -> Span {
    let ym = |(be_year, month)| YearMonth { be_year, month };
    Span::Months(ThaiMonthRange::new(ym(a), ym(b)).expect("valid range"))
}

fn read(text: &str) -> Period {
    Period::parse(text, fy(2566)).unwrap_or_else(|e| panic!("{text:?}: {}", e.message_th()))
}

#[test]
fn a_month_range_in_thai_or_arabic_digits_and_full_names() {
    for text in ["มี.ค. – เม.ย. ๒๕๖๖", "มีนาคม – เมษายน 2566", "มี.ค.-เม.ย. 66", "มีนาคม ถึง เมษายน ๒๕๖๖"]
    {
        let p = read(text);
        assert_eq!(p.span(), months((2566, 3), (2566, 4)), "{text}");
        assert_eq!((p.first_day(), p.last_day()), (date(2023, 3, 1), date(2023, 4, 30)));
        assert_eq!(p.kind(), PeriodKind::Months);
    }
}

#[test]
fn a_month_range_across_years() {
    let p = read("ต.ค. ๒๕๖๕ – ก.ย. ๒๕๖๖");
    assert_eq!(p.span(), months((2565, 10), (2566, 9)));
    assert_eq!(p.format_lines(Digits::Thai), ["ต.ค. ๒๕๖๕ –", "ก.ย. ๒๕๖๖"]);
}

#[test]
fn a_single_month_covers_its_days_february_of_a_leap_year_too() {
    let p = read("มีนาคม ๒๕๖๖");
    assert_eq!(p.span(), months((2566, 3), (2566, 3)));
    let feb = read("ก.พ. 2567");
    assert_eq!((feb.first_day(), feb.last_day()), (date(2024, 2, 1), date(2024, 2, 29)));
}

#[test]
fn the_whole_fiscal_year_without_a_year_is_the_year_of_the_work() {
    let p = Period::parse("ตลอดปีงบประมาณ", fy(2566)).unwrap();
    assert_eq!(p.span(), Span::FiscalYear(fy(2566)));
    assert_eq!((p.first_day(), p.last_day()), (date(2022, 10, 1), date(2023, 9, 30)));
    assert_eq!(p.format(Digits::Thai), "ตลอดปีงบประมาณ");
    assert_eq!(p.format_lines(Digits::Thai), ["ตลอดปีงบประมาณ"]);
}

#[test]
fn the_whole_fiscal_year_with_its_year_named() {
    for text in ["ตลอดปีงบประมาณ พ.ศ. ๒๕๖๗", "ตลอดปีงบประมาณ 2567", "ปีงบประมาณ พ.ศ. 2567"]
    {
        let p = Period::parse(text, fy(2566)).unwrap();
        assert_eq!(p.span(), Span::FiscalYear(fy(2567)), "{text}");
    }
    let p = read("ตลอดปีงบประมาณ พ.ศ. 2567");
    assert_eq!(p.format(Digits::Thai), "ตลอดปีงบประมาณ พ.ศ. ๒๕๖๗");
    assert_eq!(p.format_lines(Digits::Thai), ["ตลอดปีงบประมาณ", "พ.ศ. ๒๕๖๗"]);
}

#[test]
fn quarters_of_the_fiscal_year_start_in_october() {
    let q1 = read("ไตรมาสที่ ๑");
    assert_eq!(q1.span(), Span::Quarters { year: fy(2566), first: 1, last: 1 });
    assert_eq!((q1.first_day(), q1.last_day()), (date(2022, 10, 1), date(2022, 12, 31)));
    let q2 = read("ไตรมาส 2");
    assert_eq!((q2.first_day(), q2.last_day()), (date(2023, 1, 1), date(2023, 3, 31)));
    let q4 = read("ไตรมาสที่ ๔");
    assert_eq!((q4.first_day(), q4.last_day()), (date(2023, 7, 1), date(2023, 9, 30)));
    assert_eq!(q2.format(Digits::Thai), "ไตรมาส ๒", "printed as written, digits as the office sets");
    assert_eq!(q2.format_lines(Digits::Thai), ["ไตรมาส ๒"]);
}

#[test]
fn a_run_of_quarters_and_a_named_year() {
    for text in ["ไตรมาสที่ ๑–๒", "ไตรมาสที่ 1-2", "ไตรมาสที่ ๑ ถึง ๒", "ไตรมาสที่ ๑ – ไตรมาสที่ ๒"]
    {
        let p = read(text);
        assert_eq!(p.span(), Span::Quarters { year: fy(2566), first: 1, last: 2 }, "{text}");
        assert_eq!((p.first_day(), p.last_day()), (date(2022, 10, 1), date(2023, 3, 31)));
    }
    let p = read("ไตรมาสที่ ๓ ปีงบประมาณ พ.ศ. ๒๕๖๗");
    assert_eq!(p.span(), Span::Quarters { year: fy(2567), first: 3, last: 3 });
    assert_eq!(read("ไตรมาสที่ 3/2567").span(), p.span());
}

#[test]
fn exact_days_one_or_two_with_shared_parts_left_out() {
    let year = read("๑ ต.ค. ๒๕๖๕ – ๓๐ ก.ย. ๒๕๖๖");
    assert_eq!(year.span(), Span::Days { first: date(2022, 10, 1), last: date(2023, 9, 30) });
    assert_eq!(year.format_lines(Digits::Thai), ["๑ ต.ค. ๒๕๖๕ –", "๓๐ ก.ย. ๒๕๖๖"]);
    let one = read("15 มีนาคม 2566");
    assert_eq!(one.span(), Span::Days { first: date(2023, 3, 15), last: date(2023, 3, 15) });
    assert_eq!(one.format(Digits::Thai), "๑๕ มีนาคม ๒๕๖๖");
    assert_eq!(read("๑ – ๑๕ มี.ค. ๒๕๖๖").span(), Span::Days { first: date(2023, 3, 1), last: date(2023, 3, 15) });
    assert_eq!(read("1 มี.ค. ถึง 15 เม.ย. 2566").span(), Span::Days { first: date(2023, 3, 1), last: date(2023, 4, 15) });
    assert_eq!(read("1/10/2565 - 30/9/2566").span(), year.span());
}

#[test]
fn what_word_pastes_is_read_and_tidied() {
    // No-break spaces, a non-breaking hyphen, a zero-width space and a line break.
    let p = read("มี.ค.\u{a0}\u{2011}\u{a0}เม.ย.\u{200b}\n๒๕๖๖");
    assert_eq!(p.span(), months((2566, 3), (2566, 4)));
    assert_eq!(p.written(), "มี.ค. \u{2011} เม.ย. ๒๕๖๖");
    assert_eq!(read("ตลอดปี\u{200b}งบประมาณ").span(), Span::FiscalYear(fy(2566)));
    assert_eq!(read("  ไตรมาสที่\u{a0}๒ ").written(), "ไตรมาสที่ ๒");
}

#[test]
fn the_seeds_period_prints_as_before_in_one_or_two_lines() {
    let p = read("มี.ค. – เม.ย.<br>๒๕๖๖");
    assert_eq!(p.format(Digits::Thai), "มี.ค. – เม.ย. ๒๕๖๖");
    assert_eq!(p.format_lines(Digits::Thai), ["มี.ค. – เม.ย.", "๒๕๖๖"]);
    assert_eq!(p.format_lines(Digits::Arabic), ["มี.ค. – เม.ย.", "2566"]);
    assert_eq!(read("มี.ค. ๒๕๖๖").format_lines(Digits::Thai), ["มี.ค.", "๒๕๖๖"]);
}

#[test]
fn unreadable_periods_say_what_is_wrong_and_what_is_accepted() {
    let err = Period::parse("ช่วงหน้าฝน", fy(2566)).unwrap_err();
    let message = err.message_th();
    assert!(
        message.contains("ช่วงหน้าฝน") && message.contains("ตลอดปีงบประมาณ") && message.contains("ไตรมาสที่ ๑"),
        "{message}"
    );
    assert_eq!(Period::parse(" \u{a0} ", fy(2566)), Err(PeriodError::Empty));
    assert_eq!(Period::parse("ไตรมาสที่ ๕", fy(2566)), Err(PeriodError::Quarter("๕".into())));
    assert!(matches!(Period::parse("ไตรมาสที่ ๓–๒", fy(2566)), Err(PeriodError::StartAfterEnd { .. })));
    assert!(matches!(Period::parse("๓๐ ก.ย. ๒๕๖๖ – ๑ ต.ค. ๒๕๖๕", fy(2566)), Err(PeriodError::StartAfterEnd { .. })));
    assert!(matches!(Period::parse("31 เม.ย. 2566", fy(2566)), Err(PeriodError::Date(DateError::NoSuchDate { .. }))));
    assert!(matches!(
        Period::parse("ตลอดปีงบประมาณ 2023", fy(2566)),
        Err(PeriodError::Year(YearError::LooksLikeCe { .. }))
    ));
    assert_eq!(
        Period::parse("ม.ค. – ก.พ. – มี.ค. 2566", fy(2566)),
        Err(PeriodError::Months(MonthRangeError::TooManySeparators))
    );
}

#[test]
fn stored_days_read_back_only_when_they_fit_the_kind() {
    for text in ["มี.ค. – เม.ย. ๒๕๖๖", "ตลอดปีงบประมาณ", "ไตรมาสที่ ๒–๓", "๑ – ๑๕ มี.ค. ๒๕๖๖"]
    {
        let p = read(text);
        let back = Period::from_stored(p.kind(), p.first_day(), p.last_day(), p.written());
        assert_eq!(back.as_ref(), Some(&p), "{text}");
        assert_eq!(PeriodKind::parse(p.kind().code()), Some(p.kind()));
    }
    assert_eq!(Span::from_days(PeriodKind::Months, date(2023, 3, 2), date(2023, 4, 30)), None);
    assert_eq!(Span::from_days(PeriodKind::Quarters, date(2023, 1, 1), date(2023, 3, 30)), None);
    assert_eq!(Span::from_days(PeriodKind::FiscalYear, date(2023, 1, 1), date(2023, 9, 30)), None);
}

#[test]
fn a_day_key_is_yyyymmdd_of_the_christian_era() {
    assert_eq!(day_key(date(2023, 3, 1)), 20230301);
    assert_eq!(day_of_key(20230301), Some(date(2023, 3, 1)));
    assert_eq!(day_of_key(20230231), None);
}

fn any_span() -> impl Strategy<Value = Span> {
    let year = (2401i32..=2699).prop_map(fy);
    let month = (2401i32..=2699, 1u32..=12).prop_map(|(be_year, month)| YearMonth { be_year, month });
    let day = || {
        crate::thai::dates::tests::plausible_date()
            .prop_filter("inside the years", |d| (1858..=2156).contains(&d.year()))
    };
    prop_oneof![
        (month.clone(), month).prop_map(|(a, b)| Span::Months(ThaiMonthRange::new(a.min(b), a.max(b)).unwrap())),
        year.clone().prop_map(Span::FiscalYear),
        (year, 1u8..=4, 1u8..=4).prop_map(|(year, a, b)| Span::Quarters { year, first: a.min(b), last: a.max(b) }),
        (day(), day()).prop_map(|(a, b)| Span::Days { first: a.min(b), last: a.max(b) }),
    ]
}

fn digits_of(thai: bool) -> Digits {
    if thai { Digits::Thai } else { Digits::Arabic }
}

proptest! {
    #[test]
    fn a_printed_period_reads_back_the_same(span in any_span(), thai in any::<bool>(), work_year in 2401i32..=2699) {
        let digits = digits_of(thai);
        let p = Period::from_span(span, digits);
        prop_assert_eq!(Period::parse(&p.format(digits), fy(work_year)), Ok(p.clone()));
        // In the other digits the words and the span are the same; only the digits differ.
        let other = digits_of(!thai);
        let q = Period::parse(&p.format(other), fy(work_year)).unwrap();
        prop_assert_eq!(q.span(), span);
        prop_assert_eq!(q.format(digits), p.format(digits));
        prop_assert_eq!(Period::parse(&p.format_lines(digits).join("\n"), fy(work_year)), Ok(p));
    }

    #[test]
    fn a_period_written_without_its_year_reads_back_in_the_year_of_the_work(
        year in 2401i32..=2699, a in 1u8..=4, b in 1u8..=4, thai in any::<bool>(),
    ) {
        let digits = digits_of(thai);
        let (first, last) = (a.min(b), a.max(b));
        let text = if first == last { format!("ไตรมาสที่ {first}") } else { format!("ไตรมาส {first} ถึง {last}") };
        let p = Period::parse(&digits.apply(&text), fy(year)).unwrap();
        prop_assert_eq!(p.span(), Span::Quarters { year: fy(year), first, last });
        prop_assert_eq!(Period::parse(&p.format(digits), fy(year)), Ok(p.clone()));
        let whole = Period::parse("ตลอดปีงบประมาณ", fy(year)).unwrap();
        prop_assert_eq!(Period::parse(&whole.format(digits), fy(year)), Ok(whole));
    }
}
