// SPDX-License-Identifier: MIT
// login.js - the login form. The server sets the session cookie (HttpOnly)
// and a readable CSRF cookie; the page only forwards the two fields.
import { api, field, go, h, message, setMe, t } from "../app.js";

export async function render(view) {
  const user = h("input", { type: "text", name: "user", autocomplete: "username", required: true, autocapitalize: "off" });
  const pw = h("input", { type: "password", name: "password", autocomplete: "current-password", required: true });
  const out = h("div", { "aria-live": "assertive" });
  const btn = h("button", { type: "submit", class: "primary" }, t("login.submit"));
  const form = h(
    "form",
    {
      onsubmit: async (e) => {
        e.preventDefault();
        btn.disabled = true;
        out.replaceChildren();
        const res = await api("POST", "/session", { user: user.value.trim(), password: pw.value });
        btn.disabled = false;
        if (res.status === 200) {
          setMe(res.data);
          go(res.data.role === "cadre" ? "/field" : "/home");
          return;
        }
        out.append(message("err", res.status === 429 ? t("login.throttled") : t("login.failed")));
        pw.select();
      },
    },
    field(t("login.user"), user),
    field(t("login.password"), pw),
    btn,
    out,
  );
  view.append(
    h(
      "div",
      { class: "login card" },
      h("div", { class: "brand" }, h("span", { class: "mark", "aria-hidden": "true" }, "驻"), t("app.title")),
      h("h1", {}, t("login.title")),
      form,
      h("p", { class: "note" }, t("login.note")),
    ),
  );
  setTimeout(() => user.focus(), 0);
}
