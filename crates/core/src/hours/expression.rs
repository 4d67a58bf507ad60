//! Parsing an `opening_hours` value with the `opening-hours` crate, after rewriting the forms the
//! crate would read as "open" although they say nothing certain:
//! - a rule that is only a comment (`"sur rendez-vous"`, `Mo-Fr "sur rendez-vous"`), which the
//!   crate reads as open all day: it becomes `unknown "sur rendez-vous"`;
//! - an open end (`10:00+`, "from 10:00, closing time unknown"), which the crate reads as open
//!   until midnight: the open-ended spans become an `unknown` rule;
//! - plain prose that does not parse but holds no digit (`sur rendez-vous` without quotes,
//!   `fermé`): kept as the comment of an all-unknown value;
//! - holidays and weekdays joined by a space (`SH Mo-Fr`: weekdays *during* school holidays, by
//!   the OSM specification), which the crate reads as a union (`SH,Mo-Fr`: every weekday too).
//!   Such a value is evaluated with one expression per weekday, where the rule keeps only its
//!   holidays on the weekdays it names and is dropped on the others.

use std::borrow::Cow;
use std::fmt;

use chrono::Weekday;
use opening_hours::{Context, OpeningHours, RuleKind};
use opening_hours_syntax::rules::day::WeekDayRange;
use opening_hours_syntax::rules::time::TimeSelector;
use opening_hours_syntax::rules::{OpeningHoursExpression, RuleOperator, RuleSequence};

/// Why an `opening_hours` value cannot be evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoursError {
    /// The value is empty or blank.
    Empty,
    /// The value is not valid `opening_hours` syntax; the parser's message.
    Syntax(String),
    /// An exceptional closure's date is not `YYYY-MM-DD`, or it ends before it starts.
    InvalidClosure(String),
}

impl fmt::Display for HoursError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HoursError::Empty => write!(f, "no opening hours"),
            HoursError::Syntax(message) => write!(f, "invalid opening_hours: {message}"),
            HoursError::InvalidClosure(message) => write!(f, "invalid closure: {message}"),
        }
    }
}

impl std::error::Error for HoursError {}

/// A parsed value: one expression, or one per weekday (Monday first) when holidays and weekdays
/// are intersected.
#[derive(Debug, Clone)]
pub(crate) struct Expression {
    variants: Vec<OpeningHours>,
}

impl Expression {
    /// The expression that evaluates `weekday`.
    pub fn for_weekday(&self, weekday: Weekday) -> &OpeningHours {
        let i = weekday.num_days_from_monday() as usize;
        self.variants.get(i).unwrap_or(&self.variants[0])
    }

    /// One expression for every day.
    pub fn single(&self) -> Option<&OpeningHours> {
        (self.variants.len() == 1).then(|| &self.variants[0])
    }

    pub fn with_context(&self, context: &Context) -> Expression {
        let variants = self
            .variants
            .iter()
            .map(|v| v.clone().with_context(context.clone()));
        Expression {
            variants: variants.collect(),
        }
    }
}

impl fmt::Display for Expression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.single() {
            Some(oh) => write!(f, "{oh}"),
            None => {
                let names = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
                let parts: Vec<_> = names
                    .iter()
                    .zip(&self.variants)
                    .map(|(n, v)| format!("[{n}] {v}"))
                    .collect();
                write!(f, "{}", parts.join(" / "))
            }
        }
    }
}

/// Parses `raw`, with the traps rewritten (see the module's documentation).
pub(crate) fn parse(raw: &str) -> Result<Expression, HoursError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(HoursError::Empty);
    }
    let rewritten = mark_intersections(&mark_bare_comments(raw)).into_owned();
    let oh = match rewritten.parse::<OpeningHours>() {
        Ok(oh) => oh,
        Err(err) => {
            if looks_like_prose(raw) {
                let comment = raw.replace('"', "");
                format!("unknown \"{comment}\"")
                    .parse::<OpeningHours>()
                    .map_err(|_| HoursError::Syntax(err.to_string()))?
            } else {
                return Err(HoursError::Syntax(err.to_string()));
            }
        }
    };
    split_intersections(unknown_open_ends(oh)?)
}

/// Prose rather than a mistyped schedule: no digit, at least one letter.
fn looks_like_prose(raw: &str) -> bool {
    !raw.chars().any(|c| c.is_ascii_digit()) && raw.chars().any(char::is_alphabetic)
}

