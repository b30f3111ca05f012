/* SPDX-License-Identifier: MIT */
/* doc_pdf.c - the PDF writer: A4 portrait through cairo and pango.
 *
 * Layout is a single cursor running down the page (p->y): each block asks
 * for the height it needs and the cursor moves to a new page when it does
 * not fit. Paragraphs break between lines, tables between rows (the shaded
 * bold header row is drawn again at the top of each page), charts between
 * bars. The footer "第 N 页 / 共 M 页" needs the page count before page 1 is
 * drawn, so the document is laid out twice: pass 1 counts pages on a
 * surface that writes nowhere and draws nothing, pass 2 draws into the file.
 * Both passes use PDF surfaces, so pango measures with the same (unhinted)
 * metrics and the page breaks fall in the same places.
 *
 * Text is set in Noto Sans CJK SC (fonts-noto-cjk); fontconfig substitutes
 * another font when it is missing, so the output stays readable. Column
 * widths come from the natural width of the header and of the first
 * MEASURE_ROWS rows, each capped at COL_CAP of the text width, then scaled
 * to the text width; text wraps within its cell. */
#include "report/report_int.h"

#include "report/pdf_lib.h" /* pango and cairo, opened on first use */
#include <stdio.h>
#include <string.h>

#include "base/mem.h"

#define PAGE_W       595.276 /* A4 in points */
#define PAGE_H       841.890
#define MARGIN       56.693 /* 20 mm */
#define TEXT_W       (PAGE_W - 2 * MARGIN)
#define BOTTOM       (PAGE_H - MARGIN)
#define CELL_PAD     3.0  /* points inside a table cell */
#define COL_CAP      0.45 /* the widest a column may be, as a share of TEXT_W */
#define COL_MIN      24.0 /* the narrowest a column may be, in points */
#define MEASURE_ROWS 400  /* rows measured for column widths */
#define BAR_ROW_H    16.0 /* one bar and its gap */
#define BLOCK_GAP    10.0 /* space after a block */
#define FONT_FAMILY  "Noto Sans CJK SC"

enum pdf_font { F_BODY, F_BOLD, F_TITLE, F_H1, F_H2, F_CELL, F_CELL_BOLD, F_SMALL, NFONTS };

static const struct {
    double size; /* points */
    int bold;    /* 1 = bold */
} font_spec[NFONTS] = {{10.5, 0}, {10.5, 1}, {18, 1}, {14, 1}, {12, 1}, {9, 0}, {9, 1}, {8, 0}};

struct pdf {
    cairo_surface_t *surf;              /* the PDF surface of this pass */
    cairo_t *cr;                        /* drawing context on surf */
    PangoFontMap *fm;                   /* fonts of this write (not owned) */
    PangoContext *pc;                   /* pango context bound to cr */
    PangoLayout *lay;                   /* the layout reused for all text */
    PangoFontDescription *font[NFONTS]; /* by enum pdf_font */
    const struct report_doc *doc;       /* what is being written */
    bool counting;                      /* pass 1: lay out only, draw nothing */
    int page;                           /* current page, 1-based */
    int pages;                          /* total pages (pass 2; 0 in pass 1) */
    int outline;                        /* id of the last level-1 outline entry */
    double y;                           /* top of the free space on the page */
};

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int len)
{
    (void)closure;
    (void)data;
    (void)len;
    return CAIRO_STATUS_SUCCESS;
}

/* Open a pass: to the file `tmp`, or to nowhere when `tmp` is NULL. */
static cairo_status_t pdf_open(struct pdf *p, const struct report_doc *d, PangoFontMap *fm,
                               const char *tmp)
{
    cairo_status_t st;
    memset(p, 0, sizeof(*p));
    p->doc = d;
    p->fm = fm;
    p->counting = tmp == NULL;
    p->surf = tmp ? cairo_pdf_surface_create(tmp, PAGE_W, PAGE_H)
                  : cairo_pdf_surface_create_for_stream(discard, NULL, PAGE_W, PAGE_H);
    st = cairo_surface_status(p->surf);
    if (st != CAIRO_STATUS_SUCCESS)
        return st;
    cairo_pdf_surface_set_metadata(p->surf, CAIRO_PDF_METADATA_TITLE, d->title);
    cairo_pdf_surface_set_metadata(p->surf, CAIRO_PDF_METADATA_CREATOR, "zhucun");
    p->cr = cairo_create(p->surf);
    p->pc = pango_font_map_create_context(fm);
    pango_cairo_update_context(p->cr, p->pc);
    p->lay = pango_layout_new(p->pc);
    pango_layout_set_wrap(p->lay, PANGO_WRAP_WORD_CHAR);
    for (int i = 0; i < NFONTS; i++) {
        p->font[i] = pango_font_description_new();
        pango_font_description_set_family(p->font[i], FONT_FAMILY);
        pango_font_description_set_size(p->font[i], (int)(font_spec[i].size * PANGO_SCALE));
        pango_font_description_set_weight(p->font[i], font_spec[i].bold ? PANGO_WEIGHT_BOLD
                                                                        : PANGO_WEIGHT_NORMAL);
    }
    p->page = 1;
    p->y = MARGIN;
    return cairo_status(p->cr);
}

