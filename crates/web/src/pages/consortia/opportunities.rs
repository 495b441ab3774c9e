//! Opportunity pages: the cluster's list with the viewer's consortia, entering and editing an
//! opportunity (a call of the cluster or an external tender, lots with requirements), reading it,
//! the proposed teams and forming a consortium from one of them or by hand.

use super::*;
use domain::capability::CapabilityCode;

/// Lot rows a form offers at least (and always one blank row more than the lots typed); rows left
/// blank are ignored.
const LOT_ROWS: usize = 3;
/// Rows read from a form at most (the app refuses more than 20 lots, naming the field).
const MAX_ROWS: usize = 40;

/// An opportunity form as typed: the input the app checks, each lot's row on the page, and each
/// lot's headcount as typed (kept when it is not a number).
#[derive(Default)]
pub(super) struct TypedOpportunity {
    input: OpportunityInput,
    rows: Vec<usize>,
    headcounts: Vec<String>,
}

impl TypedOpportunity {
    /// From stored lots: one row each, in order.
    fn of(input: OpportunityInput) -> TypedOpportunity {
        TypedOpportunity {
            rows: (0..input.lots.len()).collect(),
            headcounts: input
                .lots
                .iter()
                .map(|l| match l.min_headcount {
                    0 => String::new(),
                    n => n.to_string(),
                })
                .collect(),
            input,
        }
    }

    /// Points the app's field errors at the page's inputs: `lots[k]` at the row the lot was typed
    /// in, a requirement `lots[k].capabilities[j]` at the lot's list, `lots` at the first lot, a
    /// conflict (`form`) at the form.
    fn point(&self, errors: Vec<FieldError>) -> Vec<FieldError> {
        errors
            .into_iter()
            .map(|e| {
                let field = match e.field.as_str() {
                    "lots" => "lots[0].name".to_owned(),
                    "form" => "opportunity-form".to_owned(),
                    other => match lot_field(other) {
                        Some((k, rest)) => {
                            let row = self.rows.get(k).copied().unwrap_or(k);
                            let rest = rest.split('[').next().unwrap_or(rest);
                            format!("lots[{row}].{rest}")
                        }
                        None => other.to_owned(),
                    },
                };
                FieldError { field, ..e }
            })
            .collect()
    }
}

/// `lots[3].capabilities[0]` as (3, "capabilities[0]").
fn lot_field(field: &str) -> Option<(usize, &str)> {
    let rest = field.strip_prefix("lots[")?;
    let (index, rest) = rest.split_once("].")?;
    Some((index.parse().ok()?, rest))
}

struct OpportunityLine {
    id: i64,
    title: String,
    buyer: String,
    deadline: String,
    linked: bool,
    lots: usize,
    requirements: usize,
}

struct ConsortiumLine {
    id: i64,
    name: String,
    opportunity: String,
    lead: String,
    invited: bool,
}

#[derive(Template)]
#[template(path = "consortia/opportunities.html")]
struct ListPage {
    c: Chrome,
    cluster_id: i64,
    opportunities: Vec<OpportunityLine>,
    consortia: Vec<ConsortiumLine>,
    notice: String,
}

/// `GET /clusters/{id}/opportunities`.
pub(super) async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(notice): Query<Notice>,
) -> Response {
    let found = match state.app.opportunities(&viewer.actor, id).await {
        Ok(found) => found,
        Err(error) => return fail(&viewer, error),
    };
    let mine = match state.app.my_consortia(&viewer.actor).await {
        Ok(mine) => mine,
        // Staff read opportunities but are in no consortium.
        Err(AppError::NotFound(_)) => Vec::new(),
        Err(error) => return fail(&viewer, error),
    };
    render(&ListPage {
        c: Chrome::of(&viewer, "consortia"),
        cluster_id: id,
        opportunities: found
            .into_iter()
            .map(|s| OpportunityLine {
                id: s.opportunity.id,
                linked: s.opportunity.fields.call_id.is_some(),
                title: s.opportunity.fields.title,
                buyer: s.opportunity.fields.buyer,
                deadline: s.deadline_paris.unwrap_or_default(),
                lots: s.lots,
                requirements: s.requirements,
            })
            .collect(),
        consortia: mine
            .into_iter()
            .map(|m| ConsortiumLine {
                id: m.consortium.id,
                name: m.consortium.name,
                opportunity: m.opportunity_title,
                lead: m.lead_name,
                invited: m.state == "invited",
            })
            .collect(),
        notice: notice_text(&viewer, "consortia", &NOTICES, &notice.notice),
    })
}

