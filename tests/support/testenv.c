#include "tests/support/testenv.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/file.h"
#include "corpus/page.h"

static const char *env_or(const char *name, const char *fallback) {
    const char *v = getenv(name);
    return v && *v ? v : fallback;
}

char *t_path(const char *rel) {
    const char *root = env_or("PROCSEARCH_ROOT", ".");
    size_t n = strlen(root) + strlen(rel) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", root, rel);
    return p;
}

char *t_tmpdir(const char *tag) {
    const char *base = env_or("PROCSEARCH_TMP", "/tmp");
    size_t n = strlen(base) + strlen(tag) + 16;
    char *p = malloc(n);
    if (!p)
        return NULL;
    snprintf(p, n, "%s/%s-XXXXXX", base, tag);
    if (!mkdtemp(p)) {
        free(p);
        return NULL;
    }
    return p;
}

void t_rmtree(const char *path) {
    if (!path || !*path || strcmp(path, "/") == 0)
        return;
    pid_t pid = fork();
    if (pid == 0) {
        execlp("rm", "rm", "-rf", "--", path, (char *)NULL);
        _exit(127);
    }
    if (pid > 0)
        waitpid(pid, NULL, 0);
}

static char *slurp(FILE *f) {
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 == cap) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown) {
                free(buf);
                return NULL;
            }
            buf = grown;
        }
    }
    buf[n] = '\0';
    return buf;
}

int t_run(const char *args, char **out, char **err_out) {
    const char *bin = env_or("PROCSEARCH_BIN", "build/procsearch");
    char errfile[] = "/tmp/ps-stderr-XXXXXX";
    int fd = mkstemp(errfile);
    if (fd < 0)
        return -1;
    close(fd);
    size_t n = strlen(bin) + strlen(args) + strlen(errfile) + 16;
    char *cmd = malloc(n);
    if (!cmd)
        return -1;
    snprintf(cmd, n, "'%s' %s 2>'%s'", bin, args, errfile);
    FILE *p = popen(cmd, "r");
    free(cmd);
    if (!p)
        return -1;
    char *o = slurp(p);
    int status = pclose(p);
    if (out)
        *out = o;
    else
        free(o);
    if (err_out) {
        FILE *e = fopen(errfile, "r");
        *err_out = e ? slurp(e) : NULL;
        if (e)
            fclose(e);
    }
    unlink(errfile);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int t_write(const char *path, const char *data, size_t len) {
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = fwrite(data, 1, len, f);
    return fclose(f) == 0 && w == len ? 0 : -1;
}

static int dev_page(const char *path, t_page_fn fn, void *ctx) {
    char *buf = NULL;
    size_t len = 0;
    ps_err err = {{0}};
    ps_page *page = NULL;
    if (ps_file_read(path, 0, &buf, &len, &err) < 0 ||
        ps_page_parse("id", path, buf, len, &page, &err) < 0) {
        fprintf(stderr, "%s\n", err.msg);
        free(buf);
        return -1;
    }
    fn(path, page, ctx);
    ps_page_free(page);
    free(buf);
    return 0;
}

static int collect(const ps_token *t, void *ctx) {
    t_words *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 256;
        char(*w)[PS_TERM_MAX + 1] = realloc(l->w, cap * sizeof *w);
        if (!w)
            return 1;
        l->w = w, l->cap = cap;
    }
    memcpy(l->w[l->n++], t->term, t->len + 1);
    return 0;
}

int t_page_words(ps_analyzer *an, const ps_page *page, t_words *out) {
    ps_err err = {{0}};
    for (size_t i = 0; i < page->n_sections; i++) {
        const char *t = page->sections[i].text ? page->sections[i].text : "";
        int rc = ps_analyze(an, t, strlen(t), 0, collect, out, NULL, &err);
        if (rc != 0) {
            fprintf(stderr, "%s\n", rc < 0 ? err.msg : "out of memory");
            return -1;
        }
    }
    return 0;
}

long t_dev_pages(t_page_fn fn, void *ctx) {
    char *dir = t_path("corpus/dev/docs");
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d) {
        fprintf(stderr, "%s: cannot open\n", dir ? dir : "corpus/dev/docs");
        free(dir);
        return -1;
    }
    long pages = 0;
    struct dirent *de;
    while (pages >= 0 && (de = readdir(d)) != NULL) {
        if (!strstr(de->d_name, ".txt"))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        pages = dev_page(path, fn, ctx) < 0 ? -1 : pages + 1;
    }
    closedir(d);
    free(dir);
    return pages;
}
