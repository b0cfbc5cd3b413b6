#include "cli/serve.h"

#include <stdlib.h>
#include <string.h>

#include "common/progress.h"

static void slot_close(ps_slot *s) {
    if (!s)
        return;
    ps_searcher_close(s->searcher);
    ps_suggester_close(s->suggester);
    free(s);
}

static ps_slot *slot_open(const char *path, ps_err *err) {
    ps_slot *s = calloc(1, sizeof *s);
    if (!s) {
        ps_err_set(err, "out of memory");
        return NULL;
    }
    if (!(s->searcher = ps_searcher_open(path, err)) ||
        !(s->suggester = ps_suggester_open(path, err))) {
        slot_close(s);
        return NULL;
    }
    s->refreshed = ps_now();
    return s;
}

int ps_pool_init(ps_pool *p, const char *path, size_t max, ps_err *err) {
    memset(p, 0, sizeof *p);
    p->max = max ? max : 1;
    if (!(p->path = strdup(path)))
        return ps_err_set(err, "out of memory");
    if (pthread_mutex_init(&p->mu, NULL) != 0) {
        free(p->path);
        return ps_err_set(err, "cannot create a mutex");
    }
    if (pthread_cond_init(&p->cv, NULL) != 0) {
        pthread_mutex_destroy(&p->mu);
        free(p->path);
        return ps_err_set(err, "cannot create a condition variable");
    }
    if (!(p->free = slot_open(path, err))) {
        ps_pool_destroy(p);
        return -1;
    }
    p->open = 1;
    return 0;
}

void ps_pool_destroy(ps_pool *p) {
    while (p->free) {
        ps_slot *next = p->free->next;
        slot_close(p->free);
        p->free = next;
    }
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p->path);
    memset(p, 0, sizeof *p);
}

static int slot_refresh(ps_slot *s, ps_err *err) {
    if (ps_searcher_refresh(s->searcher, NULL, err) < 0 ||
        ps_suggester_refresh(s->suggester, NULL, err) < 0)
        return -1;
    s->refreshed = ps_now();
    return 0;
}

int ps_slot_recover(ps_pool *p, ps_slot *s, ps_err *err) {
    if (slot_refresh(s, err) == 0)
        return 0;
    /* A database replaced wholesale (index --overwrite) cannot always be
     * reopened in place: open it again. */
    ps_slot *fresh = slot_open(p->path, err);
    if (!fresh)
        return -1;
    ps_searcher_close(s->searcher);
    ps_suggester_close(s->suggester);
    s->searcher = fresh->searcher;
    s->suggester = fresh->suggester;
    s->refreshed = fresh->refreshed;
    free(fresh);
    return 0;
}

ps_slot *ps_pool_get(ps_pool *p, ps_err *err) {
    pthread_mutex_lock(&p->mu);
    while (!p->free && p->open >= p->max)
        pthread_cond_wait(&p->cv, &p->mu);
    ps_slot *s = p->free;
    if (s)
        p->free = s->next;
    else
        p->open++; /* reserved: opened below, outside the lock */
    pthread_mutex_unlock(&p->mu);
    if (!s) {
        if (!(s = slot_open(p->path, err))) {
            pthread_mutex_lock(&p->mu);
            p->open--;
            pthread_cond_signal(&p->cv);
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
    } else if (ps_now() - s->refreshed >= PS_REFRESH_S && ps_slot_recover(p, s, err) < 0) {
        ps_pool_put(p, s);
        return NULL;
    }
    s->next = NULL;
    return s;
}

void ps_pool_put(ps_pool *p, ps_slot *s) {
    pthread_mutex_lock(&p->mu);
    s->next = p->free;
    p->free = s;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}
