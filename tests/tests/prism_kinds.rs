//! The parameter styles and body kinds of `fixtures/params.yaml` and
//! `fixtures/bodies.yaml`, sent by the generated clients to Prism
//! (`@stoplight/prism-cli`, run with `--errors`), which validates every
//! request against the fixture with its own implementation of OpenAPI's
//! styles and media types: a request it cannot parse or that breaks the
//! fixture is answered with 422, which fails the test with Prism's
//! explanation.
//!
//! `tests/requests.rs` pins the exact bytes; this checks that those bytes
//! mean what the fixture says to someone else. What Prism 5 cannot check
//! is left out: path parameters holding arrays or objects (its path
//! deserializer throws on them and the process dies), `spaceDelimited`
//! (it splits the decoded value on a literal `%20`), form properties
//! without an explicit `encoding.style` (it then reads every value as a
//! string, so an array never validates), and multipart arrays and JSON
//! parts (every part is read as a string, the last of a name winning).

use std::collections::BTreeMap;
use std::future::Future;
use std::time::Duration;

use apigen_runtime::Error;
use apigen_runtime::body::FilePart;
use apigen_tests::prism::Prism;
use apigen_tests::{bodies, params};

const CALL_LIMIT: Duration = Duration::from_secs(30);

/// Awaits one call and fails with Prism's answer and log unless it
/// succeeded.
async fn expect_ok<T: std::fmt::Debug, E: std::fmt::Debug>(
    prism: &Prism,
    what: &str,
    call: impl Future<Output = Result<T, Error<E>>>,
) {
    let mark = prism.log_len();
    let result = tokio::time::timeout(CALL_LIMIT, call)
        .await
        .expect("the call did not finish in time");
    if let Err(error) = result {
        let body = error
            .raw_body()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default();
        std::thread::sleep(Duration::from_millis(300));
        panic!(
            "{what}: Prism did not accept the request: {error}\n{body}\nPrism's log:\n{}",
            prism.log_since(mark)
        );
    }
}

fn point(label: Option<&str>) -> params::types::Point {
    params::types::Point {
        x: 3,
        y: 4,
        label: label.map(str::to_owned),
    }
}

#[tokio::test]
async fn parameter_styles_pass_prism_validation() {
    let Some(prism) = Prism::builder("tests/fixtures/params.yaml")
        .errors()
        .start()
    else {
        return;
    };
    let client = params::Client::new(prism.base_url());
    let all = params::QueryStylesParams {
        csv: Some(vec!["a".into(), "b".into()]),
        point: Some(point(Some("x y"))),
        point_csv: Some(point(None)),
        // Prism splits `spaceDelimited` values on a literal `%20` after
        // decoding them, so it can never read one.
        spaced: None,
        piped: Some(vec!["x".into(), "z".into()]),
        filter: Some(params::types::QueryStylesFilter {
            status: Some("open".into()),
            min_price: Some(9.5),
        }),
        labels: Some(BTreeMap::from([("env".to_owned(), "prod".to_owned())])),
        limit: Some(10),
        search: None,
    };
    let tags = ["t1".to_owned(), "t2".to_owned()];
    expect_ok(&prism, "query styles", client.query_styles(&tags, &all)).await;
    expect_ok(
        &prism,
        "header styles",
        client.header_styles(
            &[1, 2],
            &params::HeaderStylesParams {
                x_point: Some(point(None)),
                x_point_exploded: Some(point(Some("l"))),
                x_mode: Some(params::types::HeaderStylesXMode::Fast),
            },
        ),
    )
    .await;
    expect_ok(
        &prism,
        "cookie styles",
        client.cookie_styles(
            "s",
            &params::CookieStylesParams {
                prefs: Some(vec!["a".into(), "b".into()]),
                ..Default::default()
            },
        ),
    )
    .await;
    expect_ok(
        &prism,
        "overridden",
        client.overridden(
            7,
            "trace",
            &params::OverriddenParams {
                verbose: Some(true),
                verbose_2: Some(false),
            },
        ),
    )
    .await;

    // And Prism does reject what breaks the fixture: a path-level string
    // where the operation wants an integer.
    let raw = params::Client::new(prism.base_url());
    let result = tokio::time::timeout(CALL_LIMIT, raw.not_overridden("x", &Default::default()))
        .await
        .expect("in time");
    assert!(result.is_ok(), "DELETE keeps the string id: {result:?}");
    // The runtime's builder: with rustls-no-provider, reqwest's own
    // `Client::new()` panics for want of a crypto provider.
    let status = apigen_runtime::ClientCore::http_client_builder()
        .build()
        .expect("a reqwest client")
        .get(prism.url("/override/not-a-number"))
        .header("X-Trace", "t")
        .send()
        .await
        .expect("Prism answers")
        .status();
    assert_eq!(status.as_u16(), 422, "Prism must reject a non-integer id");
}

#[tokio::test]
async fn body_kinds_pass_prism_validation() {
    let Some(prism) = Prism::builder("tests/fixtures/bodies.yaml")
        .errors()
        .start()
    else {
        return;
    };
    let client = bodies::Client::new(prism.base_url());
    let profile = bodies::types::Profile {
        display_name: Some("Ann".into()),
        ..Default::default()
    };
    expect_ok(&prism, "form", async {
        client
            .signup(&bodies::types::Signup {
                email: "a@example.com".into(),
                ids: vec![1, 2],
                // No `encoding.style`: Prism would not read it as an array.
                tags: None,
                address: None,
                filter: Some(bodies::types::SignupFilter {
                    kind: Some("new".into()),
                    max: Some(3),
                }),
                newsletter: Some(true),
            })
            .await
    })
    .await;
    expect_ok(
        &prism,
        "multipart",
        // Prism reads every part as a string, last one winning, so arrays
        // and JSON parts cannot validate there.
        client.upload(&bodies::UploadMultipart {
            signature: Some(FilePart::new(&b"sig"[..])),
            count: Some(2),
            ..bodies::UploadMultipart::new(FilePart::new(&b"\x89PNG"[..]), "d".into())
        }),
    )
    .await;
    expect_ok(&prism, "text", client.add_note("hello")).await;
    expect_ok(&prism, "csv", client.put_report(Some("a,b\n"))).await;
    expect_ok(&prism, "bytes", client.put_blob("b", vec![0, 255])).await;
    expect_ok(&prism, "json", client.choice(&profile)).await;
}
