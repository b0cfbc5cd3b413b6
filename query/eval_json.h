/*
 * eval_json.h - an evaluation report as JSON, for programs comparing runs:
 *   {"overall": AVG, "by_type": {TYPE: AVG, ...},
 *    "worst": [{"qid": str, "type": str, "query": str, "ndcg10": num,
 *               "first_rank": int|null, "top1": str|null}, ...]}
 * where AVG is {"ndcg10", "mrr10", "p1", "recall10": num,
 *               "queries", "skipped": int}.
 * "by_type" keys keep the query file's first-seen order.
 */
#ifndef PS_EVAL_JSON_H
#define PS_EVAL_JSON_H

#include <jansson.h>

#include "query/eval.h"

/* worst[0..n_worst) index rep->entries (see ps_eval_worst); types name
 * rep->by_type (ps_queries.types).  NULL when out of memory. */
json_t *ps_eval_report_json(const ps_eval_report *rep, const char *const *types,
                            const size_t *worst, size_t n_worst);

#endif
