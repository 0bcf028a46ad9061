//! Who may do what: tenants, roles and the one permission matrix, checked by every service.
//!
//! A user belongs to exactly one tenant and has one role in it. The platform tenant is the
//! operator's own staff; customers and carriers are the operator's clients and suppliers.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TenantKind {
    Platform,
    Customer,
    Carrier,
}

impl TenantKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TenantKind::Platform => "platform",
            TenantKind::Customer => "customer",
            TenantKind::Carrier => "carrier",
        }
    }

    pub fn parse(s: &str) -> Option<TenantKind> {
        [TenantKind::Platform, TenantKind::Customer, TenantKind::Carrier].into_iter().find(|k| k.as_str() == s)
    }

    /// The roles a user of this kind of tenant can have, most powerful first.
    pub fn roles(self) -> &'static [Role] {
        use Role::*;
        match self {
            TenantKind::Platform => &[SuperAdmin, Admin, Finance, Support, Sales, Marketing, Viewer],
            TenantKind::Customer | TenantKind::Carrier => &[Owner, Admin, Billing, Technical, Viewer],
        }
    }

    /// The role that cannot be left without a holder (the last one cannot be removed or demoted).
    pub fn top_role(self) -> Role {
        self.roles()[0]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    SuperAdmin,
    Admin,
    Finance,
    Support,
    Sales,
    Marketing,
    Viewer,
    Owner,
    Billing,
    Technical,
}

impl Role {
    pub const ALL: [Role; 10] = [
        Role::SuperAdmin,
        Role::Admin,
        Role::Finance,
        Role::Support,
        Role::Sales,
        Role::Marketing,
        Role::Viewer,
        Role::Owner,
        Role::Billing,
        Role::Technical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::SuperAdmin => "super_admin",
            Role::Admin => "admin",
            Role::Finance => "finance",
            Role::Support => "support",
            Role::Sales => "sales",
            Role::Marketing => "marketing",
            Role::Viewer => "viewer",
            Role::Owner => "owner",
            Role::Billing => "billing",
            Role::Technical => "technical",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::SuperAdmin => "Super Admin",
            Role::Admin => "Admin",
            Role::Finance => "Finance",
            Role::Support => "Support",
            Role::Sales => "Sales",
            Role::Marketing => "Marketing",
            Role::Viewer => "Viewer",
            Role::Owner => "Owner",
            Role::Billing => "Billing",
            Role::Technical => "Technical",
        }
    }

    /// The role parsed and checked against the tenant kind it would be held in.
    pub fn parse_for(kind: TenantKind, s: &str) -> Option<Role> {
        Role::parse(s).filter(|r| kind.roles().contains(r))
    }

    /// Only the top role (Super Admin, Owner) may grant, change or remove the top role.
    pub fn may_manage(self, kind: TenantKind, target: Role) -> bool {
        target != kind.top_role() || self == kind.top_role()
    }

    /// Whether a holder of this role may hand out `other` — as an API key's role, in an invitation,
    /// or by changing a member's role — and may change or remove a member who holds `other`.
    ///
    /// The one rule for every credential: it never grants more than its holder has. `other` must
    /// belong to the tenant kind, allow nothing this role does not allow, and be the top role only
    /// when this role is the top role (an Admin and an Owner of a customer allow the same actions,
    /// but only an Owner may make an Owner, so an Admin cannot mint an Owner key and use it to
    /// take the account over).
    pub fn may_grant(self, kind: TenantKind, other: Role) -> bool {
        if !kind.roles().contains(&self) || !kind.roles().contains(&other) || !self.may_manage(kind, other) {
            return false;
        }
        Permission::ALL.into_iter().all(|p| !allows(kind, other, p) || allows(kind, self, p))
    }

    /// One sentence on what the role is for, shown beside role pickers.
    pub fn description(self, kind: TenantKind) -> &'static str {
        match (kind, self) {
            (TenantKind::Platform, Role::SuperAdmin) => "Everything, including system settings, the mail outbox and jobs.",
            (TenantKind::Platform, Role::Admin) => "Everything except system settings: customers, carriers, configuration, finance, support.",
            (TenantKind::Platform, Role::Finance) => "Invoices, payments and payouts of every account; reads customers, configuration and the audit log.",
            (TenantKind::Platform, Role::Support) => "Tickets and support tools; reads customers, their services and configuration.",
            (TenantKind::Platform, Role::Sales) => "Creates and changes customers and carriers; reads configuration and billing.",
            (TenantKind::Platform, Role::Marketing) => "Campaigns, social media and content; reads customers.",
            (TenantKind::Platform, Role::Viewer) => "Reads customers, configuration, services and billing; changes nothing.",
            (TenantKind::Carrier, Role::Owner) => "Everything in this account, including who else is an Owner.",
            (TenantKind::Carrier, Role::Admin) => "Team, API keys, rate cards and billing; cannot grant or change the Owner role.",
            (TenantKind::Carrier, Role::Technical) => "Rate cards and API keys; reads the team and services.",
            (_, Role::Owner) => "Everything in this account, including who else is an Owner.",
            (_, Role::Admin) => "Team, API keys, services and billing; cannot grant or change the Owner role.",
            (_, Role::Billing) => "Balance, invoices and payments; reads the team and services.",
            (_, Role::Technical) => "Trunks, numbers, PBX and API keys; reads the team.",
            (_, Role::Viewer) => "Reads the team, services and billing; changes nothing.",
            _ => "",
        }
    }
}

