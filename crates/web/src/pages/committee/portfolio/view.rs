//! The portfolio page, in full for the staff and subscribers or as a summary for the rest of the
//! cluster, and a subscribed buyer listing a supplier from it.

use super::*;

struct CountRow {
    code: String,
    label: String,
    count: usize,
}

struct SupplierRow {
    id: i64,
    name: String,
    naf_code: String,
    region: String,
    size: String,
    qualified_on: String,
    renewal_on: String,
    criteria_met: String,
    on_my_list: bool,
}

#[derive(Template)]
#[template(path = "committee/portfolio.html")]
struct PortfolioPage {
    c: Chrome,
    cluster_id: i64,
    full: bool,
    qualified: usize,
    by_naf_section: Vec<CountRow>,
    by_region: Vec<CountRow>,
    by_size: Vec<CountRow>,
    suppliers: Vec<SupplierRow>,
    can_list: bool,
    staff: bool,
    notice: String,
    errors: Vec<FieldError>,
}

fn rows(counts: Vec<app::committee::portfolio::Count>) -> Vec<CountRow> {
    counts
        .into_iter()
        .map(|c| CountRow {
            code: c.code,
            label: c.label,
            count: c.count,
        })
        .collect()
}

/// Whether the viewer may put suppliers on their organisation's list.
fn manages_a_list(viewer: &Viewer) -> bool {
    match &viewer.actor {
        Actor::Person(p) => authorize(
            &viewer.actor,
            &Action::ManageSupplierList(OrgFacts {
                id: p.organisation_id,
                clusters: &p.clusters,
            }),
        )
        .is_ok(),
        Actor::Visitor => false,
    }
}

async fn portfolio_page(
    state: &AppState,
    viewer: &Viewer,
    cluster_id: i64,
    notice: &str,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let view: PortfolioView = match state.app.portfolio(&viewer.actor, cluster_id).await {
        Ok(view) => view,
        Err(error) => return fail(viewer, error),
    };
    let full = view.suppliers.is_some();
    let suppliers = view
        .suppliers
        .unwrap_or_default()
        .into_iter()
        .map(|s| SupplierRow {
            id: s.organisation_id,
            name: s.name,
            naf_code: s.naf_code,
            region: domain::geo::region(&s.region_code).map_or(s.region_code.clone(), |r| r.name.to_owned()),
            size: s
                .size
                .as_deref()
                .and_then(|code| domain::org::OrgSize::parse(code).ok())
                .map(|size| {
                    if viewer.tr.locale == "fr" {
                        size.label_fr()
                    } else {
                        size.label_en()
                    }
                })
                .unwrap_or_default()
                .to_owned(),
            qualified_on: s.qualified_on,
            renewal_on: s.renewal_on,
            criteria_met: s.criteria_met.join(" · "),
            on_my_list: s.on_my_list,
        })
        .collect();
    render_with(
        status,
        &PortfolioPage {
            c: Chrome::of(viewer, "committee"),
            cluster_id,
            full,
            qualified: view.summary.qualified,
            by_naf_section: rows(view.summary.by_naf_section),
            by_region: rows(view.summary.by_region),
            by_size: rows(view.summary.by_size),
            suppliers,
            can_list: full && manages_a_list(viewer) && !is_staff(viewer, cluster_id),
            staff: is_staff(viewer, cluster_id),
            notice: notice_text(viewer, notice),
            errors,
        },
    )
}

/// `GET /clusters/{id}/portfolio`.
pub(super) async fn portfolio(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(notice): Query<Notice>,
) -> Response {
    portfolio_page(&state, &viewer, id, &notice.notice, Vec::new(), StatusCode::OK).await
}

#[derive(Deserialize)]
pub(super) struct ListingForm {
    supplier_id: i64,
    #[serde(default)]
    note: String,
}

/// `POST /clusters/{id}/portfolio/listings`: a subscribed buyer lists a supplier of the portfolio.
pub(super) async fn list_supplier(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(form): Form<ListingForm>,
) -> Response {
    match state
        .app
        .list_from_portfolio(&viewer.actor, id, form.supplier_id, &form.note)
        .await
    {
        Ok(_) => go(&format!("/clusters/{id}/portfolio"), "listed"),
        Err(error) => {
            refused(&viewer, error, |errors, status| {
                portfolio_page(&state, &viewer, id, "", errors, status)
            })
            .await
        }
    }
}
