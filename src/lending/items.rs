//! The inventory: items with their asset numbers, and the CSV import of a whole register.

use serde::Serialize;
use sqlx::{AssertSqlSafe, Row};

use super::ItemId;
use super::rules::ItemClass;
use crate::db::{Db, Tx, is_unique_violation, now};
use crate::http::paging::PageRequest;
use crate::orgs::OrgId;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Item {
    pub id: ItemId,
    pub asset_number: String,
    pub name: String,
    pub category: String,
    pub class: ItemClass,
    pub location: String,
    pub division_id: Option<i64>,
    pub condition: String,
    pub lendable: bool,
    pub has_photo: bool,
    /// Units on hand in the register (after write-offs).
    pub quantity: i64,
    /// How units are counted, e.g. ตัว, ชุด, ถุง.
    pub count_unit: String,
    /// Units kept for the office's own needs, never lent (ข้อ 210 for consumables).
    pub reserve: i64,
}

/// What a clerk (or a CSV row) gives for an item.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemInput {
    pub asset_number: String,
    pub name: String,
    pub category: String,
    pub class: ItemClass,
    pub location: String,
    pub division_id: Option<i64>,
    pub condition: String,
    pub lendable: bool,
    /// Units under this asset record (e.g. 50 folding chairs); at least 1.
    pub quantity: i64,
    /// How units are counted; empty = ชิ้น.
    pub count_unit: String,
    /// Units kept for the office's own needs; fewer than `quantity`.
    pub reserve: i64,
}

/// Checks the units of a new item: at least one, and a reserve that leaves some to lend.
pub fn check_units(quantity: i64, reserve: i64) -> Result<(), ItemProblem> {
    if quantity < 1 {
        return Err(ItemProblem {
            line: None, field: "จำนวน", message: "จำนวนต้องไม่น้อยกว่า ๑".into()
        });
    }
    if reserve < 0 || reserve >= quantity {
        return Err(ItemProblem {
            line: None,
            field: "เก็บไว้ใช้เอง",
            message: "จำนวนที่เก็บไว้ใช้ในราชการต้องไม่ติดลบ และน้อยกว่าจำนวนทั้งหมด (มิฉะนั้นไม่มีให้ยืม)".into(),
        });
    }
    Ok(())
}

/// The unit word of an input: ชิ้น when none was given.
pub fn count_unit_or_default(unit: &str) -> &str {
    match unit.trim() {
        "" => "ชิ้น",
        u => u,
    }
}

/// A problem with one field of one input, in Thai; `line` is set for CSV rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemProblem {
    pub line: Option<usize>,
    pub field: &'static str,
    pub message: String,
}

impl std::fmt::Display for ItemProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "บรรทัดที่ {l} คอลัมน์ {}: {}", self.field, self.message),
            None => write!(f, "{}: {}", self.field, self.message),
        }
    }
}

/// Asset numbers are the office's own format (e.g. 416-66-0001 or 7440-001-0001/2566): see
/// [`super::asset_number::check`].
pub fn check_asset_number(s: &str) -> Result<(), String> {
    super::asset_number::check(s)
}

fn from_row(r: &sqlx::any::AnyRow) -> Result<Item, sqlx::Error> {
    let class: String = r.try_get("class")?;
    let id: i64 = r.try_get("id")?;
    Ok(Item {
        id: ItemId(id),
        asset_number: r.try_get("asset_number")?,
        name: r.try_get("name")?,
        category: r.try_get("category")?,
        class: crate::db::code::decode("items", "class", id, &class)?,
        location: r.try_get("location")?,
        division_id: r.try_get("division_id")?,
        condition: r.try_get("condition")?,
        lendable: r.try_get::<i64, _>("lendable")? != 0,
        has_photo: r.try_get::<i64, _>("has_photo")? != 0,
        quantity: r.try_get("quantity")?,
        count_unit: r.try_get("count_unit")?,
        reserve: r.try_get("reserve")?,
    })
}

const COLUMNS: &str = "id, asset_number, name, category, class, location, division_id, condition, lendable, \
                       quantity, count_unit, reserve, CASE WHEN photo IS NULL THEN 0 ELSE 1 END AS has_photo";

