//! API tokens: random, shown once, stored only as a SHA-256 hash.

use rand::RngCore;
use sha2::{Digest, Sha256};

const TOKEN_PREFIX: &str = "tsu_";
const TOKEN_BYTES: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Admin,
    Analyst,
    Researcher,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Analyst, Role::Researcher];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Analyst => "analyst",
            Self::Researcher => "researcher",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == text)
    }
}

/// Proof that the reader may see live, unprotected figures: staff (administrators and analysts).
/// Every analysis that shows such figures is asked with one, so no route can hand them to a
/// researcher: it comes only from a staff role, or from the server's own command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Staff(Role);

impl Staff {
    pub fn of(role: Role) -> Option<Self> {
        matches!(role, Role::Admin | Role::Analyst).then_some(Self(role))
    }

    /// Whoever runs the server's command line, who can read the database anyway.
    pub fn server_operator() -> Self {
        Self(Role::Admin)
    }

    pub fn role(self) -> Role {
        self.0
    }
}

/// A new token: 256 random bits, hex-encoded behind a prefix that makes it easy to spot in a leak.
pub fn generate_token() -> String {
    let mut bytes = [0u8; TOKEN_BYTES];
    rand::rng().fill_bytes(&mut bytes);
    format!("{TOKEN_PREFIX}{}", hex::encode(bytes))
}

/// Tokens carry 256 bits of entropy, so a fast unsalted hash is enough: there is nothing to guess.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_staff_roles_give_the_proof_of_staff() {
        assert_eq!(Staff::of(Role::Analyst).map(Staff::role), Some(Role::Analyst));
        assert_eq!(Staff::of(Role::Admin).map(Staff::role), Some(Role::Admin));
        assert_eq!(Staff::of(Role::Researcher), None);
    }

    #[test]
    fn tokens_are_long_random_and_distinct() {
        let (a, b) = (generate_token(), generate_token());
        assert_ne!(a, b);
        assert!(a.starts_with("tsu_"));
        assert_eq!(a.len(), 4 + 64);
    }

    #[test]
    fn the_hash_is_stable_and_hides_the_token() {
        let token = generate_token();
        assert_eq!(hash_token(&token), hash_token(&token));
        assert!(!hash_token(&token).contains(&token[4..]));
    }

    #[test]
    fn roles_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
