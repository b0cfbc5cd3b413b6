#include "common/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int ps_file_read(const char *path, size_t max, char **buf, size_t *len, ps_err *err) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return ps_err_set(err, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0) {
        ps_err_set(err, "%s: %s", path, strerror(errno));
        fclose(f);
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        fclose(f);
        return ps_err_set(err, "%s: is a directory", path);
    }
    if (max && (size_t)st.st_size > max) {
        fclose(f);
        return ps_err_set(err, "%s: %lld bytes, larger than the %zu-byte limit", path,
                          (long long)st.st_size, max);
    }
    /* st_size is only a hint (pipes, growing files): read until EOF. */
    size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096, n = 0;
    char *data = malloc(cap);
    if (!data) {
        fclose(f);
        return ps_err_set(err, "%s: out of memory", path);
    }
    for (;;) {
        if (n + 1 >= cap) {
            if (max && n > max) {
                free(data);
                fclose(f);
                return ps_err_set(err, "%s: larger than the %zu-byte limit", path, max);
            }
            char *grown = realloc(data, cap * 2);
            if (!grown) {
                free(data);
                fclose(f);
                return ps_err_set(err, "%s: out of memory", path);
            }
            data = grown;
            cap *= 2;
        }
        size_t got = fread(data + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(data);
        return ps_err_set(err, "%s: read error", path);
    }
    if (max && n > max) {
        free(data);
        return ps_err_set(err, "%s: %zu bytes, larger than the %zu-byte limit", path, n, max);
    }
    data[n] = '\0';
    *buf = data;
    *len = n;
    return 0;
}

int ps_is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}
