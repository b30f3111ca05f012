/* SPDX-License-Identifier: MIT */
/* rows.c - the row writers (registry.h): whole ledger records in their
 * stored form, checked against the kinds' rules, written with the
 * registry's statements (registry_sql.c). The scenario generator makes its
 * units, villages, cadres, postings and households through these, so the
 * columns of each table are written out in the registry only. */
#include <stdlib.h>
#include <string.h>

#include "base/division.h"
#include "base/idcard.h"
#include "registry_int.h"

enum {
    W_UNIT,
    W_VILLAGE,
    W_CADRE,
    W_GRADE,
    W_DISC,
    W_POSTING,
    W_HOUSEHOLD,
    W_MEMBER,
    W_CAUSE,
    W_POST,
    W_COUNT
};

struct registry_rows {
    struct store *s;
    struct store_stmt *st[W_COUNT]; /* prepared on first use */
};

static const char *const row_sql[W_COUNT] = {
    [W_UNIT] = registry_sql_unit_insert,           [W_VILLAGE] = registry_sql_village_insert,
    [W_CADRE] = registry_sql_cadre_insert,         [W_GRADE] = registry_sql_grade_insert,
    [W_DISC] = registry_sql_discipline_insert,     [W_POSTING] = registry_sql_posting_insert,
    [W_HOUSEHOLD] = registry_sql_household_insert, [W_MEMBER] = registry_sql_member_insert,
    [W_CAUSE] = registry_sql_cause_insert,         [W_POST] = registry_sql_post_insert,
};

int registry_rows_open(struct store *s, struct registry_rows **out, struct zc_error *err)
{
    (void)err;
    *out = zc_calloc(1, sizeof(**out));
    (*out)->s = s;
    return ZC_OK;
}

void registry_rows_close(struct registry_rows *w)
{
    if (!w)
        return;
    for (int i = 0; i < W_COUNT; i++)
        store_finalize(w->st[i]);
    free(w);
}

static struct store_stmt *stmt(struct registry_rows *w, int which, struct zc_error *err)
{
    if (!w->st[which] && store_prepare(w->s, row_sql[which], &w->st[which], err) != ZC_OK)
        return NULL;
    return w->st[which];
}

static void bind_opt_text(struct store_stmt *st, int idx, const char *v)
{
    if (v)
        store_bind_cstr(st, idx, v);
    else
        store_bind_null(st, idx);
}

int registry_add_unit(struct registry_rows *w, const struct registry_unit_row *u,
                      struct zc_error *err)
{
    struct store_stmt *st;
    if (!u->code || !*u->code || !u->name || !*u->name)
        return zc_error_set(err, ZC_EINVAL, "a unit needs a code and a name");
    if (!choice_is_stored(registry_level_choices, u->level))
        return zc_error_set(err, ZC_EINVAL,
                            "unit %s: level %s is not one of province, city, "
                            "county, township",
                            u->code, u->level ? u->level : "(none)");
    if (!choice_is_stored(registry_category_choices, u->category))
        return zc_error_set(err, ZC_EINVAL, "unit %s: category %s is not one of the list", u->code,
                            u->category ? u->category : "(none)");
    if (!(st = stmt(w, W_UNIT, err)))
        return err->code;
    store_bind_cstr(st, 1, u->code);
    store_bind_cstr(st, 2, u->name);
    store_bind_cstr(st, 3, u->level);
    store_bind_cstr(st, 4, u->category);
    if (u->division)
        store_bind_int(st, 5, u->division);
    else
        store_bind_null(st, 5);
    store_bind_int(st, 6, u->demo);
    return store_run(st, err);
}

