//! The examples of RFC 9535 (the query, the document it is applied to, and
//! the result paths its tables give), and errors.

use serde_json::{Value, json};

use super::JsonPath;

/// The Normalized Paths `query` selects from `doc`.
fn paths(query: &str, doc: &Value) -> Vec<String> {
    let path = JsonPath::parse(query).unwrap_or_else(|e| panic!("{query}: {e}"));
    path.select(doc)
        .iter()
        .map(|n| n.location.normalized())
        .collect()
}

/// The values `query` selects from `doc`.
fn values(query: &str, doc: &Value) -> Vec<Value> {
    let path = JsonPath::parse(query).unwrap_or_else(|e| panic!("{query}: {e}"));
    path.select(doc).iter().map(|n| n.value.clone()).collect()
}

fn error(query: &str) -> super::ParseError {
    match JsonPath::parse(query) {
        Ok(p) => panic!("{query} parsed: {p:?}"),
        Err(e) => e,
    }
}

/// RFC 9535 §1.5, Figure 1.
fn bookstore() -> Value {
    json!({ "store": {
        "book": [
          { "category": "reference",
            "author": "Nigel Rees",
            "title": "Sayings of the Century",
            "price": 8.95
          },
          { "category": "fiction",
            "author": "Evelyn Waugh",
            "title": "Sword of Honour",
            "price": 12.99
          },
          { "category": "fiction",
            "author": "Herman Melville",
            "title": "Moby Dick",
            "isbn": "0-553-21311-3",
            "price": 8.99
          },
          { "category": "fiction",
            "author": "J. R. R. Tolkien",
            "title": "The Lord of the Rings",
            "isbn": "0-395-19395-8",
            "price": 22.99
          }
        ],
        "bicycle": {
          "color": "red",
          "price": 399
        }
      }
    })
}

/// RFC 9535 §1.5, Table 2: the queries and their intended results.
#[test]
fn rfc_table_2_bookstore() {
    let doc = bookstore();
    let authors = [
        "Nigel Rees",
        "Evelyn Waugh",
        "Herman Melville",
        "J. R. R. Tolkien",
    ];
    assert_eq!(values("$.store.book[*].author", &doc), authors);
    assert_eq!(values("$..author", &doc), authors);
    assert_eq!(
        paths("$.store.*", &doc),
        ["$['store']['book']", "$['store']['bicycle']"]
    );
    // The prices of everything in the store: every book's and the bicycle's.
    let mut prices: Vec<String> = values("$.store..price", &doc)
        .iter()
        .map(Value::to_string)
        .collect();
    prices.sort();
    assert_eq!(prices, ["12.99", "22.99", "399", "8.95", "8.99"]);
    assert_eq!(paths("$..book[2]", &doc), ["$['store']['book'][2]"]);
    assert_eq!(values("$..book[2].author", &doc), ["Herman Melville"]);
    assert!(paths("$..book[2].publisher", &doc).is_empty());
    assert_eq!(paths("$..book[-1]", &doc), ["$['store']['book'][3]"]);
    let first_two = ["$['store']['book'][0]", "$['store']['book'][1]"];
    assert_eq!(paths("$..book[0,1]", &doc), first_two);
    assert_eq!(paths("$..book[:2]", &doc), first_two);
    assert_eq!(
        paths("$..book[?@.isbn]", &doc),
        ["$['store']['book'][2]", "$['store']['book'][3]"]
    );
    assert_eq!(
        paths("$..book[?@.price<10]", &doc),
        ["$['store']['book'][0]", "$['store']['book'][2]"]
    );
    // Every member value and array element: 1 store, its 2 members, 4 books
    // with 4 + 4 + 5 + 5 members, 2 bicycle members.
    assert_eq!(paths("$..*", &doc).len(), 1 + 2 + 4 + 18 + 2);
}

/// §2.2.3, Table 3.
#[test]
fn rfc_root_identifier() {
    let doc = json!({"k": "v"});
    assert_eq!(paths("$", &doc), ["$"]);
    assert_eq!(values("$", &doc), vec![json!({"k": "v"})]);
}

