//! JSONPath queries (RFC 9535), as Overlay documents use them to name the
//! nodes an action changes.
//!
//! [`JsonPath::parse`] checks a query (well-formed and well-typed, as §2.1
//! asks: errors carry the character offset of the problem), and
//! [`JsonPath::select`] returns the nodes it selects from a value, each with
//! its location ([`Location`], printable as a Normalized Path or a JSON
//! pointer).
//!
//! Everything of RFC 9535 is supported: child, descendant, name, wildcard,
//! index, slice and filter selectors; comparisons, `&&`, `||`, `!`,
//! parentheses, existence tests, and the functions `length`, `count`,
//! `value`, `match` and `search`. The regular expressions of `match` and
//! `search` (I-Regexp, RFC 9485) run on `regex-lite`, which has no Unicode
//! property classes: a literal pattern using `\p{…}` is an error, not a
//! silently false match. One extension: a member name after `.` may contain
//! `-` after its first character (`$.paths.*.get.x-internal`), which RFC
//! 9535 does not allow but Overlay documents commonly use; JSONPath has no
//! subtraction, so nothing else could be meant.

use std::fmt;

use serde_json::Value;

mod eval;
mod parse;

/// A parsed JSONPath query.
#[derive(Debug, Clone)]
pub struct JsonPath {
    segments: Vec<Segment>,
}

/// Why a query is not a valid JSONPath query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Where the problem is: an offset in characters (0-based) into the query.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at character {})", self.message, self.offset)
    }
}

impl std::error::Error for ParseError {}

/// One step of a node's location: an object member or an array element.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    /// A member of an object.
    Name(String),
    /// An element of an array.
    Index(usize),
}

/// Where a node is in the queried value: the steps from the root.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Location(pub Vec<Step>);

impl Location {
    /// The RFC 9535 Normalized Path (§2.7): `$['a'][0]`.
    pub fn normalized(&self) -> String {
        let mut s = String::from("$");
        for step in &self.0 {
            match step {
                Step::Index(i) => s.push_str(&format!("[{i}]")),
                Step::Name(n) => {
                    s.push_str("['");
                    for c in n.chars() {
                        match c {
                            '\u{8}' => s.push_str("\\b"),
                            '\u{c}' => s.push_str("\\f"),
                            '\n' => s.push_str("\\n"),
                            '\r' => s.push_str("\\r"),
                            '\t' => s.push_str("\\t"),
                            '\'' => s.push_str("\\'"),
                            '\\' => s.push_str("\\\\"),
                            c if (c as u32) < 0x20 => s.push_str(&format!("\\u{:04x}", c as u32)),
                            c => s.push(c),
                        }
                    }
                    s.push_str("']");
                }
            }
        }
        s
    }

    /// The JSON pointer (RFC 6901) of the node: `/a/0`.
    pub fn pointer(&self) -> String {
        self.0.iter().fold(String::new(), |p, step| match step {
            Step::Name(n) => crate::diag::push_pointer(&p, n),
            Step::Index(i) => format!("{p}/{i}"),
        })
    }
}

/// A node a query selected: where it is, and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'v> {
    /// The node's location in the queried value.
    pub location: Location,
    /// The node's value.
    pub value: &'v Value,
}

#[derive(Debug, Clone)]
enum Segment {
    Child(Vec<Selector>),
    Descendant(Vec<Selector>),
}

#[derive(Debug, Clone)]
enum Selector {
    Name(String),
    Wildcard,
    Index(i64),
    Slice(Option<i64>, Option<i64>, Option<i64>),
    Filter(Box<Expr>),
}

#[derive(Debug, Clone)]
enum Expr {
    Or(Vec<Expr>),
    And(Vec<Expr>),
    Not(Box<Expr>),
    /// An existence test: whether the query selects anything.
    Exists(Query),
    Compare(Comparable, CmpOp, Comparable),
    /// A function of `LogicalType` (or `NodesType`, tested for non-emptiness).
    Test(Call),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone)]
struct Query {
    absolute: bool,
    segments: Vec<Segment>,
}

impl Query {
    /// Only name and index selectors, one per child segment (§2.3.5.1).
    fn is_singular(&self) -> bool {
        self.segments.iter().all(|s| match s {
            Segment::Child(sel) => {
                matches!(sel.as_slice(), [Selector::Name(_) | Selector::Index(_)])
            }
            Segment::Descendant(_) => false,
        })
    }
}

/// A `ValueType` expression: a literal, a singular query, or a function.
#[derive(Debug, Clone)]
enum Comparable {
    Literal(Value),
    Singular(Query),
    Call(Call),
}

#[derive(Debug, Clone)]
enum Call {
    Length(Box<Comparable>),
    Count(Query),
    Value(Query),
    Match(Box<Comparable>, Box<Pattern>),
    Search(Box<Comparable>, Box<Pattern>),
}

/// The second argument of `match` / `search`: compiled now when it is a
/// literal.
#[derive(Debug, Clone)]
enum Pattern {
    Compiled(Option<(regex_lite::Regex, regex_lite::Regex)>),
    Dynamic(Comparable),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Type {
    Value,
    Logical,
    Nodes,
}

impl Call {
    fn result_type(&self) -> Type {
        match self {
            Call::Length(_) | Call::Count(_) | Call::Value(_) => Type::Value,
            Call::Match(..) | Call::Search(..) => Type::Logical,
        }
    }
}

impl JsonPath {
    /// Parses a query (`$` followed by segments), checking that its
    /// function expressions are well-typed.
    pub fn parse(query: &str) -> Result<JsonPath, ParseError> {
        parse::query(query).map(|segments| JsonPath { segments })
    }

    /// The nodes the query selects from `root`, in the order RFC 9535
    /// gives them (object members in their order in `root`). A node may
    /// appear more than once (`$[0,0]`).
    pub fn select<'v>(&self, root: &'v Value) -> Vec<Node<'v>> {
        let start = vec![Node {
            location: Location::default(),
            value: root,
        }];
        self.segments
            .iter()
            .fold(start, |nodes, seg| eval::apply_segment(seg, nodes, root))
    }
}

#[cfg(test)]
mod tests;
