/* SPDX-License-Identifier: MIT */
/* test_eligible.c - each eligibility rule fails exactly when it should, at
 * its boundaries (service of exactly N years, grades N vs N+1 years ago,
 * the last day of a penalty, the birthday after the age limit), every
 * failure is reported, and the store scan merges grades and discipline by
 * cadre. "Today" is 2026-11-22 throughout. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "select/select.h"
#include "store/store.h"
#include "test.h"

static const struct eligible_date today = {2026, 11, 22};

/* A cadre who passes the default policy. */
static struct eligible_cadre good(void)
{
    struct eligible_cadre c;
    memset(&c, 0, sizeof(c));
    c.id = 1;
    snprintf(c.unit, sizeof(c.unit), "U1");
    c.unit_category = PC_ECONOMIC;
    c.rank = PR_FUKE;
    c.party_member = true;
    c.on_staff = true;
    c.education = PE_BACHELOR;
    c.service_years = 10;
    c.gender = 'M';
    c.birth_y = 1980;
    c.birth_m = 5;
    c.birth_d = 1;
    return c;
}

enum tweak {
    T_NONE,
    T_OFF_STAFF,
    T_SERVICE_1,
    T_SERVICE_2,
    T_SERVICE_NULL,
    T_BASIC_2024,
    T_BASIC_2023,
    T_INCOMPETENT_2026,
    T_COMPETENT_2025,
    T_WARNING_2025,
    T_WARNING_2024,
    T_DEMOTION_2024,
    T_DEMOTION_2023,
    T_UNKNOWN_PENALTY_2025,
    T_MALE_55,
    T_MALE_56_TODAY,
    T_MALE_56_TOMORROW,
    T_FEMALE_51,
    T_NO_BIRTH,
    T_SERVING,
    T_EDUCATION_COLLEGE,
    T_NOT_PARTY,
};

struct row {
    const char *name;      /* what the row checks */
    const char *policy;    /* JSON overriding the defaults */
    enum tweak tweak;      /* what is wrong with the cadre */
    const char *want;      /* ';'-joined codes expected, "" = eligible */
    const char *want_text; /* a fragment of the first reason's Chinese text, or NULL */
};

