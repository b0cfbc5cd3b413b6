/*
 * The eval library: metrics against hand-computed values, averaging per
 * type, the worst list, loaders that name file:line, and run files that read
 * back as they were written.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/eval.h"

#define EPS 1e-9

/* log2(3), spelled out so that the hand computations below read as numbers. */
#define LOG2_3 1.5849625007211562

static ps_qrels qrels_of(const char *text) {
    ps_qrels q;
    ps_err err = {{0}};
    cr_assert_eq(ps_qrels_parse(text, strlen(text), "t.qrels", &q, &err), 0, "%s", err.msg);
    return q;
}

static ps_metrics rank(const ps_qrels *q, const char *qid, const char *const *ids, size_t n) {
    ps_metrics m;
    ps_err err = {{0}};
    cr_assert_eq(ps_metrics_of_ranking(ps_qrels_of(q, qid), ids, n, &m, &err), 0, "%s", err.msg);
    return m;
}

static void expect_near(double got, double want, const char *what) {
    cr_expect(fabs(got - want) < EPS, "%s: got %.12f, want %.12f", what, got, want);
}

static void expect_metrics(ps_metrics m, double ndcg, double mrr, double p1, double recall) {
    expect_near(m.ndcg10, ndcg, "nDCG@10");
    expect_near(m.mrr10, mrr, "MRR@10");
    expect_near(m.p1, p1, "P@1");
    expect_near(m.recall10, recall, "R@10");
}

static const char abc[] = "q1 0 a 2\n"
                          "q1 0 b 1\n"
                          "q1 0 c 1\n";

Test(eval_metrics, hand_computed_mixed_ranking) {
    ps_qrels q = qrels_of(abc);
    /* Ranking b (grade 1), x (unjudged), a (grade 2):
     *   DCG   = 1/log2(2) + 0/log2(3) + 2/log2(4)          = 1 + 0 + 1 = 2
     *   ideal = 2/log2(2) + 1/log2(3) + 1/log2(4)          = 2 + 0.630930 + 0.5
     *   nDCG  = 2 / 3.130930 = 0.638787
     *   MRR   = 1/3 (the grade-2 page is at rank 3), P@1 = 0 (rank 1 is grade 1)
     *   R@10  = 2 of the 3 relevant pages (a, b) = 0.666667 */
    const char *ids[] = {"b", "x", "a"};
    ps_metrics m = rank(&q, "q1", ids, 3);
    double ideal = 2.0 + 1.0 / LOG2_3 + 0.5;
    expect_metrics(m, 2.0 / ideal, 1.0 / 3.0, 0.0, 2.0 / 3.0);
    cr_expect(fabs(2.0 / ideal - 0.638787) < 1e-6);
    cr_expect_eq(m.first_rank, 3);
    cr_expect_eq(m.relevant, 3);
    ps_qrels_free(&q);
}

Test(eval_metrics, perfect_ranking_scores_one) {
    ps_qrels q = qrels_of(abc);
    const char *ids[] = {"a", "b", "c", "x", "y"};
    ps_metrics m = rank(&q, "q1", ids, 5);
    expect_metrics(m, 1.0, 1.0, 1.0, 1.0);
    cr_expect_eq(m.first_rank, 1);
    /* Pages of equal grade may come in either order. */
    const char *swapped[] = {"a", "c", "b"};
    expect_metrics(rank(&q, "q1", swapped, 3), 1.0, 1.0, 1.0, 1.0);
    ps_qrels_free(&q);
}

Test(eval_metrics, nothing_relevant_in_the_top_ten_scores_zero) {
    ps_qrels q = qrels_of(abc);
    const char *ids[] = {"u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9", "u10", "a", "b"};
    ps_metrics m = rank(&q, "q1", ids, 12);
    expect_metrics(m, 0, 0, 0, 0);
    /* Still worth knowing how far down the wanted page was. */
    cr_expect_eq(m.first_rank, 11);
    ps_metrics none = rank(&q, "q1", NULL, 0);
    expect_metrics(none, 0, 0, 0, 0);
    cr_expect_eq(none.first_rank, 0);
    cr_expect_eq(none.relevant, 3, "an empty ranking still counts as judged");
    ps_qrels_free(&q);
}

