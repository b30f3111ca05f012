// SPDX-License-Identifier: MIT
// field.js - field work (管) in the browser.
//
//   #/field     the cadre's phone page: today's status, one tap to check in
//               (browser geolocation with its accuracy; no button at all when
//               the policy asks for none), a diary entry, a household visit,
//               leave and 销假, the month's own ledger.
//   #/presence  the county's and township's page: the month's residence
//               ledger, the "两头跑" cases with their evidence, the leave
//               queue to approve, the contested days (the county decides);
//               &cadre=ID: one cadre's month with their diary and visits.
//
// Offline: every record the phone page makes gets a client id and its
// capture time and goes into a queue in IndexedDB first; the queue is sent
// when the network is there (at once, on the "online" event, and on every
// page load). The server treats a resend of a client id as the same record,
// so a record is never lost and never doubled. The service worker (sw.js)
// keeps the page itself available without signal.
import { api, errorText, field, fmt, h, me, message, policyLabel, refresh, select, t, table, xlsxLink } from "../app.js";
import { loadECharts } from "./home.js";

// ---- the offline queue -------------------------------------------------------------

const DB = "zhucun-field";
function idb() {
  return new Promise((resolve, reject) => {
    const rq = indexedDB.open(DB, 2);
    rq.onupgradeneeded = () => {
      const db = rq.result;
      if (!db.objectStoreNames.contains("queue")) db.createObjectStore("queue", { keyPath: "client_id" });
      if (!db.objectStoreNames.contains("keys")) db.createObjectStore("keys");
    };
    rq.onsuccess = () => resolve(rq.result);
    rq.onerror = () => reject(rq.error);
  });
}
async function queueOp(mode, fn, store = "queue") {
  const db = await idb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const out = fn(tx.objectStore(store));
    tx.oncomplete = () => resolve(out && out.result !== undefined ? out.result : undefined);
    tx.onerror = () => reject(tx.error);
  });
}
const queued = () => queueOp("readonly", (s) => s.getAll());
const enqueue = (rec) => queueOp("readwrite", (s) => s.put(rec));
const dequeue = (id) => queueOp("readwrite", (s) => s.delete(id));

// The device's signing key: Ed25519 made here with WebCrypto, the private
// half non-extractable (it never leaves the browser), kept in IndexedDB.
// Every record's exact body is signed; the server verifies the signature and
// takes the key's fingerprint as the device. Browsers without Ed25519 send
// unsigned records, which the server stores as unsigned.
let keyPromise = null;
function deviceKey() {
  if (!keyPromise)
    keyPromise = (async () => {
      try {
        let k = await queueOp("readonly", (s) => s.get("device"), "keys");
        if (!k) {
          const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
          const raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
          k = { priv: pair.privateKey, pub: btoa(String.fromCharCode(...raw)) };
          await queueOp("readwrite", (s) => s.put(k, "device"), "keys");
        }
        return k;
      } catch {
        return null;
      }
    })();
  return keyPromise;
}

async function sign(text) {
  const k = await deviceKey();
  if (!k) return null;
  const sig = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, k.priv, new TextEncoder().encode(text)));
  return { key: k.pub, sig: btoa(String.fromCharCode(...sig)) };
}

// POST a queued record exactly as it was signed.
async function send(rec) {
  const headers = { "Content-Type": "application/json", "X-CSRF-Token": (me() && me().csrf) || "" };
  if (rec.sig) {
    headers["X-ZC-Device-Key"] = rec.sig.key;
    headers["X-ZC-Signature"] = rec.sig.sig;
  }
  const r = await fetch("/api/v1" + rec.path, { method: "POST", headers, body: rec.text, credentials: "same-origin" });
  const ct = r.headers.get("Content-Type") || "";
  return { status: r.status, data: ct.includes("json") ? await r.json() : null };
}

// ---- photos (evidence of a check-in) ------------------------------------------------
// A picture from the camera is scaled down here (longest edge PHOTO_EDGE px,
// JPEG) so it stays well under the server's 2 MiB, named by its SHA-256 and
// queued with the check-in; the check-in carries only that hash, so its
// signature also vouches for the picture's bytes. The server keeps each
// picture once and shows it only to those who may see the check-in.
const PHOTO_EDGE = 1600;
const PHOTO_MAX = 2 * 1024 * 1024;

async function sendPhoto(blob) {
  const headers = { "Content-Type": blob.type || "application/octet-stream", "X-CSRF-Token": (me() && me().csrf) || "" };
  const r = await fetch("/api/v1/field/photos", { method: "POST", headers, body: blob, credentials: "same-origin" });
  const ct = r.headers.get("Content-Type") || "";
  return { status: r.status, data: ct.includes("json") ? await r.json() : null };
}

