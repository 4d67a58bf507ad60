//! parvis-core: the wire types and domain rules shared by the Parvis app (wasm32) and server.
//!
//! No I/O here and no server dependency: everything must build for `wasm32-unknown-unknown`
//! and stay small, because it ships inside the app's first-visit bundle.

pub mod agenda;
pub mod color;
pub mod commune;
pub mod facilities;
pub mod geo;
pub mod health;
pub mod hours;
pub mod locale;
pub mod news;
pub mod problem;
pub mod push;
pub mod reports;
pub mod text;

pub use agenda::{Audience, Event, EventCategory, EventPage};
pub use color::{Color, ColorError};
pub use commune::{Commune, CommuneColors};
pub use facilities::{Closure, Facility, FacilityCategory, FacilityPage, Wheelchair};
pub use geo::{Bounds, LatLon};
pub use health::Health;
pub use hours::{
    DaySchedule, ExceptionalClosure, HolidayRules, HoursError, OpeningStatus, ParsedHours,
    SchoolZone, Status,
};
pub use locale::Locale;
pub use news::{Article, ArticlePage, Theme};
pub use problem::Problem;
pub use reports::{
    NearbyReport, NewReport, NewStatusChange, NewSupport, Report, ReportCategory, ReportPhoto,
    ReportReceipt, ReportStatus, ReportStatuses, ReportTracker, StatusChange, SupportReceipt,
};

/// Version prefix of every JSON endpoint.
pub const API_PREFIX: &str = "/api/v1";
