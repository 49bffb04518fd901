#!/usr/bin/env python3
"""Fills a SafeLoop database with generated hazards for bench/hazards.sh.

Adds rows until the demo tenant holds --total generated hazards (rows from earlier runs count), spread
over the three years before now: about 2 % still awaiting rectification (most of them overdue), 0.5 %
awaiting verification, 0.3 % in rework, the rest closed or archived — the shape of a plant that uses the
system. Codes continue each year's counter (hazard_code_counters), which is raised at the end. Events
are not generated: the board and the overdue list do not read them.

  hazards_gen.py --sqlite data/safeloop.db --total 100000
  hazards_gen.py --pg postgresql://… --psql /usr/lib/postgresql/15/bin/psql --total 100000
"""
import argparse
import random
import sqlite3
import subprocess
import sys
import time
import uuid

COLUMNS = ("id tenant_id code code_year code_seq title description category grade status source manage_type "
           "hazard_type management_class occurrence_link cost liable_person_id major_plan_json site_id department_id "
           "team_id location lat lng accuracy_m asset_id area photos_json change_order_no reporter_id reporter_team_id "
           "reporter_department_id assignee_id assignment_no reported_at due_at original_due_at assigned_at "
           "accepted_at submitted_at last_submitted_by closed_at archived_at acceptance_by acceptance_at "
           "acceptance_comment rework_rounds extension_count escalation_count pending_extension_id version "
           "updated_at").split()
TITLES = [("焊机接地线破损", "电气", 3), ("喷漆房可燃气体报警仪失灵", "仪表", 4), ("行车钢丝绳断丝", "设备", 7),
          ("氧气乙炔瓶间距不足5米", "安全", 1), ("消火栓被遮挡", "消防", 5), ("安全通道堆放物料", "总图", 6),
          ("静电接地跨接线断开", "电气", 3), ("吊钩防脱钩装置损坏", "设备", 7), ("砂轮机防护罩缺失", "设备", 7)]
DEADLINE_MIN = {"red": 120, "yellow": 1440, "blue": 4320}
HOUR = 3600 * 1000
DAY = 24 * HOUR
BEIJING = 8 * HOUR


def uuid7(ms, rng):
    rand = rng.getrandbits(74)
    value = (ms << 80) | (0x7 << 76) | ((rand >> 62) << 64) | (0b10 << 62) | (rand & ((1 << 62) - 1))
    return str(uuid.UUID(int=value))


def year_of(ms):
    return time.gmtime((ms + BEIJING) / 1000).tm_year


class Source:
    """What the generator needs from the database, through a small query interface."""

    def __init__(self, query):
        self.query = query
        self.tenant = query("SELECT id FROM tenants WHERE code = 'demo'")[0][0]
        self.site = (query(f"SELECT id FROM sites WHERE tenant_id = '{self.tenant}' LIMIT 1") or [[None]])[0][0]
        people = query("SELECT id, department_id, team_id FROM users WHERE tenant_id = '%s' AND disabled = 0 "
                       "AND team_id IS NOT NULL" % self.tenant)
        self.people = [tuple(p) for p in people]
        self.counters = {int(y): int(s) for y, s in query(
            f"SELECT year, last_seq FROM hazard_code_counters WHERE tenant_id = '{self.tenant}'")}
        self.existing = int(query(f"SELECT COUNT(*) FROM hazards WHERE tenant_id = '{self.tenant}' "
                                  "AND description = 'bench'")[0][0])


