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

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;

use serde_json::Value;

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

// ---------------------------------------------------------------------------
// Parsing

/// The largest integer I-JSON represents exactly (§2.1).
const MAX_INT: i64 = (1 << 53) - 1;

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl JsonPath {
    /// Parses a query (`$` followed by segments), checking that its
    /// function expressions are well-typed.
    pub fn parse(query: &str) -> Result<JsonPath, ParseError> {
        let mut p = Parser {
            chars: query.chars().collect(),
            pos: 0,
        };
        if p.peek() != Some('$') {
            return Err(p.error("a JSONPath query starts with `$`"));
        }
        p.pos += 1;
        let segments = p.segments()?;
        if p.pos < p.chars.len() {
            let end = p.pos;
            p.skip_ws();
            if p.pos == p.chars.len() {
                p.pos = end;
                return Err(p.error("blanks after the query"));
            }
            return Err(p.unexpected());
        }
        Ok(JsonPath { segments })
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
            .fold(start, |nodes, seg| apply_segment(seg, nodes, root))
    }
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.chars.get(self.pos + n).copied()
    }

    fn error(&self, message: impl Into<String>) -> ParseError {
        ParseError {
            offset: self.pos,
            message: message.into(),
        }
    }

    fn unexpected(&self) -> ParseError {
        match self.peek() {
            Some(c) => self.error(format!("unexpected `{c}`")),
            None => self.error("unexpected end of query"),
        }
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t' | '\n' | '\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, s: &str) -> bool {
        let n = s.chars().count();
        if self.chars.len() >= self.pos + n
            && s.chars().zip(&self.chars[self.pos..]).all(|(a, b)| a == *b)
        {
            self.pos += n;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char) -> Result<(), ParseError> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(match self.peek() {
                Some(found) => self.error(format!("expected `{c}`, found `{found}`")),
                None => self.error(format!("expected `{c}` before the end of the query")),
            })
        }
    }

    /// `*(S segment)`: stops (before any blanks) where no segment starts.
    fn segments(&mut self) -> Result<Vec<Segment>, ParseError> {
        let mut segments = Vec::new();
        loop {
            let before = self.pos;
            self.skip_ws();
            match self.peek() {
                Some('[') => segments.push(Segment::Child(self.bracketed()?)),
                Some('.') if self.peek_at(1) == Some('.') => {
                    self.pos += 2;
                    let selectors = match self.peek() {
                        Some('[') => self.bracketed()?,
                        Some('*') => {
                            self.pos += 1;
                            vec![Selector::Wildcard]
                        }
                        Some(c) if is_name_first(c) => vec![Selector::Name(self.shorthand())],
                        _ => {
                            return Err(
                                self.error("`..` must be followed by a member name, `*` or `[`")
                            );
                        }
                    };
                    segments.push(Segment::Descendant(selectors));
                }
                Some('.') => {
                    self.pos += 1;
                    match self.peek() {
                        Some('*') => {
                            self.pos += 1;
                            segments.push(Segment::Child(vec![Selector::Wildcard]));
                        }
                        Some(c) if is_name_first(c) => {
                            segments.push(Segment::Child(vec![Selector::Name(self.shorthand())]))
                        }
                        _ => {
                            return Err(self.error(
                                "`.` must be followed by a member name or `*` \
                                 (use `['…']` for other names)",
                            ));
                        }
                    }
                }
                _ => {
                    self.pos = before;
                    return Ok(segments);
                }
            }
        }
    }

    fn shorthand(&mut self) -> String {
        let start = self.pos;
        self.pos += 1;
        while self
            .peek()
            .is_some_and(|c| is_name_first(c) || c.is_ascii_digit() || c == '-')
        {
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }

    /// `"[" S selector *(S "," S selector) S "]"`
    fn bracketed(&mut self) -> Result<Vec<Selector>, ParseError> {
        self.expect('[')?;
        let mut selectors = Vec::new();
        loop {
            self.skip_ws();
            selectors.push(self.selector()?);
            self.skip_ws();
            match self.peek() {
                Some(',') => self.pos += 1,
                Some(']') => {
                    self.pos += 1;
                    return Ok(selectors);
                }
                Some(c) => return Err(self.error(format!("expected `,` or `]`, found `{c}`"))),
                None => return Err(self.error("missing `]`")),
            }
        }
    }

    fn selector(&mut self) -> Result<Selector, ParseError> {
        match self.peek() {
            Some('\'' | '"') => Ok(Selector::Name(self.string()?)),
            Some('*') => {
                self.pos += 1;
                Ok(Selector::Wildcard)
            }
            Some('?') => {
                self.pos += 1;
                self.skip_ws();
                Ok(Selector::Filter(Box::new(self.logical_or()?)))
            }
            Some(c) if c == '-' || c == ':' || c.is_ascii_digit() => self.index_or_slice(),
            Some(c) => Err(self.error(format!(
                "expected a selector (a quoted name, `*`, an index, a slice or `?`), found `{c}`"
            ))),
            None => Err(self.error("expected a selector before the end of the query")),
        }
    }

    fn index_or_slice(&mut self) -> Result<Selector, ParseError> {
        let start = if self.peek() == Some(':') {
            None
        } else {
            Some(self.int()?)
        };
        let before = self.pos;
        self.skip_ws();
        if self.peek() != Some(':') {
            self.pos = before;
            return match start {
                Some(i) => Ok(Selector::Index(i)),
                None => Err(self.unexpected()),
            };
        }
        self.pos += 1;
        self.skip_ws();
        let end = match self.peek() {
            Some(c) if c == '-' || c.is_ascii_digit() => {
                let end = self.int()?;
                self.skip_ws();
                Some(end)
            }
            _ => None,
        };
        let mut step = None;
        if self.peek() == Some(':') {
            self.pos += 1;
            self.skip_ws();
            if matches!(self.peek(), Some(c) if c == '-' || c.is_ascii_digit()) {
                step = Some(self.int()?);
            }
        }
        Ok(Selector::Slice(start, end, step))
    }

    /// `"0" / (["-"] DIGIT1 *DIGIT)`, within I-JSON's exact range.
    fn int(&mut self) -> Result<i64, ParseError> {
        let start = self.pos;
        if self.peek() == Some('-') {
            self.pos += 1;
        }
        let digits = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        let digit_text = &self.chars[digits..self.pos];
        let bad = |p: &Parser, msg: &str| ParseError {
            offset: start,
            message: format!(
                "{msg}: `{}`",
                p.chars[start..p.pos].iter().collect::<String>()
            ),
        };
        if digit_text.is_empty() {
            return Err(self.error("expected digits"));
        }
        if digit_text[0] == '0' && (digit_text.len() > 1 || digits > start) {
            return Err(bad(self, "integers have no leading zeros and no `-0`"));
        }
        match text.parse::<i64>() {
            Ok(n) if (-MAX_INT..=MAX_INT).contains(&n) => Ok(n),
            _ => Err(bad(self, "integer out of range (beyond ±(2^53-1))")),
        }
    }

    /// A single- or double-quoted string literal, escapes decoded.
    fn string(&mut self) -> Result<String, ParseError> {
        let quote = match self.peek() {
            Some(q @ ('\'' | '"')) => q,
            _ => return Err(self.error("expected a quoted string")),
        };
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(ParseError {
                    offset: start,
                    message: "unterminated string".into(),
                });
            };
            self.pos += 1;
            match c {
                c if c == quote => return Ok(out),
                '\\' => {
                    let Some(e) = self.peek() else { continue };
                    self.pos += 1;
                    match e {
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        '/' => out.push('/'),
                        '\\' => out.push('\\'),
                        e if e == quote => out.push(e),
                        'u' => out.push(self.unicode_escape()?),
                        e => {
                            self.pos -= 2;
                            return Err(self.error(format!("invalid escape `\\{e}`")));
                        }
                    }
                }
                c if (c as u32) < 0x20 => {
                    self.pos -= 1;
                    return Err(self.error("control characters must be escaped in strings"));
                }
                c => out.push(c),
            }
        }
    }

    /// After `\u`: four hex digits, and a low surrogate after a high one.
    fn unicode_escape(&mut self) -> Result<char, ParseError> {
        let at = self.pos - 2;
        let bad = || ParseError {
            offset: at,
            message: "invalid `\\u` escape".into(),
        };
        let hex = |p: &mut Parser| -> Option<u32> {
            let s: String = p.chars.get(p.pos..p.pos + 4)?.iter().collect();
            let v = u32::from_str_radix(&s, 16).ok()?;
            p.pos += 4;
            Some(v)
        };
        let high = hex(self).ok_or_else(bad)?;
        let code = match high {
            0xD800..=0xDBFF => {
                if !self.eat("\\u") {
                    return Err(bad());
                }
                let low = hex(self).ok_or_else(bad)?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(bad());
                }
                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(bad()),
            c => c,
        };
        char::from_u32(code).ok_or_else(bad)
    }

    fn logical_or(&mut self) -> Result<Expr, ParseError> {
        let mut terms = vec![self.logical_and()?];
        loop {
            let before = self.pos;
            self.skip_ws();
            if self.eat("||") {
                self.skip_ws();
                terms.push(self.logical_and()?);
            } else {
                self.pos = before;
                break;
            }
        }
        Ok(if terms.len() == 1 {
            terms.remove(0)
        } else {
            Expr::Or(terms)
        })
    }

    fn logical_and(&mut self) -> Result<Expr, ParseError> {
        let mut terms = vec![self.basic()?];
        loop {
            let before = self.pos;
            self.skip_ws();
            if self.eat("&&") {
                self.skip_ws();
                terms.push(self.basic()?);
            } else {
                self.pos = before;
                break;
            }
        }
        Ok(if terms.len() == 1 {
            terms.remove(0)
        } else {
            Expr::And(terms)
        })
    }

    /// `paren-expr / comparison-expr / test-expr`
    fn basic(&mut self) -> Result<Expr, ParseError> {
        if self.peek() == Some('!') && self.peek_at(1) != Some('=') {
            self.pos += 1;
            self.skip_ws();
            let at = self.pos;
            let inner = if self.peek() == Some('(') {
                self.paren()?
            } else {
                let operand = self.operand()?;
                self.test(operand, at)?
            };
            return Ok(Expr::Not(Box::new(inner)));
        }
        if self.peek() == Some('(') {
            return self.paren();
        }
        let at = self.pos;
        let left = self.operand()?;
        let before = self.pos;
        self.skip_ws();
        let op = [
            ("==", CmpOp::Eq),
            ("!=", CmpOp::Ne),
            ("<=", CmpOp::Le),
            (">=", CmpOp::Ge),
            ("<", CmpOp::Lt),
            (">", CmpOp::Gt),
        ]
        .into_iter()
        .find(|(s, _)| self.eat(s))
        .map(|(_, op)| op);
        let Some(op) = op else {
            self.pos = before;
            return self.test(left, at);
        };
        let left = self.comparable(left, at)?;
        self.skip_ws();
        let right_at = self.pos;
        let right = self.operand()?;
        let right = self.comparable(right, right_at)?;
        Ok(Expr::Compare(left, op, right))
    }

    fn paren(&mut self) -> Result<Expr, ParseError> {
        self.expect('(')?;
        self.skip_ws();
        let inner = self.logical_or()?;
        self.skip_ws();
        self.expect(')')?;
        Ok(inner)
    }

    /// A literal, a query, or a function call.
    fn operand(&mut self) -> Result<Operand, ParseError> {
        match self.peek() {
            Some('@' | '$') => {
                let absolute = self.peek() == Some('$');
                self.pos += 1;
                Ok(Operand::Query(Query {
                    absolute,
                    segments: self.segments()?,
                }))
            }
            Some('\'' | '"') => Ok(Operand::Literal(Value::String(self.string()?))),
            Some(c) if c == '-' || c.is_ascii_digit() => Ok(Operand::Literal(self.number()?)),
            Some(c) if c.is_ascii_lowercase() => {
                let start = self.pos;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                {
                    self.pos += 1;
                }
                let name: String = self.chars[start..self.pos].iter().collect();
                if self.peek() == Some('(') {
                    return Ok(Operand::Call(self.call(&name, start)?));
                }
                match name.as_str() {
                    "true" => Ok(Operand::Literal(Value::Bool(true))),
                    "false" => Ok(Operand::Literal(Value::Bool(false))),
                    "null" => Ok(Operand::Literal(Value::Null)),
                    _ => Err(ParseError {
                        offset: start,
                        message: format!(
                            "unexpected `{name}` (a member name needs `@.` or `$.` before it)"
                        ),
                    }),
                }
            }
            _ => Err(self.error(match self.peek() {
                Some(c) => format!("expected a query, a literal or a function, found `{c}`"),
                None => "expected a query, a literal or a function before the end".into(),
            })),
        }
    }

    /// `number = (int / "-0") [ frac ] [ exp ]`
    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.pos;
        if self.peek() == Some('-') {
            self.pos += 1;
        }
        let digits = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let int_len = self.pos - digits;
        let bad = |p: &Parser| ParseError {
            offset: start,
            message: format!(
                "invalid number `{}`",
                p.chars[start..p.pos].iter().collect::<String>()
            ),
        };
        if int_len == 0 || (self.chars[digits] == '0' && int_len > 1) {
            return Err(bad(self));
        }
        if self.peek() == Some('.') {
            self.pos += 1;
            let frac = self.pos;
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.pos += 1;
            }
            if self.pos == frac {
                return Err(bad(self));
            }
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some('+' | '-')) {
                self.pos += 1;
            }
            let exp = self.pos;
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.pos += 1;
            }
            if self.pos == exp {
                return Err(bad(self));
            }
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        serde_json::from_str::<Value>(&text).map_err(|_| bad(self))
    }

    /// `name "(" S [arg *(S "," S arg)] S ")"`, typed by the function.
    fn call(&mut self, name: &str, at: usize) -> Result<Call, ParseError> {
        let params: &[Type] = match name {
            "length" => &[Type::Value],
            "count" | "value" => &[Type::Nodes],
            "match" | "search" => &[Type::Value, Type::Value],
            _ => {
                return Err(ParseError {
                    offset: at,
                    message: format!(
                        "unknown function `{name}` (known: length, count, match, search, value)"
                    ),
                });
            }
        };
        self.expect('(')?;
        let mut args = Vec::new();
        self.skip_ws();
        if self.peek() != Some(')') {
            loop {
                self.skip_ws();
                let arg_at = self.pos;
                let operand = self.operand()?;
                args.push((operand, arg_at));
                self.skip_ws();
                match self.peek() {
                    Some(',') => self.pos += 1,
                    Some(')') => break,
                    _ => {
                        return Err(self.error(format!(
                            "expected `,` or `)` in the arguments of `{name}` \
                             (its arguments are values or queries)"
                        )));
                    }
                }
            }
        }
        self.pos += 1;
        if args.len() != params.len() {
            return Err(ParseError {
                offset: at,
                message: format!(
                    "`{name}` takes {} argument(s), not {}",
                    params.len(),
                    args.len()
                ),
            });
        }
        let mut args = args.into_iter();
        let mut value = |p: &mut Parser| -> Result<Comparable, ParseError> {
            match args.next() {
                Some((operand, at)) => p.comparable(operand, at),
                None => Err(p.error("missing argument")),
            }
        };
        Ok(match name {
            "length" => Call::Length(Box::new(value(self)?)),
            "match" | "search" => {
                let subject = Box::new(value(self)?);
                let pattern = match value(self)? {
                    Comparable::Literal(Value::String(re)) => {
                        let compiled = compile_iregexp(&re);
                        if compiled.is_none() && (re.contains("\\p") || re.contains("\\P")) {
                            return Err(ParseError {
                                offset: at,
                                message: format!(
                                    "the pattern `{re}` uses Unicode property classes \
                                     (`\\p{{…}}`), which are not supported"
                                ),
                            });
                        }
                        Pattern::Compiled(compiled)
                    }
                    other => Pattern::Dynamic(other),
                };
                if name == "match" {
                    Call::Match(subject, Box::new(pattern))
                } else {
                    Call::Search(subject, Box::new(pattern))
                }
            }
            _ => {
                let query = match args.next() {
                    Some((Operand::Query(q), _)) => q,
                    Some((_, at)) => {
                        return Err(ParseError {
                            offset: at,
                            message: format!("`{name}` takes a query (its argument is a nodelist)"),
                        });
                    }
                    None => return Err(self.error("missing argument")),
                };
                if name == "count" {
                    Call::Count(query)
                } else {
                    Call::Value(query)
                }
            }
        })
    }

    /// An operand used as a test expression: a query (existence) or a
    /// function of `LogicalType` / `NodesType`.
    fn test(&self, operand: Operand, at: usize) -> Result<Expr, ParseError> {
        match operand {
            Operand::Query(q) => Ok(Expr::Exists(q)),
            Operand::Call(c) if c.result_type() != Type::Value => Ok(Expr::Test(c)),
            Operand::Call(_) => Err(ParseError {
                offset: at,
                message: "this function returns a value, which cannot be a test by itself: \
                          compare it"
                    .into(),
            }),
            Operand::Literal(_) => Err(ParseError {
                offset: at,
                message: "a literal cannot be a test by itself: compare it".into(),
            }),
        }
    }

    /// An operand used where a value is needed (`ValueType`).
    fn comparable(&self, operand: Operand, at: usize) -> Result<Comparable, ParseError> {
        match operand {
            Operand::Literal(v) => Ok(Comparable::Literal(v)),
            Operand::Query(q) if q.is_singular() => Ok(Comparable::Singular(q)),
            Operand::Query(_) => Err(ParseError {
                offset: at,
                message: "this query may select several nodes, so it has no single value to \
                          compare (use only names and indexes, or `value(…)`)"
                    .into(),
            }),
            Operand::Call(c) if c.result_type() == Type::Value => Ok(Comparable::Call(c)),
            Operand::Call(_) => Err(ParseError {
                offset: at,
                message: "this function returns a logical result, which cannot be compared \
                          or passed as a value"
                    .into(),
            }),
        }
    }
}

