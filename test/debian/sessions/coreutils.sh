# Debian's coreutils on files the session makes: listing, copying, checksums, metadata.
mkdir -p d/sub
printf 'one\ntwo\nthree\n' >d/a.txt
seq 1 1000 >d/sub/numbers
ln -s a.txt d/link
echo "ls:"; ls d; ls -1 d/sub
echo "ls -la:"; ls -la --time-style=+T d | tail -n +2
echo "ls -R:"; ls -R d
cp -a d e && echo "cp -a: $(ls -A e | tr '\n' ' ')"
mv e/a.txt e/b.txt && ls e
readlink d/link; readlink -f d/link | sed "s|$PWD|.|"; realpath --relative-to=. d/sub/numbers
stat -c '%n %s %a %F %h' d/a.txt d/sub d/link
chmod 640 d/a.txt && stat -c '%a %A' d/a.txt
touch -d '2001-02-03 04:05:06 UTC' d/a.txt && stat -c '%Y' d/a.txt && date -u -r d/a.txt +%F_%T
md5sum d/a.txt d/sub/numbers
sha256sum d/sub/numbers
wc d/sub/numbers; wc -l <d/a.txt
head -n 3 d/sub/numbers | tr '\n' ,; echo; tail -n 2 d/sub/numbers
sort -r d/a.txt; sort -n -r d/sub/numbers | head -n 2
printf 'b\na\nb\nc\na\n' | sort | uniq -c
cut -c 1-2 d/a.txt | paste -s -d:
tac d/a.txt | nl
echo "expr: $(expr 6 \* 7) $(expr length hello)"
printf 'hello\0world' | od -c | head -n 2
printf 'Cadre runs Debian' | base64; echo Q2FkcmU= | base64 -d; echo
seq 10 | split -l 4 - part_ && ls part_* && cat part_ac
yes | head -n 3
basename /usr/lib/x86_64-linux-gnu/libc.so.6 .so.6; dirname /usr/lib/x86_64-linux-gnu/libc.so.6
id; uname -s -m -o; nproc; getconf PAGE_SIZE
env -i PATH=/usr/bin LC_ALL=C env | sort
rm -r d e; ls
echo "sort with threads (glibc's pthread_create: clone3, rseq):"
seq 200000 | sort -n -r --parallel=2 -S 50M | head -n 2
seq 200000 | sort --parallel=2 -S 50M | md5sum
