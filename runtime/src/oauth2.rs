//! OAuth 2.0 access tokens obtained and renewed by the client (RFC 6749).
//!
//! A security scheme of type `oauth2` or `openIdConnect` sends a bearer
//! token. Instead of a fixed token ([`ClientCore::set_token`]), the client
//! can be given a [`TokenSource`] ([`ClientCore::set_token_source`]), asked
//! for a token before each request that needs one:
//!
//! - [`ClientCredentials`]: the `clientCredentials` flow (RFC 6749 §4.4),
//!   for a service acting as itself.
//! - [`RefreshToken`]: renews access tokens from a refresh token (§6), as
//!   obtained once by the `authorizationCode` or `password` flow.
//! - Any other provider (a signed JWT, a cloud identity, a device flow, an
//!   OpenID Connect provider's token) by implementing [`TokenSource`].
//!
//! Both built-in sources cache their token until shortly before it expires
//! (`expires_in`), keyed by the scopes asked for, and fetch one token at a
//! time: concurrent calls needing a token wait for the one request in
//! flight. A request answered `401 Unauthorized` is sent once more with a
//! new token (the refused one is [invalidated](TokenSource::invalidate)),
//! never more than once.
//!
//! Secrets and tokens never appear in `Debug` output, errors or logs.
//!
//! [`ClientCore::set_token`]: crate::ClientCore::set_token
//! [`ClientCore::set_token_source`]: crate::ClientCore::set_token_source

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex as StdMutex};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use tokio::sync::Mutex;

use crate::Secret;

/// How long a token's stated lifetime is trusted: it is renewed this long
/// before it ends (or at half its lifetime, for short-lived tokens), so a
/// request does not leave with a token that expires on its way.
const EXPIRY_MARGIN: Duration = Duration::from_secs(30);

/// The most of a token endpoint's error body kept (its `error_description`).
const MAX_DESCRIPTION: usize = 500;

/// The future a [`TokenSource`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Secret, TokenError>> + Send + 'a>>;

/// What a request asks a [`TokenSource`] for.
#[derive(Debug, Clone, Copy)]
pub struct TokenRequest<'a> {
    scopes: &'a [&'a str],
    http: &'a reqwest::Client,
    base_url: &'a str,
}

impl<'a> TokenRequest<'a> {
    /// A request for a token with `scopes`, fetched (if it must be) with
    /// `http`, for the API at `base_url`.
    pub fn new(scopes: &'a [&'a str], http: &'a reqwest::Client, base_url: &'a str) -> Self {
        TokenRequest {
            scopes,
            http,
            base_url,
        }
    }

    /// The API's base URL, against which a relative token URL is resolved.
    pub fn base_url(&self) -> &'a str {
        self.base_url
    }

    /// The scopes the operation requires, as its security requirement lists
    /// them (may be empty).
    pub fn scopes(&self) -> &'a [&'a str] {
        self.scopes
    }

    /// The client's HTTP client: its connection pool, proxy and TLS
    /// settings, for a source that fetches tokens.
    pub fn http(&self) -> &'a reqwest::Client {
        self.http
    }
}

/// A provider of access tokens, sent as `Authorization: Bearer <token>`.
///
/// Implement it to plug in any way of getting a token; the built-in ones are
/// [`ClientCredentials`] and [`RefreshToken`]. The client calls
/// [`TokenSource::token`] before each request needing the scheme (so a
/// source should cache), and [`TokenSource::invalidate`] when the server
/// answers `401` to a request carrying the token, before asking once more.
///
/// ```
/// use apigen_runtime::Secret;
/// use apigen_runtime::oauth2::{TokenError, TokenFuture, TokenRequest, TokenSource};
///
/// /// A token read from the environment each time.
/// struct FromEnv;
///
/// impl TokenSource for FromEnv {
///     fn token<'a>(&'a self, _request: TokenRequest<'a>) -> TokenFuture<'a> {
///         Box::pin(async {
///             std::env::var("API_TOKEN")
///                 .map(Secret::new)
///                 .map_err(|e| TokenError::source(e))
///         })
///     }
/// }
/// ```
pub trait TokenSource: Send + Sync + 'static {
    /// A valid access token for `request`'s scopes.
    fn token<'a>(&'a self, request: TokenRequest<'a>) -> TokenFuture<'a>;

    /// The server refused `token` as expired or revoked: do not return it
    /// again. The default does nothing.
    fn invalidate(&self, token: &Secret) {
        let _ = token;
    }
}

