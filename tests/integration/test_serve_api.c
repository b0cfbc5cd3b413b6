#define _GNU_SOURCE
/*
 * `procsearch serve` over real HTTP: every endpoint's status and JSON shape,
 * every error path, page text that looks like markup, CORS, a database that
 * an indexer changes while the server runs, and a clean stop on SIGTERM.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tests/support/serve_client.h"
#include "tests/support/testenv.h"

#define TOP_ID "000_b14b9e5059026b7a" /* the lumbar discography page */

static const char xss_page[] =
    "Excision of a test lesion; zanzibarite <script>alert(1)</script>\n"
    "CPT4 code\n"
    "Name of the Procedure: \"><img src=x onerror=alert(1)> Zanzibarite Removal\n"
    "Summary\n"
    "The zanzibarite lesion is removed. <script>alert(1)</script> and "
    "\"><img src=x onerror=alert(1)> are only text here.\n";

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...) {
    va_list ap;
    va_start(ap, f);
    char *s = NULL;
    if (vasprintf(&s, f, ap) < 0)
        s = NULL;
    va_end(ap);
    cr_assert_not_null(s);
    return s;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Index the dev corpus plus the markup page into dir. */
static void build_db(const char *dir) {
    char *pages = fmt("%s.pages", dir);
    mkdir(pages, 0755);
    char *page = fmt("%s/xss-01.txt", pages);
    cr_assert_eq(t_write(page, xss_page, sizeof xss_page - 1), 0);
    char *docs = t_path("corpus/dev/docs");
    char *args = fmt("index --quiet --db '%s' '%s' '%s'", dir, docs, pages);
    char *err = NULL;
    int rc = t_run(args, NULL, &err);
    cr_assert_eq(rc, 0, "indexing failed (%d): %s", rc, err ? err : "");
    free(err), free(args), free(docs), free(page), free(pages);
}

/* One database for all the read-only tests, built by whichever test
 * process comes first (Criterion runs tests in parallel processes). */
static char *shared_db(void) {
    const char *base = getenv("PROCSEARCH_TMP");
    char *dir = fmt("%s/serve-db", base && *base ? base : "/tmp");
    char *lock = fmt("%s.lock", dir), *ready = fmt("%s/.ready", dir);
    int fd = open(lock, O_CREAT | O_RDWR, 0644);
    cr_assert_geq(fd, 0);
    cr_assert_eq(flock(fd, LOCK_EX), 0);
    if (access(ready, F_OK) != 0) {
        t_rmtree(dir);
        build_db(dir);
        cr_assert_eq(t_write(ready, "", 0), 0);
    }
    flock(fd, LOCK_UN);
    close(fd);
    free(lock), free(ready);
    return dir;
}

static t_server srv;
static char *db;

static void start_shared(void) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    db = shared_db();
    cr_assert_eq(t_server_start(&srv, db, "--threads 2"), 0, "the server did not start");
}

static void stop_shared(void) {
    if (srv.pid)
        t_server_stop(&srv, SIGTERM);
    free(db);
    free(srv.log);
}

TestSuite(serve_api, .init = start_shared, .fini = stop_shared, .timeout = 60);

/* GET path, expect status, return the JSON body (asserting it is JSON). */
static json_t *get_json(const char *path, long want, t_response *keep) {
    t_response r;
    cr_assert_eq(t_http(&srv, "GET", path, &r), 0, "no answer for %s", path);
    cr_assert_eq(r.status, want, "%s: status %ld, wanted %ld: %s", path, r.status, want, r.body);
    char *type = t_header(&r, "Content-Type");
    cr_assert(type && !strncmp(type, "application/json", 16), "%s: Content-Type %s", path, type);
    free(type);
    json_error_t jerr;
    json_t *j = json_loads(r.body, 0, &jerr);
    cr_assert_not_null(j, "%s: not JSON (%s): %s", path, jerr.text, r.body);
    if (keep)
        *keep = r;
    else
        t_response_free(&r);
    return j;
}

