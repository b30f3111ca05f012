// SPDX-License-Identifier: MIT
// dispatch.js - the matching (派): run it for a scope with the default
// policy or a policy file chosen on this computer, see the summary, browse
// a plan by village, by cadre or the cadres not sent, read the explanation
// of any assignment or unfilled slot, publish the dispatch order, recall a
// serving cadre (召回撤换) and refill the vacancies without moving anyone,
// rotate (轮换) or extend (不脱贫不脱钩) a published term, discard a draft
// (放弃草案); direct nomination (点将) and 包村 (pins.js); the posts above
// the village (挂职, #/posts) with who holds them.
import { api, dialog, errorText, field, fmt, go, h, isStaff, me, message, pager, pct, refresh, select, t, table, xlsxLink } from "../app.js";
import { pinCards } from "./pins.js";
import { skillName } from "./villages.js";

// "department=30;distance=-2" -> [["department", 30], ...] in words.
function breakdown(s) {
  return (s || "")
    .split(";")
    .filter(Boolean)
    .map((kv) => {
      const [k, v] = kv.split("=");
      return `${t("term." + k)} ${Number(v) > 0 ? "+" : ""}${v}`;
    })
    .join("；");
}

function roleText(slot, skills, zh) {
  const r = t("prole." + slot.role);
  return slot.need ? `${r}（${skillName(slot.need, skills, zh)}）` : r;
}

let skillList = null;
async function skills() {
  if (!skillList) {
    const r = await api("GET", "/skills");
    skillList = r.status === 200 ? r.data.items : [];
  }
  return skillList;
}

// The explanation of one village's slots in a plan, in a dialog.
async function explainVillage(plan, code, name) {
  const [res, sk] = await Promise.all([api("GET", `/plans/${plan}/explain?village=${code}`), skills()]);
  const zh = document.documentElement.lang === "zh-CN";
  let body;
  if (res.status !== 200) {
    body = message("err", errorText(res));
  } else {
    body = table(null, [
      { key: "seq", label: t("plan.seq"), num: true },
      { key: "role", label: t("plan.role"), nowrap: true, render: (s) => roleText(s, sk, zh) },
      { key: "name", label: t("plan.cadre"), nowrap: true, render: (s) => (s.filled ? s.name : h("span", { class: "tag bad" }, t("plan.vacant"))) },
      { key: "score", label: t("plan.score"), num: true, render: (s) => (s.filled ? String(s.score) : "—") },
      {
        key: "breakdown",
        wide: true,
        label: t("plan.breakdown") + " / " + t("plan.why_unfilled"),
        render: (s) =>
          s.filled ? breakdown(s.breakdown) : [s.reason, s.why].includes("recalled") ? t("plan.reason_recalled") : s.reason_text || s.reason_zh || s.reason || s.why || "—",
      },
    ], res.data.slots || []);
  }
  dialog(t("plan.explain_title", { name }), h("div", { id: "explain" }, body));
}

// Recall (召回撤换) one serving cadre: the slot becomes a vacancy that a
// refill run fills without moving anybody else.
function recallDialog(s) {
  const reason = h("input", { type: "text", name: "reason", required: true, maxlength: 60, size: 30 });
  const date = h("input", { type: "date", name: "date", required: true, value: new Date().toISOString().slice(0, 10) });
  const out = h("div", { "aria-live": "polite" });
  const btn = h("button", { type: "submit", class: "primary" }, t("plan.recall"));
  const form = h(
    "form",
    {
      id: "recall",
      onsubmit: async (e) => {
        e.preventDefault();
        btn.disabled = true;
        const res = await api("POST", "/recalls", { cadre: s.cadre, reason: reason.value, date: date.value });
        btn.disabled = false;
        if (res.status === 200) {
          out.replaceChildren(message("ok", t("plan.recalled", { name: s.cadre_name })));
          setTimeout(refresh, 600);
        } else out.replaceChildren(message("err", errorText(res)));
      },
    },
    h("p", {}, t("plan.recall_hint", { name: s.cadre_name, village: s.village_name })),
    field(t("plan.recall_reason"), reason),
    field(t("plan.recall_date"), date),
    btn,
    out,
  );
  dialog(t("plan.recall_title", { name: s.cadre_name }), form);
  reason.focus();
}

