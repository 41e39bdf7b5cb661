//! Parsing a JSONPath query, and checking that it is well-formed and
//! well-typed (RFC 9535 §2.1).

use serde_json::Value;

use super::{Call, CmpOp, Comparable, Expr, ParseError, Pattern, Query, Segment, Selector, Type};

/// The largest integer I-JSON represents exactly (§2.1).
const MAX_INT: i64 = (1 << 53) - 1;

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

/// Parses a query (`$` followed by segments) into its segments, checking
/// that its function expressions are well-typed.
pub(super) fn query(query: &str) -> Result<Vec<Segment>, ParseError> {
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
    Ok(segments)
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
        self.joined("||", Self::logical_and, Expr::Or)
    }

    fn logical_and(&mut self) -> Result<Expr, ParseError> {
        self.joined("&&", Self::basic, Expr::And)
    }

    /// One or more `term`s separated by `op`; several become `join(terms)`.
    fn joined(
        &mut self,
        op: &str,
        term: fn(&mut Self) -> Result<Expr, ParseError>,
        join: fn(Vec<Expr>) -> Expr,
    ) -> Result<Expr, ParseError> {
        let mut terms = vec![term(self)?];
        loop {
            let before = self.pos;
            self.skip_ws();
            if self.eat(op) {
                self.skip_ws();
                terms.push(term(self)?);
            } else {
                self.pos = before;
                break;
            }
        }
        Ok(if terms.len() == 1 {
            terms.remove(0)
        } else {
            join(terms)
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
pub(super) fn compile_iregexp(re: &str) -> Option<(regex_lite::Regex, regex_lite::Regex)> {
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
