/* stage2-namespaces: stage 1's chroot becomes a jail.
 *
 *     box [--trace] [--hostname NAME] [--userns] [--init] [--stop-timeout SECONDS]
 *         ROOTFS COMMAND [ARG...]
 *     box --check
 *
 * The command runs in new PID, mount, UTS, IPC, network, cgroup (and time)
 * namespaces: it sees only its own processes, its own mounts under a root it
 * cannot climb out of (pivot_root), its own hostname and an empty network.
 * The command is the container's PID 1 (with --init, box's small init is,
 * and the command its child). box waits outside and passes signals on.
 * Run by an ordinary user, box adds a user namespace where that user is root.
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chroot.h"
#include "cli.h"
#include "command.h"
#include "machine_check.h"
#include "filesystems.h"
#include "hostname.h"
#include "init.h"
#include "loopback.h"
#include "namespaces.h"
#include "pivot.h"
#include "report.h"
#include "signals.h"
#include "clone.h"
#include "userns.h"

struct container {
	char rootfs[PATH_MAX]; /* realpath(3): the same directory after chdir and binds */
	char **command;
	const char *hostname;
	bool userns;
	bool init;
	int stop_timeout;
	bool check;
};

static struct container container;

static const struct cli_option options[] = {
	CLI_TRACE_OPTION,
	HOSTNAME_OPTION(&container.hostname),
	USERNS_OPTION(&container.userns),
	INIT_OPTION(&container.init),
	STOP_TIMEOUT_OPTION(&container.stop_timeout),
	CHECK_OPTION(&container.check),
	{ 0 },
};

static const struct cli_program program = {
	.summary = "Run COMMAND in new namespaces (PID, mount, UTS, IPC, network, cgroup),\n"
		   "with ROOTFS as the root of its own mount tree (pivot_root(2)).",
	.options = options,
};

// tag::child[]
/* The container's side: runs in the new namespaces once the parent let it
 * go on, and becomes the container's PID 1: the command, or box's init. */
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
// end::child[]

// tag::main[]
int main(int argc, char **argv)
{
	struct container *c = &container;
	char random_name[16];
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
	if (!c->hostname) {
		if (hostname_random(random_name, sizeof(random_name)) < 0)
			die_with_error();
		c->hostname = random_name;
	}
	c->userns = c->userns || geteuid() != 0;
	if (c->userns && userns_prepare(&ids) < 0)
		die_with_error();

	int flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET;
	if (c->userns)
		flags |= CLONE_NEWUSER;
	struct spawn child;
	if (signals_block() < 0)
		die_with_error();
	if (spawn_child(flags, &child) < 0) {
		if (c->userns && (errno == EPERM || errno == ENOSPC))
			die("%s (%s)", error_message(), userns_hint());
		die_with_error();
	}
	if (child.pid == 0)
		container_main(c);

	/* The parent's side: finish the child's set-up from outside. */
	if (c->userns && userns_map(&ids, child.pid) < 0) {
		spawn_abort(&child);
		die_with_error();
	}
	if (spawn_release(&child) < 0) {
		spawn_abort(&child);
		die_with_error();
	}
	int status = supervise(child.pid, c->stop_timeout);
	if (status < 0)
		die_with_error();
	return command_status(status);
}
// end::main[]
