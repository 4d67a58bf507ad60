//! Command-line arguments: `parvis-server [--config PATH] [serve | import news SOURCE |
//! import events SOURCE [--format ics|openagenda] | import facilities SOURCE]`, parsed by hand.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::agenda::config::FeedFormat;

/// Usage, for `--help`.
pub const USAGE: &str = "usage: parvis-server [--config PATH] [serve | import news URL|FILE |
                    import events URL|FILE [--format ics|openagenda] |
                    import facilities URL|FILE]

  serve              run the server (the default)
  import news SRC    import an RSS 2.0 or Atom feed (http(s) URL or file) into the news, then exit
  import events SRC  import an iCalendar file or an OpenAgenda JSON export (http(s) URL or file)
                     into the agenda, then exit; --format when the content is ambiguous
  import facilities SRC
                     import GeoJSON (OpenStreetMap exports included) or an SCDL « Équipements »
                     CSV (http(s) URL or file) into the facilities, print what was created,
                     updated, unchanged and left out (with why), then exit
  --config PATH    configuration file (else $PARVIS_CONFIG, else ./parvis.toml if present)
  -h, --help       this help
  -V, --version    the version

Every key can be overridden by a PARVIS_* environment variable, with __ between levels
(PARVIS_SERVER__PORT=9000).";

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Serve {
        config: Option<PathBuf>,
    },
    /// `import news SOURCE`: one feed, from a URL or a file.
    ImportNews {
        config: Option<PathBuf>,
        source: String,
    },
    /// `import events SOURCE [--format F]`: one agenda, from a URL or a file.
    ImportEvents {
        config: Option<PathBuf>,
        source: String,
        format: Option<FeedFormat>,
    },
    /// `import facilities SOURCE`: GeoJSON or SCDL CSV, from a URL or a file.
    ImportFacilities {
        config: Option<PathBuf>,
        source: String,
    },
    Help,
    Version,
}

/// Reads the arguments (without the program name); the error is a one-line message.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command, String> {
    let mut config = None;
    let mut subcommand_seen = false;
    let mut import: Option<(Kind, String)> = None;
    let mut format: Option<FeedFormat> = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let Some(text) = arg.to_str() else {
            return Err(format!(
                "argument {} is not valid UTF-8",
                arg.to_string_lossy()
            ));
        };
        match text {
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            "--config" | "-c" => {
                let path = args.next().ok_or("--config needs a PATH")?;
                config = Some(PathBuf::from(path));
            }
            _ if text.starts_with("--config=") => {
                config = Some(PathBuf::from(&text["--config=".len()..]));
            }
            "serve" if !subcommand_seen => subcommand_seen = true,
            "--format" | "-f" => {
                let value = args.next().ok_or("--format needs ics or openagenda")?;
                format = Some(parse_format(&value.to_string_lossy())?);
            }
            _ if text.starts_with("--format=") => {
                format = Some(parse_format(&text["--format=".len()..])?);
            }
            "import" if !subcommand_seen => {
                subcommand_seen = true;
                let kind = match args.next().as_ref().and_then(|a| a.to_str()) {
                    Some("news") => Kind::News,
                    Some("events") => Kind::Events,
                    Some("facilities") => Kind::Facilities,
                    _ => {
                        return Err("import needs a kind: import news URL|FILE, import events \
                                    URL|FILE or import facilities URL|FILE"
                            .into());
                    }
                };
                let source = args
                    .next()
                    .ok_or(match kind {
                        Kind::News => "import news needs a feed URL or FILE",
                        Kind::Events => "import events needs a calendar URL or FILE",
                        Kind::Facilities => {
                            "import facilities needs a GeoJSON or SCDL CSV URL or FILE"
                        }
                    })?
                    .into_string()
                    .map_err(|s| format!("argument {} is not valid UTF-8", s.to_string_lossy()))?;
                import = Some((kind, source));
            }
            other => {
                return Err(format!(
                    "unknown argument `{other}` (see parvis-server --help)"
                ));
            }
        }
    }
    match (import, format) {
        (Some((Kind::News, source)), None) => Ok(Command::ImportNews { config, source }),
        (Some((Kind::Events, source)), format) => Ok(Command::ImportEvents {
            config,
            source,
            format,
        }),
        (Some((Kind::Facilities, source)), None) => {
            Ok(Command::ImportFacilities { config, source })
        }
        (None, None) => Ok(Command::Serve { config }),
        (_, Some(_)) => Err("--format only applies to import events".into()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    News,
    Events,
    Facilities,
}

fn parse_format(text: &str) -> Result<FeedFormat, String> {
    FeedFormat::parse(text)
        .ok_or_else(|| format!("unknown format `{text}`: --format takes ics or openagenda"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<Command, String> {
        parse(args.iter().map(OsString::from))
    }

    #[test]
    fn serve_is_the_default_and_config_takes_a_path() {
        assert_eq!(p(&[]), Ok(Command::Serve { config: None }));
        let with = Ok(Command::Serve {
            config: Some(PathBuf::from("a.toml")),
        });
        assert_eq!(p(&["--config", "a.toml", "serve"]), with);
        assert_eq!(p(&["serve", "--config=a.toml"]), with);
    }

    #[test]
    fn unknown_arguments_are_refused() {
        assert!(p(&["--verbose"]).is_err());
        assert!(p(&["serve", "serve"]).is_err());
        assert!(p(&["--config"]).is_err());
        assert!(p(&["import"]).is_err());
        assert!(p(&["import", "news"]).is_err());
        assert!(p(&["import", "agenda", "x"]).is_err());
        assert!(p(&["import", "events"]).is_err());
        assert!(p(&["import", "events", "a.ics", "--format", "csv"]).is_err());
        assert!(p(&["import", "news", "a.xml", "--format", "ics"]).is_err());
        assert!(p(&["import", "facilities"]).is_err());
        assert!(p(&["import", "facilities", "a.csv", "--format", "ics"]).is_err());
    }

    #[test]
    fn import_news_takes_a_source() {
        assert_eq!(
            p(&["--config", "a.toml", "import", "news", "feed.xml"]),
            Ok(Command::ImportNews {
                config: Some(PathBuf::from("a.toml")),
                source: "feed.xml".into(),
            })
        );
    }

    #[test]
    fn import_facilities_takes_a_source() {
        assert_eq!(
            p(&[
                "import",
                "facilities",
                "equipements.csv",
                "--config",
                "a.toml"
            ]),
            Ok(Command::ImportFacilities {
                config: Some(PathBuf::from("a.toml")),
                source: "equipements.csv".into(),
            })
        );
    }

    #[test]
    fn import_events_takes_a_source_and_an_optional_format() {
        assert_eq!(
            p(&["import", "events", "agenda.json", "--format", "openagenda"]),
            Ok(Command::ImportEvents {
                config: None,
                source: "agenda.json".into(),
                format: Some(FeedFormat::Openagenda),
            })
        );
        assert_eq!(
            p(&["import", "events", "https://example.fr/a.ics"]),
            Ok(Command::ImportEvents {
                config: None,
                source: "https://example.fr/a.ics".into(),
                format: None,
            })
        );
    }
}
