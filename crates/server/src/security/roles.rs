//! Privileges, their scopes, and roles: what a user may do, as the Enterprise server grants it.
//!
//! A privilege is a code (the numbers of the admin protocol) and a scope: global, one namespace,
//! or one set of a namespace. The admin privileges (codes below 10) are global only. Every
//! privilege name is also a predefined role holding that privilege globally, as on a new
//! Enterprise server; user-defined roles hold any privileges plus a whitelist and quotas.

/// What a command needs to be allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Perm {
    Read,
    Write,
    /// Both, as one command that reads and writes needs (possibly from different privileges).
    ReadWrite,
    /// Applying a record UDF, or a background UDF job.
    UdfWrite,
    Truncate,
    SindexAdmin,
    UdfAdmin,
    UserAdmin,
    SysAdmin,
}

use Perm::*;

/// The privilege codes: wire number, name (also the predefined role's name), what it grants.
const CODES: [(u8, &str, &[Perm]); 10] = [
    (0, "user-admin", &[UserAdmin]),
    (1, "sys-admin", &[SysAdmin, SindexAdmin, UdfAdmin, Truncate]),
    (2, "data-admin", &[SindexAdmin, UdfAdmin, Truncate]),
    (3, "udf-admin", &[UdfAdmin]),
    (4, "sindex-admin", &[SindexAdmin]),
    (10, "read", &[Read]),
    (11, "read-write", &[Read, Write]),
    (12, "read-write-udf", &[Read, Write, UdfWrite]),
    (13, "write", &[Write]),
    (14, "truncate", &[Truncate]),
];

/// The first code that can be scoped to a namespace or set.
const FIRST_SCOPED: u8 = 10;

/// One privilege: a code and its scope (an empty namespace is global, an empty set the whole
/// namespace).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Privilege {
    pub code: u8,
    pub namespace: String,
    pub set: String,
}

impl Privilege {
    /// A global privilege of the code named `name` (`None`: no such privilege).
    pub fn named(name: &str) -> Option<Privilege> {
        let (code, _, _) = CODES.iter().find(|(_, n, _)| *n == name)?;
        Some(Privilege {
            code: *code,
            namespace: String::new(),
            set: String::new(),
        })
    }

    /// Whether the code exists and the scope is allowed for it (a set needs a namespace; admin
    /// codes are global only).
    pub fn is_valid(&self) -> bool {
        CODES.iter().any(|(c, _, _)| *c == self.code)
            && (self.code >= FIRST_SCOPED || self.namespace.is_empty() && self.set.is_empty())
            && (self.set.is_empty() || !self.namespace.is_empty())
    }

    /// Whether the wire form carries a scope (namespace and set) after the code.
    pub fn scoped(code: u8) -> bool {
        code >= FIRST_SCOPED
    }

    /// Whether this privilege allows `perm` (not [`Perm::ReadWrite`], which takes two checks)
    /// on `namespace` and `set` (empty: none named).
    pub fn grants(&self, perm: Perm, namespace: &[u8], set: &[u8]) -> bool {
        let grants_perm = CODES
            .iter()
            .any(|(c, _, perms)| *c == self.code && perms.contains(&perm));
        grants_perm
            && (self.namespace.is_empty() || self.namespace.as_bytes() == namespace)
            && (self.set.is_empty() || self.set.as_bytes() == set)
    }
}

/// A role: its privileges, the addresses its users may connect from (empty: any) and its
/// quotas (records per second; 0: none).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Role {
    pub name: String,
    pub privileges: Vec<Privilege>,
    pub whitelist: Vec<String>,
    pub read_quota: u32,
    pub write_quota: u32,
}

/// The predefined roles, one per privilege code, each holding that privilege globally (they
/// are never stored, so they cannot be dropped or changed).
pub fn predefined() -> impl Iterator<Item = Role> {
    CODES.iter().filter_map(|(_, name, _)| {
        Some(Role {
            name: name.to_string(),
            privileges: vec![Privilege::named(name)?],
            ..Role::default()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scoped(code: u8, ns: &str, set: &str) -> Privilege {
        Privilege {
            code,
            namespace: ns.into(),
            set: set.into(),
        }
    }

    #[test]
    fn scopes_narrow_what_a_privilege_grants() {
        let global = Privilege::named("read-write").unwrap();
        assert!(global.grants(Write, b"test", b"any"));
        assert!(!global.grants(UdfWrite, b"test", b""));
        let ns = scoped(10, "test", "");
        assert!(ns.grants(Read, b"test", b"s") && !ns.grants(Read, b"bar", b"s"));
        assert!(!ns.grants(Write, b"test", b"s"));
        let set = scoped(13, "test", "s");
        assert!(set.grants(Write, b"test", b"s") && !set.grants(Write, b"test", b"t"));
        assert!(Privilege::named("data-admin")
            .unwrap()
            .grants(Truncate, b"", b""));
    }

    #[test]
    fn admin_codes_are_global_only() {
        assert!(scoped(10, "test", "s").is_valid());
        assert!(!scoped(0, "test", "").is_valid());
        assert!(!scoped(10, "", "s").is_valid());
        assert!(!scoped(9, "", "").is_valid());
        assert_eq!(predefined().count(), 10);
    }
}
