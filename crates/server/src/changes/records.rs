//! Reading and writing configuration records of any kind, from the kind's field list: each field's
//! column type follows from its rule, and rows a kind keeps in a child table (a route group's
//! members) are read and written with the record. The SQL is built only from the static names of
//! a [`KindSpec`]; values are always bound.

use didtron_core::scope::{Assignment, Scope};
use didtron_core::{Error, Result, id::new_id};
use didtron_db::{Bind, Flag, ListQuery};
use serde_json::{Map, Value};
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use super::fields::{Rows, Rule};
use super::kinds::{ColType, KindSpec};
use crate::http::PageQuery;

pub type Fields = Map<String, Value>;

const META: [&str; 6] = ["id", "version", "created_at", "created_by", "updated_at", "updated_by"];

/// The kind's fields kept in its own table, with their column types.
fn columns(spec: &KindSpec) -> impl Iterator<Item = (&'static str, ColType)> + '_ {
    spec.fields.iter().filter_map(|f| f.column_type().map(|t| (f.name, t)))
}

/// The kind's rows kept in child tables: (field name, rows, table).
fn child_tables(spec: &KindSpec) -> impl Iterator<Item = (&'static str, &'static Rows, &'static str)> + '_ {
    spec.fields.iter().filter_map(|f| match f.rule {
        Rule::Rows(rows) => rows.table.map(|t| (f.name, rows, t)),
        _ => None,
    })
}

fn select_list(spec: &KindSpec) -> String {
    META.iter().copied().chain(columns(spec).map(|(name, _)| name)).collect::<Vec<_>>().join(", ")
}

fn has_column(spec: &KindSpec, column: &str) -> bool {
    columns(spec).any(|(name, _)| name == column)
}

fn decode_column(row: &AnyRow, name: &str, ty: ColType) -> Result<Value> {
    Ok(match ty {
        ColType::Text | ColType::OptText => row.try_get::<Option<String>, _>(name).map_err(Error::internal)?.map(Value::String).unwrap_or(Value::Null),
        ColType::Int | ColType::OptInt => row.try_get::<Option<i64>, _>(name).map_err(Error::internal)?.map(Value::from).unwrap_or(Value::Null),
        ColType::Flag => Value::Bool(row.try_get::<Option<Flag>, _>(name).map_err(Error::internal)?.unwrap_or_default().0),
        ColType::Json => match row.try_get::<Option<String>, _>(name).map_err(Error::internal)? {
            Some(s) => serde_json::from_str(&s).map_err(Error::internal)?,
            None => Value::Null,
        },
    })
}

fn decode(spec: &KindSpec, row: &AnyRow) -> Result<Fields> {
    let mut map = Map::new();
    for name in META {
        let value = if name == "version" {
            Value::from(row.try_get::<i64, _>(name).map_err(Error::internal)?)
        } else {
            row.try_get::<Option<String>, _>(name).map_err(Error::internal)?.map(Value::String).unwrap_or(Value::Null)
        };
        map.insert(name.into(), value);
    }
    for (name, ty) in columns(spec) {
        map.insert(name.into(), decode_column(row, name, ty)?);
    }
    Ok(map)
}

/// A child table's column list, quoted (a row's field may be named like a keyword: `order`).
fn row_columns(rows: &Rows) -> Vec<String> {
    rows.fields.iter().map(|f| format!("\"{}\"", f.name)).collect()
}

/// Fills in the rows kept in child tables of `records` (decoded parents, by id), in their order.
async fn attach_rows<'c, E>(conn: E, spec: &KindSpec, records: &mut [Fields]) -> Result<()>
where
    E: sqlx::Executor<'c, Database = sqlx::Any> + Copy,
{
    for (name, rows, table) in child_tables(spec) {
        for chunk in records.chunks_mut(500) {
            let ids: Vec<String> = chunk.iter().filter_map(|r| r.get("id").and_then(Value::as_str).map(str::to_string)).collect();
            let params: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT record_id, {} FROM {table} WHERE record_id IN ({}) ORDER BY record_id, position",
                row_columns(rows).join(", "),
                if params.is_empty() { "NULL".to_string() } else { params.join(", ") }
            );
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for id in &ids {
                query = query.bind(id.clone());
            }
            let found = query.fetch_all(conn).await.map_err(Error::internal)?;
            let mut by_record: std::collections::HashMap<String, Vec<Value>> = Default::default();
            for row in &found {
                let record: String = row.try_get("record_id").map_err(Error::internal)?;
                let mut cells = Map::new();
                for f in rows.fields {
                    let ty = f.column_type().ok_or_else(|| Error::internal("rows inside rows"))?;
                    cells.insert(f.name.into(), decode_column(row, f.name, ty)?);
                }
                by_record.entry(record).or_default().push(Value::Object(cells));
            }
            for record in chunk.iter_mut() {
                let id = record.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
                record.insert(name.into(), Value::Array(by_record.remove(&id).unwrap_or_default()));
            }
        }
    }
    Ok(())
}

pub async fn load<'c, E>(conn: E, spec: &KindSpec, id: &str) -> Result<Option<Fields>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any> + Copy,
{
    let sql = format!("SELECT {} FROM {} WHERE id = $1", select_list(spec), spec.table);
    let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(conn).await.map_err(Error::internal)?;
    let Some(row) = row else { return Ok(None) };
    let mut records = [decode(spec, &row)?];
    attach_rows(conn, spec, &mut records).await?;
    let [record] = records;
    Ok(Some(record))
}

/// Whether a record of the kind with this id exists.
pub async fn exists(db: &didtron_db::Db, spec: &KindSpec, id: &str) -> Result<bool> {
    let found: Option<(String,)> = sqlx::query_as(AssertSqlSafe(format!("SELECT id FROM {} WHERE id = $1", spec.table)))
        .bind(id)
        .fetch_optional(db.pool())
        .await
        .map_err(didtron_db::Error::from)?;
    Ok(found.is_some())
}

/// Every record of a kind in its list order, optionally only those whose `column` equals `value`
/// (for work over the whole set, such as routing and reconciliation, where a page would cut it short).
pub async fn all(db: &didtron_db::Db, spec: &KindSpec, filter: Option<(&str, &str)>) -> Result<Vec<Fields>> {
    let (where_, value) = match filter {
        Some((column, value)) if has_column(spec, column) => (format!("WHERE {column} = $1"), value),
        Some((column, _)) => return Err(Error::internal(format!("{} has no column {column}", spec.table))),
        None => ("WHERE $1 = $1".to_string(), ""),
    };
    let sql = format!("SELECT {} FROM {} {where_} ORDER BY {}", select_list(spec), spec.table, spec.order_by);
    let rows = sqlx::query(AssertSqlSafe(sql)).bind(value).fetch_all(db.pool()).await.map_err(Error::internal)?;
    let mut records = rows.iter().map(|r| decode(spec, r)).collect::<Result<Vec<_>>>()?;
    attach_rows(db.pool(), spec, &mut records).await?;
    Ok(records)
}

/// A page of records, optionally searched and filtered on one column. The filter's value is
/// bound with its column's type (PostgreSQL will not compare a number column with text); an
/// unknown column or a value of the wrong type is refused.
pub async fn list(db: &didtron_db::Db, spec: &KindSpec, q: Option<&str>, filter: Option<(&str, &str)>, page: PageQuery) -> Result<(Vec<Fields>, i64)> {
    let mut query = ListQuery::new(&select_list(spec), &format!("FROM {}", spec.table)).search(spec.search, q).order_by(spec.order_by);
    if let Some((column, value)) = filter {
        let (_, ty) = columns(spec).find(|(name, _)| *name == column).ok_or_else(|| Error::invalid("filter", format!("“{column}” is not a field of this record")))?;
        let value = match ty {
            ColType::Int | ColType::OptInt => Bind::Int(value.trim().parse().map_err(|_| Error::invalid("filter", format!("{column} must be a whole number")))?),
            ColType::Flag => Bind::Int(match value.trim() {
                "1" | "true" => 1,
                "0" | "false" => 0,
                _ => return Err(Error::invalid("filter", format!("{column} must be true or false"))),
            }),
            _ => Bind::Text(value.to_string()),
        };
        query = query.filter(&format!("{column} = ?"), [value]);
    }
    let (rows, total) = didtron_db::paged_rows(db, &query, page.limit(), page.offset()).await?;
    let mut records = rows.iter().map(|r| decode(spec, r)).collect::<Result<Vec<_>>>()?;
    attach_rows(db.pool(), spec, &mut records).await?;
    Ok((records, total))
}

fn bind_value<'q>(query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>, ty: ColType, v: &Value) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    match ty {
        ColType::Text => query.bind(v.as_str().unwrap_or("").to_string()),
        ColType::OptText => query.bind(v.as_str().map(str::to_string)),
        ColType::Int => query.bind(v.as_i64().unwrap_or(0)),
        ColType::OptInt => query.bind(v.as_i64()),
        ColType::Flag => query.bind(Flag(v.as_bool().unwrap_or(false))),
        ColType::Json => query.bind(if v.is_null() { None } else { Some(v.to_string()) }),
    }
}

