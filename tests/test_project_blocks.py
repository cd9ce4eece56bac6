"""Label blocks that are not the page's own, and the other decisions of GUIDELINE §11 (batch 5):
each case is a page written for this test in the shape those pages take, with the look-alike that
must not change."""
import pytest

HEADER = "OIM Bureau pays\nAccueil\nProjets\nActualités\nContact\n"


def record(extractor, text):
    return extractor.extract(text, id="t").to_dict()


def test_several_projects_each_with_its_block_give_no_page_values(extractor):
    page = HEADER + (
        "Nos projets\n"
        "Le bureau met en œuvre plusieurs projets avec le Gouvernement et ses partenaires dans tout le pays.\n"
        "Appui aux communes frontalières\n"
        "Période : 2022 – 2025\n"
        "Budget : 2 millions d’euros\n"
        "Formation de 200 agents et équipement de trois postes.\n"
        "Emploi des jeunes de retour\n"
        "Durée : 18 mois\n"
        "Budget : 600 000 USD\n"
        "Appui à 400 jeunes rentrés de Libye.\n")
    rec = record(extractor, page)
    assert (rec["budget"], rec["start_date"], rec["end_date"], rec["duration_months"]) == (None, None, None, None)
    assert rec["kind"] == "other"
    ev = rec["evidence"]["budget"]
    assert ev["value"] is None and "not the project's own" in ev["rule"] and ev["start"] is not None
    # every sum stays a sum of money
    assert [a["amount"] for a in rec["amounts"]] == [2000000.0, 600000.0]


@pytest.mark.parametrize("block, budget, start, end", [
    # one project's block still gives its values
    ("Appui aux communes frontalières\nPériode : 2022 – 2025\nBudget : 2 millions d’euros\n",
     {"amount": 2000000.0, "currency": "EUR"}, "2022", "2025"),
    # the labels of country-office project blocks; an earlier intervention's dates in prose are not read
    ("Appui à la gestion des sites de déplacés\nBailleur : Union européenne\nEnveloppe : 3,5 millions de dollars "
     "É.-U.\nFin prévue : juin 2026\n", {"amount": 3500000.0, "currency": "USD"}, None, "2026-06"),
])
def test_a_single_block_gives_its_values(extractor, block, budget, start, end):
    rec = record(extractor, HEADER + block + "Le projet finance des équipes dans 30 sites, après une première "
                                             "intervention menée d’avril 2022 à mars 2023.\n")
    assert rec["budget"] == budget
    assert (rec["start_date"], rec["end_date"]) == (start, end)


def test_a_range_in_a_label_is_a_rule_not_a_value(extractor):
    page = HEADER + (
        "Fonds pour les initiatives locales\n"
        "Le Fonds soutient de petits projets portés par des associations locales dans les régions de départ.\n"
        "Conditions\n"
        "• montant : de 5 000 à 20 000 euros par projet ;\n"
        "• durée : de 6 à 12 mois ;\n"
        "L’enveloppe de l’année s’élève à 300 000 euros.\n")
    rec = record(extractor, page)
    assert rec["budget"] is None and rec["duration_months"] is None
    assert "a range" in rec["evidence"]["duration_months"]["rule"]


def test_a_label_block_under_a_dateline_makes_a_standing_page(extractor):
    page = HEADER + (
        "L’OIM renforce l’accueil des migrants à Rosso\n"
        "Budget : 900 000 EUR\n"
        "Durée : 24 mois\n"
        "Statut : Actif\n"
        "Rosso – Ville frontalière sur le fleuve, Rosso voit passer chaque année des milliers de migrants venus de toute la région.\n")
    rec = record(extractor, page)
    assert rec["kind"] == "other"
    assert rec["budget"] == {"amount": 900000.0, "currency": "EUR"} and rec["duration_months"] == 24
    # the look-alike: the same dateline and no label block is a release
    release = HEADER + (
        "L’OIM renforce l’accueil des migrants à Rosso\n"
        "Rosso, 3 mars 2024 – Ville frontalière sur le fleuve, Rosso voit passer chaque année des milliers de migrants.\n")
    assert record(extractor, release)["kind"] == "news"


def test_a_page_with_no_header_that_quotes_someone_is_a_release(extractor):
    release = ("Le Japon appuie un nouveau programme de l’OIM pour les familles déplacées\n"
               "Le Japon a annoncé un don de 2 millions de dollars pour un programme de deux ans.\n"
               "« Ces familles ont tout perdu », a déclaré la cheffe de mission de l’OIM.\n")
    assert record(extractor, release)["kind"] == "news"
    standing = ("Notre action pour les familles déplacées\n"
                "L’OIM appuie les familles déplacées par les conflits et les catastrophes dans tout le pays.\n")
    assert record(extractor, standing)["kind"] == "other"


def test_budget_of_a_sentence_opening_with_dote(extractor):
    rec = record(extractor, "Haïti : un projet de protection démarre à la frontière\n"
                            "Ouanaminthe, 2 octobre 2024 – L’OIM ouvre un point d’assistance. Doté de 800 000 dollars par le "
                            "Canada, le projet durera un an.\n")
    assert rec["budget"] == {"amount": 800000.0, "currency": "USD"}
    # the look-alike: a wider programme's money after its noun stays money
    rec = record(extractor, "Haïti : un projet de protection démarre à la frontière\n"
                            "Ouanaminthe, 2 octobre 2024 – Le projet complète le programme régional, doté de 40 millions de "
                            "dollars.\n")
    assert rec["budget"] is None


