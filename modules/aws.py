"""Load provider submodules without the provider package's 20-second ``__init__``.

``cdktf_cdktf_provider_aws/__init__.py`` imports all ~2,200 resource modules.
Registering an unexecuted module object for the package first lets
``import cdktf_cdktf_provider_aws.vpc`` load just that submodule and the jsii
assembly it needs. The synthesized JSON is identical either way; set
VPNLAB_FULL_PROVIDER_IMPORT=1 to take the slow, conventional path (the test
suite compares both).
"""

import importlib
import importlib.util
import os
import sys

PACKAGE = "cdktf_cdktf_provider_aws"

if os.environ.get("VPNLAB_FULL_PROVIDER_IMPORT") == "1":
    importlib.import_module(PACKAGE)
elif PACKAGE not in sys.modules:
    _spec = importlib.util.find_spec(PACKAGE)
    if _spec is None:
        raise ImportError(f"{PACKAGE} is not installed: run `make setup`")
    sys.modules[PACKAGE] = importlib.util.module_from_spec(_spec)


def resource(name: str):
    """The provider submodule ``name`` (e.g. "vpc", "vpn_connection")."""
    return importlib.import_module(f"{PACKAGE}.{name}")
