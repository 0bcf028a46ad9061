//! Finding the columns from the header names people actually write, and saying which columns are
//! not used.
//!
//! Names are compared in a compact form — lower-case letters and digits only — so `ConnectFee`,
//! `connect_fee`, "Connect Fee" and `CONNECT-FEE` are one name. Text in brackets and currency codes
//! are units, not names: "Price ($)", "Rate (USD/min)" and "Rate USD" are all a rate.

use super::{DeckError, Mapping, Warning};

/// The columns DIDtron understands.
pub const CANONICAL: [&str; 7] = ["prefix", "destination", "rate", "connection_fee", "initial_increment", "subsequent_increment", "effective_from"];

pub(crate) const PREFIX: usize = 0;
pub(crate) const DESTINATION: usize = 1;
pub(crate) const RATE: usize = 2;
pub(crate) const FEE: usize = 3;
pub(crate) const INITIAL: usize = 4;
pub(crate) const SUBSEQUENT: usize = 5;
pub(crate) const EFFECTIVE: usize = 6;

/// Header names for each column, in compact form, most specific first.
fn synonyms(canonical: usize) -> &'static [&'static str] {
    match canonical {
        PREFIX => &[
            "prefix", "prefixes", "code", "codes", "dialcode", "dialcodes", "dialingcode", "dialingcodes", "dialprefix", "destinationcode", "destcode",
            "numberprefix", "countrycodeprefix", "routecode", "breakoutcode", "e164prefix",
        ],
        DESTINATION => &[
            "destination", "destinationname", "destinationdescription", "description", "name", "dest", "destname", "country", "countryname", "area",
            "areaname", "zone", "zonename", "breakout", "region", "location", "network",
        ],
        RATE => &[
            "rate", "price", "cost", "rateperminute", "ratepermin", "perminute", "permin", "ratemin", "usdmin", "priceperminute", "pricepermin",
            "pricemin", "costperminute", "costpermin", "costmin", "minuterate", "buyrate", "newrate", "rates", "prices",
        ],
        FEE => &[
            "connectionfee", "connection", "setupfee", "setup", "connfee", "connectfee", "connectioncharge", "connectcharge", "setupcharge",
            "connectioncost", "connectcost", "setupcost", "callsetupfee", "flagfall", "connectionrate", "percall", "percallfee", "callfee",
        ],
        INITIAL => &[
            "initialincrement", "initial", "firstincrement", "initialinterval", "firstinterval", "initialpulse", "firstpulse", "minduration",
            "minimumduration", "minimumtime", "mintime", "initialperiod", "firstperiod", "increment1", "interval1",
        ],
        SUBSEQUENT => &[
            "subsequentincrement", "subsequent", "nextincrement", "additionalincrement", "secondincrement", "subsequentinterval", "nextinterval",
            "additionalinterval", "subsequentpulse", "nextpulse", "subsequentperiod", "nextperiod", "increment2", "interval2", "incrementn",
            "intervaln",
        ],
        EFFECTIVE => &[
            "effectivefrom", "effectivedate", "effective", "validfrom", "validfromdate", "startdate", "date", "effectivedatetime", "effectivetime",
            "effdate", "effectivefromdate", "dateeffective", "effectivestart", "start", "startdatetime", "startingdate", "activationdate",
            "activefrom", "fromdate", "datefrom", "begindate", "validitydate", "validsince", "since", "applicablefrom", "changedate", "ratedate",
        ],
        _ => &[],
    }
}

/// One column of increments without saying which: "60/60" or both increments alike, or the
/// subsequent increment when another column is the initial one ("Initial Increment", "Increment").
const GENERIC_INCREMENT: &[&str] = &[
    "increment", "increments", "billingincrement", "billingincrements", "billing", "interval", "intervals", "billinginterval", "billingintervals",
    "pulse", "billingpulse", "rounding", "billingcycle", "billingunit", "incr", "inc",
];

