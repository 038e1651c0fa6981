"""How the repository becomes the installed package ``vpnlab`` (pyproject.toml has
the rest: name, dependencies, the ``vpnlab`` command).

The repository keeps its layout (driver/, modules/, cloud-init/, labs/, main.py at
its root); installed, all of it lives in one folder, site-packages/vpnlab/, beside
the command's own package (packaging/vpnlab/), so nothing named ``driver`` or
``modules`` lands in site-packages itself.
"""

import shutil
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

CODE = ("driver", "modules")  # packages, installed as vpnlab.driver, vpnlab.modules
DATA = ("cloud-init", "labs", "main.py", "cdktf.json")  # read at run time, as they are


class BuildWithData(build_py):
    """build_py, then the data vpnlab reads from its own folder (driver/core/paths.py)."""

    def run(self) -> None:
        super().run()
        home = Path(self.build_lib) / "vpnlab"
        for name in DATA:
            if Path(name).is_dir():
                shutil.copytree(name, home / name, dirs_exist_ok=True)
            else:
                shutil.copy2(name, home / name)


setup(
    packages=["vpnlab"]
    + [
        f"vpnlab.{p}"
        for p in find_packages(include=[f"{c}{tail}" for c in CODE for tail in ("", ".*")])
    ],
    package_dir={"vpnlab": "packaging/vpnlab", **{f"vpnlab.{c}": c for c in CODE}},
    package_data={"vpnlab.driver.local.dataplane": ["templates/*.j2"]},
    cmdclass={"build_py": BuildWithData},
)
