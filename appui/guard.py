"""The page guard: an error in a page shows a Dutch message, never a traceback.

:func:`appui.shell.run` runs every page (and the sidebar) inside
:func:`page_guard`. An exception there is logged with its traceback (logger
:data:`LOGGER_NAME`, on the server's stderr) under a short error code, and
the user reads :data:`MESSAGE`: what happened, that the rest of the app and
their data are fine, what to do, and the code to quote. Streamlit's own
control flow (``st.rerun``, ``st.stop``, ``st.switch_page``: its
``RerunException`` and ``StopException``) passes through untouched.

The test suite fails on any error the guard catches (``tests/conftest.py``
watches the log), so the guard hides tracebacks from users, not from tests.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import secrets
from collections.abc import Iterator

import streamlit as st
from streamlit.runtime.scriptrunner import RerunException, StopException

LOGGER_NAME = "kansenkaart.app"
LOG = logging.getLogger(LOGGER_NAME)

MESSAGE = (
    "**Er ging iets mis op deze pagina ({where}).** De rest van de app werkt "
    "nog; uw terrein, aannames en ingevulde gegevens blijven bewaard.\n\n"
    "Wat u kunt doen:\n"
    "- laad de pagina opnieuw (F5) of kies links een andere pagina;\n"
    "- hebt u net een getal of bestand ingevoerd: maak die invoer ongedaan, of "
    "zet op *Aannames* de bronwaarden terug;\n"
    "- blijft het misgaan, meld dan aan de beheerder wat u deed, met het "
    "tijdstip {time} en foutcode **{code}**."
)
"""What the user reads instead of a traceback."""


@contextlib.contextmanager
def page_guard(where: str) -> Iterator[None]:
    """Run a page's body; an exception becomes :data:`MESSAGE` and a log entry.

    Parameters
    ----------
    where : str
        The page (or part of the app) as the user knows it, e.g. ``Mijn pand``.
    """
    try:
        yield
    except (RerunException, StopException):
        raise  # Streamlit's control flow, not an error
    except Exception:
        code = secrets.token_hex(4)
        LOG.exception("Fout op '%s' (foutcode %s)", where, code)
        st.error(
            MESSAGE.format(where=where, time=f"{dt.datetime.now():%H:%M}", code=code),
            icon=":material/error:",
        )
