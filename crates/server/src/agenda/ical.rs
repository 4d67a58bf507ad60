//! iCalendar (RFC 5545) into occurrences: the `icalendar` crate reads the components, the
//! `rrule` crate expands RRULE/RDATE/EXDATE over the horizon; TZID, UTC and floating times
//! and all-day dates are understood; a RECURRENCE-ID override replaces its occurrence and a
//! cancelled one cancels only it.

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use icalendar::parser::{Component, Property, read_calendar, unfold};
use parvis_core::{Audience, LatLon};
use rrule::{RRule, RRuleSet, Unvalidated};

use super::import::{Context, Group, Parsed};
use super::text;
use super::times::{Span, resolve_local, timestamp};
use crate::db::events::NewEvent;
use crate::news::config::fold;

/// Most occurrences kept for one recurring event.
const MAX_OCCURRENCES: u16 = 2_000;

/// Most instances of one recurring event walked through, from its DTSTART, to reach the end
/// of the horizon (a daily rule started 270 years ago).
const MAX_STEPS: usize = 100_000;

/// Reads a calendar; the error says why it is not one.
pub fn parse(ctx: &Context<'_>, bytes: &[u8]) -> Result<Parsed, String> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let text = unfold(&text);
    let trimmed = text.trim();
    let upper_start: String = trimmed
        .chars()
        .take(15)
        .collect::<String>()
        .to_ascii_uppercase();
    if upper_start != "BEGIN:VCALENDAR" {
        return Err("not an iCalendar file (it must start with BEGIN:VCALENDAR)".into());
    }
    if !trimmed.to_ascii_uppercase().ends_with("END:VCALENDAR") {
        return Err("the calendar is cut short (no END:VCALENDAR at the end)".into());
    }
    let calendar = read_calendar(trimmed).map_err(|e| {
        let first = e.lines().take(3).collect::<Vec<_>>().join(" ");
        format!("malformed iCalendar: {first}")
    })?;
    let announced = trimmed
        .lines()
        .filter(|l| l.trim().eq_ignore_ascii_case("BEGIN:VEVENT"))
        .count();
    let events: Vec<&Component<'_>> = calendar
        .components
        .iter()
        .filter(|c| c.name.as_str().eq_ignore_ascii_case("VEVENT"))
        .collect();
    if events.len() != announced {
        return Err(format!(
            "malformed iCalendar: {announced} events announced, {} readable",
            events.len()
        ));
    }
    // Floating times are in the calendar's zone when it names one, else the commune's.
    let tz = calendar
        .properties
        .iter()
        .find(|p| p.name.as_str().eq_ignore_ascii_case("X-WR-TIMEZONE"))
        .and_then(|p| zone(p.val.as_str()))
        .unwrap_or(ctx.tz);

    // Masters and overrides by UID, in feed order.
    let mut by_uid: Vec<(String, Option<&Component<'_>>, Vec<&Component<'_>>)> = Vec::new();
    let mut slots: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut skipped = 0;
    for event in events {
        let Some(uid) = value(&[event], "UID").map(|u| u.trim().to_owned()) else {
            skipped += 1;
            continue;
        };
        if uid.is_empty() {
            skipped += 1;
            continue;
        }
        let class = value(&[event], "CLASS")
            .unwrap_or_default()
            .to_ascii_uppercase();
        if class == "PRIVATE" || class == "CONFIDENTIAL" {
            skipped += 1;
            continue;
        }
        let slot = *slots.entry(uid.clone()).or_insert_with(|| {
            by_uid.push((uid.clone(), None, Vec::new()));
            by_uid.len() - 1
        });
        if prop(&[event], "RECURRENCE-ID").is_some() {
            by_uid[slot].2.push(event);
        } else {
            by_uid[slot].1 = Some(event);
        }
    }

    let mut groups = Vec::with_capacity(by_uid.len());
    for (uid, master, overrides) in by_uid {
        match expand(ctx, tz, &uid, master, &overrides) {
            Ok(occurrences) if !occurrences.is_empty() => groups.push(Group {
                uid,
                source_updated_at: None,
                incremental: false,
                occurrences,
            }),
            Ok(_) => {}
            Err(reason) => {
                tracing::warn!(uid, reason, "agenda: event skipped");
                skipped += 1;
            }
        }
    }
    Ok(Parsed { groups, skipped })
}

