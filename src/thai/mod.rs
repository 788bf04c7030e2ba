//! Thai conventions, pure and without I/O: digits, the Buddhist era, the fiscal year, month
//! names, month ranges and dates, each parsed once at the edge and formatted as official
//! documents write them; and Thai dictionary order for lists people read.

pub mod collate;
pub mod date_field;
pub mod dates;
pub mod digits;
pub mod era;
pub mod fiscal;
pub mod month_range;
pub mod months;
pub mod period;
pub mod words;

pub use date_field::{format_date_field, format_date_words, parse_date_field};
pub use dates::{
    DateError, format_date_long, format_date_medium, format_date_short, format_instant_th, parse_thai_date,
    today_in_thailand,
};
pub use digits::{Digits, format_grouped, format_int, parse_number, to_arabic_digits, to_thai_digits};
pub use era::{BE_OFFSET, YearError, be_from_ce, ce_from_be, format_year_be, format_year_be_with_era, parse_year_be};
pub use fiscal::FiscalYear;
pub use month_range::{MonthRangeError, ThaiMonthRange, YearMonth};
pub use months::{month_abbr, month_full, parse_month};
pub use period::{Period, PeriodError, PeriodKind, Span};
