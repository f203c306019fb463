"""Local development and the embedded demo: DEBUG on, console email."""

import importlib.util
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATA_DIR, STATICFILES_DIRS
from .env import env_bool, env_str

DEBUG = env_bool("DEBUG", True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Static files. `manage.py demo` (so `./yujue demo`) collects them into var/static: hashed
# names and a .gz beside each. While that collection is newer than every source file,
# WhiteNoise serves it as in production: gzip to browsers that accept it, hashed URLs (even
# under DEBUG) marked immutable. Otherwise (CSS/JS edited since, or never collected) it serves
# the sources through the finders, uncompressed and uncached, so edits show at once.
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when missing


def _collected_static_is_current() -> bool:
    manifest = STATIC_ROOT / "staticfiles.json"
    if not manifest.is_file():
        return False
    sources = [f for d in STATICFILES_DIRS for f in Path(d).rglob("*") if f.is_file()]
    plotly = importlib.util.find_spec("plotly")  # located, not imported: settings stay light
    if plotly and plotly.submodule_search_locations:
        sources.append(Path(plotly.submodule_search_locations[0], "package_data", "plotly.min.js"))
    collected_at = manifest.stat().st_mtime
    return all(f.stat().st_mtime <= collected_at for f in sources if f.exists())


WHITENOISE_USE_FINDERS = not _collected_static_is_current()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "config.staticfiles.LocalStaticFilesStorage"},
}
