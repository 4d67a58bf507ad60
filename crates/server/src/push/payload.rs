//! The notification of an article, in the declarative Web Push shape, kept small enough for
//! one aes128gcm record of 4,096 bytes.

use parvis_core::push::{DECLARATIVE_WEB_PUSH, PushMessage, PushNotification};

/// Largest plaintext in a 4,096-byte aes128gcm push message (RFC 8291 §4): 4,096 minus the
/// 86-byte header (salt, record size, key id), the 16-byte tag and the padding delimiter.
pub const MAX_PLAINTEXT: usize = 3993;

/// Title and summary of an article are cut to this many characters before anything else: a
/// notification shows a few lines at most.
const MAX_TITLE_CHARS: usize = 200;

/// What a notification says about an article.
#[derive(Debug, Clone)]
pub struct ArticleNotice<'a> {
    pub id: i64,
    pub title: &'a str,
    pub summary: &'a str,
    /// Absolute URL of the article's page in the app.
    pub navigate: String,
    /// BCP 47 tag of the text (`fr`).
    pub lang: &'a str,
}

/// The tag (and push `Topic`) of an article's notification: a later one replaces it.
pub fn article_tag(id: i64) -> String {
    format!("article-{id}")
}

/// The JSON plaintext, at most [`MAX_PLAINTEXT`] bytes: the body, then the title, are cut
/// (with an ellipsis) to the longest that fits.
pub fn article_message(notice: &ArticleNotice<'_>) -> Vec<u8> {
    let title = cut(notice.title.trim(), MAX_TITLE_CHARS);
    let body = notice.summary.trim();
    let encode = |title: &str, body: &str| {
        let message = PushMessage {
            web_push: DECLARATIVE_WEB_PUSH,
            notification: PushNotification {
                title: title.to_owned(),
                body: (!body.is_empty()).then(|| body.to_owned()),
                navigate: notice.navigate.clone(),
                lang: Some(notice.lang.to_owned()),
                tag: Some(article_tag(notice.id)),
            },
        };
        // Plain strings and numbers: serialising cannot fail.
        let json = serde_json::to_vec(&message).unwrap_or_default();
        (json.len() <= MAX_PLAINTEXT).then_some(json)
    };
    if let Some(json) = encode(&title, body) {
        return json;
    }
    // JSON escapes make a character cost 1 to 6 bytes: search the longest cut that fits.
    if let Some(json) = longest_fitting(body.chars().count(), |k| encode(&title, &cut(body, k))) {
        return json;
    }
    encode(&title, "")
        .or_else(|| longest_fitting(title.chars().count(), |k| encode(&cut(&title, k), "")))
        // Only an absurd navigate URL leaves nothing that fits: the push service will refuse it.
        .unwrap_or_default()
}

/// The result of `attempt(k)` for the largest `k` in `1..n` that gives one.
fn longest_fitting(n: usize, attempt: impl Fn(usize) -> Option<Vec<u8>>) -> Option<Vec<u8>> {
    let (mut low, mut high) = (1, n);
    let mut best = None;
    while low < high {
        let mid = low + (high - low) / 2;
        match attempt(mid) {
            Some(json) => {
                best = Some(json);
                low = mid + 1;
            }
            None => high = mid,
        }
    }
    best
}

/// The first `max` characters of `text`, the last replaced by `…` when something was cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice<'a>(title: &'a str, summary: &'a str) -> ArticleNotice<'a> {
        ArticleNotice {
            id: 42,
            title,
            summary,
            navigate: "https://parvis.example/actualites/42".into(),
            lang: "fr",
        }
    }

    #[test]
    fn a_short_article_is_sent_whole_in_the_declarative_shape() {
        let json = article_message(&notice("Travaux rue Haute", "Fermée lundi."));
        let value: serde_json::Value = serde_json::from_slice(&json).expect("json");
        assert_eq!(value["web_push"], 8030);
        assert_eq!(value["notification"]["title"], "Travaux rue Haute");
        assert_eq!(value["notification"]["body"], "Fermée lundi.");
        assert_eq!(value["notification"]["tag"], "article-42");
        assert_eq!(value["notification"]["lang"], "fr");
        assert_eq!(
            value["notification"]["navigate"],
            "https://parvis.example/actualites/42"
        );
    }

    #[test]
    fn a_long_summary_is_cut_to_fit_one_record() {
        for unit in ["é", "a", "\u{1}", "\"", "😀"] {
            let summary = unit.repeat(5000);
            let json = article_message(&notice("Titre", &summary));
            assert!(json.len() <= MAX_PLAINTEXT, "{unit:?}: {}", json.len());
            assert!(json.len() > MAX_PLAINTEXT - 64, "{unit:?}: {}", json.len());
            let message: PushMessage = serde_json::from_slice(&json).expect("json");
            assert!(message.notification.body.expect("body").ends_with('…'));
        }
    }

    #[test]
    fn an_absurd_title_is_cut_too() {
        let title = "x".repeat(10_000);
        let json = article_message(&notice(&title, &"y".repeat(10_000)));
        let message: PushMessage = serde_json::from_slice(&json).expect("json");
        assert_eq!(message.notification.title.chars().count(), MAX_TITLE_CHARS);
        assert!(json.len() <= MAX_PLAINTEXT);
    }
}
