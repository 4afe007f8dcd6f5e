"""Text features shared by training and prediction, so both see exactly the same representation.

Vietnamese words are one to four syllables separated by spaces, so syllable unigrams and bigrams stand in for
underthesea word tokens (a compound such as "thu hồi" is the bigram "thu_hồi") at a fraction of the cost; numbers are
folded to one shape so amounts do not become vocabulary.

``feature_text("Thu hồi 574.150.000 đồng")`` → ``"thu hồi 0 đồng"``.
"""
from __future__ import annotations

import re

import numpy as np

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

_NUMBER = re.compile(r"\d[\d.,/]*")
_NON_WORD = re.compile(r"[^\w]+")


def feature_text(text: str) -> str:
    """Lower-cased syllables, numbers folded to ``0``, punctuation dropped.

    ``feature_text("Chi sai 1,2 tỷ đồng; kiến nghị xuất toán.")`` → ``"chi sai 0 tỷ đồng kiến nghị xuất toán"``.
    """
    return _NON_WORD.sub(" ", _NUMBER.sub("0", text.lower())).strip()


def make_vectorizer(max_features: int = 60000) -> FeatureUnion:
    """Syllable 1–2-grams plus character 3–5-grams inside word boundaries (robust to spelling variants).

    ``make_vectorizer().fit_transform(["chi sai chế độ"]).shape[0]`` → ``1``.
    """
    return FeatureUnion([
        ("syllables", TfidfVectorizer(preprocessor=feature_text, token_pattern=r"\S+", ngram_range=(1, 2),
                                      min_df=2, max_features=max_features, sublinear_tf=True, dtype=np.float32)),
        ("chars", TfidfVectorizer(preprocessor=feature_text, analyzer="char_wb", ngram_range=(3, 5), min_df=3,
                                  max_features=max_features, sublinear_tf=True, dtype=np.float32)),
    ])


class MultiLabelLogistic:
    """One logistic regression per label, stacked into one weight matrix so prediction is a single product.

    Stands in for OneVsRestClassifier because it takes per-sample weights and pickles small (float32 weights).
    ``MultiLabelLogistic(["land", "procurement"]).fit(X, Y, w).predict_proba(X).shape`` → ``(n, 2)``.
    """

    def __init__(self, label_names: list[str], C: float = 4.0, seed: int = 0):
        self.label_names_ = list(label_names)
        self.C = C
        self.seed = seed
        self.coef_ = None
        self.intercept_ = None

    def fit(self, X, Y, sample_weight=None) -> "MultiLabelLogistic":
        from sklearn.linear_model import LogisticRegression
        import numpy as np

        coefs, intercepts = [], []
        for j in range(Y.shape[1]):
            model = LogisticRegression(C=self.C, max_iter=300, solver="liblinear", random_state=self.seed)
            model.fit(X, Y[:, j], sample_weight=sample_weight)
            coefs.append(model.coef_[0])
            intercepts.append(model.intercept_[0])
        self.coef_ = np.asarray(coefs, dtype="float32")
        self.intercept_ = np.asarray(intercepts, dtype="float32")
        return self

    def predict_proba(self, X):
        import numpy as np

        z = X @ self.coef_.T + self.intercept_
        return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype="float64")))
