//! What a source says of one facility, before it is checked: the GeoJSON and SCDL readers fill a
//! [`Draft`], and [`Draft::finish`] applies the same rules to both (name and position required,
//! category or fallback, contacts cleaned, opening hours checked but kept as written).

use parvis_core::{Bounds, Closure, LatLon, ParsedHours, Wheelchair};

use super::config::FacilitiesConfig;
use crate::agenda::text;
use crate::db::facilities::NewFacility;
use crate::news::config::fold;

/// Longest name, in characters.
pub const NAME_MAX_CHARS: usize = 200;
/// Longest `opening_hours` value kept, in characters (OSM itself allows 255).
pub const HOURS_MAX_CHARS: usize = 1_000;
/// Most services kept per facility.
pub const MAX_SERVICES: usize = 30;

/// What the readers need to know.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub facilities: &'a FacilitiesConfig,
    /// The commune's box: a position outside it is imported with a remark (swapped
    /// coordinates, a neighbouring commune's facility…).
    pub bounds: Bounds,
}

/// One facility as read from a source, not yet checked.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// Where it is in the source, for the report: `entité n° 3`, `ligne 12`.
    pub place: String,
    /// The source's own identifier, shown in the report (`node/123`, an EQUIP_UID).
    pub reference: Option<String>,
    /// The stable key, when the source has an identifier (`osm:node/123`, `scdl:…`).
    pub key: Option<String>,
    pub name: Option<String>,
    /// The category slug found from the source's labels or tags.
    pub category: Option<String>,
    /// What the source said of its kind when no category matched (`amenity=bench`).
    pub category_hint: Option<String>,
    /// The position, or why there is none.
    pub position: Option<Result<LatLon, String>>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
    pub opening_hours: Option<String>,
    pub closures: Option<Vec<Closure>>,
    /// The raw wheelchair value (`yes`, `oui`, `limited`…).
    pub wheelchair: Option<String>,
    pub services: Vec<String>,
    pub photo_url: Option<String>,
    /// Remarks made while reading (an unreadable closure…).
    pub warnings: Vec<String>,
}

/// A checked facility and the remarks about it.
#[derive(Debug, Clone)]
pub struct Finished {
    pub facility: NewFacility,
    pub label: String,
    pub warnings: Vec<String>,
}

/// A facility left out, and why.
#[derive(Debug, Clone)]
pub struct Rejected {
    pub label: String,
    pub reason: String,
}

