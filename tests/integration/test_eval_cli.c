#define _GNU_SOURCE
/*
 * `procsearch eval` as a user runs it on the dev collection: the last-line
 * summary, the JSON shape, run files that score back identically, weights,
 * and errors that name what is wrong.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/support/testenv.h"

static char *tmp, *db, *queries, *qrels;

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

static void setup(void) {
    tmp = t_tmpdir("eval");
    cr_assert_not_null(tmp);
    db = fmt("%s/db", tmp);
    queries = t_path("corpus/dev/queries.tsv");
    qrels = t_path("corpus/dev/qrels.txt");
    char *docs = t_path("corpus/dev/docs");
    char *args = fmt("index --quiet --db '%s' '%s'", db, docs);
    char *err = NULL;
    cr_assert_eq(run(args, NULL, &err), 0, "index: %s", err);
    free(err);
    free(args);
    free(docs);
}

static void teardown(void) {
    t_rmtree(tmp);
    free(tmp);
    free(db);
    free(queries);
    free(qrels);
}

TestSuite(eval_cli, .init = setup, .fini = teardown, .timeout = 120);

/* "eval --db DB --queries Q --qrels R " followed by more. */
static char *eval_args(const char *more) {
    return fmt("eval --db '%s' --queries '%s' --qrels '%s' %s", db, queries, qrels, more);
}

static const char *last_line(const char *out) {
    size_t n = strlen(out);
    cr_assert(n > 1 && out[n - 1] == '\n', "output should end in a line break: %s", out);
    const char *p = out + n - 1;
    while (p > out && p[-1] != '\n')
        p--;
    return p;
}

typedef struct figures {
    double ndcg, mrr, p1, recall;
    int queries;
} figures;

static figures parse_summary(const char *line, const char *label) {
    figures f = {0};
    char name[64] = "";
    int consumed = 0;
    int got = sscanf(line, "%63s nDCG@10 %lf  MRR@10 %lf  P@1 %lf  R@10 %lf  (%d queries)%n", name,
                     &f.ndcg, &f.mrr, &f.p1, &f.recall, &f.queries, &consumed);
    cr_assert_eq(got, 6, "not a summary line: '%s'", line);
    cr_expect_str_eq(name, label);
    cr_expect(line[consumed] == '\n' || line[consumed] == '\0', "trailing text: '%s'", line);
    double v[] = {f.ndcg, f.mrr, f.p1, f.recall};
    for (size_t i = 0; i < 4; i++)
        cr_expect(v[i] >= 0 && v[i] <= 1, "metric %zu out of [0,1]: %s", i, line);
    return f;
}

Test(eval_cli, text_report_ends_with_the_overall_line) {
    char *args = eval_args("--worst 5"), *out = NULL, *err = NULL;
    cr_assert_eq(run(args, &out, &err), 0, "stderr: %s", err);
    const char *last = last_line(out);
    cr_expect(!strncmp(last, "overall  nDCG@10 ", 17), "last line: %s", last);
    figures f = parse_summary(last, "overall");
    cr_expect_eq(f.queries, 619, "every dev query has a judged page");
    /* A floor that catches a broken ranking, not a target. */
    cr_expect_gt(f.ndcg, 0.6, "%s", last);
    printf("dev collection: %s", last);
    /* One line per query type, in the order the file first uses them. */
    const char *types[] = {"coder", "lay", "question", "typo"};
    const char *at = out;
    for (size_t i = 0; i < 4; i++) {
        char *key = fmt("\n%s ", types[i]);
        const char *hit = strstr(at, key);
        cr_assert_not_null(hit, "no line for %s in:\n%s", types[i], out);
        figures t = parse_summary(hit + 1, types[i]);
        cr_expect_gt(t.queries, 0);
        at = hit + 1;
        free(key);
    }
    cr_expect_not_null(strstr(out, "worst 5 by nDCG@10"), "%s", out);
    free(args), free(out), free(err);
}

