//! What counts as the console's own origin: the whole of it (scheme, host and port), from the
//! configured public URL or else the request's `Host`. With a public URL, a request that names
//! another host is refused outright (except the probes and metrics, which the kubelet and
//! Prometheus call by address).

use axum::{
    extract::{Request, State},
    http::{HeaderMap, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::{AppState, error::ApiError};
use console_model::wire::Reason;

/// `scheme://host:port` with the host in lower case and the port always given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    scheme: Scheme,
    host: String,
    port: u16,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scheme {
    Http,
    Https,
}

impl Scheme {
    fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

impl Origin {
    /// An origin as a browser sends it (`http://127.0.0.1:8080`), or a public URL as configured
    /// (a trailing `/` allowed). Only http and https are origins the console is served at.
    pub fn parse(text: &str) -> Option<Origin> {
        let (scheme, rest) = text.split_once("://")?;
        let scheme = match scheme.to_ascii_lowercase().as_str() {
            "http" => Scheme::Http,
            "https" => Scheme::Https,
            _ => return None,
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        let (host, port) = host_and_port(authority, scheme.default_port())?;
        Some(Origin { scheme, host, port })
    }

    /// The `Host` header a request for this origin carries.
    fn matches_host(&self, host_header: &str) -> bool {
        host_and_port(host_header, self.scheme.default_port())
            .is_some_and(|(host, port)| host == self.host && port == self.port)
    }
}

/// `host[:port]` (an IPv6 host in brackets); nothing else may be in it.
fn host_and_port(authority: &str, default_port: u16) -> Option<(String, u16)> {
    if authority.is_empty()
        || authority.contains(['/', '?', '#', '@', ' ', '\\'])
        || authority.chars().any(char::is_control)
    {
        return None;
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(':') && !port.contains(']') => {
            (host, port.parse().ok()?)
        }
        _ => (authority, default_port),
    };
    (!host.is_empty()).then(|| (host.to_ascii_lowercase(), port))
}

/// `Origin` names this server: the configured public origin, or else the `Host` it was asked by
/// with the scheme a browser could have used (http, or https through a proxy that ends TLS).
/// The header must appear exactly once.
pub fn is_same_origin(headers: &HeaderMap, public_origin: Option<&Origin>) -> bool {
    let Some(origin) = single_header(headers, header::ORIGIN.as_str()).and_then(Origin::parse)
    else {
        return false;
    };
    match public_origin {
        Some(expected) => origin == *expected,
        None => single_header(headers, header::HOST.as_str())
            .is_some_and(|host| origin.matches_host(host)),
    }
}

/// A header's value when it appears exactly once; a browser never repeats these, a forger might
/// hope only the first copy is checked.
pub fn single_header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    let mut values = headers.get_all(name).iter();
    match (values.next(), values.next()) {
        (Some(value), None) => value.to_str().ok(),
        _ => None,
    }
}

/// Paths answered for any `Host`: the kubelet and Prometheus reach a replica by its address.
const ANY_HOST: [&str; 3] = ["/healthz", "/readyz", "/metrics"];

/// With a public URL configured, refuses requests addressed to another host (DNS rebinding, a
/// stray virtual host) before anything else runs.
pub async fn require_public_host(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if let Some(public) = &state.auth.public_origin
        && !ANY_HOST.contains(&request.uri().path())
    {
        let host = single_header(request.headers(), header::HOST.as_str());
        if !host.is_some_and(|host| public.matches_host(host)) {
            return ApiError::refused(
                StatusCode::MISDIRECTED_REQUEST,
                Reason::WrongHost,
                "this console answers only at its public URL",
            )
            .into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(origin: Option<&str>, host: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, host.parse().unwrap());
        if let Some(origin) = origin {
            headers.insert(header::ORIGIN, origin.parse().unwrap());
        }
        headers
    }

    #[test]
    fn an_origin_matching_the_host_or_the_public_url_is_ours() {
        assert!(is_same_origin(
            &headers(Some("http://127.0.0.1:8080"), "127.0.0.1:8080"),
            None
        ));
        assert!(is_same_origin(
            &headers(Some("https://Console.Example"), "console.example:443"),
            None
        ));
        let public = Origin::parse("https://console.example/").unwrap();
        assert!(is_same_origin(
            &headers(Some("https://console.example"), "10.0.0.5:8080"),
            Some(&public)
        ));
    }

    #[test]
    fn another_scheme_host_or_port_is_not() {
        for (origin, host) in [
            ("ftp://127.0.0.1:8080", "127.0.0.1:8080"),
            ("http://127.0.0.1:8081", "127.0.0.1:8080"),
            ("http://evil.example", "127.0.0.1:8080"),
            ("http://127.0.0.1:8080/path", "127.0.0.1:8080"),
            ("http://user@127.0.0.1:8080", "127.0.0.1:8080"),
            ("null", "127.0.0.1:8080"),
            ("http://127.0.0.1", "127.0.0.1:8080"),
        ] {
            assert!(
                !is_same_origin(&headers(Some(origin), host), None),
                "{origin} for {host}"
            );
        }
        assert!(!is_same_origin(&headers(None, "127.0.0.1:8080"), None));
        let public = Origin::parse("https://console.example").unwrap();
        for origin in [
            "http://console.example",
            "https://console.example:8443",
            "https://other.example",
        ] {
            assert!(
                !is_same_origin(&headers(Some(origin), "console.example"), Some(&public)),
                "{origin}"
            );
        }
    }

    #[test]
    fn a_second_origin_header_is_not_ignored() {
        let mut twice = headers(Some("http://127.0.0.1:8080"), "127.0.0.1:8080");
        twice.append(header::ORIGIN, "http://evil.example".parse().unwrap());
        assert!(!is_same_origin(&twice, None));
    }

    #[test]
    fn the_public_url_matches_its_host_header_with_or_without_the_default_port() {
        let public = Origin::parse("https://console.example").unwrap();
        assert!(public.matches_host("console.example"));
        assert!(public.matches_host("console.example:443"));
        assert!(!public.matches_host("console.example:80"));
        assert!(!public.matches_host("evil.example"));
        assert!(
            Origin::parse("https://[::1]:8443")
                .unwrap()
                .matches_host("[::1]:8443")
        );
        assert_eq!(Origin::parse("ftp://console.example"), None);
        assert_eq!(Origin::parse("https://console.example/app"), None);
    }
}
