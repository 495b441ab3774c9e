//! Accounts: sign-in and sessions, invitations, password reset and change, API tokens, language.
//! Every secret handed out is random; the store only ever sees its hash.

use crate::actor::{load_principal, scope_of};
use crate::audit::Entry;
use crate::mail::Mail;
use crate::organisations::visible_organisation;
use crate::secrets::{hash_token, new_token};
use crate::{App, AppError, Result, passwords};
use domain::person::{Email, Role};
use domain::policy::{Action, Actor, Principal, authorize};
use domain::text;
use serde::Serialize;
use store::records::{ApiToken, NewPerson};
use store::{auth, now_ms, organisations, people};

const SESSION_TTL_MS: i64 = 12 * 3600 * 1000;
const INVITATION_TTL_MS: i64 = 7 * 24 * 3600 * 1000;
const RESET_TTL_MS: i64 = 3600 * 1000;
pub const SUPPORTED_LOCALES: [&str; 2] = ["fr", "en"];

/// A new session: the cookie value to hand to the browser.
pub struct SessionToken(pub String);

fn require_person(actor: &Actor) -> Result<&Principal> {
    match actor {
        Actor::Person(p) => Ok(p),
        Actor::Visitor => Err(AppError::Unauthenticated),
    }
}

fn parse_email(input: &str) -> Result<Email> {
    Email::parse(input).map_err(|e| AppError::invalid("email", e))
}

pub fn parse_locale(input: &str) -> Result<&'static str> {
    SUPPORTED_LOCALES
        .into_iter()
        .find(|l| *l == input)
        .ok_or_else(|| AppError::invalid("locale", format!("unsupported language '{input}': use fr or en")))
}

impl App {
    /// Signs in with e-mail and password. `client` identifies the caller for throttling.
    #[tracing::instrument(skip(self, password))]
    pub async fn login(&self, email: &str, password: &str, client: &str) -> Result<SessionToken> {
        if !self.login_limiter.allow(email.trim(), client) {
            return Err(AppError::RateLimited);
        }
        let email = Email::parse(email).map_err(|_| AppError::BadCredentials)?;
        let mut conn = self.store.conn().await?;
        let person = people::by_email(&mut conn, email.as_str()).await?;
        let stored = match &person {
            Some(p) => people::password_hash(&mut conn, p.id).await?,
            None => None,
        };
        drop(conn);
        let verified = passwords::verify(password.to_owned(), stored).await?;
        let person = person.filter(|_| verified).ok_or(AppError::BadCredentials)?;
        self.open_session(person.id).await
    }

    async fn open_session(&self, person_id: i64) -> Result<SessionToken> {
        let token = new_token();
        let mut conn = self.store.conn().await?;
        auth::insert_session(
            &mut conn,
            &hash_token(&token),
            person_id,
            now_ms() + SESSION_TTL_MS,
        )
        .await?;
        Ok(SessionToken(token))
    }

    pub async fn logout(&self, session_token: &str) -> Result<()> {
        let mut conn = self.store.conn().await?;
        auth::delete_session(&mut conn, &hash_token(session_token)).await?;
        Ok(())
    }

    /// The signed-in person behind a session cookie, or a visitor.
    pub async fn session_actor(&self, session_token: &str) -> Result<Actor> {
        let mut conn = self.store.conn().await?;
        let Some(person_id) = auth::session_person(&mut conn, &hash_token(session_token), now_ms()).await?
        else {
            return Ok(Actor::Visitor);
        };
        Ok(load_principal(&mut conn, person_id)
            .await?
            .map_or(Actor::Visitor, Actor::Person))
    }

    /// The person behind an API bearer token, or a visitor when the token is unknown or revoked.
    pub async fn token_actor(&self, bearer: &str) -> Result<Actor> {
        let mut conn = self.store.conn().await?;
        let Some(person_id) = auth::api_token_person(&mut conn, &hash_token(bearer), now_ms()).await? else {
            return Ok(Actor::Visitor);
        };
        Ok(load_principal(&mut conn, person_id)
            .await?
            .map_or(Actor::Visitor, Actor::Person))
    }

