/* stage4-overlay: stage 3's container, now on image layers.
 *
 *     box [stage 3 options] [--layer PATH]... [--volume HOST:CONTAINER[:ro]]...
 *         [--read-only] [--keep DIR] [--commit FILE.tar] [--state DIR]
 *         ROOTFS COMMAND [ARG...]
 *     box --check
 *
 * ROOTFS and the layers stacked on it are never written: the container's root
 * is an overlayfs mount with them as read-only lower layers and a fresh upper
 * layer of its own, under the state directory. When the container ends, its
 * changes can be written out as an OCI layer (--commit) or kept (--keep);
 * then they are removed.
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroups.h"
#include "chroot.h"
#include "cli.h"
#include "clone.h"
#include "command.h"
#include "filesystems.h"
#include "hostname.h"
#include "init.h"
#include "layers.h"
#include "loopback.h"
#include "machine_check.h"
#include "namespaces.h"
#include "overlay.h"
#include "pivot.h"
#include "report.h"
#include "signals.h"
#include "userns.h"
#include "volumes.h"

struct container {
	char id[16];           /* names the cgroup box/<id> and the state directory */
	char rootfs[PATH_MAX]; /* the bottom layer, by realpath(3) */
	char **command;
	const char *hostname;
	bool userns;
	bool init;
	int stop_timeout;
	bool check;
	struct cgroup_limits limits;
	bool stats;
	struct image image;
	struct path_list volume_specs;
	struct volume volumes[32];
	struct overlay overlay;
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
	IMAGE_OPTIONS(&container.image),
	VOLUME_OPTION(&container.volume_specs),
	{ 0 },
};

static const struct cli_program program = {
	.summary = "Run COMMAND in new namespaces and a control group of its own, with a root\n"
		   "made of ROOTFS and --layer layers (read-only) under its own writable layer.",
	.options = options,
};

// tag::child[]
/* The container's side: as in stage 3, with the overlay as its root. */
static _Noreturn void container_main(struct container *c)
{
	const char *root = c->overlay.merged;
	int volumes = c->volume_specs.count;

	if (namespaces_unshare_late() < 0 ||
	    (c->init && init_start() < 0) ||
	    mounts_make_private() < 0 ||
	    overlay_mount(&c->overlay) < 0 ||
	    filesystems_mount(root, c->userns) < 0 ||
	    volumes_open(c->volumes, volumes) < 0 ||
	    rootfs_pivot(root) < 0 ||
	    (c->image.read_only && read_only_tmp_mount() < 0) ||
	    volumes_attach(c->volumes, volumes) < 0 ||
	    hostname_set(c->hostname) < 0 ||
	    loopback_up() < 0 ||
	    (c->image.read_only && read_only_root_remount() < 0))
		die_with_error();
	container_exec(c->command);
}
// end::child[]

/* Undo what the parent made, and fail with the first error. */
static _Noreturn void fail(struct container *c, struct spawn *child, struct cgroup *cg)
{
	char message[1024];

	snprintf(message, sizeof(message), "%s", error_message());
	if (child)
		spawn_abort(child);
	cgroup_destroy(cg);
	overlay_remove(&c->overlay);
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
	if (rootfs_resolve(rootfs, c->rootfs) < 0 ||
	    volumes_parse(&c->volume_specs, c->volumes) < 0 ||
	    hostname_random(c->id, sizeof(c->id)) < 0)
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
	/* The root: layers found (or unpacked), this container's own layer made. */
	if (image_resolve(&c->image, c->rootfs) < 0 ||
	    overlay_prepare(&c->overlay, &c->image, c->id, c->userns) < 0)
		die_with_error();

	struct cgroup *cg = NULL;
	if (geteuid() == 0 || cgroup_limits_set(&c->limits)) {
		cg = cgroup_create(c->id, &c->limits);
		if (!cg)
			fail(c, NULL, NULL);
	}

	int flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET;
	if (c->userns)
		flags |= CLONE_NEWUSER;
	struct spawn child;
	if (spawn_child(flags, &child) < 0) {
		if (c->userns && (errno == EPERM || errno == ENOSPC))
			error_set("%s (%s)", error_message(), userns_hint());
		fail(c, NULL, cg);
	}
	if (child.pid == 0)
		container_main(c);

	if (cg && cgroup_add_process(cg, child.pid) < 0)
		fail(c, &child, cg);
	if (c->userns && userns_map(&ids, child.pid) < 0)
		fail(c, &child, cg);
	if (spawn_release(&child) < 0)
		fail(c, &child, cg);
	int status = supervise(child.pid, c->stop_timeout);
	if (status < 0)
		fail(c, NULL, cg);
	cgroup_report(cg, status, c->stats);
	cgroup_destroy(cg);

	/* The container's changes: written out, kept, then removed. */
	if (overlay_finish(&c->overlay, &c->image) < 0)
		die_with_error(); /* and leave what is left: it may be all the user has */
	return command_status(status);
}
// end::main[]
