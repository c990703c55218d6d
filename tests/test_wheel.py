"""The wheel a user downloads: built by scripts/wheel, installed into a fresh virtual
environment whose PATH has no cargo, then the demo and a smoke test run there.

Marked `wheel` (deselect with ``-m "not wheel"``); about a minute when the release build is
cached in target/, as after scripts/setup-venv. Needs cargo to build and PyPI (or pip's cache)
for pandas & co.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

pytestmark = pytest.mark.wheel

REPO = Path(__file__).resolve().parent.parent

SMOKE = """
import pathlib, sys
import lexiscan
here = pathlib.Path(lexiscan.__file__).resolve()
assert pathlib.Path(sys.prefix).resolve() in here.parents, here  # the installed copy
lex = lexiscan.Lexicon().add("Jens Stoltenberg", ["Stoltenberg"], label="PERSON")
matcher = lexiscan.Matcher(lex)
assert [m.text for m in matcher.find("STOLTENBERG’s remarks")] == ["STOLTENBERG"]
result = matcher.scan(["Stoltenberg met Stoltenberg.", "nothing"])
assert result.counts().to_numpy().tolist() == [[2], [0]]
print("smoke ok", lexiscan.__version__)
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("cargo") is None:
        pytest.skip("building the wheel needs cargo")
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [str(REPO / "scripts" / "wheel"), str(out)], capture_output=True, text=True, timeout=1200
    )
    assert done.returncode == 0, done.stderr
    (built,) = out.glob("*.whl")
    # Built for the interpreter at hand (the release workflow builds one per version).
    version = f"{sys.version_info.major}{sys.version_info.minor}"
    assert f"-cp{version}-cp{version}-" in built.name
    assert len(list(out.glob("lexiscan-*.tar.gz"))) == 1
    return built


def without_cargo(bin_dir: Path) -> dict[str, str]:
    """The environment with only the venv and system folders that hold no cargo on PATH."""
    folders = [str(bin_dir)] + [
        p for p in os.environ.get("PATH", "").split(os.pathsep)
        if p and shutil.which("cargo", path=p) is None and ".venv" not in p
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CARGO", "RUSTUP", "VIRTUAL"))}
    env["PATH"] = os.pathsep.join(folders)
    assert shutil.which("cargo", path=env["PATH"]) is None
    return env


def test_wheel_installs_and_runs_without_rust(wheel: Path, tmp_path: Path) -> None:
    venv.create(tmp_path / "venv", with_pip=True)
    bin_dir = tmp_path / "venv" / ("Scripts" if sys.platform == "win32" else "bin")
    env = without_cargo(bin_dir)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            args, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600
        )

    # --only-binary: nothing may be built from source, so no compiler is needed either.
    done = run(str(bin_dir / "python"), "-m", "pip", "install", "--quiet",
               "--only-binary=:all:", str(wheel))  # fmt: skip
    assert done.returncode == 0, done.stderr
    done = run(str(bin_dir / "lexiscan"), "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("lexiscan ")
    done = run(str(bin_dir / "lexiscan"), "demo")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Mentions per article in the built-in corpus: 5 news articles")
    assert "Jens Stoltenberg" in done.stdout
    done = run(str(bin_dir / "python"), "-c", SMOKE)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("smoke ok")
