"""Label Studio round trip: export pre-annotated tasks, edit them as an annotator would, import them as reviews."""
from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from pipeline.db.load import DOCUMENTS, FINDINGS, MENTIONS
from pipeline.review import actions
from pipeline.review.audit import document_history
from pipeline.review.gold import gold_for_document
from pipeline.review.labelstudio import export_tasks, import_annotations, labeling_config
from test_review_fixtures import ket_luan_record, make_database


@pytest.fixture
def db(tmp_path):
    url = f"sqlite:///{tmp_path}/ls.sqlite"
    engine = make_database(url, [ket_luan_record()])
    yield engine, url, tmp_path
    engine.dispose()


def test_export_writes_label_studio_tasks_with_scored_predictions(db):
    engine, url, tmp = db
    tasks_file, config_file = export_tasks(url, tmp / "ls")
    tasks = json.loads(tasks_file.read_text(encoding="utf-8"))
    assert len(tasks) == 1
    task = tasks[0]
    text = task["data"]["text"]
    prediction = task["predictions"][0]
    assert prediction["score"] == pytest.approx(0.41)                  # the least confident region
    labels = [r for r in prediction["result"] if r["type"] == "labels"]
    assert {r["value"]["labels"][0] for r in labels} == {"Reference", "Date", "Amount", "Unit", "Person", "Finding"}
    for r in prediction["result"]:
        assert r["to_name"] == "text" and r["from_name"]
        if r["type"] != "textarea" and "start" in r["value"]:
            assert text[r["value"]["start"]:r["value"]["end"]] == r["value"]["text"]
    assert all("score" in r for r in labels)
    finding_choices = [r for r in prediction["result"] if r["type"] == "choices" and r["from_name"] == "violation_type"]
    assert sorted(r["value"]["choices"][0] for r in finding_choices) == ["budget_finance", "personnel"]
    doc_outcome = next(r for r in prediction["result"] if r["from_name"] == "doc_outcome")
    assert doc_outcome["value"]["choices"] == ["violation"]
    # The config names every from_name the tasks use.
    config = ET.fromstring(config_file.read_text(encoding="utf-8"))
    names = {el.get("name") for el in config}
    assert {r["from_name"] for r in prediction["result"]} <= names and "text" in names
    assert labeling_config().count("<Label ") == 6


def _annotate(task: dict, annotator: str) -> dict:
    """What a steward does in Label Studio, starting from the prediction."""
    result = copy.deepcopy(task["predictions"][0]["result"])
    text = task["data"]["text"]

    def region(surface: str) -> str:
        return next(r["id"] for r in result if r["type"] == "labels" and r["value"]["text"] == surface)

    drop = region("THANH TRA TỈNH")                                       # delete a wrong unit
    result = [r for r in result if r["id"] != drop]
    person = region("Trần Văn Khải")                                      # relabel a span
    for r in result:
        if r["id"] == person and r["type"] == "labels":
            r["value"]["labels"] = ["Unit"]
    date = region("05/01/2024")                                           # correct a value
    for r in result:
        if r["id"] == date and r["type"] == "textarea":
            r["value"]["text"] = ["2024-01-06"]
    start = text.index("Chánh Thanh tra tỉnh")                           # add a missed unit
    result.append({"id": "Xy12ab", "from_name": "label", "to_name": "text", "type": "labels",
                   "value": {"start": start, "end": start + 20, "text": "Chánh Thanh tra tỉnh", "labels": ["Unit"]}})
    finding = next(r["id"] for r in result if r.get("value", {}).get("labels") == ["Finding"])
    for r in result:                                                      # relabel the first finding
        if r["id"] == finding and r["from_name"] == "outcome":
            r["value"]["choices"] = ["serious"]
        if r["id"] == finding and r["from_name"] == "remedy":
            r["value"]["choices"] = ["criminal_referral", "recover_funds"]
    for r in result:
        if r["from_name"] == "doc_outcome":
            r["value"]["choices"] = ["serious"]
    return {"id": 1, "completed_by": {"id": 7, "email": f"{annotator}@thanhtra.example"}, "result": result,
            "was_cancelled": False}


