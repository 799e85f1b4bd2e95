//! The users and user-defined roles of a server, and what they add up to for one user.

use std::collections::BTreeMap;

use super::roles::{predefined, Perm, Privilege, Role};
use super::users::User;

/// Users by name and user-defined roles by name (the predefined ones are implied).
#[derive(Debug, Default)]
pub struct Registry {
    pub users: BTreeMap<String, User>,
    pub roles: BTreeMap<String, Role>,
}

impl Registry {
    /// A role by name, predefined or user-defined.
    pub fn role(&self, name: &str) -> Option<Role> {
        match self.roles.get(name) {
            Some(r) => Some(r.clone()),
            None => predefined().find(|r| r.name == name),
        }
    }

    /// Every role, the predefined ones first.
    pub fn all_roles(&self) -> Vec<Role> {
        predefined().chain(self.roles.values().cloned()).collect()
    }

    /// The roles `user` holds that exist.
    pub fn roles_of(&self, user: &User) -> Vec<Role> {
        user.roles.iter().filter_map(|r| self.role(r)).collect()
    }

    /// Whether `user` may do `perm` on `namespace` and `set`.
    pub fn allows(&self, user: &User, perm: Perm, namespace: &[u8], set: &[u8]) -> bool {
        if perm == Perm::ReadWrite {
            return self.allows(user, Perm::Read, namespace, set)
                && self.allows(user, Perm::Write, namespace, set);
        }
        self.roles_of(user)
            .iter()
            .flat_map(|r| &r.privileges)
            .any(|p: &Privilege| p.grants(perm, namespace, set))
    }
}
