/* SPDX-License-Identifier: MIT */
/* scenario.c - the PRNG, exact apportioning, and reading scenario files.
 *
 * A scenario file is data a user writes for their own county, so every value
 * is checked here, before anything touches a database, and every message
 * names the key path. Unknown keys are errors (a typo must not silently fall
 * back to a default); keys starting with "_" are comments. */
#include "scenario.h"

#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/division.h"
#include "base/mem.h"
#include "scenario_int.h"

/* ---- PRNG ----------------------------------------------------------------- */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void scenario_rng_seed(struct scenario_rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
    if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
        r->s[0] = 1;
}

void scenario_rng_fork(struct scenario_rng *r, uint64_t seed, const char *purpose)
{
    /* FNV-1a of the purpose, mixed into the seed. */
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)purpose; *p; p++)
        h = (h ^ *p) * 0x100000001b3ULL;
    scenario_rng_seed(r, seed ^ h);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t scenario_rng_next(struct scenario_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t scenario_rng_below(struct scenario_rng *r, uint64_t n)
{
    /* Rejection keeps it unbiased: draws below `limit` map evenly. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    ZC_ASSERT(n > 0);
    do {
        x = scenario_rng_next(r);
    } while (x >= limit);
    return x % n;
}

int64_t scenario_rng_range(struct scenario_rng *r, int64_t lo, int64_t hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int64_t)scenario_rng_below(r, (uint64_t)(hi - lo) + 1);
}

double scenario_rng_unit(struct scenario_rng *r)
{
    return (double)(scenario_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

void scenario_rng_shuffle(struct scenario_rng *r, void *base, size_t n, size_t size)
{
    unsigned char *b = base, tmp[64];
    ZC_ASSERT(size <= sizeof(tmp));
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)scenario_rng_below(r, i);
        if (j != i - 1) {
            memcpy(tmp, b + j * size, size);
            memcpy(b + j * size, b + (i - 1) * size, size);
            memcpy(b + (i - 1) * size, tmp, size);
        }
    }
}

void scenario_apportion(size_t n, const double *w, size_t k, size_t *out)
{
    double total = 0, whole = 0;
    size_t given = 0;
    bool exact = true;

    for (size_t i = 0; i < k; i++) {
        total += w[i] > 0 ? w[i] : 0;
        if (w[i] < 0 || w[i] != floor(w[i]))
            exact = false;
        whole += w[i] > 0 ? w[i] : 0;
    }
    if (exact && whole == (double)n) {
        for (size_t i = 0; i < k; i++)
            out[i] = (size_t)w[i];
        return;
    }
    for (size_t i = 0; i < k; i++) {
        double q = total > 0 ? (w[i] > 0 ? w[i] : 0) * (double)n / total : 0;
        out[i] = (size_t)floor(q);
        given += out[i];
    }
    /* Hand out what is left to the largest remainders (earlier wins ties). */
    while (given < n && k > 0) {
        size_t best = 0;
        double bestr = -1;
        for (size_t i = 0; i < k; i++) {
            double q =
                total > 0 ? (w[i] > 0 ? w[i] : 0) * (double)n / total : (double)n / (double)k;
            double rem = q - (double)out[i];
            if (rem > bestr + 1e-12) {
                bestr = rem;
                best = i;
            }
        }
        out[best]++;
        given++;
    }
}

/* ---- locating files ------------------------------------------------------- */

int scenario_resolve(const char *name, char *out, size_t outsz, struct zc_error *err)
{
    char exe[PATH_MAX];
    ssize_t n;

    if (strchr(name, '/') || (strlen(name) > 5 && strcmp(name + strlen(name) - 5, ".json") == 0)) {
        if (access(name, R_OK) == 0) {
            snprintf(out, outsz, "%s", name);
            return ZC_OK;
        }
        return zc_error_set(err, ZC_ENOTFOUND, "%s: no such scenario file", name);
    }
    snprintf(out, outsz, "scenarios/%s.json", name);
    if (access(out, R_OK) == 0)
        return ZC_OK;
    /* build/<mode>/zhucun -> the checkout's scenarios/ */
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        for (int up = 0; up < 4; up++) {
            char *slash = strrchr(exe, '/');
            if (!slash)
                break;
            *slash = '\0';
            snprintf(out, outsz, "%s/scenarios/%s.json", exe, name);
            if (access(out, R_OK) == 0)
                return ZC_OK;
        }
    }
    return zc_error_set(err, ZC_ENOTFOUND,
                        "no scenario '%s' (looked for scenarios/%s.json here and in the checkout; "
                        "the shipped ones are mashan-2018, hebei-2016, shangluo-2016, xiahe-2018, "
                        "anlong-2018, national)",
                        name, name);
}

/* ---- reading -------------------------------------------------------------- */

struct rd {
    const char *file;     /* for messages */
    struct zc_error *err; /* first error */
    int rc;               /* ZC_OK until the first error */
};

__attribute__((format(printf, 3, 4))) static void bad(struct rd *r, const char *path,
                                                      const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    if (r->rc != ZC_OK)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    r->rc = zc_error_set(r->err, ZC_EINVAL, "%s: %s: %s", r->file, path, msg);
}

