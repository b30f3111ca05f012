// SPDX-License-Identifier: MIT
// households.mjs - the household pages in a real browser (Debian's chromium
// driven by npm playwright-core), against a `zhucun serve` started by
// tests/cli/web_households.sh on the mashan-2018 demo.
//
//   node tests/e2e/households.mjs BASE_URL OUT_DIR
//   env: ZC_WEB_PASS_as_county, ZC_HH (a household whose plan awaits
//        level 3), ZC_HH_VILLAGE, ZC_HH_HEAD (its head's name), ZC_HH2 and
//        ZC_HH2_CADRE (a household and a cadre of its village's team)
//
// The county opens the household's village, follows the household to its
// card, reads members, causes, plan, the review chain and statuses, signs
// off for level 3 (扶贫工作站) and sees the plan await level 4, then lists
// what waits for level 4 on #/aid, and reads the return-to-poverty watch on
// #/watch. Screenshots go to OUT_DIR/screenshots.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { screenshot, stamp } from "./layout.mjs";

const BASE = process.argv[2];
const OUT = process.argv[3];
const SHOTS = join(OUT, "screenshots");
mkdirSync(SHOTS, { recursive: true });
const HH = process.env.ZC_HH || "";
const VILLAGE = process.env.ZC_HH_VILLAGE || "";
const HEAD = process.env.ZC_HH_HEAD || "";
let passed = 0;
let failed = 0;
const ok = (n) => (passed++, console.log("ok " + n + stamp()));
const fail = (n, why) => (failed++, console.log("FAIL " + n + ": " + String(why).replace(/\s+/g, " ").slice(0, 400)));
async function check(name, fn) {
  try {
    if ((await fn()) === false) fail(name, "condition false");
    else ok(name);
  } catch (e) {
    fail(name, e.message || e);
  }
}
async function settled(page, name) {
  await page.waitForFunction(
    (n) => document.body.dataset.ready === "1" && document.body.dataset.page === n && !document.getElementById("main").hasAttribute("aria-busy"),
    name,
    { timeout: 30000 },
  );
}
const shot = (page, f) => screenshot(page, join(SHOTS, f), { fullPage: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN", serviceWorkers: "block" });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(BASE + "/#/login", { waitUntil: "load" });
  await settled(page, "login");
  await page.getByLabel(/账号|Account/).fill("as-county");
  await page.getByLabel(/密码|Password/).fill(process.env.ZC_WEB_PASS_as_county || "");
  await page.getByRole("button", { name: /登录|Log in/ }).click();
  await settled(page, "home");

  await page.goto(BASE + "/#/village/" + VILLAGE);
  await settled(page, "village");
  await check("the village lists its poor households", async () => {
    await page.locator("#village-households").getByRole("link", { name: HH, exact: true }).waitFor({ timeout: 10000 });
    return true;
  });
  await page.locator("#village-households").getByRole("link", { name: HH, exact: true }).click();
  await settled(page, "household");
  await check("the card is the household's", async () => (await page.locator("h1").innerText()).includes(HH));
  await check("members with the head first", async () => {
    const first = await page.locator("#hh-members tbody tr").first().innerText();
    return first.includes(HEAD) && first.includes("户主") && (await page.locator("#hh-members tbody tr").count()) >= 3;
  });
  await check("two causes", async () => /、/.test(await page.locator("dl.facts").innerText()));
  await check("the plan awaits the station", async () => {
    const t = await page.locator("#hh-plan").innerText();
    return t.includes("审核中") && t.includes("待扶贫工作站审核");
  });
  await check("the chain: two levels signed, the station awaited", async () => {
    const cls = await page.locator("ol.chain li").evaluateAll((ls) => ls.map((l) => l.className));
    return JSON.stringify(cls) === JSON.stringify(["chain-signed", "chain-signed", "chain-awaited", "chain-ahead", "chain-ahead"]);
  });
  await check("measures listed", async () => (await page.locator("#hh-plan tbody tr").count()) >= 1);
  await check("yearly statuses listed", async () => (await page.locator("#hh-statuses tbody tr").count()) >= 1);
  await shot(page, "h1-household-card.png");
  await page.getByRole("button", { name: "退回下一级" }).click();
  await check("a return without a reason is stopped on the page", async () => {
    await page.getByText("退回须写明理由").waitFor({ timeout: 5000 });
    return true;
  });
  await page.getByRole("button", { name: "签署同意" }).click();
  await settled(page, "household");
  await check("after the sign-off the plan awaits the township head", async () => {
    await page.locator("#hh-plan").getByText("待乡镇长审核").waitFor({ timeout: 10000 });
    return true;
  });
  await shot(page, "h2-household-signed.png");

  await page.goto(BASE + "/#/aid?waiting=4");
  await settled(page, "aid");
  await check("#/aid lists what waits for level 4, the household among them", async () => {
    await page.getByRole("link", { name: HH, exact: true }).waitFor({ timeout: 10000 });
    return (await page.locator("tbody tr").count()) >= 1;
  });
  await shot(page, "h3-aid-waiting.png");

  await page.goto(BASE + "/#/watch?year=2018");
  await settled(page, "watch");
  await check("#/watch counts the watched households by township", async () => {
    const n = await page.locator("#watch-townships tbody tr").count();
    const first = await page.locator("#watch-townships tbody tr").first().innerText();
    return n >= 2 && /马山县/.test(first) && /\d/.test(first);
  });
  await check("#/watch lists households with their risk and a link to the card", async () => {
    const row = page.locator("#watch-households tbody tr").first();
    const text = await row.innerText();
    return /监测对象|未保障|低于监测线|已返贫/.test(text) && (await row.locator('a[href^="#/household/"]').count()) === 1;
  });
  await shot(page, "h4-watch.png");
  const town = await page.locator("#watch-townships tbody tr").first().locator("td").nth(2).innerText();
  await page.locator("#watch-townships tbody tr").first().getByRole("link").click();
  await settled(page, "watch");
  // 50 rows at first, the rest (up to 300) on 显示全部.
  await check("a township's link narrows the list to it, 50 rows at first", async () => {
    const n = await page.locator("#watch-households tbody tr").count();
    const want = Number(town.replace(/[^0-9]/g, ""));
    return n === Math.min(want, 50) && (want > 50) === ((await page.locator("#watch-all").count()) === 1);
  });
  if (await page.locator("#watch-all").count()) {
    await page.locator("#watch-all").click();
    await check("显示全部 draws the rest of the township's households", async () => {
      const n = await page.locator("#watch-households tbody tr").count();
      const want = Number(town.replace(/[^0-9]/g, ""));
      return n === Math.min(want, 300) && (await page.locator("#watch-all").count()) === 0;
    });
  }
  // Editing the card: causes, a measure added, done, removed; the
  // responsible cadre (a wrong ID number answered on the page, then the
  // team's cadre). A measure added to a plan under review starts a new
  // version, awaiting level 1 again.
  page.on("dialog", (d) => d.accept());
  await page.goto(BASE + "/#/household/" + HH);
  await settled(page, "household");
  await page.locator("#hh-causes-form input").fill("因病、缺资金");
  await page.locator("#hh-causes-form button").click();
  await settled(page, "household");
  await check("causes changed on the card", async () => {
    await page.locator("dl.facts").getByText("因病、缺资金").waitFor({ timeout: 10000 });
    return true;
  });
  await page.locator("#hh-causes-form input").fill("因病、天意");
  await page.locator("#hh-causes-form button").click();
  await check("an unknown cause is answered on the page", async () => {
    await page.locator("#hh-causes-form").getByText(/天意/).waitFor({ timeout: 10000 });
    return true;
  });
  const form = page.locator("#hh-measure-form");
  await form.locator("select").selectOption("产业");
  await form.locator('input[name="what"]').fill("养鸡 200 羽");
  await form.locator('input[name="amount"]').fill("3000");
  await form.locator('input[name="due"]').fill("2018-12-31");
  await form.getByRole("button").click();
  await settled(page, "household");
  const row = page.locator("#hh-plan tbody tr", { hasText: "养鸡 200 羽" });
  await check("a measure added on the card is listed, open", async () => {
    await row.waitFor({ timeout: 10000 });
    return /未完成/.test(await row.innerText()) && /3,000|3000/.test(await row.innerText());
  });
  await check("the plan goes round again from level 1", async () => {
    const cls = await page.locator("ol.chain li").evaluateAll((ls) => ls.map((l) => l.className));
    return cls[0] === "chain-awaited" && /草稿/.test(await page.locator("#hh-plan").innerText());
  });
  await shot(page, "h5-household-edit.png");
  await row.getByRole("button", { name: "完成" }).click();
  await settled(page, "household");
  await check("the measure marked done", async () => {
    await page.locator("#hh-plan tbody tr", { hasText: "养鸡 200 羽" }).getByText("已完成").waitFor({ timeout: 10000 });
    return true;
  });
  await page.locator("#hh-plan tbody tr", { hasText: "养鸡 200 羽" }).getByRole("button", { name: "删除" }).click();
  await settled(page, "household");
  await check("the measure removed", async () => {
    await page.waitForFunction(() => !document.getElementById("hh-plan").innerText.includes("养鸡 200 羽"), null, { timeout: 10000 });
    return true;
  });
  await page.locator("#hh-cadre-form input").fill("450124190001010000");
  await page.locator("#hh-cadre-form button").click();
  await check("a cadre who does not exist is answered on the page", async () => {
    await page.locator("#hh-cadre-form .msg, #hh-cadre-form [role=alert], #hh-cadre-form div").filter({ hasText: /450124190001010000|没有|no cadre/ }).first().waitFor({ timeout: 10000 });
    return true;
  });
  if (process.env.ZC_HH2) {
    await page.goto(BASE + "/#/household/" + process.env.ZC_HH2);
    await settled(page, "household");
    await page.locator("#hh-cadre-form input").fill(process.env.ZC_HH2_CADRE);
    await page.locator("#hh-cadre-form button").click();
    await settled(page, "household");
    await check("the team's cadre assigned from the card", async () => {
      await page.locator("#hh-responsible").getByText(/驻村工作队|结对/).waitFor({ timeout: 10000 });
      return true;
    });
  }
  await check("no script errors", async () => (errors.length ? (fail("script errors", errors.join("; ")), false) : true));
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
