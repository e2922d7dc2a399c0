#!/usr/bin/env python3
"""Builds the plain-language checker's data files in data/plain/ from their upstream sources.

Only needed when the sources change; the build and the program never run it. Standard library only.
data/plain/SOURCES.md gives the commands that fetch the inputs and run this script.

  make-data.py --cmudict DIR --hyphen DIR --lists DIR --readability DIR --out data/plain

  --cmudict      the unpacked npm package cmudict@1.0.2 (its package/ folder)
  --hyphen       the unpacked Debian package hyphen-en-us 2.8.8-7 (the folder holding usr/)
  --lists        the folder of open plain-language word lists (../shared/data/plain-language)
  --readability  the folder of textstat reference cases (../shared/data/readability)
"""
import argparse
import csv
import hashlib
import json
import re
import shutil
from pathlib import Path

# --- CMUdict -> one syllable count per headword ----------------------------------------------

# textstat asks NLTK's copy of cmudict 0.7a, a later revision than the npm package's [102007]
# file. Across the 1,539 reference words found in the dictionary the two disagree on one word:
# NLTK's copy lists "nov" (November) first, with three syllables; the npm file has only N OW1 V.
CMUDICT_OVERRIDES = {"nov": 3}

# A token the checker looks up is made of word characters and straight apostrophes only, so a
# headword with anything else in it (a full stop, a hyphen, an opening quote mark) can never match.
POSSIBLE_TOKEN = re.compile(r"^[a-z0-9_']+$")


def cmudict_table(src: Path, out: Path):
    raw = (src / "lib/cmu/cmudict.0.7a").read_bytes().decode("latin-1")
    notice, counts = [], {}
    for line in raw.split("\n"):
        if line.startswith(";;;"):
            notice.append(line)
            continue
        if not line.strip():
            continue
        head, phones = line.split("  ", 1)
        if re.search(r"\(\d+\)$", head):
            continue  # a later alternative: textstat takes the first pronunciation only
        word = head.lower()
        if word in counts or not POSSIBLE_TOKEN.match(word):
            continue
        counts[word] = sum(1 for p in phones.split() if p[-1].isdigit())
    for w, n in CMUDICT_OVERRIDES.items():
        counts[w] = n
    # The copyright block is lines 9 to 45 of the file's header; keep it word for word.
    start = next(i for i, l in enumerate(notice) if "Copyright (C)" in l) - 1
    end = next(i for i, l in enumerate(notice) if l.startswith(";;; # ====") and i > start + 1) + 1
    block = [l[4:] if l.startswith(";;; ") else l[3:] for l in notice[start:end]]
    (out / "cmudict.LICENSE").write_text("\n".join(block) + "\n", encoding="utf-8")
    lines = [
        "# Syllables per word from the CMU Pronouncing Dictionary 0.7a (npm package cmudict@1.0.2):",
        "# the number of stressed phonemes in each word's first pronunciation. Derived and changed",
        "# file: see SOURCES.md. Sorted by byte value for binary search. The original notice follows.",
    ] + ["#" + (" " + l if l else "") for l in block]
    for w in sorted(counts, key=lambda s: s.encode()):
        lines.append(f"{w} {counts[w]}")
    (out / "cmudict-syllables.txt").write_text("\n".join(lines) + "\n", encoding="ascii")
    return len(counts)


# --- Jargon list ----------------------------------------------------------------------------

