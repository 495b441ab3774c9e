//! Storage stories of export, on both backends (`on_both_backends!` comes from the suite's root).

#[allow(unused_imports)]
use super::*;
