//! Server-sent events (`text/event-stream`), parsed as the WHATWG HTML
//! standard's "Interpreting an event stream" says (§9.2.6), from chunks of
//! bytes as they arrive.
//!
//! * one UTF-8 byte order mark at the start of the stream is skipped, and
//!   bytes that are not UTF-8 become U+FFFD (the standard's "UTF-8 decode");
//! * lines end at CRLF, LF or CR — a CR at the end of a chunk waits for the
//!   next byte to tell a lone CR from CRLF;
//! * a line starting with `:` is a comment; otherwise the field name is
//!   what precedes the first `:` and the value what follows it, less one
//!   leading space (a line without `:` is a field with an empty value);
//! * `data` lines are joined with LF; `event` sets the type; `id` sets the
//!   last event ID (kept for the events after it) unless it contains NUL;
//!   `retry` counts only when it is all ASCII digits; other fields are
//!   ignored;
//! * a blank line dispatches the event, unless no `data` line came (then
//!   nothing is dispatched, as a browser does); an event the stream ends in
//!   the middle of is dropped.
//!
//! ```
//! use apigen_runtime::sse::Parser;
//!
//! let mut parser = Parser::new();
//! let mut events = Vec::new();
//! parser.feed(b"event: add\ndata: {\"n\":\r\ndata: 1}\r\n", &mut events);
//! parser.feed(b"\nid: 7\ndata: [DONE]\n\n", &mut events);
//! assert_eq!(events[0].event.as_deref(), Some("add"));
//! assert_eq!(events[0].data, "{\"n\":\n1}");
//! assert_eq!((events[1].data.as_str(), events[1].id.as_deref()), ("[DONE]", Some("7")));
//! ```

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Event {
    /// The `data` lines, joined with LF.
    pub data: String,
    /// The `event` field: the event type; `None` is the default, `message`.
    pub event: Option<String>,
    /// The last event ID when the event was dispatched (set by an `id`
    /// field of this event or an earlier one); `None` while none was set or
    /// after an empty `id` reset it.
    pub id: Option<String>,
    /// The `retry` field of this event: the reconnection time the server
    /// asks for, in milliseconds.
    pub retry: Option<u64>,
}

impl Event {
    /// The event type: the `event` field, or `message`.
    pub fn event_type(&self) -> &str {
        self.event.as_deref().unwrap_or("message")
    }
}

/// An incremental parser of an event stream (see the module doc).
#[derive(Debug, Clone, Default)]
pub struct Parser {
    /// Bytes of the line being read (not yet ended).
    line: Vec<u8>,
    /// The previous chunk ended with CR: a LF starting this one belongs to
    /// it.
    after_cr: bool,
    /// Still at the very start (a BOM may come).
    at_start: bool,
    /// The first bytes, while they could still be a BOM.
    bom: Vec<u8>,
    data: String,
    /// Whether a `data` field came since the last dispatch.
    has_data: bool,
    event: Option<String>,
    last_id: Option<String>,
    retry: Option<u64>,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

impl Parser {
    /// A parser at the start of a stream.
    pub fn new() -> Self {
        Parser {
            at_start: true,
            ..Parser::default()
        }
    }

    /// Reads `chunk`, the next bytes of the stream, and appends the events
    /// it completes to `out`.
    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<Event>) {
        let mut chunk = chunk;
        if self.at_start {
            // Gather up to three bytes to see whether they are the BOM.
            let need = BOM.len() - self.bom.len();
            let take = need.min(chunk.len());
            self.bom.extend_from_slice(&chunk[..take]);
            chunk = &chunk[take..];
            if self.bom.len() < BOM.len() && BOM.starts_with(&self.bom) {
                return;
            }
            self.at_start = false;
            let head = std::mem::take(&mut self.bom);
            if head != BOM {
                self.bytes(&head, out);
            }
        }
        self.bytes(chunk, out);
    }

    /// Ends the stream: an event not yet dispatched is dropped, as the
    /// standard says.
    pub fn finish(&mut self) {
        if self.at_start && !self.bom.is_empty() {
            self.at_start = false;
        }
        self.line.clear();
        self.reset_event();
    }