/* Reject keys that are not in `allowed` (NULL-terminated). */
static void check_keys(struct rd *r, json_t *obj, const char *path, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        bool ok = key[0] == '_';
        for (size_t i = 0; !ok && allowed[i]; i++)
            ok = strcmp(key, allowed[i]) == 0;
        if (!ok) {
            bad(r, path, "unknown key '%s'", key);
            return;
        }
    }
    (void)v;
}

static char *get_str(struct rd *r, json_t *obj, const char *path, const char *key, bool required)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (required)
            bad(r, path, "'%s' is required", key);
        return NULL;
    }
    if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 400) {
        bad(r, path, "'%s' must be a non-empty string (at most 400 bytes)", key);
        return NULL;
    }
    return zc_strdup(json_string_value(v));
}

static int64_t get_int(struct rd *r, json_t *obj, const char *path, const char *key, int64_t lo,
                       int64_t hi, int64_t dflt)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return dflt;
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
        bad(r, path, "'%s' must be a whole number %lld..%lld", key, (long long)lo, (long long)hi);
        return dflt;
    }
    return json_integer_value(v);
}

static double get_share(struct rd *r, json_t *obj, const char *path, const char *key, double dflt)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return dflt;
    if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 1) {
        bad(r, path, "'%s' must be a share between 0 and 1 (e.g. 0.75)", key);
        return dflt;
    }
    return json_number_value(v);
}

static bool is_date(const char *s)
{
    int y, m, d;
    char tail;
    if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return false;
    return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 31 && s[4] == '-';
}

static char *get_date(struct rd *r, json_t *obj, const char *path, const char *key, bool required)
{
    char *s = get_str(r, obj, path, key, required);
    if (s && !is_date(s)) {
        bad(r, path, "'%s' must be a date YYYY-MM-DD, not \"%s\"", key, s);
        free(s);
        return NULL;
    }
    return s;
}

static struct sc_range get_range(struct rd *r, json_t *obj, const char *path, const char *key,
                                 int64_t max)
{
    struct sc_range out = {0, 0};
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return out;
    if (!json_is_array(v) || json_array_size(v) != 2 || !json_is_integer(json_array_get(v, 0)) ||
        !json_is_integer(json_array_get(v, 1))) {
        bad(r, path, "'%s' must be [low, high] (whole numbers)", key);
        return out;
    }
    out.lo = json_integer_value(json_array_get(v, 0));
    out.hi = json_integer_value(json_array_get(v, 1));
    if (out.lo < 0 || out.hi < out.lo || out.hi > max)
        bad(r, path, "'%s' must satisfy 0 <= low <= high <= %lld", key, (long long)max);
    return out;
}

/* A code prefix of 2, 4, 6, 9 or 12 digits; "*" is the whole tree. */
static bool is_prefix(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 1 && s[0] == '*')
        return true;
    if (n != 2 && n != 4 && n != 6 && n != 9 && n != 12)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static bool in_list(const char *s, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

static const char *const ranks[] = {"正厅", "副厅", "正处", "副处", "正科",
                                    "副科", "科员", "其他", NULL};
static const char *const educations[] = {"研究生", "本科", "大专", "中专及以下", NULL};
static const char *const genders[] = {"男", "女", NULL};
static const char *const grade_names[] = {"优秀", "称职", "基本称职", "不称职", NULL};
static const char *const categories[] = {"党群", "经济", "政法", "涉农", "教育",
                                         "卫生", "国企", "科研", "其他", NULL};
static const char *const levels[] = {"province", "city", "county", "township", NULL};
static const char *const roles[] = {"first_secretary", "leader", "member", NULL};
static const char *const skills[] = {
    "driving",      "farming",   "livestock",  "water",     "medical",  "education",   "accounting",
    "law",          "ecommerce", "party",      "stability", "forestry", "sericulture", "tourism",
    "construction", "it",        "management", "social",    NULL};

/* What the keys of a mix may be. */
enum mix_kind { MIX_RANK, MIX_EDU, MIX_GENDER, MIX_GRADE, MIX_SKILL, MIX_YEARS, MIX_AGE };

static void get_mix(struct rd *r, json_t *obj, const char *path, const char *key,
                    enum mix_kind kind, struct sc_mix *m)
{
    json_t *v = json_object_get(obj, key), *w;
    const char *k;
    memset(m, 0, sizeof(*m));
    if (!v || json_is_null(v))
        return;
    if (!json_is_object(v) || json_object_size(v) == 0 || json_object_size(v) > SC_MAX_MIX) {
        bad(r, path, "'%s' must be an object of 1..%d entries {\"value\": count or share}", key,
            SC_MAX_MIX);
        return;
    }
    json_object_foreach(v, k, w)
    {
        size_t i = m->n;
        bool ok = true;
        if (!json_is_number(w) || json_number_value(w) < 0) {
            bad(r, path, "%s.%s must be a number >= 0", key, k);
            return;
        }
        switch (kind) {
        case MIX_RANK:
            ok = in_list(k, ranks);
            break;
        case MIX_EDU:
            ok = in_list(k, educations);
            break;
        case MIX_GENDER:
            ok = in_list(k, genders);
            break;
        case MIX_GRADE:
            ok = in_list(k, grade_names);
            break;
        case MIX_SKILL:
            ok = in_list(k, skills);
            if (ok && json_number_value(w) > 1) {
                bad(r, path, "%s.%s is a share and must be between 0 and 1", key, k);
                return;
            }
            break;
        case MIX_YEARS:
        case MIX_AGE: {
            long long lo, hi;
            char tail;
            int got = sscanf(k, "%lld-%lld%c", &lo, &hi, &tail);
            if (got == 1) {
                hi = lo;
                got = 2;
            }
            ok = got == 2 && lo <= hi &&
                 (kind == MIX_YEARS ? lo >= 1930 && hi <= 2010 : lo >= 16 && hi <= 80);
            m->lo[i] = lo;
            m->hi[i] = hi;
            break;
        }
        }
        if (!ok) {
            static const char *const what[] = {
                "a rank (正厅 副厅 正处 副处 正科 副科 科员 其他)",
                "an education (研究生 本科 大专 中专及以下)",
                "男 or 女",
                "a grade (优秀 称职 基本称职 不称职)",
                "a skill code (driving, farming, ...)",
                "a range of birth years like 1980-1989",
                "a range of ages like 30-44",
            };
            bad(r, path, "%s: '%s' is not %s", key, k, what[kind]);
            return;
        }
        m->key[i] = zc_strdup(k);
        m->weight[i] = json_number_value(w);
        m->n++;
    }
}

static int parse_poverty(const char *s)
{
    if (strcmp(s, "none") == 0)
        return SC_NONE;
    if (strcmp(s, "poor") == 0)
        return SC_POOR;
    if (strcmp(s, "deep") == 0)
        return SC_DEEP;
    return 0;
}

static int get_poverty_set(struct rd *r, json_t *obj, const char *path, const char *key)
{
    json_t *v = json_object_get(obj, key), *e;
    size_t i;
    int bits = 0;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_array(v)) {
        bad(r, path, "'%s' must be a list of classes (none, poor, deep)", key);
        return 0;
    }
    json_array_foreach(v, i, e)
    {
        int b = json_is_string(e) ? parse_poverty(json_string_value(e)) : 0;
        if (!b) {
            bad(r, path, "%s[%zu] must be none, poor or deep", key, i);
            return 0;
        }
        bits |= b;
    }
    return bits;
}

