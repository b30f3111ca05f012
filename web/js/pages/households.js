// SPDX-License-Identifier: MIT
// households.js - the household card and the plans' review (一户一策).
//   #/household/ID  the card a cadre opens before a visit
//                   (GET /households/ID/card): the household, its members,
//                   causes, yearly statuses, plan with its measures and the
//                   five-level review chain, responsible cadre, last visits;
//                   the level awaited signs off or returns it here
//                   (POST /households/ID/review).
//                   Organisation staff (and the household's responsible
//                   cadre) change its causes and plan measures here, staff
//                   its responsible cadre (PUT /households/ID/causes, POST
//                   /households/ID/measures, PATCH|DELETE /aid/measures/M,
//                   POST /aid/measures/M/done, PUT /households/ID/cadre).
//   #/aid           what waits for a level's review (GET /aid/plans).
import { api, errorText, field, fmt, h, me, message, refresh, select, t, table } from "../app.js";

const LEVELS = [1, 2, 3, 4, 5];
const levelName = (n) => t("aidlevel." + n);
const money = (v) => (v === null || v === undefined ? "—" : fmt(v));

// Label and value pairs; a value is text or a node.
function kv(rows) {
  return h("dl", { class: "facts" }, rows.map(([k, v]) => [h("dt", {}, t(k)), h("dd", {}, v === null || v === undefined || v === "" ? "—" : v)]));
}

// The review form for the level the plan awaits.
function reviewForm(id, plan) {
  const reason = h("textarea", { name: "reason", rows: 2, maxlength: 1000 });
  const out = h("div", { "aria-live": "polite" });
  const send = async (decision) => {
    if (decision === "return" && !reason.value.trim()) {
      out.replaceChildren(message("err", t("review.reason_needed")));
      return;
    }
    const res = await api("POST", `/households/${encodeURIComponent(id)}/review`, { level: plan.next_level, decision, reason: reason.value.trim() });
    if (res.status !== 200) {
      out.replaceChildren(message("err", errorText(res)));
      return;
    }
    refresh();
  };
  return h(
    "form",
    { class: "review", onsubmit: (e) => e.preventDefault() },
    h("p", {}, t("hhcard.awaiting", { level: levelName(plan.next_level) })),
    field(t("review.reason"), reason),
    h("div", { class: "actions" },
      h("button", { type: "button", onclick: () => send("approve") }, t("review.submit_approve")),
      plan.next_level > 1 ? h("button", { type: "button", class: "secondary", onclick: () => send("return") }, t("review.submit_return")) : null),
    out,
  );
}

// The chain of the current version: each level signed, awaited or still ahead.
function chain(plan) {
  const mine = plan.reviews.filter((r) => r.version === plan.version);
  return h(
    "ol",
    { class: "chain" },
    LEVELS.map((n) => {
      const last = mine.filter((r) => r.level === n).pop();
      let state = "ahead";
      if (plan.status === "approved" || n < plan.next_level) state = "signed";
      else if (n === plan.next_level) state = "awaited";
      return h("li", { class: "chain-" + state }, levelName(n), " · ", t("chain." + state), last && last.decision === "return" ? " (" + t("review.return") + ": " + last.reason + ")" : "");
    }),
  );
}

const KINDS = ["产业", "就业", "教育", "健康", "易地搬迁", "危房改造", "生态", "兜底保障", "金融", "其他"];
const writes = () => me() && !["inspector", "auditor"].includes(me().role);
const staff = () => me() && !["inspector", "auditor", "cadre"].includes(me().role);

// Send a write and redraw the card, or show why it was refused in `out`.
async function write(out, method, path, body, want = 200) {
  const res = await api(method, path, body);
  if (res.status === want || res.status === 200) refresh();
  else out.replaceChildren(message("err", errorText(res)));
}

function causesForm(id, causes) {
  const input = h("input", { type: "text", name: "causes", value: causes || "", autocomplete: "off" });
  const out = h("div", { "aria-live": "polite" });
  return h(
    "form",
    { class: "filters", id: "hh-causes-form", onsubmit: (e) => { e.preventDefault(); write(out, "PUT", `/households/${encodeURIComponent(id)}/causes`, { causes: input.value.trim() }); } },
    field(t("hhedit.causes"), input),
    h("button", { type: "submit", class: "secondary" }, t("hhedit.causes_save")),
    out,
  );
}

