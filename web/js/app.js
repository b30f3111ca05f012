// SPDX-License-Identifier: MIT
// app.js - the shell of the web UI: language, the API client, the router,
// the navigation for the signed-in role, and small DOM helpers that the
// pages (pages/*.js) share.
//
// No framework and no build step: ES modules served as they are written.
// Every string shown comes from i18n/zh.json or i18n/en.json; every piece of
// data goes into the DOM as text (never as HTML), so a name in the ledger
// cannot inject markup. The server decides what the caller may see; the UI
// only hides links a role cannot use.

const state = {
  lang: localStorage.getItem("zc-lang") === "en" ? "en" : "zh",
  dict: {},
  me: null, // {user, role, scope, csrf}
};

// ---- language ----------------------------------------------------------

export function t(key, vars) {
  let s = state.dict[key];
  if (s === undefined) s = key;
  if (vars) for (const k of Object.keys(vars)) s = s.replaceAll("{" + k + "}", String(vars[k]));
  return s;
}

export function lang() {
  return state.lang;
}

async function loadDict() {
  const r = await fetch(`/i18n/${state.lang}.json`);
  state.dict = await r.json();
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  document.title = t("app.title");
}

// ---- API ----------------------------------------------------------------

function cookie(name) {
  const m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
  return m ? decodeURIComponent(m[1]) : "";
}

// Call the API with the session cookie. Unsafe methods repeat the CSRF
// token (double submit). Resolves to {status, data}; a 401 sends the user
// back to the login page.
export async function api(method, path, body) {
  const opt = { method, headers: {}, credentials: "same-origin" };
  if (method !== "GET") opt.headers["X-CSRF-Token"] = cookie("zc_csrf") || (state.me && state.me.csrf) || "";
  if (body instanceof FormData) opt.body = body;
  else if (body !== undefined) {
    opt.headers["Content-Type"] = "application/json";
    opt.body = JSON.stringify(body);
  }
  const r = await fetch("/api/v1" + path, opt);
  let data = null;
  const ct = r.headers.get("Content-Type") || "";
  if (ct.includes("json")) data = await r.json();
  if (r.status === 401 && path !== "/session") {
    state.me = null;
    location.hash = "#/login";
  }
  return { status: r.status, data };
}

// The server's messages are English (they name the file, row and field for
// the CLI and the logs); "not yours" and "not allowed" read in the page's
// language, the rest (an import's row and column) as the server says.
export function errorText(res) {
  const e = res && res.data && res.data.error;
  if (e && state.lang === "zh" && (res.status === 403 || res.status === 404)) {
    // The codes and numbers the message names (the ID typed, the village) stay.
    const ids = [...new Set((e.message || "").match(/[A-Za-z]*\d[\dA-Za-z-]{5,}/g) || [])];
    return t(res.status === 403 ? "app.err_forbidden" : "app.err_not_found") + (ids.length ? "：" + ids.join("、") : "");
  }
  if (e) return e.message;
  return t("app.error") + " (" + (res ? res.status : "?") + ")";
}

// A policy file's title (its Chinese part) for its name, from GET /policies
// (read once); the name itself when the list does not have it.
let policyTitles = null;
export async function policyLabel(name) {
  if (!policyTitles)
    policyTitles = api("GET", "/policies").then((r) => Object.fromEntries(r.status === 200 ? r.data.items.map((p) => [p.name, p.title]) : []), () => ({}));
  const title = (await policyTitles)[name];
  if (title) return state.lang === "zh" ? title.split(" / ")[0] : title;
  return name === "default" ? t("app.policy_default") : name; // a cadre does not read the list
}

// ---- DOM helpers -----------------------------------------------------------