/// The organization's items by asset number (sorted here: the database's collation may differ
/// between engines). The QR label sheet keeps this order.
pub async fn list(db: &Db, org: OrgId) -> Result<Vec<Item>, sqlx::Error> {
    let rows = sqlx::query(AssertSqlSafe(format!("SELECT {COLUMNS} FROM items WHERE org_id = $1 ORDER BY id")))
        .bind(org.0)
        .fetch_all(&db.pool)
        .await?;
    let mut items = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    crate::thai::collate::sort_by_code(&mut items, |i| &i.asset_number);
    Ok(items)
}

/// One page of the organization's register, by asset number, with how many items match in all.
/// The search matches the name anywhere or the asset number in either digits. Asset number keys
/// are compared byte by byte on both engines (PostgreSQL: the column's collation is "C",
/// migration 0017), which is the code order of [`list`].
pub async fn page(db: &Db, org: OrgId, request: &PageRequest) -> Result<(Vec<Item>, i64), sqlx::Error> {
    const MATCHES: &str =
        "org_id = $1 AND ($2 = '' OR name LIKE $3 ESCAPE '\\' OR asset_number_key LIKE $4 ESCAPE '\\')";
    let name = request.like_pattern();
    let number = PageRequest { search: super::asset_number::key(&request.search), ..request.clone() }.like_pattern();
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM items WHERE {MATCHES} ORDER BY asset_number_key LIMIT $5 OFFSET $6"
    )))
    .bind(org.0)
    .bind(&request.search)
    .bind(&name)
    .bind(&number)
    .bind(request.limit())
    .bind(request.offset())
    .fetch_all(&db.pool)
    .await?;
    let items = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    let (total,): (i64,) = sqlx::query_as(AssertSqlSafe(format!("SELECT COUNT(*) FROM items WHERE {MATCHES}")))
        .bind(org.0)
        .bind(&request.search)
        .bind(&name)
        .bind(&number)
        .fetch_one(&db.pool)
        .await?;
    Ok((items, total))
}

pub async fn find(db: &Db, org: OrgId, id: ItemId) -> Result<Option<Item>, sqlx::Error> {
    let row = sqlx::query(AssertSqlSafe(format!("SELECT {COLUMNS} FROM items WHERE id = $1 AND org_id = $2")))
        .bind(id.0)
        .bind(org.0)
        .fetch_optional(&db.pool)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The item with this asset number in either spelling (Thai or Arabic digits, full-width forms).
pub async fn find_by_asset_number(db: &Db, org: OrgId, asset_number: &str) -> Result<Option<Item>, sqlx::Error> {
    let row =
        sqlx::query(AssertSqlSafe(format!("SELECT {COLUMNS} FROM items WHERE asset_number_key = $1 AND org_id = $2")))
            .bind(super::asset_number::key(asset_number))
            .bind(org.0)
            .fetch_optional(&db.pool)
            .await?;
    row.as_ref().map(from_row).transpose()
}

/// Inserts one item inside the caller's transaction; a taken asset number is a field problem.
pub async fn insert_in(
    tx: &mut Tx,
    org: OrgId,
    input: &ItemInput,
    actor: &str,
) -> anyhow::Result<Result<ItemId, ItemProblem>> {
    let asset_number = super::asset_number::tidy(&input.asset_number);
    if let Err(message) = check_asset_number(&asset_number) {
        return Ok(Err(ItemProblem { line: None, field: "asset_number", message }));
    }
    if input.name.trim().is_empty() {
        return Ok(Err(ItemProblem {
            line: None, field: "name", message: "กรุณากรอกชื่อพัสดุ".into()
        }));
    }
    if let Err(problem) = check_units(input.quantity, input.reserve) {
        return Ok(Err(problem));
    }
    let at = now();
    // A savepoint keeps a duplicate from poisoning the whole transaction on PostgreSQL.
    sqlx::query("SAVEPOINT item_insert").execute(&mut **tx).await?;
    let inserted = sqlx::query(
        "INSERT INTO items (org_id, asset_number, name, category, class, location, division_id, condition, lendable,
            quantity, count_unit, reserve, created_at, updated_at, asset_number_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14) RETURNING id",
    )
    .bind(org.0)
    .bind(&asset_number)
    .bind(input.name.trim())
    .bind(input.category.trim())
    .bind(input.class.code())
    .bind(input.location.trim())
    .bind(input.division_id)
    .bind(input.condition.trim())
    .bind(input.lendable as i64)
    .bind(input.quantity)
    .bind(count_unit_or_default(&input.count_unit))
    .bind(input.reserve)
    .bind(at)
    .bind(super::asset_number::key(&asset_number))
    .fetch_one(&mut **tx)
    .await;
    let id = match inserted {
        Ok(row) => ItemId(row.try_get(0)?),
        Err(e) if is_unique_violation(&e) => {
            sqlx::query("ROLLBACK TO SAVEPOINT item_insert").execute(&mut **tx).await?;
            return Ok(Err(ItemProblem {
                line: None,
                field: "asset_number",
                message: taken_message(tx, org, &asset_number).await?,
            }));
        }
        Err(e) => return Err(e.into()),
    };
    sqlx::query("RELEASE SAVEPOINT item_insert").execute(&mut **tx).await?;
    let after = serde_json::json!({
        "asset_number": asset_number, "name": input.name, "category": input.category,
        "class": input.class.code(), "location": input.location, "division_id": input.division_id,
        "condition": input.condition, "lendable": input.lendable,
        "quantity": input.quantity, "count_unit": count_unit_or_default(&input.count_unit), "reserve": input.reserve,
    });
    crate::audit::record(tx, org, actor, "create", "item", &id.0.to_string(), None, Some(&after)).await?;
    Ok(Ok(id))
}

