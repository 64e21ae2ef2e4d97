"""The ``areas``, ``indicators`` and ``demo-data`` subcommands."""

from __future__ import annotations

import argparse


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register the informational subcommands."""
    areas = sub.add_parser("areas", help="list the 32 council areas and their family groups")
    areas.set_defaults(handler=list_areas)
    indicators = sub.add_parser("indicators", help="list the framework's outcomes and indicators")
    indicators.add_argument("--framework", help="a framework YAML file (default: CJPF 2023)")
    indicators.set_defaults(handler=list_indicators)
    demo = sub.add_parser(
        "demo-data", help="write the synthetic demonstration measures (not official statistics)"
    )
    demo.add_argument("directory", help="folder to write demo_measures.csv into")
    demo.set_defaults(handler=demo_data)


def list_areas(args: argparse.Namespace) -> int:
    """Print the council areas with codes and LGBF family groups."""
    from cjlib.areas import FAMILY_GROUPS_VERSION, council_areas

    table = council_areas()
    print(f"{'code':<10} {'council area':<24} {'deprivation group':<18} urban/rural group")
    for row in table.itertuples():
        print(
            f"{row.area_code:<10} {row.area_name:<24} "
            f"{row.lgbf_family_group_deprivation:<18} {row.lgbf_family_group_urban_rural}"
        )
    print(f"{len(table)} council areas; family groups: {FAMILY_GROUPS_VERSION}")
    return 0


def list_indicators(args: argparse.Namespace) -> int:
    """Print the framework: each outcome and its indicators."""
    from cjlib.framework import load_framework

    framework = load_framework(args.framework)
    print(f"{framework.title} ({framework.version})")
    for outcome in framework.outcomes:
        print(f"\n{outcome.number}. {outcome.title}")
        for ind in framework.indicators_for(outcome.id):
            print(f"   {ind.id:<22} {ind.role:<15} {ind.type:<10} {ind.title}")
    headline = [i for i in framework.indicators if i.outcome is None]
    if headline:
        print("\nHigher-level and context indicators")
        for ind in headline:
            print(f"   {ind.id:<22} {ind.role:<15} {ind.type:<10} {ind.title}")
    return 0


def demo_data(args: argparse.Namespace) -> int:
    """Write the synthetic demonstration measures."""
    from cjlib.demo import write_demo_data

    path = write_demo_data(args.directory)
    print(f"wrote {path} (synthetic demonstration data, not official statistics)")
    return 0