// h("a", {href: "#/x", class: "y"}, "text", child...) - children are nodes or
// text; attributes starting with "on" are listeners.
export function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, v);
  }
  for (const c of kids.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function fmt(n) {
  if (n === null || n === undefined) return "—";
  return typeof n === "number" ? n.toLocaleString(state.lang === "zh" ? "zh-CN" : "en") : String(n);
}

export function pct(a, b) {
  return b ? ((100 * a) / b).toFixed(1) + "%" : "—";
}

// A table with a caption; cols = [{key, label, num, nowrap, wide, render(row)}].
// `nowrap` keeps a cell on one line (names, village names, links: squeezed
// by a long column they wrapped one character per line; a short cell is kept
// on one line anyway); `wide` gives a long text column room to wrap instead.
// The table scrolls sideways in its box.
function cellClass(c) {
  const k = [c.num ? "num" : "", c.nowrap ? "nowrap" : "", c.wide ? "wide" : ""].filter(Boolean).join(" ");
  return k || null;
}
export function table(caption, cols, rows) {
  const head = h("tr", {}, cols.map((c) => h("th", { scope: "col", class: cellClass(c) }, c.label)));
  const body = rows.length
    ? rows.map((r) =>
        h(
          "tr",
          {},
          cols.map((c) => {
            const td = h("td", { class: cellClass(c) }, c.render ? c.render(r) : fmt(r[c.key]));
            // A short cell (a name, a date, a status) never wraps: squeezed
            // by its neighbours it went a character per line on a phone.
            if (!c.wide && td.textContent.length <= 12) td.classList.add("nowrap");
            return td;
          }),
        ),
      )
    : [h("tr", {}, h("td", { colspan: cols.length }, t("table.empty")))];
  return h("div", { class: "scroll" }, h("table", {}, caption ? h("caption", {}, caption) : null, h("thead", {}, head), h("tbody", {}, body)));
}

// Paging controls for a server-paged list.
export function pager(total, page, per, go) {
  const pages = Math.max(1, Math.ceil(total / per));
  return h(
    "div",
    { class: "pager" },
    h("span", {}, t("table.total", { n: fmt(total) })),
    h("button", { type: "button", class: "secondary", disabled: page <= 1, onclick: () => go(page - 1) }, t("table.prev")),
    h("span", { "aria-live": "polite" }, t("table.page", { p: page, n: pages })),
    h("button", { type: "button", class: "secondary", disabled: page >= pages, onclick: () => go(page + 1) }, t("table.next")),
  );
}

export function message(kind, text) {
  return h("div", { class: "msg " + kind, role: kind === "err" ? "alert" : "status" }, text);
}

// A labelled form field; `input` is the control (its id is set here).
let fieldSeq = 0;
export function field(label, input, cls) {
  const id = input.id || "f" + ++fieldSeq;
  input.id = id;
  if (cls === "check") return h("div", { class: "field check" }, input, h("label", { for: id }, label));
  return h("div", { class: "field" }, h("label", { for: id }, label), input);
}

export function select(name, options, value) {
  return h("select", { name }, options.map(([v, l]) => h("option", { value: v, selected: String(v) === String(value ?? "") }, l)));
}

// Open the shared dialog with a title and content; focus moves into it and
// returns to the opener on close (the <dialog> element does both).
export function dialog(title, content) {
  const d = document.getElementById("dialog");
  document.getElementById("dialog-title").textContent = title;
  const body = document.getElementById("dialog-body");
  body.replaceChildren(content);
  document.getElementById("dialog-close").textContent = t("plan.close");
  if (!d.open) d.showModal();
}

export function me() {
  return state.me;
}

// The day the figures are as of: the page's ?date= or the server's today.
export function asOf(query) {
  const d = query && query.get("date");
  return d || (state.me && state.me.today) || "";
}

// A link that downloads a table as an Excel workbook (the server writes it,
// with the page's scope and date, and records the export).
export function xlsxLink(path, label) {
  const sep = path.includes("?") ? "&" : "?";
  return h("a", { class: "xlsx", href: "/api/v1" + path + sep + "format=xlsx", download: "" }, label || t("app.xlsx"));
}

// "台账日期 [date] [查看]": the page again as of another day.
export function asOfForm(path, query) {
  const date = h("input", { type: "date", name: "date", value: asOf(query), max: state.me && state.me.today });
  return h(
    "form",
    {
      class: "filters asof-form",
      onsubmit: (e) => {
        e.preventDefault();
        go(path, { ...Object.fromEntries(query.entries()), date: date.value === (state.me && state.me.today) ? "" : date.value });
      },
    },
    field(t("app.asof_pick"), date),
    h("button", { type: "submit", class: "secondary" }, t("app.asof_go")),
  );
}

export function isStaff() {
  return state.me && ["province", "city", "county", "township", "admin"].includes(state.me.role);
}

// ---- routing -----------------------------------------------------------------

// "#/villages?county=450124" -> {path: "/villages", parts: ["villages"], query}
function route() {
  const raw = location.hash.replace(/^#/, "") || "/";
  const [path, qs] = raw.split("?");
  return { path, parts: path.split("/").filter(Boolean), query: new URLSearchParams(qs || "") };
}

export function go(path, query) {
  const qs = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v !== "" && v != null)).toString() : "";
  location.hash = "#" + path + (qs ? "?" + qs : "");
}

const pages = {
  login: () => import("./pages/login.js"),
  home: () => import("./pages/home.js"),
  villages: () => import("./pages/villages.js"),
  village: () => import("./pages/villages.js"),
  cadres: () => import("./pages/cadres.js"),
  cadre: () => import("./pages/cadres.js"),
  me: () => import("./pages/cadres.js"),
  import: () => import("./pages/import.js"),
  dispatch: () => import("./pages/dispatch.js"),
  plan: () => import("./pages/dispatch.js"),
  posts: () => import("./pages/dispatch.js"),
  users: () => import("./pages/users.js"),
  field: () => import("./pages/field.js"),
  presence: () => import("./pages/field.js"),
  inspect: () => import("./pages/assess.js"),
  assess: () => import("./pages/assess.js"),
  funds: () => import("./pages/assess.js"),
  outcomes: () => import("./pages/outcomes.js"),
  household: () => import("./pages/households.js"),
  watch: () => import("./pages/outcomes.js"),
  aid: () => import("./pages/households.js"),
};

