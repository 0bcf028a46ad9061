//! Channel/CPS plans.

use async_trait::async_trait;
use didtron_core::Result;
use didtron_core::access::Permission;
use didtron_core::error::Validation;
use didtron_core::scope::Choice;
use serde_json::{Map, Value};

use crate::state::AppState;
use crate::changes::fields;
use crate::changes::kinds::{ColType, ConfigKind, KindSpec, col};

pub struct Plans;

static PLAN: KindSpec = KindSpec {
    kind: "plan",
    label: "Channel/CPS plan",
    table: "channel_plans",
    columns: &[
        col("code", ColType::Text),
        col("name", ColType::Text),
        col("description", ColType::Text),
        col("channels", ColType::Int),
        col("cps", ColType::Int),
        col("monthly_price", ColType::Int),
        col("currency", ColType::Text),
        col("status", ColType::Text),
    ],
    search: &["name", "code"],
    order_by: "channels, cps, name, id",
    unique: &["code"],
    choice: Some(Choice::Many),
    customers_by: None,
    read: Permission::ConfigRead,
    write: Permission::ConfigManage,
};

#[async_trait]
impl ConfigKind for Plans {
    fn spec(&self) -> &'static KindSpec {
        &PLAN
    }

    async fn validate(&self, _state: &AppState, f: &mut Map<String, Value>, _id: Option<&str>) -> Result<()> {
        let mut v = Validation::new();
        fields::code(&mut v, f, "code");
        fields::text(&mut v, f, "name", true, 80);
        fields::text(&mut v, f, "description", false, 500);
        fields::int(&mut v, f, "channels", 1, 100_000, None);
        fields::int(&mut v, f, "cps", 1, 10_000, None);
        // Micro-units: 1_000_000 = one unit of the currency.
        fields::int(&mut v, f, "monthly_price", 0, 1_000_000_000_000, Some(0));
        fields::currency(&mut v, f, "currency");
        fields::one_of(&mut v, f, "status", &["active", "disabled"], Some("active"));
        v.finish()
    }
}
