/* SPDX-License-Identifier: MIT */
/* test_field.c - field work: presence arithmetic at day, night and month
 * boundaries and across leave; each "两头跑" rule with a positive and a
 * negative example; the attendance imports (zhucun's columns, a DingTalk
 * 原始记录 export, bad rows, re-import); idempotent resend; scopes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "field/field.h"
#include "policy/policy.h"
#include "store/store.h"
#include "test.h"

/* Two villages of 马山县 100 km apart from the county seat where the
 * sending unit is; cadre 1 (a valid ID number) in village A from
 * 2018-06-20, cadre 2 in village B from 2018-07-16; cadre 3 in another
 * county (450125) for scope checks. */
#define VA 450124100201LL
#define VB 450124100202LL
#define VC 450125100201LL
static const double A_LAT = 23.70, A_LNG = 108.17;
static const double U_LAT = 22.82, U_LNG = 108.32; /* the unit, ~100 km south */

static struct store *fixture(const char *name)
{
    char path[512];
    struct store *s = NULL;
    struct zc_error err = {0};
    snprintf(path, sizeof(path), "%s/field-%s.db", zt_tmpdir(), name);
    unlink(path);
    setenv("ZHUCUN_TODAY", "2018-06-17", 1);
    if (store_open(path, STORE_CREATE, &s, &err) != ZC_OK)
        return NULL;
    if (store_exec(s,
                   "INSERT INTO division (code, name, level, parent) VALUES "
                   "(450000000000, '广西', 1, NULL), (450100000000, '南宁市', 2, 450000000000),"
                   "(450124000000, '马山县', 3, 450100000000), (450125000000, '上林县', 3, "
                   "450100000000), (450124100000, '白山镇', 4, 450124000000),"
                   "(450125100000, '大丰镇', 4, 450125000000),"
                   "(450124100201, '甲村', 5, 450124100000), (450124100202, '乙村', 5, "
                   "450124100000), (450125100201, '丙村', 5, 450125100000);"
                   "INSERT INTO unit (code, name, level, category, division, lat, lng) VALUES "
                   "('U1', '南宁市财政局', 'city', '经济', 450100000000, 22.82, 108.32);"
                   "INSERT INTO village (code, poverty, lat, lng, datum) VALUES "
                   "(450124100201, 'deep', 23.70, 108.17, 'WGS84'),"
                   "(450124100202, 'poor', 23.80, 108.20, 'WGS84'),"
                   "(450125100201, 'poor', 23.40, 108.60, 'WGS84');"
                   "INSERT INTO household (id, village, members, cause) VALUES ('H1', "
                   "450124100201, 3, '因病'), "
                   "('H2', 450124100202, 2, '因学');"
                   "INSERT INTO cadre (id, id_number, name, unit) VALUES "
                   "(1, '11010519491231002X', '张三', 'U1'), (2, '450124199001010011', '李四', "
                   "'U1'), (3, '450125199001010022', '王五', 'U1');"
                   "INSERT INTO posting (cadre, village, role, start_date) VALUES "
                   "(1, 450124100201, 'first_secretary', '2018-06-20'),"
                   "(2, 450124100202, 'member', '2018-07-16'),"
                   "(3, 450125100201, 'member', '2018-06-20');",
                   &err) != ZC_OK) {
        fprintf(stderr, "fixture: %s\n", err.msg);
        store_close(s);
        return NULL;
    }
    return s;
}

static int add(struct store *s, const struct policy *p, int64_t cadre, const char *at, double lat,
               double lng, struct field_evidence *ev)
{
    struct field_checkin in;
    struct field_evidence local;
    struct zc_scope all = zc_scope_all();
    struct zc_error err = {0};
    memset(&in, 0, sizeof(in));
    in.cadre = cadre;
    snprintf(in.at, sizeof(in.at), "%s", at);
    in.has_pos = true;
    in.lat = lat;
    in.lng = lng;
    in.accuracy_m = 20;
    in.source = "api";
    return field_checkin_add(s, p, &all, &in, ev ? ev : &local, &err);
}

struct rows {
    struct field_presence_row r[4];
    char detail[31][256];
    int n;
};

static int keep_row(void *ud, const struct field_presence_row *row)
{
    struct rows *rs = ud;
    if (rs->n < 4) {
        rs->r[rs->n] = *row;
        if (row->day_detail)
            for (int d = 0; d < row->ndays; d++)
                snprintf(rs->detail[d], sizeof(rs->detail[d]), "%s", row->day_detail[d]);
        rs->n++;
    }
    return ZC_OK;
}

static const struct field_presence_row *row_of(struct rows *rs, int64_t cadre)
{
    for (int i = 0; i < rs->n; i++)
        if (rs->r[i].cadre == cadre)
            return &rs->r[i];
    return NULL;
}

TEST(field_checkin_evidence_geofence_speed_device)
{
    struct store *s = fixture("evidence");
    struct policy p;
    struct field_evidence ev;
    struct field_checkin in;
    struct zc_scope all = zc_scope_all();
    struct zc_error err = {0};
    CHECK(s);
    policy_defaults(&p);
    CHECK_INT_EQ(add(s, &p, 1, "2018-07-02 08:00:00", A_LAT + 0.005, A_LNG, &ev), ZC_OK);
    CHECK_INT_EQ(ev.inside, 1);
    CHECK(ev.distance_m > 500 && ev.distance_m < 600); /* 0.005 deg of latitude ~ 556 m */
    CHECK_INT_EQ(ev.village, VA);
    CHECK_INT_EQ(add(s, &p, 1, "2018-07-02 09:00:00", A_LAT + 0.05, A_LNG, &ev), ZC_OK);
    CHECK_INT_EQ(ev.inside, 0); /* 5.5 km: outside the 1.5 km default */
    CHECK(ev.speed_kmh > 4.5 && ev.speed_kmh < 5.5);
    /* Not stationed yet: refused with the reason. */
    CHECK_INT_EQ(add(s, &p, 2, "2018-07-02 08:00:00", A_LAT, A_LNG, NULL), ZC_EINVAL);
    /* A changed device is evidence, not a block. */
    memset(&in, 0, sizeof(in));
    in.cadre = 1;
    snprintf(in.at, sizeof(in.at), "2018-07-02 10:00");
    in.has_pos = true;
    in.lat = A_LAT;
    in.lng = A_LNG;
    in.accuracy_m = 900;
    in.device = "phone-b";
    in.client_id = "c-1";
    CHECK_INT_EQ(field_checkin_add(s, &p, &all, &in, &ev, &err), ZC_OK);
    CHECK(ev.weak);
    CHECK(!ev.duplicate);
    {
        int64_t first = ev.id, n = 0;
        /* The resend of the same record changes nothing. */
        CHECK_INT_EQ(field_checkin_add(s, &p, &all, &in, &ev, &err), ZC_OK);
        CHECK(ev.duplicate);
        CHECK_INT_EQ(ev.id, first);
        CHECK_INT_EQ(store_query_int(s, "SELECT count(*) FROM checkin", &n, &err), ZC_OK);
        CHECK_INT_EQ(n, 3);
    }
    in.client_id = "c-2";
    in.device = "phone-c";
    snprintf(in.at, sizeof(in.at), "2018-07-02 11:00");
    CHECK_INT_EQ(field_checkin_add(s, &p, &all, &in, &ev, &err), ZC_OK);
    CHECK(ev.device_changed);
    store_close(s);
}

