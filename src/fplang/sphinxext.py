"""Sphinx extension serving the book's charts' JavaScript from the book itself.

Charts made by :func:`fplang.charts.show` call ``vegaEmbed``.  Altair's usual
renderer would load Vega, Vega-Lite and vega-embed from a CDN, which draws
nothing offline; instead this extension writes one self-contained bundle of the
three (built by ``vl_convert.javascript_bundle``, for the Vega-Lite version
Altair targets) to ``<html output>/_static/fplang-vega.js`` and adds it, with
``defer``, to every HTML page.  The file is generated at build time and never
committed.

Enable it in ``_config.yml``::

    sphinx:
      extra_extensions:
        - fplang.sphinxext

Non-HTML builders (LaTeX) are left alone: they use the charts' PNG output.

It also guards the offline promise: every HTML page whose ``<head>`` would load
a script or stylesheet from the network (MathJax from a CDN on pages with math,
sphinx-thebe's ``THEBE_JS_URL``, require.js for ipywidgets...) raises a warning
``[fplang.external_asset]`` naming the asset, once per asset, so a ``-W`` build
fails until the configuration removes it.
"""

from __future__ import annotations

import os
import re
from functools import partial
from pathlib import Path
from typing import Any

import vl_convert
from sphinx.application import Sphinx
from sphinx.util import logging

from fplang.charts import vega_lite_version
from fplang.io import write_bytes

BUNDLE_FILENAME = "fplang-vega.js"
"""Name of the generated bundle inside the HTML output's ``_static`` folder."""

_EXTERNAL_ADDRESS = re.compile(r"(?:https?:)?//[^\s\"'<>;)]+", re.IGNORECASE)

_LOGGER = logging.getLogger(__name__)


def setup(app: Sphinx) -> dict[str, Any]:
    """Sphinx entry point: install the bundle when an HTML builder starts."""
    app.connect("builder-inited", install_vega_bundle)
    # Late priority, so assets other handlers add for this page (MathJax) are seen.
    app.connect("html-page-context", partial(warn_external_assets, reported=set()), priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


def install_vega_bundle(app: Sphinx) -> None:
    """Write the bundle into ``_static`` and add its ``<script defer>`` to every page.

    Runs at ``builder-inited``, before any page is written, so Sphinx's
    ``?v=<checksum>`` on the script address is that of the file actually
    served, on the first build as on later ones.
    """
    if app.builder is None or app.builder.format != "html":
        return
    write_vega_bundle(Path(app.outdir) / "_static" / BUNDLE_FILENAME)
    app.add_js_file(BUNDLE_FILENAME, loading_method="defer")


def write_vega_bundle(path: Path) -> Path:
    """Write :func:`vega_bundle_source` to ``path`` (atomically; untouched if unchanged).

    The file is made world-readable (``0o644``): a web server serving the book
    under another user must be able to read it.
    """
    payload = vega_bundle_source().encode("utf-8")
    if not (path.is_file() and path.read_bytes() == payload):
        write_bytes(path, payload)
    path.chmod(0o644)
    return path


def vega_bundle_source() -> str:
    """JavaScript defining ``window.vegaEmbed``, ``window.vega`` and ``window.vegaLite``.

    vl-convert's bundle declares its helpers at the top level; wrapping it in a
    function keeps those names out of the page's global scope (where they
    could clash with a theme's scripts) while its explicit ``window.*``
    assignments still publish the three libraries.  It stays a classic script
    rather than an ES module because module scripts are refused on
    ``file://`` pages, and the book must work opened from disk.
    """
    version = vega_lite_version()
    header = (
        f"/* Vega {vl_convert.get_vega_version()}, Vega-Lite {version}, "
        f"vega-embed {vl_convert.get_vega_embed_version()}: bundled by "
        f"vl-convert-python {vl_convert.__version__} for fplang.sphinxext. "
        "Generated; do not edit. */\n"
    )
    bundle = vl_convert.javascript_bundle(vl_version=version)
    return f"{header}(function () {{\n{bundle}\n}})();\n"


def warn_external_assets(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: Any,
    *,
    reported: set[str],
) -> None:
    """Warn (once per asset) when ``pagename`` would load a script or stylesheet from the network.

    Looks at the page's ``script_files`` (address and inline body) and
    ``css_files``.  ``reported`` holds the assets already warned about in this
    build.
    """
    for asset in [*context.get("script_files", []), *context.get("css_files", [])]:
        address = external_address(asset)
        if address is None or address in reported:
            continue
        reported.add(address)
        _LOGGER.warning(
            "page %r loads %s from the network, but the book must work offline; "
            "remove it in _config.yml (see the fplang.sphinxext docstring) "
            "[fplang.external_asset]",
            pagename,
            address,
            type="fplang",
            subtype="external_asset",
        )


def external_address(asset: Any) -> str | None:
    """The external (``http(s)://`` or ``//``) address an HTML asset refers to, if any.

    ``asset`` is a Sphinx ``_JavaScript``/``_CascadingStyleSheet`` (or a plain
    file name); its file name and any inline ``body`` are searched.
    """
    filename = os.fspath(getattr(asset, "filename", asset) or "")
    attributes = getattr(asset, "attributes", {}) or {}
    for text in (filename, str(attributes.get("body") or "")):
        match = _EXTERNAL_ADDRESS.search(text)
        if match:
            return match.group()
    return None
