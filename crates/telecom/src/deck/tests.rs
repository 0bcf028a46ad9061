//! Reading whole decks: a test per kind of file carriers send, and a property test over random
//! decks written every way people write them.

use super::*;

const NOW: &str = "2026-06-01T00:00:00.000000Z";

fn options() -> Options {
    Options { now: NOW.into(), ..Options::default() }
}

fn read_csv(text: &str) -> ParsedDeck {
    read("deck.csv", text.as_bytes(), &options()).unwrap()
}

fn lines(deck: &ParsedDeck) -> Vec<(usize, &str)> {
    deck.errors.iter().map(|e| (e.line, e.column.as_str())).collect()
}

fn row<'a>(deck: &'a ParsedDeck, prefix: &str) -> &'a DeckRow {
    deck.rows.iter().find(|r| r.prefix == prefix).unwrap_or_else(|| panic!("no row for {prefix}: {:?}", deck.rows))
}

// --- Line accounting -------------------------------------------------------------------------

#[test]
fn blank_lines_empty_records_and_padding_are_skipped() {
    let deck = read_csv("prefix,destination,rate\r\n44,UK Fixed,0.0100\r\n\r\n447,UK Mobile,0.0300\r\n\r\n\r\n33,France,0.0150\r\n,,\r\n49 ,Germany ,0.0120 \r\n1,USA,0.0050\r\n\r\n");
    assert_eq!((deck.rows.len(), deck.error_count), (5, 0), "{:?}", deck.errors);
    assert_eq!((row(&deck, "49").destination.as_str(), row(&deck, "49").rate), ("Germany", 12_000));
}

#[test]
fn a_bad_row_is_reported_on_its_line_in_the_file() {
    let deck = read_csv("prefix,destination,rate\r\n44,UK Fixed,0.0100\r\n\r\n447,UK Mobile,0.0300\r\n\r\n\r\n3x,Bad prefix,0.0150\r\n1,USA,0.0050\r\n");
    assert_eq!(lines(&deck), [(7, "prefix")]);
}

#[test]
fn multi_line_quoted_fields_count_their_lines() {
    let deck = read_csv("prefix,destination,rate\n44,\"United\nKingdom\",0.01\n\n,,\n33,\"France\r\n(all)\",x\n1,USA,0.005\n");
    assert_eq!(lines(&deck), [(6, "rate")]);
    assert_eq!(row(&deck, "44").destination, "United\nKingdom");
}

#[test]
fn title_lines_above_the_header_are_skipped_and_lines_still_count() {
    let deck = read_csv("ACME Telecom rate deck\nValid from 2026-07-01\n\nprefix,destination,rate\n44,UK,0.01\n4x,Bad,0.01\n");
    assert_eq!(deck.header_line, 4);
    assert_eq!(lines(&deck), [(6, "prefix")]);
    assert_eq!(deck.rows.len(), 1);
}

#[test]
fn bad_rows_are_all_reported_with_their_lines() {
    let csv = "prefix,destination,rate,initial_increment,effective_from\n44,UK,0.01,60/60,2026-01-01\n4a,Bad,0.01,60/60,\n447,UK Mobile,x,1/1,\n44,UK again,0.02,60/60,2026-01-01\n33,FR,0.01,0/5,tomorrow\n";
    let deck = read_csv(csv);
    assert_eq!(deck.rows.len(), 1);
    assert_eq!(lines(&deck), [(3, "prefix"), (4, "rate"), (5, "prefix"), (6, "initial_increment"), (6, "effective_from")]);
    assert!(deck.errors[2].message.contains("first on line 2"));
}

// --- Separators and decimal marks ------------------------------------------------------------

