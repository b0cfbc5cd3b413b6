/*
 * fts5.c - SQLite FTS5 as a peer for procsearch in the relevance and speed
 * benchmarks.
 *
 *   fts5 index   --pages PAGES.jsonl --db DIR [--weights FILE] [--stopwords FILE]
 *   fts5 run     --db DIR --queries Q.tsv --run OUT [--depth N] [--tag NAME]
 *   fts5 latency --db DIR --queries Q.tsv [--repeat N] [--warmup N]
 *
 * PAGES.jsonl is what `procsearch export` prints.  The database is
 * DIR/fts5.sqlite:
 *   - pages: an FTS5 table with an UNINDEXED id column and one column per
 *     procsearch field (descriptor, name, common, and each body section:
 *     summary, purpose, ... other), tokenize = 'porter unicode61
 *     remove_diacritics 2'.  Sections sharing a key are joined.  Content is
 *     stored (as an application showing snippets would).
 *   - docs(rowid, id UNIQUE): page id to FTS rowid, so that a page given
 *     twice replaces the first, as in procsearch.
 *   - peer_config: the stopword list the queries drop.
 * Ranking is FTS5's bm25() with column weights = procsearch's field weights
 * (--weights, procsearch's weights file; default descriptor 3, name 4,
 * common 4, summary 2, the other sections 1), set once as the table's
 * persistent 'rank' so queries ORDER BY rank.  FTS5's bm25 adds the
 * column-weighted term frequencies of a row and normalises by the row's
 * whole length, i.e. it is BM25F-like, with k1 = 1.2, b = 0.75 fixed.
 *
 * Queries: the user's words (split on white space), each trimmed of
 * leading and trailing punctuation, lower-cased; words on procsearch's
 * stopword list (--stopwords at index time, one word a line) are dropped;
 * each remaining word becomes an FTS5 string ("..." with '"' doubled, which
 * FTS5 reads as a phrase of the tokens inside: "x-ray" -> x + ray), and the
 * strings are OR-ed.  FTS5 has no stopword filter of its own, so stopwords
 * are indexed but never asked for.  No spelling correction.
 *
 * Reading: PRAGMA mmap_size = 1 GiB and cache_size = 64 MiB, the usual
 * settings for a read-mostly SQLite database.  Indexing commits every 1000
 * pages (WAL journal), as procsearch does.
 *
 * Output as bench/peers/xapian_stock.cc describes: index prints one JSON
 * line with pages/s, run writes a TREC run, latency prints one JSON line of
 * percentiles, timing per query the building of the MATCH string, the
 * search and the fetch of the top-10 ids.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SYSTEM "fts5"
#define BATCH 1000

static const char *const fields[] = {"descriptor", "name",        "common",      "summary",
                                     "purpose",    "indications", "preparation", "procedure",
                                     "duration",   "setting",     "personnel",   "risks",
                                     "benefits",   "recovery",    "alternatives", "experience",
                                     "other"};
#define N_FIELDS (sizeof fields / sizeof fields[0])
#define F_COMMON 2
#define F_SECTION0 3

static const char usage[] =
    "usage: fts5 index   --pages PAGES.jsonl --db DIR [--weights FILE] [--stopwords FILE]\n"
    "       fts5 run     --db DIR --queries Q.tsv --run OUT [--depth N] [--tag NAME]\n"
    "       fts5 latency --db DIR --queries Q.tsv [--repeat N] [--warmup N]\n";

static const char *cmd_name = "";

/* Print "fts5 CMD: message" and return 1 (or 2 from usage_err). */
static int err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int err(const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "fts5 %s: ", cmd_name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

static int usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_err(const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "fts5 %s: ", cmd_name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n%s", usage);
    return 2;
}

/* ---- options ------------------------------------------------------------ */

typedef struct opts {
    const char *pages, *db, *weights, *stopwords, *queries, *run, *tag;
    size_t depth, repeat, warmup;
} opts;

static int parse_size(const char *opt, const char *val, size_t lo, size_t hi, size_t *out) {
    char *end = NULL;
    errno = 0;
    unsigned long long n = strtoull(val, &end, 10);
    if (!*val || *end || errno || val[0] == '-' || n < lo || n > hi)
        return usage_err("%s needs a whole number from %zu to %zu, not '%s'", opt, lo, hi, val);
    *out = (size_t)n;
    return 0;
}

/* allowed: the option names this command takes, space-separated. */
static int parse_opts(int argc, char **argv, const char *allowed, opts *o) {
    *o = (opts){.tag = SYSTEM, .depth = 100, .repeat = 5, .warmup = 1};
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *hit = strstr(allowed, a);
        size_t n = strlen(a);
        if (strncmp(a, "--", 2) != 0 || !hit || (hit[n] != ' ' && hit[n] != '\0'))
            return usage_err("unknown option '%s'", a);
        if (i + 1 >= argc)
            return usage_err("option %s needs a value", a);
        const char *v = argv[++i];
        if (!strcmp(a, "--pages")) o->pages = v;
        else if (!strcmp(a, "--db")) o->db = v;
        else if (!strcmp(a, "--weights")) o->weights = v;
        else if (!strcmp(a, "--stopwords")) o->stopwords = v;
        else if (!strcmp(a, "--queries")) o->queries = v;
        else if (!strcmp(a, "--run")) o->run = v;
        else if (!strcmp(a, "--tag")) o->tag = v;
        else if (!strcmp(a, "--depth")) {
            if (parse_size(a, v, 1, 10000, &o->depth)) return 2;
        } else if (!strcmp(a, "--repeat")) {
            if (parse_size(a, v, 1, 100000, &o->repeat)) return 2;
        } else if (!strcmp(a, "--warmup")) {
            if (parse_size(a, v, 0, 100000, &o->warmup)) return 2;
        }
    }
    return 0;
}

