// SPDX-License-Identifier: MIT
// home.js - the overview of the caller's jurisdiction (GET /api/v1/stats):
// coverage of poor and deep-poverty villages by first secretaries and full
// teams, the cadres serving by type and level of sending unit, their age
// and education, and the same coverage one level down. No map: China's
// boundaries need an approval number to publish, so divisions are a table
// with their centre points and a bar chart.
//
// ECharts (web/vendor, from npm) is loaded on this page only, after the
// figures are on screen, so the page is readable before the charts draw.
// Every chart has its numbers in a table below it for screen readers.
import { api, asOf, asOfForm, errorText, fmt, h, me, message, pct, t, table, xlsxLink } from "../app.js";

let echartsPromise = null;
export function loadECharts() {
  if (window.echarts) return Promise.resolve(window.echarts);
  if (!echartsPromise)
    echartsPromise = new Promise((ok, fail) => {
      const s = document.createElement("script");
      s.src = "/vendor/echarts.min.js";
      s.onload = () => ok(window.echarts);
      s.onerror = () => fail(new Error("echarts"));
      document.head.append(s);
    });
  return echartsPromise;
}

const RED = ["#a61b1b", "#d9822b", "#2f6f9f", "#3b8b4a", "#7a4fa0", "#8c6d1f", "#c2185b", "#00838f", "#5d6d7e", "#6d4c41"];

function chartBox(title, label, rows, cols) {
  const el = h("div", { class: "chart", role: "img", "aria-label": label });
  const card = h(
    "section",
    { class: "card" },
    h("h2", {}, title),
    el,
    h("details", { class: "data" }, h("summary", {}, t("home.chart_note")), table(null, cols, rows)),
  );
  return { card, el };
}

function draw(echarts, el, option) {
  const chart = echarts.init(el, null, { renderer: "svg" });
  chart.setOption({ color: RED, animation: false, textStyle: { fontFamily: "inherit" }, ...option });
  new ResizeObserver(() => chart.resize()).observe(el);
}

function bar(names, values, horizontal) {
  const cat = { type: "category", data: names, axisLabel: { interval: 0, width: 90, overflow: "truncate" } };
  // Few value labels, and none drawn over another (0 5 10152025 3035 in a
  // narrow card).
  const val = { type: "value", minInterval: 1, splitNumber: horizontal ? 3 : 5, axisLabel: { hideOverlap: true } };
  return {
    grid: { left: horizontal ? 100 : 40, right: horizontal ? 44 : 16, top: 16, bottom: horizontal ? 24 : 40 }, // room for the value labels
    tooltip: { trigger: "axis" },
    xAxis: horizontal ? val : cat,
    yAxis: horizontal ? { ...cat, inverse: true } : val,
    series: [{ type: "bar", data: values, label: { show: true, position: horizontal ? "right" : "top" } }],
  };
}

// Donuts carry their numbers on the slices and a legend that wraps (a
// scrolling legend paged "1/2 ▶" inside a 300 px card).
function pie(items) {
  return {
    tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
    legend: { bottom: 0, type: "plain", itemWidth: 12, itemHeight: 8, itemGap: 6, textStyle: { fontSize: 11 } },
    series: [
      {
        type: "pie",
        radius: ["30%", "52%"],
        center: ["50%", "40%"],
        data: items,
        label: { show: true, formatter: "{c}", fontSize: 11 },
        labelLine: { length: 4, length2: 4 },
      },
    ],
  };
}