#[test]
fn semicolons_with_decimal_commas() {
    let deck = read_csv("code;country;price\n9370;Afghanistan Mobile A;0,0861\n9379;Afghanistan Mobile B;0,1064\n2519;Ethiopia Mobile;0,187\n25111;Ethiopia Addis Ababa;0,1163\n");
    assert_eq!((deck.rows.len(), deck.error_count), (4, 0), "{:?}", deck.errors);
    assert_eq!((row(&deck, "9370").rate, row(&deck, "2519").rate), (86_100, 187_000));
    assert_eq!(deck.separator, Some(';'));
}

#[test]
fn tabs_and_pipes_are_separators_too() {
    let deck = read_csv("prefix\tdestination\trate\n82\tKorea, South\t0,05\n");
    assert_eq!((row(&deck, "82").destination.as_str(), row(&deck, "82").rate), ("Korea, South", 50_000));
    let deck = read_csv("prefix|destination|rate\n82|Korea; South|0.05\n");
    assert_eq!((row(&deck, "82").destination.as_str(), deck.separator), ("Korea; South", Some('|')));
}

#[test]
fn semicolons_and_split_increments_are_read() {
    let deck = read_csv("Code;Name;Rate;Initial;Subsequent\n+20;Egypt;0.1;30;6\n");
    assert!(deck.errors.is_empty(), "{:?}", deck.errors);
    let r = &deck.rows[0];
    assert_eq!((r.prefix.as_str(), r.rate, r.initial_increment, r.subsequent_increment), ("20", 100_000, 30, 6));
}

// --- Header names ----------------------------------------------------------------------------

#[test]
fn initial_increment_beside_increment() {
    let deck = read_csv("prefix,destination,rate,Initial Increment,Increment\n44,UK,0.0100,30,6\n1,USA,0.0050,6,6\n447,UK Mobile,0.0300,60,1\n");
    let inc = |p: &str| (row(&deck, p).initial_increment, row(&deck, p).subsequent_increment);
    assert_eq!((inc("44"), inc("1"), inc("447")), ((30, 6), (6, 6), (60, 1)));
}

#[test]
fn camel_case_headers_for_fee_and_effective_date() {
    let deck = read_csv("Prefix,Destination,Rate,ConnectFee,EffectiveDate\n33,France,0.0150,0.0500,2026-01-01\n44,UK,0.0100,0.0200,2027-03-01\n");
    assert_eq!(deck.error_count, 0, "{:?}", deck.errors);
    assert_eq!((row(&deck, "33").connection_fee, row(&deck, "33").effective_from.as_str()), (50_000, "2026-01-01T00:00:00.000000Z"));
    assert_eq!(row(&deck, "44").effective_from, "2027-03-01T00:00:00.000000Z");
}

#[test]
fn sixty_sixty_in_one_column() {
    let deck = read_csv("Dial Code;Country;Price;Billing;Valid From\n20;Egypt;0.09;60/60;2026-01-01\n201;Egypt Mobile;0.2;30/6;2026-01-01\n");
    assert_eq!((row(&deck, "201").initial_increment, row(&deck, "201").subsequent_increment), (30, 6));
}

#[test]
fn unused_columns_are_listed_and_important_ones_must_be_accepted() {
    let text = "Prefix,Destination,Rate,Currency,Notes\n44,UK,0.01,EUR,call us\n";
    let deck = read_csv(text);
    assert_eq!(deck.ignored, ["Currency", "Notes"]);
    assert_eq!(deck.warnings.len(), 1);
    assert_eq!(lines(&deck), [(1, "Currency")], "not accepted: the deck is refused");
    assert!(deck.errors[0].message.contains("accept the warnings"), "{}", deck.errors[0].message);
    let accepted = read("deck.csv", text.as_bytes(), &Options { accept_warnings: true, ..options() }).unwrap();
    assert_eq!((accepted.error_count, accepted.rows.len(), accepted.warnings_accepted), (0, 1, true));
    // An unimportant column is listed, not warned about.
    let deck = read_csv("Prefix,Rate,Notes\n44,0.01,x\n");
    assert_eq!((deck.ignored.len(), deck.warnings.len(), deck.error_count), (1, 0, 0));
}