/// The occurrences of one UID: its master expanded, overrides applied.
fn expand(
    ctx: &Context<'_>,
    tz: Tz,
    uid: &str,
    master: Option<&Component<'_>>,
    overrides: &[&Component<'_>],
) -> Result<Vec<NewEvent>, String> {
    let mut out: BTreeMap<String, NewEvent> = BTreeMap::new();
    if let Some(master) = master {
        let start = when(prop(&[master], "DTSTART").ok_or("no DTSTART")?, tz)?;
        let length = length(master, &start, tz)?;
        let recurring = prop(&[master], "RRULE").is_some() || prop(&[master], "RDATE").is_some();
        if recurring {
            for instance in instances(ctx, master, &start, tz)? {
                let key = instance.key();
                let span = instance.span(length);
                out.insert(key.clone(), occurrence(ctx, &[master], uid, key, span));
            }
        } else {
            let span = start.span(length);
            out.insert(
                String::new(),
                occurrence(ctx, &[master], uid, String::new(), span),
            );
        }
    }
    for over in overrides {
        let Some(id) = prop(&[over], "RECURRENCE-ID") else {
            continue;
        };
        let key = when(id, tz)?.key();
        let start = when(prop(&[over], "DTSTART").ok_or("no DTSTART")?, tz)?;
        let length = if prop(&[over], "DTEND").is_some() || prop(&[over], "DURATION").is_some() {
            length(over, &start, tz)?
        } else {
            match master {
                Some(m) => length(
                    m,
                    &when(prop(&[m], "DTSTART").ok_or("no DTSTART")?, tz)?,
                    tz,
                )?,
                None => Length::Unknown,
            }
        };
        let span = start.span(length);
        let sources: Vec<&Component<'_>> = std::iter::once(*over).chain(master).collect();
        out.insert(key.clone(), occurrence(ctx, &sources, uid, key, span));
    }
    Ok(out.into_values().collect())
}

/// A DTSTART-like value.
#[derive(Debug, Clone, Copy)]
enum When {
    Date(NaiveDate),
    /// An instant and the zone its wall-clock time was given in (recurrences follow it).
    Time(DateTime<Utc>, Tz),
}

/// How long each occurrence lasts.
#[derive(Debug, Clone, Copy)]
enum Length {
    Days(u64),
    Duration(chrono::Duration),
    Unknown,
}

impl When {
    /// The recurrence id of the occurrence starting here.
    fn key(&self) -> String {
        match self {
            When::Date(d) => d.format("%Y%m%d").to_string(),
            When::Time(t, _) => t.format("%Y%m%dT%H%M%SZ").to_string(),
        }
    }

    fn span(&self, length: Length) -> Span {
        match (*self, length) {
            (When::Date(first), Length::Days(days)) => Span::AllDay {
                first,
                end: first
                    .checked_add_days(Days::new(days.max(1)))
                    .unwrap_or(first),
            },
            (When::Date(first), _) => Span::AllDay {
                first,
                end: first.checked_add_days(Days::new(1)).unwrap_or(first),
            },
            (When::Time(start, _), Length::Duration(d)) => Span::Timed {
                start,
                end: Some(start + d),
            },
            (When::Time(start, _), Length::Days(days)) => Span::Timed {
                start,
                end: Some(start + chrono::Duration::days(i64::try_from(days).unwrap_or(1))),
            },
            (When::Time(start, _), Length::Unknown) => Span::Timed { start, end: None },
        }
    }
}

/// DTEND − DTSTART, else DURATION, else a day for dates and unknown for times.
fn length(event: &Component<'_>, start: &When, tz: Tz) -> Result<Length, String> {
    if let Some(end) = prop(&[event], "DTEND") {
        return Ok(match (start, when(end, tz)?) {
            (When::Date(s), When::Date(e)) => {
                Length::Days(u64::try_from((e - *s).num_days()).unwrap_or(1).max(1))
            }
            (When::Time(s, _), When::Time(e, _)) if e >= *s => Length::Duration(e - *s),
            (When::Time(..), When::Time(..)) => Length::Unknown,
            (When::Date(_), When::Time(..)) | (When::Time(..), When::Date(_)) => {
                return Err("DTSTART and DTEND are of different kinds".into());
            }
        });
    }
    if let Some(duration) = prop(&[event], "DURATION") {
        let d = parse_duration(duration.val.as_str())
            .ok_or_else(|| format!("bad DURATION {}", duration.val.as_str()))?;
        return Ok(match start {
            When::Date(_) => Length::Days(u64::try_from(d.num_days()).unwrap_or(1).max(1)),
            When::Time(..) => Length::Duration(d),
        });
    }
    Ok(match start {
        When::Date(_) => Length::Days(1),
        When::Time(..) => Length::Unknown,
    })
}

/// The starts of a recurring event within the expansion window.
fn instances(
    ctx: &Context<'_>,
    master: &Component<'_>,
    start: &When,
    tz: Tz,
) -> Result<Vec<When>, String> {
    // Dates recur at midnight in the calendar's zone; times in the zone they were given in.
    let (zone, dt_start) = match *start {
        When::Date(d) => {
            let zone = rrule::Tz::Tz(tz);
            (
                zone,
                to_zone(resolve_local(tz, d.and_time(chrono::NaiveTime::MIN)), zone),
            )
        }
        When::Time(t, z) => {
            let zone = rrule::Tz::Tz(z);
            (zone, to_zone(t, zone))
        }
    };
    let mut set = RRuleSet::new(dt_start);
    let mut has_rule = false;
    for rule in props(master, "RRULE") {
        let mut parts = Vec::new();
        let mut until = None;
        for part in rule.val.as_str().split(';').filter(|p| !p.is_empty()) {
            match part.split_once('=') {
                Some((k, v)) if k.eq_ignore_ascii_case("UNTIL") => until = Some(v.to_owned()),
                _ => parts.push(part),
            }
        }
        let mut parsed: RRule<Unvalidated> = format!("RRULE:{}", parts.join(";"))
            .parse()
            .map_err(|e| format!("bad RRULE: {e}"))?;
        if let Some(until) = until {
            let utc = match parse_value(&until, None, tz)? {
                // An UNTIL date includes its whole day.
                When::Date(d) => {
                    resolve_local(
                        tz,
                        d.checked_add_days(Days::new(1))
                            .unwrap_or(d)
                            .and_time(chrono::NaiveTime::MIN),
                    ) - chrono::Duration::seconds(1)
                }
                When::Time(t, _) => t,
            };
            parsed = parsed.until(to_zone(utc, rrule::Tz::UTC));
        }
        let validated = parsed
            .validate(dt_start)
            .map_err(|e| format!("bad RRULE: {e}"))?;
        set = set.rrule(validated);
        has_rule = true;
    }
    let mut rdates = false;
    for p in props(master, "RDATE") {
        if param(p, "VALUE").is_some_and(|v| v.eq_ignore_ascii_case("PERIOD")) {
            continue;
        }
        for w in when_list(p, tz)? {
            set = set.rdate(to_zone(instant_of(w, tz), zone));
            rdates = true;
        }
    }
    if !has_rule && rdates {
        // DTSTART is always the first instance.
        set = set.rdate(dt_start);
    }
    for p in props(master, "EXDATE") {
        for w in when_list(p, tz)? {
            set = set.exdate(to_zone(instant_of(w, tz), zone));
        }
    }
    let after = ctx.now - chrono::Duration::days(super::import::PAST_DAYS);
    let before = ctx.now + chrono::Duration::days(i64::from(ctx.agenda.horizon_days));
    // Walked by hand rather than with `all`, which steps through every instance from DTSTART
    // on: a rule repeating every second for years would hold the import for minutes.
    let (after, before) = (to_zone(after, zone), to_zone(before, zone));
    let set = set.limit();
    let mut dates = Vec::new();
    for (steps, date) in (&set).into_iter().enumerate() {
        if date > before || dates.len() >= usize::from(MAX_OCCURRENCES) {
            break;
        }
        if steps >= MAX_STEPS {
            return Err(format!(
                "the rule repeats too often: over {MAX_STEPS} instances before the horizon ends"
            ));
        }
        if date >= after {
            dates.push(date);
        }
    }
    let mut seen = std::collections::HashSet::new();
    Ok(dates
        .into_iter()
        .map(|d| match start {
            When::Date(_) => When::Date(d.naive_local().date()),
            When::Time(_, z) => When::Time(d.with_timezone(&Utc), *z),
        })
        .filter(|w| seen.insert(w.key()))
        .collect())
}

fn to_zone(t: DateTime<Utc>, zone: rrule::Tz) -> DateTime<rrule::Tz> {
    t.with_timezone(&zone)
}

fn instant_of(w: When, tz: Tz) -> DateTime<Utc> {
    match w {
        When::Date(d) => resolve_local(tz, d.and_time(chrono::NaiveTime::MIN)),
        When::Time(t, _) => t,
    }
}

/// One occurrence: its fields from `sources` (an override first, then its master).
fn occurrence(
    ctx: &Context<'_>,
    sources: &[&Component<'_>],
    uid: &str,
    recurrence_id: String,
    span: Span,
) -> NewEvent {
    let times = span.times(ctx.tz);
    let text_of = |name: &str| value(sources, name);
    // CATEGORIES of the override when it has some, else of the master.
    let labels: Vec<String> = sources
        .iter()
        .map(|c| {
            props(c, "CATEGORIES")
                .flat_map(|p| split_list(p.val.as_str()))
                .collect::<Vec<_>>()
        })
        .find(|labels| !labels.is_empty())
        .unwrap_or_default();
    let category = ctx
        .agenda
        .category_for_labels(labels.iter().map(String::as_str));
    let price = text::short(text_of("X-PARVIS-PRICE").as_deref());
    let free = text_of("X-PARVIS-FREE").is_some_and(|v| v.trim().eq_ignore_ascii_case("TRUE"))
        || price.as_deref().is_some_and(is_free_text)
        || labels.iter().any(|l| is_free_text(l));
    let mut audiences: Vec<Audience> = text_of("X-PARVIS-AUDIENCE")
        .map(|v| {
            v.split(',')
                .filter_map(|s| Audience::from_slug(s.trim()))
                .collect()
        })
        .unwrap_or_default();
    if audiences.is_empty() {
        audiences = audiences_of_labels(&labels);
    }
    let (location_name, address) = match (
        text::short(text_of("LOCATION").as_deref()),
        text::short(text_of("X-PARVIS-ADDRESS").as_deref()),
    ) {
        (Some(location), Some(address)) => (Some(location), Some(address)),
        (Some(location), None) => split_location(&location),
        (None, address) => (None, address),
    };
    let position = text_of("GEO").and_then(|g| {
        let (lat, lon) = g.split_once([';', ','])?;
        let p = LatLon {
            lat: lat.trim().parse().ok()?,
            lon: lon.trim().parse().ok()?,
        };
        p.is_valid().then_some(p)
    });
    let image_url = sources
        .iter()
        .flat_map(|c| props(c, "IMAGE").chain(props(c, "ATTACH")))
        .find(|p| {
            p.name.as_str().eq_ignore_ascii_case("IMAGE")
                || param(p, "FMTTYPE").is_some_and(|t| t.to_ascii_lowercase().starts_with("image/"))
        })
        .and_then(|p| text::url(Some(p.val.as_str()), false));
    let status = text_of("STATUS").unwrap_or_default().to_ascii_uppercase();
    let sequence = sources
        .first()
        .and_then(|c| value(&[c], "SEQUENCE"))
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or(0);
    NewEvent {
        uid: uid.to_owned(),
        recurrence_id,
        title: text_of("SUMMARY")
            .map(|t| text::line(&t, text::TITLE_MAX_CHARS))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| "Sans titre".to_owned()),
        description: text_of("DESCRIPTION")
            .map(|d| text::paragraphs(&d))
            .unwrap_or_default(),
        start_at: times.start_at,
        end_at: times.end_at,
        local_start: times.local_start,
        local_end: times.local_end,
        local_last_date: times.local_last_date,
        all_day: times.all_day,
        location_name,
        address,
        position,
        facility_id: text_of("X-PARVIS-FACILITY").and_then(|f| f.trim().parse().ok()),
        category,
        audiences,
        free,
        price,
        registration_url: text::url(text_of("X-PARVIS-REGISTRATION").as_deref(), true),
        image_url,
        accessibility: text::short(text_of("X-PARVIS-ACCESSIBILITY").as_deref()),
        cancelled: status == "CANCELLED",
        url: text::url(text_of("URL").as_deref(), false),
        source_updated_at: text_of("LAST-MODIFIED")
            .and_then(|v| parse_value(v.trim(), None, ctx.tz).ok())
            .map(|w| timestamp(instant_of(w, ctx.tz))),
        sequence,
        content_hash: String::new(),
    }
}

/// "Salle des fêtes, 2 place de la Mairie, 37000 Saint-Aubin" → the place and its address,
/// when what follows the first comma looks like an address (it has a digit).
fn split_location(location: &str) -> (Option<String>, Option<String>) {
    match location.split_once(',') {
        Some((name, rest))
            if !name.trim().is_empty()
                && rest.chars().any(|c| c.is_ascii_digit())
                && !name.chars().any(|c| c.is_ascii_digit()) =>
        {
            (Some(name.trim().to_owned()), Some(rest.trim().to_owned()))
        }
        _ => (Some(location.to_owned()), None),
    }
}

/// Whether a price or label says it is free.
pub fn is_free_text(text: &str) -> bool {
    let folded = fold(text);
    // "5 €, gratuit pour les moins de 12 ans" has a price: free only when no amount is named.
    let names_a_price = folded.chars().any(|c| c.is_ascii_digit()) || folded.contains('€');
    !names_a_price
        && (folded.contains("gratuit") || folded.contains("entree libre") || folded == "free")
}

/// Audiences named by labels ("Jeune public", "En famille", "Seniors"), else everyone.
fn audiences_of_labels(labels: &[String]) -> Vec<Audience> {
    let mut out = Vec::new();
    for label in labels {
        let l = fold(label);
        let found = if l.contains("enfant") || l.contains("jeune public") {
            Some(Audience::Children)
        } else if l.contains("famille") {
            Some(Audience::Family)
        } else if l.contains("senior") || l.contains("aine") && l.len() <= 6 {
            Some(Audience::Seniors)
        } else if l.contains("tout public") {
            Some(Audience::Everyone)
        } else {
            None
        };
        if let Some(a) = found
            && !out.contains(&a)
        {
            out.push(a);
        }
    }
    if out.is_empty() {
        out.push(Audience::Everyone);
    }
    out
}

/// A TEXT list (CATEGORIES) split on its unescaped commas, each item unescaped.
fn split_list(raw: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n' | 'N') => current.push(' '),
                Some(other) => current.push(other),
                None => {}
            },
            ',' => items.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    items.push(current);
    items
        .into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Properties called `name` (any case).
fn props<'c, 'a>(
    component: &'c Component<'a>,
    name: &'c str,
) -> impl Iterator<Item = &'c Property<'a>> + 'c {
    component
        .properties
        .iter()
        .filter(move |p| p.name.as_str().eq_ignore_ascii_case(name))
}

