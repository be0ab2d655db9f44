# sed, grep, awk, find, xargs, tar, gzip, diff and cmp from Debian.
mkdir -p t/x/y
for i in 1 2 3 4 5; do echo "line $i of file $i" >t/x/f$i; done
echo 'needle in y' >t/x/y/deep
sed -n '2,3p;$p' t/x/f1 t/x/f2 t/x/f3
sed -e 's/line/LINE/' -e '/3/d' t/x/f1 t/x/f3 t/x/f4
grep -r needle t | sort; grep -c line t/x/f1; grep -v -e 1 -e 2 t/x/f1 t/x/f2 t/x/f3 | sort
grep -E 'f(ile)? [24]' -h t/x/f* ; grep -q absent t/x/f1 || echo "grep -q: $?"
seq 1 10 | awk '{ s += $1 } NR % 3 == 0 { print NR, s } END { printf "sum %d avg %.2f\n", s, s / NR }'
awk -F: '{ print $1 "|" $NF }' /etc/passwd
find t -type f | sort; find t -name 'f[24]' -o -name deep | sort
find t -type f -print0 | sort -z | xargs -0 cat | wc -l
find t -type f | sort | xargs -n 2 echo
tar -czf t.tgz t && mkdir u && tar -xzf t.tgz -C u && tar -tzf t.tgz | sort
diff -r t u/t && echo "diff: same"
echo changed >>u/t/x/f2; diff t/x/f2 u/t/x/f2; echo "diff: $?"
cmp t/x/f2 u/t/x/f2; echo "cmp: $?"
gzip -c t/x/f1 >f1.gz && gzip -dc f1.gz && gzip -l f1.gz | tail -n 1 | awk '{ print $2, $4 }'
seq 20000 | gzip -9 | gzip -d | md5sum
seq 5 | tee copy | wc -l; cat copy | tr '\n' ' '; echo