static char **get_str_list(struct rd *r, json_t *obj, const char *path, const char *key, size_t *n)
{
    json_t *v = json_object_get(obj, key), *e;
    char **out;
    size_t i;
    *n = 0;
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_array(v) || json_array_size(v) == 0) {
        bad(r, path, "'%s' must be a non-empty list of strings", key);
        return NULL;
    }
    out = zc_calloc(json_array_size(v), sizeof(char *));
    json_array_foreach(v, i, e)
    {
        if (!json_is_string(e) || json_string_length(e) == 0) {
            bad(r, path, "%s[%zu] must be a non-empty string", key, i);
            break;
        }
        out[(*n)++] = zc_strdup(json_string_value(e));
    }
    return out;
}

/* "a;b" lists of skill codes, sorted and checked. */
static char *get_needs(struct rd *r, json_t *obj, const char *path, const char *key)
{
    size_t n = 0;
    char **list = get_str_list(r, obj, path, key, &n);
    struct buf b = {0};
    for (size_t i = 0; i < n; i++) {
        if (!in_list(list[i], skills))
            bad(r, path, "%s[%zu]: '%s' is not a skill code", key, i, list[i]);
    }
    /* Insertion sort: lists are short. */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(list[j - 1], list[j]) > 0; j--) {
            char *t = list[j];
            list[j] = list[j - 1];
            list[j - 1] = t;
        }
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(&b, ';');
        buf_puts(&b, list[i]);
        free(list[i]);
    }
    free(list);
    return n ? buf_steal(&b) : zc_strdup("");
}

static void read_unitset(struct rd *r, json_t *o, const char *path, struct sc_unitset *u)
{
    static const char *const keys[] = {"set", "code",   "name",  "level", "category", "division",
                                       "per", "within", "count", "names", NULL};
    json_t *names;
    check_keys(r, o, path, keys);
    u->set = get_str(r, o, path, "set", true);
    u->code = get_str(r, o, path, "code", false);
    u->name = get_str(r, o, path, "name", false);
    u->level = get_str(r, o, path, "level", true);
    u->category = get_str(r, o, path, "category", false);
    u->division = get_str(r, o, path, "division", false);
    u->per = get_str(r, o, path, "per", false);
    u->within = get_str(r, o, path, "within", false);
    u->count = (size_t)get_int(r, o, path, "count", 0, 100000, 0);
    if (u->level && !in_list(u->level, levels))
        bad(r, path, "level must be province, city, county or township, not '%s'", u->level);
    if (u->category && !in_list(u->category, categories))
        bad(r, path, "category '%s' is not one of 党群 经济 政法 涉农 教育 卫生 国企 科研 其他",
            u->category);
    if (u->division && !is_prefix(u->division))
        bad(r, path, "division must be a code of 2, 4, 6, 9 or 12 digits");
    if (u->per && strcmp(u->per, "city") != 0 && strcmp(u->per, "county") != 0 &&
        strcmp(u->per, "township") != 0)
        bad(r, path, "per must be city, county or township");
    if (u->per && (!u->within || !is_prefix(u->within)))
        bad(r, path, "per needs 'within', a code prefix");
    names = json_object_get(o, "names");
    if (names) {
        json_t *e;
        size_t i;
        if (!json_is_array(names) || json_array_size(names) == 0) {
            bad(r, path, "names must be a list of [category, name] pairs");
            return;
        }
        u->name_cat = zc_calloc(json_array_size(names), sizeof(char *));
        u->name_txt = zc_calloc(json_array_size(names), sizeof(char *));
        json_array_foreach(names, i, e)
        {
            json_t *c = json_array_get(e, 0), *t = json_array_get(e, 1);
            if (!json_is_array(e) || json_array_size(e) != 2 || !json_is_string(c) ||
                !json_is_string(t) || !in_list(json_string_value(c), categories)) {
                bad(r, path, "names[%zu] must be [category, name] with a known category", i);
                return;
            }
            u->name_cat[i] = zc_strdup(json_string_value(c));
            u->name_txt[i] = zc_strdup(json_string_value(t));
            u->nnames++;
        }
    }
    if (!u->name && !u->nnames)
        bad(r, path, "a unit needs 'name' (or 'names')");
    if (!u->category && !u->nnames)
        bad(r, path, "a unit needs 'category' (or categories in 'names')");
    if (!u->code && !u->per && !u->count && !u->nnames)
        bad(r, path, "give 'code' (one unit), 'count', 'names' or 'per'");
}

