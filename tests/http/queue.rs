//! The counter page (issue 14, fair queue items 2 and 3): calls by the published rule, every
//! out-of-order step with its reason in the log, steps in the wrong order refused in Thai, and
//! another organization's ids never working.

use prongsai::queue::rules::PriorityGroup;
use reqwest::StatusCode;

use crate::harness::*;
use crate::on_both_databases;
use crate::queue_support::*;

/// Posts a counter step and returns the response.
async fn step(
    app: &TestApp,
    csrf: &str,
    counter: impl std::fmt::Display,
    ticket: impl std::fmt::Display,
    step: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    app.post_form(&format!("/app/queue/counters/{counter}/tickets/{ticket}/{step}"), csrf, fields).await
}

/// Calls the next ticket at the counter, starts and finishes it; returns its label.
async fn serve_next(app: &TestApp, csrf: &str, counter: impl std::fmt::Display) -> String {
    let r = app.post_form(&format!("/app/queue/counters/{counter}/next"), csrf, &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{}", r.text().await.unwrap());
    let page = app.get_text(&format!("/app/queue/counters/{counter}")).await;
    let label = page.split("id=\"current-label\">").nth(1).unwrap().split('<').next().unwrap().to_string();
    let id: (i64,) =
        sqlx::query_as("SELECT id FROM queue_tickets WHERE label = $1 AND status = 'called' AND org_id = $2")
            .bind(&label)
            .bind(app.org_a.id.0)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(step(app, csrf, &counter, id.0, "start", &[]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(step(app, csrf, &counter, id.0, "finish", &[]).await.status(), StatusCode::SEE_OTHER);
    label
}

on_both_databases! {
    async fn priority_tickets_are_called_one_in_every_two_and_each_jump_is_logged_with_its_group(app: TestApp) {
        let queue = DemoQueue::load(&app).await;
        assert_eq!(queue.point.priority_every, 2, "the demo's published rule");
        let o1 = queue.issue(&app, "A", None, -50_000).await;
        let o2 = queue.issue(&app, "B", None, -40_000).await;
        let o3 = queue.issue(&app, "A", None, -30_000).await;
        let p1 = queue.issue(&app, "A", Some(PriorityGroup::Elderly), -20_000).await;
        let p2 = queue.issue(&app, "G", Some(PriorityGroup::Monk), -10_000).await;
        let csrf = app.login(DEMO_STAFF).await;
        let counter = queue.counter(1);
        let mut order = Vec::new();
        for _ in 0..5 {
            order.push(serve_next(&app, &csrf, counter).await);
        }
        assert_eq!(order, [o1.label, p1.label.clone(), o2.label, p2.label, o3.label]);
        // The priority calls went before older tickets: logged with the group and the rule.
        let calls = events_of(&app, p1.id).await;
        assert_eq!(calls[1].0, "call");
        assert_eq!(calls[1].1, "priority");
        assert_eq!(calls[1].2, "ผู้สูงอายุ (๖๐ ปีขึ้นไป) ตามกฎเรียกคิวพิเศษ ๑ ใน ๒ ครั้ง");
        assert_eq!(events_of(&app, o1.id).await[1].1, "", "the oldest ticket was called in turn");
        // Nothing is left for this counter.
        let r = app.post_form(&format!("/app/queue/counters/{counter}/next"), &csrf, &[]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r.text().await.unwrap().contains("ไม่มีคิวที่รอเรียกสำหรับช่องบริการนี้"));
        // The public summary of the day counts both jumps by group, with no ticket number.
        let fair = app.get_text(&format!("/o/{}/queue/fairness", app.org_a.slug)).await;
        assert!(fair.contains("id=\"calls\">๕ ครั้ง") && fair.contains("id=\"in-order\">๓ ครั้ง"), "{fair}");
        assert!(fair.contains("ผู้สูงอายุ (๖๐ ปีขึ้นไป): ๑ ครั้ง") && fair.contains("พระภิกษุสงฆ์ นักบวช: ๑ ครั้ง"), "{fair}");
        assert!(!fair.contains(&p1.label));
    }

    async fn every_out_of_order_step_needs_a_reason_and_is_logged_with_it(app: TestApp) {
        let queue = DemoQueue::load(&app).await;
        let first = queue.issue(&app, "A", None, -30_000).await;
        let second = queue.issue(&app, "A", None, -20_000).await;
        let csrf = app.login(DEMO_STAFF).await;
        let c1 = queue.counter(1);
        // Picking the second before the first: refused without a reason, in Thai, on the page.
        let r = step(&app, &csrf, c1, second.id, "call", &[("reason", "  ")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("กรุณาระบุเหตุผลที่เรียกคิวนี้ก่อนคิวอื่น"));
        assert_eq!(ticket(&app, second.id).await.status.code(), "waiting");
        let r = step(&app, &csrf, c1, second.id, "call", &[("reason", "ผู้รับบริการมีนัดตรวจเอกสารต่อเนื่อง")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(events_of(&app, second.id).await[1], ("call".into(), "chosen".into(), "ผู้รับบริการมีนัดตรวจเอกสารต่อเนื่อง".into()));
        // Recall and skip need their reasons too.
        assert_eq!(step(&app, &csrf, c1, second.id, "recall", &[]).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(step(&app, &csrf, c1, second.id, "recall", &[("reason", "ยังไม่มาที่ช่อง")]).await.status(), StatusCode::SEE_OTHER);
        assert_eq!(step(&app, &csrf, c1, second.id, "skip", &[("reason", "")]).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(step(&app, &csrf, c1, second.id, "skip", &[("reason", "เรียกแล้วไม่มา")]).await.status(), StatusCode::SEE_OTHER);
        // The citizen comes back: any counter may call the skipped ticket again, with a reason.
        let c2 = queue.counter(2);
        assert_eq!(step(&app, &csrf, c2, second.id, "recall", &[("reason", "กลับมาแล้ว")]).await.status(), StatusCode::SEE_OTHER);
        assert_eq!(ticket(&app, second.id).await.counter_id, Some(c2));
        // Transfer: a reason, and the ticket keeps its place by issue time in the new line.
        let target = queue.service("G");
        let r = step(&app, &csrf, c2, second.id, "transfer", &[("to_service", &target.service_id.0.to_string()), ("reason", "")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let later = queue.issue(&app, "G", None, -10_000).await;
        let r = step(&app, &csrf, c2, second.id, "transfer", &[("to_service", &target.service_id.0.to_string()), ("reason", "ต้องชำระค่าธรรมเนียมที่งานทะเบียนพาณิชย์")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let moved = ticket(&app, second.id).await;
        assert_eq!((moved.status.code(), moved.service_id, moved.queued_at), ("waiting", target.service_id, second.issued_at));
        assert_eq!(moved.counter_id, None);
        // At counter 1 (which serves G) the moved ticket comes before the later G ticket, after `first`.
        let r = app.post_form(&format!("/app/queue/counters/{c1}/next"), &csrf, &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(ticket(&app, first.id).await.status.code(), "called");
        step(&app, &csrf, c1, first.id, "start", &[]).await;
        step(&app, &csrf, c1, first.id, "finish", &[]).await;
        app.post_form(&format!("/app/queue/counters/{c1}/next"), &csrf, &[]).await;
        assert_eq!(ticket(&app, second.id).await.status.code(), "called");
        assert_eq!(ticket(&app, later.id).await.status.code(), "waiting");
        // Every out-of-order step is in the log with its reason, and in the audit.
        let logged: Vec<(String, String)> = sqlx::query_as("SELECT out_of_order, reason FROM queue_events WHERE ticket_id = $1 AND out_of_order <> '' ORDER BY id")
            .bind(second.id.0).fetch_all(&app.db.pool).await.unwrap();
        let kinds: Vec<&str> = logged.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(kinds, ["chosen", "recall", "skip", "recall", "transfer"]);
        assert!(logged.iter().all(|(_, reason)| !reason.is_empty()));
        let audited = app.count(&format!("SELECT COUNT(*) FROM audit_log WHERE entity = 'queue_ticket' AND entity_id = '{}'", second.id.0)).await;
        assert_eq!(audited, 7, "issue, call, recall, skip, recall, transfer, call: each with its entry");
        // The fairness page shows the reasons (no names were asked for).
        let fair = app.get_text(&format!("/o/{}/queue/fairness", app.org_a.slug)).await;
        assert!(fair.contains("ต้องชำระค่าธรรมเนียมที่งานทะเบียนพาณิชย์") && fair.contains("เจ้าหน้าที่เลือกเรียกนอกลำดับ"), "{fair}");
    }

    async fn steps_in_the_wrong_order_or_at_the_wrong_counter_are_refused_in_thai(app: TestApp) {
        let queue = DemoQueue::load(&app).await;
        let t = queue.issue(&app, "H", None, -1_000).await;
        let csrf = app.login(DEMO_STAFF).await;
        let (c1, c2) = (queue.counter(1), queue.counter(2));
        let r = step(&app, &csrf, c1, t.id, "start", &[]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r.text().await.unwrap().contains("ยังไม่ได้ถูกเรียก"));
        app.post_form(&format!("/app/queue/counters/{c1}/next"), &csrf, &[]).await;
        let r = step(&app, &csrf, c1, t.id, "finish", &[]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r.text().await.unwrap().contains("ยังไม่ได้เริ่มให้บริการ"));
        let r = step(&app, &csrf, c2, t.id, "start", &[]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r.text().await.unwrap().contains("ถูกเรียกที่ช่องบริการอื่น"));
        // A counter with a ticket in hand cannot call the next.
        queue.issue(&app, "H", None, 0).await;
        let r = app.post_form(&format!("/app/queue/counters/{c1}/next"), &csrf, &[]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r.text().await.unwrap().contains(&format!("ช่องบริการนี้ยังมีคิว {} อยู่", t.label)));
        step(&app, &csrf, c1, t.id, "start", &[]).await;
        assert_eq!(step(&app, &csrf, c1, t.id, "finish", &[]).await.status(), StatusCode::SEE_OTHER);
        let r = step(&app, &csrf, c1, t.id, "call", &[("reason", "ขอเรียกอีก")]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r.text().await.unwrap().contains("ให้บริการเสร็จแล้ว"));
        let r = step(&app, &csrf, c1, t.id, "recall", &[("reason", "ขอเรียกอีก")]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        // The recall limit of the rule (2): a third recall is refused.
        let u = queue.issue(&app, "H", None, 1_000).await;
        let next = app.post_form(&format!("/app/queue/counters/{c1}/next"), &csrf, &[]).await;
        assert_eq!(next.status(), StatusCode::SEE_OTHER);
        let called = sqlx::query_as::<_, (i64,)>("SELECT id FROM queue_tickets WHERE status = 'called' AND counter_id = $1").bind(c1.0).fetch_one(&app.db.pool).await.unwrap().0;
        for _ in 0..2 {
            assert_eq!(step(&app, &csrf, c1, called, "recall", &[("reason", "ยังไม่มา")]).await.status(), StatusCode::SEE_OTHER);
        }
        let r = step(&app, &csrf, c1, called, "recall", &[("reason", "ยังไม่มา")]).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r.text().await.unwrap().contains("เรียกซ้ำครบ ๒ ครั้งตามกฎแล้ว"));
        let _ = u;
        // An executive reads but does not operate a counter.
        let csrf = app.login(DEMO_EXECUTIVE).await;
        assert_eq!(app.post_form(&format!("/app/queue/counters/{c2}/next"), &csrf, &[]).await.status(), StatusCode::FORBIDDEN);
    }

    async fn the_admin_configures_a_point_and_a_refused_form_comes_back_as_typed_with_the_error_beside_the_field(app: TestApp) {
        let csrf = app.login(DEMO_ADMIN).await;
        let r = app.post_form("/app/queue/points", &csrf, &[("name", "จุดบริการชั้น ๒"), ("priority_every", "๑๑"), ("recall_limit", "1"), ("rule_note", "ทดสอบ")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = r.text().await.unwrap();
        assert!(page.contains("id=\"priority_every-error\"") && page.contains("สัดส่วนการเรียกคิวพิเศษต้องเป็นตัวเลข ๐ ถึง ๑๐"), "{page}");
        assert!(page.contains("value=\"จุดบริการชั้น ๒\"") && page.contains(">ทดสอบ</textarea>"), "kept as typed");
        let r = app.post_form("/app/queue/points", &csrf, &[("name", "จุดบริการชั้น ๒"), ("priority_every", "๓"), ("recall_limit", "1")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let location = r.headers()["location"].to_str().unwrap().to_string();
        let point = location.rsplit('/').next().unwrap().to_string();
        let services = prongsai::services::store::list(&app.db, app.org_a.id, false).await.unwrap();
        let (a, b) = (services[0].id.to_string(), services[1].id.to_string());
        assert_eq!(app.post_form(&format!("{location}/services"), &csrf, &[("service_id", &a), ("prefix", "ก")]).await.status(), StatusCode::SEE_OTHER);
        let r = app.post_form(&format!("{location}/services"), &csrf, &[("service_id", &b), ("prefix", "ก")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text().await.unwrap().contains("ก&#34; ใช้กับงานบริการอื่นของจุดบริการนี้แล้ว"));
        let r = app.post_form(&format!("{location}/services"), &csrf, &[("service_id", &b), ("prefix", "12")]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        // A counter may serve only what the point gives.
        let r = app.post_form(&format!("{location}/counters"), &csrf, &[("name", "ช่อง ๓"), ("services", &b)]).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(app.post_form(&format!("{location}/counters"), &csrf, &[("name", "ช่อง ๓"), ("services", &a)]).await.status(), StatusCode::SEE_OTHER);
        let counters = prongsai::queue::store::counters(&app.db, app.org_a.id, prongsai::queue::PointId(point.parse().unwrap())).await.unwrap();
        assert_eq!((counters.len(), counters[0].services.len()), (1, 1));
        // The published rule reads as configured, on the public page.
        let rules = app.get_text(&format!("/o/{}/queue/rules", app.org_a.slug)).await;
        assert!(rules.contains("ทุก ๓ ครั้งที่เรียก เรียกกลุ่มพิเศษ ๑ ครั้ง"), "{rules}");
        // Staff may not configure.
        let csrf = app.login(DEMO_STAFF).await;
        assert_eq!(app.post_form("/app/queue/points", &csrf, &[("name", "x"), ("priority_every", "1"), ("recall_limit", "1")]).await.status(), StatusCode::FORBIDDEN);
    }

    async fn another_organizations_ids_never_work(app: TestApp) {
        let queue = DemoQueue::load(&app).await;
        let t = queue.issue(&app, "A", None, 0).await;
        let csrf = app.login(OTHER_ADMIN).await;
        let c1 = queue.counter(1);
        assert_eq!(app.get(&format!("/app/queue/counters/{c1}")).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get(&format!("/app/queue/points/{}", queue.point.id)).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.post_form(&format!("/app/queue/counters/{c1}/next"), &csrf, &[]).await.status(), StatusCode::NOT_FOUND);
        for s in ["call", "start", "finish", "skip", "recall"] {
            assert_eq!(step(&app, &csrf, c1, t.id, s, &[("reason", "x")]).await.status(), StatusCode::NOT_FOUND, "{s}");
        }
        let r = app.post_form(&format!("/app/queue/points/{}", queue.point.id), &csrf, &[("name", "ยึด"), ("priority_every", "1"), ("recall_limit", "1")]).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        let r = app.post_form(&format!("/app/queue/points/{}/kiosks", queue.point.id), &csrf, &[("name", "x")]).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        // Its own point, counter and a demo ticket id: still nothing of the demo's.
        app.post_form("/app/queue/points", &csrf, &[("name", "จุดบริการเทศบาล"), ("priority_every", "2"), ("recall_limit", "2")]).await;
        let point = prongsai::queue::store::points(&app.db, app.org_b.id).await.unwrap().remove(0);
        app.post_form(&format!("/app/queue/points/{}/counters", point.id), &csrf, &[("name", "ช่อง ๑")]).await;
        let own = prongsai::queue::store::counters(&app.db, app.org_b.id, point.id).await.unwrap().remove(0);
        for s in ["call", "start", "recall", "transfer"] {
            let r = step(&app, &csrf, own.id, t.id, s, &[("reason", "x"), ("to_service", &queue.service("B").service_id.0.to_string())]).await;
            assert_eq!(r.status(), StatusCode::NOT_FOUND, "{s}");
        }
        // The demo's ticket page is not under the other organization's address.
        assert_eq!(app.get(&format!("/o/other-town/queue/t/{}", t.code)).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(app.get(&format!("/o/other-town/queue/services/{}", queue.service("A").service_id)).await.status(), StatusCode::NOT_FOUND);
        assert_eq!(ticket(&app, t.id).await.status.code(), "waiting");
    }

    async fn the_ticket_prints_on_80_mm_with_a_qr_to_its_live_status_page(app: TestApp) {
        let queue = DemoQueue::load(&app).await;
        let ahead = queue.issue(&app, "D", None, -5_000).await;
        let t = queue.issue(&app, "D", Some(PriorityGroup::Pregnant), 0).await;
        let slug = app.org_a.slug.clone();
        let print = app.get_text(&format!("/o/{slug}/queue/t/{}/print", t.code)).await;
        assert!(print.contains(&t.label) && print.contains("รอก่อนหน้า ๑ คิว") && print.contains("data:image/svg+xml"), "{print}");
        let r = app.get(&format!("/o/{slug}/queue/t/{}/ticket.pdf", t.code)).await;
        assert_eq!(r.status(), StatusCode::OK);
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("ticket.pdf");
        std::fs::write(&pdf, r.bytes().await.unwrap()).unwrap();
        let text = std::process::Command::new("pdftotext").arg("-raw").arg(&pdf).arg("-").output().unwrap();
        let text: String = String::from_utf8(text.stdout).unwrap().chars().filter(|c| !c.is_whitespace()).collect();
        let service: String = queue.service("D").name.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(text.contains(&t.label) && text.contains(&service) && text.contains("รอก่อนหน้า๑คิว") && text.contains("หญิงตั้งครรภ์"), "{text}");
        let info = std::process::Command::new("pdfinfo").arg(&pdf).output().unwrap();
        let info = String::from_utf8(info.stdout).unwrap();
        assert!(info.contains("Page size:       226.77"), "80 mm wide: {info}");
        let png = dir.path().join("page");
        assert!(std::process::Command::new("pdftoppm").args(["-r", "300", "-png"]).arg(&pdf).arg(&png).status().unwrap().success());
        let image = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).find(|p| p.extension().is_some_and(|e| e == "png")).unwrap();
        let out = std::process::Command::new("zbarimg").args(["--quiet", "--raw"]).arg(&image).output().unwrap();
        let url = String::from_utf8(out.stdout).unwrap().trim().to_string();
        assert_eq!(url, format!("http://{}/o/{slug}/queue/t/{}", app.addr, t.code));
        // The status page it opens: waiting with one ahead, then called to the counter.
        let page = app.get_text(&format!("/o/{slug}/queue/t/{}", t.code)).await;
        assert!(page.contains("รอก่อนหน้า ๑ คิว"), "{page}");
        let csrf = app.login(DEMO_STAFF).await;
        let c2 = queue.counter(2);
        let r = step(&app, &csrf, c2, t.id, "call", &[("reason", "หญิงตั้งครรภ์ไม่สบาย ขอเรียกก่อน")]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let page = new_client().get(app.url(&format!("/o/{slug}/queue/t/{}", t.code))).send().await.unwrap();
        assert_eq!(page.headers()["refresh"], "15");
        assert!(page.text().await.unwrap().contains("ถึงคิวของท่านแล้ว เชิญที่ช่องบริการ ๒"));
        assert_eq!(ticket(&app, ahead.id).await.status.code(), "waiting");
        // An unknown code is a 404.
        assert_eq!(app.get(&format!("/o/{slug}/queue/t/{}x", t.code)).await.status(), StatusCode::NOT_FOUND);
    }

    async fn the_holder_cancels_a_waiting_ticket_and_the_next_in_line_is_called(app: TestApp) {
        let queue = DemoQueue::load(&app).await;
        let first = queue.issue(&app, "D", None, -5_000).await;
        let second = queue.issue(&app, "D", None, 0).await;
        let slug = app.org_a.slug.clone();
        let base = app.url("");
        let cancel = |code: &str| format!("{base}/o/{slug}/queue/t/{code}/cancel");
        let page = app.get_text(&format!("/o/{slug}/queue/t/{}", first.code)).await;
        assert!(page.contains("ยกเลิกบัตรคิว") && page.contains("name=\"sure\""), "{page}");
        // Not confirmed: nothing changes, the page says what to do.
        let r = new_client().post(cancel(&first.code)).form(&[("sure", "")]).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r.text().await.unwrap().contains("ยืนยันว่าไม่รอรับบริการแล้ว&#34; ก่อนกดยกเลิก"));
        assert_eq!(ticket(&app, first.id).await.status.code(), "waiting");
        // A page elsewhere cannot cancel someone's ticket through their browser.
        let r = new_client().post(cancel(&first.code)).header("origin", "https://evil.example").form(&[("sure", "1")]).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        // Nor does the code work under another organization's address.
        let r = new_client().post(app.url(&format!("/o/other-town/queue/t/{}/cancel", first.code))).form(&[("sure", "1")]).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(ticket(&app, first.id).await.status.code(), "waiting");
        // Confirmed: cancelled once, however many taps.
        for _ in 0..2 {
            let r = new_client().post(cancel(&first.code)).form(&[("sure", "1")]).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
        }
        assert_eq!(ticket(&app, first.id).await.status.code(), "cancelled");
        let page = app.get_text(&format!("/o/{slug}/queue/t/{}", first.code)).await;
        assert!(page.contains("บัตรคิวนี้ถูกยกเลิก") && !page.contains("name=\"sure\""), "{page}");
        let events: Vec<(String, String)> =
            sqlx::query_as("SELECT kind, actor FROM queue_events WHERE ticket_id = $1 AND kind = 'cancel'")
                .bind(first.id.0)
                .fetch_all(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(events, vec![("cancel".to_string(), "holder".to_string())]);
        let audited: (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM audit_log WHERE org_id = $1 AND action = 'cancel' AND entity_id = $2",
        )
        .bind(app.org_a.id.0)
        .bind(first.id.0.to_string())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(audited.0, 1);
        // The counter's next call skips the cancelled place; once called, the holder cannot cancel.
        let csrf = app.login(DEMO_STAFF).await;
        let r = app.post_form(&format!("/app/queue/counters/{}/next", queue.counter(2)), &csrf, &[]).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(ticket(&app, second.id).await.status.code(), "called");
        let r = new_client().post(cancel(&second.code)).form(&[("sure", "1")]).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(r.text().await.unwrap().contains("ถึงคิวของท่านแล้ว ยกเลิกจากหน้านี้ไม่ได้"));
        assert_eq!(ticket(&app, second.id).await.status.code(), "called");
    }
}
