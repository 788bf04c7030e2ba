//! The web application: state, router and the serve loop shared by `prongsai serve` and tests.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, Request, header};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt as _;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::config::Settings;
use crate::db::Db;
use crate::docs::typeset::Typesetter;

/// What every handler can reach: a handle to one [`Shared`], so that the clones axum and its
/// middleware make for each request (several per request: every layer with state clones it, and
/// each route clones its stack of layers) cost one reference count, not one per field.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// The state itself, reached through [`AppState`]'s `Deref` (`state.db`, `state.settings`, …).
#[derive(Clone)]
pub struct Shared {
    pub db: Db,
    pub settings: Arc<Settings>,
    /// The PDF engine, with the render limits of the web.
    pub pdf: Typesetter,
    /// Outgoing e-mail when SMTP is configured (lending notices); None: notices stay in the app.
    pub mailer: Option<crate::mail::Mailer>,
    /// Public pages kept rendered and compressed (`portal::cache`).
    pub public_cache: Arc<crate::portal::cache::PublicCache>,
    /// The queue boards' fan-out per organization, and the signal that ends their streams.
    pub boards: crate::queue::board::Boards,
    /// The survey answers' writer (group commit, `survey::ingest`).
    pub surveys: crate::survey::ingest::SharedIngest,
    /// The open API's requests per client address (`api::limit`).
    pub api_limiter: Arc<crate::api::limit::RateLimiter>,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    pub fn new(db: Db, settings: Settings) -> Self {
        let pdf = Typesetter::with_worker(settings.limits.render, settings.render_worker.clone());
        let public_cache = Arc::new(crate::portal::cache::PublicCache::new(settings.public_cache_bytes));
        let boards = crate::queue::board::Boards::new();
        let surveys = Arc::new(crate::survey::ingest::Ingest::new(db.clone()));
        let api_limiter = Arc::new(crate::api::limit::RateLimiter::new(settings.api_requests_per_minute));
        AppState(Arc::new(Shared {
            db,
            settings: Arc::new(settings),
            pdf,
            mailer: None,
            public_cache,
            boards,
            surveys,
            api_limiter,
        }))
    }

    /// The same state, e-mailing through `mailer`.
    pub fn with_mailer(self, mailer: Option<crate::mail::Mailer>) -> Self {
        AppState(Arc::new(Shared { mailer, ..Arc::unwrap_or_clone(self.0) }))
    }
}

/// Strict CSP: no inline scripts or styles, nothing from other origins.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

pub fn router(state: AppState) -> Router {
    let max_body = state.settings.max_upload_bytes + 64 * 1024;
    let limits = state.settings.limits;
    // Every page has the overall request timeout; routes that stream for long (server-sent events)
    // go in `streaming`, merged after that layer, so it does not cut them.
    let timed = Router::new()
        .merge(crate::auth::routes::router())
        .merge(crate::auth::admin::router())
        .merge(crate::measures::routes::router())
        .merge(crate::measures::publication::routes::router())
        .merge(crate::lending::routes::router())
        .merge(crate::queue::router())
        .merge(crate::services::router())
        .merge(crate::survey::router())
        .merge(crate::portal::router())
        .merge(crate::news::routes::router())
        .merge(crate::news::public::router())
        .merge(crate::documents::routes::router())
        .merge(crate::documents::public::router())
        .merge(crate::council::public::router())
        .merge(crate::council::routes::router())
        .merge(crate::council::checkin_routes::router())
        .merge(crate::oit::routes::router())
        .merge(crate::ita::routes::router())
        .merge(crate::province::router())
        .merge(crate::ita::documents::routes::router())
        .merge(crate::ita::documents::public::router())
        .merge(crate::oit::public::router())
        .merge(crate::participation::public::router())
        .merge(crate::participation::routes::router())
        .merge(crate::complaints::public::router())
        .merge(crate::complaints::routes::router())
        .merge(crate::complaints::settings_routes::router())
        .merge(crate::complaints::line_hook::router())
        .merge(crate::publishing::routes::router())
        .merge(crate::queue::board::router())
        .merge(crate::ops::router())
        .merge(crate::api::router())
        .layer(axum::middleware::from_fn_with_state(limits.request_timeout, crate::ops::timeouts::request_timeout));
    let streaming = Router::new().merge(crate::queue::board::streaming_router());
    timed
        .merge(streaming)
        .layer(axum::middleware::from_fn(crate::http::fields::refuse_controls_in_uri))
        .layer(axum::extract::DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::from_fn_with_state(limits.body_timeout, crate::ops::timeouts::body_timeout))
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(axum::middleware::from_fn(crate::http::cache::no_store_for_staff))
        .layer(axum::middleware::from_fn(crate::ops::mark_route))
        .with_state(state)
}

/// The application as served: [`router`] behind what every request passes before routing,
/// outermost first: the request log and metrics, the open API's limit (outside the cache, so that
/// API answers served from memory are counted too) and the public pages kept in memory. A kept
/// page is answered there, without routing or the routes' layers (it kept their headers).
pub fn app(
    state: AppState,
) -> impl tower::Service<
    Request<Body>,
    Response = axum::response::Response,
    Error = std::convert::Infallible,
    Future: Send + 'static,
> + Clone
+ Send
+ 'static {
    tower::ServiceBuilder::new()
        .layer(axum::middleware::from_fn(crate::ops::observe))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::api::limit::guard))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::portal::cache::serve_cached))
        .service(router(state))
}

/// Serves until `shutdown` resolves, then stops accepting, lets the requests in flight finish
/// (for at most the shutdown grace) and returns. Tests bind port 0 first and pass the listener.
///
/// Each connection must send a request's head within the header timeout, counted from when the
/// server starts waiting for it: on a new connection and after each answer on a kept-alive one (so
/// it is also the idle keep-alive timeout). At most `max_connections` are open at once; further
/// ones wait in the kernel's backlog until one closes. Handlers get the client's address as
/// `ConnectInfo<SocketAddr>`.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let limits = state.settings.limits;
    // Other processes' changes of the database invalidate this one's public page cache.
    let watcher = state.db.watch_changes();
    let boards = state.boards.clone();
    // The outbox's sender runs as long as the server: every process sends, each row once.
    let outbox = crate::publishing::worker::spawn(state.db.clone(), state.settings.clone());
    let app = app(state);
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the connection semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors or a connection reset before accept: wait a little
                    // rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let app = app.clone();
        let service = tower::service_fn(move |mut req: Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
            app.clone().oneshot(req.map(Body::new))
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)));
        tokio::spawn(async move {
            let open = crate::ops::metrics::OpenConnection::start();
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, %peer, "connection ended with an error");
            }
            // Counted closed before its slot is given back: the next connection, on another
            // thread, must not be counted while this one still is (the gauge read 49 of 48).
            drop(open);
            drop(slot);
        });
    }
    // New connections are refused from here; those open finish their request and close. Live
    // streams never finish by themselves: they end now, and their boards reconnect elsewhere.
    drop(listener);
    boards.close();
    tracing::info!("shutting down: finishing the requests in flight");
    if tokio::time::timeout(limits.shutdown_grace, graceful.shutdown()).await.is_err() {
        tracing::warn!(
            grace_secs = limits.shutdown_grace.as_secs_f64(),
            "requests still running after the shutdown grace"
        );
    }
    watcher.abort();
    outbox.abort();
    Ok(())
}
