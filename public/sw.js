// Parvis service worker: keeps the app shell on the phone so the app opens with no network.
//
// The precache list and the cache version are written at build time by `cargo xtask postbuild`
// (a Trunk post_build hook) from the files Trunk actually produced: never edit them by hand.
// The version is a checksum of those files' contents, so any change to the build makes the
// browser see a new worker, which waits until the app asks it to take over ("Recharger").

/* PARVIS_BUILD_START */
const BUILD = { version: "dev", files: [] };
/* PARVIS_BUILD_END */

const SHELL_PREFIX = "parvis-shell-";
const SHELL_CACHE = SHELL_PREFIX + BUILD.version;
// Article images mirrored by the server (`/media/news/<sha256>.<ext>`).
const MEDIA_PREFIX = "/media/";
const MEDIA_CACHE = "parvis-media";
const MEDIA_MAX_ENTRIES = 300;
// Map tiles seen by the resident, kept across app versions within these caps (oldest first out).
const TILE_CACHE = "parvis-tiles";
const TILE_MAX_ENTRIES = 2000;
const TILE_MAX_BYTES = 50 * 1024 * 1024;
// A kept tile is served as is for this long, then refreshed when the network allows.
const TILE_FRESH_MS = 30 * 24 * 3600 * 1000;
const TILE_SIZE_HEADER = "x-parvis-bytes";
const TILE_TIME_HEADER = "x-parvis-stored";
// A transparent 1×1 PNG.
const EMPTY_TILE = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="),
  (c) => c.charCodeAt(0),
);
// Paths the server answers itself; navigations there must never get the app shell.
const SERVER_PATHS = ["/api/", "/feeds/", "/open311/"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE).then((cache) =>
      // `reload` bypasses the HTTP cache so the shell is exactly this build.
      cache.addAll(BUILD.files.map((url) => new Request(url, { cache: "reload" })))
    )
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith(SHELL_PREFIX) && name !== SHELL_CACHE)
          .map((name) => caches.delete(name))
      );
      // Control the page of the very first visit too, so it works offline without a reload.
      await self.clients.claim();
    })()
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") {
    self.skipWaiting();
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    // The CSP allows images from one other origin only, the tile server's: every
    // cross-origin image is a map tile.
    if (request.destination === "image") event.respondWith(tileFirst(request));
    return;
  }
  if (SERVER_PATHS.some((prefix) => url.pathname.startsWith(prefix))) return;

  if (request.mode === "navigate") {
    // App-shell model: every in-app navigation gets the cached index.html at once, even on a
    // network that hangs; the app routes on the client. Updates arrive as a new worker.
    event.respondWith(
      caches
        .match("/index.html", { cacheName: SHELL_CACHE })
        .then((cached) => cached || fetch(request))
    );
    return;
  }

  if (url.pathname.startsWith(MEDIA_PREFIX)) {
    event.respondWith(mediaFirst(request));
    return;
  }

  // `ignoreSearch` only when there is a query: Chromium then compares the request with every
  // entry of the cache instead of looking its URL up, which slowed each file of the start.
  event.respondWith(
    caches
      .match(request, { cacheName: SHELL_CACHE, ignoreSearch: url.search !== "" })
      .then((cached) => cached || fetch(request))
  );
});

// Article images: content-addressed (immutable), so cache-first is always right. The cache
// outlives app versions and keeps the newest MEDIA_MAX_ENTRIES.
async function mediaFirst(request) {
  const cache = await caches.open(MEDIA_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    await cache.put(request, response.clone());
    const keys = await cache.keys();
    // Keys come back in insertion order: the oldest go first.
    await Promise.all(keys.slice(0, Math.max(0, keys.length - MEDIA_MAX_ENTRIES)).map((k) => cache.delete(k)));
  }
  return response;
}

// Tiles: cache-first (they change rarely), refreshed after TILE_FRESH_MS when online. Only CORS
// responses are kept (Leaflet asks with crossOrigin): an opaque one's size is unknown, and
// Chromium counts each as several megabytes of quota.
async function tileFirst(request) {
  const cache = await caches.open(TILE_CACHE);
  const cached = await cache.match(request);
  const storedAt = cached ? Number(cached.headers.get(TILE_TIME_HEADER) || 0) : 0;
  if (cached && Date.now() - storedAt < TILE_FRESH_MS) return cached;
  let response;
  try {
    response = await fetch(request);
  } catch {
    // Offline, never seen: an empty tile (the map's background shows) rather than a broken
    // image; it is not kept, so the real tile comes once the network is back.
    return cached || new Response(EMPTY_TILE, { headers: { "Content-Type": "image/png" } });
  }
  if (!response.ok || response.type !== "cors") return cached || response;
  const body = await response.clone().blob();
  const headers = new Headers(response.headers);
  headers.set(TILE_SIZE_HEADER, String(body.size));
  headers.set(TILE_TIME_HEADER, String(Date.now()));
  await keepTile(cache, request, new Response(body, { status: response.status, statusText: response.statusText, headers }), body.size, Boolean(cached));
  return response;
}

// How many tiles and bytes the tile cache holds, counted once per worker start.
let tileTally = null;

