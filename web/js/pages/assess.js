// SPDX-License-Identifier: MIT
// assess.js - supervision and assessment (考) in the browser.
//
//   #/inspect  the inspector's and the county's page: the month's sample
//              with its seed, an inspection and a finding, the ticket ledger
//              with 整改 (fix) and 复核 (re-check).
//   #/assess   the county's page: monthly scores with their components and
//              evidence and a chart of the spread by township; the negative
//              list and the ladder's steps (appeal, confirm, withdraw); the
//              annual grades with the 优秀 quota per county, calibration
//              with a reason, confirmation; the promotion list (提拔重用)
//              with its evidence and the form for a commendation (表彰);
//              the bulletin (通报) to print.
//   #/funds    the funds statement of a year, and a spending entry.
// The cadre's own steps and their appeal are on the phone page (field.js,
// which uses ladderCard below). The server decides what each role may do;
// the page only hides what it would refuse.
import { api, dialog, errorText, field, fmt, h, me, message, refresh, select, t, table, xlsxLink } from "../app.js";
import { loadECharts } from "./home.js";

const DECIDERS = ["province", "city", "county", "admin"];
const decides = () => DECIDERS.includes(me().role);
const inspects = () => me().role === "inspector" || decides();

// The server's today decides the default month: the last month that is
// over (a demo runs in its scenario's year).
async function serverNow() {
  const pol = await api("GET", "/field/policy");
  const now = pol.status === 200 ? pol.data.now : new Date().toISOString();
  return now.slice(0, 10);
}
function lastMonth(day) {
  let y = Number(day.slice(0, 4));
  let m = Number(day.slice(5, 7)) - 1;
  if (m === 0) {
    y--;
    m = 12;
  }
  return `${y}-${String(m).padStart(2, "0")}`;
}

function monthInput(value, onchange) {
  const input = h("input", { type: "month", name: "month", value });
  input.addEventListener("change", () => input.value && onchange(input.value));
  return field(t("field.month"), input);
}
function yearInput(value, onchange) {
  const input = h("input", { type: "number", name: "year", min: 2000, max: 2100, value });
  input.addEventListener("change", () => input.value && onchange(input.value));
  return field(t("assess.year"), input);
}

// Run a write; on success draw the page again, else show the message in `out`.
async function act(out, method, path, body, okStatus = [200, 201]) {
  const res = await api(method, path, body);
  if (okStatus.includes(res.status)) {
    await refresh();
    return res;
  }
  if (out) out.replaceChildren(message("err", errorText(res)));
  else alert(errorText(res));
  return null;
}

// A long table shows its first `n` rows and a button for the rest.
function shortTable(id, caption, cols, rows, n = 30) {
  const holder = h("div", { id }, table(caption, cols, rows.slice(0, n)));
  if (rows.length <= n) return holder;
  const all = h("button", { type: "button", class: "secondary", id: id + "-all", onclick: () => { holder.replaceChildren(table(caption, cols, rows)); all.remove(); } }, t("field.show_all", { n: fmt(rows.length) }));
  return h("div", {}, holder, all);
}

const yuan = (fen) => (fen / 100).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

// ---- #/inspect ------------------------------------------------------------------------