/// The first property `name` of the first component having one.
fn prop<'c, 'a>(components: &[&'c Component<'a>], name: &str) -> Option<&'c Property<'a>> {
    components.iter().find_map(|c| {
        c.properties
            .iter()
            .find(|p| p.name.as_str().eq_ignore_ascii_case(name))
    })
}

/// The (unescaped) value of [`prop`]. The parser unescapes the standard text properties;
/// `X-` ones are done here.
fn value(components: &[&Component<'_>], name: &str) -> Option<String> {
    let p = prop(components, name)?;
    let raw = p.val.as_str();
    if !name.starts_with("X-") {
        return Some(raw.to_owned());
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            },
            (c, false) => out.push(c),
        }
    }
    Some(out)
}

fn param(p: &Property<'_>, key: &str) -> Option<String> {
    p.params
        .iter()
        .find(|param| param.key.as_str().eq_ignore_ascii_case(key))
        .and_then(|param| param.val.as_ref())
        .map(|v| v.as_str().trim_matches('"').to_owned())
}

/// A time zone by IANA name, also inside longer ids (`/mozilla.org/20050126_1/Europe/Paris`).
fn zone(name: &str) -> Option<Tz> {
    let name = name.trim().trim_matches('"');
    if let Ok(tz) = name.parse::<Tz>() {
        return Some(tz);
    }
    let parts: Vec<&str> = name.split('/').collect();
    (1..parts.len()).find_map(|i| parts[i..].join("/").parse::<Tz>().ok())
}