/// Every action that is checked. Named `area.verb`; the string form is what `/api/v1/me` lists and
/// the web app uses to hide what a role cannot do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Permission {
    /// Read the tenant's members and invitations.
    TeamRead,
    /// Invite, change roles of and remove members.
    TeamManage,
    /// Create and revoke the tenant's API keys.
    ApiKeysManage,
    /// Read the tenant's services: trunks, numbers, PBX.
    ServicesRead,
    /// Change the tenant's services.
    ServicesManage,
    /// Read balance, invoices, payments.
    BillingRead,
    /// Pay, top up, change billing settings.
    BillingManage,
    /// Carrier: upload and manage rate cards.
    RatesManage,
    /// Platform: read customers and carriers.
    CustomersRead,
    /// Platform: create, change, move, suspend customers and carriers.
    CustomersManage,
    /// Platform: read the configuration catalog, routing and monitoring.
    ConfigRead,
    /// Platform: change configuration, routing and monitoring; push to the switch.
    ConfigManage,
    /// Platform: invoices, payments, refunds, payouts of every tenant.
    FinanceManage,
    /// Platform: tickets and customer support tools.
    SupportManage,
    /// Platform: campaigns, social media, content.
    MarketingManage,
    /// Platform: the audit log.
    AuditRead,
    /// Platform: system settings, the mail outbox, jobs, retention.
    SystemManage,
    /// An API key of this role may create further API keys. People need only `api_keys.manage`;
    /// a key needs this too, so that a leaked key cannot mint its own replacements.
    ApiKeysByKey,
}

impl Permission {
    pub const ALL: [Permission; 18] = [
        Permission::TeamRead,
        Permission::TeamManage,
        Permission::ApiKeysManage,
        Permission::ServicesRead,
        Permission::ServicesManage,
        Permission::BillingRead,
        Permission::BillingManage,
        Permission::RatesManage,
        Permission::CustomersRead,
        Permission::CustomersManage,
        Permission::ConfigRead,
        Permission::ConfigManage,
        Permission::FinanceManage,
        Permission::SupportManage,
        Permission::MarketingManage,
        Permission::AuditRead,
        Permission::SystemManage,
        Permission::ApiKeysByKey,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::TeamRead => "team.read",
            Permission::TeamManage => "team.manage",
            Permission::ApiKeysManage => "api_keys.manage",
            Permission::ServicesRead => "services.read",
            Permission::ServicesManage => "services.manage",
            Permission::BillingRead => "billing.read",
            Permission::BillingManage => "billing.manage",
            Permission::RatesManage => "rates.manage",
            Permission::CustomersRead => "customers.read",
            Permission::CustomersManage => "customers.manage",
            Permission::ConfigRead => "config.read",
            Permission::ConfigManage => "config.manage",
            Permission::FinanceManage => "finance.manage",
            Permission::SupportManage => "support.manage",
            Permission::MarketingManage => "marketing.manage",
            Permission::AuditRead => "audit.read",
            Permission::SystemManage => "system.manage",
            Permission::ApiKeysByKey => "api_keys.by_key",
        }
    }

    /// What the permission allows, in words for role pickers.
    pub fn label(self) -> &'static str {
        match self {
            Permission::TeamRead => "See the team and invitations",
            Permission::TeamManage => "Invite, change roles of and remove members",
            Permission::ApiKeysManage => "Create and revoke API keys",
            Permission::ServicesRead => "See services",
            Permission::ServicesManage => "Change trunks, numbers and PBX",
            Permission::BillingRead => "See balance, invoices and payments",
            Permission::BillingManage => "Pay, top up and change billing settings",
            Permission::RatesManage => "Upload and manage rate cards",
            Permission::CustomersRead => "See customers and carriers",
            Permission::CustomersManage => "Create, change, move and suspend customers and carriers",
            Permission::ConfigRead => "See configuration, routing and monitoring",
            Permission::ConfigManage => "Change configuration and routing, push to the switch",
            Permission::FinanceManage => "Invoices, payments, refunds and payouts of every account",
            Permission::SupportManage => "Tickets and support tools",
            Permission::MarketingManage => "Campaigns, social media and content",
            Permission::AuditRead => "Read the audit log",
            Permission::SystemManage => "System settings, mail outbox, jobs and retention",
            Permission::ApiKeysByKey => "Let an API key create further API keys",
        }
    }
}

