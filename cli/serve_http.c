#include "cli/serve.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/progress.h"
#include "query/web_assets.h"

/* The page loads its script and style from this server and talks only to
 * it: no inline script, no other origin, no framing. */
static const char csp[] = "default-src 'none'; script-src 'self'; style-src 'self'; "
                          "img-src 'self'; connect-src 'self'; base-uri 'none'; "
                          "form-action 'self'; frame-ancestors 'none'";

/* *con_cls of a request that has been counted in in_flight. */
static int answered;

typedef struct request {
    ps_server *sv;
    struct MHD_Connection *conn;
    const char *method, *url;
    int endpoint;
    double t0;
} request;

static void printable(char *dst, size_t cap, const char *s) {
    size_t n = 0;
    for (; *s && n + 1 < cap; s++)
        dst[n++] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
    dst[n] = '\0';
}

static void count_and_log(const request *rq, unsigned status) {
    ps_server *sv = rq->sv;
    atomic_fetch_add(&sv->requests[rq->endpoint], 1);
    if (status >= 500)
        atomic_fetch_add(&sv->server_errors, 1);
    else if (status >= 400)
        atomic_fetch_add(&sv->client_errors, 1);
    if (sv->verbose) {
        char url[256];
        printable(url, sizeof url, rq->url);
        /* One fprintf per line: stdio locks the stream per call, so lines
         * from several threads never interleave. */
        fprintf(stderr, "%s %s %u %.2f ms\n", rq->method, url, status,
                (ps_now() - rq->t0) * 1000.0);
    }
}

static int add_headers(const request *rq, struct MHD_Response *r, const char *type, int api) {
    int ok = MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type) == MHD_YES &&
             MHD_add_response_header(r, "X-Content-Type-Options", "nosniff") == MHD_YES &&
             MHD_add_response_header(r, "Content-Security-Policy", csp) == MHD_YES &&
             MHD_add_response_header(r, "Referrer-Policy", "no-referrer") == MHD_YES &&
             MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
                                     api ? "no-store" : "no-cache") == MHD_YES;
    if (ok && api && rq->sv->cors_origin)
        ok = MHD_add_response_header(r, "Access-Control-Allow-Origin", rq->sv->cors_origin) ==
                 MHD_YES &&
             MHD_add_response_header(r, "Vary", "Origin") == MHD_YES;
    return ok ? 0 : -1;
}

