# Session: pipelines, redirection and exit statuses in busybox ash.
echo one two three | tr ' ' '\n' | sort -r
printf 'a\nb\nc\n' > f.txt
wc -l < f.txt
cat f.txt nosuchfile 2>/dev/null; echo "status $?"
false | true; echo "status $?"
{ echo out; echo err >&2; } 2>&1 >/dev/null | sed 's/^/stderr: /'
