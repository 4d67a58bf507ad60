// Facilities on a phone: live opening status at fixed times (Playwright's clock; the hours
// worker gets the page's time from the app), an exceptional closure set through the API, the
// list offline, and the map loading Leaflet only when it opens, with markers and clusters.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import AxeBuilder from "@axe-core/playwright";
import { VIEWPORTS, launchBrowser, startServer, waitForApp, waitForServiceWorkerControl, watchConsole } from "./harness.mjs";

const EDIT_KEY = "e2e-facilities-edit-key-0123456789";
const TOWN_HALL = "Mairie de Saint-Aubin-sur-Loire";

let server;
let browser;
let facilities;

before(async () => {
  server = await startServer({ PARVIS_FACILITIES__EDIT_KEYS: EDIT_KEY });
  browser = await launchBrowser();
  facilities = await allFacilities();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function allFacilities() {
  const items = [];
  let cursor = null;
  do {
    const response = await fetch(`${server.url}/api/v1/facilities?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    assert.equal(response.status, 200);
    const page = await response.json();
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

/** The status line of a facility's card in the list. */
const cardStatus = (page, name) =>
  page.locator(".facility-card", { has: page.getByRole("link", { name, exact: true }) }).locator(".status");

/** Waits until the list's statuses are computed (no "Calcul des horaires…" left). */
async function statusesShown(page) {
  await page.locator(".facility-card .status").first().waitFor();
  await page.waitForFunction(() => ![...document.querySelectorAll(".facility-card .status")].some((s) => s.textContent.includes("Calcul")));
}

async function axe(page, where) {
  const result = await new AxeBuilder({ page }).exclude(".leaflet-tile-container").analyze();
  const summary = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  assert.deepEqual(summary, [], `axe violations on ${where}`);
}

test("opening status follows the clock, closures show their reason, and the list works offline", async () => {
  assert.ok(facilities.length >= 60, `the demo has at least 60 facilities (${facilities.length})`);
  const townHall = facilities.find((f) => f.name === TOWN_HALL);
  assert.ok(townHall, "the demo has the town hall");
  const pool = facilities.find((f) => f.id !== townHall.id && f.opening_hours && /Mo-Su/.test(f.opening_hours));
  assert.ok(pool, "a facility open every day");

  // An exceptional closure, set like a town-hall tool would.
  const put = await fetch(`${server.url}/api/v1/facilities/${pool.id}/closures`, {
    method: "PUT",
    headers: { Authorization: `Bearer ${EDIT_KEY}`, "Content-Type": "application/json" },
    body: JSON.stringify([{ from: "2027-12-20", to: "2028-01-03", reason: "travaux" }]),
  });
  assert.equal(put.status, 200, await put.text());

  const context = await browser.newContext(VIEWPORTS.phone);
  const page = await context.newPage();
  const errors = watchConsole(page);

  // Tuesday 9 March 2027, 10:00 in Paris: the town hall is open until noon.
  await page.clock.setFixedTime(new Date("2027-03-09T10:00:00+01:00"));
  await page.goto(server.url + "/carte/liste");
  await waitForApp(page);
  await waitForServiceWorkerControl(page);
  await page.waitForFunction((n) => document.querySelectorAll(".facility-card").length === n, facilities.length);
  await statusesShown(page);
  assert.equal(await cardStatus(page, TOWN_HALL).innerText(), "Ouvert · ferme à 12:00");
  await axe(page, "/carte/liste");

  // "Ouvert maintenant" keeps the open ones only, and lives in the URL.
  const filters = page.getByRole("navigation", { name: "Filtrer les équipements" });
  await filters.getByRole("link", { name: "Ouvert maintenant" }).click();
  await page.waitForURL((u) => u.searchParams.get("ouvert") === "1");
  assert.equal(await filters.getByRole("link", { name: "Ouvert maintenant" }).getAttribute("aria-current"), "true");
  await page.waitForFunction((n) => document.querySelectorAll(".facility-card").length < n, facilities.length);
  const shownOpen = await page.locator(".facility-card .status").allInnerTexts();
  assert.ok(shownOpen.length > 0 && shownOpen.length < facilities.length, `some but not all are open (${shownOpen.length})`);
  assert.ok(shownOpen.every((s) => /^(Ouvert|Ferme dans)/.test(s)), shownOpen.join(" | "));
  await filters.getByRole("link", { name: "Ouvert maintenant" }).click();
  await page.waitForURL((u) => !u.searchParams.has("ouvert"));

  // The sheet: focus on its heading, today marked in the week.
  await page.getByRole("link", { name: TOWN_HALL, exact: true }).click();
  await page.waitForURL((u) => u.pathname === `/carte/${townHall.id}`);
  const heading = page.getByRole("heading", { level: 1, name: TOWN_HALL });
  await heading.waitFor();
  await page.waitForFunction(() => document.activeElement?.tagName === "H1");
  await page.locator(".facility .status", { hasText: "Ouvert · ferme à 12:00" }).waitFor();
  const today = page.locator("table.week tr[aria-current=date]");
  assert.match(await today.innerText(), /mardi 9 mars[\s\S]*08:30–12:00, 13:30–17:30/);
  assert.equal(await page.locator("a[href^='tel:']").count(), 1);
  await axe(page, `/carte/${townHall.id}`);

  // 12:15: closed for lunch, opening at 13:30.
  await page.clock.setFixedTime(new Date("2027-03-09T12:15:00+01:00"));
  await page.reload();
  await waitForApp(page);
  await page.locator(".facility .status", { hasText: "Fermé · ouvre à 13:30" }).waitFor();

  // 14 July (PH off): closed, the holiday named in the week.
  await page.clock.setFixedTime(new Date("2027-07-14T10:00:00+02:00"));
  await page.reload();
  await waitForApp(page);
  await page.locator(".facility .status", { hasText: /^Fermé · ouvre demain à 08:30$/ }).waitFor();
  assert.match(await today.innerText(), /Fête nationale/);

  // The exceptional closure, with its end and reason.
  await page.clock.setFixedTime(new Date("2027-12-22T10:00:00+01:00"));
  await page.goto(`${server.url}/carte/${pool.id}`);
  await waitForApp(page);
  await page.locator(".facility .status", { hasText: "Fermeture exceptionnelle jusqu’au 3 janvier — travaux" }).waitFor();

  // Offline: the list and its statuses come from the device and the precached worker.
  await page.clock.setFixedTime(new Date("2027-03-09T10:00:00+01:00"));
  await context.setOffline(true);
  await page.goto(server.url + "/carte/liste");
  await waitForApp(page);
  await page.waitForFunction((n) => document.querySelectorAll(".facility-card").length === n, facilities.length);
  await statusesShown(page);
  assert.equal(await cardStatus(page, TOWN_HALL).innerText(), "Ouvert · ferme à 12:00");
  await page.getByText(/Hors ligne — mis à jour/).waitFor();

  assert.deepEqual(errors, []);
  await context.close();
});

test("the map loads Leaflet only when it opens, shows clustered markers, and links to the list", async () => {
  const context = await browser.newContext(VIEWPORTS.phone);
  const page = await context.newPage();
  const errors = watchConsole(page);
  const vendor = [];
  page.on("request", (r) => {
    if (r.url().includes("/vendor/")) vendor.push(new URL(r.url()).pathname);
  });

  await page.goto(server.url + "/actualites");
  await waitForApp(page);
  await waitForServiceWorkerControl(page);
  // The first visit neither links nor preloads Leaflet or the hours worker.
  const html = await (await fetch(server.url + "/index.html")).text();
  assert.doesNotMatch(html, /leaflet|hours_worker/i);
  assert.deepEqual(vendor, [], "no Leaflet request before the map opens");

  const nav = page.getByRole("navigation", { name: /principale/i });
  await nav.getByRole("link", { name: "Carte", exact: true }).click();
  await page.waitForURL((u) => u.pathname === "/carte");
  await page.locator(".facility-map.leaflet-container").waitFor();
  await page.locator(".map-marker, .marker-cluster").first().waitFor();
  assert.ok(vendor.includes("/vendor/leaflet/leaflet.js"), vendor.join(", "));
  const clusters = await page.locator(".marker-cluster").count();
  const markers = await page.locator(".map-marker").count();
  assert.ok(clusters + markers > 0 && clusters + markers < facilities.length, `clustered (${clusters} clusters, ${markers} markers)`);
  // Tiles come from the commune's tile server and are kept by the service worker.
  await page.waitForFunction(async () => (await (await caches.open("parvis-tiles")).keys()).length > 0);
  assert.ok(server.tiles.requests.length > 0);
  await page.getByRole("heading", { level: 2, name: "Légende" }).waitFor();
  await axe(page, "/carte");

  // A cluster opens into markers; a marker opens the sheet.
  while ((await page.locator(".map-marker").count()) === 0) {
    await page.locator(".marker-cluster").first().click();
    await page.waitForTimeout(400);
  }
  await page.locator(".map-marker").first().click();
  await page.waitForURL((u) => /^\/carte\/\d+$/.test(u.pathname));
  await page.locator("main h1").waitFor();

  // "Voir la liste", and back to the map.
  await page.goto(server.url + "/carte?ouvert=1");
  await waitForApp(page);
  await page.getByRole("link", { name: "Voir la liste" }).click();
  await page.waitForURL((u) => u.pathname === "/carte/liste" && u.searchParams.get("ouvert") === "1");
  await page.getByRole("link", { name: "Voir la carte" }).click();
  await page.waitForURL((u) => u.pathname === "/carte");
  await page.locator(".facility-map.leaflet-container").waitFor();

  assert.deepEqual(errors, []);
  await context.close();
});
