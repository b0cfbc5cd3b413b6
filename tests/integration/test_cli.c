#define _GNU_SOURCE
/*
 * The procsearch binary as a user runs it: exit codes, rejects that name
 * the file and reason, JSON output, get/delete/stats, and a killed indexer.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/file.h"
#include "indexer/docbuild.h"
#include "shim/xapian_shim.h"
#include "tests/support/testenv.h"

static char *tmp;

static void setup(void) {
    tmp = t_tmpdir("cli");
    cr_assert_not_null(tmp);
}

static void teardown(void) {
    t_rmtree(tmp);
    free(tmp);
}

TestSuite(cli, .init = setup, .fini = teardown);

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

static int run(const char *args, char **out, char **err) {
    int rc = t_run(args, out, err);
    cr_assert_neq(rc, -1, "could not run procsearch %s", args);
    return rc;
}

static const char good_page[] =
    "Search all medical codes\n"
    "Drainage of a test cyst; simple\n"
    "CPT4 code\n"
    "Name of the Procedure: Test Cyst Drainage\n"
    "Common Name(s): Cyst Lancing\n"
    "Summary\n"
    "A quick zorbulation drains the cyst.\n"
    "Risks and Complications\n"
    "- Bleeding\n";

Test(cli, bad_pages_are_rejected_by_name_and_the_rest_indexed) {
    char *dir = fmt("%s/pages", tmp);
    cr_assert_eq(mkdir(dir, 0755), 0);
    char *p;
    t_write(p = fmt("%s/good.txt", dir), good_page, sizeof good_page - 1), free(p);
    t_write(p = fmt("%s/empty.txt", dir), "", 0), free(p);
    t_write(p = fmt("%s/binary.txt", dir), "abc\0def\n", 8), free(p);
    t_write(p = fmt("%s/latin1.txt", dir), "Biopsie du f\xe9mur\nCPT4 code\nSummary\nx\n", 36), free(p);
    t_write(p = fmt("%s/nodesc.txt", dir), "Summary\nJust a summary.\n", 24), free(p);
    char *args = fmt("index --db '%s/db' '%s'", tmp, dir);
    char *out = NULL, *err = NULL;
    int rc = run(args, &out, &err);
    cr_expect_eq(rc, 1, "some pages were rejected: exit 1 (stderr: %s)", err);
    cr_expect_not_null(strstr(err, "empty.txt"), "%s", err);
    cr_expect_not_null(strstr(err, "binary.txt"), "%s", err);
    cr_expect_not_null(strstr(err, "latin1.txt"), "%s", err);
    cr_expect_not_null(strstr(err, "UTF-8"), "%s", err);
    cr_expect_not_null(strstr(err, "nodesc.txt"), "%s", err);
    cr_expect_not_null(strstr(err, "1 new, 0 replaced, 4 rejected"), "%s", err);
    free(out), free(err), free(args);
    args = fmt("search --db '%s/db' --json zorbulation", tmp);
    cr_assert_eq(run(args, &out, NULL), 0);
    json_error_t jerr;
    json_t *j = json_loads(out, 0, &jerr);
    cr_assert_not_null(j, "search --json printed invalid JSON: %s", out);
    cr_expect_eq(json_integer_value(json_object_get(j, "total")), 1);
    json_t *first = json_array_get(json_object_get(j, "results"), 0);
    cr_expect_str_eq(json_string_value(json_object_get(first, "id")), "good");
    cr_expect_str_eq(json_string_value(json_object_get(first, "name")), "Test Cyst Drainage");
    json_t *snip = json_object_get(first, "snippet");
    cr_expect_str_eq(json_string_value(json_object_get(snip, "section")), "Summary");
    cr_expect_eq(json_array_size(json_object_get(snip, "highlights")), 1);
    json_decref(j);
    free(out), free(args), free(dir);
}

/* A run that fails says so, and that its count is not what was committed. */
Test(cli, failed_index_run_says_it_stopped) {
    char *file = fmt("%s/afile", tmp), *page = fmt("%s/good.txt", tmp);
    t_write(file, "x", 1);
    t_write(page, good_page, sizeof good_page - 1);
    char *args = fmt("index --quiet --db '%s/db' '%s'", file, page);
    char *err = NULL;
    cr_expect_eq(run(args, NULL, &err), 1);
    cr_expect_not_null(strstr(err, "afile"), "%s", err);
    cr_expect_not_null(strstr(err, "stopped after"), "%s", err);
    cr_expect_null(strstr(err, "indexed "), "%s", err);
    free(err), free(args), free(file), free(page);
}

