/* `box features`: what this runtime recognizes.
 *
 * The spec (features.md) asks for the words a runtime recognizes in a
 * config.json, not for what the host has: a namespace the kernel lacks is
 * listed if config.json may name it. So the lists are read from the
 * parsers themselves: config.c's tables (hooks, mount options, namespaces)
 * and profile.c's functions (seccomp's words), each asked about every word
 * the runtime-spec defines. Only two answers come from this machine, as in
 * runc's: the capabilities (libcap's names for those the kernel has, which
 * is what capability_from_name() accepts) and the seccomp flags the kernel
 * takes. Nothing is listed that box would refuse: an engine that reads
 * "apparmor enabled" sends a profile, and box refuses a config it cannot
 * honour.
 */
#include "features_document.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "config.h"
#include "profile.h"
#include "report.h"
#include "runtime.h"

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

/* The runtime-spec's words (config-linux.md, "Seccomp"), each listed if
 * profile.c accepts it. An architecture is one libseccomp can name; one
 * filter holds only those of the machine's byte order (libseccomp refuses
 * s390x beside x86_64), which runc's list does not say either. */
static const char *const seccomp_actions[] = {
	"SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
	"SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP", NULL,
};

static const char *const seccomp_operators[] = {
	"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT",
	"SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE", NULL,
};

static const char *const seccomp_architectures[] = {
	"SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",
	"SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",
	"SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64",
	"SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_RISCV64",
	"SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB",
	"SCMP_ARCH_X32", "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", NULL,
};

/* With the bits seccomp(2) takes for each (WAIT_KILLABLE_RECV only with
 * NEW_LISTENER). */
static const struct { const char *name; unsigned long flags; } seccomp_flags[] = {
	{ "SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC },
	{ "SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG },
	{ "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW },
	{ "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
	  SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV | SECCOMP_FILTER_FLAG_NEW_LISTENER },
};

static int append(json_t *array, const char *name)
{
	return json_array_append_new(array, json_string(name));
}

static int name_compare(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every name NAME_AT gives, in its order or (SORTED) in alphabetical order,
 * as runc lists its mount options and namespaces. */
static json_t *names_json(const char *(*name_at)(size_t), bool sorted)
{
	const char *names[128];
	size_t count = 0;
	json_t *array = json_array();

	while (count < sizeof(names) / sizeof(names[0]) && (names[count] = name_at(count)))
		count++;
	if (sorted)
		qsort(names, count, sizeof(names[0]), name_compare);
	for (size_t i = 0; array && i < count; i++)
		if (append(array, names[i]) < 0) {
			json_decref(array);
			return NULL;
		}
	return array;
}

/* The WORDS that ACCEPTS takes. */
static json_t *accepted_json(const char *const *words, bool (*accepts)(const char *))
{
	json_t *array = json_array();

	for (size_t i = 0; array && words[i]; i++)
		if (accepts(words[i]) && append(array, words[i]) < 0) {
			json_decref(array);
			return NULL;
		}
	return array;
}

/* "CAP_CHOWN", ... for each capability this kernel has and libcap can
 * name, in the kernel's order: what config.c's capability sets accept. */
static json_t *capabilities_json(void)
{
	json_t *array = json_array();

	for (int cap = 0; array && cap < cap_max_bits() && cap < 64; cap++) {
		char *name = cap_to_name(cap); /* "cap_chown"; a bare number if libcap does not know it */
		if (name && strncmp(name, "cap_", 4) == 0) {
			for (char *p = name; *p; p++)
				*p = (char)toupper((unsigned char)*p);
			if (append(array, name) < 0) {
				json_decref(array);
				array = NULL;
			}
		}
		cap_free(name);
	}
	return array;
}

/* Does the kernel take these filter flags? Asked without a program (NULL):
 * it checks the flags first (EINVAL for one it does not know), then fails
 * to read the program (EFAULT), so nothing is ever installed. runc asks
 * the same way. */
static bool kernel_takes(unsigned long flags)
{
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, NULL) < 0 && errno == EFAULT;
}

/* knownFlags: the flags profile.c accepts; supportedFlags: those of them
 * this kernel takes too. */
static json_t *flags_json(bool supported_only)
{
	json_t *array = json_array();

	for (size_t i = 0; array && i < sizeof(seccomp_flags) / sizeof(seccomp_flags[0]); i++) {
		if (!profile_flag_known(seccomp_flags[i].name) ||
		    (supported_only && !kernel_takes(seccomp_flags[i].flags)))
			continue;
		if (append(array, seccomp_flags[i].name) < 0) {
			json_decref(array);
			return NULL;
		}
	}
	return array;
}

json_t *features_json(void)
{
	/* json_pack() takes each "o" it is given, also when one is NULL. */
	json_t *features = json_pack(
		"{s:s, s:s, s:o, s:o,"
		" s:{s:o, s:o, s:{s:b, s:b, s:b, s:b, s:b},"
		"    s:{s:b, s:o, s:o, s:o, s:o, s:o},"
		"    s:{s:b}, s:{s:b}, s:{s:b}, s:{s:{s:b}}},"
		" s:{s:s, s:s}}",
		"ociVersionMin", "1.0.0",
		"ociVersionMax", OCI_VERSION,
		"hooks", names_json(config_hook_name, false),
		"mountOptions", names_json(config_mount_option_name, true),
		"linux",
		"namespaces", names_json(config_namespace_name, true),
		"capabilities", capabilities_json(),
		/* Both versions, by box's own code: no systemd driver, no RDMA. */
		"cgroup", "v1", true, "v2", true, "systemd", false, "systemdUser", false, "rdma", false,
		"seccomp", "enabled", true,
		"actions", accepted_json(seccomp_actions, profile_action_known),
		"operators", accepted_json(seccomp_operators, profile_operator_known),
		"archs", accepted_json(seccomp_architectures, profile_architecture_known),
		"knownFlags", flags_json(false),
		"supportedFlags", flags_json(true),
		/* config.c refuses these, and idmapped mounts. */
		"apparmor", "enabled", false,
		"selinux", "enabled", false,
		"intelRdt", "enabled", false,
		"mountExtensions", "idmap", "enabled", false,
		"annotations",
		"io.github.box.version", BOX_VERSION,
		/* The headers box was built with: they shape its programs. */
		"io.github.box.libseccomp.version", profile_compiler_version());

	if (!features)
		error_set("features: out of memory");
	return features;
}

int verb_features(const struct runtime *rt, int argc, char **argv)
{
	(void)rt;
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		verb_help("features", "");
		return 0;
	}
	if (argc > 1 && argv[1][0] == '-')
		verb_usage_error("features", "unknown option %s", argv[1]);
	if (argc > 1)
		verb_usage_error("features", "takes no operand");
	json_t *features = features_json();
	if (!features || json_dumpf(features, stdout, JSON_INDENT(2)) < 0)
		die_with_error();
	putchar('\n');
	json_decref(features);
	return 0;
}
