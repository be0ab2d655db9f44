# `kit new DIR`: create a minimal kernel project that uses the frame as a library and boots to "hello".

kit_new_usage() {
	cat <<'U'
usage: kit new DIR
Creates DIR (absent or empty) with a Makefile, main.c and README from the
kit's template, bound to this Cadre tree's frame. Then: make -C DIR run
U
}

kit_new() {
	case ${1:-} in
	'' | -h | --help) kit_new_usage; [ -n "${1:-}" ]; return ;;
	esac
	[ $# -eq 1 ] || { kit_new_usage >&2; return 2; }
	local dir=$1 f
	if [ -e "$dir" ]; then
		[ -d "$dir" ] || kit_die "$dir exists and is not a directory"
		[ -z "$(ls -A "$dir")" ] || kit_die "$dir is not empty"
	fi
	mkdir -p "$dir"
	local template=$KIT_CADRE/kit/template
	# The template's files are copied as they are, with @CADRE@ bound to this
	# tree: the new project builds the frame from here and keeps no copy of it.
	for f in Makefile main.c README.md gitignore; do
		sed "s|@CADRE@|$KIT_CADRE|g" "$template/$f" >"$dir/${f/#gitignore/.gitignore}"
	done
	kit_say "new: $(cd "$dir" && pwd) — now: make -C $dir run"
}