fn bind_columns<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    spec: &KindSpec,
    fields: &Fields,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    for (name, ty) in columns(spec) {
        query = bind_value(query, ty, fields.get(name).unwrap_or(&Value::Null));
    }
    query
}

/// Writes the record's rows kept in child tables: the stored ones are replaced whole.
async fn replace_rows(tx: &mut sqlx::Transaction<'_, sqlx::Any>, spec: &KindSpec, id: &str, fields: Option<&Fields>) -> Result<()> {
    for (name, rows, table) in child_tables(spec) {
        sqlx::query(AssertSqlSafe(format!("DELETE FROM {table} WHERE record_id = $1"))).bind(id).execute(&mut **tx).await.map_err(Error::internal)?;
        let Some(fields) = fields else { continue };
        let columns = row_columns(rows);
        let params: Vec<String> = (3..columns.len() + 3).map(|i| format!("${i}")).collect();
        let sql = format!("INSERT INTO {table} (record_id, position, {}) VALUES ($1, $2, {})", columns.join(", "), params.join(", "));
        let items = fields.get(name).and_then(Value::as_array).cloned().unwrap_or_default();
        for (position, item) in items.iter().enumerate() {
            let mut query = sqlx::query(AssertSqlSafe(sql.clone())).bind(id).bind(position as i64);
            for f in rows.fields {
                let ty = f.column_type().ok_or_else(|| Error::internal("rows inside rows"))?;
                query = bind_value(query, ty, item.get(f.name).unwrap_or(&Value::Null));
            }
            query.execute(&mut **tx).await.map_err(written_error)?;
        }
    }
    Ok(())
}

