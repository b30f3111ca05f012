/* SPDX-License-Identifier: MIT */
/* migrations.c - the schema, one version at a time.
 *
 * Never edit a migration that has shipped: add a new one. Each runs inside
 * a transaction with its version bump (store.c). The SQL keeps to what
 * SQLite and PostgreSQL both accept where it can; division codes are 12-digit
 * integers (see base/division.h), money is integer fen (1/100 yuan). */
#include <string.h>

#include "store_int.h"

static const char schema_v1[] =
    /* The division tree (区划): province > city > county > township > committee. */
    "CREATE TABLE division ("
    "  code   INTEGER PRIMARY KEY," /* 12 digits, e.g. 450124203202 */
    "  name   TEXT NOT NULL,"
    "  level  INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),"
    "  parent INTEGER" /* NULL for provinces */
    ");"
    "CREATE INDEX division_name ON division(name);"
    "CREATE INDEX division_parent ON division(parent);"

    /* The skill vocabulary (专业技能): data a deployment extends. */
    "CREATE TABLE skill ("
    "  code    TEXT PRIMARY KEY," /* stable English key, e.g. 'driving' */
    "  name_zh TEXT NOT NULL UNIQUE,"
    "  name_en TEXT NOT NULL,"
    "  builtin INTEGER NOT NULL DEFAULT 0"
    ");"
    "INSERT INTO skill(code, name_zh, name_en, builtin) VALUES"
    "  ('driving', '驾驶', 'Driving', 1),"
    "  ('farming', '农业种植', 'Crop farming', 1),"
    "  ('livestock', '畜牧', 'Animal husbandry', 1),"
    "  ('water', '水利', 'Water conservancy', 1),"
    "  ('medical', '医疗', 'Medicine and health', 1),"
    "  ('education', '教育', 'Education', 1),"
    "  ('accounting', '财会', 'Finance and accounting', 1),"
    "  ('law', '法律', 'Law', 1),"
    "  ('ecommerce', '电商', 'E-commerce', 1),"
    "  ('party', '党建', 'Party building', 1),"
    "  ('stability', '综治维稳', 'Public order and stability', 1),"
    "  ('forestry', '林业', 'Forestry', 1),"
    "  ('sericulture', '蚕桑', 'Sericulture', 1),"
    "  ('tourism', '乡村旅游', 'Rural tourism', 1),"
    "  ('construction', '建筑工程', 'Construction', 1),"
    "  ('it', '信息技术', 'Information technology', 1),"
    "  ('management', '企业管理', 'Business management', 1),"
    "  ('social', '社会工作', 'Social work', 1);"

    /* Sending units (派出单位). */
    "CREATE TABLE unit ("
    "  code     TEXT PRIMARY KEY,"
    "  name     TEXT NOT NULL,"
    "  level    TEXT NOT NULL CHECK (level IN ('province','city','county','township')),"
    "  category TEXT NOT NULL," /* 党群 经济 政法 涉农 教育 卫生 国企 科研 其他 */
    "  division INTEGER REFERENCES division(code),"
    "  staff    INTEGER CHECK (staff >= 0)," /* 在编人数: caps count against it */
    "  demo     INTEGER NOT NULL DEFAULT 0"
    ");"

    /* The village ledger (村情台账); one row per village that is tracked. */
    "CREATE TABLE village ("
    "  code            INTEGER PRIMARY KEY REFERENCES division(code),"
    "  poverty         TEXT NOT NULL DEFAULT 'none' CHECK (poverty IN ('none','poor','deep')),"
    "  states          INTEGER NOT NULL DEFAULT 0," /* bits: 1 软, 2 穷, 4 乱, 8 弱 */
    "  hamlets         INTEGER,"
    "  population      INTEGER,"
    "  households      INTEGER,"
    "  poor_households INTEGER,"
    "  poor_population INTEGER,"
    "  needs           TEXT NOT NULL DEFAULT ''," /* skill codes, ';'-separated, sorted */
    "  industries      TEXT NOT NULL DEFAULT '',"
    "  lat             REAL,"
    "  lng             REAL,"
    "  datum           TEXT," /* 'WGS84' or 'GCJ02' when lat/lng set */
    "  paired_unit     TEXT REFERENCES unit(code),"
    "  demo            INTEGER NOT NULL DEFAULT 0"
    ");"

    /* Cadres (干部), the people who may be sent. */
    "CREATE TABLE cadre ("
    "  id            INTEGER PRIMARY KEY,"
    "  id_number     TEXT NOT NULL UNIQUE,"
    "  name          TEXT NOT NULL,"
    "  unit          TEXT NOT NULL REFERENCES unit(code),"
    "  rank          TEXT NOT NULL DEFAULT '其他',"
    "  party_member  INTEGER NOT NULL DEFAULT 0,"
    "  reserve       INTEGER NOT NULL DEFAULT 0,"
    "  on_staff      INTEGER NOT NULL DEFAULT 1,"
    "  education     TEXT,"
    "  skills        TEXT NOT NULL DEFAULT ''," /* skill codes, ';'-separated, sorted */
    "  rural_years   INTEGER,"
    "  service_years INTEGER,"
    "  hometown      INTEGER REFERENCES division(code),"
    "  grades        TEXT NOT NULL DEFAULT ''," /* canonical 'YYYY:等次;...' */
    "  discipline    TEXT NOT NULL DEFAULT ''," /* canonical 'YYYY:处分;...' */
    "  volunteer     INTEGER NOT NULL DEFAULT 0,"
    "  preferred     TEXT NOT NULL DEFAULT ''," /* division codes, ';'-separated */
    "  gender        TEXT,"                     /* '男' / '女' */
    "  birth_date    TEXT,"                     /* YYYY-MM-DD */
    "  spouse        TEXT,"                     /* spouse's ID number */
    "  demo          INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX cadre_unit ON cadre(unit);"
    /* Annual assessment grades (年度考核), one per cadre and year. */
    "CREATE TABLE cadre_grade ("
    "  cadre INTEGER NOT NULL REFERENCES cadre(id) ON DELETE CASCADE,"
    "  year  INTEGER NOT NULL,"
    "  grade TEXT NOT NULL CHECK (grade IN ('优秀','称职','基本称职','不称职')),"
    "  PRIMARY KEY (cadre, year)"
    ") WITHOUT ROWID;"
    /* Discipline records (纪律处分). */
    "CREATE TABLE cadre_discipline ("
    "  cadre INTEGER NOT NULL REFERENCES cadre(id) ON DELETE CASCADE,"
    "  year  INTEGER NOT NULL,"
    "  kind  TEXT NOT NULL,"
    "  PRIMARY KEY (cadre, year, kind)"
    ") WITHOUT ROWID;"

    /* Registered poor households (建档立卡贫困户), one plan each. */
    "CREATE TABLE household ("
    "  id                TEXT PRIMARY KEY,"
    "  village           INTEGER NOT NULL REFERENCES division(code),"
    "  head_id_number    TEXT,"
    "  members           INTEGER NOT NULL CHECK (members > 0),"
    "  cause             TEXT NOT NULL,"
    "  income_per_capita INTEGER," /* fen per person per year */
    "  status            TEXT NOT NULL DEFAULT 'poor' CHECK (status IN "
    "('poor','exited','at_risk')),"
    "  poverty_year      INTEGER,"
    "  demo              INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX household_village ON household(village);"
    "CREATE TABLE household_plan ("
    "  household   TEXT PRIMARY KEY REFERENCES household(id) ON DELETE CASCADE,"
    "  measures    TEXT NOT NULL DEFAULT '',"     /* 一户一策: the measures */
    "  responsible INTEGER REFERENCES cadre(id)," /* 帮扶责任人 */
    "  approved    INTEGER NOT NULL DEFAULT 0,"   /* review levels passed (0-5) */
    "  updated_at  TEXT"
    ");";