/// Why no access token could be obtained. Never shows a secret or a token.
#[derive(Debug)]
#[non_exhaustive]
pub enum TokenError {
    /// The token endpoint answered with an OAuth error (RFC 6749 §5.2), such
    /// as `invalid_client` or `invalid_grant`.
    Refused {
        /// The response status (400 or 401 as the RFC says; others seen).
        status: StatusCode,
        /// The `error` code.
        error: String,
        /// The `error_description`, if any (at most 500 characters).
        description: Option<String>,
        /// The `error_uri`, if any.
        uri: Option<String>,
    },
    /// The token endpoint answered with a status and body that are not an
    /// OAuth response.
    Status(StatusCode),
    /// The token endpoint's success response is not a usable token response
    /// (not JSON, no `access_token`, a token type other than `Bearer`).
    InvalidResponse(String),
    /// The token endpoint could not be reached, or its response not read.
    Transport(reqwest::Error),
    /// The token endpoint's URL, or a credential, cannot be sent.
    InvalidRequest(String),
    /// A user-supplied [`TokenSource`] failed.
    Source(Box<dyn std::error::Error + Send + Sync>),
}

impl TokenError {
    /// Wraps the error of a user-supplied [`TokenSource`].
    pub fn source(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        TokenError::Source(error.into())
    }

    /// The OAuth `error` code, for [`TokenError::Refused`].
    pub fn oauth_error(&self) -> Option<&str> {
        match self {
            TokenError::Refused { error, .. } => Some(error),
            _ => None,
        }
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::Refused {
                status,
                error,
                description,
                ..
            } => {
                write!(f, "the token endpoint refused ({status}): {error}")?;
                if let Some(d) = description {
                    write!(f, ": {d}")?;
                }
                Ok(())
            }
            TokenError::Status(status) => {
                write!(
                    f,
                    "the token endpoint answered {status} without an OAuth error"
                )
            }
            TokenError::InvalidResponse(why) => {
                write!(f, "the token endpoint's response is not usable: {why}")
            }
            TokenError::Transport(_) => f.write_str("the token endpoint could not be reached"),
            TokenError::InvalidRequest(why) => write!(f, "no token was requested: {why}"),
            TokenError::Source(e) => write!(f, "the token source failed: {e}"),
        }
    }
}

impl std::error::Error for TokenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // Without the URL: the endpoint is not a secret, but a user's
            // own source may have put one in it.
            TokenError::Transport(e) => Some(e),
            TokenError::Source(e) => Some(&**e),
            _ => None,
        }
    }
}

/// How the client authenticates to the token endpoint (RFC 6749 §2.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ClientAuth {
    /// HTTP Basic with the form-encoded client ID and secret, which every
    /// authorization server must support (`client_secret_basic`).
    #[default]
    Basic,
    /// `client_id` and `client_secret` in the form body
    /// (`client_secret_post`), for servers that want them there.
    Body,
}

/// A cached token and when to stop using it.
struct Cached {
    token: Secret,
    renew_at: Option<Instant>,
}

impl Cached {
    fn fresh(&self) -> bool {
        self.renew_at.is_none_or(|at| Instant::now() < at)
    }
}

/// The token endpoint and the client's credentials for it.
struct Endpoint {
    token_url: String,
    client_id: String,
    client_secret: Option<Secret>,
    auth: ClientAuth,
    params: Vec<(String, String)>,
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoint")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("auth", &self.auth)
            .field(
                "params",
                &self.params.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .finish()
    }
}

/// A successful token response (RFC 6749 §5.1).
struct Granted {
    access_token: Secret,
    expires_in: Option<u64>,
    refresh_token: Option<Secret>,
}

