"""Kansenkaart – Streamlit entry point: terrain picker and the menu of pages.

Run with ``make run`` (or ``streamlit run app.py``). The shell (page config,
sidebar, the pages per Leidraad step) is :mod:`appui.shell`, so a page that
Streamlit serves on its own right after a server start can run the same shell
around itself (see :func:`appui.shell.frame`).

``streamlit run`` finds the ``st.App`` below and serves it (Streamlit's ASGI
mode): the server imports this module once when it starts, and the lifespan
:func:`appui.shell.prepare` loads and analyses the default terrain before the
first request, so a first page view does not wait for the imports and the
analysis (issue 18). Every page view runs this file as the script
(``__main__``): the shell.
"""

import streamlit as st

from appui import shell

if __name__ == "__main__":  # a page view: Streamlit runs this file as its script
    shell.run()
else:  # the server imports this module at its start
    app = st.App(__file__, lifespan=shell.prepare)
