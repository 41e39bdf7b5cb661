//! The `Client` methods of OAuth 2 and OpenID Connect schemes, beyond the
//! plain `with_<scheme>(token)`: a token source, the client credentials
//! flow and refresh tokens, from the token URLs the scheme declares (see
//! the runtime's `oauth2` module).

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{Cx, doc_attrs};
use crate::ir::Scheme;

impl Cx<'_> {
    /// `with_<scheme>_token_source`, and `with_<scheme>_client_credentials`
    /// / `with_<scheme>_refresh_token` where the scheme declares their token
    /// URL. Nothing for schemes without tokens.
    pub(super) fn token_methods(&self, index: usize, s: &Scheme) -> TokenStream {
        let (Some(urls), Some(names)) = (&s.tokens, &s.token_setters) else {
            return quote!();
        };
        let rt = &self.rt;
        let idx = Literal::usize_unsuffixed(index);
        let name = &s.name;
        let source = format_ident!("with_{}", names.source);
        let source_doc = doc_attrs(Some(&format!(
            "Gets the bearer tokens of security scheme `{name}` from `source`, asked before each request that needs one with the scopes the operation requires (see the runtime's `oauth2` module): any provider of tokens, or an `oauth2::ClientCredentials` / `oauth2::RefreshToken` of your own (another token URL, client authentication in the body, extra parameters). A `401` answer gets one new token and one retry.{oidc}",
            oidc = urls
                .open_id_connect
                .as_ref()
                .map(|u| format!(
                    "\n\nThe scheme is OpenID Connect: its provider is described at <{u}>."
                ))
                .unwrap_or_default(),
        )));
        let mut out = quote! {
            #source_doc
            pub fn #source(mut self, source: impl #rt::oauth2::TokenSource) -> Self {
                self.core.set_token_source(#idx, source);
                self
            }
        };
        if let Some(url) = &urls.client_credentials {
            let m = format_ident!("with_{}", names.client_credentials);
            let doc = doc_attrs(Some(&format!(
                "Gets the tokens of security scheme `{name}` with the OAuth 2 client credentials flow: from `{url}`, as `client_id` with `client_secret` (HTTP Basic), for the scopes each operation requires; each token is kept until shortly before it expires and shared by concurrent calls. For another token URL, use [`Client::{source}`] with a `ClientCredentials` of your own.\n\nThe secret and the tokens never appear in `Debug` output, errors or logs."
            )));
            out.extend(quote! {
                #doc
                pub fn #m(mut self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
                    let secret: String = client_secret.into();
                    self.core.set_token_source(#idx, #rt::oauth2::ClientCredentials::new(#url, client_id, secret));
                    self
                }
            });
        }
        if let Some(url) = &urls.refresh {
            let m = format_ident!("with_{}", names.refresh_token);
            let doc = doc_attrs(Some(&format!(
                "Gets the tokens of security scheme `{name}` from a refresh token (obtained once by the authorization code or password flow): renewed at `{url}` as the public client `client_id` whenever one is needed. For a confidential client (with a secret), or to keep a rotated refresh token, use [`Client::{source}`] with a `RefreshToken` of your own.\n\nThe refresh token and the tokens never appear in `Debug` output, errors or logs."
            )));
            out.extend(quote! {
                #doc
                pub fn #m(mut self, client_id: impl Into<String>, refresh_token: impl Into<String>) -> Self {
                    let token: String = refresh_token.into();
                    self.core.set_token_source(#idx, #rt::oauth2::RefreshToken::new(#url, client_id, token));
                    self
                }
            });
        }
        out
    }
}
