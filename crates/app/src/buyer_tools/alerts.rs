//! E-mail alerts of saved searches: each run re-runs every search with alerts on and mails its
//! owner the organisations that match now and were never shown before, one mail per search.
//!
//! The seen set is the claim: an organisation is recorded as seen (and so announced) by the one
//! run whose insert wins, before the mail leaves, so two runs at once (two servers, or the server
//! and the cron command) never send the same news twice. A mail that cannot be sent gives its
//! organisations back, for the next run. A crash between the two loses that one alert: at most
//! once rather than twice, as a person would rather miss a line than get it again every hour.

use std::collections::HashSet;
use std::time::Duration;

use search::{Audience, Hit, SearchRequest};
use serde::Serialize;
use store::saved_searches::{self as stored, AlertSubscription};
use store::{StoreError, now_ms};

use super::english;
use super::saved_searches::{MATCHES_FOLLOWED, from_json, query_string};
use crate::audit::Entry;
use crate::directory::DirectoryQuery;
use crate::directory::search::MAX_QUERY_CHARS;
use crate::mail::Mail;
use crate::{App, AppError, Result};

/// New organisations named in one mail; the rest are counted and reached through the search link.
pub const LISTED_PER_MAIL: usize = 20;

/// What one alert run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AlertsReport {
    /// Saved searches with alerts on, all looked at.
    pub searches: usize,
    /// E-mails sent, at most one per saved search.
    pub mails: usize,
    /// Organisations announced over all mails.
    pub organisations: usize,
    /// Saved searches that could not be run or whose mail could not be sent (logged; retried next run).
    pub failures: usize,
}

impl std::fmt::Display for AlertsReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} saved searches with alerts, {} e-mails sent naming {} new profiles, {} failures",
            self.searches, self.mails, self.organisations, self.failures
        )
    }
}

impl App {
    /// The first `limit` organisations matching `query` as any signed-in person sees the
    /// directory, best first. A search that only matched loosely (some of its words) counts as
    /// matching nothing: an alert about half-matches would be noise.
    pub(crate) async fn member_matches(&self, query: &DirectoryQuery, limit: usize) -> Result<Vec<Hit>> {
        let directory = self.directory()?.clone();
        let text: String = query.text.chars().take(MAX_QUERY_CHARS).collect();
        let filters = query.filters.clone();
        // One request, one snapshot: pages read across an index refresh could skip profiles.
        tokio::task::spawn_blocking(move || {
            let mut request = SearchRequest::new(text, Audience::Member)
                .facets(&[])
                .page(0, limit.min(search::index::MAX_BULK_LIMIT));
            for (facet, value) in &filters {
                request = request.filter(*facet, value.trim());
            }
            let results = directory
                .index()
                .search_bulk(&request)
                .map_err(|e| AppError::Internal(format!("search failed: {e}")))?;
            // Alerts follow searches that match; a search matching only some words announces nothing.
            Ok(if results.relaxed { Vec::new() } else { results.hits })
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
    }

    /// Runs every saved search with alerts on and mails each owner the profiles new to it.
    /// Running it again at once sends nothing: what was announced is remembered.
    #[tracing::instrument(skip(self))]
    pub async fn send_search_alerts(&self) -> Result<AlertsReport> {
        let subscriptions = {
            let mut conn = self.store.conn().await?;
            stored::with_alerts(&mut conn).await?
        };
        let mut report = AlertsReport {
            searches: subscriptions.len(),
            ..AlertsReport::default()
        };
        for subscription in &subscriptions {
            match self.alert_one(subscription).await {
                Ok(0) => {}
                Ok(announced) => {
                    report.mails += 1;
                    report.organisations += announced;
                }
                Err(error) => {
                    tracing::warn!(saved_search = subscription.search.id, %error, "saved search alert failed");
                    report.failures += 1;
                }
            }
        }
        Ok(report)
    }

    /// Alerts the owner of one saved search; returns how many organisations the mail announced.
    async fn alert_one(&self, subscription: &AlertSubscription) -> Result<usize> {
        let search = &subscription.search;
        let query = from_json(&search.query_json)?;
        let hits = self.member_matches(&query, MATCHES_FOLLOWED).await?;
        let ids: Vec<i64> = hits.iter().map(|h| h.org_id).collect();
        let seen = {
            let mut conn = self.store.conn().await?;
            stored::seen_among(&mut conn, search.id, &ids).await?
        };
        let unseen: Vec<i64> = ids.iter().copied().filter(|id| !seen.contains(id)).collect();
        if unseen.is_empty() {
            // Nothing new: the hourly run takes no write lock.
            return Ok(0);
        }
        let mut tx = self.store.begin().await?;
        let claimed: HashSet<i64> = stored::mark_seen(&mut tx, search.id, &unseen)
            .await?
            .into_iter()
            .collect();
        if claimed.is_empty() {
            return Ok(0);
        }
        stored::set_last_alert(&mut tx, search.id, Some(now_ms())).await?;
        let mut announced: Vec<i64> = claimed.iter().copied().collect();
        announced.sort_unstable();
        Entry::bare(None, "alert", "saved_search", search.id)
            .after(&serde_json::json!({ "organisations": announced }))
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;

        let news: Vec<&Hit> = hits.iter().filter(|h| claimed.contains(&(h.org_id))).collect();
        let mail = alert_mail(&self.config.public_url, subscription, &query, &news);
        if let Err(error) = self.mailer.send(mail).await {
            let mut tx = self.store.begin().await?;
            stored::unmark_seen(&mut tx, search.id, &announced).await?;
            stored::set_last_alert(&mut tx, search.id, search.last_alert_at).await?;
            tx.commit().await.map_err(StoreError::from)?;
            return Err(error);
        }
        Ok(news.len())
    }

    /// Runs the alerts now and then every `every`, for as long as the process lives.
    pub fn spawn_alerts(&self, every: Duration) -> tokio::task::JoinHandle<()> {
        let app = self.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                match app.send_search_alerts().await {
                    Ok(report) if report.mails > 0 || report.failures > 0 => {
                        tracing::info!(%report, "saved search alerts sent");
                    }
                    Ok(_) => {}
                    Err(error) => tracing::warn!(%error, "saved search alerts: will retry"),
                }
            }
        })
    }
}

