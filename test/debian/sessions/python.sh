# Debian's python3 with the part of its library the session uses (test/debian/python/session.py).
python3 /python/session.py
python3 -c 'import sys; print(sys.argv[1:], sys.executable)' one two
echo 'print(sum(range(101)))' | python3 -
