# regions.awk: the solution regions of one C source file, which a student of
# its stage writes. A region is marked by a pair of comment lines:
#
#     /* LAB: <one-line task statement> */
#     ...reference code...
#     /* LAB END (stub: <C statements>) */        or        /* LAB END */
#
# The stub statements make the file compile and fail the way unwritten code
# would (return an error, say). Run with -v mode=... -v file=NAME:
#
#   mode=list   print "LINE<TAB>TASK" per region; LINE is the LAB line's number
#   mode=stub   replace every region by "/* TODO(lab): TASK */" and its stub
#   mode=strip  keep every region's code, drop the marker lines
#   mode=only   stub the region whose LAB line is -v only=LINE, strip the rest
#
# A marker that is not exactly one of the forms above is an error: one line
# "FILE:LINE: reason" on stderr and exit status 1, so that a typo can never
# let reference code slip into a handout.

function fail(message) {
	printf "%s:%d: %s\n", file, NR, message > "/dev/stderr"
	failed = 1
	exit 1
}

function indentation(line) {
	match(line, /^[ \t]*/)
	return substr(line, 1, RLENGTH)
}

# Print the stub one statement per line: split after a ";" or a "}" that is
# outside parentheses, braces and string or character literals.
function print_statements(stub, indent,    i, c, depth, quote, escaped, current) {
	depth = 0; quote = ""; escaped = 0; current = ""
	for (i = 1; i <= length(stub); i++) {
		c = substr(stub, i, 1)
		current = current c
		if (quote != "") {
			if (escaped) escaped = 0
			else if (c == "\\") escaped = 1
			else if (c == quote) quote = ""
			continue
		}
		if (c == "\"" || c == "'") quote = c
		else if (c == "(" || c == "{") depth++
		else if (c == ")" || c == "}") depth--
		if (depth == 0 && (c == ";" || c == "}")) {
			sub(/^[ \t]+/, "", current)
			if (current != "") print indent current
			current = ""
		}
	}
	sub(/^[ \t]+/, "", current)
	sub(/[ \t]+$/, "", current)
	if (current != "") print indent current
}

BEGIN {
	if (mode !~ /^(list|stub|strip|only)$/) {
		print "regions.awk: mode must be list, stub, strip or only" > "/dev/stderr"
		failed = 1
		exit 2
	}
	open = 0
}

# The opening marker: /* LAB: task */
/^[ \t]*\/\* LAB: .*[^ ] \*\/[ \t]*$/ {
	if (open)
		fail("LAB inside the region opened at line " start)
	open = 1
	start = NR
	task = $0
	sub(/^[ \t]*\/\* LAB: /, "", task)
	sub(/ \*\/[ \t]*$/, "", task)
	if (task ~ /\*\//)
		fail("the task statement holds \"*/\"")
	indent = indentation($0)
	stubbing = (mode == "stub" || (mode == "only" && NR == only + 0))
	if (mode == "list")
		printf "%d\t%s\n", NR, task
	next
}

# The closing marker: /* LAB END */ or /* LAB END (stub: statements) */
/^[ \t]*\/\* LAB END( \(stub: .*\))? \*\/[ \t]*$/ {
	if (!open)
		fail("LAB END without a LAB line before it")
	stub = ""
	if ($0 ~ /\(stub: /) {
		stub = $0
		sub(/^[ \t]*\/\* LAB END \(stub: /, "", stub)
		sub(/\) \*\/[ \t]*$/, "", stub)
		if (stub !~ /[^ \t]/)
			fail("the stub is empty: write /* LAB END */ for a region without one")
	}
	if (stubbing) {
		print indent "/* TODO(lab): " task " */"
		print_statements(stub, indent)
	}
	open = 0
	stubbing = 0
	next
}

# Anything else that looks like a marker is a mistake.
/\/\*[ \t]*LAB([ \t]|:|$)/ || /TODO\(lab\)/ {
	fail("malformed LAB marker (the forms: \"/* LAB: task */\", \"/* LAB END */\", \"/* LAB END (stub: statements) */\", each alone on its line)")
}

{
	if (mode != "list" && !stubbing)
		print
}

END {
	if (failed)
		exit 1
	if (open) {
		NR = start
		fail("LAB has no LAB END")
	}
}
