//! Tables handed out as files: one XLSX writer (a bold header row kept in view, column widths, an
//! autofilter, text that never runs as a formula) and the downloadable file it makes. Shared by
//! the buyers' shortlist exports and the committee's ranking.

use domain::policy::Actor;

use crate::{AppError, Result};

/// A file the caller offers for download, and the name to offer it under.
#[derive(Debug, Clone)]
pub struct Download {
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

pub const XLSX_CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// One cell of a table: numbers stay numbers, so that a spreadsheet can sort and sum them.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::Text(text.to_owned())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::Text(text)
    }
}

/// A table for one worksheet: its name, column headers with widths (in characters), and rows.
#[derive(Debug, Clone)]
pub struct Table<'a> {
    pub sheet_name: &'a str,
    pub columns: Vec<(String, f64)>,
    pub rows: Vec<Vec<Cell>>,
}

/// Spreadsheets run a cell starting with one of these as a formula: a note typed as
/// `=HYPERLINK(…)` must stay text. A leading apostrophe is what Excel itself shows for that.
pub fn defused(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// A CSV file: UTF-8 with a byte-order mark (so that spreadsheets read accents), comma-separated,
/// a header row. Cells of the columns `typed(k)` says people typed are defused (see [`defused`]);
/// figures the app wrote (a negative amount) are left as they are.
pub fn csv<R, C>(headers: &[&str], rows: R, typed: impl Fn(usize) -> bool) -> Result<Vec<u8>>
where
    R: IntoIterator,
    R::Item: IntoIterator<Item = C>,
    C: AsRef<str>,
{
    let bom = "\u{feff}".as_bytes().to_vec();
    let mut writer = ::csv::WriterBuilder::new().from_writer(bom);
    let failed = |e: ::csv::Error| AppError::Internal(format!("cannot write CSV: {e}"));
    writer.write_record(headers).map_err(failed)?;
    for row in rows {
        let cells: Vec<String> = row
            .into_iter()
            .enumerate()
            .map(|(k, cell)| {
                let cell = cell.as_ref();
                if typed(k) {
                    defused(cell).into_owned()
                } else {
                    cell.to_owned()
                }
            })
            .collect();
        writer.write_record(&cells).map_err(failed)?;
    }
    writer
        .into_inner()
        .map_err(|e| AppError::Internal(format!("cannot write CSV: {e}")))
}

/// The XLSX of a table: one sheet, a bold header row kept in view, widths set, an autofilter.
/// Text is written as strings, so no cell of an export is ever evaluated.
pub fn xlsx(table: &Table<'_>) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let failed = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("cannot write XLSX: {e}"));
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(table.sheet_name).map_err(failed)?;
    let bold = Format::new().set_bold();
    for (col, (header, width)) in table.columns.iter().enumerate() {
        let col = col as u16;
        sheet
            .write_string_with_format(0, col, header, &bold)
            .map_err(failed)?;
        sheet.set_column_width(col, *width).map_err(failed)?;
    }
    for (i, row) in table.rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (col, cell) in row.iter().enumerate() {
            let col = col as u16;
            match cell {
                Cell::Text(text) => sheet.write_string(r, col, text).map(drop),
                Cell::Number(number) => sheet.write_number(r, col, *number).map(drop),
                Cell::Empty => Ok(()),
            }
            .map_err(failed)?;
        }
    }
    let last_column = table.columns.len().saturating_sub(1) as u16;
    sheet
        .autofilter(0, 0, table.rows.len() as u32, last_column)
        .map_err(failed)?;
    sheet.set_freeze_panes(1, 0).map_err(failed)?;
    workbook.save_to_buffer().map_err(failed)
}

/// The XLSX of a table written off the async runtime: building a workbook is CPU work.
pub async fn xlsx_download(table: Table<'static>, file_name: String) -> Result<Download> {
    let bytes = tokio::task::spawn_blocking(move || xlsx(&table))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;
    Ok(Download {
        file_name,
        content_type: XLSX_CONTENT_TYPE,
        bytes,
    })
}

/// The locales mails and exports are written in; anything else reads as French.
pub(crate) fn english(locale: &str) -> bool {
    locale.trim().to_ascii_lowercase().starts_with("en")
}

/// The language of an export's headers: the one asked for (a page's), else the reader's own.
pub(crate) async fn reader_locale(
    conn: &mut store::Conn,
    actor: &Actor,
    asked: Option<&str>,
) -> Result<String> {
    if let Some(locale) = asked {
        return Ok(locale.to_owned());
    }
    let person = match actor {
        Actor::Person(p) => store::people::get(conn, p.person_id).await?,
        Actor::Visitor => None,
    };
    Ok(person.map(|p| p.locale).unwrap_or_else(|| "fr".into()))
}

/// A file name from a title: ASCII letters and digits and dashes (`fallback` when nothing is
/// left), the day, the extension.
pub fn file_name(title: &str, fallback: &str, extension: &str) -> String {
    let slug: String = domain::text::search_key(title)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(60)
        .collect();
    let slug = if slug.is_empty() { fallback } else { &slug };
    format!("{slug}-{}.{extension}", crate::directory::index::today())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_becomes_a_zip_workbook_with_text_and_numbers() {
        let table = Table {
            sheet_name: "Classement",
            columns: vec![("rang".into(), 6.0), ("candidat".into(), 30.0)],
            rows: vec![
                vec![Cell::Number(1.0), "=PME".into()],
                vec![Cell::Empty, Cell::Empty],
            ],
        };
        let bytes = xlsx(&table).unwrap();
        assert!(bytes.starts_with(b"PK"));
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("xl/worksheets/sheet1.xml"));
    }

    #[test]
    fn file_names_are_ascii_slugs_with_the_day() {
        let name = file_name("Usineurs d'Occitanie — été", "shortlist", "csv");
        assert!(name.starts_with("usineurs-d-occitanie-ete-"), "{name}");
        assert!(name.ends_with(".csv"));
        assert!(file_name("— ?", "ranking", "xlsx").starts_with("ranking-"));
    }

    #[test]
    fn formulas_are_defused() {
        assert_eq!(defused("=1+1"), "'=1+1");
        assert_eq!(defused("PME"), "PME");
    }
}
