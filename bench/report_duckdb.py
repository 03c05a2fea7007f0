#!/usr/bin/env python3
"""Issue 5: DuckDB computes the violations report of one month from the raw rows qyzmet's
database exported as CSV (bench/report.sh), after converting them to Parquet, and the
figures are compared exactly with the report qyzmet produced in the same run
(`qyzmet-bench report`'s JSON).

The definitions are MISSION.md's ("The month of a violation", "Technical-cause
violations"), written here independently in SQL:
- an application belongs to month M when its deadline's local date (Asia/Almaty) is in M;
- on time: completed at or before the deadline, the completion known at the report's moment;
- running: not completed at the moment, and the deadline not passed or suspended;
- otherwise a violation; open when not completed at the moment;
- overdue days: the local date of completion (or of the moment) minus the planned date, never
  below 0;
- technical: a violation whose window [effective acceptance, deadline] an outage of every
  system, or of a system its service depends on, overlapped.

Usage: report_duckdb.py --dir EXPORT_DIR --report QYZMET_JSON [--runs N]
Prints the times and a verdict; exits 1 when any figure differs.
"""
import argparse
import json
import statistics
import sys
import time

import duckdb

ap = argparse.ArgumentParser()
ap.add_argument("--dir", required=True)
ap.add_argument("--report", required=True)
ap.add_argument("--runs", type=int, default=5)
args = ap.parse_args()
d = args.dir
ours = json.load(open(args.report))
month = ours["month"]
as_of = int(ours["as_of_us"])
y, m = map(int, month.split("-"))
first = f"{y:04d}-{m:02d}-01"
nxt = f"{y + (m == 12):04d}-{(m % 12) + 1:02d}-01"

con = duckdb.connect()
con.execute("SET TimeZone = 'Asia/Almaty'")
con.execute(
    "CREATE MACRO local_date(us) AS "
    "CAST(timezone('Asia/Almaty', timezone('UTC', make_timestamp(us))) AS DATE)"
)
con.execute("CREATE MACRO codes(s) AS list_filter(string_split(coalesce(s, ''), ','), lambda e: e <> '')")

columns = {
    "applications": {
        "exec_org_id": "BIGINT",
        "service_id": "BIGINT",
        "planned_date": "DATE",
        "deadline": "BIGINT",
        "effective_acceptance": "BIGINT",
        "actual_completion": "BIGINT",
        "suspended": "INTEGER",
    },
    "organizations": {"id": "BIGINT", "code": "VARCHAR", "path": "VARCHAR"},
    "services": {"id": "BIGINT", "code": "VARCHAR", "depends_on": "VARCHAR"},
    "outages": {
        "started_at": "BIGINT",
        "ended_at": "BIGINT",
        "all_systems": "INTEGER",
        "systems": "VARCHAR",
    },
}
t = time.perf_counter()
for name, cols in columns.items():
    spec = "{" + ", ".join(f"'{k}': '{v}'" for k, v in cols.items()) + "}"
    con.execute(
        f"COPY (SELECT * FROM read_csv('{d}/{name}.csv', header = true, columns = {spec})) "
        f"TO '{d}/{name}.parquet' (FORMAT parquet)"
    )
convert_s = time.perf_counter() - t
rows = con.execute(f"SELECT count(*) FROM '{d}/applications.parquet'").fetchone()[0]

