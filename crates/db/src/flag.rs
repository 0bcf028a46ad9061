//! Yes/no columns that read the same on SQLite and PostgreSQL.
//!
//! sqlx's `Any` driver cannot carry SQLite's `BOOLEAN` columns, and PostgreSQL's boolean does not
//! decode as an integer. So flags are stored as `BIGINT` 0/1 on both engines, compared with `= 1`,
//! and read through [`Flag`], which also accepts the true booleans that expressions such as
//! `x IS NOT NULL` yield on PostgreSQL. Row structs keep plain `bool` fields with
//! `#[sqlx(try_from = "Flag")]`.

use sqlx::any::{Any, AnyTypeInfo, AnyTypeInfoKind};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Database, Decode, Encode, Type, ValueRef};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Flag(pub bool);

impl From<Flag> for bool {
    fn from(f: Flag) -> bool {
        f.0
    }
}

impl From<bool> for Flag {
    fn from(b: bool) -> Flag {
        Flag(b)
    }
}

impl Type<Any> for Flag {
    fn type_info() -> AnyTypeInfo {
        <i64 as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        matches!(ty.kind, AnyTypeInfoKind::Bool | AnyTypeInfoKind::SmallInt | AnyTypeInfoKind::Integer | AnyTypeInfoKind::BigInt)
    }
}

impl<'r> Decode<'r, Any> for Flag {
    fn decode(value: <Any as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        if value.type_info().kind == AnyTypeInfoKind::Bool {
            Ok(Flag(<bool as Decode<Any>>::decode(value)?))
        } else {
            Ok(Flag(<i64 as Decode<Any>>::decode(value)? != 0))
        }
    }
}

impl Encode<'_, Any> for Flag {
    fn encode_by_ref(&self, buf: &mut <Any as Database>::ArgumentBuffer) -> Result<IsNull, BoxDynError> {
        <i64 as Encode<Any>>::encode_by_ref(&(self.0 as i64), buf)
    }
}
