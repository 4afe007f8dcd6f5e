import os
import sys
from pathlib import Path

import pytest

from pipeline.paths import ROOT, SHARED
DEV_TEXTS = SHARED / "eval" / "dev" / "texts"
DEV_GOLD = SHARED / "eval" / "dev" / "gold"
SEED = SHARED / "seed"

# The CLI under test is the one installed in the same environment as pytest.
THANHTRA = str(Path(sys.executable).with_name("thanhtra"))


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (SEED / "kiem-tra-cong-vu-ha-noi-2023.txt").read_text(encoding="utf-8")


def run_env() -> dict:
    env = dict(os.environ)
    env.setdefault("PYTHONHASHSEED", "0")
    return env