Test(cli, usage_errors_exit_2_and_name_the_parameter) {
    char *err = NULL;
    cr_expect_eq(run("index", NULL, &err), 2);
    free(err);
    cr_expect_eq(run("frobnicate", NULL, &err), 2);
    free(err);
    char *args = fmt("search --db '%s/db' --limit many x", tmp);
    cr_expect_eq(run(args, NULL, &err), 2);
    cr_expect_not_null(strstr(err, "--limit"), "%s", err);
    free(err), free(args);
    args = fmt("search --db '%s/db' --section nowhere x", tmp);
    cr_expect_eq(run(args, NULL, &err), 2);
    cr_expect_not_null(strstr(err, "nowhere"), "%s", err);
    free(err), free(args);
    args = fmt("search --db '%s/missing' x", tmp);
    cr_expect_eq(run(args, NULL, &err), 1);
    cr_expect_not_null(strstr(err, "missing"), "%s", err);
    free(err), free(args);
}

Test(cli, get_delete_stats_round_trip) {
    char *samples = t_path("corpus/samples");
    char *args = fmt("index --db '%s/db' '%s'", tmp, samples);
    cr_assert_eq(run(args, NULL, NULL), 0);
    free(args);
    char *out = NULL;
    args = fmt("stats --db '%s/db' --json", tmp);
    cr_assert_eq(run(args, &out, NULL), 0);
    json_t *j = json_loads(out, 0, NULL);
    cr_assert_not_null(j, "%s", out);
    cr_expect_eq(json_integer_value(json_object_get(j, "documents")), 5);
    json_decref(j), free(out), free(args);

    args = fmt("get --db '%s/db' 002_4347b46140aa9454", tmp);
    cr_assert_eq(run(args, &out, NULL), 0);
    cr_expect_not_null(strstr(out, "Epidurography, radiological supervision and interpretation"));
    cr_expect_not_null(strstr(out, "Risks and Complications"));
    cr_expect_null(strstr(out, "Search all medical codes"));
    free(out), free(args);

    args = fmt("delete --db '%s/db' 002_4347b46140aa9454", tmp);
    cr_assert_eq(run(args, NULL, NULL), 0);
    free(args);
    char *err = NULL;
    args = fmt("get --db '%s/db' 002_4347b46140aa9454", tmp);
    cr_expect_eq(run(args, NULL, &err), 1);
    cr_expect_not_null(strstr(err, "002_4347b46140aa9454"), "%s", err);
    free(err), free(args);
    args = fmt("delete --db '%s/db' no-such-page", tmp);
    cr_expect_eq(run(args, NULL, &err), 1);
    free(err), free(args);
    args = fmt("stats --db '%s/db'", tmp);
    cr_assert_eq(run(args, &out, NULL), 0);
    cr_expect_not_null(strstr(out, "documents    4"), "%s", out);
    free(out), free(args), free(samples);
}

/* The one-shot commands read the spelling table word by word
 * (ps_searcher_one_query): they correct as a searcher that remembers it. */
