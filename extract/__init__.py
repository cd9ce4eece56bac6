"""iom-extract: budgets, dates, countries, codes and deliverables out of French IOM project pages."""
from .extractor import Extractor
from .record import Record

__all__ = ["Extractor", "Record"]
__version__ = "0.1.0"
