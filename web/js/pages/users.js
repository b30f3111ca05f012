// SPDX-License-Identifier: MIT
// users.js - accounts and roles, for admin accounts (the server refuses
// everyone else). Adding an account runs the CLI's own checks on the
// server, so the form shows the same messages as `zhucun user add`.
import { api, errorText, field, h, message, refresh, select, t, table } from "../app.js";

const ROLES = ["province", "city", "county", "township", "inspector", "cadre", "auditor", "admin"];

export async function render(view) {
  view.append(h("h1", {}, t("users.title")));
  const f = {
    name: h("input", { type: "text", name: "name", required: true, autocomplete: "off" }),
    role: select("role", ROLES.map((r) => [r, t("role." + r)]), "county"),
    scope: h("input", { type: "text", name: "scope", inputmode: "numeric" }),
    cadre: h("input", { type: "text", name: "cadre" }),
    password: h("input", { type: "password", name: "password", required: true, autocomplete: "new-password", minlength: 12 }),
  };
  const out = h("div", { "aria-live": "polite" });
  const form = h(
    "form",
    {
      class: "filters",
      onsubmit: async (e) => {
        e.preventDefault();
        const body = { name: f.name.value.trim(), role: f.role.value, password: f.password.value };
        if (f.scope.value.trim()) body.scope = f.scope.value.trim();
        if (f.cadre.value.trim()) body.cadre = f.cadre.value.trim();
        const res = await api("POST", "/users", body);
        if (res.status === 201) {
          out.replaceChildren(message("ok", t("users.added", { name: res.data.name })));
          setTimeout(refresh, 500);
        } else out.replaceChildren(message("err", errorText(res)));
      },
    },
    field(t("users.name"), f.name),
    field(t("users.role"), f.role),
    field(t("users.scope"), f.scope),
    field(t("users.cadre"), f.cadre),
    field(t("users.password"), f.password),
    h("button", { type: "submit", class: "primary" }, t("users.add")),
  );
  view.append(h("section", { class: "card" }, h("h2", {}, t("users.add")), form, out));
  const res = await api("GET", "/users");
  if (res.status !== 200) {
    view.append(message("err", errorText(res)));
    return;
  }
  view.append(
    h(
      "section",
      { class: "card" },
      table(null, [
        { key: "name", label: t("users.name") },
        { key: "role", label: t("users.role"), render: (u) => t("role." + u.role) },
        { key: "scope", label: t("users.scope"), render: (u) => u.scope || "—" },
        { key: "state", label: t("users.state"), render: (u) => h("span", { class: "tag " + (u.disabled ? "bad" : "ok") }, u.disabled ? t("users.disabled") : t("users.active")) },
        { key: "created_at", label: t("users.created") },
        {
          key: "x",
          label: "",
          render: (u) =>
            u.disabled
              ? ""
              : h("button", {
                  type: "button",
                  class: "link",
                  "aria-label": `${t("users.disable")} ${u.name}`,
                  onclick: async () => {
                    const r = await api("POST", `/users/${encodeURIComponent(u.name)}/disable`);
                    if (r.status === 200) refresh();
                    else out.replaceChildren(message("err", errorText(r)));
                  },
                }, t("users.disable")),
        },
      ], res.data.items),
    ),
  );
}
