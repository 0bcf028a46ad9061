//! Channel/CPS plans.

use async_trait::async_trait;
use didtron_core::access::Permission;
use didtron_core::scope::Choice;

use crate::changes::fields::{code, currency, int, lines, status, text};
use crate::changes::kinds::{ConfigKind, KindSpec};

pub struct Plans;

static PLAN: KindSpec = KindSpec {
    kind: "plan",
    label: "Channel/CPS plan",
    table: "channel_plans",
    fields: &[
        code("code"),
        text("name", 80).required(),
        lines("description", 500),
        int("channels", 1, 100_000).about("Concurrent calls."),
        int("cps", 1, 10_000).about("New calls per second."),
        // Micro-units: 1_000_000 = one unit of the currency.
        int("monthly_price", 0, 1_000_000_000_000).default_int(0).about("Monthly price in micro-units of the currency (1000000 = 1.00)."),
        currency("currency"),
        status(),
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
}