/// Why an asset number is taken: the number as registered, which may be spelled in the other
/// digit system.
async fn taken_message(tx: &mut Tx, org: OrgId, asset_number: &str) -> anyhow::Result<String> {
    let existing: Option<String> =
        sqlx::query_scalar("SELECT asset_number FROM items WHERE org_id = $1 AND asset_number_key = $2")
            .bind(org.0)
            .bind(super::asset_number::key(asset_number))
            .fetch_optional(&mut **tx)
            .await?;
    Ok(match existing {
        Some(existing) if existing != asset_number => {
            format!("มีเลขครุภัณฑ์ “{asset_number}” อยู่แล้ว (ลงทะเบียนไว้เป็น “{existing}” ซึ่งเป็นเลขเดียวกัน)")
        }
        _ => format!("มีเลขครุภัณฑ์ “{asset_number}” อยู่แล้ว"),
    })
}

pub async fn create(
    db: &Db,
    org: OrgId,
    input: &ItemInput,
    actor: &str,
) -> anyhow::Result<Result<ItemId, ItemProblem>> {
    let mut tx = db.write(org).await?;
    let result = insert_in(&mut tx, org, input, actor).await?;
    if result.is_ok() {
        tx.commit().await?;
    }
    Ok(result)
}

/// The columns of the inventory CSV, in Thai as an office would type them (English accepted too).
pub const CSV_HEADERS: [(&str, &str); 10] = [
    ("เลขครุภัณฑ์", "asset_number"),
    ("ชื่อพัสดุ", "name"),
    ("ประเภท", "category"),
    ("ชนิด", "class"),
    ("สถานที่เก็บ", "location"),
    ("สภาพ", "condition"),
    ("ให้ยืมได้", "lendable"),
    ("จำนวน", "quantity"),
    ("หน่วยนับ", "count_unit"),
    ("เก็บไว้ใช้เอง", "reserve"),
];

