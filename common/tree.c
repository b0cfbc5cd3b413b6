/* nftw() is an X/Open extension. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>

#include "common/file.h"

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

int ps_remove_tree(const char *dir, ps_err *err) {
    if (!dir || !*dir)
        return 0;
    /* Depth first and without following links: only what is inside goes. */
    if (nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0 && errno != ENOENT)
        return ps_err_set(err, "%s: could not remove: %s", dir, strerror(errno));
    return 0;
}