fn when(p: &Property<'_>, tz: Tz) -> Result<When, String> {
    let zone = param(p, "TZID").map(|id| zone(&id).unwrap_or(tz));
    let raw = p.val.as_str().trim();
    let first = raw.split(',').next().unwrap_or(raw);
    parse_value(first, zone, tz)
}

fn when_list(p: &Property<'_>, tz: Tz) -> Result<Vec<When>, String> {
    let zone = param(p, "TZID").map(|id| zone(&id).unwrap_or(tz));
    p.val
        .as_str()
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| parse_value(v, zone, tz))
        .collect()
}

/// `20261205`, `20261205T183000Z`, or `20261205T183000` in `zone` (else the floating zone).
fn parse_value(raw: &str, zone: Option<Tz>, floating: Tz) -> Result<When, String> {
    let bad = || {
        format!(
            "bad date-time `{}`",
            raw.chars().take(40).collect::<String>()
        )
    };
    if raw.len() == 8 {
        return NaiveDate::parse_from_str(raw, "%Y%m%d")
            .map(When::Date)
            .map_err(|_| bad());
    }
    if let Some(utc) = raw.strip_suffix(['Z', 'z']) {
        let t = NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S").map_err(|_| bad())?;
        // A UTC time recurs in UTC (RFC 5545, 3.3.10): at the same UTC hour all year.
        return Ok(When::Time(t.and_utc(), chrono_tz::UTC));
    }
    let t = NaiveDateTime::parse_from_str(raw, "%Y%m%dT%H%M%S").map_err(|_| bad())?;
    let z = zone.unwrap_or(floating);
    Ok(When::Time(resolve_local(z, t), z))
}