/* Close a pass; returns the first error of the surface. */
static cairo_status_t pdf_close(struct pdf *p)
{
    cairo_status_t st;
    for (int i = 0; i < NFONTS; i++)
        if (p->font[i])
            pango_font_description_free(p->font[i]);
    if (p->lay)
        g_object_unref(p->lay);
    if (p->pc)
        g_object_unref(p->pc);
    if (p->cr)
        cairo_destroy(p->cr);
    cairo_surface_finish(p->surf);
    st = cairo_surface_status(p->surf);
    cairo_surface_destroy(p->surf);
    return st;
}

/* Put `text` into layout `l` in font `f`, wrapped at `width` points (< 0:
 * no wrapping), aligned `al`. */
static void set_text(struct pdf *p, PangoLayout *l, enum pdf_font f, const char *text, double width,
                     PangoAlignment al)
{
    pango_layout_set_font_description(l, p->font[f]);
    pango_layout_set_width(l, width < 0 ? -1 : (int)(width * PANGO_SCALE));
    pango_layout_set_alignment(l, al);
    pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_NONE);
    pango_layout_set_text(l, text ? text : "", -1);
}

static void text_size(PangoLayout *l, double *w, double *h)
{
    int iw, ih;
    pango_layout_get_size(l, &iw, &ih);
    if (w)
        *w = (double)iw / PANGO_SCALE;
    if (h)
        *h = (double)ih / PANGO_SCALE;
}

static void draw_layout(struct pdf *p, PangoLayout *l, double x, double y, double gray)
{
    if (p->counting)
        return;
    cairo_set_source_rgb(p->cr, gray, gray, gray);
    cairo_move_to(p->cr, x, y);
    pango_cairo_show_layout(p->cr, l);
}

static void fill_rect(struct pdf *p, double x, double y, double w, double h, double r, double g,
                      double b)
{
    if (p->counting)
        return;
    cairo_set_source_rgb(p->cr, r, g, b);
    cairo_rectangle(p->cr, x, y, w, h);
    cairo_fill(p->cr);
}

static void footer(struct pdf *p)
{
    char text[96];
    double h;
    if (p->counting)
        return;
    /* En spaces (U+2002): text extraction (pdftotext, copy and paste) takes
     * the narrower ASCII space between CJK characters for no space at all. */
    snprintf(text, sizeof(text), "第\u2002%d\u2002页\u2002/\u2002共\u2002%d\u2002页", p->page,
             p->pages);
    set_text(p, p->lay, F_SMALL, text, TEXT_W, PANGO_ALIGN_CENTER);
    text_size(p->lay, NULL, &h);
    draw_layout(p, p->lay, MARGIN, PAGE_H - MARGIN / 2 - h / 2, 0.3);
}

static void end_page(struct pdf *p)
{
    footer(p);
    if (!p->counting)
        cairo_show_page(p->cr);
}

static void next_page(struct pdf *p)
{
    end_page(p);
    p->page++;
    p->y = MARGIN;
}

/* Make room for `h` points, on a new page if need be (never twice in a row:
 * a block taller than a page is drawn from the top and overflows). */
static void need(struct pdf *p, double h)
{
    if (p->y + h > BOTTOM && p->y > MARGIN + 0.5)
        next_page(p);
}

