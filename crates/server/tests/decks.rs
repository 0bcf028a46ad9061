//! Rate decks as carriers really send them, through the API on SQLite and PostgreSQL: each file of
//! `tests/data/decks/` (the field cases) gives its right result, and each kind of file has a test of
//! its own — encodings, sheets, warnings to accept, decompression bombs, and LCR by the real cost of
//! a call.

mod common;

use std::time::{Duration, Instant};

use axum::http::Method;
use common::{Client, TestApp, on_both};
use serde_json::{Value, json};

fn case(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/data/decks/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn all() -> Value {
    json!([{"scope": {"kind": "all"}}])
}

async fn create(c: &Client<'_>, kind: &str, fields: Value, assignments: Value) -> String {
    let res = c.post(&format!("/api/v1/config/{kind}"), json!({"fields": fields, "assignments": assignments})).await;
    assert_eq!(res.status, 201, "{}", res.text);
    res.body["id"].as_str().unwrap().to_string()
}

async fn carrier(c: &Client<'_>, name: &str) -> String {
    let code: String = name.to_lowercase().chars().filter(char::is_ascii_alphanumeric).collect();
    create(c, "carrier", json!({"code": code, "name": name, "hosts": ["sip.example.net"]}), all()).await
}

/// POSTs a file to `path` (with its query) as the signed-in admin.
async fn send(app: &TestApp, c: &Client<'_>, path: &str, body: Vec<u8>) -> common::TestResponse {
    let csrf = c.cookie("didtron_csrf").unwrap();
    let cookie = format!("didtron_session={}; didtron_csrf={csrf}", c.cookie("didtron_session").unwrap());
    app.send_bytes(Method::POST, path, body, &[("cookie".into(), cookie), ("x-csrf-token".into(), csrf)]).await
}

async fn upload(app: &TestApp, c: &Client<'_>, carrier: &str, query: &str, body: Vec<u8>) -> common::TestResponse {
    send(app, c, &format!("/api/v1/carriers/{carrier}/rate-decks?filename={query}"), body).await
}

/// The candidates for a number: (carrier, prefix, rate).
async fn lookup(c: &Client<'_>, query: &str) -> Value {
    let res = c.get(&format!("/api/v1/routing/lookup?{query}")).await;
    assert_eq!(res.status, 200, "{}", res.text);
    res.body
}

fn carriers(list: &Value) -> Vec<&str> {
    list.as_array().unwrap_or_else(|| panic!("not a list: {list}")).iter().map(|c| c["carrier"].as_str().unwrap()).collect()
}

// --- The field cases -------------------------------------------------------------------------

#[tokio::test]
async fn case_01_blank_lines_and_an_empty_record_import_five_rows() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let id = carrier(&admin, "Acme").await;
        let res = upload(&app, &admin, &id, "case-01-blank-lines.csv", case("case-01-blank-lines.csv")).await;
        assert_eq!(res.status, 201, "{}", res.text);
        assert_eq!(res.body["rows"], 5);
        let padded = lookup(&admin, "number=4930123").await;
        assert_eq!((padded[0]["prefix"].as_str(), padded[0]["destination"].as_str(), padded[0]["rate"].as_str()), (Some("49"), Some("Germany"), Some("0.012")));
        app
    })
    .await;
}

#[tokio::test]
async fn case_01b_a_bad_row_is_refused_on_line_7() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let id = carrier(&admin, "Acme").await;
        let res = upload(&app, &admin, &id, "case-01b-blank-lines-bad-row.csv", case("case-01b-blank-lines-bad-row.csv")).await;
        assert_eq!(res.status, 422, "{}", res.text);
        assert_eq!(res.body["status"], "rejected");
        assert_eq!(res.body["errors"], json!([{"line": 7, "column": "prefix", "message": "“3x” is not 1–15 digits"}]));
        assert_eq!(app.count("rates").await, 0);
        app
    })
    .await;
}

#[tokio::test]
async fn case_02_semicolons_and_decimal_commas() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let id = carrier(&admin, "Acme").await;
        let res = upload(&app, &admin, &id, "case-02-semicolon-decimal-comma.csv", case("case-02-semicolon-decimal-comma.csv")).await;
        assert_eq!(res.status, 201, "{}", res.text);
        assert_eq!(res.body["rows"], 4);
        assert_eq!(res.body["mapping"], json!({"prefix": "code", "destination": "country", "rate": "price"}));
        assert_eq!(lookup(&admin, "number=93701234").await[0]["rate_micro"], 86_100);
        assert_eq!(lookup(&admin, "number=25191234").await[0]["rate_micro"], 187_000);
        app
    })
    .await;
}

