/* SPDX-License-Identifier: MIT */
/* cmd_serve.c - `zhucun serve`, `zhucun user` and `zhucun audit`: the HTTP
 * server, its accounts and the tamper-evident record.
 *
 * Account changes made here are written to the audit record like those
 * made through the API, with the actor "cli:USER" and the address "local".
 * Passwords are read from stdin only (--password-stdin), never from argv,
 * where other users of the machine could see them. */
#include <jansson.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/audit.h"
#include "auth/auth.h"
#include "base/text.h"
#include "cli.h"
#include "http/http.h"
#include "store/store.h"

/* ---- serve ----------------------------------------------------------------- */

static void serve_help(void)
{
    struct http_config c;
    http_config_default(&c);
    printf("usage: zhucun serve [--listen ADDR:PORT] [--web DIR] [options]\n\n"
           "Serve the JSON API under /api/v1 and the web UI until SIGTERM or SIGINT.\n\n"
           "  --listen ADDR:PORT    address to listen on (default %s)\n"
           "  --web DIR             static files of the web UI (default: web/ of the checkout)\n"
           "  --threads N           worker threads, each with its own database connection (%u)\n"
           "  --max-body BYTES      largest JSON request body (%zu)\n"
           "  --max-upload BYTES    largest import upload (%zu)\n"
           "  --max-buffered BYTES  request bodies held in memory at once, all connections\n"
           "                        together; past it a request is answered 503 (%zu)\n"
           "  --max-spooled BYTES   uploads held in temporary files at once (an upload past\n"
           "                        64 KiB goes to a file); past it, 503 (%zu)\n"
           "  --upload-dir DIR      where those files go, in a private directory (default:\n"
           "                        $TMPDIR, else /var/tmp)\n"
           "  --max-header BYTES    memory for a request's headers (%zu)\n"
           "  --max-json-depth N    deepest nesting of a JSON body (%d)\n"
           "  --timeout SECONDS     close idle connections after this long (%u)\n"
           "  --header-timeout SECONDS  a request head must arrive within this, however\n"
           "                        it trickles (%u; 0 = no deadline)\n"
           "  --body-timeout SECONDS    and its body within this (%u; 0 = no deadline)\n"
           "  --max-conns-per-addr N    open connections per client address (%u; 0 = no\n"
           "                        limit: behind a proxy every client has its address)\n"
           "  --session-ttl SECONDS longest life of a login session (%lld)\n"
           "  --session-idle SECONDS    a session ends after this long without a request\n"
           "                        (%lld; 0 = never)\n"
           "  --login-failures N    failed logins per account before the delays start (%d;\n"
           "                        per address: %d)\n"
           "  --login-delay SECONDS the first delay; it doubles with each further failure,\n"
           "                        up to %lld seconds (%lld)\n"
           "  --secure-cookies      mark cookies Secure: the UI is served over HTTPS by a proxy\n"
           "  --trusted-proxy RANGE[,RANGE]  believe X-Forwarded-For from these peers only:\n"
           "                        addresses or CIDR ranges, IPv4 or IPv6 (10.0.0.0/8,127.0.0.1,\n"
           "                        fd00::/8); the client is the header's right-most address\n"
           "                        outside them\n",
           c.listen, c.threads, c.max_body, c.max_upload, c.max_buffered, c.max_spooled,
           c.max_header, c.max_json_depth, c.timeout, c.header_timeout, c.body_timeout,
           c.conns_per_addr, (long long)c.limits.session_ttl, (long long)c.limits.session_idle,
           c.limits.user_failures, c.limits.addr_failures, (long long)c.limits.window,
           (long long)c.limits.delay);
}

static bool parse_size(const char *s, size_t *out)
{
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    if (!s[0] || s[0] == '-' || !end || *end || v == 0)
        return false;
    *out = (size_t)v;
    return true;
}

