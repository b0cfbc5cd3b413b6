/*
 * eval_runfile.c - TREC run files: reading one to score it, writing lines.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "query/eval.h"
#include "query/eval_lines.h"

/* Runs of 1000 results for tens of thousands of queries stay well below this. */
#define RUN_MAX ((size_t)4 << 30)

/* Ranked as trec_eval ranks (score descending); ties keep the run's own
 * order so that a run we wrote reads back exactly as we ranked it. */
static int cmp_run_line(const void *a, const void *b) {
    const ps_run_line *x = a, *y = b;
    int c = strcmp(x->qid, y->qid);
    if (c)
        return c;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

static int parse_run_line(char *line, const char *origin, size_t line_no, ps_run_line *r,
                          ps_err *err) {
    char *f[6];
    size_t n = ps_lines_split(line, f, 6);
    if (n != 6)
        return ps_err_set(err, "%s:%zu: expected 6 fields 'qid Q0 docid rank score tag', found %zu",
                          origin, line_no, n);
    long rank = 0;
    if (ps_lines_long(f[3], 0, 1000000000L, &rank) < 0)
        return ps_err_set(err, "%s:%zu: rank '%s' is not a whole number from 0 to 1000000000",
                          origin, line_no, f[3]);
    char *end = NULL;
    errno = 0;
    double score = strtod(f[4], &end);
    if (end == f[4] || *end || errno == ERANGE || !isfinite(score))
        return ps_err_set(err, "%s:%zu: score '%s' is not a finite number", origin, line_no, f[4]);
    *r = (ps_run_line){.qid = f[0], .docid = f[2], .rank = rank, .score = score, .line = line_no};
    return 0;
}

static int group_run(ps_run *r, const char *origin, ps_err *err) {
    qsort(r->items, r->n, sizeof *r->items, cmp_run_line);
    size_t n_groups = 0;
    for (size_t i = 0; i < r->n; i++)
        if (i == 0 || strcmp(r->items[i - 1].qid, r->items[i].qid) != 0)
            n_groups++;
    if (!(r->groups = malloc((n_groups ? n_groups : 1) * sizeof *r->groups)))
        return ps_err_set(err, "%s: out of memory", origin);
    for (size_t i = 0; i < r->n; i++) {
        if (i == 0 || strcmp(r->items[i - 1].qid, r->items[i].qid) != 0)
            r->groups[r->n_groups++] = (ps_run_group){r->items[i].qid, &r->items[i], 0};
        r->groups[r->n_groups - 1].n++;
    }
    return 0;
}

static int parse_run_item(char *line, const ps_lines *it, void *item, ps_err *err) {
    return parse_run_line(line, it->origin, it->line_no, item, err);
}

int ps_run_parse(const char *text, size_t len, const char *origin, ps_run *out, ps_err *err) {
    memset(out, 0, sizeof *out);
    ps_lines it;
    if (ps_lines_open(&it, text, len, origin, err) < 0)
        return -1;
    out->buf = it.buf;
    void *items = NULL;
    int got = ps_lines_parse_all(&it, sizeof(ps_run_line), 4096, parse_run_item, "results", &items,
                                 &out->n, err);
    out->items = items;
    if (got < 0 || group_run(out, origin, err) < 0) {
        ps_run_free(out);
        return -1;
    }
    return 0;
}

int ps_run_load(const char *path, ps_run *out, ps_err *err) {
    char *text = NULL;
    size_t len = 0;
    memset(out, 0, sizeof *out);
    if (ps_file_read(path, RUN_MAX, &text, &len, err) < 0)
        return -1;
    int rc = ps_run_parse(text, len, path, out, err);
    free(text);
    return rc;
}

static int cmp_key_run_group(const void *key, const void *elem) {
    return strcmp(key, ((const ps_run_group *)elem)->qid);
}

const ps_run_group *ps_run_of(const ps_run *r, const char *qid) {
    if (!r->n_groups)
        return NULL;
    return bsearch(qid, r->groups, r->n_groups, sizeof *r->groups, cmp_key_run_group);
}

void ps_run_free(ps_run *r) {
    free(r->items);
    free(r->groups);
    free(r->buf);
    memset(r, 0, sizeof *r);
}

int ps_run_write_line(FILE *f, const char *name, const char *qid, const char *docid, size_t rank,
                      double score, const char *tag, ps_err *err) {
    if (strpbrk(docid, " \t\r\n\v\f"))
        return ps_err_set(err, "%s: page id '%s' holds a space, which a run file cannot carry",
                          name, docid);
    /* %.17g writes the exact double, so no two scores the engine told apart
     * read back as a tie. */
    if (fprintf(f, "%s Q0 %s %zu %.17g %s\n", qid, docid, rank, score, tag ? tag : PS_EVAL_TAG) < 0)
        return ps_err_set(err, "%s: write failed: %s", name, strerror(errno));
    return 0;
}
