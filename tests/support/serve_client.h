/*
 * serve_client.h - `procsearch serve` for the integration tests: start the
 * real binary on a free loopback port, talk HTTP to it (libcurl), stop it.
 */
#ifndef PS_SERVE_CLIENT_H
#define PS_SERVE_CLIENT_H

#include <stddef.h>
#include <sys/types.h>

typedef struct t_server {
    pid_t pid;
    int port;
    char *log; /* the server's stderr, a file */
} t_server;

/* Start `procsearch serve --db DB --listen 127.0.0.1:0 EXTRA` (extra is
 * shell-free: words separated by single spaces, may be NULL) and wait up to
 * 10 s for its "listening on http://127.0.0.1:PORT" line.  0 on success. */
int t_server_start(t_server *s, const char *db, const char *extra);

/* SIGTERM (or sig), then wait up to 10 s: the exit status, 128 + signal if
 * it was killed, -1 if it had to be killed. */
int t_server_stop(t_server *s, int sig);

/* Whether it is still running. */
int t_server_alive(const t_server *s);

typedef struct t_response {
    long status;  /* 0 when no HTTP answer came */
    char *body;   /* NUL-terminated */
    size_t len;
    char *headers; /* raw header block */
} t_response;

/* method "GET", "HEAD", "POST", ...; path with its query string, already
 * URL-encoded.  0 on a completed exchange (any status). */
int t_http(const t_server *s, const char *method, const char *path, t_response *out);
void t_response_free(t_response *r);

/* The value of header name (case-insensitive) in r, malloc()ed, or NULL. */
char *t_header(const t_response *r, const char *name);

/* %-encode s for a query string. malloc()ed. */
char *t_urlencode(const char *s);

#endif
