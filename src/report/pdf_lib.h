/* SPDX-License-Identifier: MIT */
/* pdf_lib.h - pango and cairo, the text layout and PDF libraries, opened on first use
 * (base/dynlib.h says why). Include this instead of the library's header; call pdf_lib_load()
 * before the first call (a later one costs a mutex). */
#ifndef ZC_PDF_LIB_H
#define ZC_PDF_LIB_H

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "base/err.h"

#define PDF_LIB_FUNCS(X)                                                                           \
    X(cairo_create)                                                                                \
    X(cairo_destroy)                                                                               \
    X(cairo_fill)                                                                                  \
    X(cairo_line_to)                                                                               \
    X(cairo_move_to)                                                                               \
    X(cairo_pdf_surface_add_outline)                                                               \
    X(cairo_pdf_surface_create)                                                                    \
    X(cairo_pdf_surface_create_for_stream)                                                         \
    X(cairo_pdf_surface_set_metadata)                                                              \
    X(cairo_rectangle)                                                                             \
    X(cairo_set_dash)                                                                              \
    X(cairo_set_line_width)                                                                        \
    X(cairo_set_source_rgb)                                                                        \
    X(cairo_show_page)                                                                             \
    X(cairo_status)                                                                                \
    X(cairo_status_to_string)                                                                      \
    X(cairo_stroke)                                                                                \
    X(cairo_surface_destroy)                                                                       \
    X(cairo_surface_finish)                                                                        \
    X(cairo_surface_status)                                                                        \
    X(g_object_unref)                                                                              \
    X(pango_cairo_font_map_new)                                                                    \
    X(pango_cairo_show_layout)                                                                     \
    X(pango_cairo_show_layout_line)                                                                \
    X(pango_cairo_update_context)                                                                  \
    X(pango_font_description_free)                                                                 \
    X(pango_font_description_new)                                                                  \
    X(pango_font_description_set_family)                                                           \
    X(pango_font_description_set_size)                                                             \
    X(pango_font_description_set_weight)                                                           \
    X(pango_font_map_create_context)                                                               \
    X(pango_layout_copy)                                                                           \
    X(pango_layout_get_iter)                                                                       \
    X(pango_layout_get_size)                                                                       \
    X(pango_layout_iter_free)                                                                      \
    X(pango_layout_iter_get_baseline)                                                              \
    X(pango_layout_iter_get_line_extents)                                                          \
    X(pango_layout_iter_get_line_readonly)                                                         \
    X(pango_layout_iter_next_line)                                                                 \
    X(pango_layout_line_get_extents)                                                               \
    X(pango_layout_new)                                                                            \
    X(pango_layout_set_alignment)                                                                  \
    X(pango_layout_set_ellipsize)                                                                  \
    X(pango_layout_set_font_description)                                                           \
    X(pango_layout_set_height)                                                                     \
    X(pango_layout_set_indent)                                                                     \
    X(pango_layout_set_spacing)                                                                    \
    X(pango_layout_set_text)                                                                       \
    X(pango_layout_set_width)                                                                      \
    X(pango_layout_set_wrap)

struct pdf_lib {
#define PDF_LIB_PTR(f) __typeof__(f) *f;
    PDF_LIB_FUNCS(PDF_LIB_PTR)
#undef PDF_LIB_PTR
};
extern struct pdf_lib pdf_lib;

int pdf_lib_load(struct zc_error *err);

#ifndef PDF_LIB_IMPL
#define cairo_create                        pdf_lib.cairo_create
#define cairo_destroy                       pdf_lib.cairo_destroy
#define cairo_fill                          pdf_lib.cairo_fill
#define cairo_line_to                       pdf_lib.cairo_line_to
#define cairo_move_to                       pdf_lib.cairo_move_to
#define cairo_pdf_surface_add_outline       pdf_lib.cairo_pdf_surface_add_outline
#define cairo_pdf_surface_create            pdf_lib.cairo_pdf_surface_create
#define cairo_pdf_surface_create_for_stream pdf_lib.cairo_pdf_surface_create_for_stream
#define cairo_pdf_surface_set_metadata      pdf_lib.cairo_pdf_surface_set_metadata
#define cairo_rectangle                     pdf_lib.cairo_rectangle
#define cairo_set_dash                      pdf_lib.cairo_set_dash
#define cairo_set_line_width                pdf_lib.cairo_set_line_width
#define cairo_set_source_rgb                pdf_lib.cairo_set_source_rgb
#define cairo_show_page                     pdf_lib.cairo_show_page
#define cairo_status                        pdf_lib.cairo_status
#define cairo_status_to_string              pdf_lib.cairo_status_to_string
#define cairo_stroke                        pdf_lib.cairo_stroke
#define cairo_surface_destroy               pdf_lib.cairo_surface_destroy
#define cairo_surface_finish                pdf_lib.cairo_surface_finish
#define cairo_surface_status                pdf_lib.cairo_surface_status
#define g_object_unref                      pdf_lib.g_object_unref
#define pango_cairo_font_map_new            pdf_lib.pango_cairo_font_map_new
#define pango_cairo_show_layout             pdf_lib.pango_cairo_show_layout
#define pango_cairo_show_layout_line        pdf_lib.pango_cairo_show_layout_line
#define pango_cairo_update_context          pdf_lib.pango_cairo_update_context
#define pango_font_description_free         pdf_lib.pango_font_description_free
#define pango_font_description_new          pdf_lib.pango_font_description_new
#define pango_font_description_set_family   pdf_lib.pango_font_description_set_family
#define pango_font_description_set_size     pdf_lib.pango_font_description_set_size
#define pango_font_description_set_weight   pdf_lib.pango_font_description_set_weight
#define pango_font_map_create_context       pdf_lib.pango_font_map_create_context
#define pango_layout_copy                   pdf_lib.pango_layout_copy
#define pango_layout_get_iter               pdf_lib.pango_layout_get_iter
#define pango_layout_get_size               pdf_lib.pango_layout_get_size
#define pango_layout_iter_free              pdf_lib.pango_layout_iter_free
#define pango_layout_iter_get_baseline      pdf_lib.pango_layout_iter_get_baseline
#define pango_layout_iter_get_line_extents  pdf_lib.pango_layout_iter_get_line_extents
#define pango_layout_iter_get_line_readonly pdf_lib.pango_layout_iter_get_line_readonly
#define pango_layout_iter_next_line         pdf_lib.pango_layout_iter_next_line
#define pango_layout_line_get_extents       pdf_lib.pango_layout_line_get_extents
#define pango_layout_new                    pdf_lib.pango_layout_new
#define pango_layout_set_alignment          pdf_lib.pango_layout_set_alignment
#define pango_layout_set_ellipsize          pdf_lib.pango_layout_set_ellipsize
#define pango_layout_set_font_description   pdf_lib.pango_layout_set_font_description
#define pango_layout_set_height             pdf_lib.pango_layout_set_height
#define pango_layout_set_indent             pdf_lib.pango_layout_set_indent
#define pango_layout_set_spacing            pdf_lib.pango_layout_set_spacing
#define pango_layout_set_text               pdf_lib.pango_layout_set_text
#define pango_layout_set_width              pdf_lib.pango_layout_set_width
#define pango_layout_set_wrap               pdf_lib.pango_layout_set_wrap
#endif

#endif
