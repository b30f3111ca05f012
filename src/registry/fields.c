/* SPDX-License-Identifier: MIT */
/* fields.c - parsing and checking one cell of an import file.
 *
 * Each parser accepts what offices actually type (是/否, 2016年3月1日, full-
 * width spaces, 、 as a list separator) and reports anything else with a
 * message that says what was expected, against the cell's column. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/division.h"
#include "base/idcard.h"
#include "registry_int.h"

/* Strip ASCII blanks and U+3000 (full-width space) from both ends. */
static void trim(const char **p, size_t *n)
{
    const char *s = *p;
    size_t len = *n;
    for (;;) {
        if (len && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n')) {
            s++;
            len--;
        } else if (len >= 3 && (unsigned char)s[0] == 0xE3 && (unsigned char)s[1] == 0x80 &&
                   (unsigned char)s[2] == 0x80) {
            s += 3;
            len -= 3;
        } else {
            break;
        }
    }
    for (;;) {
        if (len &&
            (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' || s[len - 1] == '\n')) {
            len--;
        } else if (len >= 3 && (unsigned char)s[len - 3] == 0xE3 &&
                   (unsigned char)s[len - 2] == 0x80 && (unsigned char)s[len - 1] == 0x80) {
            len -= 3;
        } else {
            break;
        }
    }
    *p = s;
    *n = len;
}

bool cell_empty(const struct sheet_cell *v)
{
    const char *p = v->p;
    size_t n = v->len;
    if (!p)
        return true;
    trim(&p, &n);
    return n == 0;
}

const char *cell_text(const struct sheet_cell *v, char *out, size_t outsz)
{
    const char *p = v->p ? v->p : "";
    size_t n = v->p ? v->len : 0;
    trim(&p, &n);
    if (n >= outsz)
        n = outsz - 1;
    memcpy(out, p, n);
    out[n] = '\0';
    return out;
}

/* Shorten `s` for quoting in a message, never cutting a UTF-8 sequence. */
static void quote(const char *s, char *out, size_t outsz)
{
    size_t n = strlen(s);
    if (n + 1 > outsz) {
        n = outsz - 4;
        while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        memcpy(out, s, n);
        memcpy(out + n, "...", 4);
        return;
    }
    memcpy(out, s, n + 1);
}

bool field_text(struct import_ctx *c, size_t col, const struct sheet_cell *v, size_t maxlen,
                char *out, size_t outsz)
{
    const char *p = v->p ? v->p : "";
    size_t n = v->p ? v->len : 0;
    trim(&p, &n);
    if (n > maxlen || n >= outsz) {
        import_bad(c, col, "text is %zu bytes long, at most %zu allowed", n, maxlen);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)p[i] < 0x20 && p[i] != '\t') {
            import_bad(c, col, "text holds a control character (line break?)");
            return false;
        }
    }
    memcpy(out, p, n);
    out[n] = '\0';
    return true;
}

bool field_int(struct import_ctx *c, size_t col, const struct sheet_cell *v, int64_t min,
               int64_t max, int64_t *out, bool *present)
{
    char t[64], q[40];
    char *end;
    long long x;

    *present = false;
    if (cell_empty(v))
        return true;
    cell_text(v, t, sizeof(t));
    errno = 0;
    x = strtoll(t, &end, 10);
    /* Spreadsheets write whole numbers as "12.0" sometimes. */
    if (*end == '.' && end[1] == '0' && end[2] == '\0')
        end += 2;
    if (errno || end == t || *end) {
        quote(t, q, sizeof(q));
        import_bad(c, col, "'%s' is not a whole number", q);
        return false;
    }
    if (x < min || x > max) {
        import_bad(c, col, "%lld is out of range %lld..%lld", x, (long long)min, (long long)max);
        return false;
    }
    *out = x;
    *present = true;
    return true;
}

