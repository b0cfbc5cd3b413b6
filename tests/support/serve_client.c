#define _GNU_SOURCE
#include "tests/support/serve_client.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/support/testenv.h"

static void nap_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int read_port(const char *log) {
    FILE *f = fopen(log, "r");
    if (!f)
        return 0;
    char line[512];
    int port = 0;
    while (!port && fgets(line, sizeof line, f)) {
        const char *at = strstr(line, "listening on http://127.0.0.1:");
        if (at)
            port = atoi(at + strlen("listening on http://127.0.0.1:"));
    }
    fclose(f);
    return port;
}

int t_server_start(t_server *s, const char *db, const char *extra) {
    memset(s, 0, sizeof *s);
    char *dir = t_tmpdir("serve-log");
    if (!dir || asprintf(&s->log, "%s/stderr.txt", dir) < 0) {
        free(dir);
        return -1;
    }
    free(dir);
    const char *bin = getenv("PROCSEARCH_BIN");
    if (!bin || !*bin)
        bin = "build/procsearch";
    char *words = strdup(extra ? extra : "");
    char *argv[32] = {(char *)bin, "serve", "--db", (char *)db, "--listen", "127.0.0.1:0"};
    int argc = 6;
    for (char *tok = strtok(words, " "); tok && argc < 31; tok = strtok(NULL, " "))
        argv[argc++] = tok;
    argv[argc] = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(s->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || dup2(fd, STDERR_FILENO) < 0)
            _exit(126);
        execv(bin, argv);
        _exit(127);
    }
    free(words);
    if (pid < 0)
        return -1;
    s->pid = pid;
    for (int i = 0; i < 1000 && !s->port; i++) {
        s->port = read_port(s->log);
        if (!s->port) {
            if (waitpid(pid, NULL, WNOHANG) == pid) {
                s->pid = 0;
                return -1;
            }
            nap_ms(10);
        }
    }
    return s->port ? 0 : -1;
}

int t_server_alive(const t_server *s) { return s->pid > 0 && kill(s->pid, 0) == 0; }

int t_server_stop(t_server *s, int sig) {
    if (s->pid <= 0)
        return -1;
    kill(s->pid, sig ? sig : SIGTERM);
    int status = 0, rc = -1;
    for (int i = 0; i < 1000; i++) {
        pid_t got = waitpid(s->pid, &status, WNOHANG);
        if (got == s->pid) {
            rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            break;
        }
        nap_ms(10);
    }
    if (rc == -1) {
        kill(s->pid, SIGKILL);
        waitpid(s->pid, NULL, 0);
    }
    s->pid = 0;
    return rc;
}

typedef struct grow {
    char *data;
    size_t len;
} grow;

static size_t on_data(char *p, size_t size, size_t n, void *ctx) {
    grow *g = ctx;
    size_t add = size * n;
    char *more = realloc(g->data, g->len + add + 1);
    if (!more)
        return 0;
    memcpy(more + g->len, p, add);
    g->len += add;
    more[g->len] = '\0';
    g->data = more;
    return add;
}

int t_http(const t_server *s, const char *method, const char *path, t_response *out) {
    memset(out, 0, sizeof *out);
    CURL *c = curl_easy_init();
    if (!c)
        return -1;
    char *url = NULL;
    if (asprintf(&url, "http://127.0.0.1:%d%s", s->port, path) < 0) {
        curl_easy_cleanup(c);
        return -1;
    }
    grow body = {NULL, 0}, head = {NULL, 0};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &head);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (!strcmp(method, "HEAD"))
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    else if (!strcmp(method, "POST"))
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, "q=x");
    else if (strcmp(method, "GET"))
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    curl_easy_cleanup(c);
    free(url);
    out->body = body.data ? body.data : strdup("");
    out->len = body.len;
    out->headers = head.data ? head.data : strdup("");
    return rc == CURLE_OK ? 0 : -1;
}

void t_response_free(t_response *r) {
    free(r->body);
    free(r->headers);
    memset(r, 0, sizeof *r);
}

char *t_header(const t_response *r, const char *name) {
    size_t n = strlen(name);
    for (const char *line = r->headers; line && *line;) {
        const char *eol = strstr(line, "\r\n");
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        if (len > n && line[n] == ':' && !strncasecmp(line, name, n)) {
            const char *v = line + n + 1;
            while (*v == ' ')
                v++;
            return strndup(v, (size_t)(line + len - v));
        }
        line += len + (eol ? 2 : 0);
    }
    return NULL;
}

char *t_urlencode(const char *s) {
    CURL *c = curl_easy_init();
    char *e = c ? curl_easy_escape(c, s, 0) : NULL;
    char *copy = e ? strdup(e) : NULL;
    curl_free(e);
    if (c)
        curl_easy_cleanup(c);
    return copy;
}
