use super::*;
use crate::load::{Format, Source};

/// Builds the IR of a JSON spec with the given `components.schemas` and
/// `paths`.
pub(super) fn build_api(schemas: &str, paths: &str) -> (Option<Api>, Diagnostics) {
    let text = format!(
        r#"{{"openapi": "3.1.0", "info": {{"title": "t", "version": "1"}},
                "paths": {paths}, "components": {{"schemas": {schemas}}}}}"#
    );
    let source = Source::parse("t.json", text, Format::Json).unwrap();
    let (doc, mut diags) = Document::parse(&source);
    let api = build(&doc.unwrap(), &mut diags);
    (api, diags)
}

/// Name of every type by its pointer, and of every operation by path.
fn names_by_pointer(api: &Api) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = api
        .types
        .iter()
        .map(|t| (t.pointer.clone(), t.name.clone()))
        .chain(
            api.operations
                .iter()
                .map(|o| (o.path.clone(), o.fn_name.clone())),
        )
        .collect();
    v.sort();
    v
}

/// [`build_api`] with the names of an earlier generation.
fn build_named_api(
    schemas: &str,
    paths: &str,
    names: Option<&crate::Names>,
) -> (Option<Api>, Diagnostics) {
    let text = format!(
        r#"{{"openapi": "3.1.0", "info": {{"title": "t", "version": "1"}},
                "paths": {paths}, "components": {{"schemas": {schemas}}}}}"#
    );
    let source = Source::parse("t.json", text, Format::Json).unwrap();
    let (doc, mut diags) = Document::parse(&source);
    let opts = crate::EmitOptions {
        names: names.cloned(),
        ..crate::EmitOptions::default()
    };
    let api = build_for(&doc.unwrap(), &opts, &mut diags);
    (api, diags)
}

fn built(schemas: &str, paths: &str, names: Option<&crate::Names>) -> (Api, Diagnostics) {
    let (api, diags) = build_named_api(schemas, paths, names);
    (api.unwrap_or_else(|| panic!("{diags}")), diags)
}

/// Each of `before`'s names that `after` has a key for, as `after` has it.
fn kept<'n>(
    before: &'n crate::Names,
    after: &crate::Names,
) -> Vec<(&'n String, &'n String, Option<String>)> {
    let sections = [
        (&before.types, &after.types),
        (&before.operation_types, &after.operation_types),
        (&before.methods, &after.methods),
    ];
    sections
        .into_iter()
        .flat_map(|(b, a)| b.iter().map(|(k, v)| (k, v, a.get(k).cloned())))
        .collect()
}

const OBJ: &str = r#"{"type": "object", "properties": {"x": {"type": "string"}}}"#;

fn op(id: &str) -> String {
    format!(
        r#"{{"operationId": "{id}", "parameters": [{{"name": "q", "in": "query", "schema": {{"type": "string"}}}}],
                "responses": {{"200": {{"description": "ok", "content": {{"application/json": {{"schema": {OBJ}}}}}}},
                               "404": {{"description": "no"}}}}}}"#
    )
}

