# ---
# jupyter:
#   cjlib:
#     generated_from: notebooks/templates/outcome.py.in (edit it, then run make notebooks)
#     outcome: 7
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
from cjlib.report.explore import explore
from cjlib.report.method import show_method_note
from cjlib.report.outcome import OutcomePage

ctx = load_context(area_code, period, data_dir, params_dir, cache_dir, output_dir)
page = OutcomePage(ctx, 7)
page.title()

# %% [markdown]
# ## The outcome and its priority action

# %%
page.intro()

# %% [markdown]
# ## Logic model
#
# How partner activities are supposed to work to achieve the outcome, and the
# indicators that test each step.

# %%
page.logic_model()

# %% [markdown]
# ## National indicators
#
# Counts as the framework defines them, with rates per 10,000 people aged 16 and over
# and shares that can be compared between areas of different sizes.

# %%
page.national_table()

# %% [markdown]
# ## Trends against Scotland and the family group

# %%
page.trends()

# %% [markdown]
# ## How the area compares with the other council areas

# %%
page.funnel()

# %% [markdown]
# ## Local evidence

# %%
page.local_table()

# %% [markdown]
# ## Comparison table

# %%
page.comparison_table()

# %% [markdown]
# ## Outcome assessment

# %%
page.assessment()

# %% [markdown]
# ## Indicators not used

# %%
page.not_used()

# %% [markdown]
# ## Draft narrative
#
# A paragraph to paste into the plan or annual report, and edit.

# %%
page.narrative()

# %% tags=["remove"]
explorer = explore(ctx, [i.id for i in page.indicators if i.type != "count"])

# %% [markdown]
# ## How this assessment was made

# %%
show_method_note()
