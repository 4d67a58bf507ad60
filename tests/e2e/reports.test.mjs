// Street-incident reports on a phone: made with no network (a photo carrying EXIF GPS gives the
// place), kept through a reload, sent once when the network returns; sent exactly once when the
// server fails twice first, or when its answer is lost after it committed; refused ones stay
// visible with the server's message, to be edited and sent again; « Moi aussi » follows a report made nearby.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { VIEWPORTS, launchBrowser, startServer, waitForApp, waitForServiceWorkerControl, watchConsole } from "./harness.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
// The server tests' fixture: 47°23'37" N, 0°41'21" E, orientation 6, a camera make in EXIF.
const GPS_PHOTO = join(ROOT, "crates/server/tests/api/fixtures/reports/gps-exif.jpg");

let server;
let browser;

before(async () => {
  server = await startServer({ PARVIS_REPORTS__RATE_LIMIT_PER_HOUR: "1000" });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Every report the server has whose description is `text` (Open311, public fields). */
async function reportsDescribed(request, text) {
  const all = await (await request.get(`${server.url}/open311/v2/requests.json`)).json();
  return all.filter((r) => r.description === text);
}

/** The size of a JPEG (its SOF marker) and whether it carries an EXIF segment. */
function jpegFacts(bytes) {
  let exif = false;
  let size = null;
  for (let i = 2; i + 4 < bytes.length; ) {
    if (bytes[i] !== 0xff) break;
    const marker = bytes[i + 1];
    const length = bytes.readUInt16BE(i + 2);
    if (marker === 0xe1 && bytes.subarray(i + 4, i + 8).toString("latin1") === "Exif") exif = true;
    if (marker >= 0xc0 && marker <= 0xc3) size = { height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) };
    if (marker === 0xda) break;
    i += 2 + length;
  }
  return { exif, size };
}

/** Opens the report page online, once the service worker and the categories are there. */
async function openReportPage(context) {
  const page = await context.newPage();
  await page.goto(server.url + "/signaler");
  await waitForApp(page);
  await waitForServiceWorkerControl(page);
  await page.locator(".category-choice").first().waitFor();
  return page;
}

/** Fills the form: category, the GPS photo (which gives the place), a description. */
async function fillReport(page, description) {
  await page.getByLabel("Rechercher une catégorie").fill("nid de poule");
  await page.getByRole("radio", { name: "Voirie" }).check();
  await page.getByLabel("Choisir dans la galerie").setInputFiles(GPS_PHOTO);
  await page.getByRole("img", { name: "Photo 1" }).waitFor();
  await page.getByText("Position lue sur la photo").waitFor();
  await page.getByLabel("Description").fill(description);
}

test("a report made offline is kept through a reload and sent once when the network returns", async () => {
  const context = await browser.newContext(VIEWPORTS.phone);
  const page = await openReportPage(context);
  const errors = watchConsole(page);
  const description = `Nid-de-poule hors ligne ${Date.now()}`;

  await context.setOffline(true);
  // A missing field is said in French, next to it, and nothing is queued.
  await page.getByRole("button", { name: "Envoyer le signalement" }).click();
  await page.getByText("Choisissez une catégorie.").waitFor();
  await page.getByText("Indiquez où se trouve le problème").waitFor();

  await fillReport(page, description);
  const place = await page.locator(".report-place").innerText();
  assert.match(place, /47\.3936\d, 0\.6891\d/, "the place is the photo's EXIF GPS position");
  await page.getByRole("button", { name: "Envoyer le signalement" }).click();
  await page.waitForURL((u) => u.pathname === "/mes-signalements");
  await page.getByText("En attente d’envoi").waitFor();

  await page.reload();
  await waitForApp(page);
  await page.getByText("En attente d’envoi").waitFor();
  await page.getByText(description).waitFor();
  assert.equal((await reportsDescribed(page.request, description)).length, 0, "nothing left the phone while offline");

  await context.setOffline(false);
  await page.getByText("Reçu par la mairie").waitFor({ timeout: 30_000 });
  await page.getByText(/Signalement n°\d+/).waitFor();
  const found = await reportsDescribed(page.request, description);
  assert.equal(found.length, 1, "exactly one report on the server");
  assert.equal(found[0].service_code, "voirie");
  assert.ok(Math.abs(found[0].lat - 47.39361) < 1e-4 && Math.abs(found[0].long - 0.68917) < 1e-4, "at the photo's place");

  // The stored photo: re-encoded (no EXIF), upright (orientation 6 applied: sides swapped).
  assert.ok(found[0].media_url, "the report has its photo");
  const stored = Buffer.from(await (await page.request.get(found[0].media_url)).body());
  const original = jpegFacts(readFileSync(GPS_PHOTO));
  const facts = jpegFacts(stored);
  assert.equal(original.exif, true, "the fixture carries EXIF");
  assert.equal(facts.exif, false, "no EXIF survives");
  assert.deepEqual(facts.size, { width: original.size.height, height: original.size.width }, "turned upright");

  // Reloading does not send it again.
  await page.reload();
  await waitForApp(page);
  await page.getByText(description).waitFor();
  await page.waitForTimeout(500);
  assert.equal((await reportsDescribed(page.request, description)).length, 1, "still exactly one report");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a server failing twice before succeeding gets one report, the same key each time", async () => {
  const context = await browser.newContext(VIEWPORTS.phone);
  const page = await openReportPage(context);
  const description = `Lampadaire éteint ${Date.now()}`;
  const keys = [];
  await context.route("**/api/v1/reports", async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    keys.push(route.request().headers()["idempotency-key"]);
    if (keys.length <= 2) {
      return route.fulfill({
        status: 500,
        contentType: "application/problem+json",
        body: JSON.stringify({ type: "about:blank", title: "Internal Server Error", status: 500, detail: "Erreur interne." }),
      });
    }
    return route.continue();
  });
  await fillReport(page, description);
  await page.getByRole("button", { name: "Envoyer le signalement" }).click();
  await page.waitForURL((u) => u.pathname === "/mes-signalements");
  // Back-off: 5 s, then 10 s.
  await page.getByText("Reçu par la mairie").waitFor({ timeout: 40_000 });
  assert.equal(keys.length, 3, "two failures, then one success");
  assert.ok(keys[0] && keys.every((k) => k === keys[0]), "every attempt carries the same Idempotency-Key");
  assert.equal((await reportsDescribed(page.request, description)).length, 1, "exactly one report");
  await context.close();
});

