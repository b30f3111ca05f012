/* SPDX-License-Identifier: MIT */
/* eligible.c - eligibility with reasons (审核: a refused nominee learns why).
 *
 * eligible_check() evaluates every rule and records each failure rather than
 * stopping at the first: an office sending back a nomination must be able to
 * say everything that is wrong at once. Dates are compared as YYYYMMDD
 * integers. Ledger records keep only the year of a grade or a penalty, so a
 * penalty is dated 12-31 of its year (or 01-01, by policy) and its bar ends
 * `months` later; ages are completed years, so a cadre becomes too old on the
 * birthday after the limit.
 *
 * eligible_scan() reads the store in three ordered queries and merges them
 * by cadre id, keeping memory flat however many cadres there are. */
#include "select.h"
#include "select_int.h"

#include <stdio.h>
#include <string.h>

#include "base/idcard.h"
#include "base/mem.h"
#include "registry/registry.h"
#include "store/store.h"

static const char *const code_names[EL_NCODES] = {
    [EL_NOT_ON_STAFF] = "not_on_staff",
    [EL_GRADE_EXCELLENT] = "grade_excellent",
    [EL_GRADE_COMPETENT] = "grade_competent",
    [EL_GRADE_BASIC] = "grade_basic_competent",
    [EL_GRADE_INCOMPETENT] = "grade_incompetent",
    [EL_DISCIPLINE] = "discipline_active",
    [EL_SERVICE_SHORT] = "service_too_short",
    [EL_SERVICE_UNKNOWN] = "service_unknown",
    [EL_TOO_OLD] = "too_old",
    [EL_AGE_UNKNOWN] = "age_unknown",
    [EL_SERVING] = "already_serving",
    [EL_NOT_PARTY] = "not_party_member",
    [EL_NOT_VOLUNTEER] = "not_volunteer",
    [EL_EDUCATION] = "education_too_low",
    [EL_UNIT_CATEGORY] = "unit_category_excluded",
    [EL_UNIT_EXCLUDED] = "unit_excluded",
};

const char *eligible_code_name(enum eligible_code code)
{
    if ((int)code < 0 || code >= EL_NCODES)
        return "unknown";
    return code_names[code];
}

static const char *const grade_zh[] = {"优秀", "称职", "基本称职", "不称职"};
static const char *const education_zh[] = {"未填", "中专及以下", "大专", "本科", "研究生"};

static int grade_index(unsigned bit)
{
    for (int i = 0; i < 4; i++)
        if (bit == 1u << i)
            return i;
    return 0;
}

const char *eligible_reason_text(const struct eligible_reason *r, bool zh, char *out, size_t outsz)
{
    switch (r->code) {
    case EL_NOT_ON_STAFF:
        snprintf(out, outsz, "%s", zh ? "非在职在编" : "not on the payroll (非在职在编)");
        break;
    case EL_GRADE_EXCELLENT:
    case EL_GRADE_COMPETENT:
    case EL_GRADE_BASIC:
    case EL_GRADE_INCOMPETENT: {
        const char *g = grade_zh[r->code - EL_GRADE_EXCELLENT];
        if (zh)
            snprintf(out, outsz, "%d年度考核为%s", r->year, g);
        else
            snprintf(out, outsz, "rated %s in %d", g, r->year);
        break;
    }
    case EL_DISCIPLINE:
        if (zh)
            snprintf(out, outsz, "%d年受%s处分, 影响期至%s", r->year, r->text, r->until);
        else
            snprintf(out, outsz, "penalty %s of %d in effect until %s", r->text, r->year, r->until);
        break;
    case EL_SERVICE_SHORT:
        if (zh)
            snprintf(out, outsz, "工作年限%d年, 不足%d年", r->value, r->limit);
        else
            snprintf(out, outsz, "%d years of service, fewer than %d", r->value, r->limit);
        break;
    case EL_SERVICE_UNKNOWN:
        snprintf(out, outsz, "%s", zh ? "工作年限未填" : "years of service not recorded");
        break;
    case EL_TOO_OLD:
        if (zh)
            snprintf(out, outsz, "选派时%d周岁, 超过%d周岁", r->value, r->limit);
        else
            snprintf(out, outsz, "aged %d at dispatch, over the limit of %d", r->value, r->limit);
        break;
    case EL_AGE_UNKNOWN:
        snprintf(out, outsz, "%s", zh ? "出生日期或性别未知" : "birth date or gender unknown");
        break;
    case EL_SERVING:
        snprintf(out, outsz, "%s", zh ? "已在驻村任职" : "already serving in a village");
        break;
    case EL_NOT_PARTY:
        snprintf(out, outsz, "%s", zh ? "非中共党员" : "not a party member");
        break;
    case EL_NOT_VOLUNTEER:
        snprintf(out, outsz, "%s", zh ? "未自愿报名" : "did not volunteer");
        break;
    case EL_EDUCATION:
        if (zh)
            snprintf(out, outsz, "学历%s, 低于%s", education_zh[r->value], education_zh[r->limit]);
        else
            snprintf(out, outsz, "education %s, below %s", education_zh[r->value],
                     education_zh[r->limit]);
        break;
    case EL_UNIT_CATEGORY:
        if (zh)
            snprintf(out, outsz, "%s类单位不在选派范围", r->text);
        else
            snprintf(out, outsz, "units of category %s are excluded", r->text);
        break;
    case EL_UNIT_EXCLUDED:
        if (zh)
            snprintf(out, outsz, "单位%s不在选派范围", r->text);
        else
            snprintf(out, outsz, "unit %s is excluded", r->text);
        break;
    case EL_NCODES:
    default:
        snprintf(out, outsz, "?");
        break;
    }
    return out;
}

