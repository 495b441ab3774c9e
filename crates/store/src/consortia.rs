//! Storage of partner pools: opportunities with their requirements, consortia, their members, invitations, messages and documents.
