//! Supplier shortlists: a buyer's named lists of organisations, a note on each, exported as CSV
//! (UTF-8 with a byte-order mark, so Excel reads the accents) or XLSX for the purchasing team.

use domain::policy::Actor;
use serde::Serialize;
use store::shortlists::{self as stored, Entry as StoredEntry, Shortlist};
use store::{StoreError, organisations};

use super::{english, name, owner};
use crate::audit::Entry;
use crate::spreadsheet::{self, Cell, Table};
use crate::{App, AppError, Result};

/// Lists one person may keep.
pub const MAX_SHORTLISTS: i64 = 50;
/// Organisations on one list.
pub const MAX_ENTRIES: i64 = 1_000;
/// Longest note on an entry.
pub const MAX_NOTE_CHARS: usize = 500;

/// A list with its organisations, as its owner sees it.
#[derive(Debug, Clone, Serialize)]
pub struct ShortlistView {
    pub list: Shortlist,
    pub entries: Vec<ShortlistEntry>,
}

/// An organisation on a list, with its registry facts spelled out.
#[derive(Debug, Clone, Serialize)]
pub struct ShortlistEntry {
    #[serde(flatten)]
    pub entry: StoredEntry,
    pub naf_label: String,
    pub region_name: String,
}

impl std::ops::Deref for ShortlistEntry {
    type Target = StoredEntry;

    fn deref(&self) -> &StoredEntry {
        &self.entry
    }
}

impl From<StoredEntry> for ShortlistEntry {
    fn from(entry: StoredEntry) -> Self {
        ShortlistEntry {
            naf_label: domain::naf::NafCode::parse(&entry.naf_code)
                .map(|c| c.label_fr().to_owned())
                .unwrap_or_default(),
            region_name: domain::geo::region(&entry.region_code)
                .map(|r| r.name.to_owned())
                .unwrap_or_else(|| entry.region_code.clone()),
            entry,
        }
    }
}

/// The spreadsheet formats a list exports to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    pub fn parse(input: &str) -> Result<ExportFormat> {
        match input.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(ExportFormat::Csv),
            "xlsx" => Ok(ExportFormat::Xlsx),
            other => Err(AppError::invalid(
                "format",
                format!(
                    "'{}' is not an export format: use csv or xlsx",
                    other.chars().take(40).collect::<String>()
                ),
            )),
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// An exported list: the file's bytes and the name to offer for it.
pub type ShortlistExport = crate::spreadsheet::Download;

/// One row of an export, every cell as text, in the order of [`headers`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRow {
    pub name: String,
    pub siret: String,
    pub naf_code: String,
    pub naf_label: String,
    pub region: String,
    pub size: String,
    pub website: String,
    pub note: String,
    pub added_on: String,
}

impl ExportRow {
    fn of(entry: &ShortlistEntry, locale: &str) -> ExportRow {
        let size = entry
            .size
            .as_deref()
            .and_then(|s| domain::org::OrgSize::parse(s).ok())
            .map(|s| {
                if english(locale) {
                    s.label_en()
                } else {
                    s.label_fr()
                }
            })
            .unwrap_or_default();
        let added_on = jiff::Timestamp::from_millisecond(entry.added_at)
            .map(|t| {
                crate::meetings::programme::paris()
                    .to_datetime(t)
                    .date()
                    .to_string()
            })
            .unwrap_or_default();
        ExportRow {
            name: entry.legal_name.clone(),
            siret: entry.siret.clone(),
            naf_code: entry.naf_code.clone(),
            naf_label: entry.naf_label.clone(),
            region: entry.region_name.clone(),
            size: size.to_owned(),
            website: entry.website.clone().unwrap_or_default(),
            note: entry.note.clone(),
            added_on,
        }
    }

    fn cells(&self) -> [&str; 9] {
        [
            &self.name,
            &self.siret,
            &self.naf_code,
            &self.naf_label,
            &self.region,
            &self.size,
            &self.website,
            &self.note,
            &self.added_on,
        ]
    }
}

/// The header row of an export.
pub fn headers(locale: &str) -> [&'static str; 9] {
    if english(locale) {
        [
            "name",
            "SIRET",
            "NAF code",
            "NAF label",
            "region",
            "size",
            "website",
            "note",
            "added on",
        ]
    } else {
        [
            "nom",
            "SIRET",
            "code NAF",
            "libellé NAF",
            "région",
            "taille",
            "site web",
            "note",
            "ajouté le",
        ]
    }
}

