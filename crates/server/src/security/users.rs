//! Users and their password hashes.
//!
//! The official clients never send a password: they send its bcrypt hash made with one fixed
//! salt (cost 10, `$2a$`), both when a user is created and at every login. The server stores
//! that hash and compares what a login sends with it, so a login costs a comparison, not a
//! bcrypt round (a thousand failed logins in a row cost nothing). Only passwords given in clear
//! (the configuration, an EXTERNAL login's clear password) are hashed here.

/// The salt every Aerospike client hashes passwords with (`7EqJtq98hPqEX7fNZaFWoO` in bcrypt's
/// base64 alphabet).
const CLIENT_SALT: [u8; 16] = [
    244, 107, 11, 190, 207, 254, 141, 27, 6, 103, 216, 79, 109, 193, 216, 169,
];

/// The bcrypt cost the clients use.
const CLIENT_COST: u32 = 10;

/// A user: name, the client hash of its password, its roles, and a generation that changes
/// with the password so sessions made with the old one stop working.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub hash: String,
    pub roles: Vec<String>,
    pub generation: u32,
}

impl User {
    /// Whether `credential` (a client hash) is this user's password.
    pub fn matches(&self, credential: &[u8]) -> bool {
        same(self.hash.as_bytes(), credential)
    }
}

/// The hash a client sends for `password`.
pub fn client_hash(password: &str) -> String {
    bcrypt::hash_with_salt(password, CLIENT_COST, CLIENT_SALT)
        .map(|h| h.format_for_version(bcrypt::Version::TwoA))
        // Only fails for a cost out of range, and the cost is fixed.
        .unwrap_or_default()
}

/// Compares in time that depends only on the lengths, so a wrong guess tells nothing about
/// how much of it was right.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_as_the_clients_do() {
        // Known answers of the clients' hasher (same salt, cost and variant).
        assert_eq!(
            client_hash("password"),
            "$2a$10$7EqJtq98hPqEX7fNZaFWoOqUH6KN8IKy3Yk5Kz..RHGKNAUCoP/LG"
        );
        let u = User {
            name: "u".into(),
            hash: client_hash("password"),
            roles: vec![],
            generation: 0,
        };
        assert!(u.matches(u.hash.as_bytes()));
        assert!(!u.matches(b"$2a$10$7EqJtq98hPqEX7fNZaFWoOqUH6KN8IKy3Yk5Kz..RHGKNAUCoP/LH"));
        assert!(!u.matches(b""));
    }
}
