/* Which devices the container may open: the device cgroup.
 *
 * A device node is a name for (type, major, minor): whoever may mknod(2) one
 * may make /tmp/disk as block 8:0 and read the host's disk through it, and
 * root in a container keeps CAP_MKNOD (Docker's default set). The device
 * cgroup is the check that stops it: it decides, for every open(2) and
 * mknod(2) of a device, whether this group's processes may. Docker allows
 * mknod of anything and the use of a handful of harmless devices.
 *
 *   cgroup v1  the devices controller: write "a" to devices.deny, then one
 *              line per allowed device to devices.allow ("c 1:3 rwm")
 *   cgroup v2  no controller: an eBPF program (BPF_PROG_TYPE_CGROUP_DEVICE)
 *              attached to the group's directory answers each question,
 *              1 (allow) or 0; box writes it instruction by instruction
 */
#include "devices.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "report.h"

// tag::rules[]
#define ALLOW(type, major, minor, access) { type, major, minor, access, false }
const struct device_rule device_rules_default[] = {
	ALLOW('c', -1, -1, "m"),    ALLOW('b', -1, -1, "m"),    /* mknod: any; open: only these */
	ALLOW('c', 1, 3, "rwm"),    ALLOW('c', 1, 5, "rwm"),    /* null, zero */
	ALLOW('c', 1, 7, "rwm"),    ALLOW('c', 1, 8, "rwm"),    /* full, random */
	ALLOW('c', 1, 9, "rwm"),    ALLOW('c', 5, 0, "rwm"),    /* urandom, tty */
	ALLOW('c', 5, 1, "rwm"),    ALLOW('c', 5, 2, "rwm"),    /* console, ptmx */
	ALLOW('c', 136, -1, "rwm"), ALLOW('c', 10, 200, "rwm"), /* the pseudo-terminals, tun */
};
// end::rules[]

int device_rules_default_count(void)
{
	return sizeof(device_rules_default) / sizeof(device_rules_default[0]);
}

static int file_write(const char *dir, const char *file, const char *value)
{
	char path[PATH_MAX + 100];
	_cleanup_close_ int fd = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	trace("write %s = %s", path, value);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return error_errno("open %s", path);
	if (write(fd, value, strlen(value)) < 0)
		return error_errno("write %s to %s", value, path);
	return 0;
}

/* "c 1:3 rwm", "c *:* m". */
static void rule_text(const struct device_rule *r, char *text, size_t size)
{
	char major[12] = "*", minor[12] = "*";

	if (r->major >= 0)
		snprintf(major, sizeof(major), "%d", r->major);
	if (r->minor >= 0)
		snprintf(minor, sizeof(minor), "%d", r->minor);
	snprintf(text, size, "%c %s:%s %s", r->type, major, minor, r->access);
}

static int v1_limit(struct device_cgroup *d, const char *id, const struct cgroup *cg,
		    const struct device_rule *rules, int count)
{
	char parent[64], text[64];

	for (int i = 0; i < cg->count; i++)
		if (strcmp(cg->dirs[i].controller, "devices") == 0)
			snprintf(d->path, sizeof(d->path), "%s", cg->dirs[i].path);
	if (!d->path[0]) { /* the container's cgroup has none: one of its own */
		snprintf(parent, sizeof(parent), "/sys/fs/cgroup/devices/box");
		if (mkdir(parent, 0755) < 0 && errno != EEXIST)
			return error_errno("mkdir %s", parent);
		snprintf(d->path, sizeof(d->path), "%s/%.64s", parent, id);
		trace("mkdir %s", d->path);
		if (mkdir(d->path, 0755) < 0)
			return error_errno("mkdir %s", d->path);
		d->own = true;
	}
	d->version = 1;
	/* A new group may use whatever its parent may: deny all, then each rule. */
	if (file_write(d->path, "devices.deny", "a") < 0)
		return -1;
	for (int i = 0; i < count; i++) {
		rule_text(&rules[i], text, sizeof(text));
		if (file_write(d->path, rules[i].deny ? "devices.deny" : "devices.allow", text) < 0)
			return -1;
	}
	return 0;
}

