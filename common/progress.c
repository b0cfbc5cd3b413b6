#include "common/progress.h"

#include <stdio.h>
#include <time.h>

double ps_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void ps_progress_start(ps_progress *p, int enabled, const char *what) {
    *p = (ps_progress){.enabled = enabled, .what = what, .start = ps_now()};
    p->last = p->start;
}

void ps_progress_update(ps_progress *p, size_t done, size_t failed) {
    p->done = done;
    p->failed = failed;
    if (!p->enabled)
        return;
    double t = ps_now();
    if (t - p->last < 0.2)
        return;
    p->last = t;
    double rate = t > p->start ? (double)done / (t - p->start) : 0;
    fprintf(stderr, "\r%s: %zu done, %zu rejected, %.0f/s   ", p->what, done, failed, rate);
    fflush(stderr);
}

void ps_progress_done(ps_progress *p) {
    if (p->enabled && p->last > p->start)
        fputs("\r\033[K", stderr);
}