function navItems() {
  const r = state.me.role;
  if (r === "cadre") return [["field", "nav.field"], ["me", "nav.me"], ["villages", "nav.villages"], ["aid", "nav.aid"], ["watch", "nav.watch"]];
  if (r === "unit") return [["presence", "nav.unit_leave"]]; // a sending unit: its copy of its cadres' leave
  const items = [["home", "nav.home"], ["villages", "nav.villages"], ["cadres", "nav.cadres"]];
  if (isStaff()) items.push(["import", "nav.import"]);
  if (r !== "cadre") items.push(["dispatch", "nav.dispatch"]);
  if (r !== "auditor") items.push(["presence", "nav.presence"]);
  if (["province", "city", "county", "inspector", "admin"].includes(r)) items.push(["inspect", "nav.inspect"]);
  items.push(["assess", "nav.assess"]);
  items.push(["funds", "nav.funds"]);
  items.push(["outcomes", "nav.outcomes"]);
  items.push(["watch", "nav.watch"]);
  if (r !== "auditor" && r !== "inspector") items.push(["aid", "nav.aid"]);
  if (r === "admin") items.push(["users", "nav.users"]);
  return items;
}

function renderChrome(current) {
  const top = document.getElementById("top");
  top.hidden = !state.me;
  document.getElementById("brand-title").textContent = t("app.title");
  document.getElementById("skip").textContent = t("app.skip");
  document.getElementById("lang").textContent = t("app.lang");
  document.getElementById("logout").textContent = t("app.logout");
  if (!state.me) return;
  const where = state.me.scope_name || state.me.scope || "";
  document.getElementById("who").textContent = `${state.me.user} · ${t("role." + state.me.role)}${where ? " " + where : ""}`;
  document.getElementById("asof").textContent = t("app.asof", { date: asOf(route().query) });
  const ul = h(
    "ul",
    {},
    navItems().map(([p, k]) => h("li", {}, h("a", { href: "#/" + p, "aria-current": current === p ? "page" : null }, t(k)))),
  );
  document.getElementById("nav").replaceChildren(ul);
}

let renderSeq = 0;
async function render() {
  const seq = ++renderSeq;
  const r = route();
  let name = r.parts[0] || "";
  if (!state.me && name !== "login") return go("/login");
  if (state.me && (name === "" || name === "login")) name = { cadre: "field", unit: "presence" }[state.me.role] || "home";
  if (state.me && state.me.role === "unit") name = "presence"; // nothing else is a unit's
  if (!pages[name]) name = state.me ? "home" : "login";
  const navName = { village: "villages", cadre: "cadres", plan: "dispatch", posts: "dispatch", household: "aid" }[name] || name;
  renderChrome(navName);
  const main = document.getElementById("main");
  main.setAttribute("aria-busy", "true");
  const mod = await pages[name]();
  if (seq !== renderSeq) return;
  const view = h("div", { class: "view" });
  try {
    await mod.render(view, { name, parts: r.parts, query: r.query });
  } catch (e) {
    view.append(message("err", t("app.error") + ": " + e.message));
  }
  if (seq !== renderSeq) return;
  main.replaceChildren(view);
  main.removeAttribute("aria-busy");
  // When the content went on screen, for the load-time measurements (the
  // browser test and bench/web): later work such as drawing charts or a
  // test's polling must not count.
  document.body.dataset.shownAt = String(Math.round(performance.now()));
  // Move focus to the page heading so keyboard and screen-reader users
  // start at the new content (not at the top of the navigation).
  const h1 = main.querySelector("h1");
  if (h1) {
    h1.setAttribute("tabindex", "-1");
    h1.focus({ preventScroll: true });
  }
  window.scrollTo(0, 0);
  document.body.dataset.page = name;
}

// Draw the current route again (after a change the URL does not show).
export function refresh() {
  return render();
}

export function setMe(who) {
  state.me = who;
}

async function start() {
  await loadDict();
  const res = await api("GET", "/session");
  if (res.status === 200) state.me = res.data;
  document.getElementById("lang").addEventListener("click", async () => {
    state.lang = state.lang === "zh" ? "en" : "zh";
    localStorage.setItem("zc-lang", state.lang);
    await loadDict();
    render();
  });
  document.getElementById("logout").addEventListener("click", async () => {
    await api("DELETE", "/session");
    state.me = null;
    go("/login");
  });
  document.getElementById("dialog-close").addEventListener("click", () => document.getElementById("dialog").close());
  window.addEventListener("hashchange", render);
  await render();
  document.body.dataset.ready = "1";
}

start();
