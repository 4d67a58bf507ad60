//! Screen: reporting a street incident (`/signaler`, and `/signaler?modifier={key}` to edit a
//! report the server refused). A category from a searchable grid, up to three photos (taken or
//! picked, prepared by the photo worker), the place (the device's position with its accuracy,
//! else the first photo's EXIF GPS, else a tap on a small map), a description and an optional
//! email. Submitting writes the report to the outbox at once and opens « Mes signalements »;
//! the outbox sends it when it can (see `sync::reports`).
//!
//! Why the form is drawn once as HTML, its changing parts rewritten by a few effects and its
//! events handled by four listeners on the `<form>`: a `view!` of this size cost about 37 KB
//! of the first visit's 250 KB (one rendering routine per element type), against a few here.

use leptos::prelude::*;
use leptos::task::spawn_local;
use parvis_core::reports::{MAX_PHOTOS, NearbyReport, NewReport};
use parvis_core::text::{fold, matches_all_words};
use parvis_core::{Bounds, LatLon, Locale};
use wasm_bindgen::JsCast;

use crate::components::PageHeader;
use crate::components::html::{escape, push_text};
use crate::components::report_icon;
use crate::i18n::{ReportText as R, Text, use_i18n};
use crate::identity::use_identity;
use crate::platform::document::{
    by_id, focus_first, set_attribute, set_html, set_text, set_value, value_of,
};
use crate::platform::geolocation::{self, GeoError};
use crate::platform::leaflet::FacilityMap;
use crate::platform::{network, photo, uuid};
use crate::router::use_location;
use crate::state::reports::{Reports, use_reports};
use crate::store;
use crate::store::reports::{Delivery, LocalReport};

/// A photo ready to queue, with the address of its preview.
#[derive(Debug, Clone)]
struct Photo {
    jpeg: web_sys::Blob,
    preview: String,
}

/// Where the position came from (shown beside it).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Source {
    Device { accuracy_m: f64 },
    Photo,
    Map,
}

fn release(photo: &Photo) {
    let _ = web_sys::Url::revoke_object_url(&photo.preview);
}

/// The form's fields, and the ids of their error messages.
const FIELDS: [&str; 6] = [
    "category",
    "photo",
    "position",
    "address",
    "description",
    "email",
];

