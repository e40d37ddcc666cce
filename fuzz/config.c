/* Fuzz target: config.json, as `box create` reads it (final/config.c).
 *
 * The input is the text of BUNDLE/config.json; config_load_text() parses it
 * as config_load() parses the file, with every check of each field, then
 * config_free() frees what it made. The bundle is a directory of the
 * sandbox's (fuzz/harness.h) with a rootfs/ in it, so that "root.path":
 * "rootfs" holds; a namespace path or a root.path elsewhere finds only the
 * sandbox's files, and /dev/fifo among them: a parser that opens it
 * (box would wait there for ever) is a finding too, as are a crash, a leak
 * and undefined behaviour.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "config.h"
#include "harness.h"
#include "report.h"

static char bundle[4096 + 16];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char rootfs[sizeof(bundle) + 16];

	fuzz_sandbox_enter(*argc, *argv);
	snprintf(bundle, sizeof(bundle), "%s/bundle", fuzz_work);
	snprintf(rootfs, sizeof(rootfs), "%s/rootfs", bundle);
	if (mkdir(bundle, 0755) < 0 || mkdir(rootfs, 0755) < 0) {
		perror("fuzz config: the bundle");
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct container_config config;

	int loaded = config_load_text((const char *)data, size, bundle, &config);
	if (loaded == 0 && !config.root)
		fuzz_fail("fuzz config: a config without a root was taken");
	if (fuzz_fifo_opened())
		fuzz_fail("fuzz config: the parser opened /dev/fifo: box would wait there for ever (%s)",
			  loaded == 0 ? "taken" : error_message());
	config_free(&config);
	return 0;
}
