//! End-to-end tests of the web layer, compiled as one test binary (faster to build): each module
//! tells one part of the story through real HTTP against a server on a random port.

mod api_client;
mod committee_fixture;
mod helpers;
mod multipart;

mod browser;
mod browser_consortia;
mod browser_export;
mod browser_pooling;
mod buyer_tools;
mod committee_api;
mod committee_call_pages;
mod committee_evaluation;
mod committee_evaluation_pages;
mod committee_guards;
mod committee_open_data;
mod committee_pages;
mod committee_policies;
mod consortia;
mod directory_api;
mod directory_pages;
mod export;
mod json_api;
mod meetings;
mod meetings_more;
mod pages;
mod policy_matrix;
mod pooling;
mod portfolio;
mod supplier_listing;