function hex(buf) {
  return [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function preparePhoto(file) {
  let blob = file;
  try {
    const bmp = await createImageBitmap(file);
    const scale = Math.min(1, PHOTO_EDGE / Math.max(bmp.width, bmp.height));
    if (scale < 1 || file.size > PHOTO_MAX || !/^image\/(jpeg|png)$/.test(file.type)) {
      const c = document.createElement("canvas");
      c.width = Math.max(1, Math.round(bmp.width * scale));
      c.height = Math.max(1, Math.round(bmp.height * scale));
      c.getContext("2d").drawImage(bmp, 0, 0, c.width, c.height);
      blob = await new Promise((resolve) => c.toBlob(resolve, "image/jpeg", 0.85));
    }
    bmp.close();
  } catch {
    // Not decodable in this browser: the server judges the bytes themselves.
  }
  if (!blob || blob.size > PHOTO_MAX) throw new Error(t("field.photo_too_big"));
  if (!(crypto.subtle && crypto.subtle.digest)) {
    // No WebCrypto (a page not served over HTTPS): upload now for the hash.
    const r = await sendPhoto(blob);
    if (r.status !== 200 && r.status !== 201) throw new Error(errorText(r));
    return { hash: r.data.hash, blob: null };
  }
  return { hash: hex(await crypto.subtle.digest("SHA-256", await blob.arrayBuffer())), blob };
}

function clientId() {
  return (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()).replace(/-/g, "");
}

// Local time of the village (UTC+8) as "YYYY-MM-DD HH:MM:SS".
function chinaNow() {
  const d = new Date(Date.now() + 8 * 3600 * 1000);
  return d.toISOString().slice(0, 19).replace("T", " ");
}

let syncing = false;
// Send everything queued; returns {sent, left, failed: [messages]}.
export async function sync() {
  if (syncing) return null;
  syncing = true;
  const out = { sent: 0, left: 0, failed: [] };
  try {
    // Photos first: the check-in that names one is refused until it is there.
    const recs = (await queued()).sort((a, b) => (b.blob ? 1 : 0) - (a.blob ? 1 : 0));
    for (const rec of recs) {
      let res;
      try {
        res = rec.blob ? await sendPhoto(rec.blob) : rec.text ? await send(rec) : await api("POST", rec.path, rec.body);
      } catch {
        out.left++;
        continue; // still offline
      }
      if (res.status === 200 || res.status === 201) {
        await dequeue(rec.client_id);
        out.sent++;
      } else if (res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 408 && res.status !== 429) {
        // Refused for a reason the cadre must see; kept nowhere else.
        await dequeue(rec.client_id);
        out.failed.push(errorText(res));
      } else out.left++;
    }
  } finally {
    syncing = false;
  }
  return out;
}

// Queue a record and try to send it at once.
async function capture(path, body, statusEl) {
  body.client_id = clientId();
  const text = JSON.stringify(body);
  await enqueue({ client_id: body.client_id, path, text, sig: await sign(text), captured: chinaNow() });
  const r = await sync();
  await showQueue(statusEl, r);
  return r;
}

let afterSync = null; // redraws the ledger once records reached the server

async function showQueue(el, r) {
  if (r && r.sent && afterSync) afterSync();
  const n = (await queued()).length;
  const parts = [];
  if (r && r.failed.length) parts.push(message("err", r.failed.join("; ")));
  if (n) parts.push(message("warn", t("field.queued", { n })));
  else if (r && r.sent) parts.push(message("ok", t("field.synced", { n: r.sent })));
  if (el) el.replaceChildren(...parts);
}

let onlineHooked = false;
function hookOnline(statusEl) {
  if (onlineHooked) return;
  onlineHooked = true;
  window.addEventListener("online", async () => {
    const r = await sync();
    await showQueue(document.getElementById("field-sync") || statusEl, r);
  });
}

function registerWorker() {
  if ("serviceWorker" in navigator && window.isSecureContext) navigator.serviceWorker.register("/sw.js").catch(() => {});
}

// ---- helpers -------------------------------------------------------------------------

function thisMonth() {
  return chinaNow().slice(0, 7);
}
function today() {
  return chinaNow().slice(0, 10);
}
const STATE = { present: "field.present", absent: "field.absent", leave: "field.leave", trip: "field.trip", not_posted: "field.not_posted" };

function monthPicker(value, onchange) {
  const input = h("input", { type: "month", name: "month", value });
  input.addEventListener("change", () => onchange(input.value));
  return field(t("field.month"), input);
}

// The month day by day; `extra` (optional) is one more column (the phone's 申诉).
function ledgerTable(row, extra) {
  return table(
    t("field.by_day"),
    [
      { key: "day", label: t("field.date"), render: (d) => String(d.day) },
      { key: "state", label: t("field.state"), render: (d) => h("span", { class: "tag " + (d.state === "present" ? "ok" : d.state === "absent" ? "bad" : "") }, t(STATE[d.state])) },
      ...(extra ? [extra] : []), // beside the state, on screen on a phone
      { key: "night", label: t("field.night"), render: (d) => (d.night ? t("field.yes") : "") },
      { key: "records", label: t("field.records"), wide: true, render: (d) => d.records || "" },
    ],
    row.by_day.filter((d) => d.state !== "not_posted" && d.state !== "future"),
  );
}

// "2018-06" and day 5 -> "2018-06-05".
const dayOf = (month, d) => month + "-" + String(d).padStart(2, "0");

// A contest's state in words: 申诉待认定 / 申诉已认可 / 申诉未认可：reason.
function contestText(c) {
  return t("field.contest_" + c.status) + (c.status === "rejected" && c.note ? "：" + c.note : "");
}

// Diary entries and visits as a table (the county's view of a cadre's month).
function entriesTable(caption, rows) {
  return table(
    caption,
    [
      { key: "day", label: t("field.date") },
      { key: "kind", label: t("field.kind"), render: (e) => t(e.kind === "visit" ? "field.visit" : "field.diary") },
      { key: "household", label: t("field.household_col"), render: (e) => (e.household ? h("a", { href: "#/household/" + encodeURIComponent(e.household) }, e.household) : "") },
      { key: "text", label: t("field.text"), wide: true },
      { key: "version", label: t("field.version"), render: (e) => (e.version > 1 ? t("field.version_n", { n: e.version }) : "") },
    ],
    rows,
  );
}

function summary(row) {
  return h(
    "div",
    { class: "kpis" },
    [
      ["field.days", row.days],
      ["field.nights", row.nights],
      ["field.leave_days", row.leave_days],
      ["field.trip_days", row.trip_days],
      ["field.required", row.required_days],
    ].map(([k, v]) => h("div", { class: "kpi" }, h("div", { class: "kpi-n" }, fmt(v)), h("div", { class: "kpi-l" }, t(k)))),
    h("div", { class: "kpi" }, h("div", { class: "kpi-n" }, h("span", { class: "tag " + (row.ok ? "ok" : "bad") }, row.ok ? t("field.ok") : t("field.not_ok"))), h("div", { class: "kpi-l" }, t("field.rule"))),
  );
}

// ---- the cadre's phone page -------------------------------------------------------------

// "我的驻村：龙琴村 · 第一书记 · 2018-05-15 到村 · 任期至 2020-05-14 · 选派命令 …".
async function myPost(el, mine) {
  const c = mine && mine.status === 200 && mine.data.items[0];
  const prof = c ? await api("GET", `/cadres/${c.id}/profile`).catch(() => null) : null;
  const p = prof && prof.status === 200 ? prof.data.postings.find((x) => !x.end) : null;
  el.replaceChildren(h("h2", {}, t("field.my_post")));
  if (!p) {
    el.append(h("p", {}, c ? t("field.not_stationed") : t("app.offline_kept")));
    return;
  }
  el.append(
    h("p", { class: "post-line" }, h("a", { href: "#/village/" + p.village }, p.village_name || String(p.village)), " · ", h("strong", {}, t("prole." + p.role))),
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, t("team.start")),
      h("dd", {}, p.start || "—"),
      h("dt", {}, t("field.term")),
      h("dd", {}, p.term_end ? t("field.term_until", { end: p.term_end, years: p.term_years || "—" }) : t("field.term_open")),
      p.order ? [h("dt", {}, t("team.order")), h("dd", {}, p.order)] : null,
    ),
  );
}

