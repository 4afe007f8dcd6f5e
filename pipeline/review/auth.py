"""Stewards' accounts and login sessions: scrypt password hashes, signed session cookies, CSRF tokens.

``add_user("sqlite:///data/thanhtra.sqlite", "nguyen.lan", "mật-khẩu-dài")`` → ``1`` (the new user's id); the
password is stored only as ``scrypt$16384$8$1$<salt>$<hash>``. A login creates a ``review_sessions`` row keyed by
the SHA-256 of a random token; the cookie carries ``token.signature`` (HMAC-SHA256 with the app secret), so a
forged or truncated cookie is refused before the database is asked.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from pipeline.db import make_engine, upgrade

from .models import SESSIONS, USERS

SESSION_COOKIE = "thanhtra_session"
SESSION_LIFETIME = dt.timedelta(hours=12)
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2 ** 14, 8, 1
_MIN_PASSWORD = 8


@dataclass(frozen=True, slots=True)
class Steward:
    id: int
    username: str
    csrf_token: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """A salted scrypt hash: ``hash_password("Thanh-tra-2024")`` → ``"scrypt$16384$8$1$5kq…$Xq0…"``."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32)
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """Does ``password`` match a ``hash_password`` string? ``verify_password("Thanh-tra-2024", h)`` → ``True``."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = _unb64(digest)
        actual = hashlib.scrypt(password.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p),
                                dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def add_user(db: Engine | str, username: str, password: str) -> int:
    """Create a steward (the schema is migrated first): ``add_user(url, "tran.minh", "Kiểm-tra-2025")`` → ``2``.

    Raises ValueError for a short password or a name already taken."""
    username = username.strip()
    if not username or len(username) > 64:
        raise ValueError("username must be 1–64 characters")
    if len(password) < _MIN_PASSWORD:
        raise ValueError(f"password must have at least {_MIN_PASSWORD} characters")
    engine = make_engine(db)
    try:
        upgrade(engine)
        with engine.begin() as conn:
            return conn.execute(insert(USERS).values(username=username, password_hash=hash_password(password),
                                                     active=True, created_at=_now())
                                .returning(USERS.c.id)).scalar_one()
    except IntegrityError:
        raise ValueError(f"user {username!r} exists already") from None
    finally:
        if engine is not db:
            engine.dispose()


def set_password(db: Engine | str, username: str, password: str) -> None:
    """Replace a steward's password and end their sessions: ``set_password(url, "tran.minh", "Mật-khẩu-mới-1")``."""
    if len(password) < _MIN_PASSWORD:
        raise ValueError(f"password must have at least {_MIN_PASSWORD} characters")
    engine = make_engine(db)
    try:
        with engine.begin() as conn:
            user_id = conn.execute(select(USERS.c.id).where(USERS.c.username == username)).scalar()
            if user_id is None:
                raise ValueError(f"no user {username!r}")
            conn.execute(update(USERS).where(USERS.c.id == user_id).values(password_hash=hash_password(password)))
            conn.execute(delete(SESSIONS).where(SESSIONS.c.user_id == user_id))
    finally:
        if engine is not db:
            engine.dispose()


def authenticate(conn, username: str, password: str) -> int | None:
    """The id of an active steward whose password matches, else None (the hash runs either way, against timing)."""
    row = conn.execute(select(USERS.c.id, USERS.c.password_hash)
                       .where(USERS.c.username == username.strip(), USERS.c.active)).first()
    if row is None:
        verify_password(password, hash_password("not-a-user-password", salt=b"\0" * 16))
        return None
    return row.id if verify_password(password, row.password_hash) else None


def _sign(secret: bytes, token: str) -> str:
    return _b64(hmac.new(secret, token.encode(), hashlib.sha256).digest())


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(conn, secret: bytes, user_id: int) -> str:
    """Start a session for ``user_id`` and return the cookie value ``"<token>.<signature>"``."""
    token = secrets.token_urlsafe(32)
    now = _now()
    conn.execute(delete(SESSIONS).where(SESSIONS.c.expires_at < now))
    conn.execute(insert(SESSIONS).values(token_hash=_token_hash(token), user_id=user_id,
                                         csrf_token=secrets.token_urlsafe(32), created_at=now,
                                         expires_at=now + SESSION_LIFETIME))
    return f"{token}.{_sign(secret, token)}"


def _token_of(secret: bytes, cookie: str | None) -> str | None:
    if not cookie or "." not in cookie:
        return None
    token, signature = cookie.rsplit(".", 1)
    return token if hmac.compare_digest(signature, _sign(secret, token)) else None


def steward_for_cookie(conn, secret: bytes, cookie: str | None) -> Steward | None:
    """The logged-in steward of a session cookie, or None when it is missing, forged or expired."""
    token = _token_of(secret, cookie)
    if token is None:
        return None
    row = conn.execute(select(USERS.c.id, USERS.c.username, SESSIONS.c.csrf_token)
                       .join(SESSIONS, SESSIONS.c.user_id == USERS.c.id)
                       .where(SESSIONS.c.token_hash == _token_hash(token), SESSIONS.c.expires_at > _now(),
                              USERS.c.active)).first()
    return Steward(row.id, row.username, row.csrf_token) if row else None


def close_session(conn, secret: bytes, cookie: str | None) -> None:
    """Log out: forget the session behind ``cookie`` (a forged cookie forgets nothing)."""
    token = _token_of(secret, cookie)
    if token is not None:
        conn.execute(delete(SESSIONS).where(SESSIONS.c.token_hash == _token_hash(token)))


def csrf_ok(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison of the session's CSRF token with the one a form or header sent."""
    return bool(expected) and bool(given) and hmac.compare_digest(expected.encode(), given.encode())
