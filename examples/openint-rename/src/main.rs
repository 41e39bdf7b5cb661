//! `openint-rename CONNECTION_ID NEW_NAME`: renames an OpenInt connection.
//!
//! Credentials come from `OPENINT_API_KEY` and `OPENINT_CONNECTION_ID`; the
//! API's address from `OPENINT_BASE_URL` (default: the spec's server).

use std::process::ExitCode;

use openint_rename::{openint::Client, rename};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [id, name] = args.as_slice() else {
        eprintln!("usage: openint-rename CONNECTION_ID NEW_NAME");
        return ExitCode::from(2);
    };
    let (Ok(key), Ok(connection)) = (
        std::env::var("OPENINT_API_KEY"),
        std::env::var("OPENINT_CONNECTION_ID"),
    ) else {
        eprintln!("set OPENINT_API_KEY and OPENINT_CONNECTION_ID");
        return ExitCode::from(2);
    };
    let base_url =
        std::env::var("OPENINT_BASE_URL").unwrap_or_else(|_| Client::DEFAULT_BASE_URL.to_owned());
    let client = Client::new(base_url)
        .with_apikey(key)
        .with_connection_id(connection)
        .with_user_agent("openint-rename/0.1");
    match rename(&client, id, name).await {
        Ok(name) => {
            println!("renamed {id} to {name:?}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
