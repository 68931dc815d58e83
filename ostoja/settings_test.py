"""Test settings: the production settings with what tests need switched on."""

from __future__ import annotations

import os

os.environ.setdefault("OSTOJA_DEV", "1")
os.environ.setdefault("SECURE_COOKIES", "0")

from ostoja.settings import *  # noqa: F403
from ostoja.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The live server in browser tests serves unhashed static names.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_FAILURE_LIMIT = 5
ACCOUNT_RATE_LIMITS = False  # allauth's cache limits would make login tests order-dependent
OSTOJA_TEST = True
OSTOJA_REPORT_CACHE_SECONDS = 0  # issue 19: analysis pages cache their aggregates; not in tests
