//! "What I can choose": every offering resolved for the signed-in customer.

use axum::extract::State;
use didtron_core::access::{Permission, TenantKind};
use didtron_core::scope::{Assignment, Choice, Placement, reach, resolve};
use didtron_core::{Error, Result};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use crate::changes::{impact, records};
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
/// fields (assignments name other customers; audit fields name staff).
async fn offered(state: &AppState, kind: &str, p: &Placement) -> Result<(Vec<Value>, Vec<(String, Vec<Assignment>)>)> {
    let k = state.kinds.get(kind)?;
    let spec = k.spec();
    let map = records::all_assignments(&state.db, spec.kind).await?;
    let order = impact::record_order(state, spec).await?;
    let reached: Vec<(String, Vec<Assignment>)> =
        order.iter().filter_map(|id| map.get(id).filter(|a| reach(a, p).is_some()).map(|a| (id.clone(), a.clone()))).collect();
    let mut out = Vec::new();
    for (id, _) in &reached {
        let Some(mut fields) = records::load(state.db.pool(), spec, id).await? else { continue };
        if fields.get("status").and_then(Value::as_str).is_some_and(|s| s != "active") {
            continue;
        }
        for hidden in ["created_by", "updated_by", "created_at", "version"] {
            fields.remove(hidden);
        }
        out.push(Value::Object(fields));
    }
    let active: Vec<&str> = out.iter().filter_map(|r| r["id"].as_str()).collect();
    let reached = reached.into_iter().filter(|(id, _)| active.contains(&id.as_str())).collect();
    Ok((out, reached))
}

pub async fn choices(state: &AppState, actor: &Actor) -> Result<Choices> {
    actor.require(Permission::ServicesRead)?;
    if actor.tenant_kind != TenantKind::Customer {
        return Err(Error::Forbidden("only customer accounts have service choices".into()));
    }
    let (category, group): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT category_id, group_id FROM tenants WHERE id = $1").bind(&actor.tenant_id).fetch_one(state.db.pool()).await.map_err(Error::internal)?;
    let p = Placement { customer: actor.tenant_id.clone(), category, group };
    let (auth_methods, auth_reached) = offered(state, "auth_method", &p).await?;
    let default_auth_method = resolve(Choice::One, auth_reached.iter().map(|(id, a)| (id.clone(), a.as_slice())), &p).into_iter().next();
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
