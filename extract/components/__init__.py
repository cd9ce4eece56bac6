"""spaCy components, one per concern; importing this module registers their factories."""
from . import assemble, confidence, entities, layout, prose  # noqa: F401