/* eBPF instructions (bpf(2); the kernel's own names in linux/filter.h). */
#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })
#define LOAD_WORD(dst, src, off) INSN(BPF_LDX | BPF_W | BPF_MEM, dst, src, off, 0)
#define MOVE(dst, src)           INSN(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0)
#define AND(dst, imm)            INSN(BPF_ALU | BPF_AND | BPF_K, dst, 0, 0, imm)
#define SHIFT_RIGHT(dst, imm)    INSN(BPF_ALU | BPF_RSH | BPF_K, dst, 0, 0, imm)
#define JUMP_UNLESS(dst, imm, n) INSN(BPF_JMP | BPF_JNE | BPF_K, dst, 0, n, imm)
#define JUMP_IF(dst, imm, n)     INSN(BPF_JMP | BPF_JEQ | BPF_K, dst, 0, n, imm)
#define RETURN(value)            INSN(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, value), \
				 INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

static int access_bits(const char *access)
{
	return (strchr(access, 'm') ? BPF_DEVCG_ACC_MKNOD : 0) |
	       (strchr(access, 'r') ? BPF_DEVCG_ACC_READ : 0) | (strchr(access, 'w') ? BPF_DEVCG_ACC_WRITE : 0);
}

// tag::bpf[]
/* The program: for each rule from the last to the first (a later rule
 * overrides an earlier, as in v1's files), if the device's type, major and
 * minor match and the access asked for is within the rule's, return 1 (0
 * for a rule that denies); when none matches, 0. R1 points at struct
 * bpf_cgroup_dev_ctx. */
static int program_build(const struct device_rule *rules, int count, struct bpf_insn *p, int room)
{
	int n = 0;

	if (room < 6 + count * 9 + 2)
		return error_set("too many device rules");
	p[n++] = LOAD_WORD(BPF_REG_2, BPF_REG_1, 0);  /* access_type: access << 16 | type */
	p[n++] = MOVE(BPF_REG_3, BPF_REG_2);
	p[n++] = AND(BPF_REG_2, 0xffff);              /* r2: the type */
	p[n++] = SHIFT_RIGHT(BPF_REG_3, 16);          /* r3: the access */
	p[n++] = LOAD_WORD(BPF_REG_4, BPF_REG_1, 4);  /* r4: major */
	p[n++] = LOAD_WORD(BPF_REG_5, BPF_REG_1, 8);  /* r5: minor */
	for (int i = count - 1; i >= 0; i--) {
		const struct device_rule *r = &rules[i];
		struct bpf_insn test[7];
		int t = 0;
		if (r->type != 'a')
			test[t++] = JUMP_UNLESS(BPF_REG_2, r->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR, 0);
		/* An allowing rule covers every access asked for; a denying
		 * one, any of them. */
		test[t++] = MOVE(BPF_REG_6, BPF_REG_3);
		test[t++] = AND(BPF_REG_6, r->deny ? access_bits(r->access) : ~access_bits(r->access) & 7);
		test[t++] = r->deny ? JUMP_IF(BPF_REG_6, 0, 0) : JUMP_UNLESS(BPF_REG_6, 0, 0);
		if (r->major >= 0)
			test[t++] = JUMP_UNLESS(BPF_REG_4, r->major, 0);
		if (r->minor >= 0)
			test[t++] = JUMP_UNLESS(BPF_REG_5, r->minor, 0);
		/* Each test jumps over the rest of this rule and its return.
		 * (BPF_JNE and BPF_AND are both 0x50: the class tells them apart.) */
		for (int j = 0; j < t; j++)
			if (BPF_CLASS(test[j].code) == BPF_JMP)
				test[j].off = (short)(t - j - 1 + 2);
		memcpy(p + n, test, (size_t)t * sizeof(*test));
		n += t;
		struct bpf_insn verdict[] = { RETURN(r->deny ? 0 : 1) };
		memcpy(p + n, verdict, sizeof(verdict));
		n += 2;
	}
	struct bpf_insn deny[] = { RETURN(0) };
	memcpy(p + n, deny, sizeof(deny));
	return n + 2;
}
// end::bpf[]

/* The verifier's log traces every instruction; its reason is the line
 * before the closing "processed N insns". */