static void read_rule(struct rd *r, json_t *o, const char *path, struct sc_village_rule *v)
{
    static const char *const keys[] = {"within", "select",     "count",   "deep",
                                       "poor",   "population", "hamlets", NULL};
    char *sel;
    check_keys(r, o, path, keys);
    v->within = get_str(r, o, path, "within", true);
    if (v->within && !is_prefix(v->within))
        bad(r, path, "within must be a code of 2, 4, 6 or 9 digits");
    sel = get_str(r, o, path, "select", false);
    v->select = SC_RURAL;
    if (sel && strcmp(sel, "other") == 0)
        v->select = SC_OTHER;
    else if (sel && strcmp(sel, "all") == 0)
        v->select = SC_ALL;
    else if (sel && strcmp(sel, "rural") != 0)
        bad(r, path, "select must be rural (村委会, codes x200-x399), other or all");
    free(sel);
    v->count = (size_t)get_int(r, o, path, "count", 0, 10000000, 0);
    v->deep = (size_t)get_int(r, o, path, "deep", 0, 10000000, 0);
    v->poor = (size_t)get_int(r, o, path, "poor", 0, 10000000, 0);
    v->population = get_range(r, o, path, "population", 1000000);
    v->hamlets = get_range(r, o, path, "hamlets", 10000);
}

static int states_bits(struct rd *r, json_t *o, const char *path)
{
    static const char *const names[] = {"软", "穷", "乱", "弱"};
    json_t *v = json_object_get(o, "states"), *e;
    size_t i;
    int bits = 0;
    if (!v)
        return -1;
    if (!json_is_array(v)) {
        bad(r, path, "states must be a list of 软 穷 乱 弱");
        return -1;
    }
    json_array_foreach(v, i, e)
    {
        int b = 0;
        for (int k = 0; k < 4; k++)
            if (json_is_string(e) && strcmp(json_string_value(e), names[k]) == 0)
                b = 1 << k;
        if (!b) {
            bad(r, path, "states[%zu] must be 软, 穷, 乱 or 弱", i);
            return -1;
        }
        bits |= b;
    }
    return bits;
}

static void read_named(struct rd *r, json_t *o, const char *path, struct sc_named *n)
{
    static const char *const keys[] = {"code",
                                       "name",
                                       "poverty",
                                       "states",
                                       "hamlets",
                                       "population",
                                       "poor_households",
                                       "poor_population",
                                       "remaining_households",
                                       "remaining_people",
                                       "needs",
                                       "industries",
                                       "paired_unit",
                                       "note",
                                       NULL};
    char *code, *pov;
    size_t nind = 0;
    char **ind;
    check_keys(r, o, path, keys);
    code = get_str(r, o, path, "code", true);
    if (code) {
        enum division_level lv;
        struct zc_error e2 = {0};
        if (strlen(code) != 12 || division_parse(code, 12, &n->code, &lv, &e2) != ZC_OK ||
            lv != DIV_VILLAGE)
            bad(r, path, "code must be a 12-digit village committee code, not '%s'", code);
        free(code);
    }
    n->name = get_str(r, o, path, "name", true);
    pov = get_str(r, o, path, "poverty", false);
    n->poverty = pov ? parse_poverty(pov) : SC_NONE;
    if (!n->poverty)
        bad(r, path, "poverty must be none, poor or deep");
    free(pov);
    n->states = states_bits(r, o, path);
    n->hamlets = get_int(r, o, path, "hamlets", 0, 10000, -1);
    n->population = get_int(r, o, path, "population", 1, 1000000, -1);
    n->poor_households = get_int(r, o, path, "poor_households", 0, 100000, -1);
    n->poor_population = get_int(r, o, path, "poor_population", 0, 1000000, -1);
    n->remaining_households = get_int(r, o, path, "remaining_households", 0, 100000, -1);
    n->remaining_people = get_int(r, o, path, "remaining_people", 0, 1000000, -1);
    n->needs = get_needs(r, o, path, "needs");
    ind = get_str_list(r, o, path, "industries", &nind);
    {
        struct buf b = {0};
        for (size_t i = 0; i < nind; i++) {
            if (i)
                buf_putc(&b, ';');
            buf_puts(&b, ind[i]);
            free(ind[i]);
        }
        free(ind);
        n->industries = nind ? buf_steal(&b) : zc_strdup("");
    }
    n->paired_unit = get_str(r, o, path, "paired_unit", false);
    n->note = get_str(r, o, path, "note", false);
    if ((n->poor_households >= 0) != (n->poor_population >= 0))
        bad(r, path, "give poor_households and poor_population together");
    if (n->poor_households > n->poor_population && n->poor_population >= 0)
        bad(r, path, "poor_households cannot exceed poor_population");
    if (n->poor_households >= 0 && n->poor_households * 12 < n->poor_population)
        bad(r, path, "households average more than 12 people");
    if ((n->remaining_households >= 0) != (n->remaining_people >= 0))
        bad(r, path, "give remaining_households and remaining_people together");
    if (n->remaining_households >= 0 &&
        (n->poor_households < 0 || n->remaining_households > n->poor_households ||
         n->remaining_people > n->poor_population ||
         n->remaining_people < n->remaining_households ||
         n->poor_population - n->remaining_people < n->poor_households - n->remaining_households))
        bad(r, path, "remaining_households/remaining_people must fit inside the poor households");
    if (n->population >= 0 && n->poor_population > n->population)
        bad(r, path, "poor_population cannot exceed population");
}