int cmd_serve(struct cli *cli, int argc, char **argv)
{
    struct http_config c;
    struct zc_error err = {0};
    int rc;
    http_config_default(&c);
    if (cli_wants_help(argc, argv)) {
        serve_help();
        return 0;
    }
    c.db_path = cli->db_path;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        size_t n = 0;
        if (strcmp(a, "--secure-cookies") == 0) {
            c.secure_cookies = true;
            continue;
        }
        if (!v)
            return cli_usage("serve", "%s needs a value", a);
        if (strcmp(a, "--listen") == 0) {
            c.listen = v;
        } else if (strcmp(a, "--web") == 0) {
            c.web_dir = v;
        } else if (strcmp(a, "--upload-dir") == 0) {
            c.upload_dir = v;
        } else if (strcmp(a, "--trusted-proxy") == 0) {
            c.trusted_proxies = v;
        } else if (strcmp(v, "0") == 0 && strcmp(a, "--header-timeout") == 0) {
            c.header_timeout = 0;
        } else if (strcmp(v, "0") == 0 && strcmp(a, "--body-timeout") == 0) {
            c.body_timeout = 0;
        } else if (strcmp(v, "0") == 0 && strcmp(a, "--max-conns-per-addr") == 0) {
            c.conns_per_addr = 0;
        } else if (strcmp(v, "0") == 0 && strcmp(a, "--session-idle") == 0) {
            c.limits.session_idle = 0;
        } else if (!parse_size(v, &n)) {
            return cli_usage("serve", "%s needs a positive number, not '%s'", a, v);
        } else if (strcmp(a, "--threads") == 0 && n <= 256) {
            c.threads = (unsigned)n;
        } else if (strcmp(a, "--max-body") == 0) {
            c.max_body = n;
        } else if (strcmp(a, "--max-upload") == 0) {
            c.max_upload = n;
        } else if (strcmp(a, "--max-buffered") == 0) {
            c.max_buffered = n;
        } else if (strcmp(a, "--max-spooled") == 0) {
            c.max_spooled = n;
        } else if (strcmp(a, "--max-header") == 0) {
            c.max_header = n;
        } else if (strcmp(a, "--max-json-depth") == 0 && n <= 10000) {
            c.max_json_depth = (int)n;
        } else if (strcmp(a, "--timeout") == 0 && n <= 86400) {
            c.timeout = (unsigned)n;
        } else if (strcmp(a, "--session-ttl") == 0) {
            c.limits.session_ttl = (int64_t)n;
        } else if (strcmp(a, "--login-failures") == 0 && n <= 1000000) {
            c.limits.user_failures = (int)n;
        } else if (strcmp(a, "--login-delay") == 0 && n <= 86400) {
            c.limits.delay = (int64_t)n;
        } else if (strcmp(a, "--header-timeout") == 0 && n <= 86400) {
            c.header_timeout = (unsigned)n;
        } else if (strcmp(a, "--body-timeout") == 0 && n <= 86400) {
            c.body_timeout = (unsigned)n;
        } else if (strcmp(a, "--max-conns-per-addr") == 0 && n <= 4096) {
            c.conns_per_addr = (unsigned)n;
        } else if (strcmp(a, "--session-idle") == 0) {
            c.limits.session_idle = (int64_t)n;
        } else {
            return cli_usage("serve", "unknown option or bad value: %s %s", a, v);
        }
        i++;
    }
    rc = http_serve(&c, &err);
    if (rc != ZC_OK)
        return cli_fail(&err);
    return 0;
}

/* ---- user ------------------------------------------------------------------ */

static void user_help(void)
{
    printf("usage: zhucun user add NAME --role ROLE [--scope DIVISION] [--cadre ID_NUMBER] "
           "[--unit CODE] --password-stdin\n"
           "       zhucun user list\n"
           "       zhucun user passwd NAME --password-stdin\n"
           "       zhucun user disable NAME\n"
           "       zhucun user unlock NAME\n\n"
           "ROLE is one of province city county township inspector cadre auditor admin unit.\n"
           "Staff roles are scoped to a division of their level (county: 6 digits); a cadre\n"
           "account names its cadre by ID number; a unit account (派出单位) names its unit by\n"
           "code and sees only the leave and returns of the cadres that unit sent. The password is "
           "the first line of stdin:\n"
           "at least 12 characters, not the account name, not a common password.\n"
           "unlock ends the wait after failed logins at once (the account's count; an\n"
           "address's count runs out by itself).\n");
}

