//! DID countries and DID providers, and the providers' number inventory.

use async_trait::async_trait;
use didtron_core::access::Permission;
use didtron_core::error::Validation;
use didtron_core::scope::Choice;
use didtron_core::Result;
use serde_json::{Map, Value};

use crate::state::AppState;
use crate::changes::fields::{self, Format, code, country_code, currency, flag, int, list, one_of, status, text};
use crate::changes::kinds::{ConfigKind, KindSpec};

pub struct DidCountries;

static COUNTRY: KindSpec = KindSpec {
    kind: "did_country",
    label: "DID country",
    table: "did_countries",
    fields: &[
        country_code("iso_code").required(),
        text("name", 80).about("Empty: the country's English name."),
        flag("kyc_required", false).about("Customers prove who they are before a number is theirs."),
        // Left empty, it follows `kyc_required` (see `validate`).
        one_of("kyc_type", &["none", "personal", "business", "both"]).optional().about("Whose documents KYC needs; empty: both when KYC is required, none otherwise."),
        list("required_documents", Format::Plain, 80, 20).about("The documents KYC needs (Passport, Proof of address); needed when KYC is required."),
        int("setup_price", 0, 1_000_000_000_000).default_int(0).about("One-off price per number in micro-units of the currency."),
        int("monthly_price", 0, 1_000_000_000_000).default_int(0).about("Monthly price per number in micro-units of the currency."),
        currency("currency"),
        status(),
    ],
    search: &["name", "iso_code"],
    order_by: "name, id",
    unique: &["iso_code"],
    choice: Some(Choice::Many),
    customers_by: None,
    read: Permission::ConfigRead,
    write: Permission::ConfigManage,
};

#[async_trait]
impl ConfigKind for DidCountries {
    fn spec(&self) -> &'static KindSpec {
        &COUNTRY
    }

    /// The name defaults to the country's; KYC needs a type of documents and a list of them.
    async fn validate(&self, _state: &AppState, f: &mut Map<String, Value>, _id: Option<&str>) -> Result<()> {
        let mut v = Validation::new();
        let iso = f.get("iso_code").and_then(Value::as_str).unwrap_or_default().to_string();
        if let Ok((_, name)) = fields::country(&iso)
            && f.get("name").and_then(Value::as_str).is_none_or(|n| n.is_empty())
        {
            f.insert("name".into(), Value::String(name));
        }
        let kyc = f.get("kyc_required").and_then(Value::as_bool).unwrap_or(false);
        if f.get("kyc_type").is_none_or(Value::is_null) {
            f.insert("kyc_type".into(), Value::from(if kyc { "both" } else { "none" }));
        }
        if kyc && f.get("kyc_type").and_then(Value::as_str) == Some("none") {
            v.add("kyc_type", "say whose documents are needed when KYC is required");
        }
        if kyc && f.get("required_documents").and_then(Value::as_array).is_none_or(Vec::is_empty) {
            v.add("required_documents", "list the documents KYC needs (e.g. Passport, Proof of address)");
        }
        v.finish()
    }

    fn title(&self, f: &Map<String, Value>) -> String {
        format!("{} ({})", f.get("name").and_then(Value::as_str).unwrap_or(""), f.get("iso_code").and_then(Value::as_str).unwrap_or(""))
    }
}

pub struct DidProviders;

static PROVIDER: KindSpec = KindSpec {
    kind: "did_provider",
    label: "DID provider",
    table: "did_providers",
    fields: &[
        code("code"),
        text("name", 80).required(),
        one_of("adapter", ADAPTERS).default_text("local").about("How DIDtron reaches the provider; local keeps the inventory in DIDtron's own database."),
        list("countries", Format::Country, 2, 250).required().about("The countries it sells numbers in."),
        status(),
    ],
    search: &["name", "code"],
    order_by: "name, id",
    unique: &["code"],
    // Which customers may order from which provider.
    choice: Some(Choice::Many),
    customers_by: None,
    read: Permission::ConfigRead,
    write: Permission::ConfigManage,
};

/// The provider connections DIDtron has. `local` keeps the inventory in DIDtron's own database;
/// suppliers' APIs are added as adapters here.
pub const ADAPTERS: &[&str] = &["local"];

#[async_trait]
impl ConfigKind for DidProviders {
    fn spec(&self) -> &'static KindSpec {
        &PROVIDER
    }

    async fn delete_blockers(&self, state: &AppState, id: &str) -> Result<Vec<String>> {
        let n = crate::changes::store::count_referring(&state.db, "did_inventory", "provider_id", id, Some("status <> 'available'")).await?;
        Ok(if n > 0 { vec![format!("{n} of its numbers are reserved or in use")] } else { vec![] })
    }
}
