//! The product in a real browser: headless Chromium driven through chromedriver (W3C WebDriver).
//!
//! Stories: a buyer signs in through the form, opens the member list from the navigation, searches
//! as she types (htmx swaps the results in place) and switches the interface to English, where her
//! search is still shown; a visitor who opens the member list is sent to the sign-in page; at the
//! demo's business-meetings event, an SME asks the buyer for a meeting, she accepts, the organiser
//! generates and publishes the schedule, and the SME finds the meeting in his agenda; a visitor
//! searches the capability directory as she types, ticks a facet and opens the SME's profile; the
//! purchasing committee's whole loop: the buyer publishes a call, the SME submits a dossier, the
//! call closes, the buyer names an evaluator who marks the dossier, the buyer decides and
//! publishes, and the SME reads the decision.
//!
//! Each test starts its own chromedriver on a free port and stops it — with the browser — when it
//! ends, panics included. Without chromium/chromedriver the tests say they are skipped, except
//! under CI (`CI` set) where that is a failure: `scripts/install-test-deps.sh` installs them.
//!
//! The WebDriver client is `fantoccini`, over a plain-HTTP `hyper-util` connector: chromedriver
//! listens on localhost only, so no TLS is involved.

use crate::helpers::TestApp;
use app::demo::{DEMO_EVENT_TITLE, DEMO_PASSWORD, DEMO_SME};
use fantoccini::error::CmdError;
use fantoccini::wait::Wait;
use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use std::fmt::Display;
use std::future::Future;
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use url::Url;

