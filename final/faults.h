/* Named fault points, for the soak's kill -9 run (tools/soak/soak).
 *
 * In a test build (-DBOX_FAULTS), fault_point("create:after-cgroup") ends
 * this process at once, as kill -9 would, when the environment's BOX_FAULT
 * names that point (and says so on stderr first, so that the soak knows the
 * point was reached): the soak then checks that `delete --force` removes
 * what the killed verb left, and that the ID can be used again. In every
 * other build a fault point is nothing at all.
 *
 * The init of a new PID namespace is deaf to its own SIGKILL (the kernel's
 * SIGNAL_UNKILLABLE: pid_namespaces(7)), so a point in the container's
 * process falls through to _exit(2): no cleanup runs either way. */
#ifndef BOX_FAULTS_H
#define BOX_FAULTS_H

#ifdef BOX_FAULTS
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline void fault_point(const char *name)
{
	const char *wanted = getenv("BOX_FAULT");

	if (!wanted || strcmp(wanted, name) != 0)
		return;
	char line[256];
	size_t length = (size_t)snprintf(line, sizeof(line), "box: fault point %s: SIGKILL\n", name);
	if (write(STDERR_FILENO, line, length < sizeof(line) ? length : sizeof(line) - 1) < 0)
		(void)0; /* nobody to tell */
	raise(SIGKILL);
	_exit(128 + SIGKILL);
}
#else
#define fault_point(name) ((void)0)
#endif

#endif
