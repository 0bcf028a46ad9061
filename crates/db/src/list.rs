//! One paged list: the rows of a page and the count of all matching rows, from one description of
//! the query. Filters are added with their values bound (never formatted into the SQL), and the
//! placeholders are numbered here, so callers write each condition with `?`.

use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, FromRow};

use crate::{Db, Result};

/// A value bound to a filter.
#[derive(Debug, Clone)]
pub enum Bind {
    Text(String),
    Int(i64),
}

impl From<&str> for Bind {
    fn from(s: &str) -> Bind {
        Bind::Text(s.to_string())
    }
}

impl From<String> for Bind {
    fn from(s: String) -> Bind {
        Bind::Text(s)
    }
}

impl From<&String> for Bind {
    fn from(s: &String) -> Bind {
        Bind::Text(s.clone())
    }
}

impl From<i64> for Bind {
    fn from(n: i64) -> Bind {
        Bind::Int(n)
    }
}

/// `SELECT {columns} {from} WHERE … ORDER BY {order} LIMIT … OFFSET …`, and its `COUNT(*)`.
#[derive(Debug, Clone)]
pub struct ListQuery {
    columns: String,
    from: String,
    conditions: Vec<String>,
    binds: Vec<Bind>,
    order: String,
}

impl ListQuery {
    /// `columns` as in a SELECT list; `from` is the FROM clause with its joins (`FROM jobs j …`).
    /// Both are the caller's own constant SQL, never input.
    pub fn new(columns: &str, from: &str) -> ListQuery {
        ListQuery { columns: columns.into(), from: from.into(), conditions: Vec::new(), binds: Vec::new(), order: String::new() }
    }

    /// Adds a condition whose `?` marks take `values` in order (`"status = ?"`, `"a = ? OR b = ?"`).
    pub fn filter(mut self, condition: &str, values: impl IntoIterator<Item = Bind>) -> ListQuery {
        let mut sql = String::with_capacity(condition.len() + 4);
        for (i, part) in condition.split('?').enumerate() {
            if i > 0 {
                self.binds.push(Bind::Int(0)); // placeholder slot, replaced below
                sql.push('$');
                sql.push_str(&self.binds.len().to_string());
            }
            sql.push_str(part);
        }
        let slots = condition.matches('?').count();
        let start = self.binds.len() - slots;
        let mut given = values.into_iter();
        for slot in &mut self.binds[start..] {
            *slot = given.next().unwrap_or(Bind::Text(String::new()));
        }
        self.conditions.push(format!("({sql})"));
        self
    }

    /// [`ListQuery::filter`] with one value, when there is one.
    pub fn filter_opt<V: Into<Bind>>(self, condition: &str, value: Option<V>) -> ListQuery {
        match value {
            Some(v) => self.filter(condition, [v.into()]),
            None => self,
        }
    }

    /// A case-insensitive "contains" search over `columns`, when `q` is given and not blank.
    pub fn search(self, columns: &[&str], q: Option<&str>) -> ListQuery {
        let Some(q) = q.map(str::trim).filter(|q| !q.is_empty() && !columns.is_empty()) else { return self };
        let pattern = format!("%{}%", q.to_lowercase());
        let condition = columns.iter().map(|c| format!("LOWER({c}) LIKE ?")).collect::<Vec<_>>().join(" OR ");
        let values = columns.iter().map(|_| Bind::Text(pattern.clone())).collect::<Vec<_>>();
        self.filter(&condition, values)
    }

    /// The ORDER BY list (the caller's own constant SQL). Include a unique column last so pages
    /// never overlap.
    pub fn order_by(mut self, order: &str) -> ListQuery {
        self.order = order.into();
        self
    }

    fn where_clause(&self) -> String {
        if self.conditions.is_empty() { String::new() } else { format!(" WHERE {}", self.conditions.join(" AND ")) }
    }
}

fn bind_all<'q, O>(mut q: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments>, binds: &[Bind]) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments> {
    for b in binds {
        q = match b {
            Bind::Text(s) => q.bind(s.clone()),
            Bind::Int(n) => q.bind(*n),
        };
    }
    q
}

/// One page of `query`: the rows from `offset` (at most `limit`) and the number of all matching rows.
pub async fn paged<T>(db: &Db, query: &ListQuery, limit: i64, offset: i64) -> Result<(Vec<T>, i64)>
where
    T: for<'r> FromRow<'r, AnyRow> + Send + Unpin,
{
    let (rows, total) = paged_rows(db, query, limit, offset).await?;
    let items = rows.iter().map(T::from_row).collect::<std::result::Result<Vec<T>, sqlx::Error>>()?;
    Ok((items, total))
}

/// [`paged`] for callers that decode rows themselves (records whose columns come from a spec).
pub async fn paged_rows(db: &Db, query: &ListQuery, limit: i64, offset: i64) -> Result<(Vec<AnyRow>, i64)> {
    let where_clause = query.where_clause();
    let count_sql = format!("SELECT COUNT(*) {}{where_clause}", query.from);
    let (total,): (i64,) = bind_all(sqlx::query_as(AssertSqlSafe(count_sql)), &query.binds).fetch_one(db.pool()).await?;
    let n = query.binds.len();
    let order = if query.order.is_empty() { String::new() } else { format!(" ORDER BY {}", query.order) };
    let sql = format!("SELECT {} {}{where_clause}{order} LIMIT ${} OFFSET ${}", query.columns, query.from, n + 1, n + 2);
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for b in &query.binds {
        q = match b {
            Bind::Text(s) => q.bind(s.clone()),
            Bind::Int(n) => q.bind(*n),
        };
    }
    let rows = q.bind(limit).bind(offset).fetch_all(db.pool()).await?;
    Ok((rows, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_number_their_placeholders_in_order() {
        let q = ListQuery::new("id", "FROM t").filter("a = ?", [Bind::from("x")]).filter("b = ? OR c = ?", [Bind::from(1), Bind::from(2)]);
        assert_eq!(q.where_clause(), " WHERE (a = $1) AND (b = $2 OR c = $3)");
        assert_eq!(q.binds.len(), 3);
    }

    #[test]
    fn blank_searches_add_nothing() {
        let q = ListQuery::new("id", "FROM t").search(&["name"], Some("  "));
        assert_eq!(q.where_clause(), "");
        assert_eq!(ListQuery::new("id", "FROM t").search(&[], Some("x")).where_clause(), "");
        let q = ListQuery::new("id", "FROM t").search(&["name", "code"], Some("Ab"));
        assert_eq!(q.where_clause(), " WHERE (LOWER(name) LIKE $1 OR LOWER(code) LIKE $2)");
        assert!(matches!(&q.binds[0], Bind::Text(s) if s == "%ab%"));
    }
}
