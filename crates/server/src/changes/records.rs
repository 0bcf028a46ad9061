//! Reading and writing configuration records of any kind, from the kind's column list. The SQL is
//! built only from the static names of a [`KindSpec`]; values are always bound.

use didtron_core::scope::{Assignment, Scope};
use didtron_core::{Error, Result, id::new_id};
use didtron_db::{Bind, Flag, ListQuery};
use serde_json::{Map, Value};
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use super::kinds::{ColType, KindSpec};
use crate::http::PageQuery;

pub type Fields = Map<String, Value>;

const META: [&str; 6] = ["id", "version", "created_at", "created_by", "updated_at", "updated_by"];

fn select_list(spec: &KindSpec) -> String {
    META.iter().copied().chain(spec.columns.iter().map(|c| c.name)).collect::<Vec<_>>().join(", ")
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
    for c in spec.columns {
        let value = match c.ty {
            ColType::Text | ColType::OptText => row.try_get::<Option<String>, _>(c.name).map_err(Error::internal)?.map(Value::String).unwrap_or(Value::Null),
            ColType::Int | ColType::OptInt => row.try_get::<Option<i64>, _>(c.name).map_err(Error::internal)?.map(Value::from).unwrap_or(Value::Null),
            ColType::Flag => Value::Bool(row.try_get::<Option<Flag>, _>(c.name).map_err(Error::internal)?.unwrap_or_default().0),
            ColType::Json => match row.try_get::<Option<String>, _>(c.name).map_err(Error::internal)? {
                Some(s) => serde_json::from_str(&s).map_err(Error::internal)?,
                None => Value::Null,
            },
        };
        map.insert(c.name.into(), value);
    }
    Ok(map)
}

pub async fn load<'c, E>(conn: E, spec: &KindSpec, id: &str) -> Result<Option<Fields>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let sql = format!("SELECT {} FROM {} WHERE id = $1", select_list(spec), spec.table);
    let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(conn).await.map_err(Error::internal)?;
    row.map(|r| decode(spec, &r)).transpose()
}

/// Every record of a kind in its list order, optionally only those whose `column` equals `value`
/// (for work over the whole set, such as routing and reconciliation, where a page would cut it short).
pub async fn all(db: &didtron_db::Db, spec: &KindSpec, filter: Option<(&str, &str)>) -> Result<Vec<Fields>> {
    let (where_, value) = match filter {
        Some((column, value)) if spec.columns.iter().any(|c| c.name == column) => (format!("WHERE {column} = $1"), value),
        Some((column, _)) => return Err(Error::internal(format!("{} has no column {column}", spec.table))),
        None => ("WHERE $1 = $1".to_string(), ""),
    };
    let sql = format!("SELECT {} FROM {} {where_} ORDER BY {}", select_list(spec), spec.table, spec.order_by);
    let rows = sqlx::query(AssertSqlSafe(sql)).bind(value).fetch_all(db.pool()).await.map_err(Error::internal)?;
    rows.iter().map(|r| decode(spec, r)).collect()
}

/// A page of records, optionally searched and filtered on one column. The filter's value is
/// bound with its column's type (PostgreSQL will not compare a number column with text); an
/// unknown column or a value of the wrong type is refused.
pub async fn list(db: &didtron_db::Db, spec: &KindSpec, q: Option<&str>, filter: Option<(&str, &str)>, page: PageQuery) -> Result<(Vec<Fields>, i64)> {
    let mut query = ListQuery::new(&select_list(spec), &format!("FROM {}", spec.table)).search(spec.search, q).order_by(spec.order_by);
    if let Some((column, value)) = filter {
        let c = spec.columns.iter().find(|c| c.name == column).ok_or_else(|| Error::invalid("filter", format!("“{column}” is not a field of this record")))?;
        let value = match c.ty {
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
    Ok((rows.iter().map(|r| decode(spec, r)).collect::<Result<_>>()?, total))
}

fn bind_columns<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    spec: &KindSpec,
    fields: &Fields,
) -> Result<sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>> {
    for c in spec.columns {
        let v = fields.get(c.name).cloned().unwrap_or(Value::Null);
        query = match c.ty {
            ColType::Text => query.bind(v.as_str().unwrap_or("").to_string()),
            ColType::OptText => query.bind(v.as_str().map(str::to_string)),
            ColType::Int => query.bind(v.as_i64().unwrap_or(0)),
            ColType::OptInt => query.bind(v.as_i64()),
            ColType::Flag => query.bind(Flag(v.as_bool().unwrap_or(false))),
            ColType::Json => query.bind(if v.is_null() { None } else { Some(v.to_string()) }),
        };
    }
    Ok(query)
}

fn unique_violation(e: sqlx::Error) -> Error {
    match e {
        sqlx::Error::Database(d) if d.is_unique_violation() => Error::Conflict("another record already uses one of these values".into()),
        other => Error::internal(other),
    }
}

pub async fn insert(tx: &mut sqlx::Transaction<'_, sqlx::Any>, spec: &KindSpec, id: &str, fields: &Fields, version: i64, actor: &str, now: &str) -> Result<()> {
    let n = spec.columns.len();
    let names: Vec<&str> = spec.columns.iter().map(|c| c.name).collect();
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
    let query = bind_columns(sqlx::query(AssertSqlSafe(sql)), spec, fields)?;
    query.bind(id).bind(version).bind(now).bind(actor).execute(&mut **tx).await.map_err(unique_violation)?;
    Ok(())
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
    let n = spec.columns.len();
    let sets: Vec<String> = spec.columns.iter().enumerate().map(|(i, c)| format!("{} = ${}", c.name, i + 1)).collect();
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
    let query = bind_columns(sqlx::query(AssertSqlSafe(sql)), spec, fields)?;
    let done = query.bind(version).bind(now).bind(actor).bind(id).bind(expected).execute(&mut **tx).await.map_err(unique_violation)?;
    if done.rows_affected() != 1 {
        return Err(changed_meanwhile(spec));
    }
    Ok(())
}

/// Deletes the record, only if it is still at `expected`.
pub async fn delete(tx: &mut sqlx::Transaction<'_, sqlx::Any>, spec: &KindSpec, id: &str, expected: i64) -> Result<()> {
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