/* ---- files -------------------------------------------------------------- */

static char *read_file(const char *what, const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        err("%s %s: cannot open: %s", what, path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1)
            break;
        char *grown = realloc(buf, cap *= 2);
        if (!grown) {
            free(buf);
            buf = NULL;
        } else {
            buf = grown;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        err("%s %s: %s", what, path, buf ? "read error" : "out of memory");
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static char *trim(char *s) {
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        *--e = '\0';
    return s;
}

/* procsearch's weights format on top of the defaults: field names set the
 * column weights; k1, b, synonym, typo, phrase are accepted and ignored. */
static int load_weights(const char *path, double w[N_FIELDS]) {
    for (size_t f = 0; f < N_FIELDS; f++)
        w[f] = 1.0;
    w[0] = 3, w[1] = 4, w[2] = 4, w[3] = 2;
    if (!path)
        return 0;
    char *text = read_file("weights", path, NULL);
    if (!text)
        return 1;
    int rc = 0;
    size_t line_no = 0;
    for (char *line = text, *next; line && !rc; line = next) {
        line_no++;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *s = trim(line);
        if (!*s)
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            rc = err("%s:%zu: expected 'name = value'", path, line_no);
            break;
        }
        *eq = '\0';
        char *name = trim(s), *val = trim(eq + 1), *end = NULL;
        double v = strtod(val, &end);
        if (!*val || *end || !isfinite(v) || v < 0) {
            rc = err("%s:%zu: '%s' needs a number >= 0, not '%s'", path, line_no, name, val);
            break;
        }
        size_t f = 0;
        while (f < N_FIELDS && strcmp(name, fields[f]) != 0)
            f++;
        if (f < N_FIELDS)
            w[f] = v;
        else if (strcmp(name, "k1") != 0 && strcmp(name, "b") != 0 &&
                 strcmp(name, "synonym") != 0 && strcmp(name, "typo") != 0 &&
                 strcmp(name, "phrase") != 0)
            rc = err("%s:%zu: unknown name '%s'", path, line_no, name);
    }
    free(text);
    return rc;
}

/* ---- stopwords ---------------------------------------------------------- */

typedef struct stoplist {
    char **words; /* sorted */
    size_t n;
    char *buf;
} stoplist;

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Parse one word a line ('#' lines skipped) from text, which it takes. */
static int stoplist_parse(char *text, stoplist *sl) {
    *sl = (stoplist){NULL, 0, text};
    size_t cap = 0;
    for (char *line = text, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *w = trim(line);
        if (!*w || *w == '#')
            continue;
        if (sl->n == cap) {
            cap = cap ? cap * 2 : 256;
            char **grown = realloc(sl->words, cap * sizeof *grown);
            if (!grown)
                return err("out of memory");
            sl->words = grown;
        }
        sl->words[sl->n++] = w;
    }
    if (sl->n)
        qsort(sl->words, sl->n, sizeof *sl->words, cmp_str);
    return 0;
}

static int is_stopword(const stoplist *sl, const char *w) {
    return sl->n && bsearch(&w, sl->words, sl->n, sizeof *sl->words, cmp_str) != NULL;
}

static void stoplist_free(stoplist *sl) {
    free(sl->words);
    free(sl->buf);
}

/* ---- database ----------------------------------------------------------- */

static int db_path(const char *dir, char *out, size_t cap) {
    if ((size_t)snprintf(out, cap, "%s/fts5.sqlite", dir) >= cap)
        return err("--db %s: path too long", dir);
    return 0;
}

static int exec(sqlite3 *db, const char *sql) {
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        err("sqlite: %s (in: %.80s)", msg ? msg : sqlite3_errmsg(db), sql);
        sqlite3_free(msg);
        return 1;
    }
    return 0;
}

