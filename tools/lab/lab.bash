# lab.bash: what tools/lab/handout and tools/lab/check-regions share.
# Sourced, not run. Sets $top, the lab's top directory.

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
lab=$top/tools/lab

lab_error() { echo "$(basename "$0"): $*" >&2; }

# stage_dir N: the directory of stage N (stage1-chroot), empty if none.
# The final runtime, final/, counts as stage 7 (as tests/run has it).
stage_dir() {
	local dirs=("$top"/stage"$1"-*)
	[ "$1" != 7 ] || dirs=("$top"/final)
	[ -d "${dirs[0]}" ] && basename "${dirs[0]}"
}

# stage_numbers: the number of every stage directory, in order; 7 for final/.
stage_numbers() {
	local dir
	for dir in "$top"/stage[0-9]-*/; do
		[ -d "$dir" ] || continue
		dir=$(basename "$dir")
		dir=${dir#stage}
		echo "${dir%%-*}"
	done
	[ ! -d "$top/final" ] || echo 7
}

# stage_number_arg ARG: 1, stage1, stage1-chroot -> 1; 7, stage7, final -> 7;
# fails on anything else.
stage_number_arg() {
	local n=${1#stage}
	n=${n%%-*}
	[ "$n" != final ] || n=7
	case "$n" in
	[1-9]) [ -n "$(stage_dir "$n")" ] && echo "$n" && return 0 ;;
	esac
	lab_error "no stage $1 (stages here: $(stage_numbers | tr '\n' ' '))"
	return 1
}

# stage_sources DIR: the files of a stage directory (relative to it) that a
# tree needs: everything but what building it makes.
stage_sources() {
	(cd "$top/$1" && find . -type f \
		! -path '*/obj/*' ! -path '*/obj-*/*' ! -name '*.o' ! -name '*.d' \
		! -name box ! -name .build-flags ! -name '*~' ! -name '.*.sw?' |
		sed 's|^\./||' | LC_ALL=C sort)
}

# marked_files DIR: the C sources of a stage directory that hold a marker.
marked_files() {
	local file
	stage_sources "$1" | while read -r file; do
		case "$file" in *.c | *.h) ;; *) continue ;; esac
		grep -qE '/\*[[:space:]]*LAB([[:space:]]|:|$)' "$top/$1/$file" && echo "$file"
	done
}

# regions N: one line per solution region of stage N, in file order:
#   DIR/FILE:LINE<TAB>TASK     (stage1-chroot/chroot.c:29<TAB>enter ROOTFS: ...)
# Fails, naming the place, on a malformed marker.
regions() {
	local dir file list
	dir=$(stage_dir "$1")
	for file in $(marked_files "$dir"); do
		list=$(awk -v mode=list -v file="$dir/$file" -f "$lab/regions.awk" "$top/$dir/$file") ||
			return 1
		[ -z "$list" ] || sed "s|^|$dir/$file:|" <<< "$list"
	done
}

# transform MODE SRC DEST NAME [LINE]: write SRC with its regions stubbed,
# stripped or one of them stubbed (see regions.awk) to DEST.
transform() {
	awk -v mode="$1" -v file="$4" -v only="${5:-0}" -f "$lab/regions.awk" "$2" > "$3" || {
		rm -f "$3"
		return 1
	}
}

# copy_stage N OUT MODE [FILE:LINE]: copy stage N's sources into OUT/DIR,
# each C file's regions transformed by MODE: stub, strip, or only (stub the
# region at FILE:LINE, strip the others).
copy_stage() {
	local n=$1 out=$2 mode=$3 only=${4:-} dir file line
	dir=$(stage_dir "$n")
	while read -r file; do
		mkdir -p "$(dirname "$out/$dir/$file")"
		case "$file" in
		*.c | *.h)
			line=0
			if [ "$mode" = only ]; then
				if [ "${only%:*}" = "$dir/$file" ]; then line=${only##*:}; else line=-1; fi
			fi
			transform "$mode" "$top/$dir/$file" "$out/$dir/$file" "$dir/$file" "$line" || return 1
			;;
		*) cp -p "$top/$dir/$file" "$out/$dir/$file" ;;
		esac
	done < <(stage_sources "$dir")
}

# make_stage TREE DIR LOG: build one stage of a tree, its output in LOG.
# STAGE is given explicitly: a STAGE=N from the caller's command line would
# otherwise reach mk/stage.mk through MAKEFLAGS and become the stage's name.
make_stage() {
	make --no-print-directory -C "$1/$2" STAGE="$2" > "$3" 2>&1
}

# seconds: since the epoch.
seconds() { date +%s; }
