/* A seccomp profile (Docker's JSON format, or the OCI's linux.seccomp,
 * which is the same without includes and excludes), compiled with
 * libseccomp into a BPF program the kernel runs at every system call. */
#pragma once
#include <jansson.h>
#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct seccomp_program {
	struct sock_filter *filter; /* malloc'd; NULL: no filter at all */
	unsigned short length;      /* instructions */
	unsigned int flags;         /* SECCOMP_FILTER_FLAG_* for seccomp(2) */
};

/* Compile PROFILE for a container with the capabilities CAPS (they select
 * the rules of a Docker profile's "includes" and "excludes"). ORIGIN names
 * the profile in an error, which also gives the path of the field at fault:
 * "profile x.json: syscalls[3].args[0].op: "SCMP_CMP_FOO" is not an operator". */
int profile_compile(json_t *profile, const char *origin, uint64_t caps, struct seccomp_program *program);

/* The same from JSON text. */
int profile_compile_text(const char *text, size_t length, const char *origin, uint64_t caps,
			 struct seccomp_program *program);

/* The libseccomp box was built with, "2.5.4": it shapes the program, so the
 * cache key holds it. */
const char *profile_compiler_version(void);

/* This compiler's revision, part of the cache's key: a program compiled by an
 * older box (before 32-bit arguments were tested on their low half) is not
 * reused. Raise it whenever the same profile would compile differently. */
#define PROFILE_COMPILER_REVISION 2

/* For `box features`: does a profile accept NAME as an action
 * ("SCMP_ACT_ERRNO"), an operator ("SCMP_CMP_EQ"), an architecture
 * ("SCMP_ARCH_X86_64": libseccomp's names, so none when it cannot be
 * loaded) or a filter flag ("SECCOMP_FILTER_FLAG_LOG")? Each may leave an
 * error message set. */
bool profile_action_known(const char *name);
bool profile_operator_known(const char *name);
bool profile_architecture_known(const char *name);
bool profile_flag_known(const char *name);