/// Screen: the report form.
#[component]
pub fn ReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let identity = use_identity();
    let reports = use_reports();
    let location = use_location();
    let editing = location.query("modifier");
    let is_edit = editing.is_some();
    let edited = StoredValue::new(editing.clone());
    let locale = i18n.locale_untracked();

    let category = RwSignal::new(String::new());
    let query = RwSignal::new(String::new());
    let photos = RwSignal::new(Vec::<Photo>::new());
    let preparing = RwSignal::new(0u32);
    let photo_note = RwSignal::new(None::<R>);
    let position = RwSignal::new(None::<(LatLon, Source)>);
    let locating = RwSignal::new(false);
    let locate_note = RwSignal::new(None::<Text>);
    let show_map = RwSignal::new(false);
    let map_failed = RwSignal::new(false);
    // Per field, the message to show (after a submit).
    let errors = RwSignal::new(Vec::<(&'static str, R)>::new());
    let nearby = RwSignal::new(Vec::<NearbyReport>::new());
    let support_note = RwSignal::new(None::<R>);
    let busy = RwSignal::new(false);
    let save_failed = RwSignal::new(false);

    on_cleanup(move || photos.with_untracked(|all| all.iter().for_each(release)));

    // Editing a refused report: its fields and photos, from the device.
    if let Some(key) = editing {
        spawn_local(async move {
            let Ok(all) = store::reports::all().await else {
                return;
            };
            let Some(old) = all.into_iter().find(|r| r.key == key) else {
                return;
            };
            let report = old.report;
            category.set(report.category);
            // The grid draws the checked category from this; redraw it.
            query.set(String::new());
            set_value("signalement-description", &report.description);
            set_value("signalement-adresse", &report.address.unwrap_or_default());
            set_value("signalement-email", &report.email.unwrap_or_default());
            let source = match old.accuracy_m {
                Some(accuracy_m) => Source::Device { accuracy_m },
                None => Source::Map,
            };
            position.set(Some((report.position, source)));
            if let Ok(blobs) = store::reports::photos(&key).await {
                let restored = blobs
                    .into_iter()
                    .filter_map(|jpeg| {
                        let preview = web_sys::Url::create_object_url_with_blob(&jpeg).ok()?;
                        Some(Photo { jpeg, preview })
                    })
                    .collect();
                photos.set(restored);
            }
        });
    }

    // The parts that change. The grid does not track the chosen category: redrawing it would
    // take the keyboard focus away from the radio button just chosen.
    Effect::new(move || {
        let html = reports
            .categories
            .with(|all| categories_html(all, &query.get(), &category.get_untracked(), locale));
        set_html("categories", &html);
    });
    Effect::new(move || photos.with(|all| set_html("photos", &photos_html(all, locale))));
    Effect::new(move || {
        let mut status = String::new();
        if preparing.get() > 0 {
            status.push_str(R::Preparing.get(locale));
        }
        if let Some(note) = photo_note.get() {
            status.push_str(note.get(locale));
        }
        set_text("photo-status", &status);
    });
    Effect::new(move || {
        let text = match (locate_note.get(), position.get()) {
            (Some(note), _) => note.get(locale).to_owned(),
            (None, Some((place, source))) => place_text(place, source, locale),
            (None, None) => String::new(),
        };
        set_text("report-place", &text);
        let label = if locating.get() {
            Text::Locating.get(locale)
        } else {
            R::UseMyPosition.get(locale)
        };
        set_text("localiser", label);
        set_attribute("localiser", "disabled", locating.get().then_some(""));
    });
    Effect::new(move || {
        let shown = show_map.get();
        set_attribute("carte-signalement", "hidden", (!shown).then_some(""));
        set_attribute(
            "choisir-carte",
            "aria-expanded",
            Some(if shown { "true" } else { "false" }),
        );
        let hint = if map_failed.get() {
            R::MapUnavailable
        } else {
            R::MapHint
        };
        set_text("carte-aide", hint.get(locale));
    });
    Effect::new(move || {
        errors.with(|all| {
            for field in FIELDS {
                let message = all
                    .iter()
                    .find(|(f, _)| *f == field)
                    .map(|(_, t)| t.get(locale));
                set_text(&format!("erreur-{field}"), message.unwrap_or(""));
            }
            set_attribute("signalement-alerte", "hidden", all.is_empty().then_some(""));
        });
    });
    Effect::new(move || {
        nearby.with(|found| {
            set_html("deja-signale-liste", &nearby_html(found, reports, locale));
            set_attribute("deja-signale", "hidden", found.is_empty().then_some(""));
        });
        set_text(
            "deja-signale-note",
            support_note.get().map_or("", |t| t.get(locale)),
        );
    });
    Effect::new(move || {
        set_attribute(
            "envoyer",
            "disabled",
            (busy.get() || preparing.get() > 0).then_some(""),
        );
        let failed = save_failed
            .get()
            .then(|| Text::StorageUnavailable.get(locale));
        set_text("signalement-stockage", failed.unwrap_or(""));
    });

    // Open reports of the same kind nearby, when online: « Moi aussi » instead of a duplicate.
    Effect::new(move || {
        let code = category.get();
        let place = position.get().map(|(p, _)| p);
        nearby.set(Vec::new());
        let Some(place) = place.filter(|_| !code.is_empty() && network::is_online()) else {
            return;
        };
        spawn_local(async move {
            if let Ok(found) = crate::api::nearby_reports(&code, place).await
                && category.get_untracked() == code
            {
                nearby.set(found);
            }
        });
    });

    // The small map, made the first time it is shown: a tap sets the place.
    let map: StoredValue<Option<FacilityMap>, LocalStorage> = StoredValue::new_local(None);
    Effect::new(move || {
        let (true, Some(commune)) = (show_map.get(), identity.commune()) else {
            return;
        };
        let Some(element) = by_id("carte-signalement-fond") else {
            return;
        };
        if map.with_value(Option::is_some) {
            return;
        }
        spawn_local(async move {
            let made = FacilityMap::load_for(element.unchecked_ref(), &commune).await;
            match made {
                // Shown, hidden and shown again while Leaflet loaded: one map is enough.
                Ok(extra) if map.with_value(Option::is_some) => extra.remove(),
                Ok(made) => {
                    let shown = made.clone();
                    made.on_tap(move |place| {
                        shown.show_position(place);
                        locate_note.set(None);
                        position.set(Some((place, Source::Map)));
                    });
                    if let Some((place, _)) = position.get_untracked() {
                        made.show_position(place);
                    }
                    map.set_value(Some(made));
                }
                // A second, late attempt on a container that already holds the map fails.
                Err(_) if map.with_value(Option::is_some) => {}
                Err(_) => map_failed.set(true),
            }
        });
    });
    on_cleanup(move || {
        if let Some(made) = map.try_get_value().flatten() {
            made.remove();
        }
    });

    let on_input = move |ev: leptos::ev::Event| {
        if let Some(target) = target_element(&ev)
            && target.id() == "categorie-recherche"
        {
            query.set(value_of("categorie-recherche"));
        }
    };

    let on_change = move |ev: leptos::ev::Event| {
        let Some(target) = target_element(&ev) else {
            return;
        };
        if target.get_attribute("name").as_deref() == Some("categorie") {
            category.set(target.get_attribute("value").unwrap_or_default());
        } else if let Ok(input) = target.dyn_into::<web_sys::HtmlInputElement>()
            && input.type_() == "file"
        {
            add_photos(&input, photos, preparing, photo_note, position);
        }
    };

    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(button) = target_element(&ev).and_then(|e| e.closest("button").ok().flatten())
        else {
            return;
        };
        if button.id() == "localiser" {
            locating.set(true);
            locate_note.set(None);
            spawn_local(async move {
                match geolocation::locate_precise().await {
                    Ok((place, accuracy_m)) => {
                        position.set(Some((place, Source::Device { accuracy_m })));
                    }
                    Err(GeoError::Denied) => locate_note.set(Some(Text::LocationDenied)),
                    Err(_) => locate_note.set(Some(Text::LocationUnavailable)),
                }
                locating.set(false);
            });
        } else if button.id() == "choisir-carte" {
            show_map.update(|s| *s = !*s);
        } else if let Some(i) = button
            .get_attribute("data-retirer")
            .and_then(|i| i.parse::<usize>().ok())
        {
            photos.update(|all| {
                if i < all.len() {
                    release(&all.remove(i));
                }
            });
            photo_note.set(None);
            focus_first("#photo-galerie");
        } else if let Some(id) = button
            .get_attribute("data-moi-aussi")
            .and_then(|i| i.parse::<i64>().ok())
            && let Some(found) =
                nearby.with_untracked(|all| all.iter().find(|r| r.id == id).cloned())
        {
            spawn_local(async move {
                match support(found, reports).await {
                    Ok(()) => location.navigate("/mes-signalements", false),
                    Err(()) => support_note.set(Some(R::MeTooFailed)),
                }
            });
        }
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let bounds = identity
            .commune_untracked()
            .map_or(Bounds::WORLD, |c| c.bounds);
        let place = position.get_untracked();
        let draft = NewReport {
            category: category.get_untracked(),
            description: value_of("signalement-description"),
            // No place yet reads as an invalid one, said as a missing place.
            position: place.map_or(
                LatLon {
                    lat: f64::NAN,
                    lon: f64::NAN,
                },
                |(p, _)| p,
            ),
            address: Some(value_of("signalement-adresse")),
            email: Some(value_of("signalement-email")),
            device_id: None,
        };
        let count = photos.with_untracked(Vec::len);
        let checked = reports.categories.with_untracked(|all| {
            draft.validate(count, bounds, |c| {
                all.is_empty() || all.iter().any(|k| k.service_code == c)
            })
        });
        let clean = match checked {
            Ok(clean) => clean,
            Err(found) => {
                errors.set(
                    found
                        .iter()
                        .map(|e| field_text(&e.field, &e.message, place.is_some()))
                        .collect(),
                );
                focus_first_error();
                return;
            }
        };
        errors.set(Vec::new());
        busy.set(true);
        let report = LocalReport {
            accuracy_m: match place {
                Some((_, Source::Device { accuracy_m })) => Some(accuracy_m),
                _ => None,
            },
            photos: count as u32,
            ..LocalReport::new(uuid(), clean, Delivery::Queued)
        };
        let blobs: Vec<web_sys::Blob> =
            photos.with_untracked(|all| all.iter().map(|p| p.jpeg.clone()).collect());
        let replaced = edited.get_value();
        spawn_local(async move {
            match reports.submit(&report, &blobs).await {
                Ok(()) => {
                    // The refused version goes once its correction is safely queued.
                    if let Some(old) = replaced {
                        let _ = reports.remove(&old).await;
                    }
                    location.navigate("/mes-signalements", false);
                }
                Err(_) => {
                    save_failed.set(true);
                    busy.set(false);
                }
            }
        });
    };

    let title = if is_edit {
        R::Edit.get(locale)
    } else {
        Text::ReportTitle.get(locale)
    };
    view! {
        <PageHeader title=title.to_owned() commune=identity.name_signal()/>
        <p class="fine-print">{R::Intro.get(locale)}" "{R::Anonymous.get(locale)}</p>
        <form
            class="report-form"
            novalidate
            on:submit=on_submit
            on:input=on_input
            on:change=on_change
            on:click=on_click
            inner_html=form_html(locale, is_edit)
        ></form>
    }
}

