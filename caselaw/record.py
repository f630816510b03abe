"""A judgment's record read from its text: case number(s), court, bench, decision date, parties,
result and the judgment appealed from.

Every field comes from one rule on one part of the judgment, so each can be measured on its own
(``bench/judgment_records.py``) and a librarian can see where a value came from:

* court: the heading of page 1 (``IN THE SUPREME COURT OF PAKISTAN``);
* bench: the names under ``PRESENT:``/``CORAM`` (``Mr. Justice X, CJ`` -> ``X``); when a scan cut off
  the titles, heading lines that are clearly a judge of the roster (``caselaw/data/judges.json``);
* case numbers: the caption between the bench and ``For the appellant``/``Date of hearing``, lists
  and ranges expanded (``Criminal Appeals No. 95 and 96 of 2019``, ``Civil Petitions No.1925 to
  2006 of 2024``); a parent case (``... No. 200 of 2019 in Criminal Appeal No. 238-L of 2013``) and
  the lower courts' numbers are left out; when OCR garbled the caption's case type, the running
  header the later pages carry (``Civil Petitions No.2594, 2816 ... of 2020   -3-``);
* appealed from: the caption's ``(On appeal against the judgment dated ... passed by ... in ...)``;
* parties: the first-named party on each side of ``Versus`` (roles, ``and others``, ``(in Cr.A.
  95 of 2019)`` tags removed);
* decision date: ``Announced in open Court on ...`` (or ``Date of decision:``), else the date of the
  short order whose reasons these are, else the place-and-date line under the signatures; a date left
  blank gives none, and so does an announcement line whose date OCR cannot read (handwriting:
  ``ANNOUNCED IN OPEN COURT AT LAHOREONOL-1-Zo9``) or reads only as a run too broken to be typed
  (``* { 2 . 3 202 4`` for a handwritten ``12.3.2024``: ``caselaw.dates.broken_date_run``); an
  ``ORDER`` with none of these (a handwritten or unreadable date beside no announcement) was made on the
  date of hearing, as leave petitions are decided at the hearing (a date handwritten after the
  announcement line is read, as a suggestion, by ``caselaw.handwritten_date`` in the pipeline, never
  here);
* result: the operative words of the concluding part (``converted into appeal and allowed``,
  ``leave to appeal is refused``, ...) before any dissent or annex, as data in
  ``caselaw/data/judgment_rules.json``; ``other`` only when nothing is disposed of and the Court
  declares the law or sends the matters for hearing; no cue, no result.

Scans are read tolerantly, each tolerance a rule of its own: OCR's forms of ``Justice`` and ``Versus``,
a ``(`` closed by ``]``, a High Court's ``H`` read as ``ll``, look-alike letters inside a date's digit
run (``l9.O2.2020``), a date separator lost to a space (``02 06.2022``), a garbled ``Date of hearing``,
an accented ``ANNOUNCÈD``, one misread letter of ``The State``, accents and specks on a party's name.

Case numbers are in the legalrefs key form (``Crl.P.L.A.183-P-2022``). Pure functions, no I/O.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from caselaw.dates import BLANK, broken_date_run, find_dates, first_date, repair_ocr_day, repair_ocr_digits
from caselaw.rules import RecordRules, fold, load_rules

HEAD_PAGES = 3
COURT_HEADING_LINES = 15
BENCH_SCAN_LINES = 40
_FUZZY_COURT_HEADINGS = {"supremecourtofpakistan": "Supreme Court of Pakistan"}
_ITEM = r"[0-9](?: ?[0-9]){0,5}(?:\s*(?:-|to|TO)\s*[0-9]{1,6}(?![0-9]))?(?:\s*-\s*[A-Z]{1,2}(?![A-Za-z]))?"
_LIST = rf"(?P<list>{_ITEM}(?:\s*(?:,|&|\band\b|\bAND\b)\s*{_ITEM})*)"
_NUMBERS = re.compile(rf"\s*\.?\s*(?:(?i:nos?|number)\s*\.?\s*:?\s*)?{_LIST}"
                      r"\s*(?:(?i:of)|/)\s*(?P<year>(?:19|20)[0-9]{2})(?![0-9])")
_PARENT = re.compile(r"(?i)^\W*in\W*$")
_NUMBERING = re.compile(r"^\s*\(?[0-9ivx]{1,3}[.)]\s+")
_MAX_RANGE = 200


class JudgmentResult(StrEnum):
    """The outcome of the matter before the court, as its operative part states it."""

    ALLOWED = "allowed"
    PARTLY_ALLOWED = "partly_allowed"
    DISMISSED = "dismissed"
    LEAVE_GRANTED = "leave_granted"
    LEAVE_REFUSED = "leave_refused"
    REMANDED = "remanded"
    DISPOSED_OF = "disposed_of"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class AppealedFrom:
    """The decision under appeal: court key (legalrefs court name), its date, its case number as printed."""

    court: str = ""
    decided_on: date | None = None
    case: str = ""


@dataclass(frozen=True, slots=True)
class JudgmentRecord:
    case_numbers: tuple[str, ...] = ()
    court: str = ""
    bench: tuple[str, ...] = ()
    decided_on: date | None = None
    petitioner: str = ""
    respondent: str = ""
    result: str = ""
    appealed_from: AppealedFrom | None = None
    author: str = ""  # the judge who wrote the judgment (``SARDAR TARIQ MASOOD, J.-``)

    @property
    def parties(self) -> str:
        """``Petitioner v. Respondent`` (one side alone when only one was read)."""
        if self.petitioner and self.respondent:
            return f"{self.petitioner} v. {self.respondent}"
        return self.petitioner or self.respondent


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.replace("\f", "\n").splitlines()]


# --- court ------------------------------------------------------------------------------------------


def find_court(lines: Sequence[str], rules: RecordRules) -> str:
    """The court named in the heading (first lines of page 1); OCR-damaged headings by similarity."""
    for line in lines[:COURT_HEADING_LINES]:
        for pattern, key in rules.courts:
            if pattern.search(line):
                return key
    for line in lines[:COURT_HEADING_LINES]:
        folded = fold(line).removeprefix("in").removeprefix("the")
        for heading, key in _FUZZY_COURT_HEADINGS.items():
            if len(folded) >= 12 and difflib.SequenceMatcher(None, folded, heading).ratio() >= 0.75:
                return key
    return ""


# --- bench ------------------------------------------------------------------------------------------


def judge_name(line: str, rules: RecordRules) -> str:
    """``Mr. Justice Asif Saeed Khan Khosa, CJ`` -> ``Asif Saeed Khan Khosa`` (capitalised if printed in
    capitals)."""
    name = rules.judge_title.sub(" ", line)
    name = rules.judge_suffix.sub("", name)
    name = " ".join(name.replace("(", " ").replace(")", " ").split()).strip(" ,.;:")
    if name.isupper():
        name = " ".join(w.capitalize() if len(w) > 1 else w for w in name.split())
    return name


ROSTER_MATCH = 0.75  # similarity above which an OCR-damaged name is read as a roster judge
ROSTER_MARGIN = 0.1  # ... provided no other judge is nearly as close


def snap_to_roster(name: str, roster: Sequence[str]) -> str:
    """``Sayyed Mazahar All Akbar Naqvi`` -> ``Sayyed Mazahar Ali Akbar Naqvi`` when one roster judge is
    clearly the closest; an unknown judge's name stays as read."""
    folded = fold(name)
    scored = sorted(((difflib.SequenceMatcher(None, folded, fold(j)).ratio(), j) for j in roster), reverse=True)
    if not scored or scored[0][0] == 1.0:
        return scored[0][1] if scored and scored[0][0] == 1.0 else name
    best, runner_up = scored[0], scored[1] if len(scored) > 1 else (0.0, "")
    if best[0] >= ROSTER_MATCH and best[0] - runner_up[0] >= ROSTER_MARGIN:
        return best[1]
    return name