/* The first line of stdin, without its line ending. */
static bool read_password(char *out, size_t n, size_t *len)
{
    size_t l;
    if (!fgets(out, (int)n, stdin))
        return false;
    l = strlen(out);
    while (l > 0 && (out[l - 1] == '\n' || out[l - 1] == '\r'))
        out[--l] = '\0';
    *len = l;
    return true;
}

static int user_audit(struct store *s, const char *action, const struct auth_account *a,
                      struct zc_error *err)
{
    struct audit_entry e;
    char actor[96], *nj;
    json_t *o = json_pack("{s:s, s:s, s:I, s:b}", "name", a->name, "role", auth_role_name(a->role),
                          "scope", (json_int_t)a->scope, "disabled", a->disabled);
    int rc;
    nj = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    memset(&e, 0, sizeof(e));
    e.actor = cli_actor(actor, sizeof(actor));
    e.addr = "local";
    e.action = action;
    e.target = a->name;
    e.division = a->scope;
    e.new_json = nj;
    rc = audit_append(s, &e, err);
    free(nj);
    return rc;
}

static void print_account(void *ud, const struct auth_account *a)
{
    char name[4 * AUTH_NAME_MAX + 1], at[128];
    (void)ud;
    char scope[80];
    if (a->role == AUTH_UNIT)
        snprintf(scope, sizeof(scope), "%s", a->unit);
    else
        snprintf(scope, sizeof(scope), "%lld", (long long)a->scope);
    printf("%-20s %-10s %-12s %-8s %s\n", text_escape(a->name, name, sizeof(name)),
           auth_role_name(a->role), scope, a->disabled ? "disabled" : "active",
           text_escape(a->created_at, at, sizeof(at)));
}

