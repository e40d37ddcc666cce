/* The container's name for itself, in its own UTS namespace. */
#pragma once
#include <stddef.h>

/* --hostname NAME: up to 64 letters, digits, '-' and '.'. */
int hostname_parse(const char *value, void *target);

#define HOSTNAME_OPTION(target) \
	{ "hostname", "NAME", "the container's hostname (default: a random id)", hostname_parse, target }

/* A short random id (12 hex digits), as Docker names a container's host. */
int hostname_random(char *name, size_t size);

/* sethostname(2), and show NAME in /etc/hostname too (a bind mount over the
 * rootfs's file, which stays unchanged), when the rootfs has that file. */
int hostname_set(const char *name);
