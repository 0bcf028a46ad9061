//! The SMTP client against a local fake SMTP server that speaks the protocol (RFC 5321).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use didtron_adapters::mail::{OutgoingMail, SmtpMailer};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// What the fake server saw, and how many MAIL commands it should refuse with `reply` first.
#[derive(Default)]
struct Fake {
    messages: Vec<String>,
    refuse_first: usize,
    reply: &'static str,
    mail_commands: usize,
}

async fn fake_smtp(fake: Arc<Mutex<Fake>>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else { return };
            let fake = fake.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 fake.smtp ESMTP\r\n").await.unwrap();
                let mut data = None::<String>;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(body) = data.as_mut() {
                        if line == "." {
                            fake.lock().unwrap().messages.push(data.take().unwrap());
                            write.write_all(b"250 2.0.0 queued\r\n").await.unwrap();
                        } else {
                            body.push_str(&line);
                            body.push('\n');
                        }
                        continue;
                    }
                    let upper = line.to_uppercase();
                    let reply: String = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        "250 fake.smtp\r\n".into()
                    } else if upper.starts_with("MAIL FROM") {
                        let mut f = fake.lock().unwrap();
                        f.mail_commands += 1;
                        if f.mail_commands <= f.refuse_first { format!("{}\r\n", f.reply) } else { "250 2.1.0 ok\r\n".into() }
                    } else if upper.starts_with("RCPT TO") {
                        "250 2.1.5 ok\r\n".into()
                    } else if upper == "DATA" {
                        data = Some(String::new());
                        "354 go ahead\r\n".into()
                    } else if upper == "QUIT" {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        break;
                    } else if upper == "RSET" || upper == "NOOP" {
                        "250 ok\r\n".into()
                    } else {
                        "502 not implemented\r\n".into()
                    };
                    write.write_all(reply.as_bytes()).await.unwrap();
                }
            });
        }
    });
    port
}

fn mail() -> OutgoingMail {
    OutgoingMail { to: "alice@example.com".into(), subject: "Verify your e-mail".into(), text: "Open this link".into() }
}

fn mailer(port: u16) -> SmtpMailer {
    SmtpMailer::new(&format!("smtp://127.0.0.1:{port}").into(), "DIDtron <no-reply@didtron.test>")
        .unwrap()
        .with_retries(3, Duration::from_millis(10))
}

#[tokio::test]
async fn a_message_is_delivered_with_its_headers_and_body() {
    let fake = Arc::new(Mutex::new(Fake::default()));
    let port = fake_smtp(fake.clone()).await;
    assert_eq!(mailer(port).send(&mail()).await.unwrap(), 1);
    let seen = fake.lock().unwrap().messages.clone();
    assert_eq!(seen.len(), 1);
    assert!(seen[0].contains("Subject: Verify your e-mail"), "{}", seen[0]);
    assert!(seen[0].contains("To: alice@example.com"));
    assert!(seen[0].contains("Open this link"));
}

#[tokio::test]
async fn transient_refusals_are_retried_then_succeed() {
    let fake = Arc::new(Mutex::new(Fake { refuse_first: 2, reply: "451 4.3.0 try again later", ..Default::default() }));
    let port = fake_smtp(fake.clone()).await;
    assert_eq!(mailer(port).send(&mail()).await.unwrap(), 3);
    assert_eq!(fake.lock().unwrap().messages.len(), 1);
}

#[tokio::test]
async fn transient_refusals_are_reported_after_the_last_attempt() {
    let fake = Arc::new(Mutex::new(Fake { refuse_first: 10, reply: "451 4.3.0 try again later", ..Default::default() }));
    let port = fake_smtp(fake.clone()).await;
    let (err, attempts) = mailer(port).send(&mail()).await.unwrap_err();
    assert_eq!(attempts, 3);
    assert!(err.retryable);
    assert!(fake.lock().unwrap().messages.is_empty());
}

#[tokio::test]
async fn permanent_refusals_are_not_retried() {
    let fake = Arc::new(Mutex::new(Fake { refuse_first: 10, reply: "550 5.7.1 relaying denied", ..Default::default() }));
    let port = fake_smtp(fake.clone()).await;
    let (err, attempts) = mailer(port).send(&mail()).await.unwrap_err();
    assert_eq!(attempts, 1);
    assert!(!err.retryable);
    assert!(err.message.contains("550") || err.message.to_lowercase().contains("relaying"), "{}", err.message);
}

#[tokio::test]
async fn an_unreachable_server_is_reported_as_retryable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let (err, attempts) = mailer(port).send(&mail()).await.unwrap_err();
    assert_eq!(attempts, 3);
    assert!(err.retryable);
}
