use prongsai::docs::MeasuresReportDoc;
use prongsai::measures::report::ReportSource;

crate::on_both_databases! {
    async fn the_imported_seed_prints_exactly_the_seeds_report(app: TestApp) {
        // MeasuresReportDoc::sample() is the seed's text, line by line, as an office files it.
        let source = ReportSource::load(&app.db, app.org_a.clone(), 2566).await.unwrap();
        let doc = source.to_doc();
        let sample = MeasuresReportDoc::sample();
        assert_eq!(doc.cover_lines, sample.cover_lines);
        assert_eq!(doc.heading_lines, sample.heading_lines);
        assert_eq!(doc.intro, sample.intro);
        assert_eq!(doc.headers, sample.headers);
        assert_eq!(doc.rows.len(), 3);
        for (got, want) in doc.rows.iter().zip(&sample.rows) {
            assert_eq!(got, want);
        }
    }

    async fn arabic_digits_are_one_setting_away(app: TestApp) {
        app.raw_sql("UPDATE orgs SET digits = 'arabic' WHERE slug = 'mae-khatuan'").await.unwrap();
        let org = prongsai::orgs::store::find_by_slug(&app.db, "mae-khatuan").await.unwrap().unwrap();
        let doc = ReportSource::load(&app.db, org, 2566).await.unwrap().to_doc();
        assert_eq!(doc.heading_lines[2], "ประจำปีงบประมาณ พ.ศ. 2566");
        assert_eq!(doc.rows[0].period, ["มี.ค. – เม.ย.", "2566"]);
        assert_eq!(doc.rows[0].methods[0], "1. จัดทำคู่มือมาตรฐานการปฏิบัติงาน โดยระบุขั้นตอนและแนวทางในการยืมทรัพย์สินของทางราชการ");
        assert!(doc.rows[0].measure[0].ends_with("(ตัวชี้วัดที่ 4 การใช้ทรัพย์สินของราชการ)"));
        assert!(!doc.thai_digits);
        app.publish_report(2566).await;
        let page = app.get_text("/o/mae-khatuan/ita/2566/measures").await;
        assert!(page.contains("พ.ศ. 2566") && !page.contains("๒๕๖๖"));
    }
}