static enum MHD_Result queue(const request *rq, unsigned status, struct MHD_Response *r,
                             const char *type, int api) {
    if (!r)
        return MHD_NO; /* out of memory: MHD drops the connection */
    enum MHD_Result res = MHD_NO;
    if (add_headers(rq, r, type, api) == 0 &&
        (status != MHD_HTTP_METHOD_NOT_ALLOWED ||
         MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD") == MHD_YES))
        res = MHD_queue_response(rq->conn, status, r);
    MHD_destroy_response(r);
    count_and_log(rq, status);
    return res;
}

/* Send body (consumed) as JSON with status: text when it is not NULL,
 * else json. */
static enum MHD_Result send_json(const request *rq, unsigned status, json_t *body,
                                 char *text) {
    /* ESCAPE_SLASH: "</script>" in page text can never close a script
     * element, whatever a client does with the JSON. */
    if (!text && body)
        text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ESCAPE_SLASH);
    json_decref(body);
    struct MHD_Response *r;
    if (text) {
        r = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
        if (!r)
            free(text);
    } else {
        static const char oom[] = "{\"error\":\"out of memory\"}";
        status = 500;
        r = MHD_create_response_from_buffer(sizeof oom - 1, (void *)oom, MHD_RESPMEM_PERSISTENT);
    }
    return queue(rq, status, r, "application/json; charset=utf-8", 1);
}

typedef struct arg_ctx {
    ps_params *ps;
    int failed;
} arg_ctx;

static enum MHD_Result on_arg(void *cls, enum MHD_ValueKind kind, const char *key, size_t klen,
                              const char *val, size_t vlen) {
    (void)kind;
    arg_ctx *a = cls;
    if (ps_params_add(a->ps, key, klen, val, vlen) < 0) {
        a->failed = 1;
        return MHD_NO;
    }
    return MHD_YES;
}

static enum MHD_Result route(request *rq) {
    const char *url = rq->url;
    ps_web_asset asset;
    if (ps_web_asset_find(url, &asset) == 0) {
        /* The page takes ?q= itself (a shared search), and links may add
         * anything else: its parameters are not checked here. */
        rq->endpoint = PS_EP_PAGE;
        struct MHD_Response *r = MHD_create_response_from_buffer(
            asset.len, (void *)asset.data, MHD_RESPMEM_PERSISTENT);
        return queue(rq, 200, r, asset.type, 0);
    }
    ps_params ps = {0};
    arg_ctx args = {&ps, 0};
    MHD_get_connection_values_n(rq->conn, MHD_GET_ARGUMENT_KIND, on_arg, &args);
    unsigned status;
    json_t *body = NULL;
    char *text = NULL;
    ps_server *sv = rq->sv;
    if (args.failed) {
        status = 503;
        body = ps_api_error("out of memory", NULL);
    } else if (!strcmp(url, "/search")) {
        rq->endpoint = PS_EP_SEARCH;
        status = ps_api_search(sv, &ps, &body, &text);
    } else if (!strcmp(url, "/suggest")) {
        rq->endpoint = PS_EP_SUGGEST;
        status = ps_api_suggest(sv, &ps, &body);
    } else if (!strncmp(url, "/doc/", 5)) {
        rq->endpoint = PS_EP_DOC;
        status = ps_api_doc(sv, &ps, url + 5, &body);
    } else if (!strcmp(url, "/health")) {
        rq->endpoint = PS_EP_HEALTH;
        status = ps_api_health(sv, &ps, &body);
    } else if (!strcmp(url, "/stats")) {
        rq->endpoint = PS_EP_STATS;
        status = ps_api_stats(sv, &ps, &body);
    } else {
        char shown[128], msg[192];
        printable(shown, sizeof shown, url);
        snprintf(msg, sizeof msg,
                 "no such path: %s (try /search, /suggest, /doc/ID, /health, /stats)", shown);
        status = 404;
        body = ps_api_error(msg, NULL);
    }
    ps_params_free(&ps);
    return send_json(rq, status, body, text);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls) {
    (void)version;
    (void)upload_data;
    ps_server *sv = cls;
    if (*con_cls) {
        /* Called again only for a request body, which no endpoint takes:
         * the answer is already queued, so drop it. */
        *upload_data_size = 0;
        return MHD_YES;
    }
    *con_cls = &answered;
    atomic_fetch_add(&sv->in_flight, 1);
    request rq = {sv, conn, method, url, PS_EP_OTHER, ps_now()};
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
        char msg[96], shown[24];
        printable(shown, sizeof shown, method);
        snprintf(msg, sizeof msg, "method %s is not allowed: only GET and HEAD", shown);
        return send_json(&rq, MHD_HTTP_METHOD_NOT_ALLOWED, ps_api_error(msg, NULL), NULL);
    }
    return route(&rq);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
    (void)conn;
    (void)toe;
    ps_server *sv = cls;
    if (*con_cls == &answered) {
        atomic_fetch_sub(&sv->in_flight, 1);
        *con_cls = NULL;
    }
}

struct MHD_Daemon *ps_http_start(ps_server *sv, int fd, unsigned timeout_s,
                                 unsigned max_connections, ps_err *err) {
    /* ITC lets MHD_quiesce_daemon stop accepting while requests drain. */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC;
    if (sv->verbose)
        flags |= MHD_USE_ERROR_LOG;
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, sv, MHD_OPTION_LISTEN_SOCKET, fd,
        MHD_OPTION_THREAD_POOL_SIZE, sv->threads, MHD_OPTION_CONNECTION_TIMEOUT, timeout_s,
        MHD_OPTION_CONNECTION_LIMIT, max_connections, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
        sv, MHD_OPTION_END);
    if (!d)
        ps_err_set(err, "libmicrohttpd could not start (run with --verbose for its reason)");
    return d;
}
