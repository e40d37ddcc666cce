/* Fuzz target: the stage contract's command line, box [OPTIONS] ROOTFS
 * COMMAND [ARG...], with every option of stage 6 (final/contract.c's
 * table, stage1-chroot/cli.c's parser, each option's own value parser).
 *
 * The input is argv after "box", its words split at NUL bytes. The target
 * does what contract_main() does before box makes anything: cli_parse(),
 * cli_operands(), then the checks that only read (ROOTFS, --volume,
 * --cap-add and --cap-drop, the network's options as root's). Bad input
 * dies in box (exit 125, --help exits 0): cli.c and report.c are built
 * with -Dexit=box_fuzz_exit, which jumps back here instead (no fork).
 * A crash, a leak or undefined behaviour is a finding.
 */
#include "harness.h"

/* The table is static in contract.c: this target is built with it. */
#include "contract.c"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_sandbox_enter(*argc, *argv);
	return 0;
}

static void contract_check(int argc, char **argv)
{
	struct contract *k = &contract;
	struct capability_sets sets;
	const char *rootfs;

	int first = cli_parse(argc, argv, &program);
	if (k->check)
		return;
	cli_operands(argc, argv, first, &rootfs, &k->command);
	if (rootfs_resolve(rootfs, k->rootfs) < 0 || volumes_parse(&k->volume_specs, k->volumes) < 0 ||
	    capabilities_resolve(&k->security.capability_options, true, &sets) < 0)
		return;
	network_resolve(&k->network, false);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int argc;
	char **argv = fuzz_argv(data, size, "box", 64, &argc);
	jmp_buf jump;

	memset(&contract, 0, sizeof(contract));
	contract.stop_timeout = STOP_TIMEOUT_DEFAULT;
	trace_enabled = false;
	if (setjmp(jump) == 0) {
		fuzz_exit_jump = &jump;
		contract_check(argc, argv);
	}
	fuzz_exit_jump = NULL;
	fflush(stdout);
	free(argv);
	return 0;
}