async function renderInspect(view, ctx) {
  const month = ctx.query.get("month") || lastMonth(await serverNow());
  view.append(h("h1", {}, t("assess.inspect_title", { month })));
  view.append(h("form", { class: "filters" }, monthInput(month, (m) => (location.hash = "#/inspect?month=" + m))));

  if (inspects()) {
    // The sample: drawn once per scope and period (the month, or its half
    // under a half_monthly policy: 半月一督查) from a recorded seed.
    const out = h("div", { id: "sample-out", "aria-live": "polite" });
    const half = select("half", [["", t("assess.half_default")], ["1", t("assess.half_1")], ["2", t("assess.half_2")]], "");
    const count = h("input", { type: "number", name: "count", min: 1, max: 100000 });
    const seed = h("input", { type: "number", name: "seed", min: 0 });
    const form = h(
      "form",
      {
        id: "sample-form",
        onsubmit: async (e) => {
          e.preventDefault();
          const body = { month };
          if (count.value) body.count = Number(count.value);
          if (seed.value) body.seed = Number(seed.value);
          if (half.value) body.half = Number(half.value);
          const res = await api("POST", "/assess/inspect/sample", body);
          if (res.status !== 200 && res.status !== 201) return out.replaceChildren(message("err", errorText(res)));
          const d = res.data;
          out.replaceChildren(
            message("ok", (d.half ? t("assess.half_" + d.half) + " · " : "") + t(d.existing ? "assess.sample_recorded" : "assess.sample_new", { seed: d.seed, n: d.count, of: d.population, by: d.drawn_by, at: d.drawn_at })),
            table(
              t("assess.sample_caption", { seed: d.seed }),
              [
                { key: "rank", label: "#", num: true },
                { key: "id_number", label: t("field.id_number") },
                { key: "name", label: t("field.name") },
                { key: "village_name", label: t("field.village") },
                { key: "weight", label: t("assess.weight"), num: true },
                { key: "why", label: t("assess.why") },
                {
                  key: "x",
                  label: "",
                  render: (p) =>
                    h("button", { type: "button", class: "secondary", onclick: () => { vInput.value = p.village; cInput.value = p.cadre; sInput.value = d.sample; vInput.focus(); } }, t("assess.inspect_this")),
                },
              ],
              d.picks,
            ),
          );
        },
      },
      field(t("assess.count"), count),
      field(t("assess.seed"), seed),
      field(t("assess.half"), half),
      h("button", { type: "submit", class: "primary" }, t("assess.draw")),
    );
    view.append(h("section", { class: "card" }, h("h2", {}, t("assess.sample")), h("p", { class: "hint" }, t("assess.sample_hint")), form, out));

    // An inspection, then a finding on it.
    const vInput = h("input", { name: "village", inputmode: "numeric", required: true });
    const cInput = h("input", { name: "cadre", inputmode: "numeric" });
    const sInput = h("input", { name: "sample", inputmode: "numeric" });
    const method = select("method", ["unannounced", "open", "random_call", "documents", "questions", "questionnaire"].map((m) => [m, t("assess.method_" + m)]), "unannounced");
    const day = h("input", { type: "date", name: "day", required: true, value: month + "-28" });
    const names = h("input", { name: "inspectors" });
    const note = h("input", { name: "note" });
    const iout = h("div", { id: "inspection-out", "aria-live": "polite" });
    view.append(
      h(
        "section",
        { class: "card" },
        h("h2", {}, t("assess.inspection")),
        h(
          "form",
          {
            id: "inspection-form",
            onsubmit: async (e) => {
              e.preventDefault();
              const body = { village: vInput.value.trim(), method: method.value, day: day.value, inspectors: names.value, note: note.value };
              if (cInput.value) body.cadre = Number(cInput.value);
              if (sInput.value) body.sample = Number(sInput.value);
              const res = await api("POST", "/assess/inspections", body);
              if (res.status !== 201) return iout.replaceChildren(message("err", errorText(res)));
              fInspection.value = res.data.id;
              iout.replaceChildren(message("ok", t("assess.inspection_done", { id: res.data.id, names: res.data.inspectors })));
            },
          },
          field(t("assess.village_code"), vInput),
          field(t("assess.cadre_id"), cInput),
          field(t("assess.sample_no"), sInput),
          field(t("assess.method"), method),
          field(t("field.date"), day),
          field(t("assess.inspectors"), names),
          field(t("assess.note"), note),
          h("button", { type: "submit", class: "primary" }, t("assess.record_inspection")),
        ),
        iout,
      ),
    );
    const fInspection = h("input", { name: "inspection", inputmode: "numeric", required: true });
    const rule = select("rule", ["attendance", "visits", "diary", "plan", "funds", "conduct", "other"].map((r) => [r, t("assess.rule_" + r)]), "attendance");
    const text = h("textarea", { name: "text", rows: 3, required: true });
    const evidence = h("input", { name: "evidence" });
    const fout = h("div", { id: "finding-out", "aria-live": "polite" });
    view.append(
      h(
        "section",
        { class: "card" },
        h("h2", {}, t("assess.finding")),
        h(
          "form",
          {
            id: "finding-form",
            onsubmit: async (e) => {
              e.preventDefault();
              const res = await api("POST", "/assess/findings", { inspection: Number(fInspection.value), rule: rule.value, text: text.value, evidence: evidence.value });
              if (res.status !== 201) return fout.replaceChildren(message("err", errorText(res)));
              await refresh();
            },
          },
          field(t("assess.inspection_no"), fInspection),
          field(t("assess.rule"), rule),
          field(t("assess.text"), text),
          field(t("assess.evidence"), evidence),
          h("button", { type: "submit", class: "primary" }, t("assess.record_finding")),
        ),
        fout,
      ),
    );
  }

  // The ticket ledger: 交办 -> 整改 -> 复核 -> 销号, each ticket's history
  // (every change, who, the day, the note and evidence) in a dialog.
  const status = ctx.query.get("status") || "";
  const [tickets, findings] = await Promise.all([api("GET", "/assess/tickets" + (status ? "?status=" + status : "")), api("GET", "/assess/findings?month=" + month)]);
  const statusSel = select("status", ["", "open", "fixed", "closed", "reopened", "overdue"].map((s) => [s, s ? t("assess.ticket_" + s) : t("assess.all")]), status);
  statusSel.addEventListener("change", () => (location.hash = `#/inspect?month=${month}${statusSel.value ? "&status=" + statusSel.value : ""}`));
  const tout = h("div", { "aria-live": "polite" });
  const canFix = me().role === "cadre" || decides();
  view.append(
    h(
      "section",
      { class: "card", id: "tickets" },
      h("h2", {}, t("assess.tickets")),
      h("div", { class: "toolbar" }, h("form", { class: "filters" }, field(t("field.status"), statusSel)), h("p", { class: "exports" }, xlsxLink("/assess/tickets" + (status ? "?status=" + status : ""), t("assess.tickets_xlsx")))),
      tout,
      tickets.status !== 200
        ? message("err", errorText(tickets))
        : table(
            null,
            [
              { key: "id", label: t("assess.no"), num: true },
              { key: "village_name", label: t("field.village") },
              { key: "name", label: t("assess.assignee") },
              { key: "rule_name", label: t("assess.rule") },
              { key: "text", label: t("assess.text") },
              { key: "deadline", label: t("assess.deadline") },
              { key: "status", label: t("field.status"), render: (k) => h("span", { class: "tag " + (k.overdue || k.status === "reopened" ? "bad" : k.status === "closed" ? "ok" : "") }, t(k.overdue ? "assess.ticket_overdue" : "assess.ticket_" + k.status)) },
              { key: "fix_text", label: t("assess.fix_text") },
              {
                key: "x",
                label: "",
                render: (k) =>
                  h(
                    "span",
                    {},
                    h("button", { type: "button", class: "secondary history", onclick: () => ticketHistory(k.id) }, t("assess.history")),
                    " ",
                    canFix && (k.status === "open" || k.status === "reopened")
                      ? h("button", { type: "button", class: "secondary", onclick: () => { const text = prompt(t("assess.fix_prompt")); if (text) act(tout, "POST", `/assess/tickets/${k.id}/fix`, { text }); } }, t("assess.fix"))
                      : null,
                    inspects() && k.status === "fixed"
                      ? [
                          h("button", { type: "button", class: "secondary", onclick: () => act(tout, "POST", `/assess/tickets/${k.id}/check`, { pass: true }) }, t("assess.pass")),
                          " ",
                          h("button", { type: "button", class: "secondary", onclick: () => { const note = prompt(t("assess.fail_prompt")); if (note) act(tout, "POST", `/assess/tickets/${k.id}/check`, { pass: false, note }); } }, t("assess.fail")),
                        ]
                      : null,
                  ),
              },
            ],
            tickets.data.rows,
          ),
    ),
  );
  if (findings.status === 200)
    view.append(
      h(
        "section",
        { class: "card", id: "findings" },
        h("h2", {}, t("assess.findings", { n: fmt(findings.data.rows.length), i: fmt(findings.data.inspections), v: fmt(findings.data.villages) })),
        table(
          null,
          [
            { key: "day", label: t("field.date") },
            { key: "village_name", label: t("field.village") },
            { key: "name", label: t("field.name") },
            { key: "method", label: t("assess.method"), render: (f) => t("assess.method_" + f.method) },
            { key: "rule_name", label: t("assess.rule") },
            { key: "text", label: t("assess.text") },
            { key: "ticket_status", label: t("field.status"), render: (f) => t("assess.ticket_" + f.ticket_status) },
          ],
          findings.data.rows,
        ),
      ),
    );
}