fn target_element(ev: &web_sys::Event) -> Option<web_sys::Element> {
    ev.target()?.dyn_into::<web_sys::Element>().ok()
}

/// Prepares the photos just picked (three at most in all); the first carrying GPS gives the
/// place when none is known yet.
fn add_photos(
    input: &web_sys::HtmlInputElement,
    photos: RwSignal<Vec<Photo>>,
    preparing: RwSignal<u32>,
    note: RwSignal<Option<R>>,
    position: RwSignal<Option<(LatLon, Source)>>,
) {
    let files: Vec<web_sys::File> = input
        .files()
        .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
        .unwrap_or_default();
    // Picking the same file again must fire `change` again.
    input.set_value("");
    note.set(None);
    for file in files {
        let taken = photos.with_untracked(Vec::len) + preparing.get_untracked() as usize;
        if taken >= MAX_PHOTOS {
            note.set(Some(R::PhotoLimit));
            break;
        }
        preparing.update(|n| *n += 1);
        spawn_local(async move {
            match photo::prepare(&file).await {
                Ok(done) => {
                    if let Ok(preview) = web_sys::Url::create_object_url_with_blob(&done.jpeg) {
                        photos.update(|all| {
                            all.push(Photo {
                                jpeg: done.jpeg,
                                preview,
                            })
                        });
                    }
                    if let Some(place) = done.gps
                        && position.get_untracked().is_none()
                    {
                        position.set(Some((place, Source::Photo)));
                    }
                }
                Err(_) => note.set(Some(R::PhotoUnreadable)),
            }
            preparing.update(|n| *n -= 1);
        });
    }
}

