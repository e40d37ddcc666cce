/* The system-call filter (seccomp(2)).
 *
 * Namespaces hide things and capabilities withhold privileges, but every
 * system call of the kernel is still there for the container to make, with
 * every bug each one may have: the kernel is the one thing all containers
 * share. A seccomp filter shrinks that surface: a BPF program that the
 * kernel runs before each system call, which allows it or makes it fail.
 * Docker allows about 300 calls of some 400.
 *
 * Compiling box's profile (448 rules over some 400 names) takes libseccomp
 * about 20 ms, more than the rest of a start. The program depends only on the
 * profile, the capabilities that pick its rules, the architecture and
 * libseccomp itself; so box keeps it on disk under a key made of those, and
 * a start whose program is there reads it and loads it: no JSON, no
 * libseccomp (crun caches it too, from version 1.7 on).
 */
#include "filter.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "lazy_libraries.h"
#include "layers.h"
#include "report.h"

/* box's default profile, seccomp-default.json, built into box
 * (profile_default.c) with its SHA-256, computed by the Makefile. */
extern const char seccomp_default_profile[];
extern const unsigned long seccomp_default_profile_size;
extern const char seccomp_default_sha256[];

int seccomp_mode_parse(const char *value, void *target)
{
	struct seccomp_options *o = target;

	if (strcmp(value, "unconfined") != 0)
		return error_set("\"%s\": the one mode is \"unconfined\" (--seccomp-profile FILE for a profile)", value);
	o->unconfined = true;
	return 0;
}

int security_opt_parse(const char *value, void *target)
{
	struct seccomp_options *o = target;

	if (strcmp(value, "no-new-privileges") == 0 || strcmp(value, "no-new-privileges=true") == 0 ||
	    strcmp(value, "no-new-privileges:true") == 0)
		o->new_privileges = false;
	else if (strcmp(value, "no-new-privileges=false") == 0 || strcmp(value, "no-new-privileges:false") == 0)
		o->new_privileges = true;
	else if (strcmp(value, "seccomp=unconfined") == 0 || strcmp(value, "seccomp:unconfined") == 0)
		o->unconfined = true;
	else if ((strncmp(value, "seccomp=", 8) == 0 || strncmp(value, "seccomp:", 8) == 0) && value[8])
		o->profile = value + 8;
	else
		return error_set("\"%s\" is not no-new-privileges=true|false or seccomp=unconfined|FILE", value);
	return 0;
}

/* The cache file: a header, then the program as the kernel takes it. */
struct cache_header {
	char magic[8];          /* "boxbpf1\n" */
	uint32_t flags;         /* SECCOMP_FILTER_FLAG_* */
	uint32_t length;        /* instructions */
};
static const char cache_magic[8] = "boxbpf1\n";

int seccomp_program_read(const char *path, struct seccomp_program *program)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct cache_header header;
	struct stat st;

	if (fd < 0)
		return error_errno("open %s", path);
	if (fstat(fd, &st) < 0 || read(fd, &header, sizeof(header)) != sizeof(header) ||
	    memcmp(header.magic, cache_magic, sizeof(cache_magic)) != 0 || header.length == 0 ||
	    header.length > BPF_MAXINSNS ||
	    (off_t)(sizeof(header) + header.length * sizeof(struct sock_filter)) != st.st_size)
		return error_set("%s: not a program box wrote", path);
	size_t size = header.length * sizeof(struct sock_filter);
	program->filter = malloc(size);
	if (!program->filter || read(fd, program->filter, size) != (ssize_t)size) {
		free(program->filter);
		program->filter = NULL;
		return error_errno("read %s", path);
	}
	program->length = (unsigned short)header.length;
	program->flags = header.flags;
	return 0;
}

/* Written whole under another name, then renamed: a concurrent start
 * reads the old file, the new one, or none, never half of one. */
int seccomp_program_write(const char *dir, const char *path, const struct seccomp_program *program)
{
	char temporary[PATH_MAX + 80];
	struct cache_header header = { .flags = program->flags, .length = program->length };

	memcpy(header.magic, cache_magic, sizeof(cache_magic));
	if (make_dirs(dir) < 0)
		return -1;
	snprintf(temporary, sizeof(temporary), "%s/.tmp.XXXXXX", dir);
	_cleanup_close_ int fd = mkostemp(temporary, O_CLOEXEC);
	if (fd < 0)
		return error_errno("mkstemp %s", temporary);
	size_t size = program->length * sizeof(struct sock_filter);
	if (write(fd, &header, sizeof(header)) != sizeof(header) ||
	    write(fd, program->filter, size) != (ssize_t)size || fchmod(fd, 0644) < 0 ||
	    rename(temporary, path) < 0) {
		error_errno("write %s", path);
		unlink(temporary);
		return -1;
	}
	trace("seccomp: program kept in %s", path);
	return 0;
}