#[tokio::test]
async fn case_05_excel_numbers_as_excel_shows_them() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let id = carrier(&admin, "Acme").await;
        let res = upload(&app, &admin, &id, "case-05-excel-float-rate.xlsx", case("case-05-excel-float-rate.xlsx")).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let mobile = lookup(&admin, "number=447700900123").await;
        assert_eq!((mobile[0]["prefix"].as_str(), mobile[0]["rate_micro"].as_i64()), (Some("447700"), Some(11_000)));
        let london = lookup(&admin, "number=442079460000").await;
        assert_eq!((london[0]["prefix"].as_str(), london[0]["rate_micro"].as_i64()), (Some("4420"), Some(12_500)));
        app
    })
    .await;
}

#[tokio::test]
async fn case_06_an_excel_date_time_keeps_its_time() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let id = carrier(&admin, "Acme").await;
        let res = upload(&app, &admin, &id, "case-06-excel-datetime.xlsx", case("case-06-excel-datetime.xlsx")).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let uk = lookup(&admin, "number=447700&at=2026-12-01T00:00:00Z").await;
        assert_eq!(uk[0]["effective_from"], "2026-11-01T08:00:00.000000Z");
        assert!(lookup(&admin, "number=447700&at=2026-11-01T07:59:59Z").await.as_array().unwrap().is_empty(), "not before 08:00");
        assert_eq!(lookup(&admin, "number=331234&at=2026-11-01T00:00:00Z").await[0]["effective_from"], "2026-11-01T00:00:00.000000Z");
        app
    })
    .await;
}

#[tokio::test]
async fn case_12_a_carrier_that_loses_money_on_short_calls_is_never_first_and_unmarked() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let fee_co = carrier(&admin, "FeeCo").await;
        let flat_co = carrier(&admin, "FlatCo").await;
        assert_eq!(upload(&app, &admin, &fee_co, "case-12-feeco.csv", case("case-12-feeco.csv")).await.status, 201);
        assert_eq!(upload(&app, &admin, &flat_co, "case-12-flatco.csv", case("case-12-flatco.csv")).await.status, 201);
        let customer = app.seed_customer("Small Co", None, None).await;
        create(&admin, "rate_card", json!({"code": "plus20", "name": "Plus 20", "margin_type": "percent", "margin": 20_000_000}), json!([{"scope": {"kind": "customer", "id": customer}}])).await;

        // Without a customer there is no card: the order is by the real cost of a call.
        let plain = lookup(&admin, "number=447700900123").await;
        assert_eq!(carriers(&plain), ["FlatCo", "FeeCo"]);
        assert_eq!(plain[1]["calls"][0], json!({"duration": 60, "cost": "0.21", "sell": null, "margin": null}));

        // With the +20 % card, FeeCo loses 0.198 on a 1-minute call: left out, with the reason.
        let url = format!("/api/v1/routing/explain?number=447700900123&customer={customer}");
        let plan = admin.get(&url).await;
        assert_eq!(carriers(&plan.body["candidates"]), ["FlatCo"]);
        assert_eq!(plan.body["candidates"][0]["calls"][0], json!({"duration": 60, "cost": "0.012", "sell": "0.0144", "margin": "0.0024"}));
        assert_eq!(plan.body["excluded"][0]["carrier"], "FeeCo");
        let reason = plan.body["excluded"][0]["reason"].as_str().unwrap();
        assert!(reason.contains("60 s call costs 0.21 and sells for 0.012") && reason.contains("below the profile's minimum"), "{reason}");

        // A profile that allows routing below the margin keeps FeeCo: last, and marked.
        create(&admin, "lcr_profile", json!({"code": "lenient", "name": "Lenient", "allow_below_margin": true}), json!([{"scope": {"kind": "customer", "id": customer}}])).await;
        let plan = admin.get(&url).await;
        assert_eq!(carriers(&plan.body["candidates"]), ["FlatCo", "FeeCo"]);
        assert_eq!((plan.body["candidates"][0]["below_margin"].as_bool(), plan.body["candidates"][1]["below_margin"].as_bool()), (Some(false), Some(true)));
        app
    })
    .await;
}

