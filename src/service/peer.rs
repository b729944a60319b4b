//! Who is on the other end of a Unix socket, as the kernel says.

use std::os::unix::net::UnixStream;

use anyhow::{Context, Result};
use nix::sys::socket::{getsockopt, sockopt::PeerCredentials};

pub struct Peer {
    pub user: String,
    pub uid: u32,
    pub pid: i32,
}

pub fn of(stream: &UnixStream) -> Result<Peer> {
    let cred = getsockopt(stream, PeerCredentials).context("reading the caller's credentials")?;
    let uid = cred.uid();
    let user = nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid))
        .ok()
        .flatten()
        .map(|u| u.name)
        .unwrap_or_else(|| format!("uid{uid}"));
    Ok(Peer {
        user,
        uid,
        pid: cred.pid(),
    })
}
