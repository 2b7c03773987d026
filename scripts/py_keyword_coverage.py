#!/usr/bin/env python3
"""What a user would otherwise write: a Python pipeline with jieba that reads every answer in a
folder, cuts it, and counts which of a rubric's keywords it holds (keyword coverage per file,
written as CSV). The baseline of issue 7's "at least 30x faster" (pip install jieba pyyaml).

usage: py_keyword_coverage.py RUBRIC.yaml DIR > out.csv"""
import csv, os, sys
import jieba, yaml

def terms(rubric):
    out = []
    for p in rubric.get("points") or rubric.get("得分点") or []:
        ts = list(p.get("keywords") or p.get("关键词") or [])
        for g in p.get("groups") or p.get("组") or []:
            ts += g.get("terms") or g.get("词") or []
        out.append((p.get("id") or p.get("编号") or "", [str(t) for t in ts]))
    return out

def main():
    rubric = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
    points = terms(rubric)
    jieba.initialize()
    w = csv.writer(sys.stdout)
    w.writerow(["file"] + [p for p, _ in points])
    for root, _, files in sorted(os.walk(sys.argv[2])):
        for f in sorted(files):
            path = os.path.join(root, f)
            try:
                text = open(path, encoding="utf-8").read()
            except (UnicodeDecodeError, OSError):
                continue
            words = set(jieba.lcut(text))
            w.writerow([path] + [sum(1 for t in ts if t in words or t in text) for _, ts in points])

if __name__ == "__main__":
    main()
