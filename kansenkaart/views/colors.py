"""Colours of the maps: energy labels, grid capacity, classes and measures.

Every palette is a plain tuple of hex colours so that the legend, the map and
the tests read the same values. Colours are chosen to stay apart on a
projector (large, saturated steps) and the unknown grey is the same
everywhere.
"""

from __future__ import annotations

from kansenkaart.core.schema import ENERGY_LABELS

UNKNOWN = "#b4b4b4"
"""Grey for "onbekend" in every theme."""
HIDDEN = "#e6e6e6"
"""Very light grey for values hidden in presentation mode."""
OUTLINE = "#3c3c3c"
"""Dark outline of building polygons."""

# A–G as printed on the energy label of RVO / EP-online (sample label
# "energielabel-voorbeeld-woningen.pdf"; the sRGB rendering of the EU label
# scale CMYK 100-0-100-0 … 0-100-100-0). The label paints A+ … A+++++ in the
# same green as A; on a map they get progressively darker greens so the
# classes stay distinguishable.
_LABEL_A_TO_G = {
    "A": "#009037",
    "B": "#55ab26",
    "C": "#c8d100",
    "D": "#ffec00",
    "E": "#faba00",
    "F": "#eb6909",
    "G": "#e2001a",
}
_LABEL_A_PLUS = {
    "A+": "#007a2f",
    "A++": "#006b29",
    "A+++": "#005922",
    "A++++": "#004a1c",
    "A+++++": "#0a3d1d",
}
ENERGY_LABEL = {
    label: (_LABEL_A_PLUS | _LABEL_A_TO_G)[label] for label in ENERGY_LABELS
}
"""Colour per energy label, best (A+++++) to worst (G)."""

GRID_STATUS = {
    0: "#2e9e44",
    1: "#f5d327",
    2: "#f28c28",
    3: "#d7263d",
}
"""Capaciteitskaart (Netbeheer Nederland): 0 green beschikbaar, 1 yellow
beperkt, 2 orange in onderzoek / wachtrij, 3 red tekort."""

SEQUENTIAL = ("#fee391", "#fec44f", "#fe9929", "#d95f0e", "#993404")
"""Light to dark orange-brown, for amounts (energy use)."""
SOLAR = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
"""Yellow to red, for solar power classes (kWp)."""
AGE = ("#7f2704", "#d94801", "#fd8d3c", "#9ecae1", "#4292c6", "#08519c")
"""Old (dark brown) to new (dark blue), for construction year classes."""
COUNT = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")
"""Light to dark purple, for the number of opportunities."""
OWNERSHIP = {
    "eigenaar-gebruiker": "#1b9e77",
    "huurder": "#7570b3",
    "belegger": "#d95f02",
}
OBLIGATION = {
    "onderzoeksplicht": "#a50f15",
    "besparingsplicht": "#fb6a4a",
    "geen": "#6baed6",
}
NO_SOLAR = "#6baed6"
"""Blue for "no panels yet": the roof is an opportunity, not unknown."""
REACH = "#00a6d6"
"""Cyan outline of buildings within reach of a coupling source."""
SELECTED = "#000000"
"""Outline of the building picked in search or by a click."""
BOUNDARY = "#1f1f1f"

QUALITATIVE = (
    "#e41a1c",
    "#377eb8",
    "#4daf4a",
    "#984ea3",
    "#ff7f00",
    "#a65628",
    "#f781bf",
    "#17becf",
    "#666666",
    "#bcbd22",
)
"""Distinct colours for measures and sources (ColorBrewer Set1 + extras)."""

SOURCE_KIND = {
    "rwzi": "#1f78b4",
    "luchthaven": "#6a3d9a",
    "restwarmte": "#e31a1c",
    "biogas": "#33a02c",
    "zonneveld": "#ff7f00",
    "windpark": "#a6cee3",
    "overig": "#666666",
}


def pick(index: int) -> str:
    """The ``index``-th distinct colour (cycles after ten)."""
    return QUALITATIVE[index % len(QUALITATIVE)]
