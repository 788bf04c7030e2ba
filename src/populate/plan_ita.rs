//! Pure: what a bench organization holds for the province comparison (`bench populate --ita`):
//! five assessed years of ITA results, each year's measures in every status, and which years'
//! reports it published; and which of the 77 provinces it is in. Decided from its number, so that
//! every run (and an install of one province) builds the same data.

/// The fiscal years filled.
pub const YEARS: [i64; 5] = [2564, 2565, 2566, 2567, 2568];

/// Measures per organization and year.
pub const MEASURES_PER_YEAR: usize = 6;

/// The 77 provinces (Bangkok included), the five largest first.
pub const PROVINCES: [&str; 77] = [
    "เชียงใหม่",
    "นครราชสีมา",
    "ขอนแก่น",
    "อุบลราชธานี",
    "ลำปาง",
    "กรุงเทพมหานคร",
    "กระบี่",
    "กาญจนบุรี",
    "กาฬสินธุ์",
    "กำแพงเพชร",
    "จันทบุรี",
    "ฉะเชิงเทรา",
    "ชลบุรี",
    "ชัยนาท",
    "ชัยภูมิ",
    "ชุมพร",
    "เชียงราย",
    "ตรัง",
    "ตราด",
    "ตาก",
    "นครนายก",
    "นครปฐม",
    "นครพนม",
    "นครศรีธรรมราช",
    "นครสวรรค์",
    "นนทบุรี",
    "นราธิวาส",
    "น่าน",
    "บึงกาฬ",
    "บุรีรัมย์",
    "ปทุมธานี",
    "ประจวบคีรีขันธ์",
    "ปราจีนบุรี",
    "ปัตตานี",
    "พระนครศรีอยุธยา",
    "พะเยา",
    "พังงา",
    "พัทลุง",
    "พิจิตร",
    "พิษณุโลก",
    "เพชรบุรี",
    "เพชรบูรณ์",
    "แพร่",
    "ภูเก็ต",
    "มหาสารคาม",
    "มุกดาหาร",
    "ยโสธร",
    "ยะลา",
    "ร้อยเอ็ด",
    "ระนอง",
    "ระยอง",
    "ราชบุรี",
    "ลพบุรี",
    "ลำพูน",
    "เลย",
    "ศรีสะเกษ",
    "สกลนคร",
    "สงขลา",
    "สตูล",
    "สมุทรปราการ",
    "สมุทรสงคราม",
    "สมุทรสาคร",
    "สระแก้ว",
    "สระบุรี",
    "สิงห์บุรี",
    "สุโขทัย",
    "สุพรรณบุรี",
    "สุราษฎร์ธานี",
    "สุรินทร์",
    "หนองคาย",
    "หนองบัวลำภู",
    "อ่างทอง",
    "อำนาจเจริญ",
    "อุดรธานี",
    "อุตรดิตถ์",
    "อุทัยธานี",
    "แม่ฮ่องสอน",
];

/// Of every 1,000 organizations: 150 in the first province, 60 in each of the next four, and the
/// other 610 over the remaining 72 (8 or 9 each), as a country's sizes vary.
const LARGEST: usize = 150;
const LARGE: usize = 60;
const LARGE_PROVINCES: usize = 4;

/// The province of bench organization `number` (1, 2, …): the numbers are shuffled over the
/// 1,000 places so that every size of install spreads over the provinces alike.
pub fn province(number: u32) -> &'static str {
    // 617 is prime to 1,000: a permutation of 0..1000.
    let place = ((number as usize - 1) * 617) % 1000;
    let index = if place < LARGEST {
        0
    } else if place < LARGEST + LARGE * LARGE_PROVINCES {
        1 + (place - LARGEST) / LARGE
    } else {
        1 + LARGE_PROVINCES + (place - LARGEST - LARGE * LARGE_PROVINCES) % (PROVINCES.len() - 1 - LARGE_PROVINCES)
    };
    PROVINCES[index]
}