int cmd_user(struct cli *cli, int argc, char **argv)
{
    struct zc_error err = {0};
    struct auth_account acct;
    struct store *s = NULL;
    const char *sub, *name = NULL, *role = NULL, *scope = NULL, *cadre = NULL;
    bool pw_stdin = false;
    char pw[AUTH_PW_MAX + 2];
    size_t pwlen = 0;
    int status = 0, rc = ZC_OK, r;

    if (argc < 2 || cli_wants_help(argc, argv)) {
        user_help();
        return argc < 2 ? 64 : 0;
    }
    sub = argv[1];
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--password-stdin") == 0) {
            pw_stdin = true;
        } else if ((strcmp(a, "--role") == 0 || strcmp(a, "--scope") == 0 ||
                    strcmp(a, "--cadre") == 0 || strcmp(a, "--unit") == 0) &&
                   i + 1 < argc) {
            if (a[2] == 'r')
                role = argv[i + 1];
            else if (a[2] == 's' || a[2] == 'u') /* a unit account's scope is its unit */
                scope = argv[i + 1];
            else
                cadre = argv[i + 1];
            i++;
        } else if (a[0] != '-' && !name) {
            name = a;
        } else {
            return cli_usage("user", "unexpected argument '%s'", a);
        }
    }
    if (strcmp(sub, "list") != 0 && !name)
        return cli_usage("user", "%s needs an account NAME", sub);
    if ((strcmp(sub, "add") == 0 || strcmp(sub, "passwd") == 0)) {
        if (!pw_stdin)
            return cli_usage("user", "%s reads the password with --password-stdin", sub);
        if (!read_password(pw, sizeof(pw), &pwlen))
            return cli_usage("user", "no password on stdin");
    }
    if (strcmp(sub, "add") == 0 && (!role || auth_role_parse(role) < 0))
        return cli_usage("user",
                         "--role must be one of province city county township inspector cadre "
                         "auditor admin unit");
    if (strcmp(sub, "add") != 0 && strcmp(sub, "list") != 0 && strcmp(sub, "passwd") != 0 &&
        strcmp(sub, "disable") != 0 && strcmp(sub, "unlock") != 0)
        return cli_usage("user", "unknown subcommand '%s'", sub);

    rc = auth_init(&err);
    if (rc != ZC_OK)
        return cli_fail(&err);
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    if (strcmp(sub, "list") == 0) {
        printf("%-20s %-10s %-12s %-8s %s\n", "name", "role", "scope", "status", "created");
        rc = auth_user_list(s, print_account, NULL, &err);
    } else {
        rc = store_begin(s, &err);
        if (rc == ZC_OK && strcmp(sub, "add") == 0) {
            rc = auth_user_add(s, name, (enum auth_role)auth_role_parse(role), scope, cadre, pw,
                               pwlen, &acct, &err);
            if (rc == ZC_OK)
                rc = user_audit(s, "user.add", &acct, &err);
        } else if (rc == ZC_OK && strcmp(sub, "passwd") == 0) {
            rc = auth_user_passwd(s, name, pw, pwlen, &err);
            if (rc == ZC_OK)
                rc = auth_user_get(s, name, &acct, &err);
            if (rc == ZC_OK)
                rc = user_audit(s, "user.passwd", &acct, &err);
        } else if (rc == ZC_OK && strcmp(sub, "unlock") == 0) {
            rc = auth_user_unlock(s, name, &err);
            if (rc == ZC_OK)
                rc = auth_user_get(s, name, &acct, &err);
            if (rc == ZC_OK)
                rc = user_audit(s, "user.unlock", &acct, &err);
        } else if (rc == ZC_OK) {
            rc = auth_user_disable(s, name, &err);
            if (rc == ZC_OK)
                rc = auth_user_get(s, name, &acct, &err);
            if (rc == ZC_OK)
                rc = user_audit(s, "user.disable", &acct, &err);
        }
        if (rc == ZC_OK)
            rc = store_commit(s, &err);
        if (rc != ZC_OK)
            store_rollback(s);
        else
            printf("user %s: %s\n", sub, name);
    }
    memset(pw, 0, sizeof(pw));
    r = rc == ZC_OK ? 0 : cli_fail(&err);
    store_close(s);
    return r;
}

/* ---- audit ------------------------------------------------------------------ */

/* Stored text is escaped (text_escape): a name with escape sequences or
 * CR/LF must not clear the screen or forge rows. */
static void print_entry(void *ud, const struct audit_entry *e)
{
    char at[64], actor[256], addr[256], action[256], target[1024];
    (void)ud;
    printf("%-6lld %s %-16s %-16s %-18s %s\n", (long long)e->seq,
           text_escape(e->at, at, sizeof(at)), text_escape(e->actor, actor, sizeof(actor)),
           text_escape(e->addr, addr, sizeof(addr)), text_escape(e->action, action, sizeof(action)),
           text_escape(e->target, target, sizeof(target)));
}

/* A digest as `audit head` prints it: 64 hex digits, lowercased into `out`. */
static bool parse_digest(const char *s, char out[AUDIT_HASH_HEX + 1])
{
    if (strlen(s) != AUDIT_HASH_HEX)
        return false;
    for (int i = 0; i < AUDIT_HASH_HEX; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'F')
            c = (char)(c - 'A' + 'a');
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
        out[i] = c;
    }
    out[AUDIT_HASH_HEX] = '\0';
    return true;
}

