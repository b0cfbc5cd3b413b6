#include "query/qparse.h"

#include <stdlib.h>
#include <string.h>

#include "indexer/fields.h"

typedef enum { OP_NONE, OP_AND, OP_OR } pending_op;

typedef struct scanner {
    const unsigned char *s;
    size_t n;           /* bytes read (after the PS_QUERY_MAX_BYTES cut) */
    size_t last_quote;  /* start of the last quote in s, or n when none */
    size_t content_end; /* end of the last byte that is not a separator */
    ps_qparsed *out;
    size_t cap;         /* clauses allocated */
    char *tp, *tend;    /* free part of out->texts_ */
    int groups;         /* or_groups handed out */
    int last;           /* index of the previous clause, -1 before the first */
    pending_op op;      /* AND/OR seen since the previous clause */
    int negate;         /* NOT seen since the previous clause */
    int full;           /* a clause beyond the cap was found: stop */
} scanner;

/* Whitespace as the syntax sees it: C0/DEL/C1 controls and the Unicode space
 * separators, because pasted text and phone keyboards bring NBSP, thin
 * spaces and BOMs, and a sign or quote after one of them must still count
 * as being at the start of a clause.  Returns its length in bytes, 0 if the
 * character at i is not one.  Never reads at or beyond n. */
static size_t space_len(const unsigned char *s, size_t i, size_t n) {
    unsigned c = s[i];
    size_t left = n - i;
    if (c <= 0x20 || c == 0x7F)
        return 1;
    if (c < 0x80)
        return 0;
    if (c == 0xC2 && left >= 2 && s[i + 1] >= 0x80 && s[i + 1] <= 0xA0)
        return 2; /* C1 controls, U+00A0 */
    if (left < 3)
        return 0;
    if (c == 0xE1 && s[i + 1] == 0x9A && s[i + 2] == 0x80)
        return 3; /* U+1680 */
    if (c == 0xE2 && s[i + 1] == 0x80 &&
        ((s[i + 2] >= 0x80 && s[i + 2] <= 0x8A) || s[i + 2] == 0xA8 || s[i + 2] == 0xA9 ||
         s[i + 2] == 0xAF))
        return 3; /* U+2000..200A, U+2028, U+2029, U+202F */
    if (c == 0xE2 && s[i + 1] == 0x81 && s[i + 2] == 0x9F)
        return 3; /* U+205F */
    if (c == 0xE3 && s[i + 1] == 0x80 && s[i + 2] == 0x80)
        return 3; /* U+3000 */
    if (c == 0xEF && s[i + 1] == 0xBB && s[i + 2] == 0xBF)
        return 3; /* U+FEFF */
    return 0;
}

/* Parentheses separate too: there is no grouping, and "(a OR b)" should
 * still see a bare OR and bare words. */
static size_t sep_len(const scanner *sc, size_t i) {
    unsigned c = sc->s[i];
    if (c == '(' || c == ')')
        return 1;
    return space_len(sc->s, i, sc->n);
}

/* " and the curly quotes; all pair with each other because phones and word
 * processors replace one end and not the other. */
static size_t quote_len(const unsigned char *s, size_t i, size_t n) {
    if (i >= n)
        return 0;
    if (s[i] == '"')
        return 1;
    if (s[i] == 0xE2 && n - i >= 3 && s[i + 1] == 0x80 &&
        (s[i + 2] == 0x9C || s[i + 2] == 0x9D || s[i + 2] == 0x9E))
        return 3; /* U+201C, U+201D, U+201E */
    return 0;
}

/* End of the word starting at i: the first separator or quote. */
static size_t word_end(const scanner *sc, size_t i) {
    while (i < sc->n && !sep_len(sc, i) && !quote_len(sc->s, i, sc->n))
        i++;
    return i;
}

/* The analyzer finds no word in pure ASCII punctuation, so such a token would
 * only be an empty clause taking a slot (and an operator's neighbour). */
