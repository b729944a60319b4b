//! A small keep-alive client for `POST /ingest`, signing like a device: the demo simulator and
//! `opsdeck bench ingest` use it.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::signing;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

pub struct IngestClient {
    addr: SocketAddr,
    tenant: String,
    secret: String,
    /// distinguishes this client's message ids from any other process's
    prefix: String,
    conn: Option<BufReader<TcpStream>>,
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

impl IngestClient {
    pub fn new(addr: SocketAddr, tenant: &str, secret: &str) -> IngestClient {
        let mut r = [0u8; 6];
        let _ = getrandom::fill(&mut r);
        IngestClient {
            addr,
            tenant: tenant.to_owned(),
            secret: secret.to_owned(),
            prefix: hex::encode(r),
            conn: None,
        }
    }

    fn connect(&mut self) -> io::Result<&mut BufReader<TcpStream>> {
        if self.conn.is_none() {
            let s = TcpStream::connect_timeout(&self.addr, Duration::from_secs(5))?;
            s.set_nodelay(true)?;
            s.set_read_timeout(Some(Duration::from_secs(30)))?;
            s.set_write_timeout(Some(Duration::from_secs(30)))?;
            self.conn = Some(BufReader::new(s));
        }
        Ok(self.conn.as_mut().expect("connected above"))
    }

    /// A fresh message id.
    pub fn next_id(&self) -> String {
        format!(
            "{}-{}",
            self.prefix,
            NEXT_ID.fetch_add(1, Ordering::Relaxed)
        )
    }

    /// Signs and posts `body` with a fresh message id; reconnects once if the kept-alive
    /// connection was closed.
    pub fn post(&mut self, body: &[u8]) -> io::Result<Reply> {
        let id = self.next_id();
        self.post_with_id(body, &id)
    }

    pub fn post_with_id(&mut self, body: &[u8], message_id: &str) -> io::Result<Reply> {
        let ts = crate::clock::now().as_second().to_string();
        let sig = signing::sign(&self.secret, &ts, body);
        let mut req = format!(
            "POST /ingest HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nX-Tenant: {}\r\nX-Timestamp: {ts}\r\nX-Message-Id: {message_id}\r\nX-Signature: {sig}\r\n\r\n",
            self.addr,
            body.len(),
            self.tenant
        )
        .into_bytes();
        req.extend_from_slice(body);
        match self.round_trip(&req) {
            Ok(r) => Ok(r),
            Err(_) => {
                // The server may have closed an idle keep-alive connection: one retry on a new one.
                self.conn = None;
                self.round_trip(&req)
            }
        }
    }

    fn round_trip(&mut self, req: &[u8]) -> io::Result<Reply> {
        let conn = self.connect()?;
        conn.get_mut().write_all(req)?;
        let reply = read_reply(conn);
        match &reply {
            Ok(r) if r.status == 200 => {}
            _ => self.conn = None,
        }
        reply
    }
}

fn read_reply(conn: &mut BufReader<TcpStream>) -> io::Result<Reply> {
    let mut line = String::new();
    if conn.read_line(&mut line)? == 0 {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("bad status line {line:?}"),
            )
        })?;
    let mut len = 0usize;
    loop {
        line.clear();
        if conn.read_line(&mut line)? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            len = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0u8; len];
    conn.read_exact(&mut body)?;
    Ok(Reply {
        status,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}