static json_t *run_json(const char *args) {
    char *out = NULL, *err = NULL;
    cr_assert_eq(run(args, &out, &err), 0, "%s: %s", args, err);
    json_error_t je;
    json_t *j = json_loads(out, 0, &je);
    cr_assert_not_null(j, "not JSON (%s): %s", je.text, out);
    free(out), free(err);
    return j;
}

static void check_avg(json_t *avg, const char *where) {
    cr_assert(json_is_object(avg), "%s is not an object", where);
    const char *keys[] = {"ndcg10", "mrr10", "p1", "recall10"};
    for (size_t i = 0; i < 4; i++) {
        json_t *v = json_object_get(avg, keys[i]);
        cr_assert(json_is_number(v), "%s.%s missing", where, keys[i]);
        double d = json_number_value(v);
        cr_expect(d >= 0 && d <= 1, "%s.%s = %f", where, keys[i], d);
    }
    cr_expect(json_is_integer(json_object_get(avg, "queries")), "%s.queries", where);
    cr_expect(json_is_integer(json_object_get(avg, "skipped")), "%s.skipped", where);
}

Test(eval_cli, json_report_shape) {
    char *args = eval_args("--json --worst 7");
    json_t *j = run_json(args);
    check_avg(json_object_get(j, "overall"), "overall");
    cr_expect_eq(json_integer_value(json_object_get(json_object_get(j, "overall"), "queries")),
                 619);
    json_t *by = json_object_get(j, "by_type");
    cr_assert(json_is_object(by));
    cr_expect_eq(json_object_size(by), 4);
    const char *want[] = {"coder", "lay", "question", "typo"};
    size_t i = 0;
    const char *key;
    json_t *val;
    json_object_foreach(by, key, val) {
        cr_assert_lt(i, 4);
        cr_expect_str_eq(key, want[i], "types in first-seen order");
        check_avg(val, key);
        i++;
    }
    json_t *worst = json_object_get(j, "worst");
    cr_assert(json_is_array(worst));
    cr_expect_eq(json_array_size(worst), 7);
    double prev = -1;
    size_t k;
    json_array_foreach(worst, k, val) {
        cr_expect(json_is_string(json_object_get(val, "qid")));
        cr_expect(json_is_string(json_object_get(val, "type")));
        cr_expect(json_is_string(json_object_get(val, "query")));
        json_t *rank = json_object_get(val, "first_rank");
        cr_expect(json_is_integer(rank) || json_is_null(rank));
        json_t *top1 = json_object_get(val, "top1");
        cr_expect(json_is_string(top1) || json_is_null(top1));
        double nd = json_number_value(json_object_get(val, "ndcg10"));
        cr_expect(nd >= prev, "worst first");
        prev = nd;
    }
    json_decref(j);
    free(args);
}

static int count_lines(const char *path, size_t *per_query_max) {
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s", path);
    char line[1024], last_q[256] = "";
    int n = 0;
    size_t run_len = 0;
    *per_query_max = 0;
    while (fgets(line, sizeof line, f)) {
        char q[256], q0[8], doc[256], tag[64];
        long rank;
        double score;
        cr_assert_eq(sscanf(line, "%255s %7s %255s %ld %lf %63s", q, q0, doc, &rank, &score, tag),
                     6, "bad run line: %s", line);
        cr_expect_str_eq(q0, "Q0");
        cr_expect_str_eq(tag, "procsearch");
        run_len = strcmp(q, last_q) ? 1 : run_len + 1;
        cr_expect_eq(rank, (long)run_len, "ranks count from 1 per query: %s", line);
        if (run_len > *per_query_max)
            *per_query_max = run_len;
        snprintf(last_q, sizeof last_q, "%s", q);
        n++;
    }
    fclose(f);
    return n;
}

