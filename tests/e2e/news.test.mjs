// News by theme in the app: first-launch choice, filtered feed, offline reading, and the push
// subscription reaching the server with the chosen themes.
import assert from "node:assert/strict";
import { generateKeyPairSync, randomBytes } from "node:crypto";
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

/** The titles the app should list for `followed` themes, newest first, from the server's API. */
async function expectedTitles(request, followed) {
  const titles = [];
  let cursor = null;
  do {
    const url = `${server.url}/api/v1/news?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const page = await (await request.get(url)).json();
    for (const a of page.items) if (a.themes.some((t) => followed.includes(t))) titles.push(a.title);
    cursor = page.next_cursor;
  } while (cursor);
  return titles;
}

async function listedTitles(page) {
  return page.locator(".article-list article h2").allTextContents();
}

// The browser's push service is on the internet, which this machine cannot reach: the test
// stands in for it with a real P-256 key pair, so the server validates a genuine key.
function fakePushSubscription(port) {
  const { publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const jwk = publicKey.export({ format: "jwk" });
  const p256dh = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, "base64url"), Buffer.from(jwk.y, "base64url")]);
  return {
    endpoint: `http://127.0.0.1:${port}/push-service/e2e-${randomBytes(4).toString("hex")}`,
    keys: { p256dh: p256dh.toString("base64url"), auth: randomBytes(16).toString("base64url") },
  };
}

test("a resident chooses themes, reads them offline, and subscribes to their notifications", async () => {
  const context = await browser.newContext(VIEWPORTS.phone);
  await context.grantPermissions(["notifications"], { origin: server.url });
  const subscription = fakePushSubscription(new URL(server.url).port);
  await context.addInitScript((sub) => {
    PushManager.prototype.subscribe = async () => ({ endpoint: sub.endpoint, toJSON: () => sub });
    PushManager.prototype.getSubscription = async () => null;
  }, subscription);
  const page = await context.newPage();
  const errors = watchConsole(page);

  const themes = await (await page.request.get(server.url + "/api/v1/themes")).json();
  assert.ok(themes.length >= 8, "the demo commune has at least 8 themes");
  const chosen = themes.slice(0, 2);

  // First launch: the app offers to choose themes.
  await page.goto(server.url + "/");
  await waitForApp(page);
  await waitForServiceWorkerControl(page);
  const onboarding = page.getByRole("region", { name: "Quels sujets vous intéressent ?" });
  await onboarding.waitFor();
  for (const theme of chosen) await onboarding.getByLabel(theme.name_fr, { exact: true }).check();
  await onboarding.getByRole("button", { name: "Valider" }).click();
  await onboarding.waitFor({ state: "detached" });

  // The feed shows exactly the chosen themes' articles, newest first.
  const expected = await expectedTitles(page.request, chosen.map((t) => t.slug));
  assert.ok(expected.length > 0, "the demo has articles in the chosen themes");
  await page.waitForFunction((n) => document.querySelectorAll(".article-list article").length === n, expected.length);
  assert.deepEqual(await listedTitles(page), expected);

  // A theme chip narrows the list, and the filter lives in the URL.
  const filter = page.getByRole("navigation", { name: "Filtrer par thème" });
  await filter.getByRole("link", { name: chosen[0].name_fr, exact: true }).click();
  await page.waitForURL((u) => u.searchParams.get("theme") === chosen[0].slug);
  const narrowed = await expectedTitles(page.request, [chosen[0].slug]);
  await page.waitForFunction((n) => document.querySelectorAll(".article-list article").length === n, narrowed.length);
  assert.deepEqual(await listedTitles(page), narrowed);

  // Notifications: the switch asks permission only now and registers the chosen themes.
  await page.getByRole("link", { name: /Réglages/ }).first().click();
  const posted = page.waitForRequest((r) => r.url().endsWith("/api/v1/push/subscriptions") && r.method() === "POST");
  const answered = page.waitForResponse((r) => r.url().endsWith("/api/v1/push/subscriptions") && r.request().method() === "POST");
  await page.getByRole("switch", { name: /Me prévenir/ }).check();
  const body = (await posted).postDataJSON();
  assert.equal(body.endpoint, subscription.endpoint);
  assert.deepEqual([...body.themes].sort(), chosen.map((t) => t.slug).sort());
  assert.ok([200, 201].includes((await answered).status()), "the server accepts the subscription");
  await page.getByText("Activées pour vos thèmes.").waitFor();

  // Following one more theme updates the subscription's themes on the server.
  const third = themes[2];
  const put = page.waitForRequest((r) => /\/api\/v1\/push\/subscriptions\/[^/]+$/.test(r.url()) && r.method() === "PUT");
  await page.getByRole("group", { name: "Thèmes suivis" }).getByLabel(third.name_fr, { exact: true }).check();
  assert.deepEqual([...(await put).postDataJSON().themes].sort(), [...chosen, third].map((t) => t.slug).sort());

  // Offline: a reload still shows the followed themes' news, and an article opens in full.
  const offlineExpected = await expectedTitles(page.request, [...chosen, third].map((t) => t.slug));
  await context.setOffline(true);
  await page.goto(server.url + "/actualites");
  await waitForApp(page);
  await page.waitForFunction((n) => document.querySelectorAll(".article-list article").length === n, offlineExpected.length);
  assert.deepEqual(await listedTitles(page), offlineExpected);
  await page.getByText(/Hors ligne — mis à jour/).waitFor();
  await page.locator(".article-list article h2 a").first().click();
  await page.getByRole("heading", { level: 1, name: offlineExpected[0] }).waitFor();
  assert.ok((await page.locator(".prose").innerText()).trim().length > 0, "the article's body is there offline");

  assert.deepEqual(errors, []);
  await context.close();
});