impl Endpoint {
    /// Posts `form` (plus the client's credentials and extra parameters) to
    /// the token endpoint and reads the token response.
    async fn request(
        &self,
        to: TokenRequest<'_>,
        form: &[(&str, &str)],
    ) -> Result<Granted, TokenError> {
        let http = to.http();
        let url = token_url(&self.token_url, to.base_url())?;
        let mut body = form_urlencode(form);
        for (k, v) in &self.params {
            append_pair(&mut body, k, v);
        }
        let mut builder = http
            .post(url)
            .header(
                CONTENT_TYPE,
                HeaderValue::from_static("application/x-www-form-urlencoded"),
            )
            .header(ACCEPT, HeaderValue::from_static("application/json"));
        match (&self.auth, &self.client_secret) {
            (ClientAuth::Basic, Some(secret)) => {
                // §2.3.1: each part form-encoded before joining.
                let pair = format!(
                    "{}:{}",
                    form_component(&self.client_id),
                    form_component(secret.expose())
                );
                let mut value = HeaderValue::from_str(&format!(
                    "Basic {}",
                    crate::base64::encode(pair.as_bytes())
                ))
                .map_err(|_| {
                    TokenError::InvalidRequest(
                        "the client credentials are not a valid header".into(),
                    )
                })?;
                value.set_sensitive(true);
                builder = builder.header(AUTHORIZATION, value);
            }
            (ClientAuth::Body, Some(secret)) => {
                append_pair(&mut body, "client_id", &self.client_id);
                append_pair(&mut body, "client_secret", secret.expose());
            }
            (_, None) => append_pair(&mut body, "client_id", &self.client_id),
        }
        let response = builder.body(body).send().await.map_err(|e| {
            if e.is_builder() {
                TokenError::InvalidRequest("the token URL is not a valid URL".into())
            } else {
                TokenError::Transport(e.without_url())
            }
        })?;
        let status = response.status();
        let text = response
            .bytes()
            .await
            .map_err(|e| TokenError::Transport(e.without_url()))?;
        let json: Option<serde_json::Value> = serde_json::from_slice(&text).ok();
        if !status.is_success() {
            let error = json.as_ref().and_then(|j| j.get("error")?.as_str());
            return Err(match error {
                Some(error) => TokenError::Refused {
                    status,
                    error: error.to_owned(),
                    description: json
                        .as_ref()
                        .and_then(|j| j.get("error_description")?.as_str())
                        .map(|d| d.chars().take(MAX_DESCRIPTION).collect()),
                    uri: json
                        .as_ref()
                        .and_then(|j| j.get("error_uri")?.as_str())
                        .map(str::to_owned),
                },
                None => TokenError::Status(status),
            });
        }
        let json = json.ok_or_else(|| TokenError::InvalidResponse("it is not JSON".into()))?;
        let access_token = json
            .get("access_token")
            .and_then(serde_json::Value::as_str)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| TokenError::InvalidResponse("it has no `access_token`".into()))?;
        // `token_type` is required, but some servers leave it out; any type
        // but Bearer would need another way of sending the token.
        if let Some(kind) = json.get("token_type").and_then(serde_json::Value::as_str)
            && !kind.eq_ignore_ascii_case("bearer")
        {
            return Err(TokenError::InvalidResponse(format!(
                "its token type is `{}`, not `Bearer`",
                kind.chars().take(40).collect::<String>()
            )));
        }
        // A number, or a numeric string as some servers send.
        let expires_in = match json.get("expires_in") {
            Some(serde_json::Value::Number(n)) => n.as_u64(),
            Some(serde_json::Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        };
        Ok(Granted {
            access_token: Secret::new(access_token),
            expires_in,
            refresh_token: json
                .get("refresh_token")
                .and_then(serde_json::Value::as_str)
                .filter(|t| !t.is_empty())
                .map(Secret::new),
        })
    }
}

/// The token endpoint's URL: `token_url`, resolved against the API's base
/// URL when relative (as some descriptions write it).
fn token_url(token_url: &str, base_url: &str) -> Result<reqwest::Url, TokenError> {
    let invalid = || TokenError::InvalidRequest("the token URL is not a valid URL".into());
    // An absolute URL parses alone; a relative one joins the base.
    reqwest::Url::parse(token_url)
        .or_else(|_| reqwest::Url::parse(&format!("{base_url}/"))?.join(token_url))
        .map_err(|_| invalid())
}

/// When to renew a token granted at `now` for `expires_in` seconds.
fn renew_at(now: Instant, expires_in: Option<u64>) -> Option<Instant> {
    let lifetime = Duration::from_secs(expires_in?);
    let margin = EXPIRY_MARGIN.min(lifetime / 2);
    Some(now + (lifetime - margin))
}

/// The cache key of a set of scopes: sorted, space-separated (the `scope`
/// parameter's own form).
fn scope_key(scopes: &[&str]) -> String {
    let mut sorted: Vec<&str> = scopes.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    sorted.join(" ")
}

/// Tokens by scope key, fetched one at a time.
#[derive(Default)]
struct Cache {
    tokens: StdMutex<HashMap<String, Cached>>,
    /// Held while a token is fetched, so concurrent callers wait for it
    /// instead of each fetching one.
    fetching: Mutex<()>,
}

impl Cache {
    fn cached(&self, key: &str) -> Option<Secret> {
        lock(&self.tokens)
            .get(key)
            .filter(|cached| cached.fresh())
            .map(|cached| cached.token.clone())
    }

