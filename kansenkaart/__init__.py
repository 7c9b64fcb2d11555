"""Kansenkaart: opportunity maps for the energy transition of business parks.

The library behind the Streamlit app (DESIGN.md section 3). It never imports
streamlit, so the CLI, tests and notebooks use it the same way the pages do.
"""

from kansenkaart.core.errors import DataError, Problem
from kansenkaart.core.model import Analysis, Terrain
from kansenkaart.engine.opportunities import analyse, opportunity_list
from kansenkaart.io.readers import list_demo_terrains, load_terrain

__all__ = [
    "Analysis",
    "DataError",
    "Problem",
    "Terrain",
    "analyse",
    "list_demo_terrains",
    "load_terrain",
    "opportunity_list",
]
