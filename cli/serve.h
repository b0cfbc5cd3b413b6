/*
 * serve.h - the pieces of `procsearch serve` (cli/cmd_serve.c) and how they
 * meet:
 *
 *   serve_pool.c    searchers, one checked out per request, kept up to date
 *                   with the database an indexer may be writing to;
 *   serve_params.c  a request's query-string parameters, checked;
 *   serve_api.c     the JSON endpoints: what a request asks -> status + JSON;
 *   serve_http.c    libmicrohttpd glue: routing, headers, counters, logging.
 *
 * Xapian handles are not thread-safe, so each request works on a slot of
 * its own from the pool; everything else shared is read-only or atomic.
 */
#ifndef PS_SERVE_H
#define PS_SERVE_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "common/err.h"
#include "query/search.h"
#include "query/suggest.h"

/* ------------------------------------------------------------------ pool */

typedef struct ps_slot {
    ps_searcher *searcher;   /* /search */
    ps_suggester *suggester; /* /suggest, and its database for /doc and /stats */
    double refreshed;        /* ps_now() when it last caught up with the database */
    struct ps_slot *next;    /* free list */
} ps_slot;

typedef struct ps_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *path;
    ps_slot *free;
    size_t open, max;
} ps_pool;

/* Opens one slot at once, so that a bad database fails at start-up and not
 * on the first request.  At most max slots are ever open. */
int ps_pool_init(ps_pool *p, const char *path, size_t max, ps_err *err);
void ps_pool_destroy(ps_pool *p);

/* Check a slot out (waiting if all max are in use), caught up with the
 * latest commit if it last looked more than PS_REFRESH_S ago.  NULL when the
 * database cannot be opened or read (err says why). */
#define PS_REFRESH_S 0.05
ps_slot *ps_pool_get(ps_pool *p, ps_err *err);
void ps_pool_put(ps_pool *p, ps_slot *s);

/* After a failure that a newer revision may cure (Xapian's "database
 * modified" when a writer has moved on twice since the slot last looked):
 * move the slot to the latest commit, or open it afresh if even that fails. */
int ps_slot_recover(ps_pool *p, ps_slot *s, ps_err *err);

/* ---------------------------------------------------------------- params */

#define PS_PARAMS_MAX 16

typedef struct ps_param {
    char *key, *value; /* NUL-terminated copies; value "" for "?flag" */
    size_t value_len;  /* a NUL given (%00) is stored as a space */
} ps_param;

typedef struct ps_params {
    ps_param p[PS_PARAMS_MAX];
    size_t n;
    int overflow; /* more than PS_PARAMS_MAX were given */
} ps_params;

int ps_params_add(ps_params *ps, const char *key, size_t klen, const char *val, size_t vlen);
void ps_params_free(ps_params *ps);

/* A 400 answer: {"error": message, "parameter": name} (name may be NULL). */
typedef struct ps_bad_request {
    char message[256];
    char parameter[64];
} ps_bad_request;

/* Every parameter must be one of names (NULL-terminated) and given once. */
int ps_params_check(const ps_params *ps, const char *const *names, ps_bad_request *bad);
/* The value of name, or NULL when absent. */
const ps_param *ps_params_get(const ps_params *ps, const char *name);
/* A whole number in [lo, hi], def when absent. */
int ps_params_size(const ps_params *ps, const char *name, size_t lo, size_t hi, size_t def,
                   size_t *out, ps_bad_request *bad);
/* The query text: valid UTF-8 of at most PS_QUERY_MAX_BYTES; "" when
 * absent.  *out is borrowed from ps. */
int ps_params_query(const ps_params *ps, const char *name, const char **out,
                    ps_bad_request *bad);

/* ------------------------------------------------------------------- api */

enum ps_endpoint {
    PS_EP_PAGE,    /* the search page and its files */
    PS_EP_SEARCH,
    PS_EP_SUGGEST,
    PS_EP_DOC,
    PS_EP_HEALTH,
    PS_EP_STATS,
    PS_EP_OTHER,   /* unknown paths and methods */
    PS_EP_COUNT
};

const char *ps_endpoint_name(int ep);

typedef struct ps_server {
    ps_pool pool;
    const char *cors_origin; /* NULL: no CORS headers */
    int verbose;
    unsigned threads;
    double started;          /* ps_now() at start-up */
    atomic_ulong requests[PS_EP_COUNT];
    atomic_ulong client_errors, server_errors;
    atomic_long in_flight;   /* requests begun and not yet answered */
} ps_server;

/* Each answers one endpoint with an HTTP status and a JSON body (a new
 * reference, never NULL unless memory ran out).  A search's results come
 * as JSON text instead (*text, malloc()ed, with *body NULL): they are
 * written without building jansson's objects (results_json.h). */
unsigned ps_api_search(ps_server *sv, const ps_params *ps, json_t **body, char **text);
unsigned ps_api_suggest(ps_server *sv, const ps_params *ps, json_t **body);
unsigned ps_api_doc(ps_server *sv, const ps_params *ps, const char *id, json_t **body);
unsigned ps_api_health(ps_server *sv, const ps_params *ps, json_t **body);
unsigned ps_api_stats(ps_server *sv, const ps_params *ps, json_t **body);

/* {"error": message} plus "parameter" when given. */
json_t *ps_api_error(const char *message, const char *parameter);

/* ------------------------------------------------------------------ http */

struct MHD_Daemon;

/* Start serving on the bound, listening socket fd (taken over). */
struct MHD_Daemon *ps_http_start(ps_server *sv, int fd, unsigned timeout_s,
                                 unsigned max_connections, ps_err *err);

#endif
