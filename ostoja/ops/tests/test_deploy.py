"""The production processes from the shipped configuration (issue 21 §1, "Must show").

Starts, on loopback ports, exactly what the systemd units start — gunicorn with
``deploy/gunicorn.conf.py``, ``ostoja worker`` — and nginx with ``deploy/nginx/ostoja.conf``
(ports, certificate and paths substituted) over TLS with a throw-away certificate made by
openssl; then drives Debian's chromium through nginx: login, the desk, a case file. The unit
files are checked with ``systemd-analyze verify``.

Skipped when nginx, gunicorn, openssl or chromium is missing (``python3 dev.py test`` installs
nginx-light on Debian as root). Marked ``deploy`` and ``browser``: it runs once, in CI's first
(SQLite) pass, against its own SQLite file — the processes are real, the database is not the
test runner's.
"""

from __future__ import annotations

import concurrent.futures
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = [pytest.mark.deploy, pytest.mark.browser]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _need(*tools: str) -> None:
    for tool in tools:
        if not (shutil.which(tool) or Path(tool).exists()):
            pytest.skip(f"{tool} not installed")


def _get(url: str, timeout: float = 5) -> tuple[int, bytes, dict[str, str]]:
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a: Any, **k: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=ctx))
    try:
        with opener.open(url, timeout=timeout) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


def test_systemd_units_verify(tmp_path: Path) -> None:
    _need("systemd-analyze")
    names = ["ostoja.service", "ostoja-worker.service", "ostoja-backup.service",
             "ostoja-backup.timer"]  # fmt: skip
    for name in names:
        text = (DEPLOY / "systemd" / name).read_text()
        # the paths of a real install, pointed at this checkout (the commands must exist)
        text = text.replace("/opt/ostoja/venv/bin/", f"{BIN}/").replace(
            "/opt/ostoja/app", str(ROOT)
        )
        (tmp_path / name).write_text(text)
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *(str(tmp_path / n) for n in names)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "ostoja" not in result.stderr, result.stderr


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    _need("nginx", "openssl", str(BIN / "gunicorn"))
    tmp = tmp_path_factory.mktemp("deploy")
    web, https, http = _free_port(), _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OSTOJA_", "DJANGO_"))}
    for name in ("DATABASE_URL", "SECURE_COOKIES", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"):
        env.pop(name, None)  # the test runner's own (settings_test sets SECURE_COOKIES=0)
    env.update({
        "DJANGO_SETTINGS_MODULE": "ostoja.settings",
        "SECRET_KEY": "deploy-test-" + "x9Q-" * 16,
        "DATABASE_URL": f"sqlite:///{tmp}/ostoja.sqlite3",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{https}",
        "STATIC_ROOT": str(tmp / "static"),
        "OSTOJA_BIND": f"127.0.0.1:{web}",
        "OSTOJA_WEB_WORKERS": "2",
        "OSTOJA_REQUIRE_ADMIN_MFA": "1",
        "LOG_FORMAT": "json",
        "PYTHONPATH": str(ROOT),
    })  # fmt: skip
    ostoja = [sys.executable, "-m", "ostoja.cli"]
    for args in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"],
                 ["demo", "--no-serve"]):  # fmt: skip
        subprocess.run([*ostoja, *args], cwd=ROOT, env=env, check=True, timeout=600,
                       capture_output=True)  # fmt: skip

    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(tmp / "privkey.pem"), "-out", str(tmp / "fullchain.pem")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    site = (DEPLOY / "nginx" / "ostoja.conf").read_text()
    for old, new in [
        ("listen [::]:80;", ""), ("listen [::]:443 ssl http2;", ""),
        ("listen 80;", f"listen 127.0.0.1:{http};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;"),
        ("127.0.0.1:8000", f"127.0.0.1:{web}"),
        ("/etc/ssl/ostoja/", f"{tmp}/"), ("/var/log/nginx/", f"{tmp}/"),
        ("/var/lib/ostoja/static/", f"{tmp}/static/"),
    ]:  # fmt: skip
        assert old in site, old
        site = site.replace(old, new)
    (tmp / "site.conf").write_text(site)
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp / "nginx.conf").write_text(f"""
{user}
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-main.error.log warn;
daemon off;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
    include {tmp}/site.conf;
}}
""")
    logs = {n: (tmp / f"{n}.log").open("w") for n in ("gunicorn", "worker", "nginx")}
    procs = [
        subprocess.Popen([str(BIN / "gunicorn"), "--config", str(DEPLOY / "gunicorn.conf.py")],
                         cwd=ROOT, env=env, stdout=logs["gunicorn"], stderr=subprocess.STDOUT),
        subprocess.Popen([*ostoja, "worker", "--interval", "1", "--heartbeat", "1"],
                         cwd=ROOT, env=env, stdout=logs["worker"], stderr=subprocess.STDOUT),
        subprocess.Popen(["nginx", "-p", str(tmp), "-c", str(tmp / "nginx.conf"),
                          "-e", str(tmp / "nginx-main.error.log")],
                         env=env, stdout=logs["nginx"], stderr=subprocess.STDOUT),
    ]  # fmt: skip
    base = f"https://127.0.0.1:{https}"
    try:
        deadline = time.monotonic() + 60
        status = 0
        while time.monotonic() < deadline:
            try:
                status, _, _ = _get(f"{base}/healthz/status")
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        assert status == 200, [(tmp / f"{n}.log").read_text()[-2000:] for n in logs]
        yield {"base": base, "http": f"http://127.0.0.1:{http}", "tmp": tmp}
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
        for f in logs.values():
            f.close()


