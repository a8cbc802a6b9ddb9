"""Project hygiene: the environment files agree, notebooks carry no outputs, each has parameters."""

from __future__ import annotations

import json
import re
import tomllib

import yaml

from conftest import ROOT
from fplang.envfile import locked_pins


def test_environment_yml_installs_exactly_the_locked_versions():
    lock = locked_pins((ROOT / "requirements.lock").read_text(encoding="utf-8"))
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    pinned = dict(
        line.lower().split("==", 1) for line in pip_section if "==" in line
    )
    assert pinned == lock
    assert "-e ." in pip_section


def test_every_declared_dependency_is_locked_and_jupyter_book_is_1x():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lock = locked_pins((ROOT / "requirements.lock").read_text(encoding="utf-8"))
    declared = project["dependencies"] + project["optional-dependencies"]["test"]
    for requirement in declared:
        name = re.split(r"[<>=!~\[ ]", requirement, maxsplit=1)[0].lower()
        assert name in lock, f"{name} is declared in pyproject.toml but not in requirements.lock"
    assert lock["jupyter-book"].startswith("1.")


def notebooks():
    return sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_notebooks_are_committed_without_outputs():
    for path in notebooks():
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code":
                assert cell.get("outputs") == [], f"{path.name} has outputs"
                assert cell.get("execution_count") is None, f"{path.name} has execution counts"


def test_every_notebook_has_exactly_one_parameters_cell():
    assert notebooks(), "no notebooks found"
    for path in notebooks():
        notebook = json.loads(path.read_text(encoding="utf-8"))
        tagged = [c for c in notebook["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1, f"{path.name} has {len(tagged)} parameters cells"


def test_notebook_names_sort_in_chapter_order_and_all_are_in_the_toc():
    names = [p.stem for p in notebooks()]
    assert all(re.fullmatch(r"\d\d_[a-z_]+", n) for n in names)
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    for name in names:
        assert f"notebooks/{name}" in toc


def test_config_keeps_warnings_fatal_and_execution_forced():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["only_build_toc_files"] is True
    assert config["execute"]["execute_notebooks"] == "force"
    assert config["execute"]["allow_errors"] is False
    assert "sphinx_thebe" not in config["sphinx"]["config"]["extensions"]


def test_the_version_is_written_once_and_citation_cff_agrees():
    """pyproject.toml holds the version; the package reads it from the installed metadata; CITATION.cff repeats it."""
    import fplang

    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert fplang.__version__ == version
    assert str(citation["version"]) == version
    assert citation["license"] == "MIT" and (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def test_the_declared_type_marker_ships():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "py.typed" in project["tool"]["setuptools"]["package-data"]["fplang"]
    assert (ROOT / "src" / "fplang" / "py.typed").is_file()


def test_the_glossary_explains_the_terms_the_issue_names_each_with_a_source():
    import csv as _csv

    rows = list(_csv.DictReader((ROOT / "data" / "glossary.csv").open(encoding="utf-8")))
    terms = " | ".join(row["term"] for row in rows)
    for term in ("thêm bạn, bớt thù", "chủ động và tích cực hội nhập quốc tế", "thành viên tích cực, có trách nhiệm",
                 "tự chủ chiến lược", "kỷ nguyên vươn mình", "trọng yếu, thường xuyên"):  # fmt: skip
        assert term in terms, term
    assert all(row["source"] and row["source_url"].startswith("http") for row in rows)
    from fplang.tables import weak_domains_in

    assert [row["source_url"] for row in rows if weak_domains_in(row["source_url"])] == []