async function noticesCard() {
  const res = await api("GET", "/notices?unread=1");
  if (res.status !== 200 || !res.data.notices.length) return null;
  return h(
    "section",
    { class: "card notices", id: "my-notices", role: "status" },
    h("h2", {}, t("field.notices", { n: fmt(res.data.notices.length) })),
    h(
      "ul",
      {},
      res.data.notices.map((n) =>
        h(
          "li",
          {},
          // To the card the notice is about: leave on this page, else the ladder.
          h("p", {}, n.text, " ", h("a", { href: n.kind === "leave" ? "#my-leave" : n.kind === "ticket" ? "#my-tickets" : "#my-ladder" }, t("field.notice_see"))),
          h("button", { type: "button", class: "secondary", onclick: async (e) => { const r = await api("POST", `/notices/${n.id}/read`, {}); if (r.status === 200) e.target.closest("li").remove(); } }, t("field.notice_read")),
        ),
      ),
    ),
  );
}

async function renderPhone(view) {
  registerWorker();
  view.append(h("h1", {}, t("field.title")));
  const status = h("div", { id: "field-sync", "aria-live": "polite" });
  hookOnline(status);
  view.append(status);
  // The cadre's own assignment and term first (the first thing asked on a
  // visit: where am I posted, as what, until when).
  const post = h("section", { class: "card mypost", id: "my-post" });
  view.append(post);
  const [pol, mine] = await Promise.all([api("GET", "/field/policy").catch(() => null), api("GET", "/cadres?per_page=1").catch(() => null)]);
  const mode = pol && pol.status === 200 ? pol.data.checkin : "daily";
  await myPost(post, mine);
  // Notices for the cadre (a ladder step proposed for them), until marked read.
  if (me() && me().role === "cadre") {
    const notes = await noticesCard().catch(() => null);
    if (notes) post.after(notes);
  }
  const r0 = await sync().catch(() => null);
  await showQueue(status, r0);

  // Check in: one tap.
  if (mode !== "none") {
    const out = h("div", { "aria-live": "polite" });
    const btn = h("button", { type: "button", class: "primary big", id: "checkin" }, t("field.checkin"));
    // An optional photo from the camera, sent with the next check-in.
    const photo = h("input", { type: "file", accept: "image/jpeg,image/png", capture: "environment", id: "checkin-photo", name: "photo" });
    const thumb = h("div", { class: "thumbs" });
    btn.addEventListener("click", async () => {
      let ph = null;
      if (photo.files && photo.files[0]) {
        try {
          ph = await preparePhoto(photo.files[0]);
        } catch (e) {
          out.replaceChildren(message("err", t("field.photo_bad") + " " + e.message));
          return;
        }
      }
      out.replaceChildren(message("info", t("field.locating")));
      if (!navigator.geolocation) {
        out.replaceChildren(message("err", t("field.no_geo")));
        return;
      }
      navigator.geolocation.getCurrentPosition(
        async (p) => {
          const body = { at: chinaNow(), lat: p.coords.latitude, lng: p.coords.longitude, accuracy: Math.round(p.coords.accuracy), device: navigator.userAgent.slice(0, 100) };
          if (ph) {
            body.photo = ph.hash;
            if (ph.blob) await enqueue({ client_id: "photo-" + ph.hash, path: "/field/photos", blob: ph.blob, captured: chinaNow() });
          }
          const r = await capture("/field/checkins", body, status);
          out.replaceChildren(message(r && r.left ? "warn" : "ok", r && r.left ? t("field.saved_offline") : t("field.checked_in", { at: body.at.slice(11, 16) })));
          if (ph) {
            photo.value = "";
            // The picture as the server keeps it (or, still queued, as taken).
            const src = r && !r.left ? "/api/v1/field/photos/" + ph.hash : ph.blob ? URL.createObjectURL(ph.blob) : "";
            if (src) thumb.replaceChildren(h("img", { src, alt: t("field.photo_alt", { at: body.at.slice(11, 16) }), id: "checkin-thumb", class: "thumb" }));
          }
        },
        (e) => out.replaceChildren(message("err", t("field.geo_error") + " " + e.message)),
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
      );
    });
    view.append(h("section", { class: "card" }, h("h2", {}, t("field.today", { day: today() })), field(t("field.photo"), photo), btn, out, thumb));
  }

  // Diary entry and household visit: one form, the kind chosen.
  {
    const kind = select("kind", [["diary", t("field.diary")], ["visit", t("field.visit")]], "diary");
    const day = h("input", { type: "date", name: "day", value: today(), required: true });
    const hh = h("input", { type: "text", name: "household", autocomplete: "off" });
    const text = h("textarea", { name: "text", rows: 3, required: true, maxlength: 2000 });
    // A photo of the visit from the camera, queued and sent like a check-in's.
    const ephoto = h("input", { type: "file", accept: "image/jpeg,image/png", capture: "environment", id: "entry-photo", name: "photo" });
    const out = h("div", { "aria-live": "polite" });
    const form = h(
      "form",
      {
        id: "entry-form",
        onsubmit: async (e) => {
          e.preventDefault();
          const body = { kind: kind.value, day: day.value, text: text.value.trim() };
          if (kind.value === "visit") body.household = hh.value.trim();
          if (ephoto.files && ephoto.files[0]) {
            let ph;
            try {
              ph = await preparePhoto(ephoto.files[0]);
            } catch (err) {
              out.replaceChildren(message("err", t("field.photo_bad") + " " + err.message));
              return;
            }
            body.photo = ph.hash;
            if (ph.blob) await enqueue({ client_id: "photo-" + ph.hash, path: "/field/photos", blob: ph.blob, captured: chinaNow() });
          }
          const r = await capture("/field/entries", body, status);
          if (r && !r.failed.length) {
            text.value = "";
            ephoto.value = "";
            out.replaceChildren(message("ok", r.left ? t("field.saved_offline") : t("field.entry_saved")));
          } else out.replaceChildren();
        },
      },
      field(t("field.kind"), kind),
      field(t("field.date"), day),
      field(t("field.household"), hh),
      field(t("field.text"), text),
      field(t("field.photo"), ephoto),
      h("button", { type: "submit", class: "primary" }, t("field.save")),
    );
    view.append(h("section", { class: "card" }, h("h2", {}, t("field.diary_title")), form, out));
  }

  // Leave.
  {
    const kind = select("kind", [["leave", t("field.kind_leave")], ["trip", t("field.kind_trip")], ["meeting", t("field.kind_meeting")]], "leave");
    const from = h("input", { type: "date", name: "from", required: true });
    const to = h("input", { type: "date", name: "to", required: true });
    const reason = h("input", { type: "text", name: "reason" });
    const out = h("div", { "aria-live": "polite" });
    const form = h(
      "form",
      {
        onsubmit: async (e) => {
          e.preventDefault();
          const res = await api("POST", "/field/leave", { kind: kind.value, from: from.value, to: to.value, reason: reason.value });
          out.replaceChildren(res.status === 201 ? message("ok", t("field.leave_asked", { approver: t("field.approver." + res.data.approver) })) : message("err", errorText(res)));
        },
      },
      field(t("field.kind"), kind),
      field(t("field.from"), from),
      field(t("field.to"), to),
      field(t("field.reason"), reason),
      h("button", { type: "submit", class: "primary" }, t("field.ask_leave")),
    );
    // The cadre's own requests; an approved leave not yet ended is closed
    // here (销假) with the day back, which may be before or after its end.
    const mine = await api("GET", "/field/leave");
    const rows = mine.status === 200 ? mine.data.leave : [];
    const list = rows.length
      ? table(t("field.my_leave"), [
          { key: "kind", label: t("field.kind"), render: (l) => t("field.kind_" + l.kind) },
          { key: "from", label: t("field.from") },
          { key: "to", label: t("field.to") },
          { key: "status", label: t("field.status"), render: (l) => (l.returned ? t("field.returned") + " " + l.returned : t("field.leave_status_" + l.status)) },
          {
            key: "x",
            label: "",
            render: (l) =>
              l.status === "approved" && !l.returned
                ? h(
                    "button",
                    {
                      type: "button",
                      class: "secondary return",
                      onclick: async () => {
                        const date = prompt(t("field.return_prompt"), today());
                        if (!date) return;
                        const r = await api("POST", `/field/leave/${l.id}/return`, { date });
                        if (r.status === 200) refresh();
                        else out.replaceChildren(message("err", errorText(r)));
                      },
                    },
                    t("field.do_return"),
                  )
                : "",
          },
        ], rows)
      : null;
    view.append(h("section", { class: "card", id: "my-leave" }, h("h2", {}, t("field.leave_title")), form, out, list));
  }

  // The ladder's steps proposed for the cadre, with the appeal (申诉).
  const assess = await import("./assess.js").catch(() => null);
  const steps = assess ? await assess.ladderCard().catch(() => null) : null;
  if (steps) view.append(steps);
  // The tickets of the inspections' findings assigned to the cadre (整改).
  const tickets = assess ? await assess.ticketCard().catch(() => null) : null;
  if (tickets) view.append(tickets);

  // The cadre's own recent entries, each correctable (修改) within the
  // policy's back-dating window; the server keeps every earlier version.
  const entries = h("section", { class: "card", id: "my-entries" });
  view.append(entries);
  const window_ = pol && pol.status === 200 ? pol.data.diary_backdate_days : 0;
  const daysAgo = (day) => Math.round((Date.parse(today()) - Date.parse(day)) / 86400000);
  async function loadEntries() {
    const res = await api("GET", "/field/entries?limit=10").catch(() => null);
    if (!res || res.status !== 200) return; // offline: keep what is shown
    const out = h("div", { "aria-live": "polite" });
    const edit = {
      key: "x",
      label: "",
      render: (e) =>
        daysAgo(e.day) <= window_
          ? h(
              "button",
              {
                type: "button",
                class: "secondary edit",
                onclick: async () => {
                  const text = prompt(t("field.edit_prompt"), e.text);
                  if (text === null) return;
                  const body = {};
                  if (text.trim() && text.trim() !== e.text) body.text = text.trim();
                  // A visit may have named the wrong household (户编号):
                  // the server checks the new one is of the village.
                  const hh = e.kind === "visit" ? prompt(t("field.edit_household_prompt"), e.household || "") : null;
                  if (hh && hh.trim() && hh.trim() !== e.household) body.household = hh.trim();
                  if (!Object.keys(body).length) return;
                  const r = await api("PATCH", "/field/entries/" + e.id, body);
                  if (r.status === 200) loadEntries();
                  else out.replaceChildren(message("err", errorText(r)));
                },
              },
              t("field.edit"),
            )
          : "",
    };
    // Compact for 360 px: the day, what was written (kind, household,
    // version with it), the button.
    const cols = [
      { key: "day", label: t("field.date"), render: (e) => e.day.slice(5) },
      {
        key: "text",
        label: t("field.text"),
        wide: true,
        render: (e) => `${t(e.kind === "visit" ? "field.visit" : "field.diary")}${e.household ? " " + e.household : ""}：${e.text}${e.version > 1 ? "（" + t("field.version_n", { n: e.version }) + "）" : ""}`,
      },
      edit,
    ];
    entries.replaceChildren(h("h2", {}, t("field.my_entries")), out, table(null, cols, res.data.entries));
  }

  // The month's own ledger, drawn again whenever records reach the server. A
  // day without evidence can be contested (申诉: "I was in the village, the
  // phone had no signal"); the county decides, and an accepted day counts.
  const ledger = h("section", { class: "card", id: "my-ledger" });
  view.append(ledger);
  afterSync = () => Promise.all([loadLedger(), loadEntries()]);
  await afterSync();
  async function loadLedger() {
    const month = thisMonth();
    const [res, con] = await Promise.all([api("GET", "/field/presence?month=" + month).catch(() => null), api("GET", "/field/contests").catch(() => null)]);
    if (!res) return; // offline: keep what is shown
    const contested = {};
    for (const c of con && con.status === 200 ? con.data.contests : []) contested[c.date] = c;
    const out = h("div", { "aria-live": "polite" });
    const contest = {
      key: "contest",
      label: t("field.contest_col"),
      render: (d) => {
        const day = dayOf(month, d.day);
        if (contested[day]) return contestText(contested[day]);
        if (d.state !== "absent") return "";
        return h(
          "button",
          {
            type: "button",
            class: "secondary contest",
            onclick: async () => {
              const reason = prompt(t("field.contest_prompt", { day }));
              if (!reason || !reason.trim()) return;
              const r = await api("POST", "/field/contests", { date: day, reason: reason.trim() });
              if (r.status === 201) loadLedger();
              else out.replaceChildren(message("err", errorText(r)));
            },
          },
          t("field.contest"),
        );
      },
    };
    ledger.replaceChildren(h("h2", {}, t("field.my_month", { month })), out);
    if (res.status !== 200) ledger.append(message("err", errorText(res)));
    else if (!res.data.rows.length) ledger.append(message("info", t("field.not_stationed")));
    else ledger.append(summary(res.data.rows[0]), ledgerTable(res.data.rows[0], contest));
  }
}

