//! Supplier list pages: a buyer's list with its history, the forms to list a supplier and to
//! delist one with a reason; an organisation's "where we are listed" page; and the delisting
//! figures of a cluster's buyers for its staff. Handlers parse, call one use-case, render.

use super::{fail, paris_time};
use crate::error::status_of;
use crate::identity::Viewer;
use crate::pages::{Chrome, Refusal, form_errors, render, render_with};
use crate::state::AppState;
use app::committee::listings::{BuyerDelistings, DelistInput, ListingInput, SupplierList};
use app::{Actor, FieldError};
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use store::committee::listings::Listing;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/organisations/{id}/suppliers", get(show).post(list))
        .route("/organisations/{id}/suppliers/{supplier_id}/delist", post(delist))
        .route("/organisations/{id}/listings", get(own))
        .route("/clusters/{id}/delistings", get(figures))
}

/// A listing period as a row: dates in Paris time, the origin as a translation key.
struct Row {
    supplier_id: i64,
    supplier_name: String,
    buyer_id: i64,
    buyer_name: String,
    sme: bool,
    /// call, portfolio or direct.
    origin: String,
    call_id: Option<i64>,
    call_title: String,
    note: String,
    listed: String,
    delisted: String,
    reason: String,
}

impl From<&Listing> for Row {
    fn from(l: &Listing) -> Row {
        Row {
            supplier_id: l.supplier_id,
            supplier_name: l.supplier_name.clone(),
            buyer_id: l.buyer_id,
            buyer_name: l.buyer_name.clone(),
            sme: l.supplier_size == "sme",
            origin: l.origin.clone(),
            call_id: l.call_id,
            call_title: l.call_title.clone().unwrap_or_default(),
            note: l.note.clone(),
            listed: paris_time(l.listed_at),
            delisted: l.delisted_at.map(paris_time).unwrap_or_default(),
            reason: l.delist_reason.clone().unwrap_or_default(),
        }
    }
}

fn rows(list: &[Listing]) -> Vec<Row> {
    list.iter().map(Row::from).collect()
}

#[derive(Template)]
#[template(path = "committee/suppliers.html")]
struct SuppliersPage {
    c: Chrome,
    buyer_id: i64,
    buyer_name: String,
    current: Vec<Row>,
    history: Vec<Row>,
    can_manage: bool,
    /// (id, name, is an SME) of the organisations the form offers.
    listable: Vec<(i64, String, bool)>,
    /// What was typed, kept when the form comes back refused.
    form: ListingForm,
    /// The supplier whose delisting was refused, and the reason as typed.
    delisting: Option<(i64, String)>,
    errors: Vec<FieldError>,
}

impl SuppliersPage {
    fn new(viewer: &Viewer, list: SupplierList) -> SuppliersPage {
        SuppliersPage {
            c: Chrome::of(viewer, "committee"),
            buyer_id: list.buyer_id,
            buyer_name: list.buyer_name,
            current: rows(&list.current),
            history: rows(&list.history),
            can_manage: list.can_manage,
            listable: list
                .listable
                .into_iter()
                .map(|c| (c.id, c.legal_name, c.size == "sme"))
                .collect(),
            form: ListingForm::default(),
            delisting: None,
            errors: Vec::new(),
        }
    }