static void title_block(struct pdf *p)
{
    double h;
    set_text(p, p->lay, F_TITLE, p->doc->title, TEXT_W, PANGO_ALIGN_CENTER);
    text_size(p->lay, NULL, &h);
    draw_layout(p, p->lay, MARGIN, p->y, 0);
    p->y += h + 4;
    if (p->doc->subtitle) {
        set_text(p, p->lay, F_BODY, p->doc->subtitle, TEXT_W, PANGO_ALIGN_CENTER);
        text_size(p->lay, NULL, &h);
        draw_layout(p, p->lay, MARGIN, p->y, 0.3);
        p->y += h + 4;
    }
    fill_rect(p, MARGIN, p->y + 2, TEXT_W, 0.8, 0.6, 0.1, 0.1);
    p->y += 14;
}

/* A PDF bookmark to the heading just placed at p->y (pass 2 only). */
static void outline_entry(struct pdf *p, int level, const char *text)
{
    char dest[96];
    int id;
    if (p->counting)
        return;
    snprintf(dest, sizeof(dest), "page=%d pos=[%.1f %.1f]", p->page, MARGIN, p->y);
    id = cairo_pdf_surface_add_outline(p->surf, level == 1 ? CAIRO_PDF_OUTLINE_ROOT : p->outline,
                                       text, dest, 0);
    if (level == 1)
        p->outline = id;
}

static void heading(struct pdf *p, int level, const char *text)
{
    double h;
    set_text(p, p->lay, level == 1 ? F_H1 : F_H2, text, TEXT_W, PANGO_ALIGN_LEFT);
    text_size(p->lay, NULL, &h);
    need(p, h + 6 + 3 * 16); /* keep the heading with a few lines of what follows */
    /* A page break drew the footer with p->lay: set the heading again. */
    set_text(p, p->lay, level == 1 ? F_H1 : F_H2, text, TEXT_W, PANGO_ALIGN_LEFT);
    if (p->y > MARGIN + 0.5)
        p->y += 6;
    outline_entry(p, level, text);
    draw_layout(p, p->lay, MARGIN, p->y, level == 1 ? 0.1 : 0.2);
    p->y += h + 6;
}

/* Running text, broken between lines at page ends; first line indented by
 * two characters, as Chinese official documents are. */
static void paragraph(struct pdf *p, const char *text)
{
    PangoLayoutIter *it;
    PangoLayout *lay;
    set_text(p, p->lay, F_BODY, text, TEXT_W, PANGO_ALIGN_LEFT);
    pango_layout_set_indent(p->lay, (int)(2 * font_spec[F_BODY].size * PANGO_SCALE));
    pango_layout_set_spacing(p->lay, 3 * PANGO_SCALE);
    /* A page break (need) draws the footer with p->lay: iterate over a copy. */
    lay = pango_layout_copy(p->lay);
    it = pango_layout_get_iter(lay);
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        PangoRectangle at, own;
        double baseline;
        pango_layout_iter_get_line_extents(it, NULL, &at);
        pango_layout_line_get_extents(line, NULL, &own);
        baseline = (double)(pango_layout_iter_get_baseline(it) - at.y) / PANGO_SCALE;
        need(p, (double)at.height / PANGO_SCALE);
        if (!p->counting) {
            cairo_set_source_rgb(p->cr, 0, 0, 0);
            cairo_move_to(p->cr, MARGIN + (double)(at.x - own.x) / PANGO_SCALE, p->y + baseline);
            pango_cairo_show_layout_line(p->cr, line);
        }
        p->y += (double)at.height / PANGO_SCALE + 3;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    g_object_unref(lay);
    pango_layout_set_indent(p->lay, 0);
    pango_layout_set_spacing(p->lay, 0);
    p->y += BLOCK_GAP - 3;
}

/* ---- tables ---- */

struct pdf_table {
    const struct report_table *t; /* the table */
    double *w;                    /* column widths, points */
    PangoLayout **cell;           /* one layout per column */
};

/* Natural width of column c: its header and its first MEASURE_ROWS cells
 * on one line, plus padding, within [COL_MIN, cap]. */
static double natural_width(struct pdf *p, const struct report_table *t, size_t c, double cap)
{
    double w, best;
    set_text(p, p->lay, F_CELL_BOLD, t->headers[c], -1, PANGO_ALIGN_LEFT);
    text_size(p->lay, &best, NULL);
    for (size_t r = 0; r < t->nrows && r < MEASURE_ROWS; r++) {
        set_text(p, p->lay, F_CELL, t->cells[r * t->ncols + c], -1, PANGO_ALIGN_LEFT);
        text_size(p->lay, &w, NULL);
        best = w > best ? w : best;
    }
    best += 2 * CELL_PAD + 1;
    return best < COL_MIN ? COL_MIN : best > cap ? cap : best;
}

