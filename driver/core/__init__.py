"""What every package shares: the error shape, where vpnlab keeps its files, a
lab's state and lock, bounded reads of input files, the processes vpnlab starts,
and how SIGTERM and SIGHUP end a command."""
