"""Static files that come from installed packages instead of from this repository.

plotly.js is not committed (4.8 MB): the plotly Python package already ships the matching
``plotly.min.js`` — the one its ``to_html(include_plotlyjs=False)`` output is written for —
and :class:`PlotlyFinder` serves it as ``vendor/plotly.min.js``. Being a finder, it is seen
by ``collectstatic`` (so the file is hashed and compressed with the rest), ``findstatic``,
``runserver``/``live_server`` and WhiteNoise's ``WHITENOISE_USE_FINDERS``.
"""

from __future__ import annotations

import os
from pathlib import Path

import plotly
from django.conf import settings
from django.contrib.staticfiles import utils
from django.contrib.staticfiles.finders import BaseFinder, searched_locations
from django.contrib.staticfiles.storage import StaticFilesStorage
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage

# The same file plotly.offline.get_plotlyjs() reads (pkgutil.get_data("plotly", …)).
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


class PlotlyFinder(BaseFinder):
    """Expose exactly one file, the installed plotly package's ``plotly.min.js``, at
    ``vendor/plotly.min.js``. The rest of ``package_data`` (datasets, widget bundle,
    templates) is not static content and is never listed or found."""

    prefix = "vendor"
    name = "plotly.min.js"
    path = f"{prefix}/{name}"

    def __init__(self, app_names=None, *args, **kwargs):
        self.source = PLOTLY_JS
        # list() hands out (path, storage) pairs; collectstatic and WhiteNoise put the
        # storage's prefix in front of the path, as for a prefixed STATICFILES_DIRS entry.
        self.storage = FileSystemStorage(location=self.source.parent)
        self.storage.prefix = self.prefix
        super().__init__(*args, **kwargs)

    def check(self, **kwargs):
        if self.source.is_file():
            return []
        return [
            Error(
                f"plotly.min.js not found at {self.source}.",
                hint="Reinstall the plotly package (pip install 'plotly>=7.1,<8').",
                id="yujue.E001",
            )
        ]

    def find(self, path, find_all=False):
        """The package's file for ``vendor/plotly.min.js``; nothing for any other path."""
        if str(self.source.parent) not in searched_locations:
            searched_locations.append(str(self.source.parent))
        if os.path.normpath(path).replace(os.sep, "/") != self.path or not self.source.is_file():
            return []
        return [str(self.source)] if find_all else str(self.source)

    def list(self, ignore_patterns):
        """Yield the single file (relative to the storage, whose prefix is ``vendor``)."""
        if not self.source.is_file():
            return
        if ignore_patterns and (
            utils.matches_patterns(self.name, ignore_patterns)
            or utils.matches_patterns(self.path, ignore_patterns)
        ):
            return
        yield self.name, self.storage


class LocalStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """The embedded default's storage. ``collectstatic`` writes hashed, gzipped files as in
    production. While WhiteNoise serves that collection (``WHITENOISE_USE_FINDERS`` off),
    URLs carry the content hash even under DEBUG (Django hashes only with DEBUG off), and
    only a hashed URL lets WhiteNoise mark a file immutable (cached for ten years). While it
    serves the sources through the finders, URLs are plain and no manifest is needed."""

    def url(self, name, force=False):
        if getattr(settings, "WHITENOISE_USE_FINDERS", settings.DEBUG):
            return StaticFilesStorage.url(self, name)
        return super().url(name, force=True)
