//! The clients generated for `fixtures/params.yaml`, `bodies.yaml`,
//! `responses.yaml` and `security.yaml` against the scripted loopback server
//! ([`apigen_tests::http`]): the exact request target, headers and body bytes
//! of every parameter style, body kind and security scheme, and how text,
//! binary, empty, multi-success and header-carrying responses decode.

use std::collections::BTreeMap;
use std::future::Future;

use apigen_runtime::Error;
use apigen_runtime::body::FilePart;
use apigen_runtime::reqwest::StatusCode;
use apigen_runtime::reqwest::header::{LINK, LOCATION, RETRY_AFTER};
use apigen_tests::calls::{bounded, one_call};
use apigen_tests::http::{Recorded, Reply, Server};
use apigen_tests::{bodies, params, responses, security};
use serde_json::json;

fn point(label: Option<&str>) -> params::types::Point {
    params::types::Point {
        x: 1,
        y: -2,
        label: label.map(str::to_owned),
    }
}

fn params_client(server: &Server) -> params::Client {
    params::Client::new(server.base_url())
}

/// Calls `call` against `server`, which must succeed, and returns the request.
async fn one_request<T: std::fmt::Debug, E: std::fmt::Debug>(
    server: Server,
    call: impl Future<Output = Result<T, Error<E>>>,
) -> Recorded {
    one_call(server, call).await.1
}

// ---------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------

#[tokio::test]
async fn path_simple_arrays_and_objects() {
    let server = Server::start([Reply::new(204)]);
    let client = params_client(&server);
    let request = one_request(
        server,
        client.path_simple(&[1, 2, 3], &point(Some("a b")), &point(None), "n/1,2"),
    )
    .await;
    assert_eq!(request.method, "GET");
    // Delimiters stay, everything inside a value is encoded (` ` `/` `,`).
    assert_eq!(
        request.target,
        "/simple/1,2,3/x,1,y,-2,label,a%20b/x=1,y=-2/n%2F1%2C2"
    );
}

#[tokio::test]
async fn path_label_and_matrix() {
    let server = Server::start([Reply::new(204), Reply::new(204)]);
    let client = params_client(&server);
    let ab = ["a".to_owned(), "b;c".to_owned()];
    bounded(client.path_label(&ab, &ab, &point(None), &point(Some("p"))))
        .await
        .expect("204");
    bounded(client.path_matrix(5, &ab, &ab, &point(None), &point(Some("p"))))
        .await
        .expect("204");
    let requests = server.finish();
    assert_eq!(
        requests[0].target,
        "/label/.a,b%3Bc/.a.b%3Bc/.x,1,y,-2/.x=1.y=-2.label=p"
    );
    assert_eq!(
        requests[1].target,
        "/matrix/;id=5/;ids=a,b%3Bc/;idsx=a;idsx=b%3Bc/;point=x,1,y,-2/;x=1;y=-2;label=p"
    );
}

#[tokio::test]
async fn path_values_that_would_be_dot_segments_or_empty_are_refused() {
    let server = Server::silent();
    let client = params_client(&server);
    // `.` in label style is `..` on the wire: a dot segment.
    let dot = [".".to_owned()];
    let result = bounded(client.path_label(&dot, &dot, &point(None), &point(None))).await;
    assert!(
        matches!(&result, Err(Error::InvalidRequest(m)) if m.contains("\"..\"")),
        "{result:?}"
    );
    // An empty array leaves nothing for a `simple` path parameter.
    let result = bounded(client.path_simple(&[], &point(None), &point(None), "n")).await;
    assert!(
        matches!(&result, Err(Error::InvalidRequest(m)) if m.contains("empty")),
        "{result:?}"
    );
    server.assert_nothing_received();
}

#[tokio::test]
async fn a_query_in_the_path_template_becomes_query_parameters() {
    let server = Server::start([Reply::new(204), Reply::new(204)]);
    let client = params_client(&server);
    bounded(client.search_in_path("repos", "rust lang"))
        .await
        .expect("204");
    let page = params::RidesInPathParams { page: Some(2) };
    bounded(client.rides_in_path("10", &page))
        .await
        .expect("204");
    let requests = server.finish();
    // `/search/{kind}?q={query}&format=json&pretty`
    assert_eq!(
        requests[0].target,
        "/search/repos?format=json&pretty&q=rust+lang"
    );
    // `/rides?page={page}&{per_page}=10`
    assert_eq!(requests[1].target, "/rides?per_page=10&page=2");
}

