"""The web container's health probe (docker-compose.yml): ``python -m config.healthcheck``.

GETs ``/healthz`` from gunicorn on this host and exits 0 when it answers 200, 1 otherwise
(printing the answer: which check failed). It sends the first entry of ``ALLOWED_HOSTS`` as
the Host, since 127.0.0.1 need not be an allowed host; production settings exempt
``/healthz`` from the redirect to HTTPS, as the probe never passes through the TLS proxy.
No Django import: it is quick, and measures the server, not a second copy of the app.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

DEFAULT_URL = "http://127.0.0.1:8000/healthz"


def allowed_host() -> str:
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    return next((h.lstrip(".") for h in hosts if h != "*"), "localhost")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    url = args[0] if args else DEFAULT_URL
    request = urllib.request.Request(url, headers={"Host": allowed_host(), "Accept": "text/plain"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            print(response.read().decode("utf-8", "replace"), end="")
            return 0 if response.status == 200 else 1
    except urllib.error.HTTPError as error:  # 500: a check failed, and which one
        print(error.read().decode("utf-8", "replace"), end="")
        return 1
    except OSError as error:
        print(f"{url} unreachable: {error}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
