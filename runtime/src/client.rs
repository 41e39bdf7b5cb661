//! The HTTP layer used by generated clients: [`ClientCore`], [`Request`] and
//! [`Response`].

use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, HeaderMap, HeaderName,
    HeaderValue, USER_AGENT,
};
use reqwest::{Method, StatusCode, Url};

use crate::error::Error;
use crate::hooks::{Call, Hook};
use crate::oauth2::{TokenRequest, TokenSource};
use crate::redirect::{Hop, MAX_REDIRECTS};
use crate::retry::RetryPolicy;
use crate::secret::Secret;
use crate::stream::StreamingResponse;
use crate::upload::Upload;

/// Bytes left as they are in a path parameter: RFC 3986 "unreserved"
/// characters. Everything else, including `/`, `?`, `#` and `%`, is
/// percent-encoded.
const PATH_PARAM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The `User-Agent` sent unless the caller sets another.
const DEFAULT_USER_AGENT: &str = concat!("apigen-runtime/", env!("CARGO_PKG_VERSION"));

/// How an API authenticates requests: one OpenAPI security scheme.
///
/// A generated client declares its schemes as a `&'static [SecurityScheme]`;
/// credentials and security requirements refer to schemes by their index in
/// that slice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecurityScheme {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic base64(user:password)`.
    Basic,
    /// An API key sent in the header with this name.
    ApiKeyHeader(&'static str),
    /// An API key sent in the query parameter with this name.
    ApiKeyQuery(&'static str),
    /// An API key sent as the cookie with this name (`Cookie: name=value`).
    ApiKeyCookie(&'static str),
}

impl SecurityScheme {
    /// A short name for messages: `bearer`, `basic` or the API key's name.
    fn label(&self) -> &'static str {
        match self {
            SecurityScheme::Bearer => "bearer",
            SecurityScheme::Basic => "basic",
            SecurityScheme::ApiKeyHeader(name)
            | SecurityScheme::ApiKeyQuery(name)
            | SecurityScheme::ApiKeyCookie(name) => name,
        }
    }
}

/// A credential for one security scheme.
#[derive(Clone)]
enum Credential {
    /// A bearer token or API key.
    Token(Secret),
    /// A user name and password for HTTP Basic authentication.
    Basic { user: String, password: Secret },
    /// Bearer tokens asked of a source before each request (see
    /// [`crate::oauth2`]).
    Source(Arc<dyn TokenSource>),
}

/// The shared state of a generated client: HTTP client, base URL, security
/// schemes, credentials, default headers, timeout and retry policy.
///
/// Generated clients wrap a `ClientCore` and build each operation with
/// [`ClientCore::request`].
///
/// `Debug` output shows the base URL (with any password in it masked), which
/// credentials are set (never their values), the names of the default
/// headers (never their values), the timeout and the retry policy.
#[derive(Clone)]
pub struct ClientCore {
    /// `None` if building the default client failed; the error is reported
    /// when a request is sent.
    http: Option<reqwest::Client>,
    base_url: String,
    schemes: &'static [SecurityScheme],
    credentials: Vec<Option<Credential>>,
    default_headers: HeaderMap,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    max_response_bytes: Option<u64>,
    /// (server URL of the API description, URL to use instead), for
    /// operations served from their own servers.
    server_overrides: Vec<(String, String)>,
    /// A problem with the client's settings: the name of an invalid default
    /// header and what is wrong, reported by every [`Request::send`] without
    /// sending anything.
    problem: Option<(String, String)>,
    /// Run on every request and response (see [`crate::hooks`]).
    hooks: Vec<Arc<dyn Hook>>,
}

impl ClientCore {
    /// Creates a client for the API at `base_url` (a trailing `/` is
    /// removed) that supports the given security `schemes`.
    ///
    /// The HTTP client comes from [`ClientCore::http_client_builder`]. This
    /// never panics: if the HTTP client cannot be built (for example if TLS
    /// cannot be initialised), the error is reported by the first
    /// [`Request::send`].
    pub fn new(base_url: impl Into<String>, schemes: &'static [SecurityScheme]) -> Self {
        let mut default_headers = HeaderMap::new();
        default_headers.insert(USER_AGENT, HeaderValue::from_static(DEFAULT_USER_AGENT));
        ClientCore {
            http: Self::http_client_builder().build().ok(),
            base_url: trim_base_url(base_url.into()),
            schemes,
            credentials: vec![None; schemes.len()],
            default_headers,
            timeout: None,
            retry: RetryPolicy::default(),
            max_response_bytes: None,
            server_overrides: Vec::new(),
            problem: None,
            hooks: Vec::new(),
        }
    }

    /// A `reqwest` client builder with the settings [`ClientCore::new`] uses.
    ///
    /// It follows no redirect itself: [`Request::send`] follows them (at
    /// most 10), keeping credentials on the API's origin and sending none of
    /// them anywhere else (see [`crate::redirect`]). Start from this builder
    /// when you need your own timeouts or proxies, then pass the client to
    /// [`ClientCore::with_http_client`].
    ///
    /// Its TLS comes from this crate's features:
    ///
    /// * `rustls-ring` (default): rustls with the *ring* crypto provider,
    ///   trusting the operating system's certificates
    ///   (rustls-platform-verifier), offering HTTP/1.1 only. The builder carries a complete `rustls::ClientConfig`,
    ///   so reqwest's own TLS settings (`tls_certs_merge`, `identity`,
    ///   `tls_version_min`, `tls_danger_accept_invalid_certs`, …) do not apply
    ///   to it. For other roots, a client certificate or HTTP/2, build a
    ///   config with the re-exported [`rustls`](crate::rustls) and pass it to
    ///   `tls_backend_preconfigured`; or install a process-wide provider
    ///   (`rustls::crypto::ring::default_provider().install_default()`) and
    ///   call `tls_backend_rustls()`, which makes reqwest build its own
    ///   configuration from those settings.
    /// * `rustls-aws-lc`: reqwest's own rustls setup (aws-lc-rs, the
    ///   operating system's certificates); reqwest's TLS settings apply.
    /// * neither: no TLS; `https://` requests fail with
    ///   [`Error::Transport`].
    pub fn http_client_builder() -> reqwest::ClientBuilder {
        crate::tls::configure(
            reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()),
        )
    }

    /// Uses `client` to send requests.
    ///
    /// Build `client` from [`ClientCore::http_client_builder`]: a client
    /// that follows redirects itself (`reqwest`'s default does) forwards
    /// custom headers, API keys among them, to whichever host a server
    /// redirects to, before this crate sees the redirect.
    pub fn with_http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Sends the operations that the API description serves from
    /// `spec_url` (an operation's or path's own `servers`) to `url` instead
    /// (a trailing `/` is removed): a test server, a proxy, another
    /// deployment. Operations without servers of their own use the base
    /// URL.
    pub fn set_server_override(&mut self, spec_url: &str, url: impl Into<String>) {
        let spec_url = spec_url.trim_end_matches('/');
        let url = trim_base_url(url.into());
        match self
            .server_overrides
            .iter_mut()
            .find(|(from, _)| from == spec_url)
        {
            Some((_, to)) => *to = url,
            None => self.server_overrides.push((spec_url.to_owned(), url)),
        }
    }

    /// The URL the operations served from `spec_url` are sent to: its
    /// override, else `spec_url` itself; a relative `spec_url` (`/v2`) is
    /// resolved against the base URL.
    fn server_url(&self, spec_url: &str) -> String {
        let spec_url = spec_url.trim_end_matches('/');
        if let Some((_, to)) = self
            .server_overrides
            .iter()
            .find(|(from, _)| from == spec_url)
        {
            return to.clone();
        }
        if Url::parse(spec_url).is_err() {
            let base = format!("{}/", self.base_url);
            if let Ok(joined) = Url::parse(&base).and_then(|b| b.join(spec_url)) {
                return trim_base_url(joined.into());
            }
        }
        spec_url.to_owned()
    }

    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Sets the base URL (a trailing `/` is removed).
    pub fn set_base_url(&mut self, url: impl Into<String>) {
        self.base_url = trim_base_url(url.into());
    }

    /// Headers sent with every request. A header set by an operation replaces
    /// a default header of the same name, and credentials replace both;
    /// cookies are the exception: all go in one `Cookie` header, the default
    /// ones first, less those the operation or a credential sets.
    ///
    /// Initially this holds `User-Agent: apigen-runtime/<version>`.
    pub fn default_headers_mut(&mut self) -> &mut HeaderMap {
        &mut self.default_headers
    }

    /// Sets a header sent with every request (replacing a default header of
    /// the same name).
    ///
    /// An invalid name or value (one containing CR, LF or another control
    /// character) is not stored; instead every request fails with
    /// [`Error::InvalidRequest`] naming the header (never its value) until
    /// the header is set again correctly. Values are marked sensitive, so
    /// `reqwest` and HTTP/2 header compression treat them as secrets.
    pub fn set_default_header(&mut self, name: &str, value: &str) {
        let Ok(header_name) = HeaderName::from_bytes(name.as_bytes()) else {
            self.problem = Some((
                name.to_owned(),
                format!("{name:?} is not a valid header name"),
            ));
            return;
        };
        match HeaderValue::from_str(value) {
            Ok(value) => {
                self.default_headers.insert(header_name, sensitive(value));
                if self
                    .problem
                    .as_ref()
                    .is_some_and(|(bad, _)| bad.eq_ignore_ascii_case(name))
                {
                    self.problem = None;
                }
            }
            Err(_) => {
                self.problem = Some((
                    name.to_owned(),
                    format!(
                        "the value of default header `{name}` contains a control character (such as CR or LF)"
                    ),
                ));
            }
        }
    }

    /// Sets the `User-Agent` header sent with every request (see
    /// [`ClientCore::set_default_header`] for invalid values).
    pub fn set_user_agent(&mut self, user_agent: &str) {
        self.set_default_header(USER_AGENT.as_str(), user_agent);
    }

    /// Sets how long one attempt of a request may take, from sending until
    /// the whole response body is read; `None` (the default) means no limit
    /// beyond the HTTP client's own. A request that runs out of time fails
    /// with [`Error::Timeout`] and is not retried.
    pub fn set_timeout(&mut self, timeout: Option<Duration>) {
        self.timeout = timeout;
    }

    /// The per-attempt timeout, if any.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// Sets when failed requests are retried (see [`RetryPolicy`]).
    pub fn set_retry_policy(&mut self, policy: RetryPolicy) {
        self.retry = policy;
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Limits the size of a response body: a longer body fails with
    /// [`Error::ResponseTooLarge`] as soon as the limit is passed, without
    /// reading the rest. `None` (the default) means no limit.
    pub fn set_max_response_bytes(&mut self, limit: Option<u64>) {
        self.max_response_bytes = limit;
    }

    /// Sets the token for the bearer or API key scheme at index `scheme`.
    ///
    /// An out-of-range index, or a scheme that is not bearer or API key, is
    /// a bug in the caller: it is ignored (and asserts in debug builds).
    pub fn set_token(&mut self, scheme: usize, token: impl Into<String>) {
        let fits = matches!(self.schemes.get(scheme), Some(s) if *s != SecurityScheme::Basic);
        debug_assert!(fits, "scheme {scheme} is not a bearer or API key scheme");
        if let (true, Some(slot)) = (fits, self.credentials.get_mut(scheme)) {
            *slot = Some(Credential::Token(Secret::new(token)));
        }
    }

    /// Sets the user name and password for the HTTP Basic scheme at index
    /// `scheme`.
    ///
    /// An out-of-range index, or a scheme that is not Basic, is a bug in the
    /// caller: it is ignored (and asserts in debug builds).
    pub fn set_basic(
        &mut self,
        scheme: usize,
        user: impl Into<String>,
        password: impl Into<String>,
    ) {
        let fits = self.schemes.get(scheme) == Some(&SecurityScheme::Basic);
        debug_assert!(fits, "scheme {scheme} is not an HTTP Basic scheme");
        if let (true, Some(slot)) = (fits, self.credentials.get_mut(scheme)) {
            *slot = Some(Credential::Basic {
                user: user.into(),
                password: Secret::new(password),
            });
        }
    }

    /// Gets the bearer tokens of the scheme at index `scheme` (an OAuth 2 or
    /// OpenID Connect scheme, or any bearer scheme) from `source`, asked
    /// before each request that needs them (see [`crate::oauth2`]). A
    /// response `401 Unauthorized` to a request carrying one of its tokens
    /// invalidates the token, and the request is sent once more with a new
    /// one (unless its body was read as it was sent).
    ///
    /// An out-of-range index, or a scheme that is not bearer, is a bug in
    /// the caller: it is ignored (and asserts in debug builds).
    pub fn set_token_source(&mut self, scheme: usize, source: impl TokenSource) {
        let fits = self.schemes.get(scheme) == Some(&SecurityScheme::Bearer);
        debug_assert!(fits, "scheme {scheme} is not a bearer scheme");
        if let (true, Some(slot)) = (fits, self.credentials.get_mut(scheme)) {
            *slot = Some(Credential::Source(Arc::new(source)));
        }
    }

    /// Adds a hook, run on every request the client sends and every
    /// response it gets, after the hooks added before it (see
    /// [`crate::hooks`]).
    pub fn add_hook(&mut self, hook: impl Hook) {
        self.hooks.push(Arc::new(hook));
    }

    /// Removes the credential for the scheme at index `scheme`, if any.
    pub fn clear_credential(&mut self, scheme: usize) {
        if let Some(slot) = self.credentials.get_mut(scheme) {
            *slot = None;
        }
    }

    /// Whether a credential is set for the scheme at index `scheme`.
    pub fn has_credential(&self, scheme: usize) -> bool {
        matches!(self.credentials.get(scheme), Some(Some(_)))
    }

    /// Starts building a request with the given method.
    pub fn request(&self, method: Method) -> Request<'_> {
        Request {
            core: self,
            method,
            path: String::new(),
            query: String::new(),
            headers: HeaderMap::new(),
            body: None,
            upload: None,
            auth: &[],
            scopes: Vec::new(),
            operation: "",
            template: "",
            server: None,
            accept: None,
            page_url: None,
            problem: None,
        }
    }

    /// Starts a request with a method that has no [`Method`] constant
    /// (`QUERY`, `COPY`), sent with the capitalization given. A name that is
    /// not an HTTP method token fails the request with
    /// [`Error::InvalidRequest`] when it is sent.
    pub fn request_named(&self, method: &str) -> Request<'_> {
        match Method::from_bytes(method.as_bytes()) {
            Ok(m) => self.request(m),
            Err(_) => self
                .request(Method::GET)
                .fail(|| format!("{method:?} is not an HTTP method")),
        }
    }

    /// Sends `hop` until a response arrives, retrying as the retry policy
    /// allows. A `POST`, `PUT` or `PATCH` without a body is sent with
    /// `Content-Length: 0`, which some servers require (`411` otherwise).
    async fn attempts(
        &self,
        http: &reqwest::Client,
        hop: &Hop,
        secret_in_url: bool,
        upload: Option<Upload>,
        call: &mut CallState,
    ) -> Result<reqwest::Response, Error<Infallible>> {
        let hide_url = secret_in_url || hop.left_origin;
        let new_request = || {
            let mut builder = http
                .request(hop.method.clone(), hop.url.clone())
                .headers(hop.headers.clone());
            if let Some(timeout) = self.timeout {
                builder = builder.timeout(timeout);
            }
            builder
        };
        if let Some(upload) = upload {
            // Read as it is sent: one attempt, no retry.
            let request = new_request()
                .body(upload.into_reqwest())
                .build()
                .map_err(|e| transport(e, hide_url))?;
            return self
                .send_one(http, request, call)
                .await?
                .map_err(|e| transport(e, hide_url));
        }
        let retryable = self.retry.applies_to(&hop.method, &hop.headers);
        let body = match &hop.body {
            Some(body) => Some(body.clone()),
            None if matches!(hop.method, Method::POST | Method::PUT | Method::PATCH) => {
                Some(Bytes::new())
            }
            None => None,
        };
        let mut attempt: u32 = 1;
        loop {
            let mut builder = new_request();
            if let Some(body) = &body {
                if body.is_empty() {
                    builder = builder.header(CONTENT_LENGTH, HeaderValue::from_static("0"));
                }
                builder = builder.body(body.clone());
            }
            let request = builder.build().map_err(|e| transport(e, hide_url))?;
            let outcome = self.send_one(http, request, call).await?;
            let wait = match &outcome {
                _ if !retryable => None,
                Ok(response) => self
                    .retry
                    .delay_after_response(attempt, response.status(), response.headers())
                    .inspect(|wait| {
                        crate::trace::retry(
                            &call.span,
                            attempt,
                            &response.status().to_string(),
                            *wait,
                        );
                    }),
                Err(e) if connection_failed(e) => {
                    self.retry.delay_after_failure(attempt).inspect(|wait| {
                        crate::trace::retry(&call.span, attempt, "connection failed", *wait)
                    })
                }
                Err(_) => None,
            };
            match wait {
                Some(wait) => {
                    drop(outcome);
                    if !wait.is_zero() {
                        tokio::time::sleep(wait).await;
                    }
                    attempt += 1;
                }
                None => return outcome.map_err(|e| transport(e, hide_url)),
            }
        }
    }

    /// Sends one request, through the hooks: the outer `Err` is a hook
    /// failing it, the inner result the transport's.
    async fn send_one(
        &self,
        http: &reqwest::Client,
        mut request: reqwest::Request,
        call: &mut CallState,
    ) -> Result<Result<reqwest::Response, reqwest::Error>, Error<Infallible>> {
        call.sent += 1;
        let info = Call::new(call.operation, call.template, call.sent);
        let mut answered = None;
        for hook in &self.hooks {
            match hook.before_send(&info, &mut request) {
                Ok(crate::hooks::Action::Send) => {}
                Ok(crate::hooks::Action::Respond(response)) => {
                    answered = Some(reqwest::Response::from(response));
                    break;
                }
                Err(source) => {
                    return Err(Error::Hook {
                        operation: call.operation.to_owned(),
                        source,
                    });
                }
            }
        }
        let outcome = match answered {
            Some(response) => Ok(response),
            None => http.execute(request).await,
        };
        for hook in &self.hooks {
            match &outcome {
                Ok(response) => hook.after_response(&info, response),
                Err(e) => hook.after_error(&info, e),
            }
        }
        Ok(outcome)
    }

    /// The access tokens of the `chosen` schemes whose credential is a
    /// [`TokenSource`], asked for with the request's `scopes`.
    async fn tokens(
        &self,
        http: &reqwest::Client,
        chosen: &[usize],
        scopes: &[(usize, &'static [&'static str])],
    ) -> Result<Vec<(usize, Secret)>, Error<Infallible>> {
        let mut tokens = Vec::new();
        for &index in chosen {
            if let Some(Credential::Source(source)) = self.credential(index) {
                let wanted = scopes
                    .iter()
                    .find(|(i, _)| *i == index)
                    .map_or(&[][..], |(_, s)| *s);
                let request = TokenRequest::new(wanted, http, &self.base_url);
                tokens.push((index, source.token(request).await?));
            }
        }
        Ok(tokens)
    }

    fn credential(&self, scheme: usize) -> Option<&Credential> {
        self.credentials.get(scheme).and_then(Option::as_ref)
    }

    fn label(&self, scheme: usize) -> String {
        match self.schemes.get(scheme) {
            Some(s) => s.label().to_owned(),
            None => format!("scheme #{scheme}"),
        }
    }

    /// Chooses the security requirement to apply: the first alternative
    /// whose credentials are all set, else anonymous if allowed.
    fn choose_auth<E>(
        &self,
        alternatives: &'static [&'static [usize]],
    ) -> Result<&'static [usize], Error<E>> {
        if alternatives.is_empty() {
            return Ok(&[]);
        }
        let satisfied = alternatives
            .iter()
            .find(|alt| !alt.is_empty() && alt.iter().all(|&i| self.has_credential(i)));
        if let Some(alt) = satisfied {
            return Ok(alt);
        }
        if alternatives.iter().any(|alt| alt.is_empty()) {
            return Ok(&[]);
        }
        let needed: Vec<String> = alternatives
            .iter()
            .map(|alt| {
                alt.iter()
                    .map(|&i| self.label(i))
                    .collect::<Vec<_>>()
                    .join(" + ")
            })
            .collect();
        Err(Error::MissingCredentials(needed.join(" or ")))
    }
}