Test(cli, search_and_suggest_correct_misspellings) {
    char *samples = t_path("corpus/samples");
    char *args = fmt("index --db '%s/db' --quiet '%s'", tmp, samples);
    cr_assert_eq(run(args, NULL, NULL), 0);
    free(args), free(samples);
    char *out = NULL;
    args = fmt("search --db '%s/db' --json 'lumbar discografy'", tmp);
    cr_assert_eq(run(args, &out, NULL), 0);
    json_t *j = json_loads(out, 0, NULL);
    cr_assert_not_null(j, "%s", out);
    cr_expect_str_eq(json_string_value(json_object_get(j, "did_you_mean")), "lumbar discogram");
    json_decref(j), free(out), free(args);
    args = fmt("suggest --db '%s/db' --json 'myelogrphy lumb'", tmp);
    cr_assert_eq(run(args, &out, NULL), 0);
    j = json_loads(out, 0, NULL);
    cr_assert_not_null(j, "%s", out);
    const char *dym = json_string_value(json_object_get(j, "did_you_mean"));
    cr_expect(dym && strncmp(dym, "myelography ", 12) == 0, "%s", out);
    json_decref(j), free(out), free(args);
}

/* Many copies of the dev pages under new ids, so that indexing takes long
 * enough to be killed in the middle. */
static char *make_pages(size_t copies) {
    char *dir = fmt("%s/many", tmp);
    cr_assert_eq(mkdir(dir, 0755), 0);
    char *src = t_path("corpus/dev/docs/cardiology-02.txt");
    FILE *f = fopen(src, "rb");
    cr_assert_not_null(f);
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    free(src);
    for (size_t i = 0; i < copies; i++) {
        char *p = fmt("%s/page-%05zu.txt", dir, i);
        cr_assert_eq(t_write(p, buf, n), 0);
        free(p);
    }
    return dir;
}

/* Start `procsearch index` on dir into db, its stderr into tmp/index.err. */
static pid_t start_index(const char *db, const char *dir, const char *threads) {
    const char *bin = getenv("PROCSEARCH_BIN");
    cr_assert_not_null(bin);
    char *err_path = fmt("%s/index.err", tmp);
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen(err_path, "w", stderr))
            _exit(126);
        execl(bin, bin, "index", "--db", db, "--batch", "25", "--threads", threads, dir,
              (char *)NULL);
        _exit(127);
    }
    free(err_path);
    cr_assert_gt(pid, 0);
    return pid;
}

/* What the last start_index run wrote to stderr (malloc()ed). */
static char *index_stderr(void) {
    char *path = fmt("%s/index.err", tmp), *text = NULL;
    size_t len = 0;
    ps_err err = {{0}};
    cr_assert_eq(ps_file_read(path, 0, &text, &len, &err), 0, "%s", err.msg);
    free(path);
    return text;
}

/* A run stopped by sig dies of it once it has cleaned up, as it would
 * have without the cleanup, so that a shell loop stops too. */
static void expect_died_of(int status, int sig) {
    cr_expect(WIFSIGNALED(status) && WTERMSIG(status) == sig, "status %#x, not signal %d",
              (unsigned)status, sig);
}

static uint32_t doccount_or_0(const char *db) {
    xs_db *r = NULL;
    uint32_t n = 0;
    if (xs_db_open(db, XS_DB_READ, &r) == XS_OK) {
        n = xs_db_doccount(r);
        xs_db_close(r);
    }
    return n;
}

/* Whether a sharded run's folder (db.shards-XXXXXX) is in tmp. */
static int shards_folder_exists(void) {
    char *cmd = fmt("ls -d '%s'/db.shards-* >/dev/null 2>&1", tmp);
    int found = system(cmd) == 0;
    free(cmd);
    return found;
}

/* Start a serial run, send sig once its first batch is committed (*seen:
 * the documents then), and return its wait status. */
