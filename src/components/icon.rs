//! Line icons drawn inline (no icon font, no extra request), hidden from assistive technology
//! because every icon sits beside a visible label.

use leptos::prelude::*;

/// The icons the app uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IconName {
    News,
    Agenda,
    Map,
    Report,
    MyReports,
    Settings,
    Offline,
}

impl IconName {
    /// The SVG path, on a 24×24 grid, stroked with `currentColor`.
    fn path(self) -> &'static str {
        match self {
            IconName::News => {
                "M4 5h13v14H6a2 2 0 0 1-2-2zM17 9h3v8a2 2 0 0 1-2 2M7 9h7M7 13h7M7 16h4"
            }
            IconName::Agenda => "M4 6h16v14H4zM4 10h16M8 3v5M16 3v5M8 14h2M13 14h2M8 17h2",
            IconName::Map => {
                "M12 21s-7-6.1-7-11a7 7 0 0 1 14 0c0 4.9-7 11-7 11zM14.5 10a2.5 2.5 0 1 1-5 0 2.5 2.5 0 0 1 5 0z"
            }
            IconName::Report => "M12 3 2 20h20zM12 10v4M12 17v.5",
            IconName::MyReports => "M9 3h6v3H9zM9 4.5H5V21h14V4.5h-4M8 11h8M8 15h8M8 18h5",
            IconName::Settings => "M4 7h9M17 7h3M4 17h3M11 17h9M15 5v4M9 15v4",
            IconName::Offline => {
                "M2 8.5a15 15 0 0 1 20 0M5 12a10 10 0 0 1 14 0M8.5 15.5a5 5 0 0 1 7 0M12 19v.5M3 3l18 18"
            }
        }
    }
}

/// An icon; decorative, so always paired with text.
#[component]
pub fn Icon(name: IconName) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=name.path()></path>
        </svg>
    }
}
