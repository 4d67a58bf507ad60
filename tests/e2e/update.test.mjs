// A new build reaches an open app as "Nouvelle version disponible — Recharger", and only
// takes over when the resident asks; old shell caches are deleted on activation.
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { VIEWPORTS, launchBrowser, startServer, waitForApp, waitForServiceWorkerControl, watchConsole } from "./harness.mjs";

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

test("a waiting update is offered and applied on Recharger", async () => {
  const context = await browser.newContext(VIEWPORTS.phone);
  const page = await context.newPage();
  const errors = watchConsole(page);
  await page.goto(server.url + "/agenda");
  await waitForApp(page);
  await waitForServiceWorkerControl(page);
  const cachesBefore = await page.evaluate(() => caches.keys());
  assert.equal(cachesBefore.filter((c) => c.startsWith("parvis-shell-")).length, 1);

  // Deploy a "new version": a new build's worker differs by its content-derived cache version.
  const swPath = join(server.appDir, "sw.js");
  const sw = readFileSync(swPath, "utf8");
  const next = sw.replace(/"version":"[0-9a-f]+"/, '"version":"e2enext"');
  assert.notEqual(next, sw, "the built sw.js carries a generated version");
  writeFileSync(swPath, next);
  // The build's precompressed siblings would still carry the old worker.
  rmSync(swPath + ".br", { force: true });
  rmSync(swPath + ".gz", { force: true });
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());

  const banner = page.getByRole("status").filter({ hasText: "Nouvelle version disponible" });
  await banner.waitFor({ timeout: 20_000 });
  const oldController = await page.evaluate(() => navigator.serviceWorker.controller.scriptURL);
  assert.ok(oldController.endsWith("/sw.js"));

  const reloaded = page.waitForEvent("load");
  await banner.getByRole("button", { name: "Recharger" }).click();
  await reloaded;
  await waitForApp(page);
  await waitForServiceWorkerControl(page);
  // The new worker took over and the banner is gone.
  const waiting = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).waiting);
  assert.equal(waiting, null);
  assert.equal(await page.getByText("Nouvelle version disponible").count(), 0);
  // The old cache is deleted by the new worker's `activate`, which may still be running when
  // the reload (triggered by `controllerchange`) completes: wait for it, then check exactly.
  await page.waitForFunction(
    async () => (await caches.keys()).filter((c) => c.startsWith("parvis-shell-")).length === 1,
    null,
    { timeout: 10_000 },
  );
  const cachesAfter = await page.evaluate(() => caches.keys());
  assert.deepEqual(
    cachesAfter.filter((c) => c.startsWith("parvis-shell-")),
    ["parvis-shell-e2enext"],
    "the previous version's shell cache is deleted on activation",
  );
  assert.deepEqual(errors, []);
  await context.close();
});
