//! Any bytes, read as a JSON or YAML spec, must go through load → spec → ir
//! → emit → render without panicking, overflowing the stack or hanging:
//! either generated code (which `render` has parsed as Rust) or diagnostics.
#![no_main]

use apigen::{EmitOptions, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the syntax, so one corpus exercises both.
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let format = if selector & 1 == 0 {
        Format::Json
    } else {
        Format::Yaml
    };
    let _ = apigen::generate("fuzz", text.to_owned(), format, &EmitOptions::default());
});