static const struct row rows[] = {
    {"good cadre", "{}", T_NONE, "", NULL},
    {"off the payroll", "{}", T_OFF_STAFF, "not_on_staff", "非在职在编"},
    {"on_staff off", "{\"eligibility\":{\"on_staff\":false}}", T_OFF_STAFF, "", NULL},
    {"service 1 < 2", "{}", T_SERVICE_1, "service_too_short", "工作年限1年, 不足2年"},
    {"service exactly 2", "{}", T_SERVICE_2, "", NULL},
    {"service 2 < 3", "{\"eligibility\":{\"min_service_years\":3}}", T_SERVICE_2,
     "service_too_short", NULL},
    {"service unknown", "{}", T_SERVICE_NULL, "service_unknown", NULL},
    {"service unknown, no minimum", "{\"eligibility\":{\"min_service_years\":0}}", T_SERVICE_NULL,
     "", NULL},
    {"basic 2024 within two years", "{}", T_BASIC_2024, "grade_basic_competent",
     "2024年度考核为基本称职"},
    {"basic 2023 outside two years", "{}", T_BASIC_2023, "", NULL},
    {"basic 2023 within three years", "{\"eligibility\":{\"grades\":{\"years\":3}}}", T_BASIC_2023,
     "grade_basic_competent", NULL},
    {"incompetent this year", "{}", T_INCOMPETENT_2026, "grade_incompetent", NULL},
    {"competent is fine", "{}", T_COMPETENT_2025, "", NULL},
    {"competent rejected by policy",
     "{\"eligibility\":{\"grades\":{\"reject\":[\"称职\",\"基本称职\",\"不称职\"]}}}",
     T_COMPETENT_2025, "grade_competent", NULL},
    {"grades off", "{\"eligibility\":{\"grades\":{\"years\":0}}}", T_BASIC_2024, "", NULL},
    {"warning 2025 active (12 months from 2025-12-31)", "{}", T_WARNING_2025, "discipline_active",
     "影响期至2026-12-31"},
    {"warning 2024 expired", "{}", T_WARNING_2024, "", NULL},
    {"warning 6 months, from year start: expired",
     "{\"eligibility\":{\"discipline\":{\"months\":{\"警告\":6},\"date_unknown\":\"year_start\"}}}",
     T_WARNING_2025, "", NULL},
    {"demotion 2024 active until 2026-12-31", "{}", T_DEMOTION_2024, "discipline_active", NULL},
    {"demotion 2023 expired on 2025-12-31", "{}", T_DEMOTION_2023, "", NULL},
    {"unknown penalty uses default months", "{}", T_UNKNOWN_PENALTY_2025, "discipline_active",
     NULL},
    {"unknown penalty, default 0", "{\"eligibility\":{\"discipline\":{\"default_months\":0}}}",
     T_UNKNOWN_PENALTY_2025, "", NULL},
    {"male 55 passes", "{}", T_MALE_55, "", NULL},
    {"male turns 56 today", "{}", T_MALE_56_TODAY, "too_old", "选派时56周岁, 超过55周岁"},
    {"male turns 56 tomorrow", "{}", T_MALE_56_TOMORROW, "", NULL},
    {"female 51 over 50", "{}", T_FEMALE_51, "too_old", NULL},
    {"female 51, limit 55", "{\"eligibility\":{\"max_age\":{\"female\":55}}}", T_FEMALE_51, "",
     NULL},
    {"age at dispatch date", "{\"eligibility\":{\"dispatch_date\":\"2026-11-21\"}}",
     T_MALE_56_TODAY, "", NULL},
    {"birth unknown", "{}", T_NO_BIRTH, "age_unknown", NULL},
    {"birth unknown, no limit", "{\"eligibility\":{\"max_age\":{\"male\":0,\"female\":0}}}",
     T_NO_BIRTH, "", NULL},
    {"already serving", "{}", T_SERVING, "already_serving", "已在驻村任职"},
    {"serving allowed", "{\"eligibility\":{\"not_serving\":false}}", T_SERVING, "", NULL},
    {"education below", "{\"eligibility\":{\"min_education\":\"本科\"}}", T_EDUCATION_COLLEGE,
     "education_too_low", "学历大专, 低于本科"},
    {"party member required", "{\"eligibility\":{\"party_member\":true}}", T_NOT_PARTY,
     "not_party_member", NULL},
    {"party member not required", "{}", T_NOT_PARTY, "", NULL},
    {"unit category excluded", "{\"eligibility\":{\"exclude_unit_categories\":[\"经济\"]}}", T_NONE,
     "unit_category_excluded", "经济类单位不在选派范围"},
    {"unit excluded", "{\"eligibility\":{\"exclude_units\":[\"U1\"]}}", T_NONE, "unit_excluded",
     NULL},
    {"volunteers only", "{\"eligibility\":{\"volunteer\":true}}", T_NONE, "not_volunteer", NULL},
};

