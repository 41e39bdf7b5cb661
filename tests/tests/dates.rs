//! `fixtures/dates.yaml` generated with each date representation
//! (`Builder::date_time`): values decode into chrono and time types, are
//! written back as the same instants in the same offsets (chrono keeps the
//! text as sent; time drops trailing zeros of a fraction, `.250` → `.25`),
//! bad dates are decoding errors, and dates in parameters are sent as
//! RFC 3339 text.

use apigen_runtime::chrono::{FixedOffset, NaiveDate, TimeZone as _, Timelike as _};
use apigen_tests::calls::one_call;
use apigen_tests::http::{Reply, Server};
use apigen_tests::{dates, dates_chrono, dates_time};
use serde_json::{Value, json};

const EVENT: &str = r#"{
    "id": "e1",
    "at": "2024-02-29T12:30:00.250+02:00",
    "day": "2024-02-29",
    "endsAt": null,
    "updatedAt": "2024-03-01T00:00:00Z",
    "history": ["2024-01-01T00:00:00-05:30", "2024-01-02T00:00:00Z"],
    "byZone": {"utc": "2024-02-29T10:30:00.250Z"},
    "due": "2024-03-15"
}"#;

#[test]
fn chrono_values_decode_and_write_back_the_same_instant_and_offset() {
    use dates_chrono::types::{Event, EventDue};
    let event: Event = serde_json::from_str(EVENT).unwrap();
    let plus2 = FixedOffset::east_opt(2 * 3600).unwrap();
    assert_eq!(
        event.at,
        plus2
            .with_ymd_and_hms(2024, 2, 29, 12, 30, 0)
            .unwrap()
            .with_nanosecond(250_000_000)
            .unwrap()
    );
    assert_eq!(event.at.offset(), &plus2);
    assert_eq!(event.day, NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
    assert_eq!(event.ends_at, apigen_runtime::Nullable::Null);
    assert_eq!(event.history.as_ref().map(Vec::len), Some(2));
    assert_eq!(
        event.due,
        Some(EventDue::String(
            NaiveDate::from_ymd_opt(2024, 3, 15).unwrap()
        ))
    );
    // Written back: the same instants, in the zones they were sent in.
    let back = serde_json::to_value(&event).unwrap();
    assert_eq!(back["at"], json!("2024-02-29T12:30:00.250+02:00"));
    assert_eq!(back["history"][0], json!("2024-01-01T00:00:00-05:30"));
    assert_eq!(back["day"], json!("2024-02-29"));
    assert_eq!(back["endsAt"], Value::Null);
    let sent: Value = serde_json::from_str(EVENT).unwrap();
    for key in ["updatedAt", "byZone", "due"] {
        assert_eq!(back[key], sent[key], "{key}");
    }
    let again: Event = serde_json::from_value(back).unwrap();
    assert_eq!(again, event);
}

#[test]
fn time_values_decode_and_write_back_the_same_instant_and_offset() {
    use dates_time::types::{Event, EventDue};
    let event: Event = serde_json::from_str(EVENT).unwrap();
    assert_eq!(event.at.hour(), 12);
    assert_eq!(event.at.offset().whole_hours(), 2);
    assert_eq!(event.at.millisecond(), 250);
    assert_eq!(event.day.day(), 29);
    // The wrapped `time` values, through the runtime's re-export.
    let day = apigen_runtime::time::Date::from_calendar_date(
        2024,
        apigen_runtime::time::Month::February,
        29,
    );
    assert_eq!(Ok(*event.day), day);
    match &event.due {
        Some(EventDue::String(d)) => assert_eq!(d.to_string(), "2024-03-15"),
        other => panic!("{other:?}"),
    }
    let back = serde_json::to_value(&event).unwrap();
    let sent: Value = serde_json::from_str(EVENT).unwrap();
    assert_eq!(back["at"], json!("2024-02-29T12:30:00.25+02:00"));
    assert_eq!(back["byZone"], json!({"utc": "2024-02-29T10:30:00.25Z"}));
    for key in ["day", "endsAt", "updatedAt", "history", "due"] {
        assert_eq!(back[key], sent[key], "{key}");
    }
    let again: Event = serde_json::from_value(back).unwrap();
    assert_eq!(again, event);
}

#[test]
fn an_invalid_date_is_a_decoding_error_in_every_representation_but_string() {
    let bad = EVENT.replace("2024-02-29T12:30", "2023-02-29T12:30");
    let e = serde_json::from_str::<dates_chrono::types::Event>(&bad).unwrap_err();
    assert!(e.to_string().contains("out of range"), "{e}");
    let e = serde_json::from_str::<dates_time::types::Event>(&bad).unwrap_err();
    assert!(e.to_string().contains("RFC 3339"), "{e}");
    // As `String` (the default), nothing is parsed.
    let plain: dates::types::Event = serde_json::from_str(&bad).unwrap();
    assert_eq!(plain.at, "2023-02-29T12:30:00.250+02:00");
    // A date where a date-time belongs.
    let short = EVENT.replace("\"2024-02-29T12:30:00.250+02:00\"", "\"2024-02-29\"");
    assert!(serde_json::from_str::<dates_chrono::types::Event>(&short).is_err());
    assert!(serde_json::from_str::<dates_time::types::Event>(&short).is_err());
}

#[tokio::test]
async fn chrono_parameters_are_sent_as_rfc3339_text() {
    let server = Server::start([Reply::json(200, format!("[{EVENT}]"))]);
    let client = dates_chrono::Client::new(server.base_url());
    let day = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    let plus2 = FixedOffset::east_opt(2 * 3600).unwrap();
    let since = plus2.with_ymd_and_hms(2024, 2, 29, 8, 0, 0).unwrap();
    let params = dates_chrono::ListEventsParams {
        since: Some(since),
        at: Some(vec![
            since,
            since + apigen_runtime::chrono::Duration::hours(1),
        ]),
        x_not_before: Some(since),
    };
    let (events, request) = one_call(server, client.list_events(&day, &params)).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].day, day);
    assert_eq!(request.path(), "/days/2024-02-29/events");
    assert_eq!(
        request.query(),
        Some(
            "since=2024-02-29T08%3A00%3A00%2B02%3A00\
             &at=2024-02-29T08%3A00%3A00%2B02%3A00,2024-02-29T09%3A00%3A00%2B02%3A00"
        )
    );
    assert_eq!(
        request.header("x-not-before"),
        Some("2024-02-29T08:00:00+02:00")
    );
}