TEST(field_checkin_scope_is_enforced)
{
    struct store *s = fixture("scope");
    struct policy p;
    struct field_evidence ev;
    struct field_checkin in;
    struct zc_scope sc;
    struct zc_error err = {0};
    CHECK(s);
    policy_defaults(&p);
    memset(&in, 0, sizeof(in));
    in.cadre = 3; /* serves in 上林县 */
    snprintf(in.at, sizeof(in.at), "2018-07-02 08:00:00");
    CHECK_INT_EQ(zc_scope_parse("450124", &sc, &err), ZC_OK);
    CHECK_INT_EQ(field_checkin_add(s, &p, &sc, &in, &ev, &err), ZC_EFORBIDDEN);
    /* A cadre writes only for themselves. */
    sc = zc_scope_all();
    sc.cadre = 1;
    CHECK_INT_EQ(field_checkin_add(s, &p, &sc, &in, &ev, &err), ZC_EFORBIDDEN);
    in.cadre = 1;
    CHECK_INT_EQ(field_checkin_add(s, &p, &sc, &in, &ev, &err), ZC_OK);
    /* Narrowing outside the jurisdiction is forbidden, inside is fine. */
    CHECK_INT_EQ(zc_scope_parse("450124", &sc, &err), ZC_OK);
    CHECK_INT_EQ(zc_scope_narrow(&sc, "450125", &err), ZC_EFORBIDDEN);
    CHECK_INT_EQ(zc_scope_narrow(&sc, "450124100", &err), ZC_OK);
    store_close(s);
}

TEST(field_presence_days_nights_month_boundaries)
{
    struct store *s = fixture("presence");
    struct policy p;
    struct rows rs = {0};
    struct zc_scope all = zc_scope_all();
    struct zc_error err = {0};
    const struct field_presence_row *r;
    CHECK(s);
    policy_defaults(&p);
    CHECK_INT_EQ(add(s, &p, 1, "2018-06-30 23:00:00", A_LAT, A_LNG, NULL), ZC_OK); /* June */
    CHECK_INT_EQ(add(s, &p, 1, "2018-07-01 08:00:00", A_LAT, A_LNG, NULL), ZC_OK);
    CHECK_INT_EQ(add(s, &p, 1, "2018-07-01 21:00:00", A_LAT, A_LNG, NULL), ZC_OK); /* night 1 */
    CHECK_INT_EQ(add(s, &p, 1, "2018-07-02 08:00:00", A_LAT, A_LNG, NULL), ZC_OK);
    CHECK_INT_EQ(add(s, &p, 1, "2018-07-03 05:30:00", A_LAT, A_LNG, NULL), ZC_OK); /* night 2 */
    CHECK_INT_EQ(add(s, &p, 1, "2018-07-05 08:00:00", A_LAT + 0.1, A_LNG, NULL), ZC_OK); /* out */
    CHECK_INT_EQ(add(s, &p, 1, "2018-07-31 09:00:00", A_LAT, A_LNG, NULL), ZC_OK);
    CHECK_INT_EQ(add(s, &p, 1, "2018-08-01 05:00:00", A_LAT, A_LNG, NULL), ZC_OK); /* night 31 */
    setenv("ZHUCUN_TODAY", "2018-08-15", 1); /* the month is over */
    CHECK_INT_EQ(field_presence(s, &p, &all, "2018-07", 0, keep_row, &rs, &err), ZC_OK);
    CHECK_INT_EQ(rs.n, 3); /* cadre 2 stationed from the 16th, cadre 3 elsewhere */
    r = row_of(&rs, 1);
    CHECK(r);
    CHECK_INT_EQ(r->days, 4);   /* 1, 2, 3, 31 */
    CHECK_INT_EQ(r->nights, 3); /* 1, 2, 31 */
    CHECK_INT_EQ(r->state[4], FD_ABSENT);
    CHECK_INT_EQ(r->state[30], FD_PRESENT);
    CHECK(r->night[30]);
    CHECK(!r->night[2]); /* no evidence the night of the 3rd */
    CHECK_INT_EQ(r->posted_days, 31);
    CHECK_INT_EQ(r->required_days, 20);
    CHECK(!r->ok);
    r = row_of(&rs, 2);
    CHECK(r);
    CHECK_INT_EQ(r->posted_days, 16);
    CHECK_INT_EQ(r->required_days, 11); /* 20 * 16 / 31 rounded up */
    CHECK_INT_EQ(r->state[0], FD_NOT_POSTED);
    /* One cadre: every day with its records. */
    memset(&rs, 0, sizeof(rs));
    CHECK_INT_EQ(field_presence(s, &p, &all, "2018-07", 1, keep_row, &rs, &err), ZC_OK);
    CHECK_INT_EQ(rs.n, 1);
    CHECK_CONTAINS(rs.detail[0], "08:00");
    CHECK_CONTAINS(rs.detail[4], "村外");
    /* A township's scope sees its own villages only. */
    {
        struct zc_scope sc;
        CHECK_INT_EQ(zc_scope_parse("450125", &sc, &err), ZC_OK);
        memset(&rs, 0, sizeof(rs));
        CHECK_INT_EQ(field_presence(s, &p, &sc, "2018-07", 0, keep_row, &rs, &err), ZC_OK);
        CHECK_INT_EQ(rs.n, 1);
        CHECK_INT_EQ(rs.r[0].cadre, 3);
    }
    /* Mid-month, the days after today are not judged: not absent, not posted. */
    setenv("ZHUCUN_TODAY", "2018-07-10", 1);
    memset(&rs, 0, sizeof(rs));
    CHECK_INT_EQ(field_presence(s, &p, &all, "2018-07", 1, keep_row, &rs, &err), ZC_OK);
    CHECK_INT_EQ(rs.r[0].posted_days, 10);
    CHECK_INT_EQ(rs.r[0].state[10], FD_FUTURE);
    CHECK_INT_EQ(rs.r[0].required_days, 7); /* 20 * 10 / 31 rounded up */
    CHECK_INT_EQ(rs.r[0].days, 3);          /* the 31st is not counted yet */
    CHECK_INT_EQ(field_presence(s, &p, &all, "2018-13", 0, keep_row, &rs, &err), ZC_EINVAL);
    store_close(s);
}

