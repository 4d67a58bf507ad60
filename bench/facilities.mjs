// Facilities speed on the device (issue 5), in one headless Chromium:
// 1. the status of 5,000 facilities (real-world opening_hours values, bench/opening_hours_pool.txt)
//    at fixed instants, by our Wasm (the hours worker, src/bin/hours_worker.rs) and by npm
//    `opening_hours` (opening_hours.js), in the same page: time ratio and agreement;
// 2. the time to the first clustered render of the same 5,000 facilities on the app's map page.
// Run by `cargo xtask bench facilities` (release builds, real server); writes
// bench/results/facilities.md.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { VIEWPORTS, launchBrowser, startServer, waitForApp, waitForServiceWorkerControl } from "../tests/e2e/harness.mjs";

const FACILITIES = 5000;
const SEED = 20261129;
const RUNS = 9;
const MAP_RUNS = 7;
const SERVER_BIN = process.env.PARVIS_SERVER_BIN ?? "target/release/parvis-server";
// The demo commune (crates/server/src/defaults.toml): Saint-Aubin-sur-Loire, school zone B.
const CENTER = { lat: 47.3936, lon: 0.6892 };
const BOUNDS = { south: 47.3436, west: 0.6392, north: 47.4436, east: 0.7392 };
// opening_hours.js finds the holidays from a Nominatim reverse-geocoding answer: France, and the
// région of the commune, which is in school zone B like the commune's config.
const NOMINATIM = { lat: CENTER.lat, lon: CENTER.lon, address: { country_code: "fr", state: "Pays de la Loire" } };
const RULES = { school_zone: "B", alsace_moselle: false };
// Fixed local instants (Europe/Paris), chosen once: weekday morning and lunch break, Saturday
// evening, Sunday, Christmas day (public holiday, school holidays), winter school holidays of
// zone B, a summer weekday (school holidays), Ascension day.
const INSTANTS = [
  "2026-12-01T10:15",
  "2026-12-01T12:40",
  "2026-12-05T17:50",
  "2026-12-06T11:00",
  "2026-12-25T10:00",
  "2027-02-24T15:00",
  "2026-07-21T09:30",
  "2027-05-06T10:00",
];
const CATEGORIES = ["mairie", "piscine", "mediatheque", "decheterie", "sport", "ecole", "enfance", "salle"];

// Deterministic pseudo-random numbers (mulberry32).
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 5,000 facilities: 70 % take a value of the pool as it is, 30 % a common shape with other times. */
function facilities() {
  const pool = readFileSync("bench/opening_hours_pool.txt", "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const rnd = random(SEED);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const shapes = [
    () => `Mo-Fr ${pick(["08:00", "08:30", "09:00"])}-12:00,${pick(["13:30", "14:00"])}-${pick(["17:00", "17:30", "18:00", "18:30"])}; Sa ${pick(["08:30", "09:00", "09:30"])}-12:00${pick(["", "; PH off"])}`,
    () => `Tu-Sa ${pick(["09:00", "09:30", "10:00"])}-12:30,${pick(["14:00", "14:30"])}-${pick(["18:00", "19:00"])}${pick(["", "; PH off", "; Su,Mo off"])}`,
    () => `Mo-Sa ${pick(["07:00", "08:00", "08:30"])}-${pick(["19:00", "19:30", "20:00"])}${pick(["", "; Su 09:00-12:30", "; Su 09:00-13:00; PH off"])}`,
    () => `${pick(["Mo,We,Fr", "Tu,Th", "Mo,We-Sa"])} ${pick(["09:00", "14:00"])}-${pick(["12:00", "17:30", "18:00"])}; Sa 09:00-12:00${pick(["", "; PH off", "; SH off"])}`,
    () => `${pick(["Apr-Sep", "May-Sep", "Jun-Aug"])} ${pick(["Mo-Su", "Tu-Su", "Sa,Su"])} ${pick(["10:00", "11:00"])}-${pick(["18:00", "19:00"])}`,
  ];
  const list = [];
  for (let i = 0; i < FACILITIES; i++) {
    const hours = rnd() < 0.7 ? pick(pool) : pick(shapes)();
    list.push({
      id: i,
      name: `Équipement n° ${i}`,
      category: pick(CATEGORIES),
      lat: BOUNDS.south + rnd() * (BOUNDS.north - BOUNDS.south),
      lon: BOUNDS.west + rnd() * (BOUNDS.east - BOUNDS.west),
      opening_hours: hours,
    });
  }
  return { pool, list };
}

