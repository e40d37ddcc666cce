/* box exec [OPTIONS] ID [COMMAND [ARG...]]: another process in a running
 * container, with what the container's own has: every namespace, the
 * cgroup, the capabilities, no_new_privs and the seccomp filter (from its
 * state: process.json, seccomp.bpf), unless the process asks otherwise.
 *
 *   box exec ---- fork ----> joiner: into the cgroup; setns(pidfd, every
 *      |                     namespace the container's process is in)
 *      |                        |---- fork ----> the process: in the PID
 *      |<- its PID ------------ | (exits)          namespace too (setns of a
 *      |<- its error, or end-of-file at exec ---   PID namespace moves only
 *   (waits, or --detach: exits)                    children in); privileges,
 *                                                  filter, exec
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capabilities.h"
#include "cleanup.h"
#include "clone.h"
#include "command.h"
#include "config.h"
#include "console.h"
#include "faults.h"
#include "filter.h"
#include "lifecycle.h"
#include "process.h"
#include "report.h"
#include "resources.h"
#include "signals.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

struct exec_options {
	const char *process_file, *pid_file, *console_socket, *cwd, *user;
	struct path_list env, caps;
	bool tty, detach, no_new_privs;
	int preserve_fds;
};

/* The namespaces PID is in that we are not: setns(2) takes them all at
 * once through its pidfd (Linux 5.8), the user namespace first. */
static int namespaces_of(pid_t pid)
{
	static const struct { const char *name; int flag; } kinds[] = {
		{ "user", CLONE_NEWUSER }, { "mnt", CLONE_NEWNS },  { "pid", CLONE_NEWPID },
		{ "net", CLONE_NEWNET },   { "ipc", CLONE_NEWIPC }, { "uts", CLONE_NEWUTS },
		{ "cgroup", CLONE_NEWCGROUP }, { "time", CLONE_NEWTIME },
	};
	int flags = 0;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		char theirs[64], ours[64];
		struct stat a, b;
		snprintf(theirs, sizeof(theirs), "/proc/%d/ns/%s", pid, kinds[i].name);
		snprintf(ours, sizeof(ours), "/proc/self/ns/%s", kinds[i].name);
		if (stat(theirs, &a) == 0 && stat(ours, &b) == 0 && a.st_ino != b.st_ino)
			flags |= kinds[i].flag;
	}
	return flags;
}

/* The process: the container's own settings (process.json), with the
 * options over them; or --process FILE, a whole OCI process object. */
static int process_build(const struct container_state *s, const struct exec_options *o, char **command,
			 struct process *p)
{
	json_error_t failure;
	const char *file = o->process_file ? o->process_file : state_file(s, "process.json");
	json_t *object = json_load_file(file, 0, &failure);

	memset(p, 0, sizeof(*p));
	if (!object)
		return error_set("%s: %s", o->process_file ? "--process" : "the container's process.json", failure.text);
	if (!o->process_file) /* the command line's command, not the container's */
		json_object_set_new(object, "args", json_array());
	for (int i = 0; !o->process_file && command[i]; i++)
		json_array_append_new(json_object_get(object, "args"), json_string(command[i]));
	int status = config_process_from_json(object, o->process_file ? "--process" : "process", p);
	json_decref(object);
	if (status < 0)
		return -1;
	if (!p->user.set) /* root of the container's user namespace */
		p->user.set = true;
	if (o->process_file)
		return 0;
	if (o->cwd) {
		free(p->cwd);
		if (!(p->cwd = strdup(o->cwd)))
			return error_errno("strdup");
	}
	if (o->tty)
		p->terminal = true;
	if (o->no_new_privs)
		p->no_new_privileges = true;
	if (o->user) {
		unsigned uid, gid = 0;
		char extra;
		int n = sscanf(o->user, "%u:%u%c", &uid, &gid, &extra);
		if (n != 1 && n != 2)
			return error_set("--user: \"%s\" is not UID[:GID]", o->user);
		p->user.uid = uid;
		p->user.gid = gid;
	}
	for (int i = 0; i < o->caps.count; i++) {
		int cap = capability_from_name(o->caps.items[i]);
		if (cap < 0)
			return error_set("--cap: %s", error_message());
		uint64_t bit = 1ULL << cap;
		p->capabilities.bounding |= bit;
		p->capabilities.permitted |= bit;
		p->capabilities.effective |= bit;
	}
	/* --env NAME=VALUE: over the container's, or added. */
	int count = 0;
	while (p->env && p->env[count])
		count++;
	for (int i = 0; i < o->env.count; i++) {
		const char *entry = o->env.items[i];
		size_t name = strcspn(entry, "=");
		if (!entry[name])
			return error_set("--env: \"%s\" is not NAME=VALUE", entry);
		int j = 0;
		while (j < count && !(strncmp(p->env[j], entry, name + 1) == 0))
			j++;
		if (j == count) {
			char **more = realloc(p->env, (size_t)(count + 2) * sizeof(*more));
			if (!more)
				return error_errno("realloc");
			p->env = more;
			p->env[++count] = NULL;
		} else {
			free(p->env[j]);
		}
		if (!(p->env[j] = strdup(entry)))
			return error_errno("strdup");
	}
	return 0;
}

