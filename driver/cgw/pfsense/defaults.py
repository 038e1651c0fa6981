"""How pfSense turns what its config.xml leaves out (or leaves empty) into strongSwan's
settings: pfSense writes swanctl.conf itself (``ipsec_setup_tunnels`` in
``src/etc/inc/ipsec.inc``), so its "defaults" are that function's choices, which
the verdict depends on and lint, init and the check say.

Source: pfsense/pfsense RELENG_2_7_2 @ ec956d34, ``src/etc/inc/ipsec.inc``:
- ``iketype`` empty (or ikev1) → IKEv1, ``auto`` → version 0 (IKEv2 first);
- phase 1 ``lifetime`` L: IKEv2/auto rekey at 90% of L unless ``rekey_time`` says
  (``ipsec_get_rekey_time``; neither: 14400 s); a reauthentication at
  ``reauth_time``, else at 90% of L only for a phase 1 that says ``ikev1``
  (``ipsec_get_reauth_time``): one whose iketype is empty is never reauthenticated;
- phase 2 ``lifetime`` L: ``life_time`` L, rekey at its ``rekey_time`` or 90%; no
  lifetime: strongSwan's hour;
- DPD only with both ``dpd_delay`` and ``dpd_maxfail``; ``dpd_timeout`` =
  delay × (maxfail + 1), written only for a phase 1 that says ``ikev1`` (redmine
  #12184); ``dpd_action`` trap (the close action's when one is set; restart on a
  VTI);
- no ``keyingtries``: strongSwan's default, one try;
- start action ``trap`` unless the phase 1 says (a VTI: ``start``, which "trap"
  cannot override);
- ``pfsgroup`` 0 or empty: no PFS;
- ``myid_type`` myaddress / ``peerid_type`` peeraddress: the addresses.
GUI defaults for a new entry (``vpn_ipsec_phase1.php``, ``vpn_ipsec_phase2.php``),
which a saved file always writes out: IKEv2, lifetime 28800, phase 2 lifetime 3600,
PFS group 14.
"""

from __future__ import annotations

RELEASE = "pfSense 2.7.2"
REKEY_PERCENT = 90
IKE_REKEY = 14400  # no lifetime, no rekey_time
VERSIONS = {"ikev2": "2", "auto": "0"}  # anything else (ikev1, empty): IKEv1
