//! `prongsai serve` and `prongsai healthcheck`.

use std::process::ExitCode;

use anyhow::Context;

use crate::config::Settings;
use crate::db::{DatabaseUrl, Db};

/// Serves until SIGTERM or SIGINT, then stops the reminder job and closes the pool.
pub(super) async fn serve(
    db: &Db,
    url: &DatabaseUrl,
    bind: String,
    demo: bool,
    public_url: Option<String>,
) -> anyhow::Result<()> {
    if demo {
        crate::demo::load(db).await?;
    }
    let mut settings = Settings::new(url.clone(), public_url);
    settings.audit_signer = crate::audit::HeadSigner::from_env()?.map(std::sync::Arc::new);
    settings.render_worker =
        Some(std::env::current_exe().context("finding the prongsai binary for the render worker")?);
    let listener =
        tokio::net::TcpListener::bind(&bind).await.with_context(|| format!("cannot listen on {bind} (เปิดพอร์ตไม่ได้)"))?;
    let addr = listener.local_addr()?;
    println!("Prongsai is serving http://{addr}/  (database: {})", crate::config::describe_database(url));
    if demo {
        println!(
            "Demo organization: http://{addr}/o/{}/   staff login: http://{addr}/login   user: {}   password: {}",
            crate::demo::SLUG,
            crate::demo::ADMIN_USER,
            crate::demo::PASSWORD
        );
    }
    crate::blocking::configure(settings.pool);
    let mailer = crate::mail::Mailer::from_env()?;
    let reminders = crate::lending::reminders::spawn(db.clone(), mailer.clone());
    let state = crate::app::AppState::new(db.clone(), settings).with_mailer(mailer);
    crate::app::serve(state, listener, stop_signal()?).await?;
    // The requests have finished: stop the reminder job between runs, then the pool.
    if tokio::time::timeout(std::time::Duration::from_secs(30), reminders.stop()).await.is_err() {
        tracing::warn!("the reminder job did not stop within 30 s");
    }
    db.pool.close().await;
    println!("Prongsai stopped (ปิดระบบเรียบร้อย)");
    Ok(())
}

/// Resolves on SIGTERM (systemd, `docker stop`) or SIGINT (Ctrl-C).
fn stop_signal() -> anyhow::Result<impl std::future::Future<Output = ()> + Send + 'static> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).context("listening for SIGTERM")?;
        let mut int = signal(SignalKind::interrupt()).context("listening for SIGINT")?;
        Ok(async move {
            let name = tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = int.recv() => "SIGINT",
            };
            tracing::info!(signal = name, "stopping: no new connections, finishing requests in flight");
        })
    }
    #[cfg(not(unix))]
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

pub(super) async fn healthcheck(url: &str) -> anyhow::Result<ExitCode> {
    let addr = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = tokio::net::TcpStream::connect(addr).await.with_context(|| format!("connecting to {addr}"))?;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream.write_all(format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes()).await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    Ok(if response.starts_with("HTTP/1.1 200") { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