static const char *verifier_reason(char *log)
{
	char *end = strstr(log, "\nprocessed ");
	if (!end)
		return log;
	*end = '\0';
	char *line = strrchr(log, '\n');
	return line ? line + 1 : log;
}

/* The program for RULES, loaded into the kernel (its verifier checks it
 * first): a descriptor of it. */
static int program_load(const struct device_rule *rules, int count)
{
	struct bpf_insn program[512];
	char log[16384] = "";
	int length = program_build(rules, count, program, 512);

	if (length < 0)
		return -1;
	union bpf_attr load = {
		.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE,
		.insns = (unsigned long)program,
		.insn_cnt = (unsigned)length,
		.license = (unsigned long)"GPL",
		.log_buf = (unsigned long)log,
		.log_size = sizeof(log),
		.log_level = 1,
	};
	trace("bpf(BPF_PROG_LOAD, BPF_PROG_TYPE_CGROUP_DEVICE, %d instructions)", length);
	int prog = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof(load));
	if (prog < 0)
		return error_errno("bpf(BPF_PROG_LOAD) of the device program%s%s", log[0] ? ": " : "",
				   verifier_reason(log));
	return prog;
}

static int v2_limit(struct device_cgroup *d, const struct cgroup *cg, const struct device_rule *rules,
		    int count)
{
	_cleanup_close_ int prog = program_load(rules, count);
	if (prog < 0)
		return -1;
	_cleanup_close_ int dir = open(cg->dirs[0].path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return error_errno("open %s", cg->dirs[0].path);
	union bpf_attr attach = {
		.target_fd = (unsigned)dir,
		.attach_bpf_fd = (unsigned)prog,
		.attach_type = BPF_CGROUP_DEVICE,
		.attach_flags = BPF_F_ALLOW_MULTI,
	};
	trace("bpf(BPF_PROG_ATTACH, %s, BPF_CGROUP_DEVICE)", cg->dirs[0].path);
	if (syscall(SYS_bpf, BPF_PROG_ATTACH, &attach, sizeof(attach)) < 0)
		return error_errno("bpf(BPF_PROG_ATTACH) to %s", cg->dirs[0].path);
	/* The cgroup holds the program now; it goes with the cgroup. */
	d->version = 2;
	return 0;
}

void devices_features_report(void)
{
	/* Loaded, never attached: the kernel's verifier has its say on any
	 * host, also one whose cgroups are v1 and would never run it. */
	int prog = program_load(device_rules_default, device_rules_default_count());
	if (prog >= 0) {
		printf("device program:     box's (cgroup v2) passes the kernel's verifier\n");
		close(prog);
	} else {
		printf("device program:     %s\n", error_message());
	}
}

int devices_limit(struct device_cgroup *d, const char *id, const struct cgroup *cg,
		  const struct device_rule *rules, int count)
{
	memset(d, 0, sizeof(*d));
	if (!cg)
		return error_set("the device cgroup needs the container's cgroup");
	if (cg->version == 2)
		return v2_limit(d, cg, rules, count);
	if (v1_limit(d, id, cg, rules, count) < 0) {
		char message[1024];
		snprintf(message, sizeof(message), "%s", error_message());
		devices_release(d);
		return error_set("%s", message);
	}
	return 0;
}

int devices_add_process(const struct device_cgroup *d, pid_t pid)
{
	char text[16];

	if (d->version != 1 || !d->own)
		return 0; /* v2, or the container's own group: it is in it already */
	snprintf(text, sizeof(text), "%d", pid);
	return file_write(d->path, "cgroup.procs", text);
}

void devices_release(struct device_cgroup *d)
{
	if (d->version == 1 && d->own && d->path[0]) {
		/* As cgroups.c: the group may take a moment to empty. */
		for (int tries = 0; tries < 200; tries++) {
			if (rmdir(d->path) == 0 || errno == ENOENT) {
				trace("rmdir %s", d->path);
				break;
			}
			if (errno != EBUSY) {
				warn("rmdir %s: %s", d->path, strerror(errno));
				break;
			}
			nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
		}
	}
	d->version = 0;
	d->own = false;
	d->path[0] = '\0';
}