/* ---- the rules ---------------------------------------------------------------- */

static int ymd(int y, int m, int d)
{
    return y * 10000 + m * 100 + d;
}

static int days_in_month(int y, int m)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return mdays[m - 1];
}

/* `months` after y-m-d, clamping the day (08-31 + 6 months = 02-28/29). */
static struct eligible_date add_months(int y, int m, int d, int months)
{
    struct eligible_date r;
    int total = y * 12 + (m - 1) + months;
    r.y = total / 12;
    r.m = total % 12 + 1;
    r.d = d;
    if (r.d > days_in_month(r.y, r.m))
        r.d = days_in_month(r.y, r.m);
    return r;
}

/* YYYY-MM-DD into out[11]; dates here are always within years 1000-9999. */
static void format_date(char *out, struct eligible_date d)
{
    int v[3] = {d.y, d.m, d.d}, width[3] = {4, 2, 2};
    char *p = out;
    for (int i = 0; i < 3; i++) {
        for (int k = width[i] - 1; k >= 0; k--) {
            p[k] = (char)('0' + v[i] % 10);
            v[i] /= 10;
        }
        p += width[i];
        *p++ = i < 2 ? '-' : '\0';
    }
}

static struct eligible_reason *add(struct eligible_result *out, enum eligible_code code)
{
    struct eligible_reason *r;
    if (out->nreasons == ELIGIBLE_MAX_REASONS)
        return NULL; /* a cadre with this many failures is refused anyway */
    r = &out->reasons[out->nreasons++];
    memset(r, 0, sizeof(*r));
    r->code = code;
    return r;
}

static int cmp_int(int a, int b)
{
    return (a > b) - (a < b);
}

void eligible_check(const struct policy *p, const struct eligible_cadre *c,
                    struct eligible_date today, struct eligible_result *out)
{
    const struct policy_eligibility *e = &p->elig;
    struct eligible_date ref = today;
    struct eligible_reason *r;
    int now = ymd(today.y, today.m, today.d);

    memset(out, 0, sizeof(*out));
    out->age = -1;
    if (e->dispatch_y)
        ref = (struct eligible_date){e->dispatch_y, e->dispatch_m, e->dispatch_d};

    if (e->on_staff && !c->on_staff)
        add(out, EL_NOT_ON_STAFF);

    /* Grades, oldest first so the reasons read in order. */
    for (int y = today.y - e->grade_years; e->grade_years > 0 && y <= today.y; y++) {
        for (size_t i = 0; i < c->ngrades; i++) {
            if (c->grades[i].year != y || !(c->grades[i].grade & e->grade_reject))
                continue;
            r = add(out,
                    (enum eligible_code)(EL_GRADE_EXCELLENT + grade_index(c->grades[i].grade)));
            if (r)
                r->year = y;
        }
    }

    for (size_t i = 0; i < c->npenalties; i++) {
        const struct eligible_penalty *pen = &c->penalties[i];
        int months = policy_discipline_months(p, pen->kind);
        struct eligible_date from = e->discipline_year_end
                                        ? (struct eligible_date){pen->year, 12, 31}
                                        : (struct eligible_date){pen->year, 1, 1};
        struct eligible_date until = add_months(from.y, from.m, from.d, months);
        if (months <= 0 || now >= ymd(until.y, until.m, until.d))
            continue;
        r = add(out, EL_DISCIPLINE);
        if (r) {
            r->year = pen->year;
            snprintf(r->text, sizeof(r->text), "%s", pen->kind);
            format_date(r->until, until);
        }
    }

