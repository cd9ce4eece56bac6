"""Running-text decisions (issue 14): sentences of the shapes new pages bring, written for these
tests (not taken from any page), the look-alikes that must not be taken, the parser on clauses
only, and the trained choice rebuilt byte for byte."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from extract.paths import models_dir

ROOT = Path(__file__).resolve().parent.parent
HEAD = "Le Japon soutient un projet de l'OIM au Niger\nNiamey - "


def rec(extractor, sentence):
    return extractor.extract(HEAD + sentence, id="t")


@pytest.mark.parametrize("sentence, months", [
    ("D'une durée de dix-huit mois, ce projet vise à renforcer la gestion des frontières.", 18),
    ("Ce programme de 250 000 euros sur trois ans aidera les communautés d'accueil.", 36),
    ("Le projet de deux ans a été lancé avec le ministère.", 24),
    # the pronoun after "d'une durée de" stands for the project; after "pendant", a person's time
    ("D'une durée de trois ans, il couvre quatre régions du sud du pays.", 36),
    ("Pendant deux ans, il a vécu en Libye avant de rentrer.", None),
    ("Le projet aide les jeunes de 15 ans à trouver un emploi.", None),          # an age
    ("Le projet a été lancé il y a deux ans par le gouvernement.", None),       # a time since
    ("Depuis dix ans, l'OIM aide les migrants de la région.", None),
    # the project's activities are the project's; an adjective may state the length
    ("Financées par la Norvège, les activités se dérouleront sur quatre ans dans trois provinces.", 48),
    ("Le ministère et l'OIM ont signé un programme biennal d'appui aux communes frontalières.", 24),
    # a verb that says how long the project runs (models/prose_lexicon.json "run_verb")
    ("Financé par la Suède, ce projet sera mené sur deux ans dans trois régions du pays.", 24),
    ("Le Japon finance un programme que l'OIM conduira pendant dix-huit mois avec le ministère.", 18),
    # "prévue pour N mois", "soit une durée de N", "au cours des N prochains mois" said of the
    # project, its funding or the OIM (models/date_cues.json duration, eighteenth session)
    ("Cette allocation permettra à l'OIM d'aider 3 000 ménages au cours des six prochains mois.", 6),
    ("Au cours des trente prochains mois, l'OIM formera 900 agents des frontières.", 30),
    ("L'opération, prévue pour six mois, permettra de distribuer des abris.", 6),
    ("Le projet a démarré en octobre 2017 et s'achèvera en mars 2020, soit une durée de deux ans et demi.", 30),
    ("Un ménage sur cinq envisage de rentrer chez lui au cours des trois prochains mois.", None),
    ("L'OIM et le ministère ont signé une convention qui encadre, pour les deux prochaines années, l'aide au retour.", 24),
    # lengths in semesters, a half-year, years and months (extract/normalize/dates.py UNIT_MONTHS,
    # thirtieth session; GUIDELINE §32-§34); a quarter or a semester named by its rank is a date
    ("Prévu pour trois semestres, ce projet accompagne 2 400 rapatriés.", 18),
    ("Le projet, d'une durée d'un an et huit mois, aidera les familles d'accueil.", 20),
    ("Le projet a démarré au deuxième semestre 2024 dans trois provinces.", None),
    ("Les résultats du premier trimestre 2025 sont encourageants, selon l'OIM.", None),
])
def test_durations(extractor, sentence, months):
    assert rec(extractor, sentence).duration_months == months


@pytest.mark.parametrize("sentence, budget", [
    # no rule reads this sum; the budget model does (p=0.72). It was a strict xfail from the
    # twenty-seventh session to the twenty-ninth, under a threshold of 0.8; the thirtieth session's
    # training takes the better merit before the higher threshold (extract/prose/train.py choose)
    ("Le projet est financé par le gouvernement suisse par le biais d'une aide de 3 millions de dollars.",
     {"amount": 3000000.0, "currency": "USD"}),
    ("Ce programme de 250 000 euros sur trois ans aidera les communautés d'accueil.",
     {"amount": 250000.0, "currency": "EUR"}),
    ("L'OIM lance un appel de 20 millions de dollars pour aider les déplacés.", None),          # an appeal
    ("Les travailleurs recevront des subventions de 50 000 TK (680 dollars) à quelque 36 500 travailleurs.", None),
    ("Chaque famille reçoit 300 dollars par famille pour reconstruire.", None),
    # remittances named after the sum (models/budget_cues.json negative_after)
    ("En 2019, le pays a reçu 2,5 milliards de dollars d'envois de fonds de sa diaspora.", None),
    # "un projet doté de" presents the project; a past verb before "plus de" is a donor's running
    # total; "d'une valeur de" after goods is their worth (models/budget_cues.json, nineteenth session)
    ("Le ministère et l'OIM ont présenté hier un projet doté de 400 000 dollars pour les jeunes.",
     {"amount": 400000.0, "currency": "USD"}),
    ("Depuis 2015, l'Allemagne a versé plus de 12 millions d'euros à l'OIM dans le pays.", None),
    ("Du matériel informatique d'une valeur de 25 000 euros a été remis à la police des frontières.", None),
    # what the project builds on (models/budget_cues.json builds_on, twentieth session)
    ("Ce financement fait suite à un premier don de 750 000 euros accordé par la Suède en 2021.", None),
])
def test_budgets(extractor, sentence, budget):
    assert rec(extractor, sentence).budget == budget


@pytest.mark.parametrize("sentence, start, end", [
    ("Lancé en juin 2015, le projet a déjà aidé 5 000 migrants.", "2015-06", None),
    ("Le projet, qui se terminera en décembre 2018, a permis de former 200 agents.", None, "2018-12"),
    ("Depuis le début de la crise en décembre 2013, des milliers de personnes ont fui.", None, None),
    ("Depuis début 2016, près de 260 000 personnes sont rentrées.", None, None),
    # a range: its two ends, whichever decided the start
    ("La Suède finance un projet triennal (2020-2022) de l'OIM pour la santé des migrants.", "2020", "2022"),
    ("Le ministère et l'OIM conduiront pour la période 2016-2018 un programme pour les travailleurs.", "2016", "2018"),
    ("L'OIM et le ministère ont lancé un programme qui se déroulera de 2015 à 2018 dans six provinces.", "2015", "2018"),
    # the project's period, beside a date found alone (components/prose.py period_may_replace)
    # (a strict xfail in the sixteenth session, when the end model picked 2013 itself and the start
    # model kept September 2010; the models retrained in the seventeenth read it right again)
    ("Les premiers chantiers débuteront en septembre 2010. L'OIM et le ministère lancent un programme "
     "quadriennal (2010-2013) de stabilisation communautaire.", "2010", "2013"),
    # a range after words that carry the project out (models/date_cues.json period_lead)
    ("L'OIM met en œuvre de mars 2021 à février 2023 un programme d'emploi avec le ministère.", "2021-03", "2023-02"),
    ("Mis en œuvre par l'OIM de 2019 à 2022, le projet a formé 400 agents des douanes.", "2019", "2022"),
    # "couvre la période …" said of the project, not in a relative clause of a plan; "court de … à";
    # a launch on a day that the sentence says is the project's
    ("Le projet, d'une durée de deux ans, couvre la période de mars 2024 à février 2026.", "2024-03", "2026-02"),
    ("Le programme couvrira la période 2024-2027 et sera mis en œuvre dans quatre pays.", "2024", "2027"),
    ("Le projet court d'octobre 2024 à mars 2026 et concerne cinq îles.", "2024-10", "2026-03"),
    ("Le projet a été lancé le 1er novembre 2024 dans trois municipalités.", "2024-11-01", None),
    ("Le plan de réponse lancé le 19 novembre 2020 par les Nations Unies sollicite 17 millions de dollars.", None, None),
    # a named plan's period in brackets is the plan's
    ("Le pays a adopté son premier Plan national d'action contre la traite (2016-2018), élaboré avec l'OIM.", None, None),
    # the project's launch or close, by the words after the date or a long way before it
    # (models/date_cues.json start_launch, end_close); plural start and end verbs; "mis en œuvre
    # depuis"; "jusqu'à la fin de l'année"
    ("Le ministre et l'OIM ont procédé le 12 mars 2024 au lancement officiel du projet « Horizon ».", "2024-03-12", None),
    ("L'OIM et le ministère ont officiellement lancé hier, 9 mai 2023, un projet de réduction des risques.", "2023-05-09", None),
    ("La cérémonie de clôture du projet d'appui aux migrants de retour en Guinée s'est tenue le 26 février 2021 à Conakry.",
     None, "2021-02-26"),
    ("L'OIM a organisé le 24 février 2023 l'atelier de clôture du projet de stabilisation communautaire.", None, "2023-02-24"),
    ("L'OIM a présenté trois projets qui débuteront en janvier 2020 au Gabon et au Tchad.", "2020-01", None),
    ("Les trois projets débuteront en janvier 2017 et s'achèveront en décembre 2018.", "2017-01", "2018-12"),
    ("Mis en œuvre depuis avril 2021 par l'OIM, le programme aide les migrants à rentrer chez eux.", "2021-04", None),
    ("D'une durée de dix-huit mois, le projet sera mis en œuvre jusqu'à la fin de l'année 2022.", None, "2022"),
    # … not another thing's launch or close
    ("Un premier appel, lancé le 3 mars 2011, avait permis de réunir 62 millions de dollars.", None, None),
    ("La clôture des inscriptions est prévue le 30 juin 2024 pour les candidats.", None, None),
    # a start reckoned from, after the project's length
    ("Dotée de 5 millions d'euros, la deuxième phase s'étendra sur trente mois à compter de mai 2021.", "2021-05", None),
    # another thing's period: neither end is a candidate (models/date_cues.json period_other; a strict
    # xfail in the seventeenth session, when the end model made 2024 the end)
    ("Le programme s'inscrit dans le Plan national de la Somalie, qui couvre la période 2020-2024.", None, None),
    ("Le programme national de lutte contre la traite, qui couvre les années 2024 à 2028, a été adopté.", None, None),
    # "depuis" reckoning from the project's own beginning (models/date_cues.json), a participle
    ("Financée depuis mars 2012 par la Suisse, l'aide au retour des victimes de la traite se poursuit.", "2012-03", None),
    ("Depuis son lancement en septembre 2010, le programme a aidé 3 000 migrants à rentrer.", "2010-09", None),
    ("Depuis le début du projet en mai 2017, plus de 6 000 personnes ont été aidées.", "2017-05", None),
    ("Démarré en 2021, ce projet a formé 300 agents des douanes.", "2021", None),
    # … not from another thing's
    ("Depuis le début des attaques en octobre 2017, 780 000 personnes ont fui leurs villages.", None, None),
    # the range of the budget's sentence (components/prose.py period_range, nineteenth session), a
    # dash between a month and a month of a later year; not an earlier thing's
    ("Le Danemark finance le programme à hauteur de 2 millions d'euros, de mars 2021 à août 2023.", "2021-03", "2023-08"),
    ("La Norvège lui a accordé 3 millions de couronnes pour la période octobre 2022 – mars 2024.", "2022-10", "2024-03"),
    ("Un premier appui, mené de 2019 à 2021 grâce à 200 000 dollars de l'Italie, a formé 40 juges.", None, None),
    # end verbs in every tense; a start verb in the present after its pronoun; the project's name
    # between "depuis le lancement de l'initiative" and its date
    ("Le projet a démarré en avril 2020 et se terminera le 31 mars 2022 à Bamako.", "2020-04", "2022-03-31"),
    ("Le programme, engagé avec le ministère, s'achèvera fin 2024 dans les trois régions.", None, "2024"),
    ("L'aide japonaise, qui démarre ce 1er juin 2023, couvrira une année entière.", "2023-06-01", None),
    ("Ce vol porte à 9 000 le nombre de retours depuis le lancement de l'Initiative conjointe pour la "
     "protection des migrants au Niger en 2017.", "2017", None),
    ("Le projet débutera le 1er mars 2025 dans quatre provinces du pays.", "2025-03-01", None),
    ("L'opération a commencé en avril et se poursuivra jusqu'à la fin de décembre 2025.", None, "2025-12"),
    # … not what a launch launches when it is named after the date, nor an earlier programme's period
    ("La communauté régionale a lancé en mai 2024 un appel de 2 milliards de dollars pour la région.", None, None),
    ("La nouvelle phase prolonge un premier programme mis en œuvre de 2019 à 2022 dans la région.", None, None),
    # end verbs in the past after the project's noun or pronoun; not an earlier project's, not a
    # war's (models/date_cues.json, twentieth session)
    ("Il a démarré en mars 2019 pour une durée de 36 mois et a pris fin en mars 2022, selon l'OIM.", "2019-03", "2022-03"),
    ("Le projet « Terres fertiles » s'est officiellement achevé le 30 juin 2024 à Kayes.", None, "2024-06-30"),
    ("Des milliers de personnes ont fui pendant la guerre civile qui a pris fin en 2002.", None, None),
    ("Le premier projet, financé par la Belgique, s'est achevé en décembre 2017 à Gao.", None, None),
    # a day and month opening a range of one year; a range after the project's length; a project's
    # entry into force; not a law's (GUIDELINE §17, models/date_cues.json, twentieth session)
    ("Le financement du projet couvre la période du 1er avril au 30 septembre 2025 dans deux districts.",
     "2025-04-01", "2025-09-30"),
    ("Prévu sur dix-huit mois, de février 2024 à juillet 2025, le projet est mis en œuvre avec le ministère.",
     "2024-02", "2025-07"),
    ("Signé hier, le projet entrera en vigueur le 1er juin 2025 dans trois provinces.", "2025-06-01", None),
    ("La loi sur l'emploi à l'étranger, entrée en vigueur le 1er janvier 2022, interdit ces frais.", None, None),
    # what the project builds on is another thing (models/budget_cues.json builds_on)
    ("Ce projet complète le programme d'état civil financé depuis 2019 par l'Union européenne.", None, None),
])
def test_periods(extractor, sentence, start, end):
    r = rec(extractor, sentence)
    assert (r.start_date, r.end_date) == (start, end)


@pytest.mark.parametrize("before, start", [
    ("financée depuis ", True),
    ("Financé depuis le ", True),
    ("Depuis son lancement en ", True),
    ("depuis le démarrage de cette initiative en ", True),   # longer than the old 30-character window
    ("Depuis le début du projet en ", True),
    ("Démarrés en ", True),
    ("Depuis le début de la crise en ", False),
    ("Depuis sa création en ", False),
    ("depuis le ", False),
])
def test_start_cues_that_reckon_from_the_projects_beginning(before, start):
    from extract.components.prose import ProseRules
    from extract.paths import models_dir

    text = before + "mai 2017, l'OIM a aidé 6 000 personnes."
    date = (len(before), len(before) + len("mai 2017"), "2017-05")
    starts, _, why = ProseRules(models_dir()).dates(text, 0, [date])
    assert (starts == [date]) is start
    if start:
        assert why["start"].startswith("rule: start cue")


def _dates(text, *values):
    """Date candidates at the first place each value's text is written."""
    from extract.prose.features import Candidate

    out, at = [], 0
    for written, iso in values:
        a = text.index(written, at)
        out.append(Candidate("date", a, a + len(written), iso))
        at = a + len(written)
    return out


@pytest.mark.parametrize("text, values, end", [
    # the start decided opens a range: its other end is the end
    ("Le programme se déroulera de 2015 à 2018 dans six provinces.", [("2015", "2015"), ("2018", "2018")], "2018"),
    ("Un projet triennal (2020-2022) de l'OIM.", [("2020", "2020"), ("2022", "2022")], "2022"),
    ("Mis en œuvre de septembre 2018 à août 2021, il couvrira trois régions.",
     [("septembre 2018", "2018-09"), ("août 2021", "2021-08")], "2021-08"),
    # two dates that are no range: nothing added
    ("Lancé en 2016, le projet a été évalué en 2018.", [("2016", "2016"), ("2018", "2018")], None),
    # a dash between a later and an earlier year is no range
    ("Le projet (2020-2018 selon les sources) a été lancé.", [("2020", "2020"), ("2018", "2018")], None),
])
def test_the_end_of_a_range_whose_start_was_decided(text, values, end):
    from extract.components.prose import _decide, pair_range

    cands = _dates(text, *values)
    prose = {"start_date": None, "end_date": None, "duration_months": None, "evidence": {}}
    _decide(prose, "start_date", cands[0].value, cands[0].start, cands[0].end, "model")
    pair_range(cands, prose, text)
    assert prose["end_date"] == end
    if end:
        assert prose["evidence"]["end_date"]["rule"].startswith("range: the end of the period its start opens")


def test_a_range_adds_no_end_when_an_end_is_decided_or_no_start():
    from extract.components.prose import _decide, pair_range

    text = "Le programme se déroulera de 2015 à 2018, puis jusqu'en 2020."
    cands = _dates(text, ("2015", "2015"), ("2018", "2018"), ("2020", "2020"))
    prose = {"start_date": None, "end_date": None, "duration_months": None, "evidence": {}}
    pair_range(cands, prose, text)
    assert prose["end_date"] is None                      # no start decided: the range says nothing
    _decide(prose, "start_date", "2015", cands[0].start, cands[0].end, "model")
    _decide(prose, "end_date", "2020", cands[2].start, cands[2].end, "model")
    pair_range(cands, prose, text)
    assert prose["end_date"] == "2020"                    # the end decided stays


