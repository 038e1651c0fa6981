"""Where vpnlab finds its own files, keeps a lab's state and writes its outputs,
and that they are private.

``PROJECT`` is the folder holding vpnlab's code and data (driver/, modules/,
cloud-init/, labs/, main.py): the repository's root in a checkout, the installed
package's folder otherwise (setup.py). Nothing is ever written there.

What vpnlab writes goes under the current directory, as a build tool's would:
``.vpnlab/`` for the labs' state (or ``--state-dir`` / ``VPNLAB_STATE_DIR``),
``cdktf.out/`` and ``hcl.out/`` for synthesized Terraform.

The state folder holds the tunnels' pre-shared keys (Terraform's state, the
emulated VGW's swanctl.conf, the AWS target's plan): it is 0700, made when first
needed (``state_root``), and every process that imports vpnlab creates files
0600 and folders 0700 (umask 077), Terraform, charon and the emulator included,
since they inherit it. Files meant to be shared (the HCL hand-off, the diagram)
are made readable explicitly (``shareable``).
"""

import os
import stat
from pathlib import Path

from driver.core.errors import VpnlabError

PROJECT = Path(__file__).resolve().parents[2]
EXAMPLES = PROJECT / "labs"  # the example labs (`vpnlab examples`)
STATE_DIR_VARIABLE = "VPNLAB_STATE_DIR"  # set by --state-dir; inherited by what vpnlab runs
SYNTH_ROOT = Path("cdktf.out")  # synthesized Terraform JSON, under the current directory
HCL_ROOT = Path("hcl.out")  # default HCL hand-off directory
DEFAULT_LAB = Path("labs") / "seed.yml"  # in a checkout's root: the seed's lab
PRIVATE_UMASK = 0o077

os.umask(PRIVATE_UMASK)


def state_path() -> Path:
    """The state folder's path (absolute), whether or not it exists yet."""
    chosen = os.environ.get(STATE_DIR_VARIABLE)
    return Path(chosen).absolute() if chosen else Path.cwd() / ".vpnlab"


def state_root() -> Path:
    """The state folder, made 0700 if missing. One that exists must be this user's
    own folder (not a link): the keys go there. Its mode is made 0700 only when it
    is named .vpnlab, vpnlab's own (`make` may have made it 0755 for its stamps);
    another folder that others can enter (--state-dir /tmp) is refused, never changed."""
    root = state_path()
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    found = os.lstat(root)
    where = f"the state folder {root} (it holds the tunnels' keys)"
    if not stat.S_ISDIR(found.st_mode) or found.st_uid != os.geteuid():
        what = "a link" if stat.S_ISLNK(found.st_mode) else f"uid {found.st_uid}'s"
        raise VpnlabError(
            f"{where} is not a folder of this user's own ({what}): nothing was written; "
            "give one of yours with --state-dir"
        )
    if found.st_mode & 0o077:
        if root.name != ".vpnlab":
            raise VpnlabError(
                f"{where} can be entered by other users (mode {stat.S_IMODE(found.st_mode):o}): "
                "nothing was written; give a folder only you can enter (chmod 700), or a new one"
            )
        root.chmod(0o700)
    return root


def shareable(path: Path) -> None:
    """Make an output meant for others readable (no keys in it): 0644 / 0755."""
    for item in [path, *(path.rglob("*") if path.is_dir() else ())]:
        item.chmod(0o755 if item.is_dir() else 0o644)
