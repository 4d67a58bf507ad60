//! Screen: the resident's reports (`/mes-signalements`): the queued ones (« En attente
//! d'envoi »), the refused ones with the server's message (edit and send again, or delete),
//! and the sent ones with the town hall's latest status and its history, refreshed when
//! online. Drawn as escaped HTML (see `components::html`); its buttons are handled by one
//! listener on the list.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parvis_core::Locale;
use parvis_core::reports::{Report, ReportStatus, StatusChange};
use wasm_bindgen::JsCast;

use crate::components::html::{escape, push_text};
use crate::components::{EmptyState, IconName, PageHeader};
use crate::i18n::{ReportText as R, Text, use_i18n};
use crate::identity::use_identity;
use crate::platform::format;
use crate::state::reports::{Reports, use_reports};
use crate::store::reports::{Delivery, LocalReport};

/// Screen: the resident's reports and their status.
#[component]
pub fn MyReportsPage() -> impl IntoView {
    let i18n = use_i18n();
    let identity = use_identity();
    let reports = use_reports();
    reports.refresh_statuses();
    reports.flush();

    // The list's buttons: `data-action` and the report's `data-key`.
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(button) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("button[data-action]").ok().flatten())
        else {
            return;
        };
        let (Some(action), Some(key)) = (
            button.get_attribute("data-action"),
            button.get_attribute("data-key"),
        ) else {
            return;
        };
        match action.as_str() {
            "retry" => retry_now(reports, key),
            "delete" => {
                let confirmed = web_sys::window()
                    .and_then(|w| w.confirm_with_message(i18n.rt(R::Delete)).ok())
                    .unwrap_or(false);
                if confirmed {
                    spawn_local(async move {
                        let _ = reports.remove(&key).await;
                    });
                }
            }
            _ => {}
        }
    };

    view! {
        <PageHeader title=i18n.tr(Text::MyReportsTitle).to_owned() commune=identity.name_signal()/>
        <div class="toolbar">
            <a class="button button--primary" href="/signaler">{i18n.rt(R::NewReport)}</a>
        </div>
        <p class="field__error" role="alert">{move || reports.storage_failed.get().then(|| i18n.tr(Text::StorageUnavailable))}</p>
        {move || {
            (reports.loaded.get() && reports.list.with(Vec::is_empty)).then(|| view! {
                <EmptyState icon=IconName::MyReports title=i18n.tr(Text::MyReportsTitle) message=i18n.tr(Text::MyReportsEmpty)/>
            })
        }}
        <div class="my-reports" on:click=on_click inner_html=move || list_html(reports, i18n.locale())></div>
    }
}

/// Sends a queued report now, whatever its back-off.
fn retry_now(reports: Reports, key: String) {
    spawn_local(async move {
        if let Some(mut report) = reports
            .list
            .with_untracked(|l| l.iter().find(|r| r.key == key).cloned())
        {
            report.next_try_ms = 0.0;
            if crate::store::reports::save(&report).await.is_ok() {
                reports.flush();
            }
        }
    });
}

fn status_text(status: ReportStatus) -> R {
    match status {
        ReportStatus::Submitted => R::Submitted,
        ReportStatus::Acknowledged => R::Acknowledged,
        ReportStatus::Scheduled => R::Scheduled,
        ReportStatus::InProgress => R::InProgress,
        ReportStatus::Resolved => R::Resolved,
        ReportStatus::Rejected => R::Rejected,
        ReportStatus::Duplicate => R::Duplicate,
    }
}

/// "Intervention programmée, prévue le 4 mai 2026" and the like.
fn change_text(change: &StatusChange, locale: Locale) -> String {
    let mut text = status_text(change.status).get(locale).to_owned();
    if let Some(day) = &change.scheduled_for {
        text.push_str(&format!(
            " {} {}",
            R::ScheduledFor.get(locale),
            format::date(day, locale)
        ));
    }
    if let Some(original) = change.duplicate_of {
        text.push_str(&format!(" · {}{original}", R::DuplicateOf.get(locale)));
    }
    text
}

fn button(out: &mut String, action: &str, key: &str, label: &str) {
    out.push_str(&format!(
        "<button type=\"button\" class=\"button button--secondary\" data-action=\"{action}\" data-key=\"{}\">{}</button>",
        escape(key),
        escape(label)
    ));
}

