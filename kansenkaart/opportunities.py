"""Combine the topic modules into one analysed building table (placeholder).

Until the engine lands, :func:`analyse` adds the computed columns of DESIGN.md
section 3 as missing values, so that pages can be built against the final
shape without showing numbers nobody computed.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from kansenkaart.model import Terrain

COMPUTED_COLUMNS = {
    "pv_panels": "Int64",
    "pv_kwp_potential": "Float64",
    "pv_kwh_yr_potential": "Float64",
    "demand_kwh_yr": "Float64",
    "demand_source": "string",
    "co2_kg_yr": "Float64",
    "besparingsplicht": "boolean",
    "onderzoeksplicht": "boolean",
    "label_c_required": "boolean",
    "grid_afname_status": "Int64",
    "grid_invoeding_status": "Int64",
    "nearest_source_id": "string",
    "nearest_source_m": "Float64",
    "n_measures": "Int64",
}


def analyse(terrain: Terrain, assumptions=None) -> gpd.GeoDataFrame:
    """Buildings plus the computed columns, all missing for now."""
    out = terrain.buildings.copy()
    for name, dtype in COMPUTED_COLUMNS.items():
        out[name] = pd.Series(pd.NA, index=out.index, dtype=dtype)
    out["measures"] = [[] for _ in range(len(out))]
    return out
