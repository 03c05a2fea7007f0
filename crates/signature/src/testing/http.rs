//! A tiny HTTP/1.1 server on loopback for tests: it stands in for CRL distribution points and
//! for NCANode, answering each path with a file read at request time, canned bytes, or
//! nothing for a while, and records what it was sent. std only: one thread per connection,
//! `Connection: close`, no keep-alive.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How a path is answered.
#[derive(Debug, Clone)]
pub enum Reply {
    /// 200 with the file's bytes as they are when asked (404 when it is missing), so that a
    /// CRL the PKI republishes is served fresh.
    File(PathBuf),
    /// Any status with these bytes.
    Body {
        status: u16,
        content_type: String,
        body: Vec<u8>,
    },
    /// Waits, then answers as the inner reply (for timeouts).
    Delay(Duration, Box<Reply>),
}

impl Reply {
    /// 200 with a JSON body.
    pub fn json(status: u16, value: &serde_json::Value) -> Reply {
        Reply::Body {
            status,
            content_type: "application/json".into(),
            body: value.to_string().into_bytes(),
        }
    }

    /// A bare status with a short text body.
    pub fn status(status: u16) -> Reply {
        Reply::Body {
            status,
            content_type: "text/plain".into(),
            body: format!("status {status}").into_bytes(),
        }
    }
}

/// One request the server received.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub body: Vec<u8>,
}

type Routes = Arc<Mutex<HashMap<String, Reply>>>;

/// The server; it stops when dropped.
pub struct MockServer {
    addr: SocketAddr,
    routes: Routes,
    received: Arc<Mutex<Vec<Received>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Listens on 127.0.0.1 on a port of the system's choosing.
    pub fn start() -> MockServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().expect("address");
        let routes: Routes = Arc::default();
        let received: Arc<Mutex<Vec<Received>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (routes, received, stop) = (routes.clone(), received.clone(), stop.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (routes, received) = (routes.clone(), received.clone());
                    std::thread::spawn(move || serve(stream, &routes, &received));
                }
            })
        };
        MockServer {
            addr,
            routes,
            received,
            stop,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The URL of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url())
    }

    /// Answers `path` with `reply` from now on (other paths get 404).
    pub fn route(&self, path: &str, reply: Reply) {
        lock(&self.routes).insert(path.to_string(), reply);
    }

    /// Every request so far, in order.
    pub fn received(&self) -> Vec<Received> {
        lock(&self.received).clone()
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // The accept loop wakes only on a connection.
        let _ = TcpStream::connect(self.addr);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn serve(stream: TcpStream, routes: &Routes, received: &Mutex<Vec<Received>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let path = parts.next().unwrap_or_default().to_string();
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 {
            return;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let reply = lock(routes).get(&path).cloned();
    lock(received).push(Received { method, path, body });
    respond(stream, reply.unwrap_or_else(|| Reply::status(404)));
}

fn respond(mut stream: TcpStream, reply: Reply) {
    let (status, content_type, body) = match reply {
        Reply::Delay(wait, inner) => {
            std::thread::sleep(wait);
            return respond(stream, *inner);
        }
        Reply::File(path) => match std::fs::read(path) {
            Ok(bytes) => (200, "application/pkix-crl".to_string(), bytes),
            Err(_) => (404, "text/plain".to_string(), b"no such file".to_vec()),
        },
        Reply::Body {
            status,
            content_type,
            body,
        } => (status, content_type, body),
    };
    let head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        reason(status),
        body.len()
    );
    // The client may have given up (a timeout test): nothing to do about a broken pipe.
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
    let _ = stream.flush();
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
