"""Page layout: where content starts, what kind of page it is, and its label/value fields.

Four layouts meet here (see annotations/GUIDELINE.md §1 and §3):

* iom.int project sheets: the navigation header, then ``-\\nLabel\\nValue`` blocks;
* the same sheets as bullets: ``  • Label\\n    Value``;
* the Development Fund site: a menu, the title twice, then unlabelled value lines
  (region, code, PRIMA id, amount, countries, type, coverage, status);
* "Label: value" lines and ``| cells |`` tables (innovation sheets, some releases).

Everything the rules look for (navigation's last line, label names, status and coverage words) is
data in models/layout.json and models/labels.tsv.
"""
from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ..normalize.text import fold, lines_with_offsets, name_key, strip_offsets
from ..paths import models_dir, read_patterns, read_tsv
from .base import DataComponent, page_text
from .serialize import serialisable


@serialisable
@dataclass(frozen=True)
class Field:
    """One label/value pair read off the page; offsets are into the page text."""
    name: str          # record field it feeds (models/labels.tsv), e.g. "budget"
    label: str         # the label as written
    kind: str          # value kind: date, money:USD, countries, …
    value: str
    start: int
    end: int
    # why the value is not the page's own, in words ("" when it is): a label that recurs with
    # other values (several projects, each with its own block) or a range ("de 6 à 18 mois": a
    # fund's rule). Such a field still settles its decision, as null (GUIDELINE §8.1 D, §11)
    not_own: str = ""


