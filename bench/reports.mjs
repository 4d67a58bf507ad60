// Photo preparation on the device (issue 6): a 12-megapixel JPEG (4000 × 3000) handed to the
// app's photo worker (src/bin/photo_worker.rs, release build) in headless Chromium: EXIF read,
// decode, turn upright, scale to 1600 px, re-encode as JPEG. Prints a markdown section;
// `cargo xtask bench reports` records it in bench/results/reports.md.
import { VIEWPORTS, launchBrowser, startServer, waitForApp } from "../tests/e2e/harness.mjs";

const RUNS = 7;
const server = await startServer();
const browser = await launchBrowser();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  const context = await browser.newContext(VIEWPORTS.phone);
  const page = await context.newPage();
  await page.goto(server.url + "/signaler");
  await waitForApp(page);
  const result = await page.evaluate(async (runs) => {
    // A textured 12 MP photo, like a phone camera's (a flat image would decode unrealistically fast).
    const canvas = new OffscreenCanvas(4000, 3000);
    const ctx = canvas.getContext("2d");
    const image = ctx.createImageData(4000, 3000);
    let seed = 12345;
    for (let i = 0; i < image.data.length; i += 4) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const p = i / 4;
      image.data[i] = ((p % 4000) / 16 + (seed & 31)) & 255;
      image.data[i + 1] = (p / 4000 / 12 + (seed >> 8 & 31)) & 255;
      image.data[i + 2] = 120 + (seed >> 16 & 63);
      image.data[i + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
    const photo = await canvas.convertToBlob({ type: "image/jpeg", quality: 0.9 });
    const worker = new Worker("/photo_worker_loader.js");
    await new Promise((ok) => worker.addEventListener("message", (e) => e.data === "ready" && ok(), { once: false }));
    const times = [];
    let last = null;
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      last = await new Promise((ok) => {
        const on = (e) => {
          if (Array.isArray(e.data) && e.data[0] === run + 1) {
            worker.removeEventListener("message", on);
            ok(e.data);
          }
        };
        worker.addEventListener("message", on);
        worker.postMessage([run + 1, photo]);
      });
      times.push(performance.now() - started);
    }
    return { bytes: photo.size, times, width: last[2], height: last[3], out: last[1] ? last[1].size : 0 };
  }, RUNS);
  const version = browser.version();
  console.log(
    `Browser: headless Chromium ${version}, the release build's photo worker (Wasm), ${RUNS} runs on one ` +
      `12 MP JPEG (4000 × 3000, ${(result.bytes / 1e6).toFixed(1)} MB).\n\n` +
      `| measure | median | best | goal |\n| --- | ---: | ---: | --- |\n` +
      `| 12 MP photo → ${result.width} × ${result.height} JPEG without EXIF (${Math.round(result.out / 1024)} KB) | ` +
      `${median(result.times).toFixed(0)} ms | ${Math.min(...result.times).toFixed(0)} ms | measured (no goal set) |\n\n` +
      `Raw times (ms): ${result.times.map((t) => t.toFixed(0)).join(", ")}. The first run includes nothing ` +
      `extra: the worker was started and ready before timing.\n`
  );
} finally {
  await browser.close();
  await server.stop();
}
