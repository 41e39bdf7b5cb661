fn main() {
    if let Err(e) = apigen::Builder::new().spec("specs/openint.json").generate() {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
