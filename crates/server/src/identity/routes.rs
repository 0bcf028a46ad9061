//! HTTP handlers of identity: thin — parse, call the service, shape the answer.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::caller::{Actor, ClientInfo, Credential};
use super::api_keys::{self, ApiKey, CreatedApiKey};
use super::profile::{self, LoginAttempt, Me, SessionInfo};
use super::auth::PublicCategory;
use super::team::{self, Invitation, InvitationPreview, Team};
use super::{auth, session, totp};
use crate::state::AppState;
use crate::http::{ApiResult, Json, Page, PageQuery, Problem, Query};

/// Routes anyone may call.
pub fn public_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(verify_email))
        .routes(routes!(resend_verification))
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(forgot_password))
        .routes(routes!(reset_password))
        .routes(routes!(accept_invitation))
        .routes(routes!(preview_invitation))
        .routes(routes!(public_categories))
}

/// Routes for a signed-in caller.
pub fn private_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_me, update_me))
        .routes(routes!(change_password))
        .routes(routes!(two_factor_setup))
        .routes(routes!(two_factor_enable))
        .routes(routes!(two_factor_disable))
        .routes(routes!(two_factor_recovery_codes))
        .routes(routes!(list_sessions))
        .routes(routes!(end_session))
        .routes(routes!(end_all_sessions))
        .routes(routes!(login_history))
        .routes(routes!(get_team))
        .routes(routes!(invite))
        .routes(routes!(revoke_invitation))
        .routes(routes!(change_member_role, remove_member))
        .routes(routes!(list_api_keys, create_api_key))
        .routes(routes!(revoke_api_key))
        .routes(routes!(revoke_my_api_keys))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Message {
    pub message: String,
}

fn message(m: impl Into<String>) -> Json<Message> {
    Json(Message { message: m.into() })
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RegisterRequest {
    pub email: String,
    /// 12 to 128 characters.
    pub password: String,
    /// The person's name.
    pub name: String,
    /// The business name; the account is named after the person when absent.
    pub company: Option<String>,
    /// One of `GET /api/v1/public/categories`.
    pub category_id: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Registered {
    /// The address as stored (normalised).
    pub email: String,
    pub message: String,
}

/// Sign up as a new customer. Sends a verification e-mail; sign-in works once it is verified. The
/// answer is the same for an address that has an account already (its owner is told by mail).
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = Registered), (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn register(State(state): State<AppState>, client: ClientInfo, Json(r): Json<RegisterRequest>) -> ApiResult<(StatusCode, Json<Registered>)> {
    let input = auth::Registration { email: r.email, password: r.password, name: r.name, company: r.company, category_id: r.category_id };
    let email = auth::register(&state, input, &client.ip).await?;
    Ok((StatusCode::CREATED, Json(Registered { message: format!("We sent a verification link to {email}."), email })))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    pub token: String,
}

/// Verify an e-mail address with the token from the link.
#[utoipa::path(post, path = "/api/v1/auth/verify-email", tag = "auth", request_body = TokenRequest,
    responses((status = 200, body = Message), (status = 422, body = Problem)))]
async fn verify_email(State(state): State<AppState>, client: ClientInfo, Json(r): Json<TokenRequest>) -> ApiResult<Json<Message>> {
    auth::verify_email(&state, &r.token, &client.ip).await?;
    Ok(message("Your e-mail address is verified. You can sign in now."))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct EmailRequest {
    pub email: String,
}

/// Send a new verification link. Answers the same whether or not the address has an account.
#[utoipa::path(post, path = "/api/v1/auth/verify-email/resend", tag = "auth", request_body = EmailRequest,
    responses((status = 202, body = Message), (status = 422, body = Problem)))]
async fn resend_verification(State(state): State<AppState>, Json(r): Json<EmailRequest>) -> ApiResult<(StatusCode, Json<Message>)> {
    auth::resend_verification(&state, &r.email).await?;
    Ok((StatusCode::ACCEPTED, message("If that address has an unverified account, a new link is on its way.")))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    /// The 6-digit code from the authenticator app, or a recovery code, when 2FA is on.
    pub totp: Option<String>,
    /// Keep the session for 30 days instead of the browser session.
    #[serde(default)]
    pub remember: bool,
}