#[tokio::test]
async fn query_styles_exact_target() {
    let server = Server::start([Reply::new(204), Reply::new(204)]);
    let client = params_client(&server);
    let all = params::QueryStylesParams {
        csv: Some(vec!["a,b".into(), "c".into()]),
        point: Some(point(Some("é"))),
        point_csv: Some(point(None)),
        spaced: Some(vec![1, 2, 3]),
        piped: Some(vec!["x|y".into(), "z".into()]),
        filter: Some(params::types::QueryStylesFilter {
            status: Some("open now".into()),
            min_price: Some(9.5),
        }),
        labels: Some(BTreeMap::from([
            ("team".to_owned(), "core".to_owned()),
            ("env".to_owned(), "prod".to_owned()),
        ])),
        limit: Some(10),
        search: Some(point(None)),
    };
    let tags = ["t 1".to_owned(), "t&2".to_owned()];
    bounded(client.query_styles(&tags, &all))
        .await
        .expect("204");
    bounded(client.query_styles(&[], &Default::default()))
        .await
        .expect("204");
    let requests = server.finish();
    assert_eq!(requests[0].path(), "/query");
    let query: Vec<&str> = requests[0].query().expect("a query").split('&').collect();
    assert_eq!(
        query,
        [
            // form, exploded (the default): one pair per item
            "tags=t+1",
            "tags=t%262",
            // form, not exploded: comma-joined, commas in values encoded
            "csv=a%2Cb,c",
            // form, exploded object: the properties are the parameters
            "x=1",
            "y=-2",
            "label=%C3%A9",
            // form, not exploded object
            "pointCsv=x,1,y,-2",
            "spaced=1%202%203",
            "piped=x%7Cy|z",
            // deepObject, in property order
            "filter[status]=open+now",
            "filter[minPrice]=9.5",
            // deepObject of a map, in key order
            "labels[env]=prod",
            "labels[team]=core",
            "limit=10",
            // `content: application/json`: the JSON text
            "search=%7B%22x%22%3A1%2C%22y%22%3A-2%7D",
        ]
    );
    // An empty array, and no optional parameters: no query at all.
    assert_eq!(requests[1].target, "/query");
}

#[tokio::test]
async fn header_styles() {
    let server = Server::start([Reply::new(204)]);
    let client = params_client(&server);
    let request = one_request(
        server,
        client.header_styles(
            &[1, 2, 3],
            &params::HeaderStylesParams {
                x_point: Some(point(Some("a b"))),
                x_point_exploded: Some(point(None)),
                x_mode: Some(params::types::HeaderStylesXMode::Safe),
            },
        ),
    )
    .await;
    assert_eq!(request.header("x-ids"), Some("1,2,3"));
    assert_eq!(request.header("x-point"), Some("x,1,y,-2,label,a b"));
    assert_eq!(request.header("x-point-exploded"), Some("x=1,y=-2"));
    assert_eq!(request.header("x-mode"), Some("safe"));
}

#[tokio::test]
async fn header_values_with_crlf_are_refused_without_echo() {
    let server = Server::silent();
    let client = params_client(&server);
    let evil = params::types::HeaderStylesXMode::Other("fast\r\nX-Injected: SECRET".into());
    let result = bounded(client.header_styles(
        &[1],
        &params::HeaderStylesParams {
            x_mode: Some(evil),
            ..Default::default()
        },
    ))
    .await;
    let err = result.expect_err("refused");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("SECRET"));
    // The same through an array item, which goes through the style encoder.
    let point = params::types::Point {
        label: Some("a\nb".into()),
        ..point(None)
    };
    let result = bounded(client.header_styles(
        &[1],
        &params::HeaderStylesParams {
            x_point: Some(point),
            ..Default::default()
        },
    ))
    .await;
    assert!(
        matches!(result, Err(Error::InvalidRequest(_))),
        "{result:?}"
    );
    server.assert_nothing_received();
}

#[tokio::test]
async fn cookie_styles() {
    let server = Server::start([Reply::new(204)]);
    let client = params_client(&server);
    let request = one_request(
        server,
        client.cookie_styles(
            "s3ss",
            &params::CookieStylesParams {
                prefs: Some(vec!["dark".into(), "compact".into()]),
                ids: Some(vec![7, 8]),
                point: Some(point(None)),
            },
        ),
    )
    .await;
    assert_eq!(
        request.header("cookie"),
        Some("session=s3ss; prefs=dark,compact; ids=7; ids=8; x=1; y=-2")
    );
}