// ---- the county's page -------------------------------------------------------------------

// A case's evidence "checkin:12,checkin:13,visit:5" as "签到 #12、#13 · 走访 #5".
function evidenceText(ev) {
  const by = {};
  for (const part of (ev || "").split(",").filter(Boolean)) {
    const [kind, id] = part.split(":");
    (by[kind] = by[kind] || []).push("#" + id);
  }
  return Object.entries(by).map(([k, ids]) => t("field.ev_" + k) + " " + ids.join("、")).join(" · ") || "—";
}

// One cadre's month for the county and township (#/presence?month=&cadre=):
// the days with the records behind them, then every diary entry and visit
// of the month with the household visited.
async function renderCadreMonth(view, month, cadre) {
  const back = "#/presence?month=" + month;
  const [pres, ents] = await Promise.all([
    api("GET", `/field/presence?month=${month}&cadre=${encodeURIComponent(cadre)}`),
    api("GET", `/field/entries?month=${month}&cadre=${encodeURIComponent(cadre)}&limit=1000`),
  ]);
  const row = pres.status === 200 ? pres.data.rows[0] : null;
  view.append(h("h1", {}, t("field.cadre_month", { name: row ? row.name : cadre, month })), h("p", {}, h("a", { href: back, id: "back-ledger" }, t("field.back_ledger"))));
  if (pres.status !== 200) return view.append(message("err", errorText(pres)));
  if (!row) return view.append(message("info", t("field.not_stationed")));
  view.append(
    h("section", { class: "card", id: "cadre-month" }, h("h2", {}, `${row.name} · ${row.village_name}`), summary(row), ledgerTable(row)),
    h(
      "section",
      { class: "card", id: "cadre-entries" },
      ents.status === 200 ? entriesTable(t("field.entries_month", { n: fmt(ents.data.entries.length) }), ents.data.entries) : message("err", errorText(ents)),
    ),
  );
}