/* Postings (驻村任职): who serves where, so that eligibility can refuse a
 * cadre who is already serving. A plan that is published writes rows here. */
static const char schema_v2[] =
    "CREATE TABLE posting ("
    "  cadre      INTEGER NOT NULL REFERENCES cadre(id) ON DELETE CASCADE,"
    "  village    INTEGER REFERENCES division(code),"
    "  role       TEXT NOT NULL DEFAULT 'member'"
    "             CHECK (role IN ('first_secretary','leader','member')),"
    "  start_date TEXT NOT NULL," /* YYYY-MM-DD */
    "  end_date   TEXT,"          /* YYYY-MM-DD, NULL while serving */
    "  PRIMARY KEY (cadre, start_date)"
    ");"
    "CREATE INDEX posting_village ON posting(village);";

/* Plans (选派方案): a draft from `zhucun match`, its slots with the cadre
 * chosen and the score broken down by rule, cadres not sent with the binding
 * reason, the dispatch order (选派命令) that publishes it, and recalls
 * (召回撤换). plan_slot.state tracks the roster: draft rows, then serving or
 * vacant once published, replaced when a later refill takes the slot over. */
static const char schema_v3[] =
    "CREATE TABLE plan ("
    "  id          INTEGER PRIMARY KEY,"
    "  kind        TEXT NOT NULL DEFAULT 'match' CHECK (kind IN ('match','refill')),"
    "  status      TEXT NOT NULL DEFAULT 'draft'"
    "              CHECK (status IN ('draft','published','discarded')),"
    "  created_at  TEXT NOT NULL," /* YYYY-MM-DD */
    "  policy_name TEXT NOT NULL,"
    "  policy_text TEXT NOT NULL," /* the policy file as used, for explain */
    "  scope       INTEGER,"       /* division code, NULL = everywhere */
    "  objective   INTEGER NOT NULL,"
    "  slots       INTEGER NOT NULL,"
    "  filled      INTEGER NOT NULL,"
    "  cadres      INTEGER NOT NULL,"           /* eligible cadres in the model */
    "  moves       INTEGER NOT NULL DEFAULT 0," /* published cadres moved (refill) */
    "  seconds     REAL"                        /* build + solve */
    ");"
    "CREATE TABLE plan_slot ("
    "  plan      INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,"
    "  village   INTEGER NOT NULL REFERENCES division(code),"
    "  seq       INTEGER NOT NULL," /* slot number within the village team, from 1 */
    "  role      TEXT NOT NULL"
    "            CHECK (role IN ('first_secretary','leader','stability','need','member')),"
    "  need      TEXT,"                         /* skill code of a need slot */
    "  cadre     INTEGER REFERENCES cadre(id)," /* NULL = unfilled */
    "  score     INTEGER,"                      /* fit, higher is better */
    "  breakdown TEXT,"                         /* 'department=30;distance=-2' */
    "  reason    TEXT,"    /* unfilled: no_candidate, taken, unit_cap, county_quota */
    "  dual      INTEGER," /* the slot's price in the solution */
    "  state     TEXT NOT NULL DEFAULT 'draft'"
    "            CHECK (state IN ('draft','serving','vacant','replaced')),"
    "  PRIMARY KEY (plan, village, seq)"
    ");"
    "CREATE INDEX plan_slot_cadre ON plan_slot(cadre);"
    "CREATE INDEX plan_slot_village ON plan_slot(village, seq);"
    "CREATE TABLE plan_cadre ("
    "  plan   INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,"
    "  cadre  INTEGER NOT NULL REFERENCES cadre(id) ON DELETE CASCADE,"
    "  reason TEXT NOT NULL," /* not sent: no_candidate, not_needed, unit_cap, spouse */
    "  detail TEXT,"
    "  PRIMARY KEY (plan, cadre)"
    ");"
    "CREATE TABLE dispatch_order ("
    "  plan         INTEGER PRIMARY KEY REFERENCES plan(id),"
    "  number       TEXT NOT NULL UNIQUE," /* e.g. 'ZC-2026-0001' */
    "  published_at TEXT NOT NULL,"
    "  term_years   INTEGER NOT NULL CHECK (term_years BETWEEN 1 AND 3),"
    "  start_date   TEXT NOT NULL,"
    "  end_date     TEXT NOT NULL" /* planned end of the term */
    ");"
    "CREATE TABLE recall ("
    "  id       INTEGER PRIMARY KEY,"
    "  cadre    INTEGER NOT NULL REFERENCES cadre(id) ON DELETE CASCADE,"
    "  village  INTEGER REFERENCES division(code),"
    "  plan     INTEGER REFERENCES plan(id),"
    "  role     TEXT,"
    "  date     TEXT NOT NULL,"
    "  reason   TEXT NOT NULL DEFAULT ''"
    ");";

/* Accounts, sessions, login throttling and the audit record (issue 4).
 * Sessions hold only the BLAKE2b digest of their token. audit_log is
 * append-only: triggers refuse UPDATE and DELETE (an attacker with the file
 * can drop them; the hash chain still shows what they did), and audit_head
 * repeats the newest entry so that cutting the tail is detected too. */
static const char schema_v4[] =
    "CREATE TABLE account ("
    "  id          INTEGER PRIMARY KEY,"
    "  name        TEXT NOT NULL UNIQUE,"
    "  role        TEXT NOT NULL CHECK (role IN ('province','city','county','township',"
    "'inspector','cadre','auditor','admin')),"
    "  scope       INTEGER NOT NULL DEFAULT 0,"   /* 12-digit division code, 0 = all */
    "  scope_level INTEGER NOT NULL DEFAULT 0,"   /* 1..5, 0 = everywhere */
    "  cadre       INTEGER REFERENCES cadre(id)," /* cadre accounts */
    "  password    TEXT NOT NULL,"                /* argon2id string */
    "  disabled    INTEGER NOT NULL DEFAULT 0,"
    "  created_at  TEXT NOT NULL"
    ");"
    "CREATE TABLE account_session ("
    "  digest  TEXT PRIMARY KEY," /* hex BLAKE2b-256 of the token */
    "  account INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,"
    "  csrf    TEXT NOT NULL,"    /* double-submit token */
    "  created INTEGER NOT NULL," /* unix seconds */
    "  expires INTEGER NOT NULL,"
    "  addr    TEXT NOT NULL DEFAULT ''"
    ");"
    "CREATE INDEX account_session_account ON account_session(account);"
    "CREATE TABLE login_throttle ("
    "  key      TEXT PRIMARY KEY," /* 'user:NAME' or 'addr:ADDRESS' */
    "  failures INTEGER NOT NULL,"
    "  since    INTEGER NOT NULL" /* start of the window, unix seconds */
    ");"
    "CREATE TABLE audit_log ("
    "  seq      INTEGER PRIMARY KEY,"
    "  at       TEXT NOT NULL,"
    "  actor    TEXT NOT NULL,"
    "  addr     TEXT NOT NULL,"
    "  action   TEXT NOT NULL,"
    "  target   TEXT NOT NULL,"
    "  division INTEGER NOT NULL DEFAULT 0," /* what the entry concerns, for scoped reads */
    "  old_json TEXT,"
    "  new_json TEXT,"
    "  prev     TEXT NOT NULL,"
    "  hash     TEXT NOT NULL"
    ");"
    "CREATE INDEX audit_log_division ON audit_log(division);"
    "CREATE TABLE audit_head ("
    "  id   INTEGER PRIMARY KEY CHECK (id = 1),"
    "  seq  INTEGER NOT NULL,"
    "  hash TEXT NOT NULL"
    ");";
