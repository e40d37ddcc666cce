/* The config's hooks: programs the runtime runs at points of the
 * lifecycle, each with the container's OCI state on its stdin. */
#pragma once
#include "config.h"

/* "prestart", "createRuntime", ...: the config's names. */
const char *hook_kind_name(enum hook_kind kind);

/* Run each hook of KIND in CONFIG in turn, STATE (JSON text) on its
 * stdin, each within its timeout; the first that fails or times out
 * fails them all, with its name and why. poststart and poststop hooks
 * only warn, and the next one runs (the runtime spec). */
int hooks_run(const struct container_config *config, enum hook_kind kind, const char *state);