ROSTER_LINE_MATCH = 0.85  # a heading line with no "Justice" is a judge's name only when this close


def roster_lines(lines: Sequence[str], rules: RecordRules) -> tuple[str, ...]:
    """Judges named on heading lines whose titles a scan cut off (``ie Syed Hasan Azhar Rizvi``): a
    line (less a fragment of at most 4 characters before it) that is clearly one roster judge."""
    names: list[str] = []
    for line in lines[:BENCH_SCAN_LINES]:
        candidate = re.sub(r"^\S{1,4}\s+", "", line.strip()) if len(line.split()) > 2 else line.strip()
        candidate = rules.judge_suffix.sub("", candidate).strip(" ,.;:")
        if len(fold(candidate)) < 8:
            continue
        judge = _clear_roster_match(candidate, rules.judges, ROSTER_LINE_MATCH)
        if judge and judge not in names:
            names.append(judge)
    return tuple(names)


def _clear_roster_match(name: str, roster: Sequence[str], threshold: float) -> str:
    """The roster judge ``name`` is at least ``threshold`` close to, with no other nearly as close."""
    folded = fold(name)
    scored = sorted(((difflib.SequenceMatcher(None, folded, fold(j)).ratio(), j) for j in roster), reverse=True)
    if not scored or scored[0][0] < threshold:
        return ""
    if len(scored) > 1 and scored[0][0] - scored[1][0] < ROSTER_MARGIN:
        return ""
    return scored[0][1]


