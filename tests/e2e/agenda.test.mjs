// The agenda on a phone: synced on the first visit, then list, search (case and accents
// ignored), filters and an event page keep working with the network off.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  VIEWPORTS,
  dayBehind,
  launchBrowser,
  startServer,
  waitForAgendaSync,
  waitForApp,
  waitForServiceWorkerControl,
  watchConsole,
} from "./harness.mjs";

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Lowercase without diacritics, as the app's search folds text. */
const fold = (s) => s.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase().replace(/œ/g, "oe").replace(/æ/g, "ae").replace(/[’‘]/g, "'");

async function allUpcoming(request) {
  const events = [];
  let cursor = null;
  do {
    const url = `${server.url}/api/v1/events?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const page = await (await request.get(url)).json();
    events.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return events;
}

// The agenda's results as drawn from the device (the count is empty until the store is read).
const resultsShown = (page) => page.locator(".results-count:not(:empty)").waitFor();

// … and once a sync that started at `after` (ms since the epoch) or later is over: before the
// first one, the count is the empty store's.
async function agendaSynced(page, after = 0) {
  await waitForAgendaSync(page, after);
  await page.waitForFunction(() => !document.querySelector(".freshness")?.textContent.includes("Mise à jour"));
  await resultsShown(page);
}

const countShown = (page) => page.locator(".results-count").innerText().then((t) => Number.parseInt(t, 10));

test("the agenda is searchable and filterable offline after one online visit", async () => {
  const context = await browser.newContext(VIEWPORTS.phone);
  const page = await context.newPage();
  const errors = watchConsole(page);
  const events = await allUpcoming(page.request);
  assert.ok(events.length >= 150, `the demo agenda has at least 150 upcoming events (${events.length})`);

  await page.goto(server.url + "/agenda");
  await waitForApp(page);
  await waitForServiceWorkerControl(page);
  await page.locator(".agenda-list .event-card").first().waitFor();
  await page.waitForFunction((n) => Number.parseInt(document.querySelector(".results-count")?.textContent ?? "0", 10) === n, events.length);

  await context.setOffline(true);
  await page.reload();
  await waitForApp(page);
  await page.locator(".agenda-list .event-card").first().waitFor();
  assert.equal(await countShown(page), events.length, "every synced event is listed offline");
  await page.getByText(/Hors ligne — mis à jour/).waitFor();

  // Search ignores case and accents: an accented title found by its plain, uppercase form.
  const accented = events.find((e) => fold(e.title) !== e.title.toLowerCase() && !e.cancelled) ?? events[0];
  const words = fold(accented.title).split(/\s+/).filter((w) => w.length > 3).slice(0, 2);
  const query = words.join(" ").toUpperCase();
  const expected = events.filter((e) => {
    const hay = fold([e.title, e.location_name, e.address, e.description].filter(Boolean).join(" "));
    return fold(query).split(/\s+/).every((w) => hay.includes(w));
  });
  await page.getByLabel("Rechercher un événement").fill(query);
  await page.waitForURL((u) => u.searchParams.get("q") === query);
  await page.waitForFunction((n) => Number.parseInt(document.querySelector(".results-count")?.textContent ?? "-1", 10) === n, expected.length);
  await page.getByRole("link", { name: accented.title, exact: true }).first().waitFor();

  // "Gratuit" keeps only free events; the filter lives in the URL.
  await page.getByLabel("Rechercher un événement").fill("");
  await page.getByLabel("Gratuit").check();
  await page.waitForURL((u) => u.searchParams.get("gratuit") === "1");
  const free = events.filter((e) => e.free).length;
  await page.waitForFunction((n) => Number.parseInt(document.querySelector(".results-count")?.textContent ?? "-1", 10) === n, free);
  const cards = await page.locator(".event-card").count();
  assert.equal(await page.locator(".event-card .badge--free").count(), cards, "every listed event is free");
  await page.getByLabel("Gratuit").uncheck();

  // A category filter.
  const category = events[0].category;
  await page.getByLabel("Catégorie").selectOption(category);
  await page.waitForURL((u) => u.searchParams.get("categorie") === category);
  await page.waitForFunction(
    (n) => Number.parseInt(document.querySelector(".results-count")?.textContent ?? "-1", 10) === n,
    events.filter((e) => e.category === category).length,
  );

  // A cancelled event stays listed, marked, and its page says so — offline.
  const cancelled = events.find((e) => e.cancelled);
  assert.ok(cancelled, "the demo has cancelled events");
  await page.goto(`${server.url}/agenda/${cancelled.id}`);
  await waitForApp(page);
  await page.getByRole("heading", { level: 1, name: cancelled.title }).waitFor();
  await page.getByText("Cet événement est annulé.").waitFor();
  await page.getByRole("link", { name: "Tout l’agenda" }).click();
  await page.waitForURL((u) => u.pathname === "/agenda");

  assert.deepEqual(errors, []);
  await context.close();
});

test("reopening the agenda the same day paints the screen left last until the app draws its own", async () => {
  const context = await browser.newContext(VIEWPORTS.phone);
  // What the page showed until the app's Wasm replaced it: the boot placeholder, with the
  // screen public/preview.js painted into it, if any.
  await context.addInitScript(() => {
    new MutationObserver((changes, observer) => {
      for (const boot of changes.flatMap((c) => [...c.removedNodes]).filter((n) => n.id === "boot")) {
        observer.disconnect();
        window.__beforeApp = {
          inert: boot.inert,
          count: boot.querySelector(".results-count")?.textContent ?? null,
          search: boot.querySelector("#agenda-recherche")?.getAttribute("value") ?? null,
          today: boot.querySelector(".day-strip__days a:nth-child(2)")?.getAttribute("href") ?? null,
        };
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const page = await context.newPage();
  const errors = watchConsole(page);
  await page.goto(server.url + "/agenda?q=marche");
  await waitForApp(page);
  await waitForServiceWorkerControl(page);
  await agendaSynced(page);
  // The screen as drawn from the store the sync filled (the sync's last step, the shown list,
  // may still be on its way).
  await page.reload();
  await waitForApp(page);
  await resultsShown(page);
  const shown = await page.locator(".results-count").innerText();

  // Leaving the page keeps its screen; coming back to the same address paints it, inert (not
  // clickable, not read out) until the app replaces it with the same screen from IndexedDB.
  await page.reload();
  await waitForApp(page);
  await resultsShown(page);
  const atParse = await page.evaluate(() => window.__beforeApp);
  const todayLink = () => page.locator(".day-strip__days a:nth-child(2)").getAttribute("href");
  assert.deepEqual(atParse, { inert: true, count: shown, search: "marche", today: await todayLink() });
  assert.equal(await page.locator("#boot").count(), 0, "the painted screen is gone once the app runs");
  assert.equal(await page.locator(".results-count").count(), 1);
  assert.equal(await page.locator(".results-count").innerText(), shown);
  // The screen is kept while it is read, once it has been still for a second, so that leaving
  // the page seldom has anything left to save: no leaving needed here.
  await page.evaluate(() => localStorage.removeItem("parvis.preview"));
  await page.locator("#agenda-recherche").fill("concert");
  await page.waitForFunction(() => {
    const kept = JSON.parse(localStorage.getItem("parvis.preview") || "{}")[location.pathname + location.search];
    return kept && kept.html.includes('value="concert"') && location.search.includes("concert");
  }, null, { timeout: 10_000 });
  await page.goto(server.url + "/agenda?q=marche");
  await waitForApp(page);
  await resultsShown(page);
  // Not in the language the resident has just left.
  await page.evaluate(() => localStorage.setItem("parvis.locale", "en"));
  await page.reload();
  await waitForApp(page);
  assert.equal((await page.evaluate(() => window.__beforeApp)).count, null, "no French screen for an English app");
  await page.evaluate(() => localStorage.setItem("parvis.locale", "fr"));

  // Another address paints nothing but the placeholder…
  await page.goto(server.url + "/agenda");
  await waitForApp(page);
  assert.equal((await page.evaluate(() => window.__beforeApp)).count, null);
  // … nor does a screen saved another day (its day is aged before preview.js reads it).
  await page.evaluate(() => sessionStorage.setItem("test.saved-yesterday", "1"));
  await context.addInitScript(() => {
    if (!sessionStorage.getItem("test.saved-yesterday")) return;
    sessionStorage.removeItem("test.saved-yesterday");
    const saved = JSON.parse(localStorage.getItem("parvis.preview"));
    for (const url in saved) saved[url].day = "Sat Jan 01 2000";
    localStorage.setItem("parvis.preview", JSON.stringify(saved));
  });
  await page.reload();
  await waitForApp(page);
  assert.equal((await page.evaluate(() => window.__beforeApp)).count, null);
  await resultsShown(page);
  await page.reload();
  await waitForApp(page);
  await resultsShown(page);
  assert.equal((await page.evaluate(() => window.__beforeApp)).count, await page.locator(".results-count").innerText());
  // A visit `days` days before (the page's clock that many days behind), then the first open
  // today: what preview.js painted then.
  await context.addInitScript(dayBehind, "test.days-behind");
  const firstOpenAfterVisit = async (days) => {
    await page.evaluate((d) => sessionStorage.setItem("test.days-behind", String(d)), days);
    await page.reload();
    await waitForApp(page);
    await resultsShown(page);
    const then = await todayLink();
    await page.evaluate(() => sessionStorage.removeItem("test.days-behind"));
    await page.reload();
    await waitForApp(page);
    await resultsShown(page);
    assert.notEqual(then, await todayLink());
    return page.evaluate(() => window.__beforeApp);
  };
  // When the screen was kept on the day before, the app gave preview.js today's parts of it
  // (its days, results and count); copies are kept for six days ahead…
  for (const days of [1, 6]) {
    assert.deepEqual(await firstOpenAfterVisit(days), {
      inert: true,
      count: await page.locator(".results-count").innerText(),
      search: "",
      today: await todayLink(),
    }, `a visit ${days} day(s) before`);
  }
  // … not seven.
  assert.equal((await firstOpenAfterVisit(7)).count, null);
  // The app's first screen takes the events' copy that preview.js started reading as the page
  // loaded, instead of reading it again once its Wasm runs.
  await context.addInitScript(() => {
    let reads = 0;
    const get = IDBObjectStore.prototype.get;
    IDBObjectStore.prototype.get = function (key) {
      if (key === "agenda.snapshot") reads++;
      return get.call(this, key);
    };
    const mark = performance.mark.bind(performance);
    performance.mark = (name, ...rest) => {
      if (name === "parvis:agenda-results") window.__readsAtFirstScreen ??= reads;
      return mark(name, ...rest);
    };
  });
  // Offline, and once this load's sync is over: a sync drops the copy while it runs, and
  // reads it too.
  const loadedAt = Date.now();
  await page.reload();
  await waitForApp(page);
  await agendaSynced(page, loadedAt);
  await context.setOffline(true);
  await page.reload();
  await waitForApp(page);
  await resultsShown(page);
  assert.equal(await page.evaluate(() => window.__readsAtFirstScreen), 1);
  await context.setOffline(false);
  // Screens that change by the minute are never kept (the facility list's statuses).
  await page.goto(server.url + "/carte/liste");
  await waitForApp(page);
  await page.locator("main li").first().waitFor();
  await page.goto(server.url + "/carte/liste");
  await waitForApp(page);
  assert.equal((await page.evaluate(() => window.__beforeApp)).inert, false, "the placeholder, not a saved screen");
  const kept = await page.evaluate(() => Object.keys(JSON.parse(localStorage.getItem("parvis.preview"))));
  assert.deepEqual(kept, ["/agenda"], "today's screen only (the aged one is gone), not the list");
  assert.deepEqual(errors, []);
  await context.close();
});
