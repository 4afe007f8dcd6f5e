"""Where the project's own folders and the shared read-only material are.

``SHARED`` is ``../shared`` next to the checkout (``THANHTRA_SHARED`` overrides it): the real texts, the dev set and
the referee are read from there, never copied into the project. ``SHARED / "eval" / "score.py"`` → the referee.
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("THANHTRA_SHARED") or ROOT.parent / "shared")