// ---- #/assess -------------------------------------------------------------------------------

function bulletinLinks(month) {
  // A county or above (unscoped accounts name the division through the API).
  if (["township", "cadre"].includes(me().role) || !me().scope) return null;
  const q = `month=${month}`;
  return h(
    "p",
    { class: "links" },
    h("a", { href: `/api/v1/assess/bulletin?${q}&format=html`, target: "_blank", rel: "noopener", id: "bulletin-link" }, t("assess.bulletin", { month })),
    " · ",
    h("a", { href: `/api/v1/assess/bulletin?${q}&format=pdf` }, "PDF"),
    " · ",
    h("a", { href: `/api/v1/assess/bulletin?${q}&format=xlsx` }, "XLSX"),
  );
}

const BANDS = [
  [0, 60],
  [60, 70],
  [70, 80],
  [80, 90],
  [90, 101],
];

async function townshipNames(rows) {
  const names = {};
  const counties = [...new Set(rows.map((r) => r.county))];
  await Promise.all(
    counties.map(async (c) => {
      const res = await api("GET", `/divisions?parent=${c}000000&per_page=500`);
      if (res.status === 200) for (const d of res.data.items || []) names[String(d.code).slice(0, 9)] = d.name;
    }),
  );
  return names;
}

// One ticket's history (GET /assess/tickets/:id), oldest first.
async function ticketHistory(id) {
  const res = await api("GET", `/assess/tickets/${id}`);
  if (res.status !== 200) return dialog(t("assess.history_of", { id }), message("err", errorText(res)));
  const k = res.data;
  dialog(
    t("assess.history_of", { id }),
    h(
      "div",
      { id: "ticket-history" },
      h("p", {}, `${k.village_name} · ${k.rule_name} · ${k.text} (${k.method_name}, ${k.inspectors}, ${k.found_on})`),
      table(
        null,
        [
          { key: "day", label: t("field.date") },
          { key: "action_name", label: t("assess.action") },
          { key: "actor", label: t("assess.actor") },
          { key: "note", label: t("assess.note") },
          { key: "evidence", label: t("assess.evidence") },
          { key: "at", label: t("assess.recorded_at") },
        ],
        k.history,
      ),
    ),
  );
}

