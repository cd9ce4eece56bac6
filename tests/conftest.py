import pytest

from extract import Extractor


@pytest.fixture(scope="session")
def extractor():
    return Extractor()
