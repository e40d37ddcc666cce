/* Fuzz target: a seccomp profile, as `box --seccomp-profile FILE` and
 * config.json's linux.seccomp give one (stage6-seccomp/profile.c).
 *
 * The input is the profile's JSON text; profile_compile_text() compiles it
 * with libseccomp for one of three capability sets (none, Docker's default
 * 14, every one: the input's length picks), which select the rules of the
 * "includes" and "excludes". Properties beyond "no crash, no leak": a
 * failure leaves no program; a program is one the kernel takes, its jumps
 * inside it, its loads inside struct seccomp_data, its end a return (and
 * the kernel's own check of a classic BPF program agrees: SO_ATTACH_FILTER
 * on a socket of its own, which sends nothing).
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "capabilities.h"
#include "harness.h"
#include "profile.h"
#include "report.h"

static uint64_t cap_sets[3];

/* libseccomp 2.5.4 (Debian 12's) leaks tree nodes of its own when rules of
 * one system call overlap (two masked tests of socketpair's arguments, as
 * fuzz/regressions/profile/socketpair-overlapping-32-bit-tests.json): in
 * seccomp_rule_add_array() and seccomp_release() alone, without box. Its
 * leaks, not box's: LeakSanitizer leaves those aside. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libseccomp.so\n";
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* libseccomp is loaded before the sandbox hides /etc/ld.so.cache. */
	if (!profile_architecture_known("SCMP_ARCH_X86_64") && !profile_architecture_known("SCMP_ARCH_AARCH64")) {
		fprintf(stderr, "fuzz profile: libseccomp: %s\n", error_message());
		abort();
	}
	for (int i = 0; capabilities_default[i]; i++) {
		int cap = capability_from_name(capabilities_default[i]);
		if (cap >= 0)
			cap_sets[1] |= 1ULL << cap;
	}
	struct capability_options privileged = { .privileged = true };
	struct capability_sets every;
	if (capabilities_resolve(&privileged, true, &every) < 0) {
		fprintf(stderr, "fuzz profile: %s\n", error_message());
		abort();
	}
	cap_sets[2] = every.bounding;
	fuzz_sandbox_enter(*argc, *argv);
	return 0;
}

static void broken(const char *what, unsigned at)
{
	fuzz_fail("fuzz profile: the compiled program: %s (instruction %u)", what, at);
}

static void program_check(const struct seccomp_program *p)
{
	if (!p->filter || p->length == 0 || p->length > BPF_MAXINSNS)
		broken("no instructions, or more than BPF_MAXINSNS", p->length);
	if (p->flags & ~(unsigned)(SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW))
		broken("a flag the profile cannot have asked for", 0);
	for (unsigned i = 0; i < p->length; i++) {
		const struct sock_filter *f = &p->filter[i];
		switch (BPF_CLASS(f->code)) {
		case BPF_JMP:
			if (BPF_OP(f->code) == BPF_JA ? f->k >= p->length - i - 1
						       : f->jt >= p->length - i - 1 || f->jf >= p->length - i - 1)
				broken("a jump past the end", i);
			break;
		case BPF_LD:
			if (BPF_MODE(f->code) == BPF_ABS &&
			    (f->k >= sizeof(struct seccomp_data) || f->k % 4 || BPF_SIZE(f->code) != BPF_W))
				broken("a load outside struct seccomp_data", i);
			break;
		default:
			break;
		}
	}
	if (BPF_CLASS(p->filter[p->length - 1].code) != BPF_RET)
		broken("the last instruction is not a return", p->length - 1);
	struct sock_fprog program = { .len = p->length, .filter = p->filter };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &program, sizeof(program)) < 0 && errno != ENOMEM)
		fuzz_fail("fuzz profile: the kernel refuses the compiled program (SO_ATTACH_FILTER: %s)", strerror(errno));
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seccomp_program program = { 0 };

	if (profile_compile_text((const char *)data, size, "fuzz.json", cap_sets[size % 3], &program) < 0) {
		if (program.filter)
			broken("a failed compile left a program", 0);
		return 0;
	}
	if (program.filter)
		program_check(&program);
	free(program.filter);
	return 0;
}