// The open contests of the jurisdiction; the county (level >= 2) decides
// each, accepting it or rejecting it with a reason; below it they are shown
// as waiting for the county.
async function contestsCard(level) {
  const res = await api("GET", "/field/contests?status=open");
  if (res.status !== 200) return null;
  const out = h("div", { "aria-live": "polite" });
  const decide = async (c, action) => {
    const body = {};
    if (action === "reject") {
      const note = prompt(t("field.contest_reject_reason"));
      if (!note || !note.trim()) return;
      body.note = note.trim();
    }
    const r = await api("POST", `/field/contests/${c.id}/${action}`, body);
    if (r.status === 200) refresh();
    else out.replaceChildren(message("err", errorText(r)));
  };
  return h(
    "section",
    { class: "card", id: "contests" },
    h("h2", {}, t("field.contests", { n: fmt(res.data.contests.length) })),
    h("p", { class: "hint" }, t("field.contests_hint")),
    out,
    table(
      null,
      [
        { key: "date", label: t("field.date") },
        { key: "name", label: t("field.name") },
        { key: "village_name", label: t("field.village") },
        { key: "reason", label: t("field.reason"), wide: true },
        {
          key: "x",
          label: "",
          render: (c) =>
            level >= 2
              ? h(
                  "span",
                  {},
                  h("button", { type: "button", class: "secondary accept", onclick: () => decide(c, "accept") }, t("field.accept")),
                  " ",
                  h("button", { type: "button", class: "secondary reject", onclick: () => decide(c, "reject") }, t("field.reject")),
                )
              : t("field.contests_county"),
        },
      ],
      res.data.contests,
    ),
  );
}

