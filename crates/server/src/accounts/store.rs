//! The accounts domain's SQL: customers (tenants of kind customer), their placement in categories
//! and groups, and the category dashboard's counts.

use didtron_db::{Db, Flag, ListQuery, Result};

use super::customers::Customer;
use crate::http::PageQuery;

const CUSTOMER_COLUMNS: &str = "t.id, t.name, t.status, t.category_id, c.name AS category_name, t.group_id, g.name AS group_name,
    (SELECT COUNT(*) FROM users u WHERE u.tenant_id = t.id) AS users, t.created_at";
const CUSTOMER_FROM: &str = "FROM tenants t LEFT JOIN categories c ON c.id = t.category_id LEFT JOIN customer_groups g ON g.id = t.group_id";

/// Which customers to list.
#[derive(Debug, Default)]
pub struct CustomerQuery<'a> {
    pub name_contains: Option<&'a str>,
    pub category_id: Option<&'a str>,
    pub group_id: Option<&'a str>,
}

/// Customers, newest first.
pub async fn customers(db: &Db, f: CustomerQuery<'_>, page: PageQuery) -> Result<(Vec<Customer>, i64)> {
    let q = ListQuery::new(CUSTOMER_COLUMNS, CUSTOMER_FROM)
        .filter("t.kind = 'customer'", [])
        .search(&["t.name"], f.name_contains)
        .filter_opt("t.category_id = ?", f.category_id.filter(|s| !s.is_empty()))
        .filter_opt("t.group_id = ?", f.group_id.filter(|s| !s.is_empty()))
        .order_by("t.created_at DESC, t.id DESC");
    didtron_db::paged(db, &q, page.limit(), page.offset()).await
}

pub async fn customer(db: &Db, id: &str) -> Result<Option<Customer>> {
    let sql = format!("SELECT {CUSTOMER_COLUMNS} {CUSTOMER_FROM} WHERE t.kind = 'customer' AND t.id = $1");
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(db.pool()).await?)
}

/// The category's name, when it exists.
pub async fn category_name(db: &Db, id: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT name FROM categories WHERE id = $1").bind(id).fetch_optional(db.pool()).await?)
}

/// The group's name, when it exists in `category` (any category when `None`).
pub async fn group_name(db: &Db, id: &str, category: Option<&str>) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT name FROM customer_groups WHERE id = $1 AND ($2 = '' OR category_id = $2)")
        .bind(id)
        .bind(category.unwrap_or(""))
        .fetch_optional(db.pool())
        .await?)
}

/// Moves a customer, in the caller's transaction.
pub async fn set_placement(tx: &mut sqlx::Transaction<'_, sqlx::Any>, id: &str, category: Option<&str>, group: Option<&str>, now: &str, actor: &str) -> Result<()> {
    sqlx::query("UPDATE tenants SET category_id = $1, group_id = $2, updated_at = $3, updated_by = $4 WHERE id = $5 AND kind = 'customer'")
        .bind(category)
        .bind(group)
        .bind(now)
        .bind(actor)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// What the category dashboard counts.
pub struct DashboardRows {
    /// id, code, name, is public
    pub categories: Vec<(String, String, String, Flag)>,
    /// category, group, customers
    pub counts: Vec<(Option<String>, Option<String>, i64)>,
    /// id, category, name
    pub groups: Vec<(String, String, String)>,
    /// category, day, sign-ups
    pub signups: Vec<(Option<String>, String, i64)>,
}

pub async fn dashboard(db: &Db, since_day: &str) -> Result<DashboardRows> {
    let pool = db.pool();
    Ok(DashboardRows {
        categories: sqlx::query_as("SELECT id, code, name, is_public FROM categories ORDER BY sort_order, name").fetch_all(pool).await?,
        counts: sqlx::query_as("SELECT category_id, group_id, COUNT(*) FROM tenants WHERE kind = 'customer' GROUP BY category_id, group_id")
            .fetch_all(pool)
            .await
            ?,
        groups: sqlx::query_as("SELECT id, category_id, name FROM customer_groups ORDER BY sort_order, name").fetch_all(pool).await?,
        signups: sqlx::query_as(
            "SELECT category_id, SUBSTR(created_at, 1, 10) AS day, COUNT(*) FROM tenants
             WHERE kind = 'customer' AND created_at >= $1 GROUP BY category_id, SUBSTR(created_at, 1, 10)",
        )
        .bind(since_day)
        .fetch_all(pool)
        .await
        ?,
    })
}

