// SPDX-License-Identifier: MIT
// web.mjs - the web UI in a real browser (Debian's chromium driven by npm
// playwright-core), against a `zhucun serve` started by tests/cli/web.sh.
//
//   node tests/e2e/web.mjs BASE_URL OUT_DIR
//   env: ZC_PLAN_SCOPE (the county matched), ZC_WEB_PASS_<ACCOUNT>
//
// The story: a county account (马山县 450124) looks at the overview, the
// villages and a cadre, imports a file with an error and sees it with its
// row and column, runs a match, opens an explanation and publishes the
// plan; a second county (上林县 450125) sees none of it; a cadre on a
// 360x740 phone sees only their own record. Each page is saved as a
// screenshot in OUT_DIR/screenshots, and the load time of every page is
// written to OUT_DIR/web-timing.json. Prints "ok NAME" / "FAIL NAME: why"
// per check and "N passed, N failed" last.
import { chromium } from "playwright-core";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LAYOUT_CHECKS, TEXT_LINES, download as downloadTo, isXlsx, chartClash, columnsOneLine, englishWords, layoutProblems, overlaps, phrasesBroken, screenshot, smallTargets, stamp } from "./layout.mjs";

const BASE = process.argv[2];
const OUT = process.argv[3];
const SHOTS = join(OUT, "screenshots");
mkdirSync(SHOTS, { recursive: true });

let passed = 0;
let failed = 0;
const timings = [];

function ok(name) {
  passed++;
  console.log("ok " + name + stamp());
}
function fail(name, why) {
  failed++;
  console.log("FAIL " + name + ": " + String(why).replace(/\s+/g, " ").slice(0, 400));
}
async function check(name, fn) {
  try {
    const r = await fn();
    if (r === false) fail(name, "condition false");
    else ok(name);
  } catch (e) {
    fail(name, e.message || e);
  }
}

// Wait until the app has rendered the route: <main> not busy and the page
// name set on <body>.
async function settled(page, name) {
  await page.waitForFunction(
    (n) => document.body.dataset.ready === "1" && document.body.dataset.page === n && !document.getElementById("main").hasAttribute("aria-busy"),
    name,
    { timeout: 15000 },
  );
}

// Navigate to a route and record how long the page took: from the start of
// navigation until the route's content is on screen (a full page load:
// HTML, CSS, modules, session check, the page's API calls, rendering).
async function visit(page, route, name, label) {
  // A full page load each time (not a hash change inside the app).
  await page.goto("about:blank");
  const t0 = Date.now();
  await page.goto(BASE + "/#" + route, { waitUntil: "load" });
  await settled(page, name);
  const wall = Date.now() - t0;
  const nav = await page.evaluate(() => {
    const n = performance.getEntriesByType("navigation")[0];
    return { ttfb: n.responseStart, domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventEnd, ready: Number(document.body.dataset.shownAt) };
  });
  timings.push({ page: label, route, ...Object.fromEntries(Object.entries(nav).map(([k, v]) => [k, Math.round(v)])), wall_ms: wall });
  return nav;
}

// The whole page, or its start when longer (a list of hundreds of rows: the
// reviewer sees its start, the checks have seen all of it).
const shot = (page, file) => screenshot(page, join(SHOTS, file), { fullPage: true });

// Click a link that downloads a file; keep it under OUT/downloads and
// return {name, bytes}.
const DOWNLOADS = join(OUT, "downloads");
mkdirSync(DOWNLOADS, { recursive: true });
const download = (page, locator) => downloadTo(page, locator, DOWNLOADS);

async function login(page, user, pass) {
  await page.goto(BASE + "/#/login", { waitUntil: "load" });
  await settled(page, "login");
  await page.getByLabel(/账号|Account/).fill(user);
  await page.getByLabel(/密码|Password/).fill(pass);
  await page.getByRole("button", { name: /登录|Log in/ }).click();
}

async function logout(page) {
  await page.getByRole("button", { name: /退出|Log out/ }).click();
  await settled(page, "login");
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
  // No --user-data-dir here: playwright refuses it for launch() and gives
  // every launch a fresh temporary profile of its own, removed on close.
});
// Every context gets the in-page helpers of the layout checks.
const newContext = browser.newContext.bind(browser);
browser.newContext = async (o) => {
  const c = await newContext(o);
  await c.addInitScript(TEXT_LINES);
  return c;
};

const pass = (a) => process.env["ZC_WEB_PASS_" + a.replace(/-/g, "_")] || "";
const scope = process.env.ZC_PLAN_SCOPE || "450124";
let planId = "";

