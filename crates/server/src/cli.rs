//! Command-line arguments: `parvis-server [--config PATH] [serve | import news SOURCE]`, parsed
//! by hand.

use std::ffi::OsString;
use std::path::PathBuf;

/// Usage, for `--help`.
pub const USAGE: &str = "usage: parvis-server [--config PATH] [serve | import news URL|FILE]

  serve            run the server (the default)
  import news SRC  import an RSS 2.0 or Atom feed (http(s) URL or file) into the news, then exit
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
    Help,
    Version,
}

/// Reads the arguments (without the program name); the error is a one-line message.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command, String> {
    let mut config = None;
    let mut subcommand_seen = false;
    let mut import_source: Option<String> = None;
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
            "import" if !subcommand_seen => {
                subcommand_seen = true;
                match args.next().as_ref().and_then(|a| a.to_str()) {
                    Some("news") => {}
                    _ => return Err("import needs a kind: import news URL|FILE".into()),
                }
                let source = args
                    .next()
                    .ok_or("import news needs a feed URL or FILE")?
                    .into_string()
                    .map_err(|s| format!("argument {} is not valid UTF-8", s.to_string_lossy()))?;
                import_source = Some(source);
            }
            other => {
                return Err(format!(
                    "unknown argument `{other}` (see parvis-server --help)"
                ));
            }
        }
    }
    Ok(match import_source {
        Some(source) => Command::ImportNews { config, source },
        None => Command::Serve { config },
    })
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
}