def find_bench(lines: Sequence[str], rules: RecordRules) -> tuple[tuple[str, ...], int]:
    """Judges under ``PRESENT:``, and the index of the line after the bench (0 when none found)."""
    start = next((i for i, ln in enumerate(lines[:BENCH_SCAN_LINES]) if rules.bench_marker.search(ln)), None)
    names: list[str] = []
    end = 0
    begin = 0 if start is None else start
    for i in range(begin, min(len(lines), begin + 14)):
        line = lines[i]
        if i == start:
            line = rules.bench_marker.sub("", line)
        if not line.strip():
            continue
        if rules.judge_title.search(line):
            name = snap_to_roster(judge_name(line, rules), rules.judges)
            if name and name not in names:
                names.append(name)
            end = i + 1
        elif names or (start is not None and i > start + 1) or (start is None and i > 25):
            break
    return tuple(names), end


# --- caption: case numbers, appealed from, parties -----------------------------------------------------


def _caption(lines: Sequence[str], begin: int, rules: RecordRules) -> list[str]:
    out: list[str] = []
    for line in lines[begin:]:
        if any(p.search(line) for p in rules.caption_end):
            break
        out.append(line)
    return out


def _opens(line: str) -> int:
    return line.count("(") + line.count("[")


def _closes(line: str) -> int:
    """Closing brackets: OCR reads a ``)`` as ``]`` (``(On appeal ... P/2012]``), so either closes."""
    return line.count(")") + line.count("]")


# a tag on one line whose brackets OCR mismatched: "Bhatti (Crl.S.M.R.P No.447 of 2022]", "(in both petitions]"
_MISMATCHED_TAG = re.compile(r"\([^()\[\]\n]*\]|\[[^()\[\]\n]*\)")


def _split_clauses(caption: Sequence[str], rules: RecordRules) -> tuple[list[str], list[str]]:
    """Caption lines without the ``(On appeal against ...)`` clauses, and those clauses joined."""
    kept: list[str] = []
    clauses: list[str] = []
    depth = 0
    current: list[str] = []
    for line in caption:
        starts = rules.appeal_clause_start.search(line) is not None
        if depth == 0 and not starts and not current:
            kept.append(line)
            continue
        if depth == 0 and starts and not current:
            current = []
        current.append(line)
        depth += _opens(line) - _closes(line)
        if depth <= 0:
            opened = current[0].lstrip().startswith(("(", "["))
            if opened or depth < 0 or line.rstrip().endswith((")", ").", "),", "]", "].")) or not starts:
                clauses.append(" ".join(current))
                current, depth = [], 0
    if current:
        clauses.append(" ".join(current))
    return kept, clauses


def _expand(item: str) -> list[str]:
    """``471-474`` / ``1925 to 2006`` -> every number; ``134-P`` -> ``134-P``."""
    m = re.fullmatch(r"([0-9]+)\s*(?:-|to|TO)\s*([0-9]+)", item)
    if m:
        low, high = int(m.group(1)), int(m.group(2))
        if low < high <= low + _MAX_RANGE:
            return [str(n) for n in range(low, high + 1)]
        return [m.group(1)]
    return [re.sub(r"\s*-\s*", "-", item).replace(" ", "")]


