//! Parsing an `opening_hours` value with the `opening-hours` crate, after rewriting the forms the
//! crate would read as "open" although they say nothing certain, or otherwise than
//! opening_hours.js (the reference evaluator of the OSM wiki):
//! - a rule that is only a comment (`"sur rendez-vous"`, `Mo-Fr "sur rendez-vous"`), which the
//!   crate reads as open all day: it becomes `unknown "sur rendez-vous"`;
//! - an open end (`10:00+`, "from 10:00, closing time unknown"), which the crate reads as open
//!   until midnight: the open-ended spans become an `unknown` rule;
//! - a comment beside hours without an explicit state (`Mo-Fr 09:00-12:00 "sur rendez-vous"`),
//!   which the crate reads as open: it becomes `unknown` with its comment (as opening_hours.js and
//!   KDE's KOpeningHours read it: "sur rendez-vous" means one cannot just walk in); an explicit
//!   `open "…"` stays open;
//! - a value that is only the word "closed" (`fermé`, `fermée`): read as `closed`;
//! - plain prose that does not parse but holds no digit (`sur rendez-vous` without quotes):
//!   kept as the comment of an all-unknown value;
//! - fallback rules (`||`), which the crate applies only on days no earlier rule selects: they
//!   are applied at every time the earlier rules leave closed (see [`split_fallbacks`]);
//! - holidays and weekdays joined by a space (`SH Mo-Fr`: weekdays *during* school holidays, by
//!   the OSM specification), which the crate reads as a union (`SH,Mo-Fr`: every weekday too).
//!   Such a value is evaluated with one expression per weekday, where the rule keeps only its
//!   holidays on the weekdays it names and is dropped on the others.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveTime, Weekday};
use opening_hours::{Context, OpeningHours, RuleKind};
use opening_hours_syntax::rules::day::{DaySelector, WeekDayRange};
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
/// are intersected; and the rules after `||`, applied where these leave it closed.
#[derive(Debug, Clone)]
pub(crate) struct Expression {
    variants: Vec<OpeningHours>,
    fallback: Option<Box<Expression>>,
    /// Set on a whole value (not on its fallback): see [`seasons`].
    seasons: Option<OpeningHours>,
}

impl Expression {
    /// These variants alone: no fallback, no seasons (set by [`parse`] on a whole value).
    fn of(variants: Vec<OpeningHours>) -> Expression {
        Expression {
            variants,
            fallback: None,
            seasons: None,
        }
    }

    /// The expression that evaluates `weekday`.
    pub fn for_weekday(&self, weekday: Weekday) -> &OpeningHours {
        let i = weekday.num_days_from_monday() as usize;
        self.variants.get(i).unwrap_or(&self.variants[0])
    }

    /// One expression for every day.
    pub fn single(&self) -> Option<&OpeningHours> {
        (self.variants.len() == 1).then(|| &self.variants[0])
    }

    /// The rules after the first `||`, as an expression of their own (with their own fallback).
    pub fn fallback(&self) -> Option<&Expression> {
        self.fallback.as_deref()
    }

    /// The first day from `from` (before `to`) on which some rule may be open or unknown, by
    /// its year, month-day and week selectors alone: every other day is closed, whatever its weekday
    /// or holidays. `None` when there is none.
    pub fn first_possible_day(&self, from: NaiveDate, to: NaiveDate) -> Option<NaiveDate> {
        let Some(seasons) = &self.seasons else {
            return Some(from);
        };
        let midnight = |d: NaiveDate| d.and_time(NaiveTime::MIN);
        // Whole days: the first day alone first, as the crate follows a period to its end
        // before yielding it; then the closed period from it, which ends on a possible day.
        let first = seasons.iter_range(midnight(from), midnight(from.succ_opt()?));
        if first.take(1).any(|r| r.kind != RuleKind::Closed) {
            return Some(from);
        }
        let closed = seasons.iter_range(midnight(from), midnight(to)).next()?;
        (closed.range.end < midnight(to)).then(|| closed.range.end.date())
    }

    pub fn with_context(&self, context: &Context) -> Expression {
        let variants = self
            .variants
            .iter()
            .map(|v| v.clone().with_context(context.clone()));
        Expression {
            variants: variants.collect(),
            fallback: (self.fallback.as_ref()).map(|f| Box::new(f.with_context(context))),
            seasons: self.seasons.clone(),
        }
    }
}