bool field_real(struct import_ctx *c, size_t col, const struct sheet_cell *v, double min,
                double max, double *out, bool *present)
{
    char t[64], q[40];
    char *end;
    double x;

    *present = false;
    if (cell_empty(v))
        return true;
    cell_text(v, t, sizeof(t));
    errno = 0;
    x = strtod(t, &end);
    if (errno || end == t || *end || !isfinite(x)) {
        quote(t, q, sizeof(q));
        import_bad(c, col, "'%s' is not a number", q);
        return false;
    }
    if (x < min || x > max) {
        import_bad(c, col, "%g is out of range %g..%g", x, min, max);
        return false;
    }
    *out = x;
    *present = true;
    return true;
}

bool field_money(struct import_ctx *c, size_t col, const struct sheet_cell *v, int64_t *fen,
                 bool *present)
{
    char t[64], q[40];
    const char *p;
    int64_t yuan = 0, cents = 0;
    int decimals = 0;
    bool any = false;

    *present = false;
    if (cell_empty(v))
        return true;
    cell_text(v, t, sizeof(t));
    p = t;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (yuan > 100000000000LL)
            goto bad;
        yuan = yuan * 10 + (*p - '0');
        any = true;
    }
    if (*p == '.') {
        p++;
        for (; *p >= '0' && *p <= '9'; p++) {
            if (decimals < 2)
                cents = cents * 10 + (*p - '0');
            else if (*p != '0')
                goto bad; /* more than two significant decimals: not a sum of money */
            decimals++;
            any = true;
        }
    }
    if (strcmp(p, "元") == 0)
        p += strlen("元");
    if (*p || !any)
        goto bad;
    if (decimals == 1)
        cents *= 10;
    *fen = yuan * 100 + cents;
    *present = true;
    return true;
bad:
    quote(t, q, sizeof(q));
    import_bad(c, col, "'%s' is not an amount in yuan (e.g. 3650 or 3650.50)", q);
    return false;
}

static const struct choice bool_choices[] = {
    {"是", "1"}, {"否", "0"},   {"yes", "1"},   {"no", "0"}, {"y", "1"},
    {"n", "0"},  {"true", "1"}, {"false", "0"}, {"1", "1"},  {"0", "0"},
    {"√", "1"},  {"×", "0"},    {"有", "1"},    {"无", "0"}, {NULL, NULL},
};

bool field_bool(struct import_ctx *c, size_t col, const struct sheet_cell *v, bool *out,
                bool *present)
{
    const char *val = NULL;
    if (!field_choice(c, col, v, bool_choices, &val, present))
        return false;
    if (*present)
        *out = val[0] == '1';
    return true;
}

static bool valid_ymd(int y, int m, int d)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1)
        return false;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

bool field_date(struct import_ctx *c, size_t col, const struct sheet_cell *v, char out[11],
                bool *present)
{
    char t[64], q[40];
    int y = 0, m = 0, d = 0, k = 0;
    const char *p;

    *present = false;
    if (cell_empty(v))
        return true;
    cell_text(v, t, sizeof(t));
    p = t;
    if (strlen(t) == 8 && strspn(t, "0123456789") == 8) {
        y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
        m = (t[4] - '0') * 10 + (t[5] - '0');
        d = (t[6] - '0') * 10 + (t[7] - '0');
    } else {
        int parts[3] = {0, 0, 0};
        for (k = 0; k < 3; k++) {
            int digits = 0;
            while (*p >= '0' && *p <= '9' && digits < 5) {
                parts[k] = parts[k] * 10 + (*p - '0');
                p++;
                digits++;
            }
            if (!digits)
                goto bad;
            if (k < 2) {
                if (*p == '-' || *p == '/' || *p == '.')
                    p++;
                else if (k == 0 && strncmp(p, "年", 3) == 0)
                    p += 3;
                else if (k == 1 && strncmp(p, "月", 3) == 0)
                    p += 3;
                else
                    goto bad;
            }
        }
        if (strncmp(p, "日", 3) == 0)
            p += 3;
        /* XLSX date-times come as "YYYY-MM-DD HH:MM:SS": keep the date. */
        if (*p == ' ' || *p == 'T')
            p += strlen(p);
        if (*p)
            goto bad;
        y = parts[0];
        m = parts[1];
        d = parts[2];
    }
    if (!valid_ymd(y, m, d))
        goto bad;
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    *present = true;
    return true;
bad:
    quote(t, q, sizeof(q));
    import_bad(c, col, "'%s' is not a date (use YYYY-MM-DD, e.g. 1985-03-17)", q);
    return false;
}

