//! LCR profiles: how a customer's candidates are ordered (pure cost, quality-weighted, or carrier
//! priority) and the minimum-margin guard. Assigned by scope; the most specific profile that reaches
//! a customer applies, and with none, calls route cheapest first and never at a loss.

use async_trait::async_trait;
use didtron_core::access::Permission;
use didtron_core::scope::Choice;
use didtron_telecom::lcr::{Profile, Strategy};
use serde_json::{Map, Value};

use crate::changes::fields::{code, flag, int, one_of, status, text};
use crate::changes::kinds::{ConfigKind, KindSpec};

pub struct LcrProfiles;

static LCR_PROFILE: KindSpec = KindSpec {
    kind: "lcr_profile",
    label: "LCR profile",
    table: "lcr_profiles",
    fields: &[
        code("code"),
        text("name", 80).required(),
        one_of("strategy", &["cost", "quality", "priority"])
            .default_text("cost")
            .about("cost: lowest buy rate first; quality: buy rate raised for carriers of poor quality; priority: the carriers' priority, then cost."),
        int("quality_weight", 0, 1000).default_int(100).about("For the quality strategy, in percent: effective cost = buy rate × (1 + weight × (1 − quality score))."),
        // Micro-units per minute; negative allows a bounded loss.
        int("min_margin", -100_000_000, 100_000_000).default_int(0).about("Sell rate minus buy rate per minute, in micro-units; negative allows a bounded loss."),
        flag("allow_below_margin", false).about("Keep carriers under the minimum margin in the list, marked, instead of leaving them out."),
        status(),
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
}