/// The permission matrix: whether `role`, held in a tenant of `kind`, allows `permission`.
/// A role outside its tenant kind allows nothing.
pub fn allows(kind: TenantKind, role: Role, permission: Permission) -> bool {
    use Permission::*;
    use Role::*;
    if !kind.roles().contains(&role) {
        return false;
    }
    match kind {
        TenantKind::Platform => match role {
            SuperAdmin => true,
            // Only the Super Admin's keys may mint keys (and only it manages the system).
            Admin => !matches!(permission, SystemManage | ApiKeysByKey),
            Finance => matches!(permission, TeamRead | CustomersRead | ConfigRead | BillingRead | FinanceManage | AuditRead),
            Support => matches!(permission, TeamRead | CustomersRead | ConfigRead | ServicesRead | SupportManage),
            Sales => matches!(permission, TeamRead | CustomersRead | CustomersManage | ConfigRead | BillingRead),
            Marketing => matches!(permission, TeamRead | CustomersRead | MarketingManage),
            Viewer => matches!(permission, TeamRead | CustomersRead | ConfigRead | ServicesRead | BillingRead),
            _ => false,
        },
        TenantKind::Customer | TenantKind::Carrier => {
            // Services for a customer are trunks, numbers and PBX; for a carrier, its rate cards.
            let manage_own = if kind == TenantKind::Carrier { RatesManage } else { ServicesManage };
            match role {
                Owner | Admin => {
                    matches!(permission, TeamRead | TeamManage | ApiKeysManage | ServicesRead | BillingRead | BillingManage)
                        || permission == manage_own
                }
                Billing => matches!(permission, TeamRead | ServicesRead | BillingRead | BillingManage),
                Technical => matches!(permission, TeamRead | ApiKeysManage | ServicesRead) || permission == manage_own,
                Viewer => matches!(permission, TeamRead | ServicesRead | BillingRead),
                _ => false,
            }
        }
    }
}

