//! What the embedded code tables share: reading a TSV by column names, and the conversions of a
//! code newtype that borrows its `&'static str` from such a table.

/// Yields the requested columns of each row, located by header name so that an added column shifts nothing.
pub(crate) fn rows(
    tsv: &'static str,
    file: &'static str,
    wanted: &'static [&'static str],
) -> impl Iterator<Item = Vec<&'static str>> {
    let mut lines = tsv.lines();
    let header: Vec<&str> = lines
        .next()
        .unwrap_or_else(|| panic!("{file} is empty"))
        .split('\t')
        .collect();
    let indices: Vec<usize> = wanted
        .iter()
        .map(|name| {
            header
                .iter()
                .position(|h| h == name)
                .unwrap_or_else(|| panic!("{file} lacks column {name}"))
        })
        .collect();
    lines.filter(|l| !l.is_empty()).map(move |line| {
        let fields: Vec<&'static str> = line.split('\t').collect();
        indices
            .iter()
            .map(|&i| {
                *fields
                    .get(i)
                    .unwrap_or_else(|| panic!("short row in {file}: {line}"))
            })
            .collect()
    })
}

/// Display, Debug, `AsRef<str>`, `FromStr`, `TryFrom<&str>` and serde (as the code string) for a
/// `struct Code(&'static str)` with `fn parse(&str) -> Result<Code, Error>`.
macro_rules! table_code {
    ($code:ident, $error:ty) => {
        impl std::fmt::Display for $code {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.0)
            }
        }

        impl std::fmt::Debug for $code {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}({})", stringify!($code), self.0)
            }
        }

        impl AsRef<str> for $code {
            fn as_ref(&self) -> &str {
                self.0
            }
        }

        impl std::str::FromStr for $code {
            type Err = $error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $code::parse(s)
            }
        }

        impl TryFrom<&str> for $code {
            type Error = $error;

            fn try_from(s: &str) -> Result<Self, Self::Error> {
                $code::parse(s)
            }
        }

        impl serde::Serialize for $code {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $code {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(deserializer)?;
                $code::parse(&raw).map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use table_code;
