//! Escaped HTML fragments for long, static lists (hundreds of agenda entries).
//!
//! Why not `view!`: each distinct view type costs its own rendering code in the Wasm, and the
//! agenda's cards alone would add tens of kilobytes to a first visit capped at 250 KB. Lists
//! that never change once drawn are rendered as one escaped string instead; their links are
//! ordinary `<a href>`s, which the router still intercepts for client-side navigation.

/// Escapes text for an HTML text node or a double-quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Appends `<tag class="class">escaped text</tag>`.
pub fn push_text(out: &mut String, tag: &str, class: &str, text: &str) {
    out.push('<');
    out.push_str(tag);
    if !class.is_empty() {
        out.push_str(" class=\"");
        out.push_str(class);
        out.push('"');
    }
    out.push('>');
    out.push_str(&escape(text));
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}
