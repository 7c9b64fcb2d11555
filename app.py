"""Kansenkaart – Streamlit entry point: terrain picker and the menu of pages.

Run with ``make run`` (or ``streamlit run app.py``). The shell (page config,
sidebar, the pages per Leidraad step) is :mod:`appui.shell`, so a page that
Streamlit serves on its own right after a server start can run the same shell
around itself (see :func:`appui.shell.frame`).
"""

from appui import shell

shell.run()
