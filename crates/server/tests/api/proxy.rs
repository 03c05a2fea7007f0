//! A TCP proxy between a test server and PostgreSQL that can make the database unreachable
//! the ways a production network does (issue 15, finding 4): the port refused, every session
//! cut, or a dead path that accepts and forwards nothing. Tokio only; one task per direction
//! of each connection, each watching the mode.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::watch;

/// How the proxy treats connections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Forwards both ways.
    Pass,
    /// PostgreSQL is down: the port is closed (a connect is refused) and every open
    /// connection is reset.
    Refuse,
    /// Every open connection is cut (closed mid-stream), and each new one is accepted and
    /// closed at once: a server that drops its sessions.
    Terminate,
    /// A dead path: connections are accepted, but nothing is forwarded either way, on open
    /// connections as on new ones, until the mode changes (the held bytes are forwarded then,
    /// as TCP delivers them once a path comes back).
    Blackhole,
}

pub struct Proxy {
    /// Where clients connect instead of PostgreSQL.
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

struct Shared {
    upstream: SocketAddr,
    mode: watch::Sender<Mode>,
    /// Bytes still to forward towards PostgreSQL before every connection is cut (`cut_after`);
    /// negative when not armed.
    budget: AtomicI64,
}

impl Proxy {
    /// A proxy in `Pass` mode on a free local port in front of `upstream`.
    pub async fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().expect("proxy address");
        let (mode, _) = watch::channel(Mode::Pass);
        let shared = Arc::new(Shared {
            upstream,
            mode,
            budget: AtomicI64::new(-1),
        });
        let task = tokio::spawn(listen(listener, shared.clone()));
        Proxy { addr, shared, task }
    }

    pub fn set(&self, mode: Mode) {
        self.shared.mode.send_replace(mode);
    }

    pub fn mode(&self) -> Mode {
        *self.shared.mode.borrow()
    }

    /// Cuts every connection (`Terminate`) once `bytes` more have been forwarded towards
    /// PostgreSQL: a session lost in the middle of whatever the server was sending.
    pub fn cut_after(&self, bytes: i64) {
        self.shared.budget.store(bytes, Ordering::SeqCst);
    }

    /// `url` (a PostgreSQL URL) pointed at this proxy instead.
    pub fn url_of(&self, url: &str) -> String {
        let (scheme, rest) = url.split_once("://").expect("a URL");
        let (authority, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let userinfo = authority
            .rsplit_once('@')
            .map(|(u, _)| format!("{u}@"))
            .unwrap_or_default();
        format!("{scheme}://{userinfo}{}{tail}", self.addr)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The `host:port` of a PostgreSQL URL, resolved.
pub fn upstream_of(url: &str) -> SocketAddr {
    use std::net::ToSocketAddrs;
    let rest = url.split_once("://").expect("a URL").1;
    let authority = &rest[..rest.find(['/', '?']).unwrap_or(rest.len())];
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let with_port = if host_port.contains(':') {
        host_port.to_string()
    } else {
        format!("{host_port}:5432")
    };
    with_port
        .to_socket_addrs()
        .expect("resolve PostgreSQL")
        .next()
        .expect("an address")
}

/// Accepts while the port is open; in `Refuse` mode the listener is closed, so that connects
/// are refused by the kernel as when nothing listens, and bound again afterwards.
async fn listen(listener: TcpListener, shared: Arc<Shared>) {
    let addr = listener.local_addr().expect("proxy address");
    let mut modes = shared.mode.subscribe();
    let mut listener = Some(listener);
    loop {
        let Some(l) = &listener else {
            // Closed: wait for another mode, then listen on the same port again.
            if modes.changed().await.is_err() {
                return;
            }
            if *modes.borrow() != Mode::Refuse {
                listener = Some(rebind(addr).await);
            }
            continue;
        };
        tokio::select! {
            accepted = l.accept() => {
                let Ok((client, _)) = accepted else { continue };
                tokio::spawn(connection(client, shared.clone()));
            }
            changed = modes.changed() => {
                if changed.is_err() {
                    return;
                }
                if *modes.borrow() == Mode::Refuse {
                    listener = None;
                }
            }
        }
    }
}

async fn rebind(addr: SocketAddr) -> TcpListener {
    loop {
        let socket = TcpSocket::new_v4().expect("socket");
        socket.set_reuseaddr(true).expect("SO_REUSEADDR");
        if socket.bind(addr).is_ok() {
            if let Ok(l) = socket.listen(128) {
                return l;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// One client connection, as the mode says.
async fn connection(client: TcpStream, shared: Arc<Shared>) {
    let mut modes = shared.mode.subscribe();
    // A connection accepted on a dead path waits for the path to come back.
    loop {
        let mode = *modes.borrow_and_update();
        match mode {
            Mode::Pass => break,
            Mode::Refuse => return reset(client),
            Mode::Terminate => return,
            Mode::Blackhole => {
                if modes.changed().await.is_err() {
                    return;
                }
            }
        }
    }
    let Ok(server) = TcpStream::connect(shared.upstream).await else {
        return reset(client);
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (client_r, client_w) = client.into_split();
    let (server_r, server_w) = server.into_split();
    let up = tokio::spawn(pump(client_r, server_w, shared.clone(), true));
    let down = tokio::spawn(pump(server_r, client_w, shared, false));
    let (a, b) = (up.await, down.await);
    // Refuse resets rather than closes: reunite the halves to set SO_LINGER 0.
    if let (Ok(Some((cr, sw))), Ok(Some((sr, cw)))) = (a, b) {
        if let (Ok(client), Ok(server)) = (cr.reunite(cw), sr.reunite(sw)) {
            reset(client);
            reset(server);
        }
    }
}

/// Drops `s` with a reset (SO_LINGER 0) instead of an orderly close.
// A zero linger never blocks (the deprecation's concern): the close is a reset at once.
#[allow(deprecated)]
fn reset(s: TcpStream) {
    let _ = s.set_linger(Some(std::time::Duration::ZERO));
    drop(s);
}

type Halves = (
    tokio::net::tcp::OwnedReadHalf,
    tokio::net::tcp::OwnedWriteHalf,
);

/// Copies `from` into `to` while the mode allows; returns the halves when the connection is
/// to be reset (`Refuse`), `None` after an orderly end (closed by a side, or `Terminate`).
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    shared: Arc<Shared>,
    upstream: bool,
) -> Option<Halves> {
    let mut modes = shared.mode.subscribe();
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let mode = *modes.borrow_and_update();
        match mode {
            Mode::Pass => {}
            Mode::Refuse => return Some((from, to)),
            Mode::Terminate => {
                let _ = to.shutdown().await;
                return None;
            }
            Mode::Blackhole => {
                // Nothing is read, so nothing is lost: held in the kernel's buffers.
                if modes.changed().await.is_err() {
                    return None;
                }
                continue;
            }
        }
        tokio::select! {
            n = from.read(&mut buf) => {
                let n = match n {
                    Ok(0) | Err(_) => {
                        let _ = to.shutdown().await;
                        return None;
                    }
                    Ok(n) => n,
                };
                if to.write_all(&buf[..n]).await.is_err() {
                    return None;
                }
                if upstream && shared.budget.load(Ordering::SeqCst) >= 0 {
                    let left = shared.budget.fetch_sub(n as i64, Ordering::SeqCst) - n as i64;
                    if left < 0 {
                        shared.budget.store(-1, Ordering::SeqCst);
                        shared.mode.send_replace(Mode::Terminate);
                    }
                }
            }
            changed = modes.changed() => {
                if changed.is_err() {
                    return None;
                }
            }
        }
    }
}
