"""Render every authored text in corpus/src into the shipped sample files in corpus/docs.

    python corpus/build.py            # rebuild all of corpus/docs
    python corpus/build.py --check    # only verify that src, gold and this spec agree

Each document is rendered in exactly one format and saved as ``docs/<slug>.<ext>``, so the referee matches a record
to ``gold/<slug>.json`` by stem. Tables repeat figures and names already written in the text, so the gold labels of
the text stay exact for the rendered file. Rendering is deterministic: the same sources give the same bytes.

Example: the spec entry ``doc("qd-thanh-tra-ban-qlda-gia-lai", "pdf", page_number_format="{n}")`` turns
``src/qd-thanh-tra-ban-qlda-gia-lai.txt`` ("UBND TỈNH GIA LAI / THANH TRA TỈNH / ... Số: 305/QĐ-TTr ...") into
``docs/qd-thanh-tra-ban-qlda-gia-lai.pdf``.
"""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parent
sys.path.insert(0, str(CORPUS.parent))

from pipeline import render  # noqa: E402  (the repo root is put on sys.path just above)

SRC, GOLD, DOCS = CORPUS / "src", CORPUS / "gold", CORPUS / "docs"
EXTENSIONS = {"pdf": "pdf", "scan": "pdf", "docx": "docx", "html": "html", "txt": "txt"}
_FIGURE = re.compile(r"\d[\d.,/]*\d|\d")


@dataclass(frozen=True)
class Doc:
    """One shipped file: which source text, which renderer, and the renderer's options.

    >>> Doc("cv-x", "txt", options={"encoding": "utf-16"}).path.name
    'cv-x.txt'
    """
    slug: str
    kind: str                                   # pdf, scan, docx, html, txt
    options: dict = field(default_factory=dict)
    table: tuple[tuple[str, ...], ...] | None = None
    table_after: str | None = None              # the table follows the paragraph starting with this text

    @property
    def path(self) -> Path:
        return DOCS / f"{self.slug}.{EXTENSIONS[self.kind]}"


def doc(slug: str, kind: str, *, table: list[list[str]] | None = None, table_after: str | None = None,
        **options) -> Doc:
    """Spec entry with renderer options as keywords: ``doc("kl-x", "pdf", running_header="Kết luận số 18/KL-TTr")``."""
    return Doc(slug, kind, options, tuple(tuple(r) for r in table) if table else None, table_after)


DOCS_SPEC = (
    doc("kl-dat-dai-nghia-hung", "pdf",
        running_header="Thanh tra tỉnh Nam Định – Kết luận thanh tra số 18/KL-TTr",
        table=[["TT", "Nội dung kiến nghị thu hồi", "Số tiền (đồng)"],
               ["1", "Tiền cho thuê đất công ích để lại chi sai quy định", "274.150.000"],
               ["2", "Tiền giao đất trái thẩm quyền chi không qua dự toán", "300.000.000"],
               ["", "Tổng cộng", "574.150.000"]],
        table_after="Thu hồi nộp ngân sách nhà nước số tiền 574.150.000"),
    doc("kl-du-an-dau-tu-phu-tho", "pdf",
        running_header="Thanh tra tỉnh Phú Thọ – Kết luận thanh tra số 27/KL-TTr",
        table=[["TT", "Nội dung", "Số tiền (đồng)"],
               ["1", "Thu hồi giá trị khối lượng nghiệm thu khống đã thanh toán", "845.200.000"],
               ["2", "Thu hồi tiền phạt vi phạm hợp đồng", "285.700.000"],
               ["", "Cộng thu hồi nộp ngân sách nhà nước", "1.130.900.000"],
               ["3", "Giảm trừ khi phê duyệt quyết toán", "182.360.000"]],
        table_after="1. Về kinh tế"),
    doc("kl-tai-chinh-trung-tam-y-te", "scan", dpi=170, seed=306),
    doc("tb-kiem-tra-cong-vu-ninh-binh", "docx",
        header_text="Sở Nội vụ tỉnh Ninh Bình – Thông báo số 1873/TB-SNV",
        table=[["Đơn vị", "Tổng số CBCC", "Có mặt", "Vắng có lý do", "Vắng không lý do"],
               ["UBND phường Đông Thành Nam", "48", "41", "05", "02"],
               ["UBND xã Yên Khánh Bắc", "35", "30", "02", "03"]],
        table_after="Tại UBND xã Yên Khánh Bắc (kiểm tra"),
    doc("cv-don-doc-thuc-hien-ket-luan", "txt", encoding="utf-16"),
    doc("cv-chan-chinh-ky-cuong-thanh-mien", "txt", encoding="cp1258", newline="\r\n"),
    doc("qd-thanh-tra-ban-qlda-gia-lai", "pdf", page_number_format="{n}"),
    doc("qd-xu-phat-xay-dung-da-nang", "docx"),
    doc("kh-kiem-tra-cong-vu-2025-ha-nam", "docx",
        header_text="Kế hoạch số 18/KH-UBND ngày 10/01/2025 của UBND tỉnh Hà Nam"),
    doc("kh-thanh-tra-2026-hung-yen", "scan", dpi=170, seed=145,
        table=[["TT", "Nội dung, đối tượng thanh tra", "Thời gian tiến hành"],
               ["1", "Quản lý, sử dụng đất đai tại UBND xã Tiền Hải Bắc", "Quý I/2026"],
               ["2", "Tiếp công dân, giải quyết khiếu nại, tố cáo, phòng, chống tham nhũng tại Sở Nông nghiệp và "
                     "Môi trường tỉnh Hưng Yên", "Quý II/2026"],
               ["3", "Tài chính, mua sắm thuốc tại Trung tâm Y tế khu vực Quỳnh Phụ", "Tháng 7/2026"],
               ["4", "Dự án đầu tư công của Ban Quản lý dự án đầu tư xây dựng tỉnh Hưng Yên", "Quý III/2026"],
               ["5", "Tài sản công tại Trường Cao đẳng Kỹ thuật Công nghiệp Phố Hiến", "Tháng 10/2026"]],
        table_after="6. Dự phòng"),
    doc("bc-ket-qua-thanh-tra-quy-3-lam-dong", "pdf",
        running_header="Báo cáo số 312/BC-TTr của Thanh tra tỉnh Lâm Đồng", page_number_format="- {n} -",
        table=[["Chỉ tiêu", "Quý III năm 2025"],
               ["Số cuộc thanh tra thực hiện", "14"],
               ["Số cuộc đã ban hành kết luận", "09"],
               ["Sai phạm về kinh tế (tỷ đồng)", "12,84"],
               ["Kiến nghị thu hồi nộp ngân sách (tỷ đồng)", "9,317"],
               ["Kiến nghị xuất toán, giảm trừ thanh toán (tỷ đồng)", "3,523"],
               ["Đã thu hồi (triệu đồng)", "4.106"],
               ["Lượt tiếp công dân", "1.268"]],
        table_after="Một số kết luận điển hình"),
    doc("tin-kiem-tra-sau-tet-at-ty", "html", published="2025-02-03T11:20"),
    doc("tin-ket-luan-mua-sam-thiet-bi", "html", published="2025-10-17T16:45"),
    doc("tin-lam-thu-truong-hoc", "html", published="2024-05-10T15:30"),
)