# Entries left out, with the reason. Either they mean something ordinary in UK public services
# (an address is where you live; benefits are payments; a permit lets you park), or they are
# US military or office terms, placeholders, or so common that flagging them would bury the
# useful warnings.
DROP = {
    "a and/or b": "placeholder; 'and/or' is kept",
    "/ (slash)": "punctuation, not a word",
    "for example,______etc.": "placeholder",
    "not later than 10 may": "placeholder; 'not later than' is kept",
    "not later than 1600": "placeholder; 'not later than' is kept",
    "address": "usually a postal address in UK services",
    "addressees": "US office usage",
    "addressees are requested": "US office usage",
    "aircraft": "US military list",
    "arrive onboard": "US military list",
    "combat environment": "US military list",
    "this activity": "US military list",
    "command": "US military list",
    "your office": "US office usage",
    "benefit": "a benefit is a payment in the UK",
    "benefit from": "ordinary use",
    "permit": "a permit (parking, bus) is an ordinary noun",
    "subject": "ordinary use",
    "type": "ordinary use ('type your name')",
    "vice": "ordinary use ('vice chair')",
    "function": "ordinary use",
    "forward": "ordinary use ('look forward to')",
    "said": "ordinary use",
    "some": "ordinary use",
    "such": "ordinary use",
    "it is": "too common to flag",
    "there is": "too common to flag",
    "there are": "too common to flag",
    "very": "too common to flag",
    "however": "too common to flag",
    "request": "ordinary use ('request a bin')",
    "remain": "ordinary use",
    "option": "ordinary use",
    "maximum": "ordinary use",
    "minimum": "ordinary use",
    "previous": "ordinary use",
    "previously": "ordinary use",
    "combined": "ordinary use",
    "contains": "ordinary use",
    "effect": "usually a noun; the list's advice is for the verb",
    "economical": "the suggested word changes the meaning",
    "took advantage of": "the suggested word changes the meaning",
    "overall": "ordinary use",
    "literally": "style, not jargon",
    "all of": "too common to flag",
    "not many": "ordinary use",
    "not often": "ordinary use",
    "in between": "ordinary use",
    "time period": "advice was 'either one', not an alternative",
    "aforementioned": "the suggested alternative was an instruction, replaced below",
    "limited number": "the suggested alternative changes the meaning",
    "honest truth": "style, not jargon",
    "residence": "ordinary use in housing",
    "elect": "ordinary use in councils (elected members)",
    "interface": "ordinary use for computers",
    "selection": "ordinary use",
    "initial": "ordinary use",
    "equipments": "a US grammar note",
    "females": "kept out: the advice is about respect, not plain words",
    "component": "ordinary use",
    "depart": "ordinary use for transport",
    "for example": "already the plain form (the source row was a placeholder)",
    "key": "ordinary use in care ('key safe', 'key worker')",
    "drive": "ordinary use",
    "progress": "usually a noun ('progress report')",
    "agenda": "usually a meeting's agenda",
}

# Our fixes to alternatives that were wrong, odd or US-only in the sources.
FIX_ALTERNATIVES = {
    "aforementioned": ["this", "that", "these"],
    "and/or": ["or", "and", "or both"],
    "minimize": ["cut", "reduce"],
    "minimise": ["cut", "reduce"],
    "notwithstanding": ["despite", "in spite of", "still"],
    "purchase": ["buy"],
    "failed to": ["did not"],
    "interpose no objection": ["do not object"],
    "is responsible for": ["handles", "runs"],
    "implement": ["carry out", "put in place", "start"],
    "e.g.": ["for example", "such as"],
    "i.e.": ["that is"],
    "it is requested": ["please"],
}

# GOV.UK's 'words to avoid' gives words without replacements. The alternatives and notes here are
# our own, written for this list.
GOVUK = [
    ("advancing", ["improving", "moving forward"], ""),
    ("collaborate", ["work with"], ""),
    ("combating", ["fighting", "reducing"], ""),
    ("commit", ["will", "promise"], "say what you will do"),
    ("pledge", ["will", "promise"], "say what you will do"),
    ("countering", ["stopping", "fighting"], ""),
    ("deliver", ["run", "give", "do"], "fine for post and parcels"),
    ("deploy", ["use", "put in place"], "fine for software"),
    ("dialogue", ["talk", "talking", "discussion"], ""),
    ("disincentivise", ["discourage"], ""),
    ("incentivise", ["encourage"], ""),
    ("empower", ["help", "let", "allow"], ""),
    ("facilitate", ["help", "run", "make easier"], "say how you help"),
    ("focusing", ["working on"], ""),
    ("foster", ["encourage", "build"], "fine for fostering children"),
    ("impact", ["affect", "effect", "change"], "fine as a noun for a hit or crash"),
    ("initiate", ["start"], ""),
    ("leverage", ["use"], "fine in the financial sense"),
    ("liaise", ["work with", "talk to"], ""),
    ("overarching", ["overall", "main"], ""),
    ("promote", ["encourage", "support"], "fine for advertising"),
    ("robust", ["strong", "well tested"], ""),
    ("slimming down", ["reducing", "cutting"], ""),
    ("streamline", ["simplify", "make simpler"], ""),
    ("strengthening", ["improving", "making stronger"], "fine for bridges and buildings"),
    ("tackling", ["dealing with", "reducing"], "fine for sport"),
    ("transforming", ["changing", "improving"], "say what you are changing"),
    ("utilise", ["use"], ""),
    ("drive out", ["remove", "get rid of"], ""),
    ("going forward", ["from now on", "in future"], ""),
    ("in order to", ["to"], ""),
    ("one-stop shop", ["one place", "single place"], ""),
    ("ring fencing", ["setting aside", "keeping for"], ""),
    ("ring-fenced", ["set aside", "kept for"], ""),
]