/* Column widths that fill TEXT_W. When the natural widths fit, the spare
 * width is shared out in proportion; when they do not, columns narrower
 * than a fair share keep their width and only the wide ones give way (so
 * an ID number stays on one line while a unit's long name wraps). */
static void column_widths(struct pdf *p, struct pdf_table *pt)
{
    const struct report_table *t = pt->t;
    double sum = 0, rest = TEXT_W, flex_sum = 0, cap = t->ncols == 1 ? TEXT_W : TEXT_W * COL_CAP;
    bool *fixed = zc_calloc(t->ncols, sizeof(bool));
    size_t nflex = t->ncols;
    bool changed = true;
    for (size_t c = 0; c < t->ncols; c++) {
        pt->w[c] = natural_width(p, t, c, cap);
        sum += pt->w[c];
    }
    while (sum > TEXT_W && changed && nflex > 0) {
        changed = false;
        for (size_t c = 0; c < t->ncols; c++) {
            if (!fixed[c] && pt->w[c] <= rest / (double)nflex) {
                fixed[c] = changed = true;
                rest -= pt->w[c];
                nflex--;
            }
        }
    }
    for (size_t c = 0; c < t->ncols; c++)
        flex_sum += sum > TEXT_W && fixed[c] ? 0 : pt->w[c];
    for (size_t c = 0; c < t->ncols; c++)
        if (sum <= TEXT_W || !fixed[c])
            pt->w[c] *= (sum > TEXT_W ? rest : TEXT_W) / flex_sum;
    free(fixed);
}

/* Lay out one row (r == SIZE_MAX: the header) into the column layouts;
 * returns its height. */
static double row_layout(struct pdf *p, struct pdf_table *pt, size_t r)
{
    const struct report_table *t = pt->t;
    double hmax = 0, h;
    for (size_t c = 0; c < t->ncols; c++) {
        bool head = r == SIZE_MAX;
        const char *s = head ? t->headers[c] : t->cells[r * t->ncols + c];
        PangoAlignment al = t->numeric[c] ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT;
        set_text(p, pt->cell[c], head ? F_CELL_BOLD : F_CELL, s, pt->w[c] - 2 * CELL_PAD,
                 head ? PANGO_ALIGN_CENTER : al);
        text_size(pt->cell[c], NULL, &h);
        hmax = h > hmax ? h : hmax;
    }
    return hmax + 2 * CELL_PAD;
}

/* Draw the row laid out by row_layout() at p->y: background, text, grid. */
static void row_draw(struct pdf *p, struct pdf_table *pt, double h, int shade)
{
    double x = MARGIN;
    if (shade == 1)
        fill_rect(p, MARGIN, p->y, TEXT_W, h, 0.88, 0.88, 0.88);
    else if (shade == 2)
        fill_rect(p, MARGIN, p->y, TEXT_W, h, 0.99, 0.87, 0.87);
    for (size_t c = 0; c < pt->t->ncols; c++) {
        draw_layout(p, pt->cell[c], x + CELL_PAD, p->y + CELL_PAD, 0);
        if (!p->counting) {
            cairo_set_source_rgb(p->cr, 0.55, 0.55, 0.55);
            cairo_set_line_width(p->cr, 0.5);
            cairo_rectangle(p->cr, x, p->y, pt->w[c], h);
            cairo_stroke(p->cr);
        }
        x += pt->w[c];
    }
    p->y += h;
}

static void header_row(struct pdf *p, struct pdf_table *pt)
{
    double h = row_layout(p, pt, SIZE_MAX);
    row_draw(p, pt, h, 1);
}

