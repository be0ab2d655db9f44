# Test helper: writes a fake kit project (a Makefile with kit-info and scripted test parts) into a directory.
# usage: fake_project DIR PACKAGES_FILE PART=BEHAVIOUR...
#   BEHAVIOUR is "P F S" (write that line, exit non-zero if F>0), "none" (write
#   nothing, fail), "garbage" (write a malformed line), "liar" (write "1 0 0" but exit 1);
#   the special part "build=fail" makes the project's build fail.
fake_project() {
	local dir=$1 packages=$2 spec part how parts=() build_fail=''
	shift 2
	mkdir -p "$dir"
	{
		echo '# Fake kit project written by test/kit/fake_project.sh.'
		echo '.RECIPEPREFIX := >'
		for spec in "$@"; do
			[ "$spec" = build=fail ] && { build_fail=1; continue; }
			part=${spec%%=*} how=${spec#*=}
			parts+=("$part")
			echo "test-$part:"
			echo '> @mkdir -p build/results'
			case $how in
			none) echo "> @echo running $part; exit 1" ;;
			garbage) echo "> @echo 'three passed' >build/results/$part" ;;
			liar) echo "> @echo '1 0 0' >build/results/$part; exit 1" ;;
			*)
				echo "> @echo '$how' >build/results/$part"
				set -- $how
				[ "$2" -eq 0 ] || echo '> @exit 1'
				;;
			esac
		done
		echo 'all:'
		if [ -n "$build_fail" ]; then echo '> @echo build broken; exit 1'; else echo '> @mkdir -p build; touch build/kernel.elf'; fi
		echo 'kit-info:'
		echo '> @echo kernel=build/kernel.elf'
		echo "> @echo test_parts=${parts[*]}"
		echo "> @echo packages=$packages"
	} >"$dir/Makefile"
}
