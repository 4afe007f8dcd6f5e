"""The steward review web app (FastAPI): login, queues, the document view with highlights, and review actions.

``create_app("sqlite:///data/thanhtra.sqlite")`` → a FastAPI app; ``serve(url, host="127.0.0.1", port=8000)`` runs
it with uvicorn (``thanhtra review``). Pages are rendered server-side with Jinja autoescaping; the only script is
``static/review.js``, and the Content-Security-Policy ``default-src 'self'`` forbids inline code, so text taken from
a document (``<script>…</script>``, ``onerror=``, ``javascript:`` links) is shown and never runs. Every POST needs
the session's CSRF token (form field ``csrf_token`` or header ``X-CSRF-Token``).
"""
from __future__ import annotations

import secrets
import tempfile
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlencode

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader
from sqlalchemy import select

from pipeline.db import make_engine, upgrade
from pipeline.db.load import DOCUMENTS, FINDINGS, MENTIONS
from pipeline.db.models import MENTION_KINDS
from pipeline.record import DOC_KINDS, OUTCOMES, REMEDIES, VIOLATION_TYPES

from . import actions
from .audit import document_agreement, document_history
from .auth import (SESSION_COOKIE, SESSION_LIFETIME, Steward, authenticate, close_session, csrf_ok, open_session,
                   steward_for_cookie)
from .highlight import Highlight, highlight
from .models import DOCUMENT_REVIEWS
from .pages import page_png
from .queue import STATUSES, QueueFilters, document_queue, finding_queue

HERE = Path(__file__).resolve().parent
LOGIN_CSRF_COOKIE = "thanhtra_login_csrf"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                               "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
_SAFE_METHODS = frozenset(("GET", "HEAD", "OPTIONS"))


class LoginRequired(Exception):
    """Raised by page handlers without a valid session: answered with a redirect to /login."""


