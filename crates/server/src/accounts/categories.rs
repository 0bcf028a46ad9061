//! Customer categories and the groups within them, as versioned configuration records.

use async_trait::async_trait;
use didtron_core::access::Permission;
use didtron_core::error::Validation;
use didtron_core::{Error, Result};
use serde_json::{Map, Value};

use crate::changes::store::count_referring;
use crate::state::AppState;
use crate::changes::fields::{code, flag, int, lines, reference, text};
use crate::changes::kinds::{ConfigKind, KindSpec};

pub struct Categories;

static CATEGORY: KindSpec = KindSpec {
    kind: "category",
    label: "Category",
    table: "categories",
    fields: &[
        code("code"),
        text("name", 60).required(),
        lines("description", 500).about("Shown under the name on the sign-up form."),
        flag("is_public", true).about("Shown on the sign-up form."),
        int("sort_order", 0, 1_000_000).default_int(100).about("Lower comes first."),
    ],
    search: &["name", "code"],
    order_by: "sort_order, name, id",
    unique: &["code", "name"],
    choice: None,
    customers_by: Some("category_id"),
    read: Permission::CustomersRead,
    write: Permission::CustomersManage,
};

fn plural(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[async_trait]
impl ConfigKind for Categories {
    fn spec(&self) -> &'static KindSpec {
        &CATEGORY
    }

    async fn delete_blockers(&self, state: &AppState, id: &str) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let customers = count_referring(&state.db, "tenants", "category_id", id, None).await?;
        if customers > 0 {
            out.push(format!("{} still in it; move them to another category first", plural(customers, "customer is", "customers are")));
        }
        let groups = count_referring(&state.db, "customer_groups", "category_id", id, None).await?;
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
    fields: &[
        reference("category_id", "category").required().about("The category the group is in; a group with customers cannot move to another."),
        code("code").about("Unique within the category."),
        text("name", 60).required(),
        lines("description", 500),
        int("sort_order", 0, 1_000_000).default_int(100).about("Lower comes first."),
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

    /// A group's code is unique within its category, and a group with customers stays in its
    /// category.
    async fn validate(&self, state: &AppState, f: &mut Map<String, Value>, id: Option<&str>) -> Result<()> {
        let mut v = Validation::new();
        let text = |name: &str| f.get(name).and_then(Value::as_str).unwrap_or_default().to_string();
        let (category, code) = (text("category_id"), text("code"));
        if !category.is_empty() && !code.is_empty() {
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
        if let Some(id) = id {
            let members = count_referring(&state.db, "tenants", "group_id", id, None).await?;
            let (old,): (String,) =
                sqlx::query_as("SELECT category_id FROM customer_groups WHERE id = $1").bind(id).fetch_one(state.db.pool()).await.map_err(Error::internal)?;
            if members > 0 && old != category {
                v.add("category_id", "a group with customers cannot move to another category");
            }
        }
        v.finish()
    }

    async fn delete_blockers(&self, state: &AppState, id: &str) -> Result<Vec<String>> {
        let customers = count_referring(&state.db, "tenants", "group_id", id, None).await?;
        Ok(if customers > 0 { vec![format!("{} still in it; move them first", plural(customers, "customer is", "customers are"))] } else { vec![] })
    }
}
