"""The plain command functions the ``thanhtra`` CLI wires: users add, gold export, Label Studio export/import."""
from __future__ import annotations

import argparse
import json

from pipeline.review.commands import register_commands
from test_review_fixtures import ket_luan_record, make_database


def parse(argv: list[str]):
    parser = argparse.ArgumentParser(prog="thanhtra")
    register_commands(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


def test_commands_parse_with_safe_defaults():
    args = parse(["review"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)
    assert parse(["gold", "export", "-o", "x"]).include_unfinished is False
    assert parse(["labelstudio", "import", "f.json", "--reviewer", "lan"]).reviewer == "lan"


def test_users_add_then_exports_run(tmp_path, monkeypatch, capsys):
    db = str(tmp_path / "cli.sqlite")
    make_database(f"sqlite:///{db}", [ket_luan_record()], users=()).dispose()
    monkeypatch.setenv("THANHTRA_PASSWORD", "mat-khau-cli-1")
    args = parse(["users", "add", "lan", "--db", db])
    assert args.func(args) == 0 and "user lan added" in capsys.readouterr().out
    assert args.func(args) == 2                                         # the name is taken
    monkeypatch.setenv("THANHTRA_PASSWORD", "short")
    args = parse(["users", "add", "minh", "--db", db])
    assert args.func(args) == 2

    args = parse(["labelstudio", "export", "-o", str(tmp_path / "ls"), "--db", db])
    assert args.func(args) == 0
    tasks = json.loads((tmp_path / "ls" / "tasks.json").read_text(encoding="utf-8"))
    tasks[0]["annotations"] = [{"completed_by": {"email": "lan@example.org"},
                                "result": tasks[0]["predictions"][0]["result"]}]
    (tmp_path / "done.json").write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    args = parse(["labelstudio", "import", str(tmp_path / "done.json"), "--reviewer", "lan", "--db", db])
    assert args.func(args) == 0 and "1 annotations" in capsys.readouterr().out
    args = parse(["gold", "export", "-o", str(tmp_path / "gold"), "--db", db])
    assert args.func(args) == 0 and "1 reviewed documents" in capsys.readouterr().out
    assert len(list((tmp_path / "gold" / "gold").glob("*.json"))) == 1