/* The append-only triggers of v4, in each back end's trigger language. */
static const char schema_v4_sqlite[] =
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;";
static const char schema_v4_pg[] =
    "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$BEGIN RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'restrict_violation'; "
    "END$$;"
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();"
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();"
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();"
    /* The jurisdiction guard of the HTTP writes (src/http/scope.c). SQLite
     * gets a TEMP TRIGGER per request; PostgreSQL has no temporary triggers,
     * so these are permanent and read the guard from the session setting
     * zhucun.scope = 'TABLE:LO:HI' ('' or unset: no guard). */
    "CREATE FUNCTION zc_scope_check() RETURNS trigger LANGUAGE plpgsql AS $$"
    "DECLARE g text := coalesce(current_setting('zhucun.scope', true), ''); "
    "lo bigint; hi bigint; n bigint; o bigint; "
    "BEGIN "
    "IF g = '' OR split_part(g, ':', 1) <> TG_TABLE_NAME THEN RETURN NEW; END IF; "
    "lo := split_part(g, ':', 2)::bigint; hi := split_part(g, ':', 3)::bigint; "
    "IF TG_TABLE_NAME = 'village' THEN n := NEW.code; "
    "  IF TG_OP = 'UPDATE' THEN o := OLD.code; END IF; "
    "ELSIF TG_TABLE_NAME = 'household' THEN n := NEW.village; "
    "  IF TG_OP = 'UPDATE' THEN o := OLD.village; END IF; "
    "ELSIF TG_TABLE_NAME = 'unit' THEN n := coalesce(NEW.division, -1); "
    "  IF TG_OP = 'UPDATE' THEN o := coalesce(OLD.division, -1); END IF; "
    "ELSE n := coalesce((SELECT division FROM unit WHERE code = NEW.unit), -1); "
    "  IF TG_OP = 'UPDATE' THEN "
    "    o := coalesce((SELECT division FROM unit WHERE code = OLD.unit), -1); END IF; "
    "END IF; "
    "IF n NOT BETWEEN lo AND hi OR (o IS NOT NULL AND o NOT BETWEEN lo AND hi) THEN "
    "  RAISE EXCEPTION 'zc_out_of_scope' USING ERRCODE = 'restrict_violation'; "
    "END IF; "
    "RETURN NEW; "
    "END$$;"
    "CREATE TRIGGER zc_scope BEFORE INSERT OR UPDATE ON village "
    "FOR EACH ROW EXECUTE FUNCTION zc_scope_check();"
    "CREATE TRIGGER zc_scope BEFORE INSERT OR UPDATE ON household "
    "FOR EACH ROW EXECUTE FUNCTION zc_scope_check();"
    "CREATE TRIGGER zc_scope BEFORE INSERT OR UPDATE ON unit "
    "FOR EACH ROW EXECUTE FUNCTION zc_scope_check();"
    "CREATE TRIGGER zc_scope BEFORE INSERT OR UPDATE ON cadre "
    "FOR EACH ROW EXECUTE FUNCTION zc_scope_check();";

/* Field work (管, src/field): the geofence radius of a village, the place
 * of a sending unit (for "seen at home on a village day"), check-ins with
 * the evidence derived from them, leave and official trips (请销假), diary
 * entries and household visits with every earlier version kept, dismissed
 * cases and contested days. Times are the village's local time (UTC+8) as
 * 'YYYY-MM-DD HH:MM:SS'; positions WGS-84. */
static const char schema_v5[] =
    "ALTER TABLE village ADD COLUMN radius_m INTEGER;"
    "ALTER TABLE unit ADD COLUMN lat REAL;"
    "ALTER TABLE unit ADD COLUMN lng REAL;"
    "CREATE TABLE checkin ("
    "  id             INTEGER PRIMARY KEY,"
    "  cadre          INTEGER NOT NULL REFERENCES cadre(id) ON DELETE CASCADE,"
    "  village        INTEGER REFERENCES division(code)," /* stationed there at the time */
    "  at             TEXT NOT NULL,"                     /* captured, local time */
    "  lat            REAL,"
    "  lng            REAL,"
    "  accuracy_m     REAL,"
    "  device         TEXT NOT NULL DEFAULT '',"
    "  source         TEXT NOT NULL CHECK (source IN ('phone','import','api','demo')),"
    "  client_id      TEXT UNIQUE,"                /* idempotent resend */
    "  result         TEXT NOT NULL DEFAULT '',"   /* an attendance export's 打卡结果 */
    "  place          TEXT NOT NULL DEFAULT '',"   /* 打卡地址 */
    "  photo          TEXT,"                       /* content hash of the photo, if any */
    "  inside         INTEGER,"                    /* 1 in the geofence, 0 outside, NULL unknown */
    "  distance_m     REAL,"                       /* from the village centre */
    "  weak           INTEGER NOT NULL DEFAULT 0," /* accuracy worse than the policy's */
    "  speed_kmh      REAL,"                       /* from the cadre's previous point */
    "  device_changed INTEGER NOT NULL DEFAULT 0,"
    "  signed         INTEGER NOT NULL DEFAULT 0," /* verified with the device's key */
    "  synced_at      TEXT NOT NULL,"
    "  demo           INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX checkin_cadre_at ON checkin(cadre, at);"
    "CREATE INDEX checkin_at ON checkin(at);"
    "CREATE TABLE field_leave ("
    "  id            INTEGER PRIMARY KEY,"
    "  cadre         INTEGER NOT NULL REFERENCES cadre(id) ON DELETE CASCADE,"
    "  kind          TEXT NOT NULL CHECK (kind IN ('leave','trip','meeting')),"
    "  start_date    TEXT NOT NULL,"
    "  end_date      TEXT NOT NULL,"
    "  days          INTEGER NOT NULL,"
    "  reason        TEXT NOT NULL DEFAULT '',"
    "  approver      TEXT NOT NULL," /* township, county, city, province (policy chain) */
    "  status        TEXT NOT NULL DEFAULT 'pending'"
    "                CHECK (status IN ('pending','approved','rejected','cancelled')),"
    "  decided_by    TEXT,"
    "  decided_at    TEXT,"
    "  decision_note TEXT,"
    "  returned_date TEXT," /* 销假: the day back, ending the leave early or late */
    "  requested_by  TEXT NOT NULL,"
    "  requested_at  TEXT NOT NULL,"
    "  demo          INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX field_leave_cadre ON field_leave(cadre, start_date);"
    "CREATE TABLE field_entry ("
    "  id         INTEGER PRIMARY KEY,"
    "  cadre      INTEGER NOT NULL REFERENCES cadre(id) ON DELETE CASCADE,"
    "  village    INTEGER REFERENCES division(code),"
    "  kind       TEXT NOT NULL CHECK (kind IN ('diary','visit')),"
    "  day        TEXT NOT NULL,"                 /* the day described */
    "  household  TEXT REFERENCES household(id)," /* visits */
    "  text       TEXT NOT NULL,"
    "  lat        REAL,"
    "  lng        REAL,"
    "  inside     INTEGER,"
    "  client_id  TEXT UNIQUE,"
    "  version    INTEGER NOT NULL DEFAULT 1,"
    "  created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL,"
    "  demo       INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX field_entry_cadre_day ON field_entry(cadre, day);"
    "CREATE TABLE field_entry_version ("
    "  entry     INTEGER NOT NULL REFERENCES field_entry(id) ON DELETE CASCADE,"
    "  version   INTEGER NOT NULL,"
    "  text      TEXT NOT NULL,"
    "  household TEXT,"
    "  saved_at  TEXT NOT NULL,"
    "  PRIMARY KEY (entry, version)"
    ");"
    "CREATE TABLE field_contest (" /* a cadre contests a day of the ledger */
    "  id         INTEGER PRIMARY KEY,"
    "  cadre      INTEGER NOT NULL REFERENCES cadre(id) ON DELETE CASCADE,"
    "  day        TEXT NOT NULL,"
    "  reason     TEXT NOT NULL,"
    "  status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','accepted','rejected')),"
    "  decided_by TEXT,"
    "  decided_at TEXT,"
    "  note       TEXT,"
    "  created_at TEXT NOT NULL,"
    "  UNIQUE (cadre, day)"
    ");"
    "CREATE TABLE field_case_dismissal ("
    "  cadre  INTEGER NOT NULL REFERENCES cadre(id) ON DELETE CASCADE,"
    "  day    TEXT NOT NULL,"
    "  rule   TEXT NOT NULL,"
    "  reason TEXT NOT NULL,"
    "  by     TEXT NOT NULL,"
    "  at     TEXT NOT NULL,"
    "  PRIMARY KEY (cadre, day, rule)"
    ");";

