# `kit setup`: install the Debian packages the project lists that are missing, and nothing when none is.

kit_setup_usage() {
	cat <<'U'
usage: kit setup [--dry-run]
Installs every package of the project's package list (kit/packages.txt) that
dpkg does not show as installed: one apt-get update, one apt-get install.
--dry-run  only print what would be installed (exit 0 either way)
U
}

# Package names of a list file: one a line, '#' starts a comment.
kit_setup_list() {
	sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$1"
}

kit_setup() {
	local dry=${KIT_SETUP_DRY_RUN:-}
	while [ $# -gt 0 ]; do
		case $1 in
		--dry-run) dry=1 ;;
		-h | --help) kit_setup_usage; return 0 ;;
		*) kit_setup_usage >&2; return 2 ;;
		esac
		shift
	done
	kit_load_project
	local list=${kit_packages:-$KIT_CADRE/kit/packages.txt}
	[ -f "$list" ] || kit_die "package list $list not found"
	local wanted=() installed missing=() p
	mapfile -t wanted < <(kit_setup_list "$list")
	if [ ${#wanted[@]} -eq 0 ]; then
		kit_say "setup: no packages listed in $list"
		return 0
	fi
	# One dpkg-query for all: it stays fast (tens of ms) when nothing is missing.
	# Unknown names make it complain and exit 1; they are simply not installed.
	installed=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${wanted[@]}" 2>/dev/null |
		awk '$2 ~ /^ii/ { print $1 }') || true
	for p in "${wanted[@]}"; do
		grep -qxF -- "$p" <<<"$installed" || missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		kit_say "setup: all ${#wanted[@]} packages present"
		return 0
	fi
	kit_say "setup: missing ${#missing[@]} of ${#wanted[@]}: ${missing[*]}"
	if [ -n "$dry" ]; then
		kit_say "setup: dry run, installing nothing"
		return 0
	fi
	local sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null 2>&1 || kit_die "not root and no sudo: install as root: apt-get install ${missing[*]}"
		sudo=(sudo)
	fi
	"${sudo[@]}" apt-get update || kit_die "apt-get update failed"
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends "${missing[@]}" ||
		kit_die "apt-get install failed"
}
