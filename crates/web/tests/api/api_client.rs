//! A program calling the JSON API, as the API tests write it: with a person's bearer token or as
//! a visitor, and the two checks every test makes of an answer (its status and JSON, the fields an
//! error names).

use crate::helpers::TestApp;
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
}

/// The answer's JSON, after checking its status (the message names the URL and shows the body).
pub async fn json_of(response: Response, status: u16) -> Value {
    let url = response.url().to_string();
    let got = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "{url}: {body}");
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
