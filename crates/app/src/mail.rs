//! Outgoing mail: through an SMTP relay when one is configured, otherwise as `.eml` files in the
//! outbox folder, so a fresh install needs no mail server and tests can read what was sent.

use crate::{AppConfig, AppError, Result};
use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Clone)]
pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    Outbox {
        transport: AsyncFileTransport<Tokio1Executor>,
        from: Mailbox,
    },
}

/// One e-mail, plain text: the links it carries are the whole point.
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl Mailer {
    pub fn from_config(config: &AppConfig) -> Result<Mailer> {
        let from: Mailbox = config
            .mail_from
            .parse()
            .map_err(|e| AppError::Internal(format!("invalid mail_from '{}': {e}", config.mail_from)))?;
        match &config.smtp_url {
            Some(url) => Ok(Mailer::Smtp {
                transport: smtp_transport(url)?,
                from,
            }),
            None => {
                std::fs::create_dir_all(&config.outbox_dir).map_err(|e| {
                    AppError::Internal(format!(
                        "cannot create outbox {}: {e}",
                        config.outbox_dir.display()
                    ))
                })?;
                Ok(Mailer::Outbox {
                    transport: AsyncFileTransport::new(&config.outbox_dir),
                    from,
                })
            }
        }
    }

    pub async fn send(&self, mail: Mail) -> Result<()> {
        let from = match self {
            Mailer::Smtp { from, .. } | Mailer::Outbox { from, .. } => from.clone(),
        };
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|_| AppError::invalid("email", "not a deliverable address"))?;
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(mail.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body)
            .map_err(|e| AppError::Internal(format!("cannot build e-mail: {e}")))?;
        let sent = match self {
            Mailer::Smtp { transport, .. } => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Mailer::Outbox { transport, .. } => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
        };
        sent.map_err(|e| AppError::Internal(format!("mail not sent: {e}")))
    }
}

/// `smtp://user:password@host:port`. Plain SMTP to a relay: this build carries no TLS stack.
fn smtp_transport(raw: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>> {
    let bad = |why: &str| AppError::Internal(format!("invalid smtp_url: {why}"));
    let url = url::Url::parse(raw).map_err(|e| bad(&e.to_string()))?;
    if url.scheme() != "smtp" {
        return Err(bad("only smtp:// relays are supported"));
    }
    let host = url.host_str().ok_or_else(|| bad("no host"))?;
    let mut builder =
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).port(url.port().unwrap_or(25));
    if !url.username().is_empty() {
        builder = builder.credentials(Credentials::new(
            url.username().to_owned(),
            url.password().unwrap_or_default().to_owned(),
        ));
    }
    Ok(builder.build())
}