/// The mail for one saved search, in its owner's language, listing the first organisations.
fn alert_mail(public_url: &str, to: &AlertSubscription, query: &DirectoryQuery, news: &[&Hit]) -> Mail {
    let base = public_url.trim_end_matches('/');
    let name = &to.search.name;
    let count = news.len();
    let mut lines = String::new();
    for hit in news.iter().take(LISTED_PER_MAIL) {
        lines.push_str(&format!("- {} — {base}/directory/{}\n", hit.name, hit.org_id));
    }
    let more = count.saturating_sub(LISTED_PER_MAIL);
    let search_link = match query_string(query) {
        q if q.is_empty() => format!("{base}/directory"),
        q => format!("{base}/directory?{q}"),
    };
    let manage_link = format!("{base}/saved-searches");
    if english(&to.locale) {
        let (noun, verb) = if count == 1 {
            ("profile", "matches")
        } else {
            ("profiles", "match")
        };
        let more = match more {
            0 => String::new(),
            1 => "…and 1 more.\n".to_owned(),
            n => format!("…and {n} more.\n"),
        };
        Mail {
            to: to.email.clone(),
            subject: format!("Passerelle — {count} new {noun} for “{name}”"),
            body: format!(
                "Hello {first},\n\n{count} new {noun} {verb} your saved search “{name}”:\n\n{lines}{more}\n\
                 Run the search again: {search_link}\nManage your saved searches and alerts: {manage_link}\n",
                first = to.first_name
            ),
        }
    } else {
        let (noun, verb) = if count == 1 {
            ("nouveau profil", "correspond")
        } else {
            ("nouveaux profils", "correspondent")
        };
        let more = match more {
            0 => String::new(),
            1 => "… et 1 autre.\n".to_owned(),
            n => format!("… et {n} autres.\n"),
        };
        Mail {
            to: to.email.clone(),
            subject: format!("Passerelle — {count} {noun} pour « {name} »"),
            body: format!(
                "Bonjour {first},\n\n{count} {noun} {verb} à votre recherche enregistrée « {name} » :\n\n{lines}{more}\n\
                 Relancer la recherche : {search_link}\nGérer vos recherches et alertes : {manage_link}\n",
                first = to.first_name
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use store::saved_searches::SavedSearch;

    fn subscription(locale: &str) -> AlertSubscription {
        AlertSubscription {
            search: SavedSearch {
                id: 1,
                person_id: 2,
                name: "Usinage Occitanie".into(),
                query_json: String::new(),
                alerts: true,
                last_alert_at: None,
                created_at: 0,
            },
            email: "acheteuse@example.fr".into(),
            first_name: "Claire".into(),
            locale: locale.into(),
        }
    }

    fn hit(id: i64, name: &str) -> Hit {
        Hit {
            org_id: id,
            score: 1.0,
            name: name.into(),
            name_html: name.into(),
            snippet_html: String::new(),
            naf: String::new(),
            region: String::new(),
            department: String::new(),
            size: String::new(),
        }
    }

    #[test]
    fn the_mail_names_the_newcomers_with_links_in_the_owners_language() {
        let query = DirectoryQuery::from_pairs([("q", "usinage"), ("f", "region:76")]).unwrap();
        let one = hit(12, "Titane Sud");
        let fr = alert_mail("https://p.example/", &subscription("fr"), &query, &[&one]);
        assert_eq!(
            fr.subject,
            "Passerelle — 1 nouveau profil pour « Usinage Occitanie »"
        );
        assert!(
            fr.body
                .contains("- Titane Sud — https://p.example/directory/12\n"),
            "{}",
            fr.body
        );
        assert!(
            fr.body
                .contains("https://p.example/directory?q=usinage&f=region%3A76"),
            "{}",
            fr.body
        );
        assert!(fr.body.starts_with("Bonjour Claire"));
        let en = alert_mail("https://p.example", &subscription("en"), &query, &[&one, &one]);
        assert!(en.subject.contains("2 new profiles"), "{}", en.subject);
        assert!(en.body.contains("Manage your saved searches"), "{}", en.body);
    }

    #[test]
    fn long_news_is_cut_to_the_first_twenty_and_counted() {
        let hits: Vec<Hit> = (0..23).map(|i| hit(i, &format!("Org {i}"))).collect();
        let refs: Vec<&Hit> = hits.iter().collect();
        let mail = alert_mail("http://x", &subscription("fr"), &DirectoryQuery::text(""), &refs);
        assert_eq!(mail.body.matches("http://x/directory/").count(), LISTED_PER_MAIL);
        assert!(mail.body.contains("… et 3 autres."), "{}", mail.body);
        assert!(
            mail.body.contains("Relancer la recherche : http://x/directory\n"),
            "{}",
            mail.body
        );
    }
}
