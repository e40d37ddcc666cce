/* A seccomp profile, compiled into a BPF program with libseccomp.
 *
 * A profile says, for each system call, what the kernel does when the
 * container makes it: allow it, fail it with an errno, kill the process...
 * The kernel does not read JSON: it runs a small BPF program at every system
 * call, which looks at the call's number and arguments (never at memory they
 * point to) and returns an action. libseccomp writes that program from rules
 * (seccomp_rule_add(3)); this file turns the profile into those rules. Docker's
 * profiles add "includes" and "excludes" (rules that hold only with some
 * capability, or on some architecture), evaluated here for the container's
 * capabilities, as Docker does before it hands runc the flattened profile.
 *
 * libseccomp is loaded only here (lazy_load.h): a start whose program is in
 * the cache (filter.c) never needs it.
 */
#include "profile.h"

#include <ctype.h>
#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "capabilities.h"
#include "lazy_load.h"
#include "report.h"

#define SECCOMP_FUNCTIONS(X) X(seccomp_init) X(seccomp_release) X(seccomp_attr_set) \
	X(seccomp_arch_add) X(seccomp_arch_remove) X(seccomp_arch_native) X(seccomp_arch_resolve_name) \
	X(seccomp_syscall_resolve_name) X(seccomp_rule_add_array) X(seccomp_export_bpf)
#define SECCOMP_DEFINE(name) static typeof(name) *sym_##name;
SECCOMP_FUNCTIONS(SECCOMP_DEFINE)
static const struct lazy_symbol seccomp_symbols[] = { SECCOMP_FUNCTIONS(LAZY_SYMBOL) { 0 } };
static struct lazy_library libseccomp = { LIBSECCOMP_SONAME, "compiling a seccomp profile needs",
					  seccomp_symbols, NULL };

const char *profile_compiler_version(void)
{
	static char version[32];

	snprintf(version, sizeof(version), "%d.%d.%d", SCMP_VER_MAJOR, SCMP_VER_MINOR, SCMP_VER_MICRO);
	return version;
}

/* What is being compiled, for the errors. */
struct compile {
	const char *origin;
	uint64_t caps;
	uint32_t native;     /* SCMP_ARCH_* of this machine */
	scmp_filter_ctx ctx;
	uint32_t default_action;
	int rules;
};