// Rotate (轮换) or extend (不脱贫不脱钩) a published order's term: the day
// (rotation: empty for the term's end), the villages (none: all the
// order's), the reason; the server refuses what breaks a rule, in words.
function termDialog(id, kind) {
  const extend = kind === "extend";
  const day = h("input", { type: "date", name: "day", required: extend });
  const villages = h("input", { type: "text", name: "villages", inputmode: "numeric", size: 40, placeholder: t("plan.term_villages_all") });
  const reason = h("input", { type: "text", name: "reason", maxlength: 60, size: 30 });
  const keep = h("input", { type: "checkbox", name: "keep" });
  const out = h("div", { "aria-live": "polite" });
  const btn = h("button", { type: "submit", class: "primary" }, t("plan." + kind));
  const form = h(
    "form",
    {
      id: "term-" + kind,
      onsubmit: async (e) => {
        e.preventDefault();
        const body = { reason: reason.value, villages: villages.value.split(/[\s,，]+/).filter(Boolean) };
        if (day.value) body[extend ? "until" : "on"] = day.value;
        if (!extend) body.keep_cadres = keep.checked;
        btn.disabled = true;
        const res = await api("POST", `/plans/${id}/${kind}`, body);
        btn.disabled = false;
        if (res.status === 200) {
          out.replaceChildren(message("ok", t(extend ? "plan.extended" : "plan.rotated", res.data)));
          setTimeout(refresh, 600);
        } else out.replaceChildren(message("err", errorText(res)));
      },
    },
    h("p", {}, t("plan." + kind + "_hint")),
    field(t(extend ? "plan.extend_until" : "plan.rotate_on"), day),
    field(t("plan.term_villages"), villages),
    field(t("plan.term_reason"), reason),
    extend ? null : field(t("plan.keep_cadres"), keep, "check"),
    btn,
    out,
  );
  dialog(t("plan." + kind + "_title", { id }), form);
  day.focus();
}

// A plan's scope by name where it is the caller's own jurisdiction.
function scopeText(code) {
  const w = me();
  const short = code.replace(/(000)+$/, "").replace(/^(\d{6})0{6}$/, "$1");
  return w && w.scope && w.scope_name && short === w.scope ? `${w.scope_name} (${short})` : short;
}

// A plan's policy by its title where the server has that file.
function policyCell(name, pols) {
  const p = pols.find((x) => x.name === name);
  return p ? h("span", { class: "policy", title: p.title }, name) : name;
}

