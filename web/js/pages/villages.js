// SPDX-License-Identifier: MIT
// villages.js - the village ledger (村情台账): a list filtered on the server
// (county, township, poverty class, 软/穷/乱/弱, a skill needed, poor villages
// whose team is incomplete) and paged by the API; and one village's page
// with its ledger, needs, the team serving, earlier cadres, recalls and
// its registered poor households.
import { api, asOf, asOfForm, errorText, field, fmt, go, h, me, message, pager, select, t, table, xlsxLink } from "../app.js";

const STATES = ["soft", "poor", "disorderly", "weak"];

export function tags(v) {
  return [
    h("span", { class: "tag " + v.poverty }, t("poverty." + v.poverty)),
    ...(v.states || []).map((s) => h("span", { class: "tag", title: t("state." + s) }, t("state." + s))),
  ];
}

let skillsCache = null;
async function skills() {
  if (!skillsCache) {
    const r = await api("GET", "/skills");
    skillsCache = r.status === 200 ? r.data.items : [];
  }
  return skillsCache;
}

export function skillName(code, list, zh) {
  const s = (list || []).find((x) => x.code === code);
  return s ? (zh ? s.name_zh : s.name_en) : code;
}

async function renderList(view, q) {
  const page = Number(q.get("page") || 1);
  const sk = await skills();
  const zh = document.documentElement.lang === "zh-CN";
  const f = {
    county: h("input", { type: "text", name: "county", inputmode: "numeric", value: q.get("county") || "", size: 8 }),
    township: h("input", { type: "text", name: "township", inputmode: "numeric", value: q.get("township") || "", size: 10 }),
    q: h("input", { type: "text", name: "q", value: q.get("q") || "" }),
    poverty: select("poverty", [["", t("filter.any")], ["deep", t("poverty.deep")], ["poor", t("poverty.poor")], ["none", t("poverty.none")]], q.get("poverty")),
    state: select("state", [["", t("filter.any")], ...STATES.map((s) => [s, t("state." + s)])], q.get("state")),
    need: select("need", [["", t("filter.any")], ...sk.map((s) => [s.code, zh ? s.name_zh : s.name_en])], q.get("need")),
    unmet: h("input", { type: "checkbox", name: "unmet", value: "1", checked: q.get("unmet") === "1" }),
  };
  const form = h(
    "form",
    {
      class: "filters card",
      role: "search",
      onsubmit: (e) => {
        e.preventDefault();
        go("/villages", {
          county: f.county.value.trim(),
          township: f.township.value.trim(),
          q: f.q.value.trim(),
          poverty: f.poverty.value,
          state: f.state.value,
          need: f.need.value,
          unmet: f.unmet.checked ? "1" : "",
          division: q.get("division") || "",
        });
      },
    },
    field(t("filter.q"), f.q),
    field(t("filter.county"), f.county),
    field(t("filter.township"), f.township),
    field(t("filter.poverty"), f.poverty),
    field(t("filter.state"), f.state),
    field(t("filter.need"), f.need),
    field(t("filter.unmet"), f.unmet, "check"),
    h("button", { type: "submit", class: "primary" }, t("filter.apply")),
    h("button", { type: "button", class: "secondary", onclick: () => go("/villages") }, t("filter.reset")),
  );
  view.append(h("h1", {}, t("village.title")), form);
  const params = new URLSearchParams();
  for (const k of ["county", "township", "division", "q", "poverty", "state", "need", "unmet"]) if (q.get(k)) params.set(k, q.get(k));
  params.set("page", page);
  params.set("per_page", 25);
  const res = await api("GET", "/villages?" + params);
  if (res.status !== 200) {
    view.append(message("err", errorText(res)));
    return;
  }
  const d = res.data;
  const cols = [
    { key: "name", label: t("village.name"), nowrap: true, render: (v) => h("a", { href: "#/village/" + v.code }, v.name) },
    { key: "code", label: t("village.code"), render: (v) => String(v.code) },
    { key: "poverty", label: t("village.poverty"), nowrap: true, render: (v) => tags(v) },
    { key: "hamlets", label: t("village.hamlets"), num: true },
    { key: "population", label: t("village.population"), num: true },
    { key: "poor_households", label: t("village.poor_households"), num: true },
    { key: "needs", label: t("village.needs"), render: (v) => v.needs.map((n) => skillName(n, sk, zh)).join("、") || "—" },
  ];
  const go2 = (p) => {
    const qq = Object.fromEntries(q.entries());
    qq.page = p;
    go("/villages", qq);
  };
  view.append(h("section", { class: "card" }, table(null, cols, d.items), pager(d.total, d.page, d.per_page, go2)));
}

