/*
 * err.h - the one error value every layer above the shim passes around.
 *
 * Functions that can fail return int (0 on success, -1 on failure) and fill
 * a caller-owned ps_err.  The message is complete on its own: it names the
 * file, line, byte offset or parameter that caused the failure, so callers
 * print it as is and never have to add context they do not have.
 */
#ifndef PS_ERR_H
#define PS_ERR_H

#include <stddef.h>

#define PS_ERR_MSG_MAX 512

typedef struct ps_err {
    char msg[PS_ERR_MSG_MAX];
} ps_err;

/* Format a message into err (NULL err is allowed and ignored).  Always returns
 * -1 so that "return ps_err_set(err, ...)" reads as the failure path. */
int ps_err_set(ps_err *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Prefix an existing message, e.g. with a file name: "FILE: <old message>". */
int ps_err_prefix(ps_err *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static inline void ps_err_clear(ps_err *err) {
    if (err)
        err->msg[0] = '\0';
}

#endif
