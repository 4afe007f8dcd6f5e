"""Gold export: reviewed documents in the GUIDE §3 format, accepted by check_gold.py and scored by score.py."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import select

from conftest import SHARED
from pipeline.db.load import DOCUMENTS, MENTIONS
from pipeline.review import actions
from pipeline.review.gold import export_gold
from test_review_fixtures import hostile_record, ket_luan_record, make_database

SCORE = SHARED / "eval" / "score.py"
CHECK = SHARED / "eval" / "check_gold.py"
KEYS = {"id", "references", "dates", "amounts", "units", "persons", "violation_types", "outcome", "remedies"}


@pytest.fixture
def reviewed(tmp_path):
    """Two documents: one reviewed with a rejection and a correction, one still unreviewed."""
    url = f"sqlite:///{tmp_path}/gold.sqlite"
    records = [ket_luan_record(), hostile_record()]
    engine = make_database(url, records)
    with engine.begin() as conn:
        doc = conn.execute(select(DOCUMENTS.c.id).where(DOCUMENTS.c.path == "kl/ket-luan-y-yen.txt")).scalar_one()
        wrong = conn.execute(select(MENTIONS.c.id).where(MENTIONS.c.text == "THANH TRA TỈNH")).scalar_one()
        date = conn.execute(select(MENTIONS.c.id).where(MENTIONS.c.text == "05/01/2024")).scalar_one()
        actions.judge_mention(conn, 1, wrong, "reject")
        actions.judge_mention(conn, 1, date, "relabel", value="2024-01-06")
        actions.finish_document(conn, 1, doc)
    engine.dispose()
    return url, records, tmp_path


def test_only_finished_documents_are_exported_in_the_guide_format(reviewed):
    url, _records, tmp = reviewed
    result = export_gold(url, tmp / "out")
    assert result.documents == 1
    gold_files = list((tmp / "out" / "gold").glob("*.json"))
    assert len(gold_files) == 1
    gold = json.loads(gold_files[0].read_text(encoding="utf-8"))
    assert set(gold) == KEYS and gold["id"] == gold_files[0].stem
    assert gold["references"] == ["27/KL-TTr", "112/QĐ-TTr"]
    assert gold["dates"] == ["2024-03-14", "2024-01-06"] and gold["amounts"] == [1250000000]
    assert gold["units"] == ["Trung tâm Y tế huyện Ý Yên"]           # surface text; the rejected unit is gone
    assert gold["persons"] == ["Trần Văn Khải", "Nguyễn Thị Hồng Nhung"]
    assert gold["outcome"] == "violation" and gold["violation_types"] == ["budget_finance", "personnel"]
    assert gold["remedies"] == ["recover_funds"]
    text = (tmp / "out" / "texts" / f"{gold['id']}.txt").read_text(encoding="utf-8")
    assert text.startswith("UBND TỈNH NAM ĐỊNH")
    manifest = [json.loads(line) for line in (tmp / "out" / "manifest.jsonl").read_text().splitlines()]
    assert manifest == [{"id": gold["id"], "path": "kl/ket-luan-y-yen.txt", "sha256": manifest[0]["sha256"],
                         "reviewers": ["lan"]}]
    checked = subprocess.run([sys.executable, str(CHECK), str(tmp / "out" / "texts"), str(tmp / "out" / "gold")],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout
    assert export_gold(url, tmp / "partial", include_unfinished=True).documents == 1


def test_the_referee_scores_the_machine_against_the_stewards_truth(reviewed):
    url, records, tmp = reviewed
    export_gold(url, tmp / "out")
    manifest = [json.loads(line) for line in (tmp / "out" / "manifest.jsonl").read_text().splitlines()]
    by_path = {m["path"]: m["id"] for m in manifest}
    # As `thanhtra eval` would: the machine's record for each exported text, named by its gold id.
    pred = tmp / "pred.jsonl"
    with pred.open("w", encoding="utf-8") as out:
        for rec in records:
            if rec["source"]["path"] in by_path:
                rec = rec | {"source": rec["source"] | {"path": str(tmp / "out" / "texts" / f"{by_path[rec['source']['path']]}.txt")}}
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    run = subprocess.run([sys.executable, str(SCORE), "--pred", str(pred), "--gold", str(tmp / "out" / "gold"),
                          "--json"], capture_output=True, text=True, check=True)
    scores = json.loads(run.stdout)
    assert scores["documents"] == 1 and scores["missing"] == []
    assert scores["references"]["f1"] == 1.0 and scores["amounts"]["f1"] == 1.0 and scores["persons"]["f1"] == 1.0
    assert (scores["units"]["tp"], scores["units"]["fp"], scores["units"]["fn"]) == (1, 1, 0)   # the rejected unit
    assert (scores["dates"]["tp"], scores["dates"]["fp"], scores["dates"]["fn"]) == (1, 1, 1)   # the corrected date
    assert scores["outcome"]["accuracy"] == 1.0
