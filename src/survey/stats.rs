//! The statistics of 5-level answers, from counts: how many answered each level of an item (a
//! [`Tally`]); an aspect, a service or a month is the tallies of its items added together (every
//! answer to every item of the aspect counted once: the pooled mean, which an item left blank does
//! not bias).
//!
//! Everything a report prints is exact: the mean in hundredths rounded half up from the integer
//! sum and count (what `scale` bands), the share satisfied in tenths of a percent. The standard
//! deviation is the sample's (n − 1), as Thai survey reports give S.D.

use crate::thai::Digits;

/// How many answers gave each level of the scale (index 0: level 1, น้อยที่สุด; index 4: level 5).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub counts: [u64; 5],
}

impl Tally {
    /// Counts one answer; false (and nothing counted) for a value outside 1–5.
    pub fn add(&mut self, value: i64) -> bool {
        match usize::try_from(value) {
            Ok(v @ 1..=5) => {
                self.counts[v - 1] += 1;
                true
            }
            _ => false,
        }
    }

    /// Adds another tally's answers (an item's into its aspect's).
    pub fn merge(&mut self, other: &Tally) {
        for (mine, theirs) in self.counts.iter_mut().zip(other.counts) {
            *mine += theirs;
        }
    }

    pub fn n(&self) -> u64 {
        self.counts.iter().sum()
    }

    fn sum(&self) -> u64 {
        self.counts.iter().zip(1u64..).map(|(c, v)| c * v).sum()
    }

    fn sum_of_squares(&self) -> u64 {
        self.counts.iter().zip(1u64..).map(|(c, v)| c * v * v).sum()
    }

    /// The mean in hundredths, rounded half up (421 is 4.21); None without answers.
    pub fn mean_hundredths(&self) -> Option<i64> {
        let n = self.n();
        (n > 0).then(|| ((200 * self.sum() + n) / (2 * n)) as i64)
    }

    /// The sample standard deviation; None with fewer than two answers.
    pub fn sd(&self) -> Option<f64> {
        let n = self.n();
        if n < 2 {
            return None;
        }
        // n·Σx² − (Σx)² is exact in integers (u128: no overflow at any count); only the last
        // division and root are not.
        let (n, sum, squares) = (u128::from(n), u128::from(self.sum()), u128::from(self.sum_of_squares()));
        let spread = n * squares - sum * sum;
        Some((spread as f64 / (n * (n - 1)) as f64).sqrt())
    }

    /// The share of answers at มาก or มากที่สุด (4–5), in tenths of a percent rounded half up.
    pub fn satisfied_tenths(&self) -> Option<i64> {
        let n = self.n();
        let satisfied = self.counts[3] + self.counts[4];
        (n > 0).then(|| ((2000 * satisfied + n) / (2 * n)) as i64)
    }

    /// The mean as a percentage of the full score (mean ÷ 5 × 100), as many Thai reports print
    /// beside the mean, in tenths of a percent rounded half up.
    pub fn of_full_score_tenths(&self) -> Option<i64> {
        let n = self.n();
        // mean / 5 * 1000 = sum * 200 / n
        (n > 0).then(|| ((400 * self.sum() + n) / (2 * n)) as i64)
    }
}

/// "4.21" (or "๔.๒๑") from hundredths.
pub fn hundredths_text(hundredths: i64, digits: Digits) -> String {
    digits.apply(&format!("{}.{:02}", hundredths / 100, hundredths % 100))
}

/// "71.4" (or "๗๑.๔") from tenths.
pub fn tenths_text(tenths: i64, digits: Digits) -> String {
    digits.apply(&format!("{}.{}", tenths / 10, tenths % 10))
}

/// A standard deviation as printed: two decimals.
pub fn sd_text(sd: f64, digits: Digits) -> String {
    digits.apply(&format!("{sd:.2}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::scale::{Level, Scale};

    fn tally(values: &[i64]) -> Tally {
        let mut t = Tally::default();
        for &v in values {
            assert!(t.add(v));
        }
        t
    }

    #[test]
    fn seven_answers_match_the_hand_computed_figures() {
        // 5 5 4 4 4 3 2: n 7, Σx 27, Σx² 111; mean 27/7 = 3.857… → 3.86;
        // S.D. √((7·111 − 27²) / (7·6)) = √(48/42) = 1.0690… → 1.07; satisfied 5/7 = 71.43 % → 71.4.
        let t = tally(&[5, 5, 4, 4, 4, 3, 2]);
        assert_eq!(t.n(), 7);
        assert_eq!(t.mean_hundredths(), Some(386));
        assert_eq!(sd_text(t.sd().unwrap(), Digits::Arabic), "1.07");
        assert_eq!(t.satisfied_tenths(), Some(714));
        // 27/7/5 = 77.14 % of the full score.
        assert_eq!(t.of_full_score_tenths(), Some(771));
        assert_eq!(hundredths_text(386, Digits::Thai), "๓.๘๖");
        assert_eq!((Scale::EqualWidth.level(386), Scale::NearestLevel.level(386)), (Level::More, Level::More));
    }

    #[test]
    fn a_mean_of_exactly_4_205_prints_4_21_and_reads_by_each_scale() {
        // 41 fives and 159 fours: 841 / 200 = 4.205 exactly; half up is 4.21, which the 0.80 bands
        // read as มากที่สุด and the nearest-level bands as มาก.
        let t = Tally { counts: [0, 0, 0, 159, 41] };
        assert_eq!(t.mean_hundredths(), Some(421));
        assert_eq!(hundredths_text(421, Digits::Arabic), "4.21");
        assert_eq!(Scale::EqualWidth.level(421), Level::Most);
        assert_eq!(Scale::NearestLevel.level(421), Level::More);
        assert_eq!(t.satisfied_tenths(), Some(1000));
        // S.D. of 159 fours and 41 fives: Σx² = 159·16 + 41·25 = 3569;
        // √((200·3569 − 841²) / (200·199)) = √(6519/39800) = 0.4047… → 0.40.
        assert_eq!(sd_text(t.sd().unwrap(), Digits::Arabic), "0.40");
    }

    #[test]
    fn an_aspect_pools_its_items_answers() {
        let mut aspect = tally(&[5, 4]);
        aspect.merge(&tally(&[3, 3, 2]));
        // (5+4+3+3+2)/5 = 3.40 pooled (the mean of the two item means would be 3.42).
        assert_eq!(aspect.mean_hundredths(), Some(340));
        assert_eq!(aspect.n(), 5);
    }

    #[test]
    fn values_outside_the_scale_are_not_counted_and_empty_tallies_have_no_figures() {
        let mut t = Tally::default();
        assert!(!t.add(0) && !t.add(6) && !t.add(-1));
        assert_eq!((t.n(), t.mean_hundredths(), t.sd(), t.satisfied_tenths()), (0, None, None, None));
        assert!(t.add(4));
        assert_eq!((t.mean_hundredths(), t.sd()), (Some(400), None));
    }
}
