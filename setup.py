"""Build step: copy the repository's top-level theme/ into the package as `generator/theme/`.

The layout keeps `theme/` at the top of the repository; an installed panelsite must carry it as
its default theme, so a council's folder needs only site_config.yml, data/ and content/.
Everything else about the package is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithTheme(build_py):
    """build_py, plus the theme copied into the built package (an editable install reads theme/ in place)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        source = HERE / "theme"
        target = Path(self.build_lib) / "generator" / "theme"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))


setup(cmdclass={"build_py": BuildWithTheme})