function scoresSection(view, data) {
  const rows = data.rows;
  const comps = data.components;
  const mean = rows.length ? rows.reduce((s, r) => s + r.total, 0) / rows.length : 0;
  const showEvidence = (r) =>
    dialog(
      t("assess.evidence_of", { name: r.name }),
      table(
        null,
        [
          { key: "name", label: t("assess.component") },
          { key: "points", label: t("assess.points"), num: true, render: (p) => (p.counted ? p.points.toFixed(1) : "—") },
          { key: "evidence", label: t("assess.evidence") },
        ],
        comps.map((c) => r.parts[c.key]),
      ),
    );
  const sorted = rows.slice().sort((a, b) => a.total - b.total);
  const cols = [
    { key: "id_number", label: t("field.id_number") },
    { key: "name", label: t("field.name") },
    { key: "village_name", label: t("field.village") },
    { key: "unit", label: t("assess.unit") },
    { key: "total", label: t("assess.total"), num: true, render: (r) => r.total.toFixed(1) },
    ...comps.map((c) => ({ key: c.key, label: c.name, num: true, render: (r) => h("span", { title: r.parts[c.key].evidence }, r.parts[c.key].counted ? r.parts[c.key].points.toFixed(1) : "—") })),
    { key: "on_negative_list", label: t("assess.negative_short"), render: (r) => (r.on_negative_list ? h("span", { class: "tag bad" }, t("field.yes")) : "") },
    { key: "x", label: "", render: (r) => h("button", { type: "button", class: "secondary", onclick: () => showEvidence(r) }, t("assess.evidence")) },
  ];
  const chartEl = h("div", { class: "chart", id: "score-chart", role: "img", "aria-label": t("assess.chart_label") });
  const bandTable = h("div", { id: "score-bands" });
  view.append(
    h(
      "section",
      { class: "card", id: "scores" },
      h("h2", {}, t("assess.scores")),
      h("p", {}, t("assess.scores_summary", { n: fmt(rows.length), mean: mean.toFixed(1) })),
      h("p", { class: "hint" }, t("assess.scores_hint")),
      chartEl,
      bandTable,
      shortTable("score-table", t("assess.scores_caption"), cols, sorted),
    ),
  );
  // The spread by township: cadres per score band (no ranking of people).
  townshipNames(rows).then((names) => {
    const twps = [...new Set(rows.map((r) => r.township))].sort();
    const label = (c) => names[c] || c;
    const counts = BANDS.map(([lo, hi]) => twps.map((tw) => rows.filter((r) => r.township === tw && r.total >= lo && r.total < hi).length));
    const bandName = ([lo, hi]) => (hi > 100 ? `≥${lo}` : lo === 0 ? `<${hi}` : `${lo}–${hi}`);
    bandTable.replaceChildren(
      table(
        t("assess.bands_caption"),
        [{ key: "tw", label: t("assess.township") }, ...BANDS.map((b, i) => ({ key: "b" + i, label: bandName(b), num: true }))],
        twps.map((tw, j) => Object.fromEntries([["tw", label(tw)], ...BANDS.map((b, i) => ["b" + i, counts[i][j]])])),
      ),
    );
    loadECharts()
      .then((echarts) => {
        // On a phone the townships run down the side (their names slanted
        // across 300 px ran into each other and the legend).
        const narrow = chartEl.clientWidth < 480;
        if (narrow) chartEl.style.height = `${Math.max(220, 90 + twps.length * 26)}px`;
        const colors = ["#a61b1b", "#d9822b", "#c9b037", "#6a9f58", "#3b7b4a"];
        const towns = { type: "category", data: twps.map(label), ...(narrow ? { inverse: true } : { axisLabel: { rotate: 30 } }) };
        const people = { type: "value", name: t("assess.cadres"), minInterval: 1, ...(narrow ? { nameLocation: "middle", nameGap: 24 } : {}) };
        const chart = echarts.init(chartEl, null, { renderer: "svg" });
        chart.setOption({
          animation: false,
          tooltip: { trigger: "axis" },
          legend: { bottom: 0, left: 8, right: 8 },
          grid: narrow ? { left: 84, right: 16, top: 8, bottom: 84 } : { left: 40, right: 16, top: 32, bottom: 80 }, // room for the axis name 人数 above
          xAxis: narrow ? people : towns,
          yAxis: narrow ? towns : people,
          series: BANDS.map((b, i) => ({ name: bandName(b), type: "bar", stack: "n", itemStyle: { color: colors[i] }, data: counts[i] })),
        });
        document.body.dataset.charts = "1";
        new ResizeObserver(() => chart.resize()).observe(chartEl);
      })
      .catch(() => chartEl.replaceChildren(message("err", t("app.error"))));
  });
}

export function stepName(s) {
  return t("assess.step_" + s);
}