async function renderDesk(view, ctx) {
  // The server's today decides the default month (a demo runs in its scenario's year).
  const pol = await api("GET", "/field/policy");
  const month = ctx.query.get("month") || (pol.status === 200 ? pol.data.now.slice(0, 7) : thisMonth());
  if (ctx.query.get("cadre")) return renderCadreMonth(view, month, ctx.query.get("cadre"));
  view.append(h("h1", {}, t("field.desk_title", { month })));
  view.append(h("form", { class: "filters" }, monthPicker(month, (m) => (location.hash = "#/presence?month=" + m))));
  const [pres, cases, leave] = await Promise.all([
    api("GET", "/field/presence?month=" + month),
    me().role === "cadre" ? null : api("GET", "/field/cases?month=" + month),
    api("GET", "/field/leave?status=pending"),
  ]);
  if (pres.status !== 200) {
    view.append(message("err", errorText(pres)));
    return;
  }
  const rows = pres.data.rows;
  const ok = rows.filter((r) => r.ok).length;
  const cols = [
    { key: "id_number", label: t("field.id_number") },
    // A cadre's name opens their month: days, diary entries and visits.
    { key: "name", label: t("field.name"), render: (r) => h("a", { href: `#/presence?month=${month}&cadre=${r.cadre}`, class: "cadre-month" }, r.name) },
    { key: "village_name", label: t("field.village") },
    { key: "days", label: t("field.days"), num: true },
    { key: "nights", label: t("field.nights"), num: true },
    { key: "leave_days", label: t("field.leave_days"), num: true },
    { key: "trip_days", label: t("field.trip_days"), num: true },
    { key: "required_days", label: t("field.required"), num: true },
    { key: "ok", label: t("field.rule"), render: (r) => h("span", { class: "tag " + (r.ok ? "ok" : "bad") }, r.ok ? t("field.ok") : t("field.not_ok")) },
    { key: "evidence", label: t("field.evidence"), num: true },
  ];
  // Those who missed the rule first; the whole ledger one click away.
  const sorted = rows.slice().sort((a, b) => a.ok - b.ok || a.days - b.days);
  const missed = sorted.filter((r) => !r.ok);
  const holder = h("div", { id: "ledger-table" }, table(t("field.missed_caption", { n: fmt(missed.length) }), cols, missed));
  const all = h("button", { type: "button", class: "secondary", id: "ledger-all", onclick: () => { holder.replaceChildren(table(null, cols, sorted)); all.remove(); } }, t("field.show_all", { n: fmt(rows.length) }));
  view.append(
    h(
      "section",
      { class: "card" },
      h("h2", {}, t("field.ledger")),
      h("p", {}, t("field.ledger_summary", { n: fmt(rows.length), ok: fmt(ok), bad: fmt(rows.length - ok) })),
      h("p", { class: "exports" }, xlsxLink("/field/presence?month=" + month, t("field.ledger_xlsx"))),
      holder,
      rows.length > missed.length ? all : null,
    ),
  );
  // Where the cadres are: each village a point (no base map: China's map data
  // needs an approval number to publish), red where its cadre missed the rule.
  const placed = rows.filter((r) => r.lat !== null && r.lng !== null);
  if (placed.length) {
    const el = h("div", { class: "chart", id: "presence-map", role: "img", "aria-label": t("field.map_label") });
    view.append(h("section", { class: "card" }, h("h2", {}, t("field.map")), el));
    loadECharts()
      .then((echarts) => {
        const chart = echarts.init(el, null, { renderer: "svg" });
        const pts = (ok) => placed.filter((r) => r.ok === ok).map((r) => ({ name: `${r.name} · ${r.village_name}`, value: [r.lng, r.lat, r.days] }));
        chart.setOption({
          animation: false,
          tooltip: { formatter: (p) => `${p.name}<br>${t("field.days")}: ${p.value[2]}` },
          legend: { bottom: 0 },
          // The axes' names beside their axes, not over the last label or out
          // of the chart; few labels on a phone, none over another.
          grid: { left: 56, right: 16, top: 16, bottom: 64 },
          xAxis: { type: "value", scale: true, name: t("field.lng"), nameLocation: "middle", nameGap: 24, splitNumber: el.clientWidth < 480 ? 3 : 5, axisLabel: { hideOverlap: true, showMinLabel: false, formatter: (v) => v.toFixed(2) } },
          yAxis: { type: "value", scale: true, name: t("field.lat"), nameLocation: "middle", nameGap: 44, axisLabel: { hideOverlap: true, formatter: (v) => v.toFixed(2) } },
          series: [
            { name: t("field.ok"), type: "scatter", symbolSize: 7, itemStyle: { color: "#3b8b4a" }, data: pts(true) },
            { name: t("field.not_ok"), type: "scatter", symbolSize: 11, itemStyle: { color: "#a61b1b" }, data: pts(false) },
          ],
        });
        new ResizeObserver(() => chart.resize()).observe(el);
      })
      .catch(() => el.replaceChildren(message("err", t("app.error"))));
  }
  if (cases && cases.status === 200) view.append(casesCard(cases.data.cases, month));
  if (["county", "city", "province", "admin"].includes(me().role)) view.append(await policyCard(pol));
  if (leave && leave.status === 200) {
    const level = leave.data.level;
    const contests = await contestsCard(level).catch(() => null);
    if (contests) view.append(contests);
    const order = ["", "township", "county", "city", "province"];
    view.append(
      h(
        "section",
        { class: "card", id: "leave-queue" },
        h("h2", {}, t("field.leave_queue", { n: fmt(leave.data.leave.length) })),
        table(
          null,
          [
            ...leaveCols(),
            { key: "approver", label: t("field.approver_col"), render: (l) => t("field.approver." + l.approver) },
            {
              key: "x",
              label: "",
              render: (l) =>
                level >= order.indexOf(l.approver)
                  ? h("span", {}, 
                      h("button", { type: "button", class: "secondary", onclick: async () => { const r = await api("POST", `/field/leave/${l.id}/approve`, {}); if (r.status === 200) refresh(); else alert(errorText(r)); } }, t("field.approve")),
                      " ",
                      h("button", { type: "button", class: "secondary", onclick: async () => { const note = prompt(t("field.reject_reason")); if (!note) return; const r = await api("POST", `/field/leave/${l.id}/reject`, { note }); if (r.status === 200) refresh(); else alert(errorText(r)); } }, t("field.reject")),
                    )
                  : t("field.approver." + l.approver),
            },
          ],
          leave.data.leave,
        ),
      ),
    );
  }
}

