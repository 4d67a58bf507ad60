// The app shell on a phone and on a desktop: navigation, offline, installability, accessibility.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import AxeBuilder from "@axe-core/playwright";
import { VIEWPORTS, launchBrowser, launchPersistentContext, startServer, waitForApp, waitForServiceWorkerControl, watchConsole } from "./harness.mjs";

// Every screen of the bottom/side navigation: link name → path and page heading.
const NAV = [
  { link: "Actualités", path: "/actualites" },
  { link: "Agenda", path: "/agenda" },
  { link: "Carte", path: "/carte" },
  { link: "Signaler", path: "/signaler" },
  { link: "Mes signalements", path: "/mes-signalements" },
];

let server;
let browser;

before(async () => {
  server = await startServer({ PARVIS_COMMUNE__NAME: "Commune-de-Test-sur-Loire" });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

for (const [device, options] of Object.entries(VIEWPORTS)) {
  describe(`on a ${device}`, () => {
    test("every route is reachable through the navigation, with no console error", async () => {
      const context = await browser.newContext(options);
      const page = await context.newPage();
      const errors = watchConsole(page);

      await page.goto(server.url + "/");
      await waitForApp(page);
      assert.equal(new URL(page.url()).pathname, "/actualites", "the root opens the news");
      const nav = page.getByRole("navigation", { name: /principale|main/i });
      await nav.waitFor();
      // The commune's identity comes from the server's configuration.
      await page.getByRole("banner").getByText("Commune-de-Test-sur-Loire").waitFor();

      for (const { link, path } of [...NAV].reverse()) {
        await nav.getByRole("link", { name: link, exact: true }).click();
        await page.waitForURL((u) => u.pathname === path);
        await page.locator("main h1").first().waitFor();
        assert.equal(
          await nav.getByRole("link", { name: link, exact: true }).getAttribute("aria-current"),
          "page",
          `${link} is marked as the current page`,
        );
      }
      await page.getByRole("link", { name: /Réglages/ }).first().click();
      await page.waitForURL((u) => u.pathname === "/reglages");
      await page.getByRole("heading", { level: 1, name: "Réglages" }).waitFor();

      await page.goto(server.url + "/cette-page-n-existe-pas");
      await page.getByRole("heading", { level: 1, name: "Page introuvable" }).waitFor();
      await page.getByRole("link", { name: /accueil/i }).click();
      await page.waitForURL((u) => u.pathname === "/actualites");

      assert.deepEqual(errors, []);
      await context.close();
    });

    test("the service worker controls the page and the shell reloads offline", async () => {
      const context = await browser.newContext(options);
      const page = await context.newPage();
      const errors = watchConsole(page);
      await page.goto(server.url + "/agenda");
      await waitForApp(page);
      await waitForServiceWorkerControl(page);
      // The first visit's sync must be over: a request cut by going offline is logged by the
      // browser itself (a loaded machine can still be syncing when the worker takes control).
      await page.waitForLoadState("networkidle");

      await context.setOffline(true);
      await page.reload();
      await waitForApp(page);
      await page.getByRole("heading", { level: 1, name: "Agenda" }).waitFor();
      // The identity cached on the first visit is shown offline too.
      await page.getByRole("banner").getByText("Commune-de-Test-sur-Loire").waitFor();
      await page.getByText("Hors ligne").first().waitFor();
      // Client-side navigation keeps working with no network.
      const nav = page.getByRole("navigation", { name: /principale|main/i });
      await nav.getByRole("link", { name: "Carte", exact: true }).click();
      await page.waitForURL((u) => u.pathname === "/carte");
      await page.locator("main h1").first().waitFor();
      // And so does a deep link typed while offline (navigation falls back to the cached shell).
      await page.goto(server.url + "/mes-signalements");
      await waitForApp(page);

      assert.deepEqual(errors, []);
      await context.close();
    });

    test("axe-core finds no accessibility violation on any page, light and dark", async () => {
      const context = await browser.newContext(options);
      const page = await context.newPage();
      for (const colorScheme of ["light", "dark"]) {
        await page.emulateMedia({ colorScheme });
        for (const path of [...NAV.map((n) => n.path), "/reglages", "/introuvable"]) {
          await page.goto(server.url + path);
          await waitForApp(page);
          const result = await new AxeBuilder({ page }).analyze();
          const summary = result.violations.map(
            (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
          );
          assert.deepEqual(summary, [], `axe violations on ${path} (${colorScheme})`);
        }
      }
      await context.close();
    });
  });
}

test("Chromium reports zero installability errors", async () => {
  // Installability is not evaluated in incognito contexts: use a real profile.
  const context = await launchPersistentContext(VIEWPORTS.phone);
  const page = await context.newPage();
  await page.goto(server.url + "/");
  await waitForApp(page);
  await waitForServiceWorkerControl(page);
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
  assert.deepEqual(installabilityErrors, []);
  const manifest = await (await page.request.get(server.url + "/manifest.json")).json();
  assert.equal(manifest.lang, "fr");
  assert.equal(manifest.display, "standalone");
  assert.ok(manifest.name.includes("Commune-de-Test-sur-Loire"), "the manifest carries the configured name");
  assert.deepEqual(
    manifest.shortcuts.map((s) => s.short_name),
    ["Signaler", "Agenda"],
  );
  await context.close();
});

test("English can be chosen in the settings and is remembered", async () => {
  const context = await browser.newContext(VIEWPORTS.desktop);
  const page = await context.newPage();
  const errors = watchConsole(page);
  await page.goto(server.url + "/reglages");
  await waitForApp(page);
  assert.equal(await page.locator("html").getAttribute("lang"), "fr");
  await page.getByRole("combobox", { name: "Langue" }).selectOption("en");
  await page.getByRole("heading", { level: 1, name: "Settings" }).waitFor();
  assert.equal(await page.locator("html").getAttribute("lang"), "en");

  await page.reload();
  await waitForApp(page);
  await page.getByRole("heading", { level: 1, name: "Settings" }).waitFor();
  const nav = page.getByRole("navigation", { name: /principale|main/i });
  // The whole frame follows the language, not just the settings page.
  for (const link of ["News", "Events", "Map", "Report", "My reports"]) {
    await nav.getByRole("link", { name: link, exact: true }).waitFor();
  }
  assert.equal(await page.getByRole("navigation", { name: "Main navigation" }).count(), 1);
  assert.deepEqual(errors, []);
  await context.close();
});