static void table(struct pdf *p, const struct report_table *t)
{
    struct pdf_table pt = {t, zc_calloc(t->ncols, sizeof(double)),
                           zc_calloc(t->ncols, sizeof(PangoLayout *))};
    double ch = 0, hh;
    for (size_t c = 0; c < t->ncols; c++) {
        pt.cell[c] = pango_layout_new(p->pc);
        pango_layout_set_wrap(pt.cell[c], PANGO_WRAP_WORD_CHAR);
    }
    column_widths(p, &pt);
    hh = row_layout(p, &pt, SIZE_MAX);
    if (t->caption[0]) {
        set_text(p, p->lay, F_BOLD, t->caption, TEXT_W, PANGO_ALIGN_LEFT);
        text_size(p->lay, NULL, &ch);
        ch += 4;
    }
    need(p, ch + 3 * hh); /* the caption, the header and a row or two together */
    if (t->caption[0]) {
        set_text(p, p->lay, F_BOLD, t->caption, TEXT_W, PANGO_ALIGN_LEFT);
        draw_layout(p, p->lay, MARGIN, p->y, 0);
        p->y += ch;
    }
    header_row(p, &pt);
    for (size_t r = 0; r < t->nrows; r++) {
        double h = row_layout(p, &pt, r);
        if (p->y + h > BOTTOM) {
            next_page(p);
            header_row(p, &pt);
            h = row_layout(p, &pt, r);
        }
        row_draw(p, &pt, h, t->highlight[r] ? 2 : 0);
    }
    p->y += BLOCK_GAP;
    for (size_t c = 0; c < t->ncols; c++)
        g_object_unref(pt.cell[c]);
    free(pt.cell);
    free(pt.w);
}

/* ---- bar charts ---- */

struct pdf_chart {
    const struct report_chart *c; /* the chart */
    double label_w;               /* label column, points */
    double x0;                    /* left end of the bars */
    double span;                  /* length of the bar for `scale` */
    double scale;                 /* the value at the right end */
};

static void value_text(const struct report_chart *c, double v, char *out, size_t n)
{
    char num[64];
    report_fmt_value(v, num, sizeof(num));
    snprintf(out, n, "%s%s", num, c->unit);
}

static void chart_geometry(struct pdf *p, struct pdf_chart *g)
{
    const struct report_chart *c = g->c;
    double value_w = 0, w;
    char text[128];
    g->scale = c->target > 0 ? c->target : 0;
    g->label_w = 0;
    for (size_t i = 0; i < c->n; i++) {
        set_text(p, p->lay, F_CELL, c->labels[i], -1, PANGO_ALIGN_LEFT);
        text_size(p->lay, &w, NULL);
        g->label_w = w > g->label_w ? w : g->label_w;
        value_text(c, c->values[i], text, sizeof(text));
        set_text(p, p->lay, F_CELL, text, -1, PANGO_ALIGN_LEFT);
        text_size(p->lay, &w, NULL);
        value_w = w > value_w ? w : value_w;
        g->scale = c->values[i] > g->scale ? c->values[i] : g->scale;
    }
    if (g->label_w > TEXT_W * 0.3)
        g->label_w = TEXT_W * 0.3;
    if (g->scale <= 0)
        g->scale = 1;
    g->x0 = MARGIN + g->label_w + 6;
    g->span = TEXT_W - g->label_w - 6 - value_w - 6;
}

/* The dashed target line from y0 to y1 (one piece per page). */
static void target_line(struct pdf *p, const struct pdf_chart *g, double y0, double y1)
{
    static const double dash[] = {3, 2};
    double x = g->x0 + g->c->target / g->scale * g->span;
    if (p->counting || g->c->target < 0 || y1 <= y0)
        return;
    cairo_set_source_rgb(p->cr, 0.75, 0.22, 0.17);
    cairo_set_line_width(p->cr, 1);
    cairo_set_dash(p->cr, dash, 2, 0);
    cairo_move_to(p->cr, x, y0);
    cairo_line_to(p->cr, x, y1);
    cairo_stroke(p->cr);
    cairo_set_dash(p->cr, NULL, 0, 0);
}

static void bar(struct pdf *p, const struct pdf_chart *g, size_t i)
{
    const struct report_chart *c = g->c;
    double w = c->values[i] / g->scale * g->span, h;
    char text[128];
    set_text(p, p->lay, F_CELL, c->labels[i], g->label_w, PANGO_ALIGN_RIGHT);
    pango_layout_set_ellipsize(p->lay, PANGO_ELLIPSIZE_END);
    pango_layout_set_height(p->lay, -1);
    text_size(p->lay, NULL, &h);
    draw_layout(p, p->lay, MARGIN, p->y + (BAR_ROW_H - h) / 2, 0);
    fill_rect(p, g->x0, p->y + 3, w, BAR_ROW_H - 6, 0.29, 0.49, 0.73);
    value_text(c, c->values[i], text, sizeof(text));
    set_text(p, p->lay, F_CELL, text, -1, PANGO_ALIGN_LEFT);
    draw_layout(p, p->lay, g->x0 + w + 3, p->y + (BAR_ROW_H - h) / 2, 0.1);
    p->y += BAR_ROW_H;
}