#[tokio::test]
async fn time_parameters_and_bodies_are_sent_as_rfc3339_text() {
    use apigen_runtime::rfc3339::{Date, OffsetDateTime};
    let server = Server::start([Reply::json(201, EVENT)]);
    let client = dates_time::Client::new(server.base_url());
    let day: Date = "2024-02-29".parse().unwrap();
    let body: dates_time::types::Event = serde_json::from_str(EVENT).unwrap();
    let (created, request) = one_call(server, client.create_event(&day, &body)).await;
    assert_eq!(*created, body);
    assert_eq!(request.path(), "/days/2024-02-29/events");
    assert_eq!(
        request.body_json()["at"],
        json!("2024-02-29T12:30:00.25+02:00")
    );
    assert_eq!(request.body_json()["day"], json!("2024-02-29"));

    let server = Server::start([Reply::json(200, "[]")]);
    let client = dates_time::Client::new(server.base_url());
    let since: OffsetDateTime = "2024-02-29T08:00:00Z".parse().unwrap();
    let params = dates_time::ListEventsParams {
        since: Some(since),
        ..Default::default()
    };
    let (_, request) = one_call(server, client.list_events(&day, &params)).await;
    assert_eq!(request.query(), Some("since=2024-02-29T08%3A00%3A00Z"));
}