    fn bytes(&mut self, mut chunk: &[u8], out: &mut Vec<Event>) {
        if self.after_cr {
            self.after_cr = false;
            if chunk.first() == Some(&b'\n') {
                chunk = &chunk[1..];
            }
        }
        while let Some(end) = chunk.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.line.extend_from_slice(&chunk[..end]);
            let line = std::mem::take(&mut self.line);
            self.line_ended(&line, out);
            if chunk[end] == b'\r' {
                match chunk.get(end + 1) {
                    Some(b'\n') => chunk = &chunk[end + 2..],
                    Some(_) => chunk = &chunk[end + 1..],
                    None => {
                        self.after_cr = true;
                        chunk = &[];
                    }
                }
            } else {
                chunk = &chunk[end + 1..];
            }
        }
        self.line.extend_from_slice(chunk);
    }

    fn line_ended(&mut self, line: &[u8], out: &mut Vec<Event>) {
        if line.is_empty() {
            self.dispatch(out);
            return;
        }
        if line[0] == b':' {
            return;
        }
        let line = String::from_utf8_lossy(line);
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (&*line, ""),
        };
        match field {
            "event" => self.event = Some(value.to_owned()),
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "id" if !value.contains('\0') => {
                self.last_id = (!value.is_empty()).then(|| value.to_owned());
            }
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                // Too many digits for a u64: as good as forever.
                self.retry = Some(value.parse().unwrap_or(u64::MAX));
            }
            _ => {}
        }
    }

    fn dispatch(&mut self, out: &mut Vec<Event>) {
        if self.has_data {
            out.push(Event {
                data: std::mem::take(&mut self.data),
                event: self.event.take(),
                id: self.last_id.clone(),
                retry: self.retry.take(),
            });
        }
        self.reset_event();
    }

    fn reset_event(&mut self) {
        self.data.clear();
        self.has_data = false;
        self.event = None;
        self.retry = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &[u8]) -> Vec<Event> {
        let mut parser = Parser::new();
        let mut out = Vec::new();
        parser.feed(text, &mut out);
        parser.finish();
        out
    }

    fn data(events: &[Event]) -> Vec<&str> {
        events.iter().map(|e| e.data.as_str()).collect()
    }

    /// The examples of the WHATWG standard, §9.2.6.
    #[test]
    fn the_standards_examples() {
        let events = parse(b": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n");
        assert_eq!(data(&events), ["first event", "second event"]);
        assert_eq!(events[0].id.as_deref(), Some("1"));
        assert_eq!(events[1].id, None, "a valueless id resets it");

        let events = parse(b"data\n\ndata\ndata\n\ndata:");
        assert_eq!(data(&events), ["", "\n"]);

        let events = parse(b"data:test\n\ndata: test\n\n");
        assert_eq!(data(&events), ["test", "test"]);

        let events = parse(b"data: YHOO\ndata: +2\ndata: 10\n\n");
        assert_eq!(data(&events), ["YHOO\n+2\n10"]);
    }

    #[test]
    fn fields_types_ids_and_retry() {
        let events = parse(
            b"event: add\ndata: 1\nretry: 2500\n\n\
              id: a\n\ndata: 2\n\n\
              event: x\nid: b\0c\nretry: 12a\ndata: 3\n\n\
              Data: no\nevent:  spaced\ndata:4\n\n",
        );
        assert_eq!(data(&events), ["1", "2", "3", "4"]);
        assert_eq!(events[0].event_type(), "add");
        assert_eq!(events[0].retry, Some(2500));
        // An event without data dispatches nothing, but its id stays.
        assert_eq!(events[1].id.as_deref(), Some("a"));
        assert_eq!(events[1].event_type(), "message");
        // An id with NUL and a retry with a letter are ignored.
        assert_eq!(
            (events[2].id.as_deref(), events[2].retry),
            (Some("a"), None)
        );
        // Field names are case-sensitive; one space is removed, not two.
        assert_eq!(events[3].event.as_deref(), Some(" spaced"));
    }

    #[test]
    fn line_endings_bom_and_invalid_utf8() {
        let events = parse(b"\xEF\xBB\xBFdata: a\r\ndata: b\rdata: c\n\rdata: \xff\r\r");
        assert_eq!(data(&events), ["a\nb\nc", "\u{FFFD}"]);
        // Only one BOM, only at the start.
        let events = parse(b"\xEF\xBB\xBF\xEF\xBB\xBFdata: x\n\n");
        assert!(events.is_empty(), "a second BOM is part of a field name");
        let events = parse(b"data: \xEF\xBB\xBFx\n\n");
        assert_eq!(data(&events), ["\u{FEFF}x"]);
    }

    #[test]
    fn an_unfinished_event_is_dropped() {
        assert!(parse(b"data: never dispatched\n").is_empty());
        let mut parser = Parser::new();
        let mut out = Vec::new();
        parser.feed(b"data: a\n", &mut out);
        parser.finish();
        parser.feed(b"\n", &mut out);
        assert!(out.is_empty());
    }

    /// Every way of splitting a stream in two, and byte by byte, gives the
    /// same events as reading it whole.
    #[test]
    fn chunk_boundaries_change_nothing() {
        let stream: &[u8] =
            b"\xEF\xBB\xBF: comment\r\nevent: delta\r\ndata: {\"a\":\r\ndata: \xc3\xa9}\r\r\
                              id: 42\ndata: two\n\ndata: [DONE]\r\n\r\n";
        let whole = parse(stream);
        assert_eq!(data(&whole), ["{\"a\":\né}", "two", "[DONE]"]);
        for split in 0..=stream.len() {
            let mut parser = Parser::new();
            let mut out = Vec::new();
            parser.feed(&stream[..split], &mut out);
            parser.feed(&stream[split..], &mut out);
            assert_eq!(out, whole, "split at {split}");
        }
        let mut parser = Parser::new();
        let mut out = Vec::new();
        for b in stream {
            parser.feed(std::slice::from_ref(b), &mut out);
        }
        assert_eq!(out, whole, "byte by byte");
    }
}