#[tokio::test]
async fn case_14_initial_increment_beside_increment() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let id = carrier(&admin, "Acme").await;
        let res = upload(&app, &admin, &id, "case-14-initial-increment.csv", case("case-14-initial-increment.csv")).await;
        assert_eq!(res.status, 201, "{}", res.text);
        assert_eq!((res.body["mapping"]["initial_increment"].as_str(), res.body["mapping"]["subsequent_increment"].as_str()), (Some("Initial Increment"), Some("Increment")));
        assert_eq!(lookup(&admin, "number=442079460000").await[0]["increments"], "30/6");
        assert_eq!(lookup(&admin, "number=12125550100").await[0]["increments"], "6/6");
        assert_eq!(lookup(&admin, "number=447700900123").await[0]["increments"], "60/1");
        app
    })
    .await;
}

#[tokio::test]
async fn case_15_camel_case_fee_and_effective_date() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let id = carrier(&admin, "Acme").await;
        let res = upload(&app, &admin, &id, "case-15-camelcase-headers.csv", case("case-15-camelcase-headers.csv")).await;
        assert_eq!(res.status, 201, "{}", res.text);
        let france = lookup(&admin, "number=33123456&at=2026-01-01T00:00:00Z").await;
        assert_eq!((france[0]["connection_fee"].as_str(), france[0]["effective_from"].as_str()), (Some("0.05"), Some("2026-01-01T00:00:00.000000Z")));
        assert!(lookup(&admin, "number=4420123&at=2027-02-28T23:59:59Z").await.as_array().unwrap().is_empty(), "44 not routable before 2027-03-01");
        assert_eq!(lookup(&admin, "number=4420123&at=2027-03-01T00:00:00Z").await[0]["connection_fee"], "0.02");
        app
    })
    .await;
}

// --- Kinds beyond the field cases ------------------------------------------------------------

#[tokio::test]
async fn unicode_text_and_windows_1252_decks_keep_their_accents() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let id = carrier(&admin, "Acme").await;
        let mut unicode = vec![0xFF, 0xFE];
        unicode.extend("Prefix\tDestination\tRate\r\n262\tRéunion\t0,05\r\n".encode_utf16().flat_map(u16::to_le_bytes));
        let res = upload(&app, &admin, &id, "rates.txt", unicode).await;
        assert_eq!(res.status, 201, "{}", res.text);
        assert!(res.body["format"].as_str().unwrap().contains("UTF-16LE"), "{}", res.body["format"]);
        assert_eq!(lookup(&admin, "number=262123").await[0]["destination"], "Réunion");
        let res = upload(&app, &admin, &id, "rates.csv", b"prefix;destination;rate\n225;C\xf4te d'Ivoire;0,1\n".to_vec()).await;
        assert_eq!(res.status, 201, "{}", res.text);
        assert_eq!(lookup(&admin, "number=225123").await[0]["destination"], "Côte d'Ivoire");
        // Another alphabet in an 8-bit file: refused, and the message says why.
        let res = upload(&app, &admin, &id, "rates.csv&dry_run=true", b"prefix,destination,rate\n7,\xd0\xee\xf1\xf1\xe8\xff,0.1\n".to_vec()).await;
        assert_eq!(res.status, 422, "{}", res.text);
        assert_eq!(res.body["fields"][0]["field"], "file");
        assert!(res.body["fields"][0]["message"].as_str().unwrap().contains("not UTF-8"), "{}", res.text);
        app
    })
    .await;
}

#[tokio::test]
async fn an_unimported_currency_column_must_be_accepted() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let id = carrier(&admin, "Acme").await;
        let file = "Prefix,Destination,Rate,Currency,Notes\n44,UK,0.01,EUR,\n";
        let check = upload(&app, &admin, &id, "d.csv&dry_run=true", file.into()).await;
        assert_eq!(check.status, 200, "{}", check.text);
        assert_eq!(check.body["status"], "rejected");
        assert_eq!(check.body["ignored"], json!(["Currency", "Notes"]));
        assert_eq!(check.body["warnings"][0]["column"], "Currency");
        assert_eq!((check.body["errors"][0]["line"].as_i64(), check.body["errors"][0]["column"].as_str()), (Some(1), Some("Currency")));
        assert_eq!(upload(&app, &admin, &id, "d.csv", file.into()).await.status, 422, "not imported without accepting");
        let ok = upload(&app, &admin, &id, "d.csv&accept_warnings=true", file.into()).await;
        assert_eq!(ok.status, 201, "{}", ok.text);
        assert_eq!((ok.body["warnings_accepted"].as_bool(), ok.body["ignored"].as_array().map(Vec::len)), (Some(true), Some(2)));
        // The stored deck's report says what was accepted.
        let decks = admin.get(&format!("/api/v1/carriers/{id}/rate-decks")).await;
        assert_eq!(decks.body["items"][0]["report"]["warnings_accepted"], true);
        app
    })
    .await;
}