/* Supervision and assessment (issue 13, src/assess): inspection samples
 * (recorded with their seed, one per scope and month, so nobody redraws
 * until a sample suits them), inspections and their findings, the ticket
 * each finding opens (交办 -> 整改 -> 复核 -> 销号), the monthly negative list,
 * ladder steps with appeals, quarterly tasks, annual grade proposals with
 * their calibration, and fund spending. Money in fen. */
static const char schema_v6[] =
    "CREATE TABLE inspection_sample ("
    "  id         INTEGER PRIMARY KEY,"
    "  scope      INTEGER NOT NULL," /* division code drawn over (0 = everywhere) */
    "  month      TEXT NOT NULL,"    /* YYYY-MM */
    "  seed       INTEGER NOT NULL,"
    "  count      INTEGER NOT NULL,"
    "  population INTEGER NOT NULL," /* cadres it was drawn from */
    "  drawn_by   TEXT NOT NULL,"
    "  drawn_at   TEXT NOT NULL,"
    "  UNIQUE (scope, month)"
    ");"
    "CREATE TABLE inspection_sample_item ("
    "  sample  INTEGER NOT NULL REFERENCES inspection_sample(id) ON DELETE CASCADE,"
    "  rank    INTEGER NOT NULL,"
    "  cadre   INTEGER NOT NULL REFERENCES cadre(id),"
    "  village INTEGER NOT NULL,"
    "  weight  INTEGER NOT NULL,"
    "  why     TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY (sample, rank)"
    ");"
    "CREATE TABLE inspection ("
    "  id         INTEGER PRIMARY KEY,"
    "  village    INTEGER NOT NULL REFERENCES division(code),"
    "  cadre      INTEGER REFERENCES cadre(id)," /* the person inspected, or NULL: the team */
    "  sample     INTEGER REFERENCES inspection_sample(id),"
    "  method     TEXT NOT NULL CHECK (method IN ('open','unannounced','random_call',"
    "             'documents','questions','questionnaire')),"
    "  day        TEXT NOT NULL,"
    "  inspectors TEXT NOT NULL," /* names, ',' separated */
    "  note       TEXT NOT NULL DEFAULT '',"
    "  created_by TEXT NOT NULL,"
    "  created_at TEXT NOT NULL"
    ");"
    "CREATE INDEX inspection_village ON inspection(village, day);"
    "CREATE TABLE finding ("
    "  id         INTEGER PRIMARY KEY,"
    "  inspection INTEGER NOT NULL REFERENCES inspection(id),"
    "  cadre      INTEGER REFERENCES cadre(id),"
    "  village    INTEGER NOT NULL,"
    "  rule       TEXT NOT NULL," /* the rule broken: attendance, visits, diary, plan ... */
    "  text       TEXT NOT NULL,"
    "  evidence   TEXT NOT NULL DEFAULT '',"
    "  day        TEXT NOT NULL"
    ");"
    "CREATE INDEX finding_cadre ON finding(cadre, day);"
    "CREATE TABLE ticket ("
    "  id          INTEGER PRIMARY KEY,"
    "  finding     INTEGER NOT NULL UNIQUE REFERENCES finding(id),"
    "  assignee    INTEGER REFERENCES cadre(id)," /* who must fix it */
    "  deadline    TEXT NOT NULL,"
    "  status      TEXT NOT NULL DEFAULT 'open'"
    "              CHECK (status IN ('open','fixed','closed','reopened')),"
    "  fix_text    TEXT NOT NULL DEFAULT '',"
    "  fix_evidence TEXT NOT NULL DEFAULT '',"
    "  fixed_at    TEXT,"
    "  checked_by  TEXT,"
    "  checked_at  TEXT,"
    "  check_note  TEXT NOT NULL DEFAULT '',"
    "  closed_at   TEXT"
    ");"
    "CREATE TABLE negative_entry ("
    "  id         INTEGER PRIMARY KEY,"
    "  cadre      INTEGER NOT NULL REFERENCES cadre(id),"
    "  village    INTEGER NOT NULL,"
    "  month      TEXT NOT NULL,"
    "  source     TEXT NOT NULL CHECK (source IN ('rule','manual')),"
    "  rule       TEXT NOT NULL," /* short_days, case, diary, overdue_ticket, finding, manual */
    "  detail     TEXT NOT NULL,"
    "  created_by TEXT NOT NULL,"
    "  created_at TEXT NOT NULL"
    ");"
    "CREATE INDEX negative_entry_month ON negative_entry(month, cadre);"
    "CREATE TABLE ladder_step ("
    "  id          INTEGER PRIMARY KEY,"
    "  cadre       INTEGER NOT NULL REFERENCES cadre(id),"
    "  village     INTEGER NOT NULL,"
    "  step        TEXT NOT NULL CHECK (step IN ('study','talk','penalty')),"
    "  month       TEXT NOT NULL,"    /* the month whose list proposed it */
    "  months      INTEGER NOT NULL," /* months on the list in the window */
    "  status      TEXT NOT NULL DEFAULT 'proposed'"
    "              CHECK (status IN ('proposed','appealed','confirmed','withdrawn')),"
    "  appeal      TEXT NOT NULL DEFAULT '',"
    "  appealed_at TEXT,"
    "  sanction    TEXT NOT NULL DEFAULT '',"
    "  decided_by  TEXT,"
    "  decided_at  TEXT,"
    "  note        TEXT NOT NULL DEFAULT '',"
    "  created_at  TEXT NOT NULL"
    ");"
    "CREATE INDEX ladder_step_cadre ON ladder_step(cadre, month);"
    "CREATE TABLE assess_task ("
    "  id       INTEGER PRIMARY KEY,"
    "  village  INTEGER NOT NULL REFERENCES division(code),"
    "  quarter  TEXT NOT NULL," /* YYYY-Qn */
    "  text     TEXT NOT NULL,"
    "  due      TEXT NOT NULL,"
    "  done_at  TEXT,"
    "  evidence TEXT NOT NULL DEFAULT '',"
    "  created_by TEXT NOT NULL"
    ");"
    "CREATE INDEX assess_task_village ON assess_task(village, due);"
    "CREATE TABLE assess_grade ("
    "  cadre      INTEGER NOT NULL REFERENCES cadre(id),"
    "  year       INTEGER NOT NULL,"
    "  county     INTEGER NOT NULL,"
    "  score      REAL NOT NULL,"
    "  proposed   TEXT NOT NULL,"
    "  grade      TEXT NOT NULL CHECK (grade IN ('优秀','称职','基本称职','不称职')),"
    "  reason     TEXT NOT NULL DEFAULT '',"
    "  changed_by TEXT,"
    "  confirmed_at TEXT,"
    "  PRIMARY KEY (cadre, year)"
    ");"
    "CREATE TABLE fund_entry ("
    "  id         INTEGER PRIMARY KEY,"
    "  village    INTEGER NOT NULL REFERENCES division(code),"
    "  kind       TEXT NOT NULL CHECK (kind IN ('work','industry')),"
    "  day        TEXT NOT NULL,"
    "  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),"
    "  note       TEXT NOT NULL,"
    "  created_by TEXT NOT NULL,"
    "  created_at TEXT NOT NULL"
    ");"
    "CREATE INDEX fund_entry_village ON fund_entry(village, day);";

/* Household members (issue 14): one row per person of a registered poor
 * household, keyed by the ID number (masked on export unless --unmask). */
