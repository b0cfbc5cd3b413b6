#include "corpus/page_walk.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/file.h"

typedef struct walk {
    ps_page_fn on_page;
    ps_reject_fn on_reject;
    void *ctx;
    ps_walk_stats *stats;
    ps_err *err;
} walk;

static void reject(walk *w, const char *msg) {
    w->stats->rejected++;
    if (w->on_reject)
        w->on_reject(msg, w->ctx);
}

static int deliver(walk *w, const char *origin, ps_page *page) {
    w->stats->pages++;
    return w->on_page(w->ctx, origin, page, w->err);
}

static char *id_from_path(const char *path) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    return strndup(base, n);
}

static int walk_text_file(walk *w, const char *path) {
    ps_err e;
    char *buf = NULL;
    size_t len = 0;
    if (ps_file_read(path, PS_PAGE_MAX_BYTES, &buf, &len, &e) < 0) {
        reject(w, e.msg);
        return 0;
    }
    w->stats->bytes += len;
    char *id = id_from_path(path);
    ps_page *page = NULL;
    int rc = 0;
    if (!id)
        rc = ps_err_set(w->err, "out of memory");
    else if (ps_page_parse(id, path, buf, len, &page, &e) < 0)
        reject(w, e.msg);
    else
        rc = deliver(w, path, page);
    free(id);
    free(buf);
    return rc;
}

static int walk_jsonl_file(walk *w, const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        ps_err e;
        ps_err_set(&e, "%s: cannot open: %s", path, strerror(errno));
        reject(w, e.msg);
        return 0;
    }
    char *line = NULL;
    size_t cap = 0, line_no = 0;
    ssize_t n;
    int rc = 0;
    while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
        line_no++;
        w->stats->bytes += (size_t)n;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0)
            continue;
        ps_err e;
        ps_page *page = NULL;
        if (ps_page_parse_jsonl(path, line_no, line, (size_t)n, &page, &e) < 0) {
            reject(w, e.msg);
            continue;
        }
        char origin[512];
        snprintf(origin, sizeof origin, "%s:%zu", path, line_no);
        rc = deliver(w, origin, page);
    }
    if (rc == 0 && ferror(f)) {
        ps_err e;
        ps_err_set(&e, "%s:%zu: read error: %s", path, line_no + 1, strerror(errno));
        reject(w, e.msg);
    }
    free(line);
    fclose(f);
    return rc;
}

static int has_suffix(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int walk_path(walk *w, const char *path, int named);

static int cmp_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The folder's visible entries, sorted so that runs are repeatable. */
static int list_dir(walk *w, const char *path, char ***out, size_t *count) {
    DIR *d = opendir(path);
    if (!d) {
        ps_err e;
        ps_err_set(&e, "%s: cannot open folder: %s", path, strerror(errno));
        reject(w, e.msg);
        return 1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **grown = realloc(names, cap * sizeof *grown);
            if (!grown) {
                rc = ps_err_set(w->err, "out of memory");
                break;
            }
            names = grown;
        }
        if (!(names[n] = strdup(de->d_name)))
            rc = ps_err_set(w->err, "out of memory");
        else
            n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_names);
    *out = names;
    *count = n;
    return rc;
}

static int walk_dir(walk *w, const char *path) {
    char **names = NULL;
    size_t n = 0;
    int rc = list_dir(w, path, &names, &n);
    if (rc > 0)
        rc = 0; /* an unreadable folder was reported as a rejection */
    for (size_t i = 0; i < n; i++) {
        if (rc == 0) {
            size_t len = strlen(path) + strlen(names[i]) + 2;
            char *child = malloc(len);
            if (!child) {
                rc = ps_err_set(w->err, "out of memory");
            } else {
                snprintf(child, len, "%s/%s", path, names[i]);
                rc = walk_path(w, child, 0);
                free(child);
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

/* Inside a folder, links are not followed: a link back up the tree would
 * walk it forever.  Paths named by the caller are taken as given. */
static int is_link(const char *path) {
    struct stat st;
    return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

static int walk_path(walk *w, const char *path, int named) {
    if (!named && is_link(path))
        return 0;
    if (ps_is_dir(path))
        return walk_dir(w, path);
    if (has_suffix(path, ".jsonl"))
        return walk_jsonl_file(w, path);
    if (named || has_suffix(path, ".txt"))
        return walk_text_file(w, path);
    return 0; /* other files inside a folder (README, qrels.txt ...) are not pages */
}

int ps_walk_pages(const char *const *paths, size_t n_paths, ps_page_fn on_page,
                  ps_reject_fn on_reject, void *ctx, ps_walk_stats *stats, ps_err *err) {
    memset(stats, 0, sizeof *stats);
    walk w = {on_page, on_reject, ctx, stats, err};
    int rc = 0;
    for (size_t i = 0; i < n_paths && rc == 0; i++)
        rc = walk_path(&w, paths[i], 1);
    return rc;
}
