/*
 * cmd_serve.c - procsearch serve [--db DIR] [--listen HOST:PORT] [--threads N]
 *               [--cors-origin ORIGIN] [--verbose]
 *
 * The search page and its JSON API over HTTP (cli/serve.h has the parts).
 * Prints "listening on http://HOST:PORT" on stderr once it accepts
 * connections (port 0 picks a free one; scripts read the line).  SIGINT or
 * SIGTERM stop it: no new connections, requests in flight are answered,
 * then it exits 0.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/serve.h"
#include "common/progress.h"

static const char usage[] =
    "procsearch serve [--db DIR] [--listen HOST:PORT] [--threads N] [--cors-origin ORIGIN]\n"
    "                 [--verbose]";

#define DEFAULT_LISTEN "127.0.0.1:8080"
#define THREADS_MAX 256
/* A client that sends nothing for this long is dropped. */
#define TIMEOUT_S 15
/* Connections open at once; more wait in the listen backlog. */
#define MAX_CONNECTIONS 1024
/* How long a stop waits for requests in flight. */
#define DRAIN_S 10.0

typedef struct listen_addr {
    char host[256];
    const char *port;
} listen_addr;

/* Split "HOST:PORT" ("[::1]:PORT" for IPv6).  2 (a usage error, printed)
 * or 0. */
static int parse_listen(const char *spec, listen_addr *out) {
    const char *colon = strrchr(spec, ':');
    if (!colon || colon == spec || !colon[1])
        return ps_usage_error("serve", usage,
                              "--listen needs HOST:PORT, e.g. 127.0.0.1:8080, not '%s'", spec);
    size_t port = 0;
    if (ps_arg_size("serve", "--listen's PORT", colon + 1, 65535, &port) < 0)
        return 2;
    size_t hlen = (size_t)(colon - spec);
    if (spec[0] == '[' && hlen >= 2 && spec[hlen - 1] == ']') {
        spec++;
        hlen -= 2;
    }
    if (hlen >= sizeof out->host)
        return ps_usage_error("serve", usage, "--listen: host name too long");
    memcpy(out->host, spec, hlen);
    out->host[hlen] = '\0';
    out->port = colon + 1;
    return 0;
}

/* Bind and listen.  Returns the socket, or -1 after printing why. */
static int listen_on(const listen_addr *la, const char *given) {
    const char *host = la->host;
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *ai = NULL;
    int gai = getaddrinfo(host, la->port, &hints, &ai);
    if (gai != 0) {
        fprintf(stderr, "procsearch serve: --listen %s: %s\n", host, gai_strerror(gai));
        return -1;
    }
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0), on = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) < 0 ||
        bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, SOMAXCONN) < 0) {
        fprintf(stderr, "procsearch serve: cannot listen on %s: %s\n", given, strerror(errno));
        if (fd >= 0)
            close(fd);
        fd = -1;
    }
    freeaddrinfo(ai);
    return fd;
}

/* "http://127.0.0.1:PORT" of a listening socket. */
static void describe(int fd, char *buf, size_t cap) {
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char host[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
        if (ss.ss_family == AF_INET6) {
            const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&ss;
            inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
            port = ntohs(a->sin6_port);
            snprintf(buf, cap, "http://[%s]:%u", host, port);
            return;
        }
        const struct sockaddr_in *a = (const struct sockaddr_in *)&ss;
        inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
        port = ntohs(a->sin_port);
    }
    snprintf(buf, cap, "http://%s:%u", host, port);
}

static unsigned default_threads(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

/* Stop accepting, let the requests in flight finish, stop. */
static void drain(ps_server *sv, struct MHD_Daemon *d) {
    MHD_socket lfd = MHD_quiesce_daemon(d);
    if (lfd != MHD_INVALID_SOCKET)
        close(lfd);
    double deadline = ps_now() + DRAIN_S;
    struct timespec tick = {0, 5L * 1000 * 1000};
    while (atomic_load(&sv->in_flight) > 0 && ps_now() < deadline)
        nanosleep(&tick, NULL);
    MHD_stop_daemon(d);
}

int cmd_serve(int argc, char **argv) {
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},          {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'},     {"cors-origin", required_argument, NULL, 'c'},
        {"verbose", no_argument, NULL, 'v'},           {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *db = NULL, *listen_spec = DEFAULT_LISTEN, *cors = NULL;
    size_t threads = default_threads();
    int verbose = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'l': listen_spec = optarg; break;
        case 't':
            if (ps_arg_size("serve", "--threads", optarg, THREADS_MAX, &threads) < 0)
                return 2;
            if (threads == 0)
                return ps_usage_error("serve", usage, "--threads must be at least 1");
            break;
        case 'c':
            /* It goes into a header as is: no line breaks or controls. */
            for (const char *p = optarg; *p; p++)
                if ((unsigned char)*p < 0x20 || *p == 0x7f)
                    return ps_usage_error("serve", usage, "--cors-origin has a control character");
            if (!*optarg)
                return ps_usage_error("serve", usage, "--cors-origin is empty");
            cors = optarg;
            break;
        case 'v': verbose = 1; break;
        case 'h': printf("usage: %s\n", usage); return 0;
        default: return ps_usage_error("serve", usage, "unknown option");
        }
    }
    if (optind != argc)
        return ps_usage_error("serve", usage, "unexpected argument '%s'", argv[optind]);
    listen_addr la = {"", ""};
    if (parse_listen(listen_spec, &la) != 0)
        return 2;

    /* Every thread started from here on inherits this mask, so the signals
     * reach only the sigwait below. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    static ps_server sv; /* zeroed, large (counters) and shared with MHD's threads */
    /* jansson seeds its hash function on first use: do it before threads race to. */
    json_object_seed(0);
    sv.cors_origin = cors;
    sv.verbose = verbose;
    sv.threads = (unsigned)threads;
    sv.started = ps_now();
    ps_err err = {{0}};
    const char *path = ps_arg_db(db);
    if (ps_pool_init(&sv.pool, path, threads, &err) < 0) {
        fprintf(stderr, "procsearch serve: %s\n", err.msg);
        return 1;
    }
    int fd = listen_on(&la, listen_spec);
    if (fd < 0) {
        ps_pool_destroy(&sv.pool);
        return 1;
    }
    char where[96];
    describe(fd, where, sizeof where);
    struct MHD_Daemon *d = ps_http_start(&sv, fd, TIMEOUT_S, MAX_CONNECTIONS, &err);
    if (!d) {
        fprintf(stderr, "procsearch serve: %s\n", err.msg);
        close(fd);
        ps_pool_destroy(&sv.pool);
        return 1;
    }
    fprintf(stderr, "listening on %s (database %s, %zu threads)\n", where, path, threads);
    int sig = 0;
    while (sigwait(&stop, &sig) != 0)
        ;
    if (verbose)
        fprintf(stderr, "procsearch serve: %s: finishing requests in flight\n", strsignal(sig));
    drain(&sv, d);
    ps_pool_destroy(&sv.pool);
    if (verbose)
        fprintf(stderr, "procsearch serve: stopped\n");
    return 0;
}
