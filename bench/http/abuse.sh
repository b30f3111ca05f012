#!/bin/sh
# bench/http/abuse.sh - what an unauthenticated client can take from the
# server (issue 17), with the figures for RESULTS.md:
#   1. pre-authentication memory: N sockets announce a 29 MiB import with no
#      credentials and try to send it; the server's RSS before, during, after;
#   2. slow clients: M sockets from one address (127.0.0.1) trickle a request
#      head; how many the server keeps, how long until they are cut, and the
#      latency of a request from another address (127.0.0.2) meanwhile;
#   3. authenticated uploads: N clients each POST a units CSV of S MiB (30) to
#      /api/v1/import at once (bodies were held in memory up to --max-buffered;
#      now they go to temporary files); the file's rows are refused by the
#      import (a 400 after reading every row), so the figure is about the
#      bodies, not the ledger: the answers, peak VmRSS and RssAnon (sampled
#      every 20 ms), wall time.
#   [SERVE_ARGS="--header-timeout 10"] bench/http/abuse.sh build/release/zhucun [N] [M] [S]
set -eu
ZHUCUN=$(realpath "${1:?usage: abuse.sh ZHUCUN [UPLOADS] [SLOW]}")
N=${2:-20}
M=${3:-1000}
S=${4:-30}
T=$(mktemp -d)
PORT=$((19500 + $$ % 400))
PID=""
cleanup() {
    [ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT INT TERM
export ZHUCUN_DB="$T/a.db"
"$ZHUCUN" init >/dev/null
mkdir -p "$T/web"
echo '<!doctype html><title>x</title>' >"$T/web/index.html"
echo "bench-upload-9x" | "$ZHUCUN" user add adm --role admin --password-stdin >/dev/null
python3 -c "import sys; n=int(sys.argv[1]) << 20; h='单位代码,单位名称\n'; r='x1,某单位\n'; sys.stdout.write(h + r * ((n - len(h.encode())) // len(r.encode())))" "$S" >"$T/up.csv"
"$ZHUCUN" serve --listen "127.0.0.1:$PORT" --web "$T/web" --threads 4 ${SERVE_ARGS:-} 2>"$T/log" &
PID=$!
i=0
until curl -s -o /dev/null "http://127.0.0.1:$PORT/" || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
python3 - "$PORT" "$PID" "$N" "$M" <<'PY'
import socket, sys, threading, time
port, pid, n, m = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
def rss():
    with open("/proc/%s/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
def upload(out):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"POST /api/v1/import?kind=units HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\n"
              b"Content-Length: 31457280\r\n\r\n")
    sent, chunk = 0, b"a" * 65536
    try:
        s.settimeout(10)
        while sent < 29 << 20:
            sent += s.send(chunk)
    except OSError:
        pass
    try:
        out.append((sent, s.recv(100).split(b"\r\n", 1)[0].decode()))
    except OSError:
        out.append((sent, "closed"))
    s.close()
before = rss()
res = []
ts = [threading.Thread(target=upload, args=(res,)) for _ in range(n)]
peak = before
for t in ts:
    t.start()
while any(t.is_alive() for t in ts):
    peak = max(peak, rss())
    time.sleep(0.05)
print("pre-auth uploads: %d sockets x 29 MiB announced: RSS %d MB before, %d MB peak, %d MB after;"
      " body bytes the server took per socket: max %d KiB; answers: %s"
      % (n, before, peak, rss(), max(r[0] for r in res) // 1024,
         sorted(set(r[1] for r in res))))

# Slow clients from 127.0.0.1, a probe from 127.0.0.2.
held, t0 = [], time.time()
for _ in range(m):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=2)
        s.sendall(b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n")
        held.append(s)
    except OSError:
        pass
def alive(s):
    try:
        s.setblocking(False)
        return s.recv(1) != b""
    except BlockingIOError:
        return True
    except OSError:
        return False
def probe():
    t = time.time()
    try:
        c = socket.socket()
        c.bind(("127.0.0.2", 0))
        c.settimeout(10)
        c.connect(("127.0.0.1", port))
        c.sendall(b"GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        ok = c.recv(20).startswith(b"HTTP/1.1 200")
        c.close()
        return "%.1f ms" % ((time.time() - t) * 1000) if ok else "error"
    except OSError as e:
        return "failed (%s)" % e
time.sleep(0.5)
kept = sum(alive(s) for s in held)
p = probe()
cut = None
while time.time() - t0 < 120:
    for s in held:
        try:
            s.setblocking(True)
            s.settimeout(0.01)
            s.send(b"X")  # one byte: resets MHD's idle timeout
        except OSError:
            pass
    if not any(alive(s) for s in held):
        cut = time.time() - t0
        break
    time.sleep(1)
print("slow clients: %d opened from one address, %d kept by the server, probe from another "
      "address %s, all cut after %s" % (m, kept, p, "%.0f s" % cut if cut else "> 120 s"))
PY
TOK=$(curl -s -H 'Content-Type: application/json' --data-binary '{"user":"adm","password":"bench-upload-9x"}' "http://127.0.0.1:$PORT/api/v1/session" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
python3 - "$PORT" "$PID" "$N" "$T/up.csv" "$TOK" <<'PY'
import subprocess, sys, threading, time
port, pid, n, path, tok = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
def status():
    out = {}
    with open("/proc/%s/status" % pid) as f:
        for line in f:
            k, v = line.split(":", 1)
            out[k] = v.strip()
    return int(out["VmRSS"].split()[0]) // 1024, int(out["RssAnon"].split()[0]) // 1024
base = status()
peak = list(base)
done = False
def sample():
    while not done:
        r, a = status()
        peak[0] = max(peak[0], r)
        peak[1] = max(peak[1], a)
        time.sleep(0.02)
th = threading.Thread(target=sample)
th.start()
t0 = time.time()
procs = [subprocess.Popen(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-T", path,
                           "-H", "Authorization: Bearer " + tok, "-H", "Content-Type: text/csv",
                           "http://127.0.0.1:%d/api/v1/import?kind=units" % port],
                          stdout=subprocess.PIPE) for _ in range(n)]
codes = [p.communicate()[0].decode() for p in procs]
wall = time.time() - t0
done = True
th.join()
after = status()
tally = {}
for c in codes:
    tally[c] = tally.get(c, 0) + 1
print("authenticated uploads: clients=%d statuses=%s rss_mib: before=%d peak=%d after=%d; anon_mib: before=%d peak=%d; wall_s=%.1f"
      % (n, ",".join("%sx%d" % kv for kv in sorted(tally.items())), base[0], peak[0], after[0], base[1], peak[1], wall))
PY
