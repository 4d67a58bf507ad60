//! Configuration: environment overrides, file, and what validation refuses.

use std::path::PathBuf;

use parvis_server::config::{Config, Sources};

use crate::helpers::spawn_app_with;

fn load(env: &[(&str, &str)]) -> Result<Config, String> {
    let sources = Sources {
        env: env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        ..Sources::default()
    };
    Config::load(&sources).map_err(|e| e.to_string())
}

fn load_file(toml: &str) -> Result<Config, String> {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("parvis.toml"), toml).expect("write config");
    let sources = Sources {
        working_dir: Some(dir.path().to_owned()),
        ..Sources::default()
    };
    Config::load(&sources).map_err(|e| e.to_string())
}

#[tokio::test]
async fn an_environment_override_reaches_the_api() {
    let app = spawn_app_with(&[("PARVIS_COMMUNE__NAME", "Ville-Test")]).await;

    let commune: parvis_core::Commune =
        app.get("/api/v1/commune").await.json().await.expect("JSON");

    assert_eq!(commune.name, "Ville-Test");
}

#[test]
fn parvis_toml_in_the_working_directory_is_read_and_env_wins_over_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("parvis.toml"),
        "data_dir = \"ici\"\n[server]\nport = 9000\n[commune]\nname = \"Fichier\"\n",
    )
    .expect("write config");
    let sources = Sources {
        working_dir: Some(dir.path().to_owned()),
        env: vec![("PARVIS_SERVER__PORT".into(), "9100".into())],
        ..Sources::default()
    };

    let config = Config::load(&sources).expect("loads");

    assert_eq!(config.data_dir, PathBuf::from("ici"));
    assert_eq!(config.commune.name, "Fichier");
    assert_eq!(config.server.port, 9100);
}

#[test]
fn numeric_looking_values_still_fill_text_keys() {
    let config = load(&[
        ("PARVIS_COMMUNE__INSEE_CODE", "37214"),
        ("PARVIS_COMMUNE__NAME", "1789"),
    ])
    .expect("loads");

    assert_eq!(config.commune.insee_code.as_deref(), Some("37214"));
    assert_eq!(config.commune.name, "1789");
}

#[test]
fn a_primary_colour_unreadable_under_white_text_is_refused() {
    let err = load(&[("PARVIS_COMMUNE__COLORS__PRIMARY", "#ffcc00")]).expect_err("refused");
    assert!(err.contains("commune.colors.primary"), "{err}");
    assert!(err.contains("4.5"), "{err}");
    assert!(!err.contains('\n'));
}

#[test]
fn a_dark_theme_colour_unreadable_on_the_dark_background_is_refused() {
    let err =
        load(&[("PARVIS_COMMUNE__COLORS__PRIMARY_DARK_THEME", "#1d4e89")]).expect_err("refused");
    assert!(err.contains("primary_dark_theme"), "{err}");
}

#[test]
fn a_malformed_colour_is_refused() {
    let err = load(&[("PARVIS_COMMUNE__COLORS__PRIMARY", "blue")]).expect_err("refused");
    assert!(err.contains("#rrggbb"), "{err}");
}

#[test]
fn an_unknown_key_is_refused() {
    let err = load_file("[server]\nprot = 8080\n").expect_err("refused");
    assert!(err.contains("prot"), "{err}");
    let err = load_file("colour = \"red\"\n").expect_err("refused");
    assert!(err.contains("colour"), "{err}");
}

#[test]
fn invalid_toml_is_refused() {
    let err = load_file("[server\nport = 1\n").expect_err("refused");
    assert!(!err.is_empty());
}

#[test]
fn an_unknown_time_zone_is_refused() {
    let err = load(&[("PARVIS_COMMUNE__TIME_ZONE", "Europe/Lutece")]).expect_err("refused");
    assert!(err.contains("commune.time_zone"), "{err}");
}

#[test]
fn a_centre_outside_the_bounds_is_refused() {
    let err = load(&[("PARVIS_COMMUNE__CENTER__LAT", "48.85")]).expect_err("refused");
    assert!(err.contains("commune.center"), "{err}");
    let err = load(&[("PARVIS_COMMUNE__BOUNDS__SOUTH", "47.5")]).expect_err("refused");
    assert!(err.contains("commune.bounds"), "{err}");
}

#[test]
fn bad_addresses_are_refused() {
    assert!(load(&[("PARVIS_SERVER__PORT", "70000")]).is_err());
    assert!(load(&[("PARVIS_SERVER__HOST", "not a host")]).is_err());
    assert!(load(&[("PARVIS_COMMUNE__TILE_URL", "tiles.example/{z}/{x}/{y}")]).is_err());
    assert!(load(&[("PARVIS_LOG__FORMAT", "xml")]).is_err());
}

#[test]
fn an_explicit_config_file_must_exist() {
    let sources = Sources {
        explicit_file: Some(PathBuf::from("/nonexistent/parvis.toml")),
        ..Sources::default()
    };
    let err = Config::load(&sources).expect_err("refused");
    assert!(
        err.to_string().contains("/nonexistent/parvis.toml"),
        "{err}"
    );
}
