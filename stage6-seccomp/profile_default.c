/* box's default seccomp profile, seccomp-default.json, inside box itself:
 * the assembler's .incbin copies the file's bytes in at build time, so that
 * box needs no file at run time and the profile cannot drift from the box
 * that was built with it. (SECCOMP_DEFAULT_PROFILE: its path, from the
 * Makefile, which also computes its SHA-256, the cache's key: filter.c.) */
const char seccomp_default_sha256[] = SECCOMP_DEFAULT_SHA256;

__asm__(".section .rodata\n"
	".global seccomp_default_profile\n"
	"seccomp_default_profile:\n"
	".incbin \"" SECCOMP_DEFAULT_PROFILE "\"\n"
	"seccomp_default_profile_end:\n"
	".byte 0\n"
	/* Its length, as the assembler counts it: C may not subtract the
	 * addresses of two different objects. */
	".balign 8\n"
	".global seccomp_default_profile_size\n"
	"seccomp_default_profile_size:\n"
	".quad seccomp_default_profile_end - seccomp_default_profile\n"
	".previous\n");
