//! Customer categories and the groups within them, as versioned configuration records.

use async_trait::async_trait;
use didtron_core::access::Permission;
use didtron_core::error::Validation;
use didtron_core::{Error, Result};
use serde_json::{Map, Value};

use crate::state::AppState;
use crate::changes::fields;
use crate::changes::kinds::{ColType, ConfigKind, KindSpec, col};

pub struct Categories;

static CATEGORY: KindSpec = KindSpec {
    kind: "category",
    label: "Category",
    table: "categories",
    columns: &[
        col("code", ColType::Text),
        col("name", ColType::Text),
        col("description", ColType::Text),
        col("is_public", ColType::Flag),
        col("sort_order", ColType::Int),
    ],
    search: &["name", "code"],
    order_by: "sort_order, name, id",
    unique: &["code", "name"],
    choice: None,
    customers_by: Some("category_id"),
    read: Permission::CustomersRead,
    write: Permission::CustomersManage,
};

async fn count(state: &AppState, sql: &'static str, id: &str) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(sql).bind(id).fetch_one(state.db.pool()).await.map_err(Error::internal)?;
    Ok(n)
}

fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[async_trait]
impl ConfigKind for Categories {
    fn spec(&self) -> &'static KindSpec {
        &CATEGORY
    }

    async fn validate(&self, _state: &AppState, f: &mut Map<String, Value>, _id: Option<&str>) -> Result<()> {
        let mut v = Validation::new();
        fields::code(&mut v, f, "code");
        fields::text(&mut v, f, "name", true, 60);
        fields::text(&mut v, f, "description", false, 500);
        fields::flag(&mut v, f, "is_public", true);
        fields::int(&mut v, f, "sort_order", 0, 1_000_000, Some(100));
        v.finish()
    }

    async fn delete_blockers(&self, state: &AppState, id: &str) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let customers = count(state, "SELECT COUNT(*) FROM tenants WHERE category_id = $1", id).await?;
        if customers > 0 {
            out.push(format!("{} still in it; move them to another category first", plural(customers, "customer is", "customers are")));
        }
        let groups = count(state, "SELECT COUNT(*) FROM customer_groups WHERE category_id = $1", id).await?;
        if groups > 0 {
            out.push(format!("it still has {}; delete {} first", plural(groups, "group", "groups"), if groups == 1 { "it" } else { "them" }));
        }
        Ok(out)
    }
}

pub struct Groups;

static GROUP: KindSpec = KindSpec {
    kind: "group",
    label: "Group",
    table: "customer_groups",
    columns: &[
        col("category_id", ColType::Text),
        col("code", ColType::Text),
        col("name", ColType::Text),
        col("description", ColType::Text),
        col("sort_order", ColType::Int),
    ],
    search: &["name", "code"],
    order_by: "sort_order, name, id",
    unique: &[],
    choice: None,
    customers_by: Some("group_id"),
    read: Permission::CustomersRead,
    write: Permission::CustomersManage,
};

#[async_trait]
impl ConfigKind for Groups {
    fn spec(&self) -> &'static KindSpec {
        &GROUP
    }

    async fn validate(&self, state: &AppState, f: &mut Map<String, Value>, id: Option<&str>) -> Result<()> {
        let mut v = Validation::new();
        let category = fields::text(&mut v, f, "category_id", true, 64);
        let code = fields::code(&mut v, f, "code");
        fields::text(&mut v, f, "name", true, 60);
        fields::text(&mut v, f, "description", false, 500);
        fields::int(&mut v, f, "sort_order", 0, 1_000_000, Some(100));
        if !category.is_empty() {
            let exists: Option<(String,)> = sqlx::query_as("SELECT id FROM categories WHERE id = $1")
                .bind(&category)
                .fetch_optional(state.db.pool())
                .await
                .map_err(Error::internal)?;
            if exists.is_none() {
                v.add("category_id", "no such category");
            } else if !code.is_empty() {
                let taken: Option<(String,)> = sqlx::query_as("SELECT id FROM customer_groups WHERE category_id = $1 AND code = $2 AND id <> $3")
                    .bind(&category)
                    .bind(&code)
                    .bind(id.unwrap_or(""))
                    .fetch_optional(state.db.pool())
                    .await
                    .map_err(Error::internal)?;
                if taken.is_some() {
                    v.add("code", format!("“{code}” is already used by another group of this category"));
                }
            }
        }
        if let Some(id) = id {
            let members = count(state, "SELECT COUNT(*) FROM tenants WHERE group_id = $1", id).await?;
            let (old,): (String,) =
                sqlx::query_as("SELECT category_id FROM customer_groups WHERE id = $1").bind(id).fetch_one(state.db.pool()).await.map_err(Error::internal)?;
            if members > 0 && old != category {
                v.add("category_id", "a group with customers cannot move to another category");
            }
        }
        v.finish()
    }

    async fn delete_blockers(&self, state: &AppState, id: &str) -> Result<Vec<String>> {
        let customers = count(state, "SELECT COUNT(*) FROM tenants WHERE group_id = $1", id).await?;
        Ok(if customers > 0 { vec![format!("{} still in it; move them first", plural(customers, "customer is", "customers are"))] } else { vec![] })
    }
}