    pub async fn person_of(&self, actor: &Actor) -> Result<store::records::Person> {
        let principal = require_person(actor)?;
        let mut conn = self.store.conn().await?;
        people::get(&mut conn, principal.person_id)
            .await?
            .ok_or(AppError::NotFound("person"))
    }

    /// Sends a reset link when the address has an account. Says nothing either way, so the form
    /// cannot be used to find out who has an account.
    #[tracing::instrument(skip(self))]
    pub async fn request_password_reset(&self, email: &str) -> Result<()> {
        let email = parse_email(email)?;
        let mut conn = self.store.conn().await?;
        let Some(person) = people::by_email(&mut conn, email.as_str()).await? else {
            return Ok(());
        };
        let token = new_token();
        auth::insert_password_reset(&mut conn, &hash_token(&token), person.id, now_ms() + RESET_TTL_MS)
            .await?;
        drop(conn);
        let link = format!("{}/password/reset/{token}", self.config.public_url);
        self.mailer
            .send(Mail {
                to: person.email,
                subject: "Passerelle — réinitialisation du mot de passe / password reset".into(),
                body: format!(
                    "Bonjour {},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable une heure) :\n{link}\n\n\
                     To choose a new password, open this link (valid for one hour):\n{link}\n",
                    person.first_name
                ),
            })
            .await
    }

    /// Whether an e-mailed reset link can still be used.
    pub async fn reset_link_is_open(&self, token: &str) -> Result<bool> {
        let mut conn = self.store.conn().await?;
        Ok(auth::password_reset_is_open(&mut conn, &hash_token(token), now_ms()).await?)
    }

    /// Sets a new password from an e-mailed token and ends every open session of the account.
    pub async fn reset_password(&self, token: &str, new_password: &str) -> Result<()> {
        passwords::check_rules("password", new_password)?;
        let hash = passwords::hash(new_password.to_owned()).await?;
        let mut tx = self.store.begin().await?;
        let person_id = auth::use_password_reset(&mut tx, &hash_token(token), now_ms())
            .await?
            .ok_or_else(|| AppError::Gone("this reset link is invalid, expired or already used".into()))?;
        people::set_password_hash(&mut tx, person_id, &hash).await?;
        auth::delete_sessions_of(&mut tx, person_id).await?;
        Entry::bare(Some(person_id), "password_reset", "person", person_id)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(store::StoreError::from)?;
        Ok(())
    }

    /// Changes the password and signs out every other session of the account (a stolen session
    /// must not survive the owner's reaction); `current_session` stays signed in.
    pub async fn change_password(
        &self,
        actor: &Actor,
        current: &str,
        new_password: &str,
        current_session: Option<&str>,
    ) -> Result<()> {
        let principal = require_person(actor)?;
        authorize(actor, &Action::ManageOwnAccount)?;
        passwords::check_rules("new_password", new_password)?;
        let mut conn = self.store.conn().await?;
        let stored = people::password_hash(&mut conn, principal.person_id).await?;
        drop(conn);
        if !passwords::verify(current.to_owned(), stored).await? {
            return Err(AppError::invalid(
                "current_password",
                "is not your current password",
            ));
        }
        let hash = passwords::hash(new_password.to_owned()).await?;
        let mut tx = self.store.begin().await?;
        people::set_password_hash(&mut tx, principal.person_id, &hash).await?;
        match current_session {
            Some(token) => {
                auth::delete_other_sessions(&mut tx, principal.person_id, &hash_token(token)).await?
            }
            None => auth::delete_sessions_of(&mut tx, principal.person_id).await?,
        };
        Entry::bare(
            Some(principal.person_id),
            "password_change",
            "person",
            principal.person_id,
        )
        .write(&mut tx)
        .await?;
        tx.commit().await.map_err(store::StoreError::from)?;
        Ok(())
    }

