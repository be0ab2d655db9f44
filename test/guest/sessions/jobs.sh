# Session: background jobs without a terminal — &, wait, exit statuses, kill of background jobs.
sleep 0.1 && echo "first done" &
p1=$!
( exit 5 ) &
p2=$!
wait $p1; echo "wait p1 $?"
wait $p2; echo "wait p2 $?"
# A killed background job: whether ash prints "Terminated" for it depends on
# when its SIGCHLD arrives (ash reaps silently after the kill builtin if the job
# already died), so only the status is compared; the message is checked on a
# foreground job, which ash always reaps itself.
sleep 10 &
p3=$!
kill $p3
wait $p3 2>/dev/null; echo "killed status $?"
sh -c 'kill $$'; echo "self-killed status $?"
echo one > order; (sleep 0.1; echo two >> order) & wait; cat order
yes | head -n 3
echo "pipeline status ${PIPESTATUS:-none}"
