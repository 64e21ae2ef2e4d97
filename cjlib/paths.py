"""The one place that builds paths, from the package's own location."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
FRAMEWORKS_DIR = PACKAGE_DIR / "frameworks"
PROJECT_DIR = PACKAGE_DIR.parent
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
PARAMETERS_DIR = PROJECT_DIR / "parameters"
OUTPUTS_DIR = PROJECT_DIR / "outputs"

COUNCIL_AREAS_CSV = DATA_DIR / "council_areas.csv"
RECORDED_CRIME_CSV = DATA_DIR / "recorded_crime_council_areas.csv"
SIMD_CSV = DATA_DIR / "simd2020v2_data_zones.csv"
DRUG_DEATHS_XLSX = DATA_DIR / "nrs_drug_misuse_deaths_2024.xlsx"
DEMO_MEASURES_CSV = DATA_DIR / "demo_measures.csv"
DEFAULT_FRAMEWORK = FRAMEWORKS_DIR / "cjpf-2023.yaml"