static int signal_after_first_batch(const char *db, const char *dir, int sig, uint32_t *seen) {
    pid_t pid = start_index(db, dir, "1");
    *seen = 0;
    for (int i = 0; i < 2000 && *seen == 0; i++)
        if (!(*seen = doccount_or_0(db)))
            usleep(5000);
    kill(pid, sig);
    int status = 0;
    waitpid(pid, &status, 0);
    cr_assert_gt(*seen, 0, "the indexer never committed a batch");
    return status;
}

/* SIGTERM to a serial run: it commits every page it stored (the count it
 * reports, batch or not), says so, and dies of the signal. */
Test(cli, terminated_indexer_commits_what_it_stored) {
    char *dir = make_pages(3000);
    char *db = fmt("%s/db", tmp);
    uint32_t seen = 0;
    int status = signal_after_first_batch(db, dir, SIGTERM, &seen);
    expect_died_of(status, SIGTERM);
    char *err = index_stderr();
    const char *said = strstr(err, "interrupted: the ");
    cr_assert_not_null(said, "%s", err);
    unsigned long stored = strtoul(said + strlen("interrupted: the "), NULL, 10);
    uint32_t docs = doccount_or_0(db);
    cr_expect_eq(docs, stored, "%s", err);
    cr_expect_geq(docs, seen);
    free(err), free(db), free(dir);
}

/* SIGINT to a sharded run: no shard databases are left behind, and the
 * database is as it was (here: empty). */
Test(cli, interrupted_sharded_indexer_leaves_no_shards) {
    char *dir = make_pages(3000);
    char *db = fmt("%s/db", tmp);
    pid_t pid = start_index(db, dir, "2");
    int started = 0;
    for (int i = 0; i < 2000 && !started; i++)
        if (!(started = shards_folder_exists()))
            usleep(5000);
    usleep(200000); /* into the pages */
    kill(pid, SIGINT);
    int status = 0;
    waitpid(pid, &status, 0);
    cr_assert(started, "the shards never started");
    expect_died_of(status, SIGINT);
    char *err = index_stderr();
    cr_expect(strstr(err, "interrupted: nothing merged") != NULL, "%s", err);
    cr_expect(!shards_folder_exists(), "a shards folder is left in %s", tmp);
    cr_expect_eq(doccount_or_0(db), 0);
    free(err), free(db), free(dir);
}

Test(cli, killed_indexer_keeps_exactly_the_committed_batches) {
    const size_t batch = 25, total = 3000;
    char *dir = make_pages(total);
    char *db = fmt("%s/db", tmp);
    /* A kill without warning. */
    uint32_t seen = 0;
    int status = signal_after_first_batch(db, dir, SIGKILL, &seen);
    xs_db *r = NULL;
    cr_assert_eq(xs_db_open(db, XS_DB_READ, &r), XS_OK, "database unusable after kill: %s",
                 xs_last_error());
    uint32_t docs = xs_db_doccount(r);
    cr_expect_eq(docs % batch, 0, "%u documents is not whole batches of %zu", docs, batch);
    cr_expect_geq(docs, seen);
    if (WIFSIGNALED(status))
        cr_expect_lt(docs, total, "killed before the end");
    /* Every committed document is whole: its stored page is readable. */
    for (uint32_t id = 1; id <= xs_db_lastdocid(r); id++) {
        xs_doc *d = NULL;
        if (xs_db_get_doc(r, id, &d) != XS_OK)
            continue;
        const char *data;
        size_t len;
        cr_expect_eq(xs_doc_get_value(d, PS_VALUE_PAGE, &data, &len), XS_OK);
        cr_expect_gt(len, 100);
        xs_doc_free(d);
    }
    xs_db_close(r);
    /* And indexing again completes the job. */
    char *args = fmt("index --db '%s' '%s'", db, dir);
    cr_expect_eq(run(args, NULL, NULL), 0);
    free(args);
    cr_assert_eq(xs_db_open(db, XS_DB_READ, &r), XS_OK);
    cr_expect_eq(xs_db_doccount(r), total);
    xs_db_close(r);
    free(db), free(dir);
}