// The ladder's steps; `own` for the cadre's phone page (appeal only).
export function ladderTable(rows, sanctions, canDecide, out, own) {
  const cols = [
    own ? null : { key: "name", label: t("field.name") },
    own ? null : { key: "village_name", label: t("field.village") },
    { key: "step", label: t("assess.step"), render: (k) => stepName(k.step) },
    { key: "month", label: t("field.month") },
    { key: "months", label: t("assess.months_listed"), num: true },
    { key: "status", label: t("field.status"), render: (k) => h("span", { class: "tag " + (k.status === "appealed" ? "warn" : k.status === "confirmed" ? "bad" : "") }, t("assess.step_status_" + k.status)) },
    { key: "appeal", label: t("assess.appeal") },
    { key: "sanction", label: t("assess.sanction") },
    {
      key: "x",
      label: "",
      render: (k) => {
        if (own)
          return k.status === "proposed"
            ? h("button", { type: "button", class: "secondary appeal", onclick: () => { const reason = prompt(t("assess.appeal_prompt")); if (reason) act(out, "POST", `/assess/ladder/${k.id}/appeal`, { reason }); } }, t("assess.do_appeal"))
            : "";
        if (!canDecide || (k.status !== "proposed" && k.status !== "appealed")) return "";
        const sanc = k.step === "penalty" ? select("sanction", sanctions.map((s) => [s.name, s.name + (s.recall ? " (" + t("assess.recall") + ")" : "")]), sanctions.length ? sanctions[0].name : "") : null;
        if (sanc) sanc.setAttribute("aria-label", t("assess.sanction"));
        return h(
          "span",
          { class: "actions" },
          sanc,
          h(
            "button",
            {
              type: "button",
              class: "secondary confirm",
              onclick: () => {
                const body = sanc ? { sanction: sanc.value } : {};
                // An appeal is answered: confirming it says why it did not hold.
                if (k.status === "appealed") {
                  body.note = prompt(t("assess.answer_prompt", { appeal: k.appeal || "" }));
                  if (!body.note) return;
                }
                act(out, "POST", `/assess/ladder/${k.id}/confirm`, body);
              },
            },
            t("assess.confirm"),
          ),
          " ",
          h("button", { type: "button", class: "secondary withdraw", onclick: () => { const note = prompt(t("assess.withdraw_prompt")); if (note) act(out, "POST", `/assess/ladder/${k.id}/withdraw`, { note }); } }, t("assess.withdraw")),
        );
      },
    },
  ].filter(Boolean);
  return table(null, cols, rows);
}

function gradeDialog(row, year, out) {
  const grade = select("grade", ["优秀", "称职", "基本称职", "不称职"].map((g) => [g, g]), row.grade);
  const reason = h("textarea", { name: "reason", rows: 3, required: true });
  const msg = h("div", { "aria-live": "polite" });
  dialog(
    t("assess.calibrate_title", { name: row.name }),
    h(
      "form",
      {
        id: "grade-form",
        onsubmit: async (e) => {
          e.preventDefault();
          const res = await api("POST", "/assess/year/grades", { cadre: row.cadre, year: Number(year), grade: grade.value, reason: reason.value });
          if (res.status !== 200) return msg.replaceChildren(message("err", errorText(res)));
          document.getElementById("dialog").close();
          await refresh();
        },
      },
      h("p", {}, t("assess.calibrate_hint", { score: row.score.toFixed(1), proposed: row.proposed })),
      field(t("assess.grade"), grade),
      field(t("assess.reason"), reason),
      h("button", { type: "submit", class: "primary" }, t("assess.save")),
      msg,
    ),
  );
}