// The "两头跑" cases of the month, each with its evidence. The county (and
// the city and province above it) confirms (核实) the cases it has checked,
// several at once with one reason; staff and inspectors dismiss (销号) a
// case that does not hold. A verdict keeps the case listed, and a later one
// replaces it (a confirmed case dismissed on appeal).
function casesCard(list, month) {
  const role = me().role;
  const canConfirm = ["county", "city", "province", "admin"].includes(role);
  const canDismiss = canConfirm || ["township", "inspector"].includes(role);
  const picked = new Map(); // "cadre|date|rule" -> the case
  const keyOf = (c) => `${c.cadre}|${c.date}|${c.rule}`;
  const isOpen = (c) => !c.dismissed && !c.confirmed;
  const out = h("div", { "aria-live": "polite" });
  const reason = h("input", { type: "text", id: "case-reason", maxlength: "200", placeholder: t("field.case_reason_hint") });
  const confirmBtn = h("button", { type: "button", class: "primary", id: "cases-confirm", disabled: true }, t("field.confirm_selected", { n: 0 }));
  const dismissBtn = h("button", { type: "button", class: "secondary", id: "cases-dismiss", disabled: true }, t("field.dismiss_selected", { n: 0 }));
  const boxes = [];
  const sync = () => {
    confirmBtn.textContent = t("field.confirm_selected", { n: picked.size });
    dismissBtn.textContent = t("field.dismiss_selected", { n: picked.size });
    confirmBtn.disabled = dismissBtn.disabled = picked.size === 0;
  };
  const decide = async (verdict) => {
    const why = reason.value.trim();
    if (!why) {
      out.replaceChildren(message("err", t("field.case_need_reason")));
      reason.focus();
      return;
    }
    const cases = [...picked.values()].map((c) => ({ cadre: c.cadre, date: c.date, rule: c.rule }));
    const r = await api("POST", "/field/cases/" + verdict, { cases, reason: why });
    if (r.status === 200) refresh();
    else out.replaceChildren(message("err", errorText(r)));
  };
  confirmBtn.addEventListener("click", () => decide("confirm"));
  dismissBtn.addEventListener("click", () => decide("dismiss"));
  const pick = (c) => {
    const box = h("input", { type: "checkbox", class: "case-pick", "aria-label": t("field.case_pick", { name: c.name, date: c.date }) });
    box.addEventListener("change", () => {
      if (box.checked) picked.set(keyOf(c), c);
      else picked.delete(keyOf(c));
      sync();
    });
    boxes.push([box, c]);
    return box;
  };
  const status = (c) =>
    c.confirmed ? t("field.confirmed") + ": " + c.confirm_reason : c.dismissed ? t("field.dismissed") + ": " + c.dismiss_reason : t("field.open");
  const open = list.filter(isOpen).length;
  const cols = [
    ...(canDismiss ? [{ key: "pick", label: t("field.case_pick_col"), render: pick }] : []),
    { key: "date", label: t("field.date") },
    { key: "rule", label: t("field.rule_name"), render: (c) => t("case." + c.rule) },
    { key: "name", label: t("field.name") },
    { key: "village_name", label: t("field.village") },
    { key: "detail", label: t("field.detail"), wide: true, render: (c) => (document.documentElement.lang === "zh-CN" && c.detail_zh) || c.detail },
    { key: "evidence", label: t("field.records"), render: (c) => evidenceText(c.evidence) },
    { key: "dismissed", label: t("field.status"), render: status },
  ];
  const card = h(
    "section",
    { class: "card", id: "cases" },
    h("h2", {}, t("field.cases", { n: fmt(list.length) })),
    h("p", { class: "hint" }, t("field.cases_hint")),
    list.length ? h("p", { class: "exports" }, xlsxLink("/field/cases?month=" + encodeURIComponent(month), t("field.cases_xlsx"))) : null,
  );
  if (canDismiss && list.length) {
    const all = h("button", { type: "button", class: "secondary", id: "cases-all", disabled: !open }, t("field.select_open", { n: fmt(open) }));
    all.addEventListener("click", () => {
      for (const [box, c] of boxes) {
        if (!isOpen(c)) continue;
        box.checked = true;
        picked.set(keyOf(c), c);
      }
      sync();
    });
    card.append(h("div", { class: "toolbar", id: "cases-verdict" }, all, field(t("field.case_reason"), reason), canConfirm ? confirmBtn : null, dismissBtn), out);
  }
  card.append(table(null, cols, list));
  return card;
}