static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st) {
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
        return err("sqlite: %s (in: %.80s)", sqlite3_errmsg(db), sql);
    return 0;
}

/* ---- index -------------------------------------------------------------- */

typedef struct strbuf {
    char *s;
    size_t len, cap;
} strbuf;

static int sb_add(strbuf *b, const char *s, size_t n, const char *sep) {
    size_t sl = b->len && sep ? strlen(sep) : 0;
    if (b->len + sl + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + sl + n + 1)
            cap *= 2;
        char *grown = realloc(b->s, cap);
        if (!grown)
            return -1;
        b->s = grown;
        b->cap = cap;
    }
    if (sl)
        memcpy(b->s + b->len, sep, sl);
    memcpy(b->s + b->len + sl, s, n);
    b->len += sl + n;
    b->s[b->len] = '\0';
    return 0;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A JSON string member or NULL (also for null); *bad set on a wrong type. */
static const char *jstr(const json_t *obj, const char *key, size_t *len, int *bad) {
    const json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        *len = 0;
        return NULL;
    }
    if (!json_is_string(v)) {
        *bad = 1;
        return NULL;
    }
    *len = json_string_length(v);
    return json_string_value(v);
}

/* Fill cols[] from one record; returns 0, or 1 after printing what is wrong. */
static int page_columns(const json_t *rec, const char *where, strbuf cols[N_FIELDS],
                        const char **id) {
    int bad = 0;
    size_t n;
    for (size_t f = 0; f < N_FIELDS; f++)
        cols[f].len = 0;
    *id = jstr(rec, "id", &n, &bad);
    if (bad || !*id || !n)
        return err("%s: missing \"id\"", where);
    const char *s = jstr(rec, "descriptor", &n, &bad);
    if (s && sb_add(&cols[0], s, n, NULL))
        return err("out of memory");
    s = jstr(rec, "name", &n, &bad);
    if (s && sb_add(&cols[1], s, n, NULL))
        return err("out of memory");
    if (bad)
        return err("%s: \"descriptor\" or \"name\" is not a string", where);
    const json_t *names = json_object_get(rec, "common_names");
    if (names && !json_is_null(names)) {
        if (!json_is_array(names))
            return err("%s: \"common_names\" is not an array", where);
        size_t i;
        const json_t *v;
        json_array_foreach(names, i, v) {
            if (!json_is_string(v))
                return err("%s: \"common_names\"[%zu] is not a string", where, i);
            if (sb_add(&cols[F_COMMON], json_string_value(v), json_string_length(v), ", "))
                return err("out of memory");
        }
    }
    const json_t *secs = json_object_get(rec, "sections");
    if (secs && !json_is_null(secs)) {
        if (!json_is_array(secs))
            return err("%s: \"sections\" is not an array", where);
        size_t i;
        const json_t *sec;
        json_array_foreach(secs, i, sec) {
            size_t kl = 0, tl = 0;
            const char *key = json_is_object(sec) ? jstr(sec, "key", &kl, &bad) : NULL;
            const char *text = json_is_object(sec) ? jstr(sec, "text", &tl, &bad) : NULL;
            if (!json_is_object(sec) || bad)
                return err("%s: \"sections\"[%zu] is not an object of strings", where, i);
            size_t f = F_SECTION0;
            while (key && f < N_FIELDS && strcmp(key, fields[f]) != 0)
                f++;
            if (!key || f == N_FIELDS)
                f = N_FIELDS - 1; /* unknown: "other" */
            if (text && tl && sb_add(&cols[f], text, tl, "\n"))
                return err("out of memory");
        }
    }
    return 0;
}

