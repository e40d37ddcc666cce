/* `box spec`: the config.json of a new bundle, as `runc spec` writes it,
 * with box's own defaults (Docker's capabilities and masked paths, a
 * cgroup namespace, no terminal). */
#pragma once
#include <jansson.h>
#include <stdbool.h>

/* The default config.json (a new reference; NULL with the error set).
 * ROOTLESS: for an ordinary user, as `runc spec --rootless`: a user
 * namespace mapping the caller to root, the host's network, the host's
 * /sys bound in, no cgroup mount and no device rules. */
json_t *spec_default(bool rootless);

/* Write it to DIR/config.json (mode 0644, less the umask); refused if that
 * file exists, as runc refuses. 0, or -1 with the error set. */
int spec_write(const char *dir, bool rootless);