enum Operand {
    Literal(Value),
    Query(Query),
    Call(Call),
}

fn is_name_first(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || (c as u32) >= 0x80
}

/// Compiles an I-Regexp (RFC 9485) for `match` (anchored) and `search`;
/// `None` when it does not compile. Outside character classes `.` matches
/// anything but `\n` and `\r`, and `^` and `$` are ordinary characters.
fn compile_iregexp(re: &str) -> Option<(regex_lite::Regex, regex_lite::Regex)> {
    let mut out = String::with_capacity(re.len() + 8);
    let mut in_class = false;
    let mut chars = re.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push('\\');
                out.push(chars.next()?);
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '.' if !in_class => out.push_str("[^\\n\\r]"),
            '^' | '$' if !in_class => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    let whole = regex_lite::Regex::new(&format!("^(?:{out})$")).ok()?;
    let part = regex_lite::Regex::new(&out).ok()?;
    Some((whole, part))
}

// ---------------------------------------------------------------------------
// Evaluation

fn apply_segment<'v>(seg: &Segment, nodes: Vec<Node<'v>>, root: &'v Value) -> Vec<Node<'v>> {
    let mut out = Vec::new();
    for node in nodes {
        match seg {
            Segment::Child(selectors) => {
                for s in selectors {
                    apply_selector(s, &node, root, &mut out);
                }
            }
            Segment::Descendant(selectors) => {
                // Pre-order: each node before its descendants, arrays in order.
                let mut stack = vec![node];
                while let Some(n) = stack.pop() {
                    for s in selectors {
                        apply_selector(s, &n, root, &mut out);
                    }
                    let mut children = Vec::new();
                    push_children(&n, &mut children);
                    stack.extend(children.into_iter().rev());
                }
            }
        }
    }
    out
}

