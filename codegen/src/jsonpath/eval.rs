//! Evaluating a parsed query: the nodes it selects from a value.

use std::borrow::Cow;
use std::cmp::Ordering;

use serde_json::Value;

use super::parse::compile_iregexp;
use super::{
    Call, CmpOp, Comparable, Expr, Location, Node, Pattern, Query, Segment, Selector, Step,
};

pub(super) fn apply_segment<'v>(
    seg: &Segment,
    nodes: Vec<Node<'v>>,
    root: &'v Value,
) -> Vec<Node<'v>> {
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