/// The CSV of an export: UTF-8 with a byte-order mark, comma-separated, a header row.
/// Every cell is text someone typed or a registry gave: all are defused.
pub fn csv_bytes(rows: &[ExportRow], locale: &str) -> Result<Vec<u8>> {
    spreadsheet::csv(&headers(locale), rows.iter().map(ExportRow::cells), |_| true)
}

/// Column widths of the XLSX export, in characters.
const XLSX_WIDTHS: [f64; 9] = [40.0, 16.0, 10.0, 45.0, 26.0, 18.0, 32.0, 50.0, 12.0];

/// The XLSX of an export: the shared table writer with this export's headers and widths.
pub fn xlsx_bytes(rows: &[ExportRow], locale: &str) -> Result<Vec<u8>> {
    spreadsheet::xlsx(&Table {
        sheet_name: if english(locale) { "Shortlist" } else { "Liste" },
        columns: headers(locale)
            .iter()
            .zip(XLSX_WIDTHS)
            .map(|(header, width)| ((*header).to_owned(), width))
            .collect(),
        rows: rows
            .iter()
            .map(|row| row.cells().iter().map(|cell| Cell::from(*cell)).collect())
            .collect(),
    })
}

/// A file name from a list's name: ASCII letters and digits, dashes, the day.
fn file_name(list: &str, format: ExportFormat) -> String {
    spreadsheet::file_name(list, "shortlist", format.extension())
}

impl App {
    #[tracing::instrument(skip(self, actor))]
    pub async fn create_shortlist(&self, actor: &Actor, name_input: &str) -> Result<Shortlist> {
        let person_id = owner(actor)?;
        let name = name(name_input)?;
        let mut tx = self.store.begin().await?;
        let list = create(&mut tx, actor, person_id, &name).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(list)
    }

    /// The person's lists, most recently changed first.
    pub async fn shortlists(&self, actor: &Actor) -> Result<Vec<Shortlist>> {
        let person_id = owner(actor)?;
        let mut conn = self.store.conn().await?;
        Ok(stored::list(&mut conn, person_id).await?)
    }

    #[tracing::instrument(skip(self, actor))]
    pub async fn rename_shortlist(&self, actor: &Actor, id: i64, name_input: &str) -> Result<Shortlist> {
        let person_id = owner(actor)?;
        let name = name(name_input)?;
        let mut tx = self.store.begin().await?;
        let before = find(&mut tx, person_id, id).await?;
        stored::rename(&mut tx, person_id, id, &name).await?;
        let after = find(&mut tx, person_id, id).await?;
        Entry::by(actor, "update", "shortlist", id)
            .before(&before)
            .after(&after)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(after)
    }