@pytest.mark.parametrize("body, amounts", [
    # an earlier phase's sum
    ("Le programme de l’OIM entame sa deuxième phase.\nLa première phase, financée à hauteur de 2 millions "
     "d’euros par l’Italie entre 2018 et 2021, a formé 1 000 jeunes.", [2000000.0]),
    # a sum handed to all the agencies
    ("L’OIM distribue des abris. Le Fonds central a débloqué 4 millions de dollars pour l’ensemble des agences "
     "humanitaires présentes.", [4000000.0]),
])
def test_sums_that_are_not_the_budget(extractor, body, amounts):
    rec = record(extractor, "Gambie : l’OIM et les jeunes\nBanjul, 5 mai 2023 – " + body + "\n")
    assert rec["budget"] is None
    assert [a["amount"] for a in rec["amounts"]] == amounts


def test_the_more_precise_end_is_kept(extractor):
    rec = record(extractor, "Libye : le projet d’aide aux migrants prolongé jusqu’en juin 2025\n"
                            "Tripoli, 4 décembre 2023 – Le Gouvernement des Pays-Bas a accordé une rallonge au projet de "
                            "l’OIM. Elle lui permettra de poursuivre ses activités jusqu’au 30 juin 2025.\n")
    assert rec["end_date"] == "2025-06-30"   # whichever decided it (refine_dates' doctest: the rule itself)


def test_a_list_announced_by_a_pronoun_for_the_project(extractor):
    page = ("Mauritanie : un projet pour les postes frontières de l’est\n"
            "Nouakchott, 2 mars 2022 – L’OIM lance un projet aux postes frontières de l’est du pays.\n"
            "Le projet durera douze mois. Il permettra de :\n"
            "1. construire deux postes frontières ;\n"
            "2. former 100 agents de police.\n")
    assert [d["id"] for d in record(extractor, page)["deliverables"]] == ["1", "2"]
    # the look-alike: a pronoun for something else announces no outputs
    other = ("Mauritanie : un projet pour les postes frontières de l’est\n"
             "Nouakchott, 2 mars 2022 – L’OIM lance un projet aux postes frontières de l’est du pays.\n"
             "La saison sèche a commencé. Elle permettra de :\n"
             "1. traverser le fleuve ;\n"
             "2. rejoindre les marchés.\n")
    assert record(extractor, other)["deliverables"] == []


def test_a_dash_inside_the_first_paragraph_does_not_glue_it_to_the_headline(extractor):
    page = HEADER.replace("Contact\n", "Contact\n- 2030 AGENDA\n") + (
        "Gestion des frontières\n"
        "Des frontières bien gérées facilitent les déplacements légitimes – commerce, visites familiales – tout en "
        "protégeant les personnes vulnérables.\n")
    rec = record(extractor, page)
    assert rec["title"] == "Gestion des frontières"


def test_a_null_says_how_many_candidates_it_turned_down(extractor):
    rec = record(extractor, "Tchad : l’OIM forme des jeunes\n"
                            "N’Djamena, 4 avril 2023 – L’OIM forme 300 jeunes âgés de 18 ans à la mécanique.\n")
    assert rec["duration_months"] is None
    assert rec["evidence"]["duration_months"]["rule"] == "none of the 1 durations on the page is the project's"


# batch 7 (GUIDELINE §13): the shortest labels, a country office's project page with a code, and an
# office's standing page that names a project in passing
@pytest.mark.parametrize("block, want", [
    # the shortest date labels
    ("Cohésion sociale et réintégration au Burundi\nBudget total : 3 000 000 USD\nDurée : 24 mois\n"
     "Début : 1er janvier 2025\nFin : 31 décembre 2026\nStatut : En cours\n",
     {"start_date": "2025-01-01", "end_date": "2026-12-31", "duration_months": 24, "kind": "other"}),
    # a code, a budget and a status: a country office's project page, not a Fund sheet
    ("Réintégration durable des migrants de retour en Géorgie\nCode du projet : RT.1187\n"
     "Budget : 2 750 000 EUR\nStatut : Achevé\n",
     {"kind": "other", "project_code": "RT.1187", "budget": {"amount": 2750000.0, "currency": "EUR"}}),
])
def test_country_office_project_blocks_of_batch_7(extractor, block, want):
    rec = record(extractor, HEADER + block + "Le projet appuie le retour de 6 000 personnes dans trois provinces.\n")
    assert {k: rec[k] for k in want} == want


NAV = "Qui sommes nous\nNotre travail\n- Données et recherche\n- 2030 AGENDA\n"


def test_an_offices_standing_page_gives_no_project_values(extractor):
    body = ("Présente dans le pays depuis 1999, l’OIM y emploie 120 personnes.\n"
            "Un projet de gestion des frontières, financé par le Japon à hauteur de 1,8 million de dollars, "
            "a été lancé en mars 2024 pour deux ans.\n")
    rec = record(extractor, NAV + "L’OIM au Timor-Leste\n" + body)
    assert rec["kind"] == "other"
    assert (rec["budget"], rec["start_date"], rec["duration_months"]) == (None, None, None)
    assert rec["evidence"]["budget"]["rule"].startswith("a country office's standing page (its title)")
    assert [a["amount"] for a in rec["amounts"]] == [1800000.0]
    # the same sentences in a release are its project's
    release = record(extractor, NAV + "Le Japon finance un projet de l’OIM au Timor-Leste\nDili, 3 avril 2024 – " + body)
    assert release["kind"] == "news"
    assert release["budget"] == {"amount": 1800000.0, "currency": "USD"} and release["start_date"] == "2024-03"
