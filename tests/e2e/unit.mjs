// SPDX-License-Identifier: MIT
// unit.mjs - a sending unit's page in a real browser (Debian's chromium
// driven by npm playwright-core), against a `zhucun serve` started by
// tests/cli/leave_unit.sh: the unit's account lands on its copy of the
// leave of the cadres it sent (抄送派出单位), with the 销假, and sees no other
// unit's cadre and no other page.
//
//   node tests/e2e/unit.mjs BASE_URL USER PASSWORD MINE OTHERS
import { chromium } from "playwright-core";

const [BASE, USER, PASS, MINE, OTHER] = process.argv.slice(2);
let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    if ((await fn()) === false) (failed++, console.log("FAIL " + name + ": condition false"));
    else (passed++, console.log("ok " + name));
  } catch (e) {
    failed++;
    console.log("FAIL " + name + ": " + String(e.message || e).replace(/\s+/g, " ").slice(0, 300));
  }
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const ctx = await browser.newContext({ locale: "zh-CN", serviceWorkers: "block" });
  const page = await ctx.newPage();
  await page.goto(BASE + "/#/login", { waitUntil: "load" });
  await page.getByLabel(/账号|Account/).fill(USER);
  await page.getByLabel(/密码|Password/).fill(PASS);
  await page.getByRole("button", { name: /登录|Log in/ }).click();
  await check("the unit lands on its copy of the leave", async () => {
    await page.locator("#unit-leave tbody tr").first().waitFor({ timeout: 15000 });
    return true;
  });
  const text = await page.locator("#unit-leave").innerText();
  await check("its own cadre's leave, with the 销假 and its state", async () => text.includes(MINE) && /2026-11-24/.test(text) && /已批准/.test(text));
  await check("no other unit's cadre", async () => !text.includes(OTHER));
  await check("one page in the navigation", async () => (await page.locator("#nav a").count()) === 1);
  await page.goto(BASE + "/#/cadres", { waitUntil: "load" });
  await check("another page's address brings it back to its copy", async () => {
    await page.locator("#unit-leave").waitFor({ timeout: 15000 });
    return true;
  });
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