// ---- the form -----------------------------------------------------------------------------------

struct Choice {
    code: String,
    label: String,
    selected: bool,
}

struct Group {
    label: String,
    choices: Vec<Choice>,
}

struct LotRow {
    index: usize,
    name: String,
    min_headcount: String,
    certifications: String,
    capabilities: Vec<Group>,
    regions: Vec<Choice>,
}

struct CallChoice {
    id: i64,
    title: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "consortia/opportunity_form.html")]
struct FormPage {
    c: Chrome,
    action: String,
    back: String,
    editing: bool,
    calls: Vec<CallChoice>,
    title: String,
    buyer: String,
    url: String,
    deadline: String,
    description: String,
    lots: Vec<LotRow>,
    errors: Vec<FieldError>,
}

fn lot_row(viewer: &Viewer, index: usize, lot: Option<(&LotInput, &str)>) -> LotRow {
    let empty = LotInput::default();
    let (lot, headcount) = lot.unwrap_or((&empty, ""));
    LotRow {
        index,
        name: lot.name.clone(),
        min_headcount: headcount.to_owned(),
        certifications: lot.certifications.join(", "),
        capabilities: CapabilityCode::by_group()
            .map(|(group, codes)| Group {
                label: group.label(viewer.tr.locale).to_owned(),
                choices: codes
                    .iter()
                    .map(|code| Choice {
                        code: code.as_str().to_owned(),
                        label: code.label(viewer.tr.locale).to_owned(),
                        selected: lot.capabilities.iter().any(|c| c == code.as_str()),
                    })
                    .collect(),
            })
            .collect(),
        regions: domain::geo::regions()
            .map(|r| Choice {
                code: r.code.to_owned(),
                label: r.name.to_owned(),
                selected: lot.regions.iter().any(|c| c == r.code),
            })
            .collect(),
    }
}

/// What a form sent: repeated fields (`lots[0].capabilities`) arrive as several pairs.
fn input_of(pairs: &[(String, String)]) -> TypedOpportunity {
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let all = |name: &str| -> Vec<String> {
        pairs
            .iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.clone())
            .collect()
    };
    let mut lots = Vec::new();
    let mut rows = Vec::new();
    let mut headcounts = Vec::new();
    let typed_rows = pairs
        .iter()
        .filter_map(|(k, _)| lot_field(k))
        .map(|(i, _)| i + 1)
        .max()
        .unwrap_or(0)
        .min(MAX_ROWS);
    for i in 0..typed_rows {
        let field = |rest: &str| format!("lots[{i}].{rest}");
        let headcount = get(&field("min_headcount"));
        let lot = LotInput {
            name: get(&field("name")),
            min_headcount: headcount
                .trim()
                .parse()
                .unwrap_or(if headcount.trim().is_empty() { 0 } else { -1 }),
            capabilities: all(&field("capabilities")),
            certifications: get(&field("certifications"))
                .split([',', '\n', ';'])
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect(),
            regions: all(&field("regions")),
        };
        let blank = lot.name.trim().is_empty()
            && headcount.trim().is_empty()
            && lot.capabilities.is_empty()
            && lot.certifications.is_empty()
            && lot.regions.is_empty();
        if !blank {
            lots.push(lot);
            rows.push(i);
            headcounts.push(headcount);
        }
    }
    let input = OpportunityInput {
        call_id: get("call_id").trim().parse().ok(),
        title: get("title"),
        buyer: get("buyer"),
        url: get("url"),
        deadline: get("deadline"),
        description: get("description"),
        lots,
    };
    TypedOpportunity {
        input,
        rows,
        headcounts,
    }
}

/// Where an opportunity form goes: entering one for a cluster, or editing one.
#[derive(Clone, Copy)]
enum Target {
    Enter { cluster_id: i64 },
    Edit { cluster_id: i64, id: i64 },
}

impl Target {
    fn cluster_id(self) -> i64 {
        match self {
            Target::Enter { cluster_id } | Target::Edit { cluster_id, .. } => cluster_id,
        }
    }

    fn action(self) -> String {
        match self {
            Target::Enter { cluster_id } => format!("/clusters/{cluster_id}/opportunities"),
            Target::Edit { id, .. } => format!("/opportunities/{id}"),
        }
    }
}

