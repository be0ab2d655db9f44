# Debian's bash and dash: expansions, functions, redirections, subshells, pipelines, traps, jobs and exec.
bash -c 'a=(x y z); echo "${#a[@]} ${a[1]} ${a[*]:1}"; declare -A m=([k]=v); echo "${m[k]}"'
bash -c 'f() { local n=$1; [ "$n" -le 1 ] && echo 1 && return; echo $(( n * $(f $((n - 1))) )); }; f 10'
bash -c 'x=hello_world; echo "${x^^} ${x/_/ } ${x%_*} ${#x}"; printf "%05d|%-4s|%x\n" 42 ab 255'
bash -c 'for ((i = 0; i < 3; i++)); do echo "i=$i"; done; [[ abc == a* ]] && echo glob-match'
bash -c 'read -r a b <<<"first second third"; echo "$b|$a"; mapfile -t l < <(printf "1\n2\n"); echo "${l[@]}"'
bash -c 'trap "echo trapped USR1" USR1; kill -USR1 $$; echo after'
bash -c 'sleep 100 & pid=$!; kill $pid; wait $pid; echo "status $?"'
bash -c '(exit 7); echo "subshell $?"; { echo in-group; } >g.txt; cat g.txt; echo err >&2' 2>&1
bash -c 'set -o pipefail; false | true; echo "pipefail $?"; true | false | true; echo "${PIPESTATUS[@]}"'
bash -c 'exec 3>fd3.txt; echo via-fd3 >&3; exec 3>&-; cat fd3.txt'
bash -c 'echo $BASH_VERSION | cut -d. -f1; shopt -s extglob; v=aaab; echo ${v##+(a)}'
bash --norc -i -c 'echo interactive $-' 2>/dev/null | sed 's/[^ ]*i[^ ]*/has-i/'
dash -c 'x=5; while [ $x -gt 0 ]; do printf "%s " $x; x=$((x - 1)); done; echo'
dash -c 'case foo.txt in *.txt) echo text;; *) echo other;; esac; set -- a b c; shift; echo "$# $*"'
dash -c 'cat <<END
here $((1 + 2)) $(echo doc)
END'
sh -c 'exec env | grep -c "^PATH="'
echo 'echo from a script: $0 $1' >s.sh && chmod +x s.sh && bash ./s.sh arg && dash s.sh arg2
printf '#!/usr/bin/bash\necho shebang $#\n' >run && chmod +x run && ./run a b c
