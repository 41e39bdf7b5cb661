//! The TLS backend of the clients that
//! [`ClientCore::http_client_builder`](crate::ClientCore::http_client_builder)
//! builds, chosen by cargo features:
//!
//! * `rustls-ring` (default): rustls with the *ring* crypto provider,
//!   trusting the operating system's certificates (rustls-platform-verifier,
//!   as reqwest's own default does), handed to reqwest as a ready
//!   `rustls::ClientConfig`;
//! * `rustls-aws-lc`: reqwest's own default, rustls with aws-lc-rs and the
//!   operating system's certificates (it wins when both features are on);
//! * neither: no TLS, `http://` only, unless the caller passes a client of
//!   its own to [`ClientCore::with_http_client`](crate::ClientCore::with_http_client).

/// Gives `builder` the TLS backend of the enabled features.
///
/// With `rustls-ring` alone, reqwest is built with `rustls-no-provider`: its
/// own rustls setup would panic in `build` for want of a crypto provider
/// (unless the program installed a process-wide one), so the builder gets a
/// complete configuration instead.
#[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc")))]
pub(crate) fn configure(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    match ring_config() {
        Ok(config) => builder.tls_backend_preconfigured(config),
        // Not expected: ring's provider supports the default protocol
        // versions. A value reqwest does not know as a TLS configuration
        // makes `build` return an error (reported by the first request),
        // where leaving reqwest to its own rustls setup would panic.
        Err(_) => builder.tls_backend_preconfigured(()),
    }
}

/// Gives `builder` the TLS backend of the enabled features: here reqwest's
/// own (`rustls-aws-lc`), or none at all.
#[cfg(not(all(feature = "rustls-ring", not(feature = "rustls-aws-lc"))))]
pub(crate) fn configure(builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
    builder
}

/// The rustls configuration of feature `rustls-ring`: what reqwest 0.13
/// builds by default, with *ring* in place of aws-lc-rs. TLS 1.2 and 1.3,
/// certificates verified against the operating system's trust store
/// (rustls-platform-verifier, which reqwest builds in any case: using it
/// rather than a compiled-in bundle costs no build time), no client
/// certificate, SNI on.
///
/// rustls 0.23.48 deprecates *ring*'s provider because *ring* has no
/// post-quantum key exchange (X25519MLKEM768): connections use classical
/// X25519 / ECDHE, as they did with reqwest 0.12. The trade-off is build
/// time (aws-lc-sys is the alternative, see the crate's features); the
/// README's "HTTP and TLS" says so.
#[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc")))]
#[allow(deprecated)]
fn ring_config() -> Result<rustls::ClientConfig, rustls::Error> {
    use std::sync::Arc;

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = rustls_platform_verifier::Verifier::new(provider.clone())?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    // reqwest sets ALPN on the configurations it builds, not on one handed to
    // it. Without its `http2` feature (left off) it offers HTTP/1.1 alone.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

#[cfg(all(test, feature = "rustls-ring", not(feature = "rustls-aws-lc")))]
mod tests {
    use super::*;

    #[test]
    fn ring_config_offers_http1() {
        let config = ring_config().expect("ring supports the default versions");
        assert_eq!(config.alpn_protocols, vec![b"http/1.1".to_vec()]);
        assert!(config.enable_sni);
    }

    #[test]
    fn configured_builder_builds() {
        // Would panic inside reqwest ("No rustls crypto provider") if the
        // preconfigured backend were not taken.
        configure(reqwest::Client::builder())
            .build()
            .expect("a client with ring");
    }
}
