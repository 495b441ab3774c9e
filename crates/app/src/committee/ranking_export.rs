//! The consolidated ranking of a closed call as a spreadsheet, for the buyer side to take to its
//! committee meeting: one row per dossier with its rank, mean total, each counted evaluator's
//! total, the shortlist and the decision. Same access as the ranking itself.

use domain::policy::Actor;
use store::people;

use super::evaluation::RankedDossier;
use super::load_call;
use crate::spreadsheet::{self, Cell, Download, Table, english};
use crate::{App, Result};

fn yes_no(value: bool, en: bool) -> Cell {
    Cell::from(match (value, en) {
        (true, true) => "yes",
        (true, false) => "oui",
        (false, _) => "",
    })
}

fn points(p: domain::committee::scoring::Points) -> Cell {
    Cell::Number(f64::from(p.milli()) / 1000.0)
}

fn decision(row: &RankedDossier, en: bool) -> (Cell, Cell) {
    let Some(d) = &row.decision else {
        return (Cell::Empty, Cell::Empty);
    };
    let outcome = match (d.outcome.as_str(), en) {
        ("listed", true) => "listed",
        ("listed", false) => "retenu",
        (_, true) => "not retained",
        (_, false) => "non retenu",
    };
    let published = d
        .published_at
        .map(|at| Cell::from(super::open_data::iso(at)[..10].to_owned()))
        .unwrap_or(Cell::Empty);
    (Cell::from(outcome), published)
}

/// The table: fixed columns around one column per evaluator who counted for some dossier.
fn table(ranking: &[RankedDossier], evaluators: &[(i64, String)], locale: &str) -> Table<'static> {
    let en = english(locale);
    let header = |fr: &str, english: &str| if en { english.to_owned() } else { fr.to_owned() };
    let mut columns = vec![
        (header("rang", "rank"), 7.0),
        (header("ex aequo", "tied"), 9.0),
        (header("candidat", "candidate"), 40.0),
        (header("total /100", "total /100"), 11.0),
    ];
    columns.extend(evaluators.iter().map(|(_, name)| (name.clone(), 18.0)));
    columns.extend([
        (header("exclus (conflit)", "excluded (conflict)"), 16.0),
        (header("fiches incomplètes", "incomplete sheets"), 16.0),
        (header("présélectionné", "shortlisted"), 14.0),
        (header("décision", "decision"), 14.0),
        (header("publiée le", "published on"), 13.0),
    ]);
    let rows = ranking
        .iter()
        .map(|row| {
            let mut cells = vec![
                row.rank.map(|r| Cell::Number(r as f64)).unwrap_or(Cell::Empty),
                yes_no(row.tied_with_previous, en),
                Cell::from(row.organisation_name.clone()),
                row.total.map(points).unwrap_or(Cell::Empty),
            ];
            cells.extend(evaluators.iter().map(|(id, _)| {
                row.by_evaluator
                    .iter()
                    .find(|(evaluator, _)| evaluator == id)
                    .map(|(_, total)| points(*total))
                    .unwrap_or(Cell::Empty)
            }));
            let (outcome, published) = decision(row, en);
            cells.extend([
                Cell::Number(row.excluded_for_conflict as f64),
                Cell::Number(row.incomplete as f64),
                yes_no(row.shortlisted, en),
                outcome,
                published,
            ]);
            cells
        })
        .collect();
    Table {
        sheet_name: if en { "Ranking" } else { "Classement" },
        columns,
        rows,
    }
}

impl App {
    /// The ranking as an XLSX file, headers in `locale` (the reader's own language when `None`).
    pub async fn ranking_xlsx(&self, actor: &Actor, call_id: i64, locale: Option<&str>) -> Result<Download> {
        let ranking = self.ranking(actor, call_id).await?;
        let mut conn = self.store.conn().await?;
        let title = load_call(&mut conn, call_id).await?.call.title.clone();
        let locale = spreadsheet::reader_locale(&mut conn, actor, locale).await?;
        let mut evaluators: Vec<(i64, String)> = Vec::new();
        for (id, _) in ranking.iter().flat_map(|r| &r.by_evaluator) {
            if evaluators.iter().all(|(known, _)| known != id) {
                let name = people::get(&mut conn, *id)
                    .await?
                    .map(|p| p.full_name())
                    .unwrap_or_else(|| format!("#{id}"));
                evaluators.push((*id, name));
            }
        }
        let table = table(&ranking, &evaluators, &locale);
        let prefix = if english(&locale) { "ranking" } else { "classement" };
        let file_name = spreadsheet::file_name(&format!("{prefix} {title}"), prefix, "xlsx");
        spreadsheet::xlsx_download(table, file_name).await
    }
}