static void read_posting(struct rd *r, json_t *o, const char *path, struct sc_posting *p)
{
    static const char *const keys[] = {"at",   "within", "poverty", "per", "places",
                                       "role", "start",  "end",     NULL};
    check_keys(r, o, path, keys);
    p->at = get_str(r, o, path, "at", true);
    p->within = get_str(r, o, path, "within", false);
    p->poverty = get_poverty_set(r, o, path, "poverty");
    p->per = (size_t)get_int(r, o, path, "per", 1, 100, 1);
    p->places = (size_t)get_int(r, o, path, "places", 0, 10000000, 0);
    p->role = get_str(r, o, path, "role", false);
    p->start = get_date(r, o, path, "start", true);
    p->end = get_date(r, o, path, "end", false);
    if (p->role && !in_list(p->role, roles))
        bad(r, path, "role must be first_secretary, leader or member");
    if (p->at) {
        if (is_prefix(p->at)) {
            enum division_level lv;
            struct zc_error e2 = {0};
            division_parse(p->at, strlen(p->at), &p->code, &lv, &e2);
        } else if (strcmp(p->at, "paired") != 0 && strcmp(p->at, "villages") != 0 &&
                   strcmp(p->at, "townships") != 0 && strcmp(p->at, "counties") != 0) {
            bad(r, path, "at must be paired, villages, townships, counties or a division code");
        } else if (strcmp(p->at, "paired") != 0 && (!p->within || !is_prefix(p->within))) {
            bad(r, path, "at '%s' needs 'within', a code prefix", p->at);
        }
    }
    if (p->start && p->end && strcmp(p->end, p->start) <= 0)
        bad(r, path, "end must come after start");
}

static void read_group(struct rd *r, json_t *o, const char *path, struct sc_group *g)
{
    static const char *const keys[] = {
        "id",       "label",     "count",    "units",      "rank",        "born",
        "age",      "education", "gender",   "grades",     "skills",      "party",
        "reserve",  "volunteer", "on_staff", "discipline", "rural_years", "service_years",
        "hometown", "postings",  NULL};
    json_t *posts;
    char sub[200];
    check_keys(r, o, path, keys);
    g->id = get_str(r, o, path, "id", true);
    g->label = get_str(r, o, path, "label", true);
    g->count = (size_t)get_int(r, o, path, "count", 1, 10000000, 0);
    if (!g->count)
        bad(r, path, "'count' is required (1..10000000)");
    g->units = get_str_list(r, o, path, "units", &g->nunits);
    if (!g->nunits)
        bad(r, path, "'units' is required: unit codes or unit sets");
    get_mix(r, o, path, "rank", MIX_RANK, &g->rank);
    get_mix(r, o, path, "born", MIX_YEARS, &g->born);
    get_mix(r, o, path, "age", MIX_AGE, &g->age);
    get_mix(r, o, path, "education", MIX_EDU, &g->education);
    get_mix(r, o, path, "gender", MIX_GENDER, &g->gender);
    get_mix(r, o, path, "grades", MIX_GRADE, &g->grades);
    get_mix(r, o, path, "skills", MIX_SKILL, &g->skills);
    if (g->born.n && g->age.n)
        bad(r, path, "give 'born' or 'age', not both");
    g->party = get_share(r, o, path, "party", 0.7);
    g->reserve = get_share(r, o, path, "reserve", 0.1);
    g->volunteer = get_share(r, o, path, "volunteer", 0.0);
    g->on_staff = get_share(r, o, path, "on_staff", 1.0);
    g->discipline = get_share(r, o, path, "discipline", 0.0);
    g->rural_years = get_range(r, o, path, "rural_years", 45);
    g->service_years = get_range(r, o, path, "service_years", 45);
    g->hometown = get_str(r, o, path, "hometown", false);
    if (g->hometown && !is_prefix(g->hometown))
        bad(r, path, "hometown must be a code prefix of 2, 4 or 6 digits");
    posts = json_object_get(o, "postings");
    if (posts) {
        json_t *e;
        size_t i;
        if (!json_is_array(posts)) {
            bad(r, path, "postings must be a list");
            return;
        }
        g->postings = zc_calloc(json_array_size(posts) + 1, sizeof(*g->postings));
        json_array_foreach(posts, i, e)
        {
            snprintf(sub, sizeof(sub), "%s.postings[%zu]", path, i);
            if (!json_is_object(e)) {
                bad(r, sub, "must be an object");
                return;
            }
            read_posting(r, e, sub, &g->postings[i]);
            g->npostings++;
        }
    }
}

