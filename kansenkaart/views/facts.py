"""The facts of one building, worded and formatted once for every view.

:func:`building_facts` is the one place that turns a row of the analysed
buildings into Dutch facts: a name, a formatted value, where it comes from
and, for a figure, its basis (``gemeten``, ``enquête``, ``geschat`` or
``eigen opgave``). The map's detail panel (:func:`facts_table`), *Mijn pand*
(:mod:`~kansenkaart.views.overview`) and its PDF
(:mod:`~kansenkaart.views.report_pdf`) show a selection of the same facts,
so one building reads the same everywhere. The words come from
:mod:`kansenkaart.core.texts`, the numbers and units from
:mod:`kansenkaart.core.fmt`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd

from kansenkaart.core import fmt, texts
from kansenkaart.core.model import Analysis
from kansenkaart.core.schema import GRID_CONNECTIONS
from kansenkaart.engine import whatif


@dataclass(frozen=True)
class Fact:
    """One fact of a building.

    Attributes
    ----------
    key : str
        Stable id (``elec``, ``grid_invoeding``), for picking facts.
    label : str
        Dutch name (``Stroomverbruik``).
    value : str
        Formatted value; ``onbekend`` when missing.
    source : str
        Where it comes from (``BAG``, ``EP-online``; for a figure its basis).
    basis : str
        For a figure: ``gemeten``, ``enquête``, ``geschat`` or
        ``eigen opgave``; "" otherwise.
    private : bool
        A company's energy figure: left out in presentation mode without
        consent (DESIGN.md section 6).
    """

    key: str
    label: str
    value: str
    source: str
    basis: str = ""
    private: bool = False

    @property
    def text(self) -> str:
        """The value with its basis: ``2,0 GWh per jaar (enquête)``."""
        return texts.with_basis(self.value, self.basis)


CONNECTION = dict(
    zip(GRID_CONNECTIONS, ("tot 3×80 A", "groter dan 3×80 A"), strict=True)
)
"""Explanation of each kind of grid connection."""
ROOF = {"flat": "plat", "pitched": "schuin"}
PER_YEAR = " per jaar"
GRID_SOURCE = "Capaciteitskaart netbeheerder"

PANEL = (
    "address",
    "company",
    "sector",
    "building_use",
    "construction_year",
    "floor_area",
    "energy_label",
    "ownership",
    "grid_connection",
    "demand",
    "elec",
    "gas",
    "co2",
    "besparingsplicht",
    "onderzoeksplicht",
    "label_c",
    "pv_existing",
    "pv_potential",
    "pv_panels",
    "pv_yield",
    "grid_invoeding",
    "grid_afname",
    "coupling_source",
)
"""Facts of the map's detail panel, in order."""
OVERVIEW = (
    "address",
    "company",
    "sector",
    "building_use",
    "construction_year",
    "floor_area",
    "roof_area",
    "roof_type",
    "energy_label",
    "ownership",
    "grid_connection",
    "elec",
    "gas",
    "co2",
    "pv_existing",
    "grid_afname",
    "grid_invoeding",
)
"""Facts of *Mijn pand* (page and PDF), in order."""


def _row(data, at) -> tuple[pd.Series, tuple[str, ...]]:
    """The building's row and the fields its owner corrected."""
    if isinstance(data, pd.Series):
        return data, ()
    table = data.buildings if isinstance(data, Analysis) else data
    position = whatif.position(table, at) if isinstance(at, str) else int(at)
    row = table.iloc[position]
    corrected: tuple[str, ...] = ()
    if isinstance(data, Analysis):
        corrected = whatif.corrected_fields(data, str(row["building_id"]))
    return row, corrected


def _year(value) -> str:
    """A year without thousands separator: ``1998``."""
    if texts.missing(value):
        return texts.UNKNOWN
    try:
        return str(int(float(value)))
    except (TypeError, ValueError):
        return str(value)


def _connection(value) -> str:
    if texts.missing(value):
        return texts.UNKNOWN
    note = CONNECTION.get(str(value))
    return f"{value} ({note})" if note else str(value)


