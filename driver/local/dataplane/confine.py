"""A gateway node's daemon, confined: what a customer's script it runs can touch.

A customer's files come from another company, and charon runs their updown
script (``leftupdown=``, ``updown =``) as root. This launcher runs inside the
node's network namespace (``ip netns exec``), takes a mount and a PID namespace
(with IPC and UTS namespaces) of its own, and execs the daemon in a node where:

- the host's whole file system is read-only (every mount, recursively);
- ``/run`` and ``/var`` are the node's own folders (writable), ``/etc`` an
  overlay of the node's files on the host's (read-only), and so is any folder
  given with ``--overlay`` (Libreswan's helpers at their compiled-in
  ``/usr/libexec/ipsec``, unpacked elsewhere on the host);
- the other nodes' folders, vpnlab's state, ``/root`` and ``/home`` are empty, and
  ``/etc/shadow``, ``/etc/gshadow`` are not there (the staged ``/etc`` whites them out);
- ``/tmp`` and ``/dev/shm`` are empty tmpfs of the node's own; ``/dev`` holds
  only null, zero, full, random, urandom, tty and net/tun (userspace ESP);
- ``/proc`` is the node's PID namespace's: read-only, but for
  ``/proc/sys/net`` (the network namespace's settings: AWS's ``ipsec-vti.sh``
  sets ``rp_filter`` and ``disable_policy`` there); ``/sys`` is read-only;
- the daemon and its scripts see only the node's processes, and the capability
  bounding set keeps the network capabilities and a few file ones only: no
  CAP_SYS_ADMIN (no mount, no remount), no modules, no raw I/O, no reboot.

The launcher's first process stays outside the PID namespace, waits for the
daemon (PID 1 inside) and ends with its status; a signal to it is passed on.
``python3 -I -S confine.py [--overlay TARGET LOWER ...] RUN VAR ETC [HIDDEN ...] -- DAEMON
[ARGS]``: run by its path, it
imports only the standard library (one process where a shell and six mount
commands were: each costs ~0.2 s under the guest's emulation).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWPID = 0x20000, 0x4000000, 0x8000000, 0x20000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 0x1, 0x2, 0x4, 0x8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 0x20, 0x1000, 0x4000, 0x40000
MNT_DETACH = 2
SYS_MOUNT_SETATTR, AT_FDCWD, AT_RECURSIVE, MOUNT_ATTR_RDONLY = 442, -100, 0x8000, 0x1
PR_CAPBSET_DROP, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 24, 47, 4
EINVAL, ENOSYS = 22, 38
# What charon, starter and an updown script need: interfaces, routes, XFRM and
# sockets (net_*), dropping to a user (set*id, chown), files of the node's own.
KEEP_CAPABILITIES = {
    0: "chown",
    1: "dac_override",
    3: "fowner",
    5: "kill",  # only the node's own processes are visible to it
    6: "setgid",
    7: "setuid",
    10: "net_bind_service",
    12: "net_admin",
    13: "net_raw",
}
DEVICES = ("null", "zero", "full", "random", "urandom", "tty", "net/tun")
LINKS = {"fd": "/proc/self/fd", "stdin": "/proc/self/fd/0", "stdout": "/proc/self/fd/1",
         "stderr": "/proc/self/fd/2"}  # fmt: skip
TMPFS = "mode=1777,size=64m"
HIDDEN = ("/root", "/home")  # the host's users' files (~/.aws among them)

_libc = ctypes.CDLL(None, use_errno=True)


class _MountAttr(ctypes.Structure):
    _fields_ = [(f, ctypes.c_uint64) for f in ("set", "clr", "propagation", "userns_fd")]


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str = ""):
    encode = lambda s: s.encode() if s is not None else None  # noqa: E731
    result = _libc.mount(encode(source), encode(target), encode(fstype), flags, encode(data))
    _check(result, f"mount {source or ''} on {target}")


def _read_only(target: str, recursive: bool, read_only: bool = True) -> None:
    attr = _MountAttr(MOUNT_ATTR_RDONLY if read_only else 0, 0 if read_only else MOUNT_ATTR_RDONLY)
    flags = AT_RECURSIVE if recursive else 0
    result = _libc.syscall(
        SYS_MOUNT_SETATTR, AT_FDCWD, target.encode(), flags, ctypes.byref(attr),
        ctypes.sizeof(attr),
    )  # fmt: skip
    if result != 0 and ctypes.get_errno() == ENOSYS:  # a kernel before 5.12: mount by mount
        for point in _mount_points(target) if recursive else [target]:
            kept = _kept_flags(point)
            mount(None, point, None, MS_REMOUNT | MS_BIND | kept | (MS_RDONLY if read_only else 0))
        return
    _check(result, f"mount_setattr {target}")


def _mount_points(top: str) -> list[str]:
    """The mount points at and below ``top`` (mountinfo's field 5, octal escapes undone)."""
    points = []
    with open("/proc/self/mountinfo") as mountinfo:
        for line in mountinfo:
            point = line.split()[4].encode().decode("unicode_escape")
            if point == top or point.startswith(top.rstrip("/") + "/"):
                points.append(point)
    return points


def _kept_flags(point: str) -> int:
    """nosuid, nodev, noexec as they are: a bind remount would otherwise clear them."""
    flags = os.statvfs(point).f_flag
    return sum(ms for st, ms in ((2, MS_NOSUID), (4, MS_NODEV), (8, MS_NOEXEC)) if flags & st)


def _bind(source: str, target: str, writable: bool) -> None:
    mount(source, target, None, MS_BIND)
    _read_only(target, recursive=False, read_only=not writable)  # a bind keeps its source's


def _private_dev(staging: str) -> None:
    """A /dev of a few devices: the host's, bound from a staging mount, then dropped."""
    os.makedirs(staging, exist_ok=True)
    _bind("/dev", staging, writable=False)
    mount("vpnlab-dev", "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755,size=1m")
    for device in DEVICES:
        if os.path.exists(f"{staging}/{device}"):
            os.makedirs(os.path.dirname(f"/dev/{device}"), exist_ok=True)
            open(f"/dev/{device}", "w").close()  # noqa: SIM115 - a mount point
            mount(f"{staging}/{device}", f"/dev/{device}", None, MS_BIND)
    for name, target in LINKS.items():
        os.symlink(target, f"/dev/{name}")
    for folder in ("shm", "pts"):
        os.mkdir(f"/dev/{folder}")
    mount("vpnlab-shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, TMPFS)
    _check(_libc.umount2(staging.encode(), MNT_DETACH), f"umount {staging}")
    os.rmdir(staging)


def confine(
    run_dir: str,
    var_dir: str,
    etc_dir: str,
    hidden: list[str],
    overlays: tuple[tuple[str, str], ...] = (),
) -> None:
    """The node's mounts, in the PID namespace's first process (see the module doc)."""
    mount(None, "/", None, MS_REC | MS_PRIVATE)  # nothing of ours reaches the host
    _read_only("/", recursive=True)
    _bind(run_dir, "/run", writable=True)
    _bind(var_dir, "/var", writable=True)
    mount("vpnlab-etc", "/etc", "overlay", MS_RDONLY, f"lowerdir={etc_dir}:/etc")
    for target, lower in overlays:
        mount("vpnlab-overlay", target, "overlay", MS_RDONLY, f"lowerdir={lower}:{target}")
    # Read-only is not private: the other nodes' folders (the emulated VGW's vici
    # socket among them: a socket connects on a read-only mount), vpnlab's state
    # and the host's home folders are emptied; the node's own /run and /var stay.
    for path in sorted({*hidden, *HIDDEN}, key=len, reverse=True):
        if os.path.isdir(path):
            mount("vpnlab-hidden", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "size=4k")
    mount("vpnlab-tmp", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, TMPFS)
    _private_dev("/run/.vpnlab-host-dev")
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)  # this PID namespace's
    _bind("/proc/sys/net", "/proc/sys/net", writable=True)
    _read_only("/proc", recursive=False)
    os.chdir("/")  # a working folder inside a hidden one would still reach into it
    for cap in range(64):
        if cap not in KEEP_CAPABILITIES and _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            if ctypes.get_errno() != EINVAL:
                _check(-1, f"dropping capability {cap}")
            break  # past the kernel's last capability
    # No capability comes back through the ambient set either (inheritable stays
    # as vpnlab's: empty for root started from a shell or by sudo).
    _check(_libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "ambient capabilities")


def _wait_and_pass_signals(child: int) -> int:
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda signum, frame: os.kill(child, signum))
    while True:
        try:
            _, status = os.waitpid(child, 0)
        except InterruptedError:
            continue
        return os.waitstatus_to_exitcode(status)


def main(argv: list[str]) -> int:
    overlays = []
    while argv[:1] == ["--overlay"] and len(argv) >= 3:
        overlays.append((argv[1], argv[2]))
        argv = argv[3:]
    if "--" not in argv[3:] or argv.index("--") == len(argv) - 1:
        print(
            "usage: confine [--overlay TARGET LOWER ...] RUN VAR ETC [HIDDEN ...] -- DAEMON [ARGS]",
            file=sys.stderr,
        )
        return 2
    split = argv.index("--")
    (run_dir, var_dir, etc_dir, *hidden), daemon = argv[:split], argv[split + 1 :]
    # mounts, processes, SysV IPC (root's shared memory) and the host name: the node's own
    _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS), "unshare")
    child = os.fork()
    if child:
        code = _wait_and_pass_signals(child)
        return code if code >= 0 else 128 - code
    try:
        confine(run_dir, var_dir, etc_dir, hidden, tuple(overlays))
        os.execv(daemon[0], daemon)
    except OSError as exc:
        print(f"vpnlab: the node could not be confined: {exc}", file=sys.stderr)
    os._exit(127)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
