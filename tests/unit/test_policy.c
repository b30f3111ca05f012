/* SPDX-License-Identifier: MIT */
/* test_policy.c - policy files: the shipped ones load, the default file
 * equals the built-in defaults, and each kind of mistake is reported with
 * its line number and key path. */
#include <string.h>

#include "policy/policy.h"
#include "policy/policy_int.h"
#include "test.h"

#ifndef ZC_SOURCE_DIR
#define ZC_SOURCE_DIR "."
#endif

TEST(policy_default_file_matches_builtin)
{
    struct policy a, b;
    struct zc_error err = {0};
    int rc = policy_load_file(ZC_SOURCE_DIR "/policies/default.json", &a, &err);
    CHECK_MSG(rc == ZC_OK, "%s", err.msg);
    policy_defaults(&b);
    CHECK_STR_EQ(a.name, b.name);
    CHECK(memcmp(&a.elig, &b.elig, sizeof(a.elig)) == 0);
    CHECK(memcmp(&a.team, &b.team, sizeof(a.team)) == 0);
    CHECK(memcmp(&a.fit, &b.fit, sizeof(a.fit)) == 0);
    CHECK(memcmp(&a.caps, &b.caps, sizeof(a.caps)) == 0);
    CHECK(memcmp(&a.outcomes, &b.outcomes, sizeof(a.outcomes)) == 0);
    CHECK(memcmp(&a.aid, &b.aid, sizeof(a.aid)) == 0);
}

TEST(policy_shipped_files_load)
{
    static const char *const files[] = {"default",    "hebei-2016",  "hengshui-2016",
                                        "xiahe-2018", "anlong-2018", "mashan-2018"};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char path[256];
        struct policy p;
        struct zc_error err = {0};
        snprintf(path, sizeof(path), "%s/policies/%s.json", ZC_SOURCE_DIR, files[i]);
        CHECK_MSG(policy_load_file(path, &p, &err) == ZC_OK, "%s", err.msg);
        CHECK_STR_EQ(p.name, files[i]);
    }
}

TEST(policy_empty_object_is_defaults)
{
    struct policy p;
    struct zc_error err = {0};
    CHECK_INT_EQ(policy_parse("x.json", "{}", 2, &p, &err), ZC_OK);
    CHECK_INT_EQ(p.elig.grade_years, 2);
    CHECK_INT_EQ(p.elig.grade_reject, PG_BASIC | PG_INCOMPETENT);
    CHECK_INT_EQ(p.team.first_secretary.min_rank, PR_FUKE);
    CHECK_INT_EQ(p.fit.department_states[2], PS_UNRULY);
    CHECK_INT_EQ(policy_discipline_months(&p, "记大过"), 18);
    CHECK_INT_EQ(policy_discipline_months(&p, "unheard-of"), 24);
}

TEST(policy_values_override)
{
    static const char text[] =
        "{\n"
        "  \"_comment\": \"x\",\n"
        "  \"eligibility\": {\"min_service_years\": 3, \"grades\": {\"years\": 3},\n"
        "    \"exclude_unit_categories\": [\"教育\", \"卫生\"], \"min_education\": \"本科\",\n"
        "    \"discipline\": {\"months\": {\"警告\": 6}}, \"dispatch_date\": \"2018-03-01\"},\n"
        "  \"team\": {\"size\": {\"none\": 7}, \"leader\": {\"min_rank\": \"正科\"}},\n"
        "  \"avoidance\": {\"county_quotas\": {\"450124\": 40, \"1304\": 9}}\n"
        "}\n";
    struct policy p;
    struct zc_error err = {0};
    CHECK_MSG(policy_parse("x.json", text, strlen(text), &p, &err) == ZC_OK, "%s", err.msg);
    CHECK_INT_EQ(p.elig.min_service_years, 3);
    CHECK_INT_EQ(p.elig.grade_years, 3);
    CHECK_INT_EQ(p.elig.exclude_categories, PC_EDUCATION | PC_HEALTH);
    CHECK_INT_EQ(p.elig.min_education, PE_BACHELOR);
    CHECK_INT_EQ(p.elig.ndiscipline, 1);
    CHECK_INT_EQ(policy_discipline_months(&p, "警告"), 6);
    CHECK_INT_EQ(p.elig.dispatch_y, 2018);
    CHECK_INT_EQ(p.team.size[PV_NONE], 7);
    CHECK_INT_EQ(p.team.size[PV_DEEP], 5);
    CHECK_INT_EQ(p.team.leader.min_rank, PR_ZHENGKE);
    CHECK_INT_EQ(p.team.leader.party_member, 1);
    CHECK_INT_EQ(p.caps.nquota, 2);
    CHECK_INT_EQ(p.caps.quota[0].county, 450124000000);
    CHECK_INT_EQ(p.caps.quota[1].max, 9);
}

