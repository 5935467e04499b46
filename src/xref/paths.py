"""Where the project's data lives, so notebooks and scripts never depend on their own folder.

``XREF_CORPUS`` (a folder of documents) overrides the default, ``data/raw`` in the project
checkout.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The checkout holding ``data/raw``: searched upwards from the working directory, then
    from this package (an editable install lives inside the checkout)."""
    for start in (Path.cwd(), Path(__file__).resolve()):
        for folder in (start, *start.parents):
            if (folder / "data" / "raw").is_dir() and (folder / "pyproject.toml").is_file():
                return folder
    raise FileNotFoundError(
        "no xref project (a folder with pyproject.toml and data/raw) above the working "
        "directory; set XREF_CORPUS to your documents folder"
    )


def corpus_dir() -> Path:
    """The documents folder: ``$XREF_CORPUS``, else ``<project>/data/raw``."""
    env = os.environ.get("XREF_CORPUS")
    return Path(env) if env else project_root() / "data" / "raw"
