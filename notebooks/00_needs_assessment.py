# ---
# jupyter:
#   cjlib:
#     title: 'Needs assessment: know your population'
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: cjlib
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
area_code: str = "S12000033"  # GSS code (or name) of the council area
period: str = ""  # reporting year such as "2023-24"; empty: parameters/defaults.yaml
data_dir: str = ""  # folder of data files; empty: the bundled data
params_dir: str = ""  # folder of parameter files; empty: the project's parameters/
cache_dir: str = ""  # folder of the batch cache; empty: outputs/.cache
output_dir: str = ""  # pack folder for the data downloads; empty: none written

# %%
from cjlib.report.context import load_context
from cjlib.report.needs import NeedsPage

ctx = load_context(area_code, period, data_dir, params_dir, cache_dir, output_dir)
page = NeedsPage(ctx)
page.title()

# %% [markdown]
# ## Population and deprivation
#
# The Scottish Index of Multiple Deprivation ranks Scotland's 6,976 data zones.
# The chart shows how the area's people are spread across the ten deciles.

# %%
page.deprivation()

# %% [markdown]
# ## Recorded crime

# %%
page.crime_trend()
page.crime_groups()

# %% [markdown]
# ## Drug misuse deaths

# %%
page.drug_deaths()

# %% [markdown]
# ## The area among the 32 council areas

# %%
page.funnel()

# %% [markdown]
# ## What this suggests for community justice planning

# %%
page.implications()
