# The program interpreter: where Linux puts a PIE, its break, stack and ld.so; ld.so run as a program; what the loader is told.
echo "without randomisation (setarch -R):"
setarch x86_64 -R cat /proc/self/maps | awk 'NR == 1 { print $1, $2, $6 } /\[heap\]|\[stack\]/ { print $1, $2, $6 }
	/\[stack\]/ { print "below the stack (the end of ld.so):", prev } { prev = $1 " " $2 }'
echo "the whole map under setarch -R (device and inode numbers aside):"
setarch x86_64 -R cat /proc/self/maps | awk '{ print $1, $2, $3, $6 }'
echo "randomised:"
a=$(head -n 1 /proc/self/maps) b=$(head -n 1 /proc/self/maps)
[ "$a" != "$b" ] && echo "two runs, two load addresses"
head -n 1 /proc/self/maps | awk '{ split($1, r, "-"); s = r[1]
	print (length(s) == 12 && s >= "555555554000" && s < "565555554000") ? "PIE in Linux'"'"'s range" : "PIE at " s }'
/lib64/ld-linux-x86-64.so.2 /usr/bin/echo run by the loader
/lib64/ld-linux-x86-64.so.2 --list /usr/bin/ls | sed 's/ (0x[0-9a-f]*)$//'
/lib64/ld-linux-x86-64.so.2 /usr/bin/cat /proc/self/maps | awk '
	NR == 1 { print ($6 == "[heap]" && $1 ~ /^55/) ? "the loader run as a program: its break at ELF_ET_DYN_BASE" : "first " $0 }
	NR > 1 && $1 !~ /^7f/ { print "outside the mmap area: " $0 }'
echo "auxiliary vector:"
LD_SHOW_AUXV=1 /usr/bin/true | cut -d: -f1 | tr '\n' ' '; echo
LD_SHOW_AUXV=1 /usr/bin/true | grep -E '^AT_(PAGESZ|CLKTCK|PHENT|PHNUM|FLAGS|UID|EUID|GID|EGID|SECURE|EXECFN|PLATFORM):'
bash -c 'eval "$(LD_SHOW_AUXV=1 /usr/bin/true | sed -n "s/^\(AT_[A-Z]*\): *\(0x[0-9a-f]*\)$/\1=\2/p")"
	echo "entry - phdr: $(( AT_ENTRY - AT_PHDR )) base page aligned: $(( AT_BASE % 4096 == 0 )) base above entry: $(( AT_BASE > AT_ENTRY ))"'
LD_DEBUG=libs /usr/bin/true 2>&1 | sed 's/^ *[0-9]*://' | grep -v '^[[:space:]]*$'
LD_LIBRARY_PATH=/nonexistent LD_BIND_NOW=1 /usr/bin/echo bound now
echo "mapped files:"
cat /proc/self/maps | awk '$6 ~ /^\// { print $6 }' | uniq
echo "/proc/self/exe:"
ln -s /usr/bin/readlink rl && ./rl /proc/self/exe
sh -c 'readlink /proc/$$/exe'
/lib64/ld-linux-x86-64.so.2 /usr/bin/readlink /proc/self/exe
