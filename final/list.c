/* box list [--format table|json] [--quiet]: every container under --root,
 * with its status, as runc list. */
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "runtime.h"
#include "status.h"

int verb_list(const struct runtime *rt, int argc, char **argv)
{
	static const struct option options[] = { { "format", required_argument, NULL, 'f' },
						 { "quiet", no_argument, NULL, 'q' },
						 { "help", no_argument, NULL, 'h' }, { 0 } };
	const char *format = "table";
	bool quiet = false;
	int option;

	while ((option = getopt_long_only(argc, argv, "+:f:q", options, NULL)) != -1) {
		if (option == 'h') {
			verb_help("list", "  --format table|json     (default table)\n"
					  "  --quiet                 the IDs alone\n");
			return 0;
		}
		if (option == 'f' && (strcmp(optarg, "table") == 0 || strcmp(optarg, "json") == 0))
			format = optarg;
		else if (option == 'q')
			quiet = true;
		else
			option == 'f' ? verb_usage_error("list", "--format: table or json") : verb_bad_option("list", argv, option);
	}
	if (optind != argc)
		verb_usage_error("list", "takes no operand");
	char **ids;
	int count;
	if (state_list(rt, &ids, &count) < 0)
		die_with_error();
	bool json = strcmp(format, "json") == 0;
	json_t *all = json_array();
	if (!json && !quiet)
		printf("%-20s %-8s %-10s %-40s %-30s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
	for (int i = 0; i < count; i++) {
		struct container_state s;
		if (state_peek(rt, ids[i], &s) == 0) {
			enum container_status status = state_status(&s);
			const struct passwd *owner = getpwuid(s.owner);
			if (json) {
				/* runc's list names the owner; its state leaves it "". */
				json_t *entry = state_json(&s, status);
				json_object_set_new(entry, "owner", json_string(owner ? owner->pw_name : "?"));
				json_array_append_new(all, entry);
			} else if (quiet)
				printf("%s\n", s.id);
			else
				printf("%-20s %-8d %-10s %-40s %-30s %s\n", s.id, status == STATUS_STOPPED ? 0 : s.pid,
				       status_name(status), s.bundle, s.created, owner ? owner->pw_name : "?");
		}
		state_close(&s);
		free(ids[i]);
	}
	free(ids);
	if (json) {
		json_dumpf(all, stdout, JSON_COMPACT);
		putchar('\n');
	}
	json_decref(all);
	return 0;
}
