//! The SME capability directory: profiles and brochures, the search index that follows them, and
//! searching it.

pub mod index;
pub mod profiles;
pub mod search;

pub use index::Directory;
pub use profiles::{BrochureUpload, ProfilePage, audience_of};
pub use search::DirectoryQuery;
