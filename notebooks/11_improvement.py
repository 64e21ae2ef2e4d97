# ---
# jupyter:
#   cjlib:
#     title: 'Improvement: aims, measures and tests of change'
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: cjlib
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
area_code: str = "S12000049"  # GSS code (or name) of the council area
period: str = ""  # reporting year such as "2023-24"; empty: parameters/defaults.yaml
data_dir: str = ""  # folder of data files; empty: the bundled data
params_dir: str = ""  # folder of parameter files; empty: the project's parameters/
cache_dir: str = ""  # folder of the batch cache; empty: outputs/.cache
output_dir: str = ""  # pack folder for the data downloads; empty: none written

# %%
from cjlib.report.context import load_context
from cjlib.report.improvement import show_improvement

ctx = load_context(area_code, period, data_dir, params_dir, cache_dir, output_dir)
show_improvement(ctx, data_dir)