/// §2.3.1.3, Table 5.
#[test]
fn rfc_name_selector() {
    let doc = json!({
      "o": {"j j": {"k.k": 3}},
      "'": {"@": 2}
    });
    assert_eq!(paths("$.o['j j']", &doc), ["$['o']['j j']"]);
    assert_eq!(values("$.o['j j']['k.k']", &doc), [json!(3)]);
    assert_eq!(
        paths("$.o[\"j j\"][\"k.k\"]", &doc),
        ["$['o']['j j']['k.k']"]
    );
    assert_eq!(paths("$[\"'\"][\"@\"]", &doc), ["$['\\'']['@']"]);
    assert_eq!(values("$[\"'\"][\"@\"]", &doc), [json!(2)]);
}

/// §2.3.2.3, Table 6 (members in document order).
#[test]
fn rfc_wildcard_selector() {
    let doc = json!({
      "o": {"j": 1, "k": 2},
      "a": [5, 3]
    });
    assert_eq!(paths("$[*]", &doc), ["$['o']", "$['a']"]);
    assert_eq!(paths("$.o[*]", &doc), ["$['o']['j']", "$['o']['k']"]);
    assert_eq!(
        paths("$.o[*, *]", &doc),
        ["$['o']['j']", "$['o']['k']", "$['o']['j']", "$['o']['k']"]
    );
    assert_eq!(paths("$.a[*]", &doc), ["$['a'][0]", "$['a'][1]"]);
}

/// §2.3.3.3, Table 7.
#[test]
fn rfc_index_selector() {
    let doc = json!(["a", "b"]);
    assert_eq!(paths("$[1]", &doc), ["$[1]"]);
    assert_eq!(values("$[1]", &doc), ["b"]);
    assert_eq!(paths("$[-2]", &doc), ["$[0]"]);
    assert!(paths("$[2]", &doc).is_empty());
    assert!(paths("$[-3]", &doc).is_empty());
}

/// §2.3.4.3, Table 9.
#[test]
fn rfc_slice_selector() {
    let doc = json!(["a", "b", "c", "d", "e", "f", "g"]);
    assert_eq!(paths("$[1:3]", &doc), ["$[1]", "$[2]"]);
    assert_eq!(paths("$[5:]", &doc), ["$[5]", "$[6]"]);
    assert_eq!(paths("$[1:5:2]", &doc), ["$[1]", "$[3]"]);
    assert_eq!(paths("$[5:1:-2]", &doc), ["$[5]", "$[3]"]);
    assert_eq!(
        paths("$[::-1]", &doc),
        ["$[6]", "$[5]", "$[4]", "$[3]", "$[2]", "$[1]", "$[0]"]
    );
    // §2.3.4.1: step 0 selects nothing.
    assert!(paths("$[::0]", &doc).is_empty());
}

/// §2.3.5.3, Table 11: each comparison as a filter on a one-element array,
/// so it selects the element exactly when the comparison is true.
#[test]
fn rfc_comparison_table() {
    let doc = json!({
      "obj": {"x": "y"},
      "arr": [2, 3]
    });
    let table = [
        ("$.absent1 == $.absent2", true),
        ("$.absent1 <= $.absent2", true),
        ("$.absent == 'g'", false),
        ("$.absent1 != $.absent2", false),
        ("$.absent != 'g'", true),
        ("1 <= 2", true),
        ("1 > 2", false),
        ("13 == '13'", false),
        ("'a' <= 'b'", true),
        ("'a' > 'b'", false),
        ("$.obj == $.arr", false),
        ("$.obj != $.arr", true),
        ("$.obj == $.obj", true),
        ("$.obj != $.obj", false),
        ("$.arr == $.arr", true),
        ("$.arr != $.arr", false),
        ("$.obj == 17", false),
        ("$.obj != 17", true),
        ("$.obj <= $.arr", false),
        ("$.obj < $.arr", false),
        ("$.obj <= $.obj", true),
        ("$.arr <= $.arr", true),
        ("1 <= $.arr", false),
        ("1 >= $.arr", false),
        ("1 > $.arr", false),
        ("1 < $.arr", false),
        ("true <= true", true),
        ("true > true", false),
    ];
    // `$` in the filter is the whole document; the filter runs on `$.wrap`.
    let mut wrapped = doc;
    wrapped["wrap"] = json!([0]);
    for (comparison, expected) in table {
        let query = format!("$.wrap[?{comparison}]");
        let selected = !paths(&query, &wrapped).is_empty();
        assert_eq!(selected, expected, "{comparison}");
    }
}