fn two_sheets() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let cover = book.add_worksheet().set_name("Cover").unwrap();
    cover.write_string(0, 0, "Acme rates").unwrap();
    let fixed = book.add_worksheet().set_name("Fixed").unwrap();
    for (c, h) in ["Code", "Price"].iter().enumerate() {
        fixed.write_string(0, c as u16, *h).unwrap();
    }
    fixed.write_number(1, 0, 4420.0).unwrap();
    fixed.write_number(1, 1, 0.01).unwrap();
    let mobile = book.add_worksheet().set_name("Mobile").unwrap();
    for (c, h) in ["Code", "Price"].iter().enumerate() {
        mobile.write_string(0, c as u16, *h).unwrap();
    }
    mobile.write_number(1, 0, 447.0).unwrap();
    mobile.write_number(1, 1, 0.03).unwrap();
    book.save_to_buffer().unwrap()
}

#[tokio::test]
async fn the_sheet_of_a_workbook_is_chosen_or_named() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let id = carrier(&admin, "Acme").await;
        let check = upload(&app, &admin, &id, "rates.xlsx&dry_run=true", two_sheets()).await;
        assert_eq!((check.body["sheet"].as_str(), check.body["sheets"].clone()), (Some("Fixed"), json!(["Cover", "Fixed", "Mobile"])), "{}", check.text);
        let res = upload(&app, &admin, &id, "rates.xlsx&sheet=Mobile", two_sheets()).await;
        assert_eq!(res.status, 201, "{}", res.text);
        assert_eq!(lookup(&admin, "number=447700").await[0]["prefix"], "447");
        let missing = upload(&app, &admin, &id, "rates.xlsx&sheet=Nope", two_sheets()).await;
        assert_eq!(missing.status, 422, "{}", missing.text);
        assert_eq!(missing.body["fields"][0]["field"], "sheet");
        app
    })
    .await;
}

