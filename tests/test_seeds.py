"""The five seed pages: every RECORD.md field, expected values written by reading the pages."""
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
LAC = "Amérique latine et Caraïbes"

# Written by hand from reading seeds/ against annotations/GUIDELINE.md; never from the extractor.
EXPECTED = {
    "000_14ffe6853017f9cf": dict(
        kind="idf_project",
        title="Cuba : Renforcement de la planification du développement local à l’aide de données sur la migration",
        project_code="DA.0009", prima_id="CU10P0503", budget={"amount": 100000.0, "currency": "USD"},
        start_date="2024", end_date="2025", approval_year=2023, duration_months=None, status="active",
        project_type="Données de migration", coverage="national", region=LAC, mission=None,
        beneficiary_countries=["CU"], non_eligible_countries=[], countries_mentioned=["CU"],
        amounts=[(100000.0, "USD", "100000.00")],
        deliverables=[
            ("1.1", "appuyer la définition d’indicateurs", "local de Cuba (SIET)"),
            ("1.2", "des ateliers de renforcement des capacités", "les observatoires démographiques locaux"),
            ("1.3", "des orientations sur la rédaction", "d’autres parties prenantes"),
        ],
    ),
    "001_88d629a918f351c9": dict(
        kind="innovation", title=None, project_code="IS.0077", prima_id=None,
        budget={"amount": 400000.0, "currency": "USD"}, start_date=None, end_date=None, approval_year=2021,
        duration_months=24, status=None, project_type=None, coverage=None, region=None, mission="Argentine",
        beneficiary_countries=["AR", "BO", "BR", "CO", "EC", "PY", "PE"], non_eligible_countries=["CL", "UY"],
        countries_mentioned=["AR", "BO", "BR", "CO", "EC", "PY", "PE", "CL", "UY"],
        amounts=[(400000.0, "USD", "400 000 dollars É.-U.")], deliverables=[],
    ),
    "002_4aaa9d8dcfac6f58": dict(
        kind="idf_project",
        title="Plateforme virtuelle de coordination de la mise en œuvre de mesures migratoires en Mésoamérique "
              "et en République dominicaine",
        project_code="PO.0160", prima_id="CR99P0513", budget={"amount": 100000.0, "currency": "USD"},
        start_date="2020", end_date="2021", approval_year=2020, duration_months=None, status="completed",
        project_type="Activités de politique migratoire", coverage="regional", region=LAC, mission=None,
        beneficiary_countries=["BZ", "CR", "DO", "SV", "GT", "HN", "MX", "NI"], non_eligible_countries=[],
        countries_mentioned=["DO", "BZ", "CR", "SV", "GT", "HN", "MX", "NI"],
        amounts=[(100000.0, "USD", "100000.00"), (100000.0, "USD", "100 000 dollars E.-U")],
        deliverables=[
            (None, "un répertoire régional des acteurs clés", "plans régionaux en la matière"),
            (None, "la création d’une plateforme virtuelle", "la collaboration dans la région"),
        ],
    ),
    "003_1c75ab3dda6eced2": dict(
        kind="news",
        title="Mise en place d’un système d’information et de documentation sur la migration et le développement",
        project_code=None, prima_id=None, budget=None, start_date=None, end_date=None, approval_year=None,
        duration_months=None, status=None, project_type=None, coverage=None, region=None, mission=None,
        beneficiary_countries=[], non_eligible_countries=[],
        # "Mexico" is the city, "mexicaines" a demonym: neither is a country mention
        countries_mentioned=["US", "CA", "IN", "CN", "PH", "TR", "MA"], amounts=[], deliverables=[],
    ),
    "004_eb3b73a0fae2549d": dict(
        kind="idf_project", title="Mobilisation de la diaspora à l’appui du développement d’Haïti",
        project_code="CD.0037", prima_id="HT10P0503", budget={"amount": 200000.0, "currency": "USD"},
        start_date="2020", end_date="2024", approval_year=2019, duration_months=None, status="active",
        project_type="Développement communautaire", coverage="national", region=LAC, mission=None,
        beneficiary_countries=["HT"], non_eligible_countries=[], countries_mentioned=["HT", "US"],
        amounts=[(200000.0, "USD", "200000.00"), (2400000000.0, "USD", "2,4 milliards de dollars É.-U."),
                 (200000.0, "USD", "200 000 dollars E.-U.")],
        deliverables=[
            ("1", "Améliorera la coordination", "les consulats aux États Unis et la diaspora"),
            ("2", "Créera une base de données", "tenant compte des sexospécificités"),
            ("3", "Réalisera une évaluation", "qui ont le plus besoin d’aide"),
            ("4", "Élaborera une stratégie de communication", "une attention particulière aux femmes"),
        ],
    ),
}


@pytest.fixture(scope="module")
def records(extractor):
    pages = [(p.read_text("utf-8"), p.stem) for p in sorted(SEEDS.glob("*.txt"))]
    return {r.id: (r, text) for r, (text, _) in zip(extractor.pipe(pages), pages)}


def test_all_seeds_present(records):
    assert sorted(records) == sorted(EXPECTED)


@pytest.mark.parametrize("page_id", sorted(EXPECTED))
def test_seed_scalar_and_list_fields(records, page_id):
    rec, _ = records[page_id]
    want = EXPECTED[page_id]
    for field, value in want.items():
        if field in ("amounts", "deliverables"):
            continue
        assert getattr(rec, field) == value, field
    assert rec.errors == []


@pytest.mark.parametrize("page_id", sorted(EXPECTED))
def test_seed_amounts(records, page_id):
    rec, text = records[page_id]
    got = [(a["amount"], a["currency"], a["text"]) for a in rec.amounts]
    assert got == EXPECTED[page_id]["amounts"]
    for a in rec.amounts:
        assert text[a["start"]:a["end"]] == a["text"]


@pytest.mark.parametrize("page_id", sorted(EXPECTED))
def test_seed_deliverables(records, page_id):
    rec, text = records[page_id]
    want = EXPECTED[page_id]["deliverables"]
    assert [d["id"] for d in rec.deliverables] == [w[0] for w in want]
    for d, (_, begins, ends) in zip(rec.deliverables, want):
        assert d["text"].startswith(begins) and d["text"].endswith(ends), d["text"]
        assert text[d["start"]:d["end"]] == d["text"]


def test_navigation_is_not_content(records):
    # the header's 1951, 175, 171 and "Programme 2030" are site furniture on every seed
    for rec, text in records.values():
        nav_end = text.index("2030 AGENDA")
        assert all(e["start"] > nav_end for e in rec.entities)