#[test]
fn recorded_names_survive_clashing_additions() {
    // `user_profile` is `UserProfile` until a schema spelled exactly so
    // arrives; `Foo.barBaz` is `FooBarBaz` until a component of that
    // name arrives; `get` of `/two` is `get` until `/one` (visited first)
    // wants it too.
    let schemas = format!(
        r#"{{"user_profile": {OBJ}, "Foo": {{"type": "object", "properties": {{"barBaz": {OBJ}}}}}}}"#
    );
    let paths = format!(r#"{{"/two": {{"get": {}}}}}"#, op("get"));
    let reordered = format!(
        r#"{{"Foo": {{"type": "object", "properties": {{"barBaz": {OBJ}}}}}, "user_profile": {OBJ}}}"#
    );
    let (before, _) = built(&schemas, &paths, None);
    let names = before.names();
    assert_eq!(
        names.types["/components/schemas/user_profile"],
        "UserProfile"
    );
    assert_eq!(
        names.types["/components/schemas/Foo/properties/barBaz"],
        "FooBarBaz"
    );
    assert_eq!(names.methods["get /two"], "get");
    assert_eq!(names.operation_types["get /two params"], "GetParams");
    assert_eq!(names.operation_types["get /two error"], "GetError");
    // Key order changes nothing, with or without the names.
    assert_eq!(built(&reordered, &paths, None).0.names(), names);
    assert_eq!(built(&reordered, &paths, Some(&names)).0.names(), names);

    let grown_schemas = format!(
        r#"{{"User-Profile": {OBJ}, "user_profile": {OBJ}, "UserProfile": {OBJ}, "Other": {OBJ},
                "FooBarBaz": {OBJ}, "Foo": {{"type": "object", "properties": {{"barBaz": {OBJ}}}}}}}"#
    );
    let grown_paths = format!(
        r#"{{"/one": {{"get": {}}}, "/two": {{"get": {}}}, "/three": {{"get": {}}}}}"#,
        op("get"),
        op("get"),
        op("other")
    );
    // Without the names file, what users named moves.
    let moved = built(&grown_schemas, &grown_paths, None).0.names();
    let changed: Vec<_> = kept(&names, &moved)
        .into_iter()
        .filter(|(_, was, now)| now.as_ref() != Some(*was))
        .map(|(k, _, _)| k.as_str())
        .collect();
    assert!(
        changed.contains(&"/components/schemas/user_profile"),
        "{changed:?}"
    );
    assert!(changed.contains(&"get /two"), "{changed:?}");
    // With it, every name stays; the newcomers are numbered.
    let (grown, diags) = built(&grown_schemas, &grown_paths, Some(&names));
    // Only the spec's own duplicate `operationId` is worth a word.
    assert!(
        diags.iter().all(|d| d.message.contains("already used")),
        "{diags}"
    );
    let after = grown.names();
    for (key, was, now) in kept(&names, &after) {
        assert_eq!(now.as_ref(), Some(was), "{key}");
    }
    assert_eq!(
        after.types["/components/schemas/UserProfile"],
        "UserProfile2"
    );
    assert_eq!(after.types["/components/schemas/FooBarBaz"], "FooBarBaz2");
    assert_eq!(after.methods["get /one"], "get_2");
    assert_eq!(after.operation_types["get /one error"], "GetError2");
    // Reordering the grown spec keeps them too.
    let grown_reordered = format!(
        r#"{{"Foo": {{"type": "object", "properties": {{"barBaz": {OBJ}}}}}, "FooBarBaz": {OBJ},
                "Other": {OBJ}, "UserProfile": {OBJ}, "user_profile": {OBJ}, "User-Profile": {OBJ}}}"#
    );
    let reordered_paths = format!(
        r#"{{"/three": {{"get": {}}}, "/two": {{"get": {}}}, "/one": {{"get": {}}}}}"#,
        op("other"),
        op("get"),
        op("get")
    );
    assert_eq!(
        built(&grown_reordered, &reordered_paths, Some(&names))
            .0
            .names(),
        after
    );
    // And the names written then keep everything on the next run.
    assert_eq!(
        built(&grown_schemas, &grown_paths, Some(&after)).0.names(),
        after
    );
}

#[test]
fn a_renamed_operation_id_keeps_its_method_with_a_warning() {
    let paths = |id: &str| {
        format!(
            r#"{{"/users/{{id}}": {{"get": {}}}}}"#,
            op(id).replace(
                r#""name": "q", "in": "query""#,
                r#""name": "id", "in": "path", "required": true"#
            )
        )
    };
    let (before, _) = built("{}", &paths("getUser"), None);
    let names = before.names();
    assert_eq!(names.methods["get /users/{id}"], "get_user");
    let (after, diags) = built("{}", &paths("fetchUser"), Some(&names));
    assert_eq!(after.operations[0].fn_name, "get_user");
    assert_eq!(after.operations[0].error_enum, "GetUserError");
    assert_eq!(after.operations[0].operation_id, "fetchUser");
    assert_eq!(after.names(), names);
    let warnings: Vec<String> = diags
        .iter()
        .map(|d| format!("{} {}", d.pointer, d.message))
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("/paths/~1users~1{id}/get/operationId ")
            && warnings[0].contains("`fetch_user`")
            && warnings[0].contains(r#"delete the entry "get /users/{id}""#),
        "{warnings:?}"
    );
    // Without the names file, the method follows the operationId.
    assert_eq!(
        built("{}", &paths("fetchUser"), None).0.operations[0].fn_name,
        "fetch_user"
    );
}