static const char schema_v7[] =
    "CREATE TABLE household_member ("
    "  id_number    TEXT PRIMARY KEY,"
    "  household    TEXT NOT NULL REFERENCES household(id) ON DELETE CASCADE,"
    "  name         TEXT NOT NULL,"
    "  relation     TEXT NOT NULL," /* 户主, 配偶, 子女, 父母 ... */
    "  gender       TEXT,"
    "  birth_date   TEXT,"
    "  education    TEXT,"
    "  health       TEXT NOT NULL," /* 健康, 长期慢性病, 大病, 残疾 */
    "  work_ability TEXT NOT NULL,"
    "  student      TEXT,"
    "  demo         INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX household_member_household ON household_member(household);";

/* Yearly status per registered poor household (issue 14): 贫困, 脱贫, 返贫,
 * 监测 (边缘易致贫), with the income and the six checks of 两不愁三保障 each
 * recorded (1 met, 0 not, NULL not checked) and the evidence. */
static const char schema_v8[] =
    "CREATE TABLE household_status ("
    "  household  TEXT NOT NULL REFERENCES household(id) ON DELETE CASCADE,"
    "  year       INTEGER NOT NULL,"
    "  status     TEXT NOT NULL CHECK (status IN ('poor','exited','returned','watch')),"
    "  income_fen INTEGER," /* per person per year */
    "  food INTEGER, clothing INTEGER, education INTEGER, medical INTEGER, housing INTEGER,"
    "  water INTEGER,"
    "  evidence   TEXT NOT NULL DEFAULT '',"
    "  by         TEXT NOT NULL,"
    "  at         TEXT NOT NULL,"
    "  PRIMARY KEY (household, year)"
    ");";

/* Postings keep the slot's role (issue 18: 综治维稳 and 专业需求 members were
 * published as 队员), and a need slot its skill. SQLite cannot change a
 * CHECK, so the table is rebuilt with its rows and index. */
static const char schema_v9[] =
    "CREATE TABLE posting_v9 ("
    "  cadre      INTEGER NOT NULL REFERENCES cadre(id) ON DELETE CASCADE,"
    "  village    INTEGER REFERENCES division(code),"
    "  role       TEXT NOT NULL DEFAULT 'member'"
    "             CHECK (role IN ('first_secretary','leader','stability','need','member')),"
    "  start_date TEXT NOT NULL,"
    "  end_date   TEXT,"
    "  need       TEXT," /* skill code of a need post */
    "  PRIMARY KEY (cadre, start_date)"
    ");"
    "INSERT INTO posting_v9 (cadre, village, role, start_date, end_date) "
    "SELECT cadre, village, role, start_date, end_date FROM posting;"
    "DROP TABLE posting;"
    "ALTER TABLE posting_v9 RENAME TO posting;"
    "CREATE INDEX posting_village ON posting(village);";

/* Helping the households precisely (精准帮扶, issue 14, src/aid): the causes
 * of poverty (致贫原因, several per household; household.cause stays the
 * main one), one plan per household (一户一策) whose measures are records,
 * the plan's versions (a changed plan goes round the review again; each
 * version's measures are kept as text), the five-level review as ordered
 * records, and the responsible cadre of each household (帮扶责任人). The
 * v1 household_plan (free-text measures, a counter of levels, never
 * written) is replaced. */
static const char schema_v10[] =
    "DROP TABLE household_plan;"
    "CREATE TABLE household_cause ("
    "  household TEXT NOT NULL REFERENCES household(id) ON DELETE CASCADE,"
    "  cause     TEXT NOT NULL,"
    "  position  INTEGER NOT NULL," /* 0 = the main cause */
    "  PRIMARY KEY (household, cause)"
    ");"
    "CREATE TABLE aid_plan ("
    "  household  TEXT PRIMARY KEY REFERENCES household(id) ON DELETE CASCADE,"
    "  version    INTEGER NOT NULL DEFAULT 1,"
    "  next_level INTEGER NOT NULL DEFAULT 1," /* the level whose sign-off is awaited; 6 = done */
    "  status     TEXT NOT NULL DEFAULT 'draft'"
    "             CHECK (status IN ('draft','in_review','returned','approved')),"
    "  updated_by TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL"
    ");"
    "CREATE INDEX aid_plan_status ON aid_plan(status, next_level);"
    "CREATE TABLE aid_plan_version ("
    "  household TEXT NOT NULL REFERENCES household(id) ON DELETE CASCADE,"
    "  version   INTEGER NOT NULL,"
    "  measures  TEXT NOT NULL," /* one line per measure: kind|description|amount|who|due */
    "  saved_by  TEXT NOT NULL,"
    "  saved_at  TEXT NOT NULL,"
    "  PRIMARY KEY (household, version)"
    ");"
    "CREATE TABLE aid_measure ("
    "  id          INTEGER PRIMARY KEY,"
    "  household   TEXT NOT NULL REFERENCES household(id) ON DELETE CASCADE,"
    "  kind        TEXT NOT NULL," /* 产业 就业 教育 健康 兜底保障 易地搬迁 危房改造 ... */
    "  description TEXT NOT NULL,"
    "  amount_fen  INTEGER CHECK (amount_fen >= 0),"
    "  responsible TEXT NOT NULL DEFAULT '',"
    "  due_date    TEXT,"
    "  status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','done')),"
    "  done_date   TEXT,"
    "  demo        INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX aid_measure_household ON aid_measure(household);"
    "CREATE TABLE aid_review ("
    "  id        INTEGER PRIMARY KEY,"
    "  household TEXT NOT NULL REFERENCES household(id) ON DELETE CASCADE,"
    "  version   INTEGER NOT NULL,"
    "  level     INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),"
    "  decision  TEXT NOT NULL CHECK (decision IN ('approve','return')),"
    "  reason    TEXT NOT NULL DEFAULT '',"
    "  reviewer  TEXT NOT NULL,"
    "  at        TEXT NOT NULL"
    ");"
    "CREATE INDEX aid_review_household ON aid_review(household, version);"
    "CREATE TABLE aid_responsible ("
    "  household TEXT PRIMARY KEY REFERENCES household(id) ON DELETE CASCADE,"
    "  cadre     INTEGER NOT NULL REFERENCES cadre(id),"
    "  basis     TEXT NOT NULL CHECK (basis IN ('team','unit')),"
    "  since     TEXT NOT NULL,"
    "  assigned_by TEXT NOT NULL,"
    "  at        TEXT NOT NULL,"
    "  demo      INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX aid_responsible_cadre ON aid_responsible(cadre);"
    /* The return-to-poverty watch (src/outcome): what the responsible cadre
     * (or the township) did about a watched household in a year. */
    "CREATE TABLE watch_response ("
    "  id        INTEGER PRIMARY KEY,"
    "  household TEXT NOT NULL REFERENCES household(id) ON DELETE CASCADE,"
    "  year      INTEGER NOT NULL,"
    "  response  TEXT NOT NULL,"
    "  responder TEXT NOT NULL,"
    "  at        TEXT NOT NULL"
    ");"
    "CREATE INDEX watch_response_household ON watch_response(household, year);";

/* Logins and the record (issue 17). Throttle state becomes a growing delay:
 * each key counts its failed (and pending) attempts and may not try again
 * before wait_until; the old fixed-window rows are dropped (a running
 * lockout ends at the upgrade). A session remembers its last request for
 * the idle timeout. An audit entry may carry a keyed MAC of its hash. */
static const char schema_v11[] =
    "DROP TABLE login_throttle;"
    "CREATE TABLE login_throttle ("
    "  key        TEXT PRIMARY KEY," /* 'user:NAME' or 'addr:ADDRESS' */
    "  failures   INTEGER NOT NULL," /* attempts counted since the key was last quiet */
    "  last_at    INTEGER NOT NULL," /* unix seconds of the newest counted attempt */
    "  wait_until INTEGER NOT NULL"  /* no attempt is checked before this */
    ");"
    "ALTER TABLE account_session ADD COLUMN seen INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE audit_log ADD COLUMN mac TEXT;";