/// Words that give a rule a time or a state of its own (so its comment is only a comment).
const TIME_OR_STATE: &[&str] = &[
    "open", "closed", "off", "unknown", "sunrise", "sunset", "dawn", "dusk",
];

/// Inserts `unknown` before the comment of every rule that has a comment but neither a time nor a
/// state (`"sur rendez-vous"`, `Sa "sur rendez-vous"`). Rules are cut at `;`, `,` and `||`
/// outside quotes; cutting inside a time list (`10:00-12:00,14:00-16:00 "x"`) is harmless, as a
/// piece with a time is left alone.
fn mark_bare_comments(raw: &str) -> Cow<'_, str> {
    if !raw.contains('"') {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len() + 16);
    let mut piece_start = 0;
    let mut in_quote = false;
    let bytes = raw.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'"' {
            in_quote = !in_quote;
        } else if !in_quote
            && (b == b';' || b == b',' || (b == b'|' && bytes.get(i + 1) == Some(&b'|')))
        {
            push_piece(&mut out, &raw[piece_start..i]);
            let sep_len = if b == b'|' { 2 } else { 1 };
            out.push_str(&raw[i..i + sep_len]);
            i += sep_len;
            piece_start = i;
            continue;
        }
        i += 1;
    }
    push_piece(&mut out, &raw[piece_start..]);
    Cow::Owned(out)
}

fn push_piece(out: &mut String, piece: &str) {
    let Some(quote) = piece.find('"') else {
        out.push_str(piece);
        return;
    };
    let selectors = piece[..quote].to_ascii_lowercase();
    let has_time_or_state = selectors.contains(':')
        || selectors.contains("24/7")
        || selectors
            .split(|c: char| !c.is_ascii_alphabetic())
            .any(|word| TIME_OR_STATE.contains(&word));
    if has_time_or_state {
        out.push_str(piece);
    } else {
        out.push_str(&piece[..quote]);
        if !piece[..quote].is_empty() && !piece[..quote].ends_with(' ') {
            out.push(' ');
        }
        out.push_str("unknown ");
        out.push_str(&piece[quote..]);
    }
}

/// Makes the open-ended spans of open rules unknown: `Mo-Fr 08:00-12:00,14:00+` becomes
/// `Mo-Fr 08:00-12:00, Mo-Fr 14:00-24:00 unknown`. The crate ignores the `+`, so the expression
/// is rewritten and parsed again (only when it has an open end).
fn unknown_open_ends(oh: OpeningHours) -> Result<OpeningHours, HoursError> {
    let expr = oh.get_expression();
    let has_open_end = |rule: &RuleSequence| {
        rule.kind == RuleKind::Open && rule.time_selector.spans.iter().any(|s| s.open_end)
    };
    if !expr.rules.iter().any(has_open_end) {
        return Ok(oh);
    }
    let mut rules = Vec::with_capacity(expr.rules.len() + 1);
    for rule in &expr.rules {
        if !has_open_end(rule) {
            rules.push(rule.clone());
            continue;
        }
        let (mut ended, kept): (Vec<_>, Vec<_>) = rule
            .time_selector
            .spans
            .iter()
            .cloned()
            .partition(|s| s.open_end);
        for span in &mut ended {
            span.open_end = false;
        }
        let unknown = |operator| RuleSequence {
            day_selector: rule.day_selector.clone(),
            time_selector: TimeSelector::new(ended.clone()),
            kind: RuleKind::Unknown,
            operator,
            comment: rule.comment.clone(),
        };
        if kept.is_empty() {
            rules.push(unknown(rule.operator));
        } else {
            rules.push(RuleSequence {
                time_selector: TimeSelector::new(kept),
                ..rule.clone()
            });
            rules.push(unknown(RuleOperator::Additional));
        }
    }
    OpeningHoursExpression { rules }
        .to_string()
        .parse()
        .map_err(|err: opening_hours_syntax::Error| HoursError::Syntax(err.to_string()))
}

/// Marks a rule whose holidays and weekdays are joined by a space with a week selector that
/// matches every week, so that the parsed rule can be told from a union (`SH,Mo-Fr`).
const INTERSECTION_MARK: &str = "week 01-53 ";

