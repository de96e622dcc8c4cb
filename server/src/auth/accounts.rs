//! Console accounts: a YAML file of users with argon2id password hashes, each mapped to the
//! Kubernetes user and groups the server impersonates for them. The file is checked whole at
//! start (an account that would act with the console's own rights is refused), and read again
//! when it changes, so a removed or changed account ends its sessions at their next request.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::{Arc, LazyLock, RwLock},
    time::{Duration, SystemTime},
};

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
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Account {
    pub username: String,
    /// PHC string from `daemonset-console hash-password`.
    pub password_hash: String,
    pub kubernetes_user: String,
    #[serde(default)]
    pub kubernetes_groups: Vec<String>,
}

impl Account {
    /// Changes whenever the password does; kept in the session (sealed), so a new password ends
    /// the sessions signed in with the old one. The tail of the hash, never the password.
    pub fn password_tag(&self) -> String {
        let hash = self.password_hash.as_str();
        hash[hash.len().saturating_sub(16)..].to_owned()
    }
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
    #[error("accounts file {path}, line {line}: {problem}")]
    Account {
        path: String,
        line: usize,
        problem: String,
    },
}

/// How often the file is looked at for changes.
const RELOAD_EVERY: Duration = Duration::from_secs(2);

/// A hash to verify against when the user name is unknown, so a wrong name takes as long as
/// a wrong password and does not reveal which names exist.
static DECOY_HASH: LazyLock<String> = LazyLock::new(|| hash_password("decoy"));

/// The accounts by user name, as the file says now. Empty when no file is configured (token
/// sign-in only). Cheap to clone.
#[derive(Clone, Debug, Default)]
pub struct Accounts {
    by_name: Arc<RwLock<Arc<HashMap<String, Account>>>>,
    file: Option<PathBuf>,
}