static void expect_error(const char *method, const char *path, long want, const char *param) {
    t_response r;
    cr_assert_eq(t_http(&srv, method, path, &r), 0, "no answer for %s %s", method, path);
    cr_expect_eq(r.status, want, "%s %s: status %ld, wanted %ld: %s", method, path, r.status,
                 want, r.body);
    json_t *j = json_loads(r.body, 0, NULL);
    cr_assert_not_null(j, "%s %s: error is not JSON: %s", method, path, r.body);
    cr_expect(json_is_string(json_object_get(j, "error")), "%s: no \"error\": %s", path, r.body);
    cr_expect(strlen(json_string_value(json_object_get(j, "error"))) > 10);
    if (param)
        cr_expect_str_eq(json_string_value(json_object_get(j, "parameter")), param, "%s: %s",
                         path, r.body);
    json_decref(j);
    t_response_free(&r);
}

static size_t codepoints(const char *s) {
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

Test(serve_api, health_and_stats) {
    json_t *h = get_json("/health", 200, NULL);
    cr_expect_str_eq(json_string_value(json_object_get(h, "status")), "ok");
    json_decref(h);
    json_decref(get_json("/search?q=knee", 200, NULL));
    json_t *s = get_json("/stats", 200, NULL);
    cr_expect_eq(json_integer_value(json_object_get(s, "documents")), 150);
    cr_expect(json_integer_value(json_object_get(s, "revision")) >= 1);
    cr_expect(json_is_string(json_object_get(s, "last_commit")));
    cr_expect(json_is_number(json_object_get(s, "uptime_s")));
    json_t *req = json_object_get(s, "requests");
    cr_expect_eq(json_integer_value(json_object_get(req, "health")), 1);
    cr_expect_eq(json_integer_value(json_object_get(req, "search")), 1);
    cr_expect(json_is_integer(json_object_get(req, "suggest")));
    cr_expect(json_is_integer(json_object_get(req, "doc")));
    cr_expect(json_is_integer(json_object_get(json_object_get(s, "errors"), "client")));
    cr_expect(json_is_integer(json_object_get(json_object_get(s, "errors"), "server")));
    json_decref(s);
    expect_error("GET", "/nothing", 404, NULL);
    s = get_json("/stats", 200, NULL);
    cr_expect_eq(json_integer_value(json_object_get(json_object_get(s, "errors"), "client")), 1);
    json_decref(s);
}

Test(serve_api, search_shape) {
    json_t *j = get_json("/search?q=lumbar%20discogram", 200, NULL);
    cr_expect_str_eq(json_string_value(json_object_get(j, "query")), "lumbar discogram");
    cr_expect(json_integer_value(json_object_get(j, "total")) >= 1);
    cr_expect(json_is_null(json_object_get(j, "did_you_mean")));
    cr_expect(json_is_number(json_object_get(j, "took_ms")));
    json_t *res = json_object_get(j, "results");
    cr_assert(json_array_size(res) >= 1 && json_array_size(res) <= 10);
    cr_expect_str_eq(json_string_value(json_object_get(json_array_get(res, 0), "id")), TOP_ID);
    size_t i;
    json_t *hit;
    json_array_foreach(res, i, hit) {
        cr_expect(json_is_string(json_object_get(hit, "id")));
        cr_expect(json_is_string(json_object_get(hit, "descriptor")));
        json_t *name = json_object_get(hit, "name");
        cr_expect(json_is_string(name) || json_is_null(name));
        cr_expect(json_is_number(json_object_get(hit, "score")));
        json_t *sn = json_object_get(hit, "snippet");
        cr_assert(json_is_object(sn));
        cr_expect(json_is_string(json_object_get(sn, "section")));
        cr_expect(json_is_string(json_object_get(sn, "key")));
        const char *text = json_string_value(json_object_get(sn, "text"));
        cr_assert_not_null(text);
        size_t k;
        json_t *hl;
        json_array_foreach(json_object_get(sn, "highlights"), k, hl) {
            json_int_t a = json_integer_value(json_array_get(hl, 0));
            json_int_t b = json_integer_value(json_array_get(hl, 1));
            cr_expect(a >= 0 && a < b && (size_t)b <= codepoints(text), "[%lld, %lld] in %s",
                      (long long)a, (long long)b, text);
        }
    }
    /* limit and offset page through the same ranking. */
    json_t *two = get_json("/search?q=lumbar%20discogram&limit=2", 200, NULL);
    json_t *next = get_json("/search?q=lumbar%20discogram&limit=1&offset=1", 200, NULL);
    cr_expect_eq(json_array_size(json_object_get(two, "results")), 2);
    cr_expect_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(two, "results"), 1), "id")),
                     json_string_value(json_object_get(
                         json_array_get(json_object_get(next, "results"), 0), "id")));
    json_decref(two), json_decref(next), json_decref(j);
    j = get_json("/search?q=lumbar%20discogrm", 200, NULL);
    cr_expect_str_eq(json_string_value(json_object_get(j, "did_you_mean")), "lumbar discogram");
    json_decref(j);
    j = get_json("/search?q=bleeding&section=risks&limit=3", 200, NULL);
    cr_expect(json_array_size(json_object_get(j, "results")) >= 1);
    json_decref(j);
    j = get_json("/search", 200, NULL); /* no query: nothing, not an error */
    cr_expect_eq(json_array_size(json_object_get(j, "results")), 0);
    json_decref(j);
}

