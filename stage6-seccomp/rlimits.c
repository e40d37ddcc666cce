/* --ulimit NAME=SOFT[:HARD]: resource limits of the command.
 *
 * Unlike a cgroup's limits, which hold for a group of processes together,
 * an rlimit holds for each process on its own (open files, the stack, core
 * dumps) and is inherited across fork and exec. Docker's --ulimit names
 * them after the RLIMIT_ constants.
 */
#include "rlimits.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static const struct { const char *name; int resource; } names[] = {
	{ "as", RLIMIT_AS },         { "core", RLIMIT_CORE },       { "cpu", RLIMIT_CPU },
	{ "data", RLIMIT_DATA },     { "fsize", RLIMIT_FSIZE },     { "locks", RLIMIT_LOCKS },
	{ "memlock", RLIMIT_MEMLOCK }, { "msgqueue", RLIMIT_MSGQUEUE }, { "nice", RLIMIT_NICE },
	{ "nofile", RLIMIT_NOFILE }, { "nproc", RLIMIT_NPROC },     { "rss", RLIMIT_RSS },
	{ "rtprio", RLIMIT_RTPRIO }, { "rttime", RLIMIT_RTTIME },   { "sigpending", RLIMIT_SIGPENDING },
	{ "stack", RLIMIT_STACK },
};

static const char *name_of(int resource)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].resource == resource)
			return names[i].name;
	return "?";
}

static int value_parse(const char *text, size_t length, rlim_t *value)
{
	char digits[32], *end;

	if (length == 0 || length >= sizeof(digits))
		return -1;
	memcpy(digits, text, length);
	digits[length] = '\0';
	if (strcmp(digits, "unlimited") == 0 || strcmp(digits, "-1") == 0) {
		*value = RLIM_INFINITY;
		return 0;
	}
	errno = 0;
	unsigned long long number = strtoull(digits, &end, 10);
	if (*end || errno || digits[0] == '-' || digits[0] == '+')
		return -1;
	*value = (rlim_t)number;
	return 0;
}

int rlimit_parse(const char *value, void *target)
{
	struct rlimit_list *list = target;
	const char *equals = strchr(value, '=');

	if (!equals)
		return error_set("\"%s\" is not NAME=SOFT[:HARD] (try nofile=1024:2048)", value);
	size_t length = (size_t)(equals - value);
	int resource = -1;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == length && strncmp(names[i].name, value, length) == 0)
			resource = names[i].resource;
	if (resource < 0)
		return error_set("\"%.*s\" is not a limit (core, cpu, data, fsize, locks, memlock, msgqueue, "
				 "nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack, as)",
				 (int)length, value);
	if (list->count == (int)(sizeof(list->items) / sizeof(list->items[0])))
		return error_set("too many limits");
	struct rlimit_setting *setting = &list->items[list->count];
	const char *soft = equals + 1, *colon = strchr(soft, ':');
	if (value_parse(soft, colon ? (size_t)(colon - soft) : strlen(soft), &setting->limit.rlim_cur) < 0 ||
	    (colon && value_parse(colon + 1, strlen(colon + 1), &setting->limit.rlim_max) < 0))
		return error_set("\"%s\": SOFT and HARD are numbers or \"unlimited\"", value);
	if (!colon)
		setting->limit.rlim_max = setting->limit.rlim_cur;
	if (setting->limit.rlim_cur > setting->limit.rlim_max)
		return error_set("\"%s\": the soft limit is above the hard one", value);
	setting->resource = resource;
	list->count++;
	return 0;
}

int rlimits_apply(const struct rlimit_list *list)
{
	for (int i = 0; i < list->count; i++) {
		const struct rlimit_setting *s = &list->items[i];
		trace("setrlimit(%s: soft %llu, hard %llu)", name_of(s->resource),
		      (unsigned long long)s->limit.rlim_cur, (unsigned long long)s->limit.rlim_max);
		if (setrlimit(s->resource, &s->limit) < 0)
			return error_errno("--ulimit %s", name_of(s->resource));
	}
	return 0;
}