class LayoutRules:
    """The data of models/layout.json + models/labels.tsv, and the pure functions using it."""

    def __init__(self, data_dir: Path):
        cfg = json.loads((data_dir / "layout.json").read_text("utf-8"))
        self.cfg = cfg
        self.nav_last = {fold(x) for x in cfg["nav_last_lines"]}
        self.labels: dict[str, tuple[str, str, str]] = {}
        for row in read_tsv(data_dir / "labels.tsv"):
            self.labels[self.label_key(row[0])] = (row[1], row[2], row[0])
        self.status_values = {fold(k): v for k, v in cfg["status_values"].items()}
        self.headings = {fold(h) for h in cfg["section_headings"]}
        self.figures_box = re.compile(cfg["figures_box_heading"], re.IGNORECASE)
        self.wrap_word = re.compile(cfg["title_wrap_word"], re.IGNORECASE)
        self.tag_first = {fold(t) for t in cfg["tag_first_lines"]}
        self.news_nav = {fold(x) for x in cfg["news_nav_last_lines"]}
        self.news_tags = {fold(t) for t in cfg["news_tags"]}
        self.dateline = re.compile(cfg["dateline"], re.MULTILINE)
        self.furniture_lines = {fold(x) for x in cfg["furniture_lines"]}
        self.menu_lines = {fold(x) for x in cfg["menu_lines"]}
        self.description_line = re.compile(cfg["description_label_line"], re.MULTILINE)
        self.page_metadata = re.compile(cfg["page_metadata_line"], re.MULTILINE | re.IGNORECASE)
        # a standing page under the news navigation (_comment_standing_page): its title, its questions
        self.standing_country_title = re.compile(cfg["standing_page_country_title"])
        self.standing_titles = tuple(fold(t) for t in cfg["standing_page_titles"])
        self.several_projects = frozenset(fold(t) for t in cfg["several_projects_headings"])
        self.share_lines = frozenset(fold(t) for t in cfg["share_lines"])
        self.in_page_nav = re.compile(cfg["in_page_nav"])   # "Sur cette page : Présentation · Contact · …"
        self.place_joins = set(cfg["standing_page_place_joins"])
        self.country_keys = {name_key(r[0]) for r in read_tsv(data_dir / "countries.tsv")
                             if r[0] != "name" and r[1] != "-"}
        self.coverage_values = {fold(k): v for k, v in cfg["coverage_values"].items()}
        # a "Label: value" line: label of at most 80 chars, before the first colon
        self._colon = re.compile(r"^[ \t|]*(?P<label>[^:\n|]{2,80}?)\s*:\s*(?:\|\s*)?(?P<value>.*?)[\s|]*$")
        # a value line that is a whole project code or PRIMA id: the shapes of models/patterns.jsonl
        shapes = read_patterns(data_dir / "patterns.jsonl")
        self._code = re.compile("|".join(f"^(?:{p})$" for p in shapes["PROJECT_CODE"]))
        self._prima = re.compile("|".join(f"^(?:{p})$" for p in shapes["PRIMA_ID"]))
        self._amount = re.compile(r"^\d[\d,.\u00a0\u202f ]*$")
        self._label_memo: dict[str, tuple[str, str, str] | None] = {}
        self.per_project = frozenset(cfg["per_project_fields"])
        self.range_fields = frozenset(cfg["range_fields"])
        self.value_range = re.compile(cfg["label_value_range"], re.IGNORECASE)
        self.label_block = frozenset(cfg["label_block_fields"])
        self.quoted_speech = re.compile(cfg["quoted_speech"], re.IGNORECASE)

    # -- content -----------------------------------------------------------------------------
    def content_start(self, text: str) -> int:
        """Offset of the first content character: after the navigation, or after a tag block."""
        limit = min(len(text), self.cfg["nav_search_chars"])
        start = None
        for line, pos in lines_with_offsets(text, 0, limit):
            if len(line) < 40 and fold(line) in self.nav_last:
                start = pos + len(line) + 1
        if start is None:
            start = self._after_tag_block(text)
        if start == 0:
            start = self._after_banner(text)
        if start == 0:
            start = self._after_menu(text)
        while start < len(text) and text[start].isspace():
            start += 1
        return min(self._after_widgets(text, start), len(text))

    def widget_line(self, line: str) -> bool:
        """A line of page furniture between the site's header and the page's own content: a button
        with no letter ("×", "<"), a breadcrumb from a menu entry ("Accueil > Actualités > Mali"),
        a share line ("Partager", "Imprimer"; models/layout.json share_lines)."""
        s = line.strip()
        if not s:
            return False
        if not any(ch.isalpha() for ch in s):
            return True
        m = self.BREADCRUMB.match(s)
        if m and fold(m.group(1).strip(" -•*")) in self.menu_lines:
            return True
        return fold(s) in self.share_lines or bool(self.in_page_nav.match(s))

    def _after_widgets(self, text: str, start: int) -> int:
        """Past the furniture lines that open the content (widget_line); an update notice is the
        content's own (GUIDELINE §10) and stops it."""
        for line, pos in lines_with_offsets(text, start, min(len(text), start + 600)):
            if line.strip() and not self.widget_line(line):
                return pos + len(line) - len(line.lstrip())
        return start

    def _after_banner(self, text: str) -> int:
        """After a site banner line and the lines that follow it up to a blank line."""
        first = text.lstrip()[:80].split("\n", 1)[0]
        if fold(first) not in self.furniture_lines:
            return 0
        k = text.find("\n\n", text.find(first) + len(first))
        while k >= 0 and k < len(text) and not text[k:k + 200].strip().split("\n", 1)[0].strip():
            k = text.find("\n", k + 1)
            if k < 0:
                return 0
            if text[k + 1:k + 2] not in ("\n", " ", "\t", "\u00a0"):
                break
        return max(k, 0)

    def _after_menu(self, text: str) -> int:
        """After a site menu at the top of the page (a country office's banner and its entries
        "Accueil", "Projets", "Actualités"…, one per line): 0 when the first lines hold fewer than
        menu_min_lines entries."""
        seen, after, last = 0, 0, -1
        lines = lines_with_offsets(text, 0, min(len(text), 2000))
        for k, (line, pos) in enumerate(lines):
            if k >= self.cfg["menu_search_lines"]:
                break
            if len(line) < 40 and fold(line.strip(" -•*")) in self.menu_lines:
                seen += 1
                after, last = pos + len(line) + 1, k
        if seen < self.cfg["menu_min_lines"]:
            return 0
        return self._menu_tail(text, lines[last + 1:], after)

    # a breadcrumb under the menu: short pieces joined by "›", "»", ">" or "|", the first one a menu
    # entry ("Accueil › Salle de presse › Communiqués")
    BREADCRUMB = re.compile(r"^\s*([^›»>|\n]{2,30}?)\s*(?:[›»>|]\s*[^›»>|\n]{1,40}?\s*)+$")

    def _menu_tail(self, text: str, rest: list[tuple[str, int]], after: int) -> int:
        """Where the menu ends, past its last listed entry: over a breadcrumb, and over entries the
        list does not hold ("Nous joindre", "Écrivez-nous": short lines, no digit, no sentence)
        when a headline follows them. Each office's menu names its entries in its own words;
        where the list stops, the shape goes on. A short line before a paragraph is a heading of
        the content ("Projets en cours" above "Voici les principaux projets …"), not an entry."""
        short = []
        for line, pos in rest:
            if not line.strip():
                continue
            m = self.BREADCRUMB.match(line)
            if m and fold(m.group(1).strip(" -•*")) in self.menu_lines:
                return pos + len(line) + 1
            words = line.split()
            if len(line) < self.cfg["menu_entry_max_chars"] and len(words) <= self.cfg["menu_entry_max_words"] and \
                    not any(ch.isdigit() for ch in line) and not line.rstrip().endswith((".", ":", "!", "?")):
                short.append((line, pos))
                if len(short) > self.cfg["menu_entry_max_extra"]:
                    return after
                continue
            # the first longer line: a headline (no sentence's end) lets the short lines before it be
            # the menu's; a paragraph makes them the content's headings
            if short and not self._reads_as_prose(text, pos, line) and not line.rstrip().endswith("."):
                return short[-1][1] + len(short[-1][0]) + 1
            return after
        return after

    def _opens_a_paragraph(self, text: str, m: re.Match) -> bool:
        """A dateline opens a paragraph that goes on after its dash ("Dakar – L'OIM a lancé …"); a
        line that ends soon after a dash is a heading ("L'OIM au Burkina Faso" then "Ouagadougou –
        Bureau de pays"; "Projet RECLIM – Burkina Faso")."""
        eol = text.find("\n", m.end())
        eol = len(text) if eol < 0 else eol
        return eol - m.end() + 1 >= self.cfg["dateline_min_rest"]

    def dateline_search(self, text: str, start: int, end: int) -> re.Match | None:
        """The first dateline between start and end."""
        return next((m for m in self.dateline.finditer(text, start, end) if self._opens_a_paragraph(text, m)), None)

    def dateline_match(self, text: str, start: int, end: int) -> re.Match | None:
        """A dateline at start."""
        m = self.dateline.match(text, start, end)
        return m if m and self._opens_a_paragraph(text, m) else None

    def dateline_span(self, text: str, start: int, kind_evidence: dict | None = None) -> list[int] | None:
        """[start, end) of the page's dateline, place and date without the dash ("Harare, 22 mars
        2019"), or None. The release's date: never the project's start or end (GUIDELINE §8.1 F)."""
        if kind_evidence and kind_evidence.get("rule") == "layout: dateline":
            return [kind_evidence["start"], kind_evidence["end"]]
        m = self.dateline_search(text, start, start + self.cfg["news_evidence_chars"])
        if not m:
            return None
        dash = re.search(r"[-–—]", m.group())
        s, e = strip_offsets(text, m.start(), m.start() + (dash.start() if dash else len(m.group())), " (")
        return [s, e]

    def news_evidence(self, text: str, start: int) -> dict | None:
        """How the page shows itself as a release (models/layout.json "news_evidence"): the rule
        in words and where it is; None for a page that does not."""
        first = text[:200].lstrip().split("\n", 1)[0]
        if fold(first) in self.news_tags:
            k = text.find(first)
            return {"rule": f"layout: release tag '{first.strip()}'", "start": k, "end": k + len(first)}
        span = self.dateline_span(text, start)
        if span:
            return {"rule": "layout: dateline", "start": span[0], "end": span[1]}
        head = text[:start]
        if any(fold(line) in self.news_nav for line, _ in lines_with_offsets(head) if len(line) < 40):
            labels = self.description_line.findall(text, start, start + 1000)
            if len(labels) < self.cfg["description_min_label_lines"]:
                return {"rule": "layout: iom.int news navigation", "start": None, "end": None}
        return None

    def metadata_spans(self, text: str, start: int) -> list[list[int]]:
        """[start, end) of the content's lines that date the page ("Dernière mise à jour : juin 2020").

        >>> LayoutRules(models_dir()).metadata_spans("Faits et chiffres\\nDernière mise à jour : juin 2020\\nL'OIM en bref", 0)
        [[18, 50]]
        """
        return [[m.start(), m.end()] for m in self.page_metadata.finditer(text, start)]

    def _a_place(self, place: str) -> bool:
        """Is this a country, or a place's proper name with no verb ("Pacifique Nord", "Afrique de
        l’Ouest"; not "Niger ouvre un centre")?

        >>> r = LayoutRules(models_dir())
        >>> r._a_place("Tchad"), r._a_place("Pacifique Nord"), r._a_place("Afrique de l’Ouest"), r._a_place("Niger ouvre un centre")
        (True, True, True, False)
        """
        if name_key(place) in self.country_keys:
            return True
        words = re.findall(r"[^\W\d_]+['’]?", place)
        return 0 < len(words) <= 5 and words[0][:1].isupper() and \
            all(w[:1].isupper() or w.lower() in self.place_joins for w in words)

    def standing_evidence(self, text: str, start: int) -> dict | None:
        """How a page under the news navigation shows itself as a standing page (models/layout.json
        "_comment_standing_page"), or None.

        >>> r = LayoutRules(models_dir())
        >>> r.standing_evidence("L’OIM au Tchad\\nPrésente au Tchad depuis 2006, l’OIM y emploie 400 personnes.", 0)["rule"]
        "layout: a standing page's title ('L’OIM au Tchad')"
        >>> r.standing_evidence("L'OIM au Niger ouvre un centre\\nNiamey – L'OIM a ouvert un centre.", 0) is None
        True
        >>> r.standing_evidence("L’OIM dans le Pacifique Nord\\nL’OIM y appuie trois États insulaires.", 0)["rule"]
        "layout: a standing page's title ('L’OIM dans le Pacifique Nord')"
        >>> page = "L'aide au retour\\nL'OIM aide les migrants.\\nQui peut en bénéficier ?\\nTout migrant.\\nCombien coûte un retour ?\\n850 dollars."
        >>> r.standing_evidence(page, 0)["rule"]
        'layout: headings that are questions (2)'
        >>> page = "L’OIM aide les migrants en Turquie.\\nProjets en cours\\nRelèvement : financé par l’UE, ce programme …"
        >>> r.standing_evidence(page, 0)["not_one_project"]
        True
        """
        span, _ = self.title_with_rule(text, start, "news")
        if span:
            title = " ".join(text[span[0]:span[1]].split())
            m = self.standing_country_title.match(title)
            if (m and self._a_place(m.group("place"))) or fold(title).startswith(self.standing_titles):
                # a country office's page is about the office: the sums and dates of its running text
                # are no one project's (GUIDELINE §8.1 A, D); a facts page may be one project's
                # so is a page titled by its several projects ("Projets en cours")
                return {"rule": f"layout: a standing page's title ('{title}')", "start": span[0], "end": span[1],
                        "not_one_project": bool(m) or fold(title.strip(" :")) in self.several_projects}
        # a section that lists several ongoing projects ("Projets en cours"): the page is an
        # office's or a programme area's, its sums and dates are those projects' (models/layout.json
        # "_comment_several_projects")
        for line, a in lines_with_offsets(text, span[0] if span else start):
            if fold(line.strip(" :")) in self.several_projects:
                return {"rule": f"layout: a section of several projects ('{line.strip()}')", "start": a,
                        "end": a + len(line.rstrip()), "not_one_project": True}
        questions = self._questions(text, start)
        if len(questions) >= self.cfg["standing_page_min_questions"]:
            a, line = questions[0]
            return {"rule": f"layout: headings that are questions ({len(questions)})", "start": a,
                    "end": a + len(line.rstrip())}
        headings = self.section_headings(text, span[1] if span else start)
        if len(headings) >= self.cfg["standing_page_min_headings"]:
            a, line = headings[0]
            return {"rule": f"layout: section headings ({len(headings)}: '{line}', …)", "start": a, "end": a + len(line)}
        return None

    def _questions(self, text: str, start: int) -> list[tuple[int, str]]:
        return [(a, line) for line, a in lines_with_offsets(text, start)
                if line.strip().endswith("?") and line.strip()[:1].isupper() and len(line.split()) <= 12]

    def questions(self, text: str, start: int) -> int:
        """How many headings that are questions the page has after ``start``."""
        return len(self._questions(text, start))

    def section_headings(self, text: str, start: int) -> list[tuple[int, str]]:
        """(offset, line) of each section heading after ``start``: a short line, a capital first, no
        digit and no closing punctuation, above a paragraph (models/layout.json
        "_comment_standing_page").

        >>> r = LayoutRules(models_dir())
        >>> para = "L’OIM aide les gouvernements de la région à anticiper ces mouvements de population."
        >>> [h for _, h in r.section_headings(f"Titre\\n{para}\\nL’approche de l’OIM\\n{para}\\nChiffres 2023\\n{para}", 5)]
        ['L’approche de l’OIM']
        """
        out = []
        rows = lines_with_offsets(text, start)
        for (line, a), (nxt, _) in zip(rows, rows[1:]):
            s = line.strip()
            if (0 < len(s.split()) <= self.cfg["standing_page_heading_max_words"] and s[:1].isupper()
                    and not s.endswith((".", ":", ";", ",", "?", "!", "»")) and not any(ch.isdigit() for ch in s)
                    and len(nxt.strip()) > self.cfg["standing_page_paragraph_min_chars"]):
                out.append((a + line.index(s), s))
        return out

    def _after_tag_block(self, text: str) -> int:
        # "Communiqué\nGlobal\n\n" or "Migrant Stories\n\n" above a release: short lines, then a blank
        block_end = text.find("\n\n")
        if block_end < 0:
            return 0
        lines = [l for l in text[:block_end].splitlines() if l.strip()]
        if lines and fold(lines[0]) not in self.tag_first:
            return 0  # a page that opens with its title: "Les débuts de l'OIM Suisse\n\n…"
        if 0 < len(lines) <= self.cfg["tag_block_max_lines"] and all(
            len(l.strip()) <= self.cfg["tag_line_max_chars"] and not l.strip().endswith((".", ":")) for l in lines
        ):
            # a tag block is never the title: the title comes after it
            rest = text[block_end:].lstrip()
            if rest:
                return block_end
        return 0

    # -- fields ------------------------------------------------------------------------------
    LABEL_MEMO = 65536

    def label(self, line: str):
        """The (field, kind, label) a line names, or None. Remembered per line: the layout reads most
        lines two or three times (fields, then kind), and label and navigation lines recur on every
        page of a site."""
        if len(line) > 120:  # labels are short; folding every prose line costs
            return None
        memo = self._label_memo
        if line in memo:
            return memo[line]
        if len(memo) >= self.LABEL_MEMO:
            memo.clear()
        found = self.labels.get(self.label_key(line))
        if found is None and (m := self.CURRENCY_IN_LABEL.match(line)):
            # "Budget (EUR)", "Montant (CHF)": a money label with its currency, as "Budget (USD)"
            base = self.labels.get(self.label_key(m.group("label")))
            if base is not None and base[1] == "money":
                found = (base[0], f"money:{m.group('iso')}", *base[2:])
        memo[line] = found
        return found

    CURRENCY_IN_LABEL = re.compile(r"^\s*(?P<label>[^()\n]{2,40}?)\s*\((?P<iso>[A-Z]{3})\)\s*:?\s*$")

    @staticmethod
    def label_key(label: str) -> str:
        """A label's comparison key: folded, without bullets, a trailing colon, the "(s)" of
        "Etat(s) membre(s)" or a plural s, so that "ÉTATS MEMBRES BÉNÉFICIAIRES :" and
        "Etat(s) membre(s) bénéficiaire(s)" meet the same entry (layouts drift in just these ways).

        >>> LayoutRules.label_key("  • Etat(s) membre(s) beneficiaires :")
        'etat membre beneficiaire'
        >>> LayoutRules.label_key("ÉTATS MEMBRES BÉNÉFICIAIRES")
        'etat membre beneficiaire'
        """
        key = fold(label.strip(" \t-•|"))
        key = re.sub(r"\(s\)", "", key).rstrip(" :")
        return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in key.split())

    def fields(self, text: str, start: int) -> list[Field]:
        """Every label/value pair of the page, in page order."""
        out: list[Field] = []
        lines = list(lines_with_offsets(text, start))
        i = 0
        while i < len(lines):
            line, pos = lines[i]
            lab = self.label(line)
            if lab and i + 1 < len(lines) and (line.strip() != "" ):
                # "-\nLabel\nValue" or "  • Label\n    Value": the value is the next non-empty line
                j = i + 1
                while j < len(lines) and not lines[j][0].strip():
                    j += 1
                if j < len(lines) and not self.label(lines[j][0]) and lines[j][0].strip() not in ("-",):
                    vline, vpos = lines[j]
                    s, e = strip_offsets(text, vpos, vpos + len(vline), " \t|•")
                    name, kind, _ = lab
                    out.append(Field(name, line.strip(" \t-•"), kind, text[s:e], s, e))
                    i = j + 1
                    continue
            out.extend(self._colon_fields(text, line, pos) or self._cell_fields(text, line, pos))
            i += 1
        return out

    def mark_not_own(self, fields: list[Field]) -> list[Field]:
        """The fields, each one that is not the page's own marked with why (models/layout.json
        "_comment_not_own").

        >>> r = LayoutRules(models_dir())
        >>> page = "Projet A\\nBudget : 5 millions d’euros\\nProjet B\\nBudget : 750 000 USD\\nDurée : 24 mois\\n"
        >>> [(f.name, bool(f.not_own)) for f in r.mark_not_own(r.fields(page, 0))]
        [('budget', True), ('budget', True), ('duration', True)]
        >>> [f.not_own for f in r.mark_not_own(r.fields("Durée : de 6 à 18 mois\\n", 0))]
        ['a range: a rule, not one value']
        >>> [f.not_own for f in r.mark_not_own(r.fields("Budget : 1 450 000 EUR\\nDurée : 36 mois\\n", 0))]
        ['', '']
        """
        values: dict[str, set[str]] = {}
        for f in fields:
            if f.name in self.per_project:
                values.setdefault(f.name, set()).add(fold(f.value))
        recurs = sorted(n for n, v in values.items() if len(v) > 1)
        out = []
        for f in fields:
            why = ""
            if recurs and f.name in self.per_project:
                why = f"'{f.label}' is one of several projects' labels ({', '.join(recurs)} recur)"
            elif f.name in self.range_fields and self.value_range.match(f.value):
                why = "a range: a rule, not one value"
            out.append(dataclasses.replace(f, not_own=why) if why else f)
        return out

    # cells of a table row as text renders it: "| Budget Amount (USD) | 250000.00 |", tab-separated
    # cells, or cells padded apart by runs of spaces
    _CELL_SEP = re.compile(r"\s*\|\s*|\t+|\s{2,}")

    def _cell_fields(self, text: str, line: str, pos: int) -> list[Field]:
        """A row whose cells pair a known label with the cell after it (no colon between them)."""
        if len(line) > 400 or not any(sep in line for sep in ("|", "\t", "  ")):
            return []
        cells = []  # (start, end) of each non-empty cell, offsets into text
        last = 0
        for m in self._CELL_SEP.finditer(line):
            if m.start() > last:
                cells.append((pos + last, pos + m.start()))
            last = m.end()
        if last < len(line):
            cells.append((pos + last, pos + len(line)))
        out = []
        k = 0
        while k + 1 < len(cells):
            lab = self.label(text[slice(*cells[k])])
            if lab and not self.label(text[slice(*cells[k + 1])]):
                s, e = strip_offsets(text, *cells[k + 1], " \t|•")
                if e > s:
                    out.append(Field(lab[0], text[slice(*cells[k])].strip(), lab[1], text[s:e], s, e))
                k += 2
            else:
                k += 1
        return out

    def _colon_fields(self, text: str, line: str, pos: int) -> list[Field]:
        m = self._colon.match(line)
        if not m:
            return []
        raw_label = m.group("label")
        # "PAYS BÉNÉFICIAIRES – États Membres Remplissant …: A, B; États Membres Ne … : C" holds
        # sub-labels: read each "sub-label: list" segment on its own
        segs = []
        for seg in re.finditer(r"(?P<label>[^:;|]+?)\s*:\s*(?P<value>[^;|]*)", line):
            lab_text = seg.group("label")
            lab = self.label(lab_text) or self.label(re.split(r"\s[–-]\s", lab_text)[-1])
            if lab:
                s, e = strip_offsets(text, pos + seg.start("value"), pos + seg.end("value"), " \t|")
                if e > s:
                    segs.append(Field(lab[0], lab_text.strip(), lab[1], text[s:e], s, e))
        if segs:
            return segs
        lab = self.label(raw_label)
        if not lab:
            return []
        s, e = strip_offsets(text, pos + m.start("value"), pos + m.end("value"), " \t|")
        return [Field(lab[0], raw_label.strip(), lab[1], text[s:e], s, e)] if e > s else []

    def devfund_fields(self, text: str, start: int) -> list[Field]:
        """Development Fund site: title twice, then unlabelled value lines recognised by shape."""
        lines = [(l, p) for l, p in lines_with_offsets(text, start) if l.strip()]
        if len(lines) < 4 or lines[0][0].strip() != lines[1][0].strip():
            return []
        out = []
        # the value lines run up to the description (the first line of prose); a regional
        # project lists one beneficiary per line, so there may be many
        vals = []
        for l, p in lines[2:60]:
            if len(l.strip()) > 150:
                break
            vals.append((l, p))
        code_i = next((k for k, (l, _) in enumerate(vals) if self._code.match(l.strip())), None)
        if code_i is None:
            return []

        def add(name, kind, k):
            l, p = vals[k]
            s, e = strip_offsets(text, p, p + len(l))
            out.append(Field(name, "", kind, text[s:e], s, e))

        if code_i > 0:
            add("region", "text", code_i - 1)
        add("project_code", "text", code_i)
        k = code_i + 1
        if k < len(vals) and self._prima.match(vals[k][0].strip()):
            add("prima_id", "text", k)
            k += 1
        if k < len(vals) and self._amount.match(vals[k][0].strip()):
            add("budget", "money:USD", k)
            k += 1
        rest = vals[k:]
        # countries … type, coverage, status: the last three are recognised by their words
        tail = []
        for l, p in rest:
            w = fold(l)
            if w in self.status_values:
                tail.append(("status", "status"))
            elif w in self.coverage_values:
                tail.append(("coverage", "coverage"))
            else:
                tail.append(None)
        cov = next((n for n, t in enumerate(tail) if t and t[0] == "coverage"), None)
        if cov is not None:
            if cov >= 2:
                # countries: every line between the amount and the project type
                first, last = vals[k], vals[k + cov - 2]
                s, e = strip_offsets(text, first[1], last[1] + len(last[0]))
                out.append(Field("beneficiary_countries", "", "countries", text[s:e], s, e))
                add("project_type", "text", k + cov - 1)
            add("coverage", "coverage", k + cov)
            st = next((n for n, t in enumerate(tail) if t and t[0] == "status"), None)
            if st is not None:
                add("status", "status", k + st)
        return out

    def kind(self, text: str, start: int, fields: list[Field], devfund: bool) -> str:
        return self.kind_with_rule(text, start, fields, devfund)[0]

    def kind_with_rule(self, text: str, start: int, fields: list[Field], devfund: bool) -> tuple[str, dict]:
        """The page's kind and why (the rule in words, and where, when it is a place on the page)."""
        k = text.find(self.cfg["innovation_marker"], start)
        if k >= 0:
            return "innovation", {"rule": "layout: 'INFORMATIONS SUR LE PROJET' table", "start": k,
                                  "end": k + len(self.cfg["innovation_marker"])}
        names = {f.name for f in fields}
        if devfund:
            return "idf_project", {"rule": "layout: Development Fund site lines", "start": None, "end": None}
        sheet = names & {"project_code", "prima_id", "budget", "status", "coverage", "region"}
        # and one label of the Fund's own: a country office's project page has a code, a budget and a
        # status too ("Code du projet :", "Budget :", "Statut :"; GUIDELINE §13), every Fund sheet of
        # the training pages a PRIMA id, a coverage or a region
        if len(sheet) >= 3 and sheet & {"prima_id", "coverage", "region"}:
            return "idf_project", {"rule": f"layout: project-sheet labels ({len(sheet)} with values)",
                                   "start": None, "end": None}
        lost = self.label_lines(text, start)
        n = len(lost)
        # the labels are there, the crawl lost their values; one of them the Fund's own (a country
        # office's project page has a code, a budget, dates and a status too, GUIDELINE §18)
        if n >= self.cfg["sheet_min_labels"] and lost & set(self.cfg["sheet_own_labels"]):
            return "idf_project", {"rule": f"layout: project-sheet labels ({n}, values lost)", "start": None,
                                   "end": None}
        block = names & self.label_block
        if len(block) >= self.cfg["label_block_min_fields"]:
            first = min((f for f in fields if f.name in block), key=lambda f: f.start)
            return "other", {"rule": f"layout: a project's label block ({len(block)} labels), not a release",
                             "start": first.start, "end": first.end}
        if len(text) - start > 0:
            ev = self.news_evidence(text, start)
            if ev and ev["rule"] == "layout: iom.int news navigation" and (standing := self.standing_evidence(text, start)):
                return "other", standing
            if ev:
                return "news", ev
        if (q := self.quoted_speech.search(text, start)) is not None:
            return "news", {"rule": "layout: free text quoting someone, as releases do", "start": q.start(), "end": q.end()}
        # free text under a country office's title ("L’OIM aux Comores", no header at all): the
        # office's page, whose sums and dates are no one project's, as under the news navigation
        standing = self.standing_evidence(text, start) if len(text) > start else None
        if standing and standing.get("not_one_project"):
            return "other", standing
        return "other", {"rule": "layout: free text with no release evidence (no dateline, tag, news navigation "
                                 "or quoted speech)", "start": None, "end": None}

    def title(self, text: str, start: int, kind: str) -> tuple[int, int] | None:
        return self.title_with_rule(text, start, kind)[0]

    def title_with_rule(self, text: str, start: int, kind: str) -> tuple[tuple[int, int] | None, str]:
        """The first content line (and why, in words). Old releases hard-wrap the headline and glue
        the body to it with a dash ("… financé par les Etats\nUnis pour combattre la traite d'êtres
        humains– L'OIM et"): then the title runs to that dash."""
        if kind != "innovation":
            box = self.under_figures_box(text, self._after_widgets(text, start))
            if box:
                return box, "the heading under a figures box"
        if kind == "innovation" or self._is_heading(text, start):
            # innovation sheets and some project pages open with a section heading, not a title
            return None, "no title: the page opens with a section heading"
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        first = text[start:end].rstrip()
        # never the title, the line under it may be: a widget ("×", "<", "|"), a breadcrumb, a share
        # line (widget_line), an update or publication notice above the heading ("Mis à jour le 14
        # janvier 2025", "Publié le 12 mars 2024": content, not the title, GUIDELINE §10, §26)
        for _ in range(6):
            if not (first.strip() and end < len(text) and (self.widget_line(first) or self.page_metadata.fullmatch(first))):
                break
            start = end + 1
            while start < len(text) and text[start] in " \t\n":
                start += 1
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
            first = text[start:end].rstrip()
        if first.rstrip().endswith("?") and self.questions(text, start) >= self.cfg["standing_page_min_questions"]:
            # a page of questions and answers opening on its first question: a section's heading,
            # not the page's (GUIDELINE §8.1 B, §26)
            return None, "no title: the page opens with a question heading its own answer"
        if self._reads_as_prose(text, start, first):
            return None, "no title: the page opens with body prose"   # the page opens with its body
        rule = "the first content line"
        if kind == "news" and first and first[-1] not in ".!?:»\"" and end < len(text):
            glued = self._glued_headline_end(text, end)
            if glued is not None:
                end = glued
                rule = "the headline, hard-wrapped, to the dash that glues the body to it"
        s, e = strip_offsets(text, start, end)
        return ((s, e), rule) if e > s else (None, "no title: the page is empty")

    def _glued_headline_end(self, text: str, end: int) -> int | None:
        r"""Where a hard-wrapped headline ends, when the body is glued to it by a dash on one of the
        next lines ("… soutient la prévention de\nla traite dans les provinces frontalières du\nNord–
        L'OIM a lancé"), or None; ``end`` is the end of the headline's first line.

        >>> r = LayoutRules(models_dir())
        >>> t = "Le Japon finance la réinsertion\ndans l'est de la RDC– L'OIM et le …"
        >>> t[:r._glued_headline_end(t, t.index("\n"))]
        "Le Japon finance la réinsertion\ndans l'est de la RDC"
        >>> t = "Viet Nam : le Luxembourg soutient la prévention de\nla traite dans les provinces du\nNord– L'OIM a lancé …"
        >>> t[:r._glued_headline_end(t, t.index("\n"))].split("\n")[-1]
        'Nord'
        >>> t = "Mexique : l'OIM ouvre des permanences pour les\ntravailleurs agricoles du Chiapas–\nL'OIM et le …"
        >>> t[:r._glued_headline_end(t, t.index("\n"))].split("\n")[-1]
        'travailleurs agricoles du Chiapas'
        >>> r._glued_headline_end("Un titre\nZimbabwe – L’OIM a …", 8) is None
        True
        """
        line_end = end
        for k in range(self.cfg["title_wrap_max_lines"]):
            a = line_end + 1
            b = text.find("\n", a)
            b = len(text) if b < 0 else b
            # the glue dash opens the body, with a capital ("humains– L'OIM et"), on this line or at
            # its end with the body on the next one ("du Chiapas–\nL'OIM"); a dash before a
            # lower-case word is an aside inside a sentence ("les déplacements légitimes – commerce,
            # travail saisonnier – tout en …"), and that line is the body, not the headline's end
            dash = re.search(r"\s*[–—]\s+(?=[A-ZÀÂÉÈÊÎÔÛÇ])", text[a:min(len(text), b + 2)])
            if dash and a + dash.start() >= b:
                dash = None
            # a line that opens in lower case continues the headline ("Le Japon finance … ex-combattants
            # \ndans l'est de la RDC– L'OIM"), as does one after a line left on a little word
            # ("… provinces frontalières du\nNord– L'OIM"); a next line that opens with a dateline
            # ("Zimbabwe – L’OIM …", "Libye - Le 7 mars, … bloqués – 76 hommes") is the body,
            # whatever dashes follow: a dateline opens on a place's capital
            lower = text[a:a + 1].islower()
            carried = k > 0 and self.wrap_word.search(text[:a - 1]) is not None
            if dash and (lower or carried or dash.start() > self.cfg["title_wrap_min_chars"]) and \
                    (carried or not self.dateline_match(text, a, b)):
                return a + dash.start()
            line = text[a:b].rstrip()
            # no glue on this line: the headline goes on only over a line that opens in lower case
            # and ends with no closing punctuation
            if not (lower and line and line[-1] not in ".!?:»\"" and b < len(text)):
                return None
            line_end = b
        return None

    def under_figures_box(self, text: str, start: int) -> tuple[int, int] | None:
        """The heading under a figures box that opens the content, or None (models/layout.json
        "_comment_figures_box"): the box's heading names figures, a line with a figure follows it,
        and the title is the first line after it that opens with a capital, holds no digit and no
        closing punctuation, and is no section heading.

        >>> r = LayoutRules(models_dir())
        >>> t = "Chiffres clés 2024\\n14 500\\npersonnes orientées\\n\\nL’OIM en Uruguay\\n\\nPrésente à Montevideo depuis 1992, l’OIM …"
        >>> t[slice(*r.under_figures_box(t, 0))]
        'L’OIM en Uruguay'
        >>> r.under_figures_box("Chiffres clés\\n9,8 millions d’euros\\napportés par l’UE\\nLe programme\\nLe Programme d’appui …", 0) is None
        True
        >>> r.under_figures_box("Faits et chiffres\\n12 bureaux\\nL’OIM au Tchad\\n", 0) is None
        True
        """
        lines = lines_with_offsets(text, start, min(len(text), start + 1500))
        if not lines or not self.figures_box.match(lines[0][0].strip()):
            return None
        rest = lines[1:self.cfg["figures_box_reach_lines"] + 1]
        if not any(re.search(r"\d", line) for line, _ in rest[:self.cfg["figures_box_item_lines"]]):
            return None
        for line, pos in rest:
            s = line.strip()
            if not s or re.search(r"\d", s) or not s[0].isupper() or s[-1] in ".!?:;,":
                continue
            if fold(s) in self.headings or len(s.split()) > 14:
                return None
            a = pos + len(line) - len(line.lstrip())
            return a, a + len(s)
        return None

    def label_lines(self, text: str, start: int, reach: int = 3000) -> set[str]:
        """The distinct project-sheet labels that stand on lines of their own near the start."""
        names = set()
        for line, _ in lines_with_offsets(text, start, min(len(text), start + reach)):
            hit = self.label(line)
            if hit:
                names.add(hit[0])
        return names

    def _reads_as_prose(self, text: str, start: int, first: str) -> bool:
        if self.dateline_match(text, start, start + len(first)):
            return True
        if re.search(r"[a-zé][.!?]\s+[A-ZÉÈÀ«]", first):   # two sentences
            return True
        if len(first) > self.cfg["title_never_chars"]:
            return True
        return len(first) > self.cfg["title_max_chars"] and first.endswith((".", "!", "?", "»"))

    def _is_heading(self, text: str, start: int) -> bool:
        end = text.find("\n", start)
        line = fold(text[start:end if end >= 0 else len(text)])
        return line in self.headings