async function renderRun(view) {
  const who = me();
  const scope = h("input", { type: "text", name: "scope", inputmode: "numeric", value: who.scope || "", size: 12 });
  // The server's policy files (policies/*.json), the scenario's own chosen
  // first; or a file from this computer.
  const [pl, res] = await Promise.all([api("GET", "/policies"), api("GET", "/plans")]);
  const pols = pl.status === 200 ? pl.data.items : [{ name: "default", title: t("dispatch.policy_default") }];
  const chosen = pl.status === 200 && pl.data.scenario && pols.some((x) => x.name === pl.data.scenario) ? pl.data.scenario : "default";
  const policy = select("policy", [...pols.map((x) => [x.name, `${x.title} (${x.name})`]), ["file", t("dispatch.policy_file")]], chosen);
  policy.classList.add("wide");
  const pfile = h("input", { type: "file", accept: ".json,application/json", hidden: true, "aria-label": t("dispatch.policy") + " (JSON)" });
  policy.addEventListener("change", () => (pfile.hidden = policy.value !== "file"));
  const refill = h("input", { type: "checkbox", name: "refill" });
  const btn = h("button", { type: "submit", class: "primary" }, t("dispatch.run"));
  const out = h("div", { id: "match-result", "aria-live": "polite" });
  const form = h(
    "form",
    {
      class: "filters",
      onsubmit: async (e) => {
        e.preventDefault();
        const body = {};
        if (scope.value.trim()) body.scope = scope.value.trim();
        if (refill.checked) body.refill = true;
        if (policy.value !== "file") body.policy_name = policy.value;
        else if (pfile.files.length) {
          try {
            body.policy = JSON.parse(await pfile.files[0].text());
          } catch (err) {
            out.replaceChildren(message("err", String(err.message)));
            return;
          }
        }
        btn.disabled = true;
        out.replaceChildren(h("p", { class: "loading" }, t("dispatch.running")));
        const res = await api("POST", "/plans", body);
        btn.disabled = false;
        if (res.status !== 201) {
          out.replaceChildren(message("err", errorText(res)));
          return;
        }
        const p = res.data;
        out.replaceChildren(
          message("ok", `${t("dispatch.plan")} ${p.id}: ${t("dispatch.filled")} ${fmt(p.filled)} / ${fmt(p.slots)} (${pct(p.filled, p.slots)}) · ${t("dispatch.used")} ${fmt(p.cadres_used)} / ${t("dispatch.eligible")} ${fmt(p.cadres_eligible)} · ${t("dispatch.villages")} ${fmt(p.villages)}`),
          h("p", {}, h("a", { href: "#/plan/" + p.id, id: "open-plan" }, t("dispatch.open") + " →")),
        );
      },
    },
    field(t("dispatch.scope"), scope),
    field(t("dispatch.policy"), policy),
    pfile,
    field(t("dispatch.refill"), refill, "check"),
    btn,
  );
  view.append(h("h1", {}, t("dispatch.title")), h("p", { class: "note" }, h("a", { href: "#/posts", id: "posts-link" }, t("posts.title") + " →")));
  if (isStaff()) view.append(h("section", { class: "card" }, h("h2", {}, t("dispatch.run")), form, out));
  if (res.status !== 200) {
    view.append(message("err", errorText(res)));
    return;
  }
  view.append(
    h(
      "section",
      { class: "card" },
      h("h2", {}, t("dispatch.plans")),
      table(null, [
        { key: "id", label: t("dispatch.plan"), render: (p) => h("a", { href: "#/plan/" + p.id }, `#${p.id}`) },
        { key: "status", label: t("dispatch.status"), render: (p) => t("status." + p.status) },
        { key: "created_at", label: t("dispatch.created") },
        { key: "policy", label: t("dispatch.policy"), render: (p) => policyCell(p.policy, pols) },
        {
          key: "scope",
          label: t("dispatch.plan_scope"),
          render: (p) => [
            p.scope ? scopeText(String(p.scope)) : t("dispatch.scope_all"),
            p.partial ? h("span", { class: "tag poor", style: "margin-left:.4em" }, t("dispatch.partial")) : null,
          ],
        },
        { key: "filled", label: t("dispatch.filled"), num: true, render: (p) => `${fmt(p.filled)} / ${fmt(p.slots)}` },
        // A plan of a wider area counts its eligible cadres over all of it: not shown.
        { key: "cadres", label: t("dispatch.cadres"), num: true, render: (p) => (p.partial ? "—" : fmt(p.cadres)) },
        { key: "order", label: t("dispatch.order"), render: (p) => (p.order ? p.order.number : "—") },
      ], res.data.items),
    ),
  );
  view.append(...(await pinCards()));
}

