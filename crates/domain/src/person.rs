//! People and their roles: e-mail addresses as a parsed type, and the roles a person holds
//! in an organisation or a cluster.

use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid e-mail address '{0}'")]
pub struct EmailError(pub String);

/// A syntactically plausible e-mail address, lower-cased so that lookups are case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Email, EmailError> {
        let candidate = input.trim().to_lowercase();
        let invalid = || EmailError(input.chars().take(80).collect());
        if candidate.len() > 254 || candidate.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = candidate.split_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.contains('@')
            && domain
                .split('.')
                .all(|label| !label.is_empty() && label.len() <= 63);
        if local.is_empty() || local.len() > 64 || !domain_ok {
            return Err(invalid());
        }
        Ok(Email(candidate))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Email {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Email::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// What a person may be in Passerelle. A person can hold several roles at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Cluster staff (animateur du pôle); scoped to a cluster.
    ClusterAdmin,
    /// Manages their own organisation's profile and people.
    OrgAdmin,
    /// Large-account purchaser.
    Buyer,
    /// Scores dossiers for one buyer's call, sees nothing else.
    Evaluator,
    /// Handles the confidential cases assigned to them.
    Mediator,
    /// Any other person of a member organisation.
    Member,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown role '{0}': expected one of cluster_admin, org_admin, buyer, evaluator, mediator, member")]
pub struct RoleError(pub String);

impl Role {
    pub const ALL: [Role; 6] = [
        Role::ClusterAdmin,
        Role::OrgAdmin,
        Role::Buyer,
        Role::Evaluator,
        Role::Mediator,
        Role::Member,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::ClusterAdmin => "cluster_admin",
            Role::OrgAdmin => "org_admin",
            Role::Buyer => "buyer",
            Role::Evaluator => "evaluator",
            Role::Mediator => "mediator",
            Role::Member => "member",
        }
    }

    pub fn parse(input: &str) -> Result<Role, RoleError> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == input.trim())
            .ok_or_else(|| RoleError(input.chars().take(40).collect()))
    }

    /// Cluster admins act on a cluster; every other role is held within an organisation.
    pub fn is_cluster_scoped(self) -> bool {
        matches!(self, Role::ClusterAdmin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn email_is_lowercased_and_trimmed() {
        assert_eq!(
            Email::parse("  Jean.Dupont@Pole-Demo.FR ").unwrap().as_str(),
            "jean.dupont@pole-demo.fr"
        );
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "jean",
            "jean@",
            "@pole.fr",
            "jean@pole",
            "je an@pole.fr",
            "a@b@c.fr",
            "jean@pole..fr",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn roles_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("superuser").is_err());
    }

    proptest! {
        #[test]
        fn parsed_email_reparses_to_itself(local in "[a-z0-9._-]{1,20}", domain in "[a-z0-9-]{1,20}\\.[a-z]{2,6}") {
            let email = Email::parse(&format!("{local}@{domain}")).unwrap();
            prop_assert_eq!(Email::parse(email.as_str()).unwrap(), email);
        }
    }
}