async function tileBytes(cache, request) {
  const response = await cache.match(request);
  return response ? Number(response.headers.get(TILE_SIZE_HEADER) || 0) : 0;
}

async function keepTile(cache, request, response, size, replacing) {
  if (tileTally === null) {
    const keys = await cache.keys();
    let bytes = 0;
    for (const key of keys) bytes += await tileBytes(cache, key);
    tileTally = { count: keys.length, bytes };
  }
  if (replacing) {
    tileTally.bytes -= await tileBytes(cache, request);
    await cache.delete(request);
    tileTally.count -= 1;
  }
  await cache.put(request, response);
  tileTally.count += 1;
  tileTally.bytes += size;
  if (tileTally.count <= TILE_MAX_ENTRIES && tileTally.bytes <= TILE_MAX_BYTES) return;
  // Keys come back in insertion order: the oldest go first.
  const keys = await cache.keys();
  for (const key of keys) {
    if (tileTally.count <= TILE_MAX_ENTRIES && tileTally.bytes <= TILE_MAX_BYTES) break;
    tileTally.bytes -= await tileBytes(cache, key);
    if (await cache.delete(key)) tileTally.count -= 1;
  }
}

// Web Push. The server sends the declarative shape ({"web_push": 8030, "notification": …}),
// which Safari 18.4+ shows by itself; here the worker shows the same notification.
self.addEventListener("push", (event) => {
  let message = null;
  try {
    message = event.data ? event.data.json() : null;
  } catch {
    message = null;
  }
  const notification = message && message.notification;
  if (!notification || !notification.title) return;
  event.waitUntil(
    self.registration.showNotification(notification.title, {
      body: notification.body,
      lang: notification.lang,
      tag: notification.tag,
      icon: "/icons/icon-192.png",
      data: { navigate: notification.navigate },
    })
  );
});

// Tapping the notification opens the article, in an open window of the app if there is one.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const wanted = new URL((event.notification.data && event.notification.data.navigate) || "/actualites", self.location.origin);
  // Only ever open this app's own pages.
  const url = wanted.origin === self.location.origin ? wanted.href : new URL("/actualites", self.location.origin).href;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      for (const client of windows) {
        if ("navigate" in client) {
          await client.focus();
          return client.navigate(url);
        }
      }
      return self.clients.openWindow(url);
    })()
  );
});

// Background Sync (Chromium): the browser fires it once the network is back, even if the app
// was closed meanwhile. An open page flushes its own outbox when asked; with none open, the
// worker sends the queued reports itself, by the app's rules (src/sync/reports.rs): the outbox
// key as Idempotency-Key, a report leaves the outbox only after a 2xx, a refusal other than
// 5xx/429 is kept as failed with the server's message, and anything else is retried later by
// the browser (the sync fails).
const REPORTS_SYNC_TAG = "parvis-reports";
const FLUSH_REPORTS = "parvis:flush-reports";

self.addEventListener("sync", (event) => {
  if (event.tag === REPORTS_SYNC_TAG) event.waitUntil(syncReports());
});

async function syncReports() {
  const windows = await self.clients.matchAll({ type: "window" });
  if (windows.length > 0) {
    windows.forEach((client) => client.postMessage(FLUSH_REPORTS));
    return;
  }
  const db = await openAppDb();
  if (!db) return;
  try {
    const [keys, records] = await Promise.all([idbAsk(db, "reports", (s) => s.getAllKeys()), idbAsk(db, "reports", (s) => s.getAll())]);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const report = JSON.parse(records[i]);
      if (report.delivery !== "queued") continue;
      const photos = (await idbAsk(db, "report_photos", (s) => s.get(key))) || [];
      const form = new FormData();
      form.append("report", JSON.stringify(report.report));
      photos.forEach((photo, n) => form.append("photo", photo, `photo-${n + 1}.jpg`));
      const response = await fetch("/api/v1/reports", {
        method: "POST",
        body: form,
        headers: { "Idempotency-Key": key, Accept: "application/json" },
      });
      if (response.ok) {
        Object.assign(report, { delivery: "sent", receipt: await response.json(), error: null });
        await saveReport(db, key, report, true);
      } else if (response.status >= 500 || response.status === 429) {
        throw new Error(`the server answered ${response.status}; the browser will sync again`);
      } else {
        const problem = await response.json().catch(() => null);
        Object.assign(report, {
          delivery: "failed",
          attempts: (report.attempts || 0) + 1,
          error: (problem && problem.detail) || `HTTP ${response.status}`,
        });
        await saveReport(db, key, report, false);
      }
    }
  } finally {
    db.close();
  }
}

// The app's database as it is; never created or upgraded here (that is the app's job).
function openAppDb() {
  return new Promise((resolve) => {
    const request = indexedDB.open("parvis");
    request.onupgradeneeded = () => request.transaction.abort();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => resolve(null);
  });
}

function idbAsk(db, store, ask) {
  return new Promise((resolve, reject) => {
    const request = ask(db.transaction(store).objectStore(store));
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

// The report's JSON and, once sent, the removal of its photos: one transaction.
function saveReport(db, key, report, dropPhotos) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(["reports", "report_photos"], "readwrite");
    tx.objectStore("reports").put(JSON.stringify(report), key);
    if (dropPhotos) tx.objectStore("report_photos").delete(key);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}