impl fmt::Debug for ClientCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Credentials<'a>(&'a ClientCore);
        impl fmt::Debug for Credentials<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let core = self.0;
                f.debug_map()
                    .entries(core.schemes.iter().enumerate().map(|(i, s)| {
                        let state = if core.has_credential(i) {
                            "set"
                        } else {
                            "unset"
                        };
                        (s.label(), state)
                    }))
                    .finish()
            }
        }
        struct Names<'a>(&'a HeaderMap);
        impl fmt::Debug for Names<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_list().entries(self.0.keys()).finish()
            }
        }
        f.debug_struct("ClientCore")
            .field("base_url", &redact_url(&self.base_url))
            .field("credentials", &Credentials(self))
            .field("default_headers", &Names(&self.default_headers))
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .field(
                "server_overrides",
                &self
                    .server_overrides
                    .iter()
                    .map(|(from, to)| (from.as_str(), redact_url(to)))
                    .collect::<Vec<_>>(),
            )
            .field("http_client_ok", &self.http.is_some())
            .finish()
    }
}

fn trim_base_url(mut url: String) -> String {
    let trimmed = url.trim_end_matches('/').len();
    url.truncate(trimmed);
    url
}

/// The URL with any password masked, for `Debug` output.
fn redact_url(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            // Cannot fail: the URL has a password, so it can have one.
            let _ = parsed.set_password(Some("***"));
            trim_base_url(parsed.into())
        }
        _ => url.to_owned(),
    }
}

