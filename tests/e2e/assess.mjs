// SPDX-License-Identifier: MIT
// assess.mjs - the assessment pages in a real browser (Debian's chromium
// driven by npm playwright-core), against a `zhucun serve` started by
// tests/cli/web_assess.sh on the mashan-2018 demo with its July.
//
//   node tests/e2e/assess.mjs BASE_URL OUT_DIR
//   env: ZC_WEB_PASS_as_county, ZC_WEB_PASS_as_cadre
//
// The story: a cadre on a phone appeals their proposed step; the county
// opens #/assess (scores with components, the chart by township, the
// negative list, the ladder with the appeal, the grades with the quota),
// confirms a step, opens the bulletin, draws the inspection sample on
// #/inspect and reads #/funds. Screenshots go to OUT_DIR/screenshots.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { LAYOUT_CHECKS, TEXT_LINES, download, isXlsx, layoutProblems, screenshot, smallTargets, stamp } from "./layout.mjs";

const BASE = process.argv[2];
const OUT = process.argv[3];
const SHOTS = join(OUT, "screenshots");
mkdirSync(SHOTS, { recursive: true });
const DOWNLOADS = join(OUT, "downloads");
mkdirSync(DOWNLOADS, { recursive: true });
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
async function login(page, user, pass) {
  await page.goto(BASE + "/#/login", { waitUntil: "load" });
  await settled(page, "login");
  await page.getByLabel(/账号|Account/).fill(user);
  await page.getByLabel(/密码|Password/).fill(pass);
  await page.getByRole("button", { name: /登录|Log in/ }).click();
}
const pass = (a) => process.env["ZC_WEB_PASS_" + a.replace(/-/g, "_")] || "";
const shot = (page, f) => screenshot(page, join(SHOTS, f), { fullPage: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
// Every context gets the in-page helpers of the layout checks.
const newContext = browser.newContext.bind(browser);
browser.newContext = async (o) => {
  const c = await newContext(o);
  await c.addInitScript(TEXT_LINES);
  return c;
};
try {
  // ---- the cadre appeals on the phone ----------------------------------------------------
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "zh-CN", isMobile: true, hasTouch: true, serviceWorkers: "block" });
  const mob = await phone.newPage();
  await login(mob, "as-cadre", pass("as-cadre"));
  await settled(mob, "field");
  await check("cadre: a notice tells them of the step proposed, with the way to appeal", async () => {
    await mob.locator("#my-notices li").first().waitFor({ timeout: 10000 });
    return /负面清单/.test(await mob.locator("#my-notices").innerText()) && /申诉/.test(await mob.locator("#my-notices").innerText());
  });
  const notes = await mob.locator("#my-notices li").count();
  await mob.locator("#my-notices li button").first().click();
  await check("cadre: marked read, the notice leaves the page", async () => {
    await mob.waitForFunction((n) => document.querySelectorAll("#my-notices li").length === n - 1, notes, { timeout: 10000 });
    return true;
  });
  await check("cadre: their proposed step is on the phone page", async () => {
    await mob.locator("#my-ladder button.appeal").first().waitFor({ timeout: 10000 });
    return /进班学习|约谈|处理/.test(await mob.locator("#my-ladder").innerText());
  });
  mob.once("dialog", (d) => d.accept("当月住院，附病历"));
  await mob.locator("#my-ladder button.appeal").first().click();
  await settled(mob, "field");
  await check("cadre: the step shows the appeal", async () => {
    await mob.locator("#my-ladder").getByText("申诉中").first().waitFor({ timeout: 10000 });
    return (await mob.locator("#my-ladder button.appeal").count()) === 0;
  });
  await check("cadre: their ticket is on the phone page", async () => /工作日志记录不全/.test(await mob.locator("#my-tickets").innerText()));
  mob.once("dialog", (d) => d.accept("已补记七月日志"));
  await mob.locator("#my-tickets button.fix").first().click();
  await settled(mob, "field");
  await check("cadre: the fix is reported and waits for its re-check", async () => {
    await mob.locator("#my-tickets").getByText("待复核").first().waitFor({ timeout: 10000 });
    return (await mob.locator("#my-tickets button.fix").count()) === 0;
  });
  await shot(mob, "a1-cadre-appeal.png");
  await phone.close();

  // ---- the county on #/assess ---------------------------------------------------------------
  const desk = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: "zh-CN" });
  const page = await desk.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await login(page, "as-county", pass("as-county"));
  await settled(page, "home");
  await check("county: the navigation links the assessment pages", async () => (await page.locator("#nav a[href='#/assess']").count()) === 1 && (await page.locator("#nav a[href='#/inspect']").count()) === 1 && (await page.locator("#nav a[href='#/funds']").count()) === 1);
  await page.goto(BASE + "/#/assess?month=2018-07&year=2018", { waitUntil: "load" });
  await settled(page, "assess");
  await check("assess: the scores table shows the lowest first, then all on request", async () => {
    const few = await page.locator("#score-table tbody tr").count();
    await page.locator("#score-table-all").click();
    return few === 30;
  });
  await check("assess: the scores table lists the county's cadres with their components", async () => {
    const n = await page.locator("#score-table tbody tr").count();
    const head = await page.locator("#score-table thead").innerText();
    return n > 100 && /总分/.test(head) && /驻村在岗/.test(head) && /入户走访/.test(head);
  });
  await check("assess: ID numbers are masked", async () => !/\d{17}[\dX]/.test(await page.locator("#score-table").innerText()));
  await check("assess: the spread by township is drawn (ECharts svg) with its table", async () => {
    await page.locator("#score-chart svg").first().waitFor({ timeout: 15000 });
    return (await page.locator("#score-bands tbody tr").count()) > 3;
  });
  await check("assess: the negative list is shown", async () => (await page.locator("#negative tbody tr").count()) > 3);
  const negBefore = await page.locator("#negative tbody tr").count();
  await page.locator("#negative-build").click();
  await settled(page, "assess");
  await check("assess: the county rebuilds the list from the rules with the button, manual entries kept", async () => {
    await page.locator("#negative tbody tr").first().waitFor({ timeout: 10000 });
    return (await page.locator("#negative tbody tr").count()) === negBefore;
  });
  await check("assess: the ladder shows the cadre's appeal", async () => /申诉中/.test(await page.locator("#ladder").innerText()) && /当月住院/.test(await page.locator("#ladder").innerText()));
  await page.locator("#tasks-derive").click();
  await settled(page, "assess");
  await check("assess: the quarter's tasks derived from needs and plans are listed", async () => {
    // The page re-renders after the derive: wait for the derived rows.
    await page.waitForFunction(() => document.querySelectorAll("#task-table tbody tr").length > 5, null, { timeout: 15000 }).catch(() => {});
    return (await page.locator("#task-table tbody tr").count()) > 5 && /完成时限/.test(await page.locator("#tasks").innerText());
  });
  await check("assess: the townships' grades side by side (横向校准)", async () => (await page.locator("#township-grades tbody tr").count()) >= 2 && /各乡镇等次分布/.test(await page.locator("#township-grades").innerText()));
  await check("assess: the grades with the quota per county", async () => {
    await page.locator("#grade-table-all").click();
    // The rest of the rows come after the click: wait for them (it was flaky under load).
    await page.waitForFunction(() => document.querySelectorAll("#grade-table tbody tr").length > 100, null, { timeout: 15000 }).catch(() => {});
    return /优秀名额/.test(await page.locator("#grades").innerText()) && (await page.locator("#grade-table tbody tr").count()) > 100;
  });
  await check("assess: the promotion list (提拔重用) with each name's evidence", async () => {
    const text = await page.locator("#promotions").innerText();
    return (await page.locator("#promotion-table tbody tr").count()) >= 1 && /提拔重用推荐名单/.test(text) && /优秀/.test(text) && /7月 \d+\.\d/.test(text);
  });
  {
    // The county records a commendation (表彰) for the first name: it shows in the evidence.
    const r = await page.request.get(BASE + "/api/v1/assess/promotions?year=2018");
    const first = ((await r.json()).rows || [])[0];
    await page.locator("#commend-form select[name=cadre]").selectOption(String(first ? first.cadre : 0));
    await page.locator("#commend-form input[name=title]").fill("县级优秀第一书记");
    await page.locator("#commend-form textarea[name=reason]").fill("带领群众发展食用菌产业");
    await page.locator("#commend-form button[type=submit]").click();
    await check("assess: a commendation recorded from the page is in the promotion list's evidence", async () => {
      await page.locator("#promotions").getByText(/县级优秀第一书记.*带领群众发展食用菌产业/).first().waitFor({ timeout: 15000 });
      // And in the year's commendations below the list.
      return /县级优秀第一书记/.test(await page.locator("#commendation-table").innerText());
    });
  }
  await page.locator("#promotions").screenshot({ path: join(SHOTS, "a2-promotions.png") });
  await check("assess: the promotion list exports to Excel", async () => {
    const f = await download(page, page.getByRole("link", { name: "导出提拔重用推荐名单（Excel）" }), DOWNLOADS);
    return isXlsx(f) && f.name === "promotions-2018.xlsx";
  });
  await check("assess: the month's scores export to Excel", async () => {
    const f = await download(page, page.getByRole("link", { name: "导出月度考核（Excel）" }), DOWNLOADS);
    return isXlsx(f) && f.name === "assess-2018-07.xlsx";
  });
  await page.getByRole("button", { name: "依据" }).first().click();
  await check("assess: a score's evidence opens in a dialog", async () => (await page.locator("#dialog[open]").count()) === 1 && /驻村在岗/.test(await page.locator("#dialog").innerText()));
  await page.locator("#dialog-close").click();
  await shot(page, "a2-assess.png");
  const before = await page.locator("#ladder button.confirm").count();
  // The appealed step: confirming it asks for the answer to the appeal.
  let asked = "";
  page.once("dialog", (d) => {
    asked = d.message();
    d.accept("病历所载住院日期与缺勤日期不符，维持");
  });
  await page.locator("#ladder tr", { hasText: "申诉中" }).first().locator("button.confirm").click();
  await settled(page, "assess");
  await check("assess: confirming an appealed step asks for the answer, which is kept", async () => {
    await page.waitForFunction((b) => document.querySelectorAll("#ladder button.confirm").length === b - 1, before, { timeout: 15000 });
    const r = await page.request.get(BASE + "/api/v1/assess/ladder");
    const rows = (await r.json()).rows || [];
    return /申诉/.test(asked) && /当月住院/.test(asked) && rows.some((x) => x.status === "confirmed" && /维持/.test(x.note || ""));
  });
  await check("assess: confirming a step takes it off the queue", async () => {
    await page.waitForFunction((b) => document.querySelectorAll("#ladder button.confirm").length === b - 1, before, { timeout: 15000 });
    return /已确认/.test(await page.locator("#ladder").innerText());
  });
  await check("assess: the bulletin link opens the printable HTML", async () => {
    const href = await page.locator("#bulletin-link").getAttribute("href");
    const r = await page.request.get(BASE + href);
    return r.status() === 200 && /text\/html/.test(r.headers()["content-type"]) && /驻村工作通报/.test(await r.text());
  });

  await check("assess: no string key shows through (Chinese)", async () => !/\bassess\.[a-z_]+/.test(await page.locator("main").innerText()));
  await page.locator("#lang").click();
  await check("assess: the page in English", async () => {
    // The toggle draws the same route again: wait for the new heading.
    await page.locator("main h1").getByText("Assessment").waitFor({ timeout: 20000 });
    await settled(page, "assess");
    const text = await page.locator("main").innerText();
    return /Monthly scores/.test(text) && /Negative list/.test(text) && /Recommended for promotion 2018/.test(text) && !/\bassess\.[a-z_]+/.test(text);
  });
  await page.locator("#lang").click();
  await page.locator("main h1").getByText("考核评价").waitFor({ timeout: 20000 });
  await settled(page, "assess");

  // ---- #/inspect and #/funds ---------------------------------------------------------------------
  await page.goto(BASE + "/#/inspect?month=2018-07", { waitUntil: "load" });
  await settled(page, "inspect");
  await page.getByLabel("随机种子（可选）").fill("7");
  await page.getByRole("button", { name: /抽取/ }).click();
  await check("inspect: the sample is drawn and its seed shown", async () => {
    await page.locator("#sample-out table").waitFor({ timeout: 15000 });
    return /种子 7/.test(await page.locator("#sample-out").innerText());
  });
  await check("inspect: the ticket ledger is on the page", async () => (await page.locator("#tickets table").count()) === 1);
  await check("inspect: the ticket ledger exports to Excel", async () => {
    const f = await download(page, page.getByRole("link", { name: "导出整改台账（Excel）" }), DOWNLOADS);
    return isXlsx(f) && /^tickets-\d{4}-\d{2}-\d{2}\.xlsx$/.test(f.name);
  });
  await page.locator("#tickets button.history").first().click();
  await check("inspect: a ticket's history: 交办 by the inspector's record, then the cadre's 整改", async () => {
    await page.locator("#ticket-history tbody tr").nth(1).waitFor({ timeout: 10000 });
    const rows = await page.locator("#ticket-history tbody tr").allInnerTexts();
    return rows.length === 2 && /交办/.test(rows[0]) && /整改/.test(rows[1]) && /as-cadre/.test(rows[1]);
  });
  await shot(page, "a3-ticket-history.png");
  await page.locator("#dialog-close").click();
  await shot(page, "a3-inspect.png");
  await page.goto(BASE + "/#/funds?year=2018", { waitUntil: "load" });
  await settled(page, "funds");
  await check("funds: the statement lists the teams", async () => (await page.locator("#funds tbody tr").count()) > 10);
  await check("funds: the statement exports to Excel", async () => {
    const f = await download(page, page.getByRole("link", { name: "导出经费台账（Excel）" }), DOWNLOADS);
    return isXlsx(f) && f.name === "funds-2018.xlsx";
  });
  await shot(page, "a4-funds.png");
  await page.goto(BASE + "/#/outcomes?year=2018", { waitUntil: "load" });
  await settled(page, "outcomes");
  await check("outcomes: the county's line and a row per village", async () =>
    /马山县: 贫困发生率/.test(await page.locator("main").innerText()) && (await page.locator("tbody tr").count()) > 100,
  );
  await page.waitForFunction(() => document.body.dataset.outcomes === "1", null, { timeout: 15000 });
  await check("outcomes: the townships' chart is drawn", async () => (await page.locator(".chart svg").count()) === 1);
  await check("outcomes: team villages against comparable villages, with the difference", async () => {
    await page.locator("#attribution tbody tr").first().waitFor({ timeout: 10000 });
    const text = await page.locator("#attr-summary").innerText();
    return /有工作队的村 \d+ 个/.test(text) && (await page.locator("#attribution tbody tr").count()) >= 1;
  });
  await check("outcomes: the table exports to Excel", async () => {
    const f = await download(page, page.getByRole("link", { name: "导出脱贫成效（Excel）" }), DOWNLOADS);
    return isXlsx(f) && f.name === "outcomes-2018.xlsx";
  });
  await shot(page, "a5-outcomes.png");
  await page.goto(BASE + "/#/watch?year=2018", { waitUntil: "load" });
  await settled(page, "watch");
  await check("watch: the watch list exports to Excel", async () => {
    const f = await download(page, page.getByRole("link", { name: "导出监测对象（Excel）" }), DOWNLOADS);
    return isXlsx(f) && f.name === "watch-2018.xlsx";
  });
  await page.goto(BASE + "/#/presence?month=2018-07", { waitUntil: "load" });
  await settled(page, "presence");
  await check("presence: the residence ledger exports to Excel", async () => {
    const f = await download(page, page.getByRole("link", { name: "导出考勤台账（Excel）" }), DOWNLOADS);
    return isXlsx(f) && f.name === "presence-2018-07.xlsx";
  });
  // The cases: a verdict needs a reason; two confirmed cases are dismissed
  // at once (an appeal upheld), the others stay confirmed.
  const boxes = page.locator("#cases input.case-pick");
  await check("presence: the cases list has a box per case and the verdict buttons", async () =>
    (await boxes.count()) > 2 && (await page.locator("#cases-confirm").isDisabled()) && (await page.locator("#cases-dismiss").isDisabled()));
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await check("presence: ticking two cases names the count on the buttons", async () => /2/.test(await page.locator("#cases-dismiss").innerText()) && !(await page.locator("#cases-confirm").isDisabled()));
  await page.locator("#cases-dismiss").click();
  await check("presence: a verdict without a reason is refused on the page", async () => {
    await page.locator("#cases [role=alert]").waitFor({ timeout: 5000 });
    return /理由/.test(await page.locator("#cases [role=alert]").innerText());
  });
  const WHY = "复核：当日在县城开会，有会议签到表";
  await page.locator("#case-reason").fill(WHY);
  await page.locator("#cases-dismiss").click();
  await check("presence: the two cases are dismissed with the reason, the rest still confirmed", async () => {
    await page.locator("#cases").getByText("已核销: " + WHY).first().waitFor({ timeout: 10000 });
    return (await page.locator("#cases").getByText("已核销: " + WHY).count()) === 2 && (await page.locator("#cases").getByText(/已核实: /).count()) > 0;
  });
  await check("presence: the cases export to Excel, the verdicts with them", async () => {
    const f = await download(page, page.getByRole("link", { name: "导出线索（Excel）" }), DOWNLOADS);
    return isXlsx(f) && f.name === "cases-2018-07.xlsx";
  });
  await shot(page, "a9-cases-verdict.png");
  await check("no script errors on the pages", async () => (errors.length ? Promise.reject(new Error(errors.join("; "))) : true));
  await desk.close();

  // ---- the pages with the month's data, at 1366x768 and 360x740 ----------------------------------
  // Screenshots for the reviewer (assess-desk-*.png, assess-phone-*.png) and
  // the layout checks of tests/e2e/layout.mjs on each.
  const routes = [
    ["/assess?month=2018-07&year=2018", "assess"],
    ["/inspect?month=2018-07", "inspect"],
    ["/funds?year=2018", "funds"],
    ["/presence?month=2018-07", "presence"],
    ["/outcomes?year=2018", "outcomes"],
    ["/watch?year=2018", "watch"],
  ];
  for (const [kind, opts] of [
    ["desk", { viewport: { width: 1366, height: 768 }, locale: "zh-CN" }],
    ["phone", { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "zh-CN", serviceWorkers: "block" }],
  ]) {
    const ctx = await browser.newContext(opts);
    const pg = await ctx.newPage();
    const W = opts.viewport.width;
    await login(pg, "as-county", pass("as-county"));
    await settled(pg, "home");
    const all = Object.fromEntries(LAYOUT_CHECKS.map(([k]) => [k, []]));
    let n = 0;
    for (const [route, name] of routes) {
      await pg.goto("about:blank");
      await pg.goto(BASE + "/#" + route, { waitUntil: "load" });
      await settled(pg, name);
      // Only where the page has a chart: waiting for one on a page without
      // any cost 5 s a page (half of this walk's time).
      if (await pg.locator(".chart").count()) await pg.locator(".chart svg").first().waitFor({ timeout: 5000 }).catch(() => {});
      await pg.waitForTimeout(200);
      const found = await layoutProblems(pg, W, route);
      for (const [k] of LAYOUT_CHECKS) all[k].push(...found[k]);
      await shot(pg, `assess-${kind}-${++n}-${name}.png`);
    }
    for (const [k, what] of LAYOUT_CHECKS)
      await check(`${kind} ${W}px (July's data): ${what}`, async () => {
        if (all[k].length) throw new Error(all[k].slice(0, 10).join("; "));
      });
    await ctx.close();
  }
  // The cadre's phone pages with the month's tickets and steps.
  {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "zh-CN", serviceWorkers: "block" });
    const pg = await ctx.newPage();
    await login(pg, "as-cadre", pass("as-cadre"));
    await settled(pg, "field");
    let n = 0;
    for (const [route, name] of [["/field", "field"], ["/assess", "assess"]]) {
      await pg.goto("about:blank");
      await pg.goto(BASE + "/#" + route, { waitUntil: "load" });
      await settled(pg, name);
      await pg.waitForTimeout(200);
      const found = await layoutProblems(pg, 360, route);
      const small = await smallTargets(pg);
      await shot(pg, `assess-phone-cadre-${++n}-${name}.png`);
      await check(`phone cadre ${route} (July's data): fits 360 px, no overlap, no English, taps >= 44 px`, async () => {
        const bad = [...found.scroll, ...found.overlap, ...found.english, ...found.chars, ...small];
        if (bad.length) throw new Error(bad.slice(0, 10).join("; "));
      });
    }
    await ctx.close();
  }
} catch (e) {
  fail("browser scenario", e.stack || e.message || e);
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
