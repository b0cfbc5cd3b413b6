#include "cli/serve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/progress.h"
#include "common/utf8.h"
#include "corpus/page_export.h"
#include "indexer/docbuild.h"
#include "indexer/docdata.h"
#include "indexer/fields.h"
#include "indexer/index_run.h"
#include "query/results_json.h"

/* Attempts after the first when a request fails on a database that an
 * indexer is committing to faster than a request runs. */
#define RETRIES 5

const char *ps_endpoint_name(int ep) {
    static const char *const names[PS_EP_COUNT] = {"page", "search", "suggest", "doc",
                                                   "health", "stats", "other"};
    return ep >= 0 && ep < PS_EP_COUNT ? names[ep] : "?";
}

json_t *ps_api_error(const char *message, const char *parameter) {
    json_t *j = json_object();
    if (!j || json_object_set_new(j, "error", json_string(message)) < 0 ||
        (parameter && json_object_set_new(j, "parameter", json_string(parameter)) < 0)) {
        json_decref(j);
        return NULL;
    }
    return j;
}

static unsigned bad_request(const ps_bad_request *bad, json_t **body) {
    *body = ps_api_error(bad->message, *bad->parameter ? bad->parameter : NULL);
    return 400;
}

/* The details of a database failure go to the server's log, not to the
 * client: they name files on the server. */
static unsigned server_error(unsigned status, const char *what, const ps_err *err, json_t **body) {
    fprintf(stderr, "procsearch serve: %s: %s\n", what, err->msg);
    *body = ps_api_error(status == 503 ? "the database cannot be read at the moment"
                                       : "internal error (the server's log says more)",
                         NULL);
    return status;
}

static int section_param(const ps_params *ps, int *field, ps_bad_request *bad) {
    const ps_param *p = ps_params_get(ps, "section");
    *field = -1;
    if (!p || !*p->value) /* an empty select box means any section */
        return 0;
    if ((*field = ps_field_lookup(p->value, p->value_len)) >= 0)
        return 0;
    snprintf(bad->message, sizeof bad->message,
             "section must name a section (e.g. summary, risks, recovery), not '%.40s'",
             ps_utf8_valid(p->value, p->value_len) ? p->value : "?");
    snprintf(bad->parameter, sizeof bad->parameter, "section");
    return -1;
}

unsigned ps_api_search(ps_server *sv, const ps_params *ps, json_t **body, char **text) {
    static const char *const names[] = {"q", "limit", "offset", "section", NULL};
    ps_bad_request bad = {"", ""};
    ps_search_opts o;
    ps_search_opts_default(&o);
    const char *q = NULL;
    if (ps_params_check(ps, names, &bad) < 0 || ps_params_query(ps, "q", &q, &bad) < 0 ||
        ps_params_size(ps, "limit", 1, PS_LIMIT_MAX, 10, &o.limit, &bad) < 0 ||
        ps_params_size(ps, "offset", 0, PS_OFFSET_MAX, 0, &o.offset, &bad) < 0 ||
        section_param(ps, &o.field, &bad) < 0)
        return bad_request(&bad, body);
    ps_err err = {{0}};
    ps_slot *s = ps_pool_get(&sv->pool, &err);
    if (!s)
        return server_error(503, "search", &err, body);
    ps_results r;
    int rc = ps_search(s->searcher, q, &o, &r, &err);
    /* A writer may have committed twice since the slot looked (Xapian's
     * DatabaseModifiedError): catch up and try again, so a live re-index
     * costs no failed request.  Any other failure just fails again. */
    for (int i = 0; rc < 0 && i < RETRIES && ps_slot_recover(&sv->pool, s, &err) == 0; i++)
        rc = ps_search(s->searcher, q, &o, &r, &err);
    ps_pool_put(&sv->pool, s);
    if (rc < 0)
        return server_error(500, "search", &err, body);
    /* ESCAPE_SLASH, as send_json writes the other bodies. */
    ps_strbuf out = PS_STRBUF_INIT;
    rc = ps_results_json_write(&r, 1, &out);
    ps_results_free(&r);
    if (rc < 0 || !(*text = ps_strbuf_detach(&out, NULL))) {
        ps_strbuf_free(&out);
        *body = ps_api_error("out of memory", NULL);
        return 500; /* as send_json answers a body it cannot write */
    }
    return 200;
}

unsigned ps_api_suggest(ps_server *sv, const ps_params *ps, json_t **body) {
    static const char *const names[] = {"q", "limit", NULL};
    ps_bad_request bad = {"", ""};
    size_t limit = 0;
    const char *q = NULL;
    if (ps_params_check(ps, names, &bad) < 0 || ps_params_query(ps, "q", &q, &bad) < 0 ||
        ps_params_size(ps, "limit", 1, PS_SUGGEST_LIMIT_MAX, PS_SUGGEST_LIMIT_DEFAULT, &limit,
                       &bad) < 0)
        return bad_request(&bad, body);
    ps_err err = {{0}};
    ps_slot *s = ps_pool_get(&sv->pool, &err);
    if (!s)
        return server_error(503, "suggest", &err, body);
    ps_suggestions r;
    int rc = ps_suggest(s->suggester, q, limit, &r, &err);
    for (int i = 0; rc < 0 && i < RETRIES && ps_slot_recover(&sv->pool, s, &err) == 0; i++)
        rc = ps_suggest(s->suggester, q, limit, &r, &err);
    ps_pool_put(&sv->pool, s);
    if (rc < 0)
        return server_error(500, "suggest", &err, body);
    *body = ps_suggestions_json(&r);
    ps_suggestions_free(&r);
    return 200;
}