use crate::param::form_encode;

fn append_query_pair(query: &mut String, name: &str, value: &str) {
    if !query.is_empty() {
        query.push('&');
    }
    form_encode(query, name);
    query.push('=');
    form_encode(query, value);
}

fn sensitive(mut value: HeaderValue) -> HeaderValue {
    value.set_sensitive(true);
    value
}

/// A transport failure as an [`Error`] (a timeout or another failure),
/// without the URL when it may carry a secret: an API key, a password, or
/// the signature of a storage URL a redirect led to.
fn transport(e: reqwest::Error, hide_url: bool) -> Error<Infallible> {
    Error::from(if hide_url { e.without_url() } else { e })
}

/// How a path parameter may be laid out (see [`Request::path_param_with`]).
/// `PathParam::default()` is one non-empty segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PathParam {
    /// The value may hold `/`, kept as a separator between segments that
    /// are each percent-encoded (`x-multi-segment: true`, or
    /// `allowReserved: true` on a path parameter): file paths, git ref names.
    pub keep_slashes: bool,
    /// The value may be empty: the parameter is a multi-segment one and the
    /// whole last segment of the path template (`/contents/{path}`), where
    /// `""` asks for the parent (`/contents/`, the root of a repository).
    pub may_be_empty: bool,
}

/// A request being built. Created by [`ClientCore::request`], sent with
/// [`Request::send`].
///
/// The builder methods never fail: the first problem (an unsafe path
/// parameter, an invalid header value, a body that cannot be serialised) is
/// recorded and returned by [`Request::send`] as [`Error::InvalidRequest`],
/// without sending anything.
pub struct Request<'a> {
    core: &'a ClientCore,
    method: Method,
    path: String,
    query: String,
    headers: HeaderMap,
    body: Option<Bytes>,
    /// A body read as it is sent (see [`crate::upload`]).
    upload: Option<Upload>,
    auth: &'static [&'static [usize]],
    /// The OAuth scopes the operation requires, by scheme.
    scopes: Vec<(usize, &'static [&'static str])>,
    /// The `operationId` and path template, for hooks and tracing.
    operation: &'static str,
    template: &'static str,
    server: Option<&'static str>,
    accept: Option<&'static str>,
    page_url: Option<String>,
    problem: Option<String>,
}

impl fmt::Debug for Request<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("header_names", &self.headers.keys().collect::<Vec<_>>())
            .field("body_len", &self.body.as_ref().map(Bytes::len))
            .field("problem", &self.problem)
            .finish_non_exhaustive()
    }
}

impl<'a> Request<'a> {
    fn fail(mut self, problem: impl FnOnce() -> String) -> Self {
        if self.problem.is_none() {
            self.problem = Some(problem());
        }
        self
    }

    /// Appends a literal piece of the path template (such as `"/users/"`)
    /// verbatim.
    pub fn path(mut self, literal: &str) -> Self {
        self.path.push_str(literal);
        self
    }

