//! What goes back to a client: replies and notices share the connection (one writer at a
//! time), and files go in pieces.

use std::os::unix::net::UnixStream;
use std::sync::{Arc, Mutex};

use crate::app::wire::{self, CHUNK, Response, WireError};

/// The client's side of the connection, shared by replies and notices.
#[derive(Clone)]
pub struct Out(Arc<Mutex<UnixStream>>);

impl Out {
    pub fn new(stream: UnixStream) -> Out {
        Out(Arc::new(Mutex::new(stream)))
    }

    pub fn send(&self, r: &Response) -> Result<(), WireError> {
        let mut s = self.0.lock().unwrap_or_else(|p| p.into_inner());
        wire::write_frame(&mut *s, r)
    }

    pub fn close(&self) {
        let s = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let _ = s.shutdown(std::net::Shutdown::Both);
    }
}

/// A file a command wrote, in pieces, so a large export does not sit in memory whole.
pub fn send_file(tx: &Out, path: &std::path::Path) -> Result<(), WireError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut f = std::fs::File::open(path)?;
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = read_full(&mut f, &mut buf)?;
        let last = n < buf.len();
        tx.send(&Response::File {
            name: name.clone(),
            bytes: buf[..n].to_vec(),
            last,
        })?;
        if last {
            return Ok(());
        }
    }
}

fn read_full(f: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    use std::io::Read;
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}