@pytest.mark.parametrize("sentence, ids", [
    ("Quatre produits sont prévus pour atteindre cet objectif : 1) un centre d'accueil rénové ; 2) 300 agents "
     "formés ; 3) une base de données ; 4) une campagne d'information.", ["1", "2", "3", "4"]),
    ("Le projet consistera à : 1) former les agents des frontières 2) équiper les postes 3) sensibiliser les "
     "communautés.", ["1", "2", "3"]),
    ("Les principaux produits seront les suivants : la création d'un observatoire, la formation de 50 "
     "fonctionnaires et la publication d'un rapport annuel.", [None, None, None]),
    ("Le projet prévoit :\n- la formation de 40 agents ;\n- la rénovation de deux centres ;\n- une étude.",
     [None, None, None]),
    ("Les objectifs du projet sont : réduire la migration irrégulière, protéger les migrants.", []),
    ("Le projet comprend deux autres piliers : une évaluation, un profil migratoire.", []),
    ("D'après les résultats : 99 % des personnes interrogées, 72 % des ménages.", []),
    # organised around: the project (or "il") as subject, not an office's work
    ("Il s'organisera autour de deux piliers : a) l'accueil des rapatriés ; b) leur insertion économique.",
     ["a", "b"]),
    ("Le travail du bureau s'articule autour des thèmes suivants :\n- la santé ;\n- les frontières.", []),
    # an expected-results participle after its verb; "Résultat N –" lines; roman numerals with no colon;
    # capital letters
    ("Deux résultats sont escomptés :\nRésultat 1 – Les agents sont formés.\nRésultat 2 – Les postes sont équipés.",
     ["1", "2"]),
    ("Le projet financera i) la réhabilitation de six écoles ; ii) la formation de 80 enseignants.", ["i", "ii"]),
    ("Voici ce que le programme livrera :\nA. Un registre des rapatriés.\nB. Un guichet unique à Dakar.",
     ["A", "B"]),
])
def test_lists_of_outputs(extractor, sentence, ids):
    assert [d["id"] for d in rec(extractor, sentence).deliverables] == ids


@pytest.mark.parametrize("sentence, items", [
    # markers in parentheses, "(i)" "(a)" "(1)", as "i)" "a)" "1)"
    ("Le projet permettra de : (i) renforcer les services frontaliers ; (ii) créer deux centres d'accueil.",
     [("i", "renforcer les services frontaliers"), ("ii", "créer deux centres d'accueil")]),
    ("Le projet prévoit (a) la rénovation de deux centres, (b) la formation de 300 agents et (c) un manuel.",
     [("a", "la rénovation de deux centres"), ("b", "la formation de 300 agents"), ("c", "un manuel")]),
    # small letters with a dot, each on its line
    ("Le projet comprend trois volets :\na. un manuel de formation ;\nb. deux centres rénovés ;\nc. 300 agents formés.",
     [("a", "un manuel de formation"), ("b", "deux centres rénovés"), ("c", "300 agents formés")]),
    # an inline numbered list whose items are separated by commas and "et"
    ("Le projet s'articule autour de trois produits : 1) un manuel, 2) deux centres rénovés et 3) 300 agents formés.",
     [("1", "un manuel"), ("2", "deux centres rénovés"), ("3", "300 agents formés")]),
    # the near future of what the project or its funding will do
    ("Grâce à ce financement, l'OIM va :\n– élaborer un manuel ;\n– rénover deux centres d'accueil.",
     [(None, "élaborer un manuel"), (None, "rénover deux centres d'accueil")]),
    # a purpose clause after the last item belongs to the list (GUIDELINE §8.1 G)
    ("Le projet s'articule autour de trois volets :\n1. un registre ;\n2. des formations ;\n3. un système d'alerte, "
     "afin d'anticiper les crises.", [("1", "un registre"), ("2", "des formations"), ("3", "un système d'alerte")]),
    ("Le projet prévoit : a) des brigades mobiles ; b) la prise en charge des femmes enceintes et c) l'accompagnement "
     "des migrants, afin qu'aucun patient ne soit privé de soins.",
     [("a", "des brigades mobiles"), ("b", "la prise en charge des femmes enceintes"),
      ("c", "l'accompagnement des migrants")]),
    # "A ; B ; ainsi que C", and "A, des B, ainsi qu'un C" after "Les principaux produits … comprendront"
    ("Les principaux produits attendus du projet sont : la mise en service de deux postes ; la formation de "
     "120 agents ; ainsi que l'élaboration de procédures.",
     [(None, "la mise en service de deux postes"), (None, "la formation de 120 agents"),
      (None, "l'élaboration de procédures")]),
    ("Les principaux produits de ce projet comprendront un dispositif de suivi, déployé dans 40 communes, des plans "
     "communaux d'adaptation, ainsi qu'un guide national.",
     [(None, "un dispositif de suivi, déployé dans 40 communes"), (None, "des plans communaux d'adaptation"),
      (None, "un guide national")]),
    # what the project aims at is no list of outputs, whatever its markers
    ("Le projet vise à : (i) renforcer les services frontaliers ; (ii) créer deux centres d'accueil.", []),
])
def test_more_forms_of_lists_of_outputs(extractor, sentence, items):
    got = [(d["id"], d["text"]) for d in rec(extractor, sentence).to_dict()["deliverables"]]
    assert sorted(got, key=str) == sorted(items, key=str)


def test_a_standing_page_is_other_and_a_release_is_news(extractor):
    page = "Aide au retour volontaire\n\nLes programmes d'aide au retour de l'OIM offrent une solution aux migrants."
    assert extractor.extract(page).kind == "other"
    assert extractor.extract(HEAD + "L'OIM a distribué des abris.").kind == "news"


# iom.int's navigation, which ends with "- 2030 AGENDA" above every page of the site, releases and
# standing pages alike
NAV = "Qui sommes nous\nNotre travail\n- Données et recherche\n- 2030 AGENDA\n"
PARA = "L’OIM aide les gouvernements de la région à anticiper ces mouvements et à protéger les personnes."


@pytest.mark.parametrize("content, kind", [
    # a country office's page, a facts page, a how-to page with question headings: standing pages
    ("L’OIM au Tchad\nPrésente au Tchad depuis 2006, l’OIM y emploie près de 400 personnes.\n", "other"),
    ("L'OIM en République centrafricaine\nL'OIM y aide les personnes déplacées.\n", "other"),
    # a regional office's page: a place's proper name with no verb (nineteenth session)
    ("L’OIM dans la Corne de l’Afrique\nL’OIM y appuie six États de la région.\n", "other"),
    ("Faits et chiffres\nL'OIM en bref : 175 États membres.\n", "other"),
    ("Aide au retour depuis le Maroc\nL'OIM accompagne les migrants.\nQui peut en bénéficier ?\n"
     "Tout migrant qui le souhaite.\nQue comprend l'aide ?\nLe voyage et une allocation.\n", "other"),
    # a thematic page: section headings above paragraphs
    ("Migration et climat dans le Pacifique\n" + PARA + "\nL’approche de l’OIM\n" + PARA + "\nPartenaires\n" + PARA + "\n",
     "other"),
    # a release under the same navigation: a headline with a verb, one question in the body, one
    # short line that is not a heading (a single one is not enough)
    ("L'OIM au Niger ouvre un centre pour les migrants\nL'OIM a ouvert hier un centre à Agadez.\n", "news"),
    ("L'OIM distribue des abris\nQue faire quand tout est perdu ? L'OIM a distribué 500 abris.\n", "news"),
    ("L'OIM distribue des abris au Mozambique\n" + PARA + "\nUne réponse rapide\n" + PARA + "\n", "news"),
])
def test_a_standing_page_under_the_news_navigation(extractor, content, kind):
    r = extractor.extract(NAV + content).to_dict()
    assert r["kind"] == kind
    rule = r["evidence"]["kind"]["rule"]
    if kind == "news":
        assert rule.startswith("layout: iom.int news navigation")
    elif "?" in content:
        assert rule.startswith("layout: headings that are questions")
    elif "Partenaires" in content:
        assert rule == "layout: section headings (2: 'L’approche de l’OIM', …)"
    else:
        assert rule.startswith("layout: a standing page's title")


def test_a_line_that_dates_the_page_is_never_the_projects_start(extractor):
    page = (NAV + "Faits et chiffres\nDernière mise à jour : juin 2020\n"
            "Le projet, lancé en mars 2019, aide les migrants de retour au Niger.\n")
    r = extractor.extract(page).to_dict()
    assert r["start_date"] == "2019-03"
    assert extractor.extract(page.replace("lancé en mars 2019, ", "")).start_date is None
    doc = extractor.nlp(page)
    vetoed = {page[c["start"]:c["end"]]: c["rule"]["veto"] for c in doc.user_data["iom_candidates"] if c["kind"] == "date"}
    assert vetoed == {"juin 2020": True, "mars 2019": False}


def test_a_duration_is_compared_with_the_pages_other_durations(extractor):
    """rel:most / rel:only (models/prose_lexicon.json "_evidence"): of a page's durations, the one
    its sentence ties to the project most (a run verb, a period noun, the project as subject)."""
    page = (HEAD + "Les familles attendent en moyenne quatre mois une réponse. D'une durée de dix-huit mois, "
            "le projet vise à renforcer les centres.")
    doc = extractor.nlp(page)
    feats = {page[c["start"]:c["end"]]: sorted(k for k in c["feats"] if k.startswith("rel:"))
             for c in doc.user_data["iom_candidates"] if c["kind"] == "duration"}
    assert feats == {"quatre mois": [], "dix-huit mois": ["rel:most", "rel:only"]}
    # a trained duration model reads them when its feature set has the parse's (they compare
    # parsed evidence); since the eighteenth session's duration rules, `python -m extract train`
    # chose lexical features, which leave them out
    chosen = json.loads((ROOT / "models" / "prose_models.json").read_text("utf-8"))["duration"]
    weights = chosen["model"]["weights"]
    if chosen["features"] == "lexical":
        assert not any(k.startswith("rel:") for k in weights)
    else:
        assert weights.get("rel:most", 0) > 0


def test_the_lexicon_names_only_concepts_and_kinds():
    from extract.prose.text import Lexicon

    assert Lexicon({"run_verb": {"dur"}}, evidence={"duration": ["run_verb"]}).evidence == {"duration": ("run_verb",)}
    with pytest.raises(ValueError, match="_evidence"):
        Lexicon({"run_verb": {"dur"}}, evidence={"duration": ["run_verbs"]})
    with pytest.raises(ValueError, match="_evidence"):
        Lexicon({"run_verb": {"dur"}}, evidence={"durations": ["run_verb"]})


def test_headings_that_look_like_datelines_and_site_furniture(extractor):
    # a heading line with a dash that ends the line is not a dateline: a standing page stays `other`
    page = ("L'OIM au Tchad\nN'Djamena – Bureau de pays\nL'OIM est présente au Tchad depuis 1999 et "
            "appuie le gouvernement dans la gestion des migrations.")
    assert extractor.extract(page).kind == "other"
    # "Ville, Pays –" opens a release
    assert extractor.extract("Un centre ouvre ses portes\nKayes, Mali – L'OIM a ouvert un centre d'accueil "
                             "pour les migrants de retour.").kind == "news"
    # a widget line with no letter is never the title
    assert extractor.extract("×\nSoutenir le Fonds permet à des pays de lancer des projets. Il finance des "
                             "études.\n\nSuite.").title is None
    # a country office's menu, its entries one per line, then the headline; past its last listed
    # entry, a breadcrumb and entries the list does not hold before a headline
    # (LayoutRules._menu_tail); a short heading before a paragraph stays the content's
    menus = [("OIM Niger\nAccueil\nNos programmes\nCommuniqués\nRecrutement\nNous contacter\n"
              "Le Japon finance un centre de transit à Agadez\nAgadez – L'OIM a inauguré un centre.",
              "Le Japon finance un centre de transit à Agadez"),
             ("OIM Bénin\nAccueil\nNos programmes\nSalle de presse\nContact\nAccueil › Salle de presse › Communiqués\n"
              "Cotonou : un nouveau centre d'écoute pour les migrants\nCotonou, 3 mai 2024 – L'OIM a ouvert un centre.",
              "Cotonou : un nouveau centre d'écoute pour les migrants"),
             ("OIM Togo\nAccueil\nNos programmes\nActualités\nArchives\nÉcrivez-nous\n"
              "Appui aux communautés frontalières du nord du Togo\nBailleur : Union européenne\nBudget : 1 000 000 EUR",
              "Appui aux communautés frontalières du nord du Togo"),
             ("OIM Togo\nAccueil\nNos programmes\nActualités\nContact\nProjets en cours\n"
              "Voici les principaux projets que l'OIM conduit au Togo avec ses partenaires nationaux.",
              "Projets en cours")]
    for page, title in menus:
        assert extractor.extract(page).title == title


def test_a_page_that_opens_with_prose_has_no_title(extractor):
    page = ("Partout dans le monde, l'OIM répond aux situations d'urgence qui entraînent des déplacements massifs. "
            "L'OIM agit en tant qu'organisme chef de file.\n\nSuite.")
    assert extractor.extract(page).title is None
    dated = "Titre de la nouvelle\nLibye - Le 7 mars, l’OIM a aidé 171 migrants bloqués – 76 hommes et 95 femmes."
    assert extractor.extract(dated).title == "Titre de la nouvelle"
    # a first paragraph the crawl cut mid-word: no stop at its end, quotes between its sentences
    cut = ("De père guinéen, Ousmane a eu un grave accident en Guinée : « J’étais obligé de quitter mon pays ». "
           "À quelques jours de son départ, il était soulagé : « Les médecins m’ont soigné… j’étais anéanti! ». "
           "Six mois plus tard, les médecins ont procédé à l’opération, et il a dû rester au Maroc pour recevoir "
           "les soins nécessaires qui suivaient l’opération, puis commencer une longue rééducation à l’hôpital de la ville, où l’opé")
    assert len(cut) > 400 and extractor.extract(cut).title is None


def test_the_parser_runs_on_candidate_clauses_only(extractor, monkeypatch):
    from extract.parse import ClauseParser

    parser = ClauseParser.shared()
    calls = []
    real = parser.parse
    # monkeypatch removes the instance attribute afterwards (assigning the bound method back would
    # leave it shadowing the class's, and a later test's patch of the class would not be seen)
    monkeypatch.setattr(parser, "parse", lambda clauses: calls.append(list(clauses)) or real(calls[-1]))
    extractor.extract(HEAD + "L'OIM a distribué des abris à 300 familles. Le Japon a alloué 2 millions de "
                             "dollars au projet, qui a débuté en mars 2019 pour une durée de deux ans.")
    monkeypatch.undo()
    parsed = [w for c in calls for clause in c for w in clause]
    prose = extractor.nlp.get_pipe("iom_prose")
    # whichever decisions read the parse (models/prose_models.json; a duration's clause always,
    # while a model or the structural rules decide durations: _needs_parse), only the sentence that
    # holds the candidates is parsed
    assert any(prose._parsed(kind) for kind in ("money", "date", "duration")) or "duration" in prose.models
    assert "abris" not in parsed and "durée" in parsed


def test_the_record_says_which_decision_won(extractor):
    cfg = json.loads((ROOT / "models" / "prose_models.json").read_text("utf-8"))
    for name in ("budget", "start", "end", "duration"):
        entry = cfg[name]
        assert entry["chosen"] in entry["cv"] and "rules" in entry["cv"]
        chosen, rules = entry["cv"][entry["chosen"]], entry["cv"]["rules"]
        assert (chosen["f"] + chosen["news"]["f"]) >= (rules["f"] + rules["news"]["f"])   # never worse than the rules