impl Draft {
    /// How the report names this facility: `entité n° 3 « Piscine » (node/123)`.
    pub fn label(&self) -> String {
        let mut label = self.place.clone();
        if let Some(name) = self
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            let short: String = name.chars().take(60).collect();
            label.push_str(&format!(" « {short} »"));
        }
        if let Some(reference) = &self.reference {
            label.push_str(&format!(" ({reference})"));
        }
        label
    }

    /// Checks and cleans the draft: a facility with remarks, or why it is left out.
    pub fn finish(self, ctx: &Context<'_>) -> Result<Finished, Rejected> {
        let label = self.label();
        let reject = |reason: String| Rejected {
            label: label.clone(),
            reason,
        };
        let name = self
            .name
            .as_deref()
            .map(|n| text::line(n, NAME_MAX_CHARS))
            .filter(|n| !n.is_empty())
            .ok_or_else(|| reject("nom absent".into()))?;
        let position = match self.position {
            None => return Err(reject("coordonnées absentes".into())),
            Some(Err(reason)) => return Err(reject(reason)),
            Some(Ok(p)) if !p.is_valid() => {
                return Err(reject(format!(
                    "coordonnées hors des limites WGS 84 (latitude {}, longitude {}) : la \
                     latitude va de -90 à 90, la longitude de -180 à 180",
                    p.lat, p.lon
                )));
            }
            Some(Ok(p)) => p,
        };
        let mut warnings = self.warnings;
        if !ctx.bounds.contains(position) {
            warnings.push(format!(
                "position hors de l’emprise de la commune (latitude {}, longitude {}) : \
                 importée quand même, vérifiez-la",
                position.lat, position.lon
            ));
        }
        let facilities = ctx.facilities;
        let category = match self.category {
            Some(slug) if facilities.has_category(&slug) => slug,
            _ => {
                let fallback = facilities.default_category.clone();
                let what = self
                    .category_hint
                    .unwrap_or_else(|| "aucune indication".to_owned());
                warnings.push(format!(
                    "catégorie inconnue ({what}) : classé dans « {} »",
                    facilities.name_fr(&fallback)
                ));
                fallback
            }
        };
        let opening_hours = self.opening_hours.and_then(|raw| {
            let raw = raw.trim().to_owned();
            if raw.is_empty() {
                return None;
            }
            if raw.chars().count() > HOURS_MAX_CHARS {
                warnings.push(format!(
                    "horaires de plus de {HOURS_MAX_CHARS} caractères : ignorés"
                ));
                return None;
            }
            if let Err(e) = ParsedHours::parse(&raw) {
                warnings.push(format!(
                    "horaires « {raw} » non reconnus, conservés tels quels (statut « inconnu » \
                     dans l’application) : {}",
                    one_line(&e.to_string())
                ));
            }
            Some(raw)
        });
        let phone = self
            .phone
            .and_then(|raw| clean_or_warn(&raw, clean_phone, "téléphone", &mut warnings));
        let email = self
            .email
            .and_then(|raw| clean_or_warn(&raw, clean_email, "adresse e-mail", &mut warnings));
        let website = self
            .website
            .and_then(|raw| clean_or_warn(&raw, clean_website, "site web", &mut warnings));
        let photo_url = self.photo_url.and_then(|raw| {
            clean_or_warn(&raw, |u| text::url(Some(u), false), "photo", &mut warnings)
        });
        let wheelchair = self.wheelchair.and_then(|raw| {
            clean_or_warn(
                &raw,
                wheelchair_value,
                "accès fauteuil roulant",
                &mut warnings,
            )
        });
        let description = self
            .description
            .map(|d| text::paragraphs(&d))
            .filter(|d| !d.is_empty());
        let mut services: Vec<String> = Vec::new();
        for service in &self.services {
            let service = text::line(service, 100);
            if !service.is_empty() && !services.iter().any(|s| fold(s) == fold(&service)) {
                services.push(service);
            }
        }
        services.truncate(MAX_SERVICES);
        let source_key = self
            .key
            .unwrap_or_else(|| format!("name:{}|{category}", fold(&name)));
        Ok(Finished {
            facility: NewFacility {
                source_key,
                name,
                category,
                address: text::short(self.address.as_deref()),
                position,
                phone,
                email,
                website,
                description,
                opening_hours,
                closures: self.closures,
                wheelchair,
                services,
                photo_url,
            },
            label,
            warnings,
        })
    }
}

/// The parser's message on one line, for a report read line by line: its drawing of the
/// position (`--> 1:7`, the value, a caret) becomes `(column 7)`.
pub fn one_line(message: &str) -> String {
    if !message.contains('\n') {
        return message.to_owned();
    }
    let head = message
        .lines()
        .next()
        .unwrap_or_default()
        .split("-->")
        .next()
        .unwrap_or_default()
        .trim();
    let column = message
        .split("--> ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|position| position.split(':').nth(1));
    let expected = message
        .lines()
        .find_map(|line| line.trim().strip_prefix("= "));
    match (expected, column) {
        (Some(expected), Some(column)) => format!("{head} {expected} (column {column})"),
        (Some(expected), None) => format!("{head} {expected}"),
        _ => message.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// The cleaned value, or `None` with a remark naming the field.
fn clean_or_warn<T>(
    raw: &str,
    clean: impl Fn(&str) -> Option<T>,
    field: &str,
    warnings: &mut Vec<String>,
) -> Option<T> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let cleaned = clean(raw);
    if cleaned.is_none() {
        let shown: String = raw.chars().take(80).collect();
        warnings.push(format!("{field} « {shown} » illisible : ignoré"));
    }
    cleaned
}

/// The first number of an OSM phone value (`;`-separated list), whitespace collapsed; `None`
/// when it is not a phone number.
pub fn clean_phone(raw: &str) -> Option<String> {
    let first = raw.split(';').next().unwrap_or_default();
    let phone = first.split_whitespace().collect::<Vec<_>>().join(" ");
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = phone
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '.' | '-' | '(' | ')' | '/'));
    (allowed && (4..=20).contains(&digits)).then_some(phone)
}

/// An e-mail address (a `mailto:` prefix dropped), or `None` when it is not one.
pub fn clean_email(raw: &str) -> Option<String> {
    let first = raw.split(';').next().unwrap_or_default().trim();
    let email = first
        .strip_prefix("mailto:")
        .unwrap_or(first)
        .trim()
        .to_owned();
    let (local, domain) = email.split_once('@')?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && email.len() <= 254
        && !email.contains(char::is_whitespace)
        && !email.contains(['<', '>', '"', ',']);
    ok.then_some(email)
}

