//! Reminder e-mails through the real SMTP client to a listener that speaks SMTP on loopback.

use base64::Engine as _;
use prongsai::lending::{reminders, today};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// Accepts SMTP sessions and returns each message as (recipients, decoded body).
pub async fn smtp_sink() -> (u16, tokio::sync::mpsc::UnboundedReceiver<(Vec<String>, String)>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                let (mut rcpt, mut data, mut in_data) = (Vec::new(), String::new(), false);
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            let body = data
                                .split("\r\n\r\n")
                                .nth(1)
                                .or(data.split("\n\n").nth(1))
                                .unwrap_or("")
                                .replace(['\r', '\n'], "");
                            let decoded = base64::engine::general_purpose::STANDARD
                                .decode(body.trim())
                                .map(|b| String::from_utf8(b).unwrap())
                                .unwrap_or(data.clone());
                            tx.send((std::mem::take(&mut rcpt), decoded)).unwrap();
                            data.clear();
                            write.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            data.push_str(&line);
                            data.push('\n');
                        }
                        continue;
                    }
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250 sink\r\n"
                    } else if upper.starts_with("RCPT TO:") {
                        rcpt.push(line[8..].trim().trim_matches(['<', '>']).to_string());
                        b"250 ok\r\n"
                    } else if upper.starts_with("DATA") {
                        in_data = true;
                        b"354 go\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, rx)
}

crate::on_both_databases! {
    async fn an_overdue_loan_is_emailed_to_the_officer_once_a_day_when_smtp_is_configured(app: TestApp) {
        let (port, mut inbox) = smtp_sink().await;
        let mailer = prongsai::mail::Mailer::new(&format!("smtp://127.0.0.1:{port}"), "พัสดุ อบต. <supplies@maekhatuan.example>").unwrap();
        let org = app.org_a.id;
        let head = prongsai::auth::users::find_by_username_and_org(&app.db, DEMO_STAFF, org).await.unwrap().unwrap();
        prongsai::auth::users::set_email(&app.db, org, head.id, "supplies@maekhatuan.example", "test").await.unwrap();
        assert!(prongsai::auth::users::set_email(&app.db, org, head.id, "not an address", "test").await.is_err());
        // Only loans that are overdue today: the demo's tent (10 days out, 3 overdue).
        let s = reminders::run_for_org(&app.db, org, today(), Some(&mailer)).await.unwrap();
        assert!(s.overdue >= 1);
        let (to, body) = tokio::time::timeout(std::time::Duration::from_secs(10), inbox.recv()).await.unwrap().unwrap();
        assert_eq!(to, ["supplies@maekhatuan.example"]);
        assert!(body.contains("เต็นท์ผ้าใบ") && body.contains("เกินกำหนดส่งคืน"), "{body}");
        // The second run of the day sends nothing new.
        reminders::run_for_org(&app.db, org, today(), Some(&mailer)).await.unwrap();
        assert!(tokio::time::timeout(std::time::Duration::from_millis(500), inbox.recv()).await.is_err());
    }
}