TEST(field_leave_chain_overlap_return_and_weekly_rule)
{
    struct store *s = fixture("leave");
    struct policy p;
    struct rows rs = {0};
    struct zc_scope all = zc_scope_all();
    struct zc_error err = {0};
    struct field_leave_req q = {.cadre = 1, .kind = FL_LEAVE, .reason = "家中有事", .actor = "t"};
    const struct field_presence_row *r;
    int64_t id = 0, id2 = 0;
    int approver = 0;
    CHECK(s);
    policy_defaults(&p);
    p.field.days_per_week = 5;
    p.field.nights_per_week = 4;
    snprintf(q.start, sizeof(q.start), "2018-07-10");
    snprintf(q.end, sizeof(q.end), "2018-07-12");
    CHECK_INT_EQ(field_leave_request(s, &p, &all, &q, &id, &approver, &err), ZC_OK);
    CHECK_INT_EQ(approver, PA_TOWNSHIP); /* 3 days */
    /* Overlapping: refused with the other request named. */
    snprintf(q.start, sizeof(q.start), "2018-07-12");
    snprintf(q.end, sizeof(q.end), "2018-07-16");
    CHECK_INT_EQ(field_leave_request(s, &p, &all, &q, &id2, &approver, &err), ZC_EINVAL);
    CHECK_CONTAINS(err.msg, "overlaps");
    /* Back-dated: refused. */
    snprintf(q.start, sizeof(q.start), "2018-06-01");
    snprintf(q.end, sizeof(q.end), "2018-06-02");
    CHECK_INT_EQ(field_leave_request(s, &p, &all, &q, &id2, &approver, &err), ZC_EINVAL);
    /* Five days: the county approves, not the township. */
    q.kind = FL_TRIP;
    snprintf(q.start, sizeof(q.start), "2018-07-23");
    snprintf(q.end, sizeof(q.end), "2018-07-27");
    CHECK_INT_EQ(field_leave_request(s, &p, &all, &q, &id2, &approver, &err), ZC_OK);
    CHECK_INT_EQ(approver, PA_COUNTY);
    CHECK_INT_EQ(field_leave_decide(s, &all, PA_TOWNSHIP, id2, true, NULL, "t", &err),
                 ZC_EFORBIDDEN);
    CHECK_INT_EQ(field_leave_decide(s, &all, PA_COUNTY, id2, true, NULL, "t", &err), ZC_OK);
    CHECK_INT_EQ(field_leave_decide(s, &all, PA_TOWNSHIP, id, false, "", "t", &err), ZC_EINVAL);
    CHECK_INT_EQ(field_leave_decide(s, &all, PA_TOWNSHIP, id, true, NULL, "t", &err), ZC_OK);
    CHECK_INT_EQ(field_leave_decide(s, &all, PA_TOWNSHIP, id, true, NULL, "t", &err), ZC_ECONFLICT);
    /* 销假 on the 12th: the leave covered the 10th and 11th only. */
    CHECK_INT_EQ(field_leave_return(s, &all, id, "2018-07-12", &err), ZC_OK);
    /* Present every day of the week of 2-8 July (Mon-Sun), three nights only. */
    for (int d = 2; d <= 8; d++) {
        char at[32];
        snprintf(at, sizeof(at), "2018-07-%02u 08:00:00", (unsigned)d % 100u);
        CHECK_INT_EQ(add(s, &p, 1, at, A_LAT, A_LNG, NULL), ZC_OK);
        if (d <= 4) {
            snprintf(at, sizeof(at), "2018-07-%02u 21:00:00", (unsigned)d % 100u);
            CHECK_INT_EQ(add(s, &p, 1, at, A_LAT, A_LNG, NULL), ZC_OK);
        }
    }
    setenv("ZHUCUN_TODAY", "2018-08-15", 1);
    CHECK_INT_EQ(field_presence(s, &p, &all, "2018-07", 1, keep_row, &rs, &err), ZC_OK);
    r = row_of(&rs, 1);
    CHECK(r);
    CHECK_INT_EQ(r->leave_days, 2);
    CHECK_INT_EQ(r->state[9], FD_LEAVE);
    CHECK_INT_EQ(r->state[11], FD_ABSENT); /* back on the 12th */
    CHECK_INT_EQ(r->trip_days, 5);
    CHECK_INT_EQ(r->days, 7);
    CHECK_INT_EQ(r->nights, 3);
    /* Weeks 2-8, 16-22 and 30.7-5.8 (not inside); 9-15 has leave, 23-29 trips. */
    CHECK_INT_EQ(r->weeks_checked, 2);
    CHECK_INT_EQ(r->weeks_failed, 2); /* 2-8: 3 nights < 4; 16-22: nothing */
    store_close(s);
}

struct cases {
    char rules[32][32];
    char days[32][11];
    bool dismissed[32];
    int n;
};

static int keep_case(void *ud, const struct field_case *c)
{
    struct cases *cs = ud;
    if (cs->n < 32) {
        snprintf(cs->rules[cs->n], 32, "%s", c->rule);
        snprintf(cs->days[cs->n], 11, "%s", c->day);
        cs->dismissed[cs->n] = c->dismissed;
        cs->n++;
    }
    return ZC_OK;
}

static int count_rule(const struct cases *cs, const char *rule)
{
    int n = 0;
    for (int i = 0; i < cs->n; i++)
        n += strcmp(cs->rules[i], rule) == 0;
    return n;
}

