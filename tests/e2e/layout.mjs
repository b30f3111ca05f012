// SPDX-License-Identifier: MIT
// layout.mjs - the layout checks of the browser tests (web.mjs, assess.mjs,
// households.mjs), each run in the page: text wrapped a character per
// line, phrases broken, boxes overlapping, chart text colliding, English in
// the Chinese pages, codes shown for names, tap targets under 44 px.
// A context needs TEXT_LINES as an init script (context.addInitScript).
import { readFileSync } from "node:fs";
import { join } from "node:path";

// ---- layout checks, run in the page -------------------------------------------------
// (each page gets window.textLines from the init script below: the number of
// lines the text of an element takes, counted from its text nodes' boxes, so
// that a button's padding or a tag's border is not taken for a line)
export const TEXT_LINES = `window.lineCount = (rects) => {
  const mids = [...rects].filter((x) => x.width > 0 && x.height > 0).map((x) => (x.top + x.bottom) / 2).sort((a, b) => a - b);
  let n = 0, last = -1e9;
  for (const m of mids) { if (m - last > 8) n++; last = m; }
  return n;
};
window.textLines = (el) => {
  const rects = [];
  const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    if (!n.data.trim()) continue;
    const r = document.createRange();
    r.selectNodeContents(n);
    rects.push(...r.getClientRects());
  }
  return window.lineCount(rects);
};`;

// Text that runs over more than one line: elements matching `sel` whose
// contents take more than one line box (a name or link squeezed to a
// character per line, a phrase broken in the middle).
export async function multiLine(page, sel) {
  return page.evaluate((sel_) => {
    const bad = [];
    for (const el of document.querySelectorAll(sel_)) {
      if (!el.getClientRects().length) continue;
      if (textLines(el) > 1) bad.push(el.textContent.trim().slice(0, 24));
    }
    return bad;
  }, sel);
}

// The cells of the table columns headed by one of `labels` (in `root`),
// and every link or button in those tables, must be on one line.
export async function columnsOneLine(page, root, labels) {
  return page.evaluate(
    ([root_, labels_]) => {
      const bad = [];
      for (const tb of document.querySelectorAll(root_ + " table")) {
        const heads = [...tb.querySelectorAll("thead th")].map((th) => th.textContent.trim());
        const idx = heads.map((x, i) => (labels_.includes(x) ? i : -1)).filter((i) => i >= 0);
        for (const tr of tb.querySelectorAll("tbody tr")) {
          const cells = [...tr.cells].filter((c, i) => idx.includes(i) || c.querySelector("button, a"));
          for (const c of cells) {
            if (!c.getClientRects().length) continue;
            if (textLines(c) > 1) bad.push(c.textContent.trim().slice(0, 24));
          }
        }
      }
      return bad;
    },
    [root, labels],
  );
}

// Phrases of "a · b · c" lines (matching `sel`) broken inside a phrase.
export async function phrasesBroken(page, sel) {
  return page.evaluate((sel_) => {
    const bad = [];
    for (const el of document.querySelectorAll(sel_)) {
      const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      const nodes = [];
      let text = "";
      for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        nodes.push([n, text.length]);
        text += n.data;
      }
      const at = (i) => {
        for (let k = nodes.length - 1; k >= 0; k--) if (nodes[k][1] <= i) return [nodes[k][0], i - nodes[k][1]];
        return null;
      };
      let pos = 0;
      for (const ph of text.split(" · ")) {
        const start = pos, end = pos + ph.length;
        pos = end + 3;
        if (!ph.trim()) continue;
        const a = at(start), b = at(end - 1);
        const r = document.createRange();
        r.setStart(a[0], a[1]);
        r.setEnd(b[0], b[1] + 1);
        if (lineCount(r.getClientRects()) > 1) bad.push(ph);
      }
    }
    return bad;
  }, sel);
}

// Any table cell wrapped a character per line (as many lines as characters).
export async function charPerLine(page) {
  return page.evaluate(() => {
    const bad = [];
    for (const c of document.querySelectorAll("td, th")) {
      const text = c.textContent.replace(/\s+/g, "");
      // (a closed <details> keeps its content laid out but not shown)
      if (text.length < 2 || !c.getClientRects().length || c.closest("details:not([open])")) continue;
      const lines = textLines(c);
      if (lines >= 2 && text.length / lines <= 1.5) {
        const tb = c.closest("table");
        const where = tb ? (tb.caption ? tb.caption.textContent : tb.querySelector("th")?.textContent || "") : "";
        bad.push(`${text.slice(0, 16)} (${c.tagName.toLowerCase()} in ${where.trim().slice(0, 12)}, ${Math.round(c.getBoundingClientRect().width)}px)`);
      }
    }
    return bad;
  });
}

