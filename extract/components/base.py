"""Base class for components whose data are files under models/: saved and loaded with the pipeline."""
from __future__ import annotations

import shutil
from pathlib import Path


def page_text(doc) -> str:
    """doc.text, computed once per doc: spaCy rebuilds it from the tokens on every access."""
    text = doc.user_data.get("iom_text")
    if text is None:
        text = doc.user_data["iom_text"] = doc.text
    return text


class DataComponent:
    """Base for components whose data are files: saved and loaded with the pipeline."""

    files: tuple[str, ...] = ()

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.load()

    def load(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def to_disk(self, path, exclude=tuple()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for f in self.files:
            if (self.data_dir / f).exists():  # a trained artefact may not be built yet
                shutil.copyfile(self.data_dir / f, path / f)

    def from_disk(self, path, exclude=tuple()):
        self.data_dir = Path(path)
        self.load()
        return self