/// Reads an inventory CSV into (line, item) pairs. Every bad row is reported with its line number;
/// nothing is returned unless all rows are good.
pub fn parse_csv(text: &str) -> Result<Vec<(usize, ItemInput)>, Vec<ItemProblem>> {
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(vec![ItemProblem {
                line: Some(1), field: "header", message: format!("อ่านหัวตารางไม่ได้: {e}")
            }]);
        }
    };
    let index_of =
        |thai: &str, english: &str| headers.iter().position(|h| h == thai || h.eq_ignore_ascii_case(english));
    let mut columns = Vec::new();
    let mut problems = Vec::new();
    for (thai, english) in CSV_HEADERS {
        let found = index_of(thai, english);
        if found.is_none() && matches!(english, "asset_number" | "name") {
            problems.push(ItemProblem {
                line: Some(1),
                field: thai_static(thai),
                message: format!("ไม่มีคอลัมน์ “{thai}”"),
            });
        }
        columns.push(found);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut items: Vec<(usize, ItemInput)> = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                problems.push(ItemProblem {
                    line: Some(line), field: "csv", message: format!("อ่านแถวไม่ได้: {e}")
                });
                continue;
            }
        };
        let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
        if record.iter().all(str::is_empty) {
            continue;
        }
        // The input rule on the cells we read: a control character or NUL byte refuses the row.
        let mut cells = vec![String::new(); CSV_HEADERS.len()];
        let mut refused = false;
        for (i, (thai, _)) in CSV_HEADERS.iter().enumerate() {
            let raw = columns[i].and_then(|c| record.get(c)).unwrap_or("");
            match crate::text::clean(raw, crate::text::Lines::One) {
                Ok(cell) => cells[i] = cell.into_owned(),
                Err(bad) => {
                    refused = true;
                    problems.push(ItemProblem {
                        line: Some(line),
                        field: thai,
                        message: format!("ตำแหน่งที่ {} {}", bad.column, bad.what_th()),
                    });
                }
            }
        }
        if refused {
            continue;
        }
        let get = |i: usize| cells[i].clone();
        let asset_number = get(0);
        if let Err(message) = check_asset_number(&asset_number) {
            problems.push(ItemProblem { line: Some(line), field: "เลขครุภัณฑ์", message });
        } else if items
            .iter()
            .any(|(_, i)| super::asset_number::key(&i.asset_number) == super::asset_number::key(&asset_number))
        {
            problems.push(ItemProblem {
                line: Some(line),
                field: "เลขครุภัณฑ์",
                message: format!("เลขครุภัณฑ์ “{asset_number}” ซ้ำในไฟล์"),
            });
        }
        let name = get(1);
        if name.is_empty() {
            problems.push(ItemProblem {
                line: Some(line), field: "ชื่อพัสดุ", message: "ต้องมีชื่อพัสดุ".into()
            });
        }
        let class = match get(3).as_str() {
            "" | "ครุภัณฑ์" | "คงรูป" | "ใช้คงรูป" | "durable" => {
                ItemClass::Durable
            }
            "วัสดุ" | "สิ้นเปลือง" | "ใช้สิ้นเปลือง" | "consumable" => {
                ItemClass::Consumable
            }
            other => {
                problems.push(ItemProblem {
                    line: Some(line),
                    field: "ชนิด",
                    message: format!("ชนิด “{other}” ไม่รู้จัก: ใช้ “ครุภัณฑ์” หรือ “วัสดุสิ้นเปลือง”"),
                });
                ItemClass::Durable
            }
        };
        let lendable = match get(6).as_str() {
            "" | "ได้" | "ใช่" | "yes" | "1" | "true" => true,
            "ไม่ได้" | "ไม่" | "no" | "0" | "false" => false,
            other => {
                problems.push(ItemProblem {
                    line: Some(line),
                    field: "ให้ยืมได้",
                    message: format!("ค่า “{other}” ต้องเป็น “ได้” หรือ “ไม่ได้”"),
                });
                true
            }
        };
        let mut units = |i: usize, field: &'static str, empty: i64| match get(i).as_str() {
            "" => empty,
            raw => crate::thai::to_arabic_digits(raw).replace(',', "").parse::<i64>().unwrap_or_else(|_| {
                problems.push(ItemProblem {
                    line: Some(line), field, message: format!("“{raw}” ต้องเป็นจำนวนเต็ม")
                });
                empty
            }),
        };
        let (quantity, reserve) = (units(7, "จำนวน", 1), units(9, "เก็บไว้ใช้เอง", 0));
        if let Err(p) = check_units(quantity, reserve) {
            problems.push(ItemProblem { line: Some(line), ..p });
        }
        items.push((
            line,
            ItemInput {
                asset_number,
                name,
                category: get(2),
                class,
                location: get(4),
                division_id: None,
                condition: get(5),
                lendable,
                quantity,
                count_unit: get(8),
                reserve,
            },
        ));
    }
    if problems.is_empty() { Ok(items) } else { Err(problems) }
}

fn thai_static(thai: &str) -> &'static str {
    CSV_HEADERS.iter().find(|(t, _)| *t == thai).map(|(t, _)| *t).unwrap_or("header")
}

/// Imports a parsed CSV in one transaction: any duplicate with the register rolls back all.
pub async fn import(
    db: &Db,
    org: OrgId,
    inputs: &[(usize, ItemInput)],
    actor: &str,
) -> anyhow::Result<Result<usize, ItemProblem>> {
    let mut tx = db.write(org).await?;
    for (line, input) in inputs {
        if let Err(mut problem) = insert_in(&mut tx, org, input, actor).await? {
            problem.line = Some(*line);
            return Ok(Err(problem));
        }
    }
    tx.commit().await?;
    Ok(Ok(inputs.len()))
}

