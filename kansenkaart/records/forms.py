"""Form bookkeeping for optimistic locking on the record pages.

A page edits one stored record in a form; :func:`open_form` fills the widgets
and remembers the version they are based on, :func:`form_values` reads what
was typed, :func:`form_saved` and :func:`forget_form` follow a save. The
functions work on any mutable mapping, such as Streamlit's session state (the
app passes it in), so they are tested with a dict. This module never imports
streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence

from kansenkaart.records import models, store

USER_KEY = "ws_user_name"
"""Session key of the user's name, asked once per browser session."""


def clean_user_name(text: str | None) -> str | None:
    """The name as stored with every change, or None when it is unusable."""
    name = " ".join((text or "").split())
    return name if 2 <= len(name) <= 100 else None


def form_key(entity: str, terrain_id: str, key: Mapping) -> str:
    """Prefix of the session keys of the form that edits one record."""
    return "|".join(["ws", entity, terrain_id, *(str(v) for v in key.values())])


def widget_key(form: str, name: str) -> str:
    """Session key of the widget for field ``name`` of a form."""
    return f"{form}|{name}"


def _to_widget(f: models.Field, value):
    if f.kind == "names":
        return "\n".join(value or [])
    if f.kind in ("text", "long_text"):
        return value or ""
    if f.kind == "bool":
        return bool(value)
    return value


def _from_widget(f: models.Field, value):
    if f.kind == "names":
        return [line.strip() for line in (value or "").splitlines() if line.strip()]
    if f.kind in ("text", "long_text"):
        return (value or "").strip() or None
    return value


def _editable(entity: str, names: Sequence[str] | None) -> list[models.Field]:
    return [
        f
        for f in models.fields(entity)
        if not f.key and (names is None or f.name in names)
    ]


def open_form(
    state: MutableMapping,
    form: str,
    entity: str,
    record: store.Snapshot | None,
    defaults: Mapping | None = None,
) -> int:
    """Fill a form's widgets from the record; return the version it is based on.

    The first time (or after :func:`forget_form`) the widgets get the stored
    values, or ``defaults`` for a new record. Later runs keep what the user
    typed; only a form the user has not touched follows a newer stored
    version, so a change by someone else never silently replaces typing and
    typing never silently replaces their change (the save names the base
    version and meets a :class:`~kansenkaart.records.store.ConflictError`).

    Parameters
    ----------
    state : mutable mapping
        Streamlit's ``st.session_state`` (or a dict in tests).
    form : str
        :func:`form_key` of the record.
    entity : str
    record : Snapshot or None
        The record as stored now.
    defaults : mapping, optional
        Values of a new record.

    Returns
    -------
    int
        The base version (0 for a new record) to pass as ``expected_version``.
    """
    base_key = widget_key(form, "_base")
    base = state.get(base_key)
    fields = _editable(entity, None)
    stored = record.values if record is not None else dict(defaults or {})
    version = record.version if record is not None else 0
    untouched = base is not None and all(
        state.get(widget_key(form, f.name)) == _to_widget(f, base["values"].get(f.name))
        for f in fields
    )
    if base is None or (untouched and base["version"] != version):
        for f in fields:
            state[widget_key(form, f.name)] = _to_widget(f, stored.get(f.name))
        state[base_key] = {"version": version, "values": dict(stored)}
    return state[base_key]["version"]


def form_values(
    state: Mapping, form: str, entity: str, names: Sequence[str] | None = None
) -> dict:
    """The values typed in a form, converted for :meth:`Store.save`."""
    return {
        f.name: _from_widget(f, state.get(widget_key(form, f.name)))
        for f in _editable(entity, names)
        if widget_key(form, f.name) in state
    }


def form_saved(state: MutableMapping, form: str, record: store.Snapshot) -> None:
    """After a save: the form is now based on the stored record."""
    state[widget_key(form, "_base")] = {
        "version": record.version,
        "values": dict(record.values),
    }


def forget_form(state: MutableMapping, form: str) -> None:
    """Drop what was typed in a form, so it reloads the stored record."""
    for key in [k for k in state if isinstance(k, str) and k.startswith(form + "|")]:
        del state[key]