static int bad(const struct compile *c, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int bad(const struct compile *c, const char *where, const char *fmt, ...)
{
	char reason[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return error_set("%s: %s: %s", c->origin, where, reason);
}

/* "SCMP_ARCH_X86_64" -> libseccomp's token; 0 if unknown. */
static uint32_t arch_token(const char *name)
{
	char lower[32];
	size_t i;

	if (strncmp(name, "SCMP_ARCH_", 10) != 0 || strlen(name + 10) >= sizeof(lower))
		return 0;
	for (i = 0; name[10 + i]; i++)
		lower[i] = (char)tolower((unsigned char)name[10 + i]);
	lower[i] = '\0';
	return sym_seccomp_arch_resolve_name(lower);
}

/* Docker's "includes"/"excludes" name architectures as Go does. */
static const char *go_arch_of(uint32_t token)
{
	switch (token) {
	case SCMP_ARCH_X86_64: return "amd64";
	case SCMP_ARCH_X86: return "386";
	case SCMP_ARCH_X32: return "x32";
	case SCMP_ARCH_AARCH64: return "arm64";
	case SCMP_ARCH_ARM: return "arm";
	default: return "";
	}
}

static int action_of(const struct compile *c, json_t *object, const char *key, const char *where,
		     int default_errno, uint32_t *action)
{
	json_t *name = json_object_get(object, key);
	const char *errno_key = strcmp(key, "defaultAction") == 0 ? "defaultErrnoRet" : "errnoRet";
	json_t *number = json_object_get(object, errno_key);
	long errno_value = default_errno;

	if (!json_is_string(name))
		return bad(c, where, "%s: expected a string (SCMP_ACT_ERRNO, SCMP_ACT_ALLOW, ...)", key);
	if (number) {
		if (!json_is_integer(number) || json_integer_value(number) < 0 ||
		    json_integer_value(number) > 4095)
			return bad(c, where, "%s: expected an errno, 0 to 4095", errno_key);
		errno_value = (long)json_integer_value(number);
	}
	const char *text = json_string_value(name);
	if (strcmp(text, "SCMP_ACT_ALLOW") == 0)
		*action = SCMP_ACT_ALLOW;
	else if (strcmp(text, "SCMP_ACT_ERRNO") == 0)
		*action = SCMP_ACT_ERRNO((uint16_t)errno_value);
	else if (strcmp(text, "SCMP_ACT_KILL") == 0 || strcmp(text, "SCMP_ACT_KILL_THREAD") == 0)
		*action = SCMP_ACT_KILL_THREAD;
	else if (strcmp(text, "SCMP_ACT_KILL_PROCESS") == 0)
		*action = SCMP_ACT_KILL_PROCESS;
	else if (strcmp(text, "SCMP_ACT_TRAP") == 0)
		*action = SCMP_ACT_TRAP;
	else if (strcmp(text, "SCMP_ACT_LOG") == 0)
		*action = SCMP_ACT_LOG;
	else if (strcmp(text, "SCMP_ACT_TRACE") == 0)
		*action = SCMP_ACT_TRACE((uint16_t)errno_value);
	else if (strcmp(text, "SCMP_ACT_NOTIFY") == 0)
		return bad(c, where, "%s: SCMP_ACT_NOTIFY needs a listener, which box does not run", key);
	else
		return bad(c, where, "%s: \"%s\" is not an action", key, text);
	return 0;
}

static int operator_of(const struct compile *c, json_t *value, const char *where, enum scmp_compare *op)
{
	static const struct { const char *name; enum scmp_compare op; } ops[] = {
		{ "SCMP_CMP_NE", SCMP_CMP_NE }, { "SCMP_CMP_LT", SCMP_CMP_LT }, { "SCMP_CMP_LE", SCMP_CMP_LE },
		{ "SCMP_CMP_EQ", SCMP_CMP_EQ }, { "SCMP_CMP_GE", SCMP_CMP_GE }, { "SCMP_CMP_GT", SCMP_CMP_GT },
		{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
	};
	if (!json_is_string(value))
		return bad(c, where, "expected a string (SCMP_CMP_EQ, ...)");
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(json_string_value(value), ops[i].name) == 0) {
			*op = ops[i].op;
			return 0;
		}
	return bad(c, where, "\"%s\" is not an operator", json_string_value(value));
}

/* An unsigned 64-bit argument value (JSON integers are signed: the top
 * half is written as a negative number, as Go's encoder does not). */
static int u64_of(const struct compile *c, json_t *value, const char *where, uint64_t *out)
{
	if (!value) {
		*out = 0;
		return 0;
	}
	if (!json_is_integer(value))
		return bad(c, where, "expected an integer");
	*out = (uint64_t)json_integer_value(value);
	return 0;
}

static unsigned kernel_version(void)
{
	struct utsname u;
	unsigned major = 0, minor = 0;

	if (uname(&u) == 0)
		sscanf(u.release, "%u.%u", &major, &minor);
	return major * 1000 + minor;
}

/* Does the rule hold here: "includes" all met, no "excludes" met? */
static int rule_applies(const struct compile *c, json_t *rule, const char *where, bool *applies)
{
	*applies = true;
	for (int pass = 0; pass < 2; pass++) {
		const char *key = pass == 0 ? "includes" : "excludes";
		json_t *condition = json_object_get(rule, key);
		if (!condition)
			continue;
		if (!json_is_object(condition))
			return bad(c, where, "%s: expected an object", key);
		json_t *caps = json_object_get(condition, "caps"), *arches = json_object_get(condition, "arches");
		json_t *min_kernel = json_object_get(condition, "minKernel");
		bool any_met = false, all_met = true;
		size_t i;
		json_t *item;
		if (caps && !json_is_array(caps))
			return bad(c, where, "%s.caps: expected an array", key);
		json_array_foreach(caps, i, item) {
			int cap = json_is_string(item) ? capability_from_name(json_string_value(item)) : -1;
			if (cap < 0)
				return bad(c, where, "%s.caps[%zu]: not a capability", key, i);
			bool has = (c->caps >> cap) & 1;
			any_met |= has;
			all_met &= has;
		}
		if (arches && !json_is_array(arches))
			return bad(c, where, "%s.arches: expected an array", key);
		if (json_array_size(arches)) {
			bool here = false;
			json_array_foreach(arches, i, item)
				here |= json_is_string(item) && strcmp(json_string_value(item), go_arch_of(c->native)) == 0;
			any_met |= here;
			all_met &= here;
		}
		if (min_kernel) {
			unsigned major, minor;
			if (!json_is_string(min_kernel) || sscanf(json_string_value(min_kernel), "%u.%u", &major, &minor) != 2)
				return bad(c, where, "%s.minKernel: expected \"MAJOR.MINOR\"", key);
			bool here = kernel_version() >= major * 1000 + minor;
			any_met |= here;
			all_met &= here;
		}
		if (pass == 0 && !all_met)
			*applies = false;
		if (pass == 1 && any_met)
			*applies = false;
	}
	return 0;
}

/* The arguments the kernel reads as 32 bits (an int or an unsigned int: a
 * socket's family, an ioctl's request, ...). The filter sees the whole 64-bit
 * register, the kernel only its low half: a 64-bit test is passed by a value
 * with high bits set (socket(0x1_0000_0026) is not 38 to the filter, AF_ALG to
 * the kernel; flatpak's CVE-2019-10063 with TIOCSTI). So a test of such an
 * argument is made on its low 32 bits, as the kernel will read it. */
static const struct {
	const char *syscall;
	unsigned arg;
} args_low32[] = {
	{ "socket", 0 }, { "socket", 1 },  { "socket", 2 },      { "socketpair", 0 },
	{ "socketpair", 1 }, { "socketpair", 2 }, { "ioctl", 1 }, { "personality", 0 },
	{ "unshare", 0 },  { "setns", 1 },   { "prctl", 0 },
};

static bool arg_is_low32(const char *syscall, unsigned arg)
{
	for (size_t i = 0; i < sizeof(args_low32) / sizeof(args_low32[0]); i++)
		if (args_low32[i].arg == arg && strcmp(args_low32[i].syscall, syscall) == 0)
			return true;
	return false;
}

/* The low-32-bit values a test accepts, as a range [*low, *high]; NE is two. */
static unsigned test_ranges(const struct scmp_arg_cmp *test, uint64_t low[2], uint64_t high[2])
{
	const uint64_t top = 0xffffffffu;
	uint64_t v = test->datum_a & top;

	switch (test->op) {
	case SCMP_CMP_EQ:
		if (test->datum_a > top)
			return 0; /* a value the kernel cannot be given */
		low[0] = high[0] = v;
		return 1;
	case SCMP_CMP_NE:
		if (test->datum_a > top) {
			low[0] = 0, high[0] = top;
			return 1;
		}
		unsigned n = 0;
		if (v > 0)
			low[n] = 0, high[n] = v - 1, n++;
		if (v < top)
			low[n] = v + 1, high[n] = top, n++;
		return n;
	case SCMP_CMP_LT:
		if (test->datum_a == 0)
			return 0;
		low[0] = 0, high[0] = test->datum_a > top ? top : test->datum_a - 1;
		return 1;
	case SCMP_CMP_LE:
		low[0] = 0, high[0] = test->datum_a > top ? top : v;
		return 1;
	case SCMP_CMP_GT:
		if (test->datum_a >= top)
			return 0;
		low[0] = v + 1, high[0] = top;
		return 1;
	case SCMP_CMP_GE:
		if (test->datum_a > top)
			return 0;
		low[0] = v, high[0] = top;
		return 1;
	default:
		return 0;
	}
}

/* How many masked tests a range [LOW, HIGH] of low-half values becomes. */
static unsigned long range_blocks(uint64_t low, uint64_t high)
{
	unsigned long blocks = 0;

	for (uint64_t value = low; value <= high; blocks++) {
		uint64_t size = value == 0 ? 1ull << 32 : value & -value;
		while (value + size - 1 > high)
			size >>= 1;
		value += size;
	}
	return blocks;
}

/* How many rules a rule of COUNT tests becomes for SYSCALL: the product of
 * each 32-bit test's masked tests (at most 62 for an NE). */
static unsigned long rule_low32_count(const char *syscall, unsigned count, const struct scmp_arg_cmp *args)
{
	unsigned long rules = 1;

	for (unsigned i = 0; i < count && rules; i++) {
		if (!arg_is_low32(syscall, args[i].arg) || args[i].op == SCMP_CMP_MASKED_EQ)
			continue;
		uint64_t low[2], high[2];
		unsigned long blocks = 0;
		for (unsigned r = 0, ranges = test_ranges(&args[i], low, high); r < ranges; r++)
			blocks += range_blocks(low[r], high[r]);
		rules = blocks && rules > 100000 / blocks ? 100001 : rules * blocks;
	}
	return rules;
}

/* Add the rule for one system call; a test of a 32-bit argument becomes
 * masked tests of its low half: MASKED_EQ with the mask's high half zero
 * ignores the high bits. A range of values is cut into aligned blocks, each a
 * mask and a value ([41, 2^32) is 41, 42-43, 44-47, 48-63, ...). Tests from
 * FROM on are still to be rewritten (recursion, one argument at a time). */
static int rule_add_low32(struct compile *c, uint32_t action, const char *syscall, int number, unsigned count,
			  struct scmp_arg_cmp *args, unsigned from)
{
	unsigned i = from;
	while (i < count && !arg_is_low32(syscall, args[i].arg))
		i++;
	if (i == count) {
		int err = sym_seccomp_rule_add_array(c->ctx, action, number, count, args);
		if (err == 0)
			c->rules++;
		return err;
	}
	struct scmp_arg_cmp test = args[i];
	if (test.op == SCMP_CMP_MASKED_EQ) {
		args[i].datum_a &= 0xffffffffu, args[i].datum_b &= 0xffffffffu;
		int err = rule_add_low32(c, action, syscall, number, count, args, i + 1);
		args[i] = test;
		return err;
	}
	uint64_t low[2], high[2];
	unsigned ranges = test_ranges(&test, low, high);
	int err = 0;
	for (unsigned r = 0; r < ranges && err == 0; r++) {
		uint64_t value = low[r];
		while (value <= high[r] && err == 0) {
			uint64_t size = value == 0 ? 1ull << 32 : value & -value; /* the alignment of value */
			while (value + size - 1 > high[r])
				size >>= 1;
			args[i] = (struct scmp_arg_cmp){ test.arg, SCMP_CMP_MASKED_EQ, 0xffffffffu & ~(size - 1), value };
			err = rule_add_low32(c, action, syscall, number, count, args, i + 1);
			value += size;
		}
	}
	args[i] = test;
	return err;
}

// tag::rule[]
static int rule_add(struct compile *c, json_t *rule, size_t index)
{
	char where[64], at[96];
	uint32_t action;
	bool applies;

	snprintf(where, sizeof(where), "syscalls[%zu]", index);
	if (!json_is_object(rule))
		return bad(c, where, "expected an object");
	if (rule_applies(c, rule, where, &applies) < 0 || action_of(c, rule, "action", where, EPERM, &action) < 0)
		return -1;
	if (!applies)
		return 0;
	/* The argument tests: all of them must hold (AND). */
	struct scmp_arg_cmp args[6];
	unsigned count = 0;
	json_t *list = json_object_get(rule, "args"), *arg;
	size_t i;
	if (list && !json_is_array(list) && !json_is_null(list))
		return bad(c, where, "args: expected an array");
	if (json_array_size(list) > 6)
		return bad(c, where, "args: at most 6 (a system call has 6 arguments)");
	json_array_foreach(list, i, arg) {
		snprintf(at, sizeof(at), "%s.args[%zu]", where, i);
		json_t *position = json_object_get(arg, "index");
		if (!json_is_object(arg) || !json_is_integer(position) || json_integer_value(position) < 0 ||
		    json_integer_value(position) > 5)
			return bad(c, at, "index: expected an integer, 0 to 5");
		uint64_t value = 0, value_two = 0;
		enum scmp_compare op = SCMP_CMP_EQ;
		char op_at[112];
		snprintf(op_at, sizeof(op_at), "%s.op", at);
		if (u64_of(c, json_object_get(arg, "value"), at, &value) < 0 ||
		    u64_of(c, json_object_get(arg, "valueTwo"), at, &value_two) < 0 ||
		    operator_of(c, json_object_get(arg, "op"), op_at, &op) < 0)
			return -1;
		for (unsigned j = 0; j < count; j++)
			if (args[j].arg == (unsigned)json_integer_value(position))
				return bad(c, at, "a second test of argument %u in one rule (write two rules)",
					   args[j].arg);
		args[count++] = (struct scmp_arg_cmp){ (unsigned)json_integer_value(position), op, value, value_two };
	}
	/* An action that is the default's adds nothing: libseccomp refuses it. */
	if (action == c->default_action)
		return 0;
	json_t *names = json_object_get(rule, "names"), *name;
	if (!names && json_is_string(json_object_get(rule, "name")))
		names = json_pack("[O]", json_object_get(rule, "name")); /* the old format's one name */
	else if (names)
		json_incref(names);
	if (!json_is_array(names)) {
		json_decref(names);
		return bad(c, where, "names: expected an array of system call names");
	}
	int status = 0;
	json_array_foreach(names, i, name) {
		if (!json_is_string(name)) {
			status = bad(c, where, "names[%zu]: expected a string", i);
			break;
		}
		int number = sym_seccomp_syscall_resolve_name(json_string_value(name));
		if (number == __NR_SCMP_ERROR) {
			/* Newer than this libseccomp: left to the default action (as runc does). */
			trace("seccomp: %s is unknown to libseccomp %s: the default action", json_string_value(name),
			      profile_compiler_version());
			continue;
		}
		/* Rewritten tests multiply (three NE tests in one rule would be
		 * 62^3 rules): the whole profile stays within 4096 rules. */
		if (c->rules + rule_low32_count(json_string_value(name), count, args) > 4096) {
			status = bad(c, where, "%s: too many rules (more than 4096 once each test of a 32-bit "
				     "argument is made on its low half)", json_string_value(name));
			break;
		}
		int err = rule_add_low32(c, action, json_string_value(name), number, count, args, 0);
		if (err < 0) {
			status = bad(c, where, "%s: %s", json_string_value(name), strerror(-err));
			break;
		}
	}
	json_decref(names);
	return status;
}
// end::rule[]

/* The architectures: "architectures", or Docker's "archMap" entry for this
 * machine with its sub-architectures (x86 and x32 under x86_64). */
static int architectures_add(struct compile *c, json_t *profile)
{
	json_t *list = json_object_get(profile, "architectures"), *map = json_object_get(profile, "archMap");
	json_t *item, *entry;
	size_t i, j;
	bool native_listed = false;

	if (list && !json_is_array(list))
		return bad(c, "architectures", "expected an array");
	json_array_foreach(map, i, entry) {
		json_t *arch = json_object_get(entry, "architecture");
		if (!json_is_string(arch) || arch_token(json_string_value(arch)) != c->native)
			continue;
		list = json_object_get(entry, "subArchitectures");
		native_listed = true;
		break;
	}
	json_array_foreach(list, j, item) {
		char where[48];
		snprintf(where, sizeof(where), "%s[%zu]", map && native_listed ? "archMap" : "architectures", j);
		uint32_t token = json_is_string(item) ? arch_token(json_string_value(item)) : 0;
		if (!token)
			return bad(c, where, "not an architecture (SCMP_ARCH_X86_64, ...)");
		if (token == c->native) {
			native_listed = true;
			continue;
		}
		int err = sym_seccomp_arch_add(c->ctx, token);
		if (err < 0 && err != -EEXIST)
			return bad(c, where, "%s", strerror(-err));
	}
	/* A profile for other machines only: the native one is not filtered
	 * but killed (libseccomp's bad-architecture action). */
	if (!native_listed && json_array_size(list) > 0)
		sym_seccomp_arch_remove(c->ctx, c->native);
	return 0;
}

// tag::compile[]
int profile_compile(json_t *profile, const char *origin, uint64_t caps, struct seccomp_program *program)
{
	struct compile c = { .origin = origin, .caps = caps };
	int memfd = -1, status = -1;

	memset(program, 0, sizeof(*program));
	if (lazy_library_load(&libseccomp) < 0)
		return -1;
	if (!json_is_object(profile))
		return error_set("%s: expected a JSON object", origin);
	c.native = sym_seccomp_arch_native();
	if (action_of(&c, profile, "defaultAction", "defaultAction", EPERM, &c.default_action) < 0)
		return -1;
	if (json_object_get(profile, "listenerPath"))
		return bad(&c, "listenerPath", "a seccomp notify listener is not supported");
	json_t *flags = json_object_get(profile, "flags"), *flag;
	size_t i;
	json_array_foreach(flags, i, flag) {
		const char *name = json_string_value(flag);
		if (name && strcmp(name, "SECCOMP_FILTER_FLAG_LOG") == 0)
			program->flags |= SECCOMP_FILTER_FLAG_LOG;
		else if (name && strcmp(name, "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0)
			program->flags |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
		else if (!name || strcmp(name, "SECCOMP_FILTER_FLAG_TSYNC") != 0) /* one thread: nothing to do */
			return bad(&c, "flags", "\"%s\" is not a filter flag", name ? name : "(not a string)");
	}
	/* LAB: a libseccomp context with the default action, box's own handling of no_new_privs (SCMP_FLTATR_CTL_NNP off), the architectures and every rule. */
	if (!(c.ctx = sym_seccomp_init(c.default_action)))
		return error_set("%s: seccomp_init failed", origin);
	/* box sets no_new_privs itself (or not: --security-opt), in its order. */
	sym_seccomp_attr_set(c.ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (architectures_add(&c, profile) < 0)
		goto out;
	json_t *rules = json_object_get(profile, "syscalls"), *rule;
	if (rules && !json_is_array(rules)) {
		bad(&c, "syscalls", "expected an array");
		goto out;
	}
	json_array_foreach(rules, i, rule)
		if (rule_add(&c, rule, i) < 0)
			goto out;
	/* LAB END (stub: (void)architectures_add; (void)rule_add; goto out;) */
	/* A binary tree of system call numbers instead of a list: fewer tests
	 * for a call far down the list (libseccomp mishandles an empty tree). */
	if (c.rules > 32)
		sym_seccomp_attr_set(c.ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);

	/* libseccomp 2.5 exports only to a file: a memfd, read back. */
	memfd = memfd_create("box-seccomp", MFD_CLOEXEC);
	int err = memfd < 0 ? -errno : sym_seccomp_export_bpf(c.ctx, memfd);
	off_t size = err < 0 ? -1 : lseek(memfd, 0, SEEK_END);
	if (err < 0 || size <= 0 || size % sizeof(struct sock_filter) || size / sizeof(struct sock_filter) > BPF_MAXINSNS) {
		error_set("%s: exporting the program failed: %s", origin, err < 0 ? strerror(-err) : "bad size");
		goto out;
	}
	program->filter = malloc((size_t)size);
	if (!program->filter || pread(memfd, program->filter, (size_t)size, 0) != size) {
		error_errno("%s: reading the program back", origin);
		free(program->filter);
		program->filter = NULL;
		goto out;
	}
	program->length = (unsigned short)(size / sizeof(struct sock_filter));
	trace("seccomp: %s compiled with libseccomp %s: %d rules, %u BPF instructions", origin,
	      profile_compiler_version(), c.rules, program->length);
	status = 0;
out:
	if (memfd >= 0)
		close(memfd);
	sym_seccomp_release(c.ctx);
	return status;
}
// end::compile[]

int profile_compile_text(const char *text, size_t length, const char *origin, uint64_t caps,
			 struct seccomp_program *program)
{
	json_error_t failure;
	json_t *profile = json_loadb(text, length, JSON_REJECT_DUPLICATES, &failure);

	if (!profile)
		return error_set("%s: line %d, column %d: %s", origin, failure.line, failure.column, failure.text);
	int status = profile_compile(profile, origin, caps, program);
	json_decref(profile);
	return status;
}

/* For `box features` (runtime-spec features-linux.md) -------------------------
 *
 * Does a profile here accept NAME? Each asks the code above (action_of,
 * operator_of, arch_token) rather than a list of its own, so the features
 * document says what this file really takes. */
bool profile_action_known(const char *name)
{
	struct compile c = { .origin = "features" };
	json_t *rule = json_pack("{s:s}", "action", name);
	uint32_t action;
	bool known = rule && action_of(&c, rule, "action", "action", EPERM, &action) == 0;

	json_decref(rule);
	return known;
}

bool profile_operator_known(const char *name)
{
	struct compile c = { .origin = "features" };
	json_t *value = json_string(name);
	enum scmp_compare op;
	bool known = value && operator_of(&c, value, "op", &op) == 0;

	json_decref(value);
	return known;
}

/* libseccomp's names: none when it cannot be loaded. */
bool profile_architecture_known(const char *name)
{
	return lazy_library_load(&libseccomp) == 0 && arch_token(name) != 0;
}

/* The names profile_compile() takes in "flags" (its loop is not a table:
 * keep the two together). */
bool profile_flag_known(const char *name)
{
	static const char *const flags[] = {
		"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
	};

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (strcmp(name, flags[i]) == 0)
			return true;
	return false;
}