impl Accounts {
    pub fn load(path: &Path) -> Result<Self, AccountsError> {
        Ok(Accounts {
            by_name: Arc::new(RwLock::new(Arc::new(read_file(path)?))),
            file: Some(path.to_owned()),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.table().is_empty()
    }

    fn table(&self) -> Arc<HashMap<String, Account>> {
        self.by_name
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// The account as the file says now.
    pub fn get(&self, username: &str) -> Option<Account> {
        self.table().get(username).cloned()
    }

    /// The account when the password matches; `None` for a wrong name or password alike.
    /// Slow by design (argon2): call it on a blocking thread.
    pub fn verify(&self, username: &str, password: &str) -> Option<Account> {
        let account = self.get(username);
        let hash = account.as_ref().map_or(DECOY_HASH.as_str(), |account| {
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

    /// Reads the file again whenever it changes, for as long as the process runs. A file that
    /// no longer reads keeps the accounts as they were, with an error in the log.
    pub fn follow_file(&self) {
        let Some(path) = self.file.clone() else {
            return;
        };
        let by_name = self.by_name.clone();
        tokio::spawn(async move {
            let mut seen = modified(&path);
            loop {
                tokio::time::sleep(RELOAD_EVERY).await;
                let now = modified(&path);
                if now == seen {
                    continue;
                }
                seen = now;
                match read_file(&path) {
                    Ok(table) => {
                        tracing::info!(accounts = table.len(), file = %path.display(), "accounts file read again");
                        *by_name.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(table);
                    }
                    Err(error) => {
                        tracing::error!(%error, "accounts file changed but cannot be used; keeping the accounts as they were");
                    }
                }
            }
        });
    }
}

fn modified(path: &Path) -> Option<(SystemTime, u64)> {
    let metadata = std::fs::metadata(path).ok()?;
    Some((metadata.modified().ok()?, metadata.len()))
}

fn read_file(path: &Path) -> Result<HashMap<String, Account>, AccountsError> {
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
    let lines = item_lines(&text);
    let mut by_name = HashMap::new();
    for (index, account) in file.accounts.into_iter().enumerate() {
        let refuse = |problem: String| AccountsError::Account {
            path: shown.clone(),
            line: lines.get(index).copied().unwrap_or(1),
            problem,
        };
        if let Some(problem) = problem_of(&account) {
            return Err(refuse(problem));
        }
        if let Some(earlier) = by_name.insert(account.username.clone(), account) {
            return Err(refuse(format!(
                "account {} appears twice",
                earlier.username
            )));
        }
    }
    Ok(by_name)
}

/// What makes an account unusable, or worse: an empty Kubernetes user would be impersonated as
/// nobody, and the console's own credentials would then speak for it.
fn problem_of(account: &Account) -> Option<String> {
    let name = &account.username;
    if name.is_empty()
        || !name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"._@-".contains(&byte))
    {
        return Some(format!(
            "user name {name:?} must be letters, digits and . _ @ - only"
        ));
    }
    if account.kubernetes_user.trim().is_empty() {
        return Some(format!(
            "account {name} has an empty kubernetesUser; it would act with the console's own rights"
        ));
    }
    if account
        .kubernetes_groups
        .iter()
        .any(|group| group.trim().is_empty())
    {
        return Some(format!(
            "account {name} has an empty group in kubernetesGroups"
        ));
    }
    if let Err(error) = PasswordHash::new(&account.password_hash) {
        return Some(format!(
            "account {name}: password hash is not an argon2 PHC string ({error}); make one with `daemonset-console hash-password`"
        ));
    }
    None
}

/// The line (from 1) where each item of the file's `accounts` list starts, for messages.
fn item_lines(text: &str) -> Vec<usize> {
    let mut indent = None;
    text.lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let trimmed = line.trim_start();
            let depth = line.len() - trimmed.len();
            let is_item = trimmed.starts_with("- ") || trimmed == "-";
            (is_item && *indent.get_or_insert(depth) == depth).then_some(index + 1)
        })
        .collect()
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

    fn file_with(name: &str, yaml: &str) -> PathBuf {
        let path =
            std::env::temp_dir().join(format!("accounts-{}-{name}.yaml", std::process::id()));
        std::fs::write(&path, yaml).unwrap();
        path
    }

    fn accounts_with(password: &str) -> (Accounts, PathBuf) {
        let yaml = format!(
            "accounts:\n  - username: ops\n    passwordHash: '{}'\n    kubernetesUser: alice\n    kubernetesGroups: [team]\n",
            hash_password(password)
        );
        let path = file_with(password, &yaml);
        (Accounts::load(&path).unwrap(), path)
    }

    fn load_error(name: &str, yaml: &str) -> String {
        let path = file_with(name, yaml);
        let error = Accounts::load(&path).unwrap_err().to_string();
        std::fs::remove_file(path).unwrap();
        error
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
    fn a_plain_text_password_in_the_file_is_rejected_at_start_naming_the_line() {
        let error = load_error(
            "plain",
            "accounts:\n  - {username: ops, passwordHash: hunter2, kubernetesUser: a}\n",
        );
        assert!(
            error.contains("line 2") && error.contains("account ops") && error.contains("argon2"),
            "{error}"
        );
    }

    #[test]
    fn an_account_without_a_kubernetes_user_is_refused_at_start_naming_the_line() {
        let hash = hash_password("x");
        let yaml = format!(
            "accounts:\n  - username: ok\n    passwordHash: '{hash}'\n    kubernetesUser: bob\n  - username: ghost\n    passwordHash: '{hash}'\n    kubernetesUser: \"\"\n"
        );
        let error = load_error("empty-user", &yaml);
        assert!(
            error.contains("line 5") && error.contains("ghost") && error.contains("own rights"),
            "{error}"
        );
    }

    #[test]
    fn a_name_given_twice_is_refused_at_start_naming_the_second() {
        let hash = hash_password("x");
        let yaml = format!(
            "accounts:\n- username: ops\n  passwordHash: '{hash}'\n  kubernetesUser: a\n- username: ops\n  passwordHash: '{hash}'\n  kubernetesUser: b\n"
        );
        let error = load_error("twice", &yaml);
        assert!(
            error.contains("line 5") && error.contains("twice"),
            "{error}"
        );
    }

    #[test]
    fn a_changed_password_changes_the_tag_sessions_carry() {
        let first = Account {
            username: "ops".into(),
            password_hash: hash_password("one"),
            kubernetes_user: "alice".into(),
            kubernetes_groups: vec![],
        };
        let second = Account {
            password_hash: hash_password("two"),
            ..first.clone()
        };
        assert_ne!(first.password_tag(), second.password_tag());
        assert!(!first.password_tag().is_empty());
    }
}