# Public-sector jargon common in UK councils and the NHS, with our own alternatives.
OWN = [
    ("signpost", ["point you to", "tell you about"], ""),
    ("signposting", ["pointing people to", "telling people about"], ""),
    ("stakeholders", ["people involved", "people and groups affected"], ""),
    ("service users", ["people who use services", "you"], ""),
    ("in due course", ["soon", "later"], ""),
    ("touch base", ["talk", "get in touch"], ""),
    ("capacity building", ["training", "helping groups grow"], ""),
    ("best practice", ["what works well"], ""),
    ("holistic", ["whole", "complete"], ""),
    ("multi-agency", ["with other services"], ""),
    ("outcomes", ["results", "what changes"], ""),
    ("co-production", ["working together", "planning together"], ""),
    ("co-produce", ["work together", "plan together"], ""),
    ("pathway", ["steps", "route"], ""),
    ("early intervention", ["early help"], ""),
    ("person-centred", ["built around you", "built around the person"], ""),
    ("in line with", ["following", "under"], ""),
    ("with immediate effect", ["now", "from today"], ""),
    ("cascade", ["pass on", "share"], ""),
]

# US spellings in the sources, and the UK spelling each entry should also match.
US_TO_UK = {
    "endeavor": "endeavour",
    "honor": "honour",
    "program": "programme",
}
IZE = re.compile(r"\b([a-z]+)iz(e|es|ed|ing|ation|ations)\b")
IZE_KEEP = {"size", "seize", "prize", "capsize", "baize"}


def uk(text: str) -> str:
    def swap(m):
        word = m.group(0)
        return word if word in IZE_KEEP else m.group(1) + "is" + m.group(2)

    text = IZE.sub(swap, text)
    for us, gb in US_TO_UK.items():
        text = re.sub(rf"\b{us}\b", gb, text)
    return text.replace("didn’t", "did not").replace("don’t", "do not").replace("inspite", "in spite")


