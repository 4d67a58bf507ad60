//! A list of themes with a checkbox each, inside a fieldset with its legend.

use leptos::prelude::*;

/// One choice of the picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeChoice {
    pub slug: String,
    pub name: String,
    pub checked: bool,
}

/// Checkboxes for themes; `on_toggle(slug, checked)` on each change.
#[component]
pub fn ThemePicker(
    #[prop(into)] legend: Signal<&'static str>,
    #[prop(into)] choices: Signal<Vec<ThemeChoice>>,
    on_toggle: Callback<(String, bool)>,
    /// Prefix of the checkboxes' ids, unique per page.
    id_prefix: &'static str,
) -> impl IntoView {
    view! {
        <fieldset class="theme-picker">
            <legend>{move || legend.get()}</legend>
            <ul class="theme-picker__list">
                {move || {
                    choices
                        .get()
                        .into_iter()
                        .map(|choice| {
                            let id = format!("{id_prefix}-{}", choice.slug);
                            let slug = choice.slug.clone();
                            view! {
                                <li>
                                    <input
                                        type="checkbox"
                                        id=id.clone()
                                        prop:checked=choice.checked
                                        on:change=move |ev| on_toggle.run((slug.clone(), event_target_checked(&ev)))
                                    />
                                    <label for=id>{choice.name}</label>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </fieldset>
    }
}
