//! Plain text from imported agenda fields: HTML stripped, paragraphs kept, lengths capped, and
//! only web (and mail, phone) links.

use crate::news::sanitize;

/// Longest title, in characters.
pub const TITLE_MAX_CHARS: usize = 300;
/// Longest description, in characters.
pub const DESCRIPTION_MAX_CHARS: usize = 20_000;
/// Longest short field (place, address, price, accessibility note), in characters.
pub const SHORT_MAX_CHARS: usize = 1_000;

/// One line of plain text (HTML stripped, whitespace collapsed), at most `max` characters.
pub fn line(text: &str, max: usize) -> String {
    let text = if looks_like_html(text) {
        sanitize::plain_text(text)
    } else {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    cap(&text, max)
}

/// A short optional field: `None` when empty.
pub fn short(text: Option<&str>) -> Option<String> {
    text.map(|t| line(t, SHORT_MAX_CHARS))
        .filter(|t| !t.is_empty())
}

/// Plain text in paragraphs separated by blank lines (HTML paragraphs and line breaks kept as
/// such, tags dropped).
pub fn paragraphs(text: &str) -> String {
    let text = if looks_like_html(text) {
        let mut marked = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find('<') {
            marked.push_str(&rest[..at]);
            let tag: String = rest[at + 1..]
                .trim_start_matches('/')
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            let end = rest[at..].find('>').map_or(rest.len(), |e| at + e + 1);
            match tag.as_str() {
                "br" => marked.push('\n'),
                "p" | "div" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol"
                | "blockquote" | "tr" | "table" | "section" => marked.push_str("\n\n"),
                _ => {}
            }
            // Other tags go through the sanitiser below, which also drops script contents.
            if !matches!(
                tag.as_str(),
                "br" | "p"
                    | "div"
                    | "li"
                    | "h1"
                    | "h2"
                    | "h3"
                    | "h4"
                    | "h5"
                    | "h6"
                    | "ul"
                    | "ol"
                    | "blockquote"
                    | "tr"
                    | "table"
                    | "section"
            ) {
                marked.push_str(&rest[at..end]);
            }
            rest = &rest[end..];
        }
        marked.push_str(rest);
        marked
            .split('\n')
            .map(|l| {
                if l.trim().is_empty() {
                    String::new()
                } else {
                    sanitize::plain_text(l)
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        text.replace("\r\n", "\n")
    };
    let mut out: Vec<String> = Vec::new();
    for block in text.split("\n\n") {
        let lines: Vec<String> = block
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect();
        if !lines.is_empty() {
            out.push(lines.join("\n"));
        }
    }
    cap(&out.join("\n\n"), DESCRIPTION_MAX_CHARS)
}

/// An `http(s)` URL (or, when `contact`, also `mailto:` and `tel:`), else `None`.
pub fn url(text: Option<&str>, contact: bool) -> Option<String> {
    let text = text?.trim();
    let lower = text.to_ascii_lowercase();
    let web = lower.starts_with("https://") || lower.starts_with("http://");
    let other = contact && (lower.starts_with("mailto:") || lower.starts_with("tel:"));
    ((web || other) && text.len() <= 2048 && !text.contains(char::is_whitespace))
        .then(|| text.to_owned())
}

fn looks_like_html(text: &str) -> bool {
    text.contains('<') && text.contains('>') || text.contains("&amp;") || text.contains("&nbsp;")
}

fn cap(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_descriptions_become_paragraphs_of_plain_text() {
        let text = paragraphs(
            "<p>Concert <b>gratuit</b> &amp; buvette</p><p>Ligne 1<br>Ligne 2</p><script>x()</script>",
        );
        assert_eq!(text, "Concert gratuit & buvette\n\nLigne 1\nLigne 2");
        assert_eq!(paragraphs("a\n\n\n  b  c\n"), "a\n\nb c");
    }

    #[test]
    fn only_web_links_pass() {
        assert_eq!(
            url(Some(" https://x.fr/a "), false).as_deref(),
            Some("https://x.fr/a")
        );
        assert_eq!(url(Some("javascript:alert(1)"), true), None);
        assert_eq!(url(Some("mailto:a@b.fr"), false), None);
        assert!(url(Some("tel:+33123456789"), true).is_some());
    }
}