/// A write the database refused: a value another record uses, or a record that vanished meanwhile.
fn written_error(e: sqlx::Error) -> Error {
    match e {
        sqlx::Error::Database(d) if d.is_unique_violation() => Error::Conflict("another record already uses one of these values".into()),
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => Error::Conflict("a record this one refers to was deleted meanwhile; reload and try again".into()),
        other => Error::internal(other),
    }
}

pub async fn insert(tx: &mut sqlx::Transaction<'_, sqlx::Any>, spec: &KindSpec, id: &str, fields: &Fields, version: i64, actor: &str, now: &str) -> Result<()> {
    let names: Vec<&str> = columns(spec).map(|(name, _)| name).collect();
    let n = names.len();
    let params: Vec<String> = (1..=n).map(|i| format!("${i}")).collect();
    let sql = format!(
        "INSERT INTO {} ({}, id, version, created_at, created_by, updated_at, updated_by) VALUES ({}, ${}, ${}, ${}, ${}, ${}, ${})",
        spec.table,
        names.join(", "),
        params.join(", "),
        n + 1,
        n + 2,
        n + 3,
        n + 4,
        n + 3,
        n + 4
    );
    let query = bind_columns(sqlx::query(AssertSqlSafe(sql)), spec, fields);
    query.bind(id).bind(version).bind(now).bind(actor).execute(&mut **tx).await.map_err(written_error)?;
    replace_rows(tx, spec, id, Some(fields)).await
}

