//! Trunk's post_build hook, run on the staging directory before it becomes `dist/`:
//! 1. moves the inline bootstrap `<script type="module">` Trunk writes into `index.html` to a
//!    hashed file, because our Content-Security-Policy allows no inline script but the page's
//!    own, by hash, and this one changes with every build of the app;
//! 2. minifies the page's own scripts and style sheet (esbuild, from node_modules) and
//!    rewrites their Subresource Integrity digests: about 2.8 KB less of the first visit;
//! 3. inlines the scripts marked `data-inline` (preview.js, which paints the saved screen and
//!    must not wait for a file; the server allows it by its hash);
//! 4. writes the service worker's precache list and cache version (a checksum of the files'
//!    contents: Trunk's names don't change when only wasm-opt changes the output);
//! 5. writes `.br` and `.gz` siblings that the server sends to browsers that accept them.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use base64::Engine;
use sha2::{Digest, Sha256, Sha384};

use crate::process::{cmd, run as run_command};

const SW_FILE: &str = "sw.js";
const SW_START: &str = "/* PARVIS_BUILD_START */";
const SW_END: &str = "/* PARVIS_BUILD_END */";
/// Served but not worth keeping on the phone.
const NOT_PRECACHED: [&str; 2] = [SW_FILE, "robots.txt"];
const COMPRESSIBLE: [&str; 8] = [
    "html",
    "js",
    "wasm",
    "css",
    "json",
    "svg",
    "txt",
    "webmanifest",
];

pub fn run(root: &Path, dir: Option<PathBuf>) -> Result<()> {
    let dir = match dir {
        Some(d) => d,
        None => std::env::var_os("TRUNK_STAGING_DIR")
            .map(PathBuf::from)
            .context("no directory given and TRUNK_STAGING_DIR is not set")?,
    };
    externalise_bootstrap(&dir)?;
    minify_page_assets(root, &dir)?;
    inline_marked_scripts(&dir)?;
    let files = write_precache_list(&dir)?;
    compress_all(&dir)?;
    eprintln!(
        "xtask: postbuild: {} files precached, siblings compressed",
        files
    );
    Ok(())
}

/// Moves each inline module script of index.html into `boot-<hash>.js`.
fn externalise_bootstrap(dir: &Path) -> Result<()> {
    let index_path = dir.join("index.html");
    let html = fs::read_to_string(&index_path).context("reading index.html")?;
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(start) = rest.find("<script") {
        let tag_end = rest[start..]
            .find('>')
            .map(|i| start + i + 1)
            .context("unclosed <script")?;
        let close = rest[tag_end..]
            .find("</script>")
            .map(|i| tag_end + i)
            .context("<script> without </script>")?;
        let tag = &rest[start..tag_end];
        let body = &rest[tag_end..close];
        out.push_str(&rest[..start]);
        if tag.contains("src=") || body.trim().is_empty() {
            out.push_str(&rest[start..close + "</script>".len()]);
        } else {
            if !tag.contains("type=\"module\"") {
                bail!("index.html has an inline classic script, which the CSP forbids: {tag}");
            }
            let name = format!("boot-{}.js", &hex_digest(&[body.as_bytes()])[..16]);
            fs::write(dir.join(&name), body.trim()).with_context(|| format!("writing {name}"))?;
            out.push_str(&format!(
                "<script type=\"module\" src=\"/{name}\"></script>"
            ));
        }
        rest = &rest[close + "</script>".len()..];
    }
    out.push_str(rest);
    fs::write(&index_path, out).context("writing index.html")
}

/// Minifies each script and style sheet of our own that index.html loads (not the vendored
/// ones) in place, and gives their tags the new `integrity` digest. Trunk's own minifier fails
/// on wasm-bindgen's module glue and rewrites index.html past what this hook reads.
fn minify_page_assets(root: &Path, dir: &Path) -> Result<()> {
    let index_path = dir.join("index.html");
    let mut html = fs::read_to_string(&index_path).context("reading index.html")?;
    let tags = start_tags(&html, |t| {
        t.starts_with("link ") || t.starts_with("script ")
    });
    let esbuild = root.join("node_modules/.bin/esbuild");
    for tag in tags {
        let Some(url) = attr(&tag, "href").or_else(|| attr(&tag, "src")) else {
            continue;
        };
        let own = url.starts_with('/') && !url.starts_with("//") && !url.starts_with("/vendor/");
        if !own || !(url.ends_with(".js") || url.ends_with(".css")) {
            continue;
        }
        let file = dir.join(url.trim_start_matches('/'));
        run_command(
            cmd(&esbuild, root)
                .arg(&file)
                .args(["--minify", "--allow-overwrite", "--log-level=warning"])
                .arg(format!("--outfile={}", file.display())),
        )
        .with_context(|| format!("minifying {url} (run `cargo xtask setup` for esbuild)"))?;
        if let Some(old) = attr(&tag, "integrity") {
            let digest = Sha384::digest(fs::read(&file)?);
            let new = format!(
                "sha384-{}",
                base64::engine::general_purpose::STANDARD.encode(digest)
            );
            let rewritten = tag.replace(old, &new);
            html = html.replace(&tag, &rewritten);
        }
    }
    fs::write(&index_path, html).context("writing index.html")
}