/* The profile's text and its SHA-256. */
static int profile_load(const char *file, char **text, size_t *length, char digest[65])
{
	if (!file) {
		*text = (char *)seccomp_default_profile;
		*length = seccomp_default_profile_size;
		snprintf(digest, 65, "%s", seccomp_default_sha256);
		return 0;
	}
	_cleanup_close_ int fd = open(file, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		return error_errno("--seccomp-profile %s", file);
	if (!S_ISREG(st.st_mode) || st.st_size > 4 << 20)
		return error_set("--seccomp-profile %s: not a file of at most 4 MiB", file);
	*text = malloc((size_t)st.st_size + 1);
	if (!*text || read(fd, *text, (size_t)st.st_size) != st.st_size) {
		free(*text);
		return error_errno("--seccomp-profile %s: read", file);
	}
	*length = (size_t)st.st_size;
	/* SHA-256 with libcrypto (stage 4's, loaded the first time). */
	if (lazy_libraries_load() < 0 || sha256_file(file, digest) < 0) {
		free(*text);
		return -1;
	}
	return 0;
}

// tag::prepare[]
/* A program's place in the cache: what selects the program is in its name. */
static void cache_path(char *path, size_t size, const char *state, const char *digest, uint64_t caps)
{
	snprintf(path, size, "%s/seccomp/%.64s-%016llx-%s-libseccomp%s-r%d.bpf", state, digest,
		 (unsigned long long)caps, BOX_ARCH, profile_compiler_version(), PROFILE_COMPILER_REVISION);
}

int seccomp_prepare_text(const char *text, size_t length, const char *digest, const char *origin, uint64_t caps,
			 const char *state, struct seccomp_program *program)
{
	char dir[PATH_MAX + 16], path[PATH_MAX + 200];

	memset(program, 0, sizeof(*program));
	/* LAB: the cache: STATE/seccomp/<profile sha256>-<caps>-<arch>-libseccomp<version>-r<revision>.bpf; read it if it is there, else compile the profile and write it. */
	snprintf(dir, sizeof(dir), "%s/seccomp", state);
	cache_path(path, sizeof(path), state, digest, caps);
	if (seccomp_program_read(path, program) == 0) {
		trace("seccomp: cached program %s (%u instructions)", path, program->length);
		return 0;
	}
	/* Missing, or not a program box wrote: compile it anew. */
	if (profile_compile_text(text, length, origin, caps, program) < 0)
		return -1;
	if (seccomp_program_write(dir, path, program) < 0)
		trace("seccomp: no cache: %s", error_message()); /* it only costs the next start */
	return 0;
	/* LAB END (stub: (void)digest; (void)state; (void)dir; (void)path; return profile_compile_text(text, length, origin, caps, program);) */
}

int seccomp_prepare(const struct seccomp_options *options, uint64_t caps, const char *state,
		    struct seccomp_program *program)
{
	char digest[65], origin[PATH_MAX + 16];
	char *text = NULL;
	size_t length = 0;

	memset(program, 0, sizeof(*program));
	if (options->unconfined) {
		trace("seccomp: unconfined, no filter");
		return 0;
	}
	if (profile_load(options->profile, &text, &length, digest) < 0)
		return -1;
	snprintf(origin, sizeof(origin), "%s%s", options->profile ? "--seccomp-profile " : "",
		 options->profile ? options->profile : "box's default profile");
	int status = seccomp_prepare_text(text, length, digest, origin, caps, state, program);
	if (options->profile)
		free(text);
	return status;
}
// end::prepare[]

// tag::apply[]
int seccomp_apply(const struct seccomp_program *program)
{
	if (!program->filter)
		return 0;
	struct sock_fprog fprog = { .len = program->length, .filter = program->filter };
	trace("seccomp(SECCOMP_SET_MODE_FILTER, %u instructions): the last step before exec", program->length);
	/* LAB: load the program with seccomp(2) (SECCOMP_SET_MODE_FILTER with the program's flags); a kernel without that call takes prctl(PR_SET_SECCOMP). */
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, program->flags, &fprog) == 0)
		return 0;
	if (errno == ENOSYS && program->flags == 0 &&
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0) == 0)
		return 0;
	return error_errno("seccomp(SECCOMP_SET_MODE_FILTER)%s",
			   errno == EACCES ? " (needs no_new_privs or CAP_SYS_ADMIN)" : "");
	/* LAB END (stub: (void)fprog; return 0;) */
}
// end::apply[]

void seccomp_features_report(const char *state, uint64_t default_caps)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/sys/kernel/seccomp/actions_avail", "re");
	char actions[256] = "";
	char path[PATH_MAX + 200];
	struct seccomp_program program = { 0 };

	if (f && fgets(actions, sizeof(actions), f))
		actions[strcspn(actions, "\n")] = '\0';
	printf("seccomp filters:    %s%s%s\n", actions[0] ? "yes, actions: " : "no", actions,
	       actions[0] ? "" : " (no /proc/sys/kernel/seccomp/actions_avail)");
	cache_path(path, sizeof(path), state, seccomp_default_sha256, default_caps);
	if (seccomp_program_read(path, &program) == 0)
		printf("seccomp cache:      the default profile's program is cached (%u instructions), "
		       "in %s/seccomp\n", program.length, state);
	else
		printf("seccomp cache:      the default profile's program is not cached yet: the next start "
		       "compiles it into %s/seccomp\n", state);
	free(program.filter);
}
