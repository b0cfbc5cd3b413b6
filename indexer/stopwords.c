/*
 * stopwords.c - the English stopword list shared by indexing and querying.
 *
 * The list is the Snowball English list (snowball.tartarus.org,
 * algorithms/english/stop.txt) minus the words that change what a medical
 * question means:
 *   - negation: "no", "nor", "not", "cannot" and every "...n't" form
 *     ("no contrast", "not covered", "can't bear weight");
 *   - position and time relative to the body or the procedure: "above",
 *     "below" ("above-knee amputation"), "before", "after" ("pain after
 *     surgery", "before the procedure");
 *   - "up" and "down", which make medical words in compounds and names
 *     ("follow-up", "work-up", "Down syndrome").
 * "with" stays a stopword: it is in nearly every page, so it carries no
 * weight.  "without" was never on the list and stays a search term, because
 * "without contrast" is the half of the pair that narrows a search.
 * "i" stays too: pronoun "I" fills questions ("what should I expect"), while
 * the roman numeral it would also drop ("type I") is rare in queries.
 *
 * Terms are folded, so apostrophes are ASCII and everything is lower case.
 * The table is sorted by strcmp for a binary search; the unit tests check
 * that it is.
 */
#include <string.h>

#include "indexer/analyze.h"
#include "indexer/analyze_internal.h"

static const char *const stopwords[] = {
    "a",        "about",   "again",      "against", "all",     "am",      "an",
    "and",      "any",     "are",        "as",      "at",      "be",      "because",
    "been",     "being",   "between",    "both",    "but",     "by",      "could",
    "did",      "do",      "does",       "doing",   "during",  "each",    "few",
    "for",      "from",    "further",    "had",     "has",     "have",    "having",
    "he",       "he'd",    "he'll",      "he's",    "her",     "here",    "here's",
    "hers",     "herself", "him",        "himself", "his",     "how",     "how's",
    "i",        "i'd",     "i'll",       "i'm",     "i've",    "if",      "in",
    "into",     "is",      "it",         "it's",    "its",     "itself",  "let's",
    "me",       "more",    "most",       "my",      "myself",  "of",      "off",
    "on",       "once",    "only",       "or",      "other",   "ought",   "our",
    "ours",     "ourselves", "out",      "over",    "own",     "same",    "she",
    "she'd",    "she'll",  "she's",      "should",  "so",      "some",    "such",
    "than",     "that",    "that's",     "the",     "their",   "theirs",  "them",
    "themselves", "then",  "there",      "there's", "these",   "they",    "they'd",
    "they'll",  "they're", "they've",    "this",    "those",   "through", "to",
    "too",      "under",   "until",      "very",    "was",     "we",      "we'd",
    "we'll",    "we're",   "we've",      "were",    "what",    "what's",  "when",
    "when's",   "where",   "where's",    "which",   "while",   "who",     "who's",
    "whom",     "why",     "why's",      "with",    "would",   "you",     "you'd",
    "you'll",   "you're",  "you've",     "your",    "yours",   "yourself",
    "yourselves",
};

#define N_STOPWORDS (sizeof stopwords / sizeof stopwords[0])

/* No stopword is longer than "yourselves". */
#define STOPWORD_MAX 10

int ps_is_stopword(const char *term, size_t len) {
    if (len == 0 || len > STOPWORD_MAX || term[0] < 'a' || term[0] > 'y')
        return 0;
    size_t lo = 0, hi = N_STOPWORDS;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *w = stopwords[mid];
        size_t wl = strlen(w);
        int c = memcmp(term, w, len < wl ? len : wl);
        if (c == 0)
            c = len < wl ? -1 : len > wl;
        if (c == 0)
            return 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

size_t ps_stopword_count(void) { return N_STOPWORDS; }

const char *ps_stopword_at(size_t i) { return i < N_STOPWORDS ? stopwords[i] : NULL; }
