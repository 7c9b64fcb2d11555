"""What-if for one building: the entrepreneur's own figures and choices.

On the page *Mijn pand* an entrepreneur corrects what the data say about
their building (consumption, existing panels, label, owner or tenant) and
plays with the number of panels and their own electricity price.
:func:`apply` recomputes the terrain with those :class:`Corrections` through
the engine itself (:func:`kansenkaart.engine.opportunities.analyse`, so the energy,
solar, obligation and measure rules are the same as everywhere else), then
sizes the solar installation to the chosen panel count with the functions of
:mod:`kansenkaart.engine.solar`.

:func:`survey_row` turns the corrections into a filled-in row, with the
Dutch headers of the BUILDINGS schema, that the entrepreneur can send to the
gemeente (as a file: :func:`kansenkaart.views.export.survey_row_xlsx`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from kansenkaart.core import schema, texts
from kansenkaart.core.assumptions import Assumptions
from kansenkaart.core.model import Analysis, Terrain
from kansenkaart.engine import solar
from kansenkaart.engine.opportunities import analyse

SELF_REPORTED = texts.SURVEY
"""Source recorded for a consumption the entrepreneur enters: self-reported,
like a survey answer (:data:`kansenkaart.core.schema.DATA_SOURCES`)."""
DATA_FIELDS = {
    "elec_kwh_yr": "elec_source",
    "gas_m3_yr": "gas_source",
    "pv_kwp_existing": None,
    "energy_label": None,
    "ownership": None,
}
"""Building columns an entrepreneur may correct -> their source column."""
SURVEY_ROW_COLUMNS = (
    "building_id",
    "company",
    "address",
    "postcode",
    "house_number",
    "ownership",
    "energy_label",
    "elec_kwh_yr",
    "elec_source",
    "gas_m3_yr",
    "gas_source",
    "pv_kwp_existing",
)
"""BUILDINGS columns of the survey row sent to the gemeente."""
CORRECTED_HEADER = "aangepast door de ondernemer"
DATE_HEADER = "datum"
_NUMBER_COLUMNS = ("elec_kwh_yr", "gas_m3_yr", "pv_kwp_existing")


@dataclass(frozen=True)
class Corrections:
    """The entrepreneur's figures and choices for one building.

    ``None`` keeps what the data say. Values are checked on creation.

    Attributes
    ----------
    elec_kwh_yr, gas_m3_yr : float, optional
        Yearly use (kWh/yr, m³/yr), e.g. from the energy bill; recorded as
        self-reported (:data:`SELF_REPORTED`).
    pv_kwp_existing : float, optional
        Solar capacity already on the roof (kWp).
    energy_label : str, optional
        One of :data:`kansenkaart.core.schema.ENERGY_LABELS`.
    ownership : str, optional
        One of :data:`kansenkaart.core.schema.OWNERSHIP`.
    pv_panels : int, optional
        New panels to place (what-if); at most what the roof holds.
    elec_price_eur_per_kwh : float, optional
        Own electricity price (€/kWh, what-if) instead of the assumption for
        the connection.

    Raises
    ------
    ValueError
        In Dutch, for a negative or non-finite number or an unknown label
        or ownership.
    """

    elec_kwh_yr: float | None = None
    gas_m3_yr: float | None = None
    pv_kwp_existing: float | None = None
    energy_label: str | None = None
    ownership: str | None = None
    pv_panels: int | None = None
    elec_price_eur_per_kwh: float | None = None

    def __post_init__(self):
        for name in (*_NUMBER_COLUMNS, "pv_panels", "elec_price_eur_per_kwh"):
            value = getattr(self, name)
            if value is not None and not (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and math.isfinite(value)
                and value >= 0
            ):
                raise ValueError(f"'{name}' moet een getal van 0 of meer zijn")
        if self.energy_label is not None and self.energy_label not in (
            schema.ENERGY_LABELS
        ):
            raise ValueError(f"onbekend energielabel '{self.energy_label}'")
        if self.ownership is not None and self.ownership not in schema.OWNERSHIP:
            raise ValueError(f"onbekende eigendomssituatie '{self.ownership}'")

    def data(self) -> dict:
        """The corrected building columns (name -> value), set ones only."""
        return {
            name: getattr(self, name)
            for name in DATA_FIELDS
            if getattr(self, name) is not None
        }

    @property
    def empty(self) -> bool:
        """Nothing is corrected or chosen."""
        return all(getattr(self, f.name) is None for f in dataclasses.fields(self))


def position(table: pd.DataFrame, building_id: str) -> int:
    """Row position of ``building_id`` in ``table``.

    Raises
    ------
    KeyError
        In Dutch, when the building is not in the table.
    """
    hits = (table["building_id"].astype(str) == str(building_id)).to_numpy()
    if not hits.any():
        raise KeyError(f"pand '{building_id}' staat niet in dit terrein")
    return int(hits.argmax())


def corrected_buildings(
    buildings: gpd.GeoDataFrame, building_id: str, corrections: Corrections
) -> gpd.GeoDataFrame:
    """Copy of ``buildings`` with the corrected values of one building.

    A corrected consumption gets :data:`SELF_REPORTED` as its source.
    ``buildings`` is not modified.
    """
    out = buildings.copy()
    at = position(out, building_id)
    for name, value in corrections.data().items():
        if name not in out.columns:
            out[name] = schema.empty_column(schema.BUILDINGS.column(name), out.index)
        out.iloc[at, out.columns.get_loc(name)] = value
        source = DATA_FIELDS[name]
        if source:
            if source not in out.columns:
                out[source] = schema.empty_column(
                    schema.BUILDINGS.column(source), out.index
                )
            out.iloc[at, out.columns.get_loc(source)] = SELF_REPORTED
    return out


def assumptions_for(corrections: Corrections, a: Assumptions) -> Assumptions:
    """``a`` with the entrepreneur's electricity price for both connections."""
    price = corrections.elec_price_eur_per_kwh
    if price is None:
        return a
    return a.replace(
        label=f"{a.label}, eigen stroomprijs",
        elec_price_small_eur_per_kwh=price,
        elec_price_large_eur_per_kwh=price,
    )


