//! Storage of export support: premises abroad, stay requests, shared VIE posts and applications.
