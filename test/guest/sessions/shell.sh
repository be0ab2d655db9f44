# Session: shell features — variables, functions, traps, here-documents, subshells, loops, exit statuses.
name=world
cat <<END
hello $name
literal: \$name $(echo cmd-subst) $((6 * 7))
END
cat <<'END'
quoted $name stays
END
f() { local v=inner; echo "f got $# args: $*"; return 3; }
f a "b c"; echo "f returned $?"
trap 'echo "trap on exit"' EXIT
trap 'echo "caught USR1"' USR1
kill -USR1 $$; echo "after kill"
trap - USR1
i=0; while [ $i -lt 3 ]; do i=$((i + 1)); printf '%s ' "$i"; done; echo
for w in one two three; do case $w in t*) echo "t-word $w";; *) echo "other $w";; esac; done
x=$( (exit 7) ); echo "subshell status $?"
echo "${undefined:-default} ${name#w} ${#name}"
set -- p q r; shift; echo "after shift: $*"
false || echo "or-branch"; true && echo "and-branch"
if ! grep -q nothing /dev/null; then echo "negated"; fi
echo "last status $?"