    /// Appends a path parameter, percent-encoding every byte except ASCII
    /// letters, digits, `-`, `.`, `_` and `~`, so the value can never change
    /// the structure of the path.
    ///
    /// An empty value, `.` and `..` are refused ([`Error::InvalidRequest`]):
    /// URL parsers treat `.` and `..` (even encoded) as dot segments, so they
    /// cannot be sent as a parameter value. [`Request::path_param_with`]
    /// allows `/` and empty values where the API description does.
    pub fn path_param(self, value: &dyn fmt::Display) -> Self {
        self.path_param_with(value, PathParam::default())
    }

    /// Appends a path parameter laid out as `rules` allow: like
    /// [`Request::path_param`], but a value may hold `/` (each segment
    /// between them is percent-encoded on its own, and none may be empty,
    /// `.` or `..`) or be empty.
    pub fn path_param_with(mut self, value: &dyn fmt::Display, rules: PathParam) -> Self {
        if self.problem.is_some() {
            return self;
        }
        let value = value.to_string();
        if value.is_empty() {
            return if rules.may_be_empty {
                self
            } else {
                self.fail(|| "a path parameter is empty".to_owned())
            };
        }
        let mut segments = value.split('/');
        let segments: &mut dyn Iterator<Item = &str> = if rules.keep_slashes {
            &mut segments
        } else {
            &mut std::iter::once(value.as_str())
        };
        for (i, segment) in segments.enumerate() {
            match segment {
                "" => return self.fail(|| "a path parameter has an empty segment".to_owned()),
                "." | ".." => {
                    return self.fail(|| {
                        format!(
                            "a path parameter is {segment:?}, which cannot be sent safely in a URL path"
                        )
                    });
                }
                _ => {
                    if i > 0 {
                        self.path.push('/');
                    }
                    self.path.extend(utf8_percent_encode(segment, PATH_PARAM));
                }
            }
        }
        self
    }

    /// Sends the request to this server of the API description (an
    /// operation's or path's own `servers`) instead of the base URL, unless
    /// [`ClientCore::set_server_override`] names another URL for it.
    pub fn server(mut self, spec_url: &'static str) -> Self {
        self.server = Some(spec_url);
        self
    }

    /// Sends the request to `url`, the next page of a paginated list (a
    /// `Link: <…>; rel="next"` target or a next-page URL a response gave),
    /// instead of the path and query built so far; headers and credentials
    /// are kept. A relative `url` is resolved against the request's URL, and
    /// one on another origin than the API's is refused
    /// ([`Error::InvalidRequest`]): credentials never go elsewhere.
    pub fn next_page_url(mut self, url: &str) -> Self {
        self.page_url = Some(url.to_owned());
        self
    }

    /// Sets the `Accept` header sent unless the request or the client's
    /// default headers set one: the media types the operation documents
    /// (`application/vnd.example+json, application/json`). Without it,
    /// `Accept: */*` is sent.
    pub fn accept(mut self, media_types: &'static str) -> Self {
        self.accept = Some(media_types);
        self
    }

    /// Appends a query parameter without a value (`?flag`), form-encoded,
    /// after any added before.
    pub fn query_name(mut self, name: &str) -> Self {
        if self.problem.is_none() {
            if !self.query.is_empty() {
                self.query.push('&');
            }
            form_encode(&mut self.query, name);
        }
        self
    }

    /// Sets the whole query string (an OpenAPI 3.2 `in: querystring`
    /// parameter) to `text` with every byte but RFC 3986 unreserved
    /// characters percent-encoded, as a JSON or plain-text value is carried
    /// (`{"a":1}` → `?%7B%22a%22%3A1%7D`). Pairs added otherwise (an API
    /// key) are joined to it with `&`.
    pub fn query_string(mut self, text: &str) -> Self {
        if self.problem.is_none() {
            let mut encoded = String::new();
            crate::param::encode_unreserved(&mut encoded, text);
            self.append_query(&encoded);
        }
        self
    }

    /// Sets the whole query string to text already in
    /// `application/x-www-form-urlencoded` form (`a=1&b=x+y`), kept as it
    /// is but for bytes a query may not hold (spaces, `#`, controls,
    /// non-ASCII), which are percent-encoded.
    pub fn query_string_serialized(mut self, text: &str) -> Self {
        if self.problem.is_none() {
            let mut encoded = String::new();
            for &byte in text.as_bytes() {
                match byte {
                    b'!'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b'-'
                    | b'.'
                    | b'/'
                    | b'0'..=b'9'
                    | b':'
                    | b';'
                    | b'='
                    | b'?'
                    | b'@'
                    | b'A'..=b'Z'
                    | b'_'
                    | b'a'..=b'z'
                    | b'~' => encoded.push(char::from(byte)),
                    _ => encoded.push_str(percent_encoding::percent_encode_byte(byte)),
                }
            }
            self.append_query(&encoded);
        }
        self
    }

    /// Sets the whole query string to `value` in
    /// `application/x-www-form-urlencoded` form, encoded by
    /// [`crate::body::form`] as a form body would be.
    pub fn query_string_form<T: serde::Serialize + ?Sized>(self, value: &T) -> Self {
        if self.problem.is_some() {
            return self;
        }
        match crate::body::form(value, &[]) {
            Ok(text) => {
                let mut this = self;
                this.append_query(&text);
                this
            }
            Err(problem) => self.fail(|| problem),
        }
    }

    /// Appends encoded query text, after `&` if there is some already.
    fn append_query(&mut self, encoded: &str) {
        if encoded.is_empty() {
            return;
        }
        if !self.query.is_empty() {
            self.query.push('&');
        }
        self.query.push_str(encoded);
    }

    /// Appends a query parameter (form-encoded), after any added before.
    pub fn query(mut self, name: &str, value: &dyn fmt::Display) -> Self {
        if self.problem.is_none() {
            append_query_pair(&mut self.query, name, &value.to_string());
        }
        self
    }

    /// Adds a header. Several values for the same name are all sent.
    ///
    /// An invalid name or value (for example one containing CR, LF or another
    /// control character) is refused with [`Error::InvalidRequest`]; the
    /// message names the header but never repeats the value.
    pub fn header(mut self, name: &'static str, value: &dyn fmt::Display) -> Self {
        if self.problem.is_some() {
            return self;
        }
        let Ok(header_name) = HeaderName::from_bytes(name.as_bytes()) else {
            return self.fail(|| format!("{name:?} is not a valid header name"));
        };
        match HeaderValue::from_str(&value.to_string()) {
            Ok(value) => {
                self.headers.append(header_name, value);
                self
            }
            Err(_) => self.fail(|| {
                format!(
                    "the value of header `{name}` contains a control character (such as CR or LF)"
                )
            }),
        }
    }

    /// Adds a cookie (`name=value`). All cookies of a request, including an
    /// API-key cookie, are sent in one `Cookie` header (RFC 6265).
    ///
    /// A value containing `;` or a control character (CR, LF, …) cannot be a
    /// cookie and is refused with [`Error::InvalidRequest`] naming the cookie,
    /// never repeating the value.
    pub fn cookie(self, name: &'static str, value: &dyn fmt::Display) -> Self {
        if self.problem.is_some() {
            return self;
        }
        self.add_cookie(name, &value.to_string())
    }

    /// Checks a cookie's value and adds it to the `Cookie` header.
    fn add_cookie(mut self, name: &str, value: &str) -> Self {
        if value.contains(';') || value.chars().any(char::is_control) {
            return self.fail(|| {
                format!("the value of cookie `{name}` contains ';' or a control character")
            });
        }
        let added = format!("{name}={value}");
        match merge_cookies(&self.headers, added.as_bytes(), false) {
            Some(v) => {
                self.headers.insert(COOKIE, v);
                self
            }
            None => self.fail(|| format!("cookie `{name}` cannot be sent in a header")),
        }
    }

