/* SPDX-License-Identifier: MIT */
/* doc_html.c - the HTML writer: one self-contained UTF-8 page.
 *
 * The page must open from a USB stick on an office PC with no network and
 * print as the PDF does, so everything is inline: the CSS (with @media print
 * rules for A4, 20 mm margins, header rows repeated and rows never split
 * across pages) and the charts, drawn as inline SVG (no xmlns attribute, which
 * HTML5 does not need, so the page names no other address at all). Every
 * piece of document text goes through html_escape(). The page is built in
 * one buffer and written through the temporary file of doc.c. */
#include "report/report_int.h"

#include <stdio.h>
#include <string.h>

#include "base/mem.h"

#define SVG_WIDTH   640 /* chart width in CSS pixels */
#define SVG_LABEL_W 150 /* label column */
#define SVG_VALUE_W 70  /* room for the value after the longest bar */
#define SVG_ROW_H   22  /* one bar and its gap */
#define SVG_TOP     18  /* room above the bars for the target's label */

static const char page_css[] =
    "body{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",\"PingFang SC\",sans-serif;"
    "margin:2em auto;max-width:60em;padding:0 1em;color:#222;line-height:1.6}"
    "h1.title{text-align:center;font-size:1.6em;margin-bottom:.2em}"
    "p.subtitle{text-align:center;color:#555;margin-top:0}"
    "h2{font-size:1.3em;border-bottom:1px solid #ccc}h3{font-size:1.1em}"
    "table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em;font-size:.9em}"
    "caption{font-weight:bold;text-align:left;padding:.3em 0}"
    "th,td{border:1px solid #999;padding:.2em .5em;vertical-align:top}"
    "th{background:#e6e6e6}td.num,th.num{text-align:right}"
    "tr.hl td{background:#fde2e2}"
    "figure{margin:.5em 0 1.5em}figcaption{font-weight:bold}"
    "svg text{font-size:12px}"
    "@media print{@page{size:A4 portrait;margin:20mm}"
    "body{margin:0;max-width:none;padding:0;font-size:10pt}"
    "thead{display:table-header-group}"
    "tr,figure{break-inside:avoid;page-break-inside:avoid}"
    "h2,h3,caption{break-after:avoid;page-break-after:avoid}"
    "tr.hl td,th{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

/* Append `s` escaped for HTML text and attribute values. */
static void html_escape(struct buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            buf_puts(b, "&amp;");
            break;
        case '<':
            buf_puts(b, "&lt;");
            break;
        case '>':
            buf_puts(b, "&gt;");
            break;
        case '"':
            buf_puts(b, "&quot;");
            break;
        case '\'':
            buf_puts(b, "&#39;");
            break;
        default:
            buf_putc(b, *s);
        }
    }
}

/* <tag>escaped text</tag> with an optional class. */
static void put_elem(struct buf *b, const char *tag, const char *cls, const char *text)
{
    buf_printf(b, "<%s", tag);
    if (cls)
        buf_printf(b, " class=\"%s\"", cls);
    buf_putc(b, '>');
    html_escape(b, text);
    buf_printf(b, "</%s>\n", tag);
}

static void put_table(struct buf *b, const struct report_table *t)
{
    buf_puts(b, "<table>\n");
    if (t->caption[0])
        put_elem(b, "caption", NULL, t->caption);
    buf_puts(b, "<thead><tr>");
    for (size_t c = 0; c < t->ncols; c++) {
        buf_puts(b, t->numeric[c] ? "<th class=\"num\">" : "<th>");
        html_escape(b, t->headers[c]);
        buf_puts(b, "</th>");
    }
    buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (size_t r = 0; r < t->nrows; r++) {
        buf_puts(b, t->highlight[r] ? "<tr class=\"hl\">" : "<tr>");
        for (size_t c = 0; c < t->ncols; c++) {
            buf_puts(b, t->numeric[c] ? "<td class=\"num\">" : "<td>");
            html_escape(b, t->cells[r * t->ncols + c]);
            buf_puts(b, "</td>");
        }
        buf_puts(b, "</tr>\n");
    }
    buf_puts(b, "</tbody></table>\n");
}

/* The largest of the values and the target: the right end of the scale. */
static double chart_scale(const struct report_chart *c)
{
    double max = c->target > 0 ? c->target : 0;
    for (size_t i = 0; i < c->n; i++)
        if (c->values[i] > max)
            max = c->values[i];
    return max > 0 ? max : 1;
}

static void put_chart(struct buf *b, const struct report_chart *c)
{
    double scale = chart_scale(c), span = SVG_WIDTH - SVG_LABEL_W - SVG_VALUE_W;
    int height = SVG_TOP + (int)c->n * SVG_ROW_H + 4;
    char val[64];

    buf_puts(b, "<figure>\n");
    if (c->caption[0])
        put_elem(b, "figcaption", NULL, c->caption);
    buf_printf(b, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n",
               SVG_WIDTH, height, SVG_WIDTH, height);
    for (size_t i = 0; i < c->n; i++) {
        double y = SVG_TOP + (double)i * SVG_ROW_H, w = c->values[i] / scale * span;
        report_fmt_value(c->values[i], val, sizeof(val));
        buf_printf(b, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", SVG_LABEL_W - 6, y + 15);
        html_escape(b, c->labels[i]);
        buf_printf(b,
                   "</text><rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" "
                   "fill=\"#4a7ebb\"/>",
                   SVG_LABEL_W, y + 3, w, SVG_ROW_H - 6);
        buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\">%s", SVG_LABEL_W + w + 4, y + 15, val);
        html_escape(b, c->unit);
        buf_puts(b, "</text>\n");
    }
    if (c->target >= 0) {
        double x = SVG_LABEL_W + c->target / scale * span;
        report_fmt_value(c->target, val, sizeof(val));
        buf_printf(b,
                   "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#c0392b\" "
                   "stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>",
                   x, SVG_TOP - 2, x, height - 2);
        buf_printf(b, "<text x=\"%.1f\" y=\"12\" text-anchor=\"middle\" fill=\"#c0392b\">%s", x,
                   val);
        html_escape(b, c->unit);
        buf_puts(b, "</text>\n");
    }
    buf_puts(b, "</svg>\n</figure>\n");
}

static void put_block(struct buf *b, const struct report_block *blk)
{
    switch (blk->kind) {
    case RB_HEADING:
        put_elem(b, blk->level == 1 ? "h2" : "h3", NULL, blk->text);
        break;
    case RB_PARA:
        put_elem(b, "p", NULL, blk->text);
        break;
    case RB_TABLE:
        put_table(b, blk->table);
        break;
    case RB_CHART:
        put_chart(b, blk->chart);
        break;
    }
}

int report_write_html(const struct report_doc *d, const char *path, struct zc_error *err)
{
    struct buf b = {0};
    int rc;
    buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    put_elem(&b, "title", NULL, d->title);
    buf_printf(&b, "<style>%s</style>\n</head>\n<body>\n", page_css);
    put_elem(&b, "h1", "title", d->title);
    if (d->subtitle)
        put_elem(&b, "p", "subtitle", d->subtitle);
    for (size_t i = 0; i < d->nblocks; i++)
        put_block(&b, &d->blocks[i]);
    buf_puts(&b, "</body>\n</html>\n");
    rc = report_write_bytes(path, buf_cstr(&b), b.len, err);
    buf_fini(&b);
    return rc;
}
