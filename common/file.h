/*
 * file.h - reading whole files with errors that name the file.
 */
#ifndef PS_FILE_H
#define PS_FILE_H

#include <stddef.h>

#include "common/err.h"

/* Read path into a malloc()ed buffer with a NUL after the last byte (the
 * content may hold NULs of its own: use *len).  Files larger than max bytes
 * are refused with a message giving both sizes, unless max is 0.  "-" is not
 * special. */
int ps_file_read(const char *path, size_t max, char **buf, size_t *len, ps_err *err);

/* Whether path names a directory (0 for anything else, errors included). */
int ps_is_dir(const char *path);

/* Remove a folder and everything below it (links are removed, not
 * followed); a path that does not exist is not an error. */
int ps_remove_tree(const char *dir, ps_err *err);

#endif