static void apply(struct eligible_cadre *c, enum tweak t, struct eligible_grade *g,
                  struct eligible_penalty *pen)
{
    switch (t) {
    case T_NONE:
        break;
    case T_OFF_STAFF:
        c->on_staff = false;
        break;
    case T_SERVICE_1:
        c->service_years = 1;
        break;
    case T_SERVICE_2:
        c->service_years = 2;
        break;
    case T_SERVICE_NULL:
        c->service_years = -1;
        break;
    case T_BASIC_2024:
    case T_BASIC_2023:
    case T_INCOMPETENT_2026:
    case T_COMPETENT_2025:
        g->year = t == T_BASIC_2024       ? 2024
                  : t == T_BASIC_2023     ? 2023
                  : t == T_COMPETENT_2025 ? 2025
                                          : 2026;
        g->grade = t == T_INCOMPETENT_2026 ? PG_INCOMPETENT
                   : t == T_COMPETENT_2025 ? PG_COMPETENT
                                           : PG_BASIC;
        c->grades = g;
        c->ngrades = 1;
        break;
    case T_WARNING_2025:
    case T_WARNING_2024:
    case T_DEMOTION_2024:
    case T_DEMOTION_2023:
    case T_UNKNOWN_PENALTY_2025:
        pen->year = (t == T_WARNING_2025 || t == T_UNKNOWN_PENALTY_2025) ? 2025
                    : (t == T_WARNING_2024 || t == T_DEMOTION_2024)      ? 2024
                                                                         : 2023;
        snprintf(pen->kind, sizeof(pen->kind), "%s",
                 t == T_UNKNOWN_PENALTY_2025                      ? "通报批评"
                 : (t == T_DEMOTION_2024 || t == T_DEMOTION_2023) ? "降级"
                                                                  : "警告");
        c->penalties = pen;
        c->npenalties = 1;
        break;
    case T_MALE_55:
        c->birth_y = 1971;
        c->birth_m = 1;
        c->birth_d = 1;
        break;
    case T_MALE_56_TODAY:
    case T_MALE_56_TOMORROW:
        c->birth_y = 1970;
        c->birth_m = 11;
        c->birth_d = t == T_MALE_56_TODAY ? 22 : 23;
        break;
    case T_FEMALE_51:
        c->gender = 'F';
        c->birth_y = 1975;
        c->birth_m = 1;
        c->birth_d = 1;
        break;
    case T_NO_BIRTH:
        c->birth_y = 0;
        break;
    case T_SERVING:
        c->serving = true;
        break;
    case T_EDUCATION_COLLEGE:
        c->education = PE_COLLEGE;
        break;
    case T_NOT_PARTY:
        c->party_member = false;
        break;
    }
}

TEST(eligible_rules_table)
{
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct policy p;
        struct zc_error err = {0};
        struct eligible_cadre c = good();
        struct eligible_grade g;
        struct eligible_penalty pen;
        struct eligible_result r;
        char codes[256] = "", text[128];

        CHECK_MSG(policy_parse("t.json", rows[i].policy, strlen(rows[i].policy), &p, &err) == ZC_OK,
                  "%s: %s", rows[i].name, err.msg);
        apply(&c, rows[i].tweak, &g, &pen);
        eligible_check(&p, &c, today, &r);
        for (size_t k = 0; k < r.nreasons; k++) {
            size_t len = strlen(codes);
            snprintf(codes + len, sizeof(codes) - len, "%s%s", k ? ";" : "",
                     eligible_code_name(r.reasons[k].code));
        }
        CHECK_MSG(strcmp(codes, rows[i].want) == 0, "%s: got \"%s\", want \"%s\"", rows[i].name,
                  codes, rows[i].want);
        CHECK_MSG(r.ok == (rows[i].want[0] == '\0'), "%s: ok flag", rows[i].name);
        if (rows[i].want_text) {
            eligible_reason_text(&r.reasons[0], true, text, sizeof(text));
            CHECK_MSG(strstr(text, rows[i].want_text), "%s: text \"%s\" lacks \"%s\"", rows[i].name,
                      text, rows[i].want_text);
        }
    }
}

TEST(eligible_reports_every_failure)
{
    struct policy p;
    struct eligible_cadre c = good();
    struct eligible_grade g[2] = {{2024, PG_BASIC}, {2025, PG_INCOMPETENT}};
    struct eligible_penalty pen = {2025, "记大过"};
    struct eligible_result r;
    char text[128];

    policy_defaults(&p);
    c.on_staff = false;
    c.service_years = 0;
    c.grades = g;
    c.ngrades = 2;
    c.penalties = &pen;
    c.npenalties = 1;
    c.serving = true;
    eligible_check(&p, &c, today, &r);
    CHECK(!r.ok);
    CHECK_INT_EQ(r.nreasons, 6);
    CHECK_INT_EQ(r.reasons[0].code, EL_NOT_ON_STAFF);
    CHECK_INT_EQ(r.reasons[1].code, EL_GRADE_BASIC);
    CHECK_INT_EQ(r.reasons[2].code, EL_GRADE_INCOMPETENT);
    CHECK_INT_EQ(r.reasons[3].code, EL_DISCIPLINE);
    CHECK_STR_EQ(r.reasons[3].until, "2027-06-30");
    CHECK_INT_EQ(r.reasons[4].code, EL_SERVICE_SHORT);
    CHECK_INT_EQ(r.reasons[5].code, EL_SERVING);
    CHECK_STR_EQ(eligible_reason_text(&r.reasons[1], false, text, sizeof(text)),
                 "rated 基本称职 in 2024");
    CHECK_STR_EQ(eligible_reason_text(&r.reasons[1], true, text, sizeof(text)),
                 "2024年度考核为基本称职");
    CHECK_INT_EQ(r.age, 46);
}