    #[tracing::instrument(skip(self, actor))]
    pub async fn delete_shortlist(&self, actor: &Actor, id: i64) -> Result<()> {
        let person_id = owner(actor)?;
        let mut tx = self.store.begin().await?;
        let before = find(&mut tx, person_id, id).await?;
        let entries = stored::entries(&mut tx, person_id, id).await?;
        stored::delete(&mut tx, person_id, id).await?;
        Entry::by(actor, "delete", "shortlist", id)
            .before(&serde_json::json!({ "list": before, "entries": entries }))
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Puts an organisation on a list with an optional note; returns false when it was already
    /// there (its note is then left as it was).
    #[tracing::instrument(skip(self, actor, note))]
    pub async fn add_to_shortlist(
        &self,
        actor: &Actor,
        id: i64,
        organisation_id: i64,
        note: &str,
    ) -> Result<bool> {
        let person_id = owner(actor)?;
        let note = check_note(note)?;
        let mut tx = self.store.begin().await?;
        let list = find(&mut tx, person_id, id).await?;
        let added = add(&mut tx, actor, person_id, &list, organisation_id, &note).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(added)
    }

    /// Puts an organisation on the person's most recently changed list, or on a new list called
    /// `default_name` when they have none. Returns the list's id and whether it was added.
    #[tracing::instrument(skip(self, actor, note))]
    pub async fn add_to_latest_shortlist(
        &self,
        actor: &Actor,
        organisation_id: i64,
        note: &str,
        default_name: &str,
    ) -> Result<(i64, bool)> {
        let person_id = owner(actor)?;
        let note = check_note(note)?;
        let default_name = name(default_name)?;
        let mut tx = self.store.begin().await?;
        // Checked before a list is created for it, so a bad id leaves nothing behind.
        known_organisation(&mut tx, organisation_id).await?;
        let list = match stored::latest(&mut tx, person_id).await? {
            Some(id) => find(&mut tx, person_id, id).await?,
            None => create(&mut tx, actor, person_id, &default_name).await?,
        };
        let added = add(&mut tx, actor, person_id, &list, organisation_id, &note).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok((list.id, added))
    }

    #[tracing::instrument(skip(self, actor))]
    pub async fn remove_from_shortlist(&self, actor: &Actor, id: i64, organisation_id: i64) -> Result<()> {
        let person_id = owner(actor)?;
        let mut tx = self.store.begin().await?;
        find(&mut tx, person_id, id).await?;
        if !stored::remove_entry(&mut tx, person_id, id, organisation_id).await? {
            return Err(AppError::NotFound("organisation on this list"));
        }
        Entry::by(actor, "remove_entry", "shortlist", id)
            .before(&serde_json::json!({ "organisation_id": organisation_id }))
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Replaces the note on an organisation of a list.
    #[tracing::instrument(skip(self, actor, note))]
    pub async fn set_shortlist_note(
        &self,
        actor: &Actor,
        id: i64,
        organisation_id: i64,
        note: &str,
    ) -> Result<()> {
        let person_id = owner(actor)?;
        let note = check_note(note)?;
        let mut tx = self.store.begin().await?;
        find(&mut tx, person_id, id).await?;
        if !stored::set_note(&mut tx, person_id, id, organisation_id, &note).await? {
            return Err(AppError::NotFound("organisation on this list"));
        }
        Entry::by(actor, "update_entry", "shortlist", id)
            .after(&serde_json::json!({ "organisation_id": organisation_id, "note": note }))
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// A list with its organisations and their facts, in the order they were added.
    pub async fn shortlist(&self, actor: &Actor, id: i64) -> Result<ShortlistView> {
        let person_id = owner(actor)?;
        let mut conn = self.store.conn().await?;
        let list = find(&mut conn, person_id, id).await?;
        let entries = stored::entries(&mut conn, person_id, id)
            .await?
            .into_iter()
            .map(ShortlistEntry::from)
            .collect();
        Ok(ShortlistView { list, entries })
    }

    /// A list as a spreadsheet, its headers in `locale` (the person's own language when `None`).
    pub async fn export_shortlist(
        &self,
        actor: &Actor,
        id: i64,
        format: ExportFormat,
        locale: Option<&str>,
    ) -> Result<ShortlistExport> {
        let view = self.shortlist(actor, id).await?;
        let locale = spreadsheet::reader_locale(&mut *self.store.conn().await?, actor, locale).await?;
        let rows: Vec<ExportRow> = view.entries.iter().map(|e| ExportRow::of(e, &locale)).collect();
        let bytes = match format {
            ExportFormat::Csv => csv_bytes(&rows, &locale)?,
            ExportFormat::Xlsx => {
                let locale = locale.clone();
                tokio::task::spawn_blocking(move || xlsx_bytes(&rows, &locale))
                    .await
                    .map_err(|e| AppError::Internal(e.to_string()))??
            }
        };
        Ok(ShortlistExport {
            file_name: file_name(&view.list.name, format),
            content_type: format.content_type(),
            bytes,
        })
    }
}

fn check_note(input: &str) -> Result<String> {
    domain::text::multiline("note", input, MAX_NOTE_CHARS)
        .map(Option::unwrap_or_default)
        .map_err(|e| AppError::invalid("note", e))
}

async fn find(conn: &mut store::Conn, person_id: i64, id: i64) -> Result<Shortlist> {
    stored::get(conn, person_id, id)
        .await?
        .ok_or(AppError::NotFound("shortlist"))
}

async fn known_organisation(conn: &mut store::Conn, organisation_id: i64) -> Result<()> {
    organisations::get(conn, organisation_id)
        .await?
        .map(|_| ())
        .ok_or(AppError::NotFound("organisation"))
}

async fn create(conn: &mut store::Conn, actor: &Actor, person_id: i64, name: &str) -> Result<Shortlist> {
    store::people::serialize_on(conn, person_id).await?;
    if stored::count(conn, person_id).await? >= MAX_SHORTLISTS {
        return Err(AppError::invalid(
            "name",
            format!("you already keep {MAX_SHORTLISTS} lists, the most allowed; delete one first"),
        ));
    }
    let id = stored::insert(conn, person_id, name).await?;
    let list = find(conn, person_id, id).await?;
    Entry::by(actor, "create", "shortlist", id)
        .after(&list)
        .write(conn)
        .await?;
    Ok(list)
}

async fn add(
    conn: &mut store::Conn,
    actor: &Actor,
    person_id: i64,
    list: &Shortlist,
    organisation_id: i64,
    note: &str,
) -> Result<bool> {
    known_organisation(conn, organisation_id).await?;
    // Counted again under the owner's lock: two additions at once cannot both pass the limit.
    store::people::serialize_on(conn, person_id).await?;
    let list = find(conn, person_id, list.id).await?;
    if list.entries >= MAX_ENTRIES {
        return Err(AppError::invalid(
            "organisation_id",
            format!("a list holds at most {MAX_ENTRIES} organisations; start another list"),
        ));
    }
    let added = stored::add_entry(conn, person_id, list.id, organisation_id, note).await?;
    if added {
        Entry::by(actor, "add_entry", "shortlist", list.id)
            .after(&serde_json::json!({ "organisation_id": organisation_id, "note": note }))
            .write(conn)
            .await?;
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, note: &str) -> ExportRow {
        ExportRow {
            name: name.into(),
            siret: "73282932000074".into(),
            naf_code: "25.62B".into(),
            naf_label: "Mécanique industrielle".into(),
            region: "Occitanie".into(),
            size: "PME".into(),
            website: "https://titane.example".into(),
            note: note.into(),
            added_on: "2030-03-14".into(),
        }
    }

    fn parse(bytes: &[u8]) -> Vec<Vec<String>> {
        let text = std::str::from_utf8(bytes).unwrap();
        let text = text
            .strip_prefix('\u{feff}')
            .expect("a byte-order mark for Excel");
        csv::Reader::from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    }

    #[test]
    fn the_csv_has_a_bom_a_french_header_and_one_row_per_entry_with_accents_intact() {
        let bytes = csv_bytes(
            &[
                row("Usinage Titane Occitanie", "à rappeler, « urgent »"),
                row("Énergie, Ouest", ""),
            ],
            "fr",
        )
        .unwrap();
        assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
        let text = std::str::from_utf8(&bytes).unwrap();
        assert!(
            text.starts_with(
                "\u{feff}nom,SIRET,code NAF,libellé NAF,région,taille,site web,note,ajouté le\n"
            ),
            "{text}"
        );
        let rows = parse(&bytes);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0][0], "Usinage Titane Occitanie");
        assert_eq!(rows[0][3], "Mécanique industrielle");
        assert_eq!(rows[0][7], "à rappeler, « urgent »");
        assert_eq!(rows[1][0], "Énergie, Ouest", "a comma inside a cell is quoted");
        assert_eq!(rows[1][8], "2030-03-14");
    }

    #[test]
    fn the_csv_header_follows_the_locale_and_an_empty_list_still_has_it() {
        let bytes = csv_bytes(&[], "en").unwrap();
        assert_eq!(
            std::str::from_utf8(&bytes).unwrap(),
            "\u{feff}name,SIRET,NAF code,NAF label,region,size,website,note,added on\n"
        );
    }

    #[test]
    fn cells_that_a_spreadsheet_would_run_as_formulas_stay_text() {
        let bytes = csv_bytes(&[row("=cmd|' /C calc'!A0", "+33 6 12 34 56 78")], "fr").unwrap();
        let rows = parse(&bytes);
        assert_eq!(rows[0][0], "'=cmd|' /C calc'!A0");
        assert_eq!(rows[0][7], "'+33 6 12 34 56 78");
        assert_eq!(rows[0][1], "73282932000074", "ordinary cells are untouched");
    }

    #[test]
    fn the_xlsx_is_a_zip_workbook() {
        let bytes = xlsx_bytes(&[row("Usinage Titane Occitanie", "note")], "fr").unwrap();
        assert!(bytes.starts_with(b"PK"));
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("xl/worksheets/sheet1.xml"));
    }

    #[test]
    fn export_formats_and_file_names() {
        assert_eq!(ExportFormat::parse(" CSV ").unwrap(), ExportFormat::Csv);
        assert_eq!(ExportFormat::parse("xlsx").unwrap(), ExportFormat::Xlsx);
        let refused = ExportFormat::parse("pdf").unwrap_err();
        assert!(refused.to_string().contains("csv or xlsx"), "{refused}");
        let name = file_name("Usineurs d'Occitanie — été", ExportFormat::Csv);
        assert!(name.starts_with("usineurs-d-occitanie-ete-"), "{name}");
        assert!(name.ends_with(".csv"));
        assert!(file_name("«»", ExportFormat::Xlsx).starts_with("shortlist-"));
    }
}