Test(eval_cli, score_run_of_the_run_reproduces_the_figures) {
    char *run_path = fmt("%s/dev.run", tmp);
    char *more = fmt("--json --run '%s' --depth 20", run_path);
    char *args = eval_args(more);
    json_t *searched = run_json(args);
    size_t deepest = 0;
    cr_expect_gt(count_lines(run_path, &deepest), 619);
    cr_expect_eq(deepest, 20, "--depth caps each query's results");
    char *score = fmt("eval --score-run '%s' --queries '%s' --qrels '%s' --json", run_path, queries,
                      qrels);
    json_t *scored = run_json(score);
    /* Same figures to the last bit, worst list included. */
    cr_expect(json_equal(searched, scored), "searched:\n%s\nscored:\n%s",
              json_dumps(searched, JSON_INDENT(1)), json_dumps(scored, JSON_INDENT(1)));
    json_decref(searched);
    json_decref(scored);
    free(run_path), free(more), free(args), free(score);
}

Test(eval_cli, score_run_of_a_hand_written_run) {
    char *q = fmt("%s/q.tsv", tmp), *r = fmt("%s/q.qrels", tmp), *rn = fmt("%s/x.run", tmp);
    const char qs[] = "a\tlay\tfirst\nb\tcoder\tsecond\nc\tlay\tunjudged\n";
    const char qr[] = "a 0 p1 2\na 0 p2 1\nb 0 p3 2\n";
    /* a: p1 at rank 1, p2 at rank 2 (perfect); b: p3 missing. zz is no query of ours. */
    const char rs[] = "a Q0 p1 1 3.0 peer\na Q0 p2 2 2.0 peer\nb Q0 p9 1 1.0 peer\n"
                      "zz Q0 p1 1 1.0 peer\n";
    cr_assert_eq(t_write(q, qs, sizeof qs - 1), 0);
    cr_assert_eq(t_write(r, qr, sizeof qr - 1), 0);
    cr_assert_eq(t_write(rn, rs, sizeof rs - 1), 0);
    char *args = fmt("eval --score-run '%s' --queries '%s' --qrels '%s'", rn, q, r);
    char *out = NULL, *err = NULL;
    cr_assert_eq(run(args, &out, &err), 0, "%s", err);
    figures f = parse_summary(last_line(out), "overall");
    cr_expect_eq(f.queries, 2);
    cr_expect(f.ndcg == 0.5 && f.mrr == 0.5 && f.p1 == 0.5 && f.recall == 0.5, "%s", out);
    cr_expect_not_null(strstr(out, "skipped 1 query without"), "%s", out);
    cr_expect_not_null(strstr(err, "1 of its queries are not in"), "%s", err);
    free(q), free(r), free(rn), free(args), free(out), free(err);
}

static void expect_fails(const char *args, int want_rc, const char *needle) {
    char *out = NULL, *err = NULL;
    int rc = run(args, &out, &err);
    cr_expect_eq(rc, want_rc, "%s: exit %d, stderr: %s", args, rc, err);
    cr_expect_not_null(strstr(err, needle), "%s: wanted '%s' in: %s", args, needle, err);
    free(out), free(err);
}

Test(eval_cli, usage_errors_exit_2) {
    char *a;
    expect_fails(a = eval_args("--depth 5"), 2, "--depth needs at least 10"), free(a);
    expect_fails(a = eval_args("--depth 1001"), 2, "--depth needs a whole number"), free(a);
    expect_fails(a = eval_args("--worst x"), 2, "--worst"), free(a);
    expect_fails(a = eval_args("--bogus"), 2, "unknown option"), free(a);
    expect_fails(a = eval_args("--pages x"), 2, "--db and --pages"), free(a);
    expect_fails(a = eval_args("stray"), 2, "unexpected argument 'stray'"), free(a);
    expect_fails(a = eval_args("--score-run x.run"), 2, "--score-run scores an existing run"),
        free(a);
    expect_fails(a = fmt("eval --db '%s' --qrels '%s'", db, qrels), 2, "--queries"), free(a);
}