/* The stored page with id as JSON (the `export` record), or a status other
 * than 200. */
static unsigned fetch_page(xs_db *db, const char *idterm, json_t **out, ps_err *err) {
    uint32_t docid = 0;
    xs_doc *doc = NULL;
    xs_status st = xs_db_find_by_term(db, idterm, &docid);
    if (st == XS_ERR_NOT_FOUND)
        return 404;
    if (st != XS_OK || xs_db_get_doc(db, docid, &doc) != XS_OK) {
        xs_doc_free(doc);
        ps_err_set(err, "%s: %s", idterm + 1, xs_last_error());
        return 500;
    }
    ps_page *page = NULL;
    int rc = ps_doc_page(NULL, doc, idterm + 1, &page, err);
    xs_doc_free(doc);
    if (rc < 0)
        return 500;
    *out = ps_page_json(page);
    ps_page_free(page);
    if (!*out) {
        ps_err_set(err, "out of memory");
        return 500;
    }
    return 200;
}

unsigned ps_api_doc(ps_server *sv, const ps_params *ps, const char *id, json_t **body) {
    static const char *const names[] = {NULL};
    ps_bad_request bad = {"", ""};
    if (ps_params_check(ps, names, &bad) < 0)
        return bad_request(&bad, body);
    char idterm[PS_ID_MAX + 2];
    if (!ps_utf8_valid(id, strlen(id)) || ps_id_term(id, idterm, sizeof idterm) < 0) {
        snprintf(bad.message, sizeof bad.message,
                 "a page id is 1 to %d bytes of UTF-8: /doc/ID", PS_ID_MAX);
        snprintf(bad.parameter, sizeof bad.parameter, "id");
        return bad_request(&bad, body);
    }
    ps_err err = {{0}};
    ps_slot *s = ps_pool_get(&sv->pool, &err);
    if (!s)
        return server_error(503, "doc", &err, body);
    json_t *page = NULL;
    unsigned status = fetch_page(ps_suggester_db(s->suggester), idterm, &page, &err);
    for (int i = 0; status == 500 && i < RETRIES && ps_slot_recover(&sv->pool, s, &err) == 0; i++)
        status = fetch_page(ps_suggester_db(s->suggester), idterm, &page, &err);
    ps_pool_put(&sv->pool, s);
    if (status == 404) {
        char msg[PS_ID_MAX + 64];
        snprintf(msg, sizeof msg, "no page with id '%s'", id);
        *body = ps_api_error(msg, NULL);
        if (*body)
            json_object_set_new(*body, "id", json_string(id));
        return 404;
    }
    if (status != 200)
        return server_error(status, "doc", &err, body);
    *body = page;
    return 200;
}

unsigned ps_api_health(ps_server *sv, const ps_params *ps, json_t **body) {
    (void)sv;
    static const char *const names[] = {NULL};
    ps_bad_request bad = {"", ""};
    if (ps_params_check(ps, names, &bad) < 0)
        return bad_request(&bad, body);
    *body = json_pack("{s:s}", "status", "ok");
    return 200;
}

static json_t *counters(ps_server *sv) {
    json_t *req = json_object();
    for (int ep = 0; req && ep < PS_EP_COUNT; ep++)
        json_object_set_new(req, ps_endpoint_name(ep),
                            json_integer((json_int_t)atomic_load(&sv->requests[ep])));
    return req;
}

unsigned ps_api_stats(ps_server *sv, const ps_params *ps, json_t **body) {
    static const char *const names[] = {NULL};
    ps_bad_request bad = {"", ""};
    if (ps_params_check(ps, names, &bad) < 0)
        return bad_request(&bad, body);
    ps_err err = {{0}};
    ps_slot *s = ps_pool_get(&sv->pool, &err);
    if (!s)
        return server_error(503, "stats", &err, body);
    xs_db *db = ps_suggester_db(s->suggester);
    uint64_t rev = 0;
    char *last = NULL;
    uint32_t docs = xs_db_doccount(db);
    int ok = xs_db_revision(db, &rev) == XS_OK &&
             xs_db_get_metadata(db, PS_META_LAST_COMMIT, &last, NULL) == XS_OK;
    if (!ok)
        ps_err_set(&err, "%s", xs_last_error());
    ps_pool_put(&sv->pool, s);
    if (!ok)
        return server_error(500, "stats", &err, body);
    *body = json_pack("{s:I, s:s?, s:I, s:f, s:I, s:o, s:{s:I, s:I}}", "documents",
                      (json_int_t)docs, "last_commit", *last ? last : NULL, "revision",
                      (json_int_t)rev, "uptime_s", ps_now() - sv->started, "threads",
                      (json_int_t)sv->threads, "requests", counters(sv), "errors", "client",
                      (json_int_t)atomic_load(&sv->client_errors), "server",
                      (json_int_t)atomic_load(&sv->server_errors));
    free(last);
    return 200;
}