/// §2.3.5.3, Table 12.
#[test]
fn rfc_filter_selector() {
    let doc = json!({
      "a": [3, 5, 1, 2, 4, 6,
            {"b": "j"},
            {"b": "k"},
            {"b": {}},
            {"b": "kilo"}
           ],
      "o": {"p": 1, "q": 2, "r": 3, "s": 5, "t": {"u": 6}},
      "e": "f"
    });
    let a = |is: &[usize]| {
        is.iter()
            .map(|i| format!("$['a'][{i}]"))
            .collect::<Vec<_>>()
    };
    assert_eq!(paths("$.a[?@.b == 'kilo']", &doc), a(&[9]));
    assert_eq!(paths("$.a[?(@.b == 'kilo')]", &doc), a(&[9]));
    assert_eq!(paths("$.a[?@>3.5]", &doc), a(&[1, 4, 5]));
    assert_eq!(paths("$.a[?@.b]", &doc), a(&[6, 7, 8, 9]));
    assert_eq!(paths("$[?@.*]", &doc), ["$['a']", "$['o']"]);
    assert_eq!(paths("$[?@[?@.b]]", &doc), ["$['a']"]);
    assert_eq!(
        paths("$.o[?@<3, ?@<3]", &doc),
        ["$['o']['p']", "$['o']['q']", "$['o']['p']", "$['o']['q']"]
    );
    assert_eq!(paths("$.a[?@<2 || @.b == \"k\"]", &doc), a(&[2, 7]));
    assert_eq!(paths("$.a[?match(@.b, \"[jk]\")]", &doc), a(&[6, 7]));
    assert_eq!(paths("$.a[?search(@.b, \"[jk]\")]", &doc), a(&[6, 7, 9]));
    assert_eq!(
        paths("$.o[?@>1 && @<4]", &doc),
        ["$['o']['q']", "$['o']['r']"]
    );
    assert_eq!(paths("$.o[?@.u || @.x]", &doc), ["$['o']['t']"]);
    assert_eq!(paths("$.a[?@.b == $.x]", &doc), a(&[0, 1, 2, 3, 4, 5]));
    assert_eq!(
        paths("$.a[?@ == @]", &doc),
        a(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    );
}

/// §2.4.9, Table 14: well-typed and not well-typed function expressions
/// (those naming the RFC's hypothetical functions `foo`, `bar`, … are
/// unknown here, so errors).
#[test]
fn rfc_function_well_typedness() {
    for ok in [
        "$[?length(@) < 3]",
        "$[?count(@.*) == 1]",
        "$[?match(@.timezone, 'Europe/.*')]",
        "$[?value(@..color) == \"red\"]",
    ] {
        if let Err(e) = JsonPath::parse(ok) {
            panic!("{ok}: {e}");
        }
    }
    for bad in [
        "$[?length(@.*) < 3]",
        "$[?count(1) == 1]",
        "$[?match(@.timezone, 'Europe/.*') == true]",
        "$[?value(@..color)]",
        "$[?bar(@.a)]",
    ] {
        error(bad);
    }
}

/// §2.4.4 to §2.4.8: what each function computes.
#[test]
fn rfc_functions() {
    let doc = json!([
        {"authors": ["a", "b", "c", "d", "e"], "date": "1974-05-11", "author": "Bob"},
        {"authors": "ab", "date": "1974-06-01", "author": "Rob Roy"},
        {"x": {"color": "red"}, "y": [{"color": "blue"}]},
        {"x": {"color": "red"}},
    ]);
    assert_eq!(paths("$[?length(@.authors) >= 5]", &doc), ["$[0]"]);
    assert_eq!(paths("$[?length(@.authors) == 2]", &doc), ["$[1]"]);
    assert_eq!(paths("$[?count(@.*) == 1]", &doc), ["$[3]"]);
    assert_eq!(paths("$[?match(@.date, \"1974-05-..\")]", &doc), ["$[0]"]);
    assert_eq!(
        paths("$[?search(@.author, \"[BR]ob\")]", &doc),
        ["$[0]", "$[1]"]
    );
    // Several nodes: `value` is Nothing.
    assert_eq!(paths("$[?value(@..color) == \"red\"]", &doc), ["$[3]"]);
    // `match` is anchored; `.` does not match a line break; `^`/`$` are
    // ordinary characters in I-Regexp.
    let strings = json!(["ab", "xaby", "a\nb", "^a$"]);
    assert_eq!(paths("$[?match(@, 'ab')]", &strings), ["$[0]"]);
    assert_eq!(paths("$[?search(@, 'ab')]", &strings), ["$[0]", "$[1]"]);
    assert!(paths("$[?match(@, 'a.b')]", &strings).is_empty());
    assert_eq!(paths("$[?match(@, '^a$')]", &strings), ["$[3]"]);
    // A pattern taken from the document.
    let dynamic = json!({"re": "a.", "items": ["ab", "b"]});
    assert_eq!(
        paths("$.items[?match(@, $.re)]", &dynamic),
        ["$['items'][0]"]
    );
    // A pattern that is not a regular expression matches nothing.
    assert!(paths("$[?match(@, '(')]", &strings).is_empty());
    let e = error("$[?match(@, '\\\\p{L}')]");
    assert!(e.message.contains("Unicode property"), "{e}");
}

/// §2.5.1.3, Table 15.
#[test]
fn rfc_child_segment() {
    let doc = json!(["a", "b", "c", "d", "e", "f", "g"]);
    assert_eq!(paths("$[0, 3]", &doc), ["$[0]", "$[3]"]);
    assert_eq!(paths("$[0:2, 5]", &doc), ["$[0]", "$[1]", "$[5]"]);
    assert_eq!(paths("$[0, 0]", &doc), ["$[0]", "$[0]"]);
}

/// §2.5.2.3, Table 16 (members in document order).
#[test]
fn rfc_descendant_segment() {
    let doc = json!({
      "o": {"j": 1, "k": 2},
      "a": [5, 3, [{"j": 4}, {"k": 6}]]
    });
    assert_eq!(paths("$..j", &doc), ["$['o']['j']", "$['a'][2][0]['j']"]);
    assert_eq!(paths("$..[0]", &doc), ["$['a'][0]", "$['a'][2][0]"]);
    let all = [
        "$['o']",
        "$['a']",
        "$['o']['j']",
        "$['o']['k']",
        "$['a'][0]",
        "$['a'][1]",
        "$['a'][2]",
        "$['a'][2][0]",
        "$['a'][2][1]",
        "$['a'][2][0]['j']",
        "$['a'][2][1]['k']",
    ];
    assert_eq!(paths("$..[*]", &doc), all);
    assert_eq!(paths("$..*", &doc), all);
    assert_eq!(paths("$..o", &doc), ["$['o']"]);
    assert_eq!(
        paths("$.o..[*, *]", &doc),
        ["$['o']['j']", "$['o']['k']", "$['o']['j']", "$['o']['k']"]
    );
    assert_eq!(
        paths("$.a..[0, 1]", &doc),
        ["$['a'][0]", "$['a'][1]", "$['a'][2][0]", "$['a'][2][1]"]
    );
}

/// §2.6.1, Table 17.
#[test]
fn rfc_null_semantics() {
    let doc = json!({"a": null, "b": [null], "c": [{}], "null": 1});
    assert_eq!(paths("$.a", &doc), ["$['a']"]);
    assert!(paths("$.a[0]", &doc).is_empty());
    assert!(paths("$.a.d", &doc).is_empty());
    assert_eq!(paths("$.b[0]", &doc), ["$['b'][0]"]);
    assert_eq!(paths("$.b[*]", &doc), ["$['b'][0]"]);
    assert_eq!(paths("$.b[?@]", &doc), ["$['b'][0]"]);
    assert_eq!(paths("$.b[?@==null]", &doc), ["$['b'][0]"]);
    assert!(paths("$.c[?@.d==null]", &doc).is_empty());
    assert_eq!(values("$.null", &doc), [json!(1)]);
}

/// §2.7.1, Table 18.
#[test]
fn rfc_normalized_paths() {
    let doc = json!({"a": {"b": [0, 1]}, "\u{b}": 1});
    assert_eq!(paths("$.a", &doc), ["$['a']"]);
    assert_eq!(paths("$.a.b[1:2]", &doc), ["$['a']['b'][1]"]);
    assert_eq!(paths("$[\"\\u000B\"]", &doc), ["$['\\u000b']"]);
    assert_eq!(paths("$[\"\\u0061\"]", &doc), ["$['a']"]);
    let five = json!([0, 1, 2, 3, 4]);
    assert_eq!(paths("$[-3]", &five), ["$[2]"]);
    let node = JsonPath::parse("$.a.b[1]").unwrap();
    let selected = node.select(&doc);
    assert_eq!(selected[0].location.pointer(), "/a/b/1");
}

#[test]
fn logical_operators_and_literals() {
    let doc = json!([
        {"name": "filter", "in": "query"},
        {"name": "filter", "in": "header"},
        {"name": "page", "in": "query", "n": -1.5e1},
        {"name": "x", "flag": true, "none": null},
    ]);
    assert_eq!(
        paths("$[?@.name=='filter' && @.in=='query']", &doc),
        ["$[0]"]
    );
    assert_eq!(paths("$[?!(@.in == 'query')]", &doc), ["$[1]", "$[3]"]);
    assert_eq!(paths("$[?!@.in]", &doc), ["$[3]"]);
    assert_eq!(paths("$[?@.n < -10]", &doc), ["$[2]"]);
    assert_eq!(paths("$[?@.n == -15]", &doc), ["$[2]"]);
    assert_eq!(
        paths("$[?@.flag == true && @.none == null]", &doc),
        ["$[3]"]
    );
    assert_eq!(
        paths("$[?(@.in == 'header' || @.flag) && @.name != 'x']", &doc),
        ["$[1]"]
    );
    assert_eq!(paths("$[?@['in'] == \"header\"]", &doc), ["$[1]"]);
    // Escapes in names; `-` in a dotted name (an extension).
    let esc = json!({"a'b": 1, "a\"b": 2, "x-y": {"z": 3}, "tab\there": 4});
    assert_eq!(values("$['a\\'b']", &esc), [json!(1)]);
    assert_eq!(values("$[\"a\\\"b\"]", &esc), [json!(2)]);
    assert_eq!(values("$.x-y.z", &esc), [json!(3)]);
    assert_eq!(values("$['tab\\there']", &esc), [json!(4)]);
    assert_eq!(
        values("$[\"\\uD834\\uDD1E\"]", &json!({"𝄞": 5})),
        [json!(5)]
    );
    // Whitespace between segments and inside brackets.
    assert_eq!(values("$ .x-y [ 'z' ]", &esc), [json!(3)]);
}

#[test]
fn malformed_queries_name_the_offset() {
    let cases = [
        ("", 0),
        ("store", 0),
        ("$.", 2),
        ("$..", 3),
        ("$[", 2),
        ("$['a'", 5),
        ("$['a]", 2),
        ("$[01]", 2),
        ("$[-0]", 2),
        ("$[9007199254740992]", 2),
        ("$.a ]", 4),
        ("$.a ", 3),
        ("$[?@.a = 1]", 7),
        ("$[?@.a == ]", 10),
        ("$[?foo(@)]", 3),
        ("$[?length(@.a, 1) == 1]", 3),
        ("$[?1]", 3),
        ("$[?@.a == 1 &&]", 14),
        ("$['\\q']", 3),
        ("$[?@.*  == 1]", 3),
        ("$.a[?(@.b == 1]", 14),
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|&(query, offset)| {
            let e = error(query);
            (e.offset != offset).then(|| format!("{query:?}: {e}, expected offset {offset}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}
