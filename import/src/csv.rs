//! CSV with a header row, into any serde type. A row that does not fit is reported with its
//! row number and, where the csv crate can tell, the column header.

use serde::de::DeserializeOwned;

use crate::{Parsed, RowError};

pub fn read<T: DeserializeOwned>(file: &str, data: impl std::io::Read) -> Parsed<T> {
    let mut rdr = ::csv::ReaderBuilder::new()
        .trim(::csv::Trim::All)
        .flexible(false)
        .from_reader(data);
    let mut out = Parsed {
        records: Vec::new(),
        errors: Vec::new(),
    };
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            out.errors.push(RowError {
                file: file.into(),
                row: 1,
                column: None,
                reason: format!("unreadable header: {e}"),
            });
            return out;
        }
    };
    for (i, result) in rdr.records().enumerate() {
        let row = i as u64 + 2;
        let rec = match result {
            Ok(r) => r,
            Err(e) => {
                out.errors.push(RowError {
                    file: file.into(),
                    row,
                    column: None,
                    reason: e.to_string(),
                });
                continue;
            }
        };
        match rec.deserialize::<T>(Some(&headers)) {
            Ok(v) => out.records.push((row, v)),
            Err(e) => {
                let (column, reason) = match e.kind() {
                    ::csv::ErrorKind::Deserialize { err, .. } => (
                        err.field()
                            .and_then(|f| headers.get(f as usize))
                            .map(str::to_owned),
                        match err.kind() {
                            ::csv::DeserializeErrorKind::Message(m) => m.clone(),
                            other => other.to_string(),
                        },
                    ),
                    _ => (None, e.to_string()),
                };
                out.errors.push(RowError {
                    file: file.into(),
                    row,
                    column,
                    reason,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Person {
        name: String,
        age: u32,
    }

    #[test]
    fn good_rows_are_kept_and_bad_rows_named() {
        let data = "name,age\nana, 31\nbruno,trinta\ncarla\ndavi,40\n";
        let p = super::read::<Person>("people.csv", data.as_bytes());
        assert_eq!(p.records.len(), 2);
        assert_eq!(
            p.records[1],
            (
                5,
                Person {
                    name: "davi".into(),
                    age: 40
                }
            )
        );
        assert_eq!(p.errors.len(), 2);
        assert_eq!(p.errors[0].row, 3);
        assert_eq!(p.errors[0].column.as_deref(), Some("age"));
        assert_eq!(p.errors[1].row, 4);
        assert!(
            p.errors[0]
                .to_string()
                .starts_with("people.csv: row 3, column 'age'")
        );
    }
}