/// The form as it is drawn once: its fields, labels, hints and the empty places the effects
/// fill (ids in French, like the app's other anchors).
fn form_html(locale: Locale, is_edit: bool) -> String {
    let t = |text: R| escape(text.get(locale));
    let error = |field: &str| format!("<p id=\"erreur-{field}\" class=\"field__error\"></p>");
    let photo_input = |id: &str, label: R, capture: &str| {
        format!(
            "<label class=\"button button--secondary file-button\">{}<input id=\"{id}\" class=\"visually-hidden\" type=\"file\" accept=\"image/jpeg,image/png,image/webp\"{capture}></label>",
            t(label)
        )
    };
    [
        format!(
            "<p id=\"signalement-alerte\" class=\"notice notice--error\" role=\"alert\" hidden>{}</p>",
            t(R::FixFields)
        ),
        format!(
            "<fieldset class=\"report-step\" aria-describedby=\"erreur-category\"><legend>{}</legend>\
             <div class=\"field\"><label for=\"categorie-recherche\">{}</label>\
             <input id=\"categorie-recherche\" type=\"search\" autocomplete=\"off\"></div>\
             <div id=\"categories\" class=\"category-grid\"></div>{}</fieldset>",
            t(R::What),
            t(R::SearchCategory),
            error("category")
        ),
        format!(
            "<fieldset class=\"report-step\"><legend>{}</legend><div class=\"actions\">{}{}</div>\
             <ul id=\"photos\" class=\"photo-previews\"></ul>\
             <p id=\"photo-status\" class=\"fine-print\" role=\"status\"></p>{}</fieldset>",
            t(R::Photos),
            photo_input("photo-camera", R::TakePhoto, " capture=\"environment\""),
            photo_input("photo-galerie", R::PickPhoto, " multiple"),
            error("photo")
        ),
        format!(
            "<fieldset class=\"report-step\" aria-describedby=\"erreur-position\"><legend>{}</legend>\
             <div class=\"actions\"><button id=\"localiser\" type=\"button\" class=\"button button--secondary\">{}</button>\
             <button id=\"choisir-carte\" type=\"button\" class=\"button button--secondary\" aria-expanded=\"false\" aria-controls=\"carte-signalement\">{}</button></div>\
             <p id=\"report-place\" class=\"report-place\" role=\"status\"></p>\
             <div id=\"carte-signalement\" hidden><p id=\"carte-aide\" class=\"fine-print\"></p><div id=\"carte-signalement-fond\" class=\"report-map\"></div></div>{}\
             <div class=\"field\"><label for=\"signalement-adresse\">{}</label>\
             <input id=\"signalement-adresse\" type=\"text\" autocomplete=\"street-address\" maxlength=\"300\" aria-describedby=\"erreur-address\">{}</div></fieldset>",
            t(R::Where),
            t(R::UseMyPosition),
            t(R::ChooseOnMap),
            error("position"),
            t(R::Address),
            error("address")
        ),
        format!(
            "<section id=\"deja-signale\" class=\"card nearby\" aria-labelledby=\"deja-signale-titre\" hidden>\
             <h2 id=\"deja-signale-titre\">{}</h2><p class=\"fine-print\">{}</p>\
             <ul id=\"deja-signale-liste\" class=\"nearby__list\"></ul><p id=\"deja-signale-note\" role=\"status\"></p></section>",
            t(R::NearbyTitle),
            t(R::NearbyHint)
        ),
        format!(
            "<fieldset class=\"report-step\"><legend>{}</legend>\
             <div class=\"field\"><label for=\"signalement-description\">{}</label>\
             <textarea id=\"signalement-description\" rows=\"4\" maxlength=\"2000\" aria-describedby=\"description-aide erreur-description\"></textarea>\
             <p id=\"description-aide\" class=\"field__hint\">{}</p>{}</div>\
             <div class=\"field\"><label for=\"signalement-email\">{}</label>\
             <input id=\"signalement-email\" type=\"email\" autocomplete=\"email\" aria-describedby=\"email-aide erreur-email\">\
             <p id=\"email-aide\" class=\"field__hint\">{}</p><p id=\"erreur-email\" class=\"field__error\"></p></div></fieldset>",
            t(R::Details),
            t(R::DescriptionLabel),
            t(R::DescriptionHint),
            error("description"),
            t(R::Email),
            t(R::EmailHint)
        ),
        format!(
            "<p id=\"signalement-stockage\" class=\"field__error\" role=\"alert\"></p>\
             <button id=\"envoyer\" type=\"submit\" class=\"button button--primary\">{}</button>",
            t(if is_edit { R::SendAgain } else { R::Send })
        ),
    ]
    .concat()
}

