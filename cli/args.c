#include "cli/args.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ps_arg_size(const char *cmd, const char *opt, const char *val, size_t max, size_t *out) {
    char *end = NULL;
    errno = 0;
    unsigned long long v = val && *val != '-' ? strtoull(val, &end, 10) : 0;
    if (!val || *val == '\0' || *val == '-' || !end || *end != '\0' || errno || v > max) {
        fprintf(stderr, "procsearch %s: %s needs a whole number from 0 to %zu, not '%s'\n", cmd,
                opt, max, val ? val : "");
        return -1;
    }
    *out = (size_t)v;
    return 0;
}

int ps_arg_double(const char *cmd, const char *opt, const char *val, double lo, double hi,
                  double *out) {
    char *end = NULL;
    errno = 0;
    double v = val ? strtod(val, &end) : NAN;
    if (!val || *val == '\0' || !end || *end != '\0' || errno || !isfinite(v) || v < lo || v > hi) {
        fprintf(stderr, "procsearch %s: %s needs a number from %g to %g, not '%s'\n", cmd, opt, lo,
                hi, val ? val : "");
        return -1;
    }
    *out = v;
    return 0;
}

char *ps_join_args(int argc, char **argv) {
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *q = malloc(len);
    if (!q)
        return NULL;
    size_t at = 0;
    for (int i = 0; i < argc; i++) {
        size_t n = strlen(argv[i]);
        if (i)
            q[at++] = ' ';
        memcpy(q + at, argv[i], n);
        at += n;
    }
    q[at] = '\0';
    return q;
}

const char *ps_arg_db(const char *given) {
    if (given && *given)
        return given;
    const char *env = getenv("PROCSEARCH_DB");
    return env && *env ? env : "build/db";
}

int ps_usage_error(const char *cmd, const char *usage, const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "procsearch %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: %s\n", usage);
    return 2;
}
