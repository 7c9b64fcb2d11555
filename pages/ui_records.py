"""Shared page helpers for recording werksessie data: store, user, conflicts.

Used by the Werksessie and Werkgroepen pages. ``prefix`` keeps each page's
pending problem in its own session key.
"""

from __future__ import annotations

import streamlit as st

from kansenkaart import DataError
from kansenkaart.records import store
from kansenkaart.records import werksessie as ws


@st.cache_resource(show_spinner="Database openen…")
def open_store(url: str) -> store.Store:
    """The store for ``url``, opened (and migrated) once per process."""
    return store.Store(url)


def problem_key(prefix: str) -> str:
    """Session key of the page's pending conflict or error."""
    return f"{prefix}_problem"


def save(
    prefix: str,
    db: store.Store,
    terrain_id: str,
    user: str | None,
    entity: str,
    record_key: dict,
    values: dict,
    base: int,
    form: str,
) -> bool:
    """Store a record (in a callback, so the page shows it at once).

    A conflict or invalid input is kept to be shown at the form.
    """
    try:
        saved = db.save(
            entity, terrain_id, record_key, values, user=user, expected_version=base
        )
    except (store.ConflictError, DataError) as problem:
        st.session_state[problem_key(prefix)] = (form, problem)
        return False
    ws.form_saved(st.session_state, form, saved)
    st.session_state.pop(problem_key(prefix), None)
    st.toast(f"{store.ENTITIES[entity].label} opgeslagen.", icon=":material/check:")
    return True


def reload(prefix: str, form: str) -> None:
    """Callback: drop the form's typed values and its problem, show the latest."""
    ws.forget_form(st.session_state, form)
    st.session_state.pop(problem_key(prefix), None)


def show_problem(prefix: str, form: str) -> None:
    """The conflict (with the other person's change) or error of ``form``."""
    shown, problem = st.session_state.get(problem_key(prefix), (None, None))
    if shown != form:
        return
    st.error(ws.problem_text(problem), icon=":material/sync_problem:")
    if isinstance(problem, store.ConflictError):
        st.table(problem.differences().set_index("veld"))
        st.button(
            "Opnieuw laden",
            key=f"{form}|reload",
            on_click=reload,
            args=(prefix, form),
        )


def ask_user(prefix: str, example: str) -> str | None:
    """The user's name, asked once per browser session (stored with changes)."""
    name = st.session_state.get(ws.USER_KEY)
    if name:
        st.caption(
            f"Wijzigingen worden vastgelegd op naam van **{ws.markdown_text(name)}**."
        )
        return name
    with st.form(f"{prefix}_name_form"):
        typed = st.text_input(
            "Uw naam",
            placeholder=f"bijv. {example}",
            help="Wordt bij elke wijziging bewaard, zodat iedereen ziet wie wat "
            "heeft vastgelegd.",
        )
        if st.form_submit_button("Doorgaan"):
            if ws.clean_user_name(typed):
                st.session_state[ws.USER_KEY] = ws.clean_user_name(typed)
                st.rerun()
            st.error("Vul een naam in van 2 tot 100 tekens.")
    return None
