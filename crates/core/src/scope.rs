//! Scoped assignment: which customers a record (a POP, a plan, a rate card…) reaches.
//!
//! A record is assigned to ALL, to categories, to groups, to single customers, or made private to one
//! customer; any of these may instead *exclude* ("all categories except Individual"). For one
//! customer, only the assignments that match them count, and among those the most specific level
//! decides: ALL < category < group < customer (private counts as customer). At that level an
//! exclusion beats an inclusion. So "ALL, except category Individual, plus customer Y of Individual"
//! reaches everyone outside Individual and Y.
//!
//! Offerings a customer chooses among (POPs, plans, tiers) are every record that reaches them. A
//! single setting (the rate card, the LCR profile, the default auth method) is the record that
//! reaches them at the most specific level.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Scope {
    All,
    Category(String),
    Group(String),
    Customer(String),
    /// Only this customer may see and use the record.
    Private(String),
}

impl Scope {
    /// 0 for ALL up to 3 for one customer.
    pub fn specificity(&self) -> u8 {
        match self {
            Scope::All => 0,
            Scope::Category(_) => 1,
            Scope::Group(_) => 2,
            Scope::Customer(_) | Scope::Private(_) => 3,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Scope::All => "all",
            Scope::Category(_) => "category",
            Scope::Group(_) => "group",
            Scope::Customer(_) => "customer",
            Scope::Private(_) => "private",
        }
    }

    pub fn id(&self) -> Option<&str> {
        match self {
            Scope::All => None,
            Scope::Category(id) | Scope::Group(id) | Scope::Customer(id) | Scope::Private(id) => Some(id),
        }
    }

    pub fn from_parts(kind: &str, id: Option<String>) -> Option<Scope> {
        match (kind, id) {
            ("all", _) => Some(Scope::All),
            ("category", Some(id)) => Some(Scope::Category(id)),
            ("group", Some(id)) => Some(Scope::Group(id)),
            ("customer", Some(id)) => Some(Scope::Customer(id)),
            ("private", Some(id)) => Some(Scope::Private(id)),
            _ => None,
        }
    }

    fn matches(&self, p: &Placement) -> bool {
        match self {
            Scope::All => true,
            Scope::Category(id) => p.category.as_deref() == Some(id),
            Scope::Group(id) => p.group.as_deref() == Some(id),
            Scope::Customer(id) | Scope::Private(id) => *id == p.customer,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub struct Assignment {
    pub scope: Scope,
    /// An exclusion removes the record for the scope instead of granting it.
    #[serde(default)]
    pub exclude: bool,
}

impl Assignment {
    pub fn include(scope: Scope) -> Assignment {
        Assignment { scope, exclude: false }
    }

    pub fn exclude(scope: Scope) -> Assignment {
        Assignment { scope, exclude: true }
    }
}

/// Where a customer sits: its category and group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub customer: String,
    pub category: Option<String>,
    pub group: Option<String>,
}

/// How a kind of record is resolved for a customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    /// The customer gets every record that reaches them.
    Many,
    /// The customer gets the one record that reaches them most specifically.
    One,
}

/// The level at which the assignments reach the customer, or `None` when they do not.
pub fn reach(assignments: &[Assignment], p: &Placement) -> Option<u8> {
    let matching: Vec<&Assignment> = assignments.iter().filter(|a| a.scope.matches(p)).collect();
    let top = matching.iter().map(|a| a.scope.specificity()).max()?;
    let excluded = matching.iter().any(|a| a.scope.specificity() == top && a.exclude);
    (!excluded).then_some(top)
}

/// Resolves records of one kind for a customer. `records` are in the kind's order of preference
/// (used to break ties between equally specific single settings).
pub fn resolve<'a, R>(choice: Choice, records: impl IntoIterator<Item = (R, &'a [Assignment])>, p: &Placement) -> Vec<R> {
    let reached = records.into_iter().filter_map(|(r, a)| reach(a, p).map(|level| (r, level)));
    match choice {
        Choice::Many => reached.map(|(r, _)| r).collect(),
        Choice::One => {
            let mut best: Option<(R, u8)> = None;
            for (r, level) in reached {
                if best.as_ref().is_none_or(|(_, b)| level > *b) {
                    best = Some((r, level));
                }
            }
            best.map(|(r, _)| vec![r]).unwrap_or_default()
        }
    }
}