/// Sign in. Sets the session cookie and the CSRF cookie. With 2FA on and no code, answers 401 with
/// code `totp_required`. Answers 429 with `Retry-After` when the address is locked, the network
/// address has failed too often, or the server is busy checking other passwords.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = Me), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn login(State(state): State<AppState>, client: ClientInfo, Json(r): Json<LoginRequest>) -> ApiResult<Response> {
    let input = auth::Login { email: r.email, password: r.password, totp: r.totp, remember: r.remember };
    let (user_id, new_session) = auth::login(&state, input, &client.ip, &client.user_agent).await?;
    let found = session::lookup(&state, &new_session.token).await?.ok_or_else(|| didtron_core::Error::internal("new session not found"))?;
    let actor = Actor {
        user_id,
        credential: Credential::Session(found.session_id),
        tenant_id: found.tenant_id,
        tenant_kind: found.tenant_kind,
        role: found.role,
        ip: client.ip,
        user_agent: client.user_agent,
    };
    let me = profile::me(&state, &actor).await?;
    let mut response = Json(me).into_response();
    for cookie in session::set_cookies(&state, &new_session) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// Sign out: ends this session and clears the cookies.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 204)))]
async fn logout(State(state): State<AppState>, actor: Option<Actor>) -> ApiResult<Response> {
    profile::sign_out(&state, actor.as_ref()).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    for cookie in session::clear_cookies(&state) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// Ask for a password reset link. Answers the same whether or not the address has an account.
#[utoipa::path(post, path = "/api/v1/auth/password/forgot", tag = "auth", request_body = EmailRequest,
    responses((status = 202, body = Message), (status = 422, body = Problem)))]
async fn forgot_password(State(state): State<AppState>, Json(r): Json<EmailRequest>) -> ApiResult<(StatusCode, Json<Message>)> {
    auth::forgot_password(&state, &r.email).await?;
    Ok((StatusCode::ACCEPTED, message("If that address has an account, a reset link is on its way.")))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ResetPasswordRequest {
    pub token: String,
    pub password: String,
}

/// Choose a new password with the token from the reset link. Ends every session of the account and
/// voids every other link mailed to it.
#[utoipa::path(post, path = "/api/v1/auth/password/reset", tag = "auth", request_body = ResetPasswordRequest,
    responses((status = 200, body = Message), (status = 422, body = Problem), (status = 429, body = Problem)))]
async fn reset_password(State(state): State<AppState>, client: ClientInfo, Json(r): Json<ResetPasswordRequest>) -> ApiResult<Json<Message>> {
    auth::reset_password(&state, &r.token, &r.password, &client.ip).await?;
    Ok(message("Your password is changed. Sign in with the new one."))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AcceptInvitationRequest {
    pub token: String,
    pub name: String,
    pub password: String,
}

/// Accept a team invitation: creates the account with the invited role.
#[utoipa::path(post, path = "/api/v1/auth/invitations/accept", tag = "auth", request_body = AcceptInvitationRequest,
    responses((status = 200, body = Message), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn accept_invitation(State(state): State<AppState>, client: ClientInfo, Json(r): Json<AcceptInvitationRequest>) -> ApiResult<Json<Message>> {
    let email = team::accept_invitation(&state, &r.token, &r.name, &r.password, &client.ip).await?;
    Ok(message(format!("Welcome! Sign in as {email}.")))
}

/// Who invites, with which role and what it allows: for the accept-invite page. The token travels
/// in the body, never in a URL that logs keep.
#[utoipa::path(post, path = "/api/v1/auth/invitations/preview", tag = "auth", request_body = TokenRequest,
    responses((status = 200, body = InvitationPreview), (status = 422, body = Problem)))]
async fn preview_invitation(State(state): State<AppState>, Json(r): Json<TokenRequest>) -> ApiResult<Json<InvitationPreview>> {
    Ok(Json(team::preview_invitation(&state, &r.token).await?))
}

/// The customer categories offered on the registration form.
#[utoipa::path(get, path = "/api/v1/public/categories", tag = "auth", responses((status = 200, body = [PublicCategory])))]
async fn public_categories(State(state): State<AppState>) -> ApiResult<Json<Vec<PublicCategory>>> {
    Ok(Json(auth::public_categories(&state).await?))
}

