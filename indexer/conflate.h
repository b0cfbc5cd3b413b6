/*
 * conflate.h - medical word families that Snowball leaves apart.
 *
 * English stemming joins "injection"/"injections" but not the study and its
 * picture: "discography" (stem discographi) and "discogram", "angiographic"
 * and "angiogram", "endoscopy" (endoscopi) and "endoscope"/"endoscopic"
 * (endoscop).  Patients and coders use the forms interchangeably, so after
 * Snowball the stem's last morpheme is rewritten to one form per family.
 * Both the indexer and the query side stem through ps_stem, so they agree.
 * Exact phrases are unaffected: they match the unstemmed words.
 */
#ifndef PS_CONFLATE_H
#define PS_CONFLATE_H

#include <stddef.h>

/* Rewrite stem[0..len) in place (it never grows); returns the new length. */
size_t ps_conflate_stem(char *stem, size_t len);

#endif
