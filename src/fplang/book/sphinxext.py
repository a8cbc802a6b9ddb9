"""Sphinx extension serving the book's charts' JavaScript from the book itself.

Charts made by :func:`fplang.book.charts.show` call ``vegaEmbed``.  Altair's usual
renderer would load Vega, Vega-Lite and vega-embed from a CDN, which draws
nothing offline; instead this extension writes one self-contained bundle of the
three (built by ``vl_convert.javascript_bundle``, for the Vega-Lite version
Altair targets) to ``<html output>/_static/fplang-vega.js`` and adds it, with
``defer``, to every HTML page.  The file is generated at build time and never
committed.

Enable it in ``_config.yml``::

    sphinx:
      extra_extensions:
        - fplang.book.sphinxext

Non-HTML builders (LaTeX) are left alone: they use the charts' PNG output.

It also guards the offline promise: every HTML page whose ``<head>`` would load
a script or stylesheet from the network (MathJax from a CDN on pages with math,
sphinx-thebe's ``THEBE_JS_URL``, require.js for ipywidgets...) raises a warning
``[fplang.external_asset]`` naming the asset, once per asset, so a ``-W`` build
fails until the configuration removes it.

Three reader features come from here as well:

* the ``fplang-pdf`` directive links the PDF edition from the HTML book when
  one has been built beside it (``<build>/latex/fplang-book.pdf``, by
  ``make pdf``), copying it into the HTML output; otherwise it says how to
  build it, so the HTML never carries a dead link;
* the ``fplang-glossary`` directive sets a glossary table (``data/glossary.csv``:
  term, english, meaning, first_used, source, source_url) as a definition list,
  one entry per term.  Six columns of sentences and web addresses cannot fit the
  text column as a table, on screen or on paper; a list reads at any width;
* launch buttons (Binder, Colab) need the public repository's address, which
  the book cannot know; ``FPLANG_REPOSITORY_URL`` (and optionally
  ``FPLANG_REPOSITORY_BRANCH``) in the environment supply it at build time,
  and the buttons configured as ``fplang_launch_buttons`` in ``_config.yml``
  appear on every chapter.  Without an address there are none (the theme
  cannot draw them, and Jupyter Book's default address is its own repository).
"""

from __future__ import annotations

import csv
import os
import re
from functools import partial
from importlib.metadata import version as version_of
from pathlib import Path
from typing import Any

import vl_convert
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from fplang.book.charts import vega_lite_version
from fplang.files import write_bytes

PDF_FILENAME = "fplang-book.pdf"
"""The PDF edition's file name (``latex_documents``' target, as ``_config.yml`` sets it)."""

BUNDLE_FILENAME = "fplang-vega.js"
"""Name of the generated bundle inside the HTML output's ``_static`` folder."""

_EXTERNAL_ADDRESS = re.compile(r"(?:https?:)?//[^\s\"'<>;)]+", re.IGNORECASE)

_LOGGER = logging.getLogger(__name__)


def setup(app: Sphinx) -> dict[str, Any]:
    """Sphinx entry point: install the bundle when an HTML builder starts."""
    app.connect("builder-inited", install_vega_bundle)
    # Late priority, so assets other handlers add for this page (MathJax) are seen.
    app.connect("html-page-context", partial(warn_external_assets, reported=set()), priority=900)
    app.add_config_value("fplang_launch_buttons", {}, "html", types=[dict])
    app.connect("config-inited", set_repository_from_environment)
    app.add_directive("fplang-pdf", PdfLinkDirective)
    app.add_directive("fplang-glossary", GlossaryDirective)
    app.connect("env-get-outdated", reread_pdf_pages)
    app.connect("env-purge-doc", forget_pdf_page)
    app.connect("env-merge-info", merge_pdf_pages)
    app.connect("build-finished", copy_pdf_into_html)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


# --- the repository, for launch buttons -------------------------------------


def set_repository_from_environment(app: Sphinx, config: Config) -> None:
    """Give the theme the repository address from ``FPLANG_REPOSITORY_URL``, if set.

    ``_config.yml`` configures the Binder and Colab buttons, but the theme
    draws them only for a known repository; the address is not in the
    repository itself, so whoever publishes the book passes it at build time
    (``make book REPOSITORY_URL=https://github.com/owner/name``).
    """
    url = os.environ.get("FPLANG_REPOSITORY_URL", "").strip().rstrip("/")
    if not url:
        return
    options = dict(config.html_theme_options or {})
    options["repository_url"] = url
    options["repository_branch"] = os.environ.get("FPLANG_REPOSITORY_BRANCH", "").strip() or "main"
    options["path_to_docs"] = ""
    options["use_repository_button"] = True
    options["launch_buttons"] = {**options.get("launch_buttons", {}), **config.fplang_launch_buttons}
    config.html_theme_options = options


