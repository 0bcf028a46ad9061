//! The texts of identity's e-mails. (Admin-editable templates arrive with the messaging issue.)

pub fn verify_email(link: &str) -> (String, String) {
    (
        "Verify your e-mail address".into(),
        format!("Welcome to DIDtron.\n\nOpen this link to verify your e-mail address:\n\n{link}\n\nThe link is valid for 24 hours. If you did not sign up, ignore this message.\n"),
    )
}

/// Sent instead of a verification link when someone signs up with an address that has an account,
/// so the answer to the sign-up does not tell whether it has one.
pub fn already_registered(sign_in: &str, reset: &str) -> (String, String) {
    (
        "You already have a DIDtron account".into(),
        format!("Someone tried to sign up for DIDtron with this e-mail address, which already has an account.\n\nIf it was you, sign in at {sign_in}\nor choose a new password at {reset}\n\nIf it was not you, ignore this message: nothing was changed.\n"),
    )
}

pub fn reset_password(link: &str) -> (String, String) {
    (
        "Reset your DIDtron password".into(),
        format!("Someone asked to reset the password of your DIDtron account.\n\nOpen this link to choose a new password:\n\n{link}\n\nThe link is valid for 1 hour and works once; asking again makes the older links stop working once one is used. If it was not you, ignore this message: your password is unchanged.\n"),
    )
}

pub fn invitation(team: &str, role: &str, link: &str) -> (String, String) {
    (
        format!("You are invited to join {team} on DIDtron"),
        format!("You have been invited to join {team} on DIDtron as {role}.\n\nOpen this link to accept and set your password:\n\n{link}\n\nThe invitation is valid for 7 days.\n"),
    )
}

/// Sent instead of an invitation link when the address already has an account elsewhere, so the
/// inviter does not learn whether it has one.
pub fn invitation_to_member(team: &str, role: &str) -> (String, String) {
    (
        format!("You are invited to join {team} on DIDtron"),
        format!("{team} invited you to join their DIDtron account as {role}.\n\nThis e-mail address already has a DIDtron account, and a person belongs to one account only, so the invitation cannot be accepted with it. If you want to join, ask them to invite another address of yours.\n"),
    )
}

/// A security notice: something changed that the account's owner should know about at once.
pub fn security_notice(what: &str, details: &str, settings: &str) -> (String, String) {
    (
        format!("Security notice: {what}"),
        format!("{what}.\n\n{details}\n\nIf this was you, there is nothing to do. If it was not, reset your password now, turn two-factor authentication on, and revoke your API keys: sign in at {settings} and open API keys.\n"),
    )
}
