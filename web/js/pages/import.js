// SPDX-License-Identifier: MIT
// import.js - upload a CSV or XLSX file into the ledger. The server imports
// it whole or not at all with the same engine and messages as `zhucun
// import`; this page shows the counts, or every error with its row and
// column. Templates with the Chinese headers come from
// GET /api/v1/templates/KIND.
import { api, errorText, field, fmt, h, me, message, select, t, table } from "../app.js";

const KINDS = ["villages", "cadres", "units", "households"];

export async function render(view, r) {
  const kind = select("kind", KINDS.map((k) => [k, t("kind." + k)]), r.query.get("kind") || "cadres");
  const file = h("input", { type: "file", name: "file", accept: ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", required: true });
  const btn = h("button", { type: "submit", class: "primary" }, t("import.submit"));
  const out = h("div", { id: "import-result", "aria-live": "polite" });
  const form = h(
    "form",
    {
      class: "filters",
      onsubmit: async (e) => {
        e.preventDefault();
        if (!file.files.length) return;
        // The server refuses a body past --max-upload before reading it; a
        // browser sending it whole may see only the connection closed.
        const limit = me() && me().max_upload;
        if (limit && file.files[0].size > limit) {
          out.replaceChildren(message("err", t("import.too_big", { mb: fmt(Math.floor(limit / 1048576)) })));
          return;
        }
        const fd = new FormData();
        fd.append("kind", kind.value);
        fd.append("file", file.files[0], file.files[0].name);
        btn.disabled = true;
        out.replaceChildren(h("p", { class: "loading" }, t("import.busy")));
        const res = await api("POST", "/import", fd);
        btn.disabled = false;
        out.replaceChildren();
        if (res.status === 200) {
          out.append(message("ok", t("import.ok", { rows: fmt(res.data.rows), added: fmt(res.data.added), updated: fmt(res.data.updated), unchanged: fmt(res.data.unchanged) })));
          return;
        }
        out.append(message("err", t("import.failed", { message: errorText(res) })));
        const details = res.data && res.data.error && res.data.error.details;
        if (details && details.length)
          out.append(
            table(t("import.errors", { n: details.length }), [
              { key: "row", label: t("import.row"), num: true, render: (d) => (d.row ? String(d.row) : "—") },
              { key: "column", label: t("import.column"), render: (d) => d.column || "—" },
              { key: "message", label: t("import.message") },
            ], details),
          );
      },
    },
    field(t("import.kind"), kind),
    field(t("import.file"), file),
    btn,
  );
  view.append(
    h("h1", {}, t("import.title")),
    h("section", { class: "card" }, h("p", { class: "note" }, t("import.note")), form, out),
    h(
      "section",
      { class: "card" },
      h("h2", {}, t("import.templates")),
      h(
        "ul",
        {},
        KINDS.map((k) =>
          h("li", {}, t("kind." + k), ": ", h("a", { href: `/api/v1/templates/${k}?format=csv`, download: `${k}-template.csv` }, "CSV"), " · ", h("a", { href: `/api/v1/templates/${k}?format=xlsx`, download: `${k}-template.xlsx` }, "XLSX")),
        ),
      ),
    ),
  );
}