def jargon_list(lists: Path, out: Path):
    entries = {}  # phrase -> {"alt": [...], "omit": bool, "note": str, "src": set()}

    def add(phrase, alternatives, omit, note, src):
        phrase = phrase.strip().lower()
        if phrase in DROP or not phrase or "_" in phrase or "\\" in phrase:
            return
        e = entries.setdefault(phrase, {"alt": [], "omit": False, "note": "", "src": set()})
        for a in alternatives:
            a = uk(a.strip())
            if a and a not in e["alt"]:
                e["alt"].append(a)
        e["omit"] = e["omit"] or omit
        e["note"] = e["note"] or note
        e["src"].add(src)

    with open(lists / "plain-alternatives.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            alts = [a.strip() for a in row["alternatives"].split(",")]
            omit = any(a.startswith("(omit)") for a in alts)
            alts = [re.sub(r"^\(omit\)\s*", "", a) for a in alts]
            for phrase in row["phrase"].split(","):
                add(phrase, alts, omit, "", "plainlanguage.gov")
    for phrase, v in json.loads((lists / "retext-simplify_index.json").read_text(encoding="utf-8")).items():
        alts = [a for a in v.get("replace", []) if a not in ("(omit)", "remove") and "…" not in a]
        add(phrase, alts, bool(v.get("omit")) or "(omit)" in v.get("replace", []), "", "retext-simplify")
    for phrase, alts, note in GOVUK:
        add(phrase, alts, False, note, "gov.uk")
    for phrase, alts, note in OWN:
        add(phrase, alts, False, note, "coproduce")
    for phrase, alts in FIX_ALTERNATIVES.items():
        if phrase in entries:
            entries[phrase]["alt"] = alts
        else:
            add(phrase, alts, False, "", "coproduce")
    # A UK spelling of a US entry matches too, with the same advice.
    for phrase in list(entries):
        gb = uk(phrase)
        if gb != phrase and gb not in entries:
            e = entries[phrase]
            entries[gb] = {"alt": list(e["alt"]), "omit": e["omit"], "note": e["note"], "src": set(e["src"])}
    for phrase, e in entries.items():
        if not e["alt"] and not e["omit"]:
            raise SystemExit(f"jargon entry without advice: {phrase}")

    header = [
        "# Jargon words and phrases with plainer alternatives, for UK public-service writing.",
        "# Columns: phrase, alternatives (separated by |), omit (1: the phrase can often just be",
        "# left out), note (when the word is fine), sources. Built by src/modules/plain/tools/make-data.py;",
        "# see SOURCES.md. Sources and licences:",
        "#   plainlanguage.gov: US government work, public domain in the US and CC0 1.0 worldwide.",
        "#   retext-simplify: MIT licence, (c) 2016 Titus Wormer; see retext-simplify.LICENSE.",
        "#   gov.uk: words from the GOV.UK style guide. Contains public sector information licensed",
        "#     under the Open Government Licence v3.0. The alternatives for these words are ours.",
        "#   coproduce: written for this project.",
        "# Changed from the sources: entries dropped or corrected and UK spellings added (see make-data.py).",
    ]
    rows = []
    for phrase in sorted(entries):
        e = entries[phrase]
        rows.append("\t".join([phrase, "|".join(e["alt"]), "1" if e["omit"] else "0", e["note"],
                               ",".join(sorted(e["src"]))]))
    (out / "jargon-en.tsv").write_text("\n".join(header + rows) + "\n", encoding="utf-8")
    shutil.copyfile(lists / "retext-simplify.LICENSE", out / "retext-simplify.LICENSE")
    return len(rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cmudict", type=Path, required=True)
    ap.add_argument("--hyphen", type=Path, required=True)
    ap.add_argument("--lists", type=Path, required=True)
    ap.add_argument("--readability", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)

    n = cmudict_table(a.cmudict, a.out)
    print(f"cmudict-syllables.txt: {n} words")

    dic = a.hyphen / "usr/share/hyphen/hyph_en_US.dic"
    shutil.copyfile(dic, a.out / "hyph_en_US.dic")
    shutil.copyfile(a.hyphen / "usr/share/doc/hyphen-en-us/copyright", a.out / "hyph_en_US.copyright")
    print("hyph_en_US.dic: sha256", hashlib.sha256(dic.read_bytes()).hexdigest())

    shutil.copyfile(a.readability / "textstat-easy-words-en.txt", a.out / "easy-words-en.txt")
    shutil.copyfile(a.readability / "textstat.LICENSE", a.out / "textstat.LICENSE")

    print(f"jargon-en.tsv: {jargon_list(a.lists, a.out)} entries")

    ref = a.out / "reference"
    (ref / "texts").mkdir(parents=True, exist_ok=True)
    for f in sorted((a.readability / "texts").glob("*.txt")):
        shutil.copyfile(f, ref / "texts" / f.name)
    for name in ("expected.csv", "expected-unrounded.csv", "word-syllables.tsv", "sentence-pieces.tsv"):
        shutil.copyfile(a.readability / name, ref / name)
    print("reference: 15 texts and 4 tables")


if __name__ == "__main__":
    main()
