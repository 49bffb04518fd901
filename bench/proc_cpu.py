#!/usr/bin/env python3
"""CPU seconds (user + system) used so far, from /proc, for the benchmark scripts.

  proc_cpu.py PID        one process (the safeloop server; SQLite runs inside it)
  proc_cpu.py pg PGROOT  a whole PostgreSQL cluster of scripts/pg-test.sh: the postmaster, the children it has
                         reaped, and its live children (backends, autovacuum, checkpointer, WAL writer); 0 when the
                         cluster is not running
"""
import os
import sys

TICK = os.sysconf('SC_CLK_TCK')


def stat(pid):
    return open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()


def process(pid):
    f = stat(pid)
    return int(f[11]) + int(f[12])  # utime stime


def cluster(pgroot):
    try:
        master = open(os.path.join(pgroot, 'data', 'postmaster.pid')).readline().strip()
        total = sum(int(x) for x in stat(master)[11:15])  # utime stime cutime cstime
    except (OSError, ValueError):
        return 0
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            f = stat(pid)
        except OSError:
            continue
        if f[1] == master:
            total += int(f[11]) + int(f[12])
    return total


if __name__ == '__main__':
    ticks = cluster(sys.argv[2]) if sys.argv[1] == 'pg' else process(sys.argv[1])
    print(ticks / TICK)