Test(eval_metrics, more_than_ten_relevant_pages) {
    /* Twelve relevant: p1 (grade 2) and p2..p12 (grade 1). */
    char text[512] = "";
    for (int i = 1; i <= 12; i++) {
        char line[32];
        snprintf(line, sizeof line, "q 0 p%d %d\n", i, i == 1 ? 2 : 1);
        strcat(text, line);
    }
    ps_qrels q = qrels_of(text);
    /* p2..p11 fill the top ten, p1 comes 11th:
     *   DCG   = sum over i=1..10 of 1/log2(i+1)
     *   ideal = 2/log2(2) + sum over i=2..10 of 1/log2(i+1)   (cut at 10)
     *         = DCG + 1  (the only difference is rank 1: gain 2 instead of 1)
     *   R@10  = 10/12; MRR and P@1 are 0 (the grade-2 page is 11th). */
    const char *ids[] = {"p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "p10", "p11", "p1"};
    double dcg = 0;
    for (int i = 1; i <= 10; i++)
        dcg += 1.0 / log2(i + 1.0);
    /* 1 + 0.63093 + 0.5 + 0.43068 + 0.38685 + 0.35621 + 0.33333 + 0.31546 + 0.30103 + 0.28906 */
    cr_expect(fabs(dcg - 4.543559) < 1e-6, "%f", dcg);
    ps_metrics m = rank(&q, "q", ids, 11);
    expect_metrics(m, dcg / (dcg + 1.0), 0, 0, 10.0 / 12.0);
    cr_expect_eq(m.first_rank, 11);
    cr_expect_eq(m.relevant, 12);
    /* The best possible top ten still scores 1 although two relevant pages miss it. */
    const char *best[] = {"p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "p10"};
    expect_metrics(rank(&q, "q", best, 10), 1.0, 1.0, 1.0, 10.0 / 12.0);
    ps_qrels_free(&q);
}

Test(eval_metrics, repeats_count_only_at_their_first_rank) {
    ps_qrels q = qrels_of(abc);
    /* x, x, a: the repeat is ignored, so a is at rank 2.
     *   DCG = 2/log2(3); ideal as above; MRR = 1/2; R@10 = 1/3. */
    const char *ids[] = {"x", "x", "a"};
    ps_metrics m = rank(&q, "q1", ids, 3);
    double ideal = 2.0 + 1.0 / LOG2_3 + 0.5;
    expect_metrics(m, (2.0 / LOG2_3) / ideal, 0.5, 0, 1.0 / 3.0);
    cr_expect_eq(m.first_rank, 2);
    /* a, a, a: gains once, recalls once. */
    const char *again[] = {"a", "a", "a"};
    expect_metrics(rank(&q, "q1", again, 3), 2.0 / ideal, 1.0, 1.0, 1.0 / 3.0);
    ps_qrels_free(&q);
}

Test(eval_metrics, unjudged_and_non_relevant_pages_gain_nothing) {
    ps_qrels q = qrels_of("q 0 a 2\nq 0 z 0\nq 0 n -1\n");
    /* z (judged 0), n (judged -1), u (unjudged), then a:
     *   DCG = 2/log2(5); ideal = 2; relevant = 1 (only a). */
    const char *ids[] = {"z", "n", "u", "a"};
    ps_metrics m = rank(&q, "q", ids, 4);
    expect_metrics(m, (2.0 / log2(5.0)) / 2.0, 0.25, 0, 1.0);
    cr_expect_eq(m.relevant, 1);
    ps_qrels_free(&q);
}

Test(eval_metrics, queries_without_a_relevant_judgment_are_marked) {
    ps_qrels q = qrels_of("q 0 z 0\nother 0 a 2\n");
    const char *ids[] = {"z", "a"};
    ps_metrics m = rank(&q, "q", ids, 2);
    cr_expect_eq(m.relevant, 0);
    expect_metrics(m, 0, 0, 0, 0);
    ps_metrics unknown = rank(&q, "nobody", ids, 2);
    cr_expect_eq(unknown.relevant, 0);
    ps_qrels_free(&q);
}

Test(eval_metrics, grade_one_only_gives_ndcg_but_no_mrr) {
    ps_qrels q = qrels_of("q 0 a 1\n");
    const char *ids[] = {"a"};
    expect_metrics(rank(&q, "q", ids, 1), 1.0, 0, 0, 1.0);
    ps_qrels_free(&q);
}

Test(eval_metrics, long_ranking_with_repeats) {
    /* 1000 results where every page appears twice: only 500 distinct ranks. */
    ps_qrels q = qrels_of("q 0 d499 2\n");
    char (*names)[16] = calloc(1000, 16);
    const char **ids = calloc(1000, sizeof *ids);
    cr_assert(names && ids);
    for (int i = 0; i < 1000; i++) {
        snprintf(names[i], 16, "d%d", i / 2);
        ids[i] = names[i];
    }
    ps_metrics m = rank(&q, "q", ids, 1000);
    cr_expect_eq(m.first_rank, 500);
    expect_metrics(m, 0, 0, 0, 0);
    free(names);
    free(ids);
    ps_qrels_free(&q);
}

/* ---- averaging --------------------------------------------------------- */

static ps_queries queries_of(const char *text) {
    ps_queries qs;
    ps_err err = {{0}};
    cr_assert_eq(ps_queries_parse(text, strlen(text), "t.tsv", &qs, &err), 0, "%s", err.msg);
    return qs;
}

static ps_run run_of(const char *text) {
    ps_run r;
    ps_err err = {{0}};
    cr_assert_eq(ps_run_parse(text, strlen(text), "t.run", &r, &err), 0, "%s", err.msg);
    return r;
}

Test(eval_average, overall_and_per_type_over_judged_queries) {
    ps_queries qs = queries_of("q1\tlay\tone\n"
                               "q2\tcoder\ttwo\n"
                               "q3\tlay\tthree\n"
                               "q4\tcoder\tfour (no judgments)\n");
    ps_qrels qr = qrels_of("q1 0 a 2\nq2 0 b 2\nq3 0 c 2\n");
    /* q1 finds a at rank 1 (all 1), q2 finds b at rank 2, q3 finds nothing. */
    ps_run run = run_of("q1 Q0 a 1 9 t\n"
                        "q2 Q0 x 1 9 t\n"
                        "q2 Q0 b 2 8 t\n"
                        "q3 Q0 x 1 9 t\n"
                        "q4 Q0 x 1 9 t\n"
                        "q9 Q0 x 1 9 t\n");
    ps_eval_report rep;
    ps_err err = {{0}};
    cr_assert_eq(ps_eval_run(&run, &qs, &qr, &rep, &err), 0, "%s", err.msg);
    double q2_ndcg = 1.0 / LOG2_3;
    cr_expect_eq(rep.overall.queries, 3);
    cr_expect_eq(rep.overall.skipped, 1);
    cr_expect_eq(rep.run_unknown, 1, "q9 is not a query of the file");
    expect_near(rep.overall.ndcg10, (1.0 + q2_ndcg + 0) / 3, "overall nDCG");
    expect_near(rep.overall.mrr10, (1.0 + 0.5 + 0) / 3, "overall MRR");
    expect_near(rep.overall.p1, 1.0 / 3, "overall P@1");
    expect_near(rep.overall.recall10, 2.0 / 3, "overall R@10");
    /* Types in first-seen order: lay, then coder. */
    cr_assert_eq(qs.n_types, 2);
    cr_expect_str_eq(qs.types[0], "lay");
    cr_expect_str_eq(qs.types[1], "coder");
    cr_expect_eq(rep.by_type[0].queries, 2);
    expect_near(rep.by_type[0].ndcg10, 0.5, "lay nDCG");
    cr_expect_eq(rep.by_type[1].queries, 1);
    cr_expect_eq(rep.by_type[1].skipped, 1);
    expect_near(rep.by_type[1].mrr10, 0.5, "coder MRR");
    cr_expect_str_eq(rep.entries[1].top1, "x");

    size_t *worst = NULL, n = 0;
    cr_assert_eq(ps_eval_worst(&rep, 10, &worst, &n, &err), 0);
    cr_assert_eq(n, 3, "skipped queries are not among the worst");
    cr_expect_str_eq(rep.entries[worst[0]].query->qid, "q3");
    cr_expect_str_eq(rep.entries[worst[1]].query->qid, "q2");
    cr_expect_str_eq(rep.entries[worst[2]].query->qid, "q1");
    free(worst);
    cr_assert_eq(ps_eval_worst(&rep, 1, &worst, &n, &err), 0);
    cr_expect_eq(n, 1);
    free(worst);
    cr_assert_eq(ps_eval_worst(&rep, 0, &worst, &n, &err), 0);
    cr_expect_eq(n, 0);
    cr_expect_null(worst);

    ps_eval_report_free(&rep);
    ps_run_free(&run);
    ps_qrels_free(&qr);
    ps_queries_free(&qs);
}

Test(eval_average, run_lines_are_ranked_by_score_then_rank) {
    ps_queries qs = queries_of("q\tlay\tx\n");
    ps_qrels qr = qrels_of("q 0 a 2\n");
    /* Written out of order: a has the highest score, so it ranks first
     * whatever its rank column says; b and c tie and keep rank order. */
    ps_run run = run_of("q Q0 b 1 5 t\nq Q0 a 3 7.5 t\nq Q0 c 2 5 t\n");
    const ps_run_group *g = ps_run_of(&run, "q");
    cr_assert_not_null(g);
    cr_assert_eq(g->n, 3);
    cr_expect_str_eq(g->items[0].docid, "a");
    cr_expect_str_eq(g->items[1].docid, "b");
    cr_expect_str_eq(g->items[2].docid, "c");
    ps_eval_report rep;
    ps_err err = {{0}};
    cr_assert_eq(ps_eval_run(&run, &qs, &qr, &rep, &err), 0, "%s", err.msg);
    expect_near(rep.overall.p1, 1.0, "P@1");
    ps_eval_report_free(&rep);
    ps_run_free(&run);
    ps_qrels_free(&qr);
    ps_queries_free(&qs);
}

/* ---- run files --------------------------------------------------------- */

Test(eval_runfile, written_lines_read_back_as_ranked) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    ps_err err = {{0}};
    /* Scores that differ only in the last bits, and a tie. */
    const double scores[] = {10.000000000000002, 10.0, 10.0, 3.25};
    const char *ids[] = {"d1", "d2", "d3", "d4"};
    for (size_t i = 0; i < 4; i++)
        cr_assert_eq(ps_run_write_line(f, "mem", "q-1", ids[i], i + 1, scores[i], NULL, &err), 0);
    cr_expect_eq(ps_run_write_line(f, "mem", "q-1", "has space", 5, 1.0, NULL, &err), -1);
    cr_expect_not_null(strstr(err.msg, "has space"), "%s", err.msg);
    fclose(f);
    cr_expect_not_null(strstr(buf, "q-1 Q0 d1 1 "), "%s", buf);
    cr_expect_not_null(strstr(buf, " procsearch\n"), "%s", buf);
    ps_run run;
    cr_assert_eq(ps_run_parse(buf, len, "mem", &run, &err), 0, "%s", err.msg);
    const ps_run_group *g = ps_run_of(&run, "q-1");
    cr_assert_not_null(g);
    cr_assert_eq(g->n, 4);
    for (size_t i = 0; i < 4; i++) {
        cr_expect_str_eq(g->items[i].docid, ids[i]);
        cr_expect_eq(g->items[i].score, scores[i], "score %zu must read back exactly", i);
        cr_expect_eq(g->items[i].rank, (long)i + 1);
    }
    cr_expect_null(ps_run_of(&run, "q-2"));
    ps_run_free(&run);
    free(buf);
}

/* ---- loader errors ----------------------------------------------------- */

typedef enum { QUERIES, QRELS, RUN } kind;

static void expect_error(kind k, const char *text, size_t len, const char *needle) {
    ps_err err = {{0}};
    int rc;
    if (k == QUERIES) {
        ps_queries x;
        rc = ps_queries_parse(text, len, "in.tsv", &x, &err);
        if (rc == 0)
            ps_queries_free(&x);
    } else if (k == QRELS) {
        ps_qrels x;
        rc = ps_qrels_parse(text, len, "in.qrels", &x, &err);
        if (rc == 0)
            ps_qrels_free(&x);
    } else {
        ps_run x;
        rc = ps_run_parse(text, len, "in.run", &x, &err);
        if (rc == 0)
            ps_run_free(&x);
    }
    cr_expect_eq(rc, -1, "accepted: %.*s", (int)len, text);
    cr_expect_not_null(strstr(err.msg, needle), "wanted '%s' in: %s", needle, err.msg);
}

#define BAD(k, text, needle) expect_error(k, text, sizeof text - 1, needle)

Test(eval_load, bad_query_lines_name_file_and_line) {
    BAD(QUERIES, "q1\tlay\tfine\nq2 lay no tabs\n", "in.tsv:2: expected 'qid<TAB>type<TAB>query', found 0 tabs");
    BAD(QUERIES, "q1\tlay\n", "in.tsv:1: expected 'qid<TAB>type<TAB>query', found 1 tab");
    BAD(QUERIES, "q1\tlay\ta\tb\n", "in.tsv:1: expected 'qid<TAB>type<TAB>query', found more");
    BAD(QUERIES, "\n\nq1\t\tquery\n", "in.tsv:3: the type is empty");
    BAD(QUERIES, "q1\tlay\t  \n", "in.tsv:1: the query is empty");
    BAD(QUERIES, "\tlay\tq\n", "in.tsv:1: the query id is empty");
    BAD(QUERIES, "q 1\tlay\tq\n", "in.tsv:1: query id 'q 1' holds a space");
    BAD(QUERIES, "a\tlay\tx\nb\tlay\ty\na\tcoder\tz\n", "in.tsv:3: query id 'a' was already used on line 1");
    BAD(QUERIES, "a\tlay\tbad \xff byte\n", "in.tsv:1: invalid UTF-8");
    BAD(QUERIES, "a\tlay\tx\nb\tlay\ty\0z\n", "in.tsv:2: NUL byte");
    BAD(QUERIES, "", "in.tsv: no queries");
    BAD(QUERIES, "\n  \n", "in.tsv: no queries");
}

Test(eval_load, bad_qrels_lines_name_file_and_line) {
    BAD(QRELS, "q 0 a 2\nq 0 b\n", "in.qrels:2: expected 4 fields 'qid iter docid grade', found 3");
    BAD(QRELS, "q 0 a 2 extra\n", "in.qrels:1: expected 4 fields");
    BAD(QRELS, "q 0 a high\n", "in.qrels:1: grade 'high' is not a whole number");
    BAD(QRELS, "q 0 a 1.5\n", "in.qrels:1: grade '1.5'");
    BAD(QRELS, "q 0 a 2\nr 0 a 1\nq 0 a 1\n", "in.qrels:3: page 'a' was already judged for query 'q' on line 1");
    BAD(QRELS, "", "in.qrels: no judgments");
}

Test(eval_load, bad_run_lines_name_file_and_line) {
    BAD(RUN, "q Q0 a 1 2.5 t\nq Q0 b 2 1.5\n", "in.run:2: expected 6 fields 'qid Q0 docid rank score tag', found 5");
    BAD(RUN, "q Q0 a one 2.5 t\n", "in.run:1: rank 'one'");
    BAD(RUN, "q Q0 a -1 2.5 t\n", "in.run:1: rank '-1'");
    BAD(RUN, "q Q0 a 1 nan t\n", "in.run:1: score 'nan' is not a finite number");
    BAD(RUN, "q Q0 a 1 2.5x t\n", "in.run:1: score '2.5x'");
    BAD(RUN, "q Q0 a 1 1e999 t\n", "in.run:1: score '1e999'");
    BAD(RUN, "\n", "in.run: no results");
}

Test(eval_load, missing_files_are_named) {
    ps_err err = {{0}};
    ps_queries qs;
    ps_qrels qr;
    ps_run run;
    cr_expect_eq(ps_queries_load("/nonexistent/q.tsv", &qs, &err), -1);
    cr_expect_not_null(strstr(err.msg, "/nonexistent/q.tsv"), "%s", err.msg);
    cr_expect_eq(ps_qrels_load("/nonexistent/q.qrels", &qr, &err), -1);
    cr_expect_not_null(strstr(err.msg, "/nonexistent/q.qrels"), "%s", err.msg);
    cr_expect_eq(ps_run_load("/nonexistent/x.run", &run, &err), -1);
    cr_expect_not_null(strstr(err.msg, "/nonexistent/x.run"), "%s", err.msg);
}

Test(eval_load, tolerant_of_what_editors_do) {
    /* A BOM, CRLF line ends, blank lines and spaces around fields. */
    ps_queries qs = queries_of("\xEF\xBB\xBFq1\t lay \tneedle biopsy \r\n\r\n"
                               "q2\tcoder\tbx\r\n");
    cr_assert_eq(qs.n, 2);
    cr_expect_str_eq(qs.items[0].qid, "q1");
    cr_expect_str_eq(qs.items[0].type, "lay");
    cr_expect_str_eq(qs.items[0].text, "needle biopsy");
    cr_expect_eq(qs.items[1].line, 3);
    cr_expect_str_eq(ps_queries_find(&qs, "q2")->text, "bx");
    cr_expect_null(ps_queries_find(&qs, "q3"));
    ps_queries_free(&qs);
    ps_qrels qr = qrels_of("\xEF\xBB\xBFq1\t0  a 2\r\n\nq1 0 b 1\r\n");
    const ps_qrel_group *g = ps_qrels_of(&qr, "q1");
    cr_assert_not_null(g);
    cr_expect_eq(g->n, 2);
    cr_expect_eq(ps_qrel_grade(g, "a"), 2);
    cr_expect_eq(ps_qrel_grade(g, "b"), 1);
    cr_expect_eq(ps_qrel_grade(g, "c"), 0);
    cr_expect_eq(ps_qrel_grade(NULL, "a"), 0);
    ps_qrels_free(&qr);
}

Test(eval_load, dev_collection_loads) {
    const char *root = getenv("PROCSEARCH_ROOT");
    char q[4096], r[4096];
    snprintf(q, sizeof q, "%s/corpus/dev/queries.tsv", root && *root ? root : ".");
    snprintf(r, sizeof r, "%s/corpus/dev/qrels.txt", root && *root ? root : ".");
    ps_queries qs;
    ps_qrels qr;
    ps_err err = {{0}};
    cr_assert_eq(ps_queries_load(q, &qs, &err), 0, "%s", err.msg);
    cr_assert_eq(ps_qrels_load(r, &qr, &err), 0, "%s", err.msg);
    cr_expect_gt(qs.n, 100);
    cr_expect_geq(qs.n_types, 4);
    size_t judged = 0;
    for (size_t i = 0; i < qs.n; i++)
        judged += ps_qrels_of(&qr, qs.items[i].qid) != NULL;
    cr_expect_gt(judged, qs.n / 2, "query ids and qrels ids should match");
    ps_qrels_free(&qr);
    ps_queries_free(&qs);
}

/* ---- weights ----------------------------------------------------------- */

Test(eval_weights, field_weights_compare_as_stored) {
    ps_weights a, b;
    ps_weights_default(&a);
    b = a;
    cr_expect_eq(ps_eval_field_weights_differ(&a, &b), -1);
    b.k1 = a.k1 + 1;
    b.phrase = a.phrase + 1;
    cr_expect_eq(ps_eval_field_weights_differ(&a, &b), -1, "query-time values do not count");
    b.field[PS_F_NAME] = a.field[PS_F_NAME] + 1e-12;
    cr_expect_eq(ps_eval_field_weights_differ(&a, &b), -1, "below the stored precision");
    b.field[PS_F_NAME] = a.field[PS_F_NAME] + 0.5;
    cr_expect_eq(ps_eval_field_weights_differ(&a, &b), PS_F_NAME);
}
