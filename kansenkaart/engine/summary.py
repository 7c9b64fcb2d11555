"""Key figures of a terrain for the home page and the CLI (Leidraad step 2)."""

from __future__ import annotations

from dataclasses import dataclass

from kansenkaart.core import fmt, texts
from kansenkaart.core.model import Terrain


@dataclass(frozen=True)
class Figure:
    """One key figure: Dutch label, raw value, formatted text and explanation."""

    label: str
    value: float
    text: str
    help: str = ""


def key_figures(terrain: Terrain) -> list[Figure]:
    """What is known about the terrain's buildings, and how complete it is.

    Shares are over all buildings; "verbruik bekend" counts electricity use
    that was measured or reported in the survey, not estimates.

    Parameters
    ----------
    terrain : Terrain

    Returns
    -------
    list of Figure
    """
    b = terrain.buildings
    n = len(b)
    companies = b["company"].dropna().str.strip()
    companies = int((companies != "").sum())
    floor = b["floor_area_m2"].sum(skipna=True)
    floor_missing = int(b["floor_area_m2"].isna().sum())
    label_share = b["energy_label"].notna().mean() if n else float("nan")
    # A figure without a stated source counts as known (not as an estimate).
    estimated = b["elec_source"] == texts.ESTIMATED
    known_use = b["elec_kwh_yr"].notna() & (~estimated).fillna(True)
    use_share = known_use.mean() if n else float("nan")
    linked = terrain.survey["building_id"].dropna().nunique()
    response = linked / n if n else float("nan")
    pv = b["pv_kwp_existing"]
    with_pv = int((pv > 0).sum())
    return [
        Figure("Gebouwen", n, fmt.number(n), "Panden op het terrein (BAG)."),
        Figure(
            "Bedrijven",
            companies,
            fmt.number(companies),
            "Panden met een bedrijfsnaam in de gebouwenlijst.",
        ),
        Figure(
            "Vloeroppervlak",
            floor,
            fmt.number(floor, 0, "m²"),
            "Som van de gebruiksoppervlakte"
            + (f"; bij {floor_missing} panden onbekend." if floor_missing else "."),
        ),
        Figure(
            "Energielabel bekend",
            label_share,
            fmt.percent(label_share),
            "Aandeel panden met een geregistreerd energielabel (EP-online).",
        ),
        Figure(
            "Verbruik bekend",
            use_share,
            fmt.percent(use_share),
            "Aandeel panden met gemeten of in de enquête opgegeven "
            "elektriciteitsverbruik; de rest wordt geschat.",
        ),
        Figure(
            "Enquêterespons",
            response,
            fmt.percent(response),
            f"{linked} van {n} panden hebben een gekoppeld enquêteantwoord.",
        ),
        Figure(
            "Bestaande zonnepanelen",
            float(pv.sum(skipna=True)),
            fmt.number(pv.sum(skipna=True), 0, "kWp"),
            f"Op {with_pv} daken liggen al panelen; bij "
            f"{int(pv.isna().sum())} panden is dat onbekend.",
        ),
    ]
