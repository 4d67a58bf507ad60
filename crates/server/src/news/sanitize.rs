//! What an imported article may contain: a safe subset of HTML for bodies, plain text for
//! summaries and titles. Nothing from a feed reaches a phone without passing through here.

use std::collections::HashSet;

use ammonia::{Builder, Url, UrlRelative};

/// Longest summary, in characters.
pub const SUMMARY_MAX_CHARS: usize = 300;

/// Sanitised HTML: structure, emphasis, links, lists, quotes, figures and simple tables only;
/// no script, style or event handler; URLs only http, https and mailto; links get
/// `rel="noopener noreferrer"`. Relative URLs are resolved against `base` (the entry's page)
/// when there is one, else dropped.
pub fn body_html(html: &str, base: Option<&str>) -> String {
    let tags: HashSet<&str> = [
        "p",
        "br",
        "a",
        "ul",
        "ol",
        "li",
        "strong",
        "em",
        "b",
        "i",
        "h2",
        "h3",
        "h4",
        "blockquote",
        "img",
        "figure",
        "figcaption",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "caption",
        "sup",
        "sub",
    ]
    .into_iter()
    .collect();
    let base = base
        .and_then(|b| Url::parse(b).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"));
    let relative = match base {
        Some(url) => UrlRelative::RewriteWithBase(url),
        None => UrlRelative::Deny,
    };
    Builder::empty()
        .tags(tags)
        .tag_attributes(
            [
                ("a", ["href"].into_iter().collect()),
                ("img", ["src", "alt"].into_iter().collect()),
                ("th", ["colspan", "rowspan"].into_iter().collect()),
                ("td", ["colspan", "rowspan"].into_iter().collect()),
            ]
            .into_iter()
            .collect(),
        )
        .clean_content_tags(
            ["script", "style", "noscript", "template"]
                .into_iter()
                .collect(),
        )
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(relative)
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true)
        .clean(html)
        .to_string()
        .trim()
        .to_owned()
}

/// The text of an HTML fragment (tags dropped, entities decoded, whitespace collapsed).
pub fn plain_text(html: &str) -> String {
    // Block boundaries become spaces, so `<p>a</p><p>b</p>` reads "a b", not "ab".
    let mut spaced = String::with_capacity(html.len() + 16);
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        spaced.push_str(&rest[..at]);
        let tag = rest[at + 1..]
            .trim_start_matches('/')
            .split(|c: char| !c.is_ascii_alphanumeric())
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if matches!(
            tag.as_str(),
            "p" | "br"
                | "li"
                | "div"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "tr"
                | "td"
                | "th"
                | "blockquote"
                | "figcaption"
                | "ul"
                | "ol"
                | "table"
                | "section"
        ) {
            spaced.push(' ');
        }
        spaced.push('<');
        rest = &rest[at + 1..];
    }
    spaced.push_str(rest);
    let text = Builder::empty()
        .clean_content_tags(
            ["script", "style", "noscript", "template"]
                .into_iter()
                .collect(),
        )
        .clean(&spaced)
        .to_string();
    let decoded = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A summary from plain text: at most [`SUMMARY_MAX_CHARS`] characters, cut at a word
/// boundary with an ellipsis when too long.
pub fn summary(text: &str) -> String {
    if text.chars().count() <= SUMMARY_MAX_CHARS {
        return text.to_owned();
    }
    let cut: String = text.chars().take(SUMMARY_MAX_CHARS - 1).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > cut.len() / 2 => &cut[..space],
        _ => &cut,
    };
    format!("{}…", cut.trim_end_matches([' ', ',', ';', ':', '.']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_styles_and_javascript_urls_are_removed() {
        let dirty = r#"<p onclick="steal()" style="color:red">Bonjour <script>alert(1)</script>
            <a href="javascript:alert(2)">ici</a> <a href="https://ex.fr/a">là</a></p>
            <img src="x.png" onerror="boom()"><iframe src="https://evil"></iframe>"#;
        let clean = body_html(dirty, None);
        for bad in [
            "script",
            "alert",
            "onclick",
            "style",
            "javascript",
            "onerror",
            "iframe",
        ] {
            assert!(!clean.contains(bad), "{bad} in {clean}");
        }
        assert!(clean.contains(r#"<a href="https://ex.fr/a" rel="noopener noreferrer">là</a>"#));
    }

    #[test]
    fn relative_urls_are_resolved_against_the_entry_page() {
        let clean = body_html(
            r#"<a href="/plan.pdf">plan</a>"#,
            Some("https://mairie.fr/n/1"),
        );
        assert!(
            clean.contains(r#"href="https://mairie.fr/plan.pdf""#),
            "{clean}"
        );
        assert!(!body_html(r#"<a href="/plan.pdf">plan</a>"#, None).contains("href"));
    }

    #[test]
    fn plain_text_drops_tags_and_decodes_entities() {
        let text = plain_text("<p>Rue&nbsp;de la Loire &amp; quai</p><p>Fermée <b>lundi</b></p>");
        assert_eq!(text, "Rue de la Loire & quai Fermée lundi");
        assert_eq!(plain_text("a <script>x()</script>b"), "a b");
    }

    #[test]
    fn long_summaries_are_cut_at_a_word() {
        let long = "mot ".repeat(200);
        let s = summary(long.trim());
        assert!(s.chars().count() <= SUMMARY_MAX_CHARS);
        assert!(s.ends_with("mot…"), "{s}");
        assert_eq!(summary("court"), "court");
    }
}