Test(serve_api, suggest_completes_the_last_word) {
    json_t *j = get_json("/suggest?q=lumbar%20disc", 200, NULL);
    cr_expect_str_eq(json_string_value(json_object_get(j, "prefix")), "disc");
    json_t *comp = json_object_get(j, "completions");
    int found = 0;
    size_t i;
    json_t *c;
    json_array_foreach(comp, i, c) found |= !strcmp(json_string_value(c), "lumbar discography");
    cr_expect(found, "no 'lumbar discography' among the completions");
    json_t *res = json_object_get(j, "results");
    cr_assert(json_array_size(res) >= 1);
    json_t *top = json_array_get(res, 0);
    cr_expect_str_eq(json_string_value(json_object_get(top, "id")), TOP_ID);
    cr_expect(json_is_string(json_object_get(top, "descriptor")));
    cr_expect(json_is_string(json_object_get(top, "name")));
    cr_expect_null(json_object_get(top, "snippet"), "suggestions carry no snippet");
    json_decref(j);
    /* An earlier typo is corrected, in the completions too. */
    j = get_json("/suggest?q=lumbr%20disco", 200, NULL);
    cr_expect_str_eq(json_string_value(json_object_get(j, "did_you_mean")), "lumbar disco");
    cr_expect(!strncmp(json_string_value(json_array_get(json_object_get(j, "completions"), 0)),
                       "lumbar disco", 12));
    json_decref(j);
    /* A trailing space: the last word is finished, nothing to complete. */
    j = get_json("/suggest?q=lumbar%20", 200, NULL);
    cr_expect_eq(json_array_size(json_object_get(j, "completions")), 0);
    cr_expect(json_array_size(json_object_get(j, "results")) >= 1);
    json_decref(j);
    j = get_json("/suggest?q=knee&limit=2", 200, NULL);
    cr_expect_eq(json_array_size(json_object_get(j, "results")), 2);
    json_decref(j);
    /* The same from the command line. */
    char *args = fmt("suggest --db '%s' --json lumbar disc", db), *out = NULL;
    cr_assert_eq(t_run(args, &out, NULL), 0);
    j = json_loads(out, 0, NULL);
    cr_assert_not_null(j, "%s", out);
    cr_expect_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(j, "results"), 0), "id")),
                     TOP_ID);
    cr_expect_str_eq(json_string_value(json_object_get(j, "prefix")), "disc");
    json_decref(j);
    free(out), free(args);
}

