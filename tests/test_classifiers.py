"""The trained classifiers in models/classifiers/ and the recipe that builds them."""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from pipeline.findings import classify_document, is_relevant, model_version
from pipeline.findings.classify import MODEL_DIR, label_findings, load_models, mask_units, relevance_probability
from pipeline.findings.features import MultiLabelLogistic, feature_text, make_vectorizer
from pipeline.extract import Facts
from pipeline.record import OUTCOMES, REMEDIES, VIOLATION_TYPES, Finding, Unit

ROOT = Path(__file__).resolve().parents[1]
INSPECTION_NEWS = (
    "Thanh tra tỉnh phát hiện nhiều sai phạm tại UBND huyện\nQua thanh tra việc quản lý đất đai giai đoạn 2019-2023, "
    "Thanh tra tỉnh kết luận UBND huyện đã giao đất trái thẩm quyền, chi sai chế độ hơn 2 tỷ đồng. Thanh tra tỉnh "
    "kiến nghị thu hồi nộp ngân sách số tiền trên, kiểm điểm trách nhiệm tập thể, cá nhân có sai phạm và chuyển "
    "hồ sơ sang cơ quan điều tra xem xét.")
SPORTS_NEWS = (
    "Đội tuyển Việt Nam thắng Thái Lan\nTối qua, đội tuyển bóng đá Việt Nam đã thắng Thái Lan 2-0 trên sân Mỹ Đình "
    "trước 40.000 khán giả. Huấn luyện viên cho biết các cầu thủ thi đấu rất nỗ lực.")


