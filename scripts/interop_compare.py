"""Compares every cell openpyxl reads from an XLSX with `uchet inspect` JSON lines."""
import argparse, datetime as dt, json, sys
import openpyxl

ap = argparse.ArgumentParser()
ap.add_argument("xlsx"); ap.add_argument("jsonl"); ap.add_argument("--label", default="openpyxl")
a = ap.parse_args()

def norm(v):
    if isinstance(v, bool): return ("bool", v)
    if isinstance(v, (int, float)): return ("number", float(v))
    if isinstance(v, dt.datetime):
        return ("date", v.date().isoformat() if v.time() == dt.time(0) else v.replace(microsecond=0).isoformat())
    if isinstance(v, dt.date): return ("date", v.isoformat())
    return ("string", str(v))

wb = openpyxl.load_workbook(a.xlsx, data_only=True)
theirs = {}
for ws in wb.worksheets:
    for c in list(ws._cells.values()):
        if c.value is None or c.value == "": continue
        theirs[(ws.title, c.coordinate)] = norm(c.value) if c.data_type != "e" else ("error", c.value)
ours = {}
for line in open(a.jsonl, encoding="utf-8"):
    o = json.loads(line)
    v = o["value"]
    ours[(o["sheet"], o["ref"])] = (o["type"], float(v) if o["type"] == "number" else v)
bad = [(k, ours.get(k), theirs.get(k)) for k in sorted(set(ours) | set(theirs)) if ours.get(k) != theirs.get(k)]
for k, o, t in bad[:20]:
    print(f"  {k[0]}!{k[1]}: uchet {o}, {a.label} {t}")
print(f"{a.label}: {len(theirs)} cells, {len(bad)} differ from what uchet wrote")
sys.exit(1 if bad else 0)
