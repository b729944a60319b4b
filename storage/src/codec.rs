//! The one place values are turned into bytes. Every stored value starts with a format version
//! byte so a future codec (e.g. wincode, which writes bincode 1.x bytes unchanged) is one
//! migration, not a rewrite.

use serde::{Serialize, de::DeserializeOwned};

/// Format byte of values written by this build: bincode 1.3.3 with its default options.
pub const FORMAT_V1: u8 = 1;

#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    #[error("empty value (no format byte)")]
    Empty,
    #[error("value written in format {found}, this build reads format {FORMAT_V1} only")]
    UnknownFormat { found: u8 },
    #[error("undecodable value: {0}")]
    Bincode(String),
}

pub fn encode<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, CodecError> {
    let size = bincode::serialized_size(value).map_err(|e| CodecError::Bincode(e.to_string()))?;
    let mut out = Vec::with_capacity(1 + size as usize);
    out.push(FORMAT_V1);
    bincode::serialize_into(&mut out, value).map_err(|e| CodecError::Bincode(e.to_string()))?;
    Ok(out)
}

pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, CodecError> {
    match bytes.split_first() {
        None => Err(CodecError::Empty),
        Some((&FORMAT_V1, rest)) => {
            bincode::deserialize(rest).map_err(|e| CodecError::Bincode(e.to_string()))
        }
        Some((&found, _)) => Err(CodecError::UnknownFormat { found }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Sample {
        name: String,
        amount: Decimal,
        at: jiff::Timestamp,
        tags: Vec<String>,
    }

    #[test]
    fn round_trip_keeps_value_and_prefixes_format_byte() {
        let v = Sample {
            name: "Criciúma".into(),
            amount: Decimal::new(123456, 2),
            at: "2026-11-22T10:00:00Z".parse().unwrap(),
            tags: vec!["gas".into()],
        };
        let bytes = encode(&v).unwrap();
        assert_eq!(bytes[0], FORMAT_V1);
        assert_eq!(decode::<Sample>(&bytes).unwrap(), v);
    }

    #[test]
    fn unknown_format_and_empty_are_errors_not_panics() {
        let mut bytes = encode(&42u64).unwrap();
        bytes[0] = 9;
        assert!(matches!(
            decode::<u64>(&bytes),
            Err(CodecError::UnknownFormat { found: 9 })
        ));
        assert!(matches!(decode::<u64>(&[]), Err(CodecError::Empty)));
        assert!(matches!(
            decode::<String>(&[FORMAT_V1, 0xff]),
            Err(CodecError::Bincode(_))
        ));
    }
}