/// An `http(s)` URL; `www.example.fr` gets `https://`.
pub fn clean_website(raw: &str) -> Option<String> {
    let first = raw.split(';').next().unwrap_or_default().trim();
    if first.to_ascii_lowercase().starts_with("www.") {
        return text::url(Some(&format!("https://{first}")), false);
    }
    text::url(Some(first), false)
}

/// OSM's `wheelchair` values, SCDL's booleans (`oui`, `true`, `1`…).
pub fn wheelchair_value(raw: &str) -> Option<Wheelchair> {
    Wheelchair::from_osm(raw).or_else(|| match raw.trim().to_ascii_lowercase().as_str() {
        "true" | "vrai" | "1" | "o" | "y" | "accessible" => Some(Wheelchair::Yes),
        "false" | "faux" | "0" | "n" => Some(Wheelchair::No),
        _ => None,
    })
}

/// An address from its parts: `12 bis Rue de la Loire, 37210 Saint-Aubin-sur-Loire`.
pub fn address_of(
    number: Option<&str>,
    street: Option<&str>,
    postcode: Option<&str>,
    city: Option<&str>,
) -> Option<String> {
    let clean = |s: Option<&str>| {
        s.map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|s| !s.is_empty())
    };
    // SCDL writes 99999 for a street without numbers.
    let number = clean(number).filter(|n| n != "99999");
    let line1 = match (number, clean(street)) {
        (Some(n), Some(s)) => Some(format!("{n} {s}")),
        (None, Some(s)) => Some(s),
        _ => None,
    };
    let line2 = match (clean(postcode), clean(city)) {
        (Some(p), Some(c)) => Some(format!("{p} {c}")),
        (p, c) => p.or(c),
    };
    match (line1, line2) {
        (Some(a), Some(b)) => Some(format!("{a}, {b}")),
        (a, b) => a.or(b),
    }
}

/// A coordinate from text: `47.39`, or `47,39` as French spreadsheets write it.
pub fn coordinate(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let normalised = if text.contains('.') {
        text.to_owned()
    } else {
        text.replacen(',', ".", 1)
    };
    normalised.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_are_cleaned_or_refused() {
        assert_eq!(
            clean_phone("+33 2 47 00 00 00;+33 6 00 00 00 00").as_deref(),
            Some("+33 2 47 00 00 00")
        );
        assert_eq!(clean_phone("appelez-nous"), None);
        assert_eq!(
            clean_email("mailto:mairie@saint-aubin.fr").as_deref(),
            Some("mairie@saint-aubin.fr")
        );
        assert_eq!(clean_email("mairie(at)saint-aubin"), None);
        assert_eq!(clean_email("a@b"), None);
        assert_eq!(
            clean_website("www.saint-aubin.fr").as_deref(),
            Some("https://www.saint-aubin.fr")
        );
        assert_eq!(clean_website("javascript:alert(1)"), None);
        assert_eq!(wheelchair_value("oui"), Some(Wheelchair::Yes));
        assert_eq!(wheelchair_value("FALSE"), Some(Wheelchair::No));
        assert_eq!(wheelchair_value("peut-être"), None);
    }

    #[test]
    fn parser_messages_fit_on_one_line() {
        let pest = "invalid opening_hours:  --> 1:7\n  |\n1 | Mo-Fr 25:00-26:00\n  |       \
                    ^---\n  |\n  = expected EOI, timespan, or holiday";
        assert_eq!(
            one_line(pest),
            "invalid opening_hours: expected EOI, timespan, or holiday (column 7)"
        );
        assert_eq!(one_line("no opening hours"), "no opening hours");
        assert_eq!(one_line("a\n b"), "a b");
    }

    #[test]
    fn addresses_are_joined_from_their_parts() {
        assert_eq!(
            address_of(
                Some("12 bis"),
                Some("Rue de la  Loire"),
                Some("37210"),
                Some("Saint-Aubin")
            )
            .as_deref(),
            Some("12 bis Rue de la Loire, 37210 Saint-Aubin")
        );
        assert_eq!(
            address_of(Some("99999"), Some("Le Bourg"), None, Some("Saint-Aubin")).as_deref(),
            Some("Le Bourg, Saint-Aubin")
        );
        assert_eq!(address_of(Some("3"), None, None, None), None);
    }

    #[test]
    fn coordinates_accept_a_decimal_comma() {
        assert_eq!(coordinate("47,3936"), Some(47.3936));
        assert_eq!(coordinate(" 0.6892 "), Some(0.6892));
        assert_eq!(coordinate("1,234.5"), None);
        assert_eq!(coordinate("NaN"), None);
        assert_eq!(coordinate(""), None);
    }
}
