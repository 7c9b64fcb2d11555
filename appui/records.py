"""Recording werksessie data on the pages Werksessie and Werkgroepen.

Saving (with optimistic locking), the pending conflict per page and the
user's name. ``prefix`` (``ws``, ``wg``) keeps each page's problem apart.
"""

from __future__ import annotations

import streamlit as st

from appui import state
from kansenkaart import DataError
from kansenkaart.records import forms, models, store
from kansenkaart.records import werksessie as ws


class Recorder:
    """Saves the forms of one page for one terrain and user.

    ``prefix`` (``ws``, ``wg``) keeps each page's pending problem apart; the
    pages' recorders add their own form callbacks.
    """

    prefix = ""

    def __init__(self, db: store.Store, terrain_id: str, user: str | None) -> None:
        self.db, self.terrain_id, self.user = db, terrain_id, user

    def save(
        self, entity: str, record_key: dict, values: dict, base: int, form: str
    ) -> bool:
        """Store a record (in a callback, so the page shows it at once).

        A conflict or invalid input is kept to be shown at the form.
        """
        try:
            saved = self.db.save(
                entity,
                self.terrain_id,
                record_key,
                values,
                user=self.user,
                expected_version=base,
            )
        except (store.ConflictError, DataError) as problem:
            state.put(state.problem_key(self.prefix), (form, problem))
            return False
        forms.form_saved(state.form_state(), form, saved)
        state.pop(state.problem_key(self.prefix))
        st.toast(
            f"{models.ENTITIES[entity].label} opgeslagen.", icon=":material/check:"
        )
        return True


def refuse(prefix: str, form: str, problem) -> None:
    """Show ``problem`` (a conflict or a Dutch text) at ``form``."""
    state.put(state.problem_key(prefix), (form, problem))


def reload(prefix: str, form: str) -> None:
    """Callback: drop the form's typed values and its problem, show the latest."""
    forms.forget_form(state.form_state(), form)
    state.pop(state.problem_key(prefix))


def show_problem(prefix: str, form: str) -> None:
    """The conflict (with the other person's change) or error of ``form``."""
    shown, problem = state.get(state.problem_key(prefix), (None, None))
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
    name = state.get(state.USER_KEY)
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
            if forms.clean_user_name(typed):
                state.put(state.USER_KEY, forms.clean_user_name(typed))
                st.rerun()
            st.error("Vul een naam in van 2 tot 100 tekens.")
    return None