fn child<'v>(node: &Node<'v>, step: Step, value: &'v Value) -> Node<'v> {
    let mut location = node.location.clone();
    location.0.push(step);
    Node { location, value }
}

fn push_children<'v>(node: &Node<'v>, out: &mut Vec<Node<'v>>) {
    match node.value {
        Value::Object(map) => {
            for (k, v) in map {
                out.push(child(node, Step::Name(k.clone()), v));
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                out.push(child(node, Step::Index(i), v));
            }
        }
        _ => {}
    }
}

fn apply_selector<'v>(s: &Selector, node: &Node<'v>, root: &'v Value, out: &mut Vec<Node<'v>>) {
    match (s, node.value) {
        (Selector::Name(name), Value::Object(map)) => {
            if let Some(v) = map.get(name) {
                out.push(child(node, Step::Name(name.clone()), v));
            }
        }
        (Selector::Wildcard, _) => push_children(node, out),
        (Selector::Index(i), Value::Array(items)) => {
            if let Some(i) = normalize_index(*i, items.len()) {
                out.push(child(node, Step::Index(i), &items[i]));
            }
        }
        (Selector::Slice(start, end, step), Value::Array(items)) => {
            for i in slice_indices(*start, *end, *step, items.len()) {
                out.push(child(node, Step::Index(i), &items[i]));
            }
        }
        (Selector::Filter(expr), Value::Object(_) | Value::Array(_)) => {
            let mut children = Vec::new();
            push_children(node, &mut children);
            out.extend(
                children
                    .into_iter()
                    .filter(|c| eval_logical(expr, c.value, root)),
            );
        }
        _ => {}
    }
}

