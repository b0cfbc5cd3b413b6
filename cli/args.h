/*
 * args.h - option values for the subcommands, with errors that name the
 * option and say what it needs.
 */
#ifndef PS_ARGS_H
#define PS_ARGS_H

#include <stddef.h>

/* Parse val as a whole number in [0, max] into *out.  On failure prints
 * "procsearch CMD: OPT needs a whole number from 0 to MAX, not 'VAL'" to
 * stderr and returns -1. */
int ps_arg_size(const char *cmd, const char *opt, const char *val, size_t max, size_t *out);

/* Parse val as a number in [lo, hi]; same error style. */
int ps_arg_double(const char *cmd, const char *opt, const char *val, double lo, double hi,
                  double *out);

/* The words after the options joined by single spaces (malloc()ed; NULL
 * when out of memory): a query may be typed quoted or not. */
char *ps_join_args(int argc, char **argv);

/* The database folder: --db if given, else $PROCSEARCH_DB, else "build/db". */
const char *ps_arg_db(const char *given);

/* Print "procsearch CMD: MESSAGE" for a usage problem and return 2. */
int ps_usage_error(const char *cmd, const char *usage, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