impl fmt::Display for Expression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.single() {
            Some(oh) => write!(f, "{oh}")?,
            None => {
                let names = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
                let parts: Vec<_> = names
                    .iter()
                    .zip(&self.variants)
                    .map(|(n, v)| format!("[{n}] {v}"))
                    .collect();
                write!(f, "{}", parts.join(" / "))?;
            }
        }
        match &self.fallback {
            Some(fallback) => write!(f, " || {fallback}"),
            None => Ok(()),
        }
    }
}

/// Parses `raw`, with the traps rewritten (see the module's documentation).
pub(crate) fn parse(raw: &str) -> Result<Expression, HoursError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(HoursError::Empty);
    }
    let rewritten = if is_closed_word(raw) {
        "closed".to_owned()
    } else {
        mark_intersections(&mark_implicit_comments(raw)).into_owned()
    };
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
    let oh = unknown_open_ends(oh)?;
    let seasons = seasons(&oh.get_expression());
    let mut expression = split_fallbacks(oh)?;
    expression.seasons = seasons;
    Ok(expression)
}

/// The days when some rule may be open or unknown, as an expression of whole days from the
/// rules' year, month-day and week selectors (`Jul,Aug We-Su 14:00-18:30` gives `Jul,Aug`);
/// `None` when some such rule has none of them, so every day may be. A rule that is closed counts too when
/// it names holidays (an uncertain `SH` makes it unknown). The crate walks a closed season day
/// by day, as a weekday selector changes every day; evaluated alone, month and date ranges
/// jump from one bound to the next, so a season's next opening is found in a few steps.
fn seasons(expr: &OpeningHoursExpression) -> Option<OpeningHours> {
    let mut rules = Vec::new();
    for rule in &expr.rules {
        let holidays =
            (rule.day_selector.weekday.iter()).any(|w| matches!(w, WeekDayRange::Holiday { .. }));
        if rule.kind == RuleKind::Closed && !holidays {
            continue;
        }
        let days = &rule.day_selector;
        if days.year.is_empty() && days.monthday.is_empty() && days.week.is_empty() {
            return None;
        }
        rules.push(RuleSequence {
            day_selector: DaySelector {
                year: days.year.clone(),
                monthday: days.monthday.clone(),
                week: days.week.clone(),
                weekday: Vec::new(),
            },
            time_selector: TimeSelector::default(),
            kind: RuleKind::Open,
            operator: RuleOperator::Normal,
            comment: Arc::from(""),
        });
    }
    reparse(rules).ok()
}

fn reparse(rules: Vec<RuleSequence>) -> Result<OpeningHours, HoursError> {
    OpeningHoursExpression { rules }
        .to_string()
        .parse()
        .map_err(|err: opening_hours_syntax::Error| HoursError::Syntax(err.to_string()))
}

/// Sets the fallback rules (`A || B || C`) apart when every rule after the first `||` is a
/// fallback rule. The crate applies a fallback rule only on the days no earlier rule selects (so
/// `Mo-Fr 08:00-18:00; Sa 09:00-12:00 || "sur rendez-vous"` is closed on Saturday evening);
/// opening_hours.js, the evaluator the OSM wiki refers to, applies it at every time the earlier
/// rules leave closed (explicitly or not), which is what `... || "by appointment"` means: by
/// appointment outside the hours. So `B` is evaluated over the periods where `A` is closed, `C`
/// where `A || B` is. Another mix (`A || B; C`) keeps the crate's reading.
fn split_fallbacks(oh: OpeningHours) -> Result<Expression, HoursError> {
    let expr = oh.get_expression();
    let first = (expr.rules.iter())
        .position(|r| r.operator == RuleOperator::Fallback)
        .filter(|&i| i > 0)
        .filter(|&i| (expr.rules[i..].iter()).all(|r| r.operator == RuleOperator::Fallback));
    let Some(first) = first else {
        return split_intersections(oh);
    };
    let mut fallback = None;
    for rule in expr.rules[first..].iter().rev() {
        let rule = RuleSequence {
            operator: RuleOperator::Normal,
            ..rule.clone()
        };
        let mut layer = split_intersections(reparse(vec![rule])?)?;
        layer.fallback = fallback;
        fallback = Some(Box::new(layer));
    }
    let mut primary = split_intersections(reparse(expr.rules[..first].to_vec())?)?;
    primary.fallback = fallback;
    Ok(primary)
}

/// Prose rather than a mistyped schedule: no digit, at least one letter.
fn looks_like_prose(raw: &str) -> bool {
    !raw.chars().any(|c| c.is_ascii_digit()) && raw.chars().any(char::is_alphabetic)
}