    pub async fn set_locale(&self, actor: &Actor, locale: &str) -> Result<()> {
        let principal = require_person(actor)?;
        authorize(actor, &Action::ManageOwnAccount)?;
        let locale = parse_locale(locale)?;
        let mut conn = self.store.conn().await?;
        people::set_locale(&mut conn, principal.person_id, locale).await?;
        Ok(())
    }

    /// Creates an API token and returns its only plain-text copy with its id.
    pub async fn create_api_token(&self, actor: &Actor, name: &str) -> Result<(i64, String)> {
        let principal = require_person(actor)?;
        authorize(actor, &Action::ManageOwnAccount)?;
        let name = text::required("name", name, 80).map_err(|e| AppError::invalid("name", e))?;
        let token = format!("psl_{}", new_token());
        let mut tx = self.store.begin().await?;
        let id = auth::insert_api_token(&mut tx, principal.person_id, &name, &hash_token(&token)).await?;
        Entry::bare(Some(principal.person_id), "api_token_create", "api_token", id)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(store::StoreError::from)?;
        Ok((id, token))
    }

    pub async fn api_tokens(&self, actor: &Actor) -> Result<Vec<ApiToken>> {
        let principal = require_person(actor)?;
        let mut conn = self.store.conn().await?;
        Ok(auth::api_tokens_of(&mut conn, principal.person_id).await?)
    }

    pub async fn revoke_api_token(&self, actor: &Actor, token_id: i64) -> Result<()> {
        let principal = require_person(actor)?;
        let mut tx = self.store.begin().await?;
        if !auth::revoke_api_token(&mut tx, principal.person_id, token_id, now_ms()).await? {
            return Err(AppError::NotFound("API token"));
        }
        Entry::bare(
            Some(principal.person_id),
            "api_token_revoke",
            "api_token",
            token_id,
        )
        .write(&mut tx)
        .await?;
        tx.commit().await.map_err(store::StoreError::from)?;
        Ok(())
    }

    /// Invites someone to join an organisation with a role; the link is e-mailed to them.
    #[tracing::instrument(skip(self, actor))]
    pub async fn invite(&self, actor: &Actor, organisation_id: i64, email: &str, role: &str) -> Result<i64> {
        let principal = require_person(actor)?;
        let email = parse_email(email)?;
        let role = Role::parse(role).map_err(|e| AppError::invalid("role", e))?;
        let mut tx = self.store.begin().await?;
        let view = visible_organisation(&mut tx, actor, organisation_id).await?;
        let facts = view.facts();
        authorize(actor, &Action::InvitePerson { org: facts, role })?;
        if people::by_email(&mut tx, email.as_str()).await?.is_some() {
            return Err(AppError::Conflict(format!("{email} already has an account")));
        }
        // A cluster role is granted on a cluster the inviter administers and the organisation belongs to.
        let cluster_id = if role.is_cluster_scoped() {
            Some(
                view.clusters
                    .iter()
                    .copied()
                    .find(|c| principal.is_cluster_admin_of(*c))
                    .ok_or(AppError::Forbidden)?,
            )
        } else {
            None
        };
        let token = new_token();
        let id = auth::insert_invitation(
            &mut tx,
            &auth::NewInvitation {
                token_hash: &hash_token(&token),
                email: email.as_str(),
                organisation_id,
                role: role.as_str(),
                cluster_id,
                invited_by: principal.person_id,
                expires_at: now_ms() + INVITATION_TTL_MS,
            },
        )
        .await?;
        Entry::bare(Some(principal.person_id), "invite", "invitation", id)
            .write(&mut tx)
            .await?;
        // Mail before commit: if it cannot be sent, the invitation is not left dangling.
        let link = format!("{}/invitations/{token}", self.config.public_url);
        self.mailer
            .send(Mail {
                to: email.to_string(),
                subject: format!("Passerelle — invitation ({})", view.organisation.legal_name),
                body: format!(
                    "Bonjour,\n\nVous êtes invité(e) à rejoindre {org} sur Passerelle. Créez votre compte ici (lien valable 7 jours) :\n{link}\n\n\
                     You are invited to join {org} on Passerelle. Create your account here (valid for 7 days):\n{link}\n",
                    org = view.organisation.legal_name
                ),
            })
            .await?;
        tx.commit().await.map_err(store::StoreError::from)?;
        Ok(id)
    }