/// The categories matching the search, as radio buttons with their icon.
fn categories_html(
    all: &[parvis_core::reports::ReportCategory],
    query: &str,
    chosen: &str,
    locale: Locale,
) -> String {
    let mut out = String::new();
    for c in all {
        let words = format!(
            "{} {} {} {}",
            c.name,
            c.name_en,
            c.description,
            c.keywords.join(" ")
        );
        if !query.trim().is_empty() && !matches_all_words(&fold(&words), query) {
            continue;
        }
        let name = if locale == Locale::En {
            &c.name_en
        } else {
            &c.name
        };
        out.push_str(&format!(
            "<label class=\"category-choice\"><input type=\"radio\" name=\"categorie\" value=\"{}\"{}>\
             <svg class=\"icon category-choice__icon\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" focusable=\"false\"><path d=\"{}\"></path></svg>\
             <span class=\"category-choice__name\">{}</span></label>",
            escape(&c.service_code),
            if c.service_code == chosen { " checked" } else { "" },
            report_icon::path(&c.service_code),
            escape(name)
        ));
    }
    if out.is_empty() {
        let note = if all.is_empty() {
            R::CategoriesMissing
        } else {
            R::NoCategoryMatches
        };
        push_text(&mut out, "p", "fine-print", note.get(locale));
    }
    out
}