    if (e->min_service_years > 0) {
        if (c->service_years < 0) {
            add(out, EL_SERVICE_UNKNOWN);
        } else if (c->service_years < e->min_service_years) {
            r = add(out, EL_SERVICE_SHORT);
            if (r) {
                r->value = c->service_years;
                r->limit = e->min_service_years;
            }
        }
    }

    if (c->birth_y) {
        int age = ref.y - c->birth_y;
        if (cmp_int(ref.m * 100 + ref.d, c->birth_m * 100 + c->birth_d) < 0)
            age--;
        out->age = age;
    }
    if (e->max_age_male > 0 || e->max_age_female > 0) {
        int limit = c->gender == 'M' ? e->max_age_male : c->gender == 'F' ? e->max_age_female : 0;
        if (out->age < 0 || !c->gender) {
            add(out, EL_AGE_UNKNOWN);
        } else if (limit > 0 && out->age > limit) {
            r = add(out, EL_TOO_OLD);
            if (r) {
                r->value = out->age;
                r->limit = limit;
            }
        }
    }

    if (e->not_serving && c->serving)
        add(out, EL_SERVING);
    if (e->party_member && !c->party_member)
        add(out, EL_NOT_PARTY);
    if (e->volunteer && !c->volunteer)
        add(out, EL_NOT_VOLUNTEER);
    if (e->min_education > PE_ANY && c->education < e->min_education) {
        r = add(out, EL_EDUCATION);
        if (r) {
            r->value = c->education;
            r->limit = e->min_education;
        }
    }
    if (c->unit_category & e->exclude_categories) {
        r = add(out, EL_UNIT_CATEGORY);
        if (r)
            snprintf(r->text, sizeof(r->text), "%s", policy_category_name(c->unit_category));
    }
    for (size_t i = 0; i < e->nexclude_units; i++) {
        if (strcmp(c->unit, e->exclude_units[i]) == 0) {
            r = add(out, EL_UNIT_EXCLUDED);
            if (r)
                snprintf(r->text, sizeof(r->text), "%s", c->unit);
        }
    }
    out->ok = out->nreasons == 0;
}

/* ---- the scan ------------------------------------------------------------------- */

/* A cursor over one ordered side query (grades or discipline). */
struct side {
    struct store_stmt *st; /* SELECT cadre, year, value ... ORDER BY cadre */
    bool has_row;          /* st holds an unread row */
};

static int side_start(struct store *s, const char *sql, const char *unit, int year_from,
                      struct side *sd, struct zc_error *err)
{
    int rc = store_prepare(s, sql, &sd->st, err);
    if (rc != ZC_OK)
        return rc;
    store_bind_int(sd->st, 1, year_from);
    store_bind_cstr(sd->st, 2, unit);
    store_bind_cstr(sd->st, 3, unit);
    return store_step(sd->st, &sd->has_row, err);
}

/* Skip rows of cadres before `id`; true if the current row belongs to `id`. */
static int side_at(struct side *sd, int64_t id, bool *mine, struct zc_error *err)
{
    int rc = ZC_OK;
    while (sd->has_row && store_col_int(sd->st, 0) < id && rc == ZC_OK)
        rc = store_step(sd->st, &sd->has_row, err);
    *mine = rc == ZC_OK && sd->has_row && store_col_int(sd->st, 0) == id;
    return rc;
}

static int gender_of(const char *g, const char *id_number)
{
    if (strcmp(g, "男") == 0)
        return 'M';
    if (strcmp(g, "女") == 0)
        return 'F';
    if (strlen(id_number) == IDCARD_LEN)
        return idcard_is_male(id_number) ? 'M' : 'F';
    return 0;
}

static void birth_of(const char *date, const char *id_number, struct eligible_cadre *c)
{
    int y, m, d;
    if (sscanf(date, "%4d-%2d-%2d", &y, &m, &d) == 3) {
        c->birth_y = y;
        c->birth_m = m;
        c->birth_d = d;
    } else if (strlen(id_number) == IDCARD_LEN) {
        int b = idcard_birth_yyyymmdd(id_number);
        c->birth_y = b / 10000;
        c->birth_m = b / 100 % 100;
        c->birth_d = b % 100;
    }
}