/* Each bad file and the message it must give. */
static const struct {
    const char *text;
    const char *want;
} bad_cases[] = {
    {"{\n  \"eligibility\": {\n    \"min_service_years\": \"three\"\n  }\n}",
     "x.json:3: eligibility.min_service_years must be a whole number 0..40, not \"three\""},
    {"{\n\"eligibility\": {\"min_service_years\": 2.5}}",
     "x.json:2: eligibility.min_service_years must be a whole number 0..40, not 2.5"},
    {"{\"eligibility\": {\"min_service_years\": 41}}", "x.json:1: eligibility.min_service_years"},
    {"{\n\n\"eligibility\": {\n\"min_servce_years\": 2}}",
     "x.json:4: unknown key eligibility.min_servce_years (did you mean min_service_years?)"},
    {"{\"tem\": {}}", "unknown key tem (did you mean team?)"},
    {"{\"zzzzzz\": 1}", "known keys: name, title, eligibility"},
    {"{\n\"eligibility\": {\"on_staff\": 1}}",
     "x.json:2: eligibility.on_staff must be true or false, not 1"},
    {"{\"eligibility\": {\"grades\": {\"reject\": [\"差\"]}}}",
     "eligibility.grades.reject must be a grade"},
    {"{\"eligibility\": {\"grades\": {\"reject\": \"基本称职\"}}}",
     "eligibility.grades.reject must be a list of grades"},
    {"{\"eligibility\": {\"exclude_unit_categories\": [\"学校\"]}}",
     "eligibility.exclude_unit_categories must be a unit category"},
    {"{\"eligibility\": {\"dispatch_date\": \"2018-02-30\"}}",
     "eligibility.dispatch_date must be null (today) or a date YYYY-MM-DD, not \"2018-02-30\""},
    {"{\"team\": {\"first_secretary\": {\"min_rank\": \"处级\"}}}",
     "team.first_secretary.min_rank must be a rank"},
    {"{\"team\": {\"stability\": {\"classes\": [\"rich\"]}}}",
     "team.stability.classes must be a village class"},
    {"{\"team\": {\"stability\": {\"skills\": [\"Law\"]}}}",
     "team.stability.skills must be a skill code"},
    {"{\"team\": {\"size\": {\"poor\": 0, \"deep\": 0}}}", "cannot both have no team"},
    {"{\"fit\": {\"department_states\": {\"党群\": [\"富\"]}}}",
     "fit.department_states.党群 must be a village state"},
    {"{\"fit\": {\"department_states\": {\"学校\": []}}}", "\"学校\" is not a unit category"},
    {"{\"fit\": {\"weights\": {\"department\": -1}}}",
     "fit.weights.department must be a whole number 0..10000, not -1"},
    {"{\"avoidance\": {\"county_quotas\": {\"4501242\": 3}}}",
     "is not a county, city or province code"},
    {"{\"avoidance\": {\"max_unit_share_percent\": 0}}",
     "avoidance.max_unit_share_percent must be a whole number 1..100"},
    {"{\"eligibility\": {\"discipline\": {\"months\": {\"警告\": \"半年\"}}}}",
     "eligibility.discipline.months.警告 must be a whole number 0..1200"},
    {"{\"eligibility\": {\"discipline\": {\"date_unknown\": \"mid\"}}}",
     "\"year_end\" or \"year_start\""},
    {"[]", "x.json:1: the policy must be an object"},
    {"{\"name\": \"a\", \"name\": \"b\"}", "key \"name\" appears twice"},
    {"{\n\"name\": \"a\",\n}", "x.json:3:1: trailing comma"},
    {"{\n  \"name\": 'a'\n}", "x.json:2:11: expected a value"},
    {"{\n  \"name\": \"a\"", "x.json:2:14: expected ',' or '}' (the file ends here)"},
    {"{\"name\": \"a\"} x", "unexpected text after the end"},
    {"{\"name\": \"a\\q\"}", "unknown escape"},
    {"{\"eligibility\": {\"max_age\": {\"male\": 55, \"child\": 1}}}",
     "unknown key eligibility.max_age.child"},
};

TEST(policy_bad_values_name_line_and_key)
{
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        struct policy p;
        struct zc_error err = {0};
        int rc = policy_parse("x.json", bad_cases[i].text, strlen(bad_cases[i].text), &p, &err);
        CHECK_MSG(rc == ZC_EINVAL, "case %zu: rc %d", i, rc);
        CHECK_MSG(strstr(err.msg, bad_cases[i].want), "case %zu: \"%s\" lacks \"%s\"", i, err.msg,
                  bad_cases[i].want);
    }
}

