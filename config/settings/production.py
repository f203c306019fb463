"""Production: secrets required from the environment; HTTPS only, behind a TLS proxy.

The supported setup: a reverse proxy (nginx, Caddy, a load balancer …) terminates TLS and
forwards plain HTTP to gunicorn, setting ``X-Forwarded-Proto: https`` on what it forwards
and overwriting whatever a client sent in that header. gunicorn's port must be reachable by
the proxy only (compose publishes it on 127.0.0.1), or a client could claim HTTPS itself.
With these settings ``manage.py check --deploy`` reports no issues (a test runs it with the
values of ``.env.example``).
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY
from .env import env_bool, env_int, env_str

if (
    not SECRET_KEY
    or SECRET_KEY.startswith(("dev-insecure", "replace-with"))  # the placeholders
    or len(SECRET_KEY) < 32
):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random string of at least 32 characters in production."
    )


def proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """``"X-Forwarded-Proto: https"`` → ``("HTTP_X_FORWARDED_PROTO", "https")``: a request
    carrying that header with that value came to the proxy over HTTPS. Empty: no proxy to
    trust (gunicorn terminates TLS itself)."""
    if not value.strip():
        return None
    name, colon, expected = value.partition(":")
    name, expected = name.strip(), expected.strip()
    if not colon or not name or not expected or " " in name:
        raise ImproperlyConfigured(
            f'SECURE_PROXY_SSL_HEADER must look like "X-Forwarded-Proto: https", got {value!r}'
        )
    return "HTTP_" + name.upper().replace("-", "_"), expected


DEBUG = False
SECURE_PROXY_SSL_HEADER = proxy_ssl_header(
    env_str("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto: https")
)
# Plain HTTP is redirected to HTTPS, except the containers' own health probe (/healthz
# from 127.0.0.1, never through the proxy).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# HSTS: browsers use HTTPS only, for a year, subdomains included. Preloading (a request to
# the browsers' built-in list, hard to take back) is for the domain's owner to decide:
# SECURE_HSTS_PRELOAD=1 adds "preload"; while it is off, check --deploy's reminder of it
# (security.W021) is silenced.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
