//! Session tokens: what LOGIN returns and AUTHENTICATE accepts on a new connection.
//!
//! A token carries its own user, expiry and the user's password generation, sealed with a MAC
//! under a key drawn when the server starts; the server keeps no session table, so logins
//! cannot grow its memory. A token is refused when its MAC is wrong (forged or damaged:
//! INVALID_CREDENTIAL), its expiry has passed (EXPIRED_SESSION), or its user was dropped or has
//! changed password since (INVALID_CREDENTIAL).
//!
//! The MAC is two SipHash outputs under the standard library's randomly seeded keys: a keyed
//! pseudo-random function, which is all a token seal needs, without another dependency.

use std::hash::{BuildHasher, Hasher, RandomState};

use crate::result as rc;

/// Bytes of the MAC at the front of a token.
const MAC_LEN: usize = 16;
/// MAC, expiry (u64 seconds) and generation (u32) before the user name.
const FIXED_LEN: usize = MAC_LEN + 8 + 4;

/// Issues and checks tokens.
pub struct Sessions {
    keys: [RandomState; 2],
}

/// What a valid-looking token says.
#[derive(Debug, PartialEq, Eq)]
pub struct Claim {
    pub user: String,
    pub generation: u32,
}

impl Default for Sessions {
    fn default() -> Self {
        Sessions {
            keys: [RandomState::new(), RandomState::new()],
        }
    }
}

impl Sessions {
    /// A token for `user` (at password `generation`) valid until `expires` (Unix seconds).
    pub fn issue(&self, user: &str, generation: u32, expires: u64) -> Vec<u8> {
        let mut body = expires.to_be_bytes().to_vec();
        body.extend_from_slice(&generation.to_be_bytes());
        body.extend_from_slice(user.as_bytes());
        let mut token = self.mac(&body).to_vec();
        token.extend_from_slice(&body);
        token
    }

    /// The token's claim, if it is sealed by this server and not expired at `now`.
    pub fn check(&self, token: &[u8], now: u64) -> Result<Claim, u8> {
        if token.len() < FIXED_LEN || self.mac(&token[MAC_LEN..]) != token[..MAC_LEN] {
            return Err(rc::INVALID_CREDENTIAL);
        }
        let expires = u64::from_be_bytes(token[MAC_LEN..MAC_LEN + 8].try_into().unwrap_or([0; 8]));
        if expires <= now {
            return Err(rc::EXPIRED_SESSION);
        }
        let generation =
            u32::from_be_bytes(token[MAC_LEN + 8..FIXED_LEN].try_into().unwrap_or([0; 4]));
        let user =
            String::from_utf8(token[FIXED_LEN..].to_vec()).map_err(|_| rc::INVALID_CREDENTIAL)?;
        Ok(Claim { user, generation })
    }

    fn mac(&self, body: &[u8]) -> [u8; MAC_LEN] {
        let mut out = [0u8; MAC_LEN];
        for (key, chunk) in self.keys.iter().zip(out.chunks_exact_mut(8)) {
            let mut h = key.build_hasher();
            h.write(body);
            chunk.copy_from_slice(&h.finish().to_be_bytes());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_sealed_and_expire() {
        let s = Sessions::default();
        let t = s.issue("alice", 3, 1000);
        let claim = s.check(&t, 999).unwrap();
        assert_eq!(
            claim,
            Claim {
                user: "alice".into(),
                generation: 3
            }
        );
        assert_eq!(s.check(&t, 1000), Err(rc::EXPIRED_SESSION));
        let mut forged = t.clone();
        *forged.last_mut().unwrap() = b'b';
        assert_eq!(s.check(&forged, 0), Err(rc::INVALID_CREDENTIAL));
        assert_eq!(s.check(b"short", 0), Err(rc::INVALID_CREDENTIAL));
        // Another server's token is not this one's.
        assert_eq!(
            Sessions::default().check(&t, 0),
            Err(rc::INVALID_CREDENTIAL)
        );
    }
}
