"""What the local target's parts share and need nothing of each other for: how a
running lab's nodes are named and reached (``node_access``: the emulator's only
way into the data plane) and the record AWS keeps of each tunnel
(``tunnel_record``). The data plane, the emulator and the commands above them
import these; these import nothing of driver/local/."""