static int cmd_index(const opts *o) {
    if (!o->pages || !o->db)
        return usage_err("needs --pages and --db");
    double w[N_FIELDS];
    if (load_weights(o->weights, w))
        return 1;
    char *stops = NULL;
    if (o->stopwords && !(stops = read_file("stopwords", o->stopwords, NULL)))
        return 1;
    FILE *in = fopen(o->pages, "rb");
    if (!in) {
        free(stops);
        return err("pages %s: cannot open: %s", o->pages, strerror(errno));
    }
    char path[4096];
    if (db_path(o->db, path, sizeof path)) {
        fclose(in);
        free(stops);
        return 1;
    }
    if (mkdir(o->db, 0777) && errno != EEXIST) {
        fclose(in);
        free(stops);
        return err("--db %s: cannot create folder: %s", o->db, strerror(errno));
    }
    char wal[4200];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
    if (unlink(path) && errno != ENOENT) {
        fclose(in);
        free(stops);
        return err("%s: cannot replace: %s", path, strerror(errno));
    }

    double t0 = now_s();
    sqlite3 *db = NULL;
    sqlite3_stmt *find = NULL, *add_doc = NULL, *del_page = NULL, *add_page = NULL,
                 *cfg = NULL;
    strbuf cols[N_FIELDS];
    memset(cols, 0, sizeof cols);
    char *line = NULL;
    size_t cap = 0, line_no = 0, count = 0, in_batch = 0;
    int rc = 1;
    if (sqlite3_open(path, &db) != SQLITE_OK) {
        err("%s: %s", path, db ? sqlite3_errmsg(db) : "cannot open");
        goto done;
    }
    char sql[2048], *p = sql;
    p += sprintf(p, "CREATE VIRTUAL TABLE pages USING fts5(id UNINDEXED");
    for (size_t f = 0; f < N_FIELDS; f++)
        p += sprintf(p, ", %s", fields[f]);
    sprintf(p, ", tokenize = 'porter unicode61 remove_diacritics 2')");
    if (exec(db, "PRAGMA journal_mode = WAL") ||
        exec(db, "CREATE TABLE docs(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE)") ||
        exec(db, "CREATE TABLE peer_config(key TEXT PRIMARY KEY, value TEXT NOT NULL)") ||
        exec(db, sql))
        goto done;
    p = sql + sprintf(sql, "INSERT INTO pages(pages, rank) VALUES('rank', 'bm25(0");
    for (size_t f = 0; f < N_FIELDS; f++)
        p += sprintf(p, ", %g", w[f]);
    sprintf(p, ")')");
    if (exec(db, sql) || exec(db, "BEGIN"))
        goto done;
    p = sql + sprintf(sql, "INSERT INTO pages(rowid, id");
    for (size_t f = 0; f < N_FIELDS; f++)
        p += sprintf(p, ", %s", fields[f]);
    p += sprintf(p, ") VALUES(?, ?");
    for (size_t f = 0; f < N_FIELDS; f++)
        p += sprintf(p, ", ?");
    sprintf(p, ")");
    if (prepare(db, "SELECT rowid FROM docs WHERE id = ?", &find) ||
        prepare(db, "INSERT INTO docs(id) VALUES(?)", &add_doc) ||
        prepare(db, "DELETE FROM pages WHERE rowid = ?", &del_page) || prepare(db, sql, &add_page) ||
        prepare(db, "INSERT OR REPLACE INTO peer_config(key, value) VALUES(?, ?)", &cfg))
        goto done;

    ssize_t n;
    while ((n = getline(&line, &cap, in)) >= 0) {
        line_no++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        if (n == 0)
            continue;
        char where[4200];
        snprintf(where, sizeof where, "%s:%zu", o->pages, line_no);
        json_error_t jerr;
        json_t *rec = json_loadb(line, (size_t)n, 0, &jerr);
        if (!rec || !json_is_object(rec)) {
            err("%s: not a JSON object%s%s", where, rec ? "" : ": ", rec ? "" : jerr.text);
            json_decref(rec);
            goto done;
        }
        const char *id = NULL;
        if (page_columns(rec, where, cols, &id)) {
            json_decref(rec);
            goto done;
        }
        sqlite3_int64 rowid;
        int found = 0;
        sqlite3_bind_text(find, 1, id, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(find) == SQLITE_ROW) {
            rowid = sqlite3_column_int64(find, 0);
            found = 1;
        }
        sqlite3_reset(find);
        int ok = 1;
        if (found) {
            sqlite3_bind_int64(del_page, 1, rowid);
            ok = sqlite3_step(del_page) == SQLITE_DONE;
            sqlite3_reset(del_page);
        } else {
            sqlite3_bind_text(add_doc, 1, id, -1, SQLITE_TRANSIENT);
            ok = sqlite3_step(add_doc) == SQLITE_DONE;
            sqlite3_reset(add_doc);
            rowid = sqlite3_last_insert_rowid(db);
        }
        if (ok) {
            sqlite3_bind_int64(add_page, 1, rowid);
            sqlite3_bind_text(add_page, 2, id, -1, SQLITE_TRANSIENT);
            for (size_t f = 0; f < N_FIELDS; f++) {
                if (cols[f].len)
                    sqlite3_bind_text(add_page, (int)f + 3, cols[f].s, (int)cols[f].len,
                                      SQLITE_STATIC);
                else
                    sqlite3_bind_null(add_page, (int)f + 3);
            }
            ok = sqlite3_step(add_page) == SQLITE_DONE;
            sqlite3_reset(add_page);
            sqlite3_clear_bindings(add_page);
        }
        json_decref(rec);
        if (!ok) {
            err("%s: storing the page: %s", where, sqlite3_errmsg(db));
            goto done;
        }
        count++;
        if (++in_batch == BATCH) {
            if (exec(db, "COMMIT") || exec(db, "BEGIN"))
                goto done;
            in_batch = 0;
        }
    }
    if (ferror(in)) {
        err("%s: read error after line %zu", o->pages, line_no);
        goto done;
    }
    sqlite3_bind_text(cfg, 1, "stopwords", -1, SQLITE_STATIC);
    sqlite3_bind_text(cfg, 2, stops ? stops : "", -1, SQLITE_STATIC);
    if (sqlite3_step(cfg) != SQLITE_DONE) {
        err("%s: storing the stopwords: %s", path, sqlite3_errmsg(db));
        goto done;
    }
    if (exec(db, "COMMIT"))
        goto done;
    rc = 0;
done:
    sqlite3_finalize(find);
    sqlite3_finalize(add_doc);
    sqlite3_finalize(del_page);
    sqlite3_finalize(add_page);
    sqlite3_finalize(cfg);
    if (db && sqlite3_close(db) != SQLITE_OK && rc == 0)
        rc = err("%s: closing: %s", path, sqlite3_errmsg(db));
    for (size_t f = 0; f < N_FIELDS; f++)
        free(cols[f].s);
    free(line);
    free(stops);
    fclose(in);
    if (rc == 0) {
        double secs = now_s() - t0;
        printf("{\"system\":\"%s\",\"pages\":%zu,\"seconds\":%.3f,\"pages_per_s\":%.1f}\n", SYSTEM,
               count, secs, secs > 0 ? (double)count / secs : 0.0);
        fprintf(stderr, "%s: indexed %zu pages in %.2f s (%.0f pages/s) into %s\n", SYSTEM, count,
                secs, secs > 0 ? (double)count / secs : 0.0, path);
    }
    return rc;
}

