"""gunicorn configuration for Ostoja (started by deploy/systemd/ostoja.service).

Everything comes from the environment file (/etc/ostoja/ostoja.env): OSTOJA_BIND,
OSTOJA_WEB_WORKERS. The access log keeps the path only (``%(U)s``), never the query string —
a search for a surname must not reach a log file.
"""

import multiprocessing
import os

bind = os.environ.get("OSTOJA_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("OSTOJA_WEB_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9)))
worker_class = "sync"
threads = 1
timeout = int(os.environ.get("OSTOJA_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # recycle workers: bounds slow leaks in long-running processes
max_requests_jitter = 200
# nginx on the same host terminates TLS and sets X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("OSTOJA_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
preload_app = False
wsgi_app = "ostoja.wsgi:application"