    /// What an invitation link offers, for the sign-up page.
    pub async fn invitation(&self, token: &str) -> Result<InvitationView> {
        let mut conn = self.store.conn().await?;
        let invitation = auth::open_invitation(&mut conn, &hash_token(token), now_ms())
            .await?
            .ok_or_else(|| AppError::Gone("this invitation is invalid, expired or already used".into()))?;
        let organisation = organisations::get(&mut conn, invitation.organisation_id)
            .await?
            .ok_or(AppError::NotFound("organisation"))?;
        Ok(InvitationView {
            email: invitation.email,
            organisation: organisation.fields.legal_name,
            role: invitation.role,
        })
    }

    /// Creates the account an invitation offers and signs the new person in.
    pub async fn accept_invitation(&self, token: &str, form: &SignUp) -> Result<SessionToken> {
        let mut errors = Vec::new();
        let first_name = collect(
            &mut errors,
            "first_name",
            text::required("first_name", &form.first_name, 100),
        );
        let last_name = collect(
            &mut errors,
            "last_name",
            text::required("last_name", &form.last_name, 100),
        );
        let job_title = collect(
            &mut errors,
            "job_title",
            text::optional("job_title", &form.job_title, 120),
        );
        if let Err(AppError::Invalid(mut more)) = passwords::check_rules("password", &form.password) {
            errors.append(&mut more);
        }
        let locale = parse_locale(&form.locale).unwrap_or("fr");
        let (Some(first_name), Some(last_name), Some(job_title), true) =
            (first_name, last_name, job_title, errors.is_empty())
        else {
            return Err(AppError::Invalid(errors));
        };
        let hash = passwords::hash(form.password.clone()).await?;
        let mut tx = self.store.begin().await?;
        let invitation = auth::open_invitation(&mut tx, &hash_token(token), now_ms())
            .await?
            .ok_or_else(|| AppError::Gone("this invitation is invalid, expired or already used".into()))?;
        if !auth::accept_invitation(&mut tx, invitation.id, now_ms()).await? {
            return Err(AppError::Gone("this invitation was just used".into()));
        }
        let person_id = people::insert(
            &mut tx,
            &NewPerson {
                organisation_id: invitation.organisation_id,
                email: invitation.email.clone(),
                first_name,
                last_name,
                job_title,
                locale: locale.to_owned(),
                password_hash: Some(hash),
            },
        )
        .await
        .map_err(|e| match e {
            store::StoreError::Duplicate(_) => {
                AppError::Conflict(format!("{} already has an account", invitation.email))
            }
            other => other.into(),
        })?;
        let role = Role::parse(&invitation.role).map_err(|e| AppError::Internal(e.to_string()))?;
        let (scope_kind, scope_id) = scope_of(role, invitation.organisation_id, invitation.cluster_id);
        people::grant(&mut tx, person_id, role.as_str(), scope_kind, scope_id).await?;
        if role != Role::Member && !role.is_cluster_scoped() {
            // Everyone in an organisation is at least a member of it.
            people::grant(
                &mut tx,
                person_id,
                Role::Member.as_str(),
                "organisation",
                invitation.organisation_id,
            )
            .await?;
        }
        Entry::bare(Some(person_id), "accept_invitation", "person", person_id)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(store::StoreError::from)?;
        self.open_session(person_id).await
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct InvitationView {
    pub email: String,
    pub organisation: String,
    pub role: String,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SignUp {
    pub first_name: String,
    pub last_name: String,
    #[serde(default)]
    pub job_title: String,
    pub password: String,
    #[serde(default)]
    pub locale: String,
}

/// Keeps the value when valid, otherwise records the error under `field`.
pub(crate) fn collect<T, E: ToString>(
    errors: &mut Vec<crate::FieldError>,
    field: &str,
    result: std::result::Result<T, E>,
) -> Option<T> {
    result
        .map_err(|e| errors.push(crate::FieldError::new(field, e)))
        .ok()
}
