"""Every argument of every ``seamig`` command has a help text, and every default is shown in it."""

from __future__ import annotations

import argparse

from experiments.cli import build_parser


def _parsers(parser: argparse.ArgumentParser, name: str = "seamig"):
    """(name, parser) for the parser and every sub-parser, depth first."""
    yield name, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helped = {a.dest: a.help for a in action._choices_actions}
            for sub, child in action.choices.items():
                assert helped.get(sub), f"{name} {sub}: the command has no help line"
                yield from _parsers(child, f"{name} {sub}")


def test_every_argument_has_help_and_shows_its_default():
    missing, hidden = [], []
    for name, parser in _parsers(build_parser()):
        text = " ".join(parser.format_help().split())
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
                continue
            label = f"{name} {'/'.join(action.option_strings) or action.dest}"
            if not (action.help or "").strip():
                missing.append(label)
            elif (
                action.default not in (None, False, [], argparse.SUPPRESS)
                and f"default: {action.default}" not in text
                and "default" not in action.help
            ):
                hidden.append(f"{label} (default {action.default!r})")
    assert not missing, "arguments without help: " + ", ".join(missing)
    assert not hidden, "defaults not shown: " + ", ".join(hidden)


def test_the_walk_sees_every_command():
    names = [n for n, _ in _parsers(build_parser())]
    assert {
        "seamig run",
        "seamig sweep",
        "seamig params",
        "seamig scenario show",
        "seamig case",
        "seamig dashboard",
    } <= set(names)
    dash = dict(_parsers(build_parser()))["seamig dashboard"]
    assert "(default: 8765)" in " ".join(dash.format_help().split())