/// An RFC 5545 duration (`PT1H30M`, `P2D`, `P1W`, `P1DT2H`).
fn parse_duration(raw: &str) -> Option<chrono::Duration> {
    let raw = raw.trim();
    let (negative, raw) = match raw.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, raw.strip_prefix('+').unwrap_or(raw)),
    };
    let raw = raw.strip_prefix('P')?;
    let mut total = chrono::Duration::zero();
    let mut number = String::new();
    let mut in_time = false;
    for c in raw.chars() {
        match c {
            'T' => in_time = true,
            '0'..='9' => number.push(c),
            unit => {
                let n: i64 = number.parse().ok()?;
                number.clear();
                total += match (unit, in_time) {
                    ('W', false) => chrono::Duration::weeks(n),
                    ('D', false) => chrono::Duration::days(n),
                    ('H', true) => chrono::Duration::hours(n),
                    ('M', true) => chrono::Duration::minutes(n),
                    ('S', true) => chrono::Duration::seconds(n),
                    _ => return None,
                };
            }
        }
    }
    if !number.is_empty() || negative {
        return None;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_lists_are_read() {
        assert_eq!(
            parse_duration("PT1H30M"),
            Some(chrono::Duration::minutes(90))
        );
        assert_eq!(parse_duration("P1DT2H"), Some(chrono::Duration::hours(26)));
        assert_eq!(parse_duration("P1W"), Some(chrono::Duration::days(7)));
        assert_eq!(parse_duration("1H"), None);
        assert_eq!(
            split_list(r"Concert,Jeune public\, famille"),
            vec!["Concert", "Jeune public, famille"]
        );
    }

    #[test]
    fn zones_are_found_inside_longer_ids() {
        assert_eq!(
            zone("/mozilla.org/20050126_1/Europe/Paris"),
            Some(chrono_tz::Europe::Paris)
        );
        assert_eq!(zone("\"Europe/Paris\""), Some(chrono_tz::Europe::Paris));
        assert_eq!(zone("Romance Standard Time"), None);
    }

    #[test]
    fn only_prices_without_an_amount_are_free() {
        assert!(is_free_text("Gratuit"));
        assert!(is_free_text("Entrée libre"));
        assert!(!is_free_text("5 €, gratuit pour les moins de 12 ans"));
        assert!(!is_free_text("Tarif : 8 €"));
    }

    #[test]
    fn locations_with_an_address_are_split() {
        assert_eq!(
            split_location("Salle des fêtes, 2 place de la Mairie"),
            (
                Some("Salle des fêtes".into()),
                Some("2 place de la Mairie".into())
            )
        );
        assert_eq!(
            split_location("Parc, jardin"),
            (Some("Parc, jardin".into()), None)
        );
    }
}