#[test]
fn stale_and_unusable_recorded_names_are_not_kept() {
    let text = r#"{"apigen-names": 1, "types": {
            "/components/schemas/Gone": "Thing",
            "/components/schemas/a": "not a name",
            "/components/schemas/b": "B"},
            "methods": {"get /x": "new"}}"#;
    let names = crate::Names::from_json(text, "t.names.json").unwrap();
    let schemas = format!(r#"{{"thing": {OBJ}, "a": {OBJ}, "b": {OBJ}}}"#);
    let paths =
        r#"{"/x": {"get": {"operationId": "x", "responses": {"204": {"description": "ok"}}}}}"#;
    let (api, diags) = built(&schemas, paths, Some(&names));
    let got = api.names();
    // A name recorded for what is gone reserves nothing.
    assert_eq!(got.types["/components/schemas/thing"], "Thing");
    assert_eq!(got.types["/components/schemas/a"], "A");
    assert_eq!(got.types["/components/schemas/b"], "B");
    // `new` is the client's constructor.
    assert_eq!(got.methods["get /x"], "x");
    let at: Vec<String> = diags
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{}",
                d.file,
                d.position.map(|p| p.line).unwrap_or(0),
                d.pointer
            )
        })
        .collect();
    assert_eq!(
        at,
        [
            "t.names.json:3:/types/~1components~1schemas~1a",
            "t.names.json:5:/methods/get ~1x"
        ],
        "{diags}"
    );
}

#[test]
fn scheme_setters_do_not_clash_with_client_methods() {
    let text = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/x": {"get": {"operationId": "with_header", "responses": {"204": {"description": "ok"}}}}},
            "components": {"securitySchemes": {
                "header": {"type": "apiKey", "in": "header", "name": "X-A"},
                "timeout": {"type": "apiKey", "in": "header", "name": "X-B"},
                "userAgent": {"type": "http", "scheme": "bearer"}}}}"#;
    let source = Source::parse("t.json", text.to_owned(), Format::Json).unwrap();
    let (doc, mut diags) = Document::parse(&source);
    let api = build(&doc.unwrap(), &mut diags).unwrap_or_else(|| panic!("{diags}"));
    let idents: Vec<&str> = api.schemes.iter().map(|s| s.ident.as_str()).collect();
    assert_eq!(idents, ["header_2", "timeout_2", "user_agent_2"]);
    // `with_header` is the client's, `with_header_2` the scheme's.
    assert_eq!(api.operations[0].fn_name, "with_header_3");
}

#[test]
fn clashing_inline_and_operation_names_do_not_depend_on_key_order() {
    // `Foo.barBaz` and `FooBar.baz` both want the inline name
    // `FooBarBaz`; two operations both want `get`.
    let a = r#""Foo": {"type": "object", "properties": {"barBaz": {"type": "object", "properties": {"x": {"type": "string"}}}, "z": {"type": "string"}}}"#;
    let ab = r#""FooBar": {"type": "object", "properties": {"baz": {"type": "object", "properties": {"y": {"type": "string"}}}}}"#;
    let p1 =
        r#""/one": {"get": {"operationId": "get", "responses": {"204": {"description": "ok"}}}}"#;
    let p2 =
        r#""/two": {"get": {"operationId": "get", "responses": {"204": {"description": "ok"}}}}"#;
    let (x, dx) = build_api(&format!("{{{a}, {ab}}}"), &format!("{{{p1}, {p2}}}"));
    let (y, dy) = build_api(&format!("{{{ab}, {a}}}"), &format!("{{{p2}, {p1}}}"));
    let (x, y) = (
        x.unwrap_or_else(|| panic!("{dx}")),
        y.unwrap_or_else(|| panic!("{dy}")),
    );
    assert_eq!(names_by_pointer(&x), names_by_pointer(&y));
    let names: Vec<String> = x.types.iter().map(|t| t.name.clone()).collect();
    assert!(
        names.contains(&"FooBarBaz".to_owned()) && names.contains(&"FooBarBaz2".to_owned()),
        "{names:?}"
    );
    // Output keeps the document's order.
    assert_eq!(x.operations[0].path, "/one");
    assert_eq!(y.operations[0].path, "/two");
}

fn type_named<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types.iter().find(|t| t.name == name).unwrap()
}

fn fields(api: &Api, name: &str) -> Vec<Field> {
    match &type_named(api, name).kind {
        TypeKind::Struct(s) => s.fields.clone(),
        other => panic!("{name} is not a struct: {other:?}"),
    }
}

