"""The other company's Libreswan configuration, found and read as Libreswan finds
and reads it on their server: ``/etc/ipsec.conf`` (with ``include
/etc/ipsec.d/*.conf``, the layout of Amazon Linux's and RHEL's packages) and
``/etc/ipsec.secrets`` (with ``include /etc/ipsec.d/*.secrets``), given as one
file (``--cgw-secrets`` beside it) or a directory standing for the server's
``/etc`` (driver/cgw/folder.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from driver.cgw.folder import MAX_BYTES, CustomerConfigError, ServerFolder, root_of
from driver.cgw.libreswan.conf import LibreswanConf, parse_ipsec_conf, parse_ipsec_secrets
from driver.cgw.settings import Secret
from driver.core.input_files import require_regular

IPSEC_CONF, IPSEC_SECRETS = "/etc/ipsec.conf", "/etc/ipsec.secrets"
# Not the customer's to bring: the NSS database (binary, their machine's; PSKs need no
# certificate, so a lab's gateway gets an empty one) and sysctls (the lab's, applied
# to the node's namespace only).
REPLACED = (
    "/etc/ipsec.d/cert9.db",
    "/etc/ipsec.d/key4.db",
    "/etc/ipsec.d/pkcs11.txt",
    "/etc/sysctl.d/",
    "/etc/sysctl.conf",
)


@dataclass
class LibreswanConfig:
    folder: ServerFolder
    conf: LibreswanConf
    secrets: list[Secret] = field(default_factory=list)


def load(config: Path, secrets: Path | None = None) -> LibreswanConfig:
    """Read the configuration; a file Libreswan could not parse raises ConfigSyntaxError."""
    root = root_of(config, lambda folder: (folder / "ipsec.conf").is_file())
    if config.is_dir():
        if secrets:
            raise CustomerConfigError(
                f"{config} is a directory: its secrets are the files in it "
                "(ipsec.secrets, ipsec.d/*.secrets); drop --cgw-secrets"
            )
        if not (root / "ipsec.conf").is_file():
            raise CustomerConfigError(
                f"{config} holds no ipsec.conf: pass the directory that stands for the "
                "server's /etc (or the ipsec.conf file)"
            )
        folder = ServerFolder.of_directory(config, root, REPLACED)
    else:
        folder = ServerFolder.of_file(config, IPSEC_CONF, REPLACED)
        if secrets:
            require_regular(secrets, MAX_BYTES, "secrets file")
            folder.map(IPSEC_SECRETS, secrets)
    conf = parse_ipsec_conf(folder.text(IPSEC_CONF), folder.label(IPSEC_CONF), folder.include)
    read = LibreswanConfig(folder, conf)
    if IPSEC_SECRETS in folder.files:
        read.secrets = parse_ipsec_secrets(
            folder.text(IPSEC_SECRETS), folder.label(IPSEC_SECRETS), folder.include
        )
    return read
