/*
 * cmd_export.c - procsearch export [--quiet] PATH...
 *
 * Parses pages exactly as `index` reads them and prints each as one JSON
 * Lines record (ps_page_to_jsonl) on stdout: the structured form that
 * `index` also accepts back, and the input the peer engines of
 * bench/peers/ index, so that every system sees the same fields.
 *
 * Paths are read like `index` reads them: a folder is walked recursively
 * (sorted, hidden entries skipped) for *.txt pages and *.jsonl feeds; a file
 * named directly is read as JSON Lines if it ends in .jsonl and as a page in
 * the text format otherwise, its id being the file name without extension.
 * A file or record that cannot be read or parsed is reported on stderr
 * ("rejected: FILE: reason") and skipped; the exit status is then 1.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "common/file.h"
#include "corpus/page.h"
#include "corpus/page_export.h"

static const char usage[] = "procsearch export [--quiet] PATH...  (JSON Lines on stdout)";

typedef struct export_run {
    size_t exported;
    size_t rejected;
    int failed; /* stdout could not be written, or memory ran out: stop */
} export_run;

static void reject(export_run *r, const char *msg) {
    r->rejected++;
    fprintf(stderr, "rejected: %s\n", msg);
}

static void fail(export_run *r, const char *fmt, const char *arg) {
    fputs("procsearch export: ", stderr);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    r->failed = 1;
}

static void emit(export_run *r, const char *origin, const ps_page *page) {
    size_t len = 0;
    char *line = ps_page_to_jsonl(page, &len);
    if (!line) {
        fail(r, "out of memory writing %s", origin);
        return;
    }
    if (fwrite(line, 1, len, stdout) != len || putchar('\n') == EOF)
        fail(r, "cannot write to standard output: %s", strerror(errno));
    else
        r->exported++;
    free(line);
}

/* The id `index` gives a page file: its name without folder and extension. */
static char *id_from_path(const char *path) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    char *id = malloc(n + 1);
    if (id) {
        memcpy(id, base, n);
        id[n] = '\0';
    }
    return id;
}

static void export_text_file(export_run *r, const char *path) {
    ps_err e = {{0}};
    char *buf = NULL;
    size_t len = 0;
    if (ps_file_read(path, (size_t)PS_PAGE_MAX_BYTES, &buf, &len, &e) < 0) {
        reject(r, e.msg);
        return;
    }
    char *id = id_from_path(path);
    ps_page *page = NULL;
    if (!id)
        fail(r, "out of memory reading %s", path);
    else if (ps_page_parse(id, path, buf, len, &page, &e) < 0)
        reject(r, e.msg);
    else
        emit(r, path, page);
    ps_page_free(page);
    free(id);
    free(buf);
}

static void export_jsonl_file(export_run *r, const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        char msg[PS_ERR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s: cannot open: %s", path, strerror(errno));
        reject(r, msg);
        return;
    }
    char *line = NULL;
    size_t cap = 0, line_no = 0;
    ssize_t n;
    while (!r->failed && (n = getline(&line, &cap, f)) >= 0) {
        line_no++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0)
            continue;
        ps_err e = {{0}};
        ps_page *page = NULL;
        if (ps_page_parse_jsonl(path, line_no, line, (size_t)n, &page, &e) < 0) {
            reject(r, e.msg);
            continue;
        }
        emit(r, path, page);
        ps_page_free(page);
    }
    if (!r->failed && ferror(f)) {
        char msg[PS_ERR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s:%zu: read error: %s", path, line_no + 1, strerror(errno));
        reject(r, msg);
    }
    free(line);
    fclose(f);
}

static int has_suffix(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void export_path(export_run *r, const char *path, int named);

static int cmp_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void export_dir(export_run *r, const char *path) {
    DIR *d = opendir(path);
    if (!d) {
        char msg[PS_ERR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s: cannot open folder: %s", path, strerror(errno));
        reject(r, msg);
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **grown = realloc(names, cap * sizeof *names);
            if (!grown) {
                fail(r, "out of memory listing %s", path);
                break;
            }
            names = grown;
        }
        if (!(names[n] = strdup(de->d_name))) {
            fail(r, "out of memory listing %s", path);
            break;
        }
        n++;
    }
    closedir(d);
    /* Sorted, as `index` does, so that the output is repeatable. */
    if (n)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        if (!r->failed) {
            size_t len = strlen(path) + strlen(names[i]) + 2;
            char *child = malloc(len);
            if (!child)
                fail(r, "out of memory listing %s", path);
            else {
                snprintf(child, len, "%s/%s", path, names[i]);
                export_path(r, child, 0);
                free(child);
            }
        }
        free(names[i]);
    }
    free(names);
}

static void export_path(export_run *r, const char *path, int named) {
    if (ps_is_dir(path))
        export_dir(r, path);
    else if (has_suffix(path, ".jsonl"))
        export_jsonl_file(r, path);
    else if (named || has_suffix(path, ".txt"))
        export_text_file(r, path);
    /* other files inside a folder (README, qrels ...) are not pages */
}

int cmd_export(int argc, char **argv) {
    static const struct option longopts[] = {{"quiet", no_argument, NULL, 'q'},
                                              {"help", no_argument, NULL, 'h'},
                                              {NULL, 0, NULL, 0}};
    int quiet = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'q': quiet = 1; break;
        case 'h': printf("usage: %s\n", usage); return 0;
        default: return ps_usage_error("export", usage, "unknown option");
        }
    }
    if (optind >= argc)
        return ps_usage_error("export", usage, "no PATH to export");
    export_run r = {0, 0, 0};
    for (int i = optind; i < argc && !r.failed; i++)
        export_path(&r, argv[i], 1);
    if (!r.failed && fflush(stdout) != 0)
        fail(&r, "cannot write to standard output: %s", strerror(errno));
    if (!quiet || r.failed)
        fprintf(stderr, "exported %zu page%s, %zu rejected%s\n", r.exported,
                r.exported == 1 ? "" : "s", r.rejected, r.failed ? " (stopped early)" : "");
    return r.failed || r.rejected ? 1 : 0;
}
