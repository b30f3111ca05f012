// SPDX-License-Identifier: MIT
// pins.js - two cards of the dispatch page (#/dispatch): direct nomination
// (点将: a named cadre for a village, and a role or any; every match keeps
// it, and the server refuses a pin that breaks a hard rule, saying which)
// and the unit responsible for a village (包村). Lists for every reader,
// the forms and the remove buttons for staff; the server checks the
// jurisdiction (GET/POST/DELETE /api/v1/pins and /api/v1/pairs).
import { api, errorText, field, h, isStaff, message, refresh, select, t, table } from "../app.js";

// A text input that offers matches from a list endpoint as the user types
// (a name, or a code typed whole): `path` gets ?q=&per_page=10, `option`
// turns a row into [value, label].
function searchInput(name, path, option, attrs) {
  const list = h("datalist", { id: "dl-" + name });
  const input = h("input", { type: "text", name, list: list.id, autocomplete: "off", ...attrs });
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 1 || /^\d{6,}[\dXx]*$/.test(q)) return; // a code or ID number typed whole
    timer = setTimeout(async () => {
      const res = await api("GET", `${path}?q=${encodeURIComponent(q)}&per_page=10`);
      if (res.status === 200) list.replaceChildren(...res.data.items.map((r) => h("option", { value: option(r)[0] }, option(r)[1])));
    }, 250);
  });
  return [input, list];
}

const villageOption = (v) => [String(v.code), `${v.name || v.division_name || ""} ${v.code}`.trim()];
// A cadre of a unit inside the jurisdiction or above it, by record id
// (GET /pins/cadres: /cadres shows a county only its own units' cadres).
const cadreOption = (c) => [String(c.id), `${c.name} · ${c.unit_name} · ${c.id_number}`];

function remover(path, out) {
  return async () => {
    if (!confirm(t("pins.remove_confirm"))) return;
    const res = await api("DELETE", path);
    if (res.status === 200) refresh();
    else out.replaceChildren(message("err", errorText(res)));
  };
}

// A card with its title, hint and the list of `path` in a table (a remove
// button per row for staff: DELETE removePath(row)); `ok` when the list
// came and the caller is staff (the form follows), else the card says why.
async function listCard(id, key, path, cols, removePath) {
  const res = await api("GET", path);
  const out = h("div", { "aria-live": "polite" });
  const card = h("section", { class: "card", id }, h("h2", {}, t(key + ".title")), h("p", { class: "note" }, t(key + ".hint")));
  if (res.status !== 200) {
    card.append(message("err", errorText(res)));
    return { card, ok: false };
  }
  if (isStaff()) cols.push({ key: "x", label: "", nowrap: true, render: (p) => h("button", { type: "button", class: "link remove-" + key.slice(0, -1), onclick: remover(removePath(p), out) }, t("posts.remove")) });
  card.append(table(null, cols, res.data.items), out);
  return { card, ok: isStaff() };
}

// Who recorded it, and the day (in the page's language when it renders).
const byCol = () => ({ key: "by", label: t("pins.by"), nowrap: true, render: (p) => `${p.by} ${p.at.slice(0, 10)}` });

async function pinCard() {
  const { card, ok } = await listCard("pins", "pins", "/pins", [
    { key: "name", label: t("plan.cadre"), nowrap: true, render: (p) => h("a", { href: "#/cadre/" + p.cadre }, p.name) },
    { key: "id_number", label: t("pins.id_number"), nowrap: true },
    { key: "village_name", label: t("plan.village"), nowrap: true, render: (p) => `${p.village_name} (${p.village})` },
    { key: "role", label: t("plan.role"), nowrap: true, render: (p) => (p.post ? `${t("prole.post")} ${p.post} ${p.post_title}` : p.role ? t("prole." + p.role) : t("pins.any_role")) },
    { key: "note", label: t("pins.note"), wide: true, render: (p) => p.note || "—" },
    byCol(),
  ], (p) => "/pins/" + p.cadre);
  if (!ok) return card;
  const [cadre, cdl] = searchInput("cadre", "/pins/cadres", cadreOption, { required: true, size: 20, placeholder: t("pins.cadre_hint") });
  const [village, vdl] = searchInput("village", "/villages", villageOption, { required: true, size: 16, placeholder: t("pins.village_hint") });
  const role = select("role", [["", t("pins.any_role")], ...["first_secretary", "leader", "stability", "need", "member"].map((r) => [r, t("prole." + r)])], "");
  const note = h("input", { type: "text", name: "note", maxlength: 60, size: 20 });
  const addOut = h("div", { "aria-live": "polite" });
  const btn = h("button", { type: "submit", class: "primary" }, t("pins.add"));
  const form = h(
    "form",
    {
      class: "filters",
      id: "add-pin",
      onsubmit: async (e) => {
        e.preventDefault();
        const c = cadre.value.trim().toUpperCase();
        const body = { cadre: /^\d{1,11}$/.test(c) ? Number(c) : c, village: village.value.trim().replace(/\D/g, "") };
        if (role.value) body.role = role.value;
        if (note.value.trim()) body.note = note.value.trim();
        btn.disabled = true;
        addOut.replaceChildren(h("p", { class: "loading" }, t("pins.checking")));
        const r = await api("POST", "/pins", body);
        btn.disabled = false;
        if (r.status === 201) refresh();
        else addOut.replaceChildren(message("err", errorText(r)));
      },
    },
    field(t("pins.cadre"), cadre),
    cdl,
    field(t("pins.village"), village),
    vdl,
    field(t("plan.role"), role),
    field(t("pins.note"), note),
    btn,
  );
  card.append(h("h3", {}, t("pins.add")), form, addOut);
  return card;
}

async function pairCard() {
  const { card, ok } = await listCard("pairs", "pairs", "/pairs", [
    { key: "village_name", label: t("plan.village"), nowrap: true, render: (p) => h("a", { href: "#/village/" + p.village }, `${p.village_name} (${p.village})`) },
    { key: "unit_name", label: t("plan.unit"), nowrap: true, render: (p) => `${p.unit_name} (${p.unit})` },
    { key: "note", label: t("pins.note"), wide: true, render: (p) => p.note || "—" },
    byCol(),
  ], (p) => "/pairs/" + p.village);
  if (!ok) return card;
  const [village, vdl] = searchInput("pair-village", "/villages", villageOption, { required: true, size: 16, placeholder: t("pins.village_hint") });
  const [unit, udl] = searchInput("unit", "/units", (u) => [u.code, `${u.name} ${u.code}`], { required: true, size: 16, placeholder: t("pairs.unit_hint") });
  const note = h("input", { type: "text", name: "note", maxlength: 60, size: 20 });
  const addOut = h("div", { "aria-live": "polite" });
  const form = h(
    "form",
    {
      class: "filters",
      id: "add-pair",
      onsubmit: async (e) => {
        e.preventDefault();
        const r = await api("POST", "/pairs", { village: village.value.trim().replace(/\D/g, ""), unit: unit.value.trim(), note: note.value.trim() });
        if (r.status === 201) refresh();
        else addOut.replaceChildren(message("err", errorText(r)));
      },
    },
    field(t("pins.village"), village),
    vdl,
    field(t("plan.unit"), unit),
    udl,
    field(t("pins.note"), note),
    h("button", { type: "submit", class: "primary" }, t("pairs.add")),
  );
  card.append(h("h3", {}, t("pairs.add")), form, addOut);
  return card;
}

// The two cards, for the dispatch page to append.
export async function pinCards() {
  return Promise.all([pinCard(), pairCard()]);
}
