/* stage5-network: stage 4's container, now on a network.
 *
 *     box [stage 4 options] [--network bridge|none|host|slirp4netns] [--subnet CIDR]
 *         [--ip ADDR] [--bridge NAME] [--publish [IP:]PORT:PORT[/udp]]...
 *         [--dns ADDR]... ROOTFS COMMAND [ARG...]
 *     box --check
 *
 * By default (as root) the container gets eth0, one end of a veth pair
 * whose other end is a port of box's bridge, box0: an address of the
 * bridge's subnet, the bridge as its gateway, masquerade on the way out and
 * DNAT for the ports it publishes. An ordinary user's container gets the
 * same through slirp4netns, in user space. Its /etc/resolv.conf and /etc/hosts are
 * box's. When it ends, all of that goes; with the last container, the bridge.
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
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
#include "machine_check.h"
#include "namespaces.h"
#include "network.h"
#include "overlay.h"
#include "pivot.h"
#include "report.h"
#include "signals.h"
#include "userns.h"
#include "volumes.h"

struct container {
	char id[16];           /* names the cgroup box/<id>, the state directory, the veth */
	char rootfs[PATH_MAX]; /* the bottom layer, by realpath(3) */
	char **command;
	const char *hostname;
	bool userns, init, check, stats;
	int stop_timeout;
	struct cgroup_limits limits;
	struct image image;
	struct path_list volume_specs;
	struct volume volumes[32];
	struct overlay overlay;
	struct network network;
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
	NETWORK_OPTIONS(&container.network),
	{ 0 },
};

static const struct cli_program program = {
	.summary = "Run COMMAND in new namespaces and a control group of its own, on a root of\n"
		   "read-only layers under its own writable one, with an address on box's bridge.",
	.options = options,
};

// tag::child[]
/* The container's side: as in stage 4, with its network set up inside. */
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
	    network_enter(&c->network) < 0 ||
	    rootfs_pivot(root) < 0 ||
	    (c->image.read_only && read_only_tmp_mount() < 0) ||
	    volumes_attach(c->volumes, volumes) < 0 ||
	    hostname_set(c->hostname) < 0 ||
	    network_configure(&c->network) < 0 ||
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
	network_release(&c->network);
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
	if (c->check) {
		features_report();
		network_features_report();
		return 0;
	}
	cli_operands(argc, argv, first, &rootfs, &c->command);
	if (rootfs_resolve(rootfs, c->rootfs) < 0 ||
	    volumes_parse(&c->volume_specs, c->volumes) < 0 ||
	    hostname_random(c->id, sizeof(c->id)) < 0)
		die_with_error();
	if (!c->hostname)
		c->hostname = c->id;
	c->userns = c->userns || geteuid() != 0;
	if ((c->userns && userns_prepare(&ids) < 0) || network_resolve(&c->network, geteuid() != 0) < 0)
		die_with_error();

	/* From here on box makes things outside itself: no signal may end it
	 * before it has removed them. */
	if (signals_block() < 0)
		die_with_error();
	if (image_resolve(&c->image, c->rootfs) < 0 ||
	    overlay_prepare(&c->overlay, &c->image, c->id, c->userns) < 0)
		die_with_error();
	struct cgroup *cg = NULL;
	if (geteuid() == 0 || cgroup_limits_set(&c->limits)) {
		cg = cgroup_create(c->id, &c->limits);
		if (!cg)
			fail(c, NULL, NULL);
	}
	/* An address (and the bridge, the first time), resolv.conf and hosts. */
	if (network_prepare(&c->network, c->id, c->hostname, c->overlay.dir) < 0)
		fail(c, NULL, cg);

	int flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
		    network_clone_flags(&c->network);
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

	if ((cg && cgroup_add_process(cg, child.pid) < 0) ||
	    (c->userns && userns_map(&ids, child.pid) < 0) ||
	    network_attach(&c->network, child.pid) < 0 || /* veth, ports */
	    spawn_release(&child) < 0)
		fail(c, &child, cg);
	int status = supervise(child.pid, c->stop_timeout);
	if (status < 0)
		fail(c, NULL, cg);
	cgroup_report(cg, status, c->stats);
	cgroup_destroy(cg);
	network_release(&c->network);

	/* The container's changes: written out, kept, then removed. */
	if (overlay_finish(&c->overlay, &c->image) < 0)
		die_with_error(); /* and leave what is left: it may be all the user has */
	return command_status(status);
}
// end::main[]