async function renderOne(view, code, q) {
  const dq = q.get("date") ? "?date=" + encodeURIComponent(q.get("date")) : "";
  const [vr, tr, sk] = await Promise.all([api("GET", "/villages/" + code), api("GET", "/villages/" + code + "/team" + dq), skills()]);
  if (vr.status !== 200) {
    view.append(h("h1", {}, t("village.title")), message("err", errorText(vr)));
    return;
  }
  const v = vr.data;
  const zh = document.documentElement.lang === "zh-CN";
  const facts = [
    ["village.code", String(v.code)],
    ["village.poverty", tags(v)],
    ["village.hamlets", fmt(v.hamlets)],
    ["village.population", fmt(v.population)],
    ["village.households", fmt(v.households)],
    ["village.poor_households", fmt(v.poor_households)],
    ["village.poor_population", fmt(v.poor_population)],
    ["village.needs", v.needs.map((n) => skillName(n, sk, zh)).join("、") || "—"],
    ["village.industries", (v.industries || "").split(";").filter(Boolean).join("、") || "—"],
    ["village.position", v.lat ? `${v.lat.toFixed(5)}°N ${v.lng.toFixed(5)}°E (${v.datum || ""})` : "—"],
    // The unit's name where the registry knows it (the code alone told a county nothing).
    ["village.paired_unit", v.paired_unit_name ? [v.paired_unit_name, h("span", { class: "nowrap" }, `（${v.paired_unit}）`)] : v.paired_unit || "—"],
  ];
  view.append(
    h("h1", {}, v.name, v.demo ? h("span", { class: "tag", style: "margin-left:.5em;font-size:.6em" }, t("app.demo")) : null),
    h("section", { class: "card" }, h("h2", {}, t("village.ledger")), h("dl", { class: "facts" }, facts.map(([k, val]) => [h("dt", {}, t(k)), h("dd", {}, val)]))),
  );
  if (tr.status !== 200) {
    view.append(message("err", errorText(tr)));
    return;
  }
  const team = tr.data;
  const roleName = (r) => t("prole." + r.role);
  const teamCols = [
    { key: "role", label: t("team.role"), nowrap: true, render: roleName },
    { key: "name", label: t("team.name"), nowrap: true, render: (r) => h("a", { href: "#/cadre/" + r.cadre }, r.name) },
    { key: "unit_name", label: t("team.unit"), wide: true },
    { key: "category", label: t("team.category") },
    // A posting published to start later is not serving yet on the day shown.
    { key: "start", label: t("team.start"), render: (r) => (r.start && r.start > asOf(q) ? [r.start, " ", h("span", { class: "tag poor" }, t("team.to_arrive"))] : r.start || "—") },
    { key: "term_end", label: t("team.term_end") },
    { key: "order", label: t("team.order") },
  ];
  view.append(
    h(
      "section",
      { class: "card", id: "team" },
      h("h2", {}, t("village.team"), " ", h("span", { class: "note" }, t("app.asof", { date: team.as_of || asOf(q) }))),
      h("div", { class: "toolbar" }, me() && me().role !== "cadre" ? asOfForm("/village/" + code, q) : null, h("p", { class: "exports" }, xlsxLink(`/villages/${code}/team${dq}`, t("village.team_xlsx")))),
      team.team.length ? table(null, teamCols, team.team) : h("p", {}, t("village.no_team")),
    ),
  );
  if (team.history.length)
    view.append(h("section", { class: "card" }, h("h2", {}, t("village.history")), table(null, [...teamCols.slice(0, 5), { key: "end", label: t("team.end") }], team.history)));
  if (team.recalls.length)
    view.append(
      h(
        "section",
        { class: "card" },
        h("h2", {}, t("village.recalls")),
        table(null, [
          { key: "name", label: t("team.name") },
          { key: "role", label: t("team.role"), render: (r) => (r.role ? t("prole." + r.role) : "—") },
          { key: "date", label: t("team.end") },
          { key: "reason", label: t("plan.reason") },
        ], team.recalls),
      ),
    );
  view.append(
    h(
      "section",
      { class: "card" },
      h("h2", {}, t("village.hh")),
      table(null, [
        { key: "status", label: t("hh.status"), render: (r) => t("hhstatus." + r.status) },
        { key: "households", label: t("hh.count"), num: true },
        { key: "members", label: t("hh.members"), num: true },
      ], team.households),
    ),
  );
  // The village's registered poor households, each linking to its card.
  const hl = await api("GET", "/households?per_page=500&village=" + code);
  if (hl.status === 200)
    view.append(
      h(
        "section",
        { class: "card", id: "village-households" },
        h("h2", {}, t("village.hh_list")),
        table(null, [
          { key: "id", label: t("aid.household"), nowrap: true, render: (x) => h("a", { href: "#/household/" + encodeURIComponent(x.id) }, x.id) },
          { key: "members", label: t("hh.members"), num: true },
          { key: "cause", label: t("hhcard.cause") },
          { key: "status", label: t("hh.status"), render: (x) => t("hhstatus." + x.status) },
          { key: "poverty_year", label: t("hhcard.year"), render: (x) => (x.poverty_year ? String(x.poverty_year) : "—") },
        ], hl.data.items),
      ),
    );
  // The team's diary entries and visits: the same records as the diary and
  // the month's figures, typed once on the phone.
  const ent = await api("GET", "/field/entries?limit=30&village=" + code);
  if (ent.status === 200)
    view.append(
      h(
        "section",
        { class: "card", id: "village-entries" },
        h("h2", {}, t("village.entries")),
        table(null, [
          { key: "day", label: t("field.date"), nowrap: true },
          { key: "kind", label: t("field.kind"), nowrap: true, render: (e) => t(e.kind === "visit" ? "field.visit" : "field.diary") },
          { key: "name", label: t("team.name"), nowrap: true },
          { key: "household", label: t("field.household"), nowrap: true, render: (e) => e.household || "—" },
          { key: "text", label: t("field.text"), wide: true },
        ], ent.data.entries),
      ),
    );
}

export async function render(view, r) {
  if (r.name === "village" && r.parts[1]) return renderOne(view, r.parts[1], r.query);
  return renderList(view, r.query);
}