for name, default in (("content_start", 0), ("kind", "other"), ("fields", None), ("title_span", None),
                      ("layout_evidence", None)):
    if not Doc.has_extension(name):
        Doc.set_extension(name, default=default)


@Language.factory("iom_layout", default_config={"data_dir": None},
                  assigns=["doc._.content_start", "doc._.kind", "doc._.fields", "doc._.title_span",
                           "doc._.layout_evidence"])
def make_layout(nlp: Language, name: str, data_dir: str | None):
    return LayoutComponent(Path(data_dir) if data_dir else models_dir())


class LayoutComponent(DataComponent):
    """Sets doc._.content_start, doc._.kind, doc._.fields (list[Field]) and doc._.title_span."""

    files = ("layout.json", "labels.tsv", "patterns.jsonl", "countries.tsv")

    def load(self):
        self.rules = LayoutRules(self.data_dir)

    def __call__(self, doc: Doc) -> Doc:
        text = page_text(doc)
        r = self.rules
        ext = doc._   # one Underscore object for the component (each doc._ builds one)
        if doc.user_data.get("iom_continuation"):
            # a later segment of a very long page (Extractor.SEGMENT_CHARS): all content, no title,
            # the kind its first segment was given
            ext.content_start = 0
            ext.fields = r.mark_not_own(r.fields(text, 0))
            ext.kind = doc.user_data["iom_continuation"]
            ext.title_span = None
            ext.layout_evidence = {"kind": {"rule": "the page's first segment"}, "title": {"rule": "no title"}}
            return doc
        start = r.content_start(text)
        dev = r.devfund_fields(text, start)
        fields = dev + [f for f in r.fields(text, start) if not any(d.start <= f.start < d.end for d in dev)]
        fields.sort(key=lambda f: f.start)
        fields = r.mark_not_own(fields)
        ext.content_start = start
        ext.fields = fields
        ext.kind, kind_ev = r.kind_with_rule(text, start, fields, bool(dev))
        ext.title_span, title_rule = r.title_with_rule(text, start, ext.kind)
        ext.layout_evidence = {"kind": kind_ev, "title": {"rule": title_rule},
                               "dateline": r.dateline_span(text, start, kind_ev) if ext.kind in ("news", "other")
                               else None,
                               "metadata": r.metadata_spans(text, start) if ext.kind in ("news", "other") else []}
        return doc