def test_train_is_deterministic_and_matches_the_committed_models(tmp_path):
    """One rebuild of every trained artefact (the running-text models, the confidence counts and
    the ranker) against the committed ones, which an earlier run made: the same bytes from two runs
    (in two processes, on two days) is the determinism claimed."""
    names = ("prose_models.json", "confidence.json", "confidence_ranker.json", "list_model.json")
    proc = subprocess.run([sys.executable, "-m", "extract", "train", "--out", str(tmp_path / names[0]),
                           "--confidence-out", str(tmp_path / names[1])], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    # the ranker exists only where it beat the counts (extract/confidence.py train): in both or neither
    assert (tmp_path / names[2]).exists() == (ROOT / "models" / names[2]).exists()
    names = [n for n in names if (ROOT / "models" / n).exists()]
    assert [(tmp_path / n).read_bytes() for n in names] == [(ROOT / "models" / n).read_bytes() for n in names]


def test_the_committed_models_use_the_thresholds_read_off_held_out_pages():
    """extract/prose/train.py THRESHOLD (thirty-eighth session, docs/scores/s38_decision.md): each
    decision's threshold is read off pages the code that measured it was never developed on, not
    chosen by the cross-validation, whose table holds that threshold alone; and choose, run again
    on each committed table, gives the committed choice."""
    from extract.prose.train import THRESHOLD, choose, parse_name

    models = json.loads((models_dir() / "prose_models.json").read_text("utf-8"))
    decisions = [d for d, e in models.items() if isinstance(e, dict) and "cv" in e]
    assert set(decisions) == set(THRESHOLD) == {"budget", "start", "end", "duration"}
    for d in decisions:
        e, table = models[d], models[d]["cv"]
        assert choose(table) == (e["use"], e["features"], e["C"], e["threshold"], e["combine"])
        assert {parse_name(n)[2] for n in table if " C=" in n} == {THRESHOLD[d]}, d
        if e["use"] == "model":
            assert e["threshold"] == THRESHOLD[d] and json.loads(json.dumps(e["model"]))["threshold"] == THRESHOLD[d]


def test_a_pages_candidates_do_not_depend_on_the_pages_collected_with_it():
    """extract/prose/train.py collect is made once for the models' fit and all the cross-fits
    (extract/evaluation/crossfit.py): that holds only if a page's candidates, features, labels and
    the rules' values are the same whichever pages are collected with it and in whatever order."""
    from extract.evaluation.gold import GOLD_PATH, load_gold, select
    from extract.paths import models_dir
    from extract.prose.train import collect

    pages = select(load_gold(GOLD_PATH), "dev2")[:24]
    together = {p.id: p for p in collect(pages, models_dir())}
    alone = {p.id: p for p in collect(pages[::-1][:12], models_dir())}
    assert any(p.cands for p in alone.values())
    assert all(alone[i] == together[i] for i in alone)


def test_the_models_matrix_is_scikit_learns():
    """extract/prose/model.py Rows: the same names and the same matrix as DictVectorizer(sort=True,
    sparse=False), for all the rows and for any subset of them (a fold of the cross-validation), on
    rows with missing, zero and repeated features; and liblinear fitted on it gives the same weights,
    to the bit, as on DictVectorizer's dense matrix (the committed models' bytes follow from them)."""
    import random

    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from extract.prose.model import Rows

    rng = random.Random(7)
    names = [f"f{k}:{w}" for k in range(40) for w in ("a", "é")]
    X = [{n: rng.choice((1.0, 0.0, 0.25, -3.5)) for n in rng.sample(names, rng.randint(0, 12))} for _ in range(300)]
    y = [int(sum(row.values()) > 0) for row in X]
    rows = Rows(X)
    for subset in (list(range(300)), sorted(rng.sample(range(300), 120))):
        vec = DictVectorizer(sort=True, sparse=False)
        want = vec.fit_transform([X[k] for k in subset])
        got_names, got = rows.take(subset)
        assert got_names == list(vec.feature_names_) and np.array_equal(got.toarray(), want)
        assert got.has_sorted_indices and not (got.data == 0).any()
        clf = dict(solver="liblinear", random_state=0, fit_intercept=False, max_iter=2000, class_weight="balanced")
        a = LogisticRegression(C=0.3, **clf).fit(want, [y[k] for k in subset]).coef_
        b = LogisticRegression(C=0.3, **clf).fit(got, [y[k] for k in subset]).coef_
        assert np.array_equal(a, b)


@pytest.mark.parametrize("sentence, period", [
    ("Le projet se déroulera sur trente mois, entre mars 2024 et août 2026, dans trois régions.", True),
    ("L’OIM mène d’avril à novembre 2013 une campagne d’information.", True),
    # an earlier phase's period, a pilot's, and a range after no word that carries the project out
    ("Le projet fait suite à une première phase, menée de 2016 à 2018 avec l'appui de l'Italie.", False),
    ("Une phase pilote, mise en œuvre entre 2019 et 2020, a précédé le projet.", False),
    ("Entre 2017 et 2019, 38 000 personnes sont rentrées.", False),
])
def test_a_range_the_project_is_carried_out_in(sentence, period):
    """ProseRules.dates: the range's two ends are the start and the end, by rule (before any model)."""
    import re

    from extract.components.prose import ProseRules
    from extract.paths import models_dir

    rules = ProseRules(models_dir())
    dates = []
    for m in re.finditer(r"(?:(?:avril|mars|août)\s+)?\d{4}", sentence):
        dates.append((m.start(), m.end(), m.group()))
    # "d'avril à novembre 2013": the opening month, as the component adds it
    if "avril à novembre" in sentence:
        a = sentence.index("avril")
        dates = [(a, a + 5, "2013-04"), (sentence.index("novembre"), sentence.index("novembre") + 13, "2013-11")]
    starts, ends, why = rules.dates(sentence, 0, dates)
    assert (starts == dates[:1] and ends == dates[1:2] and "carried out" in why["start"]) is period


def test_a_sum_and_its_restatement_are_decided_as_one():
    """The model reads each sum alone and may find only the restatement the budget ("40 millions de
    couronnes norvégiennes, soit près de 3,8 millions de dollars"): the pair is the budget, in the
    first sum's currency, when either is (components/prose.py decide; the same in training)."""
    from extract.prose.model import LinearModel
    from extract.prose.train import PageData, page_value

    first = {"kind": "money", "start": 10, "end": 47, "value": {"amount": 4e7, "currency": "NOK"},
             "rule": {"budget": False, "veto": False}, "feats": {"bias": 1.0}}
    second = {"kind": "money", "start": 62, "end": 85, "value": {"amount": 3.8e6, "currency": "USD"},
              "rule": {"budget": False, "veto": False, "restates": 10}, "feats": {"bias": 1.0, "w": 1.0}}
    page = PageData("p", "news", {}, {}, {}, None, [first, second])
    model = LinearModel({"bias": -2.0, "w": 5.0})   # the first sum 0.12, the second 0.95
    assert page_value(page, "budget", model, "lexical") == {"amount": 4e7, "currency": "NOK"}
    second["rule"].pop("restates")
    assert page_value(page, "budget", model, "lexical") == {"amount": 3.8e6, "currency": "USD"}


def test_candidates_say_which_sum_they_restate(extractor):
    doc = extractor.nlp(extractor._doc(HEAD + "Une aide de 40 millions de couronnes norvégiennes, soit près de 3,8 millions de dollars, "
                        "permettra d'ouvrir deux centres. Le pays a reçu 6 millions de dollars en 2020."))
    money = [c for c in doc.user_data["iom_candidates"] if c["kind"] == "money"]
    assert [("restates" in c["rule"]) for c in money] == [False, True, False]
    assert money[1]["rule"]["restates"] == money[0]["start"]


def test_a_standing_pages_other_projects_give_it_no_budget_or_period(extractor):
    """On a standing page, a sentence that brings in one project among others ("Au Togo, le projet
    de …", "Un programme régional …") gives that project's sum and period, not the page's
    (models/budget_cues.json standing_page_other_project, GUIDELINE §12, §15); a release keeps its
    own "un projet … financé à hauteur de"."""
    para = "L’OIM aide les gouvernements de la région à anticiper les déplacements liés au climat et à protéger les personnes."
    page = ("Migration et climat au Togo\n" + para + "\nUne mobilité ancienne\n" + para + "\nNotre action\n" + para +
            "\nAu Togo, le projet de reboisement des berges, financé par la Belgique à hauteur de 2 millions d’euros, "
            "se déroule de janvier 2022 à décembre 2025.\nUn programme régional financé par le Japon à hauteur de "
            "900 000 dollars a permis, de 2019 à 2021, de cartographier les risques.\nEn chiffres\n" + para)
    r = extractor.extract(page)
    assert r.kind == "other" and (r.budget, r.start_date, r.end_date) == (None, None, None)
    assert sorted(a["amount"] for a in r.to_dict()["amounts"]) == [900000.0, 2000000.0]
    release = ("Le Japon finance un projet au Togo\nLomé, 3 mai 2024 – Un projet de l’OIM financé par le Japon à "
               "hauteur de 900 000 dollars démarrera en juin 2024.")
    r = extractor.extract(release)
    assert r.kind == "news" and r.budget == {"amount": 900000.0, "currency": "USD"} and r.start_date == "2024-06"


def test_a_list_of_marked_lines_ends_at_a_heading(extractor):
    """Dashed lines under "Résultats attendus" end at the next heading, blank line or not: the
    last output does not run over the sections below, and a later list of figures is not outputs
    (extract/components/entities.py _lines_end)."""
    page = ("OIM Togo\nAccueil\nNos projets\nActualités\nContact\n"
            "Appui à la réintégration des migrants de retour au Togo\nBailleur : Union européenne\n"
            "Résultats attendus\n- Les migrants de retour reçoivent une aide adaptée.\n"
            "- Les services de l’emploi orientent les migrants de retour.\nAssistance fournie\n"
            "Chaque migrant bénéficie d’un entretien d’orientation et d’une formation.\nChiffres clés\n"
            "- 2 140 migrants de retour aidés\n- 310 projets collectifs financés\n")
    got = [d["text"] for d in extractor.extract(page).to_dict()["deliverables"]]
    assert got == ["Les migrants de retour reçoivent une aide adaptée",
                   "Les services de l’emploi orientent les migrants de retour"]


def test_where_the_rules_decide_a_scorer_still_weighs_the_candidates(extractor):
    """A decision left to the rules keeps a model without the parse as its scorer
    (models/prose_models.json "scorer"): every candidate gets its probability, which decides
    nothing (the record is the rules') and which the confidence reads (page_info "best")."""
    from extract.components.confidence import page_info

    cfg = json.loads((ROOT / "models" / "prose_models.json").read_text("utf-8"))
    ruled = [n for n in ("budget", "start", "end", "duration") if cfg[n]["use"] != "model"]
    assert all(cfg[n]["scorer"]["features"] == "lexical" for n in ruled)
    text = HEAD + "Le projet a démarré en mars 2019. Une étude de 2015 avait montré les besoins."
    doc = extractor.nlp.make_doc(text)
    doc.user_data["iom_text"] = text
    for _, proc in extractor.nlp.pipeline:
        doc = proc(doc)
    best = page_info(doc)["best"]
    for n in ruled:
        if n in ("start", "end"):
            assert best[n] and all(0.0 <= x <= 1.0 for x in best[n])   # the end's excludes the start's date
    assert doc._.record.start_date == "2019-03"


def test_the_period_of_the_budgets_sentence_is_the_records_budgets(extractor):
    """The range in the sentence of the record's budget is the project's period; a range beside
    another sum the model marked as a budget is not (components/prose.py period_range)."""
    page = ("Fidji : quatre villages préparent leur réinstallation\nSuva, 5 mars 2024 – Le projet dispose d’un budget "
            "total de 6,8 millions de dollars fidjiens pour quatre villages.\nLa Nouvelle-Zélande a consacré "
            "1,3 milliard de dollars néo-zélandais au financement climatique pour la période 2022-2025.")
    r = extractor.extract(page)
    assert r.budget == {"amount": 6800000.0, "currency": "FJD"} and (r.start_date, r.end_date) == (None, None)


def test_a_country_offices_page_with_no_header_is_no_ones_project(extractor):
    """"L’OIM aux Comores" over free text: the office's page, whose programme sums and periods are
    no one project's (GUIDELINE §15, §17); "aux" is read as "aux", not "au" and "x Comores"."""
    para = "Archipel de l’océan Indien, le pays connaît des départs vers Mayotte et des retours de Madagascar."
    page = ("L’OIM aux Comores\n" + para + "\nNotre action\n" + para + " Le programme d’appui, financé par "
            "l’Agence française de développement à hauteur de 2 millions d’euros pour la période 2023-2026, "
            "renforce l’état civil.\n")
    r = extractor.extract(page)
    assert r.kind == "other" and (r.budget, r.start_date, r.end_date) == (None, None, None)


@pytest.mark.parametrize("sentence, start", [
    # what was launched is a process, a plan or an earlier project: not this project's start
    ("Le projet appuie la politique nationale de migration. Le processus avait été lancé en mars 2022 par une étude.",
     None),
    ("Le gouvernement a inscrit ces arrivées dans son plan « Frontière sûre », lancé en octobre 2022, et le projet "
     "de l'OIM l'accompagne.", None),
    ("C'est le deuxième projet que la Suède confie à l'OIM. Le premier, lancé en 2016 dans le nord, a aidé 800 familles.",
     None),
    # the project named before the plan: its own start
    ("Ce projet, qui s'inscrit dans le plan national, a démarré en janvier 2024.", "2024-01"),
    ("Lancé en juin 2015, le projet aide les migrants de retour.", "2015-06"),
])
def test_a_cue_whose_subject_is_another_thing(extractor, sentence, start):
    assert rec(extractor, sentence).start_date == start


# the twenty-first session's rules from batch 12's errors, each counted on the training pages first
# (README "Twenty-first session"); invented sentences of the same shapes
@pytest.mark.parametrize("sentence, start, end, months", [
    # a stated length before the range: the range is the project's period
    ("Le projet couvrira une période de trente-six mois, de mars 2024 à février 2027, avec la gendarmerie.",
     "2024-03", "2027-02", 36),
    # "Les activités", all of them, carry the project out; a length restating the range
    ("Les activités se dérouleront de juillet 2024 à décembre 2026, soit trente mois, dans trois provinces.",
     "2024-07", "2026-12", 30),
    # an infinitive start after the project's activities; "en cours depuis" of the project
    ("Ce projet triennal verra ses premières activités débuter le 1er avril 2024.", "2024-04-01", None, 36),
    ("Financé par les Pays-Bas, le projet, en cours depuis janvier 2024, emploiera 900 jeunes.", "2024-01", None, None),
    # a place between the launch's date and the project
    ("Les autorités et l'OIM ont officiellement lancé le 12 mars 2024, à Puno, un projet binational.",
     "2024-03-12", None, None),
    # a contract's length is not the project's
    ("Les contrats proposés aux travailleuses domestiques, le plus souvent d'une durée de deux ans, seront examinés.",
     None, None, None),
])
def test_periods_and_lengths_from_batch_12(extractor, sentence, start, end, months):
    r = rec(extractor, sentence)
    assert (r.start_date, r.end_date, r.duration_months) == (start, end, months)


@pytest.mark.parametrize("sentence, budget", [
    # what the project takes over from is another thing: its sum is not the budget
    ("Le programme « Integrar » prend le relais d'une initiative pilote menée entre 2021 et 2023, financée par "
     "l'Union européenne à hauteur de 800 000 euros.", None),
    # money received so far against an appeal is not a budget
    ("L'OIM a lancé un appel de 28 millions de dollars. À ce jour, l'OIM a reçu 3,2 millions de dollars.", None),
])
def test_sums_that_are_not_the_budget_from_batch_12(extractor, sentence, budget):
    assert rec(extractor, sentence).budget == budget


def test_sums_from_batch_12(extractor):
    """Parts listed with what each goes to, in the sum's currency; wons, escudos, rials iraniens; a
    range's first end in the currency the second's words settle."""
    page = ("Yémen : l'OIM aide les déplacés\nAden - L'appel prévoit 11 millions de dollars pour les abris, "
            "6 millions pour l'aide aux migrants et 4,5 millions pour les sites. Le prix de la farine est passé de "
            "15 000 à 19 000 rials. La Corée a versé 5 milliards de wons, Cabo Verde reçoit 30 milliards d'escudos "
            "et l'assurance coûte 9 millions de rials iraniens.")
    got = sorted((a["amount"], a["currency"]) for a in extractor.extract(page).to_dict()["amounts"])
    assert got == sorted([(11e6, "USD"), (6e6, "USD"), (4.5e6, "USD"), (15000.0, "YER"), (19000.0, "YER"),
                          (5e9, "KRW"), (3e10, "CVE"), (9e6, "IRR")])


@pytest.mark.parametrize("sentence, n", [
    # IOM's standing work in a country, in the present: its areas of work, no outputs
    ("L'action de l'OIM au Costa Rica s'organise autour des axes suivants :\n1. la gestion des frontières ;\n"
     "2. la migration de main-d'œuvre ;\n3. l'intégration des migrants.", 0),
    # in the future, a project's outputs
    ("Grâce à ce financement, l'action de l'OIM s'organisera autour de trois axes : a) des brigades mobiles ; "
     "b) la prise en charge des femmes enceintes ; c) l'accompagnement des migrants.", 3),
    # "Les principaux produits du programme comprendront A, B, ainsi que C", B a deverbal noun
    ("Les principaux produits du programme comprendront la restauration de 2 000 hectares, la création de "
     "40 coopératives actives dans l'apiculture, le karité et les pépinières, ainsi que l'installation de 15 "
     "mini-réseaux solaires.", 3),
])
def test_lists_from_batch_12(extractor, sentence, n):
    assert len(rec(extractor, sentence).deliverables) == n


def test_an_office_project_page_with_values_under_labels_is_other(extractor):
    """Labels each on a line with the value on the next ("Code du projet" / "WS.0318") under an
    office's menu: an office's project page, not a Development Fund sheet, which always has a
    coverage, a region, a project type or member states (models/layout.json sheet_own_labels)."""
    page = ("OIM Venezuela\nAccueil\nProjets\nNous écrire\nTitre du projet\nAccès à l'eau dans l'État d'Apure\n"
            "Code du projet\nWS.0318\nBudget\n2 400 000 CHF\nDate de début\n1er mai 2024\nDate de fin\n30 avril 2026\n"
            "Durée\n24 mois\nStatut\nEn cours\nContexte\nLes communautés rurales manquent d'eau courante.\n")
    assert extractor.extract(page).kind == "other"


# the twenty-first session's rules from batch 13's errors (after its arbiter scores), each counted on
# the training pages first
def test_sums_from_batch_13(extractor):
    """A conference's number glued to its name is no sum ("COP27"); lei on a Moldovan page, "lei
    moldaves", denars, bare roupies on an Indonesian page."""
    page = ("Moldova : l'OIM aide les familles\nChișinău - Lors de la COP27, la République de Moldova a "
            "annoncé 36 millions de lei. Les familles reçoivent 2 200 lei moldaves par mois ; en Macédoine du Nord, "
            "18 000 denars.")
    got = sorted((a["amount"], a["currency"]) for a in extractor.extract(page).to_dict()["amounts"])
    assert got == sorted([(36e6, "MDL"), (2200.0, "MDL"), (18000.0, "MKD")])
    page = "Indonésie : l'OIM aide les familles\nDemak - Chaque famille reçoit 25 millions de roupies."
    assert [a["currency"] for a in extractor.extract(page).to_dict()["amounts"]] == ["IDR"]


def test_a_budget_label_with_its_currency_and_an_update_notice_above_the_heading(extractor):
    page = ("OIM Bosnie-Herzégovine\nAccueil\nProjets\nAppui aux communes d'accueil\n"
            "Budget (EUR)\n1 240 000\nDate de début\n1er juillet 2024\nContexte\nLes communes accueillent des migrants.\n")
    assert extractor.extract(page).budget == {"amount": 1240000.0, "currency": "EUR"}
    page = ("Mis à jour le 14 janvier 2025\nMigration et climat en Afrique du Nord\nDepuis 2015, l'OIM aide les "
            "gouvernements de la région à tenir compte de la mobilité dans leurs politiques.\n")
    assert extractor.extract(page).title == "Migration et climat en Afrique du Nord"


@pytest.mark.parametrize("sentence, start", [
    ("L'OIM a lancé le lundi 4 mars 2024 à Kaya, chef-lieu de la région du Centre-Nord, un projet de formation.",
     "2024-03-04"),
    ("L'OIM a lancé officiellement le 15 janvier 2024 à Niamey la deuxième phase de son projet de stabilisation.",
     "2024-01-15"),
])
def test_launches_from_batch_13(extractor, sentence, start):
    assert rec(extractor, sentence).start_date == start


def test_lists_and_sums_of_iom_s_own_work_from_batch_13(extractor):
    """"Les principaux produits de cette seconde phase comprendront A, B, ainsi que C" are outputs;
    "L'OIM aide … Son action s'organise autour des axes suivants :" is IOM's work, and so is the
    money its activities got on a standing page."""
    r = rec(extractor, "Les principaux produits de cette seconde phase comprendront la construction de 20 "
                       "infrastructures, un appui à 2 500 jeunes, ainsi que la formation de 40 comités de paix.")
    assert len(r.deliverables) == 3
    page = ("Migration et climat au Sahel\nNotre action\nL'OIM aide les gouvernements du Sahel. Son action s'organise "
            "autour des axes suivants :\n1. la collecte de données ;\n2. l'appui aux plans d'adaptation.\nFinancement\n"
            "En 2024, les activités de l'OIM au Niger ont été financées à hauteur de 6,2 millions de dollars.\n")
    r = extractor.extract(page)
    assert r.kind == "other" and r.deliverables == [] and r.budget is None


# the twenty-second session's rules from batch 14's errors (pages in the crawl's shape, after its
# arbiter score), each counted on the training pages first (README "Twenty-second session");
# invented sentences of the same shapes
@pytest.mark.parametrize("sentence, start, end, months", [
    # "œuvre" that lost its "œ", as old crawled releases have it, in a hard-wrapped range
    ("Mis en uvre de mars 2010 à\nfévrier 2012, le programme aidera 3 000 familles.", "2010-03", "2012-02", None),
    # the implementer between "mis en œuvre" and "depuis"; a comma before it
    ("Un projet de relèvement, mis en œuvre par le PNUD et l'OIM depuis mai 2023, aide les rapatriés.",
     "2023-05", None, None),
    ("L'OIM met en œuvre, depuis mars 2021 et jusqu'en juin 2023, un projet de cohésion sociale.",
     "2021-03", "2023-06", None),
    # the project's end named, then its date
    ("D'ici à la fin du programme, en mars 2026, l'OIM formera 500 agents de santé.", None, "2026-03", None),
    # the date first, then who launched the project
    ("Le 3 mai 2024, le ministère de l'Intérieur et l'OIM ont officiellement lancé à Gao un projet de stabilisation.",
     "2024-05-03", None, None),
    # the pronoun after "sur une période de" stands for the project
    ("Un programme de l'OIM aidera les éleveurs. Mis en œuvre sur une période de dix-huit mois, il couvre trois "
     "provinces.", None, None, 18),
    # the start stated twice, a year then a month of it, each after a cue: the month
    ("L'OIM et ses partenaires mettent en œuvre depuis 2019 le programme « Horizon ». Depuis le début du projet en "
     "avril 2019, 2 000 jeunes ont été formés.", "2019-04", None, None),
])
def test_periods_and_lengths_from_batch_14(extractor, sentence, start, end, months):
    r = rec(extractor, sentence)
    assert (r.start_date, r.end_date, r.duration_months) == (start, end, months)


@pytest.mark.parametrize("sentence, budget", [
    # "Doté de" opening the sentence after the dateline's dash; "un programme de l'OIM doté de"
    ("Doté de 3 millions d'euros apportés par l'Allemagne, un projet de l'OIM aidera les jeunes.",
     {"amount": 3e6, "currency": "EUR"}),
    ("La Norvège finance un programme de l'OIM doté de 2,5 millions de dollars pour les rapatriés.",
     {"amount": 2.5e6, "currency": "USD"}),
    # a wider programme's money stays no budget
    ("Le programme régional de l'Union, doté de 40 millions d'euros, couvre dix pays.", None),
    # a project named by what it does, then its sum
    ("Ce matériel vient d'un projet de réhabilitation des écoles de 900 000 dollars financé par la Corée.",
     {"amount": 9e5, "currency": "USD"}),
])
def test_budgets_from_batch_14(extractor, sentence, budget):
    assert rec(extractor, sentence).budget == budget


def test_sums_and_lists_from_batch_14(extractor):
    """A first part named before the sum that carries the currency; the whole a sum is part of,
    after it; a list of marked lines a blank line below its colon, as pages whose paragraphs are
    all set apart have it; areas of action are not outputs."""
    page = ("Deux donateurs pour les déplacés\nGoma – Le projet est financé par l'Irlande à hauteur de 4 millions et "
            "par l'Autriche à hauteur de 1,5 million d'euros. Pour les abris, l'OIM a reçu 2 millions de dollars sur "
            "les 12 millions demandés.")
    got = sorted((a["amount"], a["currency"]) for a in extractor.extract(page).to_dict()["amounts"])
    assert got == sorted([(4e6, "EUR"), (1.5e6, "EUR"), (2e6, "USD"), (12e6, "USD")])
    page = ("Communiqué\nGlobal\n\nLe Japon aide les déplacés\n\nMozambique – Le Japon a versé 2 millions de dollars "
            "à l'OIM.\n\nCe financement permettra de :\n\n- former 300 agents ;\n- équiper deux postes ;\n"
            "- sensibiliser 40 villages.\n")
    assert len(extractor.extract(page).deliverables) == 3
    page = ("Le Fonds de l'OIM\n\nLes projets sont mis en œuvre dans les domaines d’action suivants :\n\n"
            "  • Lutte contre la traite\n  • Migration et santé\n  • Migration de travail\n")
    assert extractor.extract(page).deliverables == []


def test_a_story_opening_on_place_country_and_date_is_news(extractor):
    """"Kolda, Sénégal, 3 mars 2024 – …" is a dateline (models/layout.json): a release, though no
    headline is above it."""
    page = ("Kolda, Sénégal, 3 mars 2024 – Dans son champ de la périphérie de Kolda, Awa arrose les plants de "
            "tomates qu'elle vendra au marché. Il y a deux ans, elle était rentrée du Maroc sans rien.\n")
    assert extractor.extract(page).kind == "news"


def test_a_standing_pages_project_named_by_what_it_does_gives_no_budget(extractor):
    para = "L’OIM aide le gouvernement à gérer les migrations et à protéger les personnes déplacées."
    page = (para + "\nProjets en cours\nLe projet de gestion des frontières du département du Nord, financé par "
            "l’Union européenne à hauteur de 2,2 millions d’euros pour la période 2023-2025, forme les agents.\n" + para)
    r = extractor.extract(page)
    assert r.kind == "other" and (r.budget, r.start_date, r.end_date) == (None, None, None)


# the twenty-second session's rules from batch 15's errors (after its arbiter score), each counted
# on the training pages first
@pytest.mark.parametrize("sentence, start, end", [
    # a comma after the launch verb
    ("Le ministère et l'OIM ont lancé, le 4 avril 2024 à Ségou, un projet de gestion des frontières.",
     "2024-04-04", None),
    # the place between "met en œuvre" and "depuis"; the end "à la fin de l'année"
    ("Le projet, que l'OIM met en œuvre au Niger depuis mars 2022, s'achèvera à la fin de l'année 2024.",
     "2022-03", "2024"),
    # a relative clause between the project and "en cours depuis"
    ("Le projet qui finance ces formations, en cours depuis février 2023 avec l'appui de la Suède, aide 500 jeunes.",
     "2023-02", None),
    # the project's funding named with a demonstrative carries out the range
    ("Mis en œuvre sur huit mois, de mars à octobre 2024, ce financement permettra de distribuer des abris.",
     "2024-03", "2024-10"),
])
def test_periods_from_batch_15(extractor, sentence, start, end):
    r = rec(extractor, sentence)
    assert (r.start_date, r.end_date) == (start, end)


def test_sums_from_batch_15(extractor):
    """"Doté de" after a dateline's dash even with a long header above; what was received short of
    what was asked is no budget, and its bare part takes the currency; an allowance per adult is no
    budget; "financé par X et par Y, à hauteur de" with both donors named at length."""
    page = ("Kenya : un projet de santé\nLodwar, 6 mai 2024 – Doté de 700 000 dollars fournis par le Canada, un "
            "nouveau projet de l’OIM va améliorer les soins.")
    assert extractor.extract(page).budget == {"amount": 7e5, "currency": "USD"}
    page = ("Mauritanie : l'OIM lance un appel\nNouakchott – L'appel, qui sollicite 12 millions de dollars, n'avait "
            "reçu que 3 millions en mars. À ce jour, l'OIM n'a reçu que 2,5 millions de dollars.")
    r = extractor.extract(page)
    assert r.budget is None
    assert sorted((a["amount"], a["currency"]) for a in r.to_dict()["amounts"]) == [(2.5e6, "USD"), (3e6, "USD"), (12e6, "USD")]
    assert rec(extractor, "Les rapatriés reçoivent une allocation de 40 000 francs burundais par adulte.").budget is None
    para = "L’OIM aide le gouvernement à accueillir les demandeurs d’asile et à organiser les retours volontaires."
    page = (para + "\nLe programme est actuellement financé par la Région wallonne et par le Fonds Asile, migration et "
            "intégration (FAMI) de l’Union européenne, à hauteur de 7,2 millions d’euros pour "
            "la période de janvier 2024 à décembre 2026.\n" + para)
    assert extractor.extract(page).budget == {"amount": 7.2e6, "currency": "EUR"}


def test_lists_and_headlines_from_batch_15(extractor):
    """The clause before a list's colon after two sentences in the same paragraph (a bug: the clause
    was lost); "le programme :" then items in the future, each set apart by a blank line; the last
    item cut by the crawl loses its cut word; a dateline whose country has small words ends the
    headline above it."""
    r = rec(extractor, "Le projet durera deux ans. Il a été lancé à Kakuma. Concrètement, le projet consistera à : "
                       "1) réhabiliter quatre dispensaires ; 2) former 150 agents de santé ; 3) équiper deux laboratoires.")
    assert len(r.deliverables) == 3
    page = ("Communiqué\nGlobal\n\nUn programme pour la route de l'Est\n\nDjibouti – L'OIM lance un programme.\n\n"
            "Concrètement, le programme :\n\n- ouvrira deux points d'intervention ;\n\n- formera 200 gardes-frontières ;\n\n"
            "- renforcera la collecte de données.\n")
    assert len(extractor.extract(page).deliverables) == 3
    page = ("Tunisie : un projet pour l'emploi\nSfax – Le projet permettra de :\n1) ouvrir deux guichets ;\n"
            "2) former 80 conseillers au suivi des personnes de re")
    assert [d["text"] for d in extractor.extract(page).to_dict()["deliverables"]][-1] == "former 80 conseillers au suivi des personnes de"
    page = ("Des agents frontaliers formés à la protection des migrants\nDajabón, République dominicaine – Trente agents "
            "ont participé à un atelier binational consacré à la protection des migrants.")
    assert extractor.extract(page).title == "Des agents frontaliers formés à la protection des migrants"


# the twenty-third session's rules from batch 17's errors (after its score with the shipped code),
# each counted on the training pages first
@pytest.mark.parametrize("sentence, budget", [
    # "doté de" after the project the sentence presents, an adjective before its noun
    ("Nouakchott – Les Pays-Bas appuient un nouveau programme de l'OIM doté de 2,4 millions d'euros.",
     {"amount": 2.4e6, "currency": "EUR"}),
    # "doté de" after a project named in quotes
    ("La formation fait partie du projet « Routes sûres », doté de 900 000 dollars par le Japon.",
     {"amount": 9e5, "currency": "USD"}),
    # a donor's yearly spending on a whole area is no budget
    ("Le projet est financé par la Suède, qui consacre chaque année environ 3 millions de dollars à la "
     "protection en Afrique de l'Ouest.", None),
])
def test_budgets_from_batch_17(extractor, sentence, budget):
    assert rec(extractor, sentence).budget == budget


def test_sums_and_lists_from_batch_17(extractor):
    """The part received so far of an appeal, with a year between ("lancé en 2023, dont seuls 9
    millions"), takes the appeal's currency; the items under "Les principaux produits … sont :" on
    lines of their own keep neither the colon nor their dashes; "de cette opération" names the
    outputs as "du projet" does."""
    r = rec(extractor, "L'appel de 40 millions de dollars lancé en 2023, dont seuls 9 millions ont été reçus, reste sous-financé.")
    assert sorted(a["amount"] for a in r.to_dict()["amounts"]) == [9e6, 40e6]
    page = (HEAD + "Les principaux produits attendus du projet sont :\n- la formation de 30 agents ;\n"
            "- la réhabilitation de deux postes frontières ;\n- la création d'un comité de suivi.\n")
    assert [d["text"] for d in extractor.extract(page).to_dict()["deliverables"]] == [
        "la formation de 30 agents", "la réhabilitation de deux postes frontières", "la création d'un comité de suivi"]
    r = rec(extractor, "Les principaux produits de cette opération comprendront la réparation de 20 abris, la "
                       "distribution de 500 kits d'hygiène, ainsi que la formation de 40 volontaires.")
    assert len(r.deliverables) == 3


def test_a_standing_pages_first_sentence_is_its_own_project_and_a_quoted_one_later_is_not(extractor):
    """A standing page that opens on its programme takes that programme's period; a project named in
    quotes later on an office's page is one among others: its sum and dates are not the page's."""
    page = ("Le Programme de soutien aux rapatriés est mis en œuvre par l'OIM au Tchad depuis mars 2021 et "
            "se poursuivra jusqu'en février 2025. Il aide les familles rentrées du Soudan.\n"
            "Partenaires\nL'OIM au Tchad travaille avec le gouvernement.\n")
    r = extractor.extract(page)
    assert r.kind == "other" and (r.start_date, r.end_date) == ("2021-03", "2025-02")
    page = ("L'OIM au Pérou aide les migrants vénézuéliens à s'installer et à trouver un emploi.\n"
            "Partenaires et financement\nLes activités de l'OIM sont financées par plusieurs bailleurs. "
            "Depuis avril 2022, le projet « Vivre ensemble », financé par le Canada à hauteur de 2 millions de "
            "dollars jusqu'en mars 2025, accompagne les familles.\n")
    r = extractor.extract(page)
    assert r.kind == "other" and (r.budget, r.end_date) == (None, None)


# the twenty-third session's rules from batch 18's errors (after its arbiter score), each counted on
# the training pages first
@pytest.mark.parametrize("sentence, start, end", [
    # who launched, then "ont procédé au lancement officiel du projet", after a date opening the sentence
    ("Le 3 mars 2025, l'OIM, le ministère de l'Intérieur et l'ambassade du Japon ont procédé au lancement "
     "officiel du projet « Frontières ouvertes ».", "2025-03-03", None),
    # "En cours depuis <date>, le projet …"
    ("En cours depuis octobre 2022, le projet se poursuivra jusqu'en septembre 2025.", "2022-10", "2025-09"),
    # a modal before the end verb
    ("Le projet doit s'achever d'ici à la fin de juin 2026.", None, "2026-06"),
])
def test_periods_from_batch_18(extractor, sentence, start, end):
    r = rec(extractor, sentence)
    assert (r.start_date, r.end_date) == (start, end)


@pytest.mark.parametrize("sentence, months", [
    # the OIM, a verb in the future, "pendant N" in the lead sentence
    ("Grâce à une contribution de 2 millions de dollars de la Suède, l'OIM va soutenir pendant vingt mois les "
     "rapatriés du nord du pays.", 20),
    # the pronoun before "sera mis en œuvre pour une durée de"
    ("Financé par la Corée, il sera mis en œuvre pour une durée de trois ans, jusqu'en mai 2027.", 36),
])
def test_durations_from_batch_18(extractor, sentence, months):
    assert rec(extractor, sentence).duration_months == months


def test_sums_and_standing_pages_from_batch_18(extractor):
    """A length between the project's noun and "doté de" changes nothing; a page with a section of
    ongoing projects is no one project's; "l'OIM … pendant N mois" deep in a page of several
    projects is one of them."""
    assert rec(extractor, "L'OIM a lancé à Maputo un programme de vingt-quatre mois doté de 3,1 millions "
                          "d'euros pour la gestion des frontières.").budget == {"amount": 3.1e6, "currency": "EUR"}
    para = "L'OIM appuie le gouvernement dans la gestion des migrations depuis 1995."
    page = (para + "\nProjets en cours\nRetour et réintégration : financé par l'Union européenne à hauteur de 12 "
            "millions d'euros, ce programme est mis en œuvre de 2023 à 2026.\nSanté des migrants : grâce à 900 000 "
            "dollars du Japon, l'OIM équipe six centres de santé.\n")
    r = extractor.extract(page)
    assert r.kind == "other" and (r.budget, r.start_date, r.end_date) == (None, None, None)
    page = (HEAD + "L'OIM et ses partenaires ouvrent trois chantiers dans la région. Au Tchad, l'OIM appuiera "
            "pendant deux ans des comités locaux. Au Niger, elle formera des agents.")
    assert extractor.extract(page).duration_months is None


# the twenty-third session's rules from batches 19 and 20 (page furniture, kind and title), each
# counted on the training pages first
def test_titles_under_page_furniture_from_batch_20(extractor):
    """A close button, a breadcrumb from a menu entry, a publication notice and share lines above a
    headline: the headline is the title, the breadcrumb's country is no mention; a hard-wrapped
    headline whose next line opens in lower case runs to the dash that glues the body to it; a page
    of questions opening on a question has no title."""
    nav = "Accueil\nQui sommes-nous\nNos programmes\nSalle de presse\nContact\n"
    page = (nav + "×\nAccueil > Actualités > Tchad\nPublié le 4 juin 2024\nPartager\nImprimer\n"
            "Le Canada appuie l’accueil des réfugiés à l’est du pays\nAbéché, 4 juin 2024 – L’OIM et le Canada ont "
            "signé un accord pour améliorer l’accueil des réfugiés venus du Soudan.\n")
    r = extractor.extract(page)
    assert r.title == "Le Canada appuie l’accueil des réfugiés à l’est du pays"
    assert "TD" not in r.countries_mentioned
    page = ("- Données et recherche\n- 2030 AGENDA\nLa Norvège finance la réintégration de 2 000 jeunes\nrentrés dans le nord du Mali– L'OIM et le "
            "ministère\nde la Jeunesse ont présenté hier un programme qui\naidera les jeunes à créer leur activité.\n")
    assert extractor.extract(page).title == "La Norvège finance la réintégration de 2 000 jeunes rentrés dans le nord du Mali"
    page = ("Qui peut demander un financement ?\nToute association de la diaspora.\nQuand l’appel est-il ouvert ?\n"
            "L’appel est ouvert du 1er février au 31 mars 2025.\nCombien un projet peut-il recevoir ?\nJusqu’à "
            "20 000 dollars.\n")
    r = extractor.extract(page)
    assert r.title is None and (r.start_date, r.end_date) == (None, None)


def test_periods_sums_and_lengths_from_batches_19_and_20(extractor):
    """'financent le programme à hauteur de' in the present plural; the project as the object of
    'que l'OIM mène depuis'; a sentence that opens on 'Mis en œuvre pendant N'; 'doit durer N'; the
    kina named alone; a page titled by its several projects has no budget."""
    assert rec(extractor, "La Suède et le Danemark financent le programme à hauteur de 6 millions de dollars."
               ).budget == {"amount": 6e6, "currency": "USD"}
    assert rec(extractor, "Amina fait partie des familles que soutient le projet de relèvement que l’OIM mène "
                          "depuis avril 2023 dans la province.").start_date == "2023-04"
    assert rec(extractor, "Mis en œuvre pendant 15 mois à compter de mai 2024, il prend le relais d'une aide "
                          "d'urgence.").duration_months == 15
    assert rec(extractor, "Le projet a démarré en mai 2024 et doit durer 30 mois dans trois provinces."
               ).duration_months == 30
    r = rec(extractor, "Chaque famille recevra 300 kinas pour acheter des semences.")
    assert [(a["amount"], a["currency"]) for a in r.to_dict()["amounts"]] == [(300.0, "PGK")]
    page = ("Projets en cours\nL’OIM en Jordanie mène une vingtaine de projets.\nAppui aux municipalités : "
            "financé par le Canada à hauteur de 2 millions de dollars, ce projet renforce les services locaux.\n")
    assert extractor.extract(page).budget is None


# the twenty-sixth session's rules from batch 22 (budgets, periods, durations and lists in varied
# prose), each counted on the training pages first (README "Twenty-sixth session")
def test_starts_and_ends_from_batch_22(extractor):
    """A quarter between the cue and its year; "est entré en vigueur le"; a launch in the passive
    after a long subject, or opening the sentence with "officiellement"; "Depuis <date>," with a
    project of a stated length as the subject (not a count from a date); works on a site are no
    end of the project."""
    assert rec(extractor, "Le programme a démarré au deuxième trimestre 2022 dans trois provinces.").start_date == "2022"
    assert rec(extractor, "Le projet a démarré en mai 2021 et prendra fin au dernier trimestre 2023."
               ).end_date == "2023"
    assert rec(extractor, "Le projet est entré en vigueur le 1er mai 2021 avec le soutien de la Suède."
               ).start_date == "2021-05-01"
    assert rec(extractor, "Le projet « Horizons » de soutien aux jeunes rapatriés des régions du Nord a été lancé "
                          "officiellement le 3 octobre 2022 à Zinder.").start_date == "2022-10-03"
    assert rec(extractor, "Les pluies ont détruit les récoltes. Lancé officiellement le 2 juin 2020 par la ministre, il "
                          "aide 400 familles.").start_date == "2020-06-02"
    assert rec(extractor, "Depuis avril 2020, ce projet de trois ans aide les éleveurs à reconstituer leurs troupeaux."
               ).start_date == "2020-04"
    assert rec(extractor, "Depuis 2016, le programme a permis à 3 000 migrants de rentrer chez eux.").start_date is None
    assert rec(extractor, "Le projet a démarré en mars 2024. Le chantier du nouveau centre doit s’achever en juin 2025."
               ).end_date is None


def test_sums_lengths_and_lists_from_batch_22(extractor):
    """'budgétisé à'; a donor that 'met à disposition de l'OIM' a sum; the project as a pronoun
    before its length ('il se déroulera sur', 'Au cours des N prochains mois, il', 'Sur N, il');
    'ces fonds permettront de :' and, after a blank line, 'Au cours des N prochains mois, il
    permettra de :' open the project's outputs."""
    assert rec(extractor, "Budgétisé à 1,3 million de dollars, le projet équipera quatre postes frontières."
               ).budget == {"amount": 1.3e6, "currency": "USD"}
    assert rec(extractor, "La Norvège met à disposition de l’OIM 4 millions d’euros pour aider les déplacés."
               ).budget == {"amount": 4e6, "currency": "EUR"}
    assert rec(extractor, "Lancé en mai 2021 avec le ministère, il se déroulera sur quinze mois.").duration_months == 15
    assert rec(extractor, "Le projet a démarré en mai 2021. Sur trois ans et demi, il doit permettre de former les "
                          "gardes-frontières.").duration_months == 42
    r = rec(extractor, "Le Japon finance le projet.\nCes fonds permettront de :\n- former 50 agents des frontières ;\n"
                       "- équiper deux centres d’accueil.\n")
    assert [d["text"] for d in r.to_dict()["deliverables"]] == ["former 50 agents des frontières",
                                                                 "équiper deux centres d’accueil"]
    r = rec(extractor, "Le projet ouvrira un centre à Agadez en mars 2025.\n\nAu cours des 30 prochains mois, il permettra "
                       "de :\n• accueillir 2 000 migrants ;\n• orienter les victimes de la traite.\n")
    assert r.duration_months == 30
    assert [d["text"] for d in r.to_dict()["deliverables"]] == ["accueillir 2 000 migrants",
                                                                 "orienter les victimes de la traite"]


# the twenty-seventh session's rules from batch 23 (values stated through a sentence's structure
# rather than a formula), each counted on the training pages first (README "Twenty-seventh session")
def test_budgets_by_the_sentence_structure_from_batch_23(extractor):
    """The sum as the subject of what the money does (after a dateline, a colon opening a quotation,
    or in a cleft "ce sont … qui"), in apposition to the funding or the project, inside "met … à
    disposition"; not a clause that opens on a place ("En Somalie, 4 millions … seront utilisés"),
    and a speaker who "a rappelé" is no appeal."""
    assert rec(extractor, "Bangui – Les 1,4 million de dollars que le Canada vient d’accorder à l’OIM serviront à "
                          "équiper trois centres de santé.").budget == {"amount": 1.4e6, "currency": "USD"}
    assert rec(extractor, "Le financement de la Suisse, de 2,2 millions d’euros, couvre deux années d’activités."
               ).budget == {"amount": 2.2e6, "currency": "EUR"}
    assert rec(extractor, "Le ministre a rappelé l’engagement de son pays : « Les 800 000 euros que nous apportons "
                          "doivent permettre de reloger 300 familles. »").budget == {"amount": 8e5, "currency": "EUR"}
    assert rec(extractor, "Sur l’enveloppe annuelle, ce sont 950 000 euros qui iront à un projet de l’OIM."
               ).budget == {"amount": 9.5e5, "currency": "EUR"}
    assert rec(extractor, "La Finlande met 3 millions d’euros à la disposition de l’OIM pour ce projet."
               ).budget == {"amount": 3e6, "currency": "EUR"}
    assert rec(extractor, "Ses ressources – 5 millions de dollars – viennent de deux donateurs."
               ).budget == {"amount": 5e6, "currency": "USD"}


def test_parts_of_a_sum_anywhere_in_its_sentence_from_batch_23(extractor):
    """A number with a multiplier and no noun or currency of its own, after a sum in its sentence,
    is a part of it in its currency, however it is introduced; each sum once."""
    r = rec(extractor, "Ses 7 millions d’euros viennent de l’Union européenne (5 millions) et de la Belgique "
                       "(2 millions).").to_dict()
    assert [(a["text"], a["currency"]) for a in r["amounts"]] == [
        ("7 millions d’euros", "EUR"), ("5 millions", "EUR"), ("2 millions", "EUR")]
    r = rec(extractor, "Le don, de 2 millions de livres sterling, sera versé en deux phases : 1,5 million cette "
                       "année et 0,5 million l’an prochain.").to_dict()
    assert [(a["text"], a["currency"]) for a in r["amounts"]] == [
        ("2 millions de livres sterling", "GBP"), ("1,5 million", "GBP"), ("0,5 million", "GBP")]


@pytest.mark.parametrize("sentence, field, want", [
    # opening participles, "entré en activité"
    ("Amorcé en mars 2024, ce projet de deux ans aide les pêcheurs.", "start_date", "2024-03"),
    ("Entamée le 2 mai 2023, elle aide les éleveurs du Nord.", "start_date", "2023-05-02"),
    ("Le projet, entré en activité en juin 2022 dans deux districts, forme des maçons.", "start_date", "2022-06"),
    # the verb alone before a season or a quarter: the year
    ("Le projet de reconstruction débutera au printemps 2019 avec la mairie.", "start_date", "2019"),
    ("Les activités débuteront au troisième trimestre 2026 dans quatre provinces.", "start_date", "2026"),
    # a start *with* a dated event (GUIDELINE §28); the kick-off given
    ("Le programme démarrera avec l’ouverture du centre de Gao, prévue en avril 2025.", "start_date", "2025-04"),
    ("Le coup d’envoi du projet « Routes sûres » a été donné le 3 mars 2021 à Dakar.", "start_date", "2021-03-03"),
    # ends: a deadline for completing it, a season, a quarter
    ("Le projet a démarré en mars 2024 et devra être achevé d’ici à la fin de juin 2026.", "end_date", "2026-06"),
    ("Le projet a démarré en mars 2024 ; il court jusqu’à l’automne 2026.", "end_date", "2026"),
    ("Le projet a démarré en mars 2024 et s’achèvera au deuxième trimestre 2025.", "end_date", "2025"),
    # a launch "le mois dernier" is not at the date before it
    ("Après l’ouragan du 2 octobre 2023, l’OIM a lancé le mois dernier un projet d’abris.", "start_date", None),
])
def test_starts_and_ends_from_batch_23(extractor, sentence, field, want):
    """Periods stated through a sentence's structure (models/date_cues.json "_comment_structure")."""
    assert getattr(rec(extractor, sentence), field) == want


# the twenty-eighth session's rules from batch 24, each counted on the training pages first (README
# "Twenty-eighth session")
@pytest.mark.parametrize("sentence, budget", [
    # a share named after its total, the subject of where the money goes
    ("Sur les 30 millions d’euros que la Suède verse cette année au pays, 4,1 millions iront à l’OIM.", (4.1e6, "EUR")),
    ("La part tchadienne, soit 2,3 millions de dollars, sera gérée par l’OIM à Abéché.", (2.3e6, "USD")),
    # the sum opening the sentence, given in a relative clause, whatever the verb after it
    ("« Avec les 900 000 euros que l’Italie nous a accordés, nous ouvrirons deux centres », dit-elle.", (9e5, "EUR")),
    ("Les 2 millions de dollars que la Corée a alloués à ce projet paieront les abris.", (2e6, "USD")),
    # a donor's verb, the sum, whom it goes to; apposition after "la contribution", "l’engagement"
    ("La Norvège apporte 1,2 million de dollars à ce projet de l’OIM.", (1.2e6, "USD")),
    ("La contribution du Canada, de 3 millions de dollars, couvre l’achat des abris.", (3e6, "USD")),
    ("L’engagement des deux donateurs, de 5 millions d’euros au total, se partage à parts égales.", (5e6, "EUR")),
    # shares that add up to the total beside them are MONEY
    ("Avec la Suisse, qui y consacre 1,5 million de dollars, et l’Irlande, qui apporte 1 million, "
     "l’OIM aide les familles. Ces 2,5 millions de dollars financeront tout le projet.", (2.5e6, "USD")),
    # a look-alike: an earlier grant in a relative clause
    ("Ce don s’ajoute aux 4 millions de dollars que le Japon a versés en 2019 à l’OIM.", None),
])
def test_budgets_from_batch_24(extractor, sentence, budget):
    want = None if budget is None else {"amount": budget[0], "currency": budget[1]}
    assert rec(extractor, sentence).budget == want


@pytest.mark.parametrize("sentence", [
    "Ce don s’ajoute aux 4 millions de dollars que le Japon a versés en 2019 à l’OIM.",
    "Cette contribution s'ajoute à un premier financement de 1,5 million d'euros accordé par la Suède.",
    "Les 800 000 dollars de la Corée viennent s’ajouter aux 2 millions de dollars accordés en 2022.",
    "Ce nouveau don s’ajoutera aux 600 000 euros que l’Italie a engagés l’an dernier.",
])
def test_a_sum_this_one_adds_to_is_not_the_budget(extractor, sentence):
    """What a sum adds to is an earlier grant (models/budget_cues.json builds_on, thirtieth session:
    18 of 18 such sums MONEY on the training pages), whatever score a model gives it."""
    r = rec(extractor, sentence)
    adds_to = {2e6, 4e6, 1.5e6, 6e5}
    assert r.budget is None or r.budget["amount"] not in adds_to


def test_a_headline_grant_with_no_budget_in_the_body_from_batch_24(extractor):
    """A release's headline that states one sum, the body restating none, gives the budget (GUIDELINE
    §29); a headline that asks for money does not."""
    page = ("Équateur : 1,2 million d’euros pour l’emploi des jeunes à Manta\n"
            "Manta – Ce don de l’Espagne financera des formations pour 600 jeunes de la province.")
    assert extractor.extract(page, id="t").budget == {"amount": 1.2e6, "currency": "EUR"}
    page = ("Inondations : l’OIM sollicite 12 millions de dollars pour les sinistrés\n"
            "Manta – L’OIM a besoin de fonds pour reloger 9 000 familles.")
    assert extractor.extract(page, id="t").budget is None


@pytest.mark.parametrize("sentence, field, want", [
    # an opening participle whose subject is the project (or "il"/"elle" after it)
    ("Inaugurée le 4 mai 2024 en présence du ministre, cette initiative forme 300 jeunes.", "start_date", "2024-05-04"),
    ("Démarré au troisième trimestre 2022, ce programme de 18 mois aide les éleveurs.", "start_date", "2022"),
    ("Ouvert en février 2021, il court jusqu’en janvier 2023 dans trois districts.", "start_date", "2021-02"),
    # not a place the page names ("le centre, ouvert en 2011")
    ("L’OIM gère le centre d’Obock, ouvert en 2011, avec le ministère.", "start_date", None),
    # started with an event, the day of a signing, in a quotation, at a date set off after a phrase
    ("Le projet s’est ouvert le 6 mars 2022 par la remise en service d’un forage.", "start_date", "2022-03-06"),
    ("Le projet a débuté le jour même de la signature de l’accord, le 9 février 2026.", "start_date", "2026-02-09"),
    ("« Quand nous avons commencé, au printemps 2017, rien n’existait », dit la coordinatrice.", "start_date", "2017"),
    ("Les activités commenceront à une date choisie, le 1er juin 2025, avec la mairie.", "start_date", "2025-06-01"),
    ("L’inauguration d’un centre à Gao, le 2 mars 2023, a marqué le lancement du projet.", "start_date", "2023-03-02"),
    # a phase named by its period; a phase's own period in a relative clause
    ("Cet apport ouvre la phase 2024-2026 du programme de l’OIM au Mali.", "end_date", "2026"),
    ("Cette deuxième phase, qui couvrira la période de mars 2011 à juin 2012, renforce les centres.", "start_date", "2011-03"),
    # a range inside an aside after the budget's sum is not the budget's period
    ("Ce don de 2 millions de dollars de la Suède financera des puits à Wajir, où la sécheresse de 2020-2022 "
     "a tué les troupeaux.", "start_date", None),
])
def test_starts_and_ends_from_batch_24(extractor, sentence, field, want):
    assert getattr(rec(extractor, sentence), field) == want


@pytest.mark.parametrize("sentence, months", [
    ("Sa phase actuelle – 3 millions d’euros sur trois ans – est financée par l’Allemagne.", 36),
    ("Sur les dix mois que durera le projet, l’OIM formera 400 agents.", 10),
    ("« Avec le million de francs suisses que la DDC nous a confiés pour deux ans, nous formerons 500 femmes. »", 24),
    # after a sum that is not the budget, the same words are another thing's
    ("Le plan de réponse, dont le coût est estimé à 80 millions de dollars pour six mois, couvre tout le pays.", None),
])
def test_durations_from_batch_24(extractor, sentence, months):
    assert rec(extractor, sentence).duration_months == months


def test_lists_from_batch_24(extractor):
    """Lists introduced by what the funding covers and by the parts the project is made of."""
    r = rec(extractor, "Le projet a démarré en 2024.\n\nLe financement norvégien couvre :\n"
                       "- la construction de 40 abris\n- la formation de 60 maçons\n").to_dict()
    assert [d["text"] for d in r["deliverables"]] == ["la construction de 40 abris", "la formation de 60 maçons"]
    r = rec(extractor, "Le projet se compose de trois éléments : a) la cartographie de 8 sites ; b) la délivrance "
                       "de 500 titres ; c) l’ouverture d’un bureau foncier.").to_dict()
    assert len(r["deliverables"]) == 3


# the twenty-eighth session's two rules from batch 24 that shipped (README "Twenty-eighth session"):
# no trained model reads them
def test_titles_under_a_figures_box_from_batch_24(extractor):
    """A figures box above a standing page's heading: the heading under it is the title; a section
    heading under it leaves none (models/layout.json "_comment_figures_box")."""
    page = ("Chiffres clés 2025\n12 000\nmigrants accompagnés\n4 bureaux\n\nL’OIM au Togo\n\n"
            "Présente au Togo depuis 2006, l’OIM appuie le gouvernement dans la gestion des migrations. "
            "Ses équipes travaillent à Lomé et dans les régions du nord.")
    assert extractor.extract(page, id="t").title == "L’OIM au Togo"
    page = ("Chiffres clés\n3 postes frontières\nLe programme\nLe Programme d’appui aux frontières "
            "accompagne la police dans la surveillance de la frontière nord.")
    assert extractor.extract(page, id="t").title is None
    # a page named by its figures is its own title
    page = "Faits et chiffres\n12 bureaux\nL’OIM au Togo\n\nL’OIM compte 12 bureaux dans le pays."
    assert extractor.extract(page, id="t").title == "Faits et chiffres"


def test_and_de_goes_on_the_noun_before_it_in_a_list_item_from_batch_24(extractor):
    """"et d’…" after a list item completes the noun before it; it opens no item."""
    r = rec(extractor, "Le projet compte deux volets : l’agrandissement de deux centres d’accueil et d’orientation "
                       "à Boa Vista, et un soutien psychosocial aux familles.").to_dict()
    assert [d["text"] for d in r["deliverables"]] == [
        "l’agrandissement de deux centres d’accueil et d’orientation à Boa Vista",
        "un soutien psychosocial aux familles"]


# the thirty-first session's candidate 16 (docs/scores/s31_decision.md): the lists whose
# introduction no rule knows, decided by a model of the list's structure (extract/prose/lists.py);
# introductions written for these tests, in shapes no rule reads (the model gives them p 0.72 and 0.60)
NEW_INTRODUCTIONS = ["Ce projet de trente mois devra livrer trois choses :",
                     "En deux ans, le programme mènera à bien quatre chantiers :"]
ITEMS = ("\n- la réhabilitation de six puits à Tahoua\n- la formation de 40 agents de santé\n"
         "- la construction de deux centres d’accueil\n")


@pytest.mark.parametrize("intro", NEW_INTRODUCTIONS)
def test_a_list_no_rule_knows_is_the_models(extractor, intro):
    doc = extractor.nlp(HEAD + "Le projet a démarré en 2024.\n\n" + intro + ITEMS)
    rules = [s._.rule for s in doc.spans["iom"] if s.label_ == "DELIVERABLE"]
    assert len(rules) == 3 and all(r.startswith("model: a list of what the project will deliver") for r in rules)


@pytest.mark.parametrize("intro", NEW_INTRODUCTIONS)
def test_the_rules_alone_leave_a_list_no_rule_knows(intro):
    from extract.extractor import Extractor

    text = HEAD + "Le projet a démarré en 2024.\n\n" + intro + ITEMS
    assert Extractor(rules_only=True).extract(text, id="t").deliverables == []


@pytest.mark.parametrize("sentence", [
    # what each person is handed, IOM's standing areas of work, objectives: never the model's to take
    "Chaque famille rapatriée reçoit à son arrivée :\n- une bâche\n- un jerrican\n- des couvertures\n",
    "Au Niger, l’action de l’OIM s’articule autour des domaines suivants :\n- la gestion des frontières\n"
    "- la santé des migrants\n- la stabilisation communautaire\n",
    "Le projet poursuit trois objectifs :\n- réduire les départs irréguliers\n- protéger les migrants\n"
    "- renforcer l’État\n",
])
def test_lists_the_model_may_not_take(extractor, sentence):
    assert rec(extractor, "Le projet a démarré en 2024.\n\n" + sentence).to_dict()["deliverables"] == []


# the thirty-second session's candidate 17 (docs/scores/s32_decision.md), from batch 30's errors;
# sentences written for these tests in the shapes batch 30 showed, not copied from its pages
@pytest.mark.parametrize("sentence, want", [
    # a sentence that opens on any past participle whose complement is the date, the project its subject
    ("Engagé en mars 2024 avec la protection civile, le projet forme 200 secouristes.", "2024-03"),
    ("Mis sur pied à l’automne 2023 avec le ministère, le programme conseille les travailleurs.", "2023"),
    ("Installée en mai 2025 dans trois districts, cette initiative forme des maçons.", "2025-05"),
    ("Gao – Mis sur les rails en juin 2024 avec l’appui du Fonds, le nouveau projet de l’OIM forme des jeunes.", "2024-06"),
    ("Entamé pendant l’hivernage 2024, un projet de l’OIM y creuse des puits.", "2024"),
    # not a participle that funds, signs or plans, nor a date the participle does not govern
    ("Financé en 2022 par la Suède, le premier projet avait formé 300 agents.", None),
    ("Signée le 3 mars 2024 avec le ministère, la convention encadre le programme.", None),
    ("Engagé au lendemain des attaques de mars 2024, le projet soutient les familles.", None),
])
def test_a_start_by_an_opening_participle_from_batch_30(extractor, sentence, want):
    assert rec(extractor, sentence).start_date == want


@pytest.mark.parametrize("sentence, months", [
    # the parse hangs the duration on a relative clause whose subject is the project
    ("Au terme des vingt mois que compte le projet, le centre sera remis à la commune.", 20),
])
def test_a_duration_the_project_counts_from_batch_30(extractor, sentence, months):
    assert rec(extractor, sentence).duration_months == months


def test_a_duration_of_the_funding_is_not_about_something_else():
    """The invariant: a duration hung on a verb of funding or on a sum, or whose clause's subject is
    a sum, is the funding's, not another thing's (the parse's features, as features.py writes them)."""
    from extract.components.prose import about_something_else

    assert about_something_else({"subj:any": 1.0, "gov_stem:rest": 1.0})          # "les travailleurs resteront deux ans"
    assert not about_something_else({"subj:any": 1.0, "gov:fund_verb": 1.0})      # "… y sont consacrés, pour douze mois"
    assert not about_something_else({"subj:any": 1.0, "gov:sum": 1.0})           # "Six cent mille dollars sur deux ans"
    assert not about_something_else({"subj:any": 1.0, "subj:sum": 1.0})


def test_an_earlier_phase_in_brackets_is_not_the_period(extractor):
    r = rec(extractor, "Une première phase (2018-2022), dotée de 4 millions d’euros, a permis d’ouvrir six centres. "
                       "La deuxième phase forme des agents.")
    assert (r.start_date, r.end_date) == (None, None)


def test_a_sum_after_a_pluperfect_of_funding_is_not_the_budget(extractor):
    r = rec(extractor, "La Norvège, qui avait financé entre 2018 et 2021 un programme de 8 millions de dollars pour les "
                       "écoles, soutient désormais ce projet de l’OIM.")
    assert r.budget is None
    r = rec(extractor, "La Norvège, qui avait financé entre 2018 et 2021 un programme de 8 millions de dollars pour les "
                       "écoles, consacre cette fois 2 millions de dollars au projet.")
    assert r.budget != {"amount": 8000000.0, "currency": "USD"}


def test_a_list_introduced_by_a_weak_output_word_is_the_models(extractor):
    """'résultats' in the introduction left the list to the rules, which refuse it with no project
    named: the model decides it ("trois résultats sont attendus, pas moins :"). Since the thirty-
    eighth session an adjective of manner after the output word is no other noun for the rules
    (models/deliverables.json list_head_neutral), and "résultats concrets sont attendus" is theirs."""
    for intro, by in (("D’ici à la fin, trois résultats sont attendus, pas moins :", "model:"),
                      ("D’ici à la fin, trois résultats concrets sont attendus :", "list introduced")):
        doc = extractor.nlp(HEAD + "Le projet a démarré en 2024.\n\n" + intro + ITEMS)
        rules = [s._.rule for s in doc.spans["iom"] if s.label_ == "DELIVERABLE"]
        assert len(rules) == 3 and all(r.startswith(by) for r in rules), intro


# the thirty-second session's candidate 18 (docs/scores/s32_decision.md), from batches 28, 30 and 35;
# sentences written for these tests in the shapes those batches showed
@pytest.mark.parametrize("sentence, want", [
    # a start *with* an event, by any verb of beginning
    ("Le projet est né avec l’ouverture d’un bureau à Kita, au printemps 2023.", "2023"),
    ("Le projet s’est ouvert avec la pose de la première pierre à Sikasso, le 3 mars 2024, en présence du maire.", "2024-03-03"),
    ("Le projet entrera en activité avec la réouverture du centre de Gao, attendue en mai 2025.", "2025-05"),
    ("Le dispositif a pris son départ avec le premier convoi, parti de Mopti le 9 janvier 2025.", "2025-01-09"),
    # a cleft
    ("C’est par l’ouverture du dispensaire de Kayes, en avril 2024, que le projet a commencé.", "2024-04"),
    # the launch named after "Depuis", set off by commas
    ("Depuis son lancement, en juin 2023, le projet a aidé 900 familles.", "2023-06"),
    ("Depuis l’ouverture du programme, en juin 2023, 900 familles ont été aidées.", "2023-06"),
    # a season of the south or of the rains
    ("Le projet a été lancé au cœur de la saison sèche 2024 dans trois régions.", "2024"),
    ("Né à l’automne austral 2024, le projet forme des couturières.", "2024"),
    # an opening participle after a colon
    ("Le programme en est à sa deuxième phase : ouverte en mars 2024, celle-ci forme des agents.", "2024-03"),
    # *after* an event, no start
    ("Le projet a été lancé au lendemain des inondations de mars 2024 dans la région.", None),
])
def test_starts_with_an_event_from_batches_28_30_and_35(extractor, sentence, want):
    assert rec(extractor, sentence).start_date == want


@pytest.mark.parametrize("sentence, months", [
    ("Au terme des neuf mois que compte la nouvelle opération, 4 000 migrants seront rentrés.", 9),
    ("Le projet, qui vient de franchir le premier tiers de ses dix-huit mois, forme 300 jeunes.", 18),
    ("Sept mois plus tard, il n’a parcouru qu’un quart de ses deux années.", 24),
    ("Au terme de ses vingt mois de mise en œuvre, le projet aura équipé six centres.", 20),
    # a person's months are not the project's
    ("Chaque famille reçoit une aide au loyer pendant ses trois premiers mois en ville.", None),
])
def test_durations_the_project_owns_from_batches_28_30_and_35(extractor, sentence, months):
    assert rec(extractor, sentence).duration_months == months


@pytest.mark.parametrize("sentence, budget", [
    ("Dans sa phase 2024-2027, le programme dispose de 4,5 millions de dollars australiens, versés par l’Australie.",
     {"amount": 4500000.0, "currency": "AUD"}),
    ("La phase 2025-2027 du programme repose sur 12 millions d’euros versés par l’Union européenne.",
     {"amount": 12000000.0, "currency": "EUR"}),
    # what each one of many receives is no budget
    ("Chaque passager reçoit à son arrivée une allocation de 80 dollars pour ses premiers jours.", None),
])
def test_budgets_the_project_has_from_batch_35(extractor, sentence, budget):
    assert rec(extractor, sentence).budget == budget


# the forty-second session's rules from batch 55 (read), each counted on the training and read pages
# first (python -m extract.evaluation.scan); invented sentences of the batch's forms
@pytest.mark.parametrize("page, expected", [
    # a question heading in the future about the project's money
    ("Des digues pour Legazpi\nLegazpi, 3 mars 2025 – La Norvège finance un projet d'un an.\n\n"
     "Que va-t-on construire avec l'argent norvégien ?\n- trois kilomètres de digue ;\n"
     "- deux stations de pompage.\n\nLes travaux commencent en mai.\n",
     ["trois kilomètres de digue", "deux stations de pompage"]),
    # a plan that "prévoit :", whatever its subject
    ("De l'eau pour Meiganga\nMeiganga, 3 mars 2025 – L'OIM et la commune ont arrêté un plan.\n\n"
     "Le plan d'aménagement signé avec la mairie prévoit :\n- huit forages équipés ;\n"
     "- un château d'eau de 100 mètres cubes.\n\nLes forages seront creusés en 2026.\n",
     ["huit forages équipés", "un château d'eau de 100 mètres cubes"]),
    # an output word, then where the outputs are made
    ("Santé des anciens mineurs\nXai-Xai, 3 mars 2025 – L'OIM lance un projet de trois ans.\n\n"
     "Réalisations prévues dans la province d'Inhambane\n1. Deux cliniques mobiles ;\n"
     "2. Un registre des anciens mineurs.\n\nLe projet commence en avril.\n",
     ["Deux cliniques mobiles", "Un registre des anciens mineurs"]),
    # what each one of many gets, the project named and the verb in the future notwithstanding
    ("Des marchés pour la Nana-Mambéré\nBouar, 3 mars 2025 – L'Union européenne finance le projet.\n"
     "Chaque commerçante inscrite au projet recevra : un étal couvert, une balance et un fonds de "
     "roulement.\nLes marchés rouvriront en juin.\n", []),
])
def test_lists_under_a_question_a_plan_or_a_place_and_not_under_each(extractor, page, expected):
    """A question heading in the future about the project or its money, a plan that "prévoit :",
    and an output word followed by where it is made introduce the project's outputs; "Chaque … inscrite
    au projet recevra :" is what each one gets, even with the project named and a future verb."""
    assert [d["text"] for d in extractor.extract(page).to_dict()["deliverables"]] == expected


def test_budget_shares_lake_and_facts_box_from_batch_55(extractor):
    """The phase's "celle-ci s'appuie sur" a sum: the budget (not what the project builds on); a
    share before "de l'" / "des" and a donor's name is a sum in the total's currency; "lac Malawi"
    is the lake; a box headed "… en bref" over figures is no title; the project "implanté …
    depuis" a date starts then."""
    r = rec(extractor, "Le programme en est à sa troisième phase. Ouverte en mai 2025, celle-ci s'appuie sur "
                       "4,2 millions d'euros : 3 millions viennent de l'Allemagne, 1,2 million des Pays-Bas.")
    assert r.budget == {"amount": 4.2e6, "currency": "EUR"}
    assert [(a["amount"], a["currency"]) for a in r.to_dict()["amounts"]] == \
        [(4.2e6, "EUR"), (3e6, "EUR"), (1.2e6, "EUR")]
    r = rec(extractor, "L'OIM aide les pêcheurs du lac Malawi, côté Mozambique, à se protéger des crues.")
    assert "MZ" in r.countries_mentioned and "MW" not in r.countries_mentioned
    page = ("La Zambie en bref (2024)\n- Réfugiés accueillis : 90 000\n- Budget de la mission : 12 millions de "
            "dollars\n\nL'OIM en Zambie\n\nL'OIM travaille en Zambie depuis 1994 avec le gouvernement.\n")
    assert extractor.extract(page).title == "L'OIM en Zambie"
    r = rec(extractor, "Elle suit les cours du projet « Futuru », implanté dans la municipalité d'Ermera depuis "
                       "mars 2025, qui aide les familles de migrants.")
    assert r.start_date == "2025-03"


# the forty-third session's rules from batch 57 (read), each counted on the training and read pages
# first (python -m extract.evaluation.scan); invented sentences of the batch's forms
@pytest.mark.parametrize("sentence, budget", [
    # the donor's verb, then the recipient, then the sum
    ("Le Bureau des migrations des États-Unis a versé au projet 1,4 million de dollars.", (1.4e6, "USD")),
    ("Le Danemark en est l'unique bailleur, pour 3 millions de couronnes danoises.", (3e6, "DKK")),
    # a top-up is MONEY, the total it raises the envelope to the budget (GUIDELINE §47)
    ("La Norvège a accordé une rallonge de 200 000 euros au projet de l'OIM. Cet apport porte l'enveloppe "
     "du projet à 1,5 million d'euros.", (1.5e6, "EUR")),
    # donors pooling the total; each one's share after it in the same sentence is MONEY
    ("La Suède et le Japon mettent en commun 6 millions de dollars pour cette phase, la première pour "
     "4 millions, le second pour 2 millions.", (6e6, "USD")),
    # a price someone paid, in the imperfect, and a ceiling handed to each participant: never the budget
    ("Un bidon d'huile qu'elle payait 3 000 francs CFA en coûte aujourd'hui 5 000. L'Italie finance le "
     "projet à hauteur de 900 000 euros.", (9e5, "EUR")),
    ("Chaque participante reçoit une formation et une subvention de 2 000 dollars au plus pour son matériel.", None),
    # a sum of a phase numbered below the page's latest is that phase's
    ("Une deuxième phase (2020-2023), financée par la Belgique pour 3 millions d'euros, a équipé six postes. "
     "Dotée de 4 millions d'euros, la troisième phase a démarré en mars 2024.", (4e6, "EUR")),
])
def test_budgets_from_batch_57(extractor, sentence, budget):
    want = {"amount": budget[0], "currency": budget[1]} if budget else None
    assert rec(extractor, sentence).budget == want


@pytest.mark.parametrize("sentence, start, end", [
    # the date, then "quand le projet s'achèvera": the end
    ("Le premier puits sera creusé en janvier 2026. Les derniers ouvrages devront être livrés en juin 2027, "
     "quand le projet s'achèvera.", None, "2027-06"),
    ("Le projet « Camino », que l'OIM a lancé à la mi-mars 2025 avec le ministère, aide les rapatriés.",
     "2025-03", None),
    ("Le projet entrera sur les chantiers avec la fin des pluies, en novembre 2025.", "2025-11", None),
    # an earlier numbered phase's period is not the project's
    ("Une deuxième phase du programme (2020-2023) a ouvert quatre guichets. La troisième phase a démarré en "
     "mars 2024.", "2024-03", None),
])
def test_dates_from_batch_57(extractor, sentence, start, end):
    r = rec(extractor, sentence)
    assert (r.start_date, r.end_date) == (start, end)


def test_canal_region_district_and_a_wrapped_list_from_batch_57(extractor):
    """The Panama canal, Guinée forestière and Monrovia's Congo Town are no country; the French
    official name is one mention; a hard-wrapped line that opens on a small letter goes on the
    sentence above it, so the list's introduction is read whole."""
    r = rec(extractor, "Les bateaux passent le canal de Panama ; les rapatriés rentrent en Guinée forestière. "
                       "Contact : OIM Libéria, Congo Town, Monrovia.")
    assert "PA" not in r.countries_mentioned and "GN" not in r.countries_mentioned
    assert "CG" not in r.countries_mentioned and "LR" in r.countries_mentioned
    assert rec(extractor, "L'accord a été signé avec la République du Panama.").countries_mentioned[-1] == "PA"
    page = ("Retour des réfugiés angolais\nLuanda - Le projet durera six mois.\n\n"
            "Le don néerlandais paiera les trois étapes du\nretour : 1) l'enregistrement des candidats ; "
            "2) le transport des familles et de\nleurs biens ; 3) l'accueil dans les centres de transit.\n")
    items = [d["text"] for d in extractor.extract(page).to_dict()["deliverables"]]
    assert len(items) == 3 and items[0].startswith("l'enregistrement")


# the forty-fourth session's rules from batch 59 (read), each counted on the training and read pages
# first (python -m extract.evaluation.scan); invented sentences of the batch's forms
@pytest.mark.parametrize("sentence, budget", [
    # a sentence that opens on the budget it is spent from
    ("Cusco - Sur un budget de 1,8 million d'euros, la Belgique apporte 1,2 million et l'Irlande le reste.",
     (1.8e6, "EUR")),
    # a top-up, then the project's own total it raises: the total (GUIDELINE §47/§50)
    ("L'OIM a reçu du Japon une nouvelle contribution de 300 000 dollars, qui porte à 1,6 million de dollars "
     "les moyens de son programme de retour.", (1.6e6, "USD")),
    # a donor's sum, then an earlier phase's money after a turn: the clause before the turn is this phase's
    ("La troisième phase a démarré en mai 2025. La Suisse lui a alloué 4,2 millions de francs suisses, "
     "après en avoir consacré 3 millions à la deuxième phase.", (4.2e6, "CHF")),
    # the usual French spelling of a currency CLDR spells otherwise
    ("Taïwan finance le projet à hauteur de 2,5 millions de dollars béliziens.", (2.5e6, "BZD")),
])
def test_budgets_from_batch_59(extractor, sentence, budget):
    want = {"amount": budget[0], "currency": budget[1]} if budget else None
    assert rec(extractor, sentence).budget == want


def test_headlines_rivers_volcanoes_and_shares_from_batch_59(extractor):
    """An old release's headline hard-wrapped over three lines, or glued by a dash that ends its
    line, runs to the dash; a river, a city and a volcano named after a country are no mention; a
    pa'anga typed with a straight apostrophe is one; the part of a total restated with "soit" is in
    the total's currency."""
    page = ("Viet Nam : le Luxembourg soutient la prévention de\nla traite dans les provinces frontalières "
            "du\nNord– L'OIM a lancé à Lào Cai un programme de trois ans.\n")
    assert extractor.extract(page).title == ("Viet Nam : le Luxembourg soutient la prévention de la traite dans "
                                             "les provinces frontalières du Nord")
    page = ("Communiqué\nGlobal\n\nMexique : l'OIM ouvre des permanences pour les\ntravailleurs agricoles du "
            "Chiapas–\nL'OIM et le ministère vont ouvrir six permanences.\n")
    assert extractor.extract(page).title == "Mexique : l'OIM ouvre des permanences pour les travailleurs agricoles du Chiapas"
    r = rec(extractor, "Les villes le long du fleuve\nUruguay, une antenne à Belize City et le volcan Hunga "
                       "Tonga-Hunga Ha'apai.")
    assert not {"UY", "BZ", "TO"} & set(r.countries_mentioned)
    r = extractor.extract("Chaque famille reçoit 200 pa'anga. La facture du projet, 2,6 millions d'euros, soit "
                          "près de 13 millions de ringgits, se divise entre l'UE, qui en règle 2 millions, et "
                          "les Pays-Bas.", id="t").to_dict()
    assert [(a["amount"], a["currency"]) for a in r["amounts"]] == [
        (200.0, "TOP"), (2.6e6, "EUR"), (13e6, "MYR"), (2e6, "EUR")]


# the forty-fourth session's second round from batch 61 (read), counted the same way
@pytest.mark.parametrize("sentence, budget", [
    ("Son budget a été arrêté à 2,8 millions de dollars par le comité de pilotage.", (2.8e6, "USD")),
    ("La Suède apporte 1,5 million d'euros, la Norvège 900 000 euros. Réunies, les deux contributions "
     "donnent au projet un budget de 2,4 millions d'euros.", (2.4e6, "EUR")),
    # money sent home every month is a remittance, never the budget
    ("Pendant six ans, il a envoyé chaque mois 2 000 rands à sa famille.", None),
])
def test_budgets_from_batch_61(extractor, sentence, budget):
    want = {"amount": budget[0], "currency": budget[1]} if budget else None
    assert rec(extractor, sentence).budget == want


def test_currencies_islands_demonyms_and_given_parts_from_batch_61(extractor):
    """Emalangeni and Solomon Islands dollars by their usual French names; Petite Martinique (an
    island of Grenada) and the I-Kiribati (a people) are no country mention; a part of a total in
    digit groups, then who gave it, is a sum in the total's currency."""
    r = extractor.extract("Sa dotation, 32 millions d'emalangeni, vient de l'UE ; chaque stagiaire reçoit "
                          "90 dollars salomonais. L'Irlande et les Pays-Bas, pour 1,25 million d'euros, dont "
                          "800 000 apportés par Dublin.", id="t").to_dict()
    assert [(a["amount"], a["currency"]) for a in r["amounts"]] == [
        (32e6, "SZL"), (90.0, "SBD"), (1.25e6, "EUR"), (8e5, "EUR")]
    r = rec(extractor, "L'ouragan a frappé Carriacou et Petite Martinique ; 860 I-Kiribati sont partis.")
    assert "MQ" not in r.countries_mentioned and "KI" not in r.countries_mentioned


# the forty-fifth session's candidate 34 (docs/scores/s45_decision.md), from batch 63 (read); sentences
# written for these tests in the shapes that batch showed
def test_each_after_pour_a_parts_that_come_from_and_cities_from_batch_65(extractor):
    """Batch 65 (read): "Pour chaque inscrit, le guichet prévoit :" is what each one gets, not the
    project's outputs, though a plan that "prévoit :" otherwise announces them; a part before "en
    reviennent" or "viennent de" is a sum in the currency before it; Port of Spain is a city and "la
    Moldavie roumaine" a region of Romania; "République des Palaos" is one mention."""
    page = ("Un guichet pour les Barbadiens de retour\nBridgetown, 3 mars 2026 – Le Canada finance le projet.\n\n"
            "Pour chaque inscrit, le guichet prévoit : un bilan de compétences, une aide pour faire reconnaître "
            "ses diplômes, un cours d'anglais.\nLe guichet ouvre en avril.\n")
    assert extractor.extract(page).to_dict()["deliverables"] == []
    r = extractor.extract("Un plan régional de 12 millions d'euros. 2,8 millions en reviennent à Palau. L'OIM a "
                          "rassemblé 980 000 dollars : 700 000 viennent de Washington.", id="t").to_dict()
    assert [(a["amount"], a["currency"]) for a in r["amounts"]] == [
        (12e6, "EUR"), (2.8e6, "EUR"), (9.8e5, "USD"), (7e5, "USD")]
    r = rec(extractor, "Une antenne à Port of Spain, une autre dans la Moldavie roumaine, et la République des Palaos.")
    assert "PW" in r.countries_mentioned and not {"ES", "MD"} & set(r.countries_mentioned)


def test_donors_parts_and_formal_country_names_from_batch_63(extractor):
    """A part a donor gives in a sentence of its own takes the currency of the sum in millions before
    it, and the parts listed after it follow; a number with a noun of its own is no sum; "République
    de …" formal names are one mention, the longer name winning ("République de Guinée équatoriale"
    is no Guinea)."""
    r = extractor.extract("Le projet coûte 1,9 million d'euros. La Norvège en apporte à elle seule 1,5 million. "
                          "Berlin apporte 300 000 euros. Il verse 3 millions de doses et Rome verse 2 millions, "
                          "Madrid 1 million.", id="t").to_dict()
    assert [(a["amount"], a["currency"]) for a in r["amounts"]] == [
        (1.9e6, "EUR"), (1.5e6, "EUR"), (3e5, "EUR"), (2e6, "EUR"), (1e6, "EUR")]
    doc = extractor.nlp(HEAD + "La République de Chypre, la République de Guinée équatoriale et la "
                        "République fédérale d'Allemagne.")
    assert [(s.text, s._.value) for s in doc.spans["iom"] if s.label_ == "COUNTRY" and s.text.startswith("Ré")] == [
        ("République de Chypre", "CY"), ("République de Guinée équatoriale", "GQ"),
        ("République fédérale d'Allemagne", "DE")]


# the thirty-third session's candidate 19 (docs/scores/s33_decision.md), from batch 36; sentences
# written for these tests in the shapes that batch showed
def _list_rules(extractor, body):
    doc = extractor.nlp(HEAD + body)
    return [(s.text, s._.rule) for s in doc.spans["iom"] if s.label_ == "DELIVERABLE"]


def test_a_heading_over_marked_lines_is_a_list_the_model_reads(extractor):
    """A heading line with no colon, a blank line below it, or a question (batch 36): the list
    model reads it as it reads a colon's list; a label over figures is none of its lists."""
    from extract.components.entities import Enumerations
    from extract.prose.lists import ListModel

    en = Enumerations(json.loads((models_dir() / "deliverables.json").read_text("utf-8")), None)
    lm = ListModel(None, en)
    text = ("Le projet a démarré en 2025.\n\nCe que le projet aura construit\n\n- six forages équipés de pompes\n"
            "- un registre commun des familles\n- quarante latrines familiales\n")
    (_, clause, items, _, heading), = lm.candidates(text, 0)
    assert heading and clause == "Ce que le projet aura construit" and len(items) == 3
    question = "Qu’y aura-t-il à Kayes à la fin du projet ?\n\n1. Un guichet unique\n2. Une ligne d’écoute\n"
    assert [c[1] for c in lm.candidates(question, 0)] == ["Qu’y aura-t-il à Kayes à la fin du projet ?"]
    figures = "Chiffres clés (2024)\n- 4 200 migrants accueillis\n- 12 bureaux\n"
    assert list(lm.candidates(figures, 0)) == []


def test_the_lists_the_rules_turn_down_for_their_noun_go_to_the_model(extractor):
    """An output word the rules turn down because a noun they do not know follows it ("des
    livrables précis") leaves the list to the model; a verb of content or an objective keeps it the
    rules' ("le projet comprend deux autres piliers :" is not outputs, GUIDELINE §6)."""
    from extract.prose.lists import ListModel

    lm = [p for _, p in extractor.nlp.pipeline if hasattr(p, "lists")][0].lists
    assert isinstance(lm, ListModel)
    assert lm.open_to_model("Pour ces trois années, le programme s'est donné des livrables précis ")
    assert not lm.open_to_model("En plus d’élaborer la politique, le projet comprend deux autres piliers ")
    assert not lm.open_to_model("Le programme poursuit trois objectifs ")
    assert not lm.open_to_model("Chaque famille reçoit ")


@pytest.mark.parametrize("body", [
    "Le projet a démarré en 2025. Pour ces deux années, le programme s'est donné des livrables précis : "
    "un centre d'accueil rénové à Gao, une plateforme de suivi des cas tenue avec les mairies, "
    "la formation de 300 agents municipaux.",
    "Le projet a démarré en 2025.\n\nQue restera-t-il à Kayes quand le projet prendra fin ?\n\n"
    "1. Un guichet unique ouvert cinq jours par semaine\n2. Une ligne d’écoute gratuite en bambara\n"
    "3. Un fichier commun des cas de protection\n",
])
def test_lists_of_things_to_be_made_are_outputs_from_batch_36(extractor, body):
    # "des livrables précis :" is the rules' since the thirty-eighth session ("précis" an adjective
    # of manner, models/deliverables.json list_head_neutral); the question heading was the model's
    # until the forty-second session, and is the rules' since: a question in the future about the
    # project (Enumerations.introduces_outputs, batch 55)
    got = _list_rules(extractor, body)
    assert len(got) == 3 and all(r.startswith("list introduced") for _, r in got)


def test_an_adverb_of_order_opens_the_last_item(extractor):
    """"… ; enfin, un registre": the adverb opens the item, it is not in it (batch 36)."""
    got = _list_rules(extractor, "Le projet a démarré en 2025. Le projet comprendra trois produits : la réparation "
                                 "de 400 abris ; l'installation de huit points d'eau ; enfin, un registre commun des familles.")
    assert [t for t, _ in got] == ["la réparation de 400 abris", "l'installation de huit points d'eau",
                                   "un registre commun des familles"]


def test_a_sum_in_words_with_a_multiplier_inside():
    from extract.normalize.money import MoneyReader

    reader = MoneyReader.from_tsv(models_dir() / "currencies.tsv")
    (m,) = [x for x in reader.finditer("« Un million quatre cent mille euros, c’est peu », dit-elle.") if x.currency]
    assert (m.amount, m.currency) == (1400000.0, "EUR")


@pytest.mark.parametrize("sentence", [
    # what had been done before the project
    "Avant ce projet, l’OIM avait déjà ouvert en 2021 un centre d’accueil à Nouakchott.",
    # a strategy's own period
    "Les deux pays ont adopté de nouvelles stratégies de gestion des frontières pour la période 2025-2030.",
])
def test_dates_of_other_things_from_batch_36(extractor, sentence):
    r = rec(extractor, sentence)
    assert (r.start_date, r.end_date) == (None, None)


def test_a_list_of_names_alone_is_never_outputs(extractor):
    """A list whose every item is a name (countries, partners) is not what the project makes, whatever
    the list model says of its introduction (extract/prose/lists.py names_only; batch 39)."""
    page = ("Mongolie : l’OIM aide les éleveurs face au dzud\nOulan-Bator – Le projet complète un "
            "programme régional sur la mobilité climatique, financé par l’Union européenne à hauteur de "
            "9 millions d’euros et partagé entre cinq pays : la Mongolie, le Kazakhstan, le Kirghizistan, "
            "le Tadjikistan et l’Ouzbékistan.\nIl doit livrer trois outils : un registre des éleveurs, "
            "un système d’alerte et un fonds de prévoyance.")
    got = [d["text"] for d in extractor.extract(page, id="t").to_dict()["deliverables"]]
    assert not any(n in " ".join(got) for n in ("Mongolie", "Kazakhstan", "Ouzbékistan"))
    assert any("registre des éleveurs" in d for d in got)


@pytest.mark.parametrize("sentence, field, want", [
    # a verb of beginning after the date, the project its subject or object (thirty-fifth session)
    ("La première formation, tenue à Dosso le 4 février 2025 avec les élus, a marqué le début du projet.",
     "start_date", "2025-02-04"),
    ("Les semis, attendus en juin 2026, ouvriront ce projet dans les trois communes.", "start_date", "2026-06"),
    ("Un forage a été réparé le 2 mai 2024, puis une école a ouvert ; le projet avait commencé plus tôt.",
     "start_date", None),   # a figure between would be nearer; and the project is not what began then
    ("Le bureau de projet de l'OIM à Agadez, ouvert en 2017, appuie la mairie.", "start_date", None),
    ("Ce programme de deux ans, ouvert au printemps 2025 par l'OIM, forme des éleveurs.", "start_date", "2025"),
    # an end with a dated event
    ("Le projet prendra fin avec la remise des registres à la mairie, en mars 2027.", "end_date", "2027-03"),
    # the time the project has, a fraction of its length, what a grant covers
    ("Ouvert en 2025, le projet a dix-huit mois pour équiper les postes de santé.", "duration_months", 18),
    ("Arrivé à la moitié de ses vingt-quatre mois, le programme a formé 300 agents.", "duration_months", 24),
    ("Le don suédois couvre quinze mois de formations dans la région.", "duration_months", 15),
    ("Samira est arrivée il y a trois ans pour travailler à Tunis.", "duration_months", None),
    # a sum given to the project in a relative clause on it; the project's cost in apposition
    ("Le projet, auquel la Norvège a accordé 640 000 dollars, équipera deux centres.", "budget",
     {"amount": 640000.0, "currency": "USD"}),
    ("Le coût du projet – 300 000 euros – est couvert par la Belgique.", "budget", {"amount": 300000.0, "currency": "EUR"}),
])
def test_starts_ends_lengths_and_sums_read_from_batches_39_and_41(extractor, sentence, field, want):
    assert getattr(rec(extractor, sentence), field) == want


def test_the_budget_models_sum_and_the_time_it_is_spent_over(extractor):
    """The time a sum is spent over, right after it, is the project's duration whether the rules or
    the budget model made that sum the budget (thirty-fifth session)."""
    r = rec(extractor, "Pour 1,2 million d'euros sur trois ans, le ministère confie à l'OIM l'accueil des travailleurs.")
    assert r.budget == {"amount": 1.2e6, "currency": "EUR"} and r.duration_months == 36


def test_a_list_introduction_that_counts_its_items(extractor):
    """``s:count_match`` (extract/prose/lists.py): the introduction announces as many things as there
    are items; the trained list model weighs it for a list of outputs."""
    import re

    lm = next(p for _, p in extractor.nlp.pipeline if hasattr(p, "lists")).lists
    text = "Quatre chantiers occupent la phase :\n- un centre ;\n- un registre ;\n- une ligne ;\n- un guide.\n"
    items = [(m.start(), m.end(), None) for m in re.finditer(r"une? \w+", text)]
    assert len(items) == 4
    assert lm.features("Quatre chantiers occupent la phase ", items, text, "news", False)["s:count_match"] == 1.0
    assert "s:count_match" not in lm.features("Trois chantiers occupent la phase ", items, text, "news", False)
    assert "s:count_match" not in lm.features("Les chantiers de la phase ", items, text, "news", False)
    assert lm.model.weights["s:count_match"] > 0


@pytest.mark.parametrize("sentence, field, want", [
    # a start with an event by more verbs of beginning; the date right after "s'est mis en marche"
    ("Le projet prendra effet avec l'arrivée des premiers conseillers, à Tillabéri, en mars 2026.",
     "start_date", "2026-03"),
    ("Le programme s'est mis en marche le 3 février 2025 avec la formation des agents.", "start_date", "2025-02-03"),
    # running since a season, the project the subject right after; a season's rains, the monsoon
    ("Depuis la fin de la saison des pluies 2024, le projet forme des sages-femmes à Mopti.", "start_date", "2024"),
    ("Lancé à la fin de la grande saison des pluies 2025, le projet équipe trois dispensaires.", "start_date", "2025"),
    ("Sur les rails depuis mai 2025, le programme compte déjà deux centres.", "start_date", "2025-05"),
    ("Depuis 2019, plus de 4 000 migrants ont été accueillis au centre.", "start_date", None),
    # a programme's first opening when it has reached a later phase: not the phase's start
    ("Ouvert en 2012, le programme en est à sa troisième phase, que la Suède finance.", "start_date", None),
    # lengths: a relative clause on the project, a verb of spreading, the whole a part is counted against
    ("Le projet, qui tiendra sur quinze mois, forme des inspecteurs.", "duration_months", 15),
    ("Le programme a commencé en mars 2024 et s'étire sur trente mois.", "duration_months", 30),
    ("Il reste au projet huit mois sur les vingt-quatre prévus.", "duration_months", 24),
    ("Il reste au projet un an sur les trois qu'il doit durer.", "duration_months", 36),
    ("Des six semestres qu'il compte, le projet en a passé deux à recruter.", "duration_months", 36),
    ("Le projet a consommé la moitié des vingt mois que lui accorde son accord.", "duration_months", 20),
    ("Le calendrier est serré : quatorze mois, de mars 2025 à avril 2026.", "duration_months", 14),
    ("Il a travaillé deux ans sur les trois sites du port avant de rentrer.", "duration_months", None),
    # a sum after a colon closing the clause that names the project's funding
    ("Cette phase repose sur une subvention de la Belgique : 1,4 million d'euros pour deux ans.", "budget",
     {"amount": 1.4e6, "currency": "EUR"}),
])
def test_starts_lengths_and_sums_read_from_batch_43(extractor, sentence, field, want):
    assert getattr(rec(extractor, sentence), field) == want


def test_a_conversion_after_the_time_a_sum_is_spent_over_restates_it(extractor):
    """"40 millions de couronnes sur trois ans (environ 3,7 millions de dollars)": the bracket is the
    same budget in another currency; the record keeps the sum the page states first."""
    r = rec(extractor, "La Norvège finance seule le projet : 40 millions de couronnes norvégiennes sur trois ans "
                       "(environ 3,7 millions de dollars).")
    assert r.budget == {"amount": 4e7, "currency": "NOK"}


def test_a_fronted_phrase_does_not_close_a_list_to_the_model(extractor):
    """"Sur les dix-huit mois que couvre le projet, l'OIM a pris trois engagements :": the verb of
    content sits in the phrase before the subject, so the list is still the model's to read; "chaque"
    beside an output word distributes outputs, not what each person is handed."""
    lm = next(p for _, p in extractor.nlp.pipeline if hasattr(p, "lists")).lists
    assert lm.open_to_model("Sur les douze mois que couvre le projet, l'OIM a pris trois engagements ")
    assert not lm.open_to_model("Le projet couvre trois domaines ")
    assert lm.open_to_model("La convention associe chaque versement à une réalisation ")
    assert not lm.open_to_model("Chaque famille reçoit ")


@pytest.mark.parametrize("sentence, want", [
    ("Les dernières formations, prévues en mai 2027, refermeront le projet dans les deux provinces.", "2027-05"),
    ("Le projet remettra le centre au ministère en juin 2026 ; ce sera son dernier acte.", "2026-06"),
    ("Les ateliers de mars 2026 refermeront la saison des semis.", None),
])
def test_an_end_by_a_verb_of_closing_after_the_date_from_batch_43(extractor, sentence, want):
    assert rec(extractor, sentence).end_date == want


@pytest.mark.parametrize("sentence, field, want", [
    # an appeal's launch is the appeal's (models/date_cues.json cue_other_subject)
    ("L'appel d'urgence lancé en janvier 2025 pour le Sahel n'était financé qu'à 20 % en mai.", "start_date", None),
    # taking root with an event, as taking shape
    ("Le projet a pris racine avec les premières plantations, en novembre 2024 : 300 familles y participent.",
     "start_date", "2024-11"),
    # closing its accounts is the project's end, not its start
    ("Le projet bouclera ses comptes en mars 2027, après la remise des derniers ateliers.", "end_date", "2027-03"),
    ("Le projet bouclera ses comptes en mars 2027, après la remise des derniers ateliers.", "start_date", None),
    # a signing is the agreement's date, never the start (GUIDELINE §10)
    ("Le ministère et l'OIM ont signé le 3 mars 2025 l'accord qui encadre un nouveau projet pour les rapatriés.",
     "start_date", None),
    # a first-person opening in a quotation, a start and so not the end
    ("« Quand nous avons ouvert le projet, en janvier 2025, nous attendions cent personnes », dit la coordinatrice.",
     "start_date", "2025-01"),
    ("« Quand nous avons ouvert le projet, en janvier 2025, nous attendions cent personnes », dit la coordinatrice.",
     "end_date", None),
    # lengths: allotted to the project's activities, a participle set before the project, its calendar's years
    ("Les activités débuteront en mai 2026, et vingt mois leur sont impartis.", "duration_months", 20),
    ("Bouclé en neuf mois si tout va bien, il doit reloger 2 000 familles.", "duration_months", 9),
    ("La Suède y a engagé 2 millions d'euros, de quoi couvrir les trois années de son calendrier.",
     "duration_months", 36),
])
def test_starts_ends_and_lengths_read_from_batch_45(extractor, sentence, field, want):
    assert getattr(rec(extractor, sentence), field) == want


def test_a_duration_that_is_its_own_clauses_subject_is_weighed():
    """extract/components/prose.py about_something_else: "Ses vingt-quatre mois courront d'octobre
    2025 à …" gives the verb the duration as its subject and no other; its clause is not about
    another thing, so the duration model weighs it. A duration in a clause whose subject is someone
    else stays another's."""
    from extract.components.prose import about_something_else

    assert not about_something_else({"dep:nsubj": 1.0, "subj:any": 1.0, "gov:run_verb": 1.0})
    assert about_something_else({"dep:obj": 1.0, "subj:any": 1.0})


@pytest.mark.parametrize("sentence, field, want", [
    # a sentence opening on the funding's noun right before the sum (models/budget_cues.json)
    ("L'enveloppe de 1,9 million d'euros que la Belgique a débloquée paie les trois chantiers.", "budget",
     {"amount": 1.9e6, "currency": "EUR"}),
    # the share of its total a plan has received is the plan's, not the project's
    ("Le plan de réponse pour la région n'est couvert qu'à 31 % de ses 60 millions de dollars.", "budget", None),
    # a donor's verb around the sum with the project's phase its object
    ("La Suisse apporte 3,2 millions de francs suisses à cette phase, dont elle est le seul bailleur.", "budget",
     {"amount": 3.2e6, "currency": "CHF"}),
    # the sum in apposition to the project named in quotes
    ("Quelque 400 familles participent au projet « Terres et pêche », 2,5 millions de dollars apportés par le Japon.",
     "budget", {"amount": 2.5e6, "currency": "USD"}),
    # a handover of the project, an event that marks its close after the date
    ("Le projet démarre en mars 2026 et doit passer la main au ministère de l'Intérieur en août 2028.",
     "end_date", "2028-08"),
    ("Le projet ira jusqu'à la fin de la campagne agricole de novembre 2027, qui marquera sa clôture.",
     "end_date", "2027-11"),
    # the month a relative clause after the date makes the project's beginning: a start, so no end
    ("« Nous sommes arrivés dans les villages en mai 2025, le mois où le projet a commencé », dit-elle.",
     "start_date", "2025-05"),
    ("« Nous sommes arrivés dans les villages en mai 2025, le mois où le projet a commencé », dit-elle.",
     "end_date", None),
    # a season's length is the season's
    ("Sur les hauts plateaux, l'hiver dure près de cinq mois et les routes ferment.", "duration_months", None),
    # the total its donors share, not a donor's share in brackets; the phase's pronoun having its money
    ("Le programme repose sur 5,6 millions d'euros, que se partagent l'Union européenne (4 millions) et la Suisse "
     "(1,6 million).", "budget", {"amount": 5.6e6, "currency": "EUR"}),
    ("La phase actuelle du programme s'est ouverte en janvier 2025. Elle repose sur 3,6 millions d'euros.", "budget",
     {"amount": 3.6e6, "currency": "EUR"}),
])
def test_sums_and_ends_read_from_batch_47(extractor, sentence, field, want):
    assert getattr(rec(extractor, sentence), field) == want


def test_semicolons_that_separate_items_cut_before_a_number(extractor):
    """"… aura reçu : un système … ; deux guichets … ; et un programme …" (batch 47): with two
    semicolons or more each separates items, whatever word the item opens on; the first item's
    determiner no longer decides where the others start. An adjective after the output word
    ("trois réalisations concrètes :") names no other thing the list holds."""
    text = ("D'ici la fin du projet, le poste aura reçu : un scanner de documents relié au registre ; deux guichets "
            "pour les travailleurs migrants ; et un programme de formation pour 80 agents.")
    assert [d["text"] for d in rec(extractor, text).deliverables] == [
        "un scanner de documents relié au registre", "deux guichets pour les travailleurs migrants",
        "un programme de formation pour 80 agents"]
    text = ("Le programme doit déboucher sur trois réalisations concrètes : a) un registre en ligne ; b) deux centres "
            "d'accueil ; c) un guichet unique.")
    assert len(rec(extractor, text).deliverables) == 3


def test_a_duration_whose_clause_has_a_word_of_duration_as_subject_is_weighed():
    """extract/components/prose.py about_something_else: "Son calendrier s'étire sur sept trimestres"
    (batch 47): the clause is about a schedule, so the duration model weighs the duration."""
    from extract.components.prose import about_something_else

    assert not about_something_else({"dep:obl:arg": 1.0, "subj:any": 1.0, "subj:duration_noun": 1.0})
    assert about_something_else({"dep:obl:arg": 1.0, "subj:any": 1.0, "subj:beneficiary": 1.0})


def test_duration_cues_searched_in_their_sentences_find_what_a_whole_text_search_finds():
    """extract/components/prose.py ProseRules.duration searches each cue only in the sentences that
    name a unit of time (duration_windows), and a cue that opens on the duration only where what
    follows it is on the page (a fifth of the time on the bench's pages): on every gold page, from
    its start and from a fifth of the way in, it decides what a search of the whole text decides."""
    import re

    from extract.components.prose import ProseRules, UNIT_AFTER_SPACE
    from extract.evaluation.gold import load_gold
    from extract.normalize.dates import duration_months, elided_whole_months

    rules = ProseRules(models_dir())

    def whole_text(text, start):
        if not UNIT_AFTER_SPACE.search(text, start):
            return None
        found = [m for rx in rules.durations if (m := rx.search(text, start))]
        if not found:
            return None
        m = min(found, key=lambda m: m.start("d"))
        if m.groupdict().get("w"):
            months = elided_whole_months(m.group("d"), m.group("w"))
            return (months, m.start("w"), m.end("w")) if months else None
        months = duration_months(re.sub(r"\s+prochaine?s\b", "", m.group("d"), flags=re.IGNORECASE))
        return (months, m.start("d"), m.end("d")) if months else None

    pages = [g["text"] for g in load_gold(ROOT / "annotations" / "gold.jsonl")]
    found = 0
    for text in pages:
        for start in (0, len(text) // 5):
            want = whole_text(text, start)
            assert rules.duration(text, start) == want, text[:80]
            found += want is not None
    assert found > 300


# the fortieth session's rules from batch 51 (read), each counted on the training and read pages
# first (python -m extract.evaluation.scan); invented sentences of the batch's forms
def test_sums_from_batch_51(extractor):
    """A sum right after "le financement :" is the budget; the parts of a sum in digit groups with no
    multiplier take its currency when a date, a receiver or "restants" follows them; a part named
    far after its total in the same sentence too; a count in digit groups stays no sum."""
    r = rec(extractor, "Le Japon en assure seul le financement : 2,5 millions de dollars.")
    assert r.budget == {"amount": 2.5e6, "currency": "USD"}
    r = rec(extractor, "La Suède versera la somme en trois fois : 600 000 dollars cette année, 300 000 en 2026 "
                       "et les 100 000 restants en 2027, pour 12 000 familles.")
    assert [(a["amount"], a["currency"]) for a in r.amounts] == [(6e5, "USD"), (3e5, "USD"), (1e5, "USD")]
    r = rec(extractor, "Évalué à 3,4 millions de dollars, le programme de formation des jeunes que l'OIM conduit "
                       "avec le ministère du Travail et l'agence nationale de l'emploi repose sur deux bailleurs : "
                       "le Japon en apporte 2 millions, la Suède les 1,4 million restants.")
    assert [(a["amount"], a["currency"]) for a in r.amounts] == [(3.4e6, "USD"), (2e6, "USD"), (1.4e6, "USD")]


def test_places_lists_and_titles_from_batch_51(extractor):
    """A river named after a country is no mention of it; the last item of an inline list goes on
    over a hard wrap that continues in lower case; a page's own table of contents is no title."""
    r = extractor.extract("Des champs sous les eaux\nMalanville – En 2024, les crues du fleuve Niger ont détruit "
                          "des champs au Bénin.\n")
    assert r.countries_mentioned == ["BJ"]
    page = ("La Norvège finance le relogement de 300 familles\nSarajevo, 3 mai 2012 – Le projet comprend :\n"
            "a) la construction de 40 maisons ; b) la remise de 30 appartements ; c) un\naccompagnement social des "
            "familles pendant leur\npremière année. Le projet s'appuie sur un recensement.\n")
    items = [d["text"] for d in extractor.extract(page).to_dict()["deliverables"]]
    assert items[-1] == "un\naccompagnement social des familles pendant leur\npremière année"
    page = ("Sur cette page : Présentation · Phase en cours · Partenaires · Contact\n\n"
            "Migration de main-d'œuvre équitable en Afrique australe\n\nDepuis 2019, l'OIM aide trois gouvernements "
            "à encadrer les recrutements de travailleurs.\n")
    assert extractor.extract(page).title == "Migration de main-d'œuvre équitable en Afrique australe"


# the forty-first session's rules from batch 53 (read), each counted on the training and read pages
# first (python -m extract.evaluation.scan); invented sentences of the batch's forms
def test_lists_said_as_what_the_project_will_do(extractor):
    """"ce que …" with a verb in the future or the conditional introduces the project's outputs, over
    a colon or as a heading; not what a beneficiary will receive."""
    page = ("La Suède finance un centre de santé à Kassala\nKassala, 4 mars 2025 – Le projet durera un an. "
            "Le plan approuvé par Stockholm détaille ce que l'OIM ferait de la somme :\n"
            "- la rénovation du dispensaire de Wad Sharifey ;\n- la formation de 40 sages-femmes ;\n"
            "- une ambulance pour les villages de la frontière.\n\nLe reste viendra plus tard.\n")
    items = [d["text"] for d in extractor.extract(page).to_dict()["deliverables"]]
    assert items == ["la rénovation du dispensaire de Wad Sharifey", "la formation de 40 sages-femmes",
                     "une ambulance pour les villages de la frontière"]
    page = ("Un poste-frontière neuf à Gallabat\nGallabat, 2 juin 2025 – L'OIM a lancé les travaux du poste.\n\n"
            "Ce que le poste de Gallabat aura de neuf\n- un bâtiment de contrôle unique ;\n"
            "- un espace d'accueil pour les enfants seuls.\n\nLes travaux dureront un an.\n")
    assert len(extractor.extract(page).to_dict()["deliverables"]) == 2
    page = ("Des kits pour les rapatriés\nKassala, 4 mars 2025 – L'OIM aide 300 familles rentrées du Soudan du Sud. "
            "Voici ce que chaque famille recevra :\n- une bâche ;\n- un jerrican ;\n- des ustensiles de cuisine.\n")
    assert extractor.extract(page).to_dict()["deliverables"] == []


def test_budgets_and_starts_from_batch_53(extractor):
    """A possessive opening the sentence right before the sum names the project's budget; the project
    "court depuis" or "est à l'œuvre depuis" its start."""
    r = rec(extractor, "L'OIM mène à Gonaïves un projet de réintégration des rapatriés. Ses 2,7 millions d'euros "
                       "viennent tous de la France.")
    assert r.budget == {"amount": 2.7e6, "currency": "EUR"}
    r = rec(extractor, "Financé par le Japon, le projet de l'OIM court depuis le 6 janvier 2025 et aide les "
                       "éleveurs du Hodh Ech Chargui. En 2024, 110 000 réfugiés vivaient dans le camp.")
    assert r.start_date == "2025-01-06"
    r = rec(extractor, "Soumy, 9 octobre 2025 – À l'œuvre depuis mars 2025, le projet de logements de l'OIM a déjà "
                       "installé 110 maisons.")
    assert r.start_date == "2025-03"