QUERY = f"""
WITH month AS (
    SELECT a.*, actual_completion IS NOT NULL AND actual_completion <= {as_of} AS completed
    FROM '{d}/applications.parquet' a
    WHERE local_date(deadline) >= DATE '{first}' AND local_date(deadline) < DATE '{nxt}'
), judged AS (
    SELECT *,
        completed AND actual_completion <= deadline AS on_time,
        NOT completed AND ({as_of} <= deadline OR suspended = 1) AS running
    FROM month
), counted AS (
    SELECT *,
        NOT on_time AND NOT running AS violation,
        greatest(0, date_diff('day', planned_date,
            local_date(CASE WHEN completed THEN actual_completion ELSE {as_of} END))) AS days
    FROM judged
), technical AS (
    SELECT c.*, c.violation AND EXISTS (
        SELECT 1 FROM '{d}/outages.parquet' o, '{d}/services.parquet' s
        WHERE s.id = c.service_id
          AND (o.all_systems = 1 OR list_has_any(codes(o.systems), codes(s.depends_on)))
          AND o.started_at <= c.deadline
          AND (o.ended_at IS NULL OR o.ended_at >= c.effective_acceptance)
    ) AS technical
    FROM counted c
), cells AS (
    SELECT exec_org_id, service_id,
        count(*) AS due,
        count(*) FILTER (WHERE on_time) AS on_time,
        count(*) FILTER (WHERE violation) AS violations,
        count(*) FILTER (WHERE technical) AS technical,
        count(*) FILTER (WHERE violation AND NOT completed) AS open_overdue,
        coalesce(sum(days) FILTER (WHERE violation), 0) AS overdue_days
    FROM technical GROUP BY exec_org_id, service_id
), own AS (
    SELECT exec_org_id, sum(due) due, sum(on_time) on_time, sum(violations) violations,
        sum(technical) technical, sum(open_overdue) open_overdue, sum(overdue_days) overdue_days
    FROM cells GROUP BY exec_org_id
)
SELECT 'org' AS kind, o.code,
    coalesce(w.due, 0), coalesce(w.on_time, 0), coalesce(w.violations, 0),
    coalesce(w.technical, 0), coalesce(w.open_overdue, 0), coalesce(w.overdue_days, 0),
    (SELECT [coalesce(sum(x.due), 0), coalesce(sum(x.on_time), 0), coalesce(sum(x.violations), 0),
             coalesce(sum(x.technical), 0), coalesce(sum(x.open_overdue), 0),
             coalesce(sum(x.overdue_days), 0)]
     FROM own x JOIN '{d}/organizations.parquet' xo ON xo.id = x.exec_org_id
     WHERE starts_with(xo.path, o.path)) AS total
FROM '{d}/organizations.parquet' o LEFT JOIN own w ON w.exec_org_id = o.id
UNION ALL
SELECT 'service', s.code, sum(c.due), sum(c.on_time), sum(c.violations), sum(c.technical),
    sum(c.open_overdue), sum(c.overdue_days), NULL
FROM cells c JOIN '{d}/services.parquet' s ON s.id = c.service_id
GROUP BY s.code
"""

times = []
result = None
con.execute(QUERY).fetchall()  # warm-up: files into the page cache
for _ in range(args.runs):
    t = time.perf_counter()
    result = con.execute(QUERY).fetchall()
    times.append(time.perf_counter() - t)

theirs_orgs = {}
theirs_services = {}
for kind, code, *f in result:
    own = [int(x) for x in f[:6]]
    if kind == "org":
        theirs_orgs[code] = {"own": own, "total": [int(x) for x in f[6]]}
    else:
        theirs_services[code] = own
ours_orgs = {o["code"]: {"own": o["own"], "total": o["total"]} for o in ours["organizations"]}
ours_services = {s["code"]: s["figures"] for s in ours["services"]}

diffs = []
for code in sorted(set(ours_orgs) | set(theirs_orgs)):
    if ours_orgs.get(code) != theirs_orgs.get(code):
        diffs.append(("organization", code, ours_orgs.get(code), theirs_orgs.get(code)))
for code in sorted(set(ours_services) | set(theirs_services)):
    if ours_services.get(code) != theirs_services.get(code):
        diffs.append(("service", code, ours_services.get(code), theirs_services.get(code)))

totals = [0] * 6
for o in theirs_orgs.values():
    totals = [a + b for a, b in zip(totals, o["own"])]
ms = sorted(t * 1000 for t in times)
print(f"duckdb {duckdb.__version__}: {rows} application rows exported; CSV to Parquet {convert_s:.1f} s")
print(f"| DuckDB over Parquet, the same figures (every view) | {ms[0]:.1f} | {statistics.median(ms):.1f} | {ms[-1]:.1f} |")
print(
    f"month {month}: due {totals[0]}, on time {totals[1]}, violations {totals[2]}, technical {totals[3]}, "
    f"open overdue {totals[4]}, overdue days {totals[5]}; {len(theirs_orgs)} organizations, "
    f"{len(theirs_services)} services compared"
)
if diffs:
    print(f"DISAGREE: {len(diffs)} rows differ; first: {diffs[:5]}")
    sys.exit(1)
print("qyzmet = DuckDB: every figure of every organization (own and total) and service agrees")
