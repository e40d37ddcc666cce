/* box --check: what this machine's kernel offers the lab. */
#pragma once

/* Print one line per feature; returns 0. */
int features_report(void);

#define CHECK_OPTION(target) \
	{ "check", NULL, "report what this machine's kernel offers, then exit (no ROOTFS)", \
	  cli_set_flag, target }