def room_for_panels(analysis: Analysis, building_id: str) -> int:
    """New panels that fit on a building's roof beside the existing ones.

    ``pv_panels_roof − ceil(pv_kwp_existing · 1000 / Wp)``, at least 0, as in
    :func:`kansenkaart.engine.solar.potential` (unknown existing panels count as
    none); 0 when the roof is unknown.
    """
    return _room(analysis.buildings, building_id, analysis.assumptions)


def _room(analysed: pd.DataFrame, building_id: str, a: Assumptions) -> int:
    row = analysed.iloc[[position(analysed, building_id)]]
    taken = solar.panels_for_kwp(row["pv_kwp_existing"].astype("Float64").fillna(0), a)
    room = (row["pv_panels_roof"] - taken).clip(lower=0).iloc[0]
    return 0 if pd.isna(room) else int(room)


def with_panels(
    analysed: gpd.GeoDataFrame, building_id: str, panels: int, a: Assumptions
) -> gpd.GeoDataFrame:
    """The analysed terrain with one building's new solar sized to ``panels``.

    ``panels`` is clipped to 0 … :func:`room_for_panels`. kWp, kWh/yr,
    investment, savings, payback, CO2, share of demand and SDE++ follow from
    :mod:`kansenkaart.engine.solar` as in :func:`kansenkaart.engine.solar.potential`.
    Not modified.
    """
    out = analysed.copy()
    at = position(out, building_id)
    row = out.iloc[[at]]
    most = _room(out, building_id, a)
    chosen = pd.Series([min(max(int(panels), 0), most)], index=row.index)
    new_kwp = solar.kwp(chosen, a)
    generation = solar.annual_yield(new_kwp, a)
    low, high = solar.investment(new_kwp, a)
    price = solar.electricity_price(row["grid_connection"], a)
    savings = solar.yearly_savings(
        generation,
        row["elec_kwh_yr_est"],
        price,
        a,
        existing_kwh=row["pv_kwh_yr_existing"],
    )
    demand = row["elec_kwh_yr_est"].astype("Float64")
    values = {
        "pv_panels": chosen.astype("Int64"),
        "pv_kwp_potential": new_kwp,
        "pv_kwh_yr_potential": generation,
        "pv_invest_eur_low": low,
        "pv_invest_eur_high": high,
        "pv_self_use_share": solar.new_self_consumed(
            generation, row["pv_kwh_yr_existing"], row["elec_kwh_yr_est"], a
        )
        / generation.where(generation > 0),
        "pv_savings_eur_yr": savings,
        "pv_payback_yr": solar.simple_payback((low + high) / 2, savings),
        "pv_co2_avoided_kg_yr": generation * a.co2_elec_kg_per_kwh.value,
        "pv_share_of_demand": generation / demand.where(demand > 0),
        "sde_eligible": solar.sde_eligible(new_kwp, row["grid_connection"], a),
    }
    for name, value in values.items():
        out.iloc[at, out.columns.get_loc(name)] = value.iloc[0]
    return out


