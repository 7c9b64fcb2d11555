"""The app layer's shared code: state, shell (sidebar and menu), UI helpers.

``appui.state`` is the only module with Streamlit caches and session-state
keys; ``appui.shell`` builds the page menu that ``app.py`` runs; the pages in
``pages/`` render and call these. The library (``kansenkaart``) never imports
this package.
"""
