//! OpenAgenda's JSON event export into occurrences: one per timing, status 6 as cancelled,
//! accessibility flags as a French note, age range as audiences, conditions as the price,
//! incremental by `updatedAt`.

use chrono::{DateTime, Utc};
use parvis_core::{Audience, LatLon};
use serde_json::Value;

use super::ical::is_free_text;
use super::import::{Context, Group, Parsed};
use super::text;
use super::times::{Span, timestamp};
use crate::db::events::NewEvent;

/// OpenAgenda's status of a cancelled event.
const STATUS_CANCELLED: i64 = 6;

/// Reads an export (`{"events": [...]}` or a bare array); the error says why it is not one.
pub fn parse(ctx: &Context<'_>, bytes: &[u8]) -> Result<Parsed, String> {
    let root: Value = serde_json::from_slice(bytes).map_err(|e| format!("invalid JSON: {e}"))?;
    let events = match &root {
        Value::Array(items) => items,
        Value::Object(map) => map
            .get("events")
            .and_then(Value::as_array)
            .ok_or("no `events` array")?,
        _ => return Err("no `events` array".into()),
    };
    let mut parsed = Parsed::default();
    for event in events {
        match group(ctx, event) {
            Some(group) => parsed.groups.push(group),
            None => parsed.skipped += 1,
        }
    }
    Ok(parsed)
}

fn group(ctx: &Context<'_>, event: &Value) -> Option<Group> {
    let uid = match event.get("uid")? {
        Value::Number(n) => n.to_string(),
        Value::String(s) if !s.trim().is_empty() => s.trim().to_owned(),
        _ => return None,
    };
    let uid = format!("openagenda-{uid}");
    let title = multilingual(event.get("title"))
        .map(|t| text::line(&t, text::TITLE_MAX_CHARS))
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "Sans titre".to_owned());
    let short = multilingual(event.get("description")).unwrap_or_default();
    let long = multilingual(event.get("longDescription")).unwrap_or_default();
    let description = match (text::paragraphs(&short), text::paragraphs(&long)) {
        (s, l) if l.is_empty() => s,
        (s, l) if s.is_empty() || l.contains(&s) => l,
        (s, l) => format!("{s}\n\n{l}"),
    };
    let location = event.get("location");
    let field = |key: &str| location.and_then(|l| l.get(key));
    let position = number(field("latitude"))
        .zip(number(field("longitude")))
        .map(|(lat, lon)| LatLon { lat, lon })
        .filter(|p| p.is_valid());
    let labels: Vec<String> = keywords(event.get("keywords"));
    let conditions = multilingual(event.get("conditions"));
    let price = text::short(conditions.as_deref());
    let free = price.as_deref().is_some_and(is_free_text);
    let cancelled = event.get("status").and_then(Value::as_i64) == Some(STATUS_CANCELLED);
    let updated_at = event
        .get("updatedAt")
        .and_then(Value::as_str)
        .and_then(instant)
        .map(timestamp);
    let image_url = event.get("image").and_then(|image| match image {
        Value::String(s) => text::url(Some(s), false),
        Value::Object(_) => {
            let base = image.get("base").and_then(Value::as_str)?;
            let file = image.get("filename").and_then(Value::as_str)?;
            let joined = if base.ends_with('/') {
                format!("{base}{file}")
            } else {
                format!("{base}/{file}")
            };
            text::url(Some(&joined), false)
        }
        _ => None,
    });
    let url = ["canonicalUrl", "url", "link"]
        .iter()
        .find_map(|k| text::url(event.get(*k).and_then(Value::as_str), false));

    let template = NewEvent {
        uid: uid.clone(),
        recurrence_id: String::new(),
        title,
        description,
        start_at: String::new(),
        end_at: None,
        local_start: String::new(),
        local_end: None,
        local_last_date: String::new(),
        all_day: false,
        location_name: text::short(field("name").and_then(Value::as_str)),
        address: text::short(field("address").and_then(Value::as_str)),
        position,
        facility_id: None,
        category: ctx
            .agenda
            .category_for_labels(labels.iter().map(String::as_str)),
        audiences: audiences(event.get("age")),
        free,
        price,
        registration_url: registration(event.get("registration")),
        image_url,
        accessibility: accessibility(event.get("accessibility")),
        cancelled,
        url,
        source_updated_at: updated_at.clone(),
        sequence: 0,
        content_hash: String::new(),
    };
    let mut occurrences = Vec::new();
    for timing in event.get("timings").and_then(Value::as_array)? {
        let Some(start) = timing
            .get("begin")
            .and_then(Value::as_str)
            .and_then(instant)
        else {
            continue;
        };
        let end = timing.get("end").and_then(Value::as_str).and_then(instant);
        let times = Span::Timed { start, end }.times(ctx.tz);
        let mut occurrence = template.clone();
        occurrence.recurrence_id = start.format("%Y%m%dT%H%M%SZ").to_string();
        occurrence.start_at = times.start_at;
        occurrence.end_at = times.end_at;
        occurrence.local_start = times.local_start;
        occurrence.local_end = times.local_end;
        occurrence.local_last_date = times.local_last_date;
        occurrences.push(occurrence);
    }
    if occurrences.is_empty() {
        return None;
    }
    Some(Group {
        uid,
        incremental: updated_at.is_some(),
        source_updated_at: updated_at,
        occurrences,
    })
}