/// The explicit states of a rule (`open`, `closed`, `off`, `unknown`), lowercase.
const STATES: &[&str] = &["open", "closed", "off", "unknown"];

/// Inserts `unknown` before every rule comment that follows no explicit state:
/// `Mo-Fr 09:00-12:00 "sur rendez-vous"` becomes `Mo-Fr 09:00-12:00 unknown "sur rendez-vous"`,
/// `"sur rendez-vous"` becomes `unknown "sur rendez-vous"`. A rule's comment always ends the
/// rule, so the inserted state is that of the whole rule (all its times); a comment used as a
/// selector (`"text": Mo 10:00-12:00`) is left alone.
fn mark_implicit_comments(raw: &str) -> Cow<'_, str> {
    if !raw.contains('"') {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len() + 16);
    let mut last = 0;
    let mut quotes = raw.match_indices('"').map(|(i, _)| i);
    while let (Some(open), Some(close)) = (quotes.next(), quotes.next()) {
        let is_selector = raw[close + 1..].trim_start().starts_with(':');
        let before = raw[..open].trim_end();
        let word_start = before
            .trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .len();
        let word = before[word_start..].to_ascii_lowercase();
        if is_selector || STATES.contains(&word.as_str()) {
            continue;
        }
        out.push_str(&raw[last..open]);
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        out.push_str("unknown ");
        last = open;
    }
    out.push_str(&raw[last..]);
    Cow::Owned(out)
}

/// A value that is only the word "closed" in French or English (`fermé`, `Fermée`, `closed`,
/// `off`; case and accents ignored, a final full stop allowed): unambiguous, read as `closed`.
/// opening_hours.js reads `fermé` as `off` too.
fn is_closed_word(raw: &str) -> bool {
    let word = crate::text::fold(raw.trim().trim_end_matches('.'));
    matches!(word.as_str(), "ferme" | "fermee" | "closed" | "off")
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
    reparse(rules)
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
        return Ok(Expression::of(vec![oh]));
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
    Ok(Expression::of(variants.collect::<Result<_, _>>()?))
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
    fn a_comment_without_an_explicit_state_becomes_unknown() {
        assert_eq!(
            rewritten("Mo 10:00-12:00 \"sur rendez-vous\""),
            "Mo 10:00-12:00 unknown \"sur rendez-vous\""
        );
        assert_eq!(rewritten("24/7 \"toujours\""), "24/7 unknown \"toujours\"");
        assert_eq!(
            rewritten("Mo 10:00-12:00,14:00-16:00 \"x\""),
            "Mo 10:00-12:00,14:00-16:00 unknown \"x\""
        );
        assert_eq!(
            rewritten("Mo 10:00-12:00 \"a\"; Sa 09:00-12:00 \"b\""),
            "Mo 10:00-12:00 unknown \"a\"; Sa 09:00-12:00 unknown \"b\""
        );
    }

    #[test]
    fn a_comment_after_an_explicit_state_is_kept_as_is() {
        assert_eq!(rewritten("Su off \"fermé\""), "Su closed \"fermé\"");
        assert_eq!(
            rewritten("Mo 10:00-12:00 open \"accueil\""),
            "Mo 10:00-12:00 \"accueil\""
        );
        assert_eq!(
            rewritten("Mo 10:00-12:00 Unknown \"x\""),
            "Mo 10:00-12:00 unknown \"x\""
        );
    }

    #[test]
    fn fallback_rules_are_set_apart() {
        assert_eq!(
            rewritten("Mo-Fr 08:00-18:00; Sa 09:00-12:00 || \"sur rendez-vous\""),
            "Mo-Fr 08:00-18:00; Sa 09:00-12:00 || 24/7 unknown \"sur rendez-vous\""
        );
        let expr = parse("Mo 10:00-12:00 || Tu 10:00-12:00 || \"x\"").expect("parses");
        let second = expr.fallback().expect("a fallback");
        assert_eq!(second.to_string(), "Tu 10:00-12:00 || 24/7 unknown \"x\"");
        assert!(
            second
                .fallback()
                .is_some_and(|third| third.fallback().is_none())
        );
    }

    #[test]
    fn only_the_word_closed_is_read_as_closed() {
        assert_eq!(rewritten("fermé"), "24/7 closed");
        assert_eq!(rewritten("Fermée"), "24/7 closed");
        assert_eq!(
            rewritten("fermé le lundi"),
            "24/7 unknown \"fermé le lundi\""
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