/* ---- queries ------------------------------------------------------------ */

typedef struct query {
    char *qid, *type, *text;
} query;

typedef struct queries {
    query *items;
    size_t n;
    char *buf;
} queries;

static int load_queries(const char *path, queries *qs) {
    *qs = (queries){NULL, 0, read_file("queries", path, NULL)};
    if (!qs->buf)
        return 1;
    size_t cap = 0, line_no = 0;
    for (char *line = qs->buf, *next; line; line = next) {
        line_no++;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        size_t n = strlen(line);
        if (n && line[n - 1] == '\r')
            line[--n] = '\0';
        if (!*trim(line))
            continue;
        char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (!t2)
            return err("%s:%zu: expected qid<TAB>type<TAB>query", path, line_no);
        *t1 = *t2 = '\0';
        if (qs->n == cap) {
            cap = cap ? cap * 2 : 256;
            query *grown = realloc(qs->items, cap * sizeof *grown);
            if (!grown)
                return err("out of memory");
            qs->items = grown;
        }
        qs->items[qs->n++] = (query){line, t1 + 1, t2 + 1};
    }
    if (!qs->n)
        return err("%s: no queries", path);
    return 0;
}

static void queries_free(queries *qs) {
    free(qs->items);
    free(qs->buf);
}

/* A byte that unicode61 may keep in a token: ASCII letters and digits, and
 * any byte of a non-ASCII character (which FTS5 judges itself). */
