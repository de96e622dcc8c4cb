//! A signed-in browser, as far as the console can tell: a session cookie, the CSRF token, and
//! the same-origin `Origin` header on every request.

use anyhow::{Context, bail};
use console_model::wire::{Credentials, SessionInfo};

use crate::stats::{Outcome, Stats};

#[derive(Clone)]
pub struct Session {
    pub http: reqwest::Client,
    pub base: String,
    /// `name=value` of the session cookie.
    pub cookie: String,
    pub csrf: String,
}

impl Session {
    /// Signs in through the sign-in route, as the form does.
    pub async fn sign_in(
        http: &reqwest::Client,
        base: &str,
        credentials: &Credentials,
        stats: &Stats,
    ) -> anyhow::Result<Session> {
        let response = http
            .post(format!("{base}/api/session"))
            .header("origin", base)
            .json(credentials)
            .send()
            .await;
        let response = match response {
            Ok(response) => response,
            Err(error) => {
                stats.count("sign-in", Outcome::Network);
                return Err(error).context("sign in");
            }
        };
        let status = response.status().as_u16();
        stats.count("sign-in", Outcome::of_status(status));
        if status != 200 {
            let body = response.text().await.unwrap_or_default();
            bail!("sign-in answered {status}: {body}");
        }
        // `__Host-console_session` unless the console runs with plain cookies.
        let cookie = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .filter_map(|value| value.split(';').next())
            .find(|pair| {
                pair.split_once('=')
                    .is_some_and(|(name, _)| name.ends_with("console_session"))
            })
            .context("sign-in set no session cookie")?
            .to_owned();
        let info: SessionInfo = response.json().await.context("sign-in answer")?;
        Ok(Session {
            http: http.clone(),
            base: base.to_owned(),
            cookie,
            csrf: info.csrf_token,
        })
    }

    /// A request as the app sends it.
    pub fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("origin", &self.base)
            .header("x-csrf-token", &self.csrf)
    }
}
