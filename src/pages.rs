//! One module per screen. Pages own their data (from `store`, filled by `sync`) and compose
//! components.

pub mod agenda_page;
pub mod article_page;
pub mod event_page;
pub mod facility_filters;
pub mod facility_list_page;
pub mod facility_page;
pub mod map_page;
pub mod my_reports_page;
pub mod news_page;
pub mod not_found_page;
pub mod report_page;
pub mod settings_page;

pub use agenda_page::AgendaPage;
pub use article_page::ArticlePage;
pub use event_page::EventPage;
pub use facility_list_page::FacilityListPage;
pub use facility_page::FacilityPage;
pub use map_page::MapPage;
pub use my_reports_page::MyReportsPage;
pub use news_page::NewsPage;
pub use not_found_page::NotFoundPage;
pub use report_page::ReportPage;
pub use settings_page::SettingsPage;
