//! A small CSV reader (RFC 4180): quoted fields with doubled quotes and line breaks inside,
//! CRLF or LF, and the separator guessed from the header (`;` as French spreadsheets write it,
//! `,` or a tab). SCDL files are small, so the whole text is read at once.

/// One record: its fields and the line it starts on (1-based), for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

/// The separator that occurs most often, outside quotes, on the first line.
pub fn guess_separator(text: &str) -> char {
    let mut counts = [(';', 0usize), (',', 0), ('\t', 0)];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            _ if !quoted => {
                if let Some(entry) = counts.iter_mut().find(|(s, _)| *s == c) {
                    entry.1 += 1;
                }
            }
            _ => {}
        }
    }
    // Ties go to `;`, the first: French files use it because `,` is the decimal separator.
    counts
        .iter()
        .fold(
            (';', 0),
            |best, &(s, n)| if n > best.1 { (s, n) } else { best },
        )
        .0
}

/// Every record of `text`; blank lines are skipped. The error names the line of a quote that
/// never closes (the rest of the file would be misread).
pub fn parse(text: &str, separator: char) -> Result<Vec<Record>, String> {
    let mut records = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    // Whether the current field was quoted (so that `""` is an empty field, not nothing).
    let mut was_quoted = false;
    let mut line = 1;
    let mut record_line = 1;
    let mut quote_line = 1;
    let mut chars = text.chars().peekable();
    let mut end_record = |fields: &mut Vec<String>, field: &mut String, was_quoted: bool, at| {
        if !(fields.is_empty() && field.trim().is_empty() && !was_quoted) {
            fields.push(std::mem::take(field));
            records.push(Record {
                line: at,
                fields: std::mem::take(fields),
            });
        }
        field.clear();
    };
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                '\r' if chars.peek() == Some(&'\n') => {}
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.trim().is_empty() => {
                field.clear();
                quoted = true;
                was_quoted = true;
                quote_line = line;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                end_record(&mut fields, &mut field, was_quoted, record_line);
                was_quoted = false;
                line += 1;
                record_line = line;
            }
            _ if c == separator => {
                fields.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err(format!(
            "a quoted field opened on line {quote_line} never closes"
        ));
    }
    end_record(&mut fields, &mut field, was_quoted, record_line);
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str, sep: char) -> Vec<Vec<String>> {
        parse(text, sep)
            .expect("parses")
            .into_iter()
            .map(|r| r.fields)
            .collect()
    }

    #[test]
    fn quoted_fields_keep_separators_quotes_and_line_breaks() {
        let text = "A;B;C\r\n1;\"Mo-Fr 08:00-12:00; Sa 09:00-12:00\";\"dit \"\"bonjour\"\"\"\r\n\
                    2;\"deux\nlignes\";\r\n\r\n3;;\"\"\n";
        assert_eq!(
            rows(text, ';'),
            vec![
                vec!["A", "B", "C"],
                vec!["1", "Mo-Fr 08:00-12:00; Sa 09:00-12:00", "dit \"bonjour\""],
                vec!["2", "deux\nlignes", ""],
                vec!["3", "", ""],
            ]
        );
        let records = parse(text, ';').expect("parses");
        assert_eq!(
            records.iter().map(|r| r.line).collect::<Vec<_>>(),
            [1, 2, 3, 6]
        );
    }

    #[test]
    fn the_separator_is_guessed_outside_quotes() {
        assert_eq!(guess_separator("A;B;C\n1,2;3"), ';');
        assert_eq!(guess_separator("\"A;B\",C,D\n"), ',');
        assert_eq!(guess_separator("A\tB\tC"), '\t');
        assert_eq!(guess_separator("A"), ';');
    }

    #[test]
    fn an_unclosed_quote_is_an_error_naming_its_line() {
        let err = parse("A;B\n1;\"open\n2;3\n", ';').expect_err("unclosed");
        assert!(err.contains("line 2"), "{err}");
    }
}