/* Direct nomination (点将, issue 15): the department pins a named cadre to
 * a village, optionally to a role; every match keeps the pin or refuses
 * with the rule it breaks. One pin per cadre. */
static const char schema_v12[] =
    "CREATE TABLE pin ("
    "  cadre   INTEGER PRIMARY KEY REFERENCES cadre(id) ON DELETE CASCADE,"
    "  village BIGINT NOT NULL REFERENCES division(code),"
    "  role    TEXT CHECK (role IS NULL OR"
    "                      role IN ('first_secretary','leader','stability','need','member')),"
    "  note    TEXT NOT NULL DEFAULT '',"
    "  by      TEXT NOT NULL,"
    "  at      TEXT NOT NULL"
    ");"
    "CREATE INDEX pin_village ON pin(village);";

/* Terms (issue 15): a posting knows when its term ends (the dispatch
 * order's end, or for a refill the rest of the term it takes over), and a
 * term extended (不脱贫不脱钩) is recorded with the old and new end. */
static const char schema_v13[] = "ALTER TABLE posting ADD COLUMN term_end TEXT;"
                                 "CREATE TABLE term_change ("
                                 "  id      INTEGER PRIMARY KEY,"
                                 "  plan    INTEGER NOT NULL REFERENCES plan(id),"
                                 "  kind    TEXT NOT NULL CHECK (kind IN ('extend')),"
                                 "  old_end TEXT NOT NULL,"
                                 "  new_end TEXT NOT NULL,"
                                 "  reason  TEXT NOT NULL DEFAULT '',"
                                 "  by      TEXT NOT NULL,"
                                 "  at      TEXT NOT NULL"
                                 ");";

/* Field work, the rest of issue 12: photos as evidence of a check-in,
 * stored once by their content hash (SHA-256, hex) with the cadres who
 * uploaded them, and the field policy a county picks for a division (its
 * text kept as used, like a plan's). */
static const char schema_v15[] =
    "CREATE TABLE field_photo ("
    "  hash       TEXT PRIMARY KEY," /* SHA-256 of the bytes, 64 hex digits */
    "  mime       TEXT NOT NULL CHECK (mime IN ('image/jpeg','image/png')),"
    "  bytes      INTEGER NOT NULL,"
    "  data       TEXT NOT NULL," /* the bytes, base64 */
    "  created_at TEXT NOT NULL"
    ");"
    "CREATE TABLE field_photo_owner ("
    "  hash        TEXT NOT NULL REFERENCES field_photo(hash),"
    "  cadre       INTEGER NOT NULL REFERENCES cadre(id),"
    "  uploaded_at TEXT NOT NULL,"
    "  PRIMARY KEY (hash, cadre)"
    ");"
    "CREATE INDEX checkin_photo ON checkin(photo);"
    "CREATE TABLE field_policy_choice ("
    "  division    BIGINT PRIMARY KEY," /* the division it applies to, and below */
    "  level       INTEGER NOT NULL,"   /* 1 province .. 5 village */
    "  policy_name TEXT NOT NULL,"
    "  policy_text TEXT NOT NULL,"
    "  plan        INTEGER REFERENCES plan(id)," /* taken from this plan, or NULL */
    "  by          TEXT NOT NULL,"
    "  at          TEXT NOT NULL"
    ");"
    /* Notices to a cadre (a ladder step proposed for them): shown on their
     * phone page until they mark them read. */
    "CREATE TABLE notice ("
    "  id         INTEGER PRIMARY KEY,"
    "  cadre      INTEGER NOT NULL REFERENCES cadre(id),"
    "  kind       TEXT NOT NULL," /* ladder */
    "  ref        INTEGER,"       /* the ladder step */
    "  text       TEXT NOT NULL,"
    "  created_at TEXT NOT NULL,"
    "  read_at    TEXT"
    ");"
    "CREATE INDEX notice_cadre ON notice(cadre);"
    "ALTER TABLE field_entry ADD COLUMN photo TEXT;"; /* a visit's photo, by hash */

/* Posts above the village (挂职, issue 15; seed 002's 十百千): seats at a
 * county or a township (县区委副书记(挂职), 镇党委副书记) with what their
 * holders need (the lowest rank, the lowest sending level, party
 * membership, a skill) and their term. A post's seats are slots of the
 * plan like a village team's (plan_slot.village is the post's division,
 * role 'post', plan_slot.post the post) and publish as postings (role
 * 'post', posting.post), so recall, refill and terms work for both.
 * SQLite cannot change a CHECK: plan_slot and posting are rebuilt with
 * their rows and indexes. post ids are kept without a foreign key, for the
 * record, once a post is removed. */
static const char schema_v16[] =
    "CREATE TABLE post ("
    "  id           INTEGER PRIMARY KEY,"
    "  code         TEXT NOT NULL UNIQUE,"                      /* 岗位编号, the natural key */
    "  division     BIGINT NOT NULL REFERENCES division(code)," /* a county or township */
    "  title        TEXT NOT NULL,"                             /* 县委副书记(挂职) */
    "  seats        INTEGER NOT NULL DEFAULT 1 CHECK (seats BETWEEN 1 AND 99),"
    "  min_rank     TEXT," /* 副处 ...; NULL = any */
    "  send_level   TEXT CHECK (send_level IS NULL OR"
    "               send_level IN ('province','city','county','township')),"
    "  party_member INTEGER NOT NULL DEFAULT 0,"
    "  skill        TEXT REFERENCES skill(code),"
    "  term_start   TEXT," /* YYYY-MM-DD */
    "  term_end     TEXT,"
    "  demo         INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE INDEX post_division ON post(division);"
    "CREATE TABLE plan_slot_v16 ("
    "  plan      INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,"
    "  village   INTEGER NOT NULL REFERENCES division(code),"
    "  seq       INTEGER NOT NULL,"
    "  role      TEXT NOT NULL"
    "            CHECK (role IN ('first_secretary','leader','stability','need','member','post')),"
    "  need      TEXT,"
    "  cadre     INTEGER REFERENCES cadre(id),"
    "  score     INTEGER,"
    "  breakdown TEXT,"
    "  reason    TEXT,"
    "  dual      INTEGER,"
    "  state     TEXT NOT NULL DEFAULT 'draft'"
    "            CHECK (state IN ('draft','serving','vacant','replaced')),"
    "  post      INTEGER," /* post.id of a 'post' slot */
    "  PRIMARY KEY (plan, village, seq)"
    ");"
    "INSERT INTO plan_slot_v16 (plan, village, seq, role, need, cadre, score, breakdown, reason,"
    " dual, state) SELECT plan, village, seq, role, need, cadre, score, breakdown, reason, dual,"
    " state FROM plan_slot;"
    "DROP TABLE plan_slot;"
    "ALTER TABLE plan_slot_v16 RENAME TO plan_slot;"
    "CREATE INDEX plan_slot_cadre ON plan_slot(cadre);"
    "CREATE INDEX plan_slot_village ON plan_slot(village, seq);"
    "CREATE TABLE posting_v16 ("
    "  cadre      INTEGER NOT NULL REFERENCES cadre(id) ON DELETE CASCADE,"
    "  village    INTEGER REFERENCES division(code),"
    "  role       TEXT NOT NULL DEFAULT 'member'"
    "             CHECK (role IN ('first_secretary','leader','stability','need','member','post')),"
    "  start_date TEXT NOT NULL,"
    "  end_date   TEXT,"
    "  need       TEXT,"
    "  term_end   TEXT,"
    "  post       INTEGER," /* post.id of a post posting (挂职) */
    "  PRIMARY KEY (cadre, start_date)"
    ");"
    "INSERT INTO posting_v16 (cadre, village, role, start_date, end_date, need, term_end) "
    "SELECT cadre, village, role, start_date, end_date, need, term_end FROM posting;"
    "DROP TABLE posting;"
    "ALTER TABLE posting_v16 RENAME TO posting;"
    "CREATE INDEX posting_village ON posting(village);"
    "CREATE INDEX posting_post ON posting(post);";

