use std::path::PathBuf;

use crate::codec::CodecError;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Database {
        path: PathBuf,
        #[source]
        source: redb::Error,
    },
    #[error(transparent)]
    Redb(#[from] redb::Error),
    #[error("stored {what} is unreadable: {source}")]
    Codec {
        what: String,
        #[source]
        source: CodecError,
    },
    #[error(
        "{path} has schema version {found}, newer than this opsdeck understands ({supported}); upgrade opsdeck, the file was not touched"
    )]
    NewerSchema {
        path: PathBuf,
        found: u64,
        supported: u64,
    },
    #[error(
        "{kind} '{key}' was changed by {by} at {at} (version {current}, you edited version {expected}); reload and apply your edit again"
    )]
    Conflict {
        kind: String,
        key: String,
        by: String,
        at: jiff::Timestamp,
        expected: u64,
        current: u64,
    },
    #[error("{kind} '{key}' does not exist")]
    NotFound { kind: String, key: String },
    #[error("{kind} '{key}' already exists")]
    AlreadyExists { kind: String, key: String },
    #[error("search index {path}: {message}")]
    Search { path: PathBuf, message: String },
    #[error("the search index is being written by another process (it holds the index lock)")]
    IndexLocked,
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A domain rule refused the write (the message says why); nothing was written.
    #[error("{0}")]
    Invalid(String),
}

impl Error {
    pub fn codec(what: impl Into<String>, source: CodecError) -> Self {
        Error::Codec {
            what: what.into(),
            source,
        }
    }
}

macro_rules! redb_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Error {
            fn from(e: $t) -> Self { Error::Redb(e.into()) }
        }
    )*};
}
redb_from!(
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError,
    redb::DatabaseError
);