TEST(field_cases_each_rule_positive_and_negative)
{
    struct store *s = fixture("cases");
    struct policy p;
    struct cases cs = {0};
    struct zc_scope all = zc_scope_all();
    struct zc_error err = {0};
    struct field_entry e = {.cadre = 1, .text = "走访", .captured_at = "2018-07-20 21:00:00"};
    int64_t id;
    CHECK(s);
    policy_defaults(&p);
    p.field.diary_backdate_days = 30;
    /* impossible_travel: 100 km in 20 minutes (Mon 2nd); the same in 3 hours is not (Tue 3rd). */
    CHECK_INT_EQ(add(s, &p, 1, "2018-07-02 08:00:00", A_LAT, A_LNG, NULL), ZC_OK);
    CHECK_INT_EQ(add(s, &p, 1, "2018-07-02 08:20:00", U_LAT, U_LNG, NULL), ZC_OK);
    CHECK_INT_EQ(add(s, &p, 1, "2018-07-03 08:00:00", A_LAT + 0.001, A_LNG, NULL), ZC_OK);
    CHECK_INT_EQ(add(s, &p, 1, "2018-07-03 11:00:00", U_LAT + 0.05, U_LNG, NULL), ZC_OK);
    /* repeated_coordinates: one exact point on three days (9, 10, 11), another on two. */
    CHECK_INT_EQ(add(s, &p, 1, "2018-07-09 08:00:00", 23.7012345, 108.1712345, NULL), ZC_OK);
    CHECK_INT_EQ(add(s, &p, 1, "2018-07-10 08:00:00", 23.7012345, 108.1712345, NULL), ZC_OK);
    CHECK_INT_EQ(add(s, &p, 1, "2018-07-11 08:00:00", 23.7012345, 108.1712345, NULL), ZC_OK);
    CHECK_INT_EQ(add(s, &p, 1, "2018-07-12 08:00:00", 23.7054321, 108.1754321, NULL), ZC_OK);
    CHECK_INT_EQ(add(s, &p, 1, "2018-07-13 08:00:00", 23.7054321, 108.1754321, NULL), ZC_OK);
    /* home_city: Saturday the 14th near the unit is not a village day. */
    CHECK_INT_EQ(add(s, &p, 1, "2018-07-14 10:00:00", U_LAT, U_LNG, NULL), ZC_OK);
    /* outside_on_present_day: the 16th present and outside; the 17th only outside. */
    CHECK_INT_EQ(add(s, &p, 1, "2018-07-16 08:00:00", A_LAT, A_LNG + 0.0005, NULL), ZC_OK);
    CHECK_INT_EQ(add(s, &p, 1, "2018-07-16 15:00:00", A_LAT + 0.08, A_LNG, NULL), ZC_OK);
    CHECK_INT_EQ(add(s, &p, 1, "2018-07-17 15:00:00", A_LAT + 0.08, A_LNG + 0.0001, NULL), ZC_OK);
    /* diary_without_presence: a diary on the 18th (no presence); one on the 16th (present). */
    snprintf(e.day, sizeof(e.day), "2018-07-18");
    CHECK_INT_EQ(field_entry_add(s, &p, &all, &e, &id, &err), ZC_OK);
    snprintf(e.day, sizeof(e.day), "2018-07-16");
    CHECK_INT_EQ(field_entry_add(s, &p, &all, &e, &id, &err), ZC_OK);

    setenv("ZHUCUN_TODAY", "2018-08-15", 1);
    CHECK_INT_EQ(field_cases(s, &p, &all, "2018-07", keep_case, &cs, &err), ZC_OK);
    CHECK_INT_EQ(count_rule(&cs, "impossible_travel"), 1);
    CHECK_INT_EQ(count_rule(&cs, "repeated_coordinates"), 1);
    /* Monday the 2nd (the jump) is at the unit on a working day; Tuesday's
     * point is 5.5 km from it (beyond home_radius_m), Saturday is not a
     * village day. */
    CHECK_INT_EQ(count_rule(&cs, "home_city_on_village_day"), 1);
    CHECK_INT_EQ(count_rule(&cs, "diary_without_presence"), 1);
    {
        int n = 0;
        for (int i = 0; i < cs.n; i++)
            if (strcmp(cs.rules[i], "outside_on_present_day") == 0) {
                CHECK(strcmp(cs.days[i], "2018-07-17") != 0); /* not present that day */
                n++;
            }
        CHECK_INT_EQ(n, 3); /* the 2nd, 3rd (the unit points) and the 16th */
    }
    /* Dismissed with a reason: still listed, marked. */
    CHECK_INT_EQ(
        field_case_dismiss(s, &all, 1, "2018-07-18", "diary_without_presence", "", "t", &err),
        ZC_EINVAL);
    CHECK_INT_EQ(field_case_dismiss(s, &all, 1, "2018-07-18", "no_such_rule", "x", "t", &err),
                 ZC_ENOTFOUND);
    CHECK_INT_EQ(field_case_dismiss(s, &all, 1, "2018-07-18", "diary_without_presence",
                                    "补录: 当天在镇里开会", "t", &err),
                 ZC_OK);
    memset(&cs, 0, sizeof(cs));
    CHECK_INT_EQ(field_cases(s, &p, &all, "2018-07", keep_case, &cs, &err), ZC_OK);
    for (int i = 0; i < cs.n; i++)
        if (strcmp(cs.rules[i], "diary_without_presence") == 0)
            CHECK(cs.dismissed[i]);
    store_close(s);
}

struct hist {
    int version, nversions;
    char first[64];
};

static int hist_entry(void *ud, const struct field_entry_row *r)
{
    ((struct hist *)ud)->version = r->version;
    return ZC_OK;
}

static int hist_version(void *ud, const struct field_entry_version_row *v)
{
    struct hist *h = ud;
    if (h->nversions++ == 0)
        snprintf(h->first, sizeof(h->first), "%s", v->text);
    return ZC_OK;
}

/* The first column of the first row of `sql` as text ("" if none). */
static void query_text(struct store *s, const char *sql, char *out, size_t n)
{
    struct store_stmt *q = NULL;
    struct zc_error err = {0};
    bool row = false;
    out[0] = '\0';
    if (store_prepare(s, sql, &q, &err) == ZC_OK && store_step(q, &row, &err) == ZC_OK && row)
        snprintf(out, n, "%s", store_col_text(q, 0));
    store_finalize(q);
}