Test(serve_api, doc_by_id) {
    json_t *j = get_json("/doc/" TOP_ID, 200, NULL);
    cr_expect_str_eq(json_string_value(json_object_get(j, "id")), TOP_ID);
    cr_expect(json_is_string(json_object_get(j, "descriptor")));
    json_t *sections = json_object_get(j, "sections");
    cr_assert(json_array_size(sections) >= 5);
    cr_expect(json_is_string(json_object_get(json_array_get(sections, 0), "title")));
    cr_expect(json_is_string(json_object_get(json_array_get(sections, 0), "text")));
    json_decref(j);
    expect_error("GET", "/doc/no-such-page", 404, NULL);
    expect_error("GET", "/doc/", 400, "id");
    char *huge = malloc(400);
    memset(huge, 'x', 399);
    huge[399] = '\0';
    char *path = fmt("/doc/%s", huge);
    expect_error("GET", path, 400, "id");
    free(path), free(huge);
}

Test(serve_api, bad_parameters_are_400_naming_the_parameter) {
    static const struct {
        const char *path, *param;
    } cases[] = {
        {"/search?q=x&limit=0", "limit"},      {"/search?q=x&limit=101", "limit"},
        {"/search?q=x&limit=abc", "limit"},    {"/search?q=x&limit=-1", "limit"},
        {"/search?q=x&limit=", "limit"},       {"/search?q=x&limit=1e3", "limit"},
        {"/search?q=x&limit=99999999999999999999999", "limit"},
        {"/search?q=x&offset=10001", "offset"}, {"/search?q=x&section=nope", "section"},
        {"/search?q=x&foo=1", "foo"},          {"/search?q=x&q=y", "q"},
        {"/search?q=%FF%FE", "q"},             {"/suggest?q=x&limit=21", "limit"},
        {"/suggest?q=x&offset=1", "offset"},   {"/health?verbose=1", "verbose"},
        {"/stats?x", "x"},                     {"/doc/" TOP_ID "?full=1", "full"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_error("GET", cases[i].path, 400, cases[i].param);
    /* PS_QUERY_MAX_BYTES is 1024: one byte more is refused, not cut. */
    char q[1026];
    memset(q, 'a', 1025);
    q[1025] = '\0';
    char *path = fmt("/search?q=%s", q);
    expect_error("GET", path, 400, "q");
    free(path);
    q[1024] = '\0';
    path = fmt("/search?q=%s", q);
    json_decref(get_json(path, 200, NULL));
    free(path);
}

Test(serve_api, unknown_paths_and_methods) {
    expect_error("GET", "/search/extra", 404, NULL);
    expect_error("GET", "/../etc/passwd", 404, NULL);
    expect_error("POST", "/search", 405, NULL);
    expect_error("DELETE", "/doc/" TOP_ID, 405, NULL);
    expect_error("OPTIONS", "/search", 405, NULL);
    t_response r;
    cr_assert_eq(t_http(&srv, "PUT", "/health", &r), 0);
    char *allow = t_header(&r, "Allow");
    cr_expect(allow && strstr(allow, "GET") && strstr(allow, "HEAD"), "Allow: %s", allow);
    free(allow);
    t_response_free(&r);
    cr_assert_eq(t_http(&srv, "HEAD", "/search?q=knee", &r), 0);
    cr_expect_eq(r.status, 200);
    cr_expect_eq(r.len, 0);
    t_response_free(&r);
    /* Garbage on the wire costs that connection only. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)srv.port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    const char junk[] = "\x16\x03\x01 not http at all\r\n\r\n\0\xff\xfe";
    cr_expect_eq(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
    close(fd);
    json_decref(get_json("/health", 200, NULL));
    cr_expect(t_server_alive(&srv));
}

Test(serve_api, page_text_that_looks_like_markup_stays_text) {
    t_response r;
    json_t *j = get_json("/search?q=zanzibarite", 200, &r);
    /* The raw body: JSON strings, and never a closing script tag. */
    cr_expect_null(strstr(r.body, "</script>"), "%s", r.body);
    char *nosniff = t_header(&r, "X-Content-Type-Options");
    cr_expect(nosniff && !strcmp(nosniff, "nosniff"));
    free(nosniff);
    t_response_free(&r);
    json_t *hit = json_array_get(json_object_get(j, "results"), 0);
    cr_assert_not_null(hit, "the markup page was not found");
    cr_expect_str_eq(json_string_value(json_object_get(hit, "id")), "xss-01");
    cr_expect_not_null(strstr(json_string_value(json_object_get(hit, "descriptor")),
                              "<script>alert(1)</script>"));
    cr_expect_not_null(strstr(json_string_value(json_object_get(hit, "name")),
                              "\"><img src=x onerror=alert(1)>"));
    json_decref(j);
    /* The page loads its one script from /app.js, which never parses
     * markup out of strings; the browser test checks what it renders. */
    cr_assert_eq(t_http(&srv, "GET", "/", &r), 0);
    cr_expect_eq(r.status, 200);
    char *type = t_header(&r, "Content-Type"), *csp = t_header(&r, "Content-Security-Policy");
    cr_expect(type && !strncmp(type, "text/html", 9), "%s", type);
    cr_expect(csp && strstr(csp, "script-src 'self'") && !strstr(csp, "unsafe-inline"), "%s",
              csp);
    cr_expect_not_null(strstr(r.body, "<script src=\"/app.js\""));
    cr_expect_null(strstr(r.body, "<script>"), "no inline script");
    free(type), free(csp);
    t_response_free(&r);
    cr_assert_eq(t_http(&srv, "GET", "/app.js", &r), 0);
    cr_expect_eq(r.status, 200);
    type = t_header(&r, "Content-Type");
    cr_expect(type && strstr(type, "javascript"), "%s", type);
    cr_expect_null(strstr(r.body, "innerHTML"));
    cr_expect_null(strstr(r.body, "insertAdjacentHTML"));
    cr_expect_null(strstr(r.body, "document.write"));
    free(type);
    t_response_free(&r);
    cr_assert_eq(t_http(&srv, "GET", "/style.css", &r), 0);
    type = t_header(&r, "Content-Type");
    cr_expect(type && !strncmp(type, "text/css", 8), "%s", type);
    free(type);
    t_response_free(&r);
    /* A shared link: the page itself takes any parameters. */
    cr_assert_eq(t_http(&srv, "GET", "/?q=knee&utm_source=mail", &r), 0);
    cr_expect_eq(r.status, 200);
    t_response_free(&r);
}

Test(serve_api, no_cors_headers_unless_asked) {
    t_response r;
    cr_assert_eq(t_http(&srv, "GET", "/search?q=knee", &r), 0);
    char *acao = t_header(&r, "Access-Control-Allow-Origin");
    cr_expect_null(acao, "CORS header without --cors-origin: %s", acao);
    free(acao);
    t_response_free(&r);
    t_server other;
    cr_assert_eq(t_server_start(&other, db, "--cors-origin https://search.example.org"), 0);
    cr_assert_eq(t_http(&other, "GET", "/search?q=knee", &r), 0);
    acao = t_header(&r, "Access-Control-Allow-Origin");
    cr_expect(acao && !strcmp(acao, "https://search.example.org"), "%s", acao);
    free(acao);
    t_response_free(&r);
    cr_expect_eq(t_server_stop(&other, SIGTERM), 0);
    free(other.log);
}

Test(serve_api, start_up_errors_are_clear) {
    char *err = NULL;
    int rc = t_run("serve --db /nonexistent/procsearch-db --listen 127.0.0.1:0", NULL, &err);
    cr_expect_eq(rc, 1);
    cr_expect_not_null(strstr(err, "/nonexistent/procsearch-db"), "%s", err);
    free(err);
    char *args = fmt("serve --db '%s' --listen 127.0.0.1:99999", db);
    rc = t_run(args, NULL, &err);
    cr_expect_eq(rc, 2);
    cr_expect_not_null(strstr(err, "--listen"), "%s", err);
    free(err), free(args);
    args = fmt("serve --db '%s' --threads 0", db);
    rc = t_run(args, NULL, &err);
    cr_expect_eq(rc, 2);
    cr_expect_not_null(strstr(err, "--threads"), "%s", err);
    free(err), free(args);
    /* The port is taken by the running server. */
    args = fmt("serve --db '%s' --listen 127.0.0.1:%d", db, srv.port);
    rc = t_run(args, NULL, &err);
    cr_expect_eq(rc, 1);
    cr_expect_not_null(strstr(err, "cannot listen on 127.0.0.1:"), "%s", err);
    free(err), free(args);
}

/* ------------------------------------------------------- live index */

typedef struct poller {
    const t_server *srv;
    atomic_int stop;
    atomic_long ok, failed;
    long last_status;
} poller;

static void *poll_loop(void *arg) {
    poller *p = arg;
    static const char *const paths[] = {"/search?q=lumbar%20discogram", "/suggest?q=knee%20ar",
                                        "/doc/" TOP_ID, "/search?q=zorbulation"};
    for (unsigned i = 0; !atomic_load(&p->stop); i++) {
        t_response r;
        int rc = t_http(p->srv, "GET", paths[i % 4], &r);
        if (rc == 0 && r.status == 200)
            atomic_fetch_add(&p->ok, 1);
        else {
            atomic_fetch_add(&p->failed, 1);
            p->last_status = r.status;
        }
        t_response_free(&r);
    }
    return NULL;
}

/* Whether /search?q=q lists page id: 1, 0, or -1 for a failed request.
 * (Only the id tells: after a delete the word may still be "corrected" into
 * something else that matches other pages.) */
static int lists(const t_server *s, const char *q, const char *id) {
    char *path = fmt("/search?q=%s&limit=100", q);
    t_response r;
    int found = -1;
    if (t_http(s, "GET", path, &r) == 0 && r.status == 200) {
        json_t *j = json_loads(r.body, 0, NULL), *hit;
        size_t i;
        found = j ? 0 : -1;
        json_array_foreach(json_object_get(j, "results"), i, hit)
            found |= !strcmp(json_string_value(json_object_get(hit, "id")), id);
        json_decref(j);
    }
    t_response_free(&r);
    free(path);
    return found;
}

/* Poll until lists(q, id) == want; the seconds that took, or -1 after 10 s. */
static double wait_for(const t_server *s, const char *q, const char *id, int want) {
    double t0 = now_s();
    while (now_s() - t0 < 10.0) {
        if (lists(s, q, id) == want)
            return now_s() - t0;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return -1;
}

static void curl_setup(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

TestSuite(serve_live, .init = curl_setup, .timeout = 120);

/* Index one new page about "zorbulation", with this id, into the database
 * dir (in tmp) while it is served. */
static void index_new_page(const char *tmp, const char *dir, const char *id) {
    char *pages = fmt("%s/new-%s", tmp, id);
    mkdir(pages, 0755);
    char *page = fmt("%s/%s.txt", pages, id);
    static const char text[] = "Zorbulation of the left widget; simple\nCPT4 code\n"
                               "Summary\nA zorbulation drains the widget.\n";
    cr_assert_eq(t_write(page, text, sizeof text - 1), 0);
    char *args = fmt("index --quiet --db '%s' '%s'", dir, pages);
    cr_assert_eq(t_run(args, NULL, NULL), 0);
    free(pages), free(page), free(args);
}

Test(serve_live, index_changes_are_served_without_restart_or_failed_requests) {
    char *tmp = t_tmpdir("serve-live");
    char *dir = fmt("%s/db", tmp);
    build_db(dir);
    t_server s;
    cr_assert_eq(t_server_start(&s, dir, "--threads 2"), 0);
    poller p = {.srv = &s};
    pthread_t th;
    cr_assert_eq(pthread_create(&th, NULL, poll_loop, &p), 0);

    index_new_page(tmp, dir, "live-01");
    double found = wait_for(&s, "zorbulation", "live-01", 1);
    cr_expect(found >= 0, "the new page never showed up");
    fprintf(stderr, "serve_live: new page searchable after %.3f s\n", found);

    /* Many small commits while requests run: readers fall behind writers. */
    char *docs = t_path("corpus/dev/docs");
    char *again = fmt("index --quiet --batch 5 --db '%s' '%s'", dir, docs);
    for (int i = 0; i < 2; i++)
        cr_expect_eq(t_run(again, NULL, NULL), 0);

    char *del = fmt("delete --db '%s' live-01", dir);
    cr_assert_eq(t_run(del, NULL, NULL), 0);
    double gone = wait_for(&s, "zorbulation", "live-01", 0);
    cr_expect(gone >= 0, "the deleted page is still found");
    fprintf(stderr, "serve_live: deleted page gone after %.3f s\n", gone);

    atomic_store(&p.stop, 1);
    pthread_join(th, NULL);
    fprintf(stderr, "serve_live: %ld requests during re-indexing, %ld failed\n",
            atomic_load(&p.ok), atomic_load(&p.failed));
    cr_expect_eq(atomic_load(&p.failed), 0, "%ld requests failed (last status %ld)",
                 atomic_load(&p.failed), p.last_status);
    cr_expect(atomic_load(&p.ok) > 0);
    cr_expect_eq(t_server_stop(&s, SIGTERM), 0);
    t_rmtree(tmp);
    free(tmp), free(dir), free(docs), free(again),
        free(del), free(s.log);
}

/* One worker, so that the misspelling is corrected by the searcher that
 * read the spelling table before the new word was indexed: after the
 * index moves, it must read the table again. */
Test(serve_live, a_misspelling_of_a_word_indexed_later_is_corrected) {
    char *tmp = t_tmpdir("serve-spell");
    char *dir = fmt("%s/db", tmp);
    build_db(dir);
    t_server s;
    cr_assert_eq(t_server_start(&s, dir, "--threads 1"), 0);
    cr_assert_eq(lists(&s, "zorbulaton", "live-02"), 0);
    index_new_page(tmp, dir, "live-02");
    cr_expect(wait_for(&s, "zorbulation", "live-02", 1) >= 0, "the new page never showed up");
    cr_expect(wait_for(&s, "zorbulaton", "live-02", 1) >= 0,
              "a misspelling of the new word is never corrected to it");
    cr_expect_eq(t_server_stop(&s, SIGTERM), 0);
    t_rmtree(tmp);
    free(tmp), free(dir), free(s.log);
}

static void *one_request(void *arg) {
    t_response *r = arg;
    t_http(&srv, "GET", "/search?q=knee%20arthroscopy&limit=100", r);
    return NULL;
}

Test(serve_live, sigterm_and_sigint_stop_cleanly_with_exit_0) {
    db = shared_db();
    cr_assert_eq(t_server_start(&srv, db, NULL), 0);
    t_response r;
    pthread_t th;
    cr_assert_eq(pthread_create(&th, NULL, one_request, &r), 0);
    pthread_join(th, NULL);
    cr_expect_eq(r.status, 200);
    t_response_free(&r);
    int port = srv.port;
    cr_expect_eq(t_server_stop(&srv, SIGTERM), 0);
    /* Nothing listens there any more. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_expect_neq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    close(fd);
    free(srv.log);
    cr_assert_eq(t_server_start(&srv, db, "--verbose"), 0);
    cr_assert_eq(t_http(&srv, "GET", "/health", &r), 0);
    t_response_free(&r);
    cr_expect_eq(t_server_stop(&srv, SIGINT), 0);
    /* --verbose logs one line per request, on stderr. */
    char *log = NULL;
    size_t len = 0;
    FILE *f = fopen(srv.log, "r");
    cr_assert_not_null(f);
    cr_expect_gt(getdelim(&log, &len, '\0', f), 0);
    fclose(f);
    cr_expect_not_null(strstr(log, "GET /health 200"), "%s", log);
    free(log), free(srv.log), free(db);
    srv.log = NULL;
    db = NULL;
}
