//! LCR profiles: how a customer's candidates are ordered (pure cost, quality-weighted, or carrier
//! priority) and the minimum-margin guard. Assigned by scope; the most specific profile that reaches
//! a customer applies, and with none, calls route cheapest first and never at a loss.

use async_trait::async_trait;
use didtron_core::Result;
use didtron_core::access::Permission;
use didtron_core::error::Validation;
use didtron_core::scope::Choice;
use didtron_telecom::lcr::{Profile, Strategy};
use serde_json::{Map, Value};

use crate::state::AppState;
use crate::changes::fields;
use crate::changes::kinds::{ColType, ConfigKind, KindSpec, col};

pub struct LcrProfiles;

static LCR_PROFILE: KindSpec = KindSpec {
    kind: "lcr_profile",
    label: "LCR profile",
    table: "lcr_profiles",
    columns: &[
        col("code", ColType::Text),
        col("name", ColType::Text),
        col("strategy", ColType::Text),
        col("quality_weight", ColType::Int),
        col("min_margin", ColType::Int),
        col("allow_below_margin", ColType::Flag),
        col("status", ColType::Text),
    ],
    search: &["name", "code"],
    order_by: "name, id",
    unique: &["code", "name"],
    choice: Some(Choice::One),
    customers_by: None,
    read: Permission::ConfigRead,
    write: Permission::ConfigManage,
};

/// The engine's profile for a stored record.
pub fn profile_of(f: &Map<String, Value>) -> Profile {
    let weight = f.get("quality_weight").and_then(Value::as_i64).unwrap_or(100).clamp(0, 1000) as u32;
    Profile {
        strategy: match f.get("strategy").and_then(Value::as_str) {
            Some("quality") => Strategy::Quality { weight },
            Some("priority") => Strategy::Priority,
            _ => Strategy::Cost,
        },
        min_margin: f.get("min_margin").and_then(Value::as_i64).unwrap_or(0),
        allow_below_margin: f.get("allow_below_margin").and_then(Value::as_bool).unwrap_or(false),
    }
}

#[async_trait]
impl ConfigKind for LcrProfiles {
    fn spec(&self) -> &'static KindSpec {
        &LCR_PROFILE
    }

    async fn validate(&self, _state: &AppState, f: &mut Map<String, Value>, _id: Option<&str>) -> Result<()> {
        let mut v = Validation::new();
        fields::code(&mut v, f, "code");
        fields::text(&mut v, f, "name", true, 80);
        fields::one_of(&mut v, f, "strategy", &["cost", "quality", "priority"], Some("cost"));
        fields::int(&mut v, f, "quality_weight", 0, 1000, Some(100));
        // Micro-units per minute; negative allows a bounded loss.
        fields::int(&mut v, f, "min_margin", -100_000_000, 100_000_000, Some(0));
        fields::flag(&mut v, f, "allow_below_margin", false);
        fields::one_of(&mut v, f, "status", &["active", "disabled"], Some("active"));
        v.finish()
    }
}