int cmd_audit(struct cli *cli, int argc, char **argv)
{
    struct zc_error err = {0};
    struct store *s = NULL;
    char expect[AUDIT_HASH_HEX + 1];
    bool have_expect = false;
    int64_t limit = 50;
    int status = 0, rc;

    if (argc < 2 || cli_wants_help(argc, argv)) {
        printf("usage: zhucun audit verify [--expect-head DIGEST]\n"
               "       zhucun audit head\n"
               "       zhucun audit list [--limit N]\n\n"
               "verify walks the hash chain of the audit record and reports the first entry\n"
               "that was altered, removed or reordered (exit 1); a clean record exits 0.\n"
               "head verifies the chain and prints one line, the newest entry's sequence\n"
               "number and digest: keep it outside the database (print it in the bulletin,\n"
               "mail it, sign it). verify --expect-head DIGEST also fails unless the chain\n"
               "still holds that entry: the chain's hashes are unkeyed, so whoever can write\n"
               "the database can cut entries off or recompute the chain after an edit; an\n"
               "anchor kept elsewhere catches both.\n"
               "With ZHUCUN_AUDIT_KEY naming a key file (32+ bytes, outside the database),\n"
               "every entry also carries a keyed MAC, and verify checks them: a chain\n"
               "recomputed without the key fails; cutting entries off the end still needs\n"
               "the anchor.\n");
        return argc < 2 ? 64 : 0;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc && strcmp(argv[1], "list") == 0) {
            char *end = NULL;
            limit = strtoll(argv[i + 1], &end, 10);
            if (!*argv[i + 1] || *end || limit < 0)
                return cli_usage("audit", "--limit needs a number");
            i++;
        } else if (strcmp(argv[i], "--expect-head") == 0 && i + 1 < argc &&
                   strcmp(argv[1], "verify") == 0) {
            if (!parse_digest(argv[i + 1], expect))
                return cli_usage("audit",
                                 "--expect-head needs the 64-hex-digit digest 'zhucun audit "
                                 "head' printed");
            have_expect = true;
            i++;
        } else {
            return cli_usage("audit", "unexpected argument '%s'", argv[i]);
        }
    }
    if (strcmp(argv[1], "verify") != 0 && strcmp(argv[1], "list") != 0 &&
        strcmp(argv[1], "head") != 0)
        return cli_usage("audit", "unknown subcommand '%s'", argv[1]);
    rc = auth_init(&err);
    if (rc != ZC_OK)
        return cli_fail(&err);
    s = cli_open_store(cli, false, &status);
    if (!s)
        return status;
    if (strcmp(argv[1], "list") == 0) {
        rc = audit_list(s, limit, 0, 0, NULL, print_entry, NULL, &err);
        status = rc == ZC_OK ? 0 : cli_fail(&err);
    } else {
        struct audit_verify_result res;
        rc = audit_verify_expect(s, have_expect ? expect : NULL, &res, &err);
        if (rc != ZC_OK) {
            status = cli_fail(&err);
        } else if (res.bad_seq) {
            fprintf(stderr, "zhucun audit: chain broken at entry %lld: %s\n",
                    (long long)res.bad_seq, res.problem);
            printf("broken at entry %lld (%lld entries verified before it)\n",
                   (long long)res.bad_seq, (long long)res.entries);
            status = 1;
        } else if (strcmp(argv[1], "head") == 0) {
            printf("%lld %s\n", (long long)res.head_seq, res.head);
            status = 0;
        } else if (have_expect && !res.anchor_found) {
            fprintf(stderr,
                    "zhucun audit: the chain does not hold the expected head %s: entries were "
                    "removed from its end or the chain was rewritten since that head was taken\n",
                    expect);
            printf("anchor missing: %lld entries, head now %lld %s\n", (long long)res.entries,
                   (long long)res.head_seq, res.head);
            status = 1;
        } else {
            printf("ok: %lld entries, chain intact, head %s", (long long)res.entries,
                   res.entries ? res.head : "-");
            if (have_expect)
                printf(", holds the expected head (entry %lld)", (long long)res.anchor_seq);
            if (res.mac_checked && res.macs)
                printf(", MACs checked from entry %lld", (long long)res.keyed_from);
            else if (res.macs)
                printf(", %lld entries carry a MAC (not checked: ZHUCUN_AUDIT_KEY is not set)",
                       (long long)res.macs);
            printf("\n");
            status = 0;
        }
    }
    store_close(s);
    return status;
}
