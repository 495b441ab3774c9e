//! Shared state handed to every handler.

use crate::ops::Metrics;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub app: app::App,
    pub metrics: Arc<Metrics>,
    /// Cookies get the Secure flag when the public URL is HTTPS.
    pub secure_cookies: bool,
}

impl AppState {
    pub fn new(app: app::App) -> AppState {
        let secure_cookies = app.config.public_url.starts_with("https://");
        AppState {
            app,
            metrics: Arc::new(Metrics::new()),
            secure_cookies,
        }
    }
}