def _roof(row: pd.Series) -> tuple[str, str]:
    assumed = row.get("roof_type_assumed")
    if not texts.missing(assumed) and bool(assumed):
        return f"{texts.UNKNOWN}, gerekend als plat", "aanname"
    return ROOF.get(texts.text(row.get("roof_type"), ""), texts.UNKNOWN), "3D BAG"


def _coupling_source(row: pd.Series) -> str:
    name = row.get("heat_source_name")
    if texts.missing(name):
        name = row.get("nearest_source_id")
    if texts.missing(name):
        return texts.UNKNOWN
    return f"{name} ({fmt.number(row.get('nearest_source_m'), 0, 'm')})"


def _pv_existing(value) -> str:
    if texts.missing(value):
        return f"{texts.UNKNOWN} (gerekend als geen)"
    return fmt.power(value)


def _figure(key: str, label: str, value: str, basis: str) -> Fact:
    """A company's energy figure with its basis (also its source; "-" if none)."""
    return Fact(key, label, value, basis or "-", basis, private=True)


def building_facts(
    data: Analysis | pd.DataFrame | pd.Series,
    at: int | str | None = None,
    *,
    hidden: bool = False,
    corrected: Sequence[str] | None = None,
) -> tuple[Fact, ...]:
    """Every fact of one building, in Dutch (see the module docstring).

    Parameters
    ----------
    data : Analysis, DataFrame or Series
        The analysed terrain (``kk.analyse`` or ``whatif.apply``), its
        buildings, or the building's row; not modified.
    at : int or str, optional
        Row position (int) or building id (str); not needed for a row.
    hidden : bool
        Presentation mode without consent: the private facts (energy use,
        CO₂, obligations that follow from use) read ``niet getoond``.
    corrected : sequence of str, optional
        Columns the entrepreneur corrected; their source reads ``eigen
        opgave``. Default: from the analysis's what-if, if any.

    Returns
    -------
    tuple of Fact
        In the order of the map's panel, then the facts only *Mijn pand*
        shows; pick with :func:`pick`.
    """
    row, from_what_if = _row(data, at)
    fixed = tuple(from_what_if if corrected is None else corrected)

    def get(name):
        return row.get(name)

    def basis(field: str, column: str) -> str:
        if field in fixed:
            return texts.OWN_INPUT
        return texts.text(get(column), "")

    demand_basis = texts.text(get("demand_source"), "")
    from_use = f"berekend uit het verbruik ({demand_basis or '-'})"
    elec_basis = basis("elec_kwh_yr", "elec_source_used")
    gas_basis = basis("gas_m3_yr", "gas_source_used")
    roof, roof_source = _roof(row)
    facts = (
        Fact(
            "address",
            "Adres",
            texts.text(get("address")),
            "BAG / adressenlijst gemeente",
        ),
        Fact(
            "company",
            "Bedrijf",
            texts.text(get("company")),
            "KvK / adressenlijst gemeente",
        ),
        Fact(
            "sector",
            "Sector",
            texts.text(get("sector")),
            "KvK / adressenlijst gemeente",
        ),
        Fact("building_use", "Gebruiksdoel", texts.text(get("building_use")), "BAG"),
        Fact("construction_year", "Bouwjaar", _year(get("construction_year")), "BAG"),
        Fact(
            "floor_area", "Gebruiksoppervlakte", fmt.area(get("floor_area_m2")), "BAG"
        ),
        Fact(
            "roof_area",
            "Dakoppervlak",
            fmt.area(get("roof_area_m2")),
            "BAG (pandcontour)",
        ),
        Fact("roof_type", "Daktype", roof, roof_source),
        Fact(
            "energy_label",
            "Energielabel",
            texts.text(get("energy_label")),
            texts.OWN_INPUT if "energy_label" in fixed else "EP-online",
        ),
        Fact(
            "ownership",
            "Eigendom",
            texts.text(get("ownership")),
            texts.OWN_INPUT if "ownership" in fixed else "enquête / gemeente",
        ),
        Fact(
            "grid_connection",
            "Netaansluiting",
            _connection(get("grid_connection")),
            "netbeheerder",
        ),
        _figure(
            "demand",
            "Energiegebruik",
            fmt.energy(get("demand_kwh_yr"), PER_YEAR),
            demand_basis,
        ),
        _figure(
            "elec",
            "Stroomverbruik",
            fmt.energy(get("elec_kwh_yr_est"), PER_YEAR),
            elec_basis,
        ),
        _figure(
            "gas",
            "Gasverbruik",
            fmt.number(get("gas_m3_yr_est"), 0, "m³" + PER_YEAR),
            gas_basis,
        ),
        Fact(
            "co2",
            "CO₂-uitstoot",
            fmt.co2(get("co2_kg_yr"), PER_YEAR),
            from_use,
            private=True,
        ),
        Fact(
            "besparingsplicht",
            "Energiebesparingsplicht",
            texts.verdict(get("besparingsplicht"), get("besparingsplicht_basis")),
            from_use,
            private=True,
        ),
        Fact(
            "onderzoeksplicht",
            "Onderzoeksplicht",
            texts.verdict(get("onderzoeksplicht")),
            from_use,
            private=True,
        ),
        Fact(
            "label_c",
            "Label C-plicht kantoor",
            texts.verdict(get("label_c_required")),
            "BAG / EP-online",
        ),
        Fact(
            "pv_existing",
            "Bestaande zonnepanelen",
            _pv_existing(get("pv_kwp_existing")),
            texts.OWN_INPUT
            if "pv_kwp_existing" in fixed
            else "enquête / zon-op-dak-monitor",
        ),
        Fact(
            "pv_potential",
            "Zonnepotentieel",
            fmt.power(get("pv_kwp_potential")),
            "berekend uit het dak",
            private=True,  # sized to own use on a congested grid
        ),
        Fact(
            "pv_panels",
            "Panelen mogelijk",
            fmt.number(get("pv_panels")),
            "berekend uit het dak",
            private=True,  # sized to own use on a congested grid
        ),
        Fact(
            "pv_yield",
            "Opbrengst zon",
            fmt.energy(get("pv_kwh_yr_potential"), PER_YEAR),
            "berekend uit het dak",
            private=True,  # sized to own use on a congested grid
        ),
        Fact(
            "grid_invoeding",
            "Netcapaciteit invoeding",
            texts.grid_status(get("grid_invoeding_status")),
            GRID_SOURCE,
        ),
        Fact(
            "grid_afname",
            "Netcapaciteit afname",
            texts.grid_status(get("grid_afname_status")),
            GRID_SOURCE,
        ),
        Fact(
            "coupling_source",
            "Dichtstbijzijnde koppelbron",
            _coupling_source(row),
            "gemeente / bronhouder",
        ),
    )
    if hidden:
        facts = tuple(
            replace(f, value=texts.HIDDEN, source="", basis="") if f.private else f
            for f in facts
        )
    return facts


def pick(facts: Sequence[Fact], keys: Sequence[str]) -> tuple[Fact, ...]:
    """The facts with these keys, in the order of ``keys``."""
    by_key = {f.key: f for f in facts}
    return tuple(by_key[k] for k in keys)


def facts_table(
    data: Analysis | pd.DataFrame, at: int | str, *, hidden: bool = False
) -> pd.DataFrame:
    """The map's detail panel: ``gegeven`` and ``waarde`` (value with basis).

    Parameters
    ----------
    data : Analysis or DataFrame
        Analysed terrain or its buildings; not modified.
    at : int or str
        Row position or building id.
    hidden : bool
        See :func:`building_facts`.

    Returns
    -------
    DataFrame
        Plain text, :data:`PANEL` facts in order.
    """
    shown = pick(building_facts(data, at, hidden=hidden), PANEL)
    return pd.DataFrame(
        {"gegeven": [f.label for f in shown], "waarde": [f.text for f in shown]}
    )
