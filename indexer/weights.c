#include "indexer/weights.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "corpus/builtin.h"

/* The shipped defaults are corpus/weights.conf, compiled in (builtin.h),
 * so that they are tuned in one place.  The neutral values below only stand
 * where that file is silent. */
void ps_weights_default(ps_weights *w) {
    for (int f = 0; f < PS_F_COUNT; f++)
        w->field[f] = 1.0;
    w->k1 = 1.2;
    w->b = 0.75;
    w->synonym = 0.5;
    w->typo = 0.8;
    w->phrase = 0.5;
    size_t len = 0;
    const char *conf = ps_builtin_weights(&len);
    /* A test checks that the shipped file parses; if it ever did not, the
     * neutral values are still a working ranking. */
    (void)ps_weights_parse(conf, "corpus/weights.conf", w, NULL);
}

static int name_is(const char *want, const char *name, size_t len) {
    return strlen(want) == len && !memcmp(want, name, len);
}

static double *named_param(ps_weights *w, const char *name, size_t len) {
    double *scalars[] = {&w->k1, &w->b, &w->synonym, &w->typo, &w->phrase};
    static const char *const names[] = {"k1", "b", "synonym", "typo", "phrase"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (name_is(names[i], name, len))
            return scalars[i];
    for (int f = 0; f < PS_F_COUNT; f++) {
        if (name_is(ps_field_name(f), name, len))
            return &w->field[f];
    }
    return NULL;
}

static const char *skip_space(const char *p, const char *end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
        p++;
    return p;
}

static int parse_line(const char *p, const char *end, const char *origin, size_t line_no,
                      ps_weights *w, ps_err *err) {
    p = skip_space(p, end);
    if (p == end || *p == '#')
        return 0;
    const char *name = p;
    while (p < end && (isalnum((unsigned char)*p) || *p == '_'))
        p++;
    size_t name_len = (size_t)(p - name);
    p = skip_space(p, end);
    if (name_len == 0 || p == end || *p != '=')
        return ps_err_set(err, "%s:%zu: expected 'name = value'", origin, line_no);
    double *slot = named_param(w, name, name_len);
    if (!slot)
        return ps_err_set(err, "%s:%zu: unknown name '%.*s'", origin, line_no, (int)name_len, name);
    p = skip_space(p + 1, end);
    char num[64];
    size_t n = 0;
    while (p < end && !isspace((unsigned char)*p) && *p != '#' && n + 1 < sizeof num)
        num[n++] = *p++;
    num[n] = '\0';
    char *stop = NULL;
    errno = 0;
    double v = strtod(num, &stop);
    if (n == 0 || *stop != '\0' || errno != 0 || !isfinite(v) || v < 0 || v > 1000)
        return ps_err_set(err, "%s:%zu: '%.*s' needs a number from 0 to 1000, not '%s'", origin,
                          line_no, (int)name_len, name, num);
    p = skip_space(p, end);
    if (p < end && *p != '#')
        return ps_err_set(err, "%s:%zu: unexpected text after the value", origin, line_no);
    *slot = v;
    return 0;
}

int ps_weights_parse(const char *text, const char *origin, ps_weights *w, ps_err *err) {
    size_t line_no = 0;
    const char *p = text;
    while (*p) {
        const char *eol = strchr(p, '\n');
        const char *end = eol ? eol : p + strlen(p);
        line_no++;
        if (parse_line(p, end, origin, line_no, w, err) < 0)
            return -1;
        p = eol ? eol + 1 : end;
    }
    return 0;
}

int ps_weights_load(const char *path, ps_weights *w, ps_err *err) {
    char *text = NULL;
    size_t len = 0;
    if (ps_file_read(path, 1 << 20, &text, &len, err) < 0)
        return -1;
    int rc = ps_weights_parse(text, path, w, err);
    free(text);
    return rc;
}

char *ps_weights_format(const ps_weights *w) {
    size_t cap = 2048;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    size_t n = 0;
    n += (size_t)snprintf(out + n, cap - n, "# field weights (wdf per occurrence; fixed at index time)\n");
    for (int f = 0; f < PS_F_COUNT; f++)
        n += (size_t)snprintf(out + n, cap - n, "%s = %g\n", ps_field_name(f), w->field[f]);
    snprintf(out + n, cap - n,
             "# BM25 and query-time factors\nk1 = %g\nb = %g\nsynonym = %g\ntypo = %g\nphrase = %g\n",
             w->k1, w->b, w->synonym, w->typo, w->phrase);
    return out;
}

unsigned ps_weights_wdf(double weighted_sum) {
    if (weighted_sum <= 0)
        return 0;
    long r = lround(weighted_sum);
    return r < 1 ? 1u : (unsigned)r;
}
