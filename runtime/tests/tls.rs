//! HTTPS through the TLS backend that the crate's features choose, against a
//! rustls server on loopback whose certificate no public root vouches for.

use apigen_runtime::reqwest::Method;
use apigen_runtime::{ClientCore, Error};

type E = serde_json::Value;

/// With a TLS feature: a rustls server on loopback (on *ring*, whose
/// provider rustls 0.23.48 deprecates for lacking post-quantum key
/// exchange: irrelevant to a test server).
#[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc"))]
#[allow(deprecated)]
mod https {
    use std::io::{Read, Write};
    use std::net::TcpListener;
    use std::sync::Arc;
    use std::thread::JoinHandle;

    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};

    use apigen_runtime::RetryPolicy;

    use super::*;

    /// A self-signed certificate for `localhost` and `127.0.0.1`, valid from
    /// 2000 to 2999, with its key: made for these tests and trusted nowhere
    /// else.
    const CERT: &str = include_str!("tls/localhost.crt.pem");
    const KEY: &str = include_str!("tls/localhost.key.pem");

    fn cert() -> CertificateDer<'static> {
        CertificateDer::from_pem_slice(CERT.as_bytes()).expect("the test certificate")
    }

    /// Serves one HTTPS connection on loopback with [`CERT`]: reads a request
    /// head and answers `200` with `{"ok":true}`. Returns the base URL and
    /// whether a request was read (false when the client gave up on the
    /// handshake).
    fn serve_once() -> (String, JoinHandle<bool>) {
        let key = PrivateKeyDer::from_pem_slice(KEY.as_bytes()).expect("the test key");
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("ring supports the default versions")
            .with_no_client_auth()
            .with_single_cert(vec![cert()], key)
            .expect("the test certificate and key match");
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!(
            "https://localhost:{}",
            listener.local_addr().expect("addr").port()
        );
        let handle = std::thread::spawn(move || {
            let (tcp, _) = listener.accept().expect("accept");
            let connection = rustls::ServerConnection::new(config).expect("a TLS connection");
            let mut tls = rustls::StreamOwned::new(connection, tcp);
            let mut head = Vec::new();
            let mut chunk = [0u8; 4096];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match tls.read(&mut chunk) {
                    Ok(0) | Err(_) => return false,
                    Ok(n) => head.extend_from_slice(&chunk[..n]),
                }
            }
            let body = r#"{"ok":true}"#;
            let reply = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            tls.write_all(reply.as_bytes()).expect("write the response");
            tls.conn.send_close_notify();
            tls.flush().ok();
            true
        });
        (base, handle)
    }

    /// Every error in `error`'s chain, outermost first, as text.
    fn chain(error: &dyn std::error::Error) -> String {
        let mut text = error.to_string();
        let mut source = error.source();
        while let Some(e) = source {
            text.push_str(" / ");
            text.push_str(&e.to_string());
            source = e.source();
        }
        text
    }

    /// The default client verifies certificates: it completes no handshake with
    /// a server whose certificate chains to none of the roots it trusts.
    #[tokio::test]
    async fn a_certificate_of_an_unknown_issuer_is_refused() {
        let (base, server) = serve_once();
        let mut core = ClientCore::new(base, &[]);
        // A failed handshake is a failed connection, which a GET retries:
        // the server would be gone by the second attempt.
        core.set_retry_policy(RetryPolicy::none());
        let err = core
            .request(Method::GET)
            .path("/x")
            .send::<E>()
            .await
            .expect_err("an untrusted certificate");
        assert!(matches!(err, Error::Transport(_)), "{err:?}");
        let text = chain(&err);
        // rustls's refusal (`UnknownIssuer`, or another reason when the
        // operating system's verifier tried its own roots first).
        assert!(text.contains("invalid peer certificate"), "{text}");
        assert!(!server.join().expect("server"), "no request went through");
    }

    /// With `rustls-ring`, a caller who needs other roots builds a configuration
    /// with the re-exported rustls and passes it through the builder.
    // The re-export comes with `rustls-ring` alone.
    #[cfg(feature = "rustls-ring")]
    #[tokio::test]
    async fn a_preconfigured_client_with_its_own_roots_speaks_https() {
        use apigen_runtime::rustls as tls;

        let (base, server) = serve_once();
        let mut roots = tls::RootCertStore::empty();
        roots.add(cert()).expect("a root");
        let config = tls::ClientConfig::builder_with_provider(Arc::new(
            tls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("ring supports the default versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
        let http = ClientCore::http_client_builder()
            .tls_backend_preconfigured(config)
            .build()
            .expect("a client");
        let core = ClientCore::new(base, &[]).with_http_client(http);
        let response = core
            .request(Method::GET)
            .path("/x")
            .send::<E>()
            .await
            .expect("a response over TLS");
        assert_eq!(response.status(), 200);
        let value: serde_json::Value = response.json::<_, E>().expect("json");
        assert_eq!(value, serde_json::json!({"ok": true}));
        assert!(server.join().expect("server"), "the request was read");
    }
}

/// Without a TLS feature the runtime still builds its client: an `https://`
/// request fails as a transport error instead of panicking, and `http://`
/// works (the other tests of this directory).
#[cfg(not(any(feature = "rustls-ring", feature = "rustls-aws-lc")))]
#[tokio::test]
async fn without_tls_https_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let core = ClientCore::new(format!("https://localhost:{port}"), &[]);
    let err = core
        .request(Method::GET)
        .path("/x")
        .send::<E>()
        .await
        .expect_err("no TLS");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}
