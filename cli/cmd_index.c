/*
 * cmd_index.c - procsearch index [--db DIR] [--batch N] [--threads N]
 *               [--shard-pages N] [--weights FILE] [--overwrite] [--quiet] PATH...
 *
 * SIGINT or SIGTERM stops a run cleanly (see ps_index_paths: nothing stored
 * is lost, a sharded run leaves no shard databases behind); then, the
 * summary printed, the process dies of that signal, so that a shell loop
 * or a supervisor sees it as it would without the cleanup.  A second
 * signal kills at once.
 */
#include <getopt.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "indexer/index_run.h"

static const char usage[] =
    "procsearch index [--db DIR] [--batch N] [--threads N] [--shard-pages N] [--weights FILE]\n"
    "                 [--overwrite] [--quiet] PATH...";

typedef struct reject_log {
    int quiet;
    int tty;
} reject_log;

static void on_reject(const char *msg, void *ctx) {
    const reject_log *log = ctx;
    if (log->quiet)
        return;
    /* Clear a progress line first so the message starts on a clean line. */
    fprintf(stderr, "%srejected: %s\n", log->tty ? "\r\033[K" : "", msg);
}

static atomic_int stop_signal;

/* The first signal asks; the defaults put back (signal() is
 * async-signal-safe) let a second one, of either kind, kill while a commit
 * or a merge finishes. */
static void on_stop_signal(int sig) {
    atomic_store(&stop_signal, sig);
    (void)signal(SIGINT, SIG_DFL);
    (void)signal(SIGTERM, SIG_DFL);
}

/* SA_RESTART: reads cut by the signal go on, and the run stops at the next
 * page (a run blocked reading a pipe takes the second signal). */
static void catch_stop_signals(void) {
    _Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the signal handler stores an atomic_int");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    (void)sigaction(SIGINT, &sa, NULL);
    (void)sigaction(SIGTERM, &sa, NULL);
}

int cmd_index(int argc, char **argv) {
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},     {"batch", required_argument, NULL, 'b'},
        {"weights", required_argument, NULL, 'w'}, {"overwrite", no_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},        {"help", no_argument, NULL, 'h'},
        {"threads", required_argument, NULL, 't'},
        {"shard-pages", required_argument, NULL, 's'},
        {NULL, 0, NULL, 0}};
    const char *db = NULL, *weights_path = NULL;
    size_t batch = PS_BATCH_DEFAULT, threads = 1, shard_pages = PS_SHARD_PAGES_DEFAULT;
    int overwrite = 0, quiet = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'b':
            if (ps_arg_size("index", "--batch", optarg, 1000000, &batch) < 0)
                return 2;
            if (batch == 0)
                return ps_usage_error("index", usage, "--batch must be at least 1");
            break;
        case 't':
            if (ps_arg_size("index", "--threads", optarg, 16, &threads) < 0)
                return 2;
            break;
        case 's':
            if (ps_arg_size("index", "--shard-pages", optarg, 100000000, &shard_pages) < 0)
                return 2;
            if (shard_pages == 0)
                return ps_usage_error("index", usage, "--shard-pages must be at least 1");
            break;
        case 'w': weights_path = optarg; break;
        case 'o': overwrite = 1; break;
        case 'q': quiet = 1; break;
        case 'h': printf("usage: %s\n", usage); return 0;
        default: return ps_usage_error("index", usage, "unknown option");
        }
    }
    if (optind >= argc)
        return ps_usage_error("index", usage, "no PATH to index");
    ps_weights w;
    ps_err err = {{0}};
    if (weights_path) {
        ps_weights_default(&w);
        if (ps_weights_load(weights_path, &w, &err) < 0) {
            fprintf(stderr, "procsearch index: %s\n", err.msg);
            return 2;
        }
    }
    int tty = isatty(STDERR_FILENO);
    ps_index_opts opts = {.db_path = ps_arg_db(db), .weights = weights_path ? &w : NULL,
                          .batch = batch, .progress = tty && !quiet, .overwrite = overwrite,
                          .threads = threads, .shard_pages = shard_pages,
                          .stop = &stop_signal};
    catch_stop_signals();
    reject_log log = {quiet, tty};
    ps_index_report rep;
    int rc = ps_index_paths(&opts, (const char *const *)argv + optind, (size_t)(argc - optind),
                            &rep, on_reject, &log, &err);
    if (rc < 0)
        fprintf(stderr, "procsearch index: %s\n", err.msg);
    /* After a failure the pages counted were read and built, not all
     * committed: what the database holds is its document count. */
    if (!quiet || rc < 0)
        fprintf(stderr,
                "%s %zu new, %zu replaced, %zu rejected in %.2f s (%.0f pages/s); "
                "%zu documents in %s%s\n",
                rc < 0 ? "stopped after" : "indexed", rep.indexed, rep.replaced, rep.rejected,
                rep.seconds,
                rep.seconds > 0 ? (double)(rep.indexed + rep.replaced) / rep.seconds : 0.0,
                rep.documents, opts.db_path, rc < 0 ? " (as last committed)" : "");
    int sig = atomic_load(&stop_signal);
    if (sig) /* even when the run finished first (the signal came during the merge) */
        (void)raise(sig);
    if (rc < 0)
        return 1;
    return rep.rejected ? 1 : 0;
}
