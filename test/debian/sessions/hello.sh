# The smallest dynamically linked programs: the loader, libc start-up and exit statuses.
/usr/bin/true; echo "true: $?"
/usr/bin/false; echo "false: $?"
echo hello | /usr/bin/cat
/usr/bin/env -i A=1 B=2 /usr/bin/env