/// The message of a write that lost a race with another write of the same record.
fn changed_meanwhile(spec: &KindSpec) -> Error {
    Error::Conflict(format!("this {} was changed by someone else meanwhile; reload and try again", spec.label.to_lowercase()))
}

/// Writes the record as `version`, only if it is still at `expected` (the version the change was
/// planned against). The condition is in the UPDATE itself, so of several parallel writes made
/// against one version exactly one lands and the others get a conflict — a read-then-write would
/// let two land.
#[allow(clippy::too_many_arguments)]
pub async fn update(tx: &mut sqlx::Transaction<'_, sqlx::Any>, spec: &KindSpec, id: &str, fields: &Fields, expected: i64, version: i64, actor: &str, now: &str) -> Result<()> {
    let sets: Vec<String> = columns(spec).enumerate().map(|(i, (name, _))| format!("{name} = ${}", i + 1)).collect();
    let n = sets.len();
    let sql = format!(
        "UPDATE {} SET {}, version = ${}, updated_at = ${}, updated_by = ${} WHERE id = ${} AND version = ${}",
        spec.table,
        sets.join(", "),
        n + 1,
        n + 2,
        n + 3,
        n + 4,
        n + 5
    );
    let query = bind_columns(sqlx::query(AssertSqlSafe(sql)), spec, fields);
    let done = query.bind(version).bind(now).bind(actor).bind(id).bind(expected).execute(&mut **tx).await.map_err(written_error)?;
    if done.rows_affected() != 1 {
        return Err(changed_meanwhile(spec));
    }
    replace_rows(tx, spec, id, Some(fields)).await
}

/// Deletes the record, only if it is still at `expected`.
pub async fn delete(tx: &mut sqlx::Transaction<'_, sqlx::Any>, spec: &KindSpec, id: &str, expected: i64) -> Result<()> {
    replace_rows(tx, spec, id, None).await?;
    let done = sqlx::query(AssertSqlSafe(format!("DELETE FROM {} WHERE id = $1 AND version = $2", spec.table)))
        .bind(id)
        .bind(expected)
        .execute(&mut **tx)
        .await
        .map_err(|e| match e {
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => Error::Conflict("other records still refer to this one".into()),
            other => Error::internal(other),
        })?;
    if done.rows_affected() != 1 {
        return Err(changed_meanwhile(spec));
    }
    Ok(())
}

pub async fn delete_assignments(tx: &mut sqlx::Transaction<'_, sqlx::Any>, kind: &str, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM assignments WHERE record_kind = $1 AND record_id = $2").bind(kind).bind(id).execute(&mut **tx).await.map_err(Error::internal)?;
    Ok(())
}

pub async fn assignments_of<'c, E>(conn: E, kind: &str, id: &str) -> Result<Vec<Assignment>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let rows: Vec<(String, Option<String>, Flag)> =
        sqlx::query_as("SELECT scope_kind, scope_id, exclude FROM assignments WHERE record_kind = $1 AND record_id = $2 ORDER BY created_at, id")
            .bind(kind)
            .bind(id)
            .fetch_all(conn)
            .await
            .map_err(Error::internal)?;
    Ok(rows
        .into_iter()
        .filter_map(|(k, id, exclude)| Scope::from_parts(&k, id).map(|scope| Assignment { scope, exclude: exclude.0 }))
        .collect())
}

pub async fn replace_assignments(tx: &mut sqlx::Transaction<'_, sqlx::Any>, kind: &str, id: &str, list: &[Assignment], actor: &str, now: &str) -> Result<()> {
    sqlx::query("DELETE FROM assignments WHERE record_kind = $1 AND record_id = $2")
        .bind(kind)
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(Error::internal)?;
    for a in list {
        sqlx::query(
            "INSERT INTO assignments (id, record_kind, record_id, scope_kind, scope_id, exclude, created_at, created_by, updated_at, updated_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8)",
        )
        .bind(new_id())
        .bind(kind)
        .bind(id)
        .bind(a.scope.kind())
        .bind(a.scope.id())
        .bind(Flag(a.exclude))
        .bind(now)
        .bind(actor)
        .execute(&mut **tx)
        .await
        .map_err(Error::internal)?;
    }
    Ok(())
}