def caption_case_numbers(text: str, rules: RecordRules) -> list[str]:
    """Case numbers of the matters decided, in the legalrefs key form, in caption order."""
    keys: list[str] = []
    previous_end = 0
    for m in rules.case_type.finditer(text):
        numbers = _NUMBERS.match(text, m.end())
        if numbers is None:
            continue
        between = text[previous_end:m.start()]
        previous_end = numbers.end()
        if keys and _PARENT.match(between):
            continue  # "... No. 200 of 2019 in Criminal Appeal No. 238-L of 2013": the parent case
        kind = rules.case_type_keys.get(fold(m.group("type")))
        if kind is None:
            kind = rules.case_type_keys.get(fold(m.group("type"))[:-1])  # plural form
        if kind is None:
            continue
        items = re.split(r"\s*(?:,|&|\band\b|\bAND\b)\s*", numbers.group("list"))
        for item in items:
            for number in _expand(item.strip()):
                key = f"{kind}.{number}-{numbers.group('year')}"
                if key not in keys:
                    keys.append(key)
    return keys


def find_court_in(text: str, rules: RecordRules) -> str:
    best: tuple[int, str] | None = None
    for pattern, key in rules.courts:
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), key)
    return best[1] if best else ""


def appealed_from(clause: str, rules: RecordRules) -> AppealedFrom | None:
    """``(On appeal against the judgment dated 10.12.2015 passed by the Lahore High Court, Lahore, in
    Crl. Appeal No.2831 of 2010)`` -> Lahore High Court, 2015-12-10, ``Crl. Appeal No.2831 of 2010``."""
    text = " ".join(clause.split()).strip("() ")
    court = find_court_in(text, rules)
    decided = first_date(text)
    m = re.search(r"(?i)\b(?:passed\s+)?in\s+(?P<case>(?:[A-Z][A-Za-z.]*\s*)+(?:No|Nos)?\.?\s*[0-9].*)$", text)
    case = _to_closing_bracket(m.group("case")).strip(" .;)") if m else ""
    if not court and decided is None:
        return None
    return AppealedFrom(court, decided, case[:200])


def _to_closing_bracket(text: str) -> str:
    """``text`` up to a ``)`` that closes nothing inside it: the clause's own bracket, after which OCR
    may leave marks (``Civil Revision No. 341/2016) i`` -> ``Civil Revision No. 341/2016``)."""
    depth = 0
    for index, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                return text[:index]
            depth -= 1
    return text


_JUNK_LINE = re.compile(r"^\W*(?:A\.?\s?F\.?\s?R\.?|D\.?\s?J\.?)\W*$", re.IGNORECASE)
# "Versus" alone on its line, also as OCR reads it ("VERSIS", "Vcrsus", "Yersus", "Versas")
# ... and letter-spaced ("V E R S U S")
_LINE_START_VERSUS = re.compile(r"(?im)^[^A-Za-z\n]{0,4}(?:[vy][ec]r[sc5i][uaoi][sc5]|vs\.?|v/s|v\s+e\s+r\s+s\s+u\s+s)"
                                r"(?![A-Za-z])")
_INLINE_VERSUS = re.compile(r"(?i)(?<=\S)\s+(?:versus|vs\.?|v/s)\s+(?=\S)")


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def _clean_party(text: str, rules: RecordRules) -> str:
    text = rules.party_tags.sub(" ", text)
    text = rules.party_case_tag.sub("", text)
    text = _NUMBERING.sub("", text)
    text = rules.role_words.sub(" ", text)
    text = rules.party_cut.sub("", " ".join(text.split()))
    previous = None
    while previous != text:
        previous = text
        text = rules.party_tails.sub("", text).strip(" ,.;:-…|'\"")
        text = re.sub(r"(?i)[,\s]+(?:and|&)$", "", text)
    return text


def _continues(previous: str, line: str) -> bool:
    """Whether ``line`` continues the party name on ``previous`` (a wrapped line) rather than naming
    another party."""
    prev = previous.rstrip()
    if prev.endswith((",", "&", "thr.", "through", " of", " the", "(")):
        return True
    return bool(line) and (line[0].islower() or line.lower().startswith(("and others", "and another", "& others",
                                                                           "through", "thr.", "(")))


# A scan's speckled margin read into every line: "H) i aa Kiramat Khan 7t.3 ...Petitioner{s) . Nera".
# A speck is a token starting with a non-letter, one or two lower-case letters, or a letter and a mark
# ("H)"); initials ("M.") and titles ("Dr") are not specks.
_LEADING_MARGIN = re.compile(r"^(?:(?:[^\sA-Za-z]\S?|[a-z]{1,2}|[A-Za-z][^\sA-Za-z.])\s+)+(?=[A-Z])")
_TRAILING_DIGITS = re.compile(r"(?:\s+\S*[0-9]\S*)+$")
_NAME_WORD = re.compile(r"[^\W\d_]{3,}")