/// The previews, each with its « Retirer » button.
fn photos_html(photos: &[Photo], locale: Locale) -> String {
    photos
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(
                "<li><img src=\"{}\" alt=\"{} {n}\"><button type=\"button\" class=\"button button--secondary\" data-retirer=\"{i}\">{} {n}</button></li>",
                escape(&p.preview),
                escape(R::Photo.get(locale)),
                escape(R::RemovePhoto.get(locale)),
                n = i + 1
            )
        })
        .collect()
}

/// Open reports nearby, each with « Moi aussi ».
fn nearby_html(found: &[NearbyReport], reports: Reports, locale: Locale) -> String {
    let mut out = String::new();
    for report in found {
        out.push_str("<li class=\"nearby__item\">");
        let text = if report.description.is_empty() {
            reports.category_name(&report.category, locale)
        } else {
            report.description.clone()
        };
        push_text(&mut out, "p", "", &text);
        push_text(
            &mut out,
            "p",
            "fine-print",
            &format!(
                "{} {} · {} {}",
                report.distance_m,
                R::Metres.get(locale),
                report.supporters + 1,
                R::Supporters.get(locale)
            ),
        );
        out.push_str(&format!(
            "<button type=\"button\" class=\"button button--secondary\" data-moi-aussi=\"{}\">{}</button></li>",
            report.id,
            escape(R::MeToo.get(locale))
        ));
    }
    out
}

/// The message of a field the core's rules refused, in the resident's words.
fn field_text(field: &str, message: &str, has_place: bool) -> (&'static str, R) {
    match field {
        "category" => ("category", R::ErrorCategory),
        "description" if message.contains("photo") => ("description", R::ErrorDescription),
        "description" => ("description", R::ErrorTooLong),
        "position" if has_place => ("position", R::ErrorOutside),
        "position" => ("position", R::ErrorPosition),
        "email" => ("email", R::ErrorEmail),
        "address" => ("address", R::ErrorTooLong),
        _ => ("photo", R::PhotoLimit),
    }
}

/// Moves the focus to the field of the first message of a refused submit, so it is read out.
fn focus_first_error() {
    // After the effects wrote the messages.
    request_animation_frame(|| {
        let first = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| {
                d.query_selector(".report-form .field__error:not(:empty)")
                    .ok()
            })
            .flatten()
            .and_then(|e| e.closest("fieldset, .field").ok().flatten())
            .and_then(|e| e.query_selector("input, textarea, button").ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(first) = first {
            let _ = first.focus();
        }
    });
}

/// "Position de l'appareil (± 12 m) · 47.39363, 0.68917".
fn place_text(place: LatLon, source: Source, locale: Locale) -> String {
    let origin = match source {
        Source::Device { accuracy_m } => format!(
            "{} (± {} {})",
            R::FromDevice.get(locale),
            accuracy_m.round(),
            R::Metres.get(locale)
        ),
        Source::Photo => R::FromPhoto.get(locale).to_owned(),
        Source::Map => R::FromMap.get(locale).to_owned(),
    };
    format!("{origin} · {:.5}, {:.5}", place.lat, place.lon)
}

/// Says « Moi aussi » and follows the report on this device.
async fn support(found: NearbyReport, reports: Reports) -> Result<(), ()> {
    let device = device_id().await;
    let receipt = crate::api::support_report(found.id, &uuid(), &device)
        .await
        .map_err(|_| ())?;
    let followed = LocalReport {
        receipt: Some(parvis_core::reports::ReportReceipt {
            id: receipt.report_id,
            token: receipt.token,
            created_at: found.created_at,
        }),
        supported: true,
        ..LocalReport::new(
            format!("moi-aussi-{}", receipt.report_id),
            NewReport {
                category: found.category,
                description: found.description,
                position: found.position,
                address: found.address,
                email: None,
                device_id: None,
            },
            Delivery::Sent,
        )
    };
    store::reports::save(&followed).await.map_err(|_| ())?;
    reports.reload().await;
    reports.refresh_statuses();
    Ok(())
}

/// This installation's random id (one « Moi aussi » per device), made once.
async fn device_id() -> String {
    const KEY: &str = "device.id";
    if let Ok(Some(id)) = store::kv::get::<String>(KEY).await {
        return id;
    }
    let id = uuid();
    let _ = store::kv::put(KEY, &id).await;
    id
}
