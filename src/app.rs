//! The web application: state, router and the serve loop shared by `prongsai serve` and tests.

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, header};
use tokio::net::TcpListener;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::config::Settings;
use crate::db::Db;
use crate::docs::pdf::PdfEngine;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub pdf: Arc<PdfEngine>,
}

impl AppState {
    pub fn new(db: Db, settings: Settings) -> Self {
        AppState { db, settings: Arc::new(settings), pdf: Arc::new(PdfEngine::new()) }
    }
}

/// Strict CSP: no inline scripts or styles, nothing from other origins.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

pub fn router(state: AppState) -> Router {
    let max_body = state.settings.max_upload_bytes + 64 * 1024;
    Router::new()
        .merge(crate::auth::routes::router())
        .merge(crate::auth::admin::router())
        .merge(crate::measures::routes::router())
        .merge(crate::lending::routes::router())
        .merge(crate::portal::router())
        .layer(axum::middleware::from_fn(crate::http::fields::refuse_controls_in_uri))
        .layer(axum::extract::DefaultBodyLimit::max(max_body))
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves until `shutdown` resolves. Tests bind port 0 first and pass the listener.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    axum::serve(listener, router(state)).with_graceful_shutdown(shutdown).await?;
    Ok(())
}
