//! The two interpretation scales Thai reports use for the mean of a 5-level item (มากที่สุด 5 …
//! น้อยที่สุด 1), each printed with its convention in the report.
//!
//! - Bands 0.80 wide (class width (5 − 1) / 5; Best 1977, ชัชวาลย์ เรืองประพันธ์ 2539): 4.21–5.00
//!   มากที่สุด, 3.41–4.20 มาก, 2.61–3.40 ปานกลาง, 1.81–2.60 น้อย, 1.00–1.80 น้อยที่สุด. **The
//!   default**: five classes of equal width over the whole range 1–5, the reading of "class
//!   width = range / classes" taught in Thai research methods.
//! - Bands from the nearest whole level (บุญชม ศรีสะอาด 2545): 4.51–5.00 มากที่สุด, 3.51–4.50 มาก,
//!   2.51–3.50 ปานกลาง, 1.51–2.50 น้อย, 1.00–1.50 น้อยที่สุด.
//!
//! A mean is banded as printed, in hundredths rounded half up from the exact sum and count
//! (`stats::Summary::mean_hundredths`: 841 points over 200 answers is 4.205, printed 4.21, read
//! มากที่สุด under the 0.80 bands), so that the level in a table always agrees with the figure
//! beside it; floating point would print and band 4.2049999….

/// How a mean is read as a level.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// Five classes 0.80 wide from 1.00 (4.21 and above: มากที่สุด).
    #[default]
    EqualWidth,
    /// The nearest whole level (4.51 and above: มากที่สุด).
    NearestLevel,
}

/// The level a mean reads as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum Level {
    Least = 1,
    Less = 2,
    Moderate = 3,
    More = 4,
    Most = 5,
}

impl Level {
    /// From น้อยที่สุด (1) to มากที่สุด (5).
    pub const ALL: [Level; 5] = [Level::Least, Level::Less, Level::Moderate, Level::More, Level::Most];

    /// The level's score as the form posts it, "1" to "5".
    pub fn digit(self) -> &'static str {
        ["1", "2", "3", "4", "5"][self as usize - 1]
    }

    /// The word the reports print: "มากที่สุด", "มาก", …
    pub fn label_th(self) -> &'static str {
        match self {
            Level::Most => "มากที่สุด",
            Level::More => "มาก",
            Level::Moderate => "ปานกลาง",
            Level::Less => "น้อย",
            Level::Least => "น้อยที่สุด",
        }
    }
}

impl Scale {
    pub fn code(self) -> &'static str {
        match self {
            Scale::EqualWidth => "equal_width",
            Scale::NearestLevel => "nearest_level",
        }
    }

    pub fn from_code(code: &str) -> Option<Scale> {
        match code {
            "equal_width" => Some(Scale::EqualWidth),
            "nearest_level" => Some(Scale::NearestLevel),
            _ => None,
        }
    }

    /// The lowest mean (in hundredths) of each level from มากที่สุด down.
    fn floors(self) -> [(i64, Level); 4] {
        match self {
            Scale::EqualWidth => [(421, Level::Most), (341, Level::More), (261, Level::Moderate), (181, Level::Less)],
            Scale::NearestLevel => [(451, Level::Most), (351, Level::More), (251, Level::Moderate), (151, Level::Less)],
        }
    }

    /// The level of a mean given in hundredths as printed (421 is 4.21).
    pub fn level(self, hundredths: i64) -> Level {
        self.floors().into_iter().find(|(floor, _)| hundredths >= *floor).map_or(Level::Least, |(_, level)| level)
    }

    /// The bands as a report prints them under its tables, with the convention's source.
    pub fn legend_th(self) -> &'static str {
        match self {
            Scale::EqualWidth => {
                "เกณฑ์การแปลผลค่าเฉลี่ย (ช่วงกว้างเท่ากัน ๐.๘๐): ๔.๒๑–๕.๐๐ มากที่สุด, ๓.๔๑–๔.๒๐ มาก, \
                 ๒.๖๑–๓.๔๐ ปานกลาง, ๑.๘๑–๒.๖๐ น้อย, ๑.๐๐–๑.๘๐ น้อยที่สุด (Best, 1977)"
            }
            Scale::NearestLevel => {
                "เกณฑ์การแปลผลค่าเฉลี่ย: ๔.๕๑–๕.๐๐ มากที่สุด, ๓.๕๑–๔.๕๐ มาก, ๒.๕๑–๓.๕๐ ปานกลาง, \
                 ๑.๕๑–๒.๕๐ น้อย, ๑.๐๐–๑.๕๐ น้อยที่สุด (บุญชม ศรีสะอาด, ๒๕๔๕)"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_band_starts_where_its_convention_says() {
        let cases = [
            (Scale::EqualWidth, [(500, Level::Most), (421, Level::Most), (420, Level::More), (341, Level::More)]),
            (
                Scale::EqualWidth,
                [(340, Level::Moderate), (261, Level::Moderate), (260, Level::Less), (180, Level::Least)],
            ),
            (Scale::NearestLevel, [(451, Level::Most), (450, Level::More), (351, Level::More), (350, Level::Moderate)]),
            (
                Scale::NearestLevel,
                [(251, Level::Moderate), (250, Level::Less), (151, Level::Less), (150, Level::Least)],
            ),
        ];
        for (scale, means) in cases {
            for (mean, level) in means {
                assert_eq!(scale.level(mean), level, "{scale:?} {mean}");
            }
        }
        assert_eq!(Scale::EqualWidth.level(100), Level::Least);
        // The same mean reads differently under the two conventions: why the report names its own.
        assert_eq!((Scale::EqualWidth.level(430), Scale::NearestLevel.level(430)), (Level::Most, Level::More));
    }

    #[test]
    fn the_default_is_the_equal_width_bands_and_codes_round_trip() {
        assert_eq!(Scale::default(), Scale::EqualWidth);
        for s in [Scale::EqualWidth, Scale::NearestLevel] {
            assert_eq!(Scale::from_code(s.code()), Some(s));
        }
        assert_eq!(Scale::from_code("0.8"), None);
    }
}
