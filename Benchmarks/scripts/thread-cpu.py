#!/usr/bin/env python3
"""Where a `governor bench` phase spends its CPU, thread by thread.

    [TIMELINE=1] chrt -r 2 Benchmarks/scripts/thread-cpu.py START END COMMAND...

Runs COMMAND, samples the CPU time of every thread of every `governor` process every
50 ms (/proc/<pid>/task/*/stat), stamps COMMAND's stderr lines, and prints the CPU
seconds per process and per thread name between the first stderr line containing START
and the first containing END; TIMELINE=1 adds a table of the busiest threads per 100 ms.
Run it one real-time priority above a `chrt -r 1` bench, or the bench starves it.
Example (the warm phase of stage c):

    TIMELINE=1 chrt -r 2 Benchmarks/scripts/thread-cpu.py "(c) warm" "restarting governor run" \
        chrt -r 1 .build/release/governor bench --events 50000 --workspaces 96 --json
"""
import os, subprocess, sys, threading, time, re, collections
START, END = sys.argv[1], sys.argv[2]
cmd = sys.argv[3:]
tick = os.sysconf('SC_CLK_TCK')
samples = []  # (t, {(pid,comm,tid,tcomm): cpu})
stop = False
def sample():
    while not stop:
        now = time.time(); snap = {}
        for pid in os.listdir('/proc'):
            if not pid.isdigit(): continue
            try:
                comm = open(f'/proc/{pid}/comm').read().strip()
                if comm != 'governor': continue
                for tid in os.listdir(f'/proc/{pid}/task'):
                    st = open(f'/proc/{pid}/task/{tid}/stat').read()
                    tcomm = st[st.index('(')+1:st.rindex(')')]
                    f = st[st.rindex(')')+2:].split()
                    snap[(pid, tid, tcomm)] = (int(f[11]) + int(f[12])) / tick
            except Exception: pass
        samples.append((now, snap)); time.sleep(0.05)
th = threading.Thread(target=sample); th.start()
p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
marks = {}
def err():
    for line in p.stderr:
        t = time.time(); sys.stderr.write(f'{t:.2f} {line}')
        if START in line and 'start' not in marks: marks['start'] = t
        if END in line and 'end' not in marks: marks['end'] = t
et = threading.Thread(target=err); et.start()
out = p.stdout.read(); p.wait(); et.join(); stop = True; th.join()
print(out)
if 'start' in marks and 'end' in marks:
    def at(t, k):
        v = 0.0
        for ts, snap in samples:
            if ts > t: break
            if k in snap: v = snap[k]
        return v
    wall = marks['end'] - marks['start']
    keys = set(k for _, snap in samples for k in snap)
    per = collections.Counter(); byproc = collections.Counter()
    for k in keys:
        d = at(marks['end'], k) - at(marks['start'], k)
        if d > 0: per[(k[0], k[2])] += d; byproc[k[0]] += d
    print(f'window {wall:.2f} s wall')
    for pid, d in byproc.most_common(): print(f'  pid {pid}: {d:.2f} s CPU ({d/wall:.2f} cores)')
    for (pid, name), d in per.most_common(25): print(f'    {pid} {name:20s} {d:.2f}')
    if os.environ.get('TIMELINE'):
        names = [n for (pid, n), d in per.most_common(8)]
        pids = {}
        print('t(ms)  ' + '  '.join(f'{pid[-3:]}:{n[:12]:12s}' for (pid, n), d in per.most_common(8)))
        top = [k for k, d in per.most_common(8)]
        t = marks['start']; step = 0.1
        while t < marks['end']:
            row = []
            for (pid, name) in top:
                tot = 0.0
                for k in keys:
                    if k[0] == pid and k[2] == name: tot += at(t + step, k) - at(t, k)
                row.append(tot)
            print(f'{(t-marks["start"])*1000:5.0f}  ' + '  '.join(f'{v*1000:16.0f}' for v in row))
            t += step