def apply(
    terrain: Terrain,
    building_id: str,
    corrections: Corrections,
    assumptions: Assumptions,
) -> Analysis:
    """The analysed terrain as if the entrepreneur's corrections were true.

    Parameters
    ----------
    terrain : Terrain
        Not modified.
    building_id : str
        The entrepreneur's building.
    corrections : Corrections
    assumptions : Assumptions
        The set in use; the own electricity price replaces both connection
        prices (:func:`assumptions_for`).

    Returns
    -------
    Analysis
        As :func:`kansenkaart.analyse` (the whole terrain, so collective
        measures still count the other companies), with the building's solar
        sized to ``corrections.pv_panels`` when given, the assumptions used
        and ``what_if = (building_id, corrections)``.

    Raises
    ------
    KeyError
        When the building is not in the terrain.
    """
    a = assumptions_for(corrections, assumptions)
    buildings = corrected_buildings(terrain.buildings, building_id, corrections)
    out = analyse(dataclasses.replace(terrain, buildings=buildings), a)
    if corrections.pv_panels is not None:
        out = out.with_buildings(
            with_panels(out.buildings, building_id, corrections.pv_panels, a)
        )
    return dataclasses.replace(out, what_if=(str(building_id), corrections))


def corrected_fields(analysis: Analysis, building_id: str) -> tuple[str, ...]:
    """Building columns the entrepreneur corrected (from :func:`apply`)."""
    what_if = analysis.what_if
    if not what_if or what_if[0] != str(building_id):
        return ()
    return tuple(what_if[1].data())


def survey_row(
    analysis: Analysis, building_id: str, today: dt.date | None = None
) -> pd.DataFrame:
    """The building's data as one row with Dutch headers, for the gemeente.

    Parameters
    ----------
    analysis : Analysis
        Output of :func:`apply` (or :func:`kansenkaart.analyse`); not modified.
    building_id : str
    today : date, optional
        Date written in the row; default today.

    Returns
    -------
    DataFrame
        One row: :data:`SURVEY_ROW_COLUMNS` as measured or corrected (never
        the engine's estimates) under their BUILDINGS labels
        (:func:`kansenkaart.core.schema.dutch_headers`), then
        :data:`CORRECTED_HEADER` (the corrected columns' labels) and
        :data:`DATE_HEADER`.
    """
    analysed = analysis.buildings
    row = analysed.iloc[[position(analysed, building_id)]]
    table = pd.DataFrame(
        {
            name: (
                row[name]
                if name in row.columns
                else schema.empty_column(schema.BUILDINGS.column(name), row.index)
            )
            for name in SURVEY_ROW_COLUMNS
        }
    ).reset_index(drop=True)
    labels = [
        schema.BUILDINGS.column(n).label
        for n in corrected_fields(analysis, building_id)
    ]
    out = schema.dutch_headers(table, schema.BUILDINGS)
    out[CORRECTED_HEADER] = pd.array([", ".join(labels)], dtype="string")
    out[DATE_HEADER] = pd.array([(today or dt.date.today()).isoformat()], "string")
    return out