/* The rest of issues 12 and 13: accounts of a
 * sending unit (派出单位, role 'unit': its staff see the leave and returns of
 * the cadres it sent, nothing else), and each ticket's history (交办 ->
 * 整改 -> 复核 -> 销号, every change with its actor, time and note), the
 * tickets made before v17 given the events their columns still show. The
 * role CHECK changes: one text per back end below. */
static const char schema_v17[] =
    "CREATE TABLE ticket_event ("
    "  id       INTEGER PRIMARY KEY,"
    "  ticket   INTEGER NOT NULL REFERENCES ticket(id),"
    "  action   TEXT NOT NULL CHECK (action IN ('assigned','fixed','closed','reopened')),"
    "  status   TEXT NOT NULL," /* the ticket's status after it */
    "  actor    TEXT NOT NULL,"
    "  day      TEXT NOT NULL," /* the day it happened, as stated */
    "  at       TEXT NOT NULL," /* when it was recorded, local time */
    "  note     TEXT NOT NULL DEFAULT '',"
    "  evidence TEXT NOT NULL DEFAULT ''"
    ");"
    "CREATE INDEX ticket_event_ticket ON ticket_event(ticket, id);"
    /* A visit's photo is looked up by hash (who may see it, whether a
     * record still carries it): as checkin_photo does for check-ins. */
    "CREATE INDEX field_entry_photo ON field_entry(photo);"
    "INSERT INTO ticket_event (ticket, action, status, actor, day, at) "
    "SELECT t.id, 'assigned', 'open', i.created_by, i.day, i.created_at FROM ticket t "
    "JOIN finding f ON f.id = t.finding JOIN inspection i ON i.id = f.inspection ORDER BY t.id;"
    "INSERT INTO ticket_event (ticket, action, status, actor, day, at, note, evidence) "
    "SELECT id, 'fixed', 'fixed', '', fixed_at, fixed_at, fix_text, fix_evidence FROM ticket "
    "WHERE fixed_at IS NOT NULL ORDER BY id;"
    "INSERT INTO ticket_event (ticket, action, status, actor, day, at, note) "
    "SELECT id, CASE WHEN status = 'closed' THEN 'closed' ELSE 'reopened' END, "
    "CASE WHEN status = 'closed' THEN 'closed' ELSE 'reopened' END, coalesce(checked_by, ''), "
    "checked_at, checked_at, check_note FROM ticket WHERE checked_at IS NOT NULL ORDER BY id;";

/* SQLite cannot change a CHECK: the account table is rebuilt, its sessions
 * kept aside meanwhile (dropping account with the sessions still pointing at
 * it would cascade and end them). */
static const char schema_v17_sqlite[] =
    "CREATE TABLE account_v17 ("
    "  id          INTEGER PRIMARY KEY,"
    "  name        TEXT NOT NULL UNIQUE,"
    "  role        TEXT NOT NULL CHECK (role IN ('province','city','county','township',"
    "'inspector','cadre','auditor','admin','unit')),"
    "  scope       INTEGER NOT NULL DEFAULT 0,"
    "  scope_level INTEGER NOT NULL DEFAULT 0,"
    "  cadre       INTEGER REFERENCES cadre(id),"
    "  password    TEXT NOT NULL,"
    "  disabled    INTEGER NOT NULL DEFAULT 0,"
    "  created_at  TEXT NOT NULL,"
    "  unit        TEXT REFERENCES unit(code)" /* a unit account's unit */
    ");"
    "INSERT INTO account_v17 (id, name, role, scope, scope_level, cadre, password, disabled, "
    "created_at) SELECT id, name, role, scope, scope_level, cadre, password, disabled, "
    "created_at FROM account;"
    "CREATE TABLE account_session_v17 AS SELECT digest, account, csrf, created, expires, addr, "
    "seen FROM account_session;"
    "DROP TABLE account_session;"
    "DROP TABLE account;"
    "ALTER TABLE account_v17 RENAME TO account;"
    "CREATE TABLE account_session ("
    "  digest  TEXT PRIMARY KEY,"
    "  account INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,"
    "  csrf    TEXT NOT NULL,"
    "  created INTEGER NOT NULL,"
    "  expires INTEGER NOT NULL,"
    "  addr    TEXT NOT NULL DEFAULT '',"
    "  seen    INTEGER NOT NULL DEFAULT 0"
    ");"
    "INSERT INTO account_session SELECT digest, account, csrf, created, expires, addr, seen "
    "FROM account_session_v17;"
    "DROP TABLE account_session_v17;"
    "CREATE INDEX account_session_account ON account_session(account);";
static const char schema_v17_pg[] =
    "ALTER TABLE account DROP CONSTRAINT account_role_check;"
    "ALTER TABLE account ADD CONSTRAINT account_role_check CHECK (role IN ('province','city',"
    "'county','township','inspector','cadre','auditor','admin','unit'));"
    "ALTER TABLE account ADD COLUMN unit TEXT REFERENCES unit(code);";

/* The outcome figures of a province (issue 14: <= 2 s for a million
 * households) read, per village, each household's village, identification
 * year, members and status, and its newest yearly status: covering indexes
 * answer both from the index alone, without a lookup into the table per
 * household (CPU 1.26 -> 0.71 s for 1,000,000 households,
 * bench/households). The new household index replaces the one on village
 * alone (its prefix). */
static const char schema_v18[] =
    "CREATE INDEX household_village_cover ON household(village, poverty_year, id, members, status);"
    "DROP INDEX household_village;"
    "CREATE INDEX household_status_cover ON household_status(household, year, status);";

/* Terms rotated (轮换, issue 15): term_change records a rotation too (kind
 * 'rotate', with the day it took effect), and term_rotation keeps each slot
 * it opened: the village, the cadre who left it (kept out of that village's
 * refill unless kept), so that a refill there serves the new term. The kind
 * CHECK changes: one text per back end below. */
static const char schema_v19[] =
    "CREATE TABLE term_rotation ("
    "  id          INTEGER PRIMARY KEY,"
    "  term_change INTEGER NOT NULL REFERENCES term_change(id),"
    "  plan        INTEGER NOT NULL REFERENCES plan(id)," /* the slot's plan */
    "  village     INTEGER NOT NULL,"
    "  seq         INTEGER NOT NULL,"
    "  role        TEXT NOT NULL,"
    "  cadre       INTEGER REFERENCES cadre(id) ON DELETE SET NULL," /* NULL: it was vacant */
    "  kept        INTEGER NOT NULL DEFAULT 0" /* 1: may take the village again */
    ");"
    "CREATE INDEX term_rotation_village ON term_rotation(village);";
/* SQLite cannot change a CHECK: term_change is rebuilt. */
static const char schema_v19_sqlite[] =
    "CREATE TABLE term_change_v19 ("
    "  id      INTEGER PRIMARY KEY,"
    "  plan    INTEGER NOT NULL REFERENCES plan(id),"
    "  kind    TEXT NOT NULL CHECK (kind IN ('extend','rotate')),"
    "  old_end TEXT NOT NULL,"
    "  new_end TEXT NOT NULL,"
    "  reason  TEXT NOT NULL DEFAULT '',"
    "  by      TEXT NOT NULL,"
    "  at      TEXT NOT NULL,"
    "  day     TEXT" /* a rotation: the day the outgoing postings ended */
    ");"
    "INSERT INTO term_change_v19 (id, plan, kind, old_end, new_end, reason, by, at) "
    "SELECT id, plan, kind, old_end, new_end, reason, by, at FROM term_change;"
    "DROP TABLE term_change;"
    "ALTER TABLE term_change_v19 RENAME TO term_change;";