async function renderAssess(view, ctx) {
  const today = await serverNow();
  const month = ctx.query.get("month") || lastMonth(today);
  const year = ctx.query.get("year") || month.slice(0, 4);
  const go = (m, y) => (location.hash = `#/assess?month=${m}&year=${y}`);
  view.append(h("h1", {}, t("assess.title", { month })));
  view.append(h("form", { class: "filters" }, monthInput(month, (m) => go(m, year)), yearInput(year, (y) => go(month, y))));
  const links = bulletinLinks(month);
  if (links) view.append(links);
  const isCadre = me().role === "cadre";
  const quarter = month.slice(0, 4) + "-Q" + Math.ceil(Number(month.slice(5, 7)) / 3);
  const [scores, neg, ladder, grades, tasks, promotions, commendations] = await Promise.all([
    api("GET", "/assess/month?month=" + month),
    api("GET", "/assess/negative?month=" + month),
    api("GET", "/assess/ladder"),
    isCadre ? null : api("GET", "/assess/year?year=" + year),
    api("GET", "/assess/tasks?quarter=" + quarter),
    // The promotion list is a county's (or above): not asked below it.
    isCadre || me().role === "township" ? null : api("GET", "/assess/promotions?year=" + year),
    isCadre ? null : api("GET", "/assess/commendations?year=" + year),
  ]);
  if (scores.status !== 200) view.append(message("err", errorText(scores)));
  else {
    scoresSection(view, scores.data);
    if (!isCadre) view.append(h("p", { class: "exports" }, xlsxLink("/assess/month?month=" + month, t("assess.month_xlsx"))));
  }

  const out = h("div", { id: "assess-out", "aria-live": "polite" });
  view.append(out);
  // The teams' quarterly task lists (from the villages' needs and the
  // households' plans), done or not with the evidence.
  if (tasks.status === 200)
    view.append(
      h(
        "section",
        { class: "card", id: "tasks" },
        h("h2", {}, t("assess.tasks", { quarter, n: fmt(tasks.data.rows.length) })),
        decides() ? h("p", {}, h("button", { type: "button", class: "secondary", id: "tasks-derive", onclick: () => act(out, "GET", `/assess/tasks?quarter=${quarter}&generate=1`) }, t("assess.tasks_derive"))) : null,
        shortTable(
          "task-table",
          null,
          [
            { key: "village_name", label: t("field.village") },
            { key: "text", label: t("assess.task"), wide: true },
            { key: "due", label: t("assess.due") },
            { key: "status", label: t("assess.task_status"), render: (x) => h("span", { class: x.status === "overdue" ? "tag bad" : "" }, t("assess.task_" + x.status)) },
            { key: "evidence", label: t("assess.evidence") },
          ],
          tasks.data.rows,
        ),
      ),
    );
  // The negative list of the month as built; county staff build it from the
  // rules with the button (a visit reads it, it does not rebuild it).
  if (neg.status === 200)
    view.append(
      h(
        "section",
        { class: "card", id: "negative" },
        h("h2", {}, t("assess.negative", { month, n: fmt(neg.data.rows.length) })),
        decides()
          ? h("p", {},
              h("button", { type: "button", class: "secondary", id: "negative-build", onclick: () => act(out, "GET", `/assess/negative?month=${month}&build=1`) }, neg.data.rows.length ? t("assess.negative_rebuild") : t("assess.negative_build")),
              " ",
              h("span", { class: "hint" }, t("assess.negative_build_hint")))
          : null,
        table(
          null,
          [
            { key: "unit", label: t("assess.unit") },
            { key: "id_number", label: t("field.id_number") },
            { key: "name", label: t("field.name") },
            { key: "village_name", label: t("field.village") },
            { key: "rule", label: t("assess.item"), render: (n) => t("assess.neg_" + n.rule) },
            { key: "source", label: t("assess.source"), render: (n) => t("assess.source_" + n.source) },
            { key: "detail", label: t("field.detail") },
          ],
          neg.data.rows,
        ),
      ),
    );
  // The ladder: 先学习班、再约谈、后处理.
  if (ladder.status === 200) {
    const propose = decides()
      ? h("button", { type: "button", class: "secondary", id: "propose", onclick: () => act(out, "POST", "/assess/ladder/propose", { month }) }, t("assess.propose", { month }))
      : null;
    view.append(
      h(
        "section",
        { class: "card", id: "ladder" },
        h("h2", {}, t("assess.ladder")),
        h("p", { class: "hint" }, t("assess.ladder_hint")),
        propose,
        ladderTable(ladder.data.rows, ladder.data.sanctions, ladder.data.can_decide, out, isCadre),
      ),
    );
  }
  // Annual grades within the quota per county.
  if (grades && grades.status === 200) {
    const g = grades.data;
    const can = decides();
    view.append(
      h(
        "section",
        { class: "card", id: "grades" },
        h("h2", {}, t("assess.grades", { year })),
        table(
          t("assess.quota_caption", { pct: g.excellent_percent }),
          [
            { key: "county", label: t("assess.county") },
            { key: "cadres", label: t("assess.cadres"), num: true },
            { key: "excellent", label: t("assess.excellent"), num: true },
            { key: "quota", label: t("assess.quota"), num: true, render: (c) => h("span", { class: c.excellent > c.quota ? "tag bad" : "" }, fmt(c.quota)) },
          ],
          g.counties,
        ),
        // Calibration across townships (横向校准): each township's grades side by side.
        g.townships && g.townships.length
          ? h(
              "div",
              { id: "township-grades" },
              table(
                t("assess.townships_caption"),
                [
                  { key: "name", label: t("assess.township") },
                  { key: "cadres", label: t("assess.cadres"), num: true },
                  ...["优秀", "称职", "基本称职", "不称职"].map((gr, i) => ({ key: "g" + i, label: gr, num: true, render: (x) => fmt(x.grades[i]) + (x.proposed[i] !== x.grades[i] ? " (" + fmt(x.proposed[i]) + ")" : "") })),
                  { key: "share", label: t("assess.excellent_share"), num: true, render: (x) => (x.cadres ? ((100 * x.grades[0]) / x.cadres).toFixed(1) + "%" : "") },
                  { key: "mean", label: t("assess.score_year"), num: true, render: (x) => x.mean.toFixed(1) },
                  { key: "changes", label: t("assess.changes"), render: (x) => x.changes.map((c) => c.name + " " + c.proposed + "→" + c.grade + "：" + c.reason).join("；") },
                ],
                g.townships,
              ),
            )
          : null,
        can && g.rows.some((r) => !r.confirmed)
          ? h("button", { type: "button", class: "primary", id: "confirm-grades", onclick: () => act(out, "POST", "/assess/year/confirm", { year: Number(year) }) }, t("assess.confirm_grades", { year }))
          : null,
        shortTable(
          "grade-table",
          null,
          [
            { key: "id_number", label: t("field.id_number") },
            { key: "name", label: t("field.name") },
            { key: "village_name", label: t("field.village") },
            { key: "score", label: t("assess.score_year"), num: true, render: (r) => r.score.toFixed(1) },
            { key: "months", label: t("assess.months"), num: true },
            { key: "proposed", label: t("assess.proposed") },
            { key: "grade", label: t("assess.grade") },
            { key: "reason", label: t("assess.reason") },
            { key: "confirmed", label: t("assess.confirmed"), render: (r) => (r.confirmed ? t("field.yes") : "") },
            { key: "promote", label: t("assess.promote"), render: (r) => (r.promote ? t("field.yes") : "") },
            { key: "x", label: "", render: (r) => (can && !r.confirmed ? h("button", { type: "button", class: "secondary", onclick: () => gradeDialog(r, year, out) }, t("assess.calibrate")) : "") },
          ],
          g.rows,
        ),
      ),
    );
  } else if (grades) {
    view.append(h("section", { class: "card", id: "grades" }, h("h2", {}, t("assess.grades", { year })), message("info", errorText(grades))));
  }
  if (promotions && promotions.status === 200)
    promotionSection(view, year, promotions.data.rows, commendations && commendations.status === 200 ? commendations.data.rows : [], grades && grades.status === 200 ? grades.data.rows : [], today);
}