fn normalize_index(i: i64, len: usize) -> Option<usize> {
    let len = i64::try_from(len).ok()?;
    let i = if i < 0 { len + i } else { i };
    (0..len).contains(&i).then_some(i as usize)
}

/// The indices a slice selects (§2.3.4.2.2).
fn slice_indices(
    start: Option<i64>,
    end: Option<i64>,
    step: Option<i64>,
    len: usize,
) -> Vec<usize> {
    let len = len as i64;
    let step = step.unwrap_or(1);
    let norm = |i: i64| if i >= 0 { i } else { len + i };
    let mut out = Vec::new();
    if step > 0 {
        let lower = norm(start.unwrap_or(0)).clamp(0, len);
        let upper = norm(end.unwrap_or(len)).clamp(0, len);
        let mut i = lower;
        while i < upper {
            out.push(i as usize);
            i += step;
        }
    } else if step < 0 {
        let upper = norm(start.unwrap_or(len - 1)).clamp(-1, len - 1);
        let lower = norm(end.unwrap_or(-len - 1)).clamp(-1, len - 1);
        let mut i = upper;
        while lower < i {
            out.push(i as usize);
            i += step;
        }
    }
    out
}

/// The nodes a query in a filter selects, relative to `current` or `root`.
fn eval_query<'v>(q: &Query, current: &'v Value, root: &'v Value) -> Vec<Node<'v>> {
    let start = vec![Node {
        location: Location::default(),
        value: if q.absolute { root } else { current },
    }];
    q.segments
        .iter()
        .fold(start, |nodes, seg| apply_segment(seg, nodes, root))
}