int registry_add_village(struct registry_rows *w, const struct registry_village_row *v,
                         struct zc_error *err)
{
    struct store_stmt *st;
    if (division_level_of(v->code) != DIV_VILLAGE)
        return zc_error_set(err, ZC_EINVAL, "%lld is not a village code", (long long)v->code);
    if (!choice_is_stored(registry_poverty_choices, v->poverty))
        return zc_error_set(err, ZC_EINVAL,
                            "village %lld: poverty type %s is not none, poor or "
                            "deep",
                            (long long)v->code, v->poverty ? v->poverty : "(none)");
    if (v->states < 0 || v->states > 15)
        return zc_error_set(err, ZC_EINVAL, "village %lld: states %d are not 软穷乱弱 bits",
                            (long long)v->code, v->states);
    if (v->located && (v->lat < 3.0 || v->lat > 54.0 || v->lng < 73.0 || v->lng > 136.0 ||
                       !choice_is_stored(registry_datum_choices, v->datum)))
        return zc_error_set(err, ZC_EINVAL,
                            "village %lld: (%f, %f, %s) is not a position in "
                            "China",
                            (long long)v->code, v->lat, v->lng, v->datum ? v->datum : "(none)");
    if (!(st = stmt(w, W_VILLAGE, err)))
        return err->code;
    store_bind_int(st, 1, v->code);
    store_bind_cstr(st, 2, v->poverty);
    store_bind_int(st, 3, v->states);
    store_bind_int(st, 4, v->hamlets);
    store_bind_int(st, 5, v->population);
    store_bind_int(st, 6, v->households);
    store_bind_int(st, 7, v->poor_households);
    store_bind_int(st, 8, v->poor_population);
    store_bind_cstr(st, 9, v->needs ? v->needs : "");
    store_bind_cstr(st, 10, v->industries ? v->industries : "");
    if (v->located) {
        store_bind_real(st, 11, v->lat);
        store_bind_real(st, 12, v->lng);
        store_bind_cstr(st, 13, v->datum);
    } else {
        /* No coordinate: no datum either. */
        store_bind_null(st, 11);
        store_bind_null(st, 12);
        store_bind_null(st, 13);
    }
    bind_opt_text(st, 14, v->paired_unit);
    store_bind_int(st, 15, v->demo);
    return store_run(st, err);
}

/* The import's checks of an ID number against the birth date and gender. */
static int check_person(const char *id, const char *gender, const char *birth, struct zc_error *err)
{
    char norm[IDCARD_LEN + 1], from_id[16];
    int b;
    if (idcard_normalize(id, strlen(id), norm, err) != ZC_OK)
        return err->code;
    if (strcmp(norm, id) != 0)
        return zc_error_set(err, ZC_EINVAL, "ID number %s is not in its normal form", id);
    b = idcard_birth_yyyymmdd(id);
    snprintf(from_id, sizeof(from_id), "%04d-%02d-%02d", b / 10000, b / 100 % 100, b % 100);
    if (birth && strcmp(birth, from_id) != 0)
        return zc_error_set(err, ZC_EINVAL, "%s: birth date %s contradicts the ID number (%s)", id,
                            birth, from_id);
    if (gender && strcmp(gender, idcard_is_male(id) ? "男" : "女") != 0)
        return zc_error_set(err, ZC_EINVAL, "%s: gender %s contradicts the ID number", id, gender);
    return ZC_OK;
}