    /// The messages about one field, joined, for beside it.
    fn err(&self, field: &str) -> String {
        self.errors
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The reason typed for this supplier's refused delisting, to show it again.
    fn typed_reason(&self, supplier_id: &i64) -> &str {
        match &self.delisting {
            Some((id, reason)) if id == supplier_id => reason,
            _ => "",
        }
    }

    /// The messages about this supplier's delisting form.
    fn delist_error(&self, supplier_id: &i64) -> String {
        match &self.delisting {
            Some((id, _)) if id == supplier_id => self.err("reason"),
            _ => String::new(),
        }
    }
}

/// `GET /organisations/{id}/suppliers`: the buyer's list, current and past.
pub async fn show(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    match state.app.supplier_list(&viewer.actor, id).await {
        Ok(list) => render(&SuppliersPage::new(&viewer, list)),
        Err(error) => fail(&viewer, error),
    }
}

/// The page again after a refused form, with what was typed and why it was refused.
async fn refused(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    error: app::AppError,
    keep: impl FnOnce(&mut SuppliersPage),
) -> Response {
    let status = status_of(&error);
    match form_errors(viewer, error) {
        Refusal::Fields(errors) => match state.app.supplier_list(&viewer.actor, id).await {
            Ok(list) => {
                let mut page = SuppliersPage::new(viewer, list);
                page.errors = errors;
                keep(&mut page);
                render_with(status, &page)
            }
            Err(error) => fail(viewer, error),
        },
        Refusal::Page(response) => response,
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListingForm {
    /// Empty when nothing was chosen.
    #[serde(default)]
    supplier_id: String,
    #[serde(default)]
    note: String,
}

/// `POST /organisations/{id}/suppliers`: lists the chosen organisation directly.
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<ListingForm>,
) -> Response {
    let Ok(supplier_id) = form.supplier_id.trim().parse::<i64>() else {
        let error = app::AppError::invalid("supplier_id", viewer.tr.t("supplier_listing.choose_supplier"));
        return refused(&state, &viewer, id, error, |page| page.form = form).await;
    };
    let input = ListingInput {
        supplier_id,
        note: form.note.clone(),
    };
    match state.app.list_supplier(&viewer.actor, id, &input).await {
        Ok(_) => Redirect::to(&format!("/organisations/{id}/suppliers")).into_response(),
        Err(error) => refused(&state, &viewer, id, error, |page| page.form = form).await,
    }
}

#[derive(Deserialize)]
pub struct DelistForm {
    #[serde(default)]
    reason: String,
}

/// `POST /organisations/{id}/suppliers/{supplier_id}/delist`: delists with the reason given.
pub async fn delist(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, supplier_id)): Path<(i64, i64)>,
    Form(form): Form<DelistForm>,
) -> Response {
    let input = DelistInput {
        reason: form.reason.clone(),
    };
    match state
        .app
        .delist_supplier(&viewer.actor, id, supplier_id, &input)
        .await
    {
        Ok(_) => Redirect::to(&format!("/organisations/{id}/suppliers")).into_response(),
        Err(error) => {
            let keep = |page: &mut SuppliersPage| page.delisting = Some((supplier_id, form.reason));
            refused(&state, &viewer, id, error, keep).await
        }
    }
}

#[derive(Template)]
#[template(path = "committee/suppliers_listings.html")]
struct ListingsPage {
    c: Chrome,
    organisation_id: i64,
    organisation_name: String,
    current: Vec<Row>,
    history: Vec<Row>,
    /// Whether the viewer looks at their own organisation (else: cluster staff).
    own: bool,
}

/// `GET /organisations/{id}/listings`: where the organisation is listed, and was.
pub async fn own(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    match state.app.own_listings(&viewer.actor, id).await {
        Ok(own) => {
            let (current, history): (Vec<Listing>, Vec<Listing>) =
                own.listings.into_iter().partition(|l| l.delisted_at.is_none());
            render(&ListingsPage {
                c: Chrome::of(&viewer, "committee"),
                organisation_id: id,
                organisation_name: own.organisation_name,
                current: rows(&current),
                history: rows(&history),
                own: matches!(&viewer.actor, Actor::Person(p) if p.organisation_id == id),
            })
        }
        Err(error) => fail(&viewer, error),
    }
}

/// One buyer's figures as the staff's page shows them.
struct BuyerRow {
    buyer_id: i64,
    buyer_name: String,
    listed_now: usize,
    listed_smes_now: usize,
    delisted: usize,
    delisted_smes: usize,
    /// (month, delisted, of which SMEs), oldest first.
    months: Vec<(String, usize, usize)>,
    delistings: Vec<Row>,
}

impl From<BuyerDelistings> for BuyerRow {
    fn from(b: BuyerDelistings) -> BuyerRow {
        BuyerRow {
            buyer_id: b.buyer_id,
            buyer_name: b.buyer_name,
            listed_now: b.listed_now,
            listed_smes_now: b.listed_smes_now,
            delisted: b.delisted,
            delisted_smes: b.delisted_smes,
            months: b
                .by_month
                .into_iter()
                .map(|m| (m.month, m.delisted, m.delisted_smes))
                .collect(),
            delistings: rows(&b.delistings),
        }
    }
}

#[derive(Template)]
#[template(path = "committee/suppliers_delistings.html")]
struct DelistingsPage {
    c: Chrome,
    buyers: Vec<BuyerRow>,
}

/// `GET /clusters/{id}/delistings`: listings and delistings per buyer, for the cluster's staff.
pub async fn figures(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    match state.app.cluster_delistings(&viewer.actor, id).await {
        Ok(buyers) => render(&DelistingsPage {
            c: Chrome::of(&viewer, "committee"),
            buyers: buyers.into_iter().map(BuyerRow::from).collect(),
        }),
        Err(error) => fail(&viewer, error),
    }
}