export async function render(view, r) {
  const q = r.query;
  const dq = q.get("date") ? "?date=" + encodeURIComponent(q.get("date")) : "";
  const res = await api("GET", "/stats" + dq);
  if (res.status !== 200) {
    view.append(h("h1", {}, t("home.title")), message("err", errorText(res)));
    return;
  }
  const s = res.data;
  const cov = Object.fromEntries(s.coverage.map((c) => [c.poverty, c]));
  const zero = { villages: 0, first_secretary: 0, full_team: 0, poor_households: 0, poor_people: 0 };
  const poor = cov.poor || zero, deep = cov.deep || zero;
  const c = s.cadres || {};
  view.append(
    h("h1", {}, t("home.title"), " · ", s.name || t("role." + "admin")),
    h("p", { class: "sub" }, t("home.scope"), ": ", me() && me().scope_name ? `${me().scope_name} (${s.scope})` : s.scope || "—", " · ", t("app.asof", { date: s.as_of || asOf(q) })),
    h("div", { class: "toolbar" }, asOfForm("/home", q), h("p", { class: "exports" }, xlsxLink("/stats" + dq, t("home.xlsx")))),
  );
  // A sub-line "其中深度贫困村 24 · 有第一书记 69" breaks between its phrases only.
  const phrases = (d) => d.split(" · ").flatMap((p, i) => [i ? " · " : null, h("span", { class: "ph" }, p)]);
  const kpi = (v, l, d, cls) =>
    h("div", { class: cls ? "kpi " + cls : "kpi" }, h("div", { class: "v" }, v), h("div", { class: "l" }, l), d ? h("div", { class: "d" }, phrases(d)) : null);
  const all = {
    villages: deep.villages + poor.villages,
    first_secretary: deep.first_secretary + poor.first_secretary,
    full_team: deep.full_team + poor.full_team,
  };
  view.append(
    h(
      "div",
      { class: "kpis" },
      // County reports say "贫困村 69 个，其中深度贫困村 24 个": the total first.
      kpi(fmt(all.villages), t("home.poor_total"), `${t("home.of_which_deep")} ${fmt(deep.villages)} · ${t("home.fs")} ${fmt(all.first_secretary)}`),
      kpi(fmt(all.villages - all.full_team), t("home.not_full"), `${t("home.full")} ${fmt(all.full_team)} / ${fmt(all.villages)}`, all.villages > all.full_team ? "warn" : null),
      // Cadres at a county or township post (挂职) are dispatched, not
      // stationed in a village: 124 "驻村干部" beside 14 in the villages misled.
      kpi(fmt(c.serving), t("home.serving"), `${t("home.in_villages")} ${fmt(c.in_villages)} · ${t("home.at_posts")} ${fmt(c.serving - c.in_villages)} · ${t("home.first_secretaries")} ${fmt(c.first_secretaries)}`),
      kpi(pct(c.under_45, c.serving), t("home.under45"), `${fmt(c.under_45)} / ${fmt(c.serving)}`),
      kpi(pct(c.bachelor_plus, c.serving), t("home.bachelor"), `${fmt(c.bachelor_plus)} / ${fmt(c.serving)}`),
      kpi(pct(c.party_members, c.serving), t("home.party"), `${t("home.reserve")} ${fmt(c.reserve)} · ${t("home.female")} ${fmt(c.female)}`),
    ),
  );

  // Coverage by class: villages, with a first secretary, with a full team.
  const covRows = [
    { cls: t("home.poor_total"), ...all },
    { cls: t("home.of_which_deep"), ...deep },
    { cls: t("home.ordinary_poor"), ...poor },
  ];
  const covCols = [
    { key: "cls", label: t("village.poverty") },
    { key: "villages", label: t("home.villages"), num: true },
    { key: "first_secretary", label: t("home.fs"), num: true },
    { key: "full_team", label: t("home.full"), num: true },
    { key: "rate", label: t("home.rate"), num: true, render: (r) => pct(r.first_secretary, r.villages) },
  ];
  const covBox = chartBox(t("home.coverage"), t("home.coverage"), covRows, covCols);
  const catRows = s.by_category.map((r) => ({ name: r.category, cadres: r.cadres }));
  const catBox = chartBox(t("home.by_category"), t("home.by_category"), catRows, [
    { key: "name", label: t("team.category") },
    { key: "cadres", label: t("home.serving"), num: true },
  ]);
  const lvlRows = s.by_level.map((r) => ({ name: t("level." + r.level), cadres: r.cadres }));
  const lvlBox = chartBox(t("home.by_level"), t("home.by_level"), lvlRows, [
    { key: "name", label: t("team.unit") },
    { key: "cadres", label: t("home.serving"), num: true },
  ]);
  const ageRows = s.by_age.map((r) => ({ name: t("age." + r.band), cadres: r.cadres }));
  const ageBox = chartBox(t("home.by_age"), t("home.by_age"), ageRows, [
    { key: "name", label: t("cadre.age") },
    { key: "cadres", label: t("home.serving"), num: true },
  ]);
  const eduRows = s.by_education.map((r) => ({ name: r.education === "unknown" ? t("edu.unknown") : r.education, cadres: r.cadres }));
  const eduBox = chartBox(t("home.by_education"), t("home.by_education"), eduRows, [
    { key: "name", label: t("cadre.education") },
    { key: "cadres", label: t("home.serving"), num: true },
  ]);
  const areaRows = s.areas.filter((a) => a.villages);
  const areaBox = chartBox(t("home.areas"), t("home.areas"), [], []);
  view.append(h("div", { class: "grid" }, covBox.card, catBox.card, lvlBox.card, ageBox.card, eduBox.card));

  // One level down: a list of divisions with their centre point (no map).
  const areaTable = table(t("home.areas"), [
    {
      key: "name",
      label: t("home.area"),
      nowrap: true,
      render: (a) => (s.level < 4 ? h("a", { href: `#/villages?division=${a.code}` }, a.name || a.code) : h("a", { href: `#/village/${a.code}` }, a.name || a.code)),
    },
    { key: "villages", label: t("home.villages"), num: true },
    { key: "all_poor", label: t("home.poor_total"), num: true, render: (a) => fmt(a.poor + a.deep) },
    { key: "deep", label: t("home.of_which_deep"), num: true },
    { key: "covered", label: t("home.covered"), num: true },
    { key: "rate", label: t("home.rate"), num: true, render: (a) => pct(a.covered, a.poor + a.deep) },
    // The poor villages still without a full team, in red (a rate of 100.0%
    // of first secretaries said nothing of them).
    { key: "not_full", label: t("home.not_full_short"), num: true, render: (a) => { const v = a.poor + a.deep - (a.full_team || 0); return v > 0 ? h("span", { class: "bad" }, fmt(v)) : fmt(v); } },
    { key: "serving", label: t("home.serving_village"), num: true },
    { key: "pt", label: t("home.point"), nowrap: true, render: (a) => (a.lat ? `${a.lat.toFixed(3)}°N ${a.lng.toFixed(3)}°E` : "—") },
  ], areaRows);
  areaBox.card.querySelector("details").replaceWith(areaTable);
  areaBox.card.append(h("p", { class: "exports" }, xlsxLink("/stats?table=areas" + (dq ? "&" + dq.slice(1) : ""), t("home.areas_xlsx"))));
  view.append(h("div", { style: "height:1em" }), areaBox.card);

  const unitTable = table(t("home.by_unit"), [
    { key: "name", label: t("team.unit") },
    { key: "category", label: t("team.category") },
    { key: "cadres", label: t("home.serving"), num: true },
  ], s.by_unit);
  view.append(h("section", { class: "card" }, unitTable));

  // Charts after the page is in place (render() attaches `view` first).
  setTimeout(async () => {
    let echarts;
    try {
      echarts = await loadECharts();
    } catch {
      return; // the tables carry the same numbers
    }
    if (!covBox.el.isConnected) return;
    const names = [t("home.villages"), t("home.fs"), t("home.full")];
    draw(echarts, covBox.el, {
      legend: { top: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 11 } },
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 16, top: 40, bottom: 24 },
      xAxis: { type: "category", data: names, axisLabel: { interval: 0, fontSize: 11 } },
      yAxis: { type: "value", minInterval: 1 },
      series: covRows.map((v) => ({ name: v.cls, type: "bar", data: [v.villages, v.first_secretary, v.full_team], label: { show: true, position: "top" } })),
    });
    draw(echarts, catBox.el, bar(catRows.map((r) => r.name), catRows.map((r) => r.cadres), true));
    draw(echarts, lvlBox.el, pie(lvlRows.map((r) => ({ name: r.name, value: r.cadres }))));
    draw(echarts, ageBox.el, pie(ageRows.map((r) => ({ name: r.name, value: r.cadres }))));
    draw(echarts, eduBox.el, pie(eduRows.map((r) => ({ name: r.name, value: r.cadres }))));
    const top = areaRows.slice(0, 40);
    // On a phone the legend takes two lines (left and right bound it, so it
    // wraps rather than running out of the card).
    const narrow = areaBox.el.clientWidth < 480;
    areaBox.el.style.height = `${Math.max(220, (narrow ? 84 : 60) + top.length * 24)}px`;
    draw(echarts, areaBox.el, {
      legend: { bottom: 0, left: 8, right: 8, itemGap: narrow ? 10 : 20, itemWidth: 12, itemHeight: 8 },
      tooltip: { trigger: "axis" },
      grid: { left: 100, right: 16, top: 8, bottom: narrow ? 64 : 40 },
      yAxis: { type: "category", data: top.map((a) => a.name || a.code), inverse: true, axisLabel: { width: 90, overflow: "truncate" } },
      xAxis: { type: "value", minInterval: 1 },
      series: [
        { name: t("home.of_which_deep"), type: "bar", stack: "v", data: top.map((a) => a.deep) },
        { name: t("home.ordinary_poor"), type: "bar", stack: "v", data: top.map((a) => a.poor) },
        { name: t("home.covered"), type: "bar", data: top.map((a) => a.covered) },
      ],
    });
    document.body.dataset.charts = "1";
  }, 0);
}
