/* The OCI process's last steps: see process.h. */
#include "process.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capabilities.h"
#include "filter.h"
#include "report.h"
#include "signals.h"

extern char **environ;

// tag::drop[]
int process_privileges_drop(const struct process *p, const struct seccomp_program *filter)
{
	if (rlimits_apply(&p->rlimits) < 0 || (p->no_new_privileges && no_new_privileges_set() < 0))
		return -1;
	if (!p->no_new_privileges && seccomp_apply(filter) < 0)
		return -1;
	if (capabilities_bound(&p->capabilities) < 0 || (p->user.set && user_switch(&p->user) < 0) ||
	    capabilities_set(&p->capabilities) < 0)
		return -1;
	umask(p->umask_set ? p->umask : 022);
	const char *cwd = p->cwd ? p->cwd : "/";
	trace("chdir(\"%s\")", cwd);
	if (chdir(cwd) < 0)
		return error_errno("process.cwd %s", cwd);
	return 0;
}
// end::drop[]

int process_filter_load(const struct process *p, const struct seccomp_program *filter)
{
	return p->no_new_privileges ? seccomp_apply(filter) : 0;
}

/* The value of NAME in P's env, or NULL. */
static const char *env_value(const struct process *p, const char *name)
{
	size_t length = strlen(name);

	for (char **e = p->env; e && *e; e++)
		if (strncmp(*e, name, length) == 0 && (*e)[length] == '=')
			return *e + length + 1;
	return NULL;
}

int process_executable_check(const struct process *p)
{
	const char *program = p->args[0];
	char path[PATH_MAX];

	if (strchr(program, '/'))
		return access(program, X_OK) == 0 ? 0 : error_errno("exec \"%s\"", program);
	const char *search = env_value(p, "PATH");
	if (!search)
		search = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	for (const char *dir = search; *dir;) {
		size_t length = strcspn(dir, ":");
		struct stat st;
		snprintf(path, sizeof(path), "%.*s/%s", (int)length, length ? dir : ".", program);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0)
			return 0;
		dir += length + (dir[length] == ':');
	}
	return error_set("exec \"%s\": executable file not found in $PATH", program);
}

int process_home_set(struct process *p)
{
	size_t count = 0;

	for (; p->env && p->env[count]; count++)
		if (strncmp(p->env[count], "HOME=", 5) == 0)
			return 0;
	char home[256];
	user_home(p->user.uid, home, sizeof(home));
	char **env = realloc(p->env, (count + 2) * sizeof(*env));
	if (!env)
		return error_errno("realloc");
	p->env = env;
	if (asprintf(&env[count], "HOME=%s", home) < 0)
		return error_errno("asprintf");
	env[count + 1] = NULL;
	trace("HOME=%s: the process's env has none (its /etc/passwd's, as runc)", home);
	return 0;
}

int process_descriptors_close(int preserve)
{
	/* The preserved ones pass exec: they were the caller's, given on. */
	for (int fd = 3; fd < 3 + preserve; fd++) {
		int flags = fcntl(fd, F_GETFD);
		if (flags >= 0 && fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC) < 0)
			return error_errno("--preserve-fds: descriptor %d", fd);
	}
	/* Nothing else: a descriptor of the host (containerd's shim leaks its
	 * socket as fd 3) is a way out (CVE-2024-21626's class). Closed by
	 * exec itself (close-on-exec, as runc): until then the log and
	 * exec.fifo still work, and exec.fifo's close tells start the program
	 * runs. */
	if (close_range(3 + (unsigned)preserve, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		for (long fd = 3 + preserve, max = sysconf(_SC_OPEN_MAX); fd < max; fd++) {
			int flags = fcntl((int)fd, F_GETFD);
			if (flags >= 0)
				fcntl((int)fd, F_SETFD, flags | FD_CLOEXEC);
		}
	return 0;
}

_Noreturn void process_exec(const struct process *p)
{
	static char *no_env[] = { NULL };
	char line[512];
	size_t used = 0;

	for (int i = 0; p->args[i] && used < sizeof(line); i++)
		used += (size_t)snprintf(line + used, sizeof(line) - used, "%s\"%s\"", i ? ", " : "", p->args[i]);
	trace("execvp(\"%s\", [%s])", p->args[0], line);
	/* A mask and dispositions of box's own pass exec: put them back. */
	signals_restore();
	signal(SIGPIPE, SIG_DFL);
	/* execvp(3) looks in the PATH of the environment it runs in: P's. */
	environ = p->env ? p->env : no_env;
	execvp(p->args[0], p->args);
	int saved_errno = errno;
	fprintf(stderr, "box: exec %s: %s\n", p->args[0], strerror(saved_errno));
	_exit(saved_errno == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC);
}
