// SPDX-License-Identifier: MIT
// cadres.js - the cadres: a list filtered and paged on the server, and one
// cadre's page with the record, eligibility under the default policy with
// every reason that fails, annual grades, discipline, postings and term.
// A cadre account lands on its own page ("me"): the server lets it see
// only its own record, so the first row of the list is that record.
import { api, errorText, field, fmt, go, h, message, pager, policyLabel, t, table } from "../app.js";
import { skillName } from "./villages.js";

async function renderList(view, q) {
  const page = Number(q.get("page") || 1);
  const f = {
    q: h("input", { type: "text", name: "q", value: q.get("q") || "" }),
    county: h("input", { type: "text", name: "county", inputmode: "numeric", value: q.get("county") || "", size: 8 }),
    unit: h("input", { type: "text", name: "unit", value: q.get("unit") || "", size: 10 }),
  };
  view.append(
    h("h1", {}, t("cadre.title")),
    h(
      "form",
      {
        class: "filters card",
        role: "search",
        onsubmit: (e) => {
          e.preventDefault();
          go("/cadres", { q: f.q.value.trim(), county: f.county.value.trim(), unit: f.unit.value.trim() });
        },
      },
      field(t("filter.q"), f.q),
      field(t("filter.county"), f.county),
      field(t("filter.unit"), f.unit),
      h("button", { type: "submit", class: "primary" }, t("filter.apply")),
      h("button", { type: "button", class: "secondary", onclick: () => go("/cadres") }, t("filter.reset")),
    ),
  );
  const params = new URLSearchParams();
  for (const k of ["q", "county", "unit"]) if (q.get(k)) params.set(k, q.get(k));
  params.set("page", page);
  params.set("per_page", 25);
  const res = await api("GET", "/cadres?" + params);
  if (res.status !== 200) {
    view.append(message("err", errorText(res)));
    return;
  }
  const d = res.data;
  const cols = [
    { key: "name", label: t("cadre.name"), nowrap: true, render: (c) => h("a", { href: "#/cadre/" + c.id }, c.name) },
    { key: "unit_name", label: t("cadre.unit") },
    { key: "rank", label: t("cadre.rank") },
    { key: "education", label: t("cadre.education") },
    { key: "gender", label: t("cadre.gender") },
    { key: "birth_date", label: t("cadre.birth_date") },
    { key: "party_member", label: t("cadre.party_member"), render: (c) => (c.party_member ? t("yes") : t("no")) },
  ];
  const go2 = (p) => go("/cadres", { ...Object.fromEntries(q.entries()), page: p });
  view.append(h("section", { class: "card" }, table(null, cols, d.items), pager(d.total, d.page, d.per_page, go2)));
}

async function renderOne(view, id, mine) {
  const [cr, pr, sr] = await Promise.all([api("GET", "/cadres/" + id), api("GET", "/cadres/" + id + "/profile"), api("GET", "/skills")]);
  if (cr.status !== 200) {
    view.append(h("h1", {}, t(mine ? "me.title" : "cadre.title")), message("err", errorText(cr)));
    return;
  }
  const c = cr.data;
  const sk = sr.status === 200 ? sr.data.items : [];
  const zh = document.documentElement.lang === "zh-CN";
  const yn = (b) => (b ? t("yes") : t("no"));
  const facts = [
    ["cadre.id_number", c.id_number],
    ["cadre.unit", c.unit_name || c.unit],
    ["cadre.rank", c.rank],
    ["cadre.education", c.education || "—"],
    ["cadre.gender", c.gender || "—"],
    ["cadre.birth_date", c.birth_date || "—"],
    ["cadre.party_member", yn(c.party_member)],
    ["cadre.reserve", yn(c.reserve)],
    ["cadre.volunteer", yn(c.volunteer)],
    ["cadre.service_years", fmt(c.service_years)],
    ["cadre.rural_years", fmt(c.rural_years)],
    ["cadre.skills", c.skills.map((s) => skillName(s, sk, zh)).join("、") || "—"],
  ];
  view.append(
    h("h1", {}, mine ? t("me.title") + " · " : "", c.name, c.demo ? h("span", { class: "tag", style: "margin-left:.5em;font-size:.6em" }, t("app.demo")) : null),
    h("section", { class: "card" }, h("dl", { class: "facts" }, facts.map(([k, v]) => [h("dt", {}, t(k)), h("dd", {}, v)]))),
  );
  if (pr.status !== 200) {
    view.append(message("err", errorText(pr)));
    return;
  }
  const p = pr.data;
  const el = p.eligibility;
  const policy = await policyLabel(el.policy);
  view.append(
    h(
      "section",
      { class: "card", id: "eligibility" },
      h("h2", {}, t("cadre.eligibility")),
      h("p", {}, h("span", { class: "tag " + (el.eligible ? "ok" : "bad") }, el.eligible ? t("cadre.eligible") : t("cadre.not_eligible")), " ", t("cadre.policy"), ": ", h("span", { title: el.policy }, policy), el.age >= 0 ? ` · ${t("cadre.age")} ${el.age}` : ""),
      el.reasons.length ? h("ul", {}, el.reasons.map((r) => h("li", {}, zh ? r.zh : r.en))) : null,
    ),
  );
  view.append(
    h(
      "div",
      { class: "grid" },
      h("section", { class: "card" }, h("h2", {}, t("cadre.grades")), table(null, [{ key: "year", label: "", render: (g) => String(g.year) }, { key: "grade", label: "" }], p.grades)),
      h(
        "section",
        { class: "card" },
        h("h2", {}, t("cadre.discipline")),
        p.discipline.length ? table(null, [{ key: "year", label: "", render: (g) => String(g.year) }, { key: "kind", label: "" }], p.discipline) : h("p", {}, t("cadre.none")),
      ),
    ),
  );
  view.append(
    h(
      "section",
      { class: "card", style: "margin-top:1em" },
      h("h2", {}, t("cadre.postings")),
      table(null, [
        { key: "village_name", label: t("cadre.village"), render: (r) => h("a", { href: "#/village/" + r.village }, r.village_name || String(r.village)) },
        { key: "role", label: t("team.role"), render: (r) => t("prole." + r.role) },
        { key: "start", label: t("team.start") },
        { key: "end", label: t("team.end"), render: (r) => r.end || t("cadre.serving") },
        { key: "term_years", label: t("cadre.term_years"), num: true },
        { key: "term_end", label: t("team.term_end") },
        { key: "order", label: t("team.order") },
      ], p.postings),
    ),
  );
}

export async function render(view, r) {
  if (r.name === "me") {
    const res = await api("GET", "/cadres?per_page=1");
    if (res.status !== 200 || !res.data.items.length) {
      view.append(h("h1", {}, t("me.title")), message("err", errorText(res)));
      return;
    }
    return renderOne(view, res.data.items[0].id, true);
  }
  if (r.name === "cadre" && r.parts[1]) return renderOne(view, r.parts[1], false);
  return renderList(view, r.query);
}
