//! Serving the built app: content-hashed assets cached forever, everything else revalidated,
//! and index.html for every path the app routes itself (deep links).

use std::path::Path;

use axum::{
    Router,
    http::{HeaderValue, header},
};
use tower_http::{
    services::{ServeDir, ServeFile},
    set_header::SetResponseHeaderLayer,
};

pub fn router(site_dir: &Path) -> Router {
    let immutable = HeaderValue::from_static("public, max-age=31536000, immutable");
    let revalidate = HeaderValue::from_static("no-cache");
    let assets = ServeDir::new(site_dir.join("assets"))
        .precompressed_br()
        .precompressed_gzip();
    let index = ServeFile::new(site_dir.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    let pages = ServeDir::new(site_dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index);
    Router::new()
        .nest_service(
            "/assets",
            tower::ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(
                    header::CACHE_CONTROL,
                    immutable,
                ))
                .service(assets),
        )
        .fallback_service(
            tower::ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(
                    header::CACHE_CONTROL,
                    revalidate,
                ))
                .service(pages),
        )
}
