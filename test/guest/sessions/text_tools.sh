# Session: text tools — sed, awk, sort, uniq, tr, cut, grep, wc, head, tail over fixed input.
cat > data.txt <<'END'
banana 3 yellow
apple 7 red
cherry 12 red
apple 2 green
date 5 brown
END
sort data.txt
sort -k2,2n data.txt
cut -d' ' -f1 data.txt | sort | uniq -c
awk '{ sum += $2 } END { print "total", sum }' data.txt
awk '$3 == "red" { print NR": "$1 }' data.txt
sed -n 's/^\(a[a-z]*\) \([0-9]*\).*/\2-\1/p' data.txt
sed '2d;s/yellow/YELLOW/' data.txt
grep -c red data.txt
grep -v -e apple -e date data.txt
grep -n '^c' data.txt
tr 'a-z' 'A-Z' < data.txt | head -n 2
tr -d 'aeiou' < data.txt | tail -n 1
wc -l -w -c < data.txt
printf '%s\n' 3 1 2 1 3 | sort -n | uniq
printf 'x,y,z\n' | cut -d, -f2-
echo "a  b   c" | tr -s ' '
seq 1 5 | paste -sd+ | bc 2>/dev/null || seq 1 5 | awk '{s+=$1} END {print s}'
