//! Starts the real application on port 0 over a fresh database (SQLite, or PostgreSQL when
//! `PASSERELLE_TEST_DATABASE_URL` is set), loads the demo data, and offers clients per role.

#![allow(dead_code)]

use app::demo::{DEMO_ACCOUNTS, DEMO_PASSWORD};
use reqwest::Client;
use std::net::SocketAddr;
use std::path::PathBuf;
use store::Backend;
use store::testing::TestDatabase;

pub struct TestApp {
    pub address: String,
    pub app: app::App,
    pub outbox: PathBuf,
    pub cluster_id: i64,
    // Kept last so the server stops before the database is dropped.
    _server: tokio::task::JoinHandle<()>,
    pub db: TestDatabase,
}

/// A browser-like client: keeps cookies, does not follow redirects (tests look at them).
pub fn client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("build HTTP client")
}

impl TestApp {
    /// The app on SQLite with the demo data set.
    pub async fn spawn() -> TestApp {
        TestApp::spawn_on(Backend::Sqlite)
            .await
            .expect("SQLite is always available")
    }

    /// The app on `backend` with the demo data set, or None when that backend is not configured.
    pub async fn spawn_on(backend: Backend) -> Option<TestApp> {
        let db = TestDatabase::of(backend).await?;
        let outbox = std::env::temp_dir().join(format!("passerelle-outbox-{}", uuid::Uuid::new_v4()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a random port");
        let addr: SocketAddr = listener.local_addr().expect("local address");
        let config = app::AppConfig {
            public_url: format!("http://{addr}"),
            outbox_dir: outbox.clone(),
            smtp_url: None,
            mail_from: "Passerelle <no-reply@passerelle.test>".into(),
            metrics_token: None,
            index_dir: None,
        };
        let app = app::App::new(db.store.clone(), config).expect("build app");
        let summary = app.load_demo().await.expect("load demo data");
        app.open_directory().await.expect("open the search index");
        let served = app.clone();
        let server = tokio::spawn(async move {
            let _ = web::serve(listener, served, std::future::pending()).await;
        });
        Some(TestApp {
            address: format!("http://{addr}"),
            app,
            outbox,
            cluster_id: summary.cluster_id,
            _server: server,
            db,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// The CSRF token the server gave this client (fetching a page sets it if needed).
    pub async fn csrf(&self, client: &Client) -> String {
        let html = client
            .get(self.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        hidden_value(&html, "csrf_token").expect("the login page carries a CSRF token")
    }

    /// A client signed in through the login form as `email` (a demo account).
    pub async fn signed_in(&self, email: &str) -> SignedIn {
        let client = client();
        let csrf = self.csrf(&client).await;
        let response = client
            .post(self.url("/login"))
            .form(&[
                ("email", email),
                ("password", DEMO_PASSWORD),
                ("csrf_token", &csrf),
                ("next", "/"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "login as {email} should redirect");
        SignedIn { client, csrf }
    }

    /// Lets any person of the demo data (not only the documented accounts) sign in with the demo
    /// password, e.g. someone of a generated supplier in a browser test.
    pub async fn give_demo_password(&self, email: &str) {
        let mut conn = self.db.store.conn().await.unwrap();
        let demo = store::people::by_email(&mut conn, DEMO_ACCOUNTS[0].email)
            .await
            .unwrap()
            .expect("the first demo account exists");
        let hash = store::people::password_hash(&mut conn, demo.id)
            .await
            .unwrap()
            .expect("demo accounts have a password");
        let person = store::people::by_email(&mut conn, email)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{email} is not in the demo data"));
        assert!(
            store::people::set_password_hash(&mut conn, person.id, &hash)
                .await
                .unwrap()
        );
    }

    /// An API bearer token for a demo account.
    pub async fn token_for(&self, email: &str) -> String {
        let person = store::people::by_email(&mut self.db.store.conn().await.unwrap(), email)
            .await
            .unwrap()
            .expect("demo account exists");
        let principal = app::actor::load_principal(&mut self.db.store.conn().await.unwrap(), person.id)
            .await
            .unwrap()
            .unwrap();
        let (_, token) = self
            .app
            .create_api_token(&app::Actor::Person(principal), "tests")
            .await
            .unwrap();
        token
    }

    /// Texts of the e-mails written to the outbox so far.
    pub fn mails(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(&self.outbox) else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .collect()
    }

    pub async fn organisation_id(&self, legal_name: &str) -> i64 {
        let page = store::organisations::list_members(
            &mut self.db.store.conn().await.unwrap(),
            self.cluster_id,
            legal_name,
            0,
            5,
        )
        .await
        .unwrap();
        page.items
            .iter()
            .find(|o| o.legal_name == legal_name)
            .expect("demo organisation")
            .id
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.outbox);
    }
}

pub struct SignedIn {
    pub client: Client,
    pub csrf: String,
}

/// Demo account e-mail for a role.
pub fn account(role: domain::person::Role) -> &'static str {
    DEMO_ACCOUNTS
        .iter()
        .find(|a| a.role == role)
        .expect("a demo account per role")
        .email
}

/// The value of a hidden input in an HTML page.
pub fn hidden_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

/// The HTML of a page the client may read, after checking it answers 200.
pub async fn page(client: &Client, app: &TestApp, path: &str) -> String {
    let response = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200, "GET {path}");
    response.text().await.unwrap()
}

/// Posts a form as `who`, with their CSRF token added before the `fields`.
pub async fn post_form(
    who: &SignedIn,
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut form = vec![("csrf_token", who.csrf.as_str())];
    form.extend_from_slice(fields);
    who.client.post(app.url(path)).form(&form).send().await.unwrap()
}

/// Runs a story on PostgreSQL when configured, saying so when it is skipped.
pub async fn on_postgres<F, Fut>(story: &str, run: F)
where
    F: FnOnce(TestApp) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    match TestApp::spawn_on(Backend::Postgres).await {
        Some(app) => run(app).await,
        None => eprintln!("skipped: PostgreSQL half of {story} (PASSERELLE_TEST_DATABASE_URL not set)"),
    }
}