def _party_line(raw: str, rules: RecordRules) -> str:
    """One caption line as a party name: what follows its role word (``...Petitioner``) is the right
    margin, and specks read from the margins at either end are dropped."""
    role = rules.role_words.search(raw)
    if role is not None and _letters(raw[:role.start()]) >= 4:
        raw = raw[:role.start()]
    line = rules.role_words.sub(" ", rules.party_tags.sub(" ", raw))
    line = rules.party_case_tag.sub("", " ".join(line.split())).strip(" .…:|-_")
    line = _TRAILING_DIGITS.sub("", _LEADING_MARGIN.sub("", line))
    return line.strip(" .…:|-_")


def _party_lines(text: str, rules: RecordRules) -> list[str]:
    """Lines naming parties: tags, roles and stamps (``AFR``) and OCR specks dropped; a line with no
    word of three letters is margin noise (``f | G .* . 7 ae be``)."""
    out: list[str] = []
    for raw in text.splitlines():
        line = _party_line(raw, rules)
        if _letters(line) < 4 or _JUNK_LINE.match(line) or not _NAME_WORD.search(line):
            if out and not raw.strip():
                out.append("")  # a blank line ends a party's name
            continue
        out.append(line)
    return out


_LIST_AND = re.compile(r"(?i)[,;]?\s*(?:and|&)$")


def _first_party_run(text: str, rules: RecordRules) -> str:
    """The first party named in ``text``, its wrapped lines joined; of parties listed one per line
    (``Gul Muhammad,`` / ``Muhammad Ibrahim; and`` / ``Mst. Sumaira Bibi``), the first line."""
    run: list[str] = []
    for line in _party_lines(text, rules):
        if not line:
            if run:
                break
            continue
        if run and not _continues(run[-1], line):
            break
        run.append(line)
    listed = run[1:]
    if (listed and run[0].endswith(",") and all(line[:1].isupper() for line in listed)
            and any(_LIST_AND.search(line) for line in listed)):
        run = run[:1]
    return _clean_party(" ".join(run), rules)


_ANY_NUMBER = re.compile(r"(?i)\bNos?\s*\.?\s*[0-9][0-9 ,&a-z\-()]{0,40}?\s*(?:of|/)\s*(?:19|20)[0-9]{2}(?![0-9])")


def _case_spans(text: str, rules: RecordRules) -> list[tuple[int, int]]:
    """Where case numbers stand in the caption (also ones whose case type OCR garbled: ``No.2594 ... of
    2020``)."""
    spans = [(m.start(), m.end()) for m in _ANY_NUMBER.finditer(text)]
    for m in rules.case_type.finditer(text):
        numbers = _NUMBERS.match(text, m.end())
        if numbers is not None:
            spans.append((m.start(), numbers.end()))
    return spans


def find_parties(caption: Sequence[str], rules: RecordRules) -> tuple[str, str]:
    """First-named petitioner/appellant and respondent of the first matter in the caption: the names
    between the (last) case number and ``Versus``, and after it up to the next matter."""
    text = rules.party_tags.sub(" ", _MISMATCHED_TAG.sub(" ", "\n".join(caption)))
    text = re.sub(r"\[[^\]]*\]", " ", text)
    text = re.sub(r"\((?!\s*in\b)[^()]{25,}\)", " ", text)  # a description of the matter, e.g. (Notice ...)
    spans = sorted(_case_spans(text, rules))
    begin = spans[0][1] if spans else 0  # after the first number in the caption
    versus = None
    for pattern in (_LINE_START_VERSUS, _INLINE_VERSUS):
        found = [m for m in pattern.finditer(text, begin)]
        if found and (versus is None or found[0].start() < versus.start()):
            versus = found[0]
    if versus is None:
        tail = text[max((e for _, e in spans), default=0):]
        names = [ln for ln in _party_lines(tail, rules) if ln]
        if len(names) >= 2:
            return _clean_party(names[0], rules), _clean_party(names[1], rules)
        return "", ""
    left_start = max((e for s, e in spans if e <= versus.start()), default=0)
    right_end = min((s for s, e in spans if s >= versus.end()), default=len(text))
    line_start = text.rfind("\n", 0, versus.start()) + 1
    before = text[left_start:versus.start()]
    if text[line_start:versus.start()].strip() and line_start > left_start:
        before = text[left_start:versus.start()]  # "A Vs. B" on one line: A ends the left side
    after = text[versus.end():right_end]
    return _last_party_run(before, rules), _first_party_run(after, rules)


