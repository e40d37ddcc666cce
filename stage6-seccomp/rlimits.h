/* --ulimit NAME=SOFT[:HARD]: resource limits of the command (setrlimit(2)). */
#pragma once
#include <sys/resource.h>

struct rlimit_setting {
	int resource; /* RLIMIT_NOFILE, ... */
	struct rlimit limit;
};

struct rlimit_list {
	struct rlimit_setting items[16];
	int count;
};

/* Docker's names: core, cpu, data, fsize, locks, memlock, msgqueue, nice,
 * nofile, nproc, rss, rtprio, rttime, sigpending, stack, as; the values a
 * number or "unlimited" (or -1); HARD defaults to SOFT. */
int rlimit_parse(const char *value, void *target);

#define ULIMIT_OPTION(list) \
	{ "ulimit", "NAME=SOFT[:HARD]", "a resource limit of the command (repeat): nofile=1024:2048", \
	  rlimit_parse, list }

/* setrlimit(2) each, in the container (before the capabilities go:
 * raising a hard limit needs CAP_SYS_RESOURCE). */
int rlimits_apply(const struct rlimit_list *list);
