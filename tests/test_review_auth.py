"""Accounts and request safety of the review app: password hashing, sessions, CSRF, security headers."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from pipeline.review.app import _local, create_app
from pipeline.review.auth import add_user, hash_password, set_password, verify_password
from pipeline.review.models import USERS
from test_review_fixtures import ket_luan_record, make_database


@pytest.fixture
def url(tmp_path):
    url = f"sqlite:///{tmp_path}/auth.sqlite"
    make_database(url, [ket_luan_record()]).dispose()
    return url


@pytest.fixture
def client(url):
    with TestClient(create_app(url, secret="test-secret")) as client:
        yield client


def login(client: TestClient, user: str = "lan", password: str = "mat-khau-lan-1"):
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    return client.post("/login", data={"username": user, "password": password, "csrf_token": token},
                       follow_redirects=False)


def csrf_of(client: TestClient) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get("/documents/1").text).group(1)


def test_password_hash_is_salted_scrypt_and_verifies():
    first, second = hash_password("Thanh-tra-2024"), hash_password("Thanh-tra-2024")
    assert first.startswith("scrypt$") and first != second          # a fresh salt each time
    assert "Thanh-tra-2024" not in first
    assert verify_password("Thanh-tra-2024", first) and verify_password("Thanh-tra-2024", second)
    assert not verify_password("thanh-tra-2024", first)
    assert not verify_password("Thanh-tra-2024", "plain-text-password")
    assert not verify_password("x", "pbkdf2$1$2$3$4$5")


def test_users_table_holds_no_plaintext_and_rejects_duplicates(url):
    with pytest.raises(ValueError):
        add_user(url, "lan", "another-password")
    with pytest.raises(ValueError):
        add_user(url, "short", "1234")
    from pipeline.db import make_engine
    engine = make_engine(url)
    with engine.connect() as conn:
        hashes = dict(conn.execute(select(USERS.c.username, USERS.c.password_hash)).all())
    engine.dispose()
    assert set(hashes) == {"lan", "minh"}
    assert all(h.startswith("scrypt$") and "mat-khau" not in h for h in hashes.values())


def test_login_sets_a_signed_httponly_lax_cookie_and_wrong_password_fails(client):
    bad = login(client, password="wrong-password")
    assert bad.status_code == 401 and "thanhtra_session" not in bad.headers.get("set-cookie", "")
    good = login(client)
    assert good.status_code == 303 and good.headers["location"] == "/queue"
    cookie = good.headers["set-cookie"]
    assert "thanhtra_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    value = re.search(r"thanhtra_session=([^;]+)", cookie).group(1)
    assert "." in value                                                 # token.signature
    assert client.get("/queue").status_code == 200


def test_pages_need_a_session_and_a_forged_cookie_is_refused(client):
    response = client.get("/documents/1", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    login(client)
    real = client.cookies.get("thanhtra_session")
    token, signature = real.rsplit(".", 1)
    client.cookies.clear()
    client.cookies.set("thanhtra_session", f"{token}.{signature[:-2]}AA")
    assert client.get("/queue", follow_redirects=False).status_code == 303
    client.cookies.clear()
    client.cookies.set("thanhtra_session", real)
    assert client.get("/queue", follow_redirects=False).status_code == 200


def test_every_post_needs_the_csrf_token(client):
    login(client)
    csrf = csrf_of(client)
    assert client.post("/api/mentions/1", json={"action": "reject"}).status_code == 403
    assert client.post("/api/mentions/1", json={"action": "reject"},
                       headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert client.post("/documents/1/done", data={}, follow_redirects=False).status_code == 403
    assert client.post("/documents/1/labels", data={"csrf_token": "nope", "outcome": "none"}).status_code == 403
    assert client.post("/api/documents/1/mentions", json={"kind": "unit", "start": 0, "end": 4}).status_code == 403
    assert client.post("/logout", data={}).status_code == 403
    # Nothing above changed anything; with the token the same request works.
    ok = client.post("/api/mentions/1", json={"action": "reject"}, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 200 and ok.json()["status"] == "rejected"


def test_login_itself_needs_the_form_token(client):
    client.get("/login")
    response = client.post("/login", data={"username": "lan", "password": "mat-khau-lan-1", "csrf_token": "x"},
                           follow_redirects=False)
    assert response.status_code == 403


def test_logout_ends_the_session_server_side(client):
    login(client)
    cookie = client.cookies.get("thanhtra_session")
    csrf = csrf_of(client)
    assert client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    client.cookies.clear()
    client.cookies.set("thanhtra_session", cookie)                     # a stolen copy of the old cookie
    assert client.get("/queue", follow_redirects=False).status_code == 303


def test_changing_a_password_ends_sessions(client, url):
    login(client)
    set_password(url, "lan", "mat-khau-moi-22")
    assert client.get("/queue", follow_redirects=False).status_code == 303
    assert login(client, password="mat-khau-moi-22").status_code == 303


def test_security_headers_and_no_open_redirect(client):
    response = client.get("/login")
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert response.headers["x-frame-options"] == "DENY" and response.headers["x-content-type-options"] == "nosniff"
    assert _local("//evil.example/x") == "/queue" and _local("https://evil.example") == "/queue"
    assert _local("/documents/3") == "/documents/3"


def test_document_page_shows_agreement_and_audit_of_two_stewards(client):
    for user, password, action in (("lan", "mat-khau-lan-1", "accept"), ("minh", "mat-khau-minh-1", "reject")):
        client.cookies.clear()
        login(client, user, password)
        csrf = csrf_of(client)
        assert client.post("/api/mentions/1", json={"action": action}, headers={"X-CSRF-Token": csrf}).status_code == 200
    page = client.get("/documents/1").text
    assert "Agreement (Cohen" in page and "lan ↔ minh" in page
    assert page.count('<li><time>') == 2
