"""Processes vpnlab started, as /proc shows them."""

from pathlib import Path


def process_alive(pid: int) -> bool:
    """Is ``pid`` running? A zombie counts as gone: it only waits to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"