    async fn get_or_fetch<F, Fut>(&self, key: String, fetch: F) -> Result<Secret, TokenError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Granted, TokenError>>,
    {
        if let Some(token) = self.cached(&key) {
            return Ok(token);
        }
        let _fetching = self.fetching.lock().await;
        // Fetched while this caller waited?
        if let Some(token) = self.cached(&key) {
            return Ok(token);
        }
        let now = Instant::now();
        let granted = fetch().await?;
        let token = granted.access_token.clone();
        lock(&self.tokens).insert(
            key,
            Cached {
                token: granted.access_token,
                renew_at: renew_at(now, granted.expires_in),
            },
        );
        Ok(token)
    }

    fn invalidate(&self, token: &Secret) {
        lock(&self.tokens).retain(|_, cached| cached.token != *token);
    }
}

/// The OAuth 2.0 client credentials flow (RFC 6749 §4.4): the client
/// authenticates as itself to the token endpoint and gets an access token.
///
/// Tokens are cached per set of scopes until shortly before they expire.
///
/// ```no_run
/// use apigen_runtime::oauth2::ClientCredentials;
///
/// let source = ClientCredentials::new("https://auth.example.com/oauth/token", "my-id", "my-secret")
///     .scopes(["read", "write"]) // instead of each operation's own
///     .param("audience", "https://api.example.com"); // as some servers want
/// ```
pub struct ClientCredentials {
    endpoint: Endpoint,
    scopes: Option<Vec<String>>,
    cache: Cache,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("endpoint", &self.endpoint)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

impl ClientCredentials {
    /// Tokens from `token_url` for the client `client_id` with
    /// `client_secret`, sent with HTTP Basic authentication.
    pub fn new(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        ClientCredentials {
            endpoint: Endpoint {
                token_url: token_url.into(),
                client_id: client_id.into(),
                client_secret: Some(client_secret.into()),
                auth: ClientAuth::Basic,
                params: Vec::new(),
            },
            scopes: None,
            cache: Cache::default(),
        }
    }

    /// Asks for these scopes for every request, instead of the scopes each
    /// operation's security requirement lists.
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// How the client ID and secret are sent (HTTP Basic by default).
    pub fn client_auth(mut self, auth: ClientAuth) -> Self {
        self.endpoint.auth = auth;
        self
    }

    /// Sends another parameter in every token request (such as `audience`
    /// or `resource`).
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.endpoint.params.push((name.into(), value.into()));
        self
    }

    /// The token endpoint's URL.
    pub fn token_url(&self) -> &str {
        &self.endpoint.token_url
    }
}

impl TokenSource for ClientCredentials {
    fn token<'a>(&'a self, request: TokenRequest<'a>) -> TokenFuture<'a> {
        Box::pin(async move {
            let own: Vec<&str>;
            let scopes = match &self.scopes {
                Some(s) => {
                    own = s.iter().map(String::as_str).collect();
                    &own[..]
                }
                None => request.scopes(),
            };
            let key = scope_key(scopes);
            let scope = key.clone();
            self.cache
                .get_or_fetch(key, || async move {
                    let mut form = vec![("grant_type", "client_credentials")];
                    if !scope.is_empty() {
                        form.push(("scope", &scope));
                    }
                    self.endpoint.request(request, &form).await
                })
                .await
        })
    }

    fn invalidate(&self, token: &Secret) {
        self.cache.invalidate(token);
    }
}

type OnRotate = Box<dyn Fn(&Secret) + Send + Sync>;

/// Access tokens renewed from a refresh token (RFC 6749 §6), as obtained
/// once by the `authorizationCode` or `password` flow. A new refresh token
/// in a response replaces the old one (servers that rotate them); see
/// [`RefreshToken::on_rotate`] to keep it.
///
/// ```no_run
/// use apigen_runtime::oauth2::RefreshToken;
///
/// let source = RefreshToken::new("https://auth.example.com/oauth/token", "my-app", "rt-123")
///     .client_secret("my-secret")
///     .on_rotate(|new| save_refresh_token(new.expose()));
/// # fn save_refresh_token(_: &str) {}
/// ```
pub struct RefreshToken {
    endpoint: Endpoint,
    refresh_token: Arc<StdMutex<Secret>>,
    on_rotate: Option<OnRotate>,
    cache: Cache,
}

impl fmt::Debug for RefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshToken")
            .field("endpoint", &self.endpoint)
            .field("refresh_token", &"***")
            .finish_non_exhaustive()
    }
}

