# Session: archives — tar, gzip, cpio round trips with content checks.
mkdir -p src/sub
echo alpha > src/a.txt
echo beta > src/sub/b.txt
printf 'line %d\n' 1 2 3 > src/sub/c.txt
tar -cf out.tar src
tar -tf out.tar | sort
mkdir x && tar -xf out.tar -C x && cat x/src/sub/c.txt
gzip -c src/a.txt > a.gz
gzip -dc a.gz
gzip -t a.gz && echo "gzip ok"
tar -czf out.tgz src && mkdir y && tar -xzf out.tgz -C y && cmp y/src/sub/b.txt src/sub/b.txt && echo "tgz ok"
find src -type f | sort | cpio -o -H newc > out.cpio 2>/dev/null
mkdir z && cd z && cpio -i -d < ../out.cpio 2>/dev/null && cd .. && cat z/src/sub/b.txt
echo corrupt > bad.gz
gzip -dc bad.gz > /dev/null 2>&1; echo "bad gzip status $?"
