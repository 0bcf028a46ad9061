//! Wholesale carriers: connection details and capacity, assigned by scope.

use async_trait::async_trait;
use didtron_core::access::Permission;
use didtron_core::scope::Choice;
use didtron_core::Result;

use crate::catalog::offerings::MAX_HOSTS;
use crate::changes::fields::{Format, code, dial_string, int, list, one_of, status, text};
use crate::changes::kinds::{ConfigKind, KindSpec};
use crate::changes::store::count_referring;
use crate::state::AppState;

pub struct Carriers;

static CARRIER: KindSpec = KindSpec {
    kind: "carrier",
    label: "Carrier",
    table: "carriers",
    fields: &[
        code("code"),
        text("name", 80).required(),
        list("hosts", Format::SipHost, 253, MAX_HOSTS).about("Host names or IP addresses calls are sent to."),
        int("port", 1, 65_535).default_int(5060).about("The SIP port."),
        one_of("transport", &["udp", "tcp", "tls"]).default_text("udp").about("The SIP transport."),
        dial_string("tech_prefix", 16).about("Put in front of every number sent to this carrier."),
        one_of("auth", &["ip", "userpass", "both"]).default_text("ip").about("How DIDtron authenticates to the carrier."),
        int("channels", 0, 1_000_000).default_int(0).about("Concurrent calls (0: no limit)."),
        int("cps", 0, 100_000).default_int(0).about("New calls per second (0: no limit)."),
        // Lower first, for LCR profiles that order by priority.
        int("priority", 0, 1_000_000).default_int(100).about("Lower comes first in LCR profiles that order by carrier priority."),
        status(),
    ],
    search: &["name", "code"],
    order_by: "name, id",
    unique: &["code", "name"],
    choice: Some(Choice::Many),
    customers_by: None,
    read: Permission::ConfigRead,
    write: Permission::ConfigManage,
};

#[async_trait]
impl ConfigKind for Carriers {
    fn spec(&self) -> &'static KindSpec {
        &CARRIER
    }

    /// A carrier that routes, route groups or rate history refer to cannot go: disable it instead.
    async fn delete_blockers(&self, state: &AppState, id: &str) -> Result<Vec<String>> {
        let count = |table: &'static str| count_referring(&state.db, table, "carrier_id", id, None);
        let mut out = Vec::new();
        let routes = count("routes").await?;
        if routes > 0 {
            out.push(format!("{routes} route(s) send calls to it"));
        }
        let member_of = super::route_groups::groups_with_carrier(state, id).await?;
        if !member_of.is_empty() {
            out.push(format!("it is in the route group(s) {}", member_of.join(", ")));
        }
        let decks = count("rate_decks").await?;
        if decks > 0 {
            out.push(format!("its {decks} rate deck(s) are kept as rate history: disable the carrier instead"));
        }
        Ok(out)
    }
}
