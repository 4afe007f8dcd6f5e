"""Steward review of extracted records: the web app (``app.create_app``), accounts (``auth``), the queues
(``queue``), review actions and their audit trail (``actions``, ``audit``), Label Studio interoperability
(``labelstudio``) and gold export (``gold``). ``commands.register_commands`` adds the CLI commands.

Typical use: ``thanhtra users add nguyen.lan`` then ``thanhtra review --db data/thanhtra.sqlite`` and open
http://127.0.0.1:8000/.
"""