/* Read an array of objects at `key` with `fn`. */
#define READ_LIST(r, root, key, arr, n, fn)                                                        \
    do {                                                                                           \
        json_t *list_ = json_object_get(root, key), *e_;                                           \
        size_t i_;                                                                                 \
        char p_[96];                                                                               \
        if (list_ && !json_is_array(list_))                                                        \
            bad(r, key, "must be a list");                                                         \
        if (list_ && json_is_array(list_)) {                                                       \
            arr = zc_calloc(json_array_size(list_) + 1, sizeof(*(arr)));                           \
            json_array_foreach(list_, i_, e_)                                                      \
            {                                                                                      \
                snprintf(p_, sizeof(p_), "%s[%zu]", key, i_);                                      \
                if (!json_is_object(e_)) {                                                         \
                    bad(r, p_, "must be an object");                                               \
                    break;                                                                         \
                }                                                                                  \
                fn(r, e_, p_, &(arr)[i_]);                                                         \
                (n)++;                                                                             \
            }                                                                                      \
        }                                                                                          \
    } while (0)

static void read_pairing(struct rd *r, json_t *o, const char *path, struct sc_pairing *p)
{
    static const char *const keys[] = {"set", "within", "villages", "counties", "poverty", NULL};
    check_keys(r, o, path, keys);
    p->set = get_str(r, o, path, "set", true);
    p->within = get_str(r, o, path, "within", true);
    p->villages = (size_t)get_int(r, o, path, "villages", 1, 1000000, 0);
    p->counties = (size_t)get_int(r, o, path, "counties", 0, 10000, 0);
    p->poverty = get_poverty_set(r, o, path, "poverty");
    if (!p->poverty)
        p->poverty = SC_POOR | SC_DEEP;
    if (!p->villages)
        bad(r, path, "'villages' is required");
    if (p->counties > p->villages)
        bad(r, path, "more counties than villages");
}

static void read_unit_pairing(struct rd *r, json_t *o, const char *path, struct sc_unit_pairing *p)
{
    static const char *const keys[] = {"a", "b", "kind", NULL};
    check_keys(r, o, path, keys);
    p->a = get_str(r, o, path, "a", true);
    p->b = get_str(r, o, path, "b", true);
    p->kind = get_str(r, o, path, "kind", true);
}

static void read_post(struct rd *r, json_t *o, const char *path, struct sc_post *p)
{
    static const char *const keys[] = {"at",   "within",   "places",     "count", "titles",
                                       "code", "min_rank", "send_level", "party", NULL};
    json_t *party = json_object_get(o, "party");
    check_keys(r, o, path, keys);
    p->at = get_str(r, o, path, "at", true);
    p->within = get_str(r, o, path, "within", true);
    p->places = (size_t)get_int(r, o, path, "places", 0, 100000, 0);
    p->count = (size_t)get_int(r, o, path, "count", 1, 100000, 0);
    p->titles = get_str_list(r, o, path, "titles", &p->ntitles);
    p->code = get_str(r, o, path, "code", true);
    p->min_rank = get_str(r, o, path, "min_rank", false);
    p->send_level = get_str(r, o, path, "send_level", false);
    p->party = party && json_is_true(party);
    if (party && !json_is_boolean(party))
        bad(r, path, "party must be true or false");
    if (p->at && strcmp(p->at, "counties") != 0 && strcmp(p->at, "townships") != 0)
        bad(r, path, "at must be counties or townships (a post sits above the village)");
    if (p->within && !is_prefix(p->within))
        bad(r, path, "within must be a code prefix");
    if (!p->count)
        bad(r, path, "'count' is required (1..100000)");
    if (!p->ntitles)
        bad(r, path, "'titles' is required: the post's title, a second round's after it");
    if (p->min_rank && !in_list(p->min_rank, ranks))
        bad(r, path, "min_rank '%s' is not a rank (科员, 副科, 正科, 副处 ...)", p->min_rank);
    if (p->send_level && !in_list(p->send_level, levels))
        bad(r, path, "send_level must be province, city, county or township");
}

/* A unit set, a single unit's code, or a generated code "SET-..." (checked
 * again when the units exist). */
static bool unit_known(const struct scenario *sc, const char *name)
{
    for (size_t i = 0; i < sc->nunitsets; i++) {
        const struct sc_unitset *u = &sc->unitsets[i];
        size_t n = u->set ? strlen(u->set) : 0;
        if ((u->set && strcmp(u->set, name) == 0) || (u->code && strcmp(u->code, name) == 0))
            return true;
        if (!u->code && n && strncmp(name, u->set, n) == 0 && name[n] == '-')
            return true;
    }
    return false;
}