def _last_party_run(text: str, rules: RecordRules) -> str:
    """The petitioner side: its first party (several may be listed one per line)."""
    return _first_party_run(text, rules)


_BARE_STATE = re.compile(r"(?i)^state\b")
_THE_STATE_READ = re.compile(r"(?i)^the\s+(?P<word>[a-z]{5})\b")
_LEADING_SPECKS = re.compile(r"^[^\w(]+")


def _first_party(text: str) -> str:
    """``Sarfraz, and Allah Ditta`` -> ``Sarfraz`` (a list of parties printed on wrapped lines);
    ``State through A.G.`` -> ``The State through A.G.`` (the prosecution's name as the Court prints it,
    when a scan lost ``The``); ``The Suate`` -> ``The State`` (one letter misread); OCR's accents on Latin
    letters (``Qaísar``) and specks before the name (``‘< ‘The State``) dropped."""
    parts = re.split(r"\s*,\s+and\s+(?=[A-Z])", text, maxsplit=1)
    party = _LEADING_SPECKS.sub("", unaccent(parts[0])).strip(" ,")
    if (m := _THE_STATE_READ.match(party)) and _one_letter_off(m.group("word").lower(), "state"):
        return "The State" + party[m.end():]
    return _BARE_STATE.sub("The State", party) if _BARE_STATE.match(party) else party


def _one_letter_off(word: str, target: str) -> bool:
    return len(word) == len(target) and sum(a != b for a, b in zip(word, target, strict=True)) <= 1


def unaccent(text: str) -> str:
    """``Qaísar`` -> ``Qaisar``: an accent on a Latin letter in an English judgment is OCR noise (other
    scripts are left alone)."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base if not ch.isascii() and base.isascii() and base.isalpha() else ch)
    return "".join(out)


# --- decision date -----------------------------------------------------------------------------------


def _main_text(text: str, rules: RecordRules) -> str:
    """The judgment without an annexed statute or notice, and without a dissent that follows the
    majority's signatures."""
    if m := rules.annex_marker.search(text):
        text = text[: m.start()]
    first_signature = _signature_blocks(text, rules)
    if first_signature:
        end = first_signature[0][1]
        rest = text[end:]
        if any(p.search(rest) for p in rules.dissent_markers) and len(rest) > 200:
            return text[:end]
    return text


def _signature_blocks(text: str, rules: RecordRules) -> list[tuple[int, int, date | None, bool]]:
    """Place-and-date lines (``Islamabad, the 2nd of January, 2023``) in the second half of the text:
    (start, end, date, left blank)."""
    blocks: list[tuple[int, int, date | None, bool]] = []
    half = len(text) // 2
    for m in re.finditer(r"(?m)^.*$", text):
        if m.start() < half:
            continue
        line = m.group().strip()
        place = rules.signature_place.match(line)
        if place is None or len(place.group("rest")) > 40:
            continue
        following = text[m.end(): m.end() + 80]
        lines_after = [ln for ln in following.splitlines() if ln.strip()][:2]
        candidate = repair_ocr_digits(repair_ocr_day(" ".join([place.group("rest"), *lines_after])))
        dates = find_dates(candidate)
        blank = not dates and bool(BLANK.search(candidate))
        if dates or blank:
            end = m.end()
            if lines_after:
                end += following.find(lines_after[-1]) + len(lines_after[-1])
            blocks.append((m.start(), end, dates[0].value if dates else None, blank))
    return blocks


_HEARING = re.compile(r"(?im)^\W{0,3}(?:(?P<date>dates?)\s+|\S{0,6}\s+)?of\s+(?P<word>[a-z]{5,9})\b\s*[:\-.]?\s*"
                      r"(?P<rest>[^\n]*(?:\n[^\n]*)?)")