/// Default cookies and an operation's go in one `Cookie` header (`header`
/// asserts there is one); the operation's value wins over a default cookie of
/// the same name.
#[tokio::test]
async fn default_cookies_are_merged_with_the_operations() {
    let server = Server::start([Reply::new(204)]);
    let mut client = params_client(&server);
    client
        .core_mut()
        .set_default_header("Cookie", "lb=a7; session=old;  theme=x");
    let request = one_request(
        server,
        client.cookie_styles(
            "s3ss",
            &params::CookieStylesParams {
                ids: Some(vec![7, 8]),
                ..Default::default()
            },
        ),
    )
    .await;
    assert_eq!(
        request.header("cookie"),
        Some("lb=a7; theme=x; session=s3ss; ids=7; ids=8")
    );
}

#[tokio::test]
async fn cookie_values_with_semicolons_are_refused() {
    let server = Server::silent();
    let client = params_client(&server);
    let result = bounded(client.cookie_styles(
        "s",
        &params::CookieStylesParams {
            prefs: Some(vec!["a;b".into()]),
            ..Default::default()
        },
    ))
    .await;
    assert!(
        matches!(result, Err(Error::InvalidRequest(_))),
        "{result:?}"
    );
    server.assert_nothing_received();
}

#[tokio::test]
async fn operation_parameters_override_path_level_ones() {
    let server = Server::start([Reply::new(204), Reply::new(204)]);
    let client = params_client(&server);
    // GET overrides `id` (now an integer) and `X-Trace` (now required), and
    // adds a header `verbose` beside the path-level query `verbose`.
    bounded(client.overridden(
        42,
        "trace-1",
        &params::OverriddenParams {
            verbose: Some(true),
            verbose_2: Some(false),
        },
    ))
    .await
    .expect("204");
    // DELETE keeps the path-level ones.
    bounded(client.not_overridden(
        "a b",
        &params::NotOverriddenParams {
            x_trace: Some("trace-2".into()),
            verbose: Some(true),
        },
    ))
    .await
    .expect("204");
    let requests = server.finish();
    assert_eq!(requests[0].target, "/override/42?verbose=true");
    assert_eq!(requests[0].header("x-trace"), Some("trace-1"));
    assert_eq!(requests[0].header("verbose"), Some("false"));
    assert_eq!(requests[1].method, "DELETE");
    assert_eq!(requests[1].target, "/override/a%20b?verbose=true");
    assert_eq!(requests[1].header("x-trace"), Some("trace-2"));
    assert_eq!(requests[1].header("verbose"), None);
}

#[tokio::test]
async fn degraded_styles_are_sent_with_the_default() {
    let server = Server::start([Reply::new(204)]);
    let client = params_client(&server);
    let request = one_request(
        server,
        client.degraded(&params::DegradedParams {
            deep_list: Some(vec!["a".into(), "b".into()]),
            simple_in_query: Some(vec!["c".into(), "d".into()]),
            odd: Some("e".into()),
            reserved: Some("f/g?h#i".into()),
        }),
    )
    .await;
    assert_eq!(
        request.target,
        "/degraded?deepList=a&deepList=b&simpleInQuery=c&simpleInQuery=d&odd=e&reserved=f%2Fg%3Fh%23i"
    );
}

#[test]
fn server_url_from_variables() {
    use params::{Client, ServerRegion, ServerVariables};
    assert_eq!(
        Client::server_url(&ServerVariables::default()),
        Client::DEFAULT_BASE_URL
    );
    assert_eq!(Client::DEFAULT_BASE_URL, "https://eu.example.com/v1");
    let vars = ServerVariables {
        region: ServerRegion::ApSouth,
        version: "v2".into(),
    };
    assert_eq!(Client::server_url(&vars), "https://ap-south.example.com/v2");
    assert_eq!(ServerRegion::Us.to_string(), "us");
    let client = Client::new(Client::server_url(&vars));
    assert_eq!(client.base_url(), "https://ap-south.example.com/v2");

    use responses::{ServerPort, ServerVariables as PortVariables};
    assert_eq!(PortVariables::default().port, ServerPort::V8080);
    assert_eq!(
        responses::Client::DEFAULT_BASE_URL,
        "http://localhost:8080/api/prod"
    );
    assert_eq!(
        responses::Client::server_url(&PortVariables {
            port: ServerPort::V9090,
            stage: "dev".into(),
        }),
        "http://localhost:9090/api/dev"
    );
}