// 提拔重用: the promotion list with the evidence per name (the grade, each
// month's score, the commendations, the entries on the negative list), and
// for the county (and above) the form that records a commendation (表彰).
function promotionSection(view, year, rows, commended, cadres, today) {
  const months = (r) =>
    Object.keys(r.months)
      .map(Number)
      .sort((a, b) => a - b)
      .map((m) => t("assess.month_n", { m }) + " " + r.months[m].toFixed(1))
      .join("；");
  const card = h(
    "section",
    { class: "card", id: "promotions" },
    h("h2", {}, t("assess.promotions", { year, n: fmt(rows.length) })),
    h("p", { class: "hint" }, t("assess.promotions_hint")),
    h("p", { class: "exports" }, xlsxLink("/assess/promotions?year=" + year, t("assess.promotions_xlsx"))),
    rows.length
      ? shortTable(
          "promotion-table",
          null,
          [
            { key: "id_number", label: t("field.id_number") },
            { key: "name", label: t("field.name") },
            { key: "village_name", label: t("field.village") },
            { key: "unit", label: t("assess.unit") },
            { key: "grade", label: t("assess.grade"), render: (r) => r.grade + (r.confirmed ? "" : t("assess.unconfirmed")) },
            { key: "score", label: t("assess.score_year"), num: true, render: (r) => r.score.toFixed(1) },
            { key: "months", label: t("assess.month_scores"), render: months },
            { key: "commended", label: t("assess.commendations"), wide: true, render: (r) => r.commended || "—" },
            { key: "negative", label: t("assess.negative_count"), num: true, render: (r) => h("span", { class: r.negative ? "tag bad" : "" }, fmt(r.negative)) },
          ],
          rows,
        )
      : h("p", { id: "promotion-table" }, t("assess.promotions_none")),
  );
  view.append(card);
  // Every commendation of the year in the scope, on the list or not.
  card.append(
    h("h3", {}, t("assess.commendations_year", { year, n: fmt(commended.length) })),
    commended.length
      ? shortTable(
          "commendation-table",
          null,
          [
            { key: "date", label: t("field.date") },
            { key: "name", label: t("field.name") },
            { key: "village_name", label: t("field.village") },
            { key: "title", label: t("assess.commend_title") },
            { key: "reason", label: t("assess.commend_reason"), wide: true },
          ],
          commended,
          10,
        )
      : h("p", { id: "commendation-table" }, t("assess.commendations_none")),
  );
  if (!decides()) return;
  // The cadre is chosen among the year's assessed cadres of the scope; the
  // server checks that they were stationed in it on the day.
  const cadre = cadres.length
    ? select("cadre", cadres.map((r) => [String(r.cadre), `${r.name}（${r.village_name}）`]), String(cadres[0].cadre))
    : h("input", { name: "cadre", required: true, placeholder: t("assess.commend_cadre_ph") });
  const title = h("input", { name: "title", required: true, maxlength: 200 });
  const reason = h("textarea", { name: "reason", rows: 3, required: true });
  const day = h("input", { type: "date", name: "date", required: true, value: today.slice(0, 4) === String(year) ? today : `${year}-12-31` });
  const out = h("div", { id: "commend-out", "aria-live": "polite" });
  card.append(
    h("h3", {}, t("assess.commend")),
    h("p", { class: "hint" }, t("assess.commend_hint")),
    h(
      "form",
      {
        id: "commend-form",
        onsubmit: (e) => {
          e.preventDefault();
          const who = /^\d+$/.test(cadre.value) && cadre.value.length < 15 ? Number(cadre.value) : cadre.value.trim();
          act(out, "POST", "/assess/commendations", { cadre: who, year: Number(year), title: title.value, reason: reason.value, date: day.value }, [201]);
        },
      },
      field(t("assess.commend_cadre"), cadre),
      field(t("assess.commend_title"), title),
      field(t("assess.commend_reason"), reason),
      field(t("field.date"), day),
      h("button", { type: "submit", class: "primary" }, t("assess.commend_save")),
    ),
    out,
  );
}

// ---- #/funds ------------------------------------------------------------------------------------

