#include "query/eval_json.h"

static json_t *avg_json(const ps_eval_avg *a) {
    return json_pack("{s:f, s:f, s:f, s:f, s:I, s:I}", "ndcg10", a->ndcg10, "mrr10", a->mrr10,
                     "p1", a->p1, "recall10", a->recall10, "queries", (json_int_t)a->queries,
                     "skipped", (json_int_t)a->skipped);
}

static json_t *entry_json(const ps_eval_entry *e) {
    json_t *rank = e->m.first_rank ? json_integer((json_int_t)e->m.first_rank) : json_null();
    json_t *top1 = e->top1 ? json_string(e->top1) : json_null();
    /* "o" steals the references, also when packing fails. */
    return json_pack("{s:s, s:s, s:s, s:f, s:o, s:o}", "qid", e->query->qid, "type",
                     e->query->type, "query", e->query->text, "ndcg10", e->m.ndcg10, "first_rank",
                     rank, "top1", top1);
}

json_t *ps_eval_report_json(const ps_eval_report *rep, const char *const *types,
                            const size_t *worst, size_t n_worst) {
    json_t *by_type = json_object(), *list = json_array();
    int ok = by_type && list;
    for (size_t t = 0; ok && t < rep->n_types; t++)
        ok = json_object_set_new(by_type, types[t], avg_json(&rep->by_type[t])) == 0;
    for (size_t i = 0; ok && i < n_worst; i++)
        ok = json_array_append_new(list, entry_json(&rep->entries[worst[i]])) == 0;
    if (!ok) {
        json_decref(by_type);
        json_decref(list);
        return NULL;
    }
    return json_pack("{s:o, s:o, s:o}", "overall", avg_json(&rep->overall), "by_type", by_type,
                     "worst", list);
}