/// The reports, newest first, as escaped HTML.
fn list_html(reports: Reports, locale: Locale) -> String {
    let t = |text: R| text.get(locale);
    reports.list.with(|list| {
        let mut out = String::from("<ul class=\"report-list\">");
        for report in list {
            out.push_str("<li class=\"report-card\">");
            push_text(
                &mut out,
                "h2",
                "report-card__title",
                &reports.category_name(&report.report.category, locale),
            );
            push_text(&mut out, "p", "report-card__meta", &meta(report, locale));
            if !report.report.description.is_empty() {
                push_text(&mut out, "p", "report-card__text", &report.report.description);
            }
            match report.delivery {
                Delivery::Queued => {
                    push_text(&mut out, "p", "report-status report-status--queued", t(R::Queued));
                    push_text(&mut out, "p", "fine-print", t(R::QueuedHint));
                    out.push_str("<div class=\"actions\">");
                    button(&mut out, "retry", &report.key, t(R::RetryNow));
                    button(&mut out, "delete", &report.key, t(R::Delete));
                    out.push_str("</div>");
                }
                Delivery::Failed => {
                    push_text(&mut out, "p", "report-status report-status--failed", t(R::Failed));
                    if let Some(error) = &report.error {
                        push_text(&mut out, "p", "report-card__error", error);
                    }
                    push_text(&mut out, "p", "fine-print", t(R::FailedHint));
                    out.push_str(&format!(
                        "<div class=\"actions\"><a class=\"button button--primary\" href=\"/signaler?modifier={}\">{}</a>",
                        escape(&String::from(js_sys::encode_uri_component(&report.key))),
                        escape(t(R::Edit))
                    ));
                    button(&mut out, "delete", &report.key, t(R::Delete));
                    out.push_str("</div>");
                }
                Delivery::Sent => sent_html(&mut out, report, report.latest.as_ref(), locale),
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>");
        out
    })
}

/// "12 novembre 2026 · Signalement n°42 · 2 photo(s)".
fn meta(report: &LocalReport, locale: Locale) -> String {
    let when = js_sys::Date::new(&report.created_at_ms.into()).to_iso_string();
    let mut parts = vec![format::date(&String::from(when), locale)];
    if let Some(receipt) = &report.receipt {
        parts.push(format!("{}{}", R::Number.get(locale), receipt.id));
    }
    if report.photos > 0 {
        parts.push(format!("{} {}", report.photos, R::PhotosCount.get(locale)));
    }
    if report.supported {
        parts.push(R::Followed.get(locale).to_owned());
    }
    parts.join(" · ")
}

/// A sent report: its latest status and note, its photos, and its history.
fn sent_html(out: &mut String, report: &LocalReport, latest: Option<&Report>, locale: Locale) {
    let Some(latest) = latest else {
        push_text(out, "p", "report-status", R::Submitted.get(locale));
        out.push_str("<div class=\"actions\">");
        button(out, "delete", &report.key, R::Delete.get(locale));
        out.push_str("</div>");
        return;
    };
    let current = latest.history.last();
    let status = current.map_or_else(
        || status_text(latest.status).get(locale).to_owned(),
        |c| change_text(c, locale),
    );
    let tone = if latest.status.is_open() {
        "open"
    } else {
        "closed"
    };
    push_text(
        out,
        "p",
        &format!("report-status report-status--{tone}"),
        &status,
    );
    if let Some(note) = &latest.status_note {
        push_text(out, "p", "report-card__note", note);
    }
    if latest.supporters > 0 {
        push_text(
            out,
            "p",
            "fine-print",
            &format!("{} {}", latest.supporters + 1, R::Supporters.get(locale)),
        );
    }
    if !latest.photos.is_empty() {
        out.push_str("<ul class=\"report-card__photos\">");
        for (i, photo) in latest.photos.iter().enumerate() {
            out.push_str(&format!(
                "<li><img src=\"{}\" alt=\"{} {}\" width=\"96\" height=\"96\" loading=\"lazy\"></li>",
                escape(&photo.thumbnail_url),
                escape(R::Photo.get(locale)),
                i + 1
            ));
        }
        out.push_str("</ul>");
    }
    if latest.history.len() > 1 {
        out.push_str("<details class=\"report-card__history\"><summary>");
        out.push_str(&escape(R::History.get(locale)));
        out.push_str("</summary><ol>");
        for change in &latest.history {
            out.push_str("<li>");
            push_text(out, "span", "", &format::date(&change.at, locale));
            out.push_str(" — ");
            out.push_str(&escape(&change_text(change, locale)));
            if let Some(note) = &change.note {
                out.push_str(" : ");
                out.push_str(&escape(note));
            }
            out.push_str("</li>");
        }
        out.push_str("</ol></details>");
    }
    out.push_str("<div class=\"actions\">");
    button(out, "delete", &report.key, R::Delete.get(locale));
    out.push_str("</div>");
}
