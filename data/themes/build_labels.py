"""Assemble data/themes/labels.jsonl from the labelling passes, and print their agreement.

    .venv/bin/python data/themes/build_labels.py            # write labels.jsonl, print agreement
    .venv/bin/python data/themes/build_labels.py --check    # only print agreement

Inputs (this folder): texts.jsonl (id, group, register, kind, text), pass_a.jsonl (the
writer's labels), pass_b.jsonl (a second reader's, blind to pass A), pass_c.jsonl (a third
reader's decision on every text where A and B differ, seeing both). The final label is A
where A and B agree, else C.

Split by meaning: paraphrases share a writer's group, and any two texts whose word sets
overlap by >= 0.6 (Jaccard; the same statement with a swapped quantifier) are joined into one
group as well; a whole group goes to held_out when sha256(group) mod 100 < 20.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
HELD_OUT_PERCENT = 20
SAME_WORDING = 0.6


def read(name: str) -> dict[str, dict]:
    rows = {}
    for line in (HERE / name).read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            rows[row["id"]] = row
    return rows


def meaning_groups(texts: dict[str, dict]) -> dict[str, str]:
    """id -> group key: writer groups joined with every near-identical wording elsewhere."""
    ids = sorted(texts)
    parent = {i: i for i in ids}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(a: str, b: str) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    by_group = defaultdict(list)
    for i in ids:
        by_group[texts[i]["group"]].append(i)
    for members in by_group.values():
        for other in members[1:]:
            join(members[0], other)
    words = {i: frozenset(re.findall(r"[a-z]+", texts[i]["text"].lower())) for i in ids}
    index = defaultdict(set)  # rare-word index: only texts sharing a word are compared
    for i in ids:
        for w in words[i]:
            index[w].add(i)
    for i in ids:
        candidates = set()
        for w in words[i]:
            if len(index[w]) < 200:
                candidates |= index[w]
        for j in candidates:
            if j > i:
                a, b = words[i], words[j]
                if len(a & b) >= SAME_WORDING * len(a | b):
                    join(i, j)
    return {i: root(i) for i in ids}


def split_of(group: str) -> str:
    bucket = int(hashlib.sha256(group.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "held_out" if bucket < HELD_OUT_PERCENT else "train"


def agreement(first: dict[str, set], second: dict[str, set], ids: list[str]) -> dict:
    """Per theme and micro: F1 of one pass against the other (symmetric: 2|A&B| / (|A|+|B|))."""
    per = defaultdict(lambda: [0, 0, 0])
    for i in ids:
        for t in first[i] | second[i]:
            per[t][0] += t in first[i] and t in second[i]
            per[t][1] += t in first[i]
            per[t][2] += t in second[i]
    both = sum(v[0] for v in per.values())
    total = sum(v[1] + v[2] for v in per.values())
    out = {t: 2 * v[0] / (v[1] + v[2]) for t, v in per.items()}
    out["micro"] = 2 * both / total if total else 1.0
    out["macro"] = sum(out[t] for t in per) / len(per) if per else 1.0
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only print agreement")
    args = parser.parse_args()
    texts = read("texts.jsonl")
    passes = {name: {i: set(r["themes"]) for i, r in read(f"pass_{name}.jsonl").items()}
              for name in ("a", "b", "c")}
    ids = sorted(texts)
    missing = [i for i in ids if i not in passes["a"] or i not in passes["b"]]
    if missing:
        raise SystemExit(f"{len(missing)} texts lack pass A or B labels, e.g. {missing[0]}")
    disputed = [i for i in ids if passes["a"][i] != passes["b"][i]]
    unsettled = [i for i in disputed if i not in passes["c"]]
    if unsettled:
        raise SystemExit(f"{len(unsettled)} disputed texts have no pass C, e.g. {unsettled[0]}")
    final = {i: passes["c"][i] if i in disputed else passes["a"][i] for i in ids}
    a_b = agreement(passes["a"], passes["b"], ids)
    a_f = agreement(passes["a"], final, ids)
    b_f = agreement(passes["b"], final, ids)
    print(f"{len(ids)} texts, {len(disputed)} disputed (settled by pass C)")
    print(f"{'theme':32} {'A~B':>6} {'A~final':>8} {'B~final':>8}")
    for theme in sorted(a_b, key=lambda t: (t in ("micro", "macro"), a_b[t])):
        print(f"{theme:32} {a_b[theme]:6.3f} {a_f.get(theme, 1):8.3f} {b_f.get(theme, 1):8.3f}")
    if args.check:
        return
    groups = meaning_groups(texts)
    out = []
    for i in ids:
        t = texts[i]
        out.append({"id": i, "group": groups[i], "split": split_of(groups[i]),
                    "register": t["register"], "kind": t["kind"], "text": t["text"],
                    "themes": sorted(final[i])})
    (HERE / "labels.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out), encoding="utf-8")
    held = sum(r["split"] == "held_out" for r in out)
    print(f"wrote labels.jsonl: {len(out)} texts, {len(set(groups.values()))} meaning groups, "
          f"{len(out) - held} train / {held} held_out")


if __name__ == "__main__":
    main()