/// Puts the (minified) content of each `<script src="…" data-inline></script>` of index.html
/// in its tag, and deletes the file, which nothing else loads. An inline script runs as the
/// parser reaches it, with no fetch through the service worker, before the app's modules.
fn inline_marked_scripts(dir: &Path) -> Result<()> {
    let index_path = dir.join("index.html");
    let mut html = fs::read_to_string(&index_path).context("reading index.html")?;
    let tags = start_tags(&html, |t| {
        t.starts_with("script ") && t.contains(" data-inline")
    });
    for tag in tags {
        let url = attr(&tag, "src").with_context(|| format!("{tag} has no src"))?;
        let file = dir.join(url.trim_start_matches('/'));
        let body = fs::read_to_string(&file).with_context(|| format!("reading {url}"))?;
        let body = body.trim();
        // The HTML parser would end the script there.
        if body.to_ascii_lowercase().contains("</script") || body.contains("<!--") {
            bail!("{url} cannot be inlined: it contains `</script` or `<!--`");
        }
        let element = format!("{tag}</script>");
        if !html.contains(&element) {
            bail!("{tag} must be followed at once by </script>");
        }
        html = html.replacen(&element, &format!("<script>{body}</script>"), 1);
        fs::remove_file(&file).with_context(|| format!("removing {url}"))?;
    }
    fs::write(&index_path, html).context("writing index.html")
}

/// The start tags of `html` (`<name …>`, as written) whose text after `<` passes `keep`.
fn start_tags(html: &str, keep: impl Fn(&str) -> bool) -> Vec<String> {
    html.split('<')
        .filter(|t| keep(t))
        .map(|t| format!("<{}>", t.split('>').next().unwrap_or_default()))
        .collect()
}

/// The value of attribute `name` in a start tag written with double quotes.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// Rewrites the BUILD constant of sw.js; returns how many files are precached.
fn write_precache_list(dir: &Path) -> Result<usize> {
    let mut files = Vec::new();
    for path in walk(dir)? {
        let rel = relative_url(dir, &path);
        let is_sibling = rel.ends_with(".br") || rel.ends_with(".gz");
        if is_sibling || NOT_PRECACHED.iter().any(|n| rel == format!("/{n}")) {
            continue;
        }
        files.push((rel, fs::read(&path)?));
    }
    files.sort();
    let mut hasher = Sha256::new();
    for (rel, bytes) in &files {
        hasher.update(rel.as_bytes());
        hasher.update([0]);
        hasher.update(bytes);
    }
    let version = hex(&hasher.finalize())[..16].to_owned();
    let urls: Vec<&str> = files.iter().map(|(rel, _)| rel.as_str()).collect();
    let build = serde_json::json!({ "version": version, "files": urls });

    let sw_path = dir.join(SW_FILE);
    let sw = fs::read_to_string(&sw_path).context("reading sw.js")?;
    let (Some(a), Some(b)) = (sw.find(SW_START), sw.find(SW_END)) else {
        bail!("sw.js lacks the {SW_START} … {SW_END} markers");
    };
    let rewritten = format!(
        "{}{SW_START}\nconst BUILD = {build};\n{}",
        &sw[..a],
        &sw[b..]
    );
    fs::write(&sw_path, rewritten).context("writing sw.js")?;
    Ok(files.len())
}

fn compress_all(dir: &Path) -> Result<()> {
    for path in walk(dir)? {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if !COMPRESSIBLE.contains(&ext) {
            continue;
        }
        let raw = fs::read(&path)?;
        let br = brotli(&raw)?;
        if br.len() < raw.len() {
            fs::write(sibling(&path, "br"), br)?;
        }
        let gz = gzip(&raw)?;
        if gz.len() < raw.len() {
            fs::write(sibling(&path, "gz"), gz)?;
        }
    }
    Ok(())
}