static int word_byte(unsigned char c) { return c >= 0x80 || isalnum(c); }

/* The FTS5 MATCH expression for the user's text into b: see the top. */
static int build_match(const char *text, const stoplist *sl, strbuf *b) {
    b->len = 0;
    if (sb_add(b, "", 0, NULL))
        return -1;
    char word[256];
    const char *p = text;
    while (*p) {
        while (*p && isspace((unsigned char)*p))
            p++;
        const char *start = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        const char *end = p;
        while (start < end && !word_byte((unsigned char)*start))
            start++;
        while (end > start && !word_byte((unsigned char)end[-1]))
            end--;
        size_t n = (size_t)(end - start);
        if (n == 0)
            continue;
        /* lower-cased, curly apostrophes made straight, for the stopword test */
        size_t wl = 0;
        for (const char *c = start; c < end && wl + 1 < sizeof word; c++) {
            if ((unsigned char)c[0] == 0xE2 && c + 2 < end && (unsigned char)c[1] == 0x80 &&
                ((unsigned char)c[2] == 0x99 || (unsigned char)c[2] == 0x98)) {
                word[wl++] = '\'';
                c += 2;
            } else {
                word[wl++] = (char)tolower((unsigned char)*c);
            }
        }
        word[wl] = '\0';
        if (is_stopword(sl, word))
            continue;
        if (sb_add(b, "\"", 1, b->len ? " OR " : NULL))
            return -1;
        for (const char *c = start; c < end; c++)
            if (sb_add(b, c, 1, NULL) || (*c == '"' && sb_add(b, "\"", 1, NULL)))
                return -1;
        if (sb_add(b, "\"", 1, NULL))
            return -1;
    }
    return 0;
}

