"""Structured logs carry no PESEL, names or note text (issue 21 §1, art. 5 ust. 1 lit. c RODO)."""

from __future__ import annotations

import io
import json
import logging

from ostoja.ops.logs import JsonFormatter, PersonalDataFilter, mask_text


def _log(msg: str, *args: object, exc: BaseException | None = None) -> dict[str, object]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(PersonalDataFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("ostoja.test.logs")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    if exc is not None:
        try:
            raise exc
        except BaseException:
            logger.exception(msg, *args)
    else:
        logger.info(msg, *args)
    return json.loads(stream.getvalue())


def test_pesel_in_the_message_is_masked() -> None:
    line = _log("przetworzono osobę 44051401359")
    assert "44051401359" not in json.dumps(line)
    assert line["message"] == "przetworzono osobę […]"


def test_name_and_note_passed_as_arguments_are_masked() -> None:
    line = _log("notatka %s o %s", "Rodzina ma długi, ojciec pije", "Jan Kowalski")
    text = json.dumps(line, ensure_ascii=False)
    assert "Kowalski" not in text and "pije" not in text
    assert line["message"] == "notatka […] o […]"


def test_objects_are_masked_since_their_str_may_be_a_name() -> None:
    class Person:
        def __str__(self) -> str:
            return "Anna Nowak"

    assert "Nowak" not in json.dumps(_log("osoba %s", Person()), ensure_ascii=False)


def test_technical_arguments_stay() -> None:
    line = _log('"%s %s %s" %s', "GET", "/osoby/12/", "HTTP/1.1", 200)
    assert line["message"] == '"GET /osoby/12/ HTTP/1.1" 200'


def test_query_string_account_email_and_phone_are_masked() -> None:
    text = mask_text(
        "GET /szukaj/?q=Kowalski konto 61 1090 1014 0000 0712 1981 2874 "
        "jan@example.pl tel. 600 123 456"
    )
    for secret in ("Kowalski", "1981", "jan@", "123 456"):
        assert secret not in text


def test_exception_message_is_dropped_but_class_and_stack_kept() -> None:
    line = _log("błąd zapisu", exc=ValueError("Key (pesel)=(44051401359) Jan Kowalski"))
    text = json.dumps(line, ensure_ascii=False)
    assert line["exception"] == "ValueError"
    assert line["stack"] and "test_logs.py" in line["stack"][0]
    assert "44051401359" not in text and "Kowalski" not in text


def test_production_settings_wire_the_filter() -> None:
    from django.conf import settings

    # the test settings run in development mode (text logs); production builds the same dict
    assert "no_query" in settings.LOGGING["filters"]
