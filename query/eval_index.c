/*
 * eval_index.c - a throw-away database for evaluating field weights, which
 * only take effect when pages are indexed with them (see weights.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/file.h"
#include "query/eval.h"

int ps_eval_field_weights_differ(const ps_weights *a, const ps_weights *b) {
    /* Compared as the database writes them (ps_weights_format's %g), so a
     * weight read back from a database equals the one it was built with. */
    for (int f = 0; f < PS_F_COUNT; f++) {
        char x[64], y[64];
        snprintf(x, sizeof x, "%g", a->field[f]);
        snprintf(y, sizeof y, "%g", b->field[f]);
        if (strcmp(x, y) != 0)
            return f;
    }
    return -1;
}

int ps_eval_tempdb_remove(const char *dir, ps_err *err) {
    return ps_remove_tree(dir, err);
}

int ps_eval_tempdb_create(const char *const *paths, size_t n_paths, const ps_weights *w,
                          int progress, ps_reject_fn on_reject, void *ctx, char **dir,
                          ps_index_report *rep, ps_err *err) {
    *dir = NULL;
    memset(rep, 0, sizeof *rep);
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    size_t len = strlen(base) + sizeof "/procsearch-eval-XXXXXX";
    char *d = malloc(len);
    if (!d)
        return ps_err_set(err, "out of memory");
    snprintf(d, len, "%s/procsearch-eval-XXXXXX", base);
    if (!mkdtemp(d)) {
        ps_err_set(err, "%s: cannot create a temporary folder: %s", base, strerror(errno));
        free(d);
        return -1;
    }
    ps_index_opts o = {.db_path = d, .weights = w, .progress = progress, .overwrite = 1};
    if (ps_index_paths(&o, paths, n_paths, rep, on_reject, ctx, err) < 0) {
        ps_eval_tempdb_remove(d, NULL);
        free(d);
        return -1;
    }
    *dir = d;
    return 0;
}