const WEEKDAYS: &[&str] = &["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];

fn is_word_at(raw: &str, at: usize, words: &[&str]) -> bool {
    let bytes = raw.as_bytes();
    let before_ok = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
    words.iter().any(|w| {
        raw[at..].starts_with(w)
            && before_ok
            && !bytes
                .get(at + w.len())
                .is_some_and(|b| b.is_ascii_alphabetic())
    })
}

/// Inserts [`INTERSECTION_MARK`] before `PH Mo`, `SH Mo-Fr`, `Mo-Fr SH`… (outside quotes).
fn mark_intersections(raw: &str) -> Cow<'_, str> {
    let bytes = raw.as_bytes();
    let mut marks = Vec::new();
    let mut in_quote = false;
    let mut skip_to = 0;
    for i in 0..bytes.len() {
        if bytes[i] == b'"' {
            in_quote = !in_quote;
        }
        if in_quote || i < skip_to || !raw.is_char_boundary(i) || !is_word_at(raw, i, &["PH", "SH"])
        {
            continue;
        }
        // Holidays then weekdays: `SH Mo-Fr`, `PH,SH Su`.
        let mut end = i + 2;
        while end + 3 <= bytes.len()
            && bytes[end] == b','
            && is_word_at(raw, end + 1, &["PH", "SH"])
        {
            end += 3;
        }
        skip_to = end;
        let after = raw[end..].trim_start();
        if after.len() < raw.len() - end && is_word_at(raw, raw.len() - after.len(), WEEKDAYS) {
            marks.push(i);
            continue;
        }
        // Weekdays then holidays: `Mo-Fr SH`.
        let before = raw[..i].trim_end();
        if before.len() < i {
            let start = before
                .rfind(|c: char| !(c.is_ascii_alphanumeric() || "-,[]".contains(c)))
                .map_or(0, |p| p + 1);
            let is_holiday_list = |s: &str| s.split(',').all(|t| t == "PH" || t == "SH");
            if start < before.len()
                && is_word_at(raw, start, WEEKDAYS)
                && !is_holiday_list(&before[start..])
            {
                marks.push(start);
            }
        }
    }
    if marks.is_empty() {
        return Cow::Borrowed(raw);
    }
    marks.dedup();
    let mut out = String::with_capacity(raw.len() + marks.len() * INTERSECTION_MARK.len());
    let mut last = 0;
    for at in marks {
        out.push_str(&raw[last..at]);
        out.push_str(INTERSECTION_MARK);
        last = at;
    }
    out.push_str(&raw[last..]);
    Cow::Owned(out)
}

fn is_marked(rule: &RuleSequence) -> bool {
    matches!(rule.day_selector.week.as_slice(), [week] if {
        let (range, step) = week.into_parts();
        **range.start() == 1 && **range.end() == 53 && step == 1
    })
}

/// Whether a weekday range of a marked rule contains `weekday`: `Some(true)`/`Some(false)`, or
/// `None` when it also depends on the date (`Mo[1]`, offsets).
fn weekday_in(range: &WeekDayRange, weekday: Weekday) -> Option<bool> {
    let WeekDayRange::Fixed {
        range,
        offset,
        nth_from_start,
        nth_from_end,
    } = range
    else {
        return Some(false);
    };
    if *offset != 0 || nth_from_start.contains(&false) || nth_from_end.contains(&false) {
        return None;
    }
    let (start, end, day) = (
        range.start().num_days_from_monday(),
        range.end().num_days_from_monday(),
        weekday.num_days_from_monday(),
    );
    Some(if start <= end {
        (start..=end).contains(&day)
    } else {
        day >= start || day <= end
    })
}

