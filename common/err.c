#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int ps_err_set(ps_err *err, const char *fmt, ...) {
    if (!err)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

int ps_err_prefix(ps_err *err, const char *fmt, ...) {
    if (!err)
        return -1;
    char prefix[PS_ERR_MSG_MAX];
    char old[PS_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    /* A message cut short at PS_ERR_MSG_MAX still names what failed first. */
    if (snprintf(err->msg, sizeof err->msg, "%s: %s", prefix, old) < 0)
        err->msg[0] = '\0';
    return -1;
}