async function renderPlan(view, id, q) {
  const view_ = q.get("view") || "village";
  const page = Number(q.get("page") || 1);
  const only = q.get("only") || "";
  const [pr, sk, pl] = await Promise.all([api("GET", "/plans/" + id), skills(), api("GET", "/policies")]);
  if (pr.status !== 200) {
    view.append(h("h1", {}, t("dispatch.plan")), message("err", errorText(pr)));
    return;
  }
  const p = pr.data;
  const zh = document.documentElement.lang === "zh-CN";
  view.append(
    h("h1", {}, `${t("dispatch.plan")} #${p.id}`, " ", h("span", { class: "tag " + (p.status === "published" ? "ok" : "poor") }, t("status." + p.status))),
    h(
      "div",
      { class: "kpis" },
      [
        [fmt(p.filled) + " / " + fmt(p.slots), t("dispatch.filled")],
        [pct(p.filled, p.slots), t("home.rate")],
        [p.partial ? "—" : fmt(p.cadres), t("dispatch.eligible")],
        [p.policy, t("dispatch.policy"), pl.status === 200 ? (pl.data.items.find((x) => x.name === p.policy) || {}).title : null],
        [p.order ? p.order.number : "—", t("dispatch.order")],
      ].map(([v, l, d]) => h("div", { class: "kpi" }, h("div", { class: /^[\d,./ %]+$/.test(String(v)) ? "v" : "v t" }, v), h("div", { class: "l" }, l), d ? h("div", { class: "d" }, d) : null)),
    ),
  );
  if (p.partial) view.append(h("p", { class: "note", id: "partial-note" }, t("plan.partial")));
  // Publishing: a draft becomes the dispatch order with a term.
  if (p.status === "draft" && isStaff() && !p.partial) {
    const start = h("input", { type: "date", name: "start", required: true, value: new Date().toISOString().slice(0, 10) });
    const term = select("term", [["1", "1"], ["2", "2"], ["3", "3"]], "2");
    const out = h("div", { "aria-live": "polite" });
    const btn = h("button", { type: "submit", class: "primary" }, t("plan.publish"));
    view.append(
      h(
        "section",
        { class: "card" },
        h(
          "form",
          {
            class: "filters",
            id: "publish",
            onsubmit: async (e) => {
              e.preventDefault();
              btn.disabled = true;
              const res = await api("POST", `/plans/${id}/publish`, { start: start.value, term_years: Number(term.value) });
              btn.disabled = false;
              if (res.status === 200) {
                out.replaceChildren(message("ok", t("plan.published", { order: res.data.order })));
                setTimeout(refresh, 600);
              } else out.replaceChildren(message("err", errorText(res)));
            },
          },
          field(t("plan.start"), start),
          field(t("plan.term"), term),
          btn,
          // 放弃草案: the draft dropped (kept, marked discarded, audited).
          h(
            "button",
            {
              type: "button",
              class: "secondary",
              id: "discard",
              onclick: async () => {
                if (!confirm(t("plan.discard_confirm", { id }))) return;
                const res = await api("DELETE", `/plans/${id}`);
                if (res.status === 200) go("/dispatch");
                else out.replaceChildren(message("err", errorText(res)));
              },
            },
            t("plan.discard"),
          ),
        ),
        out,
      ),
    );
  }
  // A published order's term: rotated or extended (the server checks the
  // jurisdiction: a wider plan only in villages of the caller's).
  if (p.status === "published" && isStaff() && p.order)
    view.append(
      h(
        "section",
        { class: "card", id: "term" },
        h("p", {}, t("plan.term_now", { start: p.order.start, end: p.order.end })),
        h("button", { type: "button", id: "rotate", onclick: () => termDialog(id, "rotate") }, t("plan.rotate")),
        " ",
        h("button", { type: "button", id: "extend", onclick: () => termDialog(id, "extend") }, t("plan.extend")),
      ),
    );
  const tab = (v, k) =>
    h("button", { type: "button", role: "tab", "aria-selected": String(view_ === v), onclick: () => go("/plan/" + id, { view: v }) }, t(k));
  const tabs = h("div", { class: "tabs", role: "tablist" }, tab("village", "plan.by_village"), tab("cadre", "plan.by_cadre"), tab("unsent", "plan.unsent"));
  const params = new URLSearchParams({ view: view_, page, per_page: 50 });
  if (only) params.set("only", only);
  const res = await api("GET", `/plans/${id}/slots?${params}`);
  const card = h("section", { class: "card" }, tabs);
  view.append(card);
  if (view_ === "village") {
    const cb = h("input", { type: "checkbox", checked: only === "unfilled", onchange: (e) => go("/plan/" + id, { view: "village", only: e.target.checked ? "unfilled" : "" }) });
    card.append(field(t("plan.unfilled"), cb, "check"));
  }
  if (res.status !== 200) {
    card.append(message("err", errorText(res)));
    return;
  }
  const d = res.data;
  const explainBtn = (s) =>
    h("button", { type: "button", class: "link explain", onclick: () => explainVillage(id, s.village, s.village_name) }, t("plan.explain"));
  let cols;
  if (view_ === "unsent") {
    cols = [
      { key: "cadre_name", label: t("plan.cadre"), nowrap: true, render: (c) => h("a", { href: "#/cadre/" + c.cadre }, c.cadre_name) },
      { key: "unit_name", label: t("plan.unit"), nowrap: true },
      { key: "reason", label: t("plan.reason"), wide: true, render: (c) => c.detail || c.reason },
    ];
  } else {
    cols = [
      { key: "village_name", label: t("plan.village"), nowrap: true, render: (s) => h("a", { href: "#/village/" + s.village }, s.village_name) },
      { key: "role", label: t("plan.role"), nowrap: true, render: (s) => roleText(s, sk, zh) },
      {
        key: "cadre_name",
        label: t("plan.cadre"),
        nowrap: true,
        render: (s) => (s.cadre ? h("a", { href: "#/cadre/" + s.cadre }, s.cadre_name) : h("span", { class: "tag bad" }, t("plan.vacant"))),
      },
      { key: "unit_name", label: t("plan.unit"), nowrap: true, render: (s) => s.unit_name || "—" },
      { key: "score", label: t("plan.score"), num: true, render: (s) => (s.cadre ? String(s.score) : "—") },
      {
        key: "reason",
        label: t("plan.reason"),
        wide: true,
        render: (s) => (s.cadre ? breakdown(s.breakdown) : s.reason === "recalled" ? t("plan.reason_recalled") : s.reason_zh && zh ? s.reason_zh : s.reason || "—"),
      },
      { key: "x", label: "", nowrap: true, render: explainBtn },
    ];
    // A published plan is the roster: a serving cadre can be recalled.
    if (p.status === "published" && isStaff())
      cols.push({
        key: "recall",
        label: "",
        nowrap: true,
        render: (s) =>
          s.cadre && s.state === "serving"
            ? h("button", { type: "button", class: "link recall", onclick: () => recallDialog(s) }, t("plan.recall"))
            : s.state === "vacant"
              ? h("span", { class: "tag bad" }, t("plan.vacancy"))
              : "",
      });
    if (view_ === "cadre") cols = [cols[2], cols[3], cols[0], cols[1], cols[4], ...cols.slice(6)];
  }
  const xq = new URLSearchParams({ view: view_ });
  if (only) xq.set("only", only);
  card.append(h("p", { class: "exports" }, xlsxLink(`/plans/${id}/slots?${xq}`, t("plan.xlsx"))));
  card.append(table(null, cols, d.items), pager(d.total, d.page, d.per_page, (pg) => go("/plan/" + id, { view: view_, only, page: pg })));
}