static int collect(void *ud, const struct eligible_cadre *c, const struct eligible_result *r)
{
    struct buf_like {
        char s[1024];
    } *out = ud;

    size_t len = strlen(out->s);
    snprintf(out->s + len, sizeof(out->s) - len, "%s:%s", c->name, r->ok ? "ok" : "");
    for (size_t k = 0; k < r->nreasons; k++) {
        len = strlen(out->s);
        snprintf(out->s + len, sizeof(out->s) - len, "%s%s", k ? "," : "",
                 eligible_code_name(r->reasons[k].code));
    }
    len = strlen(out->s);
    snprintf(out->s + len, sizeof(out->s) - len, " ");
    return ZC_OK;
}

TEST(eligible_scan_merges_store_rows)
{
    char path[512];
    struct store *s = NULL;
    struct zc_error err = {0};
    struct policy p;
    struct eligible_scan_opts opts = {NULL, {2026, 11, 22}};

    struct {
        char s[1024];
    } out = {""};

    snprintf(path, sizeof(path), "%s/eligible.db", zt_tmpdir());
    unlink(path);
    CHECK_INT_EQ(store_open(path, STORE_CREATE, &s, &err), ZC_OK);
    CHECK_MSG(
        store_exec(s,
                   "INSERT INTO division(code, name, level) VALUES (450000000000, 'GX', 1);"
                   "INSERT INTO unit(code, name, level, category) VALUES"
                   " ('U1', 'Econ', 'city', '经济'), ('U2', 'School', 'city', '教育');"
                   "INSERT INTO cadre(id, id_number, name, unit, rank, party_member,"
                   " on_staff, service_years, gender, birth_date) VALUES"
                   " (1, 'A', 'a', 'U1', '副科', 1, 1, 5, '男', '1980-01-01'),"
                   " (2, 'B', 'b', 'U1', '科员', 0, 0, 1, '女', '1990-01-01'),"
                   " (3, 'C', 'c', 'U2', '科员', 0, 1, 5, '男', '1990-01-01'),"
                   " (4, 'D', 'd', 'U2', '科员', 0, 1, 5, '男', '1990-01-01');"
                   "INSERT INTO cadre_grade VALUES (1, 2020, '不称职'), (2, 2025, '基本称职'),"
                   " (3, 2025, '优秀'), (4, 2024, '不称职');"
                   "INSERT INTO cadre_discipline VALUES (2, 2025, '警告'), (3, 2019, '撤职');"
                   "INSERT INTO posting (cadre, village, role, start_date, end_date) VALUES "
                   "(4, NULL, 'member', '2025-01-01', NULL),"
                   " (1, NULL, 'member', '2020-01-01', '2022-01-01');",
                   &err) == ZC_OK,
        "%s", err.msg);
    policy_defaults(&p);
    CHECK_INT_EQ(eligible_scan(s, &p, &opts, collect, &out, &err), ZC_OK);
    CHECK_STR_EQ(out.s, "a:ok b:not_on_staff,grade_basic_competent,discipline_active,"
                        "service_too_short c:ok d:grade_incompetent,already_serving ");
    out.s[0] = '\0';
    opts.unit = "U2";
    CHECK_INT_EQ(eligible_scan(s, &p, &opts, collect, &out, &err), ZC_OK);
    CHECK_STR_EQ(out.s, "c:ok d:grade_incompetent,already_serving ");
    store_close(s);
}
