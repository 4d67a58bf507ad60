#!/usr/bin/env bash
# Renders the committed PNG icons from the SVG sources with Debian's headless Chromium.
set -euo pipefail
cd "$(dirname "$0")"
out=../icons
shot() { # svg png size
  local tmp; tmp=$(mktemp -d)
  printf '<!doctype html><style>html,body{margin:0;background:transparent}img{display:block;width:%spx;height:%spx}</style><img src="file://%s/%s">' "$3" "$3" "$PWD" "$1" > "$tmp/p.html"
  chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$tmp/u" --hide-scrollbars \
    --default-background-color=00000000 --force-device-scale-factor=1 --window-size="$3,$3" \
    --screenshot="$2" "$tmp/p.html" >/dev/null 2>&1
  rm -rf "$tmp"
}
shot icon.svg $out/icon-512.png 512
shot icon.svg $out/icon-192.png 192
shot icon.svg $out/apple-touch-icon.png 180
shot maskable.svg $out/maskable-512.png 512
shot maskable.svg $out/maskable-192.png 192
shot shortcut-signaler.svg $out/shortcut-signaler.png 96
shot shortcut-agenda.svg $out/shortcut-agenda.png 96
sed 's/ width="512" height="512"//' icon.svg > $out/favicon.svg
