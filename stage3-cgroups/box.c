/* stage3-cgroups: stage 2's jail, now with limits on what it may take.
 *
 *     box [--trace] [--hostname NAME] [--userns] [--init] [--stop-timeout SECONDS]
 *         [--memory SIZE] [--pids N]
 *         [--cpus FLOAT] [--cpu-weight N] [--stats] ROOTFS COMMAND [ARG...]
 *     box --check
 *
 * Before the child may go on, the parent puts it in a control group of its
 * own, box/<id>, with the limits written in; the child then makes its cgroup
 * namespace, so that group is its "/". When the container ends, box tells an
 * out-of-memory kill from other deaths by the group's own counters, and
 * removes the group.
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroups.h"
#include "chroot.h"
#include "cli.h"
#include "clone.h"
#include "command.h"
#include "filesystems.h"
#include "hostname.h"
#include "init.h"
#include "loopback.h"
#include "machine_check.h"
#include "namespaces.h"
#include "pivot.h"
#include "report.h"
#include "signals.h"
#include "userns.h"

struct container {
	char id[16];           /* names the cgroup box/<id>; the default hostname */
	char rootfs[PATH_MAX]; /* realpath(3): the same directory after chdir and binds */
	char **command;
	const char *hostname;
	bool userns;
	bool init;
	int stop_timeout;
	bool check;
	struct cgroup_limits limits;
	bool stats;
};

static struct container container;

static const struct cli_option options[] = {
	CLI_TRACE_OPTION,
	HOSTNAME_OPTION(&container.hostname),
	USERNS_OPTION(&container.userns),
	INIT_OPTION(&container.init),
	STOP_TIMEOUT_OPTION(&container.stop_timeout),
	CHECK_OPTION(&container.check),
	CGROUP_OPTIONS(&container.limits),
	CGROUP_STATS_OPTION(&container.stats),
	{ 0 },
};

static const struct cli_program program = {
	.summary = "Run COMMAND in new namespaces with ROOTFS as its root (pivot_root(2)),\n"
		   "in a control group of its own that limits its memory, processes and CPU.",
	.options = options,
};

/* The container's side: as in stage 2. */
static _Noreturn void container_main(const struct container *c)
{
	if (namespaces_unshare_late() < 0 ||
	    (c->init && init_start() < 0) ||
	    mounts_make_private() < 0 ||
	    rootfs_bind(c->rootfs) < 0 ||
	    filesystems_mount(c->rootfs, c->userns) < 0 ||
	    rootfs_pivot(c->rootfs) < 0 ||
	    hostname_set(c->hostname) < 0 ||
	    loopback_up() < 0)
		die_with_error();
	container_exec(c->command);
}

/* Undo what the parent made, and fail with the first error. */
static _Noreturn void fail(struct spawn *child, struct cgroup *cg)
{
	char message[1024];

	snprintf(message, sizeof(message), "%s", error_message());
	if (child)
		spawn_abort(child);
	cgroup_destroy(cg);
	die("%s", message);
}

// tag::main[]
int main(int argc, char **argv)
{
	struct container *c = &container;
	struct userns ids;
	const char *rootfs;

	if (init_requested(argv)) /* box again, as the container's --init */
		init_main(argv);
	c->stop_timeout = STOP_TIMEOUT_DEFAULT;
	int first = cli_parse(argc, argv, &program);
	if (c->check)
		return features_report();
	cli_operands(argc, argv, first, &rootfs, &c->command);
	if (rootfs_resolve(rootfs, c->rootfs) < 0)
		die_with_error();
	if (hostname_random(c->id, sizeof(c->id)) < 0)
		die_with_error();
	if (!c->hostname)
		c->hostname = c->id;
	c->userns = c->userns || geteuid() != 0;
	if (c->userns && userns_prepare(&ids) < 0)
		die_with_error();

	/* From here on box makes things outside itself: no signal may end it
	 * before it has removed them. */
	if (signals_block() < 0)
		die_with_error();
	/* Root always gets a group (for the OOM report and --stats); an
	 * ordinary user only when it asks for limits. */
	struct cgroup *cg = NULL;
	if (geteuid() == 0 || cgroup_limits_set(&c->limits)) {
		cg = cgroup_create(c->id, &c->limits);
		if (!cg)
			die_with_error();
	}

	int flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET;
	if (c->userns)
		flags |= CLONE_NEWUSER;
	struct spawn child;
	if (spawn_child(flags, &child) < 0) {
		if (c->userns && (errno == EPERM || errno == ENOSPC))
			error_set("%s (%s)", error_message(), userns_hint());
		fail(NULL, cg);
	}
	if (child.pid == 0)
		container_main(c);

	/* The parent's side: the child joins its group before it goes on. */
	if (cg && cgroup_add_process(cg, child.pid) < 0)
		fail(&child, cg);
	if (c->userns && userns_map(&ids, child.pid) < 0)
		fail(&child, cg);
	if (spawn_release(&child) < 0)
		fail(&child, cg);
	int status = supervise(child.pid, c->stop_timeout);
	if (status < 0)
		fail(NULL, cg);
	cgroup_report(cg, status, c->stats);
	cgroup_destroy(cg);
	return command_status(status);
}
// end::main[]
