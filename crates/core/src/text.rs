//! Text folding for search: "theatre" finds "Théâtre", "ECOLE" finds "école".
//!
//! A small table for the letters of French (and the Latin-1/Latin Extended-A letters that
//! appear in French place and people's names) instead of Unicode normalisation tables, which
//! would weigh on the app's Wasm.

/// Lowercases and removes diacritics; ligatures become two letters (œ → oe, æ → ae).
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'ā' | 'Ā' => {
                out.push('a')
            }
            'ç' | 'Ç' | 'ć' | 'č' | 'Ć' | 'Č' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' | 'ē' | 'ę' | 'ě' | 'Ē' | 'Ę' | 'Ě' => {
                out.push('e')
            }
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'ī' | 'Ī' => out.push('i'),
            'ñ' | 'Ñ' | 'ń' | 'ň' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'ō' | 'Ō' => {
                out.push('o')
            }
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'ū' | 'ů' | 'Ū' | 'Ů' => {
                out.push('u')
            }
            'ý' | 'ÿ' | 'Ý' | 'Ÿ' => out.push('y'),
            'ž' | 'ź' | 'ż' | 'Ž' | 'Ź' | 'Ż' => out.push('z'),
            'š' | 'ś' | 'Š' | 'Ś' => out.push('s'),
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            // Typographic apostrophes and dashes search like their ASCII forms.
            '’' | '‘' | 'ʼ' => out.push('\''),
            '–' | '—' | '‑' => out.push('-'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Whether every word of `query` appears in the already folded `haystack`.
pub fn matches_all_words(folded_haystack: &str, query: &str) -> bool {
    fold(query)
        .split_whitespace()
        .all(|word| folded_haystack.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_and_case_fold_away() {
        assert_eq!(fold("Théâtre à l’École"), "theatre a l'ecole");
        assert_eq!(fold("ŒUVRES Noël"), "oeuvres noel");
    }

    #[test]
    fn every_word_of_the_query_must_match() {
        let hay = fold("Concert de Noël à l'église Saint-Aubin");
        assert!(matches_all_words(&hay, "noel EGLISE"));
        assert!(matches_all_words(&hay, "  "));
        assert!(!matches_all_words(&hay, "noel piscine"));
    }
}
