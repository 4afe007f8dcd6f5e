"""Review actions, the audit trail, re-runs that keep reviewed labels, the queues, agreement and highlighting."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pipeline.db.load import DOCUMENT_LABELS, DOCUMENTS, FINDINGS, MENTIONS, load_records
from pipeline.review import actions
from pipeline.review.audit import cohen_kappa, document_agreement, document_history
from pipeline.review.highlight import Highlight, highlight
from pipeline.review.models import USERS
from pipeline.review.queue import QueueFilters, document_queue, finding_queue
from test_review_fixtures import HOSTILE_SPANS, hostile_record, ket_luan_record, make_database

LAN, MINH = 1, 2


@pytest.fixture
def db(tmp_path):
    url = f"sqlite:///{tmp_path}/actions.sqlite"
    records = [ket_luan_record(), hostile_record()]
    engine = make_database(url, records)
    with engine.connect() as conn:
        assert [u for (u,) in conn.execute(select(USERS.c.username).order_by(USERS.c.id))] == ["lan", "minh"]
    yield engine, url, records
    engine.dispose()


def doc_id(conn, path: str = "kl/ket-luan-y-yen.txt") -> int:
    return conn.execute(select(DOCUMENTS.c.id).where(DOCUMENTS.c.path == path)).scalar_one()


def mention_id(conn, surface: str, path: str = "kl/ket-luan-y-yen.txt") -> int:
    return conn.execute(select(MENTIONS.c.id).where(MENTIONS.c.text == surface, ~MENTIONS.c.reviewed,
                                                    MENTIONS.c.document_id == doc_id(conn, path))).scalar_one()


def test_accept_reject_relabel_add_are_stored_reviewed_and_audited(db):
    engine, _url, _records = db
    with engine.begin() as conn:
        accepted = actions.judge_mention(conn, LAN, mention_id(conn, "27/KL-TTr"), "accept")
        rejected = actions.judge_mention(conn, LAN, mention_id(conn, "THANH TRA TỈNH"), "reject")
        fixed = actions.judge_mention(conn, LAN, mention_id(conn, "05/01/2024"), "relabel", value="2024-01-06")
        added = actions.add_mention(conn, LAN, doc_id(conn), "unit", 0, 19)     # the newline is trimmed
    assert accepted["status"] == "accepted" and rejected["status"] == "rejected"
    assert fixed["status"] == "corrected" and fixed["value"] == "2024-01-06"
    assert added["status"] == "added" and (added["text"], added["end"]) == ("UBND TỈNH NAM ĐỊNH", 18)
    with engine.connect() as conn:
        history = document_history(conn, doc_id(conn))
        rows = conn.execute(select(MENTIONS.c.text, MENTIONS.c.reviewed, MENTIONS.c.review_status)
                            .where(MENTIONS.c.reviewed)).all()
    assert [h["action"] for h in history] == ["add", "relabel", "reject", "accept"]      # newest first
    assert history[1]["before"]["value"] == "2024-01-05" and history[1]["after"]["value"] == "2024-01-06"
    assert all(h["username"] == "lan" for h in history)
    assert {r.review_status for r in rows} == {"accepted", "rejected", "corrected", "added"}


def test_bad_changes_are_refused(db):
    engine, _url, _records = db
    with engine.begin() as conn:
        with pytest.raises(actions.ReviewError):
            actions.add_mention(conn, LAN, doc_id(conn), "unit", 5, 10_000)
        with pytest.raises(actions.ReviewError):
            actions.add_mention(conn, LAN, doc_id(conn), "organisation", 0, 4)
        with pytest.raises(actions.ReviewError):
            actions.judge_mention(conn, LAN, mention_id(conn, "1,25 tỷ đồng"), "relabel", value="1,25 tỷ")
        with pytest.raises(actions.ReviewError):
            actions.judge_mention(conn, LAN, 999_999, "accept")
        with pytest.raises(actions.ReviewError):
            actions.edit_finding(conn, LAN, 1, outcome="terrible")
        with pytest.raises(actions.ReviewError):
            actions.edit_finding(conn, LAN, 1, violation_types=["weather"])


def test_finding_edits_roll_up_to_the_document(db):
    engine, _url, _records = db
    with engine.begin() as conn:
        first, second = conn.execute(select(FINDINGS.c.id).order_by(FINDINGS.c.start)).scalars().all()[:2]
        actions.edit_finding(conn, LAN, first, outcome="serious", violation_types=["budget_finance"],
                             remedies=["recover_funds", "criminal_referral"])
        actions.edit_finding(conn, LAN, second, "reject")
        labels = actions.document_labels(conn, doc_id(conn))
    assert labels == {"violation_types": ["budget_finance"], "outcome": "serious",
                      "remedies": ["criminal_referral", "recover_funds"], "reviewed": True}


def test_rerunning_the_pipeline_keeps_every_reviewed_label(db):
    engine, url, records = db
    with engine.begin() as conn:
        actions.judge_mention(conn, LAN, mention_id(conn, "THANH TRA TỈNH"), "reject")
        actions.judge_mention(conn, LAN, mention_id(conn, "Trần Văn Khải"), "relabel", kind="unit")
        actions.add_mention(conn, LAN, doc_id(conn), "unit", KET_LUAN_OFFSET, KET_LUAN_OFFSET + len("Chánh Thanh tra tỉnh"))
        finding = conn.execute(select(FINDINGS.c.id).order_by(FINDINGS.c.start)).scalars().first()
        actions.edit_finding(conn, LAN, finding, outcome="serious", violation_types=["budget_finance"],
                             remedies=["criminal_referral"])
    with engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(MENTIONS)).scalar()
    stats = load_records(url, records)                                 # the pipeline runs again
    assert stats.kept_reviewed == 3                                    # the two rejected spans and the finding
    with engine.connect() as conn:
        after = conn.execute(select(func.count()).select_from(MENTIONS)).scalar()
        status = dict(conn.execute(select(MENTIONS.c.text, MENTIONS.c.review_status)
                                   .where(MENTIONS.c.reviewed, MENTIONS.c.kind == "unit")).all())
        khai = conn.execute(select(MENTIONS.c.kind, MENTIONS.c.review_status)
                            .where(MENTIONS.c.text == "Trần Văn Khải").order_by(MENTIONS.c.kind)).all()
        outcome = conn.execute(select(FINDINGS.c.outcome).where(FINDINGS.c.id == finding)).scalar()
        doc_outcome = conn.execute(select(DOCUMENT_LABELS.c.label).where(
            DOCUMENT_LABELS.c.document_id == doc_id(conn), DOCUMENT_LABELS.c.kind == "outcome")).scalars().all()
    assert after == before                                              # nothing duplicated, nothing lost
    assert status["THANH TRA TỈNH"] == "rejected" and status["Chánh Thanh tra tỉnh"] == "added"
    # A relabel keeps the machine's label as a rejected row, so the re-run cannot bring the person back.
    assert khai == [("person", "rejected"), ("unit", "corrected")]
    assert outcome == "serious" and doc_outcome == ["serious"]


KET_LUAN_OFFSET = ket_luan_record()["text"].index("Chánh Thanh tra tỉnh")


def test_finishing_accepts_the_rest_and_marks_the_document_done(db):
    engine, _url, _records = db
    with engine.begin() as conn:
        actions.judge_mention(conn, LAN, mention_id(conn, "THANH TRA TỈNH"), "reject")
        accepted = actions.finish_document(conn, LAN, doc_id(conn))
    with engine.connect() as conn:
        open_rows = conn.execute(select(func.count()).select_from(MENTIONS)
                                 .where(MENTIONS.c.document_id == doc_id(conn), ~MENTIONS.c.reviewed)).scalar()
        done = document_queue(conn, QueueFilters(status="done")).items
        unreviewed = document_queue(conn, QueueFilters(status="unreviewed")).items
    assert accepted == 8 + 2 and open_rows == 0                         # 8 spans left + 2 findings
    assert [d["path"] for d in done] == ["kl/ket-luan-y-yen.txt"]
    assert [d["path"] for d in unreviewed] == ["cv/hostile.txt"]
    with engine.begin() as conn:                                        # a document nobody touched before
        assert actions.finish_document(conn, MINH, doc_id(conn, "cv/hostile.txt")) == len(HOSTILE_SPANS)
        assert document_queue(conn, QueueFilters(status="done")).total == 2


def test_queues_order_by_confidence_filter_and_paginate(db):
    engine, url, records = db
    extra = []
    for i in range(7):
        rec = ket_luan_record(f"kl/copy-{i}.txt")
        rec["source"]["sha256"] = f"{i:064x}"
        rec["meta"]["doc_kind"] = "decision" if i % 2 else "conclusion"
        for f in rec["findings"]:
            f["score"] = 0.5 + i / 100
        extra.append(rec)
    load_records(url, extra)
    with engine.begin() as conn:
        actions.judge_mention(conn, MINH, mention_id(conn, "THANH TRA TỈNH"), "reject")
    with engine.connect() as conn:
        everything = document_queue(conn, QueueFilters(), per_page=4)
        page3 = document_queue(conn, QueueFilters(), page=3, per_page=4)
        decisions = document_queue(conn, QueueFilters(doc_kind="decision"))
        by_minh = document_queue(conn, QueueFilters(reviewer="minh"))
        corrected = document_queue(conn, QueueFilters(status="corrected"))
        units = document_queue(conn, QueueFilters(unit="kim bảng"))
        findings = finding_queue(conn, QueueFilters(), per_page=5)
        personnel = finding_queue(conn, QueueFilters(violation_type="personnel"))
        late = document_queue(conn, QueueFilters(date_from="2025-01-01"))
    assert everything.total == 9 and everything.pages == 3 and len(page3.items) == 1
    # The relevant document with no finding first, then the least confident finding.
    assert everything.items[0]["path"] == "cv/hostile.txt" and everything.items[1]["min_score"] == 0.41
    assert [d["min_score"] for d in everything.items[1:]] == sorted(d["min_score"] for d in everything.items[1:])
    assert decisions.total == 3 and by_minh.total == 1 and corrected.total == 1
    assert [d["path"] for d in units.items] == ["cv/hostile.txt"]
    assert [f["score"] for f in findings.items] == sorted(f["score"] for f in findings.items)
    assert findings.items[0]["violation_types"] == ["budget_finance"] and findings.total == 16
    assert personnel.total == 8 and all(f["violation_types"] == ["personnel"] for f in personnel.items)
    assert late.total == 0


def test_cohen_kappa_values():
    assert cohen_kappa([("accept", "accept"), ("reject", "accept"), ("reject", "reject")]) == pytest.approx(0.4)
    assert cohen_kappa([("a", "a"), ("b", "b")]) == 1.0
    assert cohen_kappa([("a", "b"), ("b", "a")]) == pytest.approx(-1.0)
    assert cohen_kappa([("a", "a"), ("a", "a")]) == 1.0
    assert cohen_kappa([]) is None
    # A textbook case: 50 items, 20 yes/yes, 15 no/no, 5 yes/no, 10 no/yes → kappa 0.4.
    pairs = [(1, 1)] * 20 + [(0, 0)] * 15 + [(1, 0)] * 5 + [(0, 1)] * 10
    assert cohen_kappa(pairs) == pytest.approx(0.4)


def test_agreement_between_two_stewards_per_field(db):
    engine, _url, _records = db
    with engine.begin() as conn:
        dates = [mention_id(conn, s) for s in ("ngày 14 tháng 3 năm 2024", "05/01/2024")]
        units = [mention_id(conn, s) for s in ("THANH TRA TỈNH", "Trung tâm Y tế huyện Ý Yên")]
        finding = conn.execute(select(FINDINGS.c.id).order_by(FINDINGS.c.start)).scalars().first()
        for user in (LAN, MINH):
            for m in dates:
                actions.judge_mention(conn, user, m, "accept")
        actions.judge_mention(conn, LAN, units[0], "reject")
        actions.judge_mention(conn, MINH, units[0], "accept")
        actions.judge_mention(conn, LAN, units[1], "accept")
        actions.judge_mention(conn, MINH, units[1], "accept")
        actions.edit_finding(conn, LAN, finding, outcome="violation", violation_types=["budget_finance"])
        actions.edit_finding(conn, MINH, finding, outcome="serious", violation_types=["budget_finance", "land"])
        result = document_agreement(conn, doc_id(conn))
    assert len(result) == 1 and result[0]["stewards"] == ("lan", "minh")
    fields = result[0]["fields"]
    assert fields["date"] == {"kappa": 1.0, "items": 2, "agreement": 1.0}
    assert fields["unit"]["items"] == 2 and fields["unit"]["kappa"] == pytest.approx(0.0)
    assert fields["finding.outcome"]["agreement"] == 0.0
    assert fields["finding.violation_types"]["items"] == 2 and fields["finding.violation_types"]["agreement"] == 0.5


def test_highlight_escapes_everything_and_nests_tags():
    text = 'Sở Nội vụ <script>alert(1)</script> "x" & <img src=x onerror=alert(2)>'
    html = str(highlight(text, [Highlight(0, 9, "unit", "m1", "accepted"), Highlight(10, 36, "person", 'm2" x="')]))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&amp;" in html
    assert html.startswith('<mark id="m1" class="hl hl-unit st-accepted" data-item="m1">Sở Nội vụ</mark>')
    assert 'id="m2&#34; x=&#34;"' in html                              # the quote cannot end the attribute
    crossing = str(highlight("abcdefgh", [Highlight(0, 4, "unit", "a"), Highlight(2, 6, "date", "b")]))
    assert crossing.count("<mark") == crossing.count("</mark>") == 2
    assert crossing.endswith("efgh")
    assert str(highlight("abc", [Highlight(2, 9, "unit", "z"), Highlight(0, 1, "weird", "y")])) == "abc"
