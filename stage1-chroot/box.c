/* stage1-chroot: run COMMAND with ROOTFS as its root directory.
 *
 *     box [--trace] ROOTFS COMMAND [ARG...]
 *
 * The whole recipe is chroot(2), chdir(2), execve(2). The command sees only
 * the files under ROOTFS, and nothing else is isolated: it shares the host's
 * processes, network, users and hostname, and root can climb out (the test
 * suite proves it). Stage 2 closes that hole.
 */
#include <errno.h>
#include <stdbool.h>

#include "chroot.h"
#include "cli.h"
#include "command.h"
#include "report.h"

static const struct cli_option options[] = {
	CLI_TRACE_OPTION,
	{ 0 },
};

static const struct cli_program program = {
	.summary = "Run COMMAND with ROOTFS as its root directory: chroot(2), chdir(2), execve(2).",
	.options = options,
};

// tag::main[]
int main(int argc, char **argv)
{
	const char *rootfs;
	char **command;
	cli_operands(argc, argv, cli_parse(argc, argv, &program), &rootfs, &command);

	if (rootfs_check(rootfs) < 0)
		die_with_error();
	if (chroot_enter(rootfs) < 0) {
		if (errno == EPERM)
			die("%s (chroot(2) needs root: try sudo)", error_message());
		die_with_error();
	}
	command_exec(command); /* never returns; exits 126 or 127 if it cannot run */
}
// end::main[]