    /// Sets a JSON body (`Content-Type: application/json`).
    ///
    /// A serialisation failure is reported as [`Error::InvalidRequest`].
    pub fn json<B: serde::Serialize + ?Sized>(self, body: &B) -> Self {
        if self.problem.is_some() {
            return self;
        }
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body("application/json", bytes),
            Err(e) => self.fail(|| format!("could not serialise the request body: {e}")),
        }
    }

    /// Sets a raw body with the given content type.
    pub fn body(self, content_type: &str, bytes: Vec<u8>) -> Self {
        self.bytes_body(content_type, Bytes::from(bytes))
    }

    /// [`Request::body`] from `Bytes`, without copying them.
    fn bytes_body(mut self, content_type: &str, bytes: Bytes) -> Self {
        if self.problem.is_some() {
            return self;
        }
        match HeaderValue::from_str(content_type) {
            Ok(value) => {
                self.headers.insert(CONTENT_TYPE, value);
                self.body = Some(bytes);
                self
            }
            Err(_) => self.fail(|| format!("{content_type:?} is not a valid content type")),
        }
    }

    /// Sets the operation's security requirement.
    ///
    /// `alternatives` follows OpenAPI `security`: a list of alternatives,
    /// each a list of scheme indices whose credentials must all be applied
    /// together. An empty list means no authentication; an empty alternative
    /// means anonymous access is allowed.
    ///
    /// When sending, the first alternative whose credentials are all set is
    /// applied; if none is, the request is sent anonymously if allowed, and
    /// otherwise [`Request::send`] returns [`Error::MissingCredentials`]
    /// naming the schemes that would do (such as `"bearer"` or
    /// `"x-api-key + x-tenant or bearer"`).
    pub fn auth(mut self, alternatives: &'static [&'static [usize]]) -> Self {
        self.auth = alternatives;
        self
    }

    /// The OAuth scopes the operation's security requirement lists for the
    /// scheme at index `scheme`, asked of its [`TokenSource`] (see
    /// [`crate::oauth2`]).
    pub fn scopes(mut self, scheme: usize, scopes: &'static [&'static str]) -> Self {
        self.scopes.push((scheme, scopes));
        self
    }

    /// Names the operation this request belongs to (its `operationId`) and
    /// its path template (`/users/{id}`), for hooks ([`Call`]) and tracing.
    pub fn operation(mut self, id: &'static str, path_template: &'static str) -> Self {
        self.operation = id;
        self.template = path_template;
        self
    }

    /// Sends the request and reads the whole response, retrying as the
    /// client's [`RetryPolicy`] says.
    ///
    /// The URL is the base URL, then the path, then the query. Headers are
    /// the client's default headers, replaced by the request's own headers of
    /// the same name, then the credentials (marked sensitive).
    ///
    /// Any status is a successful `Response`; generated code decides what it
    /// means. Errors: [`Error::InvalidRequest`] and
    /// [`Error::MissingCredentials`] before anything is sent,
    /// [`Error::Timeout`] when an attempt runs past the client's timeout,
    /// [`Error::ResponseTooLarge`] past the client's body size limit, and
    /// [`Error::Transport`] for connection, TLS and body-read failures
    /// (without the URL when it carries an API key).
    ///
    /// The future is the same type whatever `E` is (see [`Sending`]): the
    /// sending itself is compiled once, in this crate, not once per
    /// operation in generated code.
    pub fn send<E>(self) -> Sending<'a, E> {
        Sending {
            inner: self.start(),
            error: PhantomData,
        }
    }

    /// Boxes the one, non-generic future that sends any request.
    fn start(self) -> Pin<Box<RawSend<'a>>> {
        Box::pin(self.send_raw())
    }

    /// Sends the request like [`Request::send`], but returns as soon as the
    /// response's head arrives: the body is read as a stream (see
    /// [`crate::stream`]), never held whole in memory. The client's
    /// timeout still bounds each attempt until the body is read, so give a
    /// long-lived event stream a client with a longer one.
    pub fn send_streaming<E>(self) -> SendingStream<'a, E> {
        SendingStream {
            inner: Box::pin(self.send_head()),
            error: PhantomData,
        }
    }

    async fn send_raw(self) -> Result<Response, Error<Infallible>> {
        self.send_head().await?.into_response().await
    }

    /// Sends the request and waits for the response's head, following
    /// redirects and retrying as the client's policy says; the body is left
    /// to read. With the `tracing` feature, all of it is one span.
    async fn send_head(self) -> Result<StreamingResponse, Error<Infallible>> {
        let mut call = CallState {
            operation: self.operation,
            template: self.template,
            sent: 0,
            span: crate::trace::call_span(&self.method, self.operation, self.template),
        };
        #[cfg(feature = "tracing")]
        let result = {
            let span = call.span.clone();
            tracing::Instrument::instrument(self.send_calls(&mut call), span).await
        };
        #[cfg(not(feature = "tracing"))]
        let result = self.send_calls(&mut call).await;
        match &result {
            Ok(response) => {
                crate::trace::finish(&call.span, response.status(), call.sent.saturating_sub(1))
            }
            Err(e) => crate::trace::failed(&call.span, e.kind()),
        }
        result
    }

    async fn send_calls(
        mut self,
        call: &mut CallState,
    ) -> Result<StreamingResponse, Error<Infallible>> {
        if let Some(problem) = &self.problem {
            return Err(Error::InvalidRequest(problem.clone()));
        }
        let core = self.core;
        if let Some((_, problem)) = &core.problem {
            return Err(Error::InvalidRequest(problem.clone()));
        }
        let chosen = core.choose_auth(self.auth)?;
        let built;
        let http = match &core.http {
            Some(http) => http,
            None => {
                built = ClientCore::http_client_builder().build()?;
                &built
            }
        };
        let mut tokens = core.tokens(http, chosen, &self.scopes).await?;
        let mut upload = self.upload.take();
        // A body read as it is sent cannot be sent again on a 307 / 308, or
        // with a new token.
        let streamed = upload.is_some();
        let mut renewed = false;
        loop {
            let (mut hop, api, secret_in_url) = self.first_hop(chosen, &tokens)?;
            crate::trace::server(&call.span, &hop.url);
            let mut redirects = 0;
            let response = loop {
                let response = core
                    .attempts(http, &hop, secret_in_url, upload.take(), call)
                    .await?;
                let resend = matches!(
                    response.status(),
                    StatusCode::TEMPORARY_REDIRECT | StatusCode::PERMANENT_REDIRECT
                );
                let next = (redirects < MAX_REDIRECTS && !(streamed && resend))
                    .then(|| {
                        crate::redirect::follow(&hop, response.status(), response.headers(), &api)
                    })
                    .flatten();
                match next {
                    Some(next) => {
                        hop = next;
                        redirects += 1;
                    }
                    None => break response,
                }
            };
            // The API refused a token it was given: once, a new one.
            if response.status() == StatusCode::UNAUTHORIZED
                && !renewed
                && !streamed
                && !hop.left_origin
                && !tokens.is_empty()
            {
                for (index, token) in &tokens {
                    if let Some(Credential::Source(source)) = core.credential(*index) {
                        source.invalidate(token);
                    }
                }
                drop(response);
                tokens = core.tokens(http, chosen, &self.scopes).await?;
                renewed = true;
                continue;
            }
            return Ok(StreamingResponse::new(
                response,
                secret_in_url || hop.left_origin,
                core.max_response_bytes,
            ));
        }
    }

    /// The first request to send: the URL, the headers with `chosen`
    /// credentials applied (`tokens` for those from a [`TokenSource`]), the
    /// API's URL (whose origin the credentials belong to) and whether a
    /// secret is in the URL.
    fn first_hop(
        &self,
        chosen: &[usize],
        tokens: &[(usize, Secret)],
    ) -> Result<(Hop, Url, bool), Error<Infallible>> {
        let core = self.core;
        let mut headers = core.default_headers.clone();
        for name in self.headers.keys() {
            if name != COOKIE {
                headers.remove(name);
            }
        }
        for (name, value) in &self.headers {
            if name != COOKIE {
                headers.append(name.clone(), value.clone());
            }
        }
        // One `Cookie` header for all cookies (RFC 6265): the default ones
        // the request does not set, then the request's.
        if headers.contains_key(COOKIE) || self.headers.contains_key(COOKIE) {
            let mut request = Vec::new();
            for value in self.headers.get_all(COOKIE) {
                if !request.is_empty() {
                    request.extend_from_slice(b"; ");
                }
                request.extend_from_slice(value.as_bytes());
            }
            let merged = merge_cookies(&headers, &request, true).ok_or_else(|| {
                Error::InvalidRequest("the cookies cannot be sent in one header".to_owned())
            })?;
            headers.insert(COOKIE, sensitive(merged));
        }
        // The documented media types, unless the request or the client's
        // default headers choose.
        if let (Some(accept), false) = (self.accept, headers.contains_key(ACCEPT)) {
            let value = HeaderValue::from_str(accept).map_err(|_| {
                Error::InvalidRequest(format!("{accept:?} is not a valid Accept header"))
            })?;
            headers.insert(ACCEPT, value);
        }

        let mut query = self.query.clone();
        let mut secret_in_url = false;
        let own_query = query.len();
        for &index in chosen {
            let token = tokens.iter().find(|(i, _)| *i == index).map(|(_, t)| t);
            secret_in_url |= apply_credential(core, index, token, &mut headers, &mut query)?;
        }

        let mut url = match self.server {
            Some(spec_url) => build_url(&core.server_url(spec_url), &self.path, &query)?,
            None => build_url(&core.base_url, &self.path, &query)?,
        };
        if let Some(next) = &self.page_url {
            // The credentials' own query pairs go along; the request's are
            // the link's now.
            let credentials = query[own_query..].trim_start_matches('&');
            url = next_page_url(&url, next, credentials)?;
        }
        secret_in_url |= !url.username().is_empty() || url.password().is_some();
        let api = url.clone();
        let hop = Hop {
            method: self.method.clone(),
            url,
            headers,
            body: self.body.clone(),
            left_origin: false,
        };
        Ok((hop, api, secret_in_url))
    }

    /// Appends query text already encoded by [`crate::param::query`]
    /// (`name=a,b` or `name=a&name=b`), after any parameters added before.
    /// Empty text adds nothing.
    pub fn query_encoded(mut self, encoded: &str) -> Self {
        if self.problem.is_none() && !encoded.is_empty() {
            if !self.query.is_empty() {
                self.query.push('&');
            }
            self.query.push_str(encoded);
        }
        self
    }

    /// Appends a path parameter already encoded by [`crate::param::path`]
    /// (such as `a,b`, `.a.b` or `;id=a,b`).
    ///
    /// As with [`Request::path_param`], an empty value, `.` and `..` are
    /// refused, and so is text that could change the structure of the path
    /// (`/`, `?`, `#`, which the encoder never leaves unencoded).
    pub fn path_encoded(mut self, encoded: &str) -> Self {
        if self.problem.is_some() {
            return self;
        }
        match encoded {
            "" => self.fail(|| "a path parameter is empty".to_owned()),
            "." | ".." => self.fail(|| {
                format!(
                    "a path parameter is {encoded:?}, which cannot be sent safely in a URL path"
                )
            }),
            _ if encoded.contains(['/', '?', '#']) => {
                self.fail(|| "a path parameter was not percent-encoded".to_owned())
            }
            _ => {
                self.path.push_str(encoded);
                self
            }
        }
    }

    /// Adds cookies given as `(name, value)` pairs (from
    /// [`crate::param::cookie`]), with the same rules as [`Request::cookie`].
    pub fn cookie_pairs(mut self, pairs: &[(String, String)]) -> Self {
        for (name, value) in pairs {
            if self.problem.is_some() {
                break;
            }
            if name.is_empty() || name.contains(['=', ';']) || name.chars().any(char::is_control) {
                return self.fail(|| format!("{name:?} is not a valid cookie name"));
            }
            self = self.add_cookie(name, value);
        }
        self
    }

    /// Sets a JSON body sent with the given content type (such as
    /// `application/merge-patch+json`).
    ///
    /// A serialisation failure is reported as [`Error::InvalidRequest`].
    pub fn json_as<B: serde::Serialize + ?Sized>(self, content_type: &str, body: &B) -> Self {
        if self.problem.is_some() {
            return self;
        }
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body(content_type, bytes),
            Err(e) => self.fail(|| format!("could not serialise the request body: {e}")),
        }
    }

    /// Sets a JSON body (sent with `content_type`) with the boolean
    /// property `flag` set to `true`: what asks APIs such as OpenAI's for
    /// an event stream instead of one JSON response (`"stream": true`). A
    /// body that is not a JSON object is sent as it is.
    pub fn json_flagged<B: serde::Serialize + ?Sized>(
        self,
        content_type: &str,
        body: &B,
        flag: &str,
    ) -> Self {
        if self.problem.is_some() {
            return self;
        }
        match serde_json::to_value(body) {
            Ok(mut value) => {
                if let Some(object) = value.as_object_mut() {
                    object.insert(flag.to_owned(), serde_json::Value::Bool(true));
                }
                self.json_as(content_type, &value)
            }
            Err(e) => self.fail(|| format!("could not serialise the request body: {e}")),
        }
    }

    /// Sets an `application/x-www-form-urlencoded` body (sent with
    /// `content_type`), encoded by [`crate::body::form`].
    pub fn form<B: serde::Serialize + ?Sized>(
        self,
        content_type: &str,
        body: &B,
        fields: &[crate::body::FormField],
    ) -> Self {
        if self.problem.is_some() {
            return self;
        }
        match crate::body::form(body, fields) {
            Ok(text) => self.body(content_type, text.into_bytes()),
            Err(problem) => self.fail(|| problem),
        }
    }

    /// Sets a `multipart/form-data` body (with a boundary that appears in
    /// no part).
    pub fn multipart(self, form: crate::body::Multipart) -> Self {
        if self.problem.is_some() {
            return self;
        }
        match form.into_upload() {
            Ok((content_type, body)) => self.upload(&content_type, body),
            Err(problem) => self.fail(|| problem),
        }
    }

    /// Sets a body sent with the given content type as it is read (see
    /// [`crate::upload`]): a file, a reader or a stream, never held whole in
    /// memory; or bytes. A request with a body read as it is sent is not
    /// retried, and a `307` / `308` redirect is returned, not followed (the
    /// body cannot be read twice).
    pub fn upload(mut self, content_type: &str, body: Upload) -> Self {
        if self.problem.is_some() {
            return self;
        }
        if let Some(bytes) = body.as_bytes() {
            let bytes = bytes.clone();
            return self.bytes_body(content_type, bytes);
        }
        match HeaderValue::from_str(content_type) {
            Ok(value) => {
                self.headers.insert(CONTENT_TYPE, value);
                self.upload = Some(body);
                self
            }
            Err(_) => self.fail(|| format!("{content_type:?} is not a valid content type")),
        }
    }

    /// Sets a text body sent with the given content type (such as
    /// `text/plain`).
    pub fn text(self, content_type: &str, body: &str) -> Self {
        self.body(content_type, body.as_bytes().to_vec())
    }
}

