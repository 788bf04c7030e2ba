//! Outgoing e-mail, when the operator configures SMTP (`PRONGSAI_SMTP_URL`, e.g.
//! `smtp://user:password@mail.example.go.th:587?tls=required`, and `PRONGSAI_SMTP_FROM`).
//! Without it, notifications stay in the app.

use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: lettre::message::Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Mailer(from {})", self.from)
    }
}

impl Mailer {
    /// The mailer of the environment, or None when SMTP is not configured.
    pub fn from_env() -> anyhow::Result<Option<Mailer>> {
        let Ok(url) = std::env::var("PRONGSAI_SMTP_URL") else { return Ok(None) };
        let from = std::env::var("PRONGSAI_SMTP_FROM").unwrap_or_else(|_| "prongsai@localhost".into());
        Ok(Some(Mailer::new(&url, &from)?))
    }

    pub fn new(url: &str, from: &str) -> anyhow::Result<Mailer> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| anyhow::anyhow!("PRONGSAI_SMTP_URL is not a valid SMTP URL (URL ของ SMTP ไม่ถูกต้อง): {e}"))?
            .build();
        let from = from.parse().map_err(|e| anyhow::anyhow!("PRONGSAI_SMTP_FROM \"{from}\" is not an address: {e}"))?;
        Ok(Mailer { transport, from })
    }

    /// Sends one plain-text message in UTF-8.
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> anyhow::Result<()> {
        let message = Message::builder()
            .from(self.from.clone())
            .to(to.parse().map_err(|e| anyhow::anyhow!("bad address {to}: {e}"))?)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string())?;
        self.transport.send(message).await?;
        Ok(())
    }
}