/// A multilingual field (`{"fr": …, "en": …}`) in French, else any language; or a string.
fn multilingual(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Object(map) => map
            .get("fr")
            .and_then(Value::as_str)
            .or_else(|| map.values().find_map(Value::as_str))
            .map(str::to_owned),
        _ => None,
    }
}

/// Keywords as a list, or by language (`{"fr": […]}`).
fn keywords(value: Option<&Value>) -> Vec<String> {
    let list = match value {
        Some(Value::Array(items)) => items,
        Some(Value::Object(map)) => match map
            .get("fr")
            .or_else(|| map.values().next())
            .and_then(Value::as_array)
        {
            Some(items) => items,
            None => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    list.iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

fn number(value: Option<&Value>) -> Option<f64> {
    match value? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn instant(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The first registration link (web, else mail, else phone).
fn registration(value: Option<&Value>) -> Option<String> {
    let items = value?.as_array()?;
    let of = |kind: &str| {
        items.iter().find_map(|item| {
            let t = item.get("type").and_then(Value::as_str)?;
            let v = item.get("value").and_then(Value::as_str)?.trim();
            (t == kind).then(|| v.to_owned())
        })
    };
    of("link")
        .and_then(|l| text::url(Some(&l), false))
        .or_else(|| of("email").and_then(|e| text::url(Some(&format!("mailto:{e}")), true)))
        .or_else(|| {
            of("phone").and_then(|p| {
                let digits: String = p.chars().filter(|c| !c.is_whitespace()).collect();
                text::url(Some(&format!("tel:{digits}")), true)
            })
        })
}

/// Age range → audiences: up to 12 for children, from 60 for seniors, else everyone.
fn audiences(age: Option<&Value>) -> Vec<Audience> {
    let min = age.and_then(|a| a.get("min")).and_then(Value::as_i64);
    let max = age.and_then(|a| a.get("max")).and_then(Value::as_i64);
    if max.is_some_and(|m| m <= 12) {
        vec![Audience::Children]
    } else if min.is_some_and(|m| m >= 60) {
        vec![Audience::Seniors]
    } else {
        vec![Audience::Everyone]
    }
}

/// OpenAgenda's accessibility flags as a French note.
fn accessibility(value: Option<&Value>) -> Option<String> {
    let flags = value?;
    let notes: Vec<&str> = [
        ("mi", "Accessible aux personnes en fauteuil roulant"),
        ("hi", "Accessible aux personnes sourdes ou malentendantes"),
        ("vi", "Accessible aux personnes aveugles ou malvoyantes"),
        (
            "pi",
            "Accessible aux personnes en situation de handicap psychique",
        ),
        (
            "ii",
            "Accessible aux personnes en situation de handicap mental",
        ),
    ]
    .into_iter()
    .filter(|(key, _)| flags.get(*key).and_then(Value::as_bool) == Some(true))
    .map(|(_, note)| note)
    .collect();
    (!notes.is_empty()).then(|| format!("{}.", notes.join(". ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flags_ages_and_registrations_are_translated() {
        let note = accessibility(Some(&json!({"mi": true, "vi": true, "hi": false})));
        assert_eq!(
            note.as_deref(),
            Some(
                "Accessible aux personnes en fauteuil roulant. Accessible aux personnes \
                 aveugles ou malvoyantes."
            )
        );
        assert_eq!(
            audiences(Some(&json!({"min": 3, "max": 10}))),
            [Audience::Children]
        );
        assert_eq!(audiences(Some(&json!({"min": 65}))), [Audience::Seniors]);
        assert_eq!(audiences(None), [Audience::Everyone]);
        let reg = json!([{"type": "phone", "value": "02 47 00 00 00"}, {"type": "email", "value": "a@b.fr"}]);
        assert_eq!(registration(Some(&reg)).as_deref(), Some("mailto:a@b.fr"));
    }
}