const BUYER: &str = "acheteuse@grandcompte-demo.fr";
const SME_HEAD: &str = "dirigeant@pme-demo.fr";
const ORGANISER: &str = "animation@pole-demo.fr";
const LAB: &str = "labo@labo-demo.fr";
const EVALUATOR: &str = crate::committee_fixture::EVALUATOR;
/// How long the page may take to show what a step waits for.
const PATIENCE: Duration = Duration::from_secs(10);
/// How often a wait looks again.
const EVERY: Duration = Duration::from_millis(100);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_buyer_searches_the_members_as_she_types_then_reads_them_in_english() {
    let Some(tools) = BrowserTools::find() else { return };
    let app = TestApp::spawn().await;
    let (_driver, browser) = launch(&tools).await;

    // Sign in through the form, as a person would.
    browser.goto(&app.url("/login")).await.expect("open /login");
    let login_form = patiently(&browser)
        .for_element(Locator::Css("#login-submit"))
        .await;
    let submit = waited(&browser, "the login form", login_form).await;
    assert_eq!(
        html_lang(&browser).await,
        "fr",
        "a French browser gets French pages"
    );
    type_into(&browser, "#email", BUYER).await;
    type_into(&browser, "#password", DEMO_PASSWORD).await;
    submit.click().await.expect("click the sign-in button");
    let home = Url::parse(&app.url("/")).expect("the home address");
    let at_home = patiently(&browser).for_url(&home).await;
    waited(&browser, "the home page after signing in", at_home).await;
    assert!(
        !exists(&browser, "#login-error").await,
        "signing in reports no error"
    );
    let greeting = text(&browser, "main h1").await;
    assert!(
        greeting.starts_with("Bonjour"),
        "the home page greets the buyer: {greeting:?}"
    );

    // The member list, from the navigation.
    click(&browser, "nav a[href=\"/members\"]").await;
    let member_list = patiently(&browser)
        .for_element(Locator::Css("#member-search"))
        .await;
    let search_box = waited(&browser, "the member list page", member_list).await;
    assert_eq!(text(&browser, "main h1").await, "Adhérents du pôle");
    let before = member_rows(&browser).await;
    let unrelated: Vec<String> = before
        .iter()
        .filter(|name| !mentions_usinage(name))
        .cloned()
        .collect();
    assert!(
        !unrelated.is_empty(),
        "the unfiltered list shows members without \"usinage\" in their name: {before:?}"
    );

    // Search as you type: htmx replaces the results below the box.
    search_box
        .send_keys("usinage")
        .await
        .expect("type into the search box");
    let narrowed_to_usinage = |rows: &[String]| {
        rows.iter().any(|name| name == DEMO_SME)
            && rows.iter().all(|name| mentions_usinage(name))
            && !rows.iter().any(|name| unrelated.contains(name))
    };
    let narrowing = poll(PATIENCE, || async {
        let rows = member_rows(&browser).await;
        narrowed_to_usinage(&rows).then_some(rows)
    })
    .await
    .ok_or(CmdError::WaitTimeout);
    let found = waited(
        &browser,
        "the results to narrow to members matching \"usinage\"",
        narrowing,
    )
    .await;
    println!(
        "browser: \"usinage\" shows {} member(s), e.g. {:?}; the address bar says {}",
        found.len(),
        &found[..found.len().min(3)],
        current_url(&browser).await
    );
    assert_eq!(
        text(&browser, "main h1").await,
        "Adhérents du pôle",
        "htmx swapped only the results"
    );
    save_screenshot(&browser, &screenshot_dir().join("members-fr-usinage.png")).await;

    // The interface in English, on the same search.
    click(&browser, "#lang-toggle").await;
    let english = patiently(&browser)
        .for_element(Locator::Css("html[lang=\"en\"] #member-search"))
        .await;
    let search_box = waited(&browser, "the English member list", english).await;
    assert_eq!(text(&browser, "main h1").await, "Cluster members");
    assert_eq!(
        text(&browser, "#lang-toggle").await,
        "Français",
        "the toggle now offers French"
    );
    assert_eq!(text(&browser, "nav a[href=\"/members\"]").await, "Members");
    println!(
        "browser: after switching language the address is {}",
        current_url(&browser).await
    );
    assert_eq!(
        search_box.prop("value").await.expect("read the search box"),
        Some("usinage".to_owned()),
        "the English page still holds the search"
    );
    assert_eq!(
        member_rows(&browser).await,
        found,
        "the English page still shows the members matching \"usinage\""
    );

    let shot = screenshot_dir().join("members-en.png");
    save_screenshot(&browser, &shot).await;
    println!("browser: screenshot saved to {}", shot.display());

    // Closes Chromium; what a failed test leaves open, the chromedriver guard stops.
    let _ = browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_opening_the_member_list_is_sent_to_sign_in() {
    let Some(tools) = BrowserTools::find() else { return };
    let app = TestApp::spawn().await;
    let (_driver, browser) = launch(&tools).await;

    browser.goto(&app.url("/members")).await.expect("open /members");
    let login = Url::parse(&app.url("/login?next=%2Fmembers")).expect("the sign-in address");
    let at_login = patiently(&browser).for_url(&login).await;
    waited(
        &browser,
        "the sign-in page, coming back to /members afterwards",
        at_login,
    )
    .await;
    assert_eq!(text(&browser, "main h1").await, "Connexion");
    assert!(
        exists(&browser, "#login-submit").await,
        "the sign-in form is shown"
    );
    assert!(
        !exists(&browser, "#member-results").await,
        "no member is shown to a visitor"
    );

    let _ = browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_sme_asks_the_buyer_she_accepts_the_organiser_publishes_and_the_meeting_is_in_his_agenda() {
    let Some(tools) = BrowserTools::find() else { return };
    let app = TestApp::spawn().await;
    let (_driver, browser) = launch(&tools).await;
    const BUYER_NAME: &str = "Sophie Marchand";
    const SME_NAME: &str = "Laurent Fabre";

    // The SME's head opens the demo event from the list and asks the buyer for a meeting (htmx).
    sign_in(&browser, &app, SME_HEAD).await;
    browser.goto(&app.url("/events")).await.expect("open /events");
    let listed = patiently(&browser)
        .for_element(Locator::XPath(&format!(
            "//main//a[normalize-space()=\"{DEMO_EVENT_TITLE}\"]"
        )))
        .await;
    let link = waited(&browser, "the demo event in the event list", listed).await;
    link.click().await.expect("open the demo event");
    let event_page = patiently(&browser).for_element(Locator::Css("#requests")).await;
    waited(&browser, "the event page with my requests", event_page).await;
    let event_url = current_url(&browser).await;
    let event_path = Url::parse(&event_url)
        .expect("the event address")
        .path()
        .to_owned();
    let buyer_row =
        format!("//tr[@data-participant][td[1][starts-with(normalize-space(), \"{BUYER_NAME}\")]]");
    let row = browser
        .find(Locator::XPath(&buyer_row))
        .await
        .expect("the buyer is among the participants");
    row.find(Locator::Css("input[name=message]"))
        .await
        .expect("a message box")
        .send_keys("Nous usinons vos pièces titane : rencontrons-nous.")
        .await
        .expect("type the message");
    row.find(Locator::Css("button[type=submit]"))
        .await
        .expect("the ask button")
        .click()
        .await
        .expect("ask the buyer");
    let sent = poll(PATIENCE, || async {
        let rows = request_rows(&browser).await;
        rows.into_iter()
            .find(|r| r.contains(BUYER_NAME) && r.contains("en attente"))
    })
    .await
    .ok_or(CmdError::WaitTimeout);
    let sent = waited(&browser, "the request to the buyer among my requests", sent).await;
    println!("browser: the SME's request reads {sent:?}");
    sign_out(&browser, &app).await;

    // The buyer accepts it.
    sign_in(&browser, &app, BUYER).await;
    browser.goto(&app.url(&event_path)).await.expect("open the event");
    let from_sme = format!(
        "//tr[contains(@class, 'request')][td[1][contains(., \"{SME_NAME}\")]]//button[contains(@class, 'accept')]"
    );
    let accept = patiently(&browser).for_element(Locator::XPath(&from_sme)).await;
    let accept = waited(&browser, "the SME's request with an accept button", accept).await;
    accept.click().await.expect("accept the request");
    let accepted = poll(PATIENCE, || async {
        let rows = request_rows(&browser).await;
        rows.into_iter()
            .find(|r| r.contains(SME_NAME) && r.contains("acceptée"))
    })
    .await
    .ok_or(CmdError::WaitTimeout);
    waited(&browser, "the SME's request shown as accepted", accepted).await;
    sign_out(&browser, &app).await;

    // The organiser generates the schedule, reads the preview and publishes.
    sign_in(&browser, &app, ORGANISER).await;
    browser
        .goto(&app.url(&format!("{event_path}/organiser")))
        .await
        .expect("open the organiser's screen");
    let screen = patiently(&browser).for_element(Locator::Css("#generate")).await;
    waited(&browser, "the organiser's screen", screen)
        .await
        .click()
        .await
        .expect("generate");
    let pair_row = format!(
        "//table[@id='schedule']//tr[@data-meeting][td[3][contains(., \"{SME_NAME}\") and contains(., \"{BUYER_NAME}\")]]"
    );
    let generated = patiently(&browser).for_element(Locator::XPath(&pair_row)).await;
    let row = waited(
        &browser,
        "the SME–buyer meeting in the generated draft",
        generated,
    )
    .await;
    let cells = row_cells(&row).await;
    let scheduled: u32 = text(&browser, "#scheduled")
        .await
        .parse()
        .expect("a number of meetings");
    let requested: u32 = text(&browser, "#requested")
        .await
        .parse()
        .expect("a number of requests");
    println!("browser: generated {scheduled} of {requested} meetings; ours is {cells:?}");
    assert!(scheduled > 1 && scheduled <= requested);
    save_screenshot(&browser, &screenshot_dir().join("meetings-organiser-preview.png")).await;
    click(&browser, "#publish").await;
    let published_row = format!("{pair_row}[not(.//button[normalize-space()=\"Déplacer\"])]");
    let published = patiently(&browser)
        .for_element(Locator::XPath(&published_row))
        .await;
    waited(&browser, "the meeting shown as published", published).await;
    sign_out(&browser, &app).await;

    // The SME's head opens his agenda: the meeting is there, at the slot and table of the preview.
    sign_in(&browser, &app, SME_HEAD).await;
    browser.goto(&event_url).await.expect("open the event");
    let agenda_link = patiently(&browser)
        .for_element(Locator::Css("#agenda-link"))
        .await;
    waited(&browser, "the link to my agenda", agenda_link)
        .await
        .click()
        .await
        .expect("open my agenda");
    let in_agenda = format!("//table[@id='agenda']//tr[td[3][contains(., \"{BUYER_NAME}\")]]");
    let found = patiently(&browser).for_element(Locator::XPath(&in_agenda)).await;
    let row = waited(&browser, "the meeting with the buyer in my agenda", found).await;
    let mine = row_cells(&row).await;
    println!("browser: the SME's agenda shows {mine:?}");
    assert!(
        cells[0].starts_with(&mine[0]),
        "the agenda gives the preview's time: {:?} vs {:?}",
        mine[0],
        cells[0]
    );
    assert_eq!(mine[1], cells[1], "the agenda gives the preview's table");
    save_screenshot(&browser, &screenshot_dir().join("meetings-agenda.png")).await;
    sign_out(&browser, &app).await;

    // The lab's engineer, not registered yet, is offered the registration form: a box per slot.
    sign_in(&browser, &app, LAB).await;
    browser.goto(&event_url).await.expect("open the event");
    let form = patiently(&browser)
        .for_element(Locator::Css("#register-form"))
        .await;
    waited(&browser, "the registration form", form).await;
    let boxes = browser
        .find_all(Locator::Css("#register-form input[name=available]:checked"))
        .await
        .expect("read the slot boxes");
    assert_eq!(boxes.len(), 16, "every slot ticked to begin with");
    let png = find(&browser, "#register-form")
        .await
        .screenshot()
        .await
        .expect("take a screenshot of the form");
    std::fs::write(screenshot_dir().join("meetings-register.png"), png).expect("write the screenshot");

    let _ = browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_searches_the_directory_as_she_types_ticks_a_facet_and_opens_a_profile() {
    let Some(tools) = BrowserTools::find() else { return };
    let app = TestApp::spawn().await;
    let sme = app.organisation_id(DEMO_SME).await;
    let (_driver, browser) = launch(&tools).await;

    // The directory, from the navigation a visitor sees.
    browser.goto(&app.url("/")).await.expect("open /");
    click(&browser, "nav a[href=\"/directory\"]").await;
    let opened = patiently(&browser)
        .for_element(Locator::Css("#directory-q"))
        .await;
    let search_box = waited(&browser, "the directory search page", opened).await;
    assert_eq!(text(&browser, "main h1").await, "Annuaire des compétences");
    let everything = directory_count(&browser).await;

    // Search as you type: htmx swaps the hits and facets, the address bar follows.
    search_box
        .send_keys("titane")
        .await
        .expect("type into the search box");
    let typed = poll(PATIENCE, || async {
        let hits = directory_hits(&browser).await;
        let url = current_url(&browser).await;
        (hits.contains(&sme) && url.contains("q=titane")).then_some(hits)
    })
    .await
    .ok_or(CmdError::WaitTimeout);
    let hits = waited(&browser, "the demo SME among the hits for \"titane\"", typed).await;
    let for_titane = directory_count(&browser).await;
    println!(
        "browser: \"titane\" shows {for_titane} of {everything} companies ({} on the page); address {}",
        hits.len(),
        current_url(&browser).await
    );
    assert!(for_titane >= 1 && for_titane <= everything);
    assert_eq!(
        text(&browser, "main h1").await,
        "Annuaire des compétences",
        "htmx swapped only the results"
    );

    // Ticking a facet narrows the same search (or keeps it, never widens it).
    click(&browser, "#facet-size-sme").await;
    let ticked = poll(PATIENCE, || async {
        let url = current_url(&browser).await;
        let checked = browser
            .execute(
                "const box = document.querySelector('#facet-size-sme'); return !!(box && box.checked);",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        let hits = directory_hits(&browser).await;
        (url.contains("f=size%3Asme") && checked && hits.contains(&sme)).then_some(())
    })
    .await
    .ok_or(CmdError::WaitTimeout);
    waited(
        &browser,
        "the SME-size filter applied, the box still ticked",
        ticked,
    )
    .await;
    let for_smes = directory_count(&browser).await;
    println!("browser: ticking \"PME\" leaves {for_smes} of {for_titane}");
    assert!(
        for_smes >= 1 && for_smes <= for_titane,
        "{for_smes} of {for_titane}"
    );
    assert_eq!(
        search_box.prop("value").await.expect("read the search box"),
        Some("titane".to_owned()),
        "the box keeps the search"
    );
    save_screenshot(&browser, &screenshot_dir().join("directory-titane-sme.png")).await;

    // The profile, from its hit.
    click(&browser, &format!("li.hit[data-org=\"{sme}\"] h3 a")).await;
    let profile = patiently(&browser)
        .for_element(Locator::Css("#sign-in-hint"))
        .await;
    waited(&browser, "the demo SME's profile page", profile).await;
    assert_eq!(text(&browser, "main h1").await, DEMO_SME);

    let _ = browser.close().await;
}

/// The organisations listed as hits, by id, read in one go (htmx may swap them at any moment).
async fn directory_hits(browser: &Client) -> Vec<i64> {
    let ids = browser
        .execute(
            "return Array.from(document.querySelectorAll('#directory-results li.hit'))\
             .map(hit => Number(hit.dataset.org));",
            vec![],
        )
        .await
        .expect("read the hits");
    serde_json::from_value(ids).unwrap_or_default()
}

/// The number the result count announces (0 for "none").
async fn directory_count(browser: &Client) -> u64 {
    let shown = text(browser, "#directory-count").await;
    shown
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0)
}

/// Signs in through the form as a demo account and waits for the home page.
pub(crate) async fn sign_in(browser: &Client, app: &TestApp, email: &str) {
    browser.goto(&app.url("/login")).await.expect("open /login");
    let form = patiently(browser)
        .for_element(Locator::Css("#login-submit"))
        .await;
    let submit = waited(browser, "the login form", form).await;
    type_into(browser, "#email", email).await;
    type_into(browser, "#password", DEMO_PASSWORD).await;
    submit.click().await.expect("click the sign-in button");
    let home = Url::parse(&app.url("/")).expect("the home address");
    let at_home = patiently(browser).for_url(&home).await;
    waited(
        browser,
        &format!("the home page after signing in as {email}"),
        at_home,
    )
    .await;
}

/// Signs out with the header's button and waits until the page no longer offers it.
pub(crate) async fn sign_out(browser: &Client, app: &TestApp) {
    browser.goto(&app.url("/")).await.expect("open /");
    click(browser, "form[action=\"/logout\"] button").await;
    let gone = poll(PATIENCE, || async {
        (!exists(browser, "form[action=\"/logout\"]").await).then_some(())
    })
    .await
    .ok_or(CmdError::WaitTimeout);
    waited(browser, "the signed-out page", gone).await;
}

/// The rows of "my requests", as text, read in one go (htmx may swap them at any moment).
async fn request_rows(browser: &Client) -> Vec<String> {
    let rows = browser
        .execute(
            "return Array.from(document.querySelectorAll('#requests tr.request'))\
             .map(row => row.innerText.replace(/\\s+/g, ' ').trim());",
            vec![],
        )
        .await
        .expect("read my requests");
    serde_json::from_value(rows).unwrap_or_default()
}

/// The trimmed texts of a table row's cells.
async fn row_cells(row: &fantoccini::elements::Element) -> Vec<String> {
    let mut texts = Vec::new();
    for cell in row.find_all(Locator::Css("td")).await.expect("read the cells") {
        texts.push(cell.text().await.expect("read a cell").trim().to_owned());
    }
    texts
}

/// Whether a member's name contains "usinage", as the search understands it (any case).
fn mentions_usinage(name: &str) -> bool {
    name.to_lowercase().contains("usinage")
}

/// `target/browser/` at the workspace root, created if needed.
pub(crate) fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/browser");
    std::fs::create_dir_all(&dir).expect("create target/browser");
    dir
}

// --- Finding and starting the browser ------------------------------------------------------------

pub(crate) struct BrowserTools {
    chromedriver: PathBuf,
    chromium: PathBuf,
}

impl BrowserTools {
    /// Chromium and chromedriver from PATH; None (the test is skipped) when one is missing,
    /// except under CI where a missing browser fails the test.
    pub(crate) fn find() -> Option<BrowserTools> {
        let chromedriver = on_path("chromedriver");
        let chromium = on_path("chromium").or_else(|| on_path("chromium-browser"));
        match (chromedriver, chromium) {
            (Some(chromedriver), Some(chromium)) => Some(BrowserTools {
                chromedriver,
                chromium,
            }),
            _ if std::env::var_os("CI").is_some() => panic!(
                "the browser test needs chromium and chromedriver, and CI is set: \
                 run scripts/install-test-deps.sh (Debian packages chromium, chromium-driver)"
            ),
            _ => {
                println!("skipped: browser test (chromedriver not installed)");
                None
            }
        }
    }
}

fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| {
            std::fs::metadata(candidate).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("find a free port")
        .port()
}

/// A running chromedriver. Dropping it — at the end of a test or while a failed test unwinds —
/// stops chromedriver and every browser process it started, and removes the browser profile.
pub(crate) struct Chromedriver {
    child: Child,
    port: u16,
    profile: PathBuf,
}

impl Chromedriver {
    async fn start(tools: &BrowserTools) -> Chromedriver {
        let port = free_port();
        let child = Command::new(&tools.chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group, so that its browser processes can be stopped with it.
            .process_group(0)
            .spawn()
            .expect("start chromedriver");
        let profile = std::env::temp_dir().join(format!("passerelle-chromium-{}", uuid::Uuid::new_v4()));
        let driver = Chromedriver { child, port, profile };
        let listening = poll(PATIENCE, || async {
            tokio::net::TcpStream::connect(("127.0.0.1", port)).await.ok()
        })
        .await;
        assert!(
            listening.is_some(),
            "chromedriver did not listen on port {port} within {PATIENCE:?}"
        );
        driver
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // The whole group: chromedriver and any browser process left behind.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Starts chromedriver and opens a headless Chromium session with a fresh profile. The returned
/// guard must outlive the browser.
pub(crate) async fn launch(tools: &BrowserTools) -> (Chromedriver, Client) {
    let driver = Chromedriver::start(tools).await;
    let capabilities: Capabilities = serde_json::from_value(json!({
        "browserName": "chrome",
        "pageLoadStrategy": "normal",
        "goog:chromeOptions": {
            "binary": tools.chromium,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--window-size=1280,1000",
                "--lang=fr-FR",
                format!("--user-data-dir={}", driver.profile.display()),
            ],
            "prefs": { "intl.accept_languages": "fr-FR,fr" },
        },
    }))
    .expect("the capabilities are a JSON object");
    let browser = ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .unwrap_or_else(|error| panic!("chromedriver could not start Chromium: {error}"));
    let granted = |key: &str| {
        browser
            .capabilities()
            .and_then(|granted| granted.get(key))
            .and_then(|value| value.as_str())
            .unwrap_or("?")
            .to_owned()
    };
    println!(
        "browser: {} {} through chromedriver on port {}",
        granted("browserName"),
        granted("browserVersion"),
        driver.port
    );
    (driver, browser)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_committee_loop_buyer_publishes_sme_submits_buyer_evaluates_after_closing_sme_sees_the_decision()
{
    let Some(tools) = BrowserTools::find() else { return };
    let app = TestApp::spawn().await;
    let (_driver, browser) = launch(&tools).await;
    const TITLE: &str = "Appel navigateur titane";
    const ANSWER: &str = "Nous usinons le Ti6Al4V en séries de 50 à 500 pièces.";
    const FEEDBACK: &str = "Offre solide, délais tenus.";

    // The buyer writes the call with the form and publishes it.
    sign_in(&browser, &app, BUYER).await;
    browser
        .goto(&app.url("/calls/new"))
        .await
        .expect("open /calls/new");
    let form = patiently(&browser).for_element(Locator::Css("#title")).await;
    waited(&browser, "the call form", form).await;
    type_into(&browser, "#title", TITLE).await;
    type_into(&browser, "#description", "Pièces de structure en titane.").await;
    type_into(&browser, "input[name=\"lots[0].name\"]", "Usinage").await;
    type_into(&browser, "input[name=\"criteria[0].name\"]", "Prix").await;
    type_into(&browser, "input[name=\"criteria[0].weight\"]", "3").await;
    // datetime-local inputs take keys in the browser's locale order: their value is set directly.
    let opens = domain::committee::paris::input(jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1));
    let closes =
        domain::committee::paris::input(jiff::Timestamp::now() + jiff::SignedDuration::from_hours(48));
    browser
        .execute(
            "document.getElementById('opens_at').value = arguments[0];
             document.getElementById('closes_at').value = arguments[1];",
            vec![json!(opens), json!(closes)],
        )
        .await
        .expect("set the opening and closing times");
    click(&browser, "form[action=\"/calls\"] button[type=submit]").await;
    let created = patiently(&browser).for_element(Locator::Css("#publish")).await;
    let publish = waited(&browser, "the new call with its publish button", created).await;
    let call_path = Url::parse(&current_url(&browser).await)
        .expect("the call address")
        .path()
        .to_owned();
    publish.click().await.expect("publish the call");
    let published = poll(PATIENCE, || async {
        (exists(&browser, "#submitted-count").await && !exists(&browser, "#publish").await).then_some(())
    })
    .await
    .ok_or(CmdError::WaitTimeout);
    waited(&browser, "the published call", published).await;
    sign_out(&browser, &app).await;

    // The SME's head opens "Appels", writes a draft and submits it.
    sign_in(&browser, &app, SME_HEAD).await;
    click(&browser, "nav a[href=\"/calls\"]").await;
    let listed = patiently(&browser)
        .for_element(Locator::XPath(&format!(
            "//main//a[normalize-space()=\"{TITLE}\"]"
        )))
        .await;
    waited(&browser, "the call in the list of calls", listed)
        .await
        .click()
        .await
        .expect("open the call");
    let link = patiently(&browser)
        .for_element(Locator::Css("#dossier-link"))
        .await;
    waited(&browser, "the link to my dossier", link)
        .await
        .click()
        .await
        .expect("open my dossier");
    let answer = patiently(&browser).for_element(Locator::Css("#answer")).await;
    waited(&browser, "the dossier form", answer).await;
    type_into(&browser, "#answer", ANSWER).await;
    click(&browser, "#lots input[value=\"1\"]").await;
    click(&browser, "#save-draft").await;
    let saved = patiently(&browser)
        .for_element(Locator::Css("#dossier-notice"))
        .await;
    waited(&browser, "the saved-draft notice", saved).await;
    click(&browser, "#submit-dossier").await;
    let submitted = poll(PATIENCE, || async {
        (current_text(&browser, "#dossier-state").await.as_deref() == Some("déposé")).then_some(())
    })
    .await
    .ok_or(CmdError::WaitTimeout);
    waited(&browser, "the dossier marked submitted", submitted).await;
    sign_out(&browser, &app).await;

    // The call closes (its closing instant moved into the past), and the buyer reads the dossier.
    let call_id: i64 = call_path
        .trim_start_matches("/calls/")
        .parse()
        .expect("the call id");
    crate::committee_fixture::close_now(&app, call_id).await;
    sign_in(&browser, &app, BUYER).await;
    browser.goto(&app.url(&call_path)).await.expect("open the call");
    let link = patiently(&browser)
        .for_element(Locator::Css("#submissions-link"))
        .await;
    waited(&browser, "the link to the submissions after closing", link)
        .await
        .click()
        .await
        .expect("open the submissions");
    let read = patiently(&browser)
        .for_element(Locator::XPath(&format!(
            "//article[contains(@class, 'submission')][contains(., \"{ANSWER}\")]"
        )))
        .await;
    waited(&browser, "the SME's dossier among the submissions", read).await;

    // The buyer names the evaluator on the evaluation board (the call page's link is H4's: the
    // board is opened by its address).
    let board_path = format!("{call_path}/evaluation");
    let evaluator_id = crate::committee_fixture::person_id(&app, EVALUATOR).await;
    browser
        .goto(&app.url(&board_path))
        .await
        .expect("open the evaluation board");
    let board = patiently(&browser)
        .for_element(Locator::Css("#name-evaluators"))
        .await;
    waited(&browser, "the evaluation board", board).await;
    click(
        &browser,
        &format!("input[name=\"person_ids\"][value=\"{evaluator_id}\"]"),
    )
    .await;
    click(&browser, "#name-evaluators").await;
    wait_for_url_ending(&browser, "notice=evaluators", "the evaluators saved").await;
    sign_out(&browser, &app).await;

    // The evaluator opens the dossier from the desk, declares no conflict and marks it.
    sign_in(&browser, &app, EVALUATOR).await;
    browser
        .goto(&app.url(&format!("{call_path}/marking")))
        .await
        .expect("open the marking desk");
    let to_mark = patiently(&browser).for_element(Locator::Css("a.mark-link")).await;
    waited(&browser, "the dossier to mark", to_mark)
        .await
        .click()
        .await
        .expect("open the evaluation sheet");
    let sheet = patiently(&browser)
        .for_element(Locator::Css("#conflict-none"))
        .await;
    waited(&browser, "the evaluation sheet", sheet).await;
    assert!(
        text(&browser, "#dossier-answer").await.contains(ANSWER),
        "the evaluator reads the dossier"
    );
    click(&browser, "#conflict-none").await;
    click(&browser, "#save-declaration").await;
    wait_for_url_ending(&browser, "notice=no_conflict", "no conflict recorded").await;
    type_into(&browser, "#mark_1", "4").await;
    type_into(&browser, "#comment_1", "Prix compétitif").await;
    click(&browser, "#save-marks").await;
    wait_for_url_ending(&browser, "notice=marked", "the marks saved").await;
    sign_out(&browser, &app).await;

    // The buyer reads the ranking, decides "listed" with feedback and publishes after confirming.
    sign_in(&browser, &app, BUYER).await;
    browser
        .goto(&app.url(&board_path))
        .await
        .expect("open the evaluation board");
    let ranking = patiently(&browser)
        .for_element(Locator::Css("#ranking-table td.total"))
        .await;
    waited(&browser, "the ranking", ranking).await;
    let total = text(&browser, "#ranking-table td.total").await;
    assert!(
        total.parse::<f64>().is_ok(),
        "the dossier has a weighted total: {total:?}"
    );
    click(&browser, "article.decision input[value=\"listed\"]").await;
    type_into(&browser, "article.decision textarea[name=\"feedback\"]", FEEDBACK).await;
    click(&browser, "article.decision button.decide").await;
    let decided = patiently(&browser)
        .for_element(Locator::Css("#publish-link"))
        .await;
    let publish = waited(
        &browser,
        "the decision recorded, waiting for publication",
        decided,
    )
    .await;
    save_screenshot(&browser, &screenshot_dir().join("committee-evaluation-fr.png")).await;
    publish.click().await.expect("open the publication page");
    let confirm = patiently(&browser)
        .for_element(Locator::Css("#confirm-publish"))
        .await;
    waited(&browser, "the confirmation step", confirm)
        .await
        .click()
        .await
        .expect("confirm publication");
    wait_for_url_ending(&browser, "notice=published", "the decisions published").await;
    sign_out(&browser, &app).await;

    // The SME signs in and reads the decision and its feedback.
    sign_in(&browser, &app, SME_HEAD).await;
    browser
        .goto(&app.url(&format!("{call_path}/dossier/decision")))
        .await
        .expect("open my decision");
    let outcome = patiently(&browser)
        .for_element(Locator::Css("#decision-outcome"))
        .await;
    waited(&browser, "the published decision", outcome).await;
    assert_eq!(text(&browser, "#decision-outcome").await, "Retenu (référencé)");
    assert_eq!(text(&browser, "#decision-feedback").await, FEEDBACK);
    save_screenshot(&browser, &screenshot_dir().join("committee-decision-fr.png")).await;
    let _ = browser.close().await;
}

/// Waits until the address ends with `suffix` (a form's redirect with its notice).
pub(crate) async fn wait_for_url_ending(browser: &Client, suffix: &str, what: &str) {
    let arrived = poll(PATIENCE, || async {
        current_url(browser).await.ends_with(suffix).then_some(())
    })
    .await
    .ok_or(CmdError::WaitTimeout);
    waited(browser, what, arrived).await;
}

// --- What the tests read and do on the page --------------------------------------------------------

pub(crate) async fn find(browser: &Client, css: &str) -> fantoccini::elements::Element {
    match browser.find(Locator::Css(css)).await {
        Ok(element) => element,
        Err(error) => panic!(
            "no element matches {css:?} on {}: {error}",
            current_url(browser).await
        ),
    }
}

pub(crate) async fn exists(browser: &Client, css: &str) -> bool {
    match browser.find(Locator::Css(css)).await {
        Ok(_) => true,
        Err(error) if error.is_no_such_element() => false,
        Err(error) => panic!("look for {css:?}: {error}"),
    }
}

pub(crate) async fn click(browser: &Client, css: &str) {
    let element = find(browser, css).await;
    element
        .click()
        .await
        .unwrap_or_else(|error| panic!("click {css:?}: {error}"));
}

/// Types `text` into a field key by key, firing the input events a person's typing fires.
pub(crate) async fn type_into(browser: &Client, css: &str, text: &str) {
    let field = find(browser, css).await;
    field
        .send_keys(text)
        .await
        .unwrap_or_else(|error| panic!("type into {css:?}: {error}"));
}

/// The visible text of the element matching `css`, trimmed.
/// The element's text if it is on the page now; None while it is not, or while the page is being
/// replaced under us (a found element can go stale before its text is read): for polling.
pub(crate) async fn current_text(browser: &Client, css: &str) -> Option<String> {
    let element = browser.find(Locator::Css(css)).await.ok()?;
    element.text().await.ok().map(|text| text.trim().to_owned())
}

pub(crate) async fn text(browser: &Client, css: &str) -> String {
    let element = find(browser, css).await;
    let text = element
        .text()
        .await
        .unwrap_or_else(|error| panic!("read the text of {css:?}: {error}"));
    text.trim().to_owned()
}

pub(crate) async fn current_url(browser: &Client) -> String {
    browser
        .current_url()
        .await
        .map_or_else(|error| format!("(unknown: {error})"), String::from)
}

pub(crate) async fn html_lang(browser: &Client) -> String {
    let html = find(browser, "html").await;
    let lang = html.attr("lang").await.expect("read html[lang]");
    lang.unwrap_or_default()
}

/// The member names in the results table, read in one go (htmx may swap it at any moment).
async fn member_rows(browser: &Client) -> Vec<String> {
    let names = browser
        .execute(
            "return Array.from(document.querySelectorAll('#member-results tbody tr td:first-child'))\
             .map(cell => cell.textContent.trim());",
            vec![],
        )
        .await
        .expect("read the member rows");
    serde_json::from_value(names).unwrap_or_default()
}

pub(crate) async fn save_screenshot(browser: &Client, path: &Path) {
    let png = browser.screenshot().await.expect("take a screenshot");
    assert!(png.starts_with(b"\x89PNG"), "the screenshot is a PNG");
    std::fs::write(path, png).expect("write the screenshot");
}

/// A fantoccini wait bounded by [`PATIENCE`], looking again every [`EVERY`].
pub(crate) fn patiently(browser: &Client) -> Wait<'_> {
    browser.wait().at_most(PATIENCE).every(EVERY)
}

/// What a wait gave; when it failed (ran out of [`PATIENCE`], most often), fails the test with
/// what the page showed, to make the failure readable.
async fn waited<T, E: Display>(browser: &Client, what: &str, outcome: Result<T, E>) -> T {
    let error = match outcome {
        Ok(value) => return value,
        Err(error) => error,
    };
    let shown = browser
        .execute(
            "return document.querySelector('main') ? document.querySelector('main').innerText : document.body.innerText;",
            vec![],
        )
        .await
        .ok();
    let shown: String = shown
        .as_ref()
        .and_then(|shown| shown.as_str())
        .unwrap_or_default()
        .chars()
        .take(1500)
        .collect();
    panic!(
        "waited up to {PATIENCE:?} for {what} ({error}); the browser is on {} showing:\n{shown}",
        current_url(browser).await
    );
}

/// Calls `check` every [`EVERY`] until it gives a value or `limit` has passed.
async fn poll<T, F, Fut>(limit: Duration, check: F) -> Option<T>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + limit;
    loop {
        if let Some(value) = check().await {
            return Some(value);
        }
        if Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(EVERY).await;
    }
}