/** Imports the facilities into a fresh data directory with the server's own importer. */
async function importFacilities(list, dataDir) {
  const file = join(dataDir, "..", "facilities.geojson");
  writeFileSync(
    file,
    JSON.stringify({
      type: "FeatureCollection",
      features: list.map((f) => ({
        type: "Feature",
        geometry: { type: "Point", coordinates: [f.lon, f.lat] },
        properties: { source_id: `bench:${f.id}`, name: f.name, category: f.category, opening_hours: f.opening_hours },
      })),
    }),
  );
  const child = spawn(SERVER_BIN, ["import", "facilities", file], {
    env: { ...process.env, PARVIS_DATA_DIR: dataDir, PARVIS_DEMO__LOAD: "false", PARVIS_LOG__LEVEL: "warn" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const code = await new Promise((r) => child.on("exit", r));
  if (code !== 0) throw new Error(`import failed (${code}):\n${stderr}`);
}

// The known differences of reading between the two engines, by the shape of the value; any
// other disagreement is reported as unexplained (a bug to look into, on one side or the other).
// Comments beside hours, fallback rules (`||`) and `fermé` alone are read alike since issue 5.
function why(value) {
  if (!/\d/.test(value)) {
    return "Prose. Ours reads a value without any digit as a comment (unknown, the text shown: never a guess), except the word \"closed\" alone (`fermé`, `closed`); opening_hours.js's error tolerance reads some French words inside prose as keywords.";
  }
  return "**Unexplained**: to look into.";
}

// What the figures say, beyond this run's numbers (kept with the script so that a new run
// writes them again).
const NOTES = `## Reading the figures

- **Where our engine's time goes.** Timed one by one (natively, same values and instants:
  \`node bench/facilities.mjs --workload | cargo run -p parvis-core --release --example
  hours_timing\`), every value now costs a few to
  about 25 µs per evaluation. A value closed for a season at the instant (\`Jul,Aug We-Su
  14:00-18:30\` in December, \`Dec 01-Dec 24 Mo-Su 10:00-19:00\` in July) used to cost 100–250 µs:
  to find the next opening, the \`opening-hours\` crate (2.1.4) walks the calendar one day at a
  time, because a day selector's next-change hint is the *earliest* of its filters' hints, and a
  weekday filter changes every day. Core now keeps, per parsed value, the days some rule may be
  open or unknown from the rules' year, month-day and week selectors alone (a rule that is
  closed counts too when it names holidays, which an uncertain school calendar makes unknown); as
  an expression of whole days the crate jumps between its bounds, so the search for the next
  opening starts at the season's first day (two days earlier, for overnight spans). Values
  without such selectors (\`Mo-Fr 08:00-12:00; SH off\` in the summer holidays) still walk day by
  day; the upstream fix would be the latest hint of the filters that do not match, a valid lower
  bound. Core also stops following an opening after a week (the crate joins equal periods before
  yielding one, so a round-the-clock value cost a year's walk). No answer is cached: each
  (value, instant) pair is evaluated.
- **Agreement.** Since issue 5, core reads like opening_hours.js (and KDE's KOpeningHours) a
  comment beside hours with no explicit state (\`Mo-Fr 09:00-12:00 "sur rendez-vous"\`: unknown,
  with its comment and the hours shown in the week; \`open "…"\` stays open), so a closed answer
  names no next opening when such uncertain hours come first; a fallback rule (\`A || "sur
  rendez-vous"\`) at every time the earlier rules leave closed, not only on the days they do not
  select (the crate's reading: a Saturday evening after \`Sa 09:00-12:00\` was closed); and the
  word \`fermé\` alone as closed. Any disagreement left is explained beside its value above (an
  answer classed "unexplained" would be a bug to look into). Values that one engine rejects are
  not compared.
- **The map** (from the map code's start). Leaflet, supercluster and our map code
  (public/map.js) load in parallel from the service worker and run in order; the map is made
  once they have run. Meanwhile the app reads its facilities from one IndexedDB record (written
  at sync; a 5,000-record \`getAll\` took 196 ms and ended 472 ms after navigation) and decodes
  them; that work shares the main thread with the scripts, which is most of the spread of
  "map made" above. The app then hands every facility to the map code in one call (ids,
  positions and colour indexes in one \`Float64Array\`, names in one string); supercluster
  indexes them for zooms 0–16 (most of its time is the cold first run of its k-d tree sorts;
  each zoom above would cost nearly a whole index again, so above 16 the pins in view that
  overlap are stacked by the map code instead), and Leaflet markers are made only for the
  clusters and facilities in view. Before (markercluster, one closure and icon per marker
  through wasm-bindgen): 652.8 ms median, of which 144 ms building the 5,000 markers and 196 ms
  \`addLayers\`.
- **What is left** is mostly Leaflet's loading and the app's decoding of 1.8 MB of facilities
  (serde) on the same thread. Sending them to the hours worker could wait for the map's first
  render: tried, it cost 310 B of first-visit Wasm for a gain this machine's load did not let
  us measure, so it is not kept.
`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(1)} ms`;

const { pool, list } = facilities();
// `--workload`: only the statuses' workload, as JSON, for the native timing
// (crates/core/examples/hours_timing.rs), so that both time the same values.
if (process.argv.includes("--workload")) {
  const workload = JSON.stringify({ values: list.map((f) => f.opening_hours), instants: INSTANTS, rules: RULES });
  // Written before exiting: a pipe takes it asynchronously.
  await new Promise((written) => process.stdout.write(workload, written));
  process.exit(0);
}
const work = mkdtempSync(join(tmpdir(), "parvis-bench-facilities-"));
const dataDir = join(work, "data");
await importFacilities(list, dataDir);
const server = await startServer({ PARVIS_DATA_DIR: dataDir, PARVIS_DEMO__LOAD: "false" });
const browser = await launchBrowser();

try {
  // bypassCSP: opening_hours.js is added to the page as a script for the comparison only.
  const context = await browser.newContext({ ...VIEWPORTS.phone, timezoneId: "Europe/Paris", bypassCSP: true });
  const page = await context.newPage();

  // ---- The map: the app syncs the 5,000 facilities, then each load reads them from the device.
  await context.addInitScript(() => {
    // From the page, at no cost to the app: when the map code starts loading (the map page
    // inserts Leaflet's script first), when the map exists, when the app hands the facilities
    // to the map code (public/map.js), when supercluster indexes them, and when the first
    // cluster icons are in the DOM. The wrappers only note the time and pass the calls on.
    const t = (window.__mapBench = {});
    const seen = () => {
      const now = performance.now();
      if (t.leafletStart === undefined && document.querySelector("script.vendor")) t.leafletStart = now;
      if (t.mapMade === undefined && document.querySelector(".leaflet-container")) t.mapMade = now;
      if (t.firstCluster === undefined && document.querySelector(".marker-cluster")) {
        t.firstCluster = now;
        requestAnimationFrame(() => setTimeout(() => (t.painted = performance.now())));
      }
    };
    // The read of the facilities from IndexedDB: their one-record copy in the key/value store,
    // or (when there is none) every record of their own store.
    const watch = (request, kind) => {
      t.readStart = performance.now();
      t.readKind = kind;
      request.addEventListener("success", () => {
        t.readEnd = performance.now();
        t.readBytes = typeof request.result === "string" ? request.result.length : request.result?.join?.("").length;
      });
    };
    const get = IDBObjectStore.prototype.get;
    IDBObjectStore.prototype.get = function (key, ...rest) {
      const request = get.call(this, key, ...rest);
      if (this.name === "kv" && key === "facilities.snapshot" && t.readStart === undefined) watch(request, "get");
      return request;
    };
    const getAll = IDBObjectStore.prototype.getAll;
    IDBObjectStore.prototype.getAll = function (...args) {
      const request = getAll.apply(this, args);
      if (this.name === "facilities" && t.readStart === undefined) watch(request, "getAll");
      return request;
    };
    new MutationObserver(seen).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["class"] });
    document.addEventListener(
      "load",
      (e) => {
        const src = String(e.target?.src ?? "");
        if (src.includes("supercluster") && window.Supercluster && !window.Supercluster.prototype.__benched) {
          const proto = window.Supercluster.prototype;
          proto.__benched = true;
          const load = proto.load;
          proto.load = function (points, ...rest) {
            t.lastMarkers = points.length;
            if (points.length < 1000 || t.loadStart !== undefined) return load.call(this, points, ...rest);
            t.loadStart = performance.now();
            const r = load.call(this, points, ...rest);
            t.loadEnd = performance.now();
            t.markers = points.length;
            return r;
          };
        }
        if (src.endsWith("/map.js") && window.parvisMap && !window.parvisMap.__benched) {
          window.parvisMap.__benched = true;
          const create = window.parvisMap.create;
          window.parvisMap.create = (...args) => {
            const handle = create(...args);
            const show = handle.show;
            handle.show = function (points, ...rest) {
              if (points.length >= 4000 && t.showStart === undefined) t.showStart = performance.now();
              return show.call(this, points, ...rest);
            };
            return handle;
          };
        }
      },
      true,
    );
  });
  await page.goto(server.url + "/carte");
  await waitForApp(page);
  await waitForServiceWorkerControl(page);
  // The first visit syncs: wait until the 5,000 are on the map.
  await page.waitForFunction((n) => window.__mapBench.lastMarkers >= n, FACILITIES, { timeout: 120_000 });
  await context.setOffline(true);
  const map = [];
  for (let run = 0; run < MAP_RUNS; run++) {
    await page.goto(server.url + "/carte");
    // Hands off while the page starts: Playwright's polling would run its own script in the
    // page in the middle of the measured start.
    await new Promise((r) => setTimeout(r, 3000));
    await page.waitForFunction(() => window.__mapBench.painted !== undefined, null, { timeout: 60_000 });
    map.push(await page.evaluate(() => ({ ...window.__mapBench })));
  }
  const mapMarkers = map[0].markers;

  // ---- The statuses, in one page of the app's origin (the worker is same-origin only).
  await page.goto(server.url + "/robots.txt");
  for (const lib of ["node_modules/suncalc/suncalc.cjs", "node_modules/opening_hours/build/opening_hours.js"]) {
    await page.addScriptTag({ content: readFileSync(lib, "utf8") });
  }
  const jsVersion = JSON.parse(readFileSync("node_modules/opening_hours/package.json", "utf8")).version;
  const values = list.map((f) => f.opening_hours);
  const engines = await page.evaluate(
    async ({ values, instants, rules, nominatim, runs }) => {
      // Our Wasm: the app's hours worker, loaded once (not timed), then one request a run.
      const worker = new Worker("/hours_worker_loader.js");
      await new Promise((ok, ko) => {
        worker.onmessage = (e) => e.data === "ready" && ok();
        worker.onerror = (e) => ko(new Error(`worker: ${e.message}`));
      });
      const request = JSON.stringify({
        instants,
        rules,
        facilities: values.map((opening_hours, id) => ({ id, opening_hours })),
      });
      const ours = () =>
        new Promise((ok) => {
          const t0 = performance.now();
          worker.onmessage = (e) => ok({ time: performance.now() - t0, lines: e.data.split("\n").slice(0, -1) });
          worker.postMessage(request);
        });

      // opening_hours.js: the same values, instants and holidays, the same answers.
      const pad = (n) => String(n).padStart(2, "0");
      const format = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
      const dates = instants.map((s) => {
        const [y, mo, d, h, mi] = s.split(/[-T:]/).map(Number);
        return new Date(y, mo - 1, d, h, mi);
      });
      const DAY = 86_400_000;
      const theirs = () => {
        const t0 = performance.now();
        const parsed = new Map();
        const lines = [];
        for (const now of dates) {
          for (const value of values) {
            let oh = parsed.get(value);
            if (oh === undefined) {
              try {
                oh = new opening_hours(value, nominatim, { mode: 0, tag_key: "opening_hours", locale: "fr" });
              } catch {
                oh = null;
              }
              parsed.set(value, oh);
            }
            if (oh === null) {
              lines.push("rejected");
              continue;
            }
            const it = oh.getIterator(now);
            if (it.getUnknown()) {
              lines.push("unknown -");
            } else if (it.getState()) {
              // Open: until it is closed or uncertain; none beyond a week (as ours).
              const limit = new Date(now.getTime() + 7 * DAY);
              let until = null;
              while (it.advance(limit)) {
                if (it.getDate() >= limit) break;
                if (!it.getState() || it.getUnknown()) {
                  until = it.getDate();
                  break;
                }
              }
              lines.push(`open ${until ? format(until) : "-"}`);
            } else {
              // Closed: the next certain opening within 366 days, none if uncertain first.
              const limit = new Date(now.getTime() + 366 * DAY);
              let next = null;
              while (it.advance(limit)) {
                if (it.getDate() >= limit || it.getUnknown()) break;
                if (it.getState()) {
                  next = it.getDate();
                  break;
                }
              }
              lines.push(`closed ${next ? format(next) : "-"}`);
            }
          }
        }
        return { time: performance.now() - t0, lines };
      };

      // One warm-up each, then alternate runs.
      await ours();
      theirs();
      const oursTimes = [];
      const theirTimes = [];
      let a;
      let b;
      for (let run = 0; run < runs; run++) {
        a = await ours();
        oursTimes.push(a.time);
        b = theirs();
        theirTimes.push(b.time);
      }
      worker.terminate();
      return { oursTimes, theirTimes, ours: a.lines, theirs: b.lines };
    },
    { values, instants: INSTANTS, rules: RULES, nominatim: NOMINATIM, runs: RUNS },
  );

  // ---- Agreement, on the answers of the values both accept.
  const total = values.length * INSTANTS.length;
  if (engines.ours.length !== total || engines.theirs.length !== total) {
    throw new Error(`answers: ours ${engines.ours.length}, opening_hours.js ${engines.theirs.length}, expected ${total}`);
  }
  const rejected = { ours: new Set(), theirs: new Set() };
  let compared = 0;
  let identical = 0;
  let sameState = 0;
  const disagreements = new Map();
  for (let k = 0; k < total; k++) {
    const value = values[k % values.length];
    const instant = INSTANTS[Math.floor(k / values.length)];
    const [o, t] = [engines.ours[k], engines.theirs[k]];
    if (o === "rejected") rejected.ours.add(value);
    if (t === "rejected") rejected.theirs.add(value);
    if (o === "rejected" || t === "rejected") continue;
    compared++;
    if (o === t) identical++;
    if (o.split(" ")[0] === t.split(" ")[0]) sameState++;
    if (o !== t) {
      const d = disagreements.get(value) ?? { facilities: new Set(), at: new Map() };
      d.facilities.add(k % values.length);
      d.at.set(instant, [o, t]);
      disagreements.set(value, d);
    }
  }
  const facilitiesWith = (set) => values.filter((v) => set.has(v)).length;
  const distinct = new Set(values);
  const both = [...rejected.ours].filter((v) => rejected.theirs.has(v));
  const oursMedian = median(engines.oursTimes);
  const theirsMedian = median(engines.theirTimes);
  const ratio = theirsMedian / oursMedian;
  const runRatios = engines.theirTimes.map((t, i) => t / engines.oursTimes[i]);
  const agreement = (100 * identical) / compared;

  const cluster = map.map((m) => m.firstCluster - m.leafletStart);
  const clusterFromNav = map.map((m) => m.firstCluster);
  // A row of the map's table: median, min and max of `f` over the loads.
  const row = (label, f, after = "") => {
    const xs = map.map(f);
    return `| ${label} | ${ms(median(xs))}${after} | ${ms(Math.min(...xs))} | ${ms(Math.max(...xs))} | | |`;
  };
  const kinds = new Set(map.map((m) => m.readKind));
  const mb = (median(map.map((m) => m.readBytes)) / 1e6).toFixed(1);
  const readHow = kinds.size === 1 && kinds.has("get") ? `one ${mb}-million-character record with \`get\`` : `${[...kinds].join(" or ")} (${mb} million characters)`;
  const painted = map.map((m) => m.painted - m.leafletStart);
  const clusterMedian = median(cluster);

  const code = (s) => "`" + s.replaceAll("`", "'").replaceAll("|", "\\|") + "`";
  const list1 = (set) => [...set].sort().map(code).join(", ") || "none";
  const disagreementRows = [...disagreements.entries()]
    .sort((x, y) => y[1].facilities.size - x[1].facilities.size)
    .map(([value, d]) => {
      const at = [...d.at.entries()].map(([i, [o, t]]) => `${i}: ours ${code(o)}, js ${code(t)}`).join("<br>");
      return `| ${code(value)} | ${d.facilities.size} | ${at} | ${why(value)} |`;
    });
  const met = (ok) => (ok ? "met" : "**not met**");
  const report = `# Facilities benchmark

Written by \`cargo xtask bench facilities\` (bench/facilities.mjs): headless Chromium (Debian ${browser.version()}),
phone viewport, time zone Europe/Paris, release builds of the app and the server. This machine:
${cpus().length} cores (${cpus()[0]?.model ?? "?"}), load average ${loadavg().map((x) => x.toFixed(2)).join(" ")} at the end of the run.

**${FACILITIES} facilities** generated with seed ${SEED} from bench/opening_hours_pool.txt (${pool.length} real-world
values, 70 % of the facilities) and five common shapes with varied times (30 %): ${distinct.size} distinct values.

## Status of ${FACILITIES} facilities: our Wasm vs opening_hours.js ${jsVersion}

Each engine answers, for every facility at each of ${INSTANTS.length} fixed instants (${INSTANTS.join(", ")}),
its state (open, closed, unknown) and next change: the closing time when open (none beyond 7 days), the
next certain opening when closed (none beyond 366 days, or when an uncertain period comes first).
Each run parses every distinct value once (no cache kept between runs) and evaluates the
${total.toLocaleString("en")} (value, instant) pairs. Ours: the app's opening-hours worker (src/bin/hours_worker.rs)
through its benchmark request, timed from the page from \`postMessage\` to the reply (JSON decoding
and the answer's text included). opening_hours.js: in the page's main thread, holidays from
\`{ country_code: "fr", state: "Pays de la Loire" }\` (public holidays, school holidays of zone B) like
the demo commune's config (\`school_zone = "B"\`). Loading either engine is not timed; one warm-up
run each, then ${RUNS} alternate runs.

| measure | ours (Wasm) | opening_hours.js | goal | |
| --- | ---: | ---: | ---: | --- |
| time for ${FACILITIES} facilities × ${INSTANTS.length} instants (median of ${RUNS}) | ${ms(oursMedian)} | ${ms(theirsMedian)} | | |
| ratio (opening_hours.js / ours), of the medians | **${ratio.toFixed(2)}×** | | ≥ 3× | ${met(ratio >= 3)} |
| ratio run by run (median, min–max) | ${median(runRatios).toFixed(2)}× (${Math.min(...runRatios).toFixed(2)}–${Math.max(...runRatios).toFixed(2)}) | | | |
| identical answers (state and next change) on values both accept | **${agreement.toFixed(2)} %** (${identical} / ${compared}) | | 100 % | ${met(identical === compared)} |
| same state (open / closed / unknown) | ${((100 * sameState) / compared).toFixed(2)} % | | | |

Raw times (ms): ours ${engines.oursTimes.map((x) => x.toFixed(1)).join(", ")}; opening_hours.js ${engines.theirTimes.map((x) => x.toFixed(1)).join(", ")}.

Rejected values: ours ${rejected.ours.size} distinct (${facilitiesWith(rejected.ours)} facilities), opening_hours.js
${rejected.theirs.size} distinct (${facilitiesWith(rejected.theirs)} facilities), both ${both.length}.
- rejected by ours: ${list1(rejected.ours)}
- rejected by opening_hours.js: ${list1(rejected.theirs)}

### Disagreements (${disagreements.size} distinct values)

${disagreementRows.length ? `| value | facilities | instant: answers | why |\n| --- | ---: | --- | --- |\n${disagreementRows.join("\n")}` : "None."}

## First clustered render of ${mapMarkers} markers on the map page

The app's real map page (/carte), its facilities read from IndexedDB (synced once from the real
server, which imported the same ${FACILITIES} facilities), network off, ${MAP_RUNS} loads. Measured from the page
(MutationObserver, and wrappers installed by the bench around IndexedDB's reads, the map code's
\`show\` and supercluster's \`load\`, which only note the time; nothing in the app): from the map
code's start (Leaflet's script inserted by the map page) to the first cluster icons in the DOM.

| measure | median | min | max | goal | |
| --- | ---: | ---: | ---: | ---: | --- |
| map code start → first cluster icons in the DOM | ${ms(clusterMedian)} | ${ms(Math.min(...cluster))} | ${ms(Math.max(...cluster))} | ≤ 300 ms | ${met(clusterMedian <= 300)} |
${row("… of which: Leaflet, supercluster and the map code loaded, map made", (m) => m.mapMade - m.leafletStart)}
${row(`(in parallel: the facilities read from IndexedDB, ${readHow}, from navigation start)`, (m) => m.readEnd - m.readStart, ` (ends ${ms(median(map.map((m) => m.readEnd)))})`)}
${row(`… of which: map made → the ${mapMarkers} facilities handed to the map code (waiting for the read, decoding and filtering in the app)`, (m) => m.showStart - m.mapMade)}
${row("… of which: the map code's points for the index", (m) => m.loadStart - m.showStart)}
${row(`… of which: supercluster's \`load\` of the ${mapMarkers} points (clustering zooms 0–16)`, (m) => m.loadEnd - m.loadStart)}
${row("… of which: markers for what is in view, to the first cluster icons", (m) => m.firstCluster - m.loadEnd)}
| map code start → next frame painted | ${ms(median(painted))} | ${ms(Math.min(...painted))} | ${ms(Math.max(...painted))} | | |
| navigation → first cluster icons | ${ms(median(clusterFromNav))} | ${ms(Math.min(...clusterFromNav))} | ${ms(Math.max(...clusterFromNav))} | | |

Raw (ms, map code start → first clusters): ${cluster.map((x) => x.toFixed(1)).join(", ")}.

${NOTES}`;
  writeFileSync(process.env.PARVIS_BENCH_RESULT ?? "bench/results/facilities.md", report);
  console.log(report);
  await context.close();
} finally {
  await browser.close();
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}