/// What every request sends: the response, or an error that is not an API
/// error response (those are decided by the caller, from the response).
type RawSend<'a> = dyn Future<Output = Result<Response, Error<Infallible>>> + Send + 'a;

/// The future of [`Request::send`]: the whole response, or an [`Error`].
///
/// A thin typed wrapper around one boxed future shared by every operation,
/// so that generated code does not instantiate the sending and retrying
/// logic once per operation error type.
#[must_use = "futures do nothing unless awaited"]
pub struct Sending<'a, E> {
    inner: Pin<Box<RawSend<'a>>>,
    // `fn() -> E`: the future neither owns nor drops an `E`, so it is
    // `Send` and `Unpin` whatever `E` is.
    error: PhantomData<fn() -> E>,
}

impl<E> fmt::Debug for Sending<'_, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sending").finish_non_exhaustive()
    }
}

impl<E> Future for Sending<'_, E> {
    type Output = Result<Response, Error<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.inner
            .as_mut()
            .poll(cx)
            .map(|result| result.map_err(Error::widen))
    }
}

/// The future of [`Request::send_streaming`]: the response with its body
/// unread, or an [`Error`]. Like [`Sending`], one type whatever `E` is.
#[must_use = "futures do nothing unless awaited"]
pub struct SendingStream<'a, E> {
    inner: Pin<Box<dyn Future<Output = Result<StreamingResponse, Error<Infallible>>> + Send + 'a>>,
    error: PhantomData<fn() -> E>,
}

impl<E> fmt::Debug for SendingStream<'_, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendingStream").finish_non_exhaustive()
    }
}

impl<E> Future for SendingStream<'_, E> {
    type Output = Result<StreamingResponse, Error<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.inner
            .as_mut()
            .poll(cx)
            .map(|result| result.map_err(Error::widen))
    }
}

/// The call a request belongs to, as it goes: counts the requests sent
/// (attempts, redirects, a resend with a new token).
pub(crate) struct CallState {
    operation: &'static str,
    template: &'static str,
    sent: u32,
    span: crate::trace::CallSpan,
}

/// Whether `error` means the connection failed or broke before a response
/// arrived (refused, reset, closed early) — as opposed to a timeout, a bad
/// request or a failure while reading a response body.
fn connection_failed(error: &reqwest::Error) -> bool {
    !error.is_timeout()
        && !error.is_body()
        && !error.is_decode()
        && !error.is_builder()
        && !error.is_redirect()
        && (error.is_connect() || error.is_request())
}

