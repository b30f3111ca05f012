// SPDX-License-Identifier: MIT
// bench.mjs - page-load times of the web UI in chromium (playwright-core):
// each page is loaded from scratch RUNS times; the time is from the start
// of navigation (Navigation Timing) to the route's content on screen, i.e.
// HTML, CSS, modules, the session check, the page's API calls and the DOM.
//
//   node bench/web/bench.mjs BASE USER PASSWORD RUNS ROUTE...
import { chromium } from "playwright-core";

const [BASE, USER, PASS, RUNS, ...ROUTES] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
const page = await ctx.newPage();
await page.goto(BASE + "/#/login");
await page.waitForFunction(() => document.body.dataset.ready === "1");
await page.fill("input[name=user]", USER);
await page.fill("input[name=password]", PASS);
await page.click("button[type=submit]");
await page.waitForFunction(() => document.body.dataset.page === "home");

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
console.log("page                                   median_ms  max_ms  (navigation start -> content on screen)");
let worst = 0;
for (const route of ROUTES) {
  const name = route.split("/")[1].split("?")[0];
  const times = [];
  for (let i = 0; i < Number(RUNS); i++) {
    await page.goto("about:blank");
    await page.goto(BASE + "/#" + route, { waitUntil: "load" });
    await page.waitForFunction(
      (n) => document.body.dataset.ready === "1" && document.body.dataset.page === n && !document.getElementById("main").hasAttribute("aria-busy"),
      name,
      { timeout: 30000 },
    );
    times.push(await page.evaluate(() => Number(document.body.dataset.shownAt)));
  }
  worst = Math.max(worst, ...times);
  console.log(`${route.padEnd(38)} ${String(median(times)).padStart(9)} ${String(Math.max(...times)).padStart(7)}`);
}
console.log(`slowest load: ${worst} ms`);
await browser.close();
