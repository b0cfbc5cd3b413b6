/*
 * eval_data.c - loading test queries and graded judgments.
 *
 * Both are sorted once after loading so that every lookup is a binary
 * search: evaluation stays O(n log n) however large the files grow.
 */
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "common/text.h"
#include "query/eval.h"
#include "query/eval_lines.h"

/* Judgment and query files are small; this only stops a wrong path (a
 * database file, an image) from being read whole into memory. */
#define DATA_MAX ((size_t)1 << 30)

/* ---- queries ---------------------------------------------------------- */

static int cmp_query_qid(const void *a, const void *b) {
    const ps_query *x = ((const ps_query_ref *)a)->q, *y = ((const ps_query_ref *)b)->q;
    return strcmp(x->qid, y->qid);
}

static int cmp_query_type(const void *a, const void *b) {
    const ps_query *x = ((const ps_query_ref *)a)->q, *y = ((const ps_query_ref *)b)->q;
    int c = strcmp(x->type, y->type);
    return c ? c : (x < y ? -1 : x > y);
}

static int cmp_size(const void *a, const void *b) {
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Number the distinct types in first-seen order without comparing every
 * query with every type: sort by type (file order within one), then order
 * the groups by their first query. */
static int number_types(ps_queries *qs, const char *origin, ps_err *err) {
    if (!qs->n)
        return 0;
    ps_query_ref *sorted = malloc(qs->n * sizeof *sorted);
    size_t *firsts = malloc(qs->n * sizeof *firsts);
    if (!sorted || !firsts) {
        free(sorted);
        free(firsts);
        return ps_err_set(err, "%s: out of memory", origin);
    }
    for (size_t i = 0; i < qs->n; i++)
        sorted[i].q = &qs->items[i];
    qsort(sorted, qs->n, sizeof *sorted, cmp_query_type);
    size_t n_types = 0;
    for (size_t i = 0; i < qs->n; i++)
        if (i == 0 || strcmp(sorted[i].q->type, sorted[i - 1].q->type) != 0)
            firsts[n_types++] = (size_t)(sorted[i].q - qs->items);
    qsort(firsts, n_types, sizeof *firsts, cmp_size);
    qs->types = malloc(n_types * sizeof *qs->types);
    if (!qs->types) {
        free(sorted);
        free(firsts);
        return ps_err_set(err, "%s: out of memory", origin);
    }
    for (size_t t = 0; t < n_types; t++) {
        qs->types[t] = qs->items[firsts[t]].type;
        qs->items[firsts[t]].type_index = t;
    }
    qs->n_types = n_types;
    /* Within a sorted group the first query is the group's first-seen one. */
    for (size_t i = 1; i < qs->n; i++)
        if (strcmp(sorted[i].q->type, sorted[i - 1].q->type) == 0)
            qs->items[sorted[i].q - qs->items].type_index = sorted[i - 1].q->type_index;
    free(sorted);
    free(firsts);
    return 0;
}

static int index_qids(ps_queries *qs, const char *origin, ps_err *err) {
    if (!qs->n)
        return 0;
    if (!(qs->by_qid = malloc(qs->n * sizeof *qs->by_qid)))
        return ps_err_set(err, "%s: out of memory", origin);
    for (size_t i = 0; i < qs->n; i++)
        qs->by_qid[i].q = &qs->items[i];
    qsort(qs->by_qid, qs->n, sizeof *qs->by_qid, cmp_query_qid);
    for (size_t i = 1; i < qs->n; i++) {
        const ps_query *a = qs->by_qid[i - 1].q, *b = qs->by_qid[i].q;
        if (strcmp(a->qid, b->qid) == 0) {
            const ps_query *later = a->line > b->line ? a : b, *first = later == a ? b : a;
            return ps_err_set(err, "%s:%zu: query id '%s' was already used on line %zu", origin,
                              later->line, later->qid, first->line);
        }
    }
    return 0;
}

static char *trimmed(char *s, size_t len) {
    const char *p = s;
    ps_text_trim(&p, &len);
    char *q = (char *)p;
    q[len] = '\0';
    return q;
}

static int has_space(const char *s) { return strpbrk(s, " \t\r\v\f") != NULL; }

static int parse_query_line(char *line, const ps_lines *it, ps_query *q, ps_err *err) {
    char *tab1 = strchr(line, '\t');
    char *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
    if (!tab2)
        return ps_err_set(err, "%s:%zu: expected 'qid<TAB>type<TAB>query', found %d tab%s",
                          it->origin, it->line_no, tab1 ? 1 : 0, tab1 ? "" : "s");
    if (strchr(tab2 + 1, '\t'))
        return ps_err_set(err, "%s:%zu: expected 'qid<TAB>type<TAB>query', found more than 2 tabs",
                          it->origin, it->line_no);
    *tab1 = *tab2 = '\0';
    q->qid = trimmed(line, (size_t)(tab1 - line));
    q->type = trimmed(tab1 + 1, (size_t)(tab2 - tab1 - 1));
    q->text = trimmed(tab2 + 1, strlen(tab2 + 1));
    q->line = it->line_no;
    const char *empty = !*q->qid ? "query id" : !*q->type ? "type" : !*q->text ? "query" : NULL;
    if (empty)
        return ps_err_set(err, "%s:%zu: the %s is empty", it->origin, it->line_no, empty);
    if (has_space(q->qid))
        return ps_err_set(err, "%s:%zu: query id '%s' holds a space (run files cannot carry it)",
                          it->origin, it->line_no, q->qid);
    return 0;
}

static int parse_query_item(char *line, const ps_lines *it, void *item, ps_err *err) {
    return parse_query_line(line, it, item, err);
}

int ps_queries_parse(const char *text, size_t len, const char *origin, ps_queries *out,
                     ps_err *err) {
    memset(out, 0, sizeof *out);
    ps_lines it;
    if (ps_lines_open(&it, text, len, origin, err) < 0)
        return -1;
    out->buf = it.buf;
    void *items = NULL;
    int got = ps_lines_parse_all(&it, sizeof(ps_query), 256, parse_query_item, "queries", &items,
                                 &out->n, err);
    out->items = items;
    if (got < 0 || number_types(out, origin, err) < 0 || index_qids(out, origin, err) < 0) {
        ps_queries_free(out);
        return -1;
    }
    return 0;
}

int ps_queries_load(const char *path, ps_queries *out, ps_err *err) {
    char *text = NULL;
    size_t len = 0;
    memset(out, 0, sizeof *out);
    if (ps_file_read(path, DATA_MAX, &text, &len, err) < 0)
        return -1;
    int rc = ps_queries_parse(text, len, path, out, err);
    free(text);
    return rc;
}

static int cmp_key_query(const void *key, const void *elem) {
    return strcmp(key, ((const ps_query_ref *)elem)->q->qid);
}

const ps_query *ps_queries_find(const ps_queries *qs, const char *qid) {
    if (!qs->n)
        return NULL;
    const ps_query_ref *hit = bsearch(qid, qs->by_qid, qs->n, sizeof *qs->by_qid, cmp_key_query);
    return hit ? hit->q : NULL;
}

void ps_queries_free(ps_queries *qs) {
    free(qs->items);
    free(qs->types);
    free(qs->by_qid);
    free(qs->buf);
    memset(qs, 0, sizeof *qs);
}

/* ---- judgments -------------------------------------------------------- */

static int cmp_qrel(const void *a, const void *b) {
    const ps_qrel *x = a, *y = b;
    int c = strcmp(x->qid, y->qid);
    return c ? c : strcmp(x->docid, y->docid);
}

static int parse_qrel_line(char *line, const ps_lines *it, ps_qrel *q, ps_err *err) {
    char *f[4];
    size_t n = ps_lines_split(line, f, 4);
    if (n != 4)
        return ps_err_set(err, "%s:%zu: expected 4 fields 'qid iter docid grade', found %zu",
                          it->origin, it->line_no, n);
    long grade = 0;
    if (ps_lines_long(f[3], -1000000, 1000000, &grade) < 0)
        return ps_err_set(err, "%s:%zu: grade '%s' is not a whole number", it->origin,
                          it->line_no, f[3]);
    *q = (ps_qrel){.qid = f[0], .docid = f[2], .grade = (int)grade, .line = it->line_no};
    return 0;
}

/* Sorted judgments, then one group per query. */
static int group_qrels(ps_qrels *q, const char *origin, ps_err *err) {
    qsort(q->items, q->n, sizeof *q->items, cmp_qrel);
    size_t n_groups = 0;
    for (size_t i = 0; i < q->n; i++) {
        if (i && !cmp_qrel(&q->items[i - 1], &q->items[i])) {
            const ps_qrel *a = &q->items[i - 1], *b = &q->items[i];
            const ps_qrel *later = a->line > b->line ? a : b, *first = later == a ? b : a;
            return ps_err_set(err, "%s:%zu: page '%s' was already judged for query '%s' on line %zu",
                              origin, later->line, later->docid, later->qid, first->line);
        }
        if (i == 0 || strcmp(q->items[i - 1].qid, q->items[i].qid) != 0)
            n_groups++;
    }
    if (!(q->groups = malloc((n_groups ? n_groups : 1) * sizeof *q->groups)))
        return ps_err_set(err, "%s: out of memory", origin);
    for (size_t i = 0; i < q->n; i++) {
        if (i == 0 || strcmp(q->items[i - 1].qid, q->items[i].qid) != 0)
            q->groups[q->n_groups++] = (ps_qrel_group){q->items[i].qid, &q->items[i], 0};
        q->groups[q->n_groups - 1].n++;
    }
    return 0;
}

static int parse_qrel_item(char *line, const ps_lines *it, void *item, ps_err *err) {
    return parse_qrel_line(line, it, item, err);
}

int ps_qrels_parse(const char *text, size_t len, const char *origin, ps_qrels *out, ps_err *err) {
    memset(out, 0, sizeof *out);
    ps_lines it;
    if (ps_lines_open(&it, text, len, origin, err) < 0)
        return -1;
    out->buf = it.buf;
    void *items = NULL;
    int got = ps_lines_parse_all(&it, sizeof(ps_qrel), 1024, parse_qrel_item, "judgments", &items,
                                 &out->n, err);
    out->items = items;
    if (got < 0 || group_qrels(out, origin, err) < 0) {
        ps_qrels_free(out);
        return -1;
    }
    return 0;
}

int ps_qrels_load(const char *path, ps_qrels *out, ps_err *err) {
    char *text = NULL;
    size_t len = 0;
    memset(out, 0, sizeof *out);
    if (ps_file_read(path, DATA_MAX, &text, &len, err) < 0)
        return -1;
    int rc = ps_qrels_parse(text, len, path, out, err);
    free(text);
    return rc;
}

static int cmp_key_qrel_group(const void *key, const void *elem) {
    return strcmp(key, ((const ps_qrel_group *)elem)->qid);
}

const ps_qrel_group *ps_qrels_of(const ps_qrels *q, const char *qid) {
    if (!q->n_groups)
        return NULL;
    return bsearch(qid, q->groups, q->n_groups, sizeof *q->groups, cmp_key_qrel_group);
}

static int cmp_key_qrel(const void *key, const void *elem) {
    return strcmp(key, ((const ps_qrel *)elem)->docid);
}

int ps_qrel_grade(const ps_qrel_group *g, const char *docid) {
    if (!g || !g->n)
        return 0;
    const ps_qrel *hit = bsearch(docid, g->items, g->n, sizeof *g->items, cmp_key_qrel);
    return hit ? hit->grade : 0;
}

void ps_qrels_free(ps_qrels *q) {
    free(q->items);
    free(q->groups);
    free(q->buf);
    memset(q, 0, sizeof *q);
}