def table_position(text: str, anchor: str) -> int:
    """Index of the paragraph (non-empty line) that starts with ``anchor``, plus one: the table goes right after it.

    >>> table_position("KẾT LUẬN\\n\\n1. Về kinh tế: thu hồi\\n2. Về quản lý", "1. Về kinh tế")
    2
    """
    paragraphs = [ln.strip() for ln in text.split("\n") if ln.strip()]
    for i, para in enumerate(paragraphs):
        if para.startswith(anchor):
            return i + 1
    raise ValueError(f"table anchor {anchor!r} not found")


def spec_problems(item: Doc, text: str) -> list[str]:
    """Ways a spec entry disagrees with its text: missing gold, a table anchor or table figure not in the text.

    >>> spec_problems(doc("x", "pdf", table=[["A", "B"], ["Tổng", "9.999"]]), "Tổng 1.000 đồng")
    ['x: no gold file', "x: table figure '9.999' is not in the text"]
    """
    problems = []
    if not (GOLD / f"{item.slug}.json").is_file():
        problems.append(f"{item.slug}: no gold file")
    if item.table:
        if item.table_after:
            try:
                table_position(text, item.table_after)
            except ValueError as exc:
                problems.append(f"{item.slug}: {exc}")
        for row in item.table[1:]:
            for cell in row:
                for figure in _FIGURE.findall(cell):
                    if figure not in text:
                        problems.append(f"{item.slug}: table figure {figure!r} is not in the text")
    return problems


def render_doc(item: Doc, text: str) -> None:
    """Write one spec entry's file into corpus/docs with the renderer its kind names."""
    table = [list(r) for r in item.table] if item.table else None
    position = table_position(text, item.table_after) if item.table and item.table_after else None
    if item.kind == "pdf":
        render.render_pdf(text, item.path, table=table, table_position=position, **item.options)
    elif item.kind == "scan":
        render.render_scanned_pdf(text, item.path, table=table, table_position=position, **item.options)
    elif item.kind == "docx":
        render.render_docx(text, item.path, table=table, table_position=position, **item.options)
    elif item.kind == "html":
        title = text.split("\n", 1)[0].strip()
        render.render_html(text, item.path, title=title, **item.options)
    elif item.kind == "txt":
        render.render_text(text, item.path, **item.options)
    else:
        raise ValueError(f"unknown kind {item.kind!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="verify src, gold and spec only; write nothing")
    args = parser.parse_args(argv)

    slugs = [d.slug for d in DOCS_SPEC]
    sources = {p.stem for p in SRC.glob("*.txt")}
    problems = [f"{s}: src text has no spec entry" for s in sorted(sources - set(slugs))]
    problems += [f"{s}: spec entry has no src text" for s in slugs if s not in sources]
    problems += [f"{s}: listed twice" for s in sorted({s for s in slugs if slugs.count(s) > 1})]
    for item in DOCS_SPEC:
        if item.slug in sources:
            problems += spec_problems(item, (SRC / f"{item.slug}.txt").read_text(encoding="utf-8"))
    if problems:
        print("\n".join(problems))
        return 1
    if args.check:
        print(f"{len(DOCS_SPEC)} documents: spec, src and gold agree")
        return 0

    DOCS.mkdir(exist_ok=True)
    for stale in DOCS.iterdir():
        if stale.is_file() and stale.stem in slugs:
            stale.unlink()
    total = 0
    for item in DOCS_SPEC:
        render_doc(item, (SRC / f"{item.slug}.txt").read_text(encoding="utf-8"))
        size = item.path.stat().st_size
        total += size
        print(f"{item.path.relative_to(CORPUS)}  {item.kind:5} {size / 1024:8.1f} KiB")
    print(f"{len(DOCS_SPEC)} files, {total / 1024 / 1024:.2f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