/// The caller: user, tenant, role and permissions.
#[utoipa::path(get, path = "/api/v1/me", tag = "me", responses((status = 200, body = Me), (status = 401, body = Problem)))]
async fn get_me(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Me>> {
    Ok(Json(profile::me(&state, &actor).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateMeRequest {
    pub name: String,
}

/// Change your name.
#[utoipa::path(patch, path = "/api/v1/me", tag = "me", request_body = UpdateMeRequest,
    responses((status = 200, body = Me), (status = 422, body = Problem)))]
async fn update_me(State(state): State<AppState>, actor: Actor, Json(r): Json<UpdateMeRequest>) -> ApiResult<Json<Me>> {
    profile::rename(&state, &actor, &r.name).await?;
    Ok(Json(profile::me(&state, &actor).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

/// Change your password. Every other session ends, every link mailed to you stops working, and a
/// security notice is mailed to you.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "me", request_body = ChangePasswordRequest,
    responses((status = 200, body = Message), (status = 422, body = Problem)))]
async fn change_password(State(state): State<AppState>, actor: Actor, Json(r): Json<ChangePasswordRequest>) -> ApiResult<Json<Message>> {
    profile::change_password(&state, &actor, &r.current_password, &r.new_password).await?;
    Ok(message("Password changed. Other sessions were signed out."))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TwoFactorSetup {
    /// The seed in base32, to type into an authenticator app.
    pub secret: String,
    /// `otpauth://` URL to show as a QR code.
    pub otpauth_url: String,
}

/// Start 2FA enrolment: a new seed, inactive until confirmed with a code.
#[utoipa::path(post, path = "/api/v1/me/2fa/setup", tag = "me",
    responses((status = 200, body = TwoFactorSetup), (status = 409, body = Problem)))]
async fn two_factor_setup(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<TwoFactorSetup>> {
    actor.require_person()?;
    let e = totp::setup(&state, &actor).await?;
    Ok(Json(TwoFactorSetup { secret: e.secret, otpauth_url: e.otpauth_url }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CodeRequest {
    /// A 6-digit code from the authenticator app.
    pub code: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecoveryCodes {
    /// One-time codes for when the phone is lost. Shown once.
    pub recovery_codes: Vec<String>,
}

/// Confirm enrolment with a code; turns 2FA on and returns recovery codes.
#[utoipa::path(post, path = "/api/v1/me/2fa/enable", tag = "me", request_body = CodeRequest,
    responses((status = 200, body = RecoveryCodes), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn two_factor_enable(State(state): State<AppState>, actor: Actor, Json(r): Json<CodeRequest>) -> ApiResult<Json<RecoveryCodes>> {
    actor.require_person()?;
    Ok(Json(RecoveryCodes { recovery_codes: totp::enable(&state, &actor, &r.code).await? }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DisableTwoFactorRequest {
    pub password: String,
    /// A current code or a recovery code.
    pub code: String,
}

/// Turn 2FA off (needs the password and a code).
#[utoipa::path(post, path = "/api/v1/me/2fa/disable", tag = "me", request_body = DisableTwoFactorRequest,
    responses((status = 200, body = Message), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn two_factor_disable(State(state): State<AppState>, actor: Actor, Json(r): Json<DisableTwoFactorRequest>) -> ApiResult<Json<Message>> {
    actor.require_person()?;
    totp::disable(&state, &actor, &r.password, &r.code).await?;
    Ok(message("Two-factor authentication is off."))
}

/// Replace the recovery codes (needs a current code).
#[utoipa::path(post, path = "/api/v1/me/2fa/recovery-codes", tag = "me", request_body = CodeRequest,
    responses((status = 200, body = RecoveryCodes), (status = 422, body = Problem)))]
async fn two_factor_recovery_codes(State(state): State<AppState>, actor: Actor, Json(r): Json<CodeRequest>) -> ApiResult<Json<RecoveryCodes>> {
    actor.require_person()?;
    Ok(Json(RecoveryCodes { recovery_codes: totp::regenerate_recovery_codes(&state, &actor, &r.code).await? }))
}

/// Your active sessions; `current` marks this one.
#[utoipa::path(get, path = "/api/v1/me/sessions", tag = "me", responses((status = 200, body = [SessionInfo])))]
async fn list_sessions(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Vec<SessionInfo>>> {
    Ok(Json(profile::sessions(&state, &actor).await?))
}

/// End one of your sessions.
#[utoipa::path(delete, path = "/api/v1/me/sessions/{id}", tag = "me", responses((status = 204), (status = 404, body = Problem)))]
async fn end_session(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> ApiResult<StatusCode> {
    profile::end_session(&state, &actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Log out all devices: ends every session of yours, this one included.
#[utoipa::path(post, path = "/api/v1/me/sessions/revoke-all", tag = "me", responses((status = 204)))]
async fn end_all_sessions(State(state): State<AppState>, actor: Actor) -> ApiResult<Response> {
    profile::end_all_sessions(&state, &actor).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    for cookie in session::clear_cookies(&state) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

/// Your sign-in history, newest first: time, address, browser, result.
#[utoipa::path(get, path = "/api/v1/me/login-history", tag = "me", params(PageQuery),
    responses((status = 200, body = Page<LoginAttempt>)))]
async fn login_history(State(state): State<AppState>, actor: Actor, Query(page): Query<PageQuery>) -> ApiResult<Json<Page<LoginAttempt>>> {
    Ok(Json(profile::login_history(&state, &actor, page).await?))
}

/// The team of your account: members, pending invitations, roles.
#[utoipa::path(get, path = "/api/v1/team", tag = "team", responses((status = 200, body = Team), (status = 403, body = Problem)))]
async fn get_team(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Team>> {
    Ok(Json(team::team(&state, &actor).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct InviteRequest {
    pub email: String,
    /// A role code of this kind of account (see `roles` in `GET /api/v1/team`).
    pub role: String,
}

/// Invite someone by e-mail with a role.
#[utoipa::path(post, path = "/api/v1/team/invitations", tag = "team", request_body = InviteRequest,
    responses((status = 201, body = Invitation), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn invite(State(state): State<AppState>, actor: Actor, Json(r): Json<InviteRequest>) -> ApiResult<(StatusCode, Json<Invitation>)> {
    Ok((StatusCode::CREATED, Json(team::invite(&state, &actor, &r.email, &r.role).await?)))
}

/// Withdraw a pending invitation.
#[utoipa::path(delete, path = "/api/v1/team/invitations/{id}", tag = "team", responses((status = 204), (status = 404, body = Problem)))]
async fn revoke_invitation(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> ApiResult<StatusCode> {
    team::revoke_invitation(&state, &actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangeRoleRequest {
    pub role: String,
}

/// Change a member's role. The last Owner (Super Admin) cannot be demoted.
#[utoipa::path(patch, path = "/api/v1/team/members/{id}", tag = "team", request_body = ChangeRoleRequest,
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn change_member_role(State(state): State<AppState>, actor: Actor, Path(id): Path<String>, Json(r): Json<ChangeRoleRequest>) -> ApiResult<StatusCode> {
    team::change_role(&state, &actor, &id, &r.role).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Remove a member. The last Owner (Super Admin) cannot be removed.
#[utoipa::path(delete, path = "/api/v1/team/members/{id}", tag = "team",
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn remove_member(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> ApiResult<StatusCode> {
    team::remove_member(&state, &actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Your account's API keys (never their secrets).
#[utoipa::path(get, path = "/api/v1/api-keys", tag = "api-keys", responses((status = 200, body = [ApiKey]), (status = 403, body = Problem)))]
async fn list_api_keys(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<Vec<ApiKey>>> {
    Ok(Json(api_keys::list(&state, &actor).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateApiKeyRequest {
    pub name: String,
    /// A role of this kind of account; the key can do no more than your own role.
    pub role: String,
    /// Optional expiry (RFC 3339), in the future.
    pub expires_at: Option<String>,
}

/// Create an API key. The secret is in this response only. Its role can allow no more than yours;
/// an API key may create keys only when its role allows `api_keys.by_key`.
#[utoipa::path(post, path = "/api/v1/api-keys", tag = "api-keys", request_body = CreateApiKeyRequest,
    responses((status = 201, body = CreatedApiKey), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn create_api_key(State(state): State<AppState>, actor: Actor, Json(r): Json<CreateApiKeyRequest>) -> ApiResult<(StatusCode, Json<CreatedApiKey>)> {
    let created = api_keys::create(&state, &actor, &r.name, &r.role, r.expires_at.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Revoke an API key; requests with it are refused from now on.
#[utoipa::path(delete, path = "/api/v1/api-keys/{id}", tag = "api-keys", responses((status = 204), (status = 404, body = Problem)))]
async fn revoke_api_key(State(state): State<AppState>, actor: Actor, Path(id): Path<String>) -> ApiResult<StatusCode> {
    api_keys::revoke(&state, &actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RevokedKeys {
    /// How many live keys were revoked.
    pub revoked: u64,
}

/// Revoke every API key you hold: after a password reset, a lost device, or when in doubt. Needs a
/// signed-in person (not a key).
#[utoipa::path(post, path = "/api/v1/me/api-keys/revoke-all", tag = "me", responses((status = 200, body = RevokedKeys), (status = 403, body = Problem)))]
async fn revoke_my_api_keys(State(state): State<AppState>, actor: Actor) -> ApiResult<Json<RevokedKeys>> {
    Ok(Json(RevokedKeys { revoked: api_keys::revoke_mine(&state, &actor).await? }))
}
