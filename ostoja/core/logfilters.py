"""Logs keep no query strings: a URL's ``?…`` may carry a PESEL or a surname.

Ostoja's own pages and API post search text in the body, but a client (an old bookmark, an
integration) may still put it in a URL; the development server's request log
(``django.server``) and anything else that logs a request line would then write it to disk.
The filter cuts every ``?query`` from the message and its arguments.
"""

from __future__ import annotations

import logging
import re

_QUERY = re.compile(r"\?[^\s\"']*")
MASK = "?[…]"


def strip_query(text: str) -> str:
    return _QUERY.sub(MASK, text)


class StripQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = strip_query(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(strip_query(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                k: strip_query(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        return True