/// One expression per weekday when some rule intersects holidays and weekdays.
fn split_intersections(oh: OpeningHours) -> Result<Expression, HoursError> {
    let expr = oh.get_expression();
    if !expr.rules.iter().any(is_marked) {
        return Ok(Expression { variants: vec![oh] });
    }
    let weekdays = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
    let variants = weekdays.iter().map(|&weekday| {
        let mut rules = Vec::with_capacity(expr.rules.len());
        for rule in &expr.rules {
            if !is_marked(rule) {
                rules.push(rule.clone());
                continue;
            }
            let mut rule = rule.clone();
            rule.day_selector.week.clear();
            let (holidays, days): (Vec<_>, Vec<_>) = (rule.day_selector.weekday.iter().cloned())
                .partition(|r| matches!(r, WeekDayRange::Holiday { .. }));
            let matches: Vec<_> = days.iter().map(|r| weekday_in(r, weekday)).collect();
            if matches.contains(&Some(true)) {
                rule.day_selector.weekday = holidays;
            } else if matches.contains(&None) {
                rule.day_selector.weekday = holidays;
                if rule.kind == RuleKind::Open {
                    rule.kind = RuleKind::Unknown;
                }
            } else {
                continue; // never applies on this weekday
            }
            rules.push(rule);
        }
        OpeningHoursExpression { rules }
            .to_string()
            .parse::<OpeningHours>()
            .map_err(|err| HoursError::Syntax(err.to_string()))
    });
    Ok(Expression {
        variants: variants.collect::<Result<_, _>>()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(raw: &str) -> String {
        parse(raw)
            .map(|oh| oh.to_string())
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn a_comment_only_value_becomes_unknown() {
        assert_eq!(
            rewritten("\"sur rendez-vous\""),
            "24/7 unknown \"sur rendez-vous\""
        );
        assert_eq!(
            rewritten("Sa \"sur rendez-vous\""),
            "Sa unknown \"sur rendez-vous\""
        );
    }

    #[test]
    fn a_comment_with_a_time_or_state_is_kept_as_is() {
        assert_eq!(
            rewritten("Mo 10:00-12:00 \"sur rendez-vous\""),
            "Mo 10:00-12:00 \"sur rendez-vous\""
        );
        assert_eq!(rewritten("24/7 \"toujours\""), "24/7 \"toujours\"");
        assert_eq!(rewritten("Su off \"fermé\""), "Su closed \"fermé\"");
        assert_eq!(
            rewritten("Mo 10:00-12:00,14:00-16:00 \"x\""),
            "Mo 10:00-12:00,14:00-16:00 \"x\""
        );
    }

    #[test]
    fn separators_inside_a_comment_do_not_cut_it() {
        assert_eq!(
            rewritten("\"lundi; mardi, || jeudi\""),
            "24/7 unknown \"lundi; mardi, || jeudi\""
        );
    }

    #[test]
    fn unquoted_prose_is_kept_as_an_unknown_comment() {
        assert_eq!(
            rewritten("sur rendez-vous"),
            "24/7 unknown \"sur rendez-vous\""
        );
    }

    #[test]
    fn open_ends_become_unknown() {
        assert_eq!(rewritten("10:00+"), "10:00-24:00 unknown");
        assert_eq!(
            rewritten("Mo-Fr 08:00-12:00,14:00+"),
            "Mo-Fr 08:00-12:00, Mo-Fr 14:00-24:00 unknown"
        );
    }

    #[test]
    fn holidays_and_weekdays_joined_by_a_space_are_marked_as_an_intersection() {
        assert_eq!(
            mark_intersections("Mo-Fr 09:00-12:00; SH Mo-Fr 10:00-18:00"),
            "Mo-Fr 09:00-12:00; week 01-53 SH Mo-Fr 10:00-18:00"
        );
        assert_eq!(
            mark_intersections("Jul-Aug PH,SH Su off"),
            "Jul-Aug week 01-53 PH,SH Su off"
        );
        assert_eq!(
            mark_intersections("Mo-Fr SH 10:00-12:00"),
            "week 01-53 Mo-Fr SH 10:00-12:00"
        );
        assert_eq!(
            mark_intersections("PH,Su 10:00-12:00; SH 09:00-10:00"),
            "PH,Su 10:00-12:00; SH 09:00-10:00"
        );
        assert_eq!(
            mark_intersections("Mo 10:00-12:00 \"SH Mo\""),
            "Mo 10:00-12:00 \"SH Mo\""
        );
    }

    #[test]
    fn an_intersection_is_evaluated_per_weekday() {
        let expr = parse("Mo-Fr 16:30-18:30; SH Mo-Fr 10:00-18:00").map(|e| e.to_string());
        let expected = "[Mo] Mo-Fr 16:30-18:30; SH 10:00-18:00 / [Tu] Mo-Fr 16:30-18:30; SH 10:00-18:00 / \
            [We] Mo-Fr 16:30-18:30; SH 10:00-18:00 / [Th] Mo-Fr 16:30-18:30; SH 10:00-18:00 / \
            [Fr] Mo-Fr 16:30-18:30; SH 10:00-18:00 / [Sa] Mo-Fr 16:30-18:30 / [Su] Mo-Fr 16:30-18:30";
        assert_eq!(expr.as_deref(), Ok(expected));
    }

    #[test]
    fn blank_and_garbage_are_errors() {
        assert_eq!(parse("  ").map(|_| ()), Err(HoursError::Empty));
        assert!(matches!(parse("Mo-Fr 8h-12h"), Err(HoursError::Syntax(m)) if !m.is_empty()));
    }
}