async fn form_page(
    state: &AppState,
    viewer: &Viewer,
    target: Target,
    typed: TypedOpportunity,
    errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let TypedOpportunity {
        input,
        rows,
        headcounts,
    } = typed;
    let cluster_id = target.cluster_id();
    let calls = match state
        .app
        .linkable_calls(&viewer.actor, cluster_id, input.call_id)
        .await
    {
        Ok(calls) => calls,
        Err(error) => return fail(viewer, error),
    };
    render_with(
        status,
        &FormPage {
            c: Chrome::of(viewer, "consortia"),
            action: target.action(),
            back: target.action(),
            editing: matches!(target, Target::Edit { .. }),
            calls: calls
                .into_iter()
                .map(|(id, title)| CallChoice {
                    id,
                    title,
                    selected: input.call_id == Some(id),
                })
                .collect(),
            lots: (0..LOT_ROWS.max(rows.last().map_or(0, |r| r + 2)))
                .map(|i| {
                    let k = rows.iter().position(|r| *r == i);
                    let lot = k.and_then(|k| Some((input.lots.get(k)?, headcounts.get(k)?.as_str())));
                    lot_row(viewer, i, lot)
                })
                .collect(),
            title: input.title,
            buyer: input.buyer,
            url: input.url,
            deadline: input.deadline,
            description: input.description,
            errors,
        },
    )
}