/// A well-mixed number from a few inputs (splitmix64), for scores that look scattered.
fn mix(a: u64, b: u64) -> u64 {
    let mut z = a.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ b.wrapping_add(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One assessed year's result, in hundredths.
pub struct ResultPlan {
    pub year: i64,
    pub total: i64,
    pub grade: &'static str,
    pub indicators: [i64; 10],
}

/// The grade bands of ITA 2565 (AA 95–100, A 85–94.99, …).
pub fn grade(total_x100: i64) -> &'static str {
    match total_x100 {
        9500.. => "AA",
        8500.. => "A",
        7500.. => "B",
        6500.. => "C",
        5500.. => "D",
        5000.. => "E",
        _ => "F",
    }
}

/// Organization `number`'s result of `year`: its own level, rising a point and a half a year,
/// each indicator scattered around it; the total weighs IIT 30, EIT 30, OIT 40.
pub fn result(number: u32, year: i64) -> ResultPlan {
    let level = 7000 + (mix(u64::from(number), 1) % 2600) as i64 + (year - YEARS[0]) * 150;
    let mut indicators = [0; 10];
    for (i, score) in indicators.iter_mut().enumerate() {
        let noise = (mix(u64::from(number), (year * 16 + i as i64) as u64) % 1800) as i64 - 900;
        *score = (level + noise).clamp(0, 10_000);
    }
    let mean = |s: &[i64]| s.iter().sum::<i64>() / s.len() as i64;
    let total = (mean(&indicators[0..5]) * 30 + mean(&indicators[5..8]) * 30 + mean(&indicators[8..10]) * 40) / 100;
    ResultPlan { year, total, grade: grade(total), indicators }
}

const MEASURE_TITLES: [&str; MEASURES_PER_YEAR] = [
    "มาตรการป้องกันการรับสินบน",
    "มาตรการส่งเสริมการใช้ทรัพย์สินของราชการอย่างถูกต้อง",
    "มาตรการจัดการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ",
    "มาตรการปรับปรุงขั้นตอนการให้บริการประชาชน",
    "มาตรการเผยแพร่ข้อมูลต่อสาธารณะผ่านเว็บไซต์ของหน่วยงาน",
    "มาตรการป้องกันผลประโยชน์ทับซ้อน",
];

/// One measure of a year: planned over the whole fiscal year.
pub struct MeasurePlan {
    pub title: &'static str,
    pub status: &'static str,
    pub progress: i64,
}

/// The year's measures: most done, some still in progress or planned after the year ended (late),
/// now and then one cancelled.
pub fn measures(number: u32, year: i64) -> Vec<MeasurePlan> {
    MEASURE_TITLES
        .iter()
        .enumerate()
        .map(|(k, &title)| {
            let (status, progress) = match mix(u64::from(number), (year * 8 + k as i64) as u64 + 7) % 10 {
                0 => ("cancelled", 0),
                1 | 2 => ("in_progress", 60),
                3 => ("planned", 0),
                _ => ("done", 100),
            };
            MeasurePlan { title, status, progress }
        })
        .collect()
}

/// Whether the organization published the year's measures report (about three years in four).
pub fn publishes(number: u32, year: i64) -> bool {
    !mix(u64::from(number), year as u64 + 99).is_multiple_of(4)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn a_thousand_organizations_spread_over_all_77_provinces_one_with_150() {
        let mut sizes: HashMap<&str, usize> = HashMap::new();
        for n in 1..=1000 {
            *sizes.entry(province(n)).or_default() += 1;
        }
        assert_eq!(sizes.len(), 77);
        assert_eq!(sizes["เชียงใหม่"], 150);
        assert_eq!(sizes["ลำปาง"], 60);
        assert_eq!(sizes["แม่ฮ่องสอน"], 8);
        assert!(sizes.values().all(|&n| n >= 8));
    }

    #[test]
    fn results_are_within_range_and_graded_by_their_total() {
        for n in 1..=200 {
            for year in YEARS {
                let r = result(n, year);
                assert!(r.indicators.iter().all(|s| (0..=10_000).contains(s)));
                assert!((0..=10_000).contains(&r.total));
                assert_eq!(r.grade, grade(r.total));
            }
        }
        assert_eq!(grade(8500), "A");
        assert_eq!(grade(8499), "B");
    }

    #[test]
    fn measures_come_in_every_status() {
        let statuses: std::collections::HashSet<&str> =
            (1..=50).flat_map(|n| measures(n, 2566)).map(|m| m.status).collect();
        assert_eq!(statuses.len(), 4, "{statuses:?}");
    }
}