TEST(field_entries_backdating_versions_and_households)
{
    struct store *s = fixture("entries");
    struct policy p;
    struct zc_scope all = zc_scope_all();
    struct zc_error err = {0};
    struct field_entry e = {.cadre = 1, .text = "入户", .captured_at = "2018-07-20 21:00:00"};
    int64_t id = 0, id2 = 0, n = 0;
    CHECK(s);
    policy_defaults(&p); /* 7 days back */
    snprintf(e.day, sizeof(e.day), "2018-07-10");
    CHECK_INT_EQ(field_entry_add(s, &p, &all, &e, &id, &err), ZC_EINVAL);
    CHECK_CONTAINS(err.msg, "7 days");
    snprintf(e.day, sizeof(e.day), "2018-07-21");
    CHECK_INT_EQ(field_entry_add(s, &p, &all, &e, &id, &err), ZC_EINVAL); /* future */
    snprintf(e.day, sizeof(e.day), "2018-07-19");
    e.visit = true;
    e.household = "H2"; /* 乙村's household */
    CHECK_INT_EQ(field_entry_add(s, &p, &all, &e, &id, &err), ZC_EINVAL);
    CHECK_CONTAINS(err.msg, "belongs to village");
    e.household = "H1";
    e.client_id = "e-1";
    CHECK_INT_EQ(field_entry_add(s, &p, &all, &e, &id, &err), ZC_OK);
    CHECK_INT_EQ(field_entry_add(s, &p, &all, &e, &id2, &err), ZC_OK);
    CHECK_INT_EQ(id2, id); /* resend */
    CHECK_INT_EQ(field_entry_edit(s, NULL, &all, id, "入户走访, 核实收入", NULL, NULL, &err),
                 ZC_OK);
    CHECK_INT_EQ(store_query_int(s, "SELECT count(*) FROM field_entry_version", &n, &err), ZC_OK);
    CHECK_INT_EQ(n, 1);
    CHECK_INT_EQ(store_query_int(s, "SELECT version FROM field_entry", &n, &err), ZC_OK);
    CHECK_INT_EQ(n, 2);
    /* The cadre's own edit within the window (6 days back), not past it. */
    {
        struct zc_scope own = all, other = all;
        struct hist h = {0};
        int v = 0;
        own.cadre = 1;
        other.cadre = 2;
        setenv("ZHUCUN_TODAY", "2018-07-25", 1);
        CHECK_INT_EQ(field_entry_edit(s, &p, &other, id, "改", NULL, &v, &err), ZC_ENOTFOUND);
        CHECK_INT_EQ(field_entry_edit(s, &p, &own, id, "入户走访, 核实收入和医保", NULL, &v, &err),
                     ZC_OK);
        CHECK_INT_EQ(v, 3);
        setenv("ZHUCUN_TODAY", "2018-07-30", 1);
        CHECK_INT_EQ(field_entry_edit(s, &p, &own, id, "再改", NULL, &v, &err), ZC_EINVAL);
        CHECK_CONTAINS(err.msg, "diary_backdate_days");
        CHECK_INT_EQ(field_entry_history(s, &own, id, hist_entry, hist_version, &h, &err), ZC_OK);
        CHECK_INT_EQ(h.version, 3);
        CHECK_INT_EQ(h.nversions, 2);
        CHECK_STR_EQ(h.first, "入户");
        CHECK_INT_EQ(field_entry_history(s, &other, id, hist_entry, hist_version, &h, &err),
                     ZC_ENOTFOUND);
        setenv("ZHUCUN_TODAY", "2018-06-17", 1);
    }
    /* A visit's household corrected: registered, of the entry's village; the
     * earlier household is kept with the earlier version. */
    {
        char hh[80];
        int v = 0;
        CHECK_INT_EQ(store_exec(s,
                                "INSERT INTO household (id, village, members, cause) VALUES "
                                "('H3', 450124100201, 4, '因残')",
                                &err),
                     ZC_OK);
        CHECK_INT_EQ(field_entry_edit(s, NULL, &all, id, NULL, NULL, &v, &err), ZC_EINVAL);
        CHECK_INT_EQ(field_entry_edit(s, NULL, &all, id, NULL, "H2", &v, &err), ZC_EINVAL);
        CHECK_CONTAINS(err.msg, "belongs to village 450124100202");
        CHECK_INT_EQ(field_entry_edit(s, NULL, &all, id, NULL, "H9", &v, &err), ZC_EINVAL);
        CHECK_CONTAINS(err.msg, "H9 is not registered");
        CHECK_INT_EQ(store_query_int(s, "SELECT count(*) FROM field_entry_version", &n, &err),
                     ZC_OK);
        CHECK_INT_EQ(n, 2); /* the refusals kept nothing */
        CHECK_INT_EQ(field_entry_edit(s, NULL, &all, id, NULL, "H3", &v, &err), ZC_OK);
        CHECK_INT_EQ(v, 4);
        query_text(s, "SELECT household || '/' || text FROM field_entry", hh, sizeof(hh));
        CHECK_STR_EQ(hh, "H3/入户走访, 核实收入和医保"); /* the text unchanged */
        query_text(s, "SELECT household FROM field_entry_version WHERE version = 3", hh,
                   sizeof(hh));
        CHECK_STR_EQ(hh, "H1");
        /* A diary entry names no household. */
        e.visit = false;
        e.household = NULL;
        e.client_id = "e-2";
        CHECK_INT_EQ(field_entry_add(s, &p, &all, &e, &id2, &err), ZC_OK);
        CHECK_INT_EQ(field_entry_edit(s, NULL, &all, id2, NULL, "H1", &v, &err), ZC_EINVAL);
        CHECK_CONTAINS(err.msg, "is a diary entry");
    }
    store_close(s);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

TEST(field_import_own_columns_dingtalk_and_bad_rows)
{
    struct store *s = fixture("import");
    struct policy p;
    struct zc_scope all = zc_scope_all();
    struct zc_error err = {0};
    struct field_import_report rep;
    char path[512];
    int64_t n = -1;
    CHECK(s);
    policy_defaults(&p);
    snprintf(path, sizeof(path), "%s/checkins.csv", zt_tmpdir());
    write_file(path, "身份证号,打卡时间,纬度,经度,精度(米),设备\n"
                     "11010519491231002x,2018-07-02 08:01,23.7001,108.1702,15,p1\n"
                     "11010519491231002X,2018/07/03 08:02:09,23.70,108.17,,p1\n");
    CHECK_INT_EQ(field_import_checkins(s, &p, &all, path, NULL, NULL, &rep, &err), ZC_OK);
    CHECK_INT_EQ(rep.added, 2);
    CHECK(!rep.dingtalk);
    field_import_report_fini(&rep);
    /* Re-import: nothing twice. */
    CHECK_INT_EQ(field_import_checkins(s, &p, &all, path, NULL, NULL, &rep, &err), ZC_OK);
    CHECK_INT_EQ(rep.added, 0);
    CHECK_INT_EQ(rep.duplicates, 2);
    field_import_report_fini(&rep);
    /* A DingTalk 原始记录 sheet: a title row, names, clock times, verdicts. */
    snprintf(path, sizeof(path), "%s/dingtalk.csv", zt_tmpdir());
    write_file(path, "原始记录,统计日期：2018-07-01 至 2018-07-31\n"
                     "姓名,工号,部门,考勤日期,打卡时间,打卡结果,打卡地址,打卡设备\n"
                     "张三,001,驻村工作队,18-07-04 星期三,08:30,正常,甲村村委,iPhone\n"
                     "张三,001,驻村工作队,18-07-05 星期四,09:10,外勤,南宁市,iPhone\n"
                     "张三,001,驻村工作队,18-07-06 星期五,,缺卡,,\n"
                     "张三,001,驻村工作队,18-07-07 星期六,09:20,地点异常,南宁市,iPhone\n");
    CHECK_INT_EQ(field_import_checkins(s, &p, &all, path, NULL, NULL, &rep, &err), ZC_OK);
    CHECK(rep.dingtalk);
    CHECK_INT_EQ(rep.added, 3);
    field_import_report_fini(&rep);
    CHECK_INT_EQ(
        store_query_int(s, "SELECT inside FROM checkin WHERE at = '2018-07-04 08:30:00'", &n, &err),
        ZC_OK);
    CHECK_INT_EQ(n, 1);
    CHECK_INT_EQ(
        store_query_int(s, "SELECT inside FROM checkin WHERE at = '2018-07-05 09:10:00'", &n, &err),
        ZC_OK);
    CHECK_INT_EQ(n, 0);
    /* 地点异常 without coordinates counts as outside, as 外勤 does. */
    CHECK_INT_EQ(
        store_query_int(s, "SELECT inside FROM checkin WHERE at = '2018-07-07 09:20:00'", &n, &err),
        ZC_OK);
    CHECK_INT_EQ(n, 0);
    /* Bad rows: every one reported by file, row and column, nothing written. */
    snprintf(path, sizeof(path), "%s/bad.csv", zt_tmpdir());
    write_file(path, "身份证号,打卡时间,纬度,经度\n"
                     "11010519491231002X,2018-07-20 08:00,23.70,108.17\n"
                     "11010519491231002X,2018-07-32 08:00,23.70,108.17\n"
                     "11010519491231002X,2018-07-21 08:00,95,108.17\n"
                     "450124199001010011,2018-07-02 08:00,23.70,108.17\n");
    CHECK_INT_EQ(field_import_checkins(s, &p, &all, path, NULL, NULL, &rep, &err), ZC_EINVAL);
    CHECK_INT_EQ(rep.nerrors, 3);
    CHECK_CONTAINS(rep.lines[0], "bad.csv:3:打卡时间");
    CHECK_CONTAINS(rep.lines[1], "bad.csv:4:纬度");
    CHECK_CONTAINS(rep.lines[2], "bad.csv:5:身份证号"); /* not stationed on the 2nd */
    field_import_report_fini(&rep);
    CHECK_INT_EQ(
        store_query_int(s, "SELECT count(*) FROM checkin WHERE at >= '2018-07-20'", &n, &err),
        ZC_OK);
    CHECK_INT_EQ(n, 0);
    /* --map names a column the alias table does not know. */
    snprintf(path, sizeof(path), "%s/mapped.csv", zt_tmpdir());
    write_file(path, "证件,签到,lat,lng\n11010519491231002X,2018-07-22 08:00,23.70,108.17\n");
    {
        const char *map[] = {"证件=id_number", "签到=time", NULL};
        CHECK_INT_EQ(field_import_checkins(s, &p, &all, path, map, NULL, &rep, &err), ZC_OK);
        CHECK_INT_EQ(rep.added, 1);
        field_import_report_fini(&rep);
    }
    store_close(s);
}

/* A DingTalk attendance workbook as it is exported: summaries first, the
 * punches on the sheet 原始记录 after them. */
static bool write_dingtalk_workbook(const char *path)
{
    static const char *const raw[][8] = {
        {"姓名", "工号", "部门", "考勤日期", "打卡时间", "打卡结果", "打卡地址", "打卡设备"},
        {"张三", "001", "驻村工作队", "18-07-09 星期一", "08:30", "正常", "甲村村委", "iPhone"},
        {"张三", "001", "驻村工作队", "18-07-10 星期二", "08:41", "正常", "甲村村委", "iPhone"},
    };
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *sum = workbook_add_worksheet(wb, "月度汇总");
    lxw_worksheet *ws = workbook_add_worksheet(wb, "原始记录");
    worksheet_write_string(sum, 0, 0, "月度汇总 统计日期：2018-07-01 至 2018-07-31", NULL);
    worksheet_write_string(sum, 1, 0, "姓名", NULL);
    worksheet_write_string(sum, 1, 1, "出勤天数", NULL);
    worksheet_write_string(sum, 2, 0, "张三", NULL);
    worksheet_write_number(sum, 2, 1, 22, NULL);
    worksheet_write_string(ws, 0, 0, "原始记录 统计日期：2018-07-01 至 2018-07-31", NULL);
    for (lxw_row_t r = 0; r < 3; r++)
        for (lxw_col_t c = 0; c < 8; c++)
            worksheet_write_string(ws, r + 1, c, raw[r][c], NULL);
    return workbook_close(wb) == LXW_NO_ERROR;
}

TEST(field_import_reads_the_dingtalk_sheet_of_a_workbook)
{
    struct store *s = fixture("workbook");
    struct policy p;
    struct zc_scope all = zc_scope_all();
    struct zc_error err = {0};
    struct field_import_report rep;
    char path[512];
    int64_t n = -1;
    CHECK(s);
    policy_defaults(&p);
    snprintf(path, sizeof(path), "%s/考勤报表.xlsx", zt_tmpdir());
    CHECK(write_dingtalk_workbook(path));
    /* A sheet that is not there is refused, naming the sheets there are. */
    CHECK_INT_EQ(field_import_checkins(s, &p, &all, path, NULL, "打卡记录", &rep, &err), ZC_EINVAL);
    CHECK_CONTAINS(err.msg, "no sheet named 打卡记录 (its sheets: 月度汇总, 原始记录)");
    field_import_report_fini(&rep);
    /* The summary, when named, has no punches: nothing is imported. */
    zc_error_clear(&err);
    CHECK_INT_EQ(field_import_checkins(s, &p, &all, path, NULL, "月度汇总", &rep, &err), ZC_EINVAL);
    CHECK_CONTAINS(err.msg, "no header row");
    field_import_report_fini(&rep);
    /* Unnamed: the sheet 原始记录, although it is not the first. */
    zc_error_clear(&err);
    CHECK_INT_EQ(field_import_checkins(s, &p, &all, path, NULL, NULL, &rep, &err), ZC_OK);
    CHECK(rep.dingtalk);
    CHECK_INT_EQ(rep.added, 2);
    field_import_report_fini(&rep);
    CHECK_INT_EQ(store_query_int(s,
                                 "SELECT count(*) FROM checkin WHERE at IN ('2018-07-09 08:30:00', "
                                 "'2018-07-10 08:41:00')",
                                 &n, &err),
                 ZC_OK);
    CHECK_INT_EQ(n, 2);
    store_close(s);
}

TEST(field_policy_section_is_validated)
{
    struct policy p;
    struct zc_error err = {0};
    static const char ok[] =
        "{\"field\": {\"checkin\": \"twice_daily\", \"residence\": {\"days_per_week\": 5, "
        "\"nights_per_week\": 4}, \"subsidy\": {\"per_month_yuan\": 2000}, "
        "\"leave_approval\": [{\"max_days\": 2, \"approver\": \"township\"}, {\"max_days\": 10, "
        "\"approver\": \"county\"}, {\"max_days\": null, \"approver\": \"city\"}]}}";
    CHECK_INT_EQ(policy_parse("t.json", ok, strlen(ok), &p, &err), ZC_OK);
    CHECK_INT_EQ(p.field.checkin, PF_CHECKIN_TWICE);
    CHECK_INT_EQ(p.field.subsidy_month_fen, 200000);
    CHECK_INT_EQ(policy_leave_approver(&p, 2), PA_TOWNSHIP);
    CHECK_INT_EQ(policy_leave_approver(&p, 3), PA_COUNTY);
    CHECK_INT_EQ(policy_leave_approver(&p, 30), PA_CITY);
    static const char bad1[] = "{\"field\": {\"checkin\": \"hourly\"}}";
    CHECK_INT_EQ(policy_parse("t.json", bad1, strlen(bad1), &p, &err), ZC_EINVAL);
    CHECK_CONTAINS(err.msg, "field.checkin");
    static const char bad2[] =
        "{\"field\": {\"leave_approval\": [{\"max_days\": 3, \"approver\": \"township\"}]}}";
    CHECK_INT_EQ(policy_parse("t.json", bad2, strlen(bad2), &p, &err), ZC_EINVAL);
    CHECK_CONTAINS(err.msg, "last step");
    static const char bad3[] = "{\"field\": {\"night_window\": {\"from\": \"25:00\"}}}";
    CHECK_INT_EQ(policy_parse("t.json", bad3, strlen(bad3), &p, &err), ZC_EINVAL);
}

TEST(field_contested_day_counts_once_the_county_accepts)
{
    struct store *s = fixture("contest");
    struct policy p;
    struct rows rs = {0};
    struct zc_scope all = zc_scope_all(), own = zc_scope_all();
    struct zc_error err = {0};
    int64_t id = 0, id2 = 0;
    CHECK(s);
    policy_defaults(&p);
    setenv("ZHUCUN_TODAY", "2018-07-20", 1);
    own.cadre = 1;
    CHECK_INT_EQ(field_contest_add(s, &own, 1, "2018-07-25", "x", &id, &err),
                 ZC_EINVAL); /* future */
    CHECK_INT_EQ(field_contest_add(s, &own, 1, "2018-07-05", "", &id, &err), ZC_EINVAL);
    CHECK_INT_EQ(field_contest_add(s, &own, 2, "2018-07-05", "x", &id, &err), ZC_EFORBIDDEN);
    CHECK_INT_EQ(field_contest_add(s, &own, 1, "2018-07-05", "山里没信号, 在村开会", &id, &err),
                 ZC_OK);
    CHECK_INT_EQ(field_contest_add(s, &own, 1, "2018-07-05", "again", &id2, &err), ZC_ECONFLICT);
    CHECK_INT_EQ(field_contest_add(s, &own, 1, "2018-07-06", "也在村", &id2, &err), ZC_OK);
    CHECK_INT_EQ(field_presence(s, &p, &all, "2018-07", 1, keep_row, &rs, &err), ZC_OK);
    CHECK_INT_EQ(rs.r[0].state[4], FD_ABSENT); /* open: not yet */
    CHECK_INT_EQ(field_contest_decide(s, &all, PA_TOWNSHIP, id, true, NULL, "t", &err),
                 ZC_EFORBIDDEN);
    CHECK_INT_EQ(field_contest_decide(s, &own, PA_COUNTY, id, true, NULL, "t", &err),
                 ZC_EFORBIDDEN);
    CHECK_INT_EQ(field_contest_decide(s, &all, PA_COUNTY, id, true, NULL, "t", &err), ZC_OK);
    CHECK_INT_EQ(field_contest_decide(s, &all, PA_COUNTY, id, true, NULL, "t", &err), ZC_ECONFLICT);
    CHECK_INT_EQ(field_contest_decide(s, &all, PA_COUNTY, id2, false, "", "t", &err), ZC_EINVAL);
    CHECK_INT_EQ(
        field_contest_decide(s, &all, PA_COUNTY, id2, false, "村委会记录无此人", "t", &err), ZC_OK);
    memset(&rs, 0, sizeof(rs));
    CHECK_INT_EQ(field_presence(s, &p, &all, "2018-07", 1, keep_row, &rs, &err), ZC_OK);
    CHECK_INT_EQ(rs.r[0].state[4], FD_PRESENT);
    CHECK_INT_EQ(rs.r[0].state[5], FD_ABSENT);
    CHECK_CONTAINS(rs.detail[4], "申诉已认可");
    store_close(s);
}

TEST(field_photos_type_size_dedup_and_visibility)
{
    static const unsigned char jpg[] = {0xff, 0xd8, 0xff, 0xe0, 0,    0x10,
                                        'J',  'F',  'I',  'F',  0xff, 0xd9};
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a,
                                        0,    0,   0,   13,  'I',  'H',  'D',  'R'};
    static const unsigned char gif[] = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0};
    struct store *s = fixture("photo");
    struct policy p;
    struct field_photo_put put;
    struct field_checkin in;
    struct field_evidence ev;
    struct zc_scope all = zc_scope_all(), own = zc_scope_all(), other, county;
    struct zc_error err = {0};
    unsigned char *data = NULL, *big;
    size_t n = 0;
    char mime[16], hash[65];
    CHECK(s);
    policy_defaults(&p);
    CHECK_STR_EQ(field_photo_type(jpg, sizeof(jpg)), "image/jpeg");
    CHECK_STR_EQ(field_photo_type(png, sizeof(png)), "image/png");
    CHECK(field_photo_type(gif, sizeof(gif)) == NULL);
    CHECK(field_photo_type(png, 8) == NULL); /* a PNG signature without its header */
    CHECK_INT_EQ(field_photo_add(s, &all, 1, gif, sizeof(gif), &put, &err), ZC_EINVAL);
    big = calloc(FIELD_PHOTO_MAX_BYTES + 1, 1);
    memcpy(big, jpg, 4);
    CHECK_INT_EQ(field_photo_add(s, &all, 1, big, FIELD_PHOTO_MAX_BYTES + 1, &put, &err),
                 ZC_ETOOBIG);
    free(big);
    /* A cadre adds only their own; stored once, each uploader recorded. */
    own.cadre = 2;
    CHECK_INT_EQ(field_photo_add(s, &own, 1, jpg, sizeof(jpg), &put, &err), ZC_EFORBIDDEN);
    own.cadre = 1;
    CHECK_INT_EQ(field_photo_add(s, &own, 1, jpg, sizeof(jpg), &put, &err), ZC_OK);
    CHECK(put.created);
    CHECK_INT_EQ((int)strlen(put.hash), 64);
    /* printf '\377\330\377\340\000\020JFIF\377\331' | sha256sum */
    CHECK_STR_EQ(put.hash, "75dc4d75228f62d8d9f134cef2af43d444a0bbbc3a103709aa1c8476c8f19412");
    memcpy(hash, put.hash, sizeof(hash));
    CHECK_INT_EQ(field_photo_add(s, &own, 1, jpg, sizeof(jpg), &put, &err), ZC_OK);
    CHECK(!put.created);
    CHECK_STR_EQ(put.hash, hash);
    CHECK_INT_EQ(field_photo_add(s, &all, 2, jpg, sizeof(jpg), &put, &err), ZC_OK);
    CHECK(!put.created);
    /* Before a check-in carries it: the uploaders see it, staff do not. */
    CHECK_INT_EQ(zc_scope_parse("450124", &county, &err), ZC_OK);
    CHECK_INT_EQ(field_photo_get(s, &county, hash, &data, &n, mime, &err), ZC_ENOTFOUND);
    CHECK_INT_EQ(field_photo_get(s, &own, hash, &data, &n, mime, &err), ZC_OK);
    CHECK_INT_EQ((int)n, (int)sizeof(jpg));
    CHECK(memcmp(data, jpg, n) == 0);
    CHECK_STR_EQ(mime, "image/jpeg");
    free(data);
    /* A check-in names it: cadre 3 (who never uploaded it) cannot. */
    memset(&in, 0, sizeof(in));
    in.cadre = 3;
    snprintf(in.at, sizeof(in.at), "2018-07-02 08:00:00");
    in.photo = hash;
    CHECK_INT_EQ(field_checkin_add(s, &p, &all, &in, &ev, &err), ZC_EINVAL);
    in.cadre = 1;
    CHECK_INT_EQ(field_checkin_add(s, &p, &all, &in, &ev, &err), ZC_OK);
    CHECK_INT_EQ(field_photo_get(s, &county, hash, &data, &n, mime, &err), ZC_OK);
    free(data);
    CHECK_INT_EQ(zc_scope_parse("450125", &other, &err), ZC_OK);
    CHECK_INT_EQ(field_photo_get(s, &other, hash, &data, &n, mime, &err), ZC_ENOTFOUND);
    CHECK_INT_EQ(field_photo_get(s, &county, "../x", &data, &n, mime, &err), ZC_ENOTFOUND);
    store_close(s);
}