test("a server asking to wait (429, Retry-After) is not asked again before then", async () => {
  const context = await browser.newContext(VIEWPORTS.phone);
  const page = await openReportPage(context);
  const description = `Banc cassé ${Date.now()}`;
  let posts = 0;
  await context.route("**/api/v1/reports", async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    posts += 1;
    return route.fulfill({
      status: 429,
      headers: { "Retry-After": "3600" },
      contentType: "application/problem+json",
      body: JSON.stringify({ type: "about:blank", title: "Too Many Requests", status: 429, detail: "Trop de signalements : réessayez dans 1 h." }),
    });
  });
  await fillReport(page, description);
  await page.getByRole("button", { name: "Envoyer le signalement" }).click();
  await page.waitForURL((u) => u.pathname === "/mes-signalements");
  await page.getByText(description).waitFor();
  for (let waited = 0; posts === 0 && waited < 10_000; waited += 100) await page.waitForTimeout(100);
  assert.equal(posts, 1, "the first attempt was made");
  // Our own back-off alone would have tried again after 5 s.
  await page.waitForTimeout(8_000);
  assert.equal(posts, 1, "no second attempt: it waits for the hour the server asked");
  await context.close();
});

test("an answer lost after the server committed still makes one report", async () => {
  const context = await browser.newContext(VIEWPORTS.phone);
  const page = await openReportPage(context);
  const description = `Dépôt sauvage ${Date.now()}`;
  let attempts = 0;
  let firstReceipt = null;
  await context.route("**/api/v1/reports", async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    attempts += 1;
    if (attempts === 1) {
      // The server receives and commits the report; its answer never reaches the phone.
      const response = await route.fetch();
      firstReceipt = await response.json();
      return route.abort("connectionreset");
    }
    return route.continue();
  });
  await fillReport(page, description);
  await page.getByRole("button", { name: "Envoyer le signalement" }).click();
  await page.waitForURL((u) => u.pathname === "/mes-signalements");
  await page.getByText("Reçu par la mairie").waitFor({ timeout: 30_000 });
  assert.ok(firstReceipt?.id, "the first attempt was committed");
  assert.equal(attempts, 2);
  await page.getByText(`Signalement n°${firstReceipt.id}`).waitFor();
  assert.equal((await reportsDescribed(page.request, description)).length, 1, "exactly one report");
  await context.close();
});

test("a refused report stays with the server's message and can be edited and sent again", async () => {
  const context = await browser.newContext(VIEWPORTS.phone);
  const page = await openReportPage(context);
  const description = `Panneau tordu ${Date.now()}`;
  await context.route("**/api/v1/reports", (route) => {
    if (route.request().method() !== "POST") return route.continue();
    return route.fulfill({
      status: 422,
      contentType: "application/problem+json",
      body: JSON.stringify({ type: "about:blank", title: "Unprocessable", status: 422, detail: "Ce lieu est hors de la commune." }),
    });
  });
  await fillReport(page, description);
  await page.getByRole("button", { name: "Envoyer le signalement" }).click();
  await page.waitForURL((u) => u.pathname === "/mes-signalements");
  await page.getByText("Non envoyé").waitFor();
  await page.getByText("Ce lieu est hors de la commune.").waitFor();
  await page.reload();
  await waitForApp(page);
  await page.getByText("Ce lieu est hors de la commune.").waitFor();

  await context.unroute("**/api/v1/reports");
  await page.getByRole("link", { name: "Modifier" }).click();
  await page.waitForURL((u) => u.pathname === "/signaler" && u.searchParams.has("modifier"));
  await page.getByRole("img", { name: "Photo 1" }).waitFor();
  assert.equal(await page.getByLabel("Description").inputValue(), description, "the form comes back filled");
  await page.getByRole("button", { name: "Renvoyer le signalement" }).click();
  await page.waitForURL((u) => u.pathname === "/mes-signalements");
  await page.getByText("Reçu par la mairie").waitFor({ timeout: 30_000 });
  assert.equal(await page.getByText("Non envoyé").count(), 0, "the refused version is gone");
  assert.equal((await reportsDescribed(page.request, description)).length, 1, "exactly one report");
  await context.close();
});

