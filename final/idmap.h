/* A new user namespace's id maps, written by the parent while the child
 * waits (user_namespaces(7)): linux.uidMappings and gidMappings. */
#pragma once
#include <sys/types.h>

#include "config.h"

/* Write CHILD's uid_map and gid_map from CONFIG. root writes any map; an
 * ordinary user only its own id (and "deny" to setgroups first), or more
 * through the setuid helpers newuidmap(1) and newgidmap(1). */
int idmap_write(const struct container_config *config, pid_t child);
