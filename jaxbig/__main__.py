"""Command line: ``python -m jaxbig`` lists the registry; ``python -m jaxbig demo`` trains the demo; see ``--help``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import jaxbig
from jaxbig import registry


def format_listing() -> str:
    """The version and every registered function with its family, tinyBIG name and formula."""
    rows = [(e.family, e.name, e.tinybig or "-", e.formula) for e in registry.entries()]
    header = ("family", "jaxbig name", "tinyBIG name", "formula")
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(3)]
    lines = [f"jaxbig {jaxbig.__version__}: {len(rows)} registered functions", ""]
    for row in [header] + rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row[:3], widths)) + "  " + row[3])
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m jaxbig``."""
    parser = argparse.ArgumentParser(
        prog="python -m jaxbig",
        description="jaxbig: RPN building blocks and learned compression in JAX.",
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("list", help="list every registered function (the default)")
    # The demo's options live in jaxbig.demo, imported (with jax and flax) only when asked for.
    sub.add_parser("demo", add_help=False,
                   help="train an RPN with a power-law bottleneck on the shipped 8x8 digits")
    args, rest = parser.parse_known_args(argv)
    if args.command == "demo":
        from jaxbig import demo

        demo_parser = argparse.ArgumentParser(prog="python -m jaxbig demo", description=demo.DESCRIPTION)
        demo.add_arguments(demo_parser)
        return demo.main(demo_parser.parse_args(rest))
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    print(format_listing())
    return 0


if __name__ == "__main__":
    sys.exit(main())
