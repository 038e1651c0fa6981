"""The guest kernel: the lab's data plane inside a qemu guest (virtme-ng), for what
this host's kernel cannot run (route-based tunnels, kernel ESP)."""
