"""The agent of a guest that lives as long as its lab (driver/local/guest/kept.py).

It runs inside the guest, in one Python process that imports the data plane's
code once (under software emulation an import costs seconds), and answers the
host's requests through the folder they share:

* ``requests/<id>.pickle``: ``(operation, kwargs)``, written by the host (whose
  Python and code this guest runs: it sees the host's root). Only the host (root)
  can write there.
* ``results/<id>.progress``: the operation's progress lines, as they come.
* ``results/<id>.json``: ``{"value": …}`` or ``{"error": {"kind", "message"}}``. JSON,
  not pickle, back to the host: the guest runs the other company's
  configuration, and nothing it writes may become code on the host.

Each request runs in a thread of its own: the emulator's questions (telemetry,
a Run Command) come while a verify waits for its tunnels. ``ready`` is written
once the imports are done; the guest's end is the host killing its qemu.
"""

from __future__ import annotations

import json
import os
import pickle
import sys
import threading
import time
import traceback
from pathlib import Path

from driver.local.guest.kept import READY, REQUESTS, RESULTS

POLL = 0.1  # s between looks at the requests folder (9p: no inotify for host writes)
KINDS = ("Fault", "VpnlabError")  # driver/core/errors.py: raised again on the host


def serve(folder: Path) -> None:
    from driver.local import kept_guest_operations as operations  # the slow imports, once

    requests, results = folder / REQUESTS, folder / RESULTS
    results.mkdir(exist_ok=True)
    (folder / READY).write_text(f"{os.getpid()}\n")
    while True:
        for request in sorted(requests.glob("*.pickle")):
            taken = request.with_suffix(".taken")
            try:
                request.rename(taken)
            except FileNotFoundError:
                continue
            threading.Thread(target=_answer, args=(operations, taken, results), daemon=True).start()
        time.sleep(POLL)


def _answer(operations, request: Path, results: Path) -> None:
    ident = request.stem
    progress_file = results / f"{ident}.progress"
    with open(progress_file, "a", buffering=1) as progress:
        try:
            operation, kwargs = pickle.loads(request.read_bytes())
            request.unlink()
            value = operations.OPERATIONS[operation](
                progress=lambda line: progress.write(f"{line}\n"), **kwargs
            )
            answer = {"value": value}
        except Exception as exc:  # every failure goes back to the host, named
            kind = next((k.__name__ for k in type(exc).__mro__ if k.__name__ in KINDS), "")
            answer = {"error": {"kind": kind, "message": str(exc) or type(exc).__name__}}
            if not kind:  # vpnlab's own bug: its traceback, for the report
                answer["error"]["message"] += "\n" + traceback.format_exc()
    tmp = results / f".{ident}.json"
    tmp.write_text(json.dumps(answer))
    tmp.rename(results / f"{ident}.json")


if __name__ == "__main__":
    sys.exit(serve(Path(sys.argv[1])))
