/*
 * qparse.h - the query language: a string as a person typed it -> a flat
 * list of clauses.
 *
 * Syntax only: no analysis (folding, stemming, stopwords) and no Xapian.
 * Clause texts are handed on to the analyzer exactly as typed, so anything
 * this file does not recognise as syntax reaches ranking unchanged.
 *
 * Queries come from a website search box, so nothing a person can type is
 * an error: every input, including invalid UTF-8, NUL and control bytes,
 * parses to something (possibly to no clauses at all).  The work is bounded
 * by PS_QUERY_MAX_BYTES and PS_QUERY_MAX_CLAUSES and is linear in the input.
 *
 * The language:
 *   lumbar puncture      two WORD clauses, SHOULD (ranked: more matches rank
 *                        higher).
 *   "lumbar puncture"    one PHRASE clause; the text is what is between the
 *                        quotes, trimmed, with control characters turned into
 *                        spaces.  ASCII " and the curly quotes U+201C U+201D
 *                        U+201E are all quotes, and any of them closes any
 *                        other (phones mix them).  A quote opens a phrase only
 *                        at the start of a clause (bare punctuation before it,
 *                        as in ["a b"], does not count); one that touches the
 *                        end of a word (5" needle) just ends the word.  A quote
 *                        with no partner is dropped and the rest parses as
 *                        words; "" and "  " produce nothing.
 *   risks:bleeding       field-restricted clause, also risks:"..." and
 *                        risks:cardio*.  The name before the first ':' goes
 *                        through ps_field_lookup (case-insensitive, aliases);
 *                        if it names no field the whole token is plain text
 *                        (Nd:YAG, 10:30, http://...).  A known name with
 *                        nothing attached after the ':' is punctuation, not
 *                        syntax: "Complications: lumbar puncture" keeps the
 *                        WORD "Complications:" (any field), while at the very
 *                        end of the query ("risks:", "lumbar risks:") it is
 *                        dropped, as search-as-you-type sends it before the
 *                        rest is typed.
 *   -word  -"phrase"  -risks:word   MUST_NOT.
 *   +word  +"phrase"  +risks:word   MUST.
 *                        Only a single '-' or '+' at the start of a clause and
 *                        directly followed by a word or quote is a sign:
 *                        X-ray, L4-L5, C++ and "--x" are text, and the lone
 *                        "-" in "x - y" is dropped.
 *   a AND b, a && b      both MUST.
 *   a OR b, a || b       both stay as they were (SHOULD by default) and share
 *                        an or_group, so a later stage may treat them as
 *                        alternatives.  OR binds tighter than AND, so
 *                        "a AND b OR c" is a AND (b OR c): every member of an
 *                        or_group has the same mode, and MUST on a group means
 *                        at least one member must match.  A MUST_NOT clause
 *                        never joins a group (the OR next to it is dropped).
 *   a NOT b              = a -b (also at the start: "NOT b" = "-b").
 *                        Operators are upper-case whole tokens only ("and",
 *                        "or", "not" are words; "+AND", "title:OR" and quoted
 *                        "AND" are words too).  AND/OR with no clause on one
 *                        side are dropped; runs of operators collapse (the last
 *                        of AND/OR wins).
 *   cardio*              PREFIX clause "cardio" (all trailing '*' removed).
 *                        '*' elsewhere in a word is text.
 *   ( )                  Parentheses outside quotes are whitespace: there is
 *                        no grouping, so "a OR (b c)" is "a OR b c".
 *   everything else      text, passed through: I&D, w/, 2.5, 24-48, e.g.,
 *                        O'Brien.  Tokens with no ASCII letter or digit and no
 *                        non-ASCII byte ("?", "-", "***", "&") are dropped,
 *                        as the analyzer would find no word in them.
 * Whitespace is ASCII space, every control character (C0, DEL, C1), NBSP and
 * the other Unicode space separators, and a byte-order mark.  Invalid UTF-8
 * bytes are left inside the text for the analyzer, which tolerates them.
 */
#ifndef PS_QPARSE_H
#define PS_QPARSE_H

#include <stddef.h>

#include "common/err.h"

/* Bytes of the query read; the rest is dropped, cut back to the start of a
 * UTF-8 character so no clause ends in half a character. */
#define PS_QUERY_MAX_BYTES 1024
/* Clauses kept; parsing stops at the first one beyond this. */
#define PS_QUERY_MAX_CLAUSES 64

typedef enum ps_qkind {
    PS_QK_WORD,   /* one token as typed (the analyzer may still split it) */
    PS_QK_PHRASE, /* quoted text: its words in order */
    PS_QK_PREFIX  /* word typed with a trailing '*': words starting with it */
} ps_qkind;

typedef enum ps_qmode {
    PS_QM_SHOULD,  /* optional; more matches rank higher */
    PS_QM_MUST,    /* required (for an or_group: one member is required) */
    PS_QM_MUST_NOT /* excluded */
} ps_qmode;

/* ps_qparsed.truncated bits; test it as a boolean for "something was cut". */
#define PS_QTRUNC_BYTES 0x1u   /* input longer than PS_QUERY_MAX_BYTES */
#define PS_QTRUNC_CLAUSES 0x2u /* more than PS_QUERY_MAX_CLAUSES clauses */

typedef struct ps_qclause {
    ps_qkind kind;
    ps_qmode mode;
    /* As typed, without quotes, trailing '*', field or sign; NUL-terminated,
     * never empty, no NUL or control bytes inside; len == strlen(text).
     * Owned by the ps_qparsed it is in. */
    const char *text;
    size_t len;
    int field;    /* id from ps_field_lookup, or -1 for any field */
    int or_group; /* > 0 when joined to a neighbour by an explicit OR; members
                     of a group are adjacent in clauses[] */
    /* Byte ranges in the input given to ps_qparse: [start, end) is the whole
     * clause with sign, field and quotes (for echoing the query back),
     * [text_start, text_end) the part that text was copied from (for
     * highlighting or replacing a misspelt word in the echo). */
    size_t start, end;
    size_t text_start, text_end;
} ps_qclause;

typedef struct ps_qparsed {
    ps_qclause *clauses; /* n clauses in the order typed */
    size_t n;
    unsigned truncated;  /* PS_QTRUNC_* bits, 0 when the whole query was read */
    size_t used;         /* bytes of the input that were read */
    char *texts_;        /* private: storage behind the clause texts */
} ps_qparsed;

/* Parse q[0..len) into *out, which the caller then owns and releases with
 * ps_qparsed_free (also after a failure, which leaves *out empty).  q needs no
 * NUL terminator and may be NULL when len is 0; embedded NULs are whitespace.
 * Returns 0, or -1 only when memory runs out (err says so) or out is NULL. */
int ps_qparse(const char *q, size_t len, ps_qparsed *out, ps_err *err);

/* Free what ps_qparse allocated and leave *p empty; NULL and an already
 * freed or empty result are fine. */
void ps_qparsed_free(ps_qparsed *p);

/* "word", "phrase", "prefix" / "should", "must", "must_not" for logs and
 * --explain output. */
const char *ps_qkind_name(ps_qkind kind);
const char *ps_qmode_name(ps_qmode mode);

#endif