// --- Decompression bombs (issue 14) ----------------------------------------------------------

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A zip written by hand, so a test can say anything in its headers: (name, method, crc, declared
/// size, data) per part.
fn zip(parts: &[(&str, u16, u32, u32, Vec<u8>)]) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for (name, method, crc, size, data) in parts {
        let offset = out.len() as u32;
        let header = |sig: u32, central: bool| {
            let mut h = sig.to_le_bytes().to_vec();
            if central {
                h.extend(20u16.to_le_bytes());
            }
            h.extend(20u16.to_le_bytes());
            h.extend(0u16.to_le_bytes());
            h.extend(method.to_le_bytes());
            h.extend([0, 0, 0x21, 0]);
            h.extend(crc.to_le_bytes());
            h.extend((data.len() as u32).to_le_bytes());
            h.extend(size.to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes());
            if central {
                // Comment length, disk, internal and external attributes.
                h.extend([0u8; 10]);
                h.extend(offset.to_le_bytes());
            }
            h.extend(name.as_bytes());
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend(data);
        central.extend(header(0x0201_4b50, true));
    }
    let at = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((parts.len() as u16).to_le_bytes());
    out.extend((parts.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(at.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// Raw deflate of `prefix`, then `byte` `count` times, then `suffix`: fixed-Huffman matches of 258
/// bytes cost 13 bits each, so a gigabyte packs into a few megabytes.
fn deflate_run(prefix: &[u8], byte: u8, count: usize, suffix: &[u8]) -> Vec<u8> {
    struct Bits(Vec<u8>, u64, u32);
    impl Bits {
        fn put(&mut self, value: u64, len: u32) {
            self.1 |= value << self.2;
            self.2 += len;
            while self.2 >= 8 {
                self.0.push(self.1 as u8);
                self.1 >>= 8;
                self.2 -= 8;
            }
        }
        /// A Huffman code, most significant bit first.
        fn code(&mut self, code: u32, len: u32) {
            let reversed = (0..len).fold(0u64, |acc, i| acc | u64::from((code >> i) & 1) << (len - 1 - i));
            self.put(reversed, len);
        }
        fn stored(&mut self, data: &[u8], last: bool) {
            self.put(u64::from(last), 1);
            self.put(0, 2);
            if self.2 > 0 {
                self.put(0, 8 - self.2);
            }
            for b in (data.len() as u16).to_le_bytes().into_iter().chain((!(data.len() as u16)).to_le_bytes()) {
                self.0.push(b);
            }
            self.0.extend(data);
        }
    }
    let mut bits = Bits(Vec::new(), 0, 0);
    bits.stored(prefix, false);
    bits.put(0, 1);
    bits.put(1, 2);
    bits.code(0x30 + u32::from(byte), 8);
    let (matches, rest) = ((count - 1) / 258, (count - 1) % 258);
    for _ in 0..matches {
        bits.code(0xC5, 8); // length 258
        bits.code(0, 5); // distance 1
    }
    for _ in 0..rest {
        bits.code(0x30 + u32::from(byte), 8);
    }
    bits.code(0, 7); // end of block
    bits.stored(suffix, true);
    bits.0
}

/// A workbook whose one sheet holds a single cell of `chars` letters, declaring `declared` as the
/// sheet's uncompressed size.
fn bomb(chars: usize, declared: Option<u32>) -> Vec<u8> {
    let workbook = br#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="S" sheetId="1"/></sheets></workbook>"#.to_vec();
    let prefix = br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>"#;
    let suffix = b"</t></is></c></row></sheetData></worksheet>";
    let sheet = deflate_run(prefix, b'A', chars, suffix);
    let size = declared.unwrap_or((prefix.len() + chars + suffix.len()) as u32);
    zip(&[("xl/workbook.xml", 0, crc32(&workbook), workbook.len() as u32, workbook.clone()), ("xl/worksheets/sheet1.xml", 8, 0, size, sheet)])
}

#[tokio::test]
async fn decompression_bombs_are_refused_at_once() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let id = carrier(&admin, "Acme").await;
        // One 1 GiB cell in a 7 MB workbook: (declared honestly, declared as 1 KB, under the size
        // limit but longer than a cell may be).
        for (file, expect) in [
            (bomb(1 << 30, None), "unpacks to 1025 MB"),
            (bomb(1 << 30, Some(1000)), "sheet1.xml"),
            (bomb(100 << 20, None), "more than 32767 characters"),
        ] {
            assert!(file.len() < 8 << 20, "{} bytes", file.len());
            let started = Instant::now();
            let res = upload(&app, &admin, &id, "bomb.xlsx", file).await;
            assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
            assert_eq!(res.status, 422, "{}", res.text);
            assert_eq!(res.body["fields"][0]["field"], "file");
            assert!(res.body["fields"][0]["message"].as_str().unwrap().contains(expect), "{}", res.text);
        }
        assert_eq!(app.count("rate_decks").await, 0, "nothing stored");
        let empty = zip(&[("xl/workbook.xml", 0, 0, 0, vec![])]);
        assert_eq!(upload(&app, &admin, &id, "empty.xlsx&dry_run=true", empty).await.status, 422, "a workbook without sheets says so");
        app
    })
    .await;
}

// --- LCR ties --------------------------------------------------------------------------------

#[tokio::test]
async fn equal_costs_go_by_priority_then_by_name_without_regard_to_case() {
    on_both(|app| async move {
        let (admin, _) = app.signed_in("platform", "admin").await;
        let deck = b"prefix,destination,rate\n44,UK,0.01\n".to_vec();
        for (name, priority) in [("zulu", 100), ("Bravo", 100), ("alpha", 100), ("Yankee", 5)] {
            let id = create(&admin, "carrier", json!({"code": name.to_lowercase(), "name": name, "hosts": ["sip.example.net"], "priority": priority}), all()).await;
            assert_eq!(upload(&app, &admin, &id, "d.csv", deck.clone()).await.status, 201);
        }
        assert_eq!(carriers(&lookup(&admin, "number=4420").await), ["Yankee", "alpha", "Bravo", "zulu"]);
        app
    })
    .await;
}
