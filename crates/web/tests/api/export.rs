//! export (issue 6) over HTTP: the API and the pages, bad input and access.

/// Every API route of the area, with its methods, as the OpenAPI document must list them (checked
/// by `json_api`); path parameters other than `{id}` and `{cluster_id}` are filled with an unknown id.
pub const SERVED: &[(&str, &[&str])] = &[];