typedef struct searcher {
    sqlite3 *db;
    sqlite3_stmt *st;
    stoplist stops;
    strbuf match;
    char path[4096];
} searcher;

static void searcher_close(searcher *s) {
    sqlite3_finalize(s->st);
    if (s->db)
        sqlite3_close(s->db);
    stoplist_free(&s->stops);
    free(s->match.s);
}

static int searcher_open(const char *dir, searcher *s) {
    memset(s, 0, sizeof *s);
    if (db_path(dir, s->path, sizeof s->path))
        return 1;
    if (access(s->path, R_OK))
        return err("%s: cannot read: %s (index it first)", s->path, strerror(errno));
    if (sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return err("%s: %s", s->path, s->db ? sqlite3_errmsg(s->db) : "cannot open");
    /* Readers opening a WAL database at the same moment (one per core)
     * briefly lock each other out while its index is set up: wait, not fail. */
    sqlite3_busy_timeout(s->db, 10000);
    if (exec(s->db, "PRAGMA mmap_size = 1073741824") || exec(s->db, "PRAGMA cache_size = -65536"))
        return 1;
    sqlite3_stmt *cfg = NULL;
    if (prepare(s->db, "SELECT value FROM peer_config WHERE key = 'stopwords'", &cfg))
        return 1;
    const char *v = sqlite3_step(cfg) == SQLITE_ROW ? (const char *)sqlite3_column_text(cfg, 0) : "";
    char *copy = strdup(v ? v : "");
    sqlite3_finalize(cfg);
    if (!copy || stoplist_parse(copy, &s->stops))
        return copy ? 1 : err("out of memory");
    return prepare(s->db, "SELECT id, rank FROM pages WHERE pages MATCH ? ORDER BY rank LIMIT ?",
                   &s->st);
}

/* Run one query; calls back per hit.  Returns 0, or 1 after printing. */
typedef void (*hit_fn)(const char *id, double score, size_t rank, void *ctx);

static int search(searcher *s, const char *text, size_t limit, hit_fn fn, void *ctx) {
    if (build_match(text, &s->stops, &s->match))
        return err("out of memory");
    if (!s->match.len)
        return 0; /* nothing left to look for */
    sqlite3_bind_text(s->st, 1, s->match.s, (int)s->match.len, SQLITE_STATIC);
    sqlite3_bind_int64(s->st, 2, (sqlite3_int64)limit);
    size_t rank = 0;
    int r;
    while ((r = sqlite3_step(s->st)) == SQLITE_ROW)
        fn((const char *)sqlite3_column_text(s->st, 0), -sqlite3_column_double(s->st, 1), ++rank,
           ctx);
    sqlite3_reset(s->st);
    if (r != SQLITE_DONE)
        return err("query '%s' (MATCH %s): %s", text, s->match.s, sqlite3_errmsg(s->db));
    return 0;
}

typedef struct run_ctx {
    FILE *f;
    const char *qid, *tag;
} run_ctx;

static void write_hit(const char *id, double score, size_t rank, void *ctx) {
    run_ctx *r = ctx;
    fprintf(r->f, "%s Q0 %s %zu %.6f %s\n", r->qid, id, rank, score, r->tag);
}

static int cmd_run(const opts *o) {
    if (!o->db || !o->queries || !o->run)
        return usage_err("needs --db, --queries and --run");
    queries qs;
    searcher s;
    int rc = load_queries(o->queries, &qs);
    if (rc == 0)
        rc = searcher_open(o->db, &s);
    else
        memset(&s, 0, sizeof s);
    FILE *f = NULL;
    if (rc == 0 && !(f = fopen(o->run, "w")))
        rc = err("run %s: cannot create: %s", o->run, strerror(errno));
    for (size_t i = 0; rc == 0 && i < qs.n; i++) {
        run_ctx r = {f, qs.items[i].qid, o->tag};
        rc = search(&s, qs.items[i].text, o->depth, write_hit, &r);
    }
    if (f && fclose(f) && rc == 0)
        rc = err("run %s: write error: %s", o->run, strerror(errno));
    if (rc == 0)
        fprintf(stderr, "%s: %zu queries -> %s\n", SYSTEM, qs.n, o->run);
    searcher_close(&s);
    queries_free(&qs);
    return rc;
}

static void fetch_hit(const char *id, double score, size_t rank, void *ctx) {
    (void)score;
    (void)rank;
    *(volatile size_t *)ctx += strlen(id);
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double percentile(const double *sorted, size_t n, double p) {
    size_t k = (size_t)ceil(p / 100.0 * (double)n);
    return sorted[k ? k - 1 : 0];
}

static int cmd_latency(const opts *o) {
    if (!o->db || !o->queries)
        return usage_err("needs --db and --queries");
    const size_t k = 10;
    queries qs;
    searcher s;
    int rc = load_queries(o->queries, &qs);
    if (rc == 0)
        rc = searcher_open(o->db, &s);
    else
        memset(&s, 0, sizeof s);
    double *ms = rc == 0 ? malloc(qs.n * o->repeat * sizeof *ms) : NULL;
    if (rc == 0 && !ms)
        rc = err("out of memory");
    size_t m = 0;
    volatile size_t sink = 0;
    for (size_t pass = 0; rc == 0 && pass < o->warmup + o->repeat; pass++) {
        for (size_t i = 0; rc == 0 && i < qs.n; i++) {
            double t0 = now_s();
            rc = search(&s, qs.items[i].text, k, fetch_hit, (void *)&sink);
            double t = (now_s() - t0) * 1000.0;
            if (pass >= o->warmup)
                ms[m++] = t;
        }
    }
    if (rc == 0) {
        double total = 0;
        for (size_t i = 0; i < m; i++)
            total += ms[i];
        qsort(ms, m, sizeof *ms, cmp_double);
        printf("{\"system\":\"%s\",\"queries\":%zu,\"repeat\":%zu,\"warmup\":%zu,\"k\":%zu,"
               "\"p50_ms\":%.4f,\"p95_ms\":%.4f,\"p99_ms\":%.4f,\"mean_ms\":%.4f,\"qps\":%.1f}\n",
               SYSTEM, qs.n, o->repeat, o->warmup, k, percentile(ms, m, 50),
               percentile(ms, m, 95), percentile(ms, m, 99), total / (double)m,
               total > 0 ? (double)m / (total / 1000.0) : 0.0);
    }
    free(ms);
    searcher_close(&s);
    queries_free(&qs);
    return rc;
}

int main(int argc, char **argv) {
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    cmd_name = argv[1];
    opts o;
    int rc;
    if (!strcmp(argv[1], "index"))
        return (rc = parse_opts(argc, argv, "--pages --db --weights --stopwords", &o)) ? rc
                                                                                       : cmd_index(&o);
    if (!strcmp(argv[1], "run"))
        return (rc = parse_opts(argc, argv, "--db --queries --run --depth --tag", &o)) ? rc
                                                                                        : cmd_run(&o);
    if (!strcmp(argv[1], "latency"))
        return (rc = parse_opts(argc, argv, "--db --queries --repeat --warmup", &o))
                   ? rc
                   : cmd_latency(&o);
    cmd_name = "";
    fprintf(stderr, "fts5: unknown command '%s'\n%s", argv[1], usage);
    return 2;
}
