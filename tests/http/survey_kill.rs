//! An acknowledged answer is never lost (issue 15): a `prongsai serve` process takes answers from
//! many citizens at once and is killed (SIGKILL) in the middle; every answer that got its "saved"
//! redirect is in the database afterwards, on both engines.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use prongsai::survey::scale::Scale;
use prongsai::survey::visits::Place;
use reqwest::StatusCode;

use crate::harness::new_client;
use crate::survey_answers::{full_form, new_survey, token};

crate::on_both_databases! {
    async fn every_acknowledged_answer_survives_a_kill(app: TestApp) {
        let org = app.org_a.clone();
        let survey = new_survey(&app, org.id, "แบบประเมินก่อนไฟดับ", Scale::EqualWidth).await;
        let mut tokens = Vec::new();
        for _ in 0..300 {
            tokens.push(token(&app, org.id, survey, Place::default()).await);
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_prongsai"))
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env("DATABASE_URL", app.db_url.expose())
            .env("PRONGSAI_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().expect("the server prints its address").unwrap();
        let base = format!("http://{}", first.split("http://").nth(1).unwrap().split('/').next().unwrap());
        std::thread::spawn(move || for _ in lines {});

        // Sixteen citizens post answers one after another until the server dies.
        let stop = Arc::new(AtomicBool::new(false));
        let queue = Arc::new(std::sync::Mutex::new(tokens));
        let mut workers = Vec::new();
        for _ in 0..16 {
            let (queue, stop, base, slug) = (queue.clone(), stop.clone(), base.clone(), org.slug.clone());
            workers.push(tokio::spawn(async move {
                let client = new_client();
                let mut acknowledged = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let Some(t) = queue.lock().unwrap().pop() else { break };
                    let sent = client.post(format!("{base}/o/{slug}/survey/v/{t}")).form(&full_form(&[4])).send().await;
                    match sent {
                        Ok(r) if r.status() == StatusCode::SEE_OTHER => acknowledged.push(t),
                        Ok(r) => assert!(r.status().is_server_error(), "unexpected {}", r.status()),
                        Err(_) => break,
                    }
                }
                acknowledged
            }));
        }
        // Let some answers in, then kill the server with no chance to flush anything.
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while app.count("SELECT COUNT(*) FROM survey_answers WHERE channel = 'token'").await < 40 {
            assert!(std::time::Instant::now() < deadline, "answers never arrived");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let killed = Command::new("kill").args(["-KILL", &child.id().to_string()]).status().unwrap();
        assert!(killed.success());
        child.wait().unwrap();
        stop.store(true, Ordering::Relaxed);
        let mut acknowledged = Vec::new();
        for w in workers {
            acknowledged.extend(w.await.unwrap());
        }
        // Some stored answers may not have had their reply out before the kill: that is allowed
        // (stored, not acknowledged); the other way round is what this test forbids.
        assert!(acknowledged.len() >= 10, "only {} answers were acknowledged", acknowledged.len());
        assert!(!queue.lock().unwrap().is_empty(), "the kill came after every answer: nothing was tested");
        // Every acknowledged answer is stored (the test's pool reads the database afresh).
        let mut missing = Vec::new();
        for t in &acknowledged {
            let visit = prongsai::survey::visits::by_token(&app.db, org.id, t).await.unwrap().unwrap();
            if !prongsai::survey::visits::answered(&app.db, org.id, &visit.key).await.unwrap() {
                missing.push(t.clone());
            }
        }
        assert!(missing.is_empty(), "{} of {} acknowledged answers lost", missing.len(), acknowledged.len());
        // And the audit chain still verifies with the batches it recorded.
        let out = crate::harness::prongsai_cli(&app.db_url, &["audit", "verify"]);
        crate::harness::cli_ok(&out);
    }
}
