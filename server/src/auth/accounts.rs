//! Console accounts: a YAML file of users with argon2id password hashes, each mapped to the
//! Kubernetes user and groups the server impersonates for them.

use std::{collections::HashMap, path::Path, sync::LazyLock};

use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AccountsFile {
    accounts: Vec<Account>,
}

/// One console account.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Account {
    pub username: String,
    /// PHC string from `daemonset-console hash-password`.
    pub password_hash: String,
    pub kubernetes_user: String,
    #[serde(default)]
    pub kubernetes_groups: Vec<String>,
}

/// All accounts by user name. Empty when no file is configured (token sign-in only).
#[derive(Clone, Debug, Default)]
pub struct Accounts {
    by_name: HashMap<String, Account>,
}

#[derive(Debug, thiserror::Error)]
pub enum AccountsError {
    #[error("cannot read accounts file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("accounts file {path} is not valid: {source}")]
    Parse {
        path: String,
        source: serde_yaml::Error,
    },
    #[error(
        "accounts file {path}: account {username}: password hash is not an argon2 PHC string ({reason})"
    )]
    BadHash {
        path: String,
        username: String,
        reason: String,
    },
    #[error("accounts file {path}: account {username} appears twice")]
    Duplicate { path: String, username: String },
}

/// A hash to verify against when the user name is unknown, so a wrong name takes as long as
/// a wrong password and does not reveal which names exist.
static DECOY_HASH: LazyLock<String> = LazyLock::new(|| hash_password("decoy"));

impl Accounts {
    pub fn load(path: &Path) -> Result<Self, AccountsError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| AccountsError::Read {
            path: shown.clone(),
            source,
        })?;
        let file: AccountsFile =
            serde_yaml::from_str(&text).map_err(|source| AccountsError::Parse {
                path: shown.clone(),
                source,
            })?;
        let mut by_name = HashMap::new();
        for account in file.accounts {
            PasswordHash::new(&account.password_hash).map_err(|error| AccountsError::BadHash {
                path: shown.clone(),
                username: account.username.clone(),
                reason: error.to_string(),
            })?;
            let username = account.username.clone();
            if by_name.insert(username.clone(), account).is_some() {
                return Err(AccountsError::Duplicate {
                    path: shown,
                    username,
                });
            }
        }
        Ok(Accounts { by_name })
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// The account when the password matches; `None` for a wrong name or password alike.
    pub fn verify(&self, username: &str, password: &str) -> Option<&Account> {
        let account = self.by_name.get(username);
        let hash = account.map_or(DECOY_HASH.as_str(), |account| {
            account.password_hash.as_str()
        });
        let matches = PasswordHash::new(hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        account.filter(|_| matches)
    }
}

/// An argon2id PHC string for `password`, with a fresh random salt.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters accepts any password")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accounts_with(password: &str) -> (Accounts, std::path::PathBuf) {
        let path =
            std::env::temp_dir().join(format!("accounts-{}-{password}.yaml", std::process::id()));
        let yaml = format!(
            "accounts:\n  - username: ops\n    passwordHash: '{}'\n    kubernetesUser: alice\n    kubernetesGroups: [team]\n",
            hash_password(password)
        );
        std::fs::write(&path, yaml).unwrap();
        (Accounts::load(&path).unwrap(), path)
    }

    #[test]
    fn the_right_password_signs_in_and_maps_to_the_kubernetes_user() {
        let (accounts, path) = accounts_with("correct horse");
        let account = accounts.verify("ops", "correct horse").expect("signed in");
        assert_eq!(
            (
                account.kubernetes_user.as_str(),
                account.kubernetes_groups.as_slice()
            ),
            ("alice", &["team".to_owned()][..])
        );
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn a_wrong_password_and_an_unknown_name_are_refused_alike() {
        let (accounts, path) = accounts_with("secret-one");
        assert!(accounts.verify("ops", "secret-two").is_none());
        assert!(accounts.verify("nobody", "secret-one").is_none());
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn a_plain_text_password_in_the_file_is_rejected_at_start() {
        let path = std::env::temp_dir().join(format!("accounts-plain-{}.yaml", std::process::id()));
        std::fs::write(
            &path,
            "accounts:\n  - {username: ops, passwordHash: hunter2, kubernetesUser: a}\n",
        )
        .unwrap();
        let error = Accounts::load(&path).unwrap_err().to_string();
        assert!(
            error.contains("account ops") && error.contains("argon2"),
            "{error}"
        );
        std::fs::remove_file(path).unwrap();
    }
}
