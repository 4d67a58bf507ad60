//! Command-line arguments: `parvis-server [--config PATH] [serve]`, parsed by hand.

use std::ffi::OsString;
use std::path::PathBuf;

/// Usage, for `--help`.
pub const USAGE: &str = "usage: parvis-server [--config PATH] [serve]

  serve            run the server (the default)
  --config PATH    configuration file (else $PARVIS_CONFIG, else ./parvis.toml if present)
  -h, --help       this help
  -V, --version    the version

Every key can be overridden by a PARVIS_* environment variable, with __ between levels
(PARVIS_SERVER__PORT=9000).";

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Serve { config: Option<PathBuf> },
    Help,
    Version,
}

/// Reads the arguments (without the program name); the error is a one-line message.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command, String> {
    let mut config = None;
    let mut subcommand_seen = false;
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
            other => {
                return Err(format!(
                    "unknown argument `{other}` (usage: parvis-server [--config PATH] [serve])"
                ));
            }
        }
    }
    Ok(Command::Serve { config })
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
    }
}
