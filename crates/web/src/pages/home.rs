//! The home page: a welcome for visitors, and for each signed-in person the panels their roles open.

use super::{Chrome, render};
use crate::identity::Viewer;
use crate::state::AppState;
use app::Actor;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use domain::person::Role;
use store::records::Organisation;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

/// One panel of the home page; strings are translation keys.
struct Panel {
    title: &'static str,
    text: &'static str,
    link: &'static str,
    link_text: &'static str,
}

const fn panel(
    title: &'static str,
    text: &'static str,
    link: &'static str,
    link_text: &'static str,
) -> Panel {
    Panel {
        title,
        text,
        link,
        link_text,
    }
}

/// What each role is offered first, in the order roles are listed.
fn panels_for(role: Role) -> Panel {
    match role {
        Role::ClusterAdmin => panel(
            "home.admin.title",
            "home.admin.text",
            "/organisations/new",
            "members.new",
        ),
        Role::OrgAdmin => panel(
            "home.org_admin.title",
            "home.org_admin.text",
            "/account",
            "nav.account",
        ),
        Role::Buyer => panel("home.buyer.title", "home.buyer.text", "/members", "nav.members"),
        Role::Evaluator => panel("home.evaluator.title", "home.evaluator.text", "", ""),
        Role::Mediator => panel("home.mediator.title", "home.mediator.text", "", ""),
        Role::Member => panel("home.member.title", "home.member.text", "/members", "nav.members"),
    }
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    organisation: Option<Organisation>,
    panels: Vec<Panel>,
    member_count: Option<i64>,
}

async fn home(State(state): State<AppState>, viewer: Viewer) -> Response {
    let Actor::Person(principal) = &viewer.actor else {
        return render(&HomePage {
            c: Chrome::of(&viewer, "home"),
            organisation: None,
            panels: Vec::new(),
            member_count: None,
        });
    };
    let organisation = match state
        .app
        .organisation(&viewer.actor, principal.organisation_id)
        .await
    {
        Ok(view) => Some(view.organisation),
        Err(error) => return viewer.fail(error).into_response(),
    };
    // Cluster staff see the size of their registry at a glance.
    let member_count = match app::actor::home_cluster(principal) {
        Some(cluster) if principal.is_cluster_admin_of(cluster) => state
            .app
            .members(&viewer.actor, cluster, "", 1, 1)
            .await
            .ok()
            .map(|page| page.total),
        _ => None,
    };
    let panels = principal.roles().into_iter().map(panels_for).collect();
    render(&HomePage {
        c: Chrome::of(&viewer, "home"),
        organisation,
        panels,
        member_count,
    })
}
