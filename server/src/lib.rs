//! The DaemonSet console's server: it serves the app, signs users in, and answers the app's
//! API calls by talking to Kubernetes as the signed-in user.
//!
//! One module per concern; `main.rs` only wires them together.

pub mod access;
pub mod api;
pub mod auth;
pub mod config;
pub mod error;
pub mod gzip;
pub mod health;
pub mod kubernetes;
pub mod limits;
pub mod logs;
pub mod metrics;
pub mod proxy;
pub mod security_headers;
pub mod site;
pub mod terminal;

use std::{net::SocketAddr, sync::Arc, time::Duration};

/// How long a stopping replica lets in-flight requests finish (see [`serve`]).
const STREAMS_GRACE: Duration = Duration::from_secs(5);

use axum::Router;

/// What every handler may need. Cheap to clone: everything inside is shared.
#[derive(Clone)]
pub struct AppState {
    /// The server's own client: health checks and listing namespaces for the project picker.
    pub kube: kube::Client,
    /// Clients that act as signed-in users.
    pub users: auth::UserClients,
    pub auth: Arc<auth::AuthSettings>,
    pub projects: api::ProjectsCache,
    pub metrics: metrics::Metrics,
    pub terminals: terminal::Terminals,
    /// Signed-out sessions, followed from the cluster.
    pub revocations: auth::Revocations,
    /// Terminals and log views each session has open on this replica.
    pub streams: limits::OpenStreams,
    /// The apiserver has answered this replica's readiness check once.
    pub reached_cluster: Arc<std::sync::atomic::AtomicBool>,
}

impl AppState {
    /// The state of a console that acts with `kube_config`'s credentials, and as its users.
    /// Starts following the revocation list and the accounts file (needs a Tokio runtime).
    pub fn new(kube_config: kube::Config, auth: auth::AuthSettings) -> Result<Self, kube::Error> {
        let metrics = metrics::Metrics::default();
        let kube = kube::Client::try_from(kube_config.clone())?;
        let revocations = auth::Revocations::follow(kube.clone(), &auth.state_namespace);
        auth.accounts.follow_file();
        Ok(Self {
            kube,
            users: auth::UserClients::new(kube_config),
            auth: Arc::new(auth),
            projects: Default::default(),
            terminals: terminal::Terminals::new(metrics.terminals()),
            metrics,
            revocations,
            streams: Default::default(),
            reached_cluster: Default::default(),
        })
    }
}

/// The whole HTTP surface: API, health probes, metrics, then the app for every other path.
pub fn router(state: AppState, site_dir: &std::path::Path) -> Router {
    let metrics = state.metrics.clone();
    let routes = Router::new()
        .nest("/api", api::router(state.clone()))
        .merge(health::router())
        .with_state(state.clone())
        .merge(site::router(site_dir))
        .layer(axum::middleware::from_fn_with_state(
            state,
            auth::origin::require_public_host,
        ));
    let routes = metrics::instrument(routes, metrics);
    security_headers::apply(routes).layer(tower_http::trace::TraceLayer::new_for_http())
}

/// Serves `app` until `shutdown` resolves, telling handlers each client's address (sign-in
/// attempts are limited per address). Then in-flight requests get [`STREAMS_GRACE`] to finish:
/// watches and log views never finish on their own, and a replica that waited for them would
/// not stop for minutes; their clients reconnect to another replica. Open terminals are told to
/// hang up, and given up to 20 s to end their shells: graceful shutdown does not wait for
/// upgraded sockets.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    terminals: terminal::Terminals,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let stopping = terminals.clone();
    let (began_tx, began) = tokio::sync::oneshot::channel();
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown.await;
        stopping.stop();
        let _ = began_tx.send(());
    });
    let grace_over = async {
        if began.await.is_ok() {
            tokio::time::sleep(STREAMS_GRACE).await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        served = server => served?,
        () = grace_over => tracing::warn!(
            "answers still streaming {STREAMS_GRACE:?} after shutdown began (watches, log views); ending them"
        ),
    }
    if !terminals.wait_closed(Duration::from_secs(20)).await {
        tracing::warn!(
            "terminal sessions still open 20 s after shutdown began; their shells may keep running"
        );
    }
    Ok(())
}
