"""The README is the newcomer's contract: it must list every spider argument and output field,
and name the commands that CI and the demo really run."""

from __future__ import annotations

import re

from newscrawl.arguments import ARGUMENTS
from newscrawl.items import ARTICLE_FIELDS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_argument_is_documented():
    documented = set(re.findall(r"^\| `-a (\w+)=", README, re.M))
    assert documented == set(ARGUMENTS)


def test_field_table_matches_the_item():
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+) \|", README, re.M)
    assert [name for name, _ in rows] == list(ARTICLE_FIELDS)
    for name, kind in rows:
        assert kind.strip() == ARTICLE_FIELDS[name][0].replace("|", " or "), name


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "\n    make test\n" in README
    assert re.search(r"^make test$", ci, re.M)
    assert "\n    make demo\n" in README