// The posts above the village (挂职) of the jurisdiction with who holds
// each seat now; county staff add and remove them (a held post stays: it
// ends with its term).
async function renderPosts(view) {
  const [pr, hr] = await Promise.all([api("GET", "/posts?per_page=500"), api("GET", "/post-holders")]);
  view.append(h("h1", {}, t("posts.title")), h("p", { class: "note" }, h("a", { href: "#/dispatch" }, "← " + t("dispatch.title"))));
  if (pr.status !== 200 || hr.status !== 200) {
    view.append(message("err", errorText(pr.status !== 200 ? pr : hr)));
    return;
  }
  const holders = {};
  for (const x of hr.data.items) (holders[x.post] = holders[x.post] || []).push(x);
  const staff = isStaff();
  const out = h("div", { "aria-live": "polite" });
  const remove = async (p) => {
    const res = await api("DELETE", "/posts/" + encodeURIComponent(p.code));
    if (res.status === 200) refresh();
    else out.replaceChildren(message("err", errorText(res)));
  };
  const cols = [
    { key: "code", label: t("posts.code"), nowrap: true },
    { key: "title", label: t("posts.post_title"), nowrap: true },
    { key: "division_name", label: t("posts.division"), nowrap: true },
    { key: "seats", label: t("posts.seats"), num: true, render: (p) => `${fmt(p.serving || 0)} / ${fmt(p.seats)}` },
    {
      key: "holders",
      label: t("posts.holders"),
      wide: true,
      render: (p) =>
        (holders[p.code] || []).length
          ? (holders[p.code] || []).flatMap((x, i) => [i ? "、" : "", h("a", { href: "#/cadre/" + x.cadre }, x.name), ` (${x.unit_name}, ${x.start}–${x.term_end})`])
          : h("span", { class: "tag bad" }, t("plan.vacant")),
    },
    { key: "min_rank", label: t("posts.min_rank"), render: (p) => [p.min_rank || "—", p.party_member ? " · " + t("posts.party") : ""].join("") },
    { key: "term_end", label: t("posts.term_end"), render: (p) => p.term_end || "—" },
  ];
  if (staff)
    cols.push({
      key: "x",
      label: "",
      nowrap: true,
      render: (p) => (p.serving ? "" : h("button", { type: "button", class: "link remove-post", onclick: () => remove(p) }, t("posts.remove"))),
    });
  view.append(h("section", { class: "card" }, table(null, cols, pr.data.items), out));
  if (!staff) return;
  const inp = (name, attrs) => h("input", { type: "text", name, ...attrs });
  const code = inp("code", { required: true, size: 12 });
  const division = inp("division", { required: true, inputmode: "numeric", size: 12 });
  const title = inp("title", { required: true, size: 20 });
  const seats = h("input", { type: "number", name: "seats", min: 1, max: 99, value: 1 });
  const rank = select("min_rank", [["", "—"], ...["科员", "副科", "正科", "副处", "正处", "副厅", "正厅"].map((r) => [r, r])], "");
  const party = h("input", { type: "checkbox", name: "party" });
  const addOut = h("div", { "aria-live": "polite" });
  const add = h(
    "form",
    {
      class: "filters",
      id: "add-post",
      onsubmit: async (e) => {
        e.preventDefault();
        const body = { code: code.value.trim(), division: division.value.trim(), title: title.value.trim(), seats: Number(seats.value), party_member: party.checked };
        if (rank.value) body.min_rank = rank.value;
        const res = await api("POST", "/posts", body);
        if (res.status === 200 || res.status === 201) refresh();
        else addOut.replaceChildren(message("err", errorText(res)));
      },
    },
    field(t("posts.code"), code),
    field(t("posts.division_code"), division),
    field(t("posts.post_title"), title),
    field(t("posts.seats"), seats),
    field(t("posts.min_rank"), rank),
    field(t("posts.party"), party, "check"),
    h("button", { type: "submit", class: "primary" }, t("posts.add")),
  );
  view.append(h("section", { class: "card" }, h("h2", {}, t("posts.add")), add, addOut));
}

export async function render(view, r) {
  if (r.name === "plan" && r.parts[1]) return renderPlan(view, r.parts[1], r.query);
  if (r.name === "posts") return renderPosts(view);
  return renderRun(view);
}
