//! The national SCDL « Équipements » CSV (schema.data.gouv.fr `scdl/equipements`) into drafts:
//! one row per facility, keyed by `EQUIP_UID`, its category from `EQUIP_TYPE` then
//! `EQUIP_THEME`, its hours from `EQUIP_OUVERTURE` (OSM syntax). Columns are matched without
//! case, and the names local portals commonly use instead (`ADRESSE`, `CODE_POSTAL`,
//! `COMMUNE`, `EQUIP_PMR`…) are read too. UTF-8 with or without BOM; Windows-1252 as a fallback.

use std::collections::HashMap;

use parvis_core::LatLon;

use super::csv;
use super::draft::{self, Context, Draft};

/// Columns of a name, in order of preference.
const NAME: &[&str] = &["EQUIP_NOM", "NOM"];
const LAT: &[&str] = &["EQUIP_LAT", "LATITUDE", "LAT", "EQUIP_Y"];
const LON: &[&str] = &[
    "EQUIP_LONG",
    "EQUIP_LON",
    "LONGITUDE",
    "LONG",
    "LON",
    "EQUIP_X",
];

/// A CSV read: its drafts, and a remark about the whole file (its encoding).
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub drafts: Vec<Draft>,
    pub notes: Vec<String>,
}

/// Reads an SCDL CSV; the error says why it is not one.
pub fn parse(ctx: &Context<'_>, bytes: &[u8]) -> Result<Parsed, String> {
    let mut notes = Vec::new();
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => {
            notes.push("fichier non UTF-8 : lu comme Windows-1252".to_owned());
            windows_1252(bytes)
        }
    };
    let separator = csv::guess_separator(&text);
    let mut records = csv::parse(&text, separator)?.into_iter();
    let header = records.next().ok_or("an empty file")?;
    let columns: HashMap<String, usize> = header
        .fields
        .iter()
        .enumerate()
        .map(|(i, name)| (name.trim().to_ascii_uppercase(), i))
        .collect();
    let find = |names: &[&str]| names.iter().any(|n| columns.contains_key(*n));
    if !find(NAME) {
        let shown: Vec<&str> = header.fields.iter().take(12).map(String::as_str).collect();
        return Err(format!(
            "not an SCDL « Équipements » CSV: no EQUIP_NOM column (columns: {})",
            shown.join(", ")
        ));
    }
    if !find(LAT) || !find(LON) {
        return Err(
            "not an SCDL « Équipements » CSV: no EQUIP_LAT and EQUIP_LONG columns".to_owned(),
        );
    }
    let drafts = records
        .map(|record| {
            let lookup = |key: &str| {
                let i = *columns.get(&key.to_ascii_uppercase())?;
                let value = record.fields.get(i)?.trim();
                (!value.is_empty()).then(|| value.to_owned())
            };
            draft_of(ctx, format!("ligne {}", record.line), &lookup, None)
        })
        .collect();
    Ok(Parsed { drafts, notes })
}

/// One SCDL record (a CSV row, or the properties of a GeoJSON feature) into a draft;
/// `geometry` stands in for missing coordinate fields.
pub fn draft_of(
    ctx: &Context<'_>,
    place: String,
    get: &dyn Fn(&str) -> Option<String>,
    geometry: Option<Result<LatLon, String>>,
) -> Draft {
    let first = |keys: &[&str]| keys.iter().find_map(|k| get(k));
    let uid = first(&["EQUIP_UID", "EQUIP_ID", "ID"]);
    let kind = first(&["EQUIP_TYPE", "TYPE"]);
    let theme = first(&["EQUIP_THEME", "THEME"]);
    let facilities = ctx.facilities;
    let category = kind
        .iter()
        .chain(theme.iter())
        .find_map(|label| facilities.category_for_label(label))
        .map(str::to_owned);
    let category_hint = match (&kind, &theme) {
        (Some(k), Some(t)) => Some(format!("EQUIP_TYPE « {k} », EQUIP_THEME « {t} »")),
        (Some(k), None) => Some(format!("EQUIP_TYPE « {k} »")),
        (None, Some(t)) => Some(format!("EQUIP_THEME « {t} »")),
        (None, None) => None,
    };
    let position = match (first(LAT), first(LON)) {
        (None, _) | (_, None) if geometry.is_some() => geometry,
        (None, None) => Some(Err(
            "coordonnées absentes (EQUIP_LAT, EQUIP_LONG)".to_owned()
        )),
        (None, Some(_)) => Some(Err("latitude absente (EQUIP_LAT)".to_owned())),
        (Some(_), None) => Some(Err("longitude absente (EQUIP_LONG)".to_owned())),
        (Some(lat), Some(lon)) => Some(match (draft::coordinate(&lat), draft::coordinate(&lon)) {
            (Some(lat), Some(lon)) => Ok(LatLon { lat, lon }),
            _ => Err(format!(
                "coordonnées illisibles (EQUIP_LAT « {lat} », EQUIP_LONG « {lon} »)"
            )),
        }),
    };
    let street = first(&[
        "ADR_NOMVOIE",
        "ADRESSE",
        "EQUIP_ADRESSE",
        "ADRESSE_1",
        "VOIE",
    ]);
    let address = draft::address_of(
        first(&["ADR_NUMERO", "NUMERO"]).as_deref(),
        street.as_deref(),
        first(&["ADR_CODEPOSTAL", "CODE_POSTAL", "EQUIP_CP", "CP"]).as_deref(),
        first(&["ADR_COMMUNE", "COMMUNE", "EQUIP_COMMUNE", "VILLE"]).as_deref(),
    );
    Draft {
        place,
        reference: uid.clone(),
        key: uid.map(|uid| format!("scdl:{uid}")),
        name: first(NAME),
        category,
        category_hint,
        position,
        address,
        phone: first(&["EQUIP_TEL", "TELEPHONE", "TEL"]),
        email: first(&["EQUIP_EMAIL", "EMAIL", "COURRIEL"]),
        website: first(&["EQUIP_WEB", "SITE_WEB", "WEB", "URL"]),
        description: first(&["EQUIP_DESCRIPTION", "DESCRIPTION"]),
        opening_hours: first(&["EQUIP_OUVERTURE", "HORAIRES", "OPENING_HOURS"]),
        closures: None,
        wheelchair: first(&["EQUIP_PMR", "ACCES_PMR", "ACCESSIBILITE_PMR", "PMR"]),
        services: Vec::new(),
        photo_url: first(&["EQUIP_PHOTO", "PHOTO"]),
        warnings: Vec::new(),
    }
}

/// Windows-1252 (a superset of Latin-1 that French spreadsheets write) into text.
fn windows_1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9f => HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_is_decoded() {
        assert_eq!(
            windows_1252(b"D\xe9ch\xe8terie \x80 \x9c"),
            "Déchèterie € œ"
        );
    }
}