impl RefreshToken {
    /// Access tokens from `token_url` for the public client `client_id`,
    /// renewed with `refresh_token`.
    pub fn new(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        refresh_token: impl Into<Secret>,
    ) -> Self {
        RefreshToken {
            endpoint: Endpoint {
                token_url: token_url.into(),
                client_id: client_id.into(),
                client_secret: None,
                auth: ClientAuth::Basic,
                params: Vec::new(),
            },
            refresh_token: Arc::new(StdMutex::new(refresh_token.into())),
            on_rotate: None,
            cache: Cache::default(),
        }
    }

    /// The secret of a confidential client, sent as [`ClientAuth`] says.
    pub fn client_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.endpoint.client_secret = Some(secret.into());
        self
    }

    /// How the client ID and secret are sent (HTTP Basic by default).
    pub fn client_auth(mut self, auth: ClientAuth) -> Self {
        self.endpoint.auth = auth;
        self
    }

    /// Sends another parameter in every token request.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.endpoint.params.push((name.into(), value.into()));
        self
    }

    /// Called with the new refresh token when the server sends one, so it
    /// can be stored for the next run (the old one may no longer work).
    pub fn on_rotate(mut self, f: impl Fn(&Secret) + Send + Sync + 'static) -> Self {
        self.on_rotate = Some(Box::new(f));
        self
    }

    /// The refresh token in use now.
    pub fn refresh_token(&self) -> Secret {
        lock(&self.refresh_token).clone()
    }
}

/// The value of a mutex even if a thread panicked holding it (it holds a
/// plain value, never left half-written).
fn lock<T>(m: &StdMutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl TokenSource for RefreshToken {
    fn token<'a>(&'a self, request: TokenRequest<'a>) -> TokenFuture<'a> {
        Box::pin(async move {
            // The scopes of the original grant: `scope` is left out (§6).
            self.cache
                .get_or_fetch(String::new(), || async move {
                    let current = self.refresh_token();
                    let form = [
                        ("grant_type", "refresh_token"),
                        ("refresh_token", current.expose()),
                    ];
                    let granted = self.endpoint.request(request, &form).await?;
                    if let Some(new) = &granted.refresh_token
                        && *new != current
                    {
                        *lock(&self.refresh_token) = new.clone();
                        if let Some(f) = &self.on_rotate {
                            f(new);
                        }
                    }
                    Ok(granted)
                })
                .await
        })
    }

    fn invalidate(&self, token: &Secret) {
        self.cache.invalidate(token);
    }
}

/// `application/x-www-form-urlencoded` pairs.
fn form_urlencode(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (k, v) in pairs {
        append_pair(&mut out, k, v);
    }
    out
}

fn append_pair(out: &mut String, name: &str, value: &str) {
    if !out.is_empty() {
        out.push('&');
    }
    out.push_str(&form_component(name));
    out.push('=');
    out.push_str(&form_component(value));
}

/// One form-encoded component (WHATWG `application/x-www-form-urlencoded`:
/// space as `+`).
fn form_component(text: &str) -> String {
    const FORM: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'*')
        .remove(b'-')
        .remove(b'.')
        .remove(b'_');
    percent_encoding::utf8_percent_encode(text, FORM)
        .to_string()
        .replace("%20", "+")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_renewed_before_they_expire() {
        let now = Instant::now();
        assert_eq!(
            renew_at(now, Some(3600)),
            Some(now + Duration::from_secs(3570))
        );
        // Short-lived: at half its lifetime.
        assert_eq!(renew_at(now, Some(20)), Some(now + Duration::from_secs(10)));
        assert_eq!(renew_at(now, Some(0)), Some(now));
        assert_eq!(renew_at(now, None), None);
    }

    #[test]
    fn scopes_key_the_cache_in_any_order() {
        assert_eq!(scope_key(&["write", "read", "write"]), "read write");
        assert_eq!(scope_key(&[]), "");
    }

    #[test]
    fn form_components_are_encoded_as_forms_are() {
        assert_eq!(form_component("a b+c/é"), "a+b%2Bc%2F%C3%A9");
        assert_eq!(
            form_urlencode(&[("grant_type", "client_credentials"), ("scope", "a b")]),
            "grant_type=client_credentials&scope=a+b"
        );
    }

    #[test]
    fn debug_never_shows_secrets() {
        let cc = ClientCredentials::new("https://auth.example/token", "id", "s3cr3t")
            .param("audience", "aud-value");
        let rt = RefreshToken::new("https://auth.example/token", "id", "rt-s3cr3t")
            .client_secret("s3cr3t");
        let text = format!("{cc:?} {rt:?} {:?}", rt.refresh_token());
        assert!(!text.contains("s3cr3t"), "{text}");
        assert!(!text.contains("aud-value"), "{text}");
        assert!(text.contains("https://auth.example/token"), "{text}");
    }
}
