"""The README is the newcomer's contract: it must list every spider argument and output field,
and name the commands that CI and the demo really run."""

from __future__ import annotations

import re

from newscrawl.arguments import ARGUMENTS
from newscrawl.items import ARTICLE_FIELDS
from newscrawl.monitor import PROBLEM_KINDS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end if end != -1 else None]


def test_every_argument_is_documented():
    documented = set(re.findall(r"^\| `-a (\w+)=", README, re.M))
    assert documented == set(ARGUMENTS)


def test_field_table_matches_the_item():
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+) \|", section("Output"), re.M)
    assert [name for name, _ in rows] == list(ARTICLE_FIELDS)
    for name, kind in rows:
        assert kind.strip() == ARTICLE_FIELDS[name][0].replace("|", " or "), name


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "\n    make test\n" in README
    assert re.search(r"^make test$", ci, re.M)
    assert "\n    make demo\n" in README


def test_every_problem_kind_is_explained():
    rows = re.findall(r"^\| (`\w+`(?:, `\w+`)*) \|", section("Running unattended"), re.M)
    explained = {kind for row in rows for kind in re.findall(r"`(\w+)`", row)} - {"0", "1", "2", "3"}
    assert explained == PROBLEM_KINDS


def test_every_problem_kind_the_code_reports_is_registered():
    # Kinds passed as literals where the spiders report problems, and chosen in a conditional.
    reported = set()
    for path in (ROOT / "newscrawl" / "spiders").glob("*.py"):
        code = path.read_text(encoding="utf-8")
        reported |= set(re.findall(r"_(?:problem|page_lost)\([^,]+, \"(\w+)\"", code))
        for pair in re.findall(r"\bkind = \"(\w+)\" if .+ else \"(\w+)\"", code):
            reported |= set(pair)
    assert len(reported) >= 12 and reported <= PROBLEM_KINDS, reported - PROBLEM_KINDS
