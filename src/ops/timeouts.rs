//! Timeouts inside a request: a request body that stops arriving, and a request that takes too long.
//! (The header-read timeout and the connection cap are in [`crate::app::serve`].)

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::{Frame, SizeHint};
use tokio::time::{Instant, Sleep};

use crate::http::AppError;

/// A request body that fails when no data arrives for `idle`, and says so in `fired`.
struct IdleTimeoutBody {
    inner: Body,
    idle: Duration,
    sleep: Pin<Box<Sleep>>,
    fired: Arc<AtomicBool>,
}

impl HttpBody for IdleTimeoutBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(frame) => {
                let next = Instant::now() + this.idle;
                this.sleep.as_mut().reset(next);
                Poll::Ready(frame)
            }
            Poll::Pending => {
                if this.sleep.as_mut().poll(cx).is_ready() {
                    this.fired.store(true, Ordering::Relaxed);
                    return Poll::Ready(Some(Err(axum::Error::new("no request body data within the body timeout"))));
                }
                Poll::Pending
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Answers 408 and closes the connection when the request's body stops arriving for the body
/// timeout (a client that announced a body and never sent it).
pub async fn body_timeout(State(idle): State<Duration>, req: Request, next: Next) -> Response {
    if req.body().size_hint().exact() == Some(0) {
        return next.run(req).await;
    }
    let fired = Arc::new(AtomicBool::new(false));
    let watch = fired.clone();
    let req = req.map(|inner| {
        Body::new(IdleTimeoutBody { inner, idle, sleep: Box::pin(tokio::time::sleep(idle)), fired: watch })
    });
    let response = next.run(req).await;
    if !fired.load(Ordering::Relaxed) {
        return response;
    }
    tracing::info!("request body timed out");
    let mut response = AppError::RequestTimeout.into_response();
    response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// Answers 503 when a request is not done within `limit` (the handler's work is dropped). Routes
/// that stream for long (server-sent events) are merged outside this layer: see [`crate::app::router`].
pub async fn request_timeout(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(limit_secs = limit.as_secs_f64(), "request timed out");
            AppError::Unavailable("ระบบใช้เวลาทำรายการนี้นานเกินไป กรุณาลองใหม่อีกครั้ง".into()).into_response()
        }
    }
}
