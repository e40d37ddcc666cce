/* `box features`: the OCI features document (runtime-spec features.md,
 * 1.1 and later): what this runtime recognizes in a config.json, for an
 * engine to read before it writes one. (features.c's header is not
 * features.h: with -I. that name would hide glibc's <features.h>, which
 * every libc header includes.) */
#pragma once
#include <jansson.h>

/* The document (a new reference; NULL with the error set). */
json_t *features_json(void);