bool choice_is_stored(const struct choice *choices, const char *value)
{
    for (const struct choice *ch = choices; value && ch->spelling; ch++)
        if (strcmp(ch->value, value) == 0)
            return true;
    return false;
}

bool field_choice(struct import_ctx *c, size_t col, const struct sheet_cell *v,
                  const struct choice *choices, const char **out, bool *present)
{
    char t[128], q[40];
    struct buf allowed = {0};

    *present = false;
    if (cell_empty(v))
        return true;
    cell_text(v, t, sizeof(t));
    for (const struct choice *ch = choices; ch->spelling; ch++) {
        if (strcasecmp(t, ch->spelling) == 0) {
            *out = ch->value;
            *present = true;
            return true;
        }
    }
    /* List the Chinese spellings (the first spelling of each value). */
    for (const struct choice *ch = choices; ch->spelling; ch++) {
        bool first = true;
        for (const struct choice *prev = choices; prev < ch; prev++)
            if (strcmp(prev->value, ch->value) == 0)
                first = false;
        if (first)
            buf_printf(&allowed, "%s%s", allowed.len ? "/" : "", ch->spelling);
    }
    quote(t, q, sizeof(q));
    import_bad(c, col, "'%s' is not one of %s", q, buf_cstr(&allowed));
    buf_fini(&allowed);
    return false;
}

struct division_lookup {
    struct store_stmt *q;   /* level by code */
    struct key_index known; /* code (8 bytes) -> level, or NOT_IN_TREE */
};

#define NOT_IN_TREE 9

int division_lookup_open(struct store *s, struct division_lookup **out, struct zc_error *err)
{
    struct division_lookup *d = zc_calloc(1, sizeof(*d));
    int rc = store_prepare(s, registry_sql_division_level, &d->q, err);
    if (rc != ZC_OK) {
        division_lookup_close(d);
        d = NULL;
    }
    *out = d;
    return rc;
}

void division_lookup_close(struct division_lookup *d)
{
    if (!d)
        return;
    store_finalize(d->q);
    key_index_fini(&d->known);
    free(d);
}

/* The level of `code`, NOT_IN_TREE when the tree lacks it. */
static int division_level_cached(struct division_lookup *d, int64_t code)
{
    const char *key = (const char *)&code;
    size_t level = key_index_get(&d->known, key, sizeof(code));
    if (!level) {
        struct zc_error perr;
        bool row = false;
        store_bind_int(d->q, 1, code);
        if (store_step(d->q, &row, &perr) == ZC_OK && row)
            level = (size_t)store_col_int(d->q, 0);
        else
            row = false;
        store_reset(d->q);
        if (!row || level == 0)
            level = NOT_IN_TREE;
        key_index_put(&d->known, key, sizeof(code), level);
    }
    return (int)level;
}

bool field_division(struct import_ctx *c, size_t col, const struct sheet_cell *v,
                    struct division_lookup *lookup, int need_level, int64_t *out, int64_t *was,
                    bool *present)
{
    char t[64], q[40];
    struct zc_error perr;
    int64_t code;
    enum division_level lv;
    int level;

    *present = false;
    if (was)
        *was = 0;
    if (cell_empty(v))
        return true;
    cell_text(v, t, sizeof(t));
    quote(t, q, sizeof(q));
    if (division_parse(t, strlen(t), &code, &lv, &perr) != ZC_OK) {
        import_bad(c, col, "'%s': %s", q, perr.msg);
        return false;
    }
    level = division_level_cached(lookup, code);
    if (level == NOT_IN_TREE) {
        int64_t now = 0;
        const struct division_change *ch = division_change_of(code, &now);
        if (ch) /* abolished or renamed since: today's code, if it is in the tree */
            level = division_level_cached(lookup, now);
        if (level == NOT_IN_TREE) {
            if (ch)
                import_bad(c, col,
                           "division code %s (%s, %lld %s since the MCA list of %s) is not in "
                           "the division tree, nor is %lld",
                           q, ch->old_name, (long long)ch->new_code, ch->new_name, ch->listed,
                           (long long)now);
            else
                import_bad(c, col,
                           "division code %s is not in the division tree (load it with 'zhucun "
                           "divisions load')",
                           q);
            return false;
        }
        division_change_note(c->rep, ch);
        import_note_original(c, col, code, now);
        if (was)
            *was = code;
        code = now;
    }
    if (need_level && level != need_level) {
        import_bad(c, col, "%s is a %s code, a %s code (%d digits) is needed", q,
                   division_level_name_en((enum division_level)level),
                   division_level_name_en((enum division_level)need_level),
                   division_digits((enum division_level)need_level));
        return false;
    }
    *out = code;
    *present = true;
    return true;
}

