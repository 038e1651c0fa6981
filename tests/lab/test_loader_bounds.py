"""Any input ends in a lab or a clean error within 2 s: never a traceback, never a
hang (random text, random YAML documents, and the seed's file mutated)."""

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from driver.analysis.lab_rules import lint_lab
from driver.core.errors import LabError
from driver.lab.loader import parse_lab
from tests.conftest import SEED
from tests.input_bounds import documents, mutations, within

SEED_TEXT = SEED.read_text()
MANY = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def loads_or_refuses(text: str) -> None:
    with within():
        try:
            lab = parse_lab(text, "lab.yml")
        except LabError as exc:
            assert exc.problems and all(p.message and p.hint for p in exc.problems)
            assert str(exc).startswith("lab.yml: ")
            return
        lint_lab(lab, "lab.yml")  # a lab that loads is one lint can judge


@MANY
@given(st.text(max_size=300))
def test_any_text(text):
    loads_or_refuses(text)


@MANY
@given(documents())
def test_any_yaml_document(data):
    loads_or_refuses(yaml.safe_dump(data))


@MANY
@given(mutations(SEED_TEXT))
def test_the_seed_edited_by_hand(text):
    loads_or_refuses(text)
