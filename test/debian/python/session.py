# Debian's python3 on both kernels: processes, threads, sockets, files, and C extension modules; output must not depend on timing.
import hashlib
import json
import multiprocessing
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading


def square(x):
    return x * x


def main():
    print("python", sys.version_info[:2] >= (3, 11), sys.platform, os.name)
    print("pid sane:", os.getpid() > 1, "ppid sane:", os.getppid() >= 1)

    # subprocess: a pipe both ways, an exit status, a shell
    r = subprocess.run(["/usr/bin/tr", "a-z", "A-Z"], input=b"shout\n", capture_output=True)
    print("tr:", r.stdout.decode().strip(), r.returncode)
    print("exit:", subprocess.call(["/usr/bin/sh", "-c", "exit 5"]))
    print("check_output:", subprocess.check_output("echo $((6 * 7))", shell=True).decode().strip())

    # os: fork, wait, pipes, environment, files
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(rfd)
        os.write(wfd, b"from the child")
        os._exit(9)
    os.close(wfd)
    data = os.read(rfd, 100)
    _, status = os.waitpid(pid, 0)
    print("fork:", data.decode(), os.WEXITSTATUS(status))

    # threads: a lock, a condition, results joined in order
    total = [0]
    lock = threading.Lock()

    def work(n):
        for _ in range(1000):
            with lock:
                total[0] += n
    threads = [threading.Thread(target=work, args=(i,)) for i in range(1, 5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("threads:", total[0], threading.active_count())

    # multiprocessing with fork: a pool and a queue
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(2) as pool:
        print("pool:", pool.map(square, range(6)))
    q = ctx.Queue()
    p = ctx.Process(target=q.put, args=("queued",))
    p.start()
    print("queue:", q.get(), end=" ")
    p.join()
    print(p.exitcode)

    # AF_UNIX sockets: a stream pair and a bound datagram socket
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    a.sendall(b"ping")
    print("socketpair:", b.recv(10).decode())
    a.close()
    b.close()
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "sock")
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        srv.bind(path)
        cli = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        cli.sendto(b"datagram", path)
        print("dgram:", srv.recv(100).decode())
        srv.close()
        cli.close()

        # files, json, sqlite3, hashlib
        f = os.path.join(d, "data.json")
        with open(f, "w") as out:
            json.dump({"b": [1, 2, 3], "a": {"x": None, "y": True}}, out, sort_keys=True)
        with open(f) as inp:
            print("json:", json.load(inp))
        db = sqlite3.connect(os.path.join(d, "t.db"))
        db.execute("create table t (k text primary key, v integer)")
        db.executemany("insert into t values (?, ?)", [("one", 1), ("two", 2), ("three", 3)])
        db.commit()
        print("sqlite:", db.execute("select k, v * 10 from t order by v desc").fetchall())
        db.close()
        print("files:", sorted(os.listdir(d)))
    print("sha256:", hashlib.sha256(b"Cadre").hexdigest()[:16], "md5:", hashlib.md5(b"").hexdigest()[:8])

    # signals: a handler runs, an alarm interrupts a sleep
    got = []
    signal.signal(signal.SIGUSR1, lambda s, f: got.append(s))
    os.kill(os.getpid(), signal.SIGUSR1)
    print("signal:", got == [signal.SIGUSR1])


if __name__ == "__main__":
    main()
