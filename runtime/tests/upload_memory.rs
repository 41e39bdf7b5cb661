//! A 100 MiB upload read from a file keeps memory flat: the process's peak
//! resident size (`VmHWM`, Linux) grows by a few MiB while it is sent,
//! against about the file's size when the same file is read into memory
//! and sent (measured right after, in the same process). One test in its
//! own binary, so no other test moves the peak. Run with `--nocapture` for
//! the figures.

use apigen_runtime::ClientCore;
use apigen_runtime::reqwest::Method;
use apigen_runtime::upload::Upload;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const SIZE: u64 = 100 * 1024 * 1024;

/// The peak resident set size so far, in KiB; `None` off Linux.
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// Serves `n` uploads, reading each body and keeping only its length.
async fn sink(n: usize) -> (String, tokio::task::JoinHandle<Vec<u64>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let task = tokio::spawn(async move {
        let mut lengths = Vec::new();
        for _ in 0..n {
            let (mut stream, _) = listener.accept().await.expect("accept");
            let mut buf = vec![0u8; 64 * 1024];
            let mut head = Vec::new();
            let mut body = 0u64;
            loop {
                let read = stream.read(&mut buf).await.expect("read");
                if read == 0 {
                    break;
                }
                if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
                    let _ = end;
                    body += read as u64;
                } else {
                    head.extend_from_slice(&buf[..read]);
                    if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
                        body += (head.len() - end - 4) as u64;
                    }
                }
                if body >= SIZE {
                    break;
                }
            }
            lengths.push(body);
            stream
                .write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
                .await
                .ok();
        }
        lengths
    });
    (base, task)
}

#[tokio::test(flavor = "current_thread")]
async fn a_100_mib_upload_from_a_file_keeps_memory_flat() {
    let path = std::env::temp_dir().join(format!("apigen-upload-{}.bin", std::process::id()));
    {
        let file = std::fs::File::create(&path).expect("create the file");
        file.set_len(SIZE).expect("size the file");
    }
    let (base, server) = sink(2).await;
    let core = ClientCore::new(base, &[]);

    let before = peak_kib();
    let file = tokio::fs::File::open(&path).await.expect("open");
    core.request(Method::PUT)
        .upload(
            "application/octet-stream",
            Upload::from_reader(file, Some(SIZE)),
        )
        .send::<()>()
        .await
        .expect("204");
    let streamed = peak_kib();

    // The baseline: the same file read into memory first.
    let bytes = tokio::fs::read(&path).await.expect("read");
    core.request(Method::PUT)
        .upload("application/octet-stream", Upload::from(bytes))
        .send::<()>()
        .await
        .expect("204");
    let buffered = peak_kib();
    let _ = std::fs::remove_file(&path);

    let lengths = server.await.expect("server");
    assert_eq!(lengths, [SIZE, SIZE]);
    let (Some(before), Some(streamed), Some(buffered)) = (before, streamed, buffered) else {
        eprintln!("skipped the memory figures: no /proc/self/status");
        return;
    };
    let grew = |a: u64, b: u64| (b.saturating_sub(a)) as f64 / 1024.0;
    println!(
        "100 MiB upload: peak RSS grew {:.1} MiB reading the file as it is sent, \
         then {:.1} MiB more reading it into memory first",
        grew(before, streamed),
        grew(streamed, buffered)
    );
    assert!(grew(before, streamed) < 32.0, "{} KiB", streamed - before);
}