int eligible_scan(struct store *s, const struct policy *p, const struct eligible_scan_opts *opts,
                  eligible_fn fn, void *ud, struct zc_error *err)
{
    struct store_stmt *cad = NULL;
    struct side grades = {0}, disc = {0};
    struct eligible_grade gv[ELIGIBLE_MAX_YEARS];
    struct eligible_penalty pv[ELIGIBLE_MAX_YEARS];
    struct eligible_date today = opts->today;
    const char *unit = opts->unit;
    char today_s[40];
    bool has_row = false;
    int rc;

    if (!today.y)
        registry_today(&today.y, &today.m, &today.d);
    snprintf(today_s, sizeof(today_s), "%04d-%02d-%02d", today.y, today.m, today.d);

    rc = store_prepare(s, select_sql_cadres, &cad, err);
    if (rc != ZC_OK)
        goto done;
    store_bind_cstr(cad, 1, today_s);
    store_bind_cstr(cad, 2, today_s);
    store_bind_cstr(cad, 3, unit);
    store_bind_cstr(cad, 4, unit);
    rc = side_start(s, select_sql_grades, unit, today.y - p->elig.grade_years, &grades, err);
    if (rc == ZC_OK)
        rc = side_start(s, select_sql_discipline, unit, 0, &disc, err);
    if (rc == ZC_OK)
        rc = store_step(cad, &has_row, err);

    while (rc == ZC_OK && has_row) {
        struct eligible_cadre c;
        struct eligible_result res;
        bool mine = false;
        const char *cat;

        memset(&c, 0, sizeof(c));
        c.id = store_col_int(cad, 0);
        snprintf(c.id_number, sizeof(c.id_number), "%s", store_col_text(cad, 1));
        snprintf(c.name, sizeof(c.name), "%s", store_col_text(cad, 2));
        snprintf(c.unit, sizeof(c.unit), "%s", store_col_text(cad, 3));
        cat = store_col_text(cad, 4);
        c.unit_category = policy_category_bit(cat) > 0 ? (unsigned)policy_category_bit(cat) : 0;
        c.rank = policy_rank_parse(store_col_text(cad, 5));
        if (c.rank < 0)
            c.rank = PR_OTHER;
        c.party_member = store_col_int(cad, 6) != 0;
        c.reserve = store_col_int(cad, 7) != 0;
        c.on_staff = store_col_int(cad, 8) != 0;
        c.volunteer = store_col_int(cad, 9) != 0;
        c.education = policy_education_parse(store_col_text(cad, 10));
        if (c.education < 0)
            c.education = PE_ANY;
        c.service_years = store_col_is_null(cad, 11) ? -1 : (int)store_col_int(cad, 11);
        c.gender = (char)gender_of(store_col_text(cad, 12), c.id_number);
        birth_of(store_col_text(cad, 13), c.id_number, &c);
        c.serving = store_col_int(cad, 14) != 0;

        rc = side_at(&grades, c.id, &mine, err);
        while (rc == ZC_OK && mine) {
            int g = policy_grade_bit(store_col_text(grades.st, 2));
            if (c.ngrades < ELIGIBLE_MAX_YEARS && g > 0) {
                gv[c.ngrades].year = (int)store_col_int(grades.st, 1);
                gv[c.ngrades].grade = (unsigned)g;
                c.ngrades++;
            }
            rc = store_step(grades.st, &grades.has_row, err);
            if (rc == ZC_OK)
                rc = side_at(&grades, c.id, &mine, err);
        }
        if (rc == ZC_OK)
            rc = side_at(&disc, c.id, &mine, err);
        while (rc == ZC_OK && mine) {
            if (c.npenalties < ELIGIBLE_MAX_YEARS) {
                pv[c.npenalties].year = (int)store_col_int(disc.st, 1);
                snprintf(pv[c.npenalties].kind, sizeof(pv[0].kind), "%s",
                         store_col_text(disc.st, 2));
                c.npenalties++;
            }
            rc = store_step(disc.st, &disc.has_row, err);
            if (rc == ZC_OK)
                rc = side_at(&disc, c.id, &mine, err);
        }
        if (rc != ZC_OK)
            break;
        c.grades = gv;
        c.penalties = pv;
        eligible_check(p, &c, today, &res);
        rc = fn(ud, &c, &res);
        if (rc == ZC_OK)
            rc = store_step(cad, &has_row, err);
    }
done:
    store_finalize(cad);
    store_finalize(grades.st);
    store_finalize(disc.st);
    return rc;
}