/* The joiner's child, the process itself: everything but its namespaces
 * and cgroup, which it has. Its errors go back over SYNC. */
static _Noreturn void exec_process(struct process *p, const struct seccomp_program *filter, int console, int sync,
				   int preserve)
{
	if ((p->terminal && console_create(console, p->console_height, p->console_width) < 0) ||
	    process_home_set(p) < 0 || process_privileges_drop(p, filter) < 0 || process_executable_check(p) < 0 ||
	    process_filter_load(p, filter) < 0) {
		const char *message = error_message();
		if (send(sync, message, strlen(message), MSG_NOSIGNAL) < 0)
			_exit(1);
		_exit(1);
	}
	fault_point("exec:child-before-exec");
	if (process_descriptors_close(preserve) < 0)
		die_with_error();
	process_exec(p); /* the socket closes at exec: end-of-file, all is well */
}

// tag::exec[]
static int exec_start(const struct container_state *s, struct process *p, const struct seccomp_program *filter,
		      int console, int preserve, pid_t *pid)
{
	int pair[2];
	_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, s->pid, 0);

	if (pidfd < 0 || !process_alive(s->pid, s->start_time))
		return error_set("container %s is not running", s->id);
	int flags = namespaces_of(s->pid);
	struct cgroup *cg = s->cgroup_path[0] ? cgroup_open_at(s->cgroup_path, container_controllers) : NULL;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0) {
		free(cg);
		return error_errno("socketpair");
	}
	pid_t joiner = fork();
	if (joiner == 0) {
		close(pair[0]);
		/* Not dumpable: nothing in the container may open this box's
		 * /proc/PID/exe, mem or fd, from the moment it is in there. */
		if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0 || (cg && cgroup_add_process(cg, getpid()) < 0)) {
			send(pair[1], error_message(), strlen(error_message()), MSG_NOSIGNAL);
			_exit(1);
		}
		fault_point("exec:joiner-in-cgroup");
		trace("setns(pidfd of %d, %s)", s->pid, clone_flags_name(flags));
		if (flags && setns(pidfd, flags) < 0) {
			error_errno("setns(pidfd of %d, %s)", s->pid, clone_flags_name(flags));
			send(pair[1], error_message(), strlen(error_message()), MSG_NOSIGNAL);
			_exit(1);
		}
		fault_point("exec:joiner-after-setns");
		pid_t child = fork();
		if (child == 0)
			exec_process(p, filter, console, pair[1], preserve);
		fault_point("exec:joiner-after-fork");
		char text[32];
		snprintf(text, sizeof(text), "pid %d", child);
		send(pair[1], text, strlen(text), MSG_NOSIGNAL);
		_exit(child < 0);
	}
	close(pair[1]);
	free(cg);
	if (joiner < 0) {
		close(pair[0]);
		return error_errno("fork");
	}
	fault_point("exec:after-fork");
	char message[1024];
	ssize_t n = recv(pair[0], message, sizeof(message) - 1, 0);
	waitpid(joiner, NULL, 0);
	message[n > 0 ? n : 0] = '\0';
	if (n <= 0 || sscanf(message, "pid %d", pid) != 1) {
		close(pair[0]);
		return error_set("exec in %s: %s", s->id, n > 0 ? message : "the joining process ended");
	}
	fault_point("exec:after-pid");
	/* Its first error, or end-of-file once it has exec'd. */
	n = recv(pair[0], message, sizeof(message) - 1, 0);
	close(pair[0]);
	if (n > 0) {
		message[n] = '\0';
		waitpid(*pid, NULL, 0);
		return error_set("exec in %s: %s", s->id, message);
	}
	return 0;
}
// end::exec[]

static int pid_file(const char *file, pid_t pid)
{
	FILE *f = fopen(file, "we");

	if (!f || fprintf(f, "%d", pid) < 0 || fclose(f) != 0)
		return error_errno("--pid-file %s", file);
	return 0;
}