bool field_idcard(struct import_ctx *c, size_t col, const struct sheet_cell *v, char out[19],
                  bool *present)
{
    struct zc_error perr;
    *present = false;
    if (cell_empty(v))
        return true;
    if (memchr(v->p, '*', v->len)) {
        /* The commonest way to get here: re-importing a masked export. */
        import_bad(c, col, "ID number is masked (****); re-import a file exported with --unmask");
        return false;
    }
    if (idcard_normalize(v->p, v->len, out, &perr) != ZC_OK) {
        import_bad(c, col, "%s", perr.msg);
        return false;
    }
    *present = true;
    return true;
}

/* List separators: ASCII ; , / | and the full-width ；，／ (EF BC 9B/8C/8F)
 * and 、 and U+3000 (E3 80 81/80). Not the ASCII space: English skill names
 * have spaces ("Crop farming"); items are trimmed instead. Tested byte by
 * byte: this runs for every byte of every list cell of an import. */
static size_t separator_len(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    switch (p[0]) {
    case ';':
    case ',':
    case '/':
    case '|':
        return 1;
    case 0xEF:
        return p[1] == 0xBC && (p[2] == 0x9B || p[2] == 0x8C || p[2] == 0x8F) ? 3 : 0;
    case 0xE3:
        return p[1] == 0x80 && (p[2] == 0x81 || p[2] == 0x80) ? 3 : 0;
    default:
        return 0;
    }
}

bool cell_split(const struct sheet_cell *v, bool (*fn)(void *ud, const char *item), void *ud)
{
    char item[256];
    const char *p = v->p ? v->p : "";
    const char *end = p + (v->p ? v->len : 0);

    while (p < end) {
        const char *start;
        size_t n = 0;
        size_t sep;
        while (p < end && (sep = separator_len(p)) > 0)
            p += sep;
        start = p;
        while (p < end && separator_len(p) == 0)
            p++;
        n = (size_t)(p - start);
        while (n && (start[0] == ' ' || start[0] == '\t')) {
            start++;
            n--;
        }
        while (n && (start[n - 1] == ' ' || start[n - 1] == '\t'))
            n--;
        if (n == 0)
            continue;
        if (n >= sizeof(item))
            n = sizeof(item) - 1;
        memcpy(item, start, n);
        item[n] = '\0';
        if (!fn(ud, item))
            return false;
    }
    return true;
}

/* ---- skills ------------------------------------------------------------- */

struct skill_entry {
    char *code;    /* "driving" */
    char *name_zh; /* "驾驶" */
    char *name_en; /* "Driving" */
};

struct skill_vocab {
    struct skill_entry *v; /* entries */
    size_t n;              /* count */
};

int skill_vocab_load(struct store *s, struct skill_vocab **out, struct zc_error *err)
{
    struct store_stmt *st = NULL;
    struct skill_vocab *voc = zc_calloc(1, sizeof(*voc));
    bool row = false;
    int rc = store_prepare(s, registry_sql_skills, &st, err);
    while (rc == ZC_OK && (rc = store_step(st, &row, err)) == ZC_OK && row) {
        voc->v = zc_reallocarray(voc->v, voc->n + 1, sizeof(*voc->v));
        voc->v[voc->n].code = zc_strdup(store_col_text(st, 0));
        voc->v[voc->n].name_zh = zc_strdup(store_col_text(st, 1));
        voc->v[voc->n].name_en = zc_strdup(store_col_text(st, 2));
        voc->n++;
    }
    store_finalize(st);
    if (rc != ZC_OK) {
        skill_vocab_free(voc);
        voc = NULL;
    }
    *out = voc;
    return rc;
}

