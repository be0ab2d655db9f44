# Session: background jobs without a terminal — &, wait, exit statuses, kill of background jobs.
sleep 0.1 && echo "first done" &
p1=$!
( exit 5 ) &
p2=$!
wait $p1; echo "wait p1 $?"
wait $p2; echo "wait p2 $?"
sleep 10 &
p3=$!
kill $p3
wait $p3; echo "killed status $?"
echo one > order; (sleep 0.1; echo two >> order) & wait; cat order
yes | head -n 3
echo "pipeline status ${PIPESTATUS:-none}"