// Controls, headings and figures whose boxes overlap (neither inside the other).
export async function overlaps(page) {
  return page.evaluate(() => {
    const els = [...document.querySelectorAll("main h1, main h2, main button, main a, main input, main select, main label, main .kpi, main .chart, #top a, #top button, #top #who, #top #asof")].filter(
      (e) => e.getClientRects().length && getComputedStyle(e).visibility !== "hidden" && !e.closest("dialog:not([open])") && !e.closest("details:not([open]) > :not(summary)"),
    );
    const box = els.map((e) => e.getBoundingClientRect());
    const bad = [];
    for (let i = 0; i < els.length; i++)
      for (let j = i + 1; j < els.length; j++) {
        if (els[i].contains(els[j]) || els[j].contains(els[i])) continue;
        const a = box[i], b = box[j];
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const hh = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 2 && hh > 2) bad.push(`${els[i].tagName}:${els[i].textContent.trim().slice(0, 12)} / ${els[j].tagName}:${els[j].textContent.trim().slice(0, 12)}`);
        if (bad.length > 5) return bad;
      }
    return bad;
  });
}

// Text the charts draw (ECharts' SVG <text>: legends, axis labels, values)
// that runs into other text, runs out of its chart, or a legend paged
// "1/2 ▶"; and names of the chart's data table missing from the chart (an
// axis label dropped).
export async function chartClash(page) {
  return page.evaluate(() => {
    const bad = [];
    for (const chart of document.querySelectorAll(".chart")) {
      const svg = chart.querySelector("svg");
      if (!svg || !chart.getClientRects().length) continue;
      const card = chart.closest("section");
      const title = (card && card.querySelector("h2, caption")?.textContent.trim()) || chart.id || "chart";
      const cb = chart.getBoundingClientRect();
      const texts = [...svg.querySelectorAll("text")].filter((x) => x.textContent.trim() && x.getClientRects().length && x.getAttribute("opacity") !== "0" && getComputedStyle(x).visibility !== "hidden");
      const boxes = texts.map((x) => x.getBoundingClientRect());
      for (let i = 0; i < texts.length; i++) {
        const a = boxes[i], ta = texts[i].textContent.trim();
        if (/^\d+\/\d+$/.test(ta)) bad.push(`${title}: legend paged "${ta}"`);
        if (a.left < cb.left - 1 || a.right > cb.right + 1 || a.top < cb.top - 1 || a.bottom > cb.bottom + 1) bad.push(`${title}: "${ta}" runs out of the chart`);
        for (let j = i + 1; j < texts.length; j++) {
          const b = boxes[j];
          const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const hh = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (w > 1 && hh > 1) bad.push(`${title}: "${ta}" / "${texts[j].textContent.trim()}"`);
        }
      }
      const shown = texts.map((x) => x.textContent.trim()).join("\n");
      const data = card && card.querySelector("details.data");
      if (data)
        for (const tr of data.querySelectorAll("tbody tr")) {
          const name = tr.cells[0].textContent.trim();
          if (name && !shown.includes(name)) bad.push(`${title}: "${name}" not drawn`);
        }
      if (bad.length > 12) break;
    }
    return bad;
  });
}

// Words of English in the Chinese pages (the header and <main>), other
// than names of formats and the ids of policy files and accounts.
export async function englishWords(page) {
  return page.evaluate(() => {
    // Text node by text node (cells side by side are not one word); the
    // policy list names its files, #who the account, #lang the way out.
    const parts = [];
    for (const root of [document.getElementById("top"), document.getElementById("main")]) {
      const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode())
        if (!n.parentElement.closest("select[name=policy], #lang, #who, script, style, dialog:not([open])")) parts.push(n.data);
    }
    // Formats, datums, policy files (mashan-2018) and unit codes (nn-soe-12)
    // shown beside the unit's name.
    const allowed = /^(Excel|XLSX|CSV|PDF|HTML|JSON|ECharts|GPS|ID|WGS84|GCJ02|BD09|WGS-84|GCJ-02|BD-09|[a-z]+-\d{4}(-\d+)?|[a-z]{2,}(-[a-z0-9]+)+-\d+)$/;
    return [...new Set((parts.join(" ").match(/[A-Za-z][A-Za-z0-9_-]*[A-Za-z0-9]/g) || []).filter((w) => /[A-Za-z]{3}/.test(w) && !allowed.test(w)))].slice(0, 12);
  });
}

// Table cells that show a code where the page knows the name: a unit code
// (nn-soe-12) as a cell of its own, or a bare 12-digit division code in a
// column not headed as a code.
export async function codesForNames(page) {
  return page.evaluate(() => {
    const bad = [];
    for (const tb of document.querySelectorAll("main table, dialog[open] table")) {
      const heads = [...tb.querySelectorAll("thead th")].map((th) => th.textContent.trim());
      for (const tr of tb.querySelectorAll("tbody tr"))
        [...tr.cells].forEach((c, i) => {
          const x = c.textContent.trim();
          if (/^[a-z]{2,}(-[a-z0-9]+)+-\d+$/.test(x) || (/^\d{12}$/.test(x) && !/代码|编号/.test(heads[i] || ""))) bad.push(`${heads[i] || "?"}: ${x}`);
        });
    }
    return [...new Set(bad)].slice(0, 8);
  });
}