def rows(src, count, seed, now):
    rng = random.Random(seed)
    for _ in range(count):
        reported = now - rng.randrange(3 * 365 * DAY)
        title, category, htype = rng.choice(TITLES)
        r = rng.random()
        grade = "red" if r < 0.05 else ("yellow" if r < 0.35 else "blue")
        reporter = rng.choice(src.people)
        assignee = rng.choice(src.people)
        due = reported + DEADLINE_MIN[grade] * 60000
        year = year_of(reported)
        seq = src.counters.get(year, 0) + 1
        src.counters[year] = seq
        s = rng.random()
        if s < 0.020:
            status = rng.choice(["assigned", "accepted", "accepted"])
        elif s < 0.025:
            status = "submitted"
        elif s < 0.028:
            status = "rework"
        else:
            status = "archived" if reported < now - 40 * DAY else "closed"
        accepted = reported + rng.randrange(2, 40) * 60000 if status != "assigned" else None
        submitted = closed = archived = None
        if status in ("submitted", "closed", "archived", "rework"):
            submitted = (accepted or reported) + rng.randrange(1, 96) * 1800000
        if status in ("closed", "archived"):
            closed = submitted + rng.randrange(1, 48) * 1800000
        if status == "archived":
            archived = closed + 30 * DAY
        if status == "assigned":
            # not accepted: a recent report, or an old one nobody took
            pass
        last = max(t for t in (reported, accepted, submitted, closed, archived) if t is not None)
        yield [uuid7(reported, rng), src.tenant, f"YH-{year}-{seq:06d}", year, seq, title, "bench", category, grade,
               status, 1, 1, htype, 2, 5, None, None, None, src.site, assignee[1], assignee[2], "车间", 30.03, 120.58,
               5.0, f"BENCH-{rng.randrange(500):03d}", None, "[]", None, reporter[0], reporter[2], reporter[1],
               assignee[0], 1, reported, due, due, reported, accepted, submitted,
               assignee[0] if submitted else None, closed, archived, None, closed, None,
               1 if status == "rework" else 0, 0, 0, None, 1, last]


def copy_text(value):
    if value is None:
        return r"\N"
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sqlite")
    ap.add_argument("--pg")
    ap.add_argument("--psql", default="psql")
    ap.add_argument("--total", type=int, required=True)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    now = int(time.time() * 1000)
    started = time.time()
    if args.sqlite:
        db = sqlite3.connect(args.sqlite, isolation_level=None)
        db.execute("PRAGMA busy_timeout = 10000")
        src = Source(lambda sql: db.execute(sql).fetchall())
        count = max(0, args.total - src.existing)
        placeholders = ", ".join("?" for _ in COLUMNS)
        sql = f"INSERT INTO hazards ({', '.join(COLUMNS)}) VALUES ({placeholders})"
        db.execute("BEGIN")
        batch = []
        for row in rows(src, count, args.seed + src.existing, now):
            batch.append(row)
            if len(batch) == 5000:
                db.executemany(sql, batch)
                batch.clear()
        if batch:
            db.executemany(sql, batch)
        for year, seq in src.counters.items():
            db.execute("INSERT INTO hazard_code_counters (tenant_id, year, last_seq) VALUES (?, ?, ?) "
                       "ON CONFLICT (tenant_id, year) DO UPDATE SET last_seq = MAX(last_seq, excluded.last_seq)",
                       (src.tenant, year, seq))
        db.execute("COMMIT")
        db.execute("ANALYZE")
        db.close()
    else:
        def query(sql):
            out = subprocess.run([args.psql, args.pg, "-tAF", "\t", "-c", sql], check=True, capture_output=True,
                                 text=True).stdout
            return [line.split("\t") for line in out.splitlines() if line]
        src = Source(query)
        count = max(0, args.total - src.existing)
        counters_sql = []
        proc = subprocess.Popen([args.psql, args.pg, "-q", "-v", "ON_ERROR_STOP=1", "-c",
                                 f"COPY hazards ({', '.join(COLUMNS)}) FROM STDIN"], stdin=subprocess.PIPE, text=True)
        for row in rows(src, count, args.seed + src.existing, now):
            proc.stdin.write("\t".join(copy_text(v) for v in row) + "\n")
        proc.stdin.close()
        if proc.wait() != 0:
            sys.exit("COPY failed")
        for year, seq in src.counters.items():
            counters_sql.append(f"INSERT INTO hazard_code_counters (tenant_id, year, last_seq) VALUES "
                                f"('{src.tenant}', {year}, {seq}) ON CONFLICT (tenant_id, year) DO UPDATE SET "
                                f"last_seq = GREATEST(hazard_code_counters.last_seq, excluded.last_seq);")
        subprocess.run([args.psql, args.pg, "-q", "-v", "ON_ERROR_STOP=1", "-c", "\n".join(counters_sql)], check=True)
        # What autovacuum does on a live database after a bulk load: statistics, and the visibility map that
        # lets index-only scans (the board's counts) skip the table. Its own call: VACUUM refuses a transaction.
        subprocess.run([args.psql, args.pg, "-q", "-v", "ON_ERROR_STOP=1", "-c", "VACUUM (ANALYZE) hazards"],
                       check=True)
    print(f"generated {count} hazards in {time.time() - started:.1f}s (total generated {args.total})",
          file=sys.stderr)


if __name__ == "__main__":
    main()