TEST(policy_json_reader_lines_and_escapes)
{
    static const char text[] =
        "\xEF\xBB\xBF{\n \"a\": [1, -2.5e1, true, null],\n \"b\": \"\\u4e2d\\ud83d\\ude00\"\n}";
    struct pj_node *root = NULL;
    struct zc_error err = {0};
    CHECK_MSG(pj_parse("t", text, strlen(text), &root, &err) == ZC_OK, "%s", err.msg);
    CHECK_INT_EQ(root->n, 2);
    CHECK_INT_EQ(root->child->line, 2);
    CHECK_INT_EQ(root->child->child->next->num, -25);
    CHECK_INT_EQ(root->child->child->next->is_int, 0);
    CHECK_STR_EQ(root->child->next->str, "中\xF0\x9F\x98\x80");
    CHECK_INT_EQ(root->child->next->key_line, 3);
    pj_free(root);
    CHECK_INT_EQ(pj_distance("min_servce_years", "min_service_years"), 1);
}

TEST(policy_missing_file)
{
    struct policy p;
    struct zc_error err = {0};
    CHECK_INT_EQ(policy_load_file("/nonexistent/p.json", &p, &err), ZC_ENOTFOUND);
    CHECK_CONTAINS(err.msg, "/nonexistent/p.json");
}

TEST(policy_role_rule)
{
    struct policy p;
    policy_defaults(&p);
    CHECK(policy_role_ok(&p.team.first_secretary, true, PR_FUKE, false));
    CHECK(policy_role_ok(&p.team.first_secretary, true, PR_KEYUAN, true));
    CHECK(!policy_role_ok(&p.team.first_secretary, false, PR_ZHENGCHU, true));
    CHECK(!policy_role_ok(&p.team.leader, true, PR_KEYUAN, true));
}

TEST(assess_policy_section_is_validated)
{
    struct policy p;
    struct zc_error err = {0};
    static const char ok[] =
        "{\"assess\": {\"ladder\": {\"window_months\": 6, \"study\": 1, \"talk\": 3, "
        "\"penalty\": 5}, \"sanctions\": [{\"kind\": \"诫勉\"}, {\"kind\": \"召回\", \"recall\": "
        "true}], \"funds\": {\"first_secretary_industry_yuan\": 100000}, \"public_ranking\": "
        "true}}";
    CHECK_INT_EQ(policy_parse("t.json", ok, strlen(ok), &p, &err), ZC_OK);
    CHECK_INT_EQ(p.assess.ladder_window, 6);
    CHECK_INT_EQ(p.assess.ladder_at[PL_TALK], 3);
    CHECK_INT_EQ((int)p.assess.nsanctions, 2);
    CHECK_INT_EQ(policy_sanction_index(&p, "召回"), 1);
    CHECK_INT_EQ(policy_sanction_index(&p, "停职"), -1);
    CHECK_INT_EQ((int)(p.assess.sanction_recall >> 1 & 1u), 1);
    CHECK_INT_EQ((int)(p.assess.sanction_recall & 1u), 0);
    CHECK_INT_EQ(p.assess.fund_sec_industry_fen, 10000000);
    CHECK(p.assess.public_ranking);
    static const char bad1[] = "{\"assess\": {\"ladder\": {\"study\": 2, \"talk\": 2}}}";
    CHECK_INT_EQ(policy_parse("t.json", bad1, strlen(bad1), &p, &err), ZC_EINVAL);
    CHECK_CONTAINS(err.msg, "study < talk < penalty");
    static const char bad2[] = "{\"assess\": {\"sanctions\": [{\"recall\": true}]}}";
    CHECK_INT_EQ(policy_parse("t.json", bad2, strlen(bad2), &p, &err), ZC_EINVAL);
    CHECK_CONTAINS(err.msg, "kind");
    static const char bad3[] = "{\"assess\": {\"score\": {\"presence\": 0, \"visits\": 0, "
                               "\"tasks\": 0, \"findings\": 0}}}";
    CHECK_INT_EQ(policy_parse("t.json", bad3, strlen(bad3), &p, &err), ZC_EINVAL);
    CHECK_CONTAINS(err.msg, "weight");
    static const char bad4[] = "{\"assess\": {\"grades\": {\"basic_min\": 80}}}";
    CHECK_INT_EQ(policy_parse("t.json", bad4, strlen(bad4), &p, &err), ZC_EINVAL);
    static const char bad5[] = "{\"assess\": {\"inspection\": {\"weights\": {\"base\": 0}}}}";
    CHECK_INT_EQ(policy_parse("t.json", bad5, strlen(bad5), &p, &err), ZC_EINVAL);
    CHECK_CONTAINS(err.msg, "base");
    CHECK_INT_EQ(policy_ladder_step_parse("talk"), PL_TALK);
    CHECK(strcmp(policy_ladder_step_name(PL_PENALTY), "penalty") == 0);
}