function measureForm(id) {
  const kind = select("kind", KINDS.map((k) => [k, k]), "产业");
  const what = h("input", { type: "text", name: "what", required: true, maxlength: 1000, autocomplete: "off" });
  const amount = h("input", { type: "number", name: "amount", min: 0, step: "0.01" });
  const by = h("input", { type: "text", name: "by", autocomplete: "off" });
  const due = h("input", { type: "date", name: "due" });
  const out = h("div", { "aria-live": "polite" });
  return h("div", {}, h("h3", {}, t("hhedit.add_measure")), h(
    "form",
    {
      class: "filters",
      id: "hh-measure-form",
      onsubmit: (e) => {
        e.preventDefault();
        const body = { kind: kind.value, what: what.value.trim() };
        if (amount.value !== "") body.amount = Number(amount.value);
        if (by.value.trim()) body.by = by.value.trim();
        if (due.value) body.due = due.value;
        write(out, "POST", `/households/${encodeURIComponent(id)}/measures`, body, 201);
      },
    },
    field(t("measure.kind"), kind),
    field(t("measure.what"), what),
    field(t("measure.amount"), amount),
    field(t("measure.who"), by),
    field(t("measure.due"), due),
    h("button", { type: "submit", class: "primary" }, t("hhedit.add")),
  ), out);
}

function measureActions(m, out) {
  return h(
    "span",
    { class: "actions" },
    h("button", { type: "button", class: "secondary", "data-done": m.id, onclick: () => write(out, "POST", `/aid/measures/${m.id}/done`, { done: m.status !== "done" }) }, m.status === "done" ? t("hhedit.reopen") : t("hhedit.done")),
    " ",
    h("button", { type: "button", class: "secondary", "data-remove": m.id, onclick: () => { if (confirm(t("hhedit.remove_confirm", { what: m.description }))) write(out, "DELETE", `/aid/measures/${m.id}`); } }, t("hhedit.remove")),
  );
}

function cadreForm(id) {
  const input = h("input", { type: "text", name: "cadre", maxlength: 18, autocomplete: "off", placeholder: t("hhedit.cadre_hint") });
  const out = h("div", { "aria-live": "polite" });
  return h(
    "form",
    { class: "filters", id: "hh-cadre-form", onsubmit: (e) => { e.preventDefault(); write(out, "PUT", `/households/${encodeURIComponent(id)}/cadre`, { cadre: input.value.trim().toUpperCase() }); } },
    field(t("hhedit.cadre"), input),
    h("button", { type: "submit", class: "secondary" }, t("hhedit.cadre_save")),
    out,
  );
}

async function renderCard(view, id) {
  const res = await api("GET", `/households/${encodeURIComponent(id)}/card`);
  view.append(h("h1", {}, t("hhcard.title", { id })));
  if (res.status !== 200) {
    view.append(message("err", errorText(res)));
    return;
  }
  const d = res.data;
  const hh = d.household;
  view.append(
    h("section", { class: "card" },
      kv([
        ["hhcard.village", h("a", { href: "#/village/" + hh.village }, hh.village)],
        ["hhcard.members", fmt(hh.members)],
        ["hhcard.causes", d.causes],
        ["hhcard.status", t("hhstatus." + hh.status)],
        ["hhcard.year", hh.poverty_year || null],
        ["hhcard.income", money(hh.income)],
        ["hhcard.head", hh.head_id_number],
      ]),
      writes() ? causesForm(id, d.causes) : null),
  );
  view.append(
    h("section", { class: "card", id: "hh-members" }, h("h2", {}, t("hhcard.members_title")),
      table(null, [
        { key: "name", label: t("member.name") },
        { key: "relation", label: t("member.relation") },
        { key: "gender", label: t("member.gender") },
        { key: "birth", label: t("member.birth") },
        { key: "health", label: t("member.health") },
        { key: "work_ability", label: t("member.work") },
        { key: "student", label: t("member.student"), render: (m) => m.student || "—" },
        { key: "id_number", label: t("member.id") },
      ], d.members_list)),
  );
  const resp = d.responsible;
  view.append(
    h("section", { class: "card", id: "hh-responsible" }, h("h2", {}, t("hhcard.responsible")),
      resp
        ? h("p", {}, t("resp.line", { name: resp.name, unit: resp.unit, basis: t(resp.basis === "team" ? "resp.basis_team" : "resp.basis_unit"), since: resp.since, n: resp.households }))
        : message("warn", t("hhcard.no_responsible")),
      staff() ? cadreForm(id) : null),
  );
  const plan = d.plan;
  const planSec = h("section", { class: "card", id: "hh-plan" }, h("h2", {}, t("hhcard.plan")));
  const mout = h("div", { "aria-live": "polite" });
  if (!plan) planSec.append(h("p", {}, t("hhcard.no_plan")));
  else {
    planSec.append(
      h("p", { class: plan.status === "approved" ? "ok" : "warn" }, t("hhcard.plan_line", { v: plan.version, status: plan.status_name })),
      table(null, [
        { key: "kind", label: t("measure.kind") },
        { key: "description", label: t("measure.what") },
        { key: "amount", label: t("measure.amount"), num: true, render: (m) => money(m.amount) },
        { key: "responsible", label: t("measure.who"), render: (m) => m.responsible || "—" },
        { key: "due", label: t("measure.due"), render: (m) => m.due || "—" },
        { key: "status", label: t("measure.status"), render: (m) => (m.status === "done" ? t("measure.done") + " " + m.done : h("span", { class: "warn" }, t("measure.open"))) },
        ...(writes() ? [{ key: "x", label: "", render: (m) => measureActions(m, mout) }] : []),
      ], plan.measures),
      mout,
      h("h3", {}, t("hhcard.reviews")),
      chain(plan),
    );
    if (plan.status !== "approved") planSec.append(reviewForm(id, plan));
    if (plan.reviews.length)
      planSec.append(
        table(t("hhcard.review_log"), [
          { key: "version", label: t("review.version"), num: true, render: (r) => String(r.version) },
          { key: "level", label: t("review.level"), render: (r) => levelName(r.level) },
          { key: "decision", label: t("review.decision"), render: (r) => t(r.decision === "approve" ? "review.approve" : "review.return") },
          { key: "reason", label: t("review.reason"), render: (r) => r.reason || "—" },
          { key: "reviewer", label: t("review.by") },
          { key: "at", label: t("review.at") },
        ], plan.reviews),
      );
  }
  if (writes()) planSec.append(measureForm(id));
  view.append(planSec);
  view.append(
    h("section", { class: "card", id: "hh-statuses" }, h("h2", {}, t("hhcard.statuses")),
      table(null, [
        { key: "year", label: t("status.year"), render: (s) => String(s.year) },
        { key: "status", label: t("status.status"), render: (s) => t("ostatus." + s.status) },
        { key: "income", label: t("status.income"), num: true, render: (s) => money(s.income) },
        { key: "checks", label: t("status.checks"), render: (s) => Object.entries(s.checks).filter(([, v]) => v === false).map(([k]) => k).join("、") || (Object.values(s.checks).every((v) => v === true) ? t("status.all_met") : "—") },
      ], d.statuses)),
  );
  view.append(
    h("section", { class: "card", id: "hh-visits" }, h("h2", {}, t("hhcard.visits")),
      table(null, [
        { key: "day", label: t("visit.day") },
        { key: "name", label: t("visit.by") },
        { key: "text", label: t("visit.text") },
      ], d.visits)),
  );
}