_ORDER_HEADING = re.compile(r"(?m)^\s*(?:SHORT\s+)?ORDER\s*$")
HEARING_WORD_MATCH = 0.7  # "Date of cleaing" / "Date of heanng": OCR's reading of "hearing"


def hearing_date(pages: Sequence[str]) -> date | None:
    """The ``Date of hearing`` printed in the first ``HEAD_PAGES`` pages, or None."""
    return _hearing_date("\n".join(pages[:HEAD_PAGES]))


def _hearing_date(head: str) -> date | None:
    """``Date of hearing: 28.08.2025`` (``of Hearing:`` when a scan cut the line's start; ``Date of
    cleaing`` when OCR garbled the word, provided ``Date of`` is whole)."""
    for m in _HEARING.finditer(head):
        word = m.group("word").lower()
        close = difflib.SequenceMatcher(None, word, "hearing").ratio() >= HEARING_WORD_MATCH
        if word == "hearing" or (m.group("date") and close):
            return first_date(repair_ocr_digits(m.group("rest")))
    return None


def find_decision_date(text: str, head: str, rules: RecordRules) -> date | None:
    """The date the judgment was decided (see the module docstring for the order of the rules); None
    when an announcement line's date is unreadable (handwritten) or left blank."""
    main = unaccent(_main_text(text, rules))  # ``ANNOUNCÈD``: OCR's accents on Latin letters
    announced_blank = False
    for announced in reversed(list(rules.announced.finditer(main))):
        after = repair_ocr_digits(main[announced.end(): announced.end() + 70])
        dates = find_dates(after)
        if dates and dates[0].start < 30 and not broken_date_run(after, dates[0]):
            return dates[0].value
        announced_blank = True  # left blank, unreadable or too broken to be typed: handwriting
        break
    if short := rules.short_order.search(main):
        if short.group("date"):
            if value := first_date(short.group("date")):
                return value
        else:
            return _hearing_date(head)
    if announced_blank:
        return None  # "Announced in open Court on ____": the signature date is not the decision date
    blocks = _signature_blocks(main, rules)
    for _start, _end, value, _blank in blocks:
        if value is not None:
            return value
    if _ORDER_HEADING.search(head) and not any(blank for *_, blank in blocks):
        return _hearing_date(head)  # an order is made at the hearing
    return None


# --- result ------------------------------------------------------------------------------------------


_MARGIN_MARKS = re.compile(r"(?m)^(?:[^\sA-Za-z]\S?[ \t]+)+")  # "| 4 to appeal is refused": a scan's margin


def find_result(text: str, rules: RecordRules) -> str:
    main = _MARGIN_MARKS.sub("", _main_text(text, rules))
    if m := rules.majority.search(main):
        found = _cues(m.group("rest"), rules)
        if found:
            return found[0][1]
    zone = main[-rules.conclusion_window_chars:]
    found = _cues(zone, rules)
    if not found:
        return ""
    kinds = {kind for _, kind in found}
    if JudgmentResult.LEAVE_REFUSED in kinds and JudgmentResult.ALLOWED not in kinds:
        return JudgmentResult.LEAVE_REFUSED  # "petition ... dismissed. Leave to appeal is refused."
    if JudgmentResult.PARTLY_ALLOWED in kinds:
        return JudgmentResult.PARTLY_ALLOWED
    if JudgmentResult.REMANDED in kinds:
        return JudgmentResult.REMANDED  # set aside and sent back: the remand is the outcome
    refused = kinds & {JudgmentResult.DISMISSED, JudgmentResult.LEAVE_REFUSED}
    if refused and JudgmentResult.ALLOWED in kinds and rules.result_extent.search(zone):
        return JudgmentResult.PARTLY_ALLOWED
    return found[0][1]


def _cues(text: str, rules: RecordRules) -> list[tuple[int, str]]:
    """(position, result) of every outcome cue in ``text``; a fallback rule's (``other``: the law declared,
    the matters sent for hearing) only when no other rule's cue is there."""
    found: list[tuple[int, str]] = []
    fallback: list[tuple[int, str]] = []
    for rule in rules.results:
        for cue in rule.cues:
            (fallback if rule.fallback else found).extend((m.start(), rule.result) for m in cue.finditer(text))
    # at one position the more specific rule (listed first) wins
    return sorted(found or fallback, key=lambda f: f[0])