int registry_add_cadre(struct registry_rows *w, const struct registry_cadre_row *c,
                       struct zc_error *err)
{
    struct store_stmt *st;
    int rc;
    if (!c->name || !*c->name || !c->unit || !*c->unit)
        return zc_error_set(err, ZC_EINVAL, "a cadre needs a name and a unit");
    if ((rc = check_person(c->id_number, c->gender, c->birth_date, err)) != ZC_OK)
        return rc;
    if (!choice_is_stored(registry_rank_choices, c->rank))
        return zc_error_set(err, ZC_EINVAL, "%s: rank %s is not one of the list", c->id_number,
                            c->rank ? c->rank : "(none)");
    if (c->education && !choice_is_stored(registry_education_choices, c->education))
        return zc_error_set(err, ZC_EINVAL, "%s: education %s is not one of the list", c->id_number,
                            c->education);
    if (c->rural_years < 0 || c->rural_years > 60 || c->service_years < 0 || c->service_years > 60)
        return zc_error_set(err, ZC_EINVAL, "%s: years of service are 0 to 60", c->id_number);
    if (!(st = stmt(w, W_CADRE, err)))
        return err->code;
    if (c->id)
        store_bind_int(st, 1, c->id);
    else
        store_bind_null(st, 1);
    store_bind_cstr(st, 2, c->id_number);
    store_bind_cstr(st, 3, c->name);
    store_bind_cstr(st, 4, c->unit);
    store_bind_cstr(st, 5, c->rank);
    store_bind_int(st, 6, c->party_member);
    store_bind_int(st, 7, c->reserve);
    store_bind_int(st, 8, c->on_staff);
    bind_opt_text(st, 9, c->education);
    store_bind_cstr(st, 10, c->skills ? c->skills : "");
    store_bind_int(st, 11, c->rural_years);
    store_bind_int(st, 12, c->service_years);
    if (c->hometown)
        store_bind_int(st, 13, c->hometown);
    else
        store_bind_null(st, 13);
    store_bind_cstr(st, 14, c->grades ? c->grades : "");
    store_bind_cstr(st, 15, c->discipline ? c->discipline : "");
    store_bind_int(st, 16, c->volunteer);
    store_bind_cstr(st, 17, c->preferred ? c->preferred : "");
    bind_opt_text(st, 18, c->gender);
    bind_opt_text(st, 19, c->birth_date);
    bind_opt_text(st, 20, c->spouse);
    store_bind_int(st, 21, c->demo);
    rc = store_run(st, err);
    for (size_t i = 0; rc == ZC_OK && i < c->ngrades; i++) {
        if (!(st = stmt(w, W_GRADE, err)))
            return err->code;
        store_bind_int(st, 1, c->id ? c->id : store_last_insert_id(w->s));
        store_bind_int(st, 2, c->grade_years[i]);
        store_bind_cstr(st, 3, c->grade_values[i]);
        rc = store_run(st, err);
    }
    if (rc == ZC_OK && c->discipline_year) {
        if (!(st = stmt(w, W_DISC, err)))
            return err->code;
        store_bind_int(st, 1, c->id ? c->id : store_last_insert_id(w->s));
        store_bind_int(st, 2, c->discipline_year);
        store_bind_cstr(st, 3, c->discipline_kind);
        rc = store_run(st, err);
    }
    return rc;
}

int registry_add_posting(struct registry_rows *w, int64_t cadre, int64_t place, const char *role,
                         const char *start, const char *end, struct zc_error *err)
{
    struct store_stmt *st = stmt(w, W_POSTING, err);
    if (!st)
        return err->code;
    store_bind_int(st, 1, cadre);
    store_bind_int(st, 2, place);
    store_bind_cstr(st, 3, role);
    store_bind_cstr(st, 4, start);
    bind_opt_text(st, 5, end);
    return store_run(st, err);
}

int registry_add_post(struct registry_rows *w, const struct registry_post_row *p,
                      struct zc_error *err)
{
    struct store_stmt *st;
    enum division_level lv = division_level_of(p->division);
    if (!p->code || !*p->code || !p->title || !*p->title)
        return zc_error_set(err, ZC_EINVAL, "a post needs a code and a title");
    if (lv != DIV_COUNTY && lv != DIV_TOWNSHIP)
        return zc_error_set(err, ZC_EINVAL, "post %s: %lld is not a county or a township", p->code,
                            (long long)p->division);
    if (p->seats < 1 || p->seats > 99)
        return zc_error_set(err, ZC_EINVAL, "post %s: %d seats (1 to 99)", p->code, p->seats);
    if (p->min_rank && !choice_is_stored(registry_rank_choices, p->min_rank))
        return zc_error_set(err, ZC_EINVAL, "post %s: %s is not a rank", p->code, p->min_rank);
    if (p->send_level && !choice_is_stored(registry_level_choices, p->send_level))
        return zc_error_set(err, ZC_EINVAL, "post %s: %s is not a unit level", p->code,
                            p->send_level);
    st = stmt(w, W_POST, err);
    if (!st)
        return err->code;
    store_bind_cstr(st, 1, p->code);
    store_bind_int(st, 2, p->division);
    store_bind_cstr(st, 3, p->title);
    store_bind_int(st, 4, p->seats);
    bind_opt_text(st, 5, p->min_rank);
    bind_opt_text(st, 6, p->send_level);
    store_bind_int(st, 7, p->party_member);
    store_bind_int(st, 8, p->demo);
    return store_run(st, err);
}

