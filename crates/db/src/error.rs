//! The database's one error type. sqlx's errors are sorted once, here, into what a caller can act
//! on: the row is not there, the write collides with a unique or foreign key, or anything else
//! (connection lost, bug), which callers report as an internal error without showing its text.

/// What went wrong in the database.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A query that needed a row found none.
    #[error("not found")]
    NotFound,
    /// A write collided with a unique key (a duplicate) or a foreign key (a record still referred
    /// to, or referring to one that is gone). The text names the constraint, not the values.
    #[error("{0}")]
    Conflict(String),
    /// The URL names an engine DIDtron does not speak.
    #[error("unsupported database URL (expected sqlite:// or postgres://): {0}")]
    UnsupportedUrl(String),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Anything else: the connection, the SQL, a value that does not decode.
    #[error(transparent)]
    Other(sqlx::Error),
}

/// The older name, kept so callers read naturally as `didtron_db::DbError`.
pub type DbError = Error;

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Error {
        match e {
            sqlx::Error::RowNotFound => Error::NotFound,
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                Error::Conflict(format!("a record with the same {} already exists", d.constraint().unwrap_or("value")))
            }
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => Error::Conflict("other records still refer to this one".into()),
            other => Error::Other(other),
        }
    }
}

impl Error {
    /// Whether the write collided with a unique key or a foreign key.
    pub fn is_conflict(&self) -> bool {
        matches!(self, Error::Conflict(_))
    }
}

impl From<Error> for didtron_core::Error {
    fn from(e: Error) -> Self {
        match e {
            Error::NotFound => didtron_core::Error::NotFound("record"),
            Error::Conflict(m) => didtron_core::Error::Conflict(m),
            other => didtron_core::Error::internal(other),
        }
    }
}
