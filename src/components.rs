//! Reusable view pieces. They take props and render; they never call the network or storage.

pub mod app_header;
pub mod article_card;
pub mod empty_state;
pub mod event_card;
pub mod facility_status;
pub mod freshness_note;
pub mod html;
pub mod icon;
pub mod nav_bar;
pub mod offline_banner;
pub mod page_header;
pub mod report_icon;
pub mod theme_chip;
pub mod theme_picker;
pub mod update_banner;

pub use app_header::AppHeader;
pub use article_card::ArticleCard;
pub use empty_state::EmptyState;
pub use event_card::EventCard;
pub use freshness_note::FreshnessNote;
pub use icon::{Icon, IconName};
pub use nav_bar::NavBar;
pub use offline_banner::OfflineBanner;
pub use page_header::PageHeader;
pub use theme_chip::ThemeChip;
pub use theme_picker::{ThemeChoice, ThemePicker};
pub use update_banner::UpdateBanner;
