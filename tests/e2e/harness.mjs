// End-to-end harness: starts the real server binary on a free port with a fresh SQLite database
// and its own copy of the release build, and launches Debian's Chromium through playwright-core.
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const SERVER_BIN = process.env.PARVIS_SERVER_BIN ?? "target/debug/parvis-server";
const DIST = process.env.PARVIS_DIST ?? "dist";

export const VIEWPORTS = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
  desktop: { viewport: { width: 1280, height: 800 } },
};

// Flags from shared/TOOLCHAIN.md: as root, on a machine with no network but loopback.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// A 1×1 transparent PNG: every tile of the stand-in tile server.
const TILE_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

/**
 * A stand-in for the map's tile server on another loopback port (the machine has no internet,
 * and the app must never depend on it in tests): answers every `/{z}/{x}/{y}.png` with a tiny
 * PNG and CORS, like tile.openstreetmap.org. `requests` lists the paths asked for.
 */
export async function startTileServer() {
  const requests = [];
  const server = createHttpServer((req, res) => {
    requests.push(req.url);
    res.writeHead(200, {
      "Content-Type": "image/png",
      "Access-Control-Allow-Origin": "*",
      "Cache-Control": "max-age=604800",
    });
    res.end(TILE_PNG);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    template: `http://127.0.0.1:${port}/{z}/{x}/{y}.png`,
    requests,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * Starts parvis-server; resolves once it prints its ready line. The map's tiles come from a
 * local stand-in tile server (see `startTileServer`) unless `env` sets the tile URL.
 * `env` adds PARVIS_* overrides (e.g. the commune's name).
 */
export async function startServer(env = {}) {
  const work = mkdtempSync(join(tmpdir(), "parvis-e2e-"));
  const appDir = join(work, "dist");
  cpSync(DIST, appDir, { recursive: true });
  const port = await freePort();
  const tiles = await startTileServer();
  const child = spawn(SERVER_BIN, [], {
    env: {
      ...process.env,
      PARVIS_SERVER__HOST: "127.0.0.1",
      PARVIS_SERVER__PORT: String(port),
      PARVIS_SERVER__APP_DIR: appDir,
      PARVIS_DATA_DIR: join(work, "data"),
      PARVIS_LOG__LEVEL: "warn",
      PARVIS_COMMUNE__TILE_URL: tiles.template,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server not ready in 30 s:\n${stderr}`)), 30_000);
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/Parvis écoute sur (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ""));
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready:\n${stderr}`));
    });
  });
  return {
    url,
    appDir,
    tiles,
    async stop() {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
      await tiles.stop();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS });
}

/**
 * A browser context with its own on-disk profile (not incognito), for what Chromium only does
 * for real profiles, such as evaluating installability. Its profile is deleted on close.
 */
export async function launchPersistentContext(options) {
  const profile = mkdtempSync(join(tmpdir(), "parvis-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    ...options,
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const close = context.close.bind(context);
  context.close = async () => {
    await close();
    rmSync(profile, { recursive: true, force: true });
  };
  return context;
}

/** Records console errors and uncaught page errors, so a test can assert there were none. */
export function watchConsole(page) {
  const errors = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console.error: ${msg.text()} @ ${JSON.stringify(msg.location())}`);
  });
  page.on("pageerror", (err) => errors.push(`page error: ${err.message}`));
  return errors;
}

/** Resolves once a service worker controls the page. */
export async function waitForServiceWorkerControl(page) {
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller !== null, null, {
    timeout: 20_000,
  });
}

/** Waits until the Leptos app has mounted (the boot placeholder is gone, a heading is shown). */
export async function waitForApp(page) {
  await page.locator("#boot").waitFor({ state: "detached", timeout: 20_000 });
  await page.locator("main h1").first().waitFor({ timeout: 20_000 });
}

/**
 * An init script, `context.addInitScript(dayBehind, flag)`: while the page's sessionStorage
 * holds a number of days under `flag`, its clock runs that many days behind, as on a visit
 * that many days before.
 */
export function dayBehind(flag) {
  const days = Number(sessionStorage.getItem(flag));
  if (!days) return;
  const Real = Date;
  const now = () => Real.now() - days * 86_400_000;
  globalThis.Date = class extends Real {
    constructor(...args) {
      super(...(args.length ? args : [now()]));
    }
    static now() {
      return now();
    }
  };
}

/**
 * Resolves once the app has finished an agenda sync that started at `after` (ms since the
 * epoch) or later: its `agenda.sync` record in IndexedDB says when the last one ended.
 */
export async function waitForAgendaSync(page, after = 0) {
  await page.waitForFunction(
    (after) =>
      new Promise((ok) => {
        const r = indexedDB.open("parvis");
        // Never create the app's database here: only look into it once the app has.
        r.onupgradeneeded = () => r.transaction.abort();
        r.onsuccess = () => {
          try {
            const get = r.result.transaction("kv").objectStore("kv").get("agenda.sync");
            get.onsuccess = () => ok(get.result !== undefined && JSON.parse(get.result).synced_at >= after);
            get.onerror = () => ok(false);
          } catch {
            ok(false);
          }
        };
        r.onerror = () => ok(false);
      }),
    after,
    { timeout: 30_000, polling: 250 },
  );
}
