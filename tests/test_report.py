"""The HTML report: self-contained, correct totals, charts, citation graph, and untrusted text escaped."""
import re

import pytest

from pipeline.db import upgrade
from pipeline.db.load import load_records
from pipeline.report import bars, build_report, citation_graph
from test_db import build_records, clone, pg_url  # noqa: F401  (pg_url is a fixture)


@pytest.fixture(scope="module")
def report_html(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    records = build_records(folder / "texts")
    records[2]["meta"]["title"] = "<script>alert('x')</script> Kết luận"
    url = f"sqlite:///{folder}/t.sqlite"
    upgrade(url)
    load_records(url, records)
    out = build_report(url, folder / "out" / "report.html")
    return out.read_text(encoding="utf-8"), records


def test_totals(report_html):
    html, records = report_html
    assert re.search(r'id="total-documents">\s*4\s*<', html)
    n_findings = sum(len(r.get("findings", [])) for r in records)
    assert n_findings >= 2
    assert re.search(rf'id="total-findings">\s*{n_findings}\s*<', html)
    assert "1,60 tỷ đồng" in html                   # 1.25 bn + 350 m in the conclusion, Vietnamese style


def test_hostile_title_is_escaped(report_html):
    html, _ = report_html
    assert "<script>" not in html
    assert "&lt;script&gt;alert(" in html


def test_self_contained(report_html):
    html, _ = report_html
    assert not re.search(r'(?:src|href)\s*=\s*["\']?(?:https?:)?//', html)
    assert "@import" not in html and "<link" not in html


def test_charts_and_citation_graph(report_html):
    html, _ = report_html
    assert "budget_finance" in html and "recover_funds" in html
    assert html.count("<svg") >= 5
    assert 'class="ref"' in html and 'class="edge"' in html
    assert "112/QĐ-TTr" in html and "86/2011/NĐ-CP" in html
    assert "2024-03" in html                        # the conclusion's issue month


def test_bars_scale_to_the_largest():
    scaled = bars([("land", 4), ("procurement", 2), ("other", 0)], max_length=100)
    assert [b.length for b in scaled] == [100.0, 50.0, 0.0]
    assert bars([]) == []


def test_citation_graph_keeps_the_most_cited(tmp_path):
    pairs = [(f"{i}/QĐ-UBND", d) for i in range(80) for d in range(i % 5 + 1)]
    graph = citation_graph(pairs, {d: f"Văn bản {d}" for d in range(6)})
    assert len(graph["refs"]) == 50
    assert all(r["count"] >= graph["refs"][-1]["count"] for r in graph["refs"])
    assert graph["refs"][0]["count"] == 5
    assert len(graph["edges"]) == sum(r["count"] for r in graph["refs"])
    assert all(0 <= v <= graph["size"] for e in graph["edges"] for xy in e for v in xy)


def test_empty_database_still_renders(tmp_path):
    url = f"sqlite:///{tmp_path}/empty.sqlite"
    upgrade(url)
    html = build_report(url, tmp_path / "r.html").read_text(encoding="utf-8")
    assert re.search(r'id="total-documents">\s*0\s*<', html)
    assert "No references found." in html


def test_many_documents(tmp_path):
    records = clone(build_records(tmp_path / "texts")[:3], 60)
    url = f"sqlite:///{tmp_path}/many.sqlite"
    upgrade(url)
    load_records(url, records)
    html = build_report(url, tmp_path / "r.html").read_text(encoding="utf-8")
    assert re.search(r'id="total-documents">\s*60\s*<', html)


def test_report_from_postgresql(pg_url, tmp_path):  # noqa: F811
    upgrade(pg_url)
    load_records(pg_url, build_records(tmp_path / "texts"))
    html = build_report(pg_url, tmp_path / "r.html").read_text(encoding="utf-8")
    assert re.search(r'id="total-documents">\s*4\s*<', html)
    assert "86/2011/NĐ-CP" in html