fn eval_logical(e: &Expr, current: &Value, root: &Value) -> bool {
    match e {
        Expr::Or(terms) => terms.iter().any(|t| eval_logical(t, current, root)),
        Expr::And(terms) => terms.iter().all(|t| eval_logical(t, current, root)),
        Expr::Not(inner) => !eval_logical(inner, current, root),
        Expr::Exists(q) => !eval_query(q, current, root).is_empty(),
        Expr::Test(call) => eval_call_logical(call, current, root),
        Expr::Compare(a, op, b) => {
            let a = eval_value(a, current, root);
            let b = eval_value(b, current, root);
            let (a, b) = (a.as_deref(), b.as_deref());
            match op {
                CmpOp::Eq => equal(a, b),
                CmpOp::Ne => !equal(a, b),
                CmpOp::Lt => less(a, b),
                CmpOp::Le => less(a, b) || equal(a, b),
                CmpOp::Gt => less(b, a),
                CmpOp::Ge => less(b, a) || equal(a, b),
            }
        }
    }
}

/// A `ValueType` result: a value, or `None` for `Nothing`.
fn eval_value<'v>(
    c: &'v Comparable,
    current: &'v Value,
    root: &'v Value,
) -> Option<Cow<'v, Value>> {
    match c {
        Comparable::Literal(v) => Some(Cow::Borrowed(v)),
        Comparable::Singular(q) => {
            let nodes = eval_query(q, current, root);
            nodes.first().map(|n| Cow::Borrowed(n.value))
        }
        Comparable::Call(Call::Length(arg)) => {
            let n = match eval_value(arg, current, root)?.as_ref() {
                Value::String(s) => s.chars().count(),
                Value::Array(a) => a.len(),
                Value::Object(o) => o.len(),
                _ => return None,
            };
            Some(Cow::Owned(Value::from(n)))
        }
        Comparable::Call(Call::Count(q)) => {
            Some(Cow::Owned(Value::from(eval_query(q, current, root).len())))
        }
        Comparable::Call(Call::Value(q)) => match eval_query(q, current, root).as_slice() {
            [one] => Some(Cow::Borrowed(one.value)),
            _ => None,
        },
        Comparable::Call(Call::Match(..) | Call::Search(..)) => None,
    }
}