#[test]
fn a_file_without_a_rate_column_asks_for_a_mapping() {
    let deck = read_csv("code,name,per call thing\n1,US,0.1\n");
    assert!(deck.unmapped());
    assert!(deck.errors[0].message.contains("rate"), "{:?}", deck.errors);
    assert_eq!(deck.headers, ["code", "name", "per call thing"]);
    assert_eq!(deck.mapping["prefix"], "code");
    assert!(deck.rows.is_empty());
    let mapping: Mapping = [("prefix", "code"), ("rate", "per call thing")].map(|(a, b)| (a.to_string(), b.to_string())).into();
    let deck = read("x.csv", b"code,name,per call thing\n1,US,0.1\n", &Options { mapping: Some(mapping), ..options() }).unwrap();
    assert_eq!((deck.rows.len(), deck.error_count), (1, 0), "{:?}", deck.errors);
    let wrong: Mapping = [("prefix", "nope")].map(|(a, b)| (a.to_string(), b.to_string())).into();
    assert!(read("x.csv", b"code,rate\n1,0.1\n", &Options { mapping: Some(wrong), ..options() }).unwrap().unmapped());
    let unknown: Mapping = [("price", "rate")].map(|(a, b)| (a.to_string(), b.to_string())).into();
    assert_eq!(read("x.csv", b"code,rate\n1,0.1\n", &Options { mapping: Some(unknown), ..options() }).unwrap_err().field, "mapping");
}

#[test]
fn an_empty_file_says_so() {
    let deck = read_csv("\n\n");
    assert_eq!(deck.errors[0].message, "the file is empty");
}

// --- Text encodings --------------------------------------------------------------------------

#[test]
fn utf16_unicode_text_from_excel() {
    let text = "Prefix\tDestination\tRate\r\n262\tRéunion\t0,05\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let deck = read("rates.txt", &bytes, &options()).unwrap();
    assert_eq!((row(&deck, "262").destination.as_str(), row(&deck, "262").rate), ("Réunion", 50_000));
    assert_eq!(deck.encoding.as_deref(), Some("UTF-16LE"));
}

#[test]
fn windows_1252_decks_keep_their_accents() {
    let deck = read("rates.csv", b"prefix;destination;rate\n225;C\xf4te d'Ivoire;0,1\n", &options()).unwrap();
    assert_eq!(row(&deck, "225").destination, "Côte d'Ivoire");
    assert_eq!(deck.encoding.as_deref(), Some("windows-1252"));
}

#[test]
fn a_bom_does_not_hide_the_first_column() {
    let deck = read("rates.csv", b"\xEF\xBB\xBFprefix,rate\n44,0.01\n", &options()).unwrap();
    assert_eq!((deck.rows.len(), deck.mapping["prefix"].as_str()), (1, "prefix"));
}

#[test]
fn an_unreadable_encoding_names_the_problem_not_the_columns() {
    let e = read("rates.csv", b"prefix,destination,rate\n7,\xd0\xee\xf1\xf1\xe8\xff,0.1\n", &options()).unwrap_err();
    assert_eq!(e.field, "file");
    assert!(e.message.contains("UTF-8") && !e.message.contains("column"), "{}", e.message);
}

// --- Spreadsheets ----------------------------------------------------------------------------

fn workbook(build: impl FnOnce(&mut rust_xlsxwriter::Workbook)) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    build(&mut book);
    book.save_to_buffer().unwrap()
}

#[test]
fn excel_numbers_read_as_excel_shows_them() {
    let bytes = workbook(|book| {
        let s = book.add_worksheet();
        for (c, h) in ["Prefix", "Destination", "Rate"].iter().enumerate() {
            s.write_string(0, c as u16, *h).unwrap();
        }
        s.write_number(1, 0, 447700.0).unwrap();
        s.write_string(1, 1, "UK Mobile range").unwrap();
        s.write_number(1, 2, 0.011000000000000001).unwrap();
        s.write_number(2, 0, 4420.0).unwrap();
        s.write_string(2, 1, "UK London").unwrap();
        s.write_number(2, 2, 0.0125).unwrap();
    });
    let deck = read("deck.xlsx", &bytes, &options()).unwrap();
    assert_eq!(deck.error_count, 0, "{:?}", deck.errors);
    assert_eq!((row(&deck, "447700").rate, row(&deck, "4420").rate), (11_000, 12_500));
}

