/* The namespaces a container enters after its parent has let it go on. */
#include "namespaces.h"

#include <errno.h>
#include <sched.h>

#include "report.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080 /* Linux 5.6 */
#endif

int namespaces_unshare_late(void)
{
	/* A cgroup namespace's root is the cgroup its creator is in at that
	 * moment: so it is made here, once the parent has let us go on (from
	 * stage 3 on, after it placed us in our own cgroup), not by clone(2). */
	trace("unshare(CLONE_NEWCGROUP)");
	if (unshare(CLONE_NEWCGROUP) < 0)
		return error_errno("unshare(CLONE_NEWCGROUP)");
	/* Feature test, not a version check: EINVAL means no time namespaces. */
	if (unshare(CLONE_NEWTIME) < 0) {
		if (errno != EINVAL)
			return error_errno("unshare(CLONE_NEWTIME)");
		trace("unshare(CLONE_NEWTIME): not in this kernel, skipped");
	} else {
		trace("unshare(CLONE_NEWTIME): the command's clocks are its namespace's (no offsets set)");
	}
	return 0;
}
