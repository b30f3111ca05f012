// SPDX-License-Identifier: MIT
// outcomes.js - #/outcomes: poverty incidence and exit per county, township
// and village (GET /outcomes), with the townships' incidence against the
// exit threshold as a chart and every row in a table, then what the teams
// changed (GET /outcomes/attribution: each team village against comparable
// villages without a team, from a baseline year). #/watch: the
// return-to-poverty watch (GET /watch): exited households at risk, counted
// by township, each with its reasons, responsible cadre and a link to its card.
import { api, errorText, fmt, h, message, t, table, xlsxLink } from "../app.js";
import { loadECharts } from "./home.js";

const SHOWN = 300; // rows drawn; the township counts and `zhucun watch` carry all
const FIRST = 50; // drawn at first, the rest on a tap (300 rows made a phone page 66,000 px tall)

async function renderWatch(view, ctx) {
  const asked = ctx.query.get("year");
  const scope = ctx.query.get("scope");
  const q = new URLSearchParams();
  if (asked) q.set("year", asked);
  if (scope) q.set("scope", scope);
  const res = await api("GET", "/watch" + (q.toString() ? "?" + q : ""));
  if (res.status !== 200) {
    view.append(h("h1", {}, t("watch.title", { year: asked || "" })), message("err", errorText(res)));
    return;
  }
  const d = res.data;
  const input = h("input", { type: "number", name: "year", min: 2000, max: 2100, value: d.year });
  input.addEventListener("change", () => input.value && (location.hash = "#/watch?year=" + input.value + (scope ? "&scope=" + scope : "")));
  view.append(
    h("h1", {}, t("watch.title", { year: d.year })),
    h("div", { class: "toolbar" }, h("form", { class: "filters" }, h("label", {}, t("assess.year"), " ", input)), h("p", { class: "exports" }, xlsxLink("/watch?" + new URLSearchParams({ year: d.year, ...(scope ? { scope } : {}) }), t("watch.xlsx")))),
    h("p", {}, t("watch.line", { line: fmt(d.watch_line_yuan), n: fmt(d.rows.length) })),
    h("section", { class: "card", id: "watch-townships" },
      table(t("watch.by_township"), [
        { key: "county", label: t("watch.county") },
        { key: "name", label: t("watch.township"), render: (r) => h("a", { href: `#/watch?year=${d.year}&scope=${r.code.slice(0, 9)}` }, r.name) },
        { key: "households", label: t("watch.households"), num: true },
      ], d.townships)),
    watchHouseholds(d),
  );
}

// The watched households, the first FIRST of them until 显示全部 is tapped.
function watchHouseholds(d) {
  const rows = d.rows.slice(0, SHOWN);
  const list = (n) =>
      table(t("watch.caption"), [
        { key: "township", label: t("watch.township") },
        { key: "village_name", label: t("watch.village"), render: (r) => h("a", { href: "#/village/" + r.village }, r.village_name) },
        { key: "household", label: t("aid.household"), render: (r) => h("a", { href: "#/household/" + encodeURIComponent(r.household) }, r.household) },
        { key: "exit_year", label: t("watch.exit_year"), render: (r) => String(r.exit_year) },
        { key: "status", label: t("status.status"), render: (r) => t("ostatus." + r.status) + " (" + r.year + ")" },
        { key: "income", label: t("status.income"), num: true, render: (r) => (r.income === null ? "—" : fmt(r.income)) },
        { key: "reasons", label: t("watch.reasons"), render: (r) => h("span", { class: "warn" }, r.reasons) },
        { key: "cadre", label: t("aid.cadre"), render: (r) => r.cadre || "—" },
        { key: "response", label: t("watch.response"), render: (r) => r.response || h("span", { class: "warn" }, t("watch.no_response")) },
      ], rows.slice(0, n));
  const holder = h("div", {}, list(FIRST));
  const label = d.rows.length > SHOWN ? t("watch.show_first", { n: fmt(rows.length) }) : t("watch.show_all", { n: fmt(rows.length) });
  const more = rows.length > FIRST ? h("button", { type: "button", class: "secondary", id: "watch-all", onclick: () => { holder.replaceChildren(list(SHOWN)); more.remove(); } }, label) : null;
  return h("section", { class: "card", id: "watch-households" },
    holder,
    more,
    d.rows.length > SHOWN ? h("p", {}, t("watch.more", { shown: fmt(SHOWN), n: fmt(d.rows.length) })) : null);
}

