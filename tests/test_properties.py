"""Property tests: for any text, a schema-valid record whose spans point into the text, deterministically."""
import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.record import load_schema

SCHEMA = load_schema()
# words the rules react to, mixed with arbitrary characters, so that the patterns get exercised
PIECES = st.sampled_from([
    "Cuba", "Chili", "États-Unis", "Etats\nUnis", "Bolivie (État plurinational de)", "Mexico", "haïtienne",
    "400 000", "100000.00", "2,4 milliards", "dollars É.-U.", "USD", "euros", "deux millions", "de",
    "30 mars 2017", "mi-2007", "2024", "24 mois", "(produit 1.1)", "Projet ID", "DA.0009", "CU10P0503",
    "Budget Amount (USD)", "-", "\n", " ", "  • ", ":", "|", ";", ".", "1.", "2)", "le projet :",
    "- 2030 AGENDA", "Communiqué", "INFORMATIONS SUR LE PROJET", "MONTANT DU FINANCEMENT:", "\u00a0", "\u202f",
])
TEXTS = st.one_of(st.text(max_size=300), st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=60).map("".join))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TEXTS)
def test_any_text_gives_a_valid_record(extractor, text):
    rec = extractor.extract(text, id="h", source="h")
    d = rec.to_dict()
    jsonschema.validate(d, SCHEMA)
    for e in d["entities"]:
        assert 0 <= e["start"] < e["end"] <= len(text)
        assert text[e["start"]:e["end"]] == e["text"]
    for a in d["amounts"] + d["deliverables"]:
        assert text[a["start"]:a["end"]] == a["text"]
    assert extractor.extract(text, id="h", source="h").to_dict() == d
