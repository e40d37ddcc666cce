/* What the fuzz targets share (fuzz/harness.c): a sandbox that no input can
 * write out of, a way back from box's exit(), and a look at a tree's files.
 *
 * Each target (fuzz/config.c, profile.c, cli.c, layer.c) is one libFuzzer
 * LLVMFuzzerTestOneInput over one of box's parsers, linked with the final
 * runtime's own objects built with -fsanitize=fuzzer-no-link,address,undefined
 * (mk/targets-fuzz.mk). A crash, a leak, undefined behaviour or a broken
 * property (abort) is a finding: libFuzzer keeps the input.
 */
#pragma once
#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The sandbox: a private mount namespace whose root (chroot) is an empty
 * tmpfs with the host's /usr and /proc (read-only), /dev/null and the
 * directories libFuzzer writes (its working directory, corpus and
 * artifacts) bound in, a FIFO /dev/fifo (see fuzz_fifo_opened), and the
 * targets' directory fuzz_work. An input
 * then sees no host file it could change, and whatever it writes lands in
 * the tmpfs, where fuzz_tree_* can see it. Root's, or a user namespace's.
 * Call from LLVMFuzzerInitialize (one thread yet), after loading every
 * library a target dlopens. False if it could not be made: the target runs
 * on the host, in a directory of its own under /tmp (said on stderr). */
bool fuzz_sandbox_enter(int argc, char **argv);

/* Did anything open the sandbox's /dev/fifo since the last call (other
 * than O_PATH, which opens nothing)? Box would have waited there for ever
 * for a writer; here the harness holds it open, so the open went through. */
bool fuzz_fifo_opened(void);

/* The targets' directory: "/box-fuzz" in the sandbox, /tmp/box-fuzz.XXXXXX
 * (removed at exit) without it. Made by fuzz_sandbox_enter. */
extern char fuzz_work[4096];

/* exit() of cli.c and report.c (built with -Dexit=box_fuzz_exit): with
 * fuzz_exit_jump set, it jumps there (longjmp value 1) with the status in
 * fuzz_exit_status, and fuzz_exit_jump is cleared; else it exits. */
extern jmp_buf *fuzz_exit_jump;
extern int fuzz_exit_status;
_Noreturn void box_fuzz_exit(int status);

/* A tree's files, to compare before and after an input: each entry's path,
 * type and mode, owner, size (regular files) and a hash of its bytes or of
 * its link's target, not crossing into other file systems. */
struct fuzz_entry {
	char *path;
	unsigned mode, uid, gid;
	uint64_t size, hash, inode, links;
};
struct fuzz_tree {
	struct fuzz_entry *entries;
	size_t count, allocated;
};
int fuzz_tree_scan(const char *root, struct fuzz_tree *tree);
void fuzz_tree_free(struct fuzz_tree *tree);
/* The entry at PATH, or NULL. */
const struct fuzz_entry *fuzz_tree_find(const struct fuzz_tree *tree, const char *path);

/* A broken property: say what (on libFuzzer's own stderr, which
 * -close_fd_mask=3 keeps: the sanitizers' report file), and abort, so
 * that libFuzzer keeps the input as a crash. */
_Noreturn void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* rm -rf PATH (not following links; a mode-000 directory is opened up). */
void fuzz_remove(const char *path);

/* Split DATA into at most MAX words at NUL bytes (the last word need not
 * end with one), after the program name NAME, as argv; *ARGC is set.
 * The words are one malloc'd block, freed with free(argv). */
char **fuzz_argv(const uint8_t *data, size_t size, const char *name, int max, int *argc);