#[test]
fn excel_date_times_keep_their_time() {
    let bytes = workbook(|book| {
        let s = book.add_worksheet();
        for (c, h) in ["Prefix", "Rate", "Effective Date"].iter().enumerate() {
            s.write_string(0, c as u16, *h).unwrap();
        }
        let at = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 11, 1).unwrap().and_hms(8, 0, 0).unwrap();
        let format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd hh:mm");
        s.write_number(1, 0, 44.0).unwrap();
        s.write_number(1, 1, 0.02).unwrap();
        s.write_datetime_with_format(1, 2, &at, &format).unwrap();
        // The same time, as Excel's fraction of a day rounds it.
        s.write_number(2, 0, 33.0).unwrap();
        s.write_number(2, 1, 0.015).unwrap();
        s.write_number_with_format(2, 2, 46327.33333333334, &format).unwrap();
    });
    let deck = read("deck.xlsx", &bytes, &options()).unwrap();
    assert_eq!(deck.error_count, 0, "{:?}", deck.errors);
    assert_eq!(row(&deck, "44").effective_from, "2026-11-01T08:00:00.000000Z");
    assert_eq!(row(&deck, "33").effective_from, "2026-11-01T08:00:00.000000Z");
}

#[test]
fn the_sheet_with_the_rates_is_chosen_or_named() {
    let bytes = workbook(|book| {
        let cover = book.add_worksheet().set_name("Cover").unwrap();
        cover.write_string(0, 0, "ACME rates, November").unwrap();
        let rates = book.add_worksheet().set_name("Rates").unwrap();
        rates.write_string(2, 0, "Code").unwrap();
        rates.write_string(2, 1, "Price").unwrap();
        rates.write_number(3, 0, 44.0).unwrap();
        rates.write_number(3, 1, 0.01).unwrap();
        rates.write_string(5, 0, "4x").unwrap();
        rates.write_number(5, 1, 0.01).unwrap();
        let mobile = book.add_worksheet().set_name("Mobile").unwrap();
        mobile.write_string(0, 0, "Prefix").unwrap();
        mobile.write_string(0, 1, "Rate").unwrap();
        mobile.write_number(1, 0, 447.0).unwrap();
        mobile.write_number(1, 1, 0.03).unwrap();
    });
    let deck = read("deck.xlsx", &bytes, &options()).unwrap();
    assert_eq!((deck.sheet.as_deref(), deck.sheets.len(), deck.header_line), (Some("Rates"), 3, 3));
    assert_eq!(lines(&deck), [(6, "prefix")], "rows are numbered as the sheet shows them");
    let mobile = read("deck.xlsx", &bytes, &Options { sheet: Some("mobile".into()), ..options() }).unwrap();
    assert_eq!((mobile.sheet.as_deref(), mobile.rows.len()), (Some("Mobile"), 1));
    let e = read("deck.xlsx", &bytes, &Options { sheet: Some("Fixed".into()), ..options() }).unwrap_err();
    assert_eq!(e.field, "sheet");
    assert!(e.message.contains("Cover, Rates, Mobile"), "{}", e.message);
}

#[test]
fn a_workbook_named_csv_is_still_read_as_a_workbook() {
    let bytes = workbook(|book| {
        let s = book.add_worksheet();
        s.write_string(0, 0, "Prefix").unwrap();
        s.write_string(0, 1, "Rate").unwrap();
        s.write_number(1, 0, 44.0).unwrap();
        s.write_number(1, 1, 0.01).unwrap();
    });
    assert_eq!(read("deck.csv", &bytes, &options()).unwrap().rows.len(), 1);
}