/* Checks that need the whole file: references and totals. */
static void cross_check(struct rd *r, struct scenario *sc)
{
    char p[96];
    for (size_t i = 0; i < sc->ngroups; i++) {
        struct sc_group *g = &sc->groups[i];
        snprintf(p, sizeof(p), "cadres[%zu]", i);
        for (size_t k = 0; k < g->nunits; k++)
            if (!unit_known(sc, g->units[k]))
                bad(r, p, "units: no unit or unit set '%s' in units[]", g->units[k]);
        for (size_t j = 0; j < i; j++)
            if (strcmp(sc->groups[j].id, g->id) == 0)
                bad(r, p, "id '%s' is used twice", g->id);
    }
    for (size_t i = 0; i < sc->npairings; i++) {
        snprintf(p, sizeof(p), "pairings[%zu]", i);
        if (sc->pairings[i].set && !unit_known(sc, sc->pairings[i].set))
            bad(r, p, "no unit set '%s' in units[]", sc->pairings[i].set);
    }
    for (size_t i = 0; i < sc->nunit_pairings; i++) {
        snprintf(p, sizeof(p), "unit_pairings[%zu]", i);
        if (sc->unit_pairings[i].a && !unit_known(sc, sc->unit_pairings[i].a))
            bad(r, p, "no unit set '%s' in units[]", sc->unit_pairings[i].a);
        if (sc->unit_pairings[i].b && !unit_known(sc, sc->unit_pairings[i].b))
            bad(r, p, "no unit set '%s' in units[]", sc->unit_pairings[i].b);
    }
    for (size_t i = 0; i < sc->nnamed; i++) {
        snprintf(p, sizeof(p), "named[%zu]", i);
        if (sc->named[i].paired_unit && !unit_known(sc, sc->named[i].paired_unit))
            bad(r, p, "paired_unit: no unit '%s' in units[]", sc->named[i].paired_unit);
        for (size_t j = 0; j < i; j++)
            if (sc->named[j].code == sc->named[i].code)
                bad(r, p, "village %lld is named twice", (long long)sc->named[i].code);
    }
    for (size_t i = 0; i < sc->nrules; i++) {
        struct sc_village_rule *v = &sc->rules[i];
        snprintf(p, sizeof(p), "villages[%zu]", i);
        if (v->count && v->deep + v->poor > v->count)
            bad(r, p, "deep + poor (%zu) exceed count (%zu)", v->deep + v->poor, v->count);
    }
    for (size_t i = 0; i < sc->nunitsets; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(sc->unitsets[i].set, sc->unitsets[j].set) == 0) {
                snprintf(p, sizeof(p), "units[%zu]", i);
                bad(r, p, "set '%s' is used twice", sc->unitsets[i].set);
            }
}