def create_app(db_url: str, *, secret: str | bytes | None = None, cache_dir: str | Path | None = None) -> FastAPI:
    """The review app over the database at ``db_url`` (migrated on start). ``secret`` signs session cookies; without
    one a random secret is drawn, so sessions end when the process does."""
    secret_bytes = (secret.encode() if isinstance(secret, str) else secret) or secrets.token_bytes(32)
    writer = make_engine(db_url)
    reader = make_engine(db_url, read_only=True) if isinstance(db_url, str) else writer
    upgrade(writer)
    page_cache = Path(cache_dir) if cache_dir else Path(tempfile.gettempdir()) / "thanhtra-review-pages"
    templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True,
                            lstrip_blocks=True)
    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        writer.dispose()
        reader.dispose()

    app = FastAPI(title="thanhtra review", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.state.writer, app.state.reader = writer, reader

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, _exc: LoginRequired):
        return RedirectResponse("/login?" + urlencode({"next": request.url.path}), status_code=303)

    def render(name: str, steward: Steward | None = None, status_code: int = 200, **context) -> HTMLResponse:
        html = templates.get_template(name).render(steward=steward, **context)
        return HTMLResponse(html, status_code=status_code)

    def current(request: Request) -> Steward | None:
        with reader.connect() as conn:
            return steward_for_cookie(conn, secret_bytes, request.cookies.get(SESSION_COOKIE))

    def page_steward(request: Request) -> Steward:
        steward = current(request)
        if steward is None:
            raise LoginRequired()
        return steward

    async def posted(request: Request) -> tuple[Steward, dict[str, Any]]:
        """The steward behind a POST and its data, after the CSRF check (header for JSON, field for forms)."""
        steward = current(request)
        if steward is None:
            raise HTTPException(401, "log in first")
        if request.headers.get("content-type", "").startswith("application/json"):
            data = await request.json()
            data = data if isinstance(data, dict) else {}
            token = request.headers.get("x-csrf-token")
        else:
            form = await request.form()
            data = {k: (form.getlist(k) if k in ("violation_types", "remedies") else form.get(k)) for k in form}
            token = data.get("csrf_token") or request.headers.get("x-csrf-token")
        if not csrf_ok(steward.csrf_token, token):
            raise HTTPException(403, "missing or wrong CSRF token")
        return steward, data

    @contextmanager
    def change() -> Iterator[Any]:
        try:
            with writer.begin() as conn:
                yield conn
        except actions.ReviewError as exc:
            raise HTTPException(400, str(exc)) from None

    def back_to(document_id: int, anchor: str = "") -> RedirectResponse:
        return RedirectResponse(f"/documents/{document_id}{anchor}", status_code=303)

    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, next: str = "/queue"):
        token = secrets.token_urlsafe(24)
        response = render("login.html.j2", csrf_token=token, next=_local(next), error=None)
        response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="lax", max_age=3600,
                            secure=request.url.scheme == "https")
        return response

    @app.post("/login")
    async def login(request: Request):
        form = await request.form()
        next_url = _local(str(form.get("next") or "/queue"))
        if not csrf_ok(request.cookies.get(LOGIN_CSRF_COOKIE), str(form.get("csrf_token") or "")):
            raise HTTPException(403, "missing or wrong CSRF token")
        with writer.begin() as conn:
            user_id = authenticate(conn, str(form.get("username") or ""), str(form.get("password") or ""))
            cookie = open_session(conn, secret_bytes, user_id) if user_id is not None else None
        if cookie is None:
            token = request.cookies.get(LOGIN_CSRF_COOKIE)
            return render("login.html.j2", csrf_token=token, next=next_url, status_code=401,
                          error="Sai tên đăng nhập hoặc mật khẩu / wrong username or password")
        response = RedirectResponse(next_url, status_code=303)
        response.set_cookie(SESSION_COOKIE, cookie, httponly=True, samesite="lax",
                            max_age=int(SESSION_LIFETIME.total_seconds()), secure=request.url.scheme == "https")
        response.delete_cookie(LOGIN_CSRF_COOKIE)
        return response

    @app.post("/logout")
    async def logout(request: Request):
        await posted(request)
        with writer.begin() as conn:
            close_session(conn, secret_bytes, request.cookies.get(SESSION_COOKIE))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    @app.get("/")
    def home():
        return RedirectResponse("/queue", status_code=303)

    @app.get("/queue", response_class=HTMLResponse)
    def queue(request: Request, tab: str = "documents", page: int = 1, violation_type: str = "", unit: str = "",
              date_from: str = "", date_to: str = "", doc_kind: str = "", status: str = "", reviewer: str = ""):
        steward = page_steward(request)
        filters = QueueFilters(violation_type=violation_type or None, unit=unit or None,
                               date_from=date_from or None, date_to=date_to or None, doc_kind=doc_kind or None,
                               status=status if status in STATUSES else None, reviewer=reviewer or None)
        tab = "findings" if tab == "findings" else "documents"
        with reader.connect() as conn:
            result = (finding_queue if tab == "findings" else document_queue)(conn, filters, page=max(page, 1))
        params = filters.as_params() | {"tab": tab}
        return render("queue.html.j2", steward, tab=tab, result=result, filters=filters, params=params,
                      page_url=lambda n: "/queue?" + urlencode(params | {"page": n}),
                      tab_url=lambda t: "/queue?" + urlencode(filters.as_params() | {"tab": t}),
                      violation_types=VIOLATION_TYPES, doc_kinds=DOC_KINDS, statuses=STATUSES)

    @app.get("/documents/{document_id}", response_class=HTMLResponse)
    def document_view(request: Request, document_id: int):
        steward = page_steward(request)
        with reader.connect() as conn:
            doc = conn.execute(select(DOCUMENTS).where(DOCUMENTS.c.id == document_id)).first()
            if doc is None:
                raise HTTPException(404, "no such document")
            mentions = conn.execute(select(MENTIONS).where(MENTIONS.c.document_id == document_id)
                                    .order_by(MENTIONS.c.start, MENTIONS.c.end)).all()
            findings = conn.execute(select(FINDINGS).where(FINDINGS.c.document_id == document_id)
                                    .order_by(FINDINGS.c.start)).all()
            labels = actions.finding_labels(conn, [f.id for f in findings])
            doc_labels = actions.document_labels(conn, document_id)
            history = document_history(conn, document_id)
            agreement = document_agreement(conn, document_id)
            review = conn.execute(select(DOCUMENT_REVIEWS).where(DOCUMENT_REVIEWS.c.document_id == document_id)).first()
        spans = [Highlight(m.start, m.end, m.kind, f"m{m.id}", m.review_status) for m in mentions]
        spans += [Highlight(f.start, f.end, "finding", f"f{f.id}", f.review_status) for f in findings]
        body = highlight(doc.text or "", spans)
        pages = list(range(doc.pages or 0)) if (doc.format or "").lower() == "pdf" else []
        return render("document.html.j2", steward, doc=doc, body=body, mentions=mentions, findings=findings,
                      labels=labels, doc_labels=doc_labels, history=history, agreement=agreement, review=review,
                      pages=pages, mention_kinds=MENTION_KINDS, outcomes=OUTCOMES, violation_types=VIOLATION_TYPES,
                      remedies=REMEDIES)

    @app.get("/documents/{document_id}/pages/{page}.png")
    def page_image(request: Request, document_id: int, page: int):
        page_steward(request)
        with reader.connect() as conn:
            doc = conn.execute(select(DOCUMENTS.c.path, DOCUMENTS.c.sha256, DOCUMENTS.c.format)
                               .where(DOCUMENTS.c.id == document_id)).first()
        if doc is None or (doc.format or "").lower() != "pdf":
            raise HTTPException(404, "no PDF for this document")
        png = page_png(Path(doc.path), doc.sha256, page, page_cache)
        if png is None:
            raise HTTPException(404, "page not available")
        return FileResponse(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})

    @app.get("/documents/{document_id}/audit")
    def audit_json(request: Request, document_id: int):
        page_steward(request)
        with reader.connect() as conn:
            history = document_history(conn, document_id)
        return JSONResponse([h | {"at": h["at"].isoformat()} for h in history])

    @app.post("/api/mentions/{mention_id}")
    async def judge_mention(request: Request, mention_id: int):
        steward, data = await posted(request)
        with change() as conn:
            state = actions.judge_mention(conn, steward.id, mention_id, str(data.get("action") or ""),
                                          kind=data.get("kind") or None, value=data.get("value"))
        return JSONResponse(state)

    @app.post("/api/documents/{document_id}/mentions")
    async def add_mention(request: Request, document_id: int):
        steward, data = await posted(request)
        try:
            start, end = int(data.get("start")), int(data.get("end"))
        except (TypeError, ValueError):
            raise HTTPException(400, "start and end must be integers") from None
        with change() as conn:
            state = actions.add_mention(conn, steward.id, document_id, str(data.get("kind") or ""), start, end,
                                        data.get("value"))
        return JSONResponse(state)

    @app.post("/documents/{document_id}/findings/{finding_id}")
    async def finding_form(request: Request, document_id: int, finding_id: int):
        steward, data = await posted(request)
        action = str(data.get("action") or "edit")
        with change() as conn:
            actions.edit_finding(conn, steward.id, finding_id, action, outcome=data.get("outcome") or None,
                                 violation_types=data.get("violation_types") or [],
                                 remedies=data.get("remedies") or [])
        return back_to(document_id, f"#f{finding_id}")

    @app.post("/documents/{document_id}/labels")
    async def labels_form(request: Request, document_id: int):
        steward, data = await posted(request)
        with change() as conn:
            actions.edit_document_labels(conn, steward.id, document_id, outcome=str(data.get("outcome") or "none"),
                                         violation_types=data.get("violation_types") or [],
                                         remedies=data.get("remedies") or [])
        return back_to(document_id, "#labels")

    @app.post("/documents/{document_id}/done")
    async def done_form(request: Request, document_id: int):
        steward, _data = await posted(request)
        with change() as conn:
            actions.finish_document(conn, steward.id, document_id)
        return RedirectResponse("/queue?status=unreviewed", status_code=303)

    return app


def _local(url: str) -> str:
    """Only same-site paths are followed after login ("//evil.example" and "https://…" become "/queue")."""
    return url if url.startswith("/") and not url.startswith("//") and "\\" not in url else "/queue"


def serve(db_url: str, host: str = "127.0.0.1", port: int = 8000, secret: str | None = None) -> None:
    """Run the app with uvicorn (``thanhtra review --db data/t.sqlite --port 8000``); binds loopback by default."""
    import uvicorn

    uvicorn.run(create_app(db_url, secret=secret), host=host, port=port, log_level="info")
