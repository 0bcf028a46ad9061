//! "What I can choose": every offering resolved for the signed-in customer.

use axum::extract::State;
use didtron_core::access::{Permission, TenantKind};
use didtron_core::scope::{Choice, Placement};
use didtron_core::{Error, Result};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use crate::changes::assignments::{self, KindAssignments};
use crate::changes::records;
use crate::http::{ApiResult, Json, Problem};
use crate::http::caller::Actor;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(my_choices))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Choices {
    #[schema(value_type = Vec<Object>)]
    pub pops: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub voice_tiers: Vec<Value>,
    /// In priority order.
    #[schema(value_type = Vec<Object>)]
    pub codecs: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub auth_methods: Vec<Value>,
    /// The auth method assigned to this customer most specifically.
    pub default_auth_method: Option<String>,
    #[schema(value_type = Vec<Object>)]
    pub plans: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub did_countries: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    pub did_providers: Vec<Value>,
}

/// The active records of `kind` that reach the customer, in the kind's order, without internal
/// fields (assignments name other customers; audit fields name staff), and the assignments.
async fn offered(state: &AppState, kind: &str, p: &Placement) -> Result<(Vec<Value>, KindAssignments)> {
    let spec = state.kinds.get(kind)?.spec();
    let assigned = KindAssignments::load(state, spec).await?;
    let mut out = Vec::new();
    for id in assigned.resolve(Choice::Many, p) {
        let Some(mut fields) = records::load(state.db.pool(), spec, &id).await? else { continue };
        if fields.get("status").and_then(Value::as_str).is_some_and(|s| s != "active") {
            continue;
        }
        for hidden in ["created_by", "updated_by", "created_at", "version"] {
            fields.remove(hidden);
        }
        out.push(Value::Object(fields));
    }
    Ok((out, assigned))
}

pub async fn choices(state: &AppState, actor: &Actor) -> Result<Choices> {
    actor.require(Permission::ServicesRead)?;
    if actor.tenant_kind != TenantKind::Customer {
        return Err(Error::Forbidden("only customer accounts have service choices".into()));
    }
    let p = assignments::placement_of(state, &actor.tenant_id).await?;
    let (auth_methods, auth_assigned) = offered(state, "auth_method", &p).await?;
    let default_auth_method = auth_assigned.setting_among(auth_methods.iter().filter_map(|r| r["id"].as_str()), &p);
    Ok(Choices {
        pops: offered(state, "pop", &p).await?.0,
        voice_tiers: offered(state, "voice_tier", &p).await?.0,
        codecs: offered(state, "codec", &p).await?.0,
        auth_methods,
        default_auth_method,
        plans: offered(state, "plan", &p).await?.0,
        did_countries: offered(state, "did_country", &p).await?.0,
        did_providers: offered(state, "did_provider", &p).await?.0,
    })
}

/// The POPs, voice tiers, codecs, auth methods, plans and DID countries this customer may choose.
#[utoipa::path(get, path = "/api/v1/me/choices", tag = "catalog", responses((status = 200, body = Choices), (status = 403, body = Problem)))]
async fn my_choices(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Choices>> {
    Ok(Json(choices(&state, &actor).await?))
}
