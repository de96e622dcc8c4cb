//! Prometheus metrics at `/metrics`: HTTP requests by route, method and status with the time to
//! the response's head, and the terminals open now. Routes are a fixed set of names, never the
//! request's own path, and methods outside the standard ones count as `other`, so the number of
//! series stays bounded whatever clients send.

use std::{sync::Arc, time::Instant};

use axum::{
    Router,
    extract::{Request, State},
    http::{Method, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::get,
};
use prometheus_client::{
    encoding::{EncodeLabelSet, text::encode},
    metrics::{
        counter::Counter,
        family::Family,
        gauge::Gauge,
        histogram::{Histogram, exponential_buckets},
    },
    registry::Registry,
};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: &'static str,
    method: &'static str,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: &'static str,
}

/// Every metric the console exports. Cheap to clone.
#[derive(Clone)]
pub struct Metrics {
    inner: Arc<Inner>,
}

struct Inner {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    durations: Family<RouteLabels, Histogram>,
    /// Shared with [`crate::terminal::Terminals`], which counts the sessions.
    pub terminals: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("console");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route, method and status",
            requests.clone(),
        );
        // 1 ms to about 33 s.
        let durations = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.001, 2.0, 16))
        });
        registry.register(
            "http_request_duration_seconds",
            "Time until the response's head was ready (streams such as watches and logs go on after it)",
            durations.clone(),
        );
        let terminals = Gauge::default();
        registry.register(
            "terminal_sessions",
            "Terminal sessions open now",
            terminals.clone(),
        );
        Self {
            inner: Arc::new(Inner {
                registry,
                requests,
                durations,
                terminals,
            }),
        }
    }
}

impl Metrics {
    /// The gauge of open terminal sessions.
    pub fn terminals(&self) -> Gauge {
        self.inner.terminals.clone()
    }

    fn record(&self, route: &'static str, method: &'static str, status: u16, started: Instant) {
        self.inner
            .requests
            .get_or_create(&RequestLabels {
                route,
                method,
                status,
            })
            .inc();
        self.inner
            .durations
            .get_or_create(&RouteLabels { route })
            .observe(started.elapsed().as_secs_f64());
    }

    /// The metrics in Prometheus' text format.
    pub fn render(&self) -> String {
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = encode(&mut text, &self.inner.registry);
        text
    }
}

/// Counts and times every request `routes` answers, and adds `GET /metrics`.
pub fn instrument(routes: Router, metrics: Metrics) -> Router {
    let exporter = Router::new()
        .route("/metrics", get(export))
        .with_state(metrics.clone());
    routes
        .merge(exporter)
        .layer(middleware::from_fn_with_state(metrics, track))
}

async fn track(State(metrics): State<Metrics>, request: Request, next: Next) -> Response {
    let route = route_of(request.uri().path());
    let method = method_of(request.method());
    let started = Instant::now();
    let response = next.run(request).await;
    metrics.record(route, method, response.status().as_u16(), started);
    response
}

async fn export(State(metrics): State<Metrics>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        metrics.render(),
    )
}

/// The method as a label: the standard ones by name, anything a client makes up as `other`.
fn method_of(method: &Method) -> &'static str {
    const STANDARD: [Method; 9] = [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::OPTIONS,
        Method::CONNECT,
        Method::TRACE,
    ];
    STANDARD
        .iter()
        .find(|standard| *standard == method)
        .map_or("other", Method::as_str)
}

/// The route a path belongs to, from a fixed list; the app's pages and assets are "site".
fn route_of(path: &str) -> &'static str {
    const PREFIXES: [(&str, &str); 4] = [
        ("/api/k8s", "/api/k8s"),
        ("/api/terminal/", "/api/terminal"),
        ("/api/logs/", "/api/logs"),
        ("/assets/", "/assets"),
    ];
    const EXACT: [&str; 8] = [
        "/api/session",
        "/api/sign-out",
        "/api/projects",
        "/api/access",
        "/healthz",
        "/readyz",
        "/metrics",
        "/",
    ];
    if let Some((_, route)) = PREFIXES.iter().find(|(prefix, _)| path.starts_with(prefix)) {
        return route;
    }
    EXACT
        .iter()
        .find(|route| **route == path)
        .copied()
        .unwrap_or(if path.starts_with("/api/") {
            "/api/other"
        } else {
            "site"
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_a_bounded_set_of_routes() {
        assert_eq!(route_of("/api/k8s/apis/apps/v1/daemonsets"), "/api/k8s");
        assert_eq!(
            route_of("/api/terminal/namespaces/a/pods/b"),
            "/api/terminal"
        );
        assert_eq!(route_of("/api/logs/namespaces/a/daemonsets/b"), "/api/logs");
        assert_eq!(route_of("/api/session"), "/api/session");
        assert_eq!(route_of("/api/whatever-a-client-sends"), "/api/other");
        assert_eq!(route_of("/projects/logging/daemonsets"), "site");
        assert_eq!(route_of("/assets/0123/app.wasm"), "/assets");
    }

    #[test]
    fn made_up_methods_share_one_label() {
        assert_eq!(method_of(&Method::PATCH), "PATCH");
        for made_up in ["FOO", "BAR1", "get"] {
            assert_eq!(
                method_of(&Method::from_bytes(made_up.as_bytes()).unwrap()),
                "other"
            );
        }
    }

    #[test]
    fn recorded_requests_and_open_terminals_are_exported() {
        let metrics = Metrics::default();
        metrics.record("/api/k8s", "GET", 200, Instant::now());
        metrics.terminals().inc();
        let text = metrics.render();
        assert!(
            text.contains(
                r#"console_http_requests_total{route="/api/k8s",method="GET",status="200"} 1"#
            ),
            "{text}"
        );
        assert!(
            text.contains("console_http_request_duration_seconds_count{route=\"/api/k8s\"} 1"),
            "{text}"
        );
        assert!(text.contains("console_terminal_sessions 1"), "{text}");
    }
}