fn ods(body: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"#
    );
    archive::tests::zip_of(&[("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", content.as_bytes())])
}

fn text_cell(s: &str) -> String {
    format!(r#"<table:table-cell office:value-type="string"><text:p>{s}</text:p></table:table-cell>"#)
}

fn number_cell(v: &str) -> String {
    format!(r#"<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>"#)
}

#[test]
fn opendocument_sheets_are_read_with_their_lines() {
    let header = format!("<table:table-row>{}{}{}</table:table-row>", text_cell("Prefix"), text_cell("Destination"), text_cell("Rate"));
    let good = format!("<table:table-row>{}{}{}</table:table-row>", number_cell("44"), text_cell("UK &amp; Isles"), number_cell("0.011000000000000001"));
    let blank = r#"<table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="3"/></table:table-row>"#;
    let bad = format!("<table:table-row>{}{}{}</table:table-row>", text_cell("3x"), text_cell("Bad"), number_cell("0.01"));
    let body = format!(r#"<table:table table:name="Notes"><table:table-row>{}</table:table-row></table:table><table:table table:name="Rates">{header}{good}{blank}{bad}</table:table>"#, text_cell("hello"));
    let deck = read("deck.ods", &ods(&body), &options()).unwrap();
    assert_eq!(deck.sheet.as_deref(), Some("Rates"));
    assert_eq!((row(&deck, "44").rate, row(&deck, "44").destination.as_str()), (11_000, "UK & Isles"));
    assert_eq!(lines(&deck), [(6, "prefix")]);
}

#[test]
fn opendocument_repetition_cannot_blow_up() {
    let header = format!("<table:table-row>{}{}</table:table-row>", text_cell("Prefix"), text_cell("Rate"));
    // 16,384 copies of a cell holding a billion spaces, then a million copies of a row: a few
    // hundred bytes of XML.
    let rows = format!(
        r#"<table:table-row><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x<text:s text:c="1000000000"/></text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1000000">{}{}</table:table-row>"#,
        number_cell("44"),
        number_cell("0.01")
    );
    let limits = Limits { max_rows: 1000, ..Limits::default() };
    let started = std::time::Instant::now();
    let deck = read("deck.ods", &ods(&format!(r#"<table:table table:name="S">{header}{rows}</table:table>"#)), &Options { limits, ..options() }).unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(deck.total, 999, "rows stop at the limit");
    assert_eq!(lines(&deck)[..3], [(2, "prefix"), (2, "rate"), (4, "prefix")], "the repeated row is a duplicate from its second copy on");
    assert!(deck.errors[0].message.len() < 200, "{}", deck.errors[0].message);
}

#[test]
fn reading_stops_when_nobody_waits_for_it() {
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let e = read("deck.csv", b"prefix,rate\n44,0.01\n", &Options { cancel: Some(cancel), ..options() }).unwrap_err();
    assert!(e.message.contains("stopped"), "{}", e.message);
}

// --- Decompression bombs ---------------------------------------------------------------------

#[test]
fn a_workbook_that_unpacks_to_gigabytes_is_refused_at_once() {
    let bytes = workbook(|book| {
        let s = book.add_worksheet();
        s.write_string(0, 0, "Prefix").unwrap();
        s.write_string(0, 1, "Rate").unwrap();
    });
    // Claim 2 GiB for every part, as a bomb does, without building one.
    let claimed = archive::tests::lie_about_sizes(bytes, 2_000_000_000);
    let started = std::time::Instant::now();
    let e = read("bomb.xlsx", &claimed, &options()).unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
    assert_eq!(e.field, "file");
    assert!(e.message.contains("unpacks to"), "{}", e.message);
}

#[test]
fn one_huge_cell_is_refused_before_any_reader_builds_it() {
    let mut sheet = b"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>".to_vec();
    sheet.extend(std::iter::repeat_n(b'A', 40 << 20));
    sheet.extend(b"</t></is></c></row></sheetData></worksheet>");
    let bomb = archive::tests::zip_of(&[("xl/workbook.xml", b"<workbook/>"), ("xl/worksheets/sheet1.xml", &sheet)]);
    assert!(bomb.len() < 200_000, "{} bytes", bomb.len());
    let started = std::time::Instant::now();
    let e = read("bomb.xlsx", &bomb, &options()).unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert!(e.message.contains("32767 characters"), "{}", e.message);
}

// --- Any deck, written any way ---------------------------------------------------------------

mod written_any_way {
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use super::*;

    #[derive(Debug, Clone, Copy)]
    enum Encoding {
        Utf8,
        Utf8Bom,
        Utf16Le,
        Windows1252,
    }

    #[derive(Debug, Clone, Copy)]
    enum Increments {
        Default,
        Split,
        Slash,
    }

    #[derive(Debug, Clone, Copy)]
    enum Effective {
        None,
        Date,
        DateTime,
    }

    #[derive(Debug, Clone)]
    struct Deck {
        rows: Vec<DeckRow>,
        separator: u8,
        decimal_comma: bool,
        encoding: Encoding,
        crlf: bool,
        fee: bool,
        increments: Increments,
        effective: Effective,
        /// Header spelling choices, one per column.
        spellings: [usize; 8],
        /// Column order (indexes into the written columns).
        order: Vec<usize>,
        /// Blank lines after each row (and before the first).
        blanks: Vec<u8>,
    }

    const PREFIX: &[&str] = &["prefix", "Prefix", "Dial Code", "DialCode", "dial_code", "CODE", "Destination Code"];
    const DESTINATION: &[&str] = &["destination", "Destination", "Country", "Description", "DESTINATION NAME"];
    const RATE: &[&str] = &["rate", "Rate", "Price", "Rate (USD/min)", "RatePerMinute", "rate_per_minute", "Price ($)", "Cost"];
    const FEE: &[&str] = &["connection_fee", "ConnectFee", "Connect Fee", "Setup fee", "SETUP_FEE", "Connection Charge"];
    const INITIAL: &[&str] = &["initial_increment", "Initial Increment", "InitialIncrement", "First Increment", "Min Duration"];
    const SUBSEQUENT: &[&str] = &["subsequent_increment", "Subsequent", "Next Increment", "Increment", "SubsequentIncrement"];
    const SLASH: &[&str] = &["Billing", "Increments", "Billing Increment", "Interval"];
    const EFFECTIVE: &[&str] = &["effective_from", "EffectiveDate", "Effective Date", "Valid From", "valid_from", "Start Date"];

    const NAMES: &[&str] = &[
        "Réunion", "Curaçao", "Côte d'Ivoire", "São Tomé", "Österreich Mobile", "Zürich", "España Fijo", "Åland", "UK", "Korea, South",
        "Bosnia; Herzegovina", "Big \"Q\" Net", "A|B Telecom", "  padded  ", "",
    ];

    fn words(separator: u8, comma: bool, m: i64) -> String {
        let s = Decimal::new(m, 6).normalize().to_string();
        if comma && separator != b',' { s.replace('.', ",") } else { s }
    }

    fn arb_row() -> impl Strategy<Value = DeckRow> {
        (
            "[1-9][0-9]{0,14}",
            proptest::sample::select(NAMES),
            0i64..=10_000_000,
            0i64..=1_000_000,
            1i64..=3600,
            1i64..=3600,
            (2020i32..2040, 1u32..=12, 1u32..=28, 0u32..24, 0u32..60, 0u32..60),
        )
            .prop_map(|(prefix, name, rate, fee, initial, subsequent, (y, mo, d, h, mi, s))| DeckRow {
                prefix,
                destination: name.to_string(),
                rate,
                connection_fee: fee,
                initial_increment: initial,
                subsequent_increment: subsequent,
                effective_from: format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.000000Z"),
            })
    }

    fn arb_deck() -> impl Strategy<Value = Deck> {
        (
            proptest::collection::vec(arb_row(), 1..25),
            proptest::sample::select(vec![b',', b';', b'\t', b'|']),
            any::<bool>(),
            prop_oneof![Just(Encoding::Utf8), Just(Encoding::Utf8Bom), Just(Encoding::Utf16Le), Just(Encoding::Windows1252)],
            any::<bool>(),
            any::<bool>(),
            prop_oneof![Just(Increments::Default), Just(Increments::Split), Just(Increments::Slash)],
            prop_oneof![Just(Effective::None), Just(Effective::Date), Just(Effective::DateTime)],
            proptest::array::uniform8(0usize..100),
            Just((0..7).collect::<Vec<usize>>()).prop_shuffle(),
            proptest::collection::vec(prop_oneof![6 => Just(0u8), 2 => Just(1u8), 1 => Just(2u8)], 26),
        )
            .prop_map(|(rows, separator, decimal_comma, encoding, crlf, fee, increments, effective, spellings, order, blanks)| {
                // One row per prefix, as a deck without dates must have.
                let mut seen = std::collections::HashSet::new();
                let rows = rows.into_iter().filter(|r| seen.insert(r.prefix.clone())).collect();
                Deck { rows, separator, decimal_comma, encoding, crlf, fee, increments, effective, spellings, order, blanks }
            })
    }

    /// The file a person would send, and the rows it holds.
    fn write(deck: &Deck) -> (Vec<u8>, Vec<DeckRow>) {
        let pick = |list: &[&'static str], i: usize| list[deck.spellings[i] % list.len()];
        // (header, cell of a row) for every column written.
        type Cell = Box<dyn Fn(&DeckRow) -> String>;
        let (sep, comma) = (deck.separator, deck.decimal_comma);
        let mut columns: Vec<(&str, Cell)> = vec![
            (pick(PREFIX, 0), Box::new(|r: &DeckRow| r.prefix.clone())),
            (pick(DESTINATION, 1), Box::new(|r: &DeckRow| r.destination.clone())),
            (pick(RATE, 2), Box::new(move |r: &DeckRow| words(sep, comma, r.rate))),
        ];
        if deck.fee {
            columns.push((pick(FEE, 3), Box::new(move |r: &DeckRow| words(sep, comma, r.connection_fee))));
        }
        match deck.increments {
            Increments::Default => {}
            Increments::Split => {
                columns.push((pick(INITIAL, 4), Box::new(|r: &DeckRow| r.initial_increment.to_string())));
                columns.push((pick(SUBSEQUENT, 5), Box::new(|r: &DeckRow| r.subsequent_increment.to_string())));
            }
            Increments::Slash => columns.push((pick(SLASH, 6), Box::new(|r: &DeckRow| format!("{}/{}", r.initial_increment, r.subsequent_increment)))),
        }
        match deck.effective {
            Effective::None => {}
            Effective::Date => columns.push((pick(EFFECTIVE, 7), Box::new(|r: &DeckRow| r.effective_from[..10].to_string()))),
            Effective::DateTime => columns.push((pick(EFFECTIVE, 7), Box::new(|r: &DeckRow| r.effective_from[..19].replace('T', " ")))),
        }
        let order: Vec<usize> = deck.order.iter().copied().filter(|i| *i < columns.len()).collect();
        let terminator = if deck.crlf { csv::Terminator::CRLF } else { csv::Terminator::Any(b'\n') };
        let newline = if deck.crlf { "\r\n" } else { "\n" };
        let record = |cells: Vec<String>| {
            let mut w = csv::WriterBuilder::new().delimiter(sep).terminator(terminator).from_writer(Vec::new());
            w.write_record(&cells).unwrap();
            String::from_utf8(w.into_inner().unwrap()).unwrap()
        };
        let mut text = newline.repeat(usize::from(deck.blanks[0]));
        text.push_str(&record(order.iter().map(|i| columns[*i].0.to_string()).collect()));
        for (n, r) in deck.rows.iter().enumerate() {
            text.push_str(&record(order.iter().map(|i| (columns[*i].1)(r)).collect()));
            match deck.blanks[n + 1] {
                0 => {}
                1 => text.push_str(newline),
                // An empty record: separators only.
                _ => text.push_str(&format!("{}{newline}", (sep as char).to_string().repeat(order.len() - 1))),
            }
        }
        let bytes = match deck.encoding {
            Encoding::Utf8 => text.into_bytes(),
            Encoding::Utf8Bom => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
            Encoding::Utf16Le => [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect(),
            Encoding::Windows1252 => encoding_rs::WINDOWS_1252.encode(&text).0.into_owned(),
        };
        let expected = deck
            .rows
            .iter()
            .map(|r| DeckRow {
                destination: r.destination.trim().to_string(),
                connection_fee: if deck.fee { r.connection_fee } else { 0 },
                initial_increment: if matches!(deck.increments, Increments::Default) { 60 } else { r.initial_increment },
                subsequent_increment: if matches!(deck.increments, Increments::Default) { 60 } else { r.subsequent_increment },
                effective_from: match deck.effective {
                    Effective::None => NOW.to_string(),
                    Effective::Date => format!("{}T00:00:00.000000Z", &r.effective_from[..10]),
                    Effective::DateTime => r.effective_from.clone(),
                },
                ..r.clone()
            })
            .collect();
        (bytes, expected)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn the_imported_rows_are_the_written_ones(deck in arb_deck()) {
            let (bytes, expected) = write(&deck);
            let parsed = read("deck.csv", &bytes, &options()).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&parsed.errors, &vec![], "{}", String::from_utf8_lossy(&bytes));
            prop_assert_eq!(parsed.rows, expected);
            prop_assert_eq!(parsed.separator, Some(deck.separator as char));
        }

        #[test]
        fn a_bad_row_is_reported_on_the_line_it_is_on(deck in arb_deck(), at in any::<prop::sample::Index>()) {
            let mut deck = deck;
            let bad = at.index(deck.rows.len());
            deck.rows[bad].prefix = "12x".into();
            let (bytes, _) = write(&deck);
            let text = match deck.encoding {
                Encoding::Utf16Le => String::from_utf16_lossy(&bytes[2..].chunks(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect::<Vec<u16>>()),
                _ => encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned(),
            };
            // The line of the bad cell, counted the way a text editor counts: line breaks before it.
            let at_cell = text.find("12x").unwrap();
            let line = text[..at_cell].matches('\n').count() + 1;
            let parsed = read("deck.csv", &bytes, &options()).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(parsed.errors.iter().map(|e| (e.line, e.column.as_str())).collect::<Vec<_>>(), vec![(line, "prefix")]);
        }
    }
}

/// Reading speed of a bench-sized deck: `cargo test --release -p didtron-telecom -- --ignored
/// --nocapture a_million_rows`.
#[test]
#[ignore]
fn a_million_rows_read_quickly() {
    let mut text = String::from("prefix,destination,rate,connection_fee,initial_increment,subsequent_increment,effective_from\n");
    for i in 0..1_000_000u64 {
        let prefix = 1_000_000 + i % 200_000;
        let date = 1 + i / 200_000;
        text.push_str(&format!("{prefix},Destination {},{:.6},0,60,60,2026-01-{date:02}\n", prefix / 1000, (i % 199_000 + 1_000) as f64 / 1e6));
    }
    let started = std::time::Instant::now();
    let deck = read("bench.csv", text.as_bytes(), &options()).unwrap();
    println!("read 1,000,000 rows ({:.1} MB) in {:?}", text.len() as f64 / 1e6, started.elapsed());
    assert_eq!((deck.rows.len(), deck.error_count), (1_000_000, 0), "{:?}", deck.errors.first());
}