def test_health_over_tls_through_nginx(stack: dict[str, Any]) -> None:
    status, body, headers = _get(f"{stack['base']}/healthz/status")
    assert status == 200
    data = __import__("json").loads(body)
    assert data["status"] == "ok" and data["checks"]["worker"]["ok"]
    assert "max-age=31536000" in headers.get("Strict-Transport-Security", "")


def test_plain_http_redirects_to_https(stack: dict[str, Any]) -> None:
    status, _, headers = _get(f"{stack['http']}/sprawy/")
    assert status == 301
    assert headers["Location"].startswith("https://")


def test_static_files_are_served_by_nginx(stack: dict[str, Any]) -> None:
    css = next((stack["tmp"] / "static").rglob("*.css"))
    rel = css.relative_to(stack["tmp"] / "static")
    status, _, headers = _get(f"{stack['base']}/static/{rel}")
    assert status == 200
    assert "immutable" in headers.get("Cache-Control", "")


def test_browser_login_desk_and_case_file_through_nginx(stack: dict[str, Any]) -> None:
    _need(CHROMIUM)
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    def drive() -> list[str]:
        base = stack["base"]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            context = browser.new_context(ignore_https_errors=True, locale="pl-PL")
            page = context.new_page()
            page.set_default_timeout(20_000)
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(f"{base}/konto/login/")
            page.fill("#id_login", "socjalny")
            page.fill("#id_password", "demo")
            page.click("main button[type=submit]")
            page.wait_for_load_state()
            assert "/konto/login/" not in page.url
            cookies = {c["name"]: c for c in context.cookies()}
            assert cookies["sessionid"]["secure"] and cookies["sessionid"]["httpOnly"]
            page.goto(f"{base}/sprawy/")
            assert page.locator("h1").first.is_visible()
            link = page.locator("a[href^='/sprawy/'][href$='/']").filter(has_text="")
            hrefs = [h for h in link.evaluate_all("els => els.map(e => e.getAttribute('href'))")
                     if h.rstrip("/").split("/")[-1].isdigit()]  # fmt: skip
            assert hrefs, "no case on the desk"
            page.goto(f"{base}{hrefs[0]}")
            assert page.locator("h1").first.is_visible()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(
                path=str(ARTIFACTS / "deploy-case-file-through-nginx.png"), full_page=True
            )
            browser.close()
        return errors

    # Playwright's sync API refuses a thread with a running event loop, and the session's
    # browser fixture (tests/browser) keeps one in the main thread: drive from a fresh one.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        errors = pool.submit(drive).result()
    assert errors == []
    access = (stack["tmp"] / "ostoja.access.log").read_text()
    assert "/sprawy/" in access and "?" not in access
