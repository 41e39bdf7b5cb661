//! Auto-pagination through the client generated for
//! `fixtures/pagination.yaml`, against the scripted loopback server: every
//! scheme over three pages and more, the request each page sends, and how
//! the streams stop.

use apigen_tests::calls::bounded;
use apigen_tests::http::{Reply, Server};
use apigen_tests::pagination::{self, types};

fn client(server: &Server) -> pagination::Client {
    pagination::Client::new(server.base_url())
}

/// Every item (or error, as its `Debug` text) of `items`.
async fn collect<P, T, E: std::fmt::Debug>(
    mut items: apigen_runtime::page::Items<'_, P, T, E>,
) -> Vec<Result<T, String>> {
    let mut out = Vec::new();
    while let Some(item) = bounded(items.next()).await {
        out.push(item.map_err(|e| format!("{e:?}")));
    }
    out
}

fn targets(server: Server) -> Vec<String> {
    server.finish().into_iter().map(|r| r.target).collect()
}

#[tokio::test]
async fn link_headers_are_followed() {
    let server = Server::start_with(|base| {
        vec![
            Reply::json(200, r#"[{"id":1},{"id":2}]"#).with_header(
                "Link",
                &format!(r#"<{base}/repos?per_page=2&page=2>; rel="next", <{base}/repos?per_page=2&page=3>; rel="last""#),
            ),
            // A relative link, resolved against the request's URL.
            Reply::json(200, r#"[{"id":3},{"id":4}]"#)
                .with_header("Link", r#"</repos?per_page=2&page=3>; rel="next""#),
            Reply::json(200, r#"[{"id":5}]"#).with_header("Link", r#"</repos?page=2>; rel="prev""#),
        ]
    });
    let client = client(&server);
    let params = pagination::ListReposParams {
        per_page: Some(2),
        page: None,
    };
    let got = collect(client.list_repos_stream(&params)).await;
    let ids: Vec<i64> = got.iter().map(|r| r.as_ref().expect("a repo").id).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    assert_eq!(
        targets(server),
        [
            "/repos?per_page=2",
            "/repos?per_page=2&page=2",
            "/repos?per_page=2&page=3"
        ]
    );
}

#[tokio::test]
async fn a_link_to_another_origin_is_not_followed() {
    let elsewhere = Server::silent();
    let next = elsewhere.url("/repos?page=2");
    let server =
        Server::start([Reply::json(200, r#"[{"id":1}]"#)
            .with_header("Link", &format!(r#"<{next}>; rel="next""#))]);
    let client = client(&server);
    let got = collect(client.list_repos_stream(&Default::default())).await;
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(
        got[1].as_ref().unwrap_err().contains("another origin"),
        "{got:?}"
    );
    elsewhere.assert_nothing_received();
    server.finish();
}

#[tokio::test]
async fn cursors_are_sent_back_until_has_more_is_false() {
    let server = Server::start([
        Reply::json(
            200,
            r#"{"data":[{"id":"a"},{"id":"b"}],"next_cursor":"c1","has_more":true}"#,
        ),
        Reply::json(
            200,
            r#"{"data":[{"id":"c"}],"next_cursor":"c2","has_more":true}"#,
        ),
        Reply::json(
            200,
            r#"{"data":[{"id":"d"}],"next_cursor":"c3","has_more":false}"#,
        ),
    ]);
    let client = client(&server);
    let params = pagination::ListWidgetsParams {
        cursor: None,
        limit: Some(2),
    };
    let got = collect(client.list_widgets_stream(&params)).await;
    let ids: Vec<String> = got.into_iter().map(|w| w.expect("a widget").id).collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
    assert_eq!(
        targets(server),
        [
            "/widgets?limit=2",
            "/widgets?cursor=c1&limit=2",
            "/widgets?cursor=c2&limit=2"
        ]
    );
}

#[tokio::test]
async fn a_repeated_cursor_stops_with_an_error() {
    let server = Server::start([
        Reply::json(200, r#"{"data":[{"id":"a"}],"next_cursor":"c1"}"#),
        Reply::json(200, r#"{"data":[{"id":"b"}],"next_cursor":"c2"}"#),
        Reply::json(200, r#"{"data":[{"id":"c"}],"next_cursor":"c1"}"#),
    ]);
    let client = client(&server);
    let got = collect(client.list_widgets_stream(&Default::default())).await;
    assert_eq!(got.len(), 4, "{got:?}");
    assert!(got[..3].iter().all(Result::is_ok));
    assert!(
        got[3].as_ref().unwrap_err().contains("Pagination"),
        "{got:?}"
    );
    assert_eq!(targets(server).len(), 3);
}

#[tokio::test]
async fn an_error_mid_stream_ends_it_after_the_items_before() {
    let server = Server::start([
        Reply::json(200, r#"{"data":[{"id":"a"}],"next_cursor":"c1"}"#),
        Reply::json(500, r#"{"message":"down"}"#),
    ]);
    let client = client(&server);
    let got = collect(client.list_widgets_stream(&Default::default())).await;
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(
        got[1].as_ref().unwrap_err().contains("UnexpectedStatus"),
        "{got:?}"
    );
    server.finish();
}

#[tokio::test]
async fn page_tokens_and_required_arguments() {
    let server = Server::start([
        Reply::json(200, r#"{"tokens":["t1"],"nextPageToken":"p2"}"#),
        Reply::json(200, r#"{"tokens":["t2"],"nextPageToken":"p3"}"#),
        Reply::json(200, r#"{"tokens":["t3"]}"#),
    ]);
    let client = client(&server);
    let got = collect(client.list_tokens_stream("proj 1", &Default::default())).await;
    let tokens: Vec<String> = got.into_iter().map(|t| t.expect("a token")).collect();
    assert_eq!(tokens, ["t1", "t2", "t3"]);
    assert_eq!(
        targets(server),
        [
            "/projects/proj%201/tokens",
            "/projects/proj%201/tokens?pageToken=p2",
            "/projects/proj%201/tokens?pageToken=p3"
        ]
    );
}

#[tokio::test]
async fn offsets_advance_by_the_items_until_an_empty_page() {
    let server = Server::start([
        Reply::json(200, r#"{"results":[1,2]}"#),
        Reply::json(200, r#"{"results":[3,4]}"#),
        Reply::json(200, r#"{"results":[5]}"#),
        Reply::json(200, r#"{"results":[]}"#),
    ]);
    let client = client(&server);
    let params = pagination::ListEventsParams {
        offset: Some(10),
        limit: Some(2),
    };
    let got = collect(client.list_events_stream(&params)).await;
    let n: Vec<i64> = got.into_iter().map(|n| n.expect("a number")).collect();
    assert_eq!(n, [1, 2, 3, 4, 5]);
    assert_eq!(
        targets(server),
        [
            "/events?offset=10&limit=2",
            "/events?offset=12&limit=2",
            "/events?offset=14&limit=2",
            "/events?offset=15&limit=2"
        ]
    );
}

#[tokio::test]
async fn page_numbers_count_up_and_limits_stop_early() {
    let server = Server::start([
        Reply::json(200, "[1,2]"),
        Reply::json(200, "[3,4]"),
        Reply::json(200, "[5]"),
        Reply::json(200, "[]"),
    ]);
    let got = collect(client(&server).list_numbers_stream(&Default::default())).await;
    assert_eq!(got.len(), 5, "{got:?}");
    assert_eq!(
        targets(server),
        [
            "/numbers",
            "/numbers?page=2",
            "/numbers?page=3",
            "/numbers?page=4"
        ]
    );

    // Three items need two pages: the third is never fetched.
    let server = Server::start([Reply::json(200, "[1,2]"), Reply::json(200, "[3,4]")]);
    let numbers = client(&server);
    let got = collect(
        numbers
            .list_numbers_stream(&Default::default())
            .max_items(3),
    )
    .await;
    assert_eq!(got.len(), 3);
    assert_eq!(targets(server).len(), 2);
}

#[tokio::test]
async fn x_ms_pageable_next_links_and_pages_with_headers() {
    let server = Server::start_with(|base| {
        vec![
            Reply::json(200, format!(r#"{{"value":["r1"],"nextLink":"{base}/subscriptions/s/resources?api-version=1&$skiptoken=2"}}"#))
                .with_header("x-ms-request-id", "q1"),
            Reply::json(200, format!(r#"{{"value":["r2"],"nextLink":"{base}/subscriptions/s/resources?api-version=1&$skiptoken=3"}}"#))
                .with_header("x-ms-request-id", "q2"),
            Reply::json(200, r#"{"value":["r3"]}"#).with_header("x-ms-request-id", "q3"),
        ]
    });
    let client = client(&server);
    let params = pagination::ResourcesListParams {
        api_version: Some("1".into()),
    };
    let mut pages = client.resources_list_pages("s", &params);
    let mut ids = Vec::new();
    let mut values = Vec::new();
    while let Some(page) = bounded(pages.next()).await {
        let page = page.expect("a page");
        ids.push(
            page.headers()["x-ms-request-id"]
                .to_str()
                .unwrap()
                .to_owned(),
        );
        values.extend(page.into_inner().value.unwrap_or_default());
    }
    assert_eq!(ids, ["q1", "q2", "q3"]);
    assert_eq!(values, ["r1", "r2", "r3"]);
    assert_eq!(
        targets(server),
        [
            "/subscriptions/s/resources?api-version=1",
            "/subscriptions/s/resources?api-version=1&$skiptoken=2",
            "/subscriptions/s/resources?api-version=1&$skiptoken=3"
        ]
    );
}

#[test]
fn only_lists_with_a_way_to_the_next_page_are_paginated() {
    let root = apigen_tests::scratch::repository_root();
    let code = apigen::builder::generate_file(
        &root.join("tests/fixtures/pagination.yaml"),
        &apigen::EmitOptions::default(),
    )
    .expect("the fixture generates")
    .code;
    for op in [
        "list_repos",
        "list_widgets",
        "list_tokens",
        "list_events",
        "list_numbers",
        "resources_list",
    ] {
        assert!(code.contains(&format!("pub fn {op}_stream<'a>")), "{op}");
    }
    // `nextLinkName: null` says everything comes in one response.
    assert!(code.contains("pub async fn locations_list("));
    assert!(!code.contains("locations_list_pages"));
    let _ = types::Repo { id: 0 };
}

/// Pagination set with `Builder::paginate` (see `tests/build.rs`): the
/// cursor at `/links/following` goes back as `from`, the items are `rows`,
/// and `more_pages: false` ends the stream although a cursor is there.
#[tokio::test]
async fn pagination_set_in_the_builder_is_followed() {
    use apigen_tests::paginated_audit;
    let server = Server::start([
        Reply::json(
            200,
            r#"{"rows":["a","b"],"warnings":["w"],"links":{"following":"c2"},"more_pages":true}"#,
        ),
        Reply::json(
            200,
            r#"{"rows":["c"],"warnings":[],"links":{"following":"c3"}}"#,
        ),
        Reply::json(
            200,
            r#"{"rows":["d"],"warnings":[],"links":{"following":"c4"},"more_pages":false}"#,
        ),
    ]);
    let client = paginated_audit::Client::new(server.base_url());
    let params = paginated_audit::ListAuditRecordsParams::default();
    let got = collect(client.list_audit_records_stream(&params)).await;
    let rows: Vec<String> = got.into_iter().map(|r| r.expect("a row")).collect();
    assert_eq!(rows, ["a", "b", "c", "d"]);
    assert_eq!(
        targets(server),
        ["/audit", "/audit?from=c2", "/audit?from=c3"]
    );
}