// Team villages against comparable villages without a team: the change in
// incidence since the baseline, the comparables' mean change and the
// difference (negative: poverty fell further where the team was).
async function attributionCard(year, asked) {
  const card = h("section", { class: "card", id: "attribution" }, h("h2", {}, t("attr.title")));
  const base = asked || String(year - 2);
  const res = await api("GET", `/outcomes/attribution?year=${year}&baseline=${encodeURIComponent(base)}`);
  if (res.status !== 200) {
    card.append(message("err", errorText(res)));
    return card;
  }
  const d = res.data;
  const input = h("input", { type: "number", name: "baseline", min: 2000, max: year - 1, value: d.baseline });
  input.addEventListener("change", () => input.value && (location.hash = `#/outcomes?year=${year}&baseline=${input.value}`));
  const pp = (v) => (v === null || v === undefined ? "—" : (v > 0 ? "+" : "") + v.toFixed(2));
  const withEffect = d.rows.filter((r) => r.effect !== null);
  const better = withEffect.filter((r) => r.effect < 0).length;
  card.append(
    h("form", { class: "filters" }, h("label", {}, t("attr.baseline"), " ", input)),
    h("p", { class: "hint" }, t("attr.hint", { band: d.band.toFixed(1) })),
    h("p", { id: "attr-summary" }, t("attr.summary", { n: fmt(d.rows.length), k: fmt(withEffect.length), better: fmt(better) })),
    table(t("attr.caption", { base: d.baseline, year: d.year }), [
      { key: "name", label: t("outcomes.name"), render: (r) => h("a", { href: `#/village/${r.code}` }, r.name) },
      { key: "class", label: t("attr.class") },
      { key: "base_incidence", label: t("attr.base", { year: d.baseline }), num: true, render: (r) => (r.base_incidence === null ? "—" : r.base_incidence.toFixed(2) + "%") },
      { key: "incidence", label: t("attr.now", { year: d.year }), num: true, render: (r) => (r.incidence === null ? "—" : r.incidence.toFixed(2) + "%") },
      { key: "change", label: t("attr.change"), num: true, render: (r) => pp(r.change) },
      { key: "comparables", label: t("attr.comparables"), num: true },
      { key: "comparables_change", label: t("attr.comparables_change"), num: true, render: (r) => pp(r.comparables_change) },
      { key: "effect", label: t("attr.effect"), num: true, render: (r) => (r.effect === null ? h("span", { class: "warn" }, t("attr.none")) : h("span", { class: r.effect < 0 ? "ok" : r.effect > 0 ? "warn" : "" }, pp(r.effect))) },
    ], d.rows),
  );
  return card;
}

