/*
 * progress.h - a one-line progress display on stderr for long work.
 *
 * Only when enabled (callers pass isatty(STDERR_FILENO)): a log file or a
 * pipe gets nothing.  Redrawn at most five times a second so that the
 * display never costs the work measurable time.
 */
#ifndef PS_PROGRESS_H
#define PS_PROGRESS_H

#include <stddef.h>

typedef struct ps_progress {
    int enabled;
    const char *what;
    double start, last;
    size_t done, failed;
} ps_progress;

void ps_progress_start(ps_progress *p, int enabled, const char *what);
void ps_progress_update(ps_progress *p, size_t done, size_t failed);
/* Clears the line. */
void ps_progress_done(ps_progress *p);

double ps_now(void); /* monotonic seconds */

#endif