def test_round_trip_turns_annotations_into_reviews(db):
    engine, url, tmp = db
    tasks_file, _ = export_tasks(url, tmp / "ls")
    tasks = json.loads(tasks_file.read_text(encoding="utf-8"))
    tasks[0]["annotations"] = [_annotate(tasks[0], "minh")]
    exported = tmp / "ls" / "export.json"
    exported.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")

    stats = import_annotations(url, exported, default_reviewer="lan")
    assert stats.annotations == 1 and stats.rejected == 1 and stats.added == 1 and stats.relabelled == 2
    assert stats.findings_edited == 1 and stats.skipped == []
    document_id = tasks[0]["id"]
    with engine.connect() as conn:
        rows = conn.execute(select(MENTIONS.c.text, MENTIONS.c.kind, MENTIONS.c.value, MENTIONS.c.review_status)
                            .where(MENTIONS.c.document_id == document_id)).all()
        state = {(r.text, r.kind): (r.value, r.review_status) for r in rows}
        finding = conn.execute(select(FINDINGS.c.outcome).order_by(FINDINGS.c.start)).scalars().first()
        history = document_history(conn, document_id)
        gold = gold_for_document(conn, document_id)
        done = actions.document_labels(conn, document_id)
    assert state[("THANH TRA TỈNH", "unit")][1] == "rejected"
    assert state[("Trần Văn Khải", "person")][1] == "rejected" and state[("Trần Văn Khải", "unit")][1] == "corrected"
    assert state[("05/01/2024", "date")] == ("2024-01-06", "corrected")
    assert state[("Chánh Thanh tra tỉnh", "unit")][1] == "added"
    assert state[("27/KL-TTr", "reference")][1] == "accepted"
    assert all(status is not None for _, status in state.values())     # the import finished the document
    assert finding == "serious" and done["outcome"] == "serious"
    assert {h["username"] for h in history} == {"minh"}                 # matched by e-mail name, not the fallback
    assert "2024-01-06" in gold["dates"] and "Chánh Thanh tra tỉnh" in gold["units"]
    assert "THANH TRA TỈNH" not in gold["units"] and "Trần Văn Khải" not in gold["persons"]
    assert gold["outcome"] == "serious" and "criminal_referral" in gold["remedies"]

    # Exporting again gives the reviewed state, and re-importing the same annotation changes nothing more.
    again = json.loads(export_tasks(url, tmp / "ls2")[0].read_text(encoding="utf-8"))
    texts = {(r["value"]["text"], r["value"]["labels"][0]) for r in again[0]["predictions"][0]["result"]
             if r["type"] == "labels"}
    assert ("Trần Văn Khải", "Unit") in texts and ("Trần Văn Khải", "Person") not in texts
    assert ("THANH TRA TỈNH", "Unit") not in texts
    second = import_annotations(url, exported, default_reviewer="lan")
    assert second.added == 0 and second.rejected == 0


def test_unknown_annotators_fall_back_and_unknown_stewards_are_refused(db):
    engine, url, tmp = db
    tasks = json.loads(export_tasks(url, tmp / "ls")[0].read_text(encoding="utf-8"))
    tasks[0]["annotations"] = [{"completed_by": 99, "result": tasks[0]["predictions"][0]["result"]},
                               {"completed_by": 98, "result": [], "was_cancelled": True}]
    exported = tmp / "export.json"
    exported.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError):
        import_annotations(url, exported, default_reviewer="nobody")
    stats = import_annotations(url, exported, default_reviewer="lan")
    assert stats.annotations == 1 and stats.rejected == 0 and stats.added == 0
    with engine.connect() as conn:
        assert {h["username"] for h in document_history(conn, tasks[0]["id"])} == {"lan"}
        assert conn.execute(select(DOCUMENTS.c.id)).scalar() == tasks[0]["id"]
