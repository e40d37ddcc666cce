/* The system-call filter: which profile, its program from a cache on disk,
 * and loading it (seccomp(2)) as the container's very last step. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profile.h"

struct seccomp_options {
	const char *profile;   /* --seccomp-profile FILE; NULL: box's default */
	bool unconfined;       /* --seccomp unconfined */
	bool new_privileges;   /* --security-opt no-new-privileges=false */
};

int seccomp_mode_parse(const char *value, void *target);
int security_opt_parse(const char *value, void *target);

#define SECCOMP_OPTIONS(o) \
	{ "seccomp", "unconfined", "no system-call filter at all", seccomp_mode_parse, o }, \
	{ "seccomp-profile", "FILE", "a seccomp profile in Docker's JSON format (default: box's own)", \
	  cli_set_string, &(o)->profile }, \
	{ "security-opt", "OPT", "no-new-privileges=true|false, seccomp=unconfined|FILE (as Docker)", \
	  security_opt_parse, o }

/* The program for a container with capabilities CAPS: none when unconfined;
 * else the profile's, from STATE/seccomp/ when it was compiled before, or
 * compiled now (libseccomp) and kept there. The key of a cached program is
 * everything it depends on: the profile's SHA-256, CAPS, the architecture,
 * the libseccomp that compiled it. */
int seccomp_prepare(const struct seccomp_options *options, uint64_t caps, const char *state,
		    struct seccomp_program *program);

/* The same for a profile given as TEXT (LENGTH bytes) whose SHA-256 is
 * DIGEST (hex); ORIGIN names it in errors (the final runtime's
 * config.json linux.seccomp goes through here). */
int seccomp_prepare_text(const char *text, size_t length, const char *digest, const char *origin, uint64_t caps,
			 const char *state, struct seccomp_program *program);

/* A program in a file of box's (a header, then the instructions), as the
 * cache keeps them: written whole, then renamed into place; read back. */
int seccomp_program_write(const char *dir, const char *path, const struct seccomp_program *program);
int seccomp_program_read(const char *path, struct seccomp_program *program);

/* Load PROGRAM into this process (seccomp(SECCOMP_SET_MODE_FILTER)): from
 * here on, every system call goes through it, also the exec that follows and
 * everything the command and its children do. No filter: nothing. */
int seccomp_apply(const struct seccomp_program *program);

/* box --check: the kernel's seccomp support, and the state of the cache. */
void seccomp_features_report(const char *state, uint64_t default_caps);