/// Adds the credential of scheme `index` to the headers or query; returns
/// whether it went into the URL.
fn apply_credential<E>(
    core: &ClientCore,
    index: usize,
    fetched: Option<&Secret>,
    headers: &mut HeaderMap,
    query: &mut String,
) -> Result<bool, Error<E>> {
    let scheme = core.schemes.get(index).copied();
    let credential = core.credentials.get(index).and_then(Option::as_ref);
    let invalid = || {
        Error::InvalidRequest(format!(
            "the credential for `{}` is not a valid header value",
            core.label(index)
        ))
    };
    // A token: set, or fetched from the scheme's source.
    let token = match credential {
        Some(Credential::Token(token)) => Some(token),
        Some(Credential::Source(_)) => fetched,
        _ => None,
    };
    if let (Some(SecurityScheme::Bearer), Some(token)) = (scheme, token) {
        let value =
            HeaderValue::from_str(&format!("Bearer {}", token.expose())).map_err(|_| invalid())?;
        headers.insert(AUTHORIZATION, sensitive(value));
        return Ok(false);
    }
    match (scheme, credential) {
        (Some(SecurityScheme::Basic), Some(Credential::Basic { user, password })) => {
            let pair = format!("{user}:{}", password.expose());
            let value =
                HeaderValue::from_str(&format!("Basic {}", crate::base64::encode(pair.as_bytes())))
                    .map_err(|_| invalid())?;
            headers.insert(AUTHORIZATION, sensitive(value));
        }
        (Some(SecurityScheme::ApiKeyHeader(name)), Some(Credential::Token(token))) => {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Error::InvalidRequest(format!("{name:?} is not a valid header name"))
            })?;
            let value = HeaderValue::from_str(token.expose()).map_err(|_| invalid())?;
            headers.insert(name, sensitive(value));
        }
        (Some(SecurityScheme::ApiKeyQuery(name)), Some(Credential::Token(token))) => {
            append_query_pair(query, name, token.expose());
            return Ok(true);
        }
        (Some(SecurityScheme::ApiKeyCookie(name)), Some(Credential::Token(token))) => {
            if token.expose().contains(';') {
                return Err(Error::InvalidRequest(format!(
                    "the credential for `{name}` contains ';', which a cookie cannot carry"
                )));
            }
            let added = format!("{name}={}", token.expose());
            let value = merge_cookies(headers, added.as_bytes(), true).ok_or_else(invalid)?;
            headers.insert(COOKIE, sensitive(value));
        }
        // `choose_auth` only picks alternatives whose credentials are
        // set, and the setters only store matching credentials.
        _ => return Err(Error::MissingCredentials(core.label(index))),
    }
    Ok(false)
}

/// One `Cookie` header value (a request sends one, RFC 6265) holding the
/// cookies of `headers` and then those of `added` (`a=1; b=2`). With
/// `replace`, a cookie of `headers` named like one of `added` is left out:
/// `added` sets it. `None` if the result is not a valid header value.
fn merge_cookies(headers: &HeaderMap, added: &[u8], replace: bool) -> Option<HeaderValue> {
    let added: Vec<&[u8]> = cookie_pairs(added).collect();
    let kept = headers
        .get_all(COOKIE)
        .iter()
        .flat_map(|value| cookie_pairs(value.as_bytes()))
        .filter(|pair| !replace || !added.iter().any(|a| cookie_name(a) == cookie_name(pair)));
    let mut cookie = Vec::new();
    for pair in kept.chain(added.iter().copied()) {
        if !cookie.is_empty() {
            cookie.extend_from_slice(b"; ");
        }
        cookie.extend_from_slice(pair);
    }
    HeaderValue::from_bytes(&cookie).ok()
}

/// The `name=value` pairs of a `Cookie` header value, trimmed.
fn cookie_pairs(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value
        .split(|&b| b == b';')
        .map(<[u8]>::trim_ascii)
        .filter(|pair| !pair.is_empty())
}

/// The name of a `name=value` cookie pair.
fn cookie_name(pair: &[u8]) -> &[u8] {
    pair.split(|&b| b == b'=')
        .next()
        .unwrap_or_default()
        .trim_ascii()
}

/// Joins base URL, path and query and checks the result.
///
/// Error messages never include the URL: it may carry an API key or a
/// password.
fn build_url<E>(base: &str, path: &str, query: &str) -> Result<Url, Error<E>> {
    let base_url = Url::parse(base)
        .map_err(|e| Error::InvalidRequest(format!("the base URL is invalid: {e}")))?;
    if base_url.cannot_be_a_base() || !matches!(base_url.scheme(), "http" | "https") {
        return Err(Error::InvalidRequest(
            "the base URL must be an http or https URL".to_owned(),
        ));
    }
    if base_url.query().is_some() || base_url.fragment().is_some() {
        return Err(Error::InvalidRequest(
            "the base URL must not have a query or fragment".to_owned(),
        ));
    }
    let mut text = String::with_capacity(base.len() + path.len() + query.len() + 1);
    text.push_str(base);
    text.push_str(path);
    if !query.is_empty() {
        text.push('?');
        text.push_str(query);
    }
    Url::parse(&text).map_err(|e| Error::InvalidRequest(format!("the request URL is invalid: {e}")))
}

/// `next` resolved against `current`, on its origin, with the
/// `credentials` query pairs appended. Messages never show the URL.
fn next_page_url<E>(current: &Url, next: &str, credentials: &str) -> Result<Url, Error<E>> {
    let mut url = current
        .join(next)
        .map_err(|e| Error::InvalidRequest(format!("the next page's URL is invalid: {e}")))?;
    if url.origin() != current.origin() {
        return Err(Error::InvalidRequest(
            "the next page is on another origin than the API's; it was not fetched".to_owned(),
        ));
    }
    if !credentials.is_empty() {
        let query = match url.query() {
            Some(q) if !q.is_empty() => format!("{q}&{credentials}"),
            _ => credentials.to_owned(),
        };
        url.set_query(Some(&query));
    }
    Ok(url)
}

/// A fully-read HTTP response.
///
/// Generated code turns it into the operation's result with
/// [`Response::json`], [`Response::empty`], [`Response::error`],
/// [`Response::error_empty`] or [`Response::unexpected`].
#[derive(Debug, Clone)]
pub struct Response {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Response {
    /// Creates a response from its parts (useful in tests).
    pub fn new(status: StatusCode, headers: HeaderMap, body: impl Into<Bytes>) -> Self {
        Response {
            status,
            headers,
            body: body.into(),
        }
    }

    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Decodes the body as JSON. On failure returns [`Error::Decode`] with
    /// the status, headers and raw body.
    pub fn json<T: serde::de::DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        match serde_json::from_slice(&self.body) {
            Ok(value) => Ok(value),
            Err(source) => Err(self.decode_error(source)),
        }
    }

    /// [`Error::Decode`] for `source`, with the JSON path of the value it
    /// is about (found only now, from the error's position: decoding pays
    /// nothing for it).
    pub(crate) fn decode_error<E>(self, source: serde_json::Error) -> Error<E> {
        Error::Decode {
            path: crate::json_path::of_error(&self.body, &source),
            status: self.status,
            headers: self.headers,
            body: self.body,
            source,
        }
    }

    /// A success with no body expected (such as `204 No Content`); any body
    /// is ignored.
    pub fn empty<E>(self) -> Result<(), Error<E>> {
        Ok(())
    }

    /// A documented error response: decodes the body as `B` and returns
    /// [`Error::Api`] with `wrap(body)`, or [`Error::Decode`] if the body
    /// does not decode.
    pub fn error<B: serde::de::DeserializeOwned, E>(self, wrap: impl FnOnce(B) -> E) -> Error<E> {
        match serde_json::from_slice(&self.body) {
            Ok(body) => Error::Api {
                status: self.status,
                headers: self.headers,
                body: wrap(body),
            },
            Err(source) => self.decode_error(source),
        }
    }

    /// A documented error response without a body schema: returns
    /// [`Error::Api`] with `value` as the body.
    pub fn error_empty<E>(self, value: E) -> Error<E> {
        Error::Api {
            status: self.status,
            headers: self.headers,
            body: value,
        }
    }