def test_artifacts_exist_are_small_and_versioned():
    for name in ("relevance.joblib", "finding.joblib", "thresholds.json", "MODEL_CARD.md"):
        assert (MODEL_DIR / name).exists(), name
    assert sum(p.stat().st_size for p in MODEL_DIR.glob("*.joblib")) < 20_000_000
    assert re.fullmatch(r"clf-[0-9a-f]{8}", model_version())
    card = (MODEL_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert model_version() in card
    assert "rules only" in card and "cross-validation" in card


def test_models_load_once():
    assert load_models() is load_models()


def test_relevance_model_separates_inspection_from_sport():
    p_inspection = relevance_probability(INSPECTION_NEWS)
    p_sport = relevance_probability(SPORTS_NEWS)
    assert p_inspection is not None and p_sport is not None
    assert p_inspection > 0.5 > p_sport
    assert is_relevant(INSPECTION_NEWS) and not is_relevant(SPORTS_NEWS)


def test_document_classification_with_models():
    result = classify_document(INSPECTION_NEWS, Facts())
    assert result.relevant
    assert result.outcome == "serious"
    assert {"land", "budget_finance"} <= set(result.violation_types)
    assert {"recover_funds", "review_responsibility", "criminal_referral"} <= set(result.remedies)
    assert result.model_version == model_version()
    assert set(result.violation_types) <= set(VIOLATION_TYPES) and set(result.remedies) <= set(REMEDIES)


def test_finding_scores_are_probabilities_and_rank_clear_cases_higher():
    clear = Finding("Qua thanh tra phát hiện UBND xã chi sai chế độ 120 triệu đồng, kiến nghị thu hồi nộp ngân sách.", 0, 0)
    vague = Finding("Việc này còn một số hạn chế cần chấn chỉnh, báo cáo kết quả trước ngày 30/6.", 0, 0)
    label_findings([clear, vague])
    for f in (clear, vague):
        assert 0.0 <= f.score <= 1.0
        assert f.outcome in OUTCOMES
    assert clear.outcome == "violation" and "budget_finance" in clear.violation_types
    assert "recover_funds" in clear.remedies


def test_unit_names_are_masked_before_classification():
    f = Finding("Sở Tài nguyên và Môi trường chi sai 5 triệu đồng tiền công tác phí.", 100, 167)
    masked = mask_units(f, [Unit(text="Sở Tài nguyên và Môi trường", start=100, end=127)])
    assert masked.startswith("đơn vị chi sai")
    label_findings([f], [Unit(text="Sở Tài nguyên và Môi trường", start=100, end=127)])
    assert "environment_resources" not in f.violation_types


def test_features_fold_numbers_and_punctuation():
    assert feature_text("Chi sai 1,2 tỷ đồng; kiến nghị xuất toán.") == "chi sai 0 tỷ đồng kiến nghị xuất toán"
    X = make_vectorizer().fit_transform(["chi sai chế độ", "chi sai chế độ phụ cấp", "thu hồi đất công ích",
                                         "thu hồi đất", "chế độ phụ cấp"])
    assert X.shape[0] == 5


def test_multilabel_logistic_learns_and_weights():
    vec = make_vectorizer()
    texts = ["giao đất trái thẩm quyền", "cho thuê đất công ích", "chi sai chế độ", "chứng từ không hợp lệ"] * 5
    Y = np.array([[1, 0], [1, 0], [0, 1], [0, 1]] * 5)
    X = vec.fit_transform(texts)
    model = MultiLabelLogistic(["land", "budget_finance"], seed=1).fit(X, Y, np.ones(len(texts)))
    p = model.predict_proba(vec.transform(["giao đất trái thẩm quyền cho hộ dân"]))
    assert p.shape == (1, 2) and p[0, 0] > p[0, 1]


def test_recipe_reads_reviews_and_is_deterministic(tmp_path):
    from models.recipes.train_classifiers import _dump, review_documents, train_finding_models

    (tmp_path / "texts").mkdir()
    (tmp_path / "gold").mkdir()
    (tmp_path / "texts" / "r1.txt").write_text("Qua kiểm tra phát hiện xã chi sai 5 triệu đồng.", encoding="utf-8")
    (tmp_path / "gold" / "r1.json").write_text(json.dumps({"id": "r1", "violation_types": ["budget_finance"],
                                                           "outcome": "violation", "remedies": []}), encoding="utf-8")
    (tmp_path / "gold" / "orphan.json").write_text("{}", encoding="utf-8")       # no text: skipped
    docs = review_documents(tmp_path)
    assert [d.key for d in docs] == ["r1"] and docs[0].gold["outcome"] == "violation"

    rows = [("giao đất trái thẩm quyền cho hộ " + str(i % 3), ["land"], "violation", ["recover_land_asset"], 1.0)
            for i in range(10)]
    rows += [("chi sai chế độ phụ cấp " + str(i % 3), ["budget_finance"], "violation", ["recover_funds"], 3.0)
             for i in range(10)]
    rows += [("đơn vị chấp hành nghiêm giờ giấc " + str(i % 3), [], "compliant", [], 1.0) for i in range(10)]
    first, counts = train_finding_models(rows)
    second, _ = train_finding_models(rows)
    _dump(first, tmp_path / "a.joblib")
    _dump(second, tmp_path / "b.joblib")
    assert (tmp_path / "a.joblib").read_bytes() == (tmp_path / "b.joblib").read_bytes()
    assert counts["violation_types"]["land"] == 10 and counts["hand_sentences"] == 10


def test_recipe_never_reads_dev_gold():
    source = (ROOT / "models" / "recipes" / "train_classifiers.py").read_text(encoding="utf-8")
    assert "eval/dev" not in source and "DEV_GOLD" not in source


def test_relevance_sample_reads_every_sample_once(tmp_path, monkeypatch):
    from pipeline import training_data as td

    labels, texts = tmp_path / "labels", tmp_path / "texts"
    labels.mkdir()
    texts.mkdir()
    (labels / "relevance.tsv").write_text("file\trelevant\n1.txt\t1\n2.txt\t0\n", encoding="utf-8")
    (labels / "relevance-2.tsv").write_text("file\trelevant\n2.txt\t1\n3.txt\t0\n4.txt\t1\n\n", encoding="utf-8")
    (labels / "other.tsv").write_text("file\trelevant\n9.txt\t1\n", encoding="utf-8")
    for stem in "1239":
        (texts / f"{stem}.txt").write_text(f"Bài báo số {stem} về kiểm tra công vụ.", encoding="utf-8")
    # 4.txt repeats a dev story: the relevance sample must leave it out.
    dev_story = sorted(td.DEV_TEXTS.glob("*.txt"))[0].read_text(encoding="utf-8")
    (texts / "4.txt").write_text(dev_story, encoding="utf-8")
    monkeypatch.setattr(td, "NEWS_LABELS", labels)
    monkeypatch.setattr(td, "NEWS2017", texts)
    assert td.relevance_sample() == [("1", True), ("2", False), ("3", False)]


class _FixedProba:
    """A stand-in estimator: the same probability for every row."""

    def __init__(self, p: float):
        self.p = p

    def predict_proba(self, X):
        X = np.atleast_2d(X)
        return np.column_stack([np.full(len(X), 1 - self.p), np.full(len(X), self.p)])


def _evidence(rolled):
    from pipeline.findings.cues import RuleLabels
    from pipeline.findings.document_model import Evidence

    f = Finding("Qua kiểm tra phát hiện xã giao đất trái thẩm quyền, kiến nghị kiểm điểm.", 0, 70,
                violation_types=["land"], outcome="violation", remedies=["review_responsibility"])
    return Evidence(text=f.text, title=f.text, findings=[f], rules=[RuleLabels({"land"}, "violation",
                                                                               {"review_responsibility"})],
                    sections=["other"], rolled=rolled)


def test_document_model_stacks_only_its_fields():
    from pipeline.findings.document_model import DocumentModel, remedy_features, violation_features

    ev = _evidence((["land"], "violation", ["review_responsibility"]))
    assert violation_features(ev).shape == (len(VIOLATION_TYPES), 9 + len(VIOLATION_TYPES))
    assert remedy_features(ev).shape == (len(REMEDIES), 8 + len(REMEDIES))
    # No stacked remedy model: the roll-up stands; a confident one adds every remedy, a sure rejection drops them.
    assert DocumentModel(None, None, None).decide(ev) == (["land"], "violation", ["review_responsibility"])
    assert DocumentModel(None, _FixedProba(0.9), None, remedy_threshold=0.35).decide(ev)[2] == list(REMEDIES)
    assert DocumentModel(None, _FixedProba(0.1), None, remedy_threshold=0.35,
                         remedy_keep=0.2).decide(ev) == (["land"], "violation", [])
    # A remedy the rules found stays unless the stack is sure it is wrong.
    assert DocumentModel(None, _FixedProba(0.1), None, remedy_threshold=0.35,
                         remedy_keep=0.05).decide(ev)[2] == ["review_responsibility"]
    # Without a finding of any outcome there are no remedies, whatever the stack says.
    none = _evidence(([], "none", []))
    assert DocumentModel(None, _FixedProba(0.9), None).decide(none) == ([], "none", [])


def test_shipped_document_model_is_versioned():
    models = load_models()
    assert models.document is not None and models.document.remedy is not None
    assert (MODEL_DIR / "document.joblib").exists()
