//! Reusable view pieces. They take props and render; they never call the network or storage.

pub mod app_header;
pub mod empty_state;
pub mod icon;
pub mod nav_bar;
pub mod offline_banner;
pub mod page_header;
pub mod update_banner;

pub use app_header::AppHeader;
pub use empty_state::EmptyState;
pub use icon::{Icon, IconName};
pub use nav_bar::NavBar;
pub use offline_banner::OfflineBanner;
pub use page_header::PageHeader;
pub use update_banner::UpdateBanner;
