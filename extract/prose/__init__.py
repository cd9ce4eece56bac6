"""Decisions read from running text (issue 14): which sum is the project's budget, which date its
start or end, which duration its own, which list its outputs.

A release says these things in ways no phrase list can hold ("a récemment alloué", "D'une durée
de dix-huit mois, ce projet…", "Le projet consistera à : 1) …"). So each decision is made over
*candidates* (every sum, date, duration and enumerated list in the content) from evidence that
carries to new sentences:

* the sentence's structure, from fr_core_news_md's dependency parser run on the candidate's
  clause only (extract/parse.py): what the candidate is attached to, by which relation, through
  which preposition, under which subject;
* concepts rather than phrases (models/prose_lexicon.json): a word is a "verb that funds" or a
  "noun that names the project" by its stem, so "allouera", "a alloué", "allocation" are one thing;
* the words around it (stems), its place (headline, first paragraph), the page's kind, and what
  the hand-written rules say.

Logistic regressions over those features (extract/prose/model.py), trained on the dev and dev2
splits by `python -m extract train` and compared with the rules by cross-validation by page
(extract/prose/train.py); models/prose_models.json records which won, per decision, and the
pipeline uses the winner.
"""
