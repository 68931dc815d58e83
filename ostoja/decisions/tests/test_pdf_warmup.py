"""Issue 19: the served process warms WeasyPrint at start-up, in the background."""

from __future__ import annotations

from ostoja.decisions import documents


def test_warm_up_renders_in_the_background_and_then_pdfs_render_at_once() -> None:
    thread = documents.warm_up_in_background()
    thread.join(timeout=120)
    assert not thread.is_alive()
    assert not documents._WARMING.locked()
    pdf = documents.render_pdf('<html lang="pl"><body><p>Decyzja</p></body></html>')
    assert pdf.startswith(b"%PDF")


def test_wsgi_module_starts_the_warm_up_unless_turned_off(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import importlib
    import sys

    started: list[bool] = []
    monkeypatch.setattr(documents, "warm_up_in_background", lambda: started.append(True))
    monkeypatch.setenv("OSTOJA_PDF_WARMUP", "0")
    sys.modules.pop("ostoja.wsgi", None)
    importlib.import_module("ostoja.wsgi")
    assert started == []
    monkeypatch.setenv("OSTOJA_PDF_WARMUP", "1")
    sys.modules.pop("ostoja.wsgi", None)
    importlib.import_module("ostoja.wsgi")
    assert started == [True]
    sys.modules.pop("ostoja.wsgi", None)