static int has_content(const unsigned char *s, size_t a, size_t b) {
    while (a < b) {
        size_t k = space_len(s, a, b);
        if (k) {
            a += k;
            continue;
        }
        unsigned c = s[a];
        if (c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
            return 1;
        a++;
    }
    return 0;
}

static int is_operator(const unsigned char *s, size_t a, size_t b, const char *op) {
    size_t len = strlen(op);
    return b - a == len && memcmp(s + a, op, len) == 0;
}

/* OR binds tighter than AND, so a group shares one mode: making one member
 * MUST makes the group required.  Group members are adjacent and end at
 * idx, as a group only ever grows by its newest clause. */
static void make_must(scanner *sc, int idx) {
    ps_qclause *cl = sc->out->clauses;
    int g = cl[idx].or_group;
    if (!g) {
        cl[idx].mode = PS_QM_MUST;
        return;
    }
    for (int k = idx; k >= 0 && cl[k].or_group == g; k--)
        cl[k].mode = PS_QM_MUST;
}

/* Copy s[a..b) as a clause text.  Control bytes become spaces so that a text
 * echoed to a terminal or log cannot carry escapes or NULs. */
static const char *copy_text(scanner *sc, size_t a, size_t b) {
    if ((size_t)(sc->tend - sc->tp) < b - a + 1)
        return NULL; /* cannot happen: texts are disjoint parts of the input */
    char *t = sc->tp;
    for (size_t i = a; i < b; i++) {
        unsigned c = sc->s[i];
        if (c == 0xC2 && i + 1 < b && sc->s[i + 1] >= 0x80 && sc->s[i + 1] <= 0x9F) {
            t[i - a] = ' ';
            t[i - a + 1] = ' ';
            i++;
            continue;
        }
        t[i - a] = (char)(c < 0x20 || c == 0x7F ? ' ' : c);
    }
    t[b - a] = '\0';
    sc->tp += b - a + 1;
    return t;
}

static void emit(scanner *sc, ps_qkind kind, ps_qmode mode, int field, size_t start, size_t end,
                 size_t ts, size_t te) {
    ps_qparsed *out = sc->out;
    if (out->n >= sc->cap) {
        out->truncated |= PS_QTRUNC_CLAUSES;
        sc->full = 1;
        return;
    }
    const char *text = copy_text(sc, ts, te);
    if (!text) {
        sc->full = 1;
        return;
    }
    int idx = (int)out->n;
    ps_qclause *c = &out->clauses[out->n++];
    *c = (ps_qclause){.kind = kind,
                      .mode = sc->negate ? PS_QM_MUST_NOT : mode,
                      .text = text,
                      .len = te - ts,
                      .field = field,
                      .or_group = 0,
                      .start = start,
                      .end = end,
                      .text_start = ts,
                      .text_end = te};
    if (sc->last >= 0) {
        ps_qclause *prev = &out->clauses[sc->last];
        if (sc->op == OP_AND) {
            if (prev->mode != PS_QM_MUST_NOT)
                make_must(sc, sc->last);
            if (c->mode != PS_QM_MUST_NOT)
                c->mode = PS_QM_MUST;
        } else if (sc->op == OP_OR && prev->mode != PS_QM_MUST_NOT &&
                   c->mode != PS_QM_MUST_NOT) {
            /* "a OR -b" has no flat meaning; the negation is the clearer
             * intent, so the OR goes. */
            if (!prev->or_group)
                prev->or_group = ++sc->groups;
            c->or_group = prev->or_group;
            if (prev->mode == PS_QM_MUST || c->mode == PS_QM_MUST) {
                c->mode = PS_QM_MUST;
                make_must(sc, sc->last);
            }
        }
    }
    sc->last = idx;
    sc->op = OP_NONE;
    sc->negate = 0;
}

/* First quote at or after i; n when there is none.  Linear overall: an opener
 * either finds its closer (and the bytes between are consumed as a phrase) or
 * is past last_quote and fails without scanning. */
static size_t find_quote(const scanner *sc, size_t i) {
    if (sc->last_quote >= sc->n || i > sc->last_quote)
        return sc->n;
    while (i < sc->n && !quote_len(sc->s, i, sc->n))
        i++;
    return i;
}

/* Phrase whose opening quote starts at open (ql bytes) and closing one at
 * close; start is where the clause began (sign or field). */
static size_t phrase(scanner *sc, ps_qmode mode, int field, size_t start, size_t open, size_t ql,
                     size_t close) {
    size_t end = close + quote_len(sc->s, close, sc->n);
    size_t ts = close, te = open + ql;
    for (size_t i = open + ql; i < close;) {
        size_t k = space_len(sc->s, i, close);
        if (k) {
            i += k;
            continue;
        }
        if (ts == close)
            ts = i;
        te = ++i;
    }
    if (ts < te && has_content(sc->s, ts, te))
        emit(sc, PS_QK_PHRASE, mode, field, start, end, ts, te);
    return end;
}

/* A field name with nothing attached to its ':' (name at [a, colon_end)).
 * Followed by more query, it is prose punctuation ("Complications: lumbar
 * puncture") and the name is one of the words searched for; at the very end
 * a search-as-you-type box is sending "risks:" before the rest is typed, so
 * it is dropped.  Returns where to go on. */
static size_t lone_field(scanner *sc, ps_qmode mode, size_t start, size_t a, size_t colon_end,
                         size_t next) {
    if (next < sc->content_end)
        emit(sc, PS_QK_WORD, mode, -1, start, colon_end, a, colon_end);
    return next;
}

/* One clause (or operator) starting at i, which is not a separator; returns
 * where to go on, always > i. */
static size_t clause(scanner *sc, size_t i) {
    const unsigned char *s = sc->s;
    size_t n = sc->n;

    if (!quote_len(s, i, n)) {
        size_t j = word_end(sc, i);
        if (is_operator(s, i, j, "AND") || is_operator(s, i, j, "&&")) {
            sc->op = OP_AND;
            return j;
        }
        if (is_operator(s, i, j, "OR") || is_operator(s, i, j, "||")) {
            sc->op = OP_OR;
            return j;
        }
        if (is_operator(s, i, j, "NOT")) {
            sc->negate = 1;
            return j;
        }
    }

    size_t p = i;
    ps_qmode mode = PS_QM_SHOULD;
    /* "--x" and "+-x" are not signs: doubled dashes are prose punctuation,
     * and excluding a page on a guess is worse than ranking it. */
    if ((s[p] == '-' || s[p] == '+') && p + 1 < n && !sep_len(sc, p + 1) && s[p + 1] != '-' &&
        s[p + 1] != '+') {
        mode = s[p] == '-' ? PS_QM_MUST_NOT : PS_QM_MUST;
        p++;
    }

    int field = -1;
    size_t name = p;
    if (!quote_len(s, p, n)) {
        size_t we = word_end(sc, p);
        const unsigned char *colon = memchr(s + p, ':', we - p);
        if (colon && colon > s + p) {
            int f = ps_field_lookup((const char *)s + p, (size_t)(colon - (s + p)));
            if (f >= 0) {
                field = f;
                p = (size_t)(colon - s) + 1;
                if (p == we && !quote_len(s, p, n))
                    return lone_field(sc, mode, i, name, p, we);
            }
        }
    }

    size_t ql = quote_len(s, p, n);
    if (ql) {
        size_t close = find_quote(sc, p + ql);
        if (close < n)
            return phrase(sc, mode, field, i, p, ql, close);
        /* Unbalanced: drop the quote, keep sign and field for a word stuck to
         * it ("-\"x" = "-x"); otherwise carry on with plain words. */
        if (p + ql >= n || sep_len(sc, p + ql))
            return field >= 0 ? lone_field(sc, mode, i, name, p, p + ql) : p + ql;
        p += ql;
    }

    size_t we = word_end(sc, p);
    size_t te = we;
    while (te > p && s[te - 1] == '*')
        te--;
    /* After bare punctuation a quote can still open a phrase (["spinal tap"]). */
    if (!has_content(s, p, te))
        return we;
    emit(sc, te < we ? PS_QK_PREFIX : PS_QK_WORD, mode, field, i, we, p, te);
    /* A quote touching the end of a word (5" needle) is not an opener. */
    return we + quote_len(s, we, n);
}

int ps_qparse(const char *q, size_t len, ps_qparsed *out, ps_err *err) {
    if (!out)
        return ps_err_set(err, "ps_qparse: out is NULL");
    *out = (ps_qparsed){0};
    if (!q)
        len = 0;

    const unsigned char *s = (const unsigned char *)q;
    size_t n = len;
    if (n > PS_QUERY_MAX_BYTES) {
        n = PS_QUERY_MAX_BYTES;
        /* Back up over at most 3 continuation bytes to the character's lead
         * byte; more than that is not UTF-8 and any cut will do. */
        while (n > PS_QUERY_MAX_BYTES - 3 && (s[n] & 0xC0) == 0x80)
            n--;
        out->truncated |= PS_QTRUNC_BYTES;
    }
    out->used = n;
    if (n == 0)
        return 0;

    size_t cap = n / 2 + 1; /* a clause takes a byte and a separator after it */
    if (cap > PS_QUERY_MAX_CLAUSES)
        cap = PS_QUERY_MAX_CLAUSES;
    out->clauses = malloc(cap * sizeof *out->clauses);
    out->texts_ = malloc(n + cap);
    if (!out->clauses || !out->texts_) {
        ps_qparsed_free(out);
        return ps_err_set(err, "ps_qparse: out of memory for a %zu-byte query", len);
    }

    scanner sc = {.s = s, .n = n, .last_quote = n, .out = out, .cap = cap,
                  .tp = out->texts_, .tend = out->texts_ + n + cap, .last = -1};
    for (size_t i = 0; i < n;) {
        size_t k = sep_len(&sc, i);
        if (!k && quote_len(s, i, n))
            sc.last_quote = i;
        if (!k)
            sc.content_end = i + 1;
        i += k ? k : 1;
    }

    size_t i = 0;
    while (i < n && !sc.full) {
        size_t k = sep_len(&sc, i);
        i = k ? i + k : clause(&sc, i);
    }
    return 0;
}

void ps_qparsed_free(ps_qparsed *p) {
    if (!p)
        return;
    free(p->clauses);
    free(p->texts_);
    *p = (ps_qparsed){0};
}

const char *ps_qkind_name(ps_qkind kind) {
    switch (kind) {
    case PS_QK_WORD: return "word";
    case PS_QK_PHRASE: return "phrase";
    case PS_QK_PREFIX: return "prefix";
    }
    return "?";
}

const char *ps_qmode_name(ps_qmode mode) {
    switch (mode) {
    case PS_QM_SHOULD: return "should";
    case PS_QM_MUST: return "must";
    case PS_QM_MUST_NOT: return "must_not";
    }
    return "?";
}