/// Stores an item's photo (PNG or JPEG, checked by content). Ok(false): not the org's item.
pub async fn set_photo(
    db: &Db,
    org: OrgId,
    id: ItemId,
    bytes: &[u8],
    actor: &str,
) -> anyhow::Result<Result<bool, String>> {
    // Judged by content alone: a phone's camera names its files as it likes.
    let image = crate::http::upload::IMAGE_TYPES.iter().find(|(_, _, magic)| bytes.starts_with(magic));
    let Some(&(_, content_type, magic)) = image else {
        return Ok(Err("รูปพัสดุต้องเป็นไฟล์ PNG หรือ JPEG".into()));
    };
    if !crate::http::upload::ends_whole(magic, bytes) {
        return Ok(Err("รูปพัสดุไม่ครบ ส่วนท้ายของไฟล์หายไป (อาจถ่ายโอนไม่เสร็จ) กรุณาส่งรูปใหม่".into()));
    }
    let mut tx = db.write(org).await?;
    let done =
        sqlx::query("UPDATE items SET photo = $1, photo_type = $2, updated_at = $3 WHERE id = $4 AND org_id = $5")
            .bind(bytes.to_vec())
            .bind(content_type)
            .bind(now())
            .bind(id.0)
            .bind(org.0)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
    if !done {
        return Ok(Ok(false));
    }
    let after =
        serde_json::json!({ "photo_sha256": crate::measures::evidence::sha256_hex(bytes), "size": bytes.len() });
    crate::audit::record(&mut tx, org, actor, "update", "item_photo", &id.0.to_string(), None, Some(&after)).await?;
    tx.commit().await?;
    Ok(Ok(true))
}

/// An item's photo and its content type.
pub async fn photo(db: &Db, org: OrgId, id: ItemId) -> Result<Option<(Vec<u8>, String)>, sqlx::Error> {
    let row = sqlx::query("SELECT photo, photo_type FROM items WHERE id = $1 AND org_id = $2 AND photo IS NOT NULL")
        .bind(id.0)
        .bind(org.0)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thai_inventory_csv_is_read_with_its_defaults() {
        let csv = "\u{feff}เลขครุภัณฑ์,ชื่อพัสดุ,ประเภท,ชนิด,สถานที่เก็บ,สภาพ,ให้ยืมได้\n416-66-0001,เครื่องฉายภาพ (โปรเจคเตอร์),ครุภัณฑ์สำนักงาน,ครุภัณฑ์,ห้องประชุม,ดี,ได้\n416-66-0002,\"เต็นท์ผ้าใบ, 4x8 เมตร\",,,,,\n";
        let items = parse_csv(csv).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[1].0, 3, "the line of the row in the file");
        assert_eq!(items[1].1.name, "เต็นท์ผ้าใบ, 4x8 เมตร");
        assert!(items[1].1.lendable);
        assert_eq!(items[1].1.class, ItemClass::Durable);
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line_number() {
        let csv = "asset_number,name,class\n416-1,โต๊ะ,durable\n,เก้าอี้,durable\n๔๑๖-๑,ตู้,durable\n416-3,พัดลม,ของเล่น\n";
        let problems = parse_csv(csv).unwrap_err();
        let lines: Vec<_> = problems.iter().map(|p| (p.line.unwrap(), p.field)).collect();
        assert_eq!(lines, [(3, "เลขครุภัณฑ์"), (4, "เลขครุภัณฑ์"), (5, "ชนิด")]);
        assert!(problems[1].to_string().contains("ซ้ำในไฟล์"));
    }

    #[test]
    fn a_csv_without_the_asset_number_column_is_refused_at_line_one() {
        let problems = parse_csv("ชื่อพัสดุ\nโต๊ะ\n").unwrap_err();
        assert_eq!(problems[0].line, Some(1));
        assert_eq!(problems[0].field, "เลขครุภัณฑ์");
    }

    #[test]
    fn asset_numbers_in_the_offices_own_format_are_accepted() {
        for ok in ["416-66-0001", "ABC-2566-001", "ครภ.๐๑-๖๖", "7440-001-0001/2566"] {
            assert!(check_asset_number(ok).is_ok(), "{ok}");
        }
        for bad in ["", " ", &"9".repeat(41)] {
            assert!(check_asset_number(bad).is_err(), "{bad}");
        }
    }
}
