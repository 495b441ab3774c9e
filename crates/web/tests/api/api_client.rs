//! A program calling the JSON API, as the API tests write it: with a person's bearer token or as
//! a visitor, and the two checks every test makes of an answer (its status and JSON, the fields an
//! error names).

use crate::helpers::TestApp;
use reqwest::header::{CONTENT_TYPE, LOCATION};
use reqwest::{Method, RequestBuilder, Response};
use serde_json::Value;

pub struct Caller<'a> {
    pub app: &'a TestApp,
    token: Option<String>,
}

impl<'a> Caller<'a> {
    pub fn visitor(app: &'a TestApp) -> Caller<'a> {
        Caller { app, token: None }
    }

    pub async fn person(app: &'a TestApp, email: &str) -> Caller<'a> {
        Caller {
            app,
            token: Some(app.token_for(email).await),
        }
    }

    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let request = crate::helpers::client().request(method, self.app.url(path));
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path).send().await.unwrap()
    }

    pub async fn send(&self, method: Method, path: &str, body: &Value) -> Response {
        self.request(method, path).json(body).send().await.unwrap()
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.send(Method::POST, path, body).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Response {
        self.send(Method::PUT, path, body).await
    }

    pub async fn delete(&self, path: &str) -> Response {
        self.request(Method::DELETE, path).send().await.unwrap()
    }
}

/// The answer's JSON, after checking its status (the message names the URL and shows the body).
pub async fn json_of(response: Response, status: u16) -> Value {
    let url = response.url().to_string();
    let got = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "{url}: {body}");
    body
}

/// A refusal, after checking its status and that it is a problem document that explains itself
/// (an `application/problem+json` body with a `detail`).
pub async fn problem(response: Response, status: u16) -> Value {
    let url = response.url().to_string();
    assert_eq!(response.status(), status, "{url}");
    assert_eq!(
        response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()),
        Some("application/problem+json"),
        "{url}"
    );
    let body: Value = response.json().await.unwrap();
    assert!(body["detail"].as_str().is_some_and(|d| !d.is_empty()), "{body}");
    body
}

/// The fields a problem+json answer names in its `errors`.
pub fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["field"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The answer's text (a page, usually), after checking its status (the message names the URL and
/// shows the body).
pub async fn body_of(response: Response, status: u16) -> String {
    let got = response.status().as_u16();
    let url = response.url().to_string();
    let body = response.text().await.unwrap();
    assert_eq!(got, status, "{url}: {body}");
    body
}

/// Where a redirect sends the client: its `Location` header, empty when there is none.
pub fn location(response: &Response) -> String {
    response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}
