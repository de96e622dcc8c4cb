//! Who a signed-in user is to Kubernetes, and a client that acts as them.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use http::{HeaderName, HeaderValue};
use kube::config::AuthInfo;

use serde::{Deserialize, Serialize};

/// `Impersonate-Extra-Console-Account`: the extra `console-account` on every impersonated call.
pub const ACCOUNT_EXTRA_HEADER: HeaderName =
    HeaderName::from_static("impersonate-extra-console-account");

/// A signed-in user, as stored (encrypted) in the session cookie.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Identity {
    /// Signed in with a Kubernetes bearer token; the apiserver authenticates every call.
    #[serde(rename_all = "camelCase")]
    Token {
        token: String,
        username: String,
        groups: Vec<String>,
    },
    /// Signed in with a console account; the server impersonates the mapped Kubernetes user.
    #[serde(rename_all = "camelCase")]
    Account {
        account: String,
        username: String,
        groups: Vec<String>,
        /// See [`super::accounts::Account::password_tag`].
        password_tag: String,
    },
}

impl Identity {
    /// The Kubernetes user name, for display and audit.
    pub fn username(&self) -> &str {
        match self {
            Identity::Token { username, .. } | Identity::Account { username, .. } => username,
        }
    }

    /// The console account, for accounts (audit lines name both).
    pub fn account(&self) -> Option<&str> {
        match self {
            Identity::Account { account, .. } => Some(account),
            Identity::Token { .. } => None,
        }
    }

    pub fn groups(&self) -> &[String] {
        match self {
            Identity::Token { groups, .. } | Identity::Account { groups, .. } => groups,
        }
    }

    /// The client configuration that carries this identity and nothing of the server's own:
    /// a token user gets only their token (never the server's certificate or token, which
    /// the apiserver would otherwise authenticate first).
    pub fn kube_config(&self, server: &kube::Config) -> kube::Config {
        let mut config = server.clone();
        // Watches and followed logs may stay quiet for long; the browser decides when to stop.
        config.read_timeout = None;
        // A retried POST could create twice; the user retries instead.
        config.default_retry = false;
        match self {
            Identity::Token { token, .. } => {
                config.auth_info = AuthInfo {
                    token: Some(token.clone().into()),
                    ..AuthInfo::default()
                };
            }
            Identity::Account {
                account,
                username,
                groups,
                ..
            } => {
                config.auth_info.impersonate = Some(username.clone());
                config.auth_info.impersonate_groups = (!groups.is_empty()).then(|| groups.clone());
                // The apiserver's own audit log then names the console account too. Account
                // names are checked at load to be plain ASCII, so this is a valid header.
                if let Ok(value) = HeaderValue::from_str(account) {
                    config.headers.push((ACCOUNT_EXTRA_HEADER, value));
                }
            }
        }
        config
    }

    fn cache_key(&self) -> String {
        serde_json::to_string(self).expect("an identity always serialises")
    }
}

/// Why no client acts as a user.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("the account maps to no Kubernetes user")]
    NoKubernetesUser,
    #[error("cannot build a Kubernetes client for the user: {0}")]
    Kube(#[source] kube::Error),
}

/// Clients per identity, reused for a while: building one parses certificates and sets up TLS.
/// Losing this cache (restart, another replica) costs only that set-up again.
#[derive(Clone)]
pub struct UserClients {
    server: kube::Config,
    cache: Arc<Mutex<HashMap<String, (kube::Client, Instant)>>>,
}

const CLIENT_TTL: Duration = Duration::from_secs(600);
const MAX_CACHED_CLIENTS: usize = 1024;

impl UserClients {
    pub fn new(server: kube::Config) -> Self {
        UserClients {
            server,
            cache: Arc::default(),
        }
    }

    /// A client acting as `identity`. An account with no Kubernetes user never gets one: it
    /// would act with the console's own rights (accounts are checked at load; this is the last
    /// line of that defence).
    pub fn client_for(&self, identity: &Identity) -> Result<kube::Client, ClientError> {
        if let Identity::Account { username, .. } = identity
            && username.trim().is_empty()
        {
            return Err(ClientError::NoKubernetesUser);
        }
        let key = identity.cache_key();
        let now = Instant::now();
        let mut cache = self
            .cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((client, created)) = cache.get(&key)
            && now.duration_since(*created) < CLIENT_TTL
        {
            return Ok(client.clone());
        }
        let client = kube::Client::try_from(identity.kube_config(&self.server))
            .map_err(ClientError::Kube)?;
        if cache.len() >= MAX_CACHED_CLIENTS {
            cache.retain(|_, (_, created)| now.duration_since(*created) < CLIENT_TTL);
            if cache.len() >= MAX_CACHED_CLIENTS {
                cache.clear();
            }
        }
        cache.insert(key, (client.clone(), now));
        Ok(client)
    }

    /// The server's own configuration (for work done on the server's behalf).
    pub fn server_config(&self) -> &kube::Config {
        &self.server
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_without_a_kubernetes_user_gets_no_client() {
        let identity = Identity::Account {
            account: "ghost".into(),
            username: String::new(),
            groups: vec![],
            password_tag: "tag".into(),
        };
        let clients = UserClients::new(server_config());
        assert!(matches!(
            clients.client_for(&identity),
            Err(ClientError::NoKubernetesUser)
        ));
    }

    fn server_config() -> kube::Config {
        let mut config = kube::Config::new("https://127.0.0.1:6443".parse().unwrap());
        config.auth_info.token = Some("server-secret".to_owned().into());
        config.auth_info.client_certificate_data = Some("server-cert".into());
        config
    }

    #[test]
    fn a_token_user_carries_only_their_own_token() {
        let identity = Identity::Token {
            token: "user-token".into(),
            username: "u".into(),
            groups: vec![],
        };
        let auth = identity.kube_config(&server_config()).auth_info;
        assert_eq!(
            auth.token
                .map(|t| secrecy::ExposeSecret::expose_secret(&t).to_owned()),
            Some("user-token".into())
        );
        assert!(auth.client_certificate_data.is_none());
        assert!(auth.impersonate.is_none());
    }

    #[test]
    fn an_account_impersonates_its_kubernetes_user_and_groups_over_the_servers_credentials() {
        let identity = Identity::Account {
            account: "ops".into(),
            username: "alice".into(),
            groups: vec!["team-logging".into()],
            password_tag: "tag".into(),
        };
        let config = identity.kube_config(&server_config());
        assert!(
            config
                .headers
                .contains(&(ACCOUNT_EXTRA_HEADER, HeaderValue::from_static("ops"))),
            "the console account rides along for the apiserver's audit log"
        );
        let auth = config.auth_info;
        assert_eq!(auth.impersonate.as_deref(), Some("alice"));
        assert_eq!(
            auth.impersonate_groups,
            Some(vec!["team-logging".to_owned()])
        );
        assert_eq!(auth.client_certificate_data.as_deref(), Some("server-cert"));
    }
}