try {
  // ---- county staff on a desk ------------------------------------------------------
  const desk = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: "zh-CN" });
  const page = await desk.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && !/status of 4\d\d/.test(m.text()) && errors.push(m.text()));

  await page.goto(BASE + "/", { waitUntil: "load" });
  await settled(page, "login");
  await check("login page is Chinese (lang zh-CN)", async () => (await page.getAttribute("html", "lang")) === "zh-CN");
  await check("the skip link comes first in the tab order", async () =>
    (await page.evaluate(() => document.querySelector('a[href], button, input, select, [tabindex]:not([tabindex="-1"])').id)) === "skip",
  );
  await check("every form control has a label", async () =>
    page.evaluate(() => [...document.querySelectorAll("input, select")].every((el) => el.labels && el.labels.length > 0)),
  );
  await check("the header with 退出 is not shown before anyone logs in", async () =>
    !(await page.isVisible("#top")),
  );
  await shot(page, "01-login.png");
  await check("a wrong password is refused with a message", async () => {
    await page.getByLabel("账号").fill("web-county");
    await page.getByLabel("密码").fill("wrong-password");
    await page.getByRole("button", { name: "登录" }).click();
    await page.getByRole("alert").waitFor({ timeout: 5000 });
    return /错误/.test(await page.getByRole("alert").innerText());
  });

  await login(page, "web-county", pass("web-county"));
  await settled(page, "home");
  await visit(page, "/home", "home", "home (county 450124)");
  await page.waitForFunction(() => document.body.dataset.charts === "1", null, { timeout: 15000 });
  await check("home: the overview names 马山县", async () => /马山县/.test(await page.locator("h1").innerText()));
  await check("the header names the jurisdiction 马山县, not a bare code", async () => {
    const who = await page.locator("#who").innerText();
    return /马山县/.test(who) && !/\b450124\b/.test(who);
  });
  await check("home: 贫困村 is the total, 其中深度贫困村 beside it", async () => {
    const kpi = await page.locator(".kpi").first().innerText();
    return /贫困村/.test(kpi) && /其中深度贫困村/.test(kpi);
  });
  await check("home: the coverage table has the total row first", async () =>
    page.evaluate(() => document.querySelector("details.data tbody tr").cells[0].textContent.trim() === "贫困村"),
  );
  await check("home: 辖区 shows 马山县 with its code", async () => /马山县 \(450124\)/.test(await page.locator("p.sub").first().innerText()));
  await check("home: coverage and cadre figures are shown", async () => (await page.locator(".kpi").count()) >= 6);
  await check("home: ECharts drew the charts (svg)", async () => (await page.locator(".chart svg").count()) >= 5);
  await check("home: townships listed as points, no map", async () => /白山镇/.test(await page.locator("main").innerText()));
  await check("home: chart legends and labels neither collide nor page, 有第一书记 drawn", async () => {
    const bad = await chartClash(page);
    const cov = await page.locator("section.card", { hasText: "贫困村选派覆盖" }).locator(".chart svg").textContent();
    if (bad.length || !/村数/.test(cov) || !/有第一书记/.test(cov) || !/工作队配齐/.test(cov)) throw new Error(bad.join("; ") || cov);
  });
  await check("home: the data-table toggles are named 查看数据表", async () => {
    const s_ = await page.locator("details.data summary").allInnerTexts();
    return s_.length >= 5 && s_.every((x) => x.trim() === "查看数据表");
  });
  await check("home: the donuts carry their numbers", async () =>
    page.evaluate(() =>
      [...document.querySelectorAll("section.card")]
        .filter((c) => /按派出单位层级|年龄结构|学历结构/.test(c.querySelector("h2")?.textContent || ""))
        .every((c) => [...c.querySelectorAll(".chart svg text")].some((t) => /^\d+$/.test(t.textContent.trim()))),
    ),
  );
  await check("home: the figures' date is on the page and in the header (数据截至 2018-06-17)", async () =>
    /数据截至 2018-06-17/.test(await page.locator("#asof").innerText({ timeout: 5000 })) && /数据截至 2018-06-17/.test(await page.locator("p.sub").first().innerText()),
  );
  await check("home: the overview exports to Excel (a workbook named for the county and day)", async () => {
    const f = await download(page, page.getByRole("link", { name: "导出总览（Excel）" }));
    return isXlsx(f) && f.name === "overview-450124-2018-06-17.xlsx";
  });
  await check("home: coverage by township exports to Excel", async () => {
    const f = await download(page, page.getByRole("link", { name: "导出下级区划覆盖（Excel）" }));
    return isXlsx(f) && /^coverage-450124/.test(f.name);
  });
  await shot(page, "02-home.png");
  // The ledger as of a day: before the demo's postings began (2018-05-15)
  // nobody served; the header and the export follow the day.
  const servingToday = await page.locator(".kpi", { hasText: "在岗选派干部" }).locator(".v").innerText();
  await check("home: the ledger as of 2018-05-01 (before the postings) counts nobody serving", async () => {
    await page.getByLabel("台账日期").fill("2018-05-01", { timeout: 5000 });
    await page.getByRole("button", { name: "查看" }).click();
    await page.waitForFunction(() => location.hash.includes("date=2018-05-01") && document.body.dataset.page === "home" && !document.getElementById("main").hasAttribute("aria-busy"), null, { timeout: 10000 });
    await page.locator("p.sub", { hasText: "2018-05-01" }).waitFor({ timeout: 10000 });
    const v = await page.locator(".kpi", { hasText: "在岗选派干部" }).locator(".v").innerText();
    return v === "0" && servingToday !== "0" && /2018-05-01/.test(await page.locator("#asof").innerText());
  });
  await check("home: the export follows the day", async () =>
    /date=2018-05-01/.test(await page.getByRole("link", { name: "导出总览（Excel）" }).getAttribute("href", { timeout: 5000 })),
  );
  await shot(page, "02b-home-asof.png");

  await visit(page, "/villages?state=soft", "villages", "villages (filter 软)");
  await check("villages: filtered by 软 lists only 软 villages", async () => {
    const rows = await page.locator("tbody tr").count();
    const soft = await page.locator("tbody tr", { hasText: "软" }).count();
    return rows > 0 && rows === soft;
  });
  await shot(page, "03-villages.png");
  await visit(page, "/village/450124203202", "village", "village 龙琴村");
  await check("village: 龙琴村 with its ledger and team", async () => {
    const text = await page.locator("main").innerText();
    return /龙琴村/.test(text) && /驻村工作队/.test(text) && /自然屯/.test(text);
  });
  await check("village: the team exports to Excel", async () => {
    const f = await download(page, page.getByRole("link", { name: "导出工作队（Excel）" }));
    return isXlsx(f) && f.name === "team-450124203202-2018-06-17.xlsx";
  });
  await shot(page, "04-village.png");
  await visit(page, "/village/450124203202?date=2018-05-01", "village", "village 龙琴村 as of 2018-05-01");
  await check("village: the team as of 2018-05-01 is empty (the postings began 2018-05-15)", async () =>
    /没有在岗/.test(await page.locator("#team").innerText()),
  );
  await visit(page, "/village/450124101202", "village", "village 勉圩村委会 (paired unit)");
  await check("village: the paired unit by its name, not the code nn-soe-01 alone", async () => {
    const dd = await page.locator("dl.facts dt", { hasText: "结对" }).locator("xpath=following-sibling::dd[1]").innerText();
    return /南宁建宁水务投资集团有限责任公司/.test(dd);
  });

  await visit(page, "/cadres", "cadres", "cadres");
  await check("cadres: a paged list", async () => /共 [\d,]+ 条/.test(await page.locator(".pager").innerText()));
  await shot(page, "05-cadres.png");
  await page.locator("tbody tr a").first().click();
  await settled(page, "cadre");
  await check("cadre: eligibility with its policy", async () => /选派资格/.test(await page.locator("#eligibility").innerText()));
  await shot(page, "06-cadre.png");

  // Import a file with an error: nothing imported, the error with row and column.
  await visit(page, "/import", "import", "import");
  await page.getByLabel("数据类别").selectOption("villages");
  await page.getByLabel("文件（CSV 或 XLSX）").setInputFiles({
    name: "villages-bad.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("区划代码,贫困类型,村情类型,自然屯数\n450124203202,深度贫困村,穷;弱,60\n450124100201,很穷,,22\n"),
  });
  await page.getByRole("button", { name: "上传并导入" }).click();
  await page.locator("#import-result table").waitFor({ timeout: 10000 });
  await check("import: the error is shown with row 3 and column 贫困类型", async () => {
    const row = page.locator("#import-result tbody tr").first();
    const cells = await row.locator("td").allInnerTexts();
    return cells[0] === "3" && cells[1] === "贫困类型" && /很穷/.test(cells[2]);
  });
  await check("import: templates offered with Chinese headers", async () => {
    const res = await page.request.get(BASE + "/api/v1/templates/villages?format=csv");
    return res.status() === 200 && /区划代码/.test(await res.text());
  });
  await shot(page, "07-import-error.png");

  // The demo's plan, made by the CLI without --scope, is the county's to see
  // (its villages only), with the policy it used; the policy list offers the
  // scenario's own policy files, the scenario's chosen.
  const cliPlan = process.env.ZC_CLI_PLAN || "";
  await visit(page, "/dispatch", "dispatch", "dispatch");
  await check("dispatch: the CLI's plan (made without --scope) is listed for 马山县", async () => {
    const row = page.locator("tbody tr", { has: page.locator(`a[href="#/plan/${cliPlan}"]`) });
    if ((await row.count()) !== 1) throw new Error(`plan ${cliPlan} not in the list: ${await page.locator("main").innerText()}`);
    const text = await row.innerText();
    // Its scope is the division covering its villages (南宁市, issue 17) or none (全部).
    return /mashan-2018/.test(text) && /全部|南宁|4501/.test(text);
  });
  await check("dispatch: the policy list offers policies/*.json, the scenario's mashan-2018 chosen", async () => {
    const opts = await page.locator("select[name=policy] option").evaluateAll((os) => os.map((o) => o.value));
    const sel = await page.locator("select[name=policy]").inputValue();
    return sel === "mashan-2018" && ["default", "mashan-2018", "hebei-2016", "xiahe-2018"].every((n) => opts.includes(n));
  });
  await check("dispatch: the CLI's plan shows 马山县's villages only, with its policy", async () => {
    const r = await page.request.get(`${BASE}/api/v1/plans/${cliPlan}/slots?per_page=500`);
    const d = await r.json();
    const p = await (await page.request.get(`${BASE}/api/v1/plans/${cliPlan}`)).json();
    if (!d.total || d.items.some((x) => !String(x.village).startsWith("450124"))) throw new Error(JSON.stringify(d).slice(0, 300));
    return p.policy === "mashan-2018" && p.partial === true && p.slots === d.total;
  });
  await page.locator(`a[href="#/plan/${cliPlan}"]`).first().click();
  await settled(page, "plan");
  await check("plan: the CLI's plan names its policy and says it reaches beyond the county", async () => {
    const text = await page.locator("main").innerText();
    return /mashan-2018/.test(text) && /南宁市2018年选派干部/.test(text) && (await page.locator("#partial-note").count()) === 1 && (await page.locator("#publish").count()) === 0;
  });
  await shot(page, "08a-cli-plan.png");

  // 点将 on the 选派 page: a cadre the CLI's plan sends as a member (a city
  // unit's: mashan's cadres are the city's), found by name, pinned to that
  // village as a member (the server checks the pin as match would), listed
  // with the ID number masked, then removed again.
  await visit(page, "/dispatch", "dispatch", "dispatch (点将)");
  await check("dispatch: a pin added in the 点将 card by the cadre's name is listed, one breaking a rule refused with it, and removed", async () => {
    const sl = await (await page.request.get(`${BASE}/api/v1/plans/${cliPlan}/slots?per_page=50`)).json();
    const s = sl.items.find((x) => x.cadre && x.role === "member");
    if (!s) throw new Error("no member in plan " + cliPlan);
    const card = page.locator("#pins");
    const who = card.getByLabel("干部（姓名或身份证号）");
    await who.fill(s.cadre_name);
    await page.waitForFunction((id) => document.querySelector(`#dl-cadre option[value="${id}"]`), s.cadre, { timeout: 10000 });
    await who.fill(String(s.cadre)); // what picking the offered name puts in the field
    await card.getByLabel("村（名称或代码）").fill(String(s.village));
    await card.getByLabel("职责").selectOption("member");
    await card.getByRole("button", { name: "点将" }).click();
    await page.locator("#pins tbody tr", { hasText: s.cadre_name }).waitFor({ timeout: 30000 });
    await settled(page, "dispatch");
    const row = await page.locator("#pins tbody tr", { hasText: s.cadre_name }).innerText();
    if (!row.includes(String(s.village)) || !/队员/.test(row) || !/\*{6}/.test(row)) throw new Error(row);
    await shot(page, "08c-dispatch-pin.png");
    // A pin that breaks a hard rule is refused in the card, with the rule.
    await who.fill(process.env.ZC_WEB_HOME_CADRE || "0"); // the page was rendered anew: every field
    await card.getByLabel("村（名称或代码）").fill(String(s.village));
    await card.getByLabel("职责").selectOption("member");
    await card.getByRole("button", { name: "点将" }).click();
    await card.getByText(/avoidance\.home/).waitFor({ timeout: 30000 });
    if ((await page.locator("#pins tbody tr").count()) !== 1) throw new Error("the refused pin is listed");
    page.once("dialog", (d) => d.accept());
    await page.locator("#pins button.remove-pin").first().click();
    await page.waitForFunction(() => !document.querySelector("#pins button.remove-pin"), null, { timeout: 10000 });
    return true;
  });

  await check("dispatch: 包村 recorded in its card is listed, and removed", async () => {
    const us = await (await page.request.get(`${BASE}/api/v1/units?per_page=1`)).json();
    if (!us.items.length) throw new Error("the county sees no unit");
    const card = page.locator("#pairs");
    await card.getByLabel("村（名称或代码）").fill("450124203202");
    await card.getByLabel("单位", { exact: true }).fill(us.items[0].code);
    await card.getByRole("button", { name: "登记包村" }).click();
    await page.locator("#pairs tbody tr", { hasText: "450124203202" }).waitFor({ timeout: 10000 });
    await settled(page, "dispatch");
    page.once("dialog", (d) => d.accept());
    await page.locator("#pairs button.remove-pair").first().click();
    await page.waitForFunction(() => !document.querySelector("#pairs button.remove-pair"), null, { timeout: 10000 });
    return true;
  });

  // Whatever failed above, no pin or 包村 is left for the walks below.
  await page.evaluate(async () => {
    const csrf = decodeURIComponent((document.cookie.match(/zc_csrf=([^;]*)/) || [])[1] || "");
    for (const [list, key] of [["pins", "cadre"], ["pairs", "village"]]) {
      const d = await (await fetch("/api/v1/" + list)).json();
      for (const x of d.items || []) await fetch(`/api/v1/${list}/${x[key]}`, { method: "DELETE", headers: { "X-CSRF-Token": csrf } });
    }
  });

  // Match, explain, publish.
  await visit(page, "/dispatch", "dispatch", "dispatch");
  await page.getByLabel("范围（区划代码）").fill(scope);
  await page.getByRole("button", { name: "运行匹配" }).click();
  await page.locator("#open-plan").waitFor({ timeout: 60000 });
  await check("dispatch: the match reports its summary", async () => /已配/.test(await page.locator("#match-result").innerText()));
  await shot(page, "08-dispatch.png");
  planId = (await page.locator("#open-plan").getAttribute("href")).split("/").pop();
  await page.locator("#open-plan").click();
  await settled(page, "plan");
  await check("plan: browsed by village with slots", async () => (await page.locator("tbody tr").count()) > 0);
  await check("plan: a draft offers 放弃草案", async () => (await page.locator("#discard").count()) === 1);
  await check("plan: the list exports to Excel", async () => {
    const f = await download(page, page.getByRole("link", { name: "导出名单（Excel）" }));
    return isXlsx(f) && f.name === `plan-${planId}-slots.xlsx`;
  });
  await check("plan: the web's match used the scenario's policy (mashan-2018)", async () => /mashan-2018/.test(await page.locator(".kpis").innerText()));
  await page.locator("button.explain").first().click();
  await page.locator("#explain table").waitFor({ timeout: 10000 });
  await check("plan: the explanation gives the score by rule", async () => /匹配分/.test(await page.locator("#explain").innerText()));
  await shot(page, "09-explain.png");
  await page.keyboard.press("Escape");
  await page.getByRole("tab", { name: "按干部查看" }).click();
  await settled(page, "plan");
  await check("plan: browsed by cadre", async () => (await page.locator("tbody tr").count()) > 0);
  await page.getByRole("tab", { name: "按村查看" }).click();
  await settled(page, "plan");
  await page.getByLabel("到村日期").fill("2018-06-20");
  await page.getByRole("button", { name: "发布选派命令" }).click();
  await page.getByText(/已发布：选派命令/).waitFor({ timeout: 30000 });
  await check("plan: published with a dispatch order", async () => true);
  await settled(page, "plan");
  await page.waitForFunction(() => !document.getElementById("publish"), null, { timeout: 10000 });
  await shot(page, "10-plan-published.png");
  // The postings keep their slots' roles (综治维稳, 专业需求 ...), on the
  // team API and the village page, on the day they start.
  await check("village: 龙琴村's team from 2018-06-20 has each member with their slot's role", async () => {
    const sl = await (await page.request.get(`${BASE}/api/v1/plans/${planId}/slots?per_page=500&village=450124203202`)).json();
    const tm = await (await page.request.get(`${BASE}/api/v1/villages/450124203202/team?date=2018-06-20`)).json();
    const want = Object.fromEntries(sl.items.filter((x) => x.cadre).map((x) => [x.cadre, x.role]));
    const got = Object.fromEntries(tm.team.map((x) => [x.cadre, x.role]));
    const roles = new Set(Object.values(want));
    if (roles.size < 2 || Object.keys(want).some((c) => got[c] !== want[c])) throw new Error(JSON.stringify({ want, got }));
    await visit(page, "/village/450124203202?date=2018-06-20", "village", "village 龙琴村 as of 2018-06-20");
    const cells = await page.locator("#team tbody tr td:first-child").allInnerTexts();
    const zh = { first_secretary: "第一书记", leader: "队长", member: "队员", stability: "综治维稳", need: "专业需求" };
    return [...roles].every((r) => cells.includes(zh[r]));
  });
  await shot(page, "10a-village-team-roles.png");
  await page.goto(BASE + "/#/plan/" + planId);
  await settled(page, "plan");


  await check("English is one click away", async () => {
    await page.getByRole("button", { name: "English" }).click();
    await page.waitForFunction(() => document.documentElement.lang === "en", null, { timeout: 5000 });
    await settled(page, "plan");
    const ok_ = /Plan #/.test(await page.locator("h1").innerText());
    await shot(page, "11-plan-english.png");
    await page.getByRole("button", { name: "中文" }).click();
    await page.waitForFunction(() => document.documentElement.lang === "zh-CN", null, { timeout: 5000 });
    return ok_;
  });
  // Recall one serving cadre (召回撤换), then refill the vacancy: the refill
  // plan fills it and moves nobody already serving.
  await page.locator("button.recall").first().click();
  await page.getByLabel("召回原因").fill("因病召回");
  await page.getByLabel("离村日期").fill("2018-09-01");
  await page.locator("#recall button[type=submit]").click();
  await page.getByText(/已召回/).waitFor({ timeout: 30000 });
  await check("plan: a serving cadre is recalled, the post is vacant", async () => true);
  await page.keyboard.press("Escape");
  await check("plan: the vacancy shows on the roster", async () => {
    await page.locator("tbody").getByText("待补派").first().waitFor({ timeout: 10000 });
    return true;
  });
  await shot(page, "10b-plan-recalled.png");
  await visit(page, "/dispatch", "dispatch", "dispatch");
  await page.getByLabel("范围（区划代码）").fill(scope);
  await page.getByLabel(/只补空缺/).check();
  await page.getByRole("button", { name: "运行匹配" }).click();
  await page.locator("#open-plan").waitFor({ timeout: 60000 });
  await check("dispatch: the refill fills the vacancy", async () => /已配 1 \/ 1/.test(await page.locator("#match-result").innerText()));
  await shot(page, "10c-refill.png");
  // The refill's draft is not wanted: 放弃草案 from its page, back on the
  // 选派 page where it is listed as 已作废.
  const refillId = (await page.locator("#open-plan").getAttribute("href")).split("/").pop();
  await page.locator("#open-plan").click();
  await settled(page, "plan");
  page.once("dialog", (d) => d.accept());
  await page.locator("#discard").click();
  await check("plan: a draft is discarded from its page (放弃草案)", async () => {
    await settled(page, "dispatch");
    const row = page.locator("tbody tr", { has: page.locator(`a[href="#/plan/${refillId}"]`) });
    await row.getByText("已作废").waitFor({ timeout: 10000 });
    return true;
  });
  // The published order's term (轮换, 不脱贫不脱钩): a rotation before the
  // term began is refused in words; an extension moves the term's end.
  await page.goto(BASE + "/#/plan/" + planId);
  await settled(page, "plan");
  await page.locator("#rotate").click();
  await page.getByLabel("轮换日期").fill("2018-06-01");
  await page.locator("#term-rotate button[type=submit]").click();
  await check("plan: a rotation before the term began is refused in words", async () => {
    await page.locator("#term-rotate").getByText(/on or before the day it began/).waitFor({ timeout: 10000 });
    return true;
  });
  await page.keyboard.press("Escape");
  await page.locator("#extend").click();
  await page.getByLabel("延至").fill("2021-06-20");
  await page.locator("#term-extend input[name=reason]").fill("不脱贫不脱钩");
  await page.locator("#term-extend button[type=submit]").click();
  await check("plan: the term is extended from its page", async () => {
    await page.getByText(/已延期：.*延至 2021-06-20/).waitFor({ timeout: 30000 });
    await page.keyboard.press("Escape");
    await page.locator("#term").getByText("至 2021-06-20").waitFor({ timeout: 10000 });
    return true;
  });
  // The posts above the village (挂职): added and removed by the county.
  await visit(page, "/posts", "posts", "posts");
  await page.locator("#add-post input[name=code]").fill("WEB-P1");
  await page.locator("#add-post input[name=division]").fill("450124101");
  await page.locator("#add-post input[name=title]").fill("副镇长(挂职)");
  await page.locator("#add-post button[type=submit]").click();
  await check("posts: a post is added and listed, its seat vacant", async () => {
    await page.locator("tbody tr", { hasText: "WEB-P1" }).getByText("空缺").waitFor({ timeout: 10000 });
    return true;
  });
  await page.locator("tbody tr", { hasText: "WEB-P1" }).locator("button.remove-post").click();
  await check("posts: an unheld post is removed", async () => {
    await page.waitForFunction(() => !document.querySelector("main").innerText.includes("WEB-P1"), null, { timeout: 10000 });
    return true;
  });
  await check("no script errors on the county's pages", async () => {
    if (errors.length) throw new Error(errors.join(" | "));
  });
  await logout(page);

  // ---- another county sees none of it ---------------------------------------------
  await login(page, "web-county2", pass("web-county2"));
  await settled(page, "home");
  await check("450125: the overview is 上林县's", async () => /上林县/.test(await page.locator("h1").innerText()));
  await shot(page, "12-other-county.png");
  const leaks = [];
  for (const [route, name] of [
    ["/home", "home"],
    ["/villages", "villages"],
    ["/cadres", "cadres"],
    ["/dispatch", "dispatch"],
    ["/plan/" + planId, "plan"],
    ["/village/450124203202", "village"],
  ]) {
    await visit(page, route, name, name + " (county 450125)");
    // The error for a village out of scope repeats the code the visitor
    // typed; nothing else of 450124 may appear.
    // The policy list names every policy file by its title (a title such
    // as 南宁市…马山县 is the policy's, not 450124's data): left out.
    const text = (
      await page.evaluate(() => {
        const m = document.getElementById("main").cloneNode(true);
        m.querySelectorAll("select[name=policy]").forEach((el) => el.remove());
        return m.textContent;
      })
    ).replaceAll("450124203202", "");
    for (const secret of ["马山", "龙琴", "450124"]) if (text.includes(secret)) leaks.push(`${route}: ${secret}`);
  }
  await check("450125 sees none of 450124's data (home, lists, plan, village)", async () => {
    if (leaks.length) throw new Error(leaks.join(", "));
  });
  await check("450125: 450124's plan answers not found", async () => {
    await visit(page, "/plan/" + planId, "plan", "plan (county 450125)");
    return (await page.getByRole("alert").count()) === 1;
  });
  await desk.close();

  // ---- a cadre on a phone ---------------------------------------------------------
  const geo = { latitude: Number(process.env.ZC_WEB_LAT || 23.7), longitude: Number(process.env.ZC_WEB_LNG || 108.2), accuracy: 15 };
  const phone = await browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "zh-CN",
    geolocation: geo,
    permissions: ["geolocation"],
  });
  // The phone's clock at the scenario's date (the server judges back-dating by it).
  await phone.clock.setFixedTime(new Date("2018-06-17T10:00:00+08:00"));
  const mob = await phone.newPage();
  mob.on("pageerror", (e) => fail("phone page script error", e.message));
  await login(mob, "web-cadre", pass("web-cadre"));
  await settled(mob, "field");
  await check("cadre: lands on the field page with one check-in button", async () =>
    /驻村工作/.test(await mob.locator("h1").innerText()) && (await mob.locator("#checkin").count()) === 1);
  await check("cadre: the field page fits 360 px", async () => (await mob.evaluate(() => document.documentElement.scrollWidth)) <= 360);
  await check("cadre: their own assignment and term are on the first screen (360x740)", async () => {
    const el = mob.locator("#my-post");
    await el.locator("dl").waitFor({ timeout: 10000 });
    const b = await el.boundingBox();
    const text = await el.innerText();
    if (!(b && b.y + b.height <= 740)) throw new Error(`#my-post ends at ${b && Math.round(b.y + b.height)} px`);
    return /龙琴村/.test(text) && /任期/.test(text) && /到村日期/.test(text);
  });
  await check("cadre: every tap target on the field page is at least 44 x 44 px", async () => {
    const small = await smallTargets(mob);
    if (small.length) throw new Error(small.slice(0, 8).join("; "));
  });
  await mob.locator("#checkin").click();
  await check("cadre: one tap checks in (mocked geolocation)", async () => {
    await mob.getByText(/已签到/).first().waitFor({ timeout: 10000 });
    return true;
  });
  await shot(mob, "15-field-phone.png");
  // Offline: the check-in and a diary entry are kept on the phone ...
  await phone.setOffline(true);
  await mob.locator("#checkin").click();
  await check("offline: the check-in is saved on the phone", async () => {
    await mob.getByText(/已保存在手机上/).first().waitFor({ timeout: 10000 });
    return true;
  });
  await mob.locator("#entry-form textarea").fill("召开村两委会议，研究产业项目");
  await mob.locator("#entry-form button[type=submit]").click();
  await check("offline: two records wait to sync", async () => {
    await mob.getByText(/2 条记录待同步/).first().waitFor({ timeout: 10000 });
    return true;
  });
  await shot(mob, "16-field-offline.png");
  // ... and reach the server once the network is back, each once.
  await phone.setOffline(false);
  await mob.evaluate(() => window.dispatchEvent(new Event("online")));
  await check("online again: the queue is synced", async () => {
    await mob.getByText(/已同步/).first().waitFor({ timeout: 15000 });
    return true;
  });
  await check("the server holds both check-ins and the diary entry, once each", async () => {
    const r = await mob.evaluate(async () => (await (await fetch("/api/v1/field/presence?month=2018-06")).json()));
    const row = r.rows && r.rows[0];
    const day = row && row.by_day[16];
    return row && day.state === "present" && (day.records.match(/签到/g) || []).length === 2 && /日志/.test(day.records);
  });
  await mob.reload();
  await settled(mob, "field");
  await check("a reload sends nothing twice", async () => {
    const r = await mob.evaluate(async () => (await (await fetch("/api/v1/field/presence?month=2018-06")).json()));
    return (r.rows[0].by_day[16].records.match(/签到/g) || []).length === 2;
  });
  // A check-in with a photo from the camera (a 1x1 PNG), online and then
  // offline: the picture is queued with its check-in, sent first, kept once
  // by the server and shown back from it.
  const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
  const thumbLoaded = () =>
    mob.waitForFunction(() => {
      const i = document.getElementById("checkin-thumb");
      return i && i.complete && i.naturalWidth > 0;
    }, null, { timeout: 10000 });
  await mob.locator("#checkin-photo").setInputFiles({ name: "site.png", mimeType: "image/png", buffer: PNG });
  await mob.locator("#checkin").click();
  await check("a check-in with a photo: the picture comes back from the server", async () => {
    await thumbLoaded();
    return /^\/api\/v1\/field\/photos\/[0-9a-f]{64}$/.test(await mob.locator("#checkin-thumb").getAttribute("src"));
  });
  await phone.setOffline(true);
  await mob.locator("#checkin-photo").setInputFiles({ name: "site.png", mimeType: "image/png", buffer: PNG });
  await mob.locator("#checkin").click();
  await check("offline with a photo: both wait on the phone, the picture shown as taken", async () => {
    await mob.getByText(/2 条记录待同步/).first().waitFor({ timeout: 10000 });
    await thumbLoaded();
    return /^blob:/.test(await mob.locator("#checkin-thumb").getAttribute("src"));
  });
  await phone.setOffline(false);
  await mob.evaluate(() => window.dispatchEvent(new Event("online")));
  await check("online again: the photo and its check-in reach the server, four check-ins in all", async () => {
    await mob.getByText(/已同步/).first().waitFor({ timeout: 15000 });
    const r = await mob.evaluate(async () => (await (await fetch("/api/v1/field/presence?month=2018-06")).json()));
    return (r.rows[0].by_day[16].records.match(/签到/g) || []).length === 4;
  });
  await check("the photo is served to its cadre, as image/png", async () => {
    const hash = (await mob.locator("#checkin-thumb").getAttribute("src")) ? await mob.evaluate(async () => {
      const b = new Uint8Array(await crypto.subtle.digest("SHA-256", Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="), (c) => c.charCodeAt(0))));
      return [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    }) : "";
    const r = await mob.evaluate(async (h) => { const x = await fetch("/api/v1/field/photos/" + h); return [x.status, x.headers.get("Content-Type")]; }, hash);
    return r[0] === 200 && r[1] === "image/png";
  });
  // A household visit with a photo from the camera.
  const hhOfVillage = process.env.ZC_WEB_HOUSEHOLD || "";
  if (hhOfVillage) {
    await mob.locator("#entry-form select").selectOption("visit");
    await mob.locator('#entry-form input[name="household"]').fill(hhOfVillage);
    await mob.locator("#entry-form textarea").fill("入户走访，拍照留存");
    await mob.locator("#entry-photo").setInputFiles({ name: "visit.png", mimeType: "image/png", buffer: PNG });
    await mob.locator("#entry-form button[type=submit]").click();
    await check("a household visit with its photo reaches the household's record", async () => {
      for (let i = 0; i < 40; i++) {
        const r = await mob.evaluate(async (hh) => (await (await fetch("/api/v1/field/entries?household=" + encodeURIComponent(hh))).json()), hhOfVillage);
        if (r.entries && r.entries.some((e) => e.kind === "visit" && /拍照留存/.test(e.text) && /^[0-9a-f]{64}$/.test(e.photo || ""))) return true;
        await mob.waitForTimeout(250);
      }
      throw new Error("no visit with a photo; page says: " + (await mob.locator("#entry-form").locator("..").innerText()).slice(-200));
    });
  }
  await shot(mob, "16b-field-photo.png");
  // 销假 on the phone: the approved leave is closed with the day back.
  const leaveId = process.env.ZC_WEB_LEAVE || "";
  if (leaveId) {
    await mob.reload();
    await settled(mob, "field");
    mob.once("dialog", (d) => d.accept("2018-06-19"));
    await mob.locator("#my-leave button.return").first().click();
    await check("cadre: 销假 on the phone ends the approved leave on the day back", async () => {
      for (let i = 0; i < 40; i++) {
        const r = await mob.evaluate(async () => (await (await fetch("/api/v1/field/leave")).json()));
        if ((r.leave || []).some((l) => String(l.id) === leaveId && l.returned === "2018-06-19")) {
          await mob.waitForFunction(() => document.querySelectorAll("#my-leave button.return").length === 0, null, { timeout: 10000 });
          return /销假 2018-06-19/.test(await mob.locator("#my-leave").innerText());
        }
        await mob.waitForTimeout(250);
      }
      throw new Error("leave " + leaveId + " not returned: " + (await mob.locator("#my-leave").innerText()).slice(-200));
    });
    await shot(mob, "16c-field-leave-returned.png");
  }
  // 申诉: three days without evidence contested on the phone (the county
  // accepts one, rejects one, the township sees the third wait for it).
  for (const why of ["在村开会，手机没信号", "在村入户，手机没电", "在村值班"]) {
    const before = await mob.locator("#my-ledger button.contest").count();
    mob.once("dialog", (d) => d.accept(why));
    await mob.locator("#my-ledger button.contest").first().click();
    await mob.waitForFunction((n) => document.querySelectorAll("#my-ledger button.contest").length === n - 1, before, { timeout: 10000 });
  }
  await check("cadre: days without evidence are contested on the phone, each waiting for the county", async () => (await mob.locator("#my-ledger").getByText("申诉待认定").count()) === 3);
  // 修改: the diary entry written offline is corrected; the earlier text stays.
  mob.once("dialog", (d) => d.accept("召开村两委会议，研究食用菌产业项目"));
  await mob.locator("#my-entries tr", { hasText: "召开村两委会议" }).locator("button.edit").click();
  await check("cadre: a diary entry is edited on the phone, the earlier text kept as version 1", async () => {
    await mob.locator("#my-entries tr", { hasText: "食用菌" }).getByText("第 2 版").waitFor({ timeout: 10000 });
    const r = await mob.evaluate(async () => {
      const l = await (await fetch("/api/v1/field/entries?limit=20")).json();
      const e = l.entries.find((x) => /食用菌/.test(x.text));
      return (await (await fetch("/api/v1/field/entries/" + e.id)).json()).versions;
    });
    return r.length === 1 && r[0].text === "召开村两委会议，研究产业项目";
  });
  // 修改 of a visit: the household (户编号) picked wrongly is corrected; the earlier one stays.
  const hh2 = process.env.ZC_WEB_HOUSEHOLD2 || "";
  if (hhOfVillage && hh2) {
    const answers = ["入户走访，拍照留存", hh2];
    const answer = (d) => d.accept(answers.shift());
    mob.on("dialog", answer);
    await mob.locator("#my-entries tr", { hasText: "拍照留存" }).locator("button.edit").click();
    await check("cadre: a visit's household is corrected on the phone, the earlier one kept as version 1", async () => {
      await mob.locator("#my-entries tr", { hasText: hh2 }).getByText("第 2 版").waitFor({ timeout: 10000 });
      const r = await mob.evaluate(async () => {
        const l = await (await fetch("/api/v1/field/entries?limit=20")).json();
        const e = l.entries.find((x) => x.kind === "visit" && /拍照留存/.test(x.text));
        return await (await fetch("/api/v1/field/entries/" + e.id)).json();
      });
      return r.household === hh2 && r.versions.length === 1 && r.versions[0].household === hhOfVillage;
    });
    mob.off("dialog", answer);
  }
  await shot(mob, "16d-field-contest-edit.png");
  await phone.close();

  // A village whose rules ask for no check-in (checkin "none"): no button.
  if (pass("web-cadre-none")) {
    const phoneN = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: "zh-CN" });
    const mobN = await phoneN.newPage();
    await login(mobN, "web-cadre-none", pass("web-cadre-none"));
    await settled(mobN, "field");
    await check("cadre under checkin none: no check-in button, the diary form is there", async () => (await mobN.locator("#checkin").count()) === 0 && (await mobN.locator("#entry-form").count()) === 1);
    await phoneN.close();
  }

  // The same cadre on a phone without the fixed clock (page-load timings).
  const phone2 = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "zh-CN" });
  const mob2 = await phone2.newPage();
  await login(mob2, "web-cadre", pass("web-cadre"));
  await settled(mob2, "field");
  await visit(mob2, "/me", "me", "own record (cadre account)");
  await check("cadre: their own record is one tap away", async () => /我的档案/.test(await mob2.locator("h1").innerText()));
  await check("cadre: the page fits 360 px (no sideways scroll)", async () => (await mob2.evaluate(() => document.documentElement.scrollWidth)) <= 360);
  await shot(mob2, "13-cadre-phone.png");
  await visit(mob2, "/cadres", "cadres", "cadres (cadre account)");
  await check("cadre: the cadre list holds only their own record", async () => /共 1 条/.test(await mob2.locator(".pager").innerText()));
  await visit(mob2, "/villages", "villages", "villages (cadre account)");
  await check("cadre: only the village they serve", async () => /共 1 条/.test(await mob2.locator(".pager").innerText()));
  await shot(mob2, "14-cadre-village-phone.png");
  await check("cadre: no dispatch, import or overview in the menu", async () => {
    const nav = await mob2.locator("#nav").innerText();
    return !/选派|导入|首页/.test(nav);
  });
  await phone2.close();

  // ---- the county's field-work page ---------------------------------------------------
  const desk2 = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "zh-CN" });
  const pg = await desk2.newPage();
  await login(pg, "web-county", pass("web-county"));
  await settled(pg, "home");
  await visit(pg, "/presence?month=2018-06", "presence", "field work (county)");
  await check("county: the residence ledger lists the cadre who checked in", async () => /在村天数/.test(await pg.locator("main").innerText()) && (await pg.locator("tbody tr").count()) > 0);
  await check("county: cases and the leave queue are on the page", async () => (await pg.locator("#cases").count()) === 1 && (await pg.locator("#leave-queue").count()) === 1);
  await check("county: the villages are drawn as points (ECharts svg)", async () => {
    await pg.locator("#presence-map svg").first().waitFor({ timeout: 10000 });
    return true;
  });
  await shot(pg, "17-field-county.png");
  // The county picks its field rules (安龙's: twice a day, five days four
  // nights a week) on the page, sees them in force, and goes back.
  await check("county: the field rules in force are shown (the default)", async () => /沿用默认规则/.test(await pg.locator("#field-policy-now").innerText()));
  await pg.locator("#field-policy select").selectOption("anlong-2018");
  await pg.locator("#field-policy-choose").click();
  await check("county: after choosing, the county follows 安龙's rules", async () => {
    await pg.getByText(/采用 .* 的驻村管理规则/).first().waitFor({ timeout: 10000 });
    return /每天两次/.test(await pg.locator("#field-policy").innerText());
  });
  await check("county: the server applies them to its villages' cadres", async () => {
    const r = await pg.evaluate(async () => (await (await fetch("/api/v1/field/policy?scope=450124203202")).json()));
    return r.checkin === "twice_daily" && r.chosen_for === "450124000000";
  });
  await shot(pg, "17b-field-policy.png");
  await pg.locator("#field-policy-reset").click();
  await check("county: back to the default", async () => {
    await pg.getByText(/沿用默认规则/).first().waitFor({ timeout: 10000 });
    return (await pg.locator("#field-policy-reset").count()) === 0;
  });
  // The cadre's contests: the county accepts one and rejects one with a reason.
  await check("county: the cadre's contested days wait for its decision", async () => (await pg.locator("#contests button.accept").count()) === 3);
  await pg.locator("#contests button.accept").first().click();
  await pg.waitForFunction(() => document.querySelectorAll("#contests button.accept").length === 2, null, { timeout: 10000 });
  pg.once("dialog", (d) => d.accept("无佐证材料"));
  await pg.locator("#contests button.reject").first().click();
  await pg.waitForFunction(() => document.querySelectorAll("#contests button.accept").length === 1, null, { timeout: 10000 });
  const decided = await pg.evaluate(async () => (await (await fetch("/api/v1/field/contests")).json()).contests);
  await check("county: one contest accepted, one rejected with its reason, one still open", async () =>
    decided.filter((c) => c.status === "accepted").length === 1 && decided.some((c) => c.status === "rejected" && c.note === "无佐证材料") && decided.filter((c) => c.status === "open").length === 1);
  // A cadre's month: click the name in the ledger.
  const cid = decided.length ? decided[0].cadre : 0;
  await pg.locator(`#ledger-table a.cadre-month[href$="cadre=${cid}"]`).first().click();
  await check("county: a cadre's month shows the days, the accepted contest and the diary and visits", async () => {
    await pg.locator("#cadre-entries").waitFor({ timeout: 10000 });
    const days = await pg.locator("#cadre-month").innerText();
    const ents = await pg.locator("#cadre-entries").innerText();
    // The visit's household as corrected on the phone (ZC_WEB_HOUSEHOLD2), if it was.
    const hhId = (process.env.ZC_WEB_HOUSEHOLD && process.env.ZC_WEB_HOUSEHOLD2) || process.env.ZC_WEB_HOUSEHOLD || "";
    if (!/申诉已认可/.test(days) || !/食用菌/.test(ents) || !/第 2 版/.test(ents) || (hhId && !ents.includes(hhId))) throw new Error(days.slice(0, 200) + " | " + ents.slice(0, 300));
  });
  await shot(pg, "17c-field-cadre-month.png");
  await desk2.close();

  // ---- every page on a desk (1366x768) and a phone (360x740) --------------------------
  // A screenshot of each for the reviewer (tests/out/screenshots/desk-*.png,
  // phone-*.png), and on each: no sideways scrolling of the page, no table
  // cell wrapped a character per line, nothing overlapping; on the plan page
  // and in its explanation the names, village names and 说明/召回 links on
  // one line; on the overview the KPI sub-lines broken between phrases only.
  const cadreId = await (async () => {
    const c = await browser.newContext();
    const p_ = await c.newPage();
    await login(p_, "web-county", pass("web-county"));
    await settled(p_, "home");
    const r = await (await p_.request.get(BASE + "/api/v1/cadres?per_page=1")).json();
    await c.close();
    return r.items[0].id;
  })();
  const hh = process.env.ZC_WEB_HOUSEHOLD || "";
  const tour = [
    ["/home", "home"],
    ["/villages", "villages"],
    ["/village/450124203202", "village"],
    ["/cadres", "cadres"],
    ["/cadre/" + cadreId, "cadre"],
    ["/import", "import"],
    ["/dispatch", "dispatch"],
    ["/plan/" + planId, "plan"],
    ["/presence?month=2018-06", "presence"],
    ["/inspect", "inspect"],
    ["/assess", "assess"],
    ["/funds", "funds"],
    ["/outcomes", "outcomes"],
    ["/watch", "watch"],
    ["/aid", "aid"],
    ...(hh ? [["/household/" + encodeURIComponent(hh), "household"]] : []),
  ];
  // The province (广西) and the township of 龙琴村 (里当瑶族乡) walk the same
  // pages, less what their role has not (a township inspects nothing).
  const accounts = [
    ["web-county", "", tour, "马山县"],
    ["web-province", "prov-", tour.filter(([, n]) => n !== "plan"), "广西壮族自治区"],
    ["web-township", "twp-", tour.filter(([, n]) => !["plan", "inspect"].includes(n)), "里当瑶族乡"],
  ];
  const sizes = [
    ["desk", { viewport: { width: 1366, height: 768 }, locale: "zh-CN" }],
    ["phone", { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "zh-CN" }],
  ];
  // On the phone the province and the township walk the pages whose figures
  // differ by level (the overview, the villages, the residence ledger, the
  // assessment); the county walks every page on both. ZC_WEB_TOUR=full
  // (make fuzz) walks every page for every account on both sizes: the whole
  // tour is 90 page loads with a full-page screenshot each, and `make check`
  // runs on two cores.
  // Screenshots are taken of the county's walk and the cadre's phone; the
  // province's and the township's pages are checked for layout but not shot
  // (about 40% of their walk's time) unless ZC_WEB_TOUR=full.
  const FULL = process.env.ZC_WEB_TOUR === "full";
  const PHONE_LEVEL_PAGES = ["home", "villages", "presence", "assess"];
  const walk = (acct, kind, routes) =>
    FULL || acct === "web-county" || kind === "desk" ? routes : routes.filter(([, n]) => PHONE_LEVEL_PAGES.includes(n));
  for (const [acct, prefix, allRoutes, where] of accounts)
  for (const [kind, opts] of sizes) {
    const routes = walk(acct, kind, allRoutes);
    const ctx = await browser.newContext(opts);
    const pg2 = await ctx.newPage();
    const W = opts.viewport.width;
    const who = `${kind} ${W}px${prefix ? " " + acct : ""}`;
    await login(pg2, acct, pass(acct));
    await settled(pg2, "home");
    const layout = Object.fromEntries(LAYOUT_CHECKS.map(([k]) => [k, []]));
    let n = 0;
    for (const [route, name] of routes) {
      n++;
      await visit(pg2, route, name, `${name} (${kind} ${W}px${prefix ? ", " + acct : ""})`);
      if (name === "home") await pg2.waitForFunction(() => document.body.dataset.charts === "1", null, { timeout: 15000 }).catch(() => {});
      if (name === "presence") await pg2.locator("#presence-map svg").first().waitFor({ timeout: 5000 }).catch(() => {});
      if (name === "presence" && acct === "web-township" && kind === "desk")
        await check("township: the open contest is listed, waiting for the county (no decide buttons)", async () =>
          (await pg2.locator("#contests").getByText("由县委组织部认定", { exact: true }).count()) === 1 && (await pg2.locator("#contests button.accept").count()) === 0);
      await pg2.waitForTimeout(150);
      const found = await layoutProblems(pg2, W, route);
      for (const [k] of LAYOUT_CHECKS) layout[k].push(...found[k]);
      const file = `${kind}-${prefix}${String(n).padStart(2, "0")}-${name}.png`;
      if (FULL || acct === "web-county") await shot(pg2, file);
      if (name === "home") {
        await check(`${who}: the overview names ${where}, the header too (no bare code)`, async () => {
          const h1 = await pg2.locator("h1").innerText();
          const top = await pg2.locator("#who").innerText();
          if (!h1.includes(where) || !top.includes(where) || /\b\d{2,12}\b/.test(top)) throw new Error(`h1 "${h1}", header "${top}"`);
        });
        await check(`${who}: KPI sub-lines break between phrases, never inside one`, async () => {
          const bad = await phrasesBroken(pg2, ".kpi .d");
          if (bad.length) throw new Error(bad.join(" | "));
        });
        // 贫困村 on the KPI is the total of the table one level down, and
        // that table shows, in red, the villages still without a full team.
        await check(`${who}: 贫困村 and 驻村 are the totals of the table below, 未配齐工作队 in red there`, async () => {
          const r = await pg2.evaluate(() => {
            const tb = [...document.querySelectorAll("main table")].find((x) => /下级区划/.test(x.caption?.textContent || ""));
            if (!tb) return { err: "no table of divisions" };
            const heads = [...tb.querySelectorAll("thead th")].map((th) => th.textContent.trim());
            const iAll = heads.indexOf("贫困村"), iNot = heads.indexOf("未配齐工作队");
            if (iAll < 0 || iNot < 0) return { err: "columns " + heads.join(",") };
            const iServ = heads.indexOf("在岗驻村干部");
            let all = 0, serving = 0, notRed = [];
            for (const tr of tb.querySelectorAll("tbody tr")) {
              all += Number(tr.cells[iAll].textContent.replace(/,/g, ""));
              serving += Number(tr.cells[iServ].textContent.replace(/,/g, ""));
              const c = tr.cells[iNot].querySelector("span") || tr.cells[iNot];
              if (Number(c.textContent) > 0 && getComputedStyle(c).color !== "rgb(166, 27, 27)") notRed.push(tr.cells[0].textContent);
            }
            // The KPI of the villages without a full team is red too when any is.
            const nf = [...document.querySelectorAll(".kpi")].find((k) => /未配齐工作队的贫困村/.test(k.textContent));
            const nfv = nf && nf.querySelector(".v");
            if (!nfv || (Number(nfv.textContent.replace(/,/g, "")) > 0 && getComputedStyle(nfv).color !== "rgb(166, 27, 27)")) notRed.push("KPI 未配齐工作队的贫困村");
            const sk = [...document.querySelectorAll(".kpi")].find((k) => /在岗选派干部/.test(k.textContent));
            const inVillages = sk && Number((sk.textContent.match(/驻村 ([\d,]+)/) || [])[1]?.replace(/,/g, ""));
            return { all, kpi: Number(document.querySelector(".kpi .v").textContent.replace(/,/g, "")), notRed, serving, inVillages };
          });
          if (r.err) throw new Error(r.err);
          // ... and 驻村 on the cadres' KPI is the table's 在岗驻村干部.
          if (r.all !== r.kpi || r.notRed.length || r.serving !== r.inVillages) throw new Error(JSON.stringify(r));
        });
      }
      if (name === "plan") {
        await check(`${who}: the plan table keeps village, role, cadre, unit and 说明/召回 on one line`, async () => {
          const bad = await columnsOneLine(pg2, "main", ["村", "职责", "人选", "单位"]);
          if (bad.length) throw new Error(bad.slice(0, 6).join(" | "));
        });
        await pg2.locator("button.explain").first().click();
        await pg2.locator("#explain table").waitFor({ timeout: 10000 });
        await check(`${who}: the explanation keeps role and cadre on one line`, async () => {
          const bad = await columnsOneLine(pg2, "#explain", ["职责", "人选"]);
          if (bad.length) throw new Error(bad.slice(0, 6).join(" | "));
        });
        // The dialog as seen (a full-page shot would leave the backdrop behind).
        await screenshot(pg2, join(SHOTS, `${kind}-${prefix}${String(n).padStart(2, "0")}-${name}-explain.png`));
        await pg2.keyboard.press("Escape");
      }
    }
    for (const [k, what] of LAYOUT_CHECKS)
      await check(`${who}: ${what}`, async () => {
        if (layout[k].length) throw new Error(layout[k].slice(0, 10).join("; "));
      });
    await ctx.close();
  }
  // The cadre's pages on the phone.
  {
    const ctx = await browser.newContext(sizes[1][1]);
    const pg3 = await ctx.newPage();
    await login(pg3, "web-cadre", pass("web-cadre"));
    await settled(pg3, "field");
    let n = 0;
    for (const [route, name] of [["/field", "field"], ["/me", "me"], ["/villages", "villages"], ["/village/450124203202", "village"], ["/aid", "aid"], ["/watch", "watch"]]) {
      await visit(pg3, route, name, `${name} (cadre, phone)`);
      await pg3.waitForTimeout(150);
      await shot(pg3, `phone-cadre-${++n}-${name}.png`);
      await check(`phone cadre ${route}: fits 360 px, nothing overlaps, no English`, async () => {
        const sw = await pg3.evaluate(() => document.documentElement.scrollWidth);
        const o = await overlaps(pg3);
        const en = await englishWords(pg3);
        if (sw > 360 || o.length || en.length) throw new Error(`${sw}px; ${o.join("; ")}; ${en.join(", ")}`);
      });
      await check(`phone cadre ${route}: every tap target is at least 44 x 44 px`, async () => {
        const small = await smallTargets(pg3);
        if (small.length) throw new Error(small.slice(0, 8).join("; "));
      });
    }
    await ctx.close();
  }
} catch (e) {
  fail("browser scenario", e.stack || e.message || e);
} finally {
  await browser.close();
}

writeFileSync(join(OUT, "web-timing.json"), JSON.stringify(timings, null, 2) + "\n");
const worst = timings.reduce((m, x) => Math.max(m, x.ready), 0);
console.log(`page loads: ${timings.length}, slowest ${worst} ms (navigation start to content on screen)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
