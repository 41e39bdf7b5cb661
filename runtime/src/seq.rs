//! Sequential JSON media types, split into their items as bytes arrive:
//!
//! * [`Framing::Lines`] — JSON Lines (`application/jsonl`) and NDJSON
//!   (`application/x-ndjson`, `application/x-jsonlines`): one JSON text per
//!   line, LF-terminated (a CR before it is whitespace). Blank lines are
//!   skipped, as NDJSON allows; a last line without its LF is an item.
//! * [`Framing::JsonSeq`] — JSON text sequences (`application/json-seq`,
//!   RFC 7464): each text after an RS byte (0x1E), pretty-printed texts
//!   spanning lines included; consecutive RS bytes are no empty items. A
//!   top-level number, `true`, `false` or `null` not followed by whitespace
//!   may have been cut short, and is dropped, as the RFC requires.
//!
//! Items are handed out as bytes; decoding them (and deciding what a text
//! that is not JSON means) is the caller's: each is a separate value, so
//! one bad item does not stop the others (RFC 7464 §2.3).
//!
//! ```
//! use apigen_runtime::seq::{Framing, Splitter};
//!
//! let mut split = Splitter::new(Framing::Lines);
//! let mut items = Vec::new();
//! split.feed(b"{\"n\":1}\r\n\n{\"n\"", &mut items);
//! split.feed(b":2}", &mut items);
//! split.finish(&mut items);
//! assert_eq!(items, [b"{\"n\":1}".to_vec(), b"{\"n\":2}".to_vec()]);
//! ```

/// How items are delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// One JSON text per line (JSON Lines, NDJSON).
    Lines,
    /// JSON text sequences (RFC 7464): each text after an RS byte.
    JsonSeq,
}

impl Framing {
    /// The framing of a media type (its parameters ignored), if it is a
    /// sequential JSON one: `application/jsonl`, `application/x-ndjson`,
    /// `application/x-jsonlines`, `application/json-seq` or any
    /// `+json-seq`.
    pub fn of_media_type(media_type: &str) -> Option<Framing> {
        let essence = media_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match essence.as_str() {
            "application/jsonl"
            | "application/x-ndjson"
            | "application/x-jsonlines"
            | "application/jsonlines" => Some(Framing::Lines),
            e if e == "application/json-seq" || e.ends_with("+json-seq") => Some(Framing::JsonSeq),
            _ => None,
        }
    }
}

/// RS, the record separator of JSON text sequences.
const RS: u8 = 0x1E;

/// An incremental splitter of a sequential JSON body (see the module doc).
#[derive(Debug, Clone)]
pub struct Splitter {
    framing: Framing,
    /// The item being read.
    pending: Vec<u8>,
    /// JSON text sequences: an RS has started the pending item (bytes
    /// before the first RS belong to no item).
    started: bool,
}

impl Splitter {
    /// A splitter at the start of a body.
    pub fn new(framing: Framing) -> Self {
        Splitter {
            framing,
            pending: Vec::new(),
            started: false,
        }
    }

    /// Reads `chunk`, the next bytes of the body, and appends the items it
    /// completes to `out`.
    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<Vec<u8>>) {
        let delimiter = match self.framing {
            Framing::Lines => b'\n',
            Framing::JsonSeq => RS,
        };
        let mut rest = chunk;
        while let Some(end) = rest.iter().position(|&b| b == delimiter) {
            self.pending.extend_from_slice(&rest[..end]);
            self.item_ended(out, false);
            rest = &rest[end + 1..];
        }
        self.pending.extend_from_slice(rest);
    }

    /// Ends the body: the item being read, if any, is complete (but see the
    /// module doc on truncated JSON text sequences).
    pub fn finish(&mut self, out: &mut Vec<Vec<u8>>) {
        self.item_ended(out, true);
    }

    fn item_ended(&mut self, out: &mut Vec<Vec<u8>>, at_end: bool) {
        let bytes = std::mem::take(&mut self.pending);
        let counts = match self.framing {
            Framing::Lines => true,
            // What precedes the first RS is no item; an RS starts one.
            Framing::JsonSeq => std::mem::replace(&mut self.started, !at_end),
        };
        if !counts {
            return;
        }
        let text = bytes.trim_ascii();
        if text.is_empty() {
            return;
        }
        if self.framing == Framing::JsonSeq {
            let self_delimited = matches!(text[0], b'{' | b'[' | b'"');
            let followed_by_space =
                bytes.len() > text.len() && bytes[bytes.len() - 1].is_ascii_whitespace();
            if !self_delimited && !followed_by_space {
                // Perhaps `123` of `1234`: RFC 7464 §2.4 says drop it.
                return;
            }
        }
        out.push(text.to_vec());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(framing: Framing, body: &[u8]) -> Vec<String> {
        let mut s = Splitter::new(framing);
        let mut out = Vec::new();
        s.feed(body, &mut out);
        s.finish(&mut out);
        out.iter()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .collect()
    }

    #[test]
    fn json_lines_and_ndjson() {
        assert_eq!(
            split(Framing::Lines, b"{\"a\":1}\n\n  \r\n[2]\r\n3\nnull"),
            ["{\"a\":1}", "[2]", "3", "null"]
        );
        assert!(split(Framing::Lines, b"").is_empty());
        // Not JSON is still an item: the caller reports it.
        assert_eq!(split(Framing::Lines, b"{oops\n{}\n"), ["{oops", "{}"]);
    }

    #[test]
    fn json_text_sequences() {
        let body = b"\x1e{\n  \"a\": 1\n}\n\x1e\x1e\x1e[2]\n\x1e\"s\"\n\x1e3\n\x1etrue\n";
        assert_eq!(
            split(Framing::JsonSeq, body),
            ["{\n  \"a\": 1\n}", "[2]", "\"s\"", "3", "true"]
        );
        // Bytes before the first RS, and a top-level number cut short.
        assert_eq!(split(Framing::JsonSeq, b"junk\x1e{}\n\x1e123"), ["{}"]);
        assert_eq!(split(Framing::JsonSeq, b"\x1e123\x1e{}\n"), ["{}"]);
        // A string cut short is self-delimited enough to hand over: the
        // caller's JSON parser will refuse it.
        assert_eq!(split(Framing::JsonSeq, b"\x1e\"abc"), ["\"abc"]);
    }

    #[test]
    fn chunk_boundaries_change_nothing() {
        for (framing, body) in [
            (Framing::Lines, &b"{\"a\":\"x\\ny\"}\r\n\n[1,2]\n7"[..]),
            (
                Framing::JsonSeq,
                &b"\x1e{\"a\":1}\n\x1e\x1e[1,\n2]\n\x1e7\n"[..],
            ),
        ] {
            let whole = split(framing, body);
            for at in 0..=body.len() {
                let mut s = Splitter::new(framing);
                let mut out = Vec::new();
                s.feed(&body[..at], &mut out);
                s.feed(&body[at..], &mut out);
                s.finish(&mut out);
                let got: Vec<String> = out
                    .iter()
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .collect();
                assert_eq!(got, whole, "{framing:?} split at {at}");
            }
        }
    }

    #[test]
    fn media_types() {
        assert_eq!(
            Framing::of_media_type("application/x-ndjson"),
            Some(Framing::Lines)
        );
        assert_eq!(
            Framing::of_media_type("Application/JSONL; charset=utf-8"),
            Some(Framing::Lines)
        );
        assert_eq!(
            Framing::of_media_type("application/geo+json-seq"),
            Some(Framing::JsonSeq)
        );
        assert_eq!(Framing::of_media_type("application/json"), None);
    }
}