static void chart(struct pdf *p, const struct report_chart *c)
{
    struct pdf_chart g = {c, 0, 0, 0, 0};
    double ch = 0, top;
    char text[128];
    chart_geometry(p, &g);
    if (c->caption[0]) {
        set_text(p, p->lay, F_BOLD, c->caption, TEXT_W, PANGO_ALIGN_LEFT);
        text_size(p->lay, NULL, &ch);
    }
    need(p, ch + 14 + (double)(c->n < 4 ? c->n : 4) * BAR_ROW_H);
    if (c->caption[0]) {
        set_text(p, p->lay, F_BOLD, c->caption, TEXT_W, PANGO_ALIGN_LEFT);
        draw_layout(p, p->lay, MARGIN, p->y, 0);
    }
    p->y += ch + 2;
    if (c->target >= 0) {
        double w;
        value_text(c, c->target, text, sizeof(text));
        set_text(p, p->lay, F_SMALL, text, -1, PANGO_ALIGN_LEFT);
        text_size(p->lay, &w, NULL);
        draw_layout(p, p->lay, g.x0 + c->target / g.scale * g.span - w / 2, p->y, 0.4);
    }
    p->y += 12;
    top = p->y;
    for (size_t i = 0; i < c->n; i++) {
        if (p->y + BAR_ROW_H > BOTTOM) {
            target_line(p, &g, top, p->y);
            next_page(p);
            top = p->y;
        }
        bar(p, &g, i);
    }
    target_line(p, &g, top - 2, p->y + 2);
    p->y += BLOCK_GAP;
}

/* One pass over the whole document. */
static void pdf_render(struct pdf *p)
{
    title_block(p);
    for (size_t i = 0; i < p->doc->nblocks; i++) {
        const struct report_block *b = &p->doc->blocks[i];
        switch (b->kind) {
        case RB_HEADING:
            heading(p, b->level, b->text);
            break;
        case RB_PARA:
            paragraph(p, b->text);
            break;
        case RB_TABLE:
            table(p, b->table);
            break;
        case RB_CHART:
            chart(p, b->chart);
            break;
        }
    }
    end_page(p);
}

/* One pass into `tmp` (NULL: count only) with `pages` in the footers;
 * *out gets the pages laid out. Returns the first cairo error. */
static cairo_status_t pdf_pass(const struct report_doc *d, PangoFontMap *fm, const char *tmp,
                               int pages, int *out)
{
    struct pdf p;
    cairo_status_t st = pdf_open(&p, d, fm, tmp), st2;
    p.pages = pages;
    if (st == CAIRO_STATUS_SUCCESS) {
        pdf_render(&p);
        st = cairo_status(p.cr);
    }
    *out = p.page;
    st2 = pdf_close(&p);
    return st != CAIRO_STATUS_SUCCESS ? st : st2;
}

int report_write_pdf(const struct report_doc *d, const char *path, struct zc_error *err)
{
    char tmp[4096];
    int pages = 0, drawn = 0, rc = pdf_lib_load(err);
    cairo_status_t st;
    PangoFontMap *fm;
    if (rc == ZC_OK)
        rc = report_tmp_path(path, tmp, sizeof(tmp), err);
    if (rc != ZC_OK)
        return rc;
    /* A font map of our own rather than pango's per-thread default: nothing
     * is shared between writes (or threads) and all of it is freed here. */
    fm = pango_cairo_font_map_new();
    st = pdf_pass(d, fm, NULL, 0, &pages);
    if (st == CAIRO_STATUS_SUCCESS)
        st = pdf_pass(d, fm, tmp, pages, &drawn);
    g_object_unref(fm);
    if (st == CAIRO_STATUS_SUCCESS && drawn != pages)
        rc = zc_error_set(err, ZC_EIO,
                          "cannot write %s: the layout changed between passes (%d, "
                          "%d pages)",
                          path, pages, drawn);
    else if (st != CAIRO_STATUS_SUCCESS)
        rc = zc_error_set(err, ZC_EIO, "cannot write %s: %s", path, cairo_status_to_string(st));
    return report_commit(tmp, path, rc, err);
}