test("« Moi aussi » on a report already made nearby follows it instead of making a second one", async () => {
  const context = await browser.newContext(VIEWPORTS.phone);
  const description = `Lampadaire éteint ${Date.now()}`;
  // Someone reported it 30 m north of where the photo was taken (47°23'37" N, 0°41'21" E).
  const place = { lat: 47 + 23 / 60 + 37 / 3600 + 30 / 111_195, lon: 0 + 41 / 60 + 21 / 3600 };
  const made = await context.request.post(`${server.url}/api/v1/reports`, {
    headers: { "Idempotency-Key": `moi-aussi-${Date.now()}` },
    multipart: {
      report: {
        name: "report.json",
        mimeType: "application/json",
        buffer: Buffer.from(JSON.stringify({ category: "voirie", description, position: place })),
      },
    },
  });
  assert.equal(made.status(), 201, await made.text());
  const { id } = await made.json();
  const supporters = async () => {
    const query = `lat=${place.lat}&lon=${place.lon}&category=voirie`;
    const nearby = await (await context.request.get(`${server.url}/api/v1/reports/nearby?${query}`)).json();
    return nearby.find((r) => r.id === id).supporters;
  };
  assert.equal(await supporters(), 0);

  const page = await openReportPage(context);
  const errors = watchConsole(page);
  await fillReport(page, "Le même lampadaire");
  const offered = page.getByRole("listitem").filter({ hasText: description });
  await offered.getByRole("button", { name: "Moi aussi" }).click();
  await page.waitForURL((u) => u.pathname === "/mes-signalements");
  await page.getByText(description).waitFor();
  assert.equal(await supporters(), 1, "counted once on the server");
  assert.equal((await reportsDescribed(page.request, "Le même lampadaire")).length, 0, "no second report");
  // Followed on this device through a reload, with the server's status.
  await page.reload();
  await waitForApp(page);
  await page.getByText(description).waitFor();
  await page.getByText("Reçu par la mairie").first().waitFor({ timeout: 30_000 });
  assert.deepEqual(errors, []);
  await context.close();
});

test("with the app closed, Background Sync sends the queued report from the service worker, once", async () => {
  const context = await browser.newContext(VIEWPORTS.phone);
  const page = await openReportPage(context);
  const description = `Dépôt sauvage app fermée ${Date.now()}`;
  await context.setOffline(true);
  await fillReport(page, description);
  await page.getByRole("button", { name: "Envoyer le signalement" }).click();
  await page.waitForURL((u) => u.pathname === "/mes-signalements");
  await page.getByText("En attente d’envoi").waitFor();

  // The app is closed; the network comes back; the browser fires the outbox's sync (here
  // through DevTools, from a page of another origin, so the worker has no window to ask).
  await page.close();
  await context.setOffline(false);
  const blank = await context.newPage();
  const cdp = await context.newCDPSession(blank);
  const registrationId = new Promise((resolve) =>
    cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
      const ours = registrations.find((r) => r.scopeURL === `${server.url}/` && !r.isDeleted);
      if (ours) resolve(ours.registrationId);
    }),
  );
  await cdp.send("ServiceWorker.enable");
  await cdp.send("ServiceWorker.dispatchSyncEvent", {
    origin: server.url,
    registrationId: await registrationId,
    tag: "parvis-reports",
    lastChance: false,
  });
  let found = [];
  for (let i = 0; i < 60 && found.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 250));
    found = await reportsDescribed(context.request, description);
  }
  assert.equal(found.length, 1, "sent by the service worker");
  assert.ok(found[0].media_url, "with its photo");

  // Opening the app again shows it sent, and sends nothing more.
  const reopened = await context.newPage();
  const errors = watchConsole(reopened);
  await reopened.goto(server.url + "/mes-signalements");
  await waitForApp(reopened);
  await reopened.getByText(description).waitFor();
  await reopened.getByText("Reçu par la mairie").first().waitFor({ timeout: 30_000 });
  assert.equal(await reopened.getByText("En attente d’envoi").count(), 0);
  await reopened.waitForTimeout(500);
  assert.equal((await reportsDescribed(context.request, description)).length, 1, "still exactly one report");
  assert.deepEqual(errors, []);
  await context.close();
});
