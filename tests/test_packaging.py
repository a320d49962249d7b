"""The wheel is complete: built, installed into a throwaway venv, and run from outside the repo."""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, REPO


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel and install it (without dependencies) into a fresh venv.

    The dependencies come from the test venv through a `.pth` file, so nothing is downloaded,
    while `filmcrew` itself can only be imported from the wheel.
    """
    root = tmp_path_factory.mktemp("wheel")
    built = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
                            str(root / "dist"), str(REPO)], capture_output=True, text=True, cwd=root)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    wheel = next((root / "dist").glob("filmcrew-*.whl"))
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    deps = [p for p in site.getsitepackages() if "site-packages" in p] or [sysconfig.get_paths()["purelib"]]
    Path(purelib, "filmcrew-test-deps.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
                   check=True, capture_output=True)
    return venv


def run_in(venv: Path, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed `filmcrew` from a folder outside the repository."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "OPENAI_API_KEY", "GEMINI_API_KEY")}
    env["FILMCREW_HOME"] = str(cwd / ".home")
    return subprocess.run([str(venv / "bin" / "filmcrew"), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.slow
def test_wheel_runs_help_and_a_plan(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run([str(installed / "bin" / "python"), "-c", "import filmcrew; print(filmcrew.__file__)"],
                           check=True, capture_output=True, text=True, cwd=tmp_path).stdout
    assert str(installed) in where and str(REPO) not in where
    help_text = run_in(installed, ["--help"], tmp_path)
    assert help_text.returncode == 0 and "plan" in help_text.stdout
    result = run_in(installed, ["plan", str(EXAMPLES / "wrong-number-ep1.fountain"), "--out", str(tmp_path / "out"),
                                "--aspect", "9:16", "--formats", "json,html"], tmp_path)
    assert result.returncode == 0, result.stderr
    shots = json.loads((tmp_path / "out" / "shotlist.json").read_text())
    assert shots["aspect"] == "9:16" and shots["style"]  # styles ship as package data
    prompts = subprocess.run([str(installed / "bin" / "python"), "-c",
                              "from filmcrew.prompts import all_prompt_ids; print(len(all_prompt_ids()))"],
                             check=True, capture_output=True, text=True, cwd=tmp_path).stdout
    assert int(prompts) >= 4


def test_every_package_folder_is_listed_in_pyproject() -> None:
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    roots = {folder: name for name, folder in config["package-dir"].items()}
    found = set()
    for folder, name in roots.items():
        for init in (REPO / folder).rglob("__init__.py"):
            parts = init.parent.relative_to(REPO / folder).parts
            found.add(".".join([name, *parts]))
    assert found <= listed, f"missing from [tool.setuptools] packages: {sorted(found - listed)}"
