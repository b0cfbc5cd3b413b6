/*
 * gen_write.c - writing a whole synthetic corpus to disk.
 *
 * Text pages go one file each into folders of PS_GEN_PER_SHARD files, so
 * that no folder grows huge at a million pages; JSON Lines go
 * PS_GEN_PER_SHARD records to a file, written in large blocks.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/file.h"
#include "common/progress.h"
#include "corpus/gen.h"

#define BLOCK_BYTES (4u << 20)

static int make_dir(const char *path, ps_err *err) {
    if (mkdir(path, 0777) == 0 || (errno == EEXIST && ps_is_dir(path)))
        return 0;
    if (errno == EEXIST)
        return ps_err_set(err, "%s: exists and is not a folder", path);
    return ps_err_set(err, "%s: cannot create folder: %s", path, strerror(errno));
}

static int write_all(int fd, const char *path, const char *buf, size_t len, ps_err *err) {
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return ps_err_set(err, "%s: write failed: %s", path,
                              n < 0 ? strerror(errno) : "no progress");
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static int open_out(const char *path, int *fd, ps_err *err) {
    *fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    return *fd < 0 ? ps_err_set(err, "%s: cannot create: %s", path, strerror(errno)) : 0;
}

static int close_out(int fd, const char *path, ps_err *err) {
    return close(fd) != 0 ? ps_err_set(err, "%s: close failed: %s", path, strerror(errno)) : 0;
}

static int write_file(const char *path, const ps_strbuf *sb, ps_err *err) {
    int fd;
    if (open_out(path, &fd, err) != 0)
        return -1;
    if (write_all(fd, path, sb->data, sb->len, err) != 0) {
        close(fd);
        return -1;
    }
    return close_out(fd, path, err);
}

typedef struct run {
    const ps_gen_model *m;
    const ps_gen_opts *o;
    ps_gen_report *rep;
    ps_err *err;
    ps_gen_page pg;
    ps_strbuf buf;
    ps_progress progress;
    char path[4096];
} run;

static int path_of(run *r, const char *fmt, size_t shard, const char *id) {
    int n = id ? snprintf(r->path, sizeof r->path, fmt, r->o->out_dir, shard, id)
               : snprintf(r->path, sizeof r->path, fmt, r->o->out_dir, shard);
    if (n < 0 || (size_t)n >= sizeof r->path)
        return ps_err_set(r->err, "--out %s: path too long", r->o->out_dir);
    return 0;
}

static int make_page(run *r, size_t i) {
    if (ps_gen_page_make(r->m, r->o->seed, i, &r->pg, r->err) != 0)
        return -1;
    if ((i & 63) == 0)
        ps_progress_update(&r->progress, i, 0);
    return 0;
}

static int write_text(run *r) {
    for (size_t i = 0; i < r->o->pages; i++) {
        size_t shard = i / PS_GEN_PER_SHARD;
        if (i % PS_GEN_PER_SHARD == 0 &&
            (path_of(r, "%s/%03zu", shard, NULL) != 0 || make_dir(r->path, r->err) != 0))
            return -1;
        if (make_page(r, i) != 0)
            return -1;
        ps_strbuf_clear(&r->buf);
        if (ps_gen_render_text(&r->pg, &r->buf) != 0)
            return ps_err_set(r->err, "page %s: out of memory", r->pg.id);
        if (path_of(r, "%s/%03zu/%s.txt", shard, r->pg.id) != 0 ||
            write_file(r->path, &r->buf, r->err) != 0)
            return -1;
        r->rep->bytes += r->buf.len;
        r->rep->pages++;
    }
    return 0;
}

static int flush(run *r, int fd) {
    if (write_all(fd, r->path, r->buf.data, r->buf.len, r->err) != 0)
        return -1;
    r->rep->bytes += r->buf.len;
    ps_strbuf_clear(&r->buf);
    return 0;
}

static int write_shard(run *r, size_t shard) {
    int fd;
    if (path_of(r, "%s/pages-%03zu.jsonl", shard, NULL) != 0 || open_out(r->path, &fd, r->err) != 0)
        return -1;
    size_t end = (shard + 1) * PS_GEN_PER_SHARD;
    if (end > r->o->pages)
        end = r->o->pages;
    int rc = 0;
    for (size_t i = shard * PS_GEN_PER_SHARD; i < end && rc == 0; i++) {
        rc = make_page(r, i);
        if (rc == 0 && ps_gen_render_jsonl(&r->pg, &r->buf) != 0)
            rc = ps_err_set(r->err, "page %s: out of memory", r->pg.id);
        if (rc == 0 && r->buf.len >= BLOCK_BYTES)
            rc = flush(r, fd);
        r->rep->pages += rc == 0;
    }
    if (rc == 0)
        rc = flush(r, fd);
    if (rc != 0) {
        close(fd);
        return -1;
    }
    return close_out(fd, r->path, r->err);
}

static int write_jsonl(run *r) {
    size_t shards = (r->o->pages + PS_GEN_PER_SHARD - 1) / PS_GEN_PER_SHARD;
    for (size_t s = 0; s < shards; s++)
        if (write_shard(r, s) != 0)
            return -1;
    return 0;
}

int ps_gen_write(const ps_gen_model *m, const ps_gen_opts *o, ps_gen_report *rep, ps_err *err) {
    *rep = (ps_gen_report){0};
    if (!o->out_dir || !*o->out_dir)
        return ps_err_set(err, "--out: no folder given");
    if (make_dir(o->out_dir, err) != 0)
        return ps_err_prefix(err, "--out");
    run r = {.m = m, .o = o, .rep = rep, .err = err, .pg = PS_GEN_PAGE_INIT,
             .buf = PS_STRBUF_INIT};
    ps_progress_start(&r.progress, o->progress, "generating");
    double t0 = ps_now();
    int rc = o->format == PS_GEN_JSONL ? write_jsonl(&r) : write_text(&r);
    ps_progress_done(&r.progress);
    rep->seconds = ps_now() - t0;
    ps_gen_page_free(&r.pg);
    ps_strbuf_free(&r.buf);
    return rc;
}