fn eval_call_logical(call: &Call, current: &Value, root: &Value) -> bool {
    let (subject, pattern, whole) = match call {
        Call::Match(s, p) => (s, p, true),
        Call::Search(s, p) => (s, p, false),
        _ => return false,
    };
    let subject = eval_value(subject, current, root);
    let Some(Value::String(subject)) = subject.as_deref() else {
        return false;
    };
    let dynamic;
    let compiled = match pattern.as_ref() {
        Pattern::Compiled(c) => c.as_ref(),
        Pattern::Dynamic(c) => {
            dynamic = match eval_value(c, current, root).as_deref() {
                Some(Value::String(re)) => compile_iregexp(re),
                _ => None,
            };
            dynamic.as_ref()
        }
    };
    match compiled {
        Some((anchored, _)) if whole => anchored.is_match(subject),
        Some((_, part)) => part.is_match(subject),
        None => false,
    }
}

fn equal(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => json_equal(a, b),
        _ => false,
    }
}

fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => number_cmp(x, y) == Some(Ordering::Equal),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        (a, b) => a == b,
    }
}

fn less(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            number_cmp(x, y) == Some(Ordering::Less)
        }
        // UTF-8 byte order is the order of Unicode scalar values.
        (Some(Value::String(x)), Some(Value::String(y))) => x < y,
        _ => false,
    }
}

fn number_cmp(x: &serde_json::Number, y: &serde_json::Number) -> Option<Ordering> {
    if let (Some(a), Some(b)) = (x.as_i64(), y.as_i64()) {
        return Some(a.cmp(&b));
    }
    if let (Some(a), Some(b)) = (x.as_u64(), y.as_u64()) {
        return Some(a.cmp(&b));
    }
    x.as_f64()?.partial_cmp(&y.as_f64()?)
}

#[cfg(test)]
mod tests;
