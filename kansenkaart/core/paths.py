"""Where the shipped data lives: the demo terrains and the pMIEK projects.

In a checkout that is the top-level ``data/`` folder. ``pip install .`` copies
that folder into the package as ``kansenkaart/_data`` (see ``pyproject.toml``),
because an installed package has no checkout around it.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]
_CHECKOUT = _PACKAGE.parent


def data_dir() -> Path:
    """The folder with ``demo/<id>/`` and ``pmiek_projects.csv``.

    Returns
    -------
    Path
        The checkout's ``data/`` when the package runs from a checkout (next to
        ``pyproject.toml``), else the copy installed with the package.
    """
    checkout = _CHECKOUT / "data"
    if (_CHECKOUT / "pyproject.toml").is_file() and checkout.is_dir():
        return checkout
    return _PACKAGE / "_data"