    /// A status the API description does not document: returns
    /// [`Error::UnexpectedStatus`] keeping status, headers and raw body.
    pub fn unexpected<E>(self) -> Error<E> {
        Error::UnexpectedStatus {
            status: self.status,
            headers: self.headers,
            body: self.body,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMES: &[SecurityScheme] = &[
        SecurityScheme::Bearer,
        SecurityScheme::Basic,
        SecurityScheme::ApiKeyHeader("x-apikey"),
        SecurityScheme::ApiKeyHeader("x-connection-id"),
    ];

    #[test]
    fn form_encoding() {
        let mut q = String::new();
        append_query_pair(&mut q, "a b", "x&y=z+é*~");
        append_query_pair(&mut q, "n", "");
        assert_eq!(q, "a+b=x%26y%3Dz%2B%C3%A9*%7E&n=");
    }

    #[test]
    fn base_url_is_trimmed() {
        let mut core = ClientCore::new("http://h/api//", SCHEMES);
        assert_eq!(core.base_url(), "http://h/api");
        core.set_base_url("https://other/");
        assert_eq!(core.base_url(), "https://other");
    }

    #[test]
    fn next_page_urls_stay_on_the_origin_and_keep_query_credentials() {
        let current = Url::parse("https://api.example.com/v1/items?per_page=2&api_key=k").unwrap();
        let next = |n: &str, c: &str| next_page_url::<()>(&current, n, c).map(String::from);
        assert_eq!(
            next("https://api.example.com/v1/items?page=2", "api_key=k").unwrap(),
            "https://api.example.com/v1/items?page=2&api_key=k"
        );
        assert_eq!(
            next("/v1/items?cursor=x", "").unwrap(),
            "https://api.example.com/v1/items?cursor=x"
        );
        assert_eq!(
            next("?page=3", "").unwrap(),
            "https://api.example.com/v1/items?page=3"
        );
        for elsewhere in [
            "https://evil.example.net/v1/items",
            "http://api.example.com/v1/items",
        ] {
            let err = next(elsewhere, "api_key=k").unwrap_err();
            assert!(
                matches!(&err, Error::InvalidRequest(m) if m.contains("another origin")),
                "{err:?}"
            );
        }
    }

    #[test]
    fn operation_servers_resolve_and_can_be_overridden() {
        let mut core = ClientCore::new("https://api.example.com/v1/", SCHEMES);
        assert_eq!(
            core.server_url("https://uploads.example.com/"),
            "https://uploads.example.com"
        );
        assert_eq!(core.server_url("/v2"), "https://api.example.com/v2");
        core.set_server_override("https://uploads.example.com", "http://127.0.0.1:9/up/");
        core.set_server_override("/v2", "http://127.0.0.1:9/v2");
        assert_eq!(
            core.server_url("https://uploads.example.com"),
            "http://127.0.0.1:9/up"
        );
        assert_eq!(core.server_url("/v2/"), "http://127.0.0.1:9/v2");
        core.set_server_override("/v2", "http://127.0.0.1:9/v3");
        assert_eq!(core.server_url("/v2"), "http://127.0.0.1:9/v3");
    }

    #[test]
    fn debug_never_shows_credentials() {
        let mut core = ClientCore::new("https://user:pa55word@h/v1", SCHEMES);
        core.set_token(0, "tok-SECRET-1");
        core.set_basic(1, "alice", "pw-SECRET-2");
        core.set_token(2, "key-SECRET-3");
        core.default_headers_mut()
            .insert("x-default", HeaderValue::from_static("hdr-SECRET-4"));
        core.set_server_override("https://up.example.com", "https://u:pa55word@up.test");
        let debug = format!("{core:?} {core:#?}");
        for secret in ["SECRET", "pa55word"] {
            assert!(!debug.contains(secret), "{debug}");
        }
        assert!(debug.contains("\"bearer\": \"set\""), "{debug}");
        assert!(debug.contains("\"x-connection-id\": \"unset\""), "{debug}");
        assert!(debug.contains("x-default"), "{debug}");
        assert!(debug.contains("h/v1"), "{debug}");
    }

    #[test]
    fn credentials_bookkeeping() {
        let mut core = ClientCore::new("http://h", SCHEMES);
        assert!(!core.has_credential(0));
        core.set_token(0, "t");
        assert!(core.has_credential(0));
        core.clear_credential(0);
        assert!(!core.has_credential(0));
        assert!(!core.has_credential(99));
        core.clear_credential(99);
    }

    #[test]
    fn choose_auth_rules() {
        let mut core = ClientCore::new("http://h", SCHEMES);
        let err = core.choose_auth::<()>(&[&[2, 3], &[0]]).unwrap_err();
        assert!(
            matches!(&err, Error::MissingCredentials(m) if m == "x-apikey + x-connection-id or bearer"),
            "{err:?}"
        );
        assert_eq!(core.choose_auth::<()>(&[]).unwrap(), &[] as &[usize]);
        assert_eq!(
            core.choose_auth::<()>(&[&[0], &[]]).unwrap(),
            &[] as &[usize]
        );
        core.set_token(2, "k");
        assert!(core.choose_auth::<()>(&[&[2, 3]]).is_err());
        core.set_token(3, "c");
        assert_eq!(core.choose_auth::<()>(&[&[0], &[2, 3]]).unwrap(), &[2, 3]);
        core.set_token(0, "t");
        // Optional auth: credentials are used when present.
        assert_eq!(core.choose_auth::<()>(&[&[], &[0]]).unwrap(), &[0]);
        // An out-of-range index is never satisfied.
        let err = core.choose_auth::<()>(&[&[7]]).unwrap_err();
        assert!(matches!(&err, Error::MissingCredentials(m) if m == "scheme #7"));
    }

    #[test]
    fn named_methods_and_whole_query_strings() {
        let core = ClientCore::new("http://h", &[]);
        let r = core.request_named("COPY");
        assert_eq!((r.method.as_str(), r.problem.is_none()), ("COPY", true));
        let r = core.request_named("CO PY");
        assert!(
            r.problem
                .as_deref()
                .is_some_and(|p| p.contains("not an HTTP method"))
        );
        // An API key's pair and the query string are joined with `&`.
        let r = core
            .request(Method::GET)
            .query("key", &"k")
            .query_string("$.a b[1]")
            .query_string_serialized("x=a+b&y=#é");
        assert_eq!(r.query, "key=k&%24.a%20b%5B1%5D&x=a+b&y=%23%C3%A9");
    }

    #[test]
    fn build_url_checks_base() {
        assert!(build_url::<()>("http://h/api", "/x", "a=1").is_ok());
        for bad in [
            "not a url",
            "mailto:x@y",
            "http://h/?q=1",
            "http://h/#f",
            "ftp://h",
        ] {
            let err = build_url::<()>(bad, "/x", "").unwrap_err();
            assert!(matches!(err, Error::InvalidRequest(_)), "{bad}");
        }
    }

    #[test]
    fn response_helpers() {
        let ok = Response::new(StatusCode::OK, HeaderMap::new(), &b"[1,2]"[..]);
        assert_eq!(ok.clone().json::<Vec<u8>, ()>().unwrap(), vec![1, 2]);
        assert!(ok.empty::<()>().is_ok());

        let bad = Response::new(StatusCode::OK, HeaderMap::new(), &b"[1,"[..]);
        match bad.json::<Vec<u8>, ()>() {
            Err(Error::Decode { status, body, .. }) => {
                assert_eq!(status, StatusCode::OK);
                assert_eq!(&body[..], b"[1,");
            }
            other => panic!("{other:?}"),
        }

        let err = Response::new(StatusCode::CONFLICT, HeaderMap::new(), &br#""dup""#[..])
            .error(|s: String| s.len());
        assert!(matches!(
            err,
            Error::Api {
                status: StatusCode::CONFLICT,
                body: 3,
                ..
            }
        ));

        let err = Response::new(StatusCode::CONFLICT, HeaderMap::new(), &b"<html>"[..])
            .error(|s: String| s.len());
        assert!(matches!(err, Error::Decode { .. }));

        let err =
            Response::new(StatusCode::GONE, HeaderMap::new(), Bytes::new()).error_empty("gone");
        assert_eq!(err.api_body(), Some(&"gone"));

        let err: Error<()> =
            Response::new(StatusCode::IM_A_TEAPOT, HeaderMap::new(), &b"short"[..]).unexpected();
        assert_eq!(err.status(), Some(StatusCode::IM_A_TEAPOT));
        assert_eq!(err.raw_body().map(|b| &b[..]), Some(&b"short"[..]));
    }
}
