//! Storage of pooled purchasing: pools, their invited suppliers, commitments, sealed offers and awards.
