// Renders the README's screenshot (docs/screenshot-phone.png) from the real server and build:
// `node tests/e2e/screenshot.mjs` after `cargo xtask build-app` and `cargo build -p parvis-server`.
import { VIEWPORTS, launchBrowser, startServer, waitForApp } from "./harness.mjs";

const server = await startServer();
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ ...VIEWPORTS.phone, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(server.url + "/actualites");
  await waitForApp(page);
  await page.locator(".app-header__logo").waitFor();
  // First launch offers the themes; the screenshot shows the feed behind it.
  await page.getByRole("button", { name: "Plus tard" }).click();
  await page.locator(".article-list article").first().waitFor();
  await page.screenshot({ path: "docs/screenshot-phone.png" });
  await context.close();
} finally {
  await browser.close();
  await server.stop();
}