/// Words that are units of a header, not its name.
const UNIT_WORDS: &[&str] = &["utc", "gmt", "per", "in", "sec", "secs", "seconds"];

/// ISO codes of the currencies decks are commonly priced in.
const CURRENCY_CODES: &[&str] = &[
    "usd", "eur", "gbp", "chf", "jpy", "cad", "aud", "nzd", "inr", "cny", "rmb", "hkd", "sgd", "sek", "nok", "dkk", "pln", "czk", "huf", "ron",
    "bgn", "try", "rub", "uah", "zar", "brl", "mxn", "ars", "cop", "clp", "pen", "aed", "sar", "qar", "ils", "egp", "ngn", "kes", "ghs", "pkr",
    "bdt", "lkr", "php", "idr", "myr", "thb", "vnd", "krw", "twd",
];

/// The words of a header: split at anything not a letter or digit, at lower→upper case changes
/// (`ConnectFee`) and before the last capital of a run (`USDRate` → `usd`, `rate`).
pub(crate) fn words(header: &str) -> Vec<String> {
    let chars: Vec<char> = header.chars().collect();
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let boundary = match prev {
            Some(p) if p.is_alphanumeric() => {
                (p.is_lowercase() && c.is_uppercase())
                    || (p.is_uppercase() && c.is_uppercase() && next.is_some_and(char::is_lowercase))
                    || (p.is_alphabetic() != c.is_alphabetic())
            }
            _ => false,
        };
        if boundary && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn without_brackets(header: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in header.chars() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The compact forms a header is matched by: as written, without bracketed units, and without
/// currency codes and unit words.
pub(crate) fn keys(header: &str) -> Vec<String> {
    let full: String = words(header).concat();
    let bare: String = words(&without_brackets(header)).concat();
    let plain: String = words(&without_brackets(header))
        .into_iter()
        .filter(|w| !CURRENCY_CODES.contains(&w.as_str()) && !UNIT_WORDS.contains(&w.as_str()))
        .collect::<Vec<_>>()
        .concat();
    let mut out = vec![full];
    for k in [bare, plain] {
        if !k.is_empty() && !out.contains(&k) {
            out.push(k);
        }
    }
    out
}

fn find(headers: &[String], keys: &[Vec<String>], names: &[&str], taken: &[Option<usize>; 7]) -> Option<usize> {
    for name in names {
        let free = |i: &usize| !taken.contains(&Some(*i)) && !headers[*i].trim().is_empty();
        if let Some(i) = (0..headers.len()).filter(free).find(|i| keys[*i].iter().any(|k| k == name)) {
            return Some(i);
        }
    }
    None
}

/// The column of each canonical field, guessed from the headers.
pub(crate) fn detect_indexes(headers: &[String]) -> [Option<usize>; 7] {
    let keys: Vec<Vec<String>> = headers.iter().map(|h| keys(h)).collect();
    let mut taken = [None; 7];
    for c in [PREFIX, DESTINATION, RATE, FEE, INITIAL, SUBSEQUENT, EFFECTIVE] {
        taken[c] = find(headers, &keys, synonyms(c), &taken);
    }
    if let Some(generic) = find(headers, &keys, GENERIC_INCREMENT, &taken) {
        if taken[INITIAL].is_none() {
            taken[INITIAL] = Some(generic);
        } else if taken[SUBSEQUENT].is_none() {
            taken[SUBSEQUENT] = Some(generic);
        }
    }
    taken
}

/// The mapping guessed from the headers.
pub fn detect(headers: &[String]) -> Mapping {
    let idx = detect_indexes(headers);
    CANONICAL.iter().zip(idx).filter_map(|(c, i)| i.map(|i| (c.to_string(), headers[i].clone()))).collect()
}

/// Refuses a hand-made mapping that names a column DIDtron does not know.
pub(crate) fn check_mapping(m: &Mapping) -> Result<(), DeckError> {
    if let Some(unknown) = m.keys().find(|k| !CANONICAL.contains(&k.as_str())) {
        return Err(DeckError { field: "mapping", message: format!("“{unknown}” is not a column DIDtron imports; use {}", CANONICAL.join(", ")) });
    }
    Ok(())
}

/// The column a header in a mapping names: the same text, or else the same without regard to case
/// and surrounding spaces.
pub(crate) fn position(headers: &[String], wanted: &str) -> Option<usize> {
    headers.iter().position(|h| h == wanted).or_else(|| headers.iter().position(|h| h.trim().eq_ignore_ascii_case(wanted.trim())))
}

/// What an unused column looks like, when that matters for the rates: its values would change what
/// a call costs or when a rate applies.
fn important(header: &str) -> Option<&'static str> {
    let words = words(header);
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    let compact: String = words.concat();
    let contains = |list: &[&str]| list.iter().any(|k| compact.contains(k));
    if has(&["currency", "curr", "ccy", "cur"]) || has(CURRENCY_CODES) || contains(&["currency"]) {
        Some("a currency")
    } else if has(&["fee", "fees", "charge", "charges", "setup", "connect", "connection", "conn", "surcharge", "flagfall", "percall"])
        || contains(&["connect", "surcharge", "setupfee", "flagfall"])
    {
        Some("a fee")
    } else if has(&["increment", "increments", "interval", "intervals", "billing", "pulse", "minimum", "duration", "grace", "rounding", "cycle"])
        || contains(&["increment", "interval", "billing", "duration"])
    {
        Some("billing increments or a minimum duration")
    } else if has(&[
        "date", "dates", "time", "datetime", "valid", "validity", "effective", "eff", "expiry", "expires", "expiration", "expire", "until", "end",
        "start", "since", "from",
    ]) || contains(&["effective", "expir", "valid"])
    {
        Some("a date")
    } else if has(&["rate", "rates", "price", "prices", "cost", "costs", "tariff", "peak", "offpeak", "weekend"]) {
        Some("another rate")
    } else {
        None
    }
}

/// The columns that are not imported, and warnings for those that look important.
pub(crate) fn unused(headers: &[String], used: &[Option<usize>; 7]) -> (Vec<String>, Vec<Warning>) {
    let mut ignored = Vec::new();
    let mut warnings = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        if used.contains(&Some(i)) || h.trim().is_empty() {
            continue;
        }
        ignored.push(h.clone());
        if let Some(kind) = important(h) {
            warnings.push(Warning { column: h.clone(), message: format!("“{}” looks like {kind} but is not imported", h.trim()) });
        }
    }
    (ignored, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn mapped(list: &[&str]) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = detect(&headers(list)).into_iter().collect();
        v.sort();
        v
    }

    #[test]
    fn words_split_at_case_and_punctuation() {
        assert_eq!(words("ConnectFee"), ["connect", "fee"]);
        assert_eq!(words("connect_fee"), ["connect", "fee"]);
        assert_eq!(words("Connect Fee"), ["connect", "fee"]);
        assert_eq!(words("USDRate"), ["usd", "rate"]);
        assert_eq!(words("EffectiveDate"), ["effective", "date"]);
        assert_eq!(words("Interval1"), ["interval", "1"]);
        assert_eq!(words(" Price ($) "), ["price"]);
    }

    #[test]
    fn one_name_across_case_spaces_punctuation_and_camel_case() {
        for h in ["ConnectFee", "connect_fee", "Connect Fee", "CONNECT-FEE", "connectfee", "Setup fee", "Setup Fee (USD)", "connection.fee"] {
            assert_eq!(detect(&headers(&["Prefix", "Rate", h])).get("connection_fee").map(String::as_str), Some(h), "{h}");
        }
        for h in ["EffectiveDate", "effective_date", "Effective From", "Valid From", "Start Date", "Date", "Eff. Date", "Effective Date (UTC)"] {
            assert_eq!(detect(&headers(&["Prefix", "Rate", h])).get("effective_from").map(String::as_str), Some(h), "{h}");
        }
        for h in ["Rate", "Price ($)", "Rate (USD/min)", "Rate USD", "rate_per_minute", "Price/Min", "RatePerMin", "Cost"] {
            assert_eq!(detect(&headers(&["Code", h])).get("rate").map(String::as_str), Some(h), "{h}");
        }
    }

    #[test]
    fn common_headers_are_recognised() {
        let m = detect(&headers(&["Dial Code", "Country", "Price ($)", "Setup Fee", "Billing", "Effective Date"]));
        assert_eq!(m["prefix"], "Dial Code");
        assert_eq!(m["destination"], "Country");
        assert_eq!(m["rate"], "Price ($)");
        assert_eq!(m["connection_fee"], "Setup Fee");
        assert_eq!(m["initial_increment"], "Billing");
        assert_eq!(m["effective_from"], "Effective Date");
        assert_eq!(detect(&headers(&CANONICAL)).len(), 7);
    }

    #[test]
    fn increment_beside_initial_increment_is_the_subsequent_one() {
        assert_eq!(
            mapped(&["prefix", "rate", "Initial Increment", "Increment"]),
            [
                ("initial_increment".into(), "Initial Increment".into()),
                ("prefix".into(), "prefix".into()),
                ("rate".into(), "rate".into()),
                ("subsequent_increment".into(), "Increment".into())
            ]
        );
        // Alone, one increment column is both (or "60/60" in one cell).
        let m = detect(&headers(&["prefix", "rate", "Increment"]));
        assert_eq!((m.get("initial_increment").map(String::as_str), m.get("subsequent_increment")), (Some("Increment"), None));
        // Both named: the generic one is left over.
        let m = detect(&headers(&["prefix", "rate", "Initial", "Subsequent", "Billing"]));
        assert_eq!((m["initial_increment"].as_str(), m["subsequent_increment"].as_str()), ("Initial", "Subsequent"));
    }

    #[test]
    fn destination_code_is_a_prefix_and_destination_a_name() {
        let m = detect(&headers(&["Destination", "Destination Code", "Rate"]));
        assert_eq!((m["prefix"].as_str(), m["destination"].as_str()), ("Destination Code", "Destination"));
    }

    #[test]
    fn unused_columns_are_listed_and_important_ones_warned() {
        let h = headers(&["Prefix", "Country", "Rate", "Currency", "End Date", "Disconnect Fee", "Notes", "Rate Peak", "", "Min Duration Sec"]);
        let idx = detect_indexes(&h);
        let (ignored, warnings) = unused(&h, &idx);
        assert_eq!(ignored, ["Currency", "End Date", "Disconnect Fee", "Notes", "Rate Peak"]);
        let kinds: Vec<(&str, bool)> = warnings.iter().map(|w| (w.column.as_str(), w.message.contains("looks like"))).collect();
        assert_eq!(kinds, [("Currency", true), ("End Date", true), ("Disconnect Fee", true), ("Rate Peak", true)]);
        assert!(warnings[0].message.contains("a currency"));
        assert!(warnings[1].message.contains("a date"));
        assert!(warnings[2].message.contains("a fee"));
        assert!(warnings[3].message.contains("another rate"));
        assert_eq!(h[idx[INITIAL].unwrap()], "Min Duration Sec");
    }

    #[test]
    fn a_hand_made_mapping_names_known_columns_only() {
        let good: Mapping = [("rate".to_string(), "Tariff".to_string())].into();
        assert!(check_mapping(&good).is_ok());
        let bad: Mapping = [("price".to_string(), "Tariff".to_string())].into();
        assert_eq!(check_mapping(&bad).unwrap_err().field, "mapping");
        assert_eq!(position(&headers(&["Code", " Tariff "]), "tariff"), Some(1));
    }
}