// Interactive elements smaller than 44 x 44 px.
export async function smallTargets(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("a[href], button, input:not([type=hidden]):not([type=file]), select, textarea, summary")]
      .filter((e) => e.getClientRects().length && getComputedStyle(e).visibility !== "hidden")
      // A checkbox is tapped on its label too: the two together.
      .map((e) => {
        const r = e.getBoundingClientRect();
        if (!/^(checkbox|radio)$/.test(e.type || "") || !e.labels || !e.labels.length) return [e, r];
        const l = e.labels[0].getBoundingClientRect();
        const left = Math.min(r.left, l.left), right = Math.max(r.right, l.right);
        const top = Math.min(r.top, l.top), bottom = Math.max(r.bottom, l.bottom);
        return [e, { width: right - left, height: bottom - top }];
      })
      .filter(([e, r]) => (r.height < 44 || r.width < 44) && !(e.id === "skip"))
      .map(([e, r]) => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""} "${(e.textContent || e.name || "").trim().slice(0, 12)}" ${Math.round(r.width)}x${Math.round(r.height)}`),
  );
}


// Every check above of the page on screen, `W` px wide, as lists of what
// is wrong (each prefixed with `where`): the page scrolls sideways, a cell
// wraps a character per line, boxes overlap, chart text collides, English
// words, codes for names, no date of the figures in the header.
export async function layoutProblems(page, W, where) {
  const out = { scroll: [], chars: [], overlap: [], charts: [], english: [], codes: [], asof: [] };
  const sw = await page.evaluate(() => document.documentElement.scrollWidth);
  if (sw > W) out.scroll.push(`${where}: ${sw}px`);
  for (const c of await charPerLine(page)) out.chars.push(`${where}: ${c}`);
  for (const o of await overlaps(page)) out.overlap.push(`${where}: ${o}`);
  for (const c of await chartClash(page)) out.charts.push(`${where}: ${c}`);
  for (const w of await englishWords(page)) out.english.push(`${where}: ${w}`);
  for (const c of await codesForNames(page)) out.codes.push(`${where}: ${c}`);
  const asof = await page.locator("#asof").innerText({ timeout: 2000 }).catch(() => "");
  if (!/数据截至 \d{4}-\d{2}-\d{2}/.test(asof)) out.asof.push(`${where}: "${asof}"`);
  return out;
}

// The names of the checks of layoutProblems, for the test's lines.
export const LAYOUT_CHECKS = [
  ["scroll", "no page scrolls sideways"],
  ["chars", "no table cell wraps a character per line"],
  ["overlap", "nothing overlaps (headings, controls, figures)"],
  ["charts", "chart legends and labels neither collide nor page nor drop a name"],
  ["english", "no English words in the Chinese pages"],
  ["codes", "names, not codes, where the name is known"],
  ["asof", "the figures' date (数据截至) on every page"],
];

// Click a link that downloads a file; keep it in `dir` and return {name, bytes}.
export async function download(page, locator, dir) {
  const [dl] = await Promise.all([page.waitForEvent("download", { timeout: 15000 }), locator.click({ timeout: 5000 })]);
  const name = dl.suggestedFilename();
  const path = join(dir, name);
  await dl.saveAs(path);
  return { name, bytes: readFileSync(path) };
}
// A screenshot for the reviewer. `make check` (two cores) keeps them cheap:
// CSS pixels (a phone's 2x page has four times the pixels to encode) and the
// first 4000 px of a long page. ZC_WEB_TOUR=full (`make fuzz`) saves them at
// the device's scale, up to 8000 px. Encoding the PNGs was more than half of
// web.sh's browser time at the device scale.
export async function screenshot(page, path, opts = {}) {
  const full = process.env.ZC_WEB_TOUR === "full";
  const maxH = full ? 8000 : 4000;
  const o = { path, timeout: 60000, ...(full ? {} : { scale: "css" }), ...opts };
  if (!o.fullPage) return page.screenshot(o);
  const h = await page.evaluate(() => document.documentElement.scrollHeight);
  const w = page.viewportSize().width;
  return page.screenshot({ ...o, ...(h > maxH ? { clip: { x: 0, y: 0, width: w, height: maxH } } : {}) });
}

export const isXlsx = (f) => f.bytes.length > 1000 && f.bytes[0] === 0x50 && f.bytes[1] === 0x4b; // "PK": a zip

// ZC_E2E_TIMES=1: a result's line ends with the seconds since the walk
// began, to see where a browser walk spends make check's budget.
export const stamp = () => (process.env.ZC_E2E_TIMES ? ` [${(performance.now() / 1000).toFixed(1)} s]` : "");