fn sibling(path: &Path, ext: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".");
    s.push(ext);
    PathBuf::from(s)
}

/// Brotli at the highest quality, as served and as measured by the size budget.
pub fn brotli(raw: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &raw[..], &mut out, &params)?;
    Ok(out)
}

pub fn gzip(raw: &[u8]) -> Result<Vec<u8>> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(raw)?;
    Ok(enc.finish()?)
}

/// Every regular file below `dir`, sorted.
pub fn walk(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).with_context(|| format!("reading {}", d.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// `/icons/icon-192.png` for `<dir>/icons/icon-192.png`.
pub fn relative_url(dir: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    let parts: Vec<_> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    format!("/{}", parts.join("/"))
}

pub fn hex_digest(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for p in parts {
        hasher.update(p);
    }
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The workspace, whose node_modules has esbuild (`cargo xtask setup`).
    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("workspace")
            .to_path_buf()
    }

    fn staging() -> tempfile::TempDir {
        tempfile::tempdir().expect("temp dir")
    }

    fn build_fixture(dir: &Path) {
        fs::write(
            dir.join("index.html"),
            "<html><head><link rel=\"modulepreload\" href=\"/app-0123456789abcdef.js\">\
             <link rel=\"stylesheet\" href=\"/main.css\" integrity=\"sha384-stale\"/>\
             <link rel=\"stylesheet\" href=\"/vendor/lib.css\">\
             <script type=\"module\">import init from '/app-0123456789abcdef.js';await init();</script>\
             </head><body><div id=\"boot\"></div>\
             <script src=\"/preview.js\" data-inline></script></body></html>",
        )
        .expect("write");
        fs::write(
            dir.join("preview.js"),
            "// Paints at once.\n(() => {\n  document.title = \"saved\";\n})();\n",
        )
        .expect("write");
        fs::write(
            dir.join("app-0123456789abcdef.js"),
            format!(
                "// The app's glue.\nexport default function init(options) {{\n  return options;\n}}\n\
                 export const text = \"{}\";\n",
                "compressible ".repeat(50)
            ),
        )
        .expect("write");
        fs::write(
            dir.join("main.css"),
            "/* why */\nbody {\n  margin: 0px;\n}\n",
        )
        .expect("write");
        fs::create_dir_all(dir.join("vendor")).expect("mkdir");
        fs::write(
            dir.join("vendor/lib.css"),
            "/* theirs */\nb { color: red; }\n",
        )
        .expect("write");
        fs::create_dir_all(dir.join("icons")).expect("mkdir");
        fs::write(dir.join("icons/icon.png"), [0u8; 8]).expect("write");
        fs::write(dir.join("robots.txt"), "User-agent: *").expect("write");
        fs::write(
            dir.join("sw.js"),
            "// head\n/* PARVIS_BUILD_START */\nconst BUILD = { version: \"dev\", files: [] };\n/* PARVIS_BUILD_END */\nself;\n",
        )
        .expect("write");
    }

    #[test]
    fn the_inline_bootstrap_moves_to_a_hashed_module_file() {
        let t = staging();
        build_fixture(t.path());
        run(&root(), Some(t.path().to_path_buf())).expect("postbuild");
        let html = fs::read_to_string(t.path().join("index.html")).expect("read");
        assert!(
            !html.contains("await init()"),
            "inline script left in: {html}"
        );
        let boot = walk(t.path())
            .expect("walk")
            .into_iter()
            .find(|p| {
                relative_url(t.path(), p).starts_with("/boot-")
                    && p.extension().is_some_and(|e| e == "js")
            })
            .expect("boot file written");
        let name = relative_url(t.path(), &boot);
        assert!(html.contains(&format!("<script type=\"module\" src=\"{name}\"></script>")));
        let boot = fs::read_to_string(boot).expect("read");
        assert!(
            boot.contains("/app-0123456789abcdef.js") && boot.contains("await "),
            "{boot}"
        );
    }

    #[test]
    fn own_scripts_and_style_sheets_are_minified_with_their_integrity_rewritten() {
        let t = staging();
        build_fixture(t.path());
        run(&root(), Some(t.path().to_path_buf())).expect("postbuild");
        let css = fs::read(t.path().join("main.css")).expect("read");
        assert_eq!(String::from_utf8_lossy(&css).trim(), "body{margin:0}");
        let glue = fs::read_to_string(t.path().join("app-0123456789abcdef.js")).expect("read");
        assert!(!glue.contains("glue") && glue.contains("export"), "{glue}");
        let html = fs::read_to_string(t.path().join("index.html")).expect("read");
        let digest = base64::engine::general_purpose::STANDARD.encode(Sha384::digest(&css));
        assert!(
            html.contains(&format!("integrity=\"sha384-{digest}\"")),
            "{html}"
        );
        // Vendored files are left as their authors published them.
        let vendored = fs::read_to_string(t.path().join("vendor/lib.css")).expect("read");
        assert!(vendored.starts_with("/* theirs */"));
    }

    #[test]
    fn marked_scripts_are_inlined_minified_and_their_file_removed() {
        let t = staging();
        build_fixture(t.path());
        run(&root(), Some(t.path().to_path_buf())).expect("postbuild");
        let html = fs::read_to_string(t.path().join("index.html")).expect("read");
        assert!(
            html.contains(
                "<div id=\"boot\"></div><script>document.title=\"saved\";</script></body>"
            ),
            "{html}"
        );
        assert!(!t.path().join("preview.js").exists());
        let sw = fs::read_to_string(t.path().join("sw.js")).expect("read");
        assert!(!sw.contains("preview.js"), "{sw}");

        // A script that would end the element early is refused (esbuild escapes `</script` in
        // strings, so this is checked on a file as is).
        let t = staging();
        build_fixture(t.path());
        fs::write(t.path().join("preview.js"), "x = \"</script>\";\n").expect("write");
        let err = inline_marked_scripts(t.path()).expect_err("must fail");
        assert!(format!("{err:#}").contains("cannot be inlined"), "{err:#}");
    }

    #[test]
    fn the_service_worker_gets_every_built_file_but_itself_and_a_content_version() {
        let t = staging();
        build_fixture(t.path());
        run(&root(), Some(t.path().to_path_buf())).expect("postbuild");
        let sw = fs::read_to_string(t.path().join("sw.js")).expect("read");
        assert!(
            sw.starts_with("// head\n") && sw.ends_with("self;\n"),
            "{sw}"
        );
        for url in ["/index.html", "/app-0123456789abcdef.js", "/icons/icon.png"] {
            assert!(
                sw.contains(&format!("\"{url}\"")),
                "{url} missing from {sw}"
            );
        }
        for url in ["/sw.js", "/robots.txt", ".br\"", ".gz\""] {
            assert!(!sw.contains(url), "{url} must not be precached: {sw}");
        }
        assert!(!sw.contains("\"dev\""));

        // Same contents → same version; one changed byte → another version.
        let version = |sw: &str| {
            sw.split("\"version\":\"")
                .nth(1)
                .map(|s| s[..16].to_owned())
        };
        let t2 = staging();
        build_fixture(t2.path());
        run(&root(), Some(t2.path().to_path_buf())).expect("postbuild");
        let sw2 = fs::read_to_string(t2.path().join("sw.js")).expect("read");
        assert_eq!(version(&sw), version(&sw2));
        let t3 = staging();
        build_fixture(t3.path());
        fs::write(t3.path().join("icons/icon.png"), [1u8; 8]).expect("write");
        run(&root(), Some(t3.path().to_path_buf())).expect("postbuild");
        let sw3 = fs::read_to_string(t3.path().join("sw.js")).expect("read");
        assert_ne!(version(&sw), version(&sw3));
    }

    #[test]
    fn compressed_siblings_decode_to_the_original() {
        let t = staging();
        build_fixture(t.path());
        run(&root(), Some(t.path().to_path_buf())).expect("postbuild");
        let raw = fs::read(t.path().join("app-0123456789abcdef.js")).expect("read");
        let br = fs::read(t.path().join("app-0123456789abcdef.js.br")).expect("br sibling");
        let mut decoded = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut decoded).expect("valid brotli");
        assert_eq!(decoded, raw);
        assert!(t.path().join("app-0123456789abcdef.js.gz").exists());
        assert!(
            !t.path().join("icons/icon.png.br").exists(),
            "PNG is not compressible"
        );
    }

    #[test]
    fn a_missing_marker_is_a_clear_error() {
        let t = staging();
        build_fixture(t.path());
        fs::write(t.path().join("sw.js"), "self;").expect("write");
        let err = run(&root(), Some(t.path().to_path_buf())).expect_err("must fail");
        assert!(format!("{err:#}").contains("PARVIS_BUILD_START"));
    }
}
