//! One HTTP(S) request with a deadline, for the LINE and Facebook APIs: a connection per request
//! (the outbox sends a few posts a day), TLS by rustls with ring and the webpki roots.
//!
//! A failure says whether the request may have reached the server: a refused connection or a
//! failed TLS handshake cannot have; a request written without an answer (a dropped connection,
//! the deadline) may have, and the caller must treat its outcome as unknown.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::http::{HeaderMap, Method, Request, Uri, header};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::rt::TokioIo;

/// The answer's body is cut off past this (APIs answer a few hundred bytes; a feed some more).
const MAX_BODY: usize = 2 * 1024 * 1024;

pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
}

#[derive(Debug)]
pub enum Failure {
    /// The request did not leave: nothing can have arrived. The reason, in English, for the log.
    NotSent(String),
    /// The request may have arrived, but no answer came.
    NoAnswer(String),
}

pub struct Outgoing<'a> {
    pub method: Method,
    pub url: &'a str,
    pub headers: Vec<(&'static str, String)>,
    /// Content type and bytes.
    pub body: Option<(&'static str, Vec<u8>)>,
}

fn tls() -> Arc<rustls::ClientConfig> {
    static CONFIG: OnceLock<Arc<rustls::ClientConfig>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
            let config =
                rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
                    .with_safe_default_protocol_versions()
                    .expect("ring supports the default TLS versions")
                    .with_root_certificates(roots)
                    .with_no_client_auth();
            Arc::new(config)
        })
        .clone()
}

/// Sends `out` and reads the whole answer, all within `deadline`.
pub async fn send(out: Outgoing<'_>, deadline: Duration) -> Result<Response, Failure> {
    let uri: Uri = out.url.parse().map_err(|e| Failure::NotSent(format!("bad URL: {e}")))?;
    let https = match uri.scheme_str() {
        Some("https") => true,
        Some("http") => false,
        _ => return Err(Failure::NotSent("the URL is neither http nor https".into())),
    };
    let host = uri.host().ok_or_else(|| Failure::NotSent("the URL has no host".into()))?.to_string();
    let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
    let authority = uri.authority().map(|a| a.to_string()).unwrap_or_else(|| host.clone());
    let path = uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
    let mut request = Request::builder().method(out.method).uri(path).header(header::HOST, authority);
    for (name, value) in &out.headers {
        request = request.header(*name, value);
    }
    let body = match out.body {
        Some((content_type, bytes)) => {
            request = request.header(header::CONTENT_TYPE, content_type);
            bytes
        }
        None => Vec::new(),
    };
    let request = request.body(Full::new(Bytes::from(body))).map_err(|e| Failure::NotSent(e.to_string()))?;
    let started = tokio::time::Instant::now();
    let tcp = tokio::time::timeout(deadline, tokio::net::TcpStream::connect((host.as_str(), port)))
        .await
        .map_err(|_| Failure::NotSent("connecting timed out".into()))?
        .map_err(|e| Failure::NotSent(format!("connecting: {e}")))?;
    let left = deadline.saturating_sub(started.elapsed());
    if https {
        let name = rustls::pki_types::ServerName::try_from(host.clone())
            .map_err(|e| Failure::NotSent(format!("bad host name: {e}")))?;
        let tls = tokio::time::timeout(left, tokio_rustls::TlsConnector::from(tls()).connect(name, tcp))
            .await
            .map_err(|_| Failure::NotSent("TLS handshake timed out".into()))?
            .map_err(|e| Failure::NotSent(format!("TLS handshake: {e}")))?;
        let left = deadline.saturating_sub(started.elapsed());
        exchange(TokioIo::new(tls), request, left).await
    } else {
        exchange(TokioIo::new(tcp), request, left).await
    }
}

async fn exchange<I>(io: I, request: Request<Full<Bytes>>, left: Duration) -> Result<Response, Failure>
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(io).await.map_err(|e| Failure::NotSent(format!("handshake: {e}")))?;
    let driver = tokio::spawn(connection);
    let answer = tokio::time::timeout(left, async {
        let response = sender.send_request(request).await.map_err(|e| Failure::NoAnswer(e.to_string()))?;
        let (parts, body) = response.into_parts();
        let body = Limited::new(body, MAX_BODY)
            .collect()
            .await
            .map_err(|e| Failure::NoAnswer(format!("reading the answer: {e}")))?
            .to_bytes();
        Ok::<_, Failure>(Response { status: parts.status.as_u16(), headers: parts.headers, body })
    })
    .await
    .unwrap_or_else(|_| Err(Failure::NoAnswer("no answer within the timeout".into())));
    driver.abort();
    answer
}
