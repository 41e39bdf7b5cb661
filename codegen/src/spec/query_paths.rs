//! Path templates that carry a query (`/search?q={query}`,
//! `/rides?page={page}&per_page={per_page}`): the OpenAPI specification
//! forbids them (a path is a path; query parameters are parameters), real
//! specs have them. Read as meant, with a warning pointing at the key:
//!
//! * `name={var}`: the parameter `var` is the query parameter `name`;
//! * `{var}=…` or `{var}` alone: the parameter `var` is the query parameter
//!   `var` (the literal after `=` is the author's sample value);
//! * `name=literal` (or `name`): sent as it is with every request.
//!
//! The parameter is the one declared for `var` (in the path, where these
//! specs put it, or in the query under `name`); if none is, a required
//! string query parameter.

use super::{ParamLocation, ParamStyle, Parameter};

/// The query part of an operation's path template, split off.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateQuery {
    /// (wire name, template variable) of each templated pair.
    pub params: Vec<(String, String)>,
    /// (name, value) of each literal pair, in order; value `None` for a
    /// bare `name`.
    pub fixed: Vec<(String, Option<String>)>,
}

/// `path` without its query part, and that part, if it has one.
pub(super) fn split(path: &str) -> (&str, Option<TemplateQuery>) {
    let Some((path, query)) = path.split_once('?') else {
        return (path, None);
    };
    let mut out = TemplateQuery::default();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = match pair.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (pair, None),
        };
        if let Some(var) = template_var(key) {
            out.params.push((var.to_owned(), var.to_owned()));
        } else if let Some(var) = value.and_then(template_var) {
            out.params.push((key.to_owned(), var.to_owned()));
        } else {
            out.fixed.push((key.to_owned(), value.map(str::to_owned)));
        }
    }
    (path, Some(out))
}

/// `var` of a whole `{var}`.
fn template_var(text: &str) -> Option<&str> {
    text.strip_prefix('{')?
        .strip_suffix('}')
        .filter(|v| !v.is_empty() && !v.contains(['{', '}']))
}

/// Makes the parameters the query part names query parameters (see the
/// module doc), adding the ones no declaration gives. `pointer` is the
/// operation's, for added parameters.
pub(super) fn apply<'a>(query: &TemplateQuery, parameters: &mut Vec<Parameter<'a>>, pointer: &str) {
    for (name, var) in &query.params {
        let declared = parameters.iter().position(|p| {
            (p.location == ParamLocation::Path && p.name == *var)
                || (p.location == ParamLocation::Query && (p.name == *name || p.name == *var))
        });
        match declared {
            Some(i) => {
                let p = &mut parameters[i];
                if p.location == ParamLocation::Path {
                    p.location = ParamLocation::Query;
                    p.style = ParamStyle::Form;
                    p.explode = true;
                    p.multi_segment = false;
                }
                p.name.clone_from(name);
            }
            None => parameters.push(Parameter {
                pointer: pointer.to_owned(),
                name: name.clone(),
                location: ParamLocation::Query,
                required: true,
                description: None,
                deprecated: false,
                style: ParamStyle::Form,
                explode: true,
                schema: None,
                json_content: false,
                media_type: None,
                multi_segment: false,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_of_every_kind() {
        let (path, query) = split("/numbers/{country}?q={query}&{search}=1&{kind}&v=2&flag");
        assert_eq!(path, "/numbers/{country}");
        let query = query.unwrap();
        assert_eq!(
            query.params,
            [
                ("q".to_owned(), "query".to_owned()),
                ("search".to_owned(), "search".to_owned()),
                ("kind".to_owned(), "kind".to_owned()),
            ]
        );
        assert_eq!(
            query.fixed,
            [
                ("v".to_owned(), Some("2".to_owned())),
                ("flag".to_owned(), None)
            ]
        );
        assert_eq!(split("/plain/{id}"), ("/plain/{id}", None));
        assert_eq!(split("/x?").1, Some(TemplateQuery::default()));
    }
}
