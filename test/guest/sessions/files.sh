# Session: file operations with busybox applets — mkdir, cp, mv, ln, rm, chmod, stat, find, ls, dd.
mkdir -p a/b/c
echo data > a/b/c/f
cp -r a copy && cat copy/b/c/f
mv copy moved && ls moved/b/c
ln -s ../a/b/c/f a/link 2>/dev/null; ln -s b/c/f a/link2 && readlink a/link2 && cat a/link2
ln a/b/c/f hard && stat -c '%h %s' hard
chmod 640 hard && stat -c '%a' hard
touch -d '2000-01-02 03:04:05' hard && stat -c '%Y' hard
find a -type f | sort
find . -name 'f' | sort
ls -1 a
dd if=/dev/zero of=zeros bs=512 count=4 2>/dev/null && stat -c '%s' zeros
rm -r moved && ls
[ -d a ] && [ -f a/b/c/f ] && [ -L a/link2 ] && echo "tests ok"
cat missing 2>&1 | sed 's/^.*: //'