#[test]
fn components_that_wrap_one_schema_are_aliases() {
    let (api, diags) = build_api(
        r##"{
                "One": {"oneOf": [{"$ref": "#/components/schemas/B"}], "discriminator": {"propertyName": "k"}},
                "Nullable": {"anyOf": [{"$ref": "#/components/schemas/B"}, {"type": "null"}]},
                "All": {"allOf": [{"$ref": "#/components/schemas/B"}], "description": "wraps B"},
                "B": {"type": "object", "properties": {"k": {"type": "string"}}}
            }"##,
        "{}",
    );
    let api = api.unwrap_or_else(|| panic!("{diags}"));
    let b = api.types.iter().position(|t| t.name == "B").unwrap();
    for name in ["One", "Nullable", "All"] {
        assert!(
            matches!(type_named(&api, name).kind, TypeKind::Alias(Ty::Named(id)) if id == b),
            "{name}: {:?}",
            type_named(&api, name).kind
        );
    }
    assert!(type_named(&api, "Nullable").nullable);
}

#[test]
fn field_docs_are_not_copied_from_generated_types() {
    let (api, diags) = build_api(
        r##"{
                "Owner": {"type": "object", "description": "An owner.", "properties": {
                    "name": {"type": "string", "description": "The owner's name."}}},
                "Pet": {"type": "object", "properties": {
                    "owner": {"$ref": "#/components/schemas/Owner"},
                    "described": {"$ref": "#/components/schemas/Owner", "description": "Who feeds it."},
                    "owner_name": {"$ref": "#/components/schemas/Owner/properties/name"}}}
            }"##,
        "{}",
    );
    let api = api.unwrap_or_else(|| panic!("{diags}"));
    let docs: Vec<Option<String>> = fields(&api, "Pet").into_iter().map(|f| f.doc).collect();
    assert_eq!(
        docs,
        [
            None,
            Some("Who feeds it.".to_owned()),
            Some("The owner's name.".to_owned())
        ]
    );
}

#[test]
fn names_do_not_depend_on_key_order() {
    let names = |schemas: &str| {
        let (api, diags) = build_api(schemas, "{}");
        let api = api.unwrap_or_else(|| panic!("{diags}"));
        let mut out: Vec<String> = api.types.iter().map(|t| t.name.clone()).collect();
        for f in fields(&api, "Keys") {
            out.push(format!("{}={}", f.name, f.json_name));
        }
        out.sort();
        out
    };
    let forward = names(
        r#"{"crm.account": {"type": "string"}, "CrmAccount": {"type": "string"},
                "Keys": {"type": "object", "properties": {
                    "fooBar": {"type": "string"}, "foo-bar": {"type": "string"}, "foo_bar": {"type": "string"}}}}"#,
    );
    let backward = names(
        r#"{"Keys": {"type": "object", "properties": {
                    "foo_bar": {"type": "string"}, "foo-bar": {"type": "string"}, "fooBar": {"type": "string"}}},
                "CrmAccount": {"type": "string"}, "crm.account": {"type": "string"}}"#,
    );
    assert_eq!(forward, backward);
    assert!(
        forward.contains(&"foo_bar=foo_bar".to_owned()),
        "{forward:?}"
    );
    assert!(forward.contains(&"CrmAccount2".to_owned()), "{forward:?}");
}

#[test]
fn cookie_parameters_are_kept_like_other_parameters() {
    let (api, diags) = build_api(
        "{}",
        r#"{"/a": {"get": {"parameters": [
                {"name": "s", "in": "cookie", "required": true, "schema": {"type": "string"}},
                {"name": "q", "in": "query", "schema": {"type": "string"}}],
                "responses": {"204": {"description": "ok"}}}}}"#,
    );
    let api = api.unwrap_or_else(|| panic!("{diags}"));
    let params: Vec<(&str, ParamLocation, bool)> = api.operations[0]
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.location, p.required))
        .collect();
    assert_eq!(
        params,
        [
            ("s", ParamLocation::Cookie, true),
            ("q", ParamLocation::Query, false)
        ]
    );
    assert!(diags.is_empty(), "{diags}");
}

#[test]
fn a_bad_reference_is_reported_once() {
    let (api, diags) = build_api(
        r##"{"Pet": {"type": "object", "properties": {"o": {"$ref": "#/components/schemas/Nope"}}},
                 "U": {"oneOf": [{"$ref": "#/components/schemas/Gone"}, {"type": "string"}],
                       "discriminator": {"propertyName": "k"}}}"##,
        "{}",
    );
    assert!(api.is_none());
    let pointers: Vec<&str> = diags.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(
        pointers,
        [
            "/components/schemas/Pet/properties/o/$ref",
            "/components/schemas/U/oneOf/0/$ref"
        ],
        "{diags}"
    );
}
