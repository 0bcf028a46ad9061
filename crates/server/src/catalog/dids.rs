//! DID countries and DID providers, and the providers' number inventory.

use async_trait::async_trait;
use didtron_core::access::Permission;
use didtron_core::error::Validation;
use didtron_core::scope::Choice;
use didtron_core::{Error, Result};
use serde_json::{Map, Value};

use crate::state::AppState;
use crate::changes::fields;
use crate::changes::kinds::{ColType, ConfigKind, KindSpec, col};

pub struct DidCountries;

static COUNTRY: KindSpec = KindSpec {
    kind: "did_country",
    label: "DID country",
    table: "did_countries",
    columns: &[
        col("iso_code", ColType::Text),
        col("name", ColType::Text),
        col("kyc_required", ColType::Flag),
        col("kyc_type", ColType::Text),
        col("required_documents", ColType::Json),
        col("setup_price", ColType::Int),
        col("monthly_price", ColType::Int),
        col("currency", ColType::Text),
        col("status", ColType::Text),
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

    async fn validate(&self, _state: &AppState, f: &mut Map<String, Value>, _id: Option<&str>) -> Result<()> {
        let mut v = Validation::new();
        let code = fields::text(&mut v, f, "iso_code", true, 2);
        match fields::country(&code) {
            Ok((iso, name)) => {
                f.insert("iso_code".into(), Value::String(iso));
                // The name defaults to the country's English name.
                if f.get("name").and_then(Value::as_str).is_none_or(|n| n.trim().is_empty()) {
                    f.insert("name".into(), Value::String(name));
                }
            }
            Err(message) if !code.is_empty() => v.add("iso_code", message),
            Err(_) => {}
        }
        fields::text(&mut v, f, "name", false, 80);
        let kyc = fields::flag(&mut v, f, "kyc_required", false);
        let kyc_type = fields::one_of(&mut v, f, "kyc_type", &["none", "personal", "business", "both"], Some(if kyc { "both" } else { "none" }));
        if kyc && kyc_type == "none" {
            v.add("kyc_type", "say whose documents are needed when KYC is required");
        }
        let docs = fields::list(&mut v, f, "required_documents", false, |d| {
            if d.is_empty() || d.chars().count() > 80 { Err("each document needs a name of at most 80 characters".into()) } else { Ok(d.to_string()) }
        });
        if kyc && docs.is_empty() {
            v.add("required_documents", "list the documents KYC needs (e.g. Passport, Proof of address)");
        }
        fields::int(&mut v, f, "setup_price", 0, 1_000_000_000_000, Some(0));
        fields::int(&mut v, f, "monthly_price", 0, 1_000_000_000_000, Some(0));
        fields::currency(&mut v, f, "currency");
        fields::one_of(&mut v, f, "status", &["active", "disabled"], Some("active"));
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
    columns: &[
        col("code", ColType::Text),
        col("name", ColType::Text),
        col("adapter", ColType::Text),
        col("countries", ColType::Json),
        col("status", ColType::Text),
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

    async fn validate(&self, _state: &AppState, f: &mut Map<String, Value>, _id: Option<&str>) -> Result<()> {
        let mut v = Validation::new();
        fields::code(&mut v, f, "code");
        fields::text(&mut v, f, "name", true, 80);
        fields::one_of(&mut v, f, "adapter", ADAPTERS, Some("local"));
        fields::list(&mut v, f, "countries", true, |c| fields::country(c).map(|(iso, _)| iso));
        fields::one_of(&mut v, f, "status", &["active", "disabled"], Some("active"));
        v.finish()
    }

    async fn delete_blockers(&self, state: &AppState, id: &str) -> Result<Vec<String>> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM did_inventory WHERE provider_id = $1 AND status <> 'available'")
            .bind(id)
            .fetch_one(state.db.pool())
            .await
            .map_err(Error::internal)?;
        Ok(if n > 0 { vec![format!("{n} of its numbers are reserved or in use")] } else { vec![] })
    }
}