// ---------------------------------------------------------------------------
// Bodies
// ---------------------------------------------------------------------------

fn bodies_client(server: &Server) -> bodies::Client {
    bodies::Client::new(server.base_url())
}

#[tokio::test]
async fn json_body_is_sent_with_its_exact_media_type() {
    let server = Server::start([Reply::json(200, r#"{"displayName":"Ann"}"#)]);
    let client = bodies_client(&server);
    let body = bodies::types::Profile {
        display_name: Some("Ann".into()),
        bio: apigen_runtime::Nullable::Null,
    };
    let patched = bounded(client.merge_patch("me", &body)).await.expect("200");
    assert_eq!(patched.display_name.as_deref(), Some("Ann"));
    let request = server.finish_one();
    assert_eq!(request.method, "PATCH");
    assert_eq!(
        request.header("content-type"),
        Some("application/merge-patch+json")
    );
    assert_eq!(request.body_text(), r#"{"displayName":"Ann","bio":null}"#);
}

#[tokio::test]
async fn json_body_constraints_are_checked_before_sending() {
    let server = Server::silent();
    let client = bodies_client(&server);
    let body = bodies::types::Profile {
        display_name: Some(String::new()),
        ..Default::default()
    };
    let result = bounded(client.merge_patch("me", &body)).await;
    assert!(
        matches!(&result, Err(Error::InvalidRequest(m)) if m.contains("body.displayName")),
        "{result:?}"
    );
    server.assert_nothing_received();
}

#[tokio::test]
async fn form_body_with_encoding_styles() {
    let server = Server::start([Reply::new(204)]);
    let client = bodies_client(&server);
    let body = bodies::types::Signup {
        email: "a+b@example.com".into(),
        ids: vec![1, 2],
        tags: Some(vec!["x y".into(), "z".into()]),
        address: Some(bodies::types::SignupAddress {
            street: Some("1 Main St".into()),
            city: None,
        }),
        filter: Some(bodies::types::SignupFilter {
            kind: Some("new".into()),
            max: Some(3),
        }),
        newsletter: Some(false),
    };
    let request = one_request(server, client.signup(&body)).await;
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        request.body_text(),
        // `ids` has `explode: false`, `filter` is `deepObject`, `address`
        // (an object without an encoding) is its JSON text. Unlike in a
        // query, the delimiters are encoded like everything else.
        "email=a%2Bb%40example.com&ids=1%2C2&tags=x+y&tags=z\
         &address=%7B%22street%22%3A%221+Main+St%22%7D\
         &filter%5Bkind%5D=new&filter%5Bmax%5D=3&newsletter=false"
    );
}

/// The parts of a multipart body: (headers, content) each, after checking
/// the framing and that the boundary appears nowhere else.
fn multipart_parts(request: &Recorded) -> Vec<(String, Vec<u8>)> {
    let content_type = request.header("content-type").expect("a content type");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart: {content_type}"));
    let delimiter = format!("\r\n--{boundary}");
    let mut body = b"\r\n".to_vec();
    body.extend_from_slice(&request.body);
    let text = body.clone();
    let positions: Vec<usize> = text
        .windows(delimiter.len())
        .enumerate()
        .filter(|(_, w)| *w == delimiter.as_bytes())
        .map(|(i, _)| i)
        .collect();
    assert!(positions.len() >= 2, "no parts");
    assert_eq!(positions[0], 0, "the body starts with the boundary");
    let last = *positions.last().unwrap();
    assert_eq!(
        &text[last + delimiter.len()..],
        b"--\r\n",
        "the body ends with the closing delimiter"
    );
    positions
        .windows(2)
        .map(|w| {
            let part = &text[w[0] + delimiter.len()..w[1]];
            let part = part.strip_prefix(b"\r\n").expect("CRLF after the boundary");
            let split = part
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .expect("part headers end");
            (
                String::from_utf8(part[..split].to_vec()).expect("UTF-8 headers"),
                part[split + 4..].to_vec(),
            )
        })
        .collect()
}

/// Names that are only digits: the argument and the part are still sent
/// under their own names.
#[tokio::test]
async fn numbered_parameter_and_part() {
    let server = Server::start([Reply::new(204)]);
    let client = bodies_client(&server);
    let body = bodies::NumberedMultipart::new("one".into());
    assert_eq!(body._1, "one");
    bounded(client.numbered(5, &body)).await.expect("204");
    let request = server.finish_one();
    assert_eq!(request.query(), Some("00=5"));
    let parts = multipart_parts(&request);
    assert_eq!(
        parts,
        [(
            "Content-Disposition: form-data; name=\"1\"".to_owned(),
            b"one".to_vec()
        )]
    );
}

#[tokio::test]
async fn multipart_body_with_files() {
    let server = Server::start([Reply::new(201).with_header("Location", "/files/9")]);
    let client = bodies_client(&server);
    let png = b"\x89PNG\r\n\x1a\n\x00\xff".to_vec();
    let body = bodies::UploadMultipart {
        file: FilePart::new(png.clone()),
        thumbnails: Some(vec![
            FilePart::new(&b"t1"[..])
                .with_file_name("small \"1\".jpg")
                .with_content_type("image/jpeg"),
            FilePart::new(&b"t2"[..]),
        ]),
        signature: Some(FilePart::new(&b"\x00\x01\x02"[..])),
        description: "Holiday, day 1".into(),
        count: Some(2),
        tags: Some(vec!["sea".into(), "sun".into()]),
        meta: Some(bodies::types::Profile {
            display_name: Some("Ann".into()),
            ..Default::default()
        }),
    };
    let created = bounded(client.upload(&body)).await.expect("201");
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(created.headers()[LOCATION], "/files/9");
    let request = server.finish_one();
    assert_eq!(
        request.header("content-length"),
        Some(request.body.len().to_string().as_str())
    );
    let parts = multipart_parts(&request);
    let disposition = |name: &str| format!("Content-Disposition: form-data; name=\"{name}\"");
    let expected: Vec<(String, Vec<u8>)> = vec![
        (
            format!(
                "{}; filename=\"file\"\r\nContent-Type: image/png",
                disposition("file")
            ),
            png,
        ),
        (
            format!(
                "{}; filename=\"small %221%22.jpg\"\r\nContent-Type: image/jpeg",
                disposition("thumbnails")
            ),
            b"t1".to_vec(),
        ),
        (
            format!(
                "{}; filename=\"thumbnails\"\r\nContent-Type: application/octet-stream",
                disposition("thumbnails")
            ),
            b"t2".to_vec(),
        ),
        (
            format!(
                "{}; filename=\"signature\"\r\nContent-Type: application/octet-stream",
                disposition("signature")
            ),
            b"AAEC".to_vec(),
        ),
        (disposition("description"), b"Holiday, day 1".to_vec()),
        (disposition("count"), b"2".to_vec()),
        (disposition("tags"), b"sea".to_vec()),
        (disposition("tags"), b"sun".to_vec()),
        (
            format!("{}\r\nContent-Type: application/json", disposition("meta")),
            br#"{"displayName":"Ann"}"#.to_vec(),
        ),
    ];
    assert_eq!(parts, expected);
}

#[tokio::test]
async fn free_form_multipart_and_optional_bodies() {
    let server = Server::start([Reply::new(204), Reply::new(204)]);
    let client = bodies_client(&server);
    let body = BTreeMap::from([
        ("a".to_owned(), json!("text")),
        ("b".to_owned(), json!({"k": [1]})),
        ("c".to_owned(), json!(null)),
    ]);
    bounded(client.attach(Some(&body))).await.expect("204");
    bounded(client.attach(None)).await.expect("204");
    let requests = server.finish();
    let parts = multipart_parts(&requests[0]);
    assert_eq!(
        parts,
        vec![
            (
                "Content-Disposition: form-data; name=\"a\"".to_owned(),
                b"text".to_vec()
            ),
            (
                "Content-Disposition: form-data; name=\"b\"\r\nContent-Type: application/json"
                    .to_owned(),
                br#"{"k":[1]}"#.to_vec()
            ),
        ]
    );
    assert_eq!(requests[1].header("content-type"), None);
    assert!(requests[1].body.is_empty());
}

#[tokio::test]
async fn text_and_binary_bodies() {
    let server = Server::start([
        Reply::new(204),
        Reply::new(204),
        Reply::new(204),
        Reply::new(204),
        Reply::new(204),
    ]);
    let client = bodies_client(&server);
    bounded(client.add_note("héllo\nworld")).await.expect("204");
    bounded(client.put_report(Some("a,b\n1,2\n")))
        .await
        .expect("204");
    bounded(client.put_report(None)).await.expect("204");
    let blob = vec![0u8, 159, 146, 150, 255];
    bounded(client.put_blob("x.bin", blob.clone()))
        .await
        .expect("204");
    bounded(client.post_image(b"RIFF....WEBP".to_vec(), "image/webp"))
        .await
        .expect("204");
    let r = server.finish();
    assert_eq!(r[0].header("content-type"), Some("text/plain"));
    assert_eq!(r[0].body_text(), "héllo\nworld");
    assert_eq!(r[1].header("content-type"), Some("text/csv"));
    assert_eq!(r[1].body_text(), "a,b\n1,2\n");
    assert_eq!(r[2].header("content-type"), None);
    assert!(r[2].body.is_empty());
    assert_eq!(r[3].target, "/blobs/x.bin");
    assert_eq!(
        r[3].header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(r[3].body, blob);
    assert_eq!(r[4].header("content-type"), Some("image/webp"));
    assert_eq!(r[4].body, b"RIFF....WEBP");
}

#[tokio::test]
async fn a_media_type_range_needs_a_valid_content_type() {
    let server = Server::silent();
    let client = bodies_client(&server);
    let result = bounded(client.post_image(vec![1], "image/png\r\nX-Evil: 1")).await;
    assert!(
        matches!(result, Err(Error::InvalidRequest(_))),
        "{result:?}"
    );
    server.assert_nothing_received();
}

#[tokio::test]
async fn several_media_types_json_first_then_form() {
    let server = Server::start([Reply::new(204), Reply::new(204)]);
    let client = bodies_client(&server);
    let body = bodies::types::Profile {
        display_name: Some("Ann Lee".into()),
        ..Default::default()
    };
    bounded(client.choice(&body)).await.expect("204");
    bounded(client.choice_no_json(Some(&body)))
        .await
        .expect("204");
    let r = server.finish();
    assert_eq!(r[0].header("content-type"), Some("application/json"));
    assert_eq!(r[0].body_text(), r#"{"displayName":"Ann Lee"}"#);
    assert_eq!(
        r[1].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(r[1].body_text(), "displayName=Ann+Lee");
}

// ---------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------

fn responses_client(server: &Server) -> responses::Client {
    responses::Client::new(server.base_url())
}

#[tokio::test]
async fn text_responses() {
    let server = Server::start([
        Reply::new(200).with_body("text/markdown; charset=utf-8", "# Hi é\n"),
        Reply::text(404, "no readme here"),
        Reply::new(200).with_body("text/markdown", b"\xff\xfe".to_vec()),
    ]);
    let client = responses_client(&server);
    let readme = bounded(client.get_readme()).await.expect("200");
    assert_eq!(*readme, "# Hi é\n");
    assert_eq!(readme.into_inner(), "# Hi é\n");
    match bounded(client.get_readme()).await {
        Err(Error::Api {
            status,
            body: responses::GetReadmeError::NotFound(text),
            ..
        }) => {
            assert_eq!(status, StatusCode::NOT_FOUND);
            assert_eq!(text, "no readme here");
        }
        other => panic!("{other:?}"),
    }
    match bounded(client.get_readme()).await {
        Err(Error::Decode { body, .. }) => assert_eq!(&body[..], b"\xff\xfe"),
        other => panic!("{other:?}"),
    }
    server.finish();
}

#[tokio::test]
async fn binary_responses() {
    let pdf = b"%PDF-1.7\n\x00\xff\xfe".to_vec();
    let server = Server::start([
        Reply::new(200).with_body("application/pdf", pdf.clone()),
        Reply::new(415).with_body("application/octet-stream", b"\x01\x02".to_vec()),
        Reply::new(200).with_body("image/gif", b"GIF89a".to_vec()),
    ]);
    let client = responses_client(&server);
    let invoice = bounded(client.get_invoice()).await.expect("200");
    assert_eq!(&invoice[..], &pdf[..]);
    assert_eq!(invoice.headers()["content-type"], "application/pdf");
    match bounded(client.get_invoice()).await {
        Err(Error::Api {
            body: responses::GetInvoiceError::UnsupportedMediaType(bytes),
            ..
        }) => assert_eq!(&bytes[..], b"\x01\x02"),
        other => panic!("{other:?}"),
    }
    let anything = bounded(client.get_anything()).await.expect("200");
    assert_eq!(&anything[..], b"GIF89a");
    server.finish();
}

#[tokio::test]
async fn empty_responses_and_default_errors() {
    let server = Server::start([
        Reply::new(204).with_header("X-Request-Id", "req-1"),
        Reply::new(409).with_body(
            "application/problem+json",
            r#"{"title":"in use","status":409}"#,
        ),
        Reply::new(201).with_body("text/plain", "ignored"),
    ]);
    let client = responses_client(&server);
    let deleted = bounded(client.delete_item("i/1")).await.expect("204");
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(deleted.headers()["x-request-id"], "req-1");
    match bounded(client.delete_item("i/1")).await {
        Err(Error::Api {
            status,
            body: responses::DeleteItemError::Default(problem),
            ..
        }) => {
            assert_eq!(status, StatusCode::CONFLICT);
            assert_eq!(problem.title.as_deref(), Some("in use"));
        }
        other => panic!("{other:?}"),
    }
    // No documented response: any 2xx is an empty success.
    let fired = bounded(client.fire_and_forget()).await.expect("2xx");
    assert_eq!(fired.status(), StatusCode::CREATED);
    let r = server.finish();
    assert_eq!(r[0].target, "/items/i%2F1");
}

#[tokio::test]
async fn headers_of_a_success_are_readable() {
    let server = Server::start([Reply::new(200)
        .with_body(
            "application/vnd.api+json",
            r#"[{"id":"a"},{"id":"b","name":"B"}]"#,
        )
        .with_header("Link", "</items?page=2>; rel=\"next\"")
        .with_header("X-Rate-Limit-Remaining", "41")]);
    let client = responses_client(&server);
    let page = bounded(client.list_items()).await.expect("200");
    assert_eq!(page.len(), 2);
    assert_eq!(page[1].name.as_deref(), Some("B"));
    assert_eq!(page.headers()[LINK], "</items?page=2>; rel=\"next\"");
    let remaining: u32 = page.headers()["x-rate-limit-remaining"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(remaining, 41);
    let (items, status, headers) = page.into_parts();
    assert_eq!(items[0].id, "a");
    assert_eq!(status, StatusCode::OK);
    assert!(headers.contains_key(LINK));
    server.finish();
}

#[tokio::test]
async fn several_successes_and_ranges() {
    let server = Server::start([
        Reply::json(200, r#"{"id":"a"}"#),
        Reply::new(202)
            .with_header("Location", "/jobs/7")
            .with_header("Retry-After", "30"),
        Reply::text(206, "partly done"),
        Reply::new(503).with_header("Retry-After", "120"),
        Reply::json(418, "{}"),
    ]);
    let client = responses_client(&server);
    let item = responses::types::Item {
        id: "a".into(),
        name: None,
    };
    let ok = bounded(client.create_item(&item)).await.expect("200");
    assert_eq!(*ok, responses::CreateItemSuccess::Ok(item.clone()));
    let accepted = bounded(client.create_item(&item)).await.expect("202");
    assert_eq!(*accepted, responses::CreateItemSuccess::Accepted);
    assert_eq!(accepted.headers()[LOCATION], "/jobs/7");
    assert_eq!(accepted.headers()[RETRY_AFTER], "30");
    let other = bounded(client.create_item(&item)).await.expect("206");
    assert_eq!(other.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        other.into_inner(),
        responses::CreateItemSuccess::Success("partly done".into())
    );
    let err = bounded(client.create_item(&item)).await.expect_err("503");
    assert_eq!(
        err.api_body(),
        Some(&responses::CreateItemError::ServiceUnavailable)
    );
    assert_eq!(
        err.headers().map(|h| &h[RETRY_AFTER]),
        Some(&"120".parse().unwrap())
    );
    let err = bounded(client.create_item(&item)).await.expect_err("418");
    assert!(matches!(err, Error::UnexpectedStatus { .. }), "{err:?}");
    server.finish();
}

// ---------------------------------------------------------------------------
// Security schemes (fixtures/security.yaml)
// ---------------------------------------------------------------------------

const TOKEN: &str = "tok_S3CR3T";

fn security_client(server: &Server) -> security::Client {
    security::Client::new(server.base_url())
}

/// Asserts which credentials a request carried, and nothing else.
fn assert_credentials(r: &Recorded, authorization: Option<&str>, query: Option<&str>) {
    assert_eq!(r.header("authorization"), authorization, "{r:?}");
    assert_eq!(r.query(), query, "{r:?}");
    for other in ["x-api-key", "x-tenant", "cookie"] {
        assert_eq!(r.header(other), None, "{other} in {r:?}");
    }
}

#[tokio::test]
async fn security_bearer_default_and_per_operation_override() {
    let server = Server::start([Reply::new(204), Reply::new(204)]);
    // Every credential set: each operation sends only what it requires.
    let client = security_client(&server)
        .with_bearer(TOKEN)
        .with_header_key("hk")
        .with_tenant("t1")
        .with_session("sess");
    bounded(client.uses_default()).await.expect("204");
    bounded(client.public_thing()).await.expect("204");
    let r = server.finish();
    assert_credentials(&r[0], Some(&format!("Bearer {TOKEN}")), None);
    // `security: []` overrides the document's bearer requirement.
    assert_credentials(&r[1], None, None);
}

#[tokio::test]
async fn security_basic_or_query_key_alternatives() {
    let server = Server::start([Reply::new(204), Reply::new(204), Reply::new(204)]);
    let basic = security_client(&server).with_basic("ann", "pa:ss");
    let query = security_client(&server).with_query_key("k&1");
    let both = security_client(&server)
        .with_basic("ann", "pa:ss")
        .with_query_key("k&1")
        .with_bearer(TOKEN);
    bounded(basic.basic_or_query_key()).await.expect("204");
    bounded(query.basic_or_query_key()).await.expect("204");
    bounded(both.basic_or_query_key()).await.expect("204");
    let r = server.finish();
    // base64("ann:pa:ss")
    assert_credentials(&r[0], Some("Basic YW5uOnBhOnNz"), None);
    assert_credentials(&r[1], None, Some("api_key=k%261"));
    // The first satisfied alternative wins; the bearer is not required here.
    assert_credentials(&r[2], Some("Basic YW5uOnBhOnNz"), None);
}

#[tokio::test]
async fn security_two_keys_required_together() {
    let server = Server::start([Reply::new(204)]);
    let client = security_client(&server)
        .with_header_key("hk")
        .with_tenant("t1");
    bounded(client.key_and_tenant()).await.expect("204");
    let r = server.finish_one();
    assert_eq!(r.header("x-api-key"), Some("hk"));
    assert_eq!(r.header("x-tenant"), Some("t1"));
    assert_eq!(r.header("authorization"), None);

    let server = Server::silent();
    let half = security_client(&server).with_header_key("hk");
    match bounded(half.key_and_tenant()).await {
        Err(Error::MissingCredentials(m)) => assert_eq!(m, "X-API-Key + X-Tenant"),
        other => panic!("{other:?}"),
    }
    server.assert_nothing_received();
}

#[tokio::test]
async fn security_cookie_key() {
    let server = Server::start([Reply::new(204)]);
    let client = security_client(&server).with_session("s-1");
    bounded(client.cookie_session()).await.expect("204");
    let r = server.finish_one();
    assert_eq!(r.header("cookie"), Some("SESSION=s-1"));
    assert_eq!(r.header("authorization"), None);

    // With default cookies: one header, the credential replacing a default
    // cookie of its name.
    let server = Server::start([Reply::new(204)]);
    let mut client = security_client(&server).with_session("s-2");
    client
        .core_mut()
        .set_default_header("cookie", "SESSION=stale; lb=a7");
    bounded(client.cookie_session()).await.expect("204");
    let r = server.finish_one();
    assert_eq!(r.header("cookie"), Some("lb=a7; SESSION=s-2"));

    // Default cookies in several headers still go out as one.
    let server = Server::start([Reply::new(204)]);
    let mut client = security_client(&server);
    for cookie in ["a=1", "b=2; c=3"] {
        client.core_mut().default_headers_mut().append(
            apigen_runtime::reqwest::header::COOKIE,
            cookie.parse().unwrap(),
        );
    }
    bounded(client.public_thing()).await.expect("204");
    assert_eq!(server.finish_one().header("cookie"), Some("a=1; b=2; c=3"));
}

#[tokio::test]
async fn security_optional_and_missing() {
    let server = Server::start([Reply::new(204), Reply::new(204)]);
    let anonymous = security_client(&server);
    let with_token = security_client(&server).with_bearer(TOKEN);
    bounded(anonymous.optional_auth()).await.expect("204");
    bounded(with_token.optional_auth()).await.expect("204");
    let r = server.finish();
    assert_credentials(&r[0], None, None);
    assert_credentials(&r[1], Some(&format!("Bearer {TOKEN}")), None);

    let server = Server::silent();
    let client = security_client(&server).with_session("s");
    match bounded(client.uses_default()).await {
        Err(Error::MissingCredentials(m)) => assert_eq!(m, "bearer"),
        other => panic!("{other:?}"),
    }
    match bounded(client.basic_or_query_key()).await {
        Err(Error::MissingCredentials(m)) => assert_eq!(m, "basic or api_key"),
        other => panic!("{other:?}"),
    }
    server.assert_nothing_received();
}