/// Checks an assignment set: a private record has exactly that one assignment, ALL is never
/// excluded, and nothing is listed twice.
pub fn check(assignments: &[Assignment]) -> Result<(), String> {
    let privates = assignments.iter().filter(|a| matches!(a.scope, Scope::Private(_))).count();
    if privates > 0 && assignments.len() > 1 {
        return Err("a private record belongs to one customer only: remove the other assignments".into());
    }
    if assignments.iter().any(|a| a.exclude && matches!(a.scope, Scope::All | Scope::Private(_))) {
        return Err("only categories, groups and customers can be excluded".into());
    }
    for (i, a) in assignments.iter().enumerate() {
        if assignments[..i].iter().any(|b| b.scope == a.scope) {
            return Err(format!("the {} scope is listed twice", a.scope.kind()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(customer: &str, category: Option<&str>, group: Option<&str>) -> Placement {
        Placement { customer: customer.into(), category: category.map(Into::into), group: group.map(Into::into) }
    }

    fn cat(id: &str) -> Scope {
        Scope::Category(id.into())
    }

    #[test]
    fn all_reaches_everyone() {
        assert_eq!(reach(&[Assignment::include(Scope::All)], &at("c1", None, None)), Some(0));
    }

    #[test]
    fn nothing_assigned_reaches_no_one() {
        assert_eq!(reach(&[], &at("c1", Some("sip"), None)), None);
    }

    #[test]
    fn exclusions_cut_a_category_out_of_all() {
        let a = [Assignment::include(Scope::All), Assignment::exclude(cat("individual"))];
        assert_eq!(reach(&a, &at("c1", Some("sip"), None)), Some(0));
        assert_eq!(reach(&a, &at("c2", Some("individual"), None)), None);
    }

    #[test]
    fn a_more_specific_inclusion_beats_a_wider_exclusion_and_vice_versa() {
        let a = [
            Assignment::include(Scope::All),
            Assignment::exclude(cat("individual")),
            Assignment::include(Scope::Group("vip".into())),
            Assignment::exclude(Scope::Customer("bad".into())),
        ];
        assert_eq!(reach(&a, &at("y", Some("individual"), Some("vip"))), Some(2), "group beats category");
        assert_eq!(reach(&a, &at("bad", Some("sip"), Some("vip"))), None, "customer beats group");
        assert_eq!(reach(&a, &at("z", Some("individual"), None)), None);
    }

    #[test]
    fn at_the_same_level_exclusion_wins() {
        let a = [Assignment::include(cat("sip")), Assignment::exclude(Scope::Group("g".into())), Assignment::include(Scope::Group("g2".into()))];
        assert_eq!(reach(&a, &at("c", Some("sip"), Some("g"))), None);
    }

    #[test]
    fn private_records_reach_only_their_customer() {
        let a = [Assignment::include(Scope::Private("acme".into()))];
        assert_eq!(reach(&a, &at("acme", Some("sip"), None)), Some(3));
        assert_eq!(reach(&a, &at("other", Some("sip"), None)), None);
    }

    #[test]
    fn offerings_are_the_union_of_every_scope() {
        let all = [Assignment::include(Scope::All)];
        let sip = [Assignment::include(cat("sip"))];
        let private = [Assignment::include(Scope::Private("acme".into()))];
        let other = [Assignment::include(cat("enterprise"))];
        let records = [("basic", &all[..]), ("trunk", &sip[..]), ("custom", &private[..]), ("ent", &other[..])];
        assert_eq!(resolve(Choice::Many, records, &at("acme", Some("sip"), None)), ["basic", "trunk", "custom"]);
        assert_eq!(resolve(Choice::Many, records, &at("bob", Some("sip"), None)), ["basic", "trunk"]);
    }

    #[test]
    fn a_single_setting_takes_the_most_specific_assignment() {
        let all = [Assignment::include(Scope::All)];
        let sip = [Assignment::include(cat("sip"))];
        let group = [Assignment::include(Scope::Group("gold".into()))];
        let one = [Assignment::include(Scope::Customer("acme".into()))];
        let records = [("global", &all[..]), ("category", &sip[..]), ("group", &group[..]), ("customer", &one[..])];
        assert_eq!(resolve(Choice::One, records, &at("acme", Some("sip"), Some("gold"))), ["customer"]);
        assert_eq!(resolve(Choice::One, records, &at("bob", Some("sip"), Some("gold"))), ["group"]);
        assert_eq!(resolve(Choice::One, records, &at("bob", Some("sip"), None)), ["category"]);
        assert_eq!(resolve(Choice::One, records, &at("bob", Some("enterprise"), None)), ["global"]);
        // Equal specificity: the first in the kind's order wins.
        let records = [("first", &all[..]), ("second", &all[..])];
        assert_eq!(resolve(Choice::One, records, &at("bob", None, None)), ["first"]);
    }

    #[test]
    fn assignment_sets_are_checked() {
        assert!(check(&[Assignment::include(Scope::Private("a".into())), Assignment::include(Scope::All)]).is_err());
        assert!(check(&[Assignment::exclude(Scope::All)]).is_err());
        assert!(check(&[Assignment::include(cat("a")), Assignment::exclude(cat("a"))]).is_err());
        assert!(check(&[Assignment::include(Scope::All), Assignment::exclude(cat("a"))]).is_ok());
    }
}