static int load_json(const char *name, json_t *root, struct scenario **out, struct zc_error *err)
{
    static const char *const keys[] = {
        "name",          "title",    "source",    "seed",
        "today",         "policy",   "divisions", "households",
        "units",         "villages", "named",     "pairings",
        "unit_pairings", "cadres",   "notes",     "household_records",
        "posts",         NULL};
    struct rd r = {name, err, ZC_OK};
    struct scenario *sc = zc_calloc(1, sizeof(*sc));
    json_t *v;

    sc->path = zc_strdup(name);
    if (!json_is_object(root)) {
        bad(&r, "(top)", "a scenario is a JSON object");
        goto done;
    }
    check_keys(&r, root, "(top)", keys);
    sc->name = get_str(&r, root, "(top)", "name", true);
    sc->title = get_str(&r, root, "(top)", "title", true);
    sc->source = get_str(&r, root, "(top)", "source", false);
    sc->today = get_date(&r, root, "(top)", "today", true);
    sc->policy = get_str(&r, root, "(top)", "policy", false);
    sc->seed = (uint64_t)get_int(&r, root, "(top)", "seed", 0, INT64_MAX, 1);
    v = json_object_get(root, "households");
    sc->households = !v || json_is_true(v);
    if (v && !json_is_boolean(v))
        bad(&r, "households", "must be true or false");
    v = json_object_get(root, "household_records");
    sc->household_records = sc->households && (!v || json_is_true(v));
    if (v && !json_is_boolean(v))
        bad(&r, "household_records", "must be true or false");
    v = json_object_get(root, "divisions");
    if (v && !json_is_null(v)) {
        size_t n = 0;
        char **list = get_str_list(&r, root, "(top)", "divisions", &n);
        struct buf b = {0};
        for (size_t i = 0; i < n; i++) {
            if (!is_prefix(list[i]) || strlen(list[i]) > 6 || list[i][0] == '*')
                bad(&r, "divisions", "'%s' is not a code prefix of 2, 4 or 6 digits", list[i]);
            if (i)
                buf_putc(&b, ',');
            buf_puts(&b, list[i]);
            free(list[i]);
        }
        free(list);
        sc->divisions = n ? buf_steal(&b) : NULL;
    }
    READ_LIST(&r, root, "units", sc->unitsets, sc->nunitsets, read_unitset);
    READ_LIST(&r, root, "villages", sc->rules, sc->nrules, read_rule);
    READ_LIST(&r, root, "named", sc->named, sc->nnamed, read_named);
    READ_LIST(&r, root, "pairings", sc->pairings, sc->npairings, read_pairing);
    READ_LIST(&r, root, "unit_pairings", sc->unit_pairings, sc->nunit_pairings, read_unit_pairing);
    READ_LIST(&r, root, "cadres", sc->groups, sc->ngroups, read_group);
    READ_LIST(&r, root, "posts", sc->posts, sc->nposts, read_post);
    if (r.rc == ZC_OK && !sc->nrules)
        bad(&r, "villages", "at least one village rule is required");
    sc->notes = get_str_list(&r, root, "(top)", "notes", &sc->nnotes);
    if (sc->name &&
        (strlen(sc->name) > 63 ||
         strspn(sc->name, "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(sc->name)))
        bad(&r, "name", "must be 1..63 characters of a-z 0-9 - _");
    if (r.rc == ZC_OK)
        cross_check(&r, sc);
done:
    if (r.rc != ZC_OK) {
        scenario_free(sc);
        return r.rc;
    }
    *out = sc;
    return ZC_OK;
}

int scenario_load_string(const char *name, const char *json, struct scenario **out,
                         struct zc_error *err)
{
    json_error_t je;
    json_t *root = json_loads(json, JSON_REJECT_DUPLICATES, &je);
    int rc;
    *out = NULL;
    if (!root)
        return zc_error_set(err, ZC_EINVAL, "%s:%d: %s", name, je.line, je.text);
    rc = load_json(name, root, out, err);
    json_decref(root);
    return rc;
}

int scenario_load(const char *path, struct scenario **out, struct zc_error *err)
{
    json_error_t je;
    json_t *root;
    int rc;
    *out = NULL;
    root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        if (je.line <= 0)
            return zc_error_set(err, ZC_EIO, "%s: %s", path, je.text);
        return zc_error_set(err, ZC_EINVAL, "%s:%d: %s", path, je.line, je.text);
    }
    rc = load_json(path, root, out, err);
    json_decref(root);
    return rc;
}

static void mix_fini(struct sc_mix *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->key[i]);
}

void scenario_free(struct scenario *sc)
{
    if (!sc)
        return;
    for (size_t i = 0; i < sc->nunitsets; i++) {
        struct sc_unitset *u = &sc->unitsets[i];
        free(u->set), free(u->code), free(u->name), free(u->level), free(u->category);
        free(u->division), free(u->per), free(u->within);
        for (size_t k = 0; k < u->nnames; k++)
            free(u->name_cat[k]), free(u->name_txt[k]);
        free(u->name_cat), free(u->name_txt);
    }
    free(sc->unitsets);
    for (size_t i = 0; i < sc->nrules; i++)
        free(sc->rules[i].within);
    free(sc->rules);
    for (size_t i = 0; i < sc->nnamed; i++) {
        struct sc_named *n = &sc->named[i];
        free(n->name), free(n->needs), free(n->industries), free(n->paired_unit), free(n->note);
    }
    free(sc->named);
    for (size_t i = 0; i < sc->npairings; i++)
        free(sc->pairings[i].set), free(sc->pairings[i].within);
    free(sc->pairings);
    for (size_t i = 0; i < sc->nunit_pairings; i++)
        free(sc->unit_pairings[i].a), free(sc->unit_pairings[i].b), free(sc->unit_pairings[i].kind);
    free(sc->unit_pairings);
    for (size_t i = 0; i < sc->ngroups; i++) {
        struct sc_group *g = &sc->groups[i];
        free(g->id), free(g->label), free(g->hometown);
        for (size_t k = 0; k < g->nunits; k++)
            free(g->units[k]);
        free(g->units);
        mix_fini(&g->rank), mix_fini(&g->born), mix_fini(&g->age), mix_fini(&g->education);
        mix_fini(&g->gender), mix_fini(&g->grades), mix_fini(&g->skills);
        for (size_t k = 0; k < g->npostings; k++) {
            struct sc_posting *p = &g->postings[k];
            free(p->at), free(p->within), free(p->role), free(p->start), free(p->end);
        }
        free(g->postings);
    }
    free(sc->groups);
    for (size_t i = 0; i < sc->nposts; i++) {
        struct sc_post *p = &sc->posts[i];
        free(p->at), free(p->within), free(p->code), free(p->min_rank), free(p->send_level);
        for (size_t k = 0; k < p->ntitles; k++)
            free(p->titles[k]);
        free(p->titles);
    }
    free(sc->posts);
    for (size_t i = 0; i < sc->nnotes; i++)
        free(sc->notes[i]);
    free(sc->notes);
    free(sc->path), free(sc->name), free(sc->title), free(sc->source), free(sc->today);
    free(sc->policy), free(sc->divisions);
    free(sc);
}

const char *scenario_name(const struct scenario *sc)
{
    return sc->name;
}

const char *scenario_title(const struct scenario *sc)
{
    return sc->title;
}

const char *scenario_today(const struct scenario *sc)
{
    return sc->today;
}

const char *scenario_policy(const struct scenario *sc)
{
    return sc->policy ? sc->policy : "";
}

uint64_t scenario_default_seed(const struct scenario *sc)
{
    return sc->seed;
}

size_t scenario_nnotes(const struct scenario *sc)
{
    return sc->nnotes;
}

const char *scenario_note(const struct scenario *sc, size_t i)
{
    return i < sc->nnotes ? sc->notes[i] : NULL;
}
