"""The model year of every quarter-hour profile (energiehub).

Shared by the profiles of :mod:`kansenkaart.engine.profiles` and the meter data
read by :mod:`kansenkaart.io.meterdata`: one common year of quarter hours in
Dutch winter time (UTC + 1 h), quarter hour 0 = 1 January 00:00.
"""

MODEL_YEAR = 2015
"""Calendar of every profile (the year of the NEDU profiles shipped)."""
N_QUARTERS = 365 * 96
"""Quarter hours in the model year (35,040)."""
DT_H = 0.25
"""Length of one step in hours."""