static const char schema_v19_pg[] =
    "ALTER TABLE term_change DROP CONSTRAINT term_change_kind_check;"
    "ALTER TABLE term_change ADD CONSTRAINT term_change_kind_check CHECK (kind IN "
    "('extend','rotate'));"
    "ALTER TABLE term_change ADD COLUMN day TEXT;";
/* Historical division codes (issue 17): a file of 2014-2020 may carry a
 * county's code abolished or renamed since (450122 武鸣县, now 450110 武鸣区);
 * the import stores today's code and, beside it, the code as the file wrote
 * it (12 digits; the preferred regions as their list), NULL when the code
 * was today's. It stays while the code it belongs to does. */
static const char schema_v20[] = "ALTER TABLE unit ADD COLUMN division_was BIGINT;"
                                 "ALTER TABLE village ADD COLUMN code_was BIGINT;"
                                 "ALTER TABLE cadre ADD COLUMN hometown_was BIGINT;"
                                 "ALTER TABLE cadre ADD COLUMN preferred_was TEXT;"
                                 "ALTER TABLE household ADD COLUMN village_was BIGINT;"
                                 "ALTER TABLE post ADD COLUMN division_was BIGINT;";
/* Supervision and assessment, continued (issue 13):
 * - a "两头跑" case is judged by the county: dismissed (as before) or
 *   confirmed (核实); only a confirmed case puts the cadre on the negative
 *   list. Both verdicts are rows of field_case_dismissal (the earlier rows
 *   are dismissals);
 * - inspection_sample.month holds the period a sample is for: "YYYY-MM",
 *   or "YYYY-MM/1" and "YYYY-MM/2" for the halves of a half_monthly policy
 *   (no change of the table: its UNIQUE (scope, month) is per period);
 * - a quarterly task derived from the village's needs or a household's
 *   plan names its source (need:软, industry:桑蚕, measure:ID), once per
 *   village and quarter; typed tasks keep '';
 * - commendations (表彰), each with its reason. */
static const char schema_v21[] =
    "ALTER TABLE field_case_dismissal ADD COLUMN verdict TEXT NOT NULL DEFAULT 'dismissed' "
    "CHECK (verdict IN ('dismissed','confirmed'));"
    "ALTER TABLE assess_task ADD COLUMN source TEXT NOT NULL DEFAULT '';"
    "CREATE UNIQUE INDEX assess_task_source ON assess_task(village, quarter, source) "
    "WHERE source <> '';"
    "CREATE TABLE commendation ("
    "  id         INTEGER PRIMARY KEY,"
    "  cadre      INTEGER NOT NULL REFERENCES cadre(id),"
    "  village    INTEGER NOT NULL,"
    "  year       INTEGER NOT NULL,"
    "  day        TEXT NOT NULL,"
    "  title      TEXT NOT NULL," /* 优秀第一书记, 脱贫攻坚先进个人 ... */
    "  reason     TEXT NOT NULL,"
    "  created_by TEXT NOT NULL,"
    "  created_at TEXT NOT NULL"
    ");"
    "CREATE INDEX commendation_cadre ON commendation(cadre, year);";

/* Pins to posts and extensions by village (issue 15): a pin may name a
 * post above the village (挂职; pin.village then holds the post's division,
 * pin.post its id, no FK: a removed post's pin is refused by match with
 * words), and an extension (不脱贫不脱钩) records the villages whose term it
 * moved, so that a refill there serves the extended term; the unit
 * responsible for a village (包村), recorded by the department with who
 * and when, which the matching reads before the village's 结对单位. */
static const char schema_v22[] = "ALTER TABLE pin ADD COLUMN post BIGINT;"
                                 "CREATE TABLE term_extension ("
                                 "  term_change INTEGER NOT NULL REFERENCES term_change(id),"
                                 "  village     BIGINT NOT NULL,"
                                 "  PRIMARY KEY (term_change, village)"
                                 ");"
                                 "CREATE INDEX term_extension_village ON term_extension(village);"
                                 "CREATE TABLE village_unit ("
                                 "  village BIGINT PRIMARY KEY REFERENCES village(code) ON DELETE "
                                 "CASCADE,"
                                 "  unit    TEXT NOT NULL REFERENCES unit(code),"
                                 "  note    TEXT NOT NULL DEFAULT '',"
                                 "  by      TEXT NOT NULL,"
                                 "  at      TEXT NOT NULL"
                                 ");";

static const struct store_migration migrations[] = {
    {1, "ledger: divisions, skills, units, villages, cadres, households", schema_v1},
    {2, "postings: who is serving where", schema_v2},
    {3, "plans, dispatch orders and recalls", schema_v3},
    {4, "accounts, sessions, login throttling and the audit record", schema_v4},
    {5, "field work: geofences, check-ins, leave, diaries and visits, cases", schema_v5},
    {6,
     "supervision and assessment: samples, inspections, tickets, negative list, ladder, tasks, "
     "grades, funds",
     schema_v6},
    {7, "household members", schema_v7},
    {8, "yearly household status with the 两不愁三保障 checks", schema_v8},
    {9, "postings keep the slot's role (stability, need) and a need post its skill", schema_v9},
    {10,
     "aid: causes, one plan per household with measures, versions and the five-level review, "
     "responsible cadres, responses to the return-to-poverty watch",
     schema_v10},
    {11, "growing login delays, session idle time, audit MACs", schema_v11},
    {12, "direct nomination: pins of named cadres to villages (点将)", schema_v12},
    {13, "terms: postings end with their dispatch order; extensions recorded", schema_v13},
    {14, "jurisdiction on writes checked by the registry: the guard triggers dropped", ""},
    {15, "field photos by content hash; the field policy chosen per division; notices to cadres",
     schema_v15},
    {16,
     "posts above the village (挂职): seats at counties and townships, matched and published "
     "like village slots",
     schema_v16},
    {17, "accounts of sending units; each ticket's history; visits' photos indexed", schema_v17},
    {18, "covering indexes for the outcome figures (households by village, yearly status)",
     schema_v18},
    {19, "terms rotated (轮换): term_change kind 'rotate' with its day; the slots each opened",
     schema_v19},
    {20, "the division code a record was imported with, when it was abolished or renamed since",
     schema_v20},
    {21,
     "confirmed (核实) cases, half-monthly samples, tasks derived from needs and plans, "
     "commendations",
     schema_v21},
    {22,
     "pins to posts above the village (点将 to 挂职); the villages a term extension moved; the "
     "unit responsible for a village (包村)",
     schema_v22},
};

const struct store_migration *store_migrations(size_t *count)
{
    *count = sizeof(migrations) / sizeof(migrations[0]);
    return migrations;
}

/* Jurisdiction on writes is checked in C by the registry (issue 11): the
 * guard triggers of schema v4 go. SQLite had per-connection TEMP TRIGGERs,
 * nothing to drop there. */
static const char schema_v14_pg[] = "DROP TRIGGER IF EXISTS zc_scope ON village;"
                                    "DROP TRIGGER IF EXISTS zc_scope ON household;"
                                    "DROP TRIGGER IF EXISTS zc_scope ON unit;"
                                    "DROP TRIGGER IF EXISTS zc_scope ON cadre;"
                                    "DROP FUNCTION IF EXISTS zc_scope_check();";

/* Where the two dialects truly differ: one text per back end. */
static const struct {
    int version;
    const char *backend;
    const char *sql;
} dialects[] = {
    {4, "sqlite", schema_v4_sqlite},   {4, "postgresql", schema_v4_pg},
    {14, "postgresql", schema_v14_pg}, {17, "sqlite", schema_v17_sqlite},
    {17, "postgresql", schema_v17_pg}, {19, "sqlite", schema_v19_sqlite},
    {19, "postgresql", schema_v19_pg},
};

const char *store_migration_dialect(int version, const char *backend)
{
    for (size_t i = 0; i < sizeof(dialects) / sizeof(dialects[0]); i++)
        if (dialects[i].version == version && strcmp(dialects[i].backend, backend) == 0)
            return dialects[i].sql;
    return NULL;
}