void skill_vocab_free(struct skill_vocab *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->n; i++) {
        free(v->v[i].code);
        free(v->v[i].name_zh);
        free(v->v[i].name_en);
    }
    free(v->v);
    free(v);
}

static const struct skill_entry *skill_find(const struct skill_vocab *voc, const char *s)
{
    for (size_t i = 0; i < voc->n; i++) {
        if (strcmp(voc->v[i].name_zh, s) == 0 || strcasecmp(voc->v[i].code, s) == 0 ||
            strcasecmp(voc->v[i].name_en, s) == 0)
            return &voc->v[i];
    }
    return NULL;
}

struct skills_acc {
    struct import_ctx *c;                /* for errors */
    size_t col;                          /* column */
    const struct skill_vocab *voc;       /* vocabulary */
    const struct skill_entry *found[64]; /* resolved, unique */
    size_t n;                            /* count */
    bool ok;                             /* no unknown skill */
};

static bool skills_item(void *ud, const char *item)
{
    struct skills_acc *a = ud;
    const struct skill_entry *e = skill_find(a->voc, item);
    char q[40];
    if (!e) {
        quote(item, q, sizeof(q));
        import_bad(a->c, a->col,
                   "unknown skill '%s' (see 'zhucun skills list'; add it with 'zhucun skills "
                   "add')",
                   q);
        a->ok = false;
        return false;
    }
    for (size_t i = 0; i < a->n; i++)
        if (a->found[i] == e)
            return true;
    if (a->n < sizeof(a->found) / sizeof(a->found[0]))
        a->found[a->n++] = e;
    return true;
}

static int entry_by_code(const void *x, const void *y)
{
    const struct skill_entry *a = *(const struct skill_entry *const *)x;
    const struct skill_entry *b = *(const struct skill_entry *const *)y;
    return strcmp(a->code, b->code);
}

bool field_skills(struct import_ctx *c, size_t col, const struct sheet_cell *v,
                  const struct skill_vocab *voc, struct buf *out)
{
    struct skills_acc a = {.c = c, .col = col, .voc = voc, .n = 0, .ok = true};
    buf_reset(out);
    if (!cell_split(v, skills_item, &a) || !a.ok)
        return false;
    qsort(a.found, a.n, sizeof(a.found[0]), entry_by_code);
    for (size_t i = 0; i < a.n; i++) {
        if (i)
            buf_putc(out, ';');
        buf_puts(out, a.found[i]->code);
    }
    return true;
}

void skill_vocab_names(const struct skill_vocab *voc, const char *codes, struct buf *out)
{
    const char *p = codes;
    while (*p) {
        const char *e = strchr(p, ';');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        const char *name = NULL;
        for (size_t i = 0; i < voc->n; i++)
            if (strlen(voc->v[i].code) == n && strncmp(voc->v[i].code, p, n) == 0)
                name = voc->v[i].name_zh;
        if (out->len)
            buf_putc(out, ';');
        if (name)
            buf_puts(out, name);
        else
            buf_append(out, p, n);
        p += n;
        if (*p == ';')
            p++;
    }
}

const char *export_division(struct store_stmt *st, int col, char out[13])
{
    int64_t code;
    out[0] = '\0';
    if (store_col_is_null(st, col))
        return out;
    code = store_col_int(st, col);
    division_format(code, division_level_of(code), out);
    return out;
}

void registry_today(int *y, int *m, int *d)
{
    const char *env = getenv("ZHUCUN_TODAY");
    time_t now;
    struct tm tm;
    if (env && sscanf(env, "%d-%d-%d", y, m, d) == 3 && valid_ymd(*y, *m, *d))
        return;
    now = time(NULL);
    localtime_r(&now, &tm);
    *y = tm.tm_year + 1900;
    *m = tm.tm_mon + 1;
    *d = tm.tm_mday;
}