/// `GET /clusters/{id}/opportunities/new`.
pub(super) async fn new_form(State(state): State<AppState>, viewer: Viewer, Path(id): Path<i64>) -> Response {
    if let Err(error) = state.app.opportunities(&viewer.actor, id).await {
        return fail(&viewer, error);
    }
    form_page(
        &state,
        &viewer,
        Target::Enter { cluster_id: id },
        TypedOpportunity::default(),
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// A refused opportunity form: back to it with the errors beside the rows they concern.
async fn refused_form(
    state: &AppState,
    viewer: &Viewer,
    target: Target,
    typed: TypedOpportunity,
    error: AppError,
) -> Response {
    refused(viewer, error, |errors, status| {
        let errors = typed.point(errors);
        form_page(state, viewer, target, typed, errors, status)
    })
    .await
}

/// `POST /clusters/{id}/opportunities`.
pub(super) async fn enter(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let typed = input_of(&pairs);
    match state.app.enter_opportunity(&viewer.actor, id, &typed.input).await {
        Ok(created) => go_with_notice(&format!("/opportunities/{created}"), "entered"),
        Err(error) => refused_form(&state, &viewer, Target::Enter { cluster_id: id }, typed, error).await,
    }
}

/// `GET /opportunities/{id}/edit`.
pub(super) async fn edit_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Response {
    let view = match state.app.opportunity(&viewer.actor, id, viewer.tr.locale).await {
        Ok(view) => view,
        Err(error) => return fail(&viewer, error),
    };
    if !view.editable {
        return fail(&viewer, AppError::Forbidden);
    }
    let input = OpportunityInput {
        call_id: view.opportunity.fields.call_id,
        title: view.opportunity.fields.title.clone(),
        buyer: view.opportunity.fields.buyer.clone(),
        url: view.opportunity.fields.url.clone(),
        deadline: view.deadline_input.clone(),
        description: view.opportunity.fields.description.clone(),
        lots: view
            .lots
            .iter()
            .map(|l| {
                let of = |kind: &str| -> Vec<String> {
                    l.requirements
                        .iter()
                        .filter(|r| r.kind == kind)
                        .map(|r| r.code.clone())
                        .collect()
                };
                LotInput {
                    name: l.name.clone(),
                    min_headcount: l.min_headcount,
                    capabilities: of("capability"),
                    certifications: of("certification"),
                    regions: of("region"),
                }
            })
            .collect(),
    };
    let target = Target::Edit {
        cluster_id: view.opportunity.cluster_id,
        id,
    };
    form_page(
        &state,
        &viewer,
        target,
        TypedOpportunity::of(input),
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST /opportunities/{id}`: the edit form.
pub(super) async fn edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let typed = input_of(&pairs);
    match state.app.edit_opportunity(&viewer.actor, id, &typed.input).await {
        Ok(()) => go_with_notice(&format!("/opportunities/{id}"), "saved"),
        Err(error) => {
            let cluster_id = match state.app.opportunity(&viewer.actor, id, viewer.tr.locale).await {
                Ok(view) => view.opportunity.cluster_id,
                Err(error) => return fail(&viewer, error),
            };
            refused_form(&state, &viewer, Target::Edit { cluster_id, id }, typed, error).await
        }
    }
}

// ---- reading one, teams -------------------------------------------------------------------------

struct Link {
    id: i64,
    name: String,
}

#[derive(Template)]
#[template(path = "consortia/opportunity.html")]
struct OpportunityPage {
    c: Chrome,
    id: i64,
    cluster_id: i64,
    title: String,
    buyer: String,
    url: String,
    description: String,
    deadline: String,
    call_id: Option<i64>,
    entered_by: String,
    editable: bool,
    may_form: bool,
    lots: Vec<(String, i64)>,
    requirements: Vec<RequirementLine>,
    consortia: Vec<Link>,
    ks: Vec<usize>,
    notice: String,
}

/// `GET /opportunities/{id}`.
pub(super) async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(notice): Query<Notice>,
) -> Response {
    let view = match state.app.opportunity(&viewer.actor, id, viewer.tr.locale).await {
        Ok(view) => view,
        Err(error) => return fail(&viewer, error),
    };
    let o = view.opportunity;
    render(&OpportunityPage {
        c: Chrome::of(&viewer, "consortia"),
        id,
        cluster_id: o.cluster_id,
        title: o.fields.title,
        buyer: o.fields.buyer,
        url: o.fields.url,
        description: o.fields.description,
        deadline: view.deadline_paris.unwrap_or_default(),
        call_id: o.fields.call_id,
        entered_by: view.entered_by,
        editable: view.editable,
        may_form: view.may_form,
        lots: view
            .lots
            .iter()
            .map(|l| (l.name.clone(), l.min_headcount))
            .collect(),
        requirements: view
            .requirements
            .iter()
            .map(|r| requirement_line(&viewer, r))
            .collect(),
        consortia: view
            .my_consortia
            .into_iter()
            .map(|c| Link {
                id: c.id,
                name: c.name,
            })
            .collect(),
        ks: (1..=app::consortia::MAX_TEAM_MEMBERS).collect(),
        notice: notice_text(&viewer, "consortia", &NOTICES, &notice.notice),
    })
}

struct MemberRow {
    name: String,
    lead: bool,
    can_lead: bool,
    headcount: i64,
    covers: String,
}

struct CoverLine {
    requirement: String,
    who: String,
}

struct TeamRow {
    rank: usize,
    members: Vec<MemberRow>,
    member_ids: Vec<i64>,
    headcount: u64,
    cost: u64,
    cover: Vec<CoverLine>,
}

#[derive(Template)]
#[template(path = "consortia/teams.html")]
struct TeamsPage {
    c: Chrome,
    /// The by-hand form as typed (kept when forming is refused).
    name: String,
    id: i64,
    title: String,
    k: usize,
    ks: Vec<usize>,
    prefer_lead: bool,
    min_headcount: i64,
    searched: bool,
    teams: Vec<TeamRow>,
    uncovered: Vec<RequirementLine>,
    exact: bool,
    candidates: Vec<Choice>,
    may_form: bool,
    errors: Vec<FieldError>,
}

#[derive(Deserialize, Default)]
pub(super) struct TeamForm {
    #[serde(default)]
    k: String,
    #[serde(default)]
    prefer_lead: String,
}

/// A consortium being formed, as typed.
#[derive(Default)]
struct Forming {
    name: String,
    members: Vec<i64>,
}

async fn teams_page(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    form: TeamForm,
    forming: Forming,
    mut errors: Vec<FieldError>,
    status: StatusCode,
) -> Response {
    let view = match state.app.opportunity(&viewer.actor, id, viewer.tr.locale).await {
        Ok(view) => view,
        Err(error) => return fail(viewer, error),
    };
    let candidates = match state.app.consortium_candidates(&viewer.actor, id).await {
        Ok(found) => found,
        Err(error) => return fail(viewer, error),
    };
    let k = match form.k.trim() {
        "" => Some(app::consortia::DEFAULT_TEAM_MEMBERS as i64),
        text => Some(text.parse::<i64>().unwrap_or(0)),
    };
    let query = TeamQuery {
        k,
        prefer_lead: !form.prefer_lead.is_empty(),
    };
    let mut page = TeamsPage {
        c: Chrome::of(viewer, "consortia"),
        id,
        title: view.opportunity.fields.title.clone(),
        k: k.unwrap_or(4).clamp(1, 8) as usize,
        ks: (1..=app::consortia::MAX_TEAM_MEMBERS).collect(),
        prefer_lead: query.prefer_lead,
        min_headcount: 0,
        searched: false,
        teams: Vec::new(),
        uncovered: Vec::new(),
        exact: false,
        candidates: candidates
            .into_iter()
            .map(|(id, name)| Choice {
                code: id.to_string(),
                label: name,
                selected: forming.members.contains(&id),
            })
            .collect(),
        name: forming.name,
        may_form: view.may_form,
        errors: Vec::new(),
    };
    let mut status = status;
    match state
        .app
        .propose_teams(&viewer.actor, id, query, viewer.tr.locale)
        .await
    {
        Ok(found) => {
            page.searched = true;
            page.min_headcount = found.min_headcount;
            page.exact = found.exact;
            page.uncovered = found
                .uncovered
                .iter()
                .map(|r| requirement_line(viewer, r))
                .collect();
            page.teams = found
                .teams
                .into_iter()
                .map(|t| TeamRow {
                    rank: t.rank,
                    member_ids: t.members.iter().map(|m| m.organisation_id).collect(),
                    members: t
                        .members
                        .iter()
                        .map(|m| MemberRow {
                            name: m.name.clone(),
                            lead: m.lead,
                            can_lead: m.can_lead,
                            headcount: m.headcount,
                            covers: m
                                .covers
                                .iter()
                                .filter_map(|&i| found.requirements.get(i))
                                .map(|r| r.label.clone())
                                .collect::<Vec<_>>()
                                .join(", "),
                        })
                        .collect(),
                    headcount: t.headcount,
                    cost: t.cost,
                    cover: found
                        .requirements
                        .iter()
                        .zip(t.cover)
                        .map(|(r, who)| CoverLine {
                            requirement: format!("{} — {}", r.lot_name, r.label),
                            who: who.join(", "),
                        })
                        .collect(),
                })
                .collect();
        }
        Err(error) => {
            status = status_of(&error);
            match form_errors(viewer, error) {
                // `requirements` (none to cover) has no input: it points at the search form.
                Refusal::Fields(more) => errors.extend(more.into_iter().map(|e| match e.field.as_str() {
                    "requirements" => FieldError {
                        field: "teams-form".into(),
                        ..e
                    },
                    _ => e,
                })),
                Refusal::Page(response) => return response,
            }
        }
    }
    page.errors = errors;
    render_with(status, &page)
}

/// `GET /opportunities/{id}/teams?k=4&prefer_lead=on`.
pub(super) async fn teams(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(form): Query<TeamForm>,
) -> Response {
    teams_page(
        &state,
        &viewer,
        id,
        form,
        Forming::default(),
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST /opportunities/{id}/consortia`: `name` and repeated `members` (a proposed team's, or
/// chosen by hand).
pub(super) async fn form_consortium(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let mut members = Vec::new();
    let mut bad = false;
    for (key, value) in &pairs {
        if key == "members" && !value.trim().is_empty() {
            match value.trim().parse::<i64>() {
                Ok(id) => members.push(id),
                Err(_) => bad = true,
            }
        }
    }
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let input = FormInput {
        name: get("name"),
        members,
    };
    // The search the form came from (hidden fields), shown again if forming is refused.
    let search = TeamForm {
        k: get("k"),
        prefer_lead: get("prefer_lead"),
    };
    let result = if bad {
        Err(AppError::invalid("members", "choose organisations from the list"))
    } else {
        state.app.form_consortium(&viewer.actor, id, &input).await
    };
    match result {
        Ok(created) => go_with_notice(&format!("/consortia/{created}"), "formed"),
        Err(error) => {
            refused(&viewer, error, |errors, status| {
                // Errors point at the by-hand form's inputs: `members[2]` at the list.
                let errors = errors
                    .into_iter()
                    .map(|e| match e.field.as_str() {
                        "form" => FieldError {
                            field: "by-hand".into(),
                            ..e
                        },
                        f if f.starts_with("members") => FieldError {
                            field: "members".into(),
                            ..e
                        },
                        _ => e,
                    })
                    .collect();
                let forming = Forming {
                    name: input.name,
                    members: input.members,
                };
                teams_page(&state, &viewer, id, search, forming, errors, status)
            })
            .await
        }
    }
}