// The field rules in force for the account's jurisdiction, and the county's
// choice of them: a policy of the policy directory, for the whole county (a
// township or village below may have its own, set over the API or CLI).
async function policyCard(pol) {
  const card = h("section", { class: "card", id: "field-policy" }, h("h2", {}, t("field.policy_title")));
  if (!pol || pol.status !== 200) {
    card.append(message("err", errorText(pol)));
    return card;
  }
  const p = pol.data;
  const where = me().scope_name || me().scope || t("field.policy_everywhere");
  const name = await policyLabel(p.policy);
  card.append(
    h("p", { id: "field-policy-now" }, p.chosen_for ? t("field.policy_chosen", { where, name }) : t("field.policy_default", { where, name })),
    h("p", { class: "hint" }, t("field.policy_rules", { checkin: t("field.checkin_" + p.checkin), days: p.days_per_month, week: p.days_per_week, nights: p.nights_per_week, radius: p.geofence_radius_m })),
  );
  if (!me().scope) return card; // an unscoped account: nothing to choose for
  const list = await api("GET", "/policies").catch(() => null);
  const names = list && list.status === 200 ? list.data.items.map((x) => [x.name, x.title ? `${x.name} · ${x.title}` : x.name]) : [];
  const sel = select("policy", names, p.policy);
  const out = h("div", { "aria-live": "polite" });
  const choose = h("button", { type: "submit", class: "primary", id: "field-policy-choose" }, t("field.policy_choose"));
  const reset = h(
    "button",
    {
      type: "button",
      class: "secondary",
      id: "field-policy-reset",
      onclick: async () => {
        const r = await api("DELETE", "/field/policies/" + me().scope);
        if (r.status === 200) refresh();
        else out.replaceChildren(message("err", errorText(r)));
      },
    },
    t("field.policy_reset"),
  );
  card.append(
    h(
      "form",
      {
        class: "filters",
        onsubmit: async (e) => {
          e.preventDefault();
          const r = await api("POST", "/field/policies", { division: me().scope, policy: sel.value });
          if (r.status === 201) refresh();
          else out.replaceChildren(message("err", errorText(r)));
        },
      },
      field(t("field.policy_pick"), sel),
      choose,
      p.chosen_for ? reset : null,
    ),
    out,
  );
  return card;
}

// The columns every list of leave shows: who, where, what, when, why.
function leaveCols() {
  return [
    { key: "name", label: t("field.name") },
    { key: "village_name", label: t("field.village") },
    { key: "kind", label: t("field.kind"), render: (l) => t("field.kind_" + l.kind) },
    { key: "from", label: t("field.from") },
    { key: "to", label: t("field.to") },
    { key: "days", label: t("field.days_n"), num: true },
    { key: "reason", label: t("field.reason") },
  ];
}

// A sending unit's page (派出单位, role unit): the leave and 销假 of the cadres
// the unit sent, wherever they serve, copied to it (抄送); nothing to decide.
async function renderUnit(view) {
  const res = await api("GET", "/field/leave");
  view.append(h("h1", {}, t("field.unit_title", { unit: me().unit || "" })));
  if (res.status !== 200) return view.append(message("err", errorText(res)));
  view.append(
    h(
      "section",
      { class: "card", id: "unit-leave" },
      table(
        null,
        [
          ...leaveCols(),
          { key: "status", label: t("field.status"), render: (l) => t("field.leave_status_" + l.status) },
          { key: "returned", label: t("field.returned") },
        ],
        res.data.leave,
      ),
    ),
  );
}

export async function render(view, ctx) {
  if (me().role === "unit") return renderUnit(view);
  if (ctx.name === "field") return renderPhone(view);
  return renderDesk(view, ctx);
}