TEST(field_policy_choice_innermost_wins)
{
    struct store *s = fixture("choice");
    struct policy dflt, p;
    struct field_policy_choice ch;
    struct zc_scope all = zc_scope_all(), county, cadre = zc_scope_all();
    struct zc_error err = {0};
    static const char twice[] = "{\"name\": \"twice\", \"field\": {\"checkin\": \"twice_daily\"}}";
    static const char none[] = "{\"name\": \"none\", \"field\": {\"checkin\": \"none\"}}";
    CHECK(s);
    policy_defaults(&dflt);
    CHECK_INT_EQ(field_policy_at(s, VA, 0, &dflt, &p, &ch, &err), ZC_OK);
    CHECK_INT_EQ((int)ch.division, 0);
    CHECK_INT_EQ(p.field.checkin, dflt.field.checkin);
    /* The county chooses for itself; another county's choice is refused. */
    CHECK_INT_EQ(zc_scope_parse("450124", &county, &err), ZC_OK);
    CHECK_INT_EQ(field_policy_choose(s, &county, "450125", "twice", twice, 0, "t", NULL, &err),
                 ZC_EFORBIDDEN);
    cadre.cadre = 1;
    CHECK_INT_EQ(field_policy_choose(s, &cadre, "450124", "twice", twice, 0, "t", NULL, &err),
                 ZC_EFORBIDDEN);
    CHECK_INT_EQ(field_policy_choose(s, &county, "450124", "twice", twice, 0, "t", &ch, &err),
                 ZC_OK);
    CHECK_INT_EQ(field_policy_at(s, VA, 0, &dflt, &p, &ch, &err), ZC_OK);
    CHECK_INT_EQ(p.field.checkin, PF_CHECKIN_TWICE);
    CHECK(ch.division == 450124000000LL);
    /* A township below it chooses otherwise: its villages follow that one. */
    CHECK_INT_EQ(field_policy_choose(s, &all, "450124100", "none", none, 0, "t", NULL, &err),
                 ZC_OK);
    CHECK_INT_EQ(field_policy_at(s, 0, 1, &dflt, &p, &ch, &err),
                 ZC_OK); /* by the cadre's village */
    CHECK_INT_EQ(p.field.checkin, PF_CHECKIN_NONE);
    CHECK(ch.division == 450124100000LL);
    /* Another county keeps the default; clearing the township brings the county's back. */
    CHECK_INT_EQ(field_policy_at(s, VC, 0, &dflt, &p, &ch, &err), ZC_OK);
    CHECK_INT_EQ((int)ch.division, 0);
    CHECK_INT_EQ(field_policy_clear(s, &all, "450124100", &err), ZC_OK);
    CHECK_INT_EQ(field_policy_clear(s, &all, "450124100", &err), ZC_ENOTFOUND);
    CHECK_INT_EQ(field_policy_at(s, VA, 0, &dflt, &p, &ch, &err), ZC_OK);
    CHECK_INT_EQ(p.field.checkin, PF_CHECKIN_TWICE);
    store_close(s);
}