export async function render(view, ctx) {
  if (ctx.name === "watch") return renderWatch(view, ctx);
  // Without ?year= the server answers for the year of its "today".
  const asked = ctx.query.get("year");
  const res = await api("GET", "/outcomes" + (asked ? "?year=" + encodeURIComponent(asked) : ""));
  if (res.status !== 200) {
    view.append(h("h1", {}, t("outcomes.title", { year: asked || "" })), message("err", errorText(res)));
    return;
  }
  const year = res.data.year;
  const input = h("input", { type: "number", name: "year", min: 2000, max: 2100, value: year });
  input.addEventListener("change", () => input.value && (location.hash = "#/outcomes?year=" + input.value));
  view.append(
    h("h1", {}, t("outcomes.title", { year })),
    h("div", { class: "toolbar" }, h("form", { class: "filters" }, h("label", {}, t("assess.year"), " ", input)), h("p", { class: "exports" }, xlsxLink("/outcomes?year=" + year, t("outcomes.xlsx")))),
  );
  const rows = res.data.rows;
  const towns = rows.filter((r) => r.level === "township");
  const counties = rows.filter((r) => r.level === "county");
  const lvl = (l) => t("outcomes.level_" + l);
  const pctText = (v) => (v === null || v === undefined ? "—" : v.toFixed(2) + "%");
  for (const c of counties)
    view.append(
      h(
        "p",
        { class: c.meets_exit ? "ok" : "warn" },
        t("outcomes.county_line", { name: c.name, inc: pctText(c.incidence), thr: c.exit_threshold.toFixed(2), met: fmt(c.villages_meeting), n: fmt(c.villages) }),
      ),
    );
  const chart = h("div", { class: "chart", role: "img", "aria-label": t("outcomes.chart") });
  view.append(h("section", { class: "card" }, h("h2", {}, t("outcomes.chart")), chart));
  view.append(await attributionCard(year, ctx.query.get("baseline")));
  view.append(
    h(
      "section",
      { class: "card" },
      table(t("outcomes.caption"), [
        { key: "code", label: t("outcomes.code") },
        { key: "name", label: t("outcomes.name"), render: (r) => (r.level === "village" ? h("a", { href: `#/village/${r.code}` }, r.name) : r.name) },
        { key: "level", label: t("outcomes.level"), render: (r) => lvl(r.level) },
        { key: "households", label: t("outcomes.households"), num: true },
        { key: "population", label: t("outcomes.population"), num: true },
        { key: "poor_households", label: t("outcomes.poor_households"), num: true },
        { key: "poor_population", label: t("outcomes.poor_population"), num: true },
        { key: "incidence", label: t("outcomes.incidence"), num: true, render: (r) => pctText(r.incidence) },
        { key: "meets_exit", label: t("outcomes.meets"), render: (r) => (r.meets_exit ? t("yes") : h("span", { class: "warn" }, t("no"))) },
        { key: "consistent", label: t("outcomes.consistent"), render: (r) => (r.consistent ? t("yes") : h("span", { class: "warn" }, r.level === "village" ? t("no") : String(r.inconsistent))) },
      ], rows),
    ),
  );
  setTimeout(async () => {
    let echarts;
    try {
      echarts = await loadECharts();
    } catch {
      return; // the table carries the same numbers
    }
    if (!chart.isConnected || !towns.length) return;
    const thr = towns[0].exit_threshold;
    chart.style.height = `${Math.max(220, 84 + towns.length * 24)}px`;
    echarts.init(chart, null, { renderer: "svg" }).setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      // Room on the right for the bars' values, above the plot for the
      // threshold's name (inside it, it ran into a bar's value).
      grid: { left: 100, right: 56, top: 28, bottom: 24 },
      yAxis: { type: "category", data: towns.map((r) => r.name), inverse: true, axisLabel: { width: 90, overflow: "truncate" } },
      xAxis: { type: "value", splitNumber: chart.clientWidth < 480 ? 3 : 5, axisLabel: { hideOverlap: true, formatter: "{value}%" } },
      series: [
        {
          type: "bar",
          data: towns.map((r) => ({ value: r.incidence ?? 0, itemStyle: { color: r.meets_exit ? "#2e7d32" : "#b71c1c" } })),
          label: { show: true, position: "right", formatter: (p) => p.value.toFixed(2) + "%" },
          // (the category axis runs downwards: the line's start is at the top)
          markLine: { symbol: "none", data: [{ xAxis: thr }], label: { position: "start", formatter: t("outcomes.threshold") + " " + thr + "%" } },
        },
      ],
    });
    document.body.dataset.outcomes = "1";
  }, 0);
}