async function renderPlans(view, query) {
  const waiting = query.get("waiting") || "";
  const res = await api("GET", "/aid/plans" + (waiting ? "?waiting=" + encodeURIComponent(waiting) : ""));
  const pick = select("waiting", [["", t("aid.all")], ...LEVELS.map((n) => [String(n), levelName(n)])], waiting);
  pick.addEventListener("change", () => (location.hash = "#/aid" + (pick.value ? "?waiting=" + pick.value : "")));
  view.append(h("h1", {}, t("aid.title")), h("form", { class: "filters" }, field(t("aid.waiting"), pick)));
  if (res.status !== 200) {
    view.append(message("err", errorText(res)));
    return;
  }
  // A county holds thousands of plans: those waiting for a review first, the
  // first SHOWN of them drawn (all of them a click away), not ten thousand
  // rows to scroll through.
  const plans = res.data.plans.slice().sort((a, b) => (a.status === "approved") - (b.status === "approved"));
  const SHOWN = 200;
  const cols = [
        { key: "household", label: t("aid.household"), render: (p) => h("a", { href: "#/household/" + encodeURIComponent(p.household) }, p.household) },
        { key: "village_name", label: t("aid.village"), render: (p) => h("a", { href: "#/village/" + p.village }, p.village_name || p.village) },
        { key: "version", label: t("aid.version"), num: true },
        { key: "status_name", label: t("aid.status") },
        { key: "next_level", label: t("aid.next"), render: (p) => (p.status === "approved" ? "—" : levelName(p.next_level)) },
        { key: "measures", label: t("aid.measures"), num: true },
        { key: "open", label: t("aid.open"), num: true },
        { key: "cadre", label: t("aid.cadre"), render: (p) => p.cadre || "—" },
  ];
  const holder = h("div", { id: "aid-plans" }, table(t("aid.caption", { n: fmt(plans.length) }), cols, plans.slice(0, SHOWN)));
  const more =
    plans.length > SHOWN
      ? h("p", {}, t("aid.more", { shown: fmt(SHOWN), n: fmt(plans.length) }), " ",
          h("button", { type: "button", class: "secondary", id: "aid-all", onclick: () => { holder.replaceChildren(table(t("aid.caption", { n: fmt(plans.length) }), cols, plans)); more.remove(); } }, t("aid.show_all")))
      : null;
  view.append(h("section", { class: "card" }, holder, more));
}

export async function render(view, r) {
  if (r.name === "household" && r.parts[1]) return renderCard(view, decodeURIComponent(r.parts[1]));
  return renderPlans(view, r.query);
}