int registry_add_household(struct registry_rows *w, const struct registry_household_row *h,
                           struct zc_error *err)
{
    struct store_stmt *st;
    if (!h->id || !*h->id || division_level_of(h->village) != DIV_VILLAGE)
        return zc_error_set(err, ZC_EINVAL, "a household needs a number and a village");
    if (h->members < 1 || h->members > 30)
        return zc_error_set(err, ZC_EINVAL, "household %s: %lld members (1 to 30)", h->id,
                            (long long)h->members);
    if (!h->cause || !registry_cause_parse(h->cause) ||
        strcmp(registry_cause_parse(h->cause), h->cause) != 0)
        return zc_error_set(err, ZC_EINVAL, "household %s: cause %s is not one of %s", h->id,
                            h->cause ? h->cause : "(none)", registry_cause_list());
    if (!choice_is_stored(registry_status_choices, h->status))
        return zc_error_set(err, ZC_EINVAL,
                            "household %s: status %s is not poor, exited or "
                            "at_risk",
                            h->id, h->status ? h->status : "(none)");
    if (h->head_id_number && check_person(h->head_id_number, NULL, NULL, err) != ZC_OK)
        return err->code;
    if (!(st = stmt(w, W_HOUSEHOLD, err)))
        return err->code;
    store_bind_cstr(st, 1, h->id);
    store_bind_int(st, 2, h->village);
    bind_opt_text(st, 3, h->head_id_number);
    store_bind_int(st, 4, h->members);
    store_bind_cstr(st, 5, h->cause);
    if (h->has_income)
        store_bind_int(st, 6, h->income_fen);
    else
        store_bind_null(st, 6);
    store_bind_cstr(st, 7, h->status);
    if (h->poverty_year)
        store_bind_int(st, 8, h->poverty_year);
    else
        store_bind_null(st, 8);
    store_bind_int(st, 9, h->demo);
    return store_run(st, err);
}

int registry_add_member(struct registry_rows *w, const struct registry_member_row *m,
                        struct zc_error *err)
{
    struct store_stmt *st;
    int rc;
    if (!m->household || !*m->household || !m->name || !*m->name || !m->relation)
        return zc_error_set(err, ZC_EINVAL, "a member needs a household, a name and a relation");
    if ((rc = check_person(m->id_number, m->gender, m->birth_date, err)) != ZC_OK)
        return rc;
    if (!(st = stmt(w, W_MEMBER, err)))
        return err->code;
    store_bind_cstr(st, 1, m->id_number);
    store_bind_cstr(st, 2, m->household);
    store_bind_cstr(st, 3, m->name);
    store_bind_cstr(st, 4, m->relation);
    bind_opt_text(st, 5, m->gender);
    bind_opt_text(st, 6, m->birth_date);
    bind_opt_text(st, 7, m->education);
    store_bind_cstr(st, 8, m->health);
    store_bind_cstr(st, 9, m->work_ability);
    bind_opt_text(st, 10, m->student);
    store_bind_int(st, 11, m->demo);
    return store_run(st, err);
}

int registry_add_cause(struct registry_rows *w, const char *household, const char *cause,
                       int position, struct zc_error *err)
{
    struct store_stmt *st;
    if (!cause || !registry_cause_parse(cause) || strcmp(registry_cause_parse(cause), cause) != 0)
        return zc_error_set(err, ZC_EINVAL, "household %s: cause %s is not one of %s", household,
                            cause ? cause : "(none)", registry_cause_list());
    if (!(st = stmt(w, W_CAUSE, err)))
        return err->code;
    store_bind_cstr(st, 1, household);
    store_bind_cstr(st, 2, cause);
    store_bind_int(st, 3, position);
    return store_run(st, err);
}

int registry_set_unit_place(struct store *s, const char *code, double lat, double lng,
                            struct zc_error *err)
{
    if (lat < 3.0 || lat > 54.0 || lng < 73.0 || lng > 136.0)
        return zc_error_set(err, ZC_EINVAL, "unit %s: (%f, %f) is not a position in China", code,
                            lat, lng);
    return store_execute(s, registry_sql_unit_place,
                         STORE_ARGS(STORE_REAL(lat), STORE_REAL(lng), STORE_TEXT(code)), NULL, err);
}

int registry_ledger_rows(struct store *s, int64_t *n, struct zc_error *err)
{
    return store_query_int(s, registry_sql_ledger_rows, n, err);
}

int registry_demo_units_staff(struct store *s, struct zc_error *err)
{
    return store_exec(s, registry_sql_demo_units_staff, err);
}