_AUTHOR = re.compile(r"(?m)^\W{0,3}(?P<name>[A-Z][A-Za-z.' \-]{3,60}?)\s*,\s*(?:H\.?C\.?J|C\.?\s?J|J)\s*\.?\s*[-–:.]")


def find_author(head: str, bench: Sequence[str], rules: RecordRules) -> str:
    """The judge who wrote the judgment: ``MALIK SHAHZAD AHMAD KHAN, J.-`` opening it, read as a member
    of the bench (or of the roster) when the name is close to one."""
    m = _AUTHOR.search(head)
    if m is None:
        return ""
    name = judge_name(m.group("name"), rules)
    for judge in bench:
        if fold(judge) == fold(name) or snap_to_roster(name, [judge]) == judge:
            return judge
    return snap_to_roster(name, rules.judges)


# --- the whole record ---------------------------------------------------------------------------------


def extract_record(pages: Sequence[str], rules: RecordRules | None = None) -> JudgmentRecord:
    """The record of one judgment from its page texts (page 1 first). Fields not found stay empty."""
    rules = rules or load_rules()
    head = "\n".join(pages[:HEAD_PAGES])
    lines = _lines(head)
    bench, after_bench = find_bench(lines, rules)
    if not bench:
        bench = roster_lines(lines[:_caption_end_line(lines)], rules)
    caption = _caption(lines, after_bench, rules)
    kept, clauses = _split_clauses(caption, rules)
    kept_text = rules.party_tags.sub(" ", re.sub(r"\([^()]*\)", " ", _MISMATCHED_TAG.sub(" ", "\n".join(kept))))
    petitioner, respondent = find_parties(kept, rules)
    full = "\n".join(pages)
    source = next(filter(None, (appealed_from(c, rules) for c in clauses)), None)
    numbers = caption_case_numbers(kept_text, rules) or header_case_numbers(pages, rules)
    return JudgmentRecord(
        case_numbers=tuple(numbers),
        court=find_court(lines, rules),
        bench=bench,
        decided_on=find_decision_date(full, head, rules),
        petitioner=_first_party(petitioner),
        respondent=_first_party(respondent),
        result=find_result(full, rules),
        appealed_from=source,
        author=find_author(head[_caption_end_offset(head, rules):], bench, rules),
    )


def _caption_end_line(lines: Sequence[str]) -> int:
    """Index of the ``JUDGMENT``/``ORDER`` heading line (the caption ends there), else all lines."""
    return next((i for i, ln in enumerate(lines) if re.match(r"^\s*(?:JUDG[E]?MENT|ORDER|SHORT\s+ORDER)\s*$", ln,
                                                            re.IGNORECASE)), len(lines))


def header_case_numbers(pages: Sequence[str], rules: RecordRules) -> list[str]:
    """Case numbers of the running header pages 2 onwards print in their first lines (``Civil Petitions
    No.2594, 2816, 2817 and 2987 of 2020 -3-``): the reading most pages agree on."""
    readings: dict[tuple[str, ...], int] = {}
    for page in pages[1:]:
        top = [ln for ln in _lines(page) if ln.strip()][:2]
        found = tuple(caption_case_numbers(" ".join(top), rules))
        if found:
            readings[found] = readings.get(found, 0) + 1
    if not readings:
        return []
    best = max(readings.items(), key=lambda item: item[1])
    return list(best[0]) if best[1] >= 2 or len(pages) <= 3 else []


def _caption_end_offset(head: str, rules: RecordRules) -> int:
    """Where the judgment's body starts (after ``JUDGMENT``/``ORDER``), so names in the caption are not
    read as the author."""
    offset = 0
    for line in head.splitlines(keepends=True):
        offset += len(line)
        if re.match(r"^\s*(?:JUDG[E]?MENT|ORDER|SHORT\s+ORDER)\s*$", line, re.IGNORECASE):
            return offset
    return 0


FACTS_WORDS = 350


def facts_text(pages: Sequence[str], words: int = FACTS_WORDS) -> str:
    """The opening of the judgment's body (after the caption and ``JUDGMENT``/``ORDER``): where a
    judgment states the facts. Used as the query for "related judgments"; ``words`` words at most."""
    head = "\n".join(pages[:HEAD_PAGES])
    start = _caption_end_offset(head, load_rules())
    body = "\n".join(pages)[start:]
    return " ".join(body.split()[:words])