int verb_exec(const struct runtime *rt, int argc, char **argv)
{
	static const struct option options[] = {
		{ "process", required_argument, NULL, 'p' }, { "tty", no_argument, NULL, 't' },
		{ "detach", no_argument, NULL, 'd' },        { "pid-file", required_argument, NULL, 'P' },
		{ "console-socket", required_argument, NULL, 'c' }, { "cwd", required_argument, NULL, 'w' },
		{ "env", required_argument, NULL, 'e' },     { "user", required_argument, NULL, 'u' },
		{ "cap", required_argument, NULL, 'C' },     { "no-new-privs", no_argument, NULL, 'n' },
		{ "preserve-fds", required_argument, NULL, 'F' }, { "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct exec_options o = { 0 };
	int option;

	while ((option = getopt_long_only(argc, argv, "+:p:tde:u:w:", options, NULL)) != -1) {
		switch (option) {
		case 'p': o.process_file = optarg; break;
		case 't': o.tty = true; break;
		case 'd': o.detach = true; break;
		case 'P': o.pid_file = optarg; break;
		case 'c': o.console_socket = optarg; break;
		case 'w': o.cwd = optarg; break;
		case 'u': o.user = optarg; break;
		case 'n': o.no_new_privs = true; break;
		case 'e': if (path_list_append(optarg, &o.env) < 0) verb_usage_error("exec", "--env: %s", error_message()); break;
		case 'C': if (path_list_append(optarg, &o.caps) < 0) verb_usage_error("exec", "--cap: %s", error_message()); break;
		case 'F': o.preserve_fds = atoi(optarg); break;
		case 'h':
			verb_help("exec", "  --process FILE          the whole process, an OCI process object (JSON)\n"
					  "  --tty                   a terminal of its own\n"
					  "  --detach                exit once it runs; it goes on\n"
					  "  --pid-file FILE         write its PID there\n"
					  "  --console-socket PATH   send its terminal's master there\n"
					  "  --cwd DIR               its working directory\n"
					  "  --env NAME=VALUE        an environment variable (repeat)\n"
					  "  --user UID[:GID]        run as this user\n"
					  "  --cap CAP               one more capability (repeat)\n"
					  "  --no-new-privs          no_new_privs, whatever the container has\n"
					  "  --preserve-fds N        pass descriptors 3 to 3+N-1 on\n");
			return 0;
		default: verb_bad_option("exec", argv, option);
		}
	}
	if (optind >= argc || (!o.process_file && optind + 1 >= argc))
		verb_usage_error("exec", "expected a container ID and a COMMAND (or --process FILE)");
	struct container_state s;
	struct process p = { 0 };
	struct seccomp_program filter = { 0 };
	int console = -1, pair[2] = { -1, -1 }, master = -1;
	pid_t pid = 0;
	int status = state_peek(rt, argv[optind], &s);
	if (status == 0 && state_status(&s) != STATUS_RUNNING)
		status = error_set("cannot exec in container %s: it is %s", s.id, status_name(state_status(&s)));
	if (status == 0)
		status = process_build(&s, &o, argv + optind + 1, &p);
	fault_point("exec:after-process-built");
	if (status == 0 && access(state_file(&s, "seccomp.bpf"), F_OK) == 0)
		status = seccomp_program_read(state_file(&s, "seccomp.bpf"), &filter);
	if (status == 0 && p.terminal) {
		if (o.console_socket)
			status = console = console_connect(o.console_socket);
		else if (o.detach)
			status = error_set("--tty with --detach needs --console-socket");
		else if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0)
			status = error_errno("socketpair");
		else
			console = pair[1];
	}
	if (status >= 0 && !o.detach && (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0 || signals_block() < 0))
		status = error_errno("prctl(PR_SET_CHILD_SUBREAPER)");
	if (status >= 0)
		status = exec_start(&s, &p, &filter, console, o.preserve_fds, &pid);
	fault_point("exec:after-started");
	if (status == 0 && pair[0] >= 0 && (master = console_receive(pair[0])) < 0)
		status = -1;
	if (status == 0 && o.pid_file)
		status = pid_file(o.pid_file, pid);
	state_close(&s);
	free(filter.filter);
	config_process_free(&p);
	if (console >= 0)
		close(console);
	if (pair[0] >= 0)
		close(pair[0]);
	if (status < 0)
		die_with_error();
	if (o.detach)
		return 0;
	int wait_status = master >= 0 ? console_proxy(master, pid) : supervise(pid, STOP_NEVER);
	if (wait_status < 0)
		die_with_error();
	return command_status(wait_status);
}
