//! The texts of identity's e-mails. (Admin-editable templates arrive with the messaging issue.)

pub fn verify_email(link: &str) -> (String, String) {
    (
        "Verify your e-mail address".into(),
        format!("Welcome to DIDtron.\n\nOpen this link to verify your e-mail address:\n\n{link}\n\nThe link is valid for 24 hours. If you did not sign up, ignore this message.\n"),
    )
}

pub fn reset_password(link: &str) -> (String, String) {
    (
        "Reset your DIDtron password".into(),
        format!("Someone asked to reset the password of your DIDtron account.\n\nOpen this link to choose a new password:\n\n{link}\n\nThe link is valid for 1 hour and works once. If it was not you, ignore this message: your password is unchanged.\n"),
    )
}

pub fn invitation(team: &str, role: &str, link: &str) -> (String, String) {
    (
        format!("You are invited to join {team} on DIDtron"),
        format!("You have been invited to join {team} on DIDtron as {role}.\n\nOpen this link to accept and set your password:\n\n{link}\n\nThe invitation is valid for 7 days.\n"),
    )
}
