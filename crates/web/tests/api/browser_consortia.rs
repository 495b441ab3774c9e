//! consortia (issue 6) in a real browser, with the tools of `crate::browser`.