# --- the PDF edition, linked from the HTML ----------------------------------


def built_pdf(app: Sphinx) -> Path | None:
    """The PDF edition built beside this build's output (``<build>/latex/``), if there is one."""
    candidate = Path(app.outdir).parent / "latex" / PDF_FILENAME
    return candidate if candidate.is_file() else None


class PdfLinkDirective(SphinxDirective):
    """A paragraph linking the PDF edition (HTML only), or saying how to build it."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        pages: set[str] = getattr(self.env, "fplang_pdf_pages", set())
        pages.add(self.env.docname)
        self.env.fplang_pdf_pages = pages  # type: ignore[attr-defined]
        if self.env.app.builder.format != "html":
            return []
        if built_pdf(self.env.app) is None:
            text = "The same book is available as a PDF once built with make pdf (see Reproducing this book)."
            return [nodes.paragraph(text, text)]
        depth = self.env.docname.count("/")
        href = "../" * depth + PDF_FILENAME
        link = f'<p><a class="reference download external" href="{href}" download>Download this book as a PDF</a></p>'
        return [nodes.raw("", link, format="html")]


GLOSSARY_COLUMNS = ("term", "english", "meaning", "first_used", "source", "source_url")
"""The columns of the glossary table, as ``data/glossary.csv`` has them."""


class GlossaryDirective(SphinxDirective):
    """The glossary table (a CSV file, relative to the page) as a definition list.

    Each term (in bold) is followed by its English rendering (in italics) and
    meaning, when it is first used as far as a source shows, and that source
    with its address as a link.  A missing or malformed file is an error
    naming the file.
    """

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        relative, path = self.env.relfn2path(self.arguments[0], self.env.docname)
        self.env.note_dependency(relative)
        try:
            with open(path, encoding="utf-8", newline="") as handle:
                rows = list(csv.DictReader(handle))
        except OSError as error:
            raise self.error(f"fplang-glossary: cannot read {relative}: {error}") from error
        missing = [c for c in GLOSSARY_COLUMNS if rows and c not in rows[0]]
        if missing or not rows:
            raise self.error(f"fplang-glossary: {relative} needs the columns {', '.join(GLOSSARY_COLUMNS)} and a row")
        entries = nodes.definition_list(classes=["fplang-glossary"])
        for row in rows:
            entries += glossary_entry(row)
        return [entries]


def glossary_entry(row: dict[str, str]) -> nodes.definition_list_item:
    """One term of the glossary: the term, then its rendering and meaning, its first use and its source."""
    meaning = nodes.paragraph()
    meaning += nodes.emphasis(row["english"], row["english"])
    meaning += nodes.Text(f". {row['meaning']}")
    first = nodes.paragraph()
    first += nodes.strong("First used: ", "First used: ")
    first += nodes.Text(row["first_used"])
    source = nodes.paragraph()
    source += nodes.strong("Source: ", "Source: ")
    source += nodes.Text(f"{row['source']}, ")
    # The address is shown as written: Sphinx's smart quotes would turn its "--" into a dash.
    source += nodes.reference(row["source_url"], row["source_url"], refuri=row["source_url"], support_smartquotes=False)
    source += nodes.Text(".")
    term = nodes.term()
    term += nodes.strong(row["term"], row["term"])
    definition = nodes.definition()
    definition += [meaning, first, source]
    item = nodes.definition_list_item()
    item += [term, definition]
    return item


def reread_pdf_pages(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Re-read the pages with a PDF link on every build: whether the PDF exists can change."""
    return sorted(getattr(env, "fplang_pdf_pages", set()) - removed)


def forget_pdf_page(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, "fplang_pdf_pages", set()).discard(docname)


def merge_pdf_pages(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    pages = getattr(env, "fplang_pdf_pages", set()) | getattr(other, "fplang_pdf_pages", set())
    env.fplang_pdf_pages = pages  # type: ignore[attr-defined]


def copy_pdf_into_html(app: Sphinx, exception: Exception | None) -> None:
    """Put the PDF edition at the HTML output's root, where the link points."""
    pdf = built_pdf(app)
    if exception is None and app.builder.format == "html" and pdf is not None:
        write_bytes(Path(app.outdir) / PDF_FILENAME, pdf.read_bytes())


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
        f"vl-convert-python {version_of('vl-convert-python')} for fplang.book.sphinxext. "
        "Generated; do not edit. */\n"
    )
    # vl-convert's stubs require a snippet; without one it bundles vega-embed itself, which is what the book needs
    bundle = vl_convert.javascript_bundle(vl_version=version)  # type: ignore[call-arg]
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
            "remove it in _config.yml (see the fplang.book.sphinxext docstring) "
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