Test(eval_cli, bad_files_are_named_with_the_line) {
    char *q = fmt("%s/bad.tsv", tmp), *r = fmt("%s/bad.qrels", tmp), *a;
    const char bad_q[] = "q1\tlay\tfine\nq2 no tabs here\n";
    const char bad_r[] = "q1 0 a 2\nq1 0 b two\n";
    cr_assert_eq(t_write(q, bad_q, sizeof bad_q - 1), 0);
    cr_assert_eq(t_write(r, bad_r, sizeof bad_r - 1), 0);
    char *want = fmt("%s:2: expected 'qid<TAB>type<TAB>query'", q);
    expect_fails(a = fmt("eval --db '%s' --queries '%s' --qrels '%s'", db, q, qrels), 1, want);
    free(a), free(want);
    want = fmt("%s:2: grade 'two'", r);
    expect_fails(a = fmt("eval --db '%s' --queries '%s' --qrels '%s'", db, queries, r), 1, want);
    free(a), free(want);
    expect_fails(a = fmt("eval --db '%s' --queries '%s/none.tsv' --qrels '%s'", db, tmp, qrels), 1,
                 "none.tsv"),
        free(a);
    expect_fails(a = fmt("eval --score-run '%s/none.run' --queries '%s' --qrels '%s'", tmp,
                         queries, qrels),
                 1, "none.run"),
        free(a);
    expect_fails(a = fmt("eval --db '%s/nodb' --queries '%s' --qrels '%s'", tmp, queries, qrels),
                 1, "nodb"),
        free(a);
    free(q), free(r);
}

Test(eval_cli, field_weights_need_pages) {
    char *w = fmt("%s/w.conf", tmp);
    const char conf[] = "# an unusual name weight no shipped default has\nname = 7.25\nk1 = 1.4\n";
    cr_assert_eq(t_write(w, conf, sizeof conf - 1), 0);
    char *more = fmt("--weights '%s'", w), *a = eval_args(more);
    expect_fails(a, 2, "--pages");
    free(a), free(more);

    /* Query-time values alone are fine against the database as it is. */
    const char k1[] = "k1 = 1.5\nb = 0.6\n";
    cr_assert_eq(t_write(w, k1, sizeof k1 - 1), 0);
    char *out = NULL, *err = NULL;
    more = fmt("--weights '%s'", w), a = eval_args(more);
    cr_expect_eq(run(a, &out, &err), 0, "%s", err);
    parse_summary(last_line(out), "overall");
    free(a), free(more), free(out), free(err);

    /* With --pages, eval indexes into a temporary database it then removes. */
    cr_assert_eq(t_write(w, conf, sizeof conf - 1), 0);
    char *scratch = fmt("%s/scratch", tmp);
    cr_assert_eq(mkdir(scratch, 0755), 0);
    cr_assert_eq(setenv("TMPDIR", scratch, 1), 0);
    char *docs = t_path("corpus/dev/docs");
    a = fmt("eval --pages '%s' --queries '%s' --qrels '%s' --weights '%s'", docs, queries, qrels,
            w);
    cr_expect_eq(run(a, &out, &err), 0, "%s", err);
    figures f = parse_summary(last_line(out), "overall");
    cr_expect_eq(f.queries, 619);
    printf("dev collection, name = 7.25, k1 = 1.4: %s", last_line(out));
    DIR *d = opendir(scratch);
    cr_assert_not_null(d);
    struct dirent *e;
    int left = 0;
    while ((e = readdir(d)))
        left += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    cr_expect_eq(left, 0, "the temporary database should be gone");
    unsetenv("TMPDIR");
    free(a), free(out), free(err), free(docs), free(scratch), free(w);
}

Test(eval_cli, pages_that_are_rejected_stop_the_evaluation) {
    char *pages = fmt("%s/pages", tmp);
    cr_assert_eq(mkdir(pages, 0755), 0);
    char *p = fmt("%s/empty.txt", pages);
    cr_assert_eq(t_write(p, "", 0), 0);
    char *a = fmt("eval --pages '%s' --queries '%s' --qrels '%s'", pages, queries, qrels);
    expect_fails(a, 1, "empty.txt");
    free(a), free(p), free(pages);
}