/// Every permission the role allows, in the order of [`Permission::ALL`].
pub fn permissions_of(kind: TenantKind, role: Role) -> Vec<Permission> {
    Permission::ALL.into_iter().filter(|p| allows(kind, role, *p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Permission::*;

    #[test]
    fn every_tenant_kind_has_its_roles() {
        assert_eq!(TenantKind::Platform.roles().len(), 7);
        assert_eq!(TenantKind::Customer.roles().len(), 5);
        assert_eq!(TenantKind::Carrier.roles().len(), 5);
        assert_eq!(Role::parse_for(TenantKind::Customer, "super_admin"), None);
        assert_eq!(Role::parse_for(TenantKind::Platform, "owner"), None);
        assert_eq!(Role::parse_for(TenantKind::Carrier, "technical"), Some(Role::Technical));
    }

    #[test]
    fn only_the_super_admin_manages_the_system() {
        for role in TenantKind::Platform.roles() {
            assert_eq!(allows(TenantKind::Platform, *role, SystemManage), *role == Role::SuperAdmin, "{role:?}");
        }
    }

    #[test]
    fn customers_and_carriers_never_get_platform_powers() {
        for kind in [TenantKind::Customer, TenantKind::Carrier] {
            for role in kind.roles() {
                for p in [CustomersRead, CustomersManage, ConfigRead, ConfigManage, FinanceManage, AuditRead, SystemManage] {
                    assert!(!allows(kind, *role, p), "{kind:?} {role:?} {p:?}");
                }
            }
        }
    }

    #[test]
    fn a_role_outside_its_tenant_kind_allows_nothing() {
        assert!(permissions_of(TenantKind::Customer, Role::SuperAdmin).is_empty());
        assert!(permissions_of(TenantKind::Platform, Role::Owner).is_empty());
    }

    #[test]
    fn viewers_only_read() {
        for kind in [TenantKind::Platform, TenantKind::Customer, TenantKind::Carrier] {
            for p in permissions_of(kind, Role::Viewer) {
                assert!(p.as_str().ends_with(".read"), "{kind:?} viewer has {p:?}");
            }
        }
    }

    #[test]
    fn the_matrix_distinguishes_customer_roles() {
        let c = TenantKind::Customer;
        assert!(allows(c, Role::Billing, BillingManage) && !allows(c, Role::Billing, ServicesManage));
        assert!(allows(c, Role::Technical, ServicesManage) && !allows(c, Role::Technical, BillingManage));
        assert!(allows(c, Role::Owner, TeamManage) && !allows(c, Role::Technical, TeamManage));
        assert!(allows(TenantKind::Carrier, Role::Technical, RatesManage));
        assert!(!allows(TenantKind::Carrier, Role::Technical, ServicesManage));
    }

    #[test]
    fn no_role_grants_more_than_it_has() {
        for kind in [TenantKind::Platform, TenantKind::Customer, TenantKind::Carrier] {
            for holder in kind.roles() {
                assert!(holder.may_grant(kind, *holder), "{kind:?} {holder:?} grants its own role");
                for other in kind.roles() {
                    if holder.may_grant(kind, *other) {
                        for p in permissions_of(kind, *other) {
                            assert!(allows(kind, *holder, p), "{kind:?} {holder:?} grants {other:?} with {p:?}");
                        }
                    }
                }
            }
        }
        let c = TenantKind::Customer;
        // An Admin allows what an Owner allows, and still cannot make an Owner (or an Owner key).
        assert_eq!(permissions_of(c, Role::Admin), permissions_of(c, Role::Owner));
        assert!(!Role::Admin.may_grant(c, Role::Owner));
        assert!(Role::Owner.may_grant(c, Role::Owner));
        assert!(Role::Admin.may_grant(c, Role::Admin) && Role::Admin.may_grant(c, Role::Billing));
        assert!(!Role::Technical.may_grant(c, Role::Admin) && Role::Technical.may_grant(c, Role::Technical));
        assert!(!Role::Billing.may_grant(c, Role::Technical), "billing cannot manage services");
        assert!(!Role::Admin.may_grant(TenantKind::Platform, Role::SuperAdmin));
        assert!(Role::Admin.may_grant(TenantKind::Platform, Role::Finance));
        assert!(!Role::Owner.may_grant(TenantKind::Platform, Role::Viewer), "a role outside its tenant kind grants nothing");
        assert!(!Role::Owner.may_grant(c, Role::SuperAdmin));
    }

    #[test]
    fn only_the_super_admin_role_lets_a_key_mint_keys() {
        for kind in [TenantKind::Platform, TenantKind::Customer, TenantKind::Carrier] {
            for role in kind.roles() {
                assert_eq!(allows(kind, *role, ApiKeysByKey), *role == Role::SuperAdmin, "{kind:?} {role:?}");
            }
        }
    }

    #[test]
    fn every_role_and_permission_is_described() {
        for kind in [TenantKind::Platform, TenantKind::Customer, TenantKind::Carrier] {
            for role in kind.roles() {
                assert!(!role.description(kind).is_empty(), "{kind:?} {role:?}");
            }
        }
        for p in Permission::ALL {
            assert!(!p.label().is_empty());
        }
    }

    #[test]
    fn only_the_top_role_grants_the_top_role() {
        let c = TenantKind::Customer;
        assert!(Role::Owner.may_manage(c, Role::Owner));
        assert!(!Role::Admin.may_manage(c, Role::Owner));
        assert!(Role::Admin.may_manage(c, Role::Billing));
        assert!(!Role::Admin.may_manage(TenantKind::Platform, Role::SuperAdmin));
    }
}