async function renderFunds(view, ctx) {
  const year = ctx.query.get("year") || (await serverNow()).slice(0, 4);
  view.append(h("h1", {}, t("assess.funds_title", { year })));
  view.append(h("form", { class: "filters" }, yearInput(year, (y) => (location.hash = "#/funds?year=" + y))));
  const res = await api("GET", "/assess/funds?year=" + year);
  if (res.status !== 200) {
    view.append(message("err", errorText(res)));
    return;
  }
  const rows = res.data.rows;
  const sum = (k) => rows.reduce((s, r) => s + r[k], 0);
  view.append(
    h(
      "section",
      { class: "card", id: "funds" },
      h("p", {}, t("assess.funds_summary", { n: fmt(rows.length), alloc: yuan(sum("alloc_work_fen") + sum("alloc_industry_fen")), spent: yuan(sum("spent_work_fen") + sum("spent_industry_fen")), subsidy: yuan(sum("subsidy_fen")) })),
      h("p", { class: "exports" }, xlsxLink("/assess/funds?year=" + year, t("assess.funds_xlsx"))),
      table(
        t("assess.funds_caption"),
        [
          { key: "village_name", label: t("field.village") },
          { key: "village", label: t("assess.village_code") },
          { key: "secretary", label: t("assess.secretary") },
          { key: "aw", label: t("assess.alloc_work"), num: true, render: (r) => yuan(r.alloc_work_fen) },
          { key: "sw", label: t("assess.spent"), num: true, render: (r) => yuan(r.spent_work_fen) },
          { key: "lw", label: t("assess.left"), num: true, render: (r) => yuan(r.alloc_work_fen - r.spent_work_fen) },
          { key: "ai", label: t("assess.alloc_industry"), num: true, render: (r) => yuan(r.alloc_industry_fen) },
          { key: "si", label: t("assess.spent"), num: true, render: (r) => yuan(r.spent_industry_fen) },
          { key: "li", label: t("assess.left"), num: true, render: (r) => yuan(r.alloc_industry_fen - r.spent_industry_fen) },
          { key: "present_days", label: t("assess.present_days"), num: true },
          { key: "sub", label: t("assess.subsidy"), num: true, render: (r) => yuan(r.subsidy_fen) },
        ],
        rows,
      ),
    ),
  );
  if (!decides()) return;
  const village = select("village", rows.map((r) => [r.village, `${r.village_name} (${r.village})`]), rows.length ? rows[0].village : "");
  const kind = select("kind", [["work", t("assess.kind_work")], ["industry", t("assess.kind_industry")]], "work");
  const amount = h("input", { type: "number", name: "amount", min: "0.01", step: "0.01", required: true });
  const day = h("input", { type: "date", name: "date", required: true, value: `${year}-01-01` });
  const note = h("input", { name: "note", required: true });
  const out = h("div", { "aria-live": "polite" });
  view.append(
    h(
      "section",
      { class: "card" },
      h("h2", {}, t("assess.spending")),
      h(
        "form",
        {
          id: "fund-form",
          onsubmit: (e) => {
            e.preventDefault();
            act(out, "POST", "/assess/funds", { village: village.value, kind: kind.value, amount: Number(amount.value), date: day.value, note: note.value });
          },
        },
        field(t("field.village"), village),
        field(t("assess.kind"), kind),
        field(t("assess.amount"), amount),
        field(t("field.date"), day),
        field(t("assess.note"), note),
        h("button", { type: "submit", class: "primary" }, t("assess.save")),
      ),
      out,
    ),
  );
}

// The cadre's own steps with the appeal button (the phone page).
export async function ladderCard() {
  const res = await api("GET", "/assess/ladder").catch(() => null);
  if (!res || res.status !== 200 || !res.data.rows.length) return null;
  const out = h("div", { "aria-live": "polite" });
  return h("section", { class: "card", id: "my-ladder" }, h("h2", {}, t("assess.my_ladder")), h("p", { class: "hint" }, t("assess.my_ladder_hint")), out, ladderTable(res.data.rows, [], false, out, true));
}

// The cadre's own tickets with 整改 (the phone page): open or reopened ones
// take a report of the fix.
export async function ticketCard() {
  const res = await api("GET", "/assess/tickets").catch(() => null);
  if (!res || res.status !== 200 || !res.data.rows.length) return null;
  const out = h("div", { "aria-live": "polite" });
  const cols = [
    { key: "rule_name", label: t("assess.rule") },
    { key: "text", label: t("assess.text") },
    { key: "deadline", label: t("assess.deadline") },
    { key: "status", label: t("field.status"), render: (k) => t(k.overdue ? "assess.ticket_overdue" : "assess.ticket_" + k.status) },
    {
      key: "x",
      label: "",
      render: (k) =>
        k.status === "open" || k.status === "reopened"
          ? h("button", { type: "button", class: "secondary fix", onclick: () => { const text = prompt(t("assess.fix_prompt")); if (text) act(out, "POST", `/assess/tickets/${k.id}/fix`, { text }); } }, t("assess.fix"))
          : "",
    },
  ];
  return h("section", { class: "card", id: "my-tickets" }, h("h2", {}, t("assess.my_tickets")), out, table(null, cols, res.data.rows));
}

export async function render(view, ctx) {
  if (ctx.name === "inspect") return renderInspect(view, ctx);
  if (ctx.name === "funds") return renderFunds(view, ctx);
  return renderAssess(view, ctx);
}
