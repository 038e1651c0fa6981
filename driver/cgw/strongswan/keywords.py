"""strongSwan's own keyword lists (release 5.9.8, the version Debian 12 ships and
vpnlab runs), copied from its source so lint knows the grammar strongSwan knows:

* ``src/starter/keywords.txt`` and ``src/starter/keywords.h.in``: ipsec.conf's
  keywords, by section (an unknown one is "# unknown keyword", non-fatal);
* ``src/starter/args.c``: the values a few enumerated keywords accept (another
  value is "bad argument value": starter ignores the conn);
* ``src/swanctl/swanctl.opt``: every swanctl.conf key with its section path
  (an unknown one is "unknown option: …, config discarded" in charon's vici);
* ``src/libstrongswan/crypto/proposal/proposal_keywords_static.txt``: the
  algorithm keywords of a proposal string.

https://github.com/strongswan/strongswan/tree/5.9.8 (GPLv2+). Regenerate by
reading those files at the tag; nothing here is vpnlab's invention.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# config setup
STARTER_SETUP = _words(
    """
    charondebug uniqueids cachecrls strictcrlpolicy
    """
)

# conn sections
STARTER_CONN = _words(
    """
    keyexchange type compress installpolicy aggressive authby eap_identity aaa_identity
    mobike forceencaps fragmentation ikedscp ikelifetime lifetime keylife rekeymargin
    margintime lifebytes marginbytes lifepackets marginpackets keyingtries rekeyfuzz rekey
    reauth ike esp ah dpddelay dpdtimeout dpdaction closeaction sha256_96 inactivity
    modeconfig xauth xauth_identity mediation mediated_by me_peerid reqid replay_window mark
    mark_in mark_out tfc left leftikeport leftsubnet leftsubnetwithin leftprotoport
    leftsourceip leftdns leftfirewall lefthostaccess leftallowany leftupdown leftauth
    leftauth2 leftid leftid2 leftsigkey leftrsasigkey leftcert leftcert2 leftcertpolicy
    leftsendcert leftca leftca2 leftgroups leftgroups2 right rightikeport rightsubnet
    rightsubnetwithin rightprotoport rightsourceip rightdns rightfirewall righthostaccess
    rightallowany rightupdown rightauth rightauth2 rightid rightid2 rightsigkey
    rightrsasigkey rightcert rightcert2 rightcertpolicy rightsendcert rightca rightca2
    rightgroups rightgroups2 also auto
    """
)

# ca sections
STARTER_CA = _words(
    """
    cacert crluri crluri1 crluri2 ocspuri ocspuri1 ocspuri2 certuribase also auto
    """
)

# known but deprecated: "# deprecated keyword", ignored (non-fatal)
STARTER_DEPRECATED = _words(
    """
    interfaces dumpdir charonstart plutostart klipsdebug plutodebug prepluto postpluto
    plutostderrlog fragicmp packetdefault hidetos overridemtu crlcheckinterval nocrsend
    nat_traversal keep_alive force_keepalive virtual_private pkcs11module pkcs11initargs
    pkcs11keepstate pkcs11proxy ldaphost ldapbase pfs pfsgroup eap leftnexthop rightnexthop
    """
)

# args.c: keywords whose value must be one of a list (LST_*)
_BOOL = ("no", "yes")
STARTER_VALUES = {
    "auto": ("ignore", "add", "route", "start"),
    "keyexchange": ("ike", "ikev1", "ikev2"),
    "authby": (
        "psk",
        "secret",
        "pubkey",
        "rsa",
        "rsasig",
        "ecdsa",
        "ecdsasig",
        "xauthpsk",
        "xauthrsasig",
        "never",
    ),
    "fragmentation": ("no", "accept", "yes", "force"),
    "dpdaction": ("none", "clear", "hold", "restart"),
    "closeaction": ("none", "clear", "hold", "restart"),
    "installpolicy": _BOOL,
    "aggressive": _BOOL,
    "uniqueids": ("no", "yes", "replace", "keep", "never"),
    "cachecrls": _BOOL,
    "strictcrlpolicy": ("no", "yes", "ifuri"),
    "type": ("tunnel", "transport", "transport_proxy", "passthrough", "pass", "drop", "reject"),
}

# swanctl.opt: section paths; <name> any name, <suffix> any suffix
SWANCTL_OPTIONS = _words(
    """
    authorities authorities.<name> authorities.<name>.cacert
    authorities.<name>.cert_uri_base authorities.<name>.crl_uris authorities.<name>.file
    authorities.<name>.handle authorities.<name>.module authorities.<name>.ocsp_uris
    authorities.<name>.slot connections connections.<conn> connections.<conn>.aggressive
    connections.<conn>.childless connections.<conn>.children.<child>
    connections.<conn>.children.<child>.ah_proposals
    connections.<conn>.children.<child>.close_action
    connections.<conn>.children.<child>.copy_df
    connections.<conn>.children.<child>.copy_dscp
    connections.<conn>.children.<child>.copy_ecn
    connections.<conn>.children.<child>.dpd_action
    connections.<conn>.children.<child>.esp_proposals
    connections.<conn>.children.<child>.hostaccess
    connections.<conn>.children.<child>.hw_offload
    connections.<conn>.children.<child>.if_id_in
    connections.<conn>.children.<child>.if_id_out
    connections.<conn>.children.<child>.inactivity
    connections.<conn>.children.<child>.interface connections.<conn>.children.<child>.ipcomp
    connections.<conn>.children.<child>.label connections.<conn>.children.<child>.label_mode
    connections.<conn>.children.<child>.life_bytes
    connections.<conn>.children.<child>.life_packets
    connections.<conn>.children.<child>.life_time
    connections.<conn>.children.<child>.local_ts connections.<conn>.children.<child>.mark_in
    connections.<conn>.children.<child>.mark_in_sa
    connections.<conn>.children.<child>.mark_out connections.<conn>.children.<child>.mode
    connections.<conn>.children.<child>.policies
    connections.<conn>.children.<child>.policies_fwd_out
    connections.<conn>.children.<child>.priority
    connections.<conn>.children.<child>.rand_bytes
    connections.<conn>.children.<child>.rand_packets
    connections.<conn>.children.<child>.rand_time
    connections.<conn>.children.<child>.rekey_bytes
    connections.<conn>.children.<child>.rekey_packets
    connections.<conn>.children.<child>.rekey_time
    connections.<conn>.children.<child>.remote_ts
    connections.<conn>.children.<child>.replay_window
    connections.<conn>.children.<child>.reqid
    connections.<conn>.children.<child>.set_mark_in
    connections.<conn>.children.<child>.set_mark_out
    connections.<conn>.children.<child>.sha256_96
    connections.<conn>.children.<child>.start_action
    connections.<conn>.children.<child>.tfc_padding
    connections.<conn>.children.<child>.updown connections.<conn>.dpd_delay
    connections.<conn>.dpd_timeout connections.<conn>.dscp connections.<conn>.encap
    connections.<conn>.fragmentation connections.<conn>.if_id_in
    connections.<conn>.if_id_out connections.<conn>.keyingtries
    connections.<conn>.local<suffix> connections.<conn>.local<suffix>.aaa_id
    connections.<conn>.local<suffix>.auth connections.<conn>.local<suffix>.cert<suffix>
    connections.<conn>.local<suffix>.cert<suffix>.file
    connections.<conn>.local<suffix>.cert<suffix>.handle
    connections.<conn>.local<suffix>.cert<suffix>.module
    connections.<conn>.local<suffix>.cert<suffix>.slot
    connections.<conn>.local<suffix>.certs connections.<conn>.local<suffix>.eap_id
    connections.<conn>.local<suffix>.id connections.<conn>.local<suffix>.pubkeys
    connections.<conn>.local<suffix>.round connections.<conn>.local<suffix>.xauth_id
    connections.<conn>.local_addrs connections.<conn>.local_port
    connections.<conn>.mediated_by connections.<conn>.mediation
    connections.<conn>.mediation_peer connections.<conn>.mobike connections.<conn>.over_time
    connections.<conn>.pools connections.<conn>.ppk_id connections.<conn>.ppk_required
    connections.<conn>.proposals connections.<conn>.pull connections.<conn>.rand_time
    connections.<conn>.reauth_time connections.<conn>.rekey_time
    connections.<conn>.remote<suffix> connections.<conn>.remote<suffix>.auth
    connections.<conn>.remote<suffix>.ca_id connections.<conn>.remote<suffix>.cacert<suffix>
    connections.<conn>.remote<suffix>.cacert<suffix>.file
    connections.<conn>.remote<suffix>.cacert<suffix>.handle
    connections.<conn>.remote<suffix>.cacert<suffix>.module
    connections.<conn>.remote<suffix>.cacert<suffix>.slot
    connections.<conn>.remote<suffix>.cacerts connections.<conn>.remote<suffix>.cert<suffix>
    connections.<conn>.remote<suffix>.cert<suffix>.file
    connections.<conn>.remote<suffix>.cert<suffix>.handle
    connections.<conn>.remote<suffix>.cert<suffix>.module
    connections.<conn>.remote<suffix>.cert<suffix>.slot
    connections.<conn>.remote<suffix>.cert_policy connections.<conn>.remote<suffix>.certs
    connections.<conn>.remote<suffix>.eap_id connections.<conn>.remote<suffix>.groups
    connections.<conn>.remote<suffix>.id connections.<conn>.remote<suffix>.pubkeys
    connections.<conn>.remote<suffix>.revocation connections.<conn>.remote<suffix>.round
    connections.<conn>.remote_addrs connections.<conn>.remote_port
    connections.<conn>.send_cert connections.<conn>.send_certreq connections.<conn>.unique
    connections.<conn>.version connections.<conn>.vips include pools pools.<name>
    pools.<name>.<attr> pools.<name>.addrs secrets secrets.eap<suffix>
    secrets.eap<suffix>.id<suffix> secrets.eap<suffix>.secret secrets.ecdsa<suffix>
    secrets.ecdsa<suffix>.file secrets.ecdsa<suffix>.secret secrets.ike<suffix>
    secrets.ike<suffix>.id<suffix> secrets.ike<suffix>.secret secrets.ntlm<suffix>
    secrets.ntlm<suffix>.id<suffix> secrets.ntlm<suffix>.secret secrets.pkcs12<suffix>
    secrets.pkcs12<suffix>.file secrets.pkcs12<suffix>.secret secrets.pkcs8<suffix>
    secrets.pkcs8<suffix>.file secrets.pkcs8<suffix>.secret secrets.ppk<suffix>
    secrets.ppk<suffix>.id<suffix> secrets.ppk<suffix>.secret secrets.private<suffix>
    secrets.private<suffix>.file secrets.private<suffix>.secret secrets.rsa<suffix>
    secrets.rsa<suffix>.file secrets.rsa<suffix>.secret secrets.token<suffix>
    secrets.token<suffix>.handle secrets.token<suffix>.module secrets.token<suffix>.pin
    secrets.token<suffix>.slot secrets.xauth<suffix>
    """
)

# proposal_keywords_static.txt
PROPOSAL_KEYWORDS = _words(
    """
    null des 3des aes aes128 aes192 aes256 aes128ctr aes192ctr aes256ctr aes128ccm8
    aes128ccm64 aes128ccm12 aes128ccm96 aes128ccm16 aes128ccm128 aes128ccm aes192ccm8
    aes192ccm64 aes192ccm12 aes192ccm96 aes192ccm16 aes192ccm128 aes192ccm aes256ccm8
    aes256ccm64 aes256ccm12 aes256ccm96 aes256ccm16 aes256ccm128 aes256ccm aes128gcm8
    aes128gcm64 aes128gcm12 aes128gcm96 aes128gcm16 aes128gcm128 aes128gcm aes192gcm8
    aes192gcm64 aes192gcm12 aes192gcm96 aes192gcm16 aes192gcm128 aes192gcm aes256gcm8
    aes256gcm64 aes256gcm12 aes256gcm96 aes256gcm16 aes256gcm128 aes256gcm aes128gmac
    aes192gmac aes256gmac chacha20poly1305 chacha20poly1305compat blowfish blowfish128
    blowfish192 blowfish256 camellia camellia128 camellia192 camellia256 camellia128ctr
    camellia192ctr camellia256ctr camellia128ccm8 camellia128ccm64 camellia128ccm12
    camellia128ccm96 camellia128ccm16 camellia128ccm128 camellia192ccm8 camellia192ccm64
    camellia192ccm12 camellia192ccm96 camellia192ccm16 camellia192ccm128 camellia256ccm8
    camellia256ccm64 camellia256ccm12 camellia256ccm96 camellia256ccm16 camellia256ccm128
    cast128 serpent serpent128 serpent192 serpent256 twofish twofish128 twofish192
    twofish256 sha sha1 sha1_160 sha256 sha2_256 sha256_96 sha2_256_96 sha384 sha2_384
    sha512 sha2_512 md5 md5_128 aesxcbc camelliaxcbc aescmac prfsha1 prfsha256 prfsha384
    prfsha512 prfmd5 prfaesxcbc prfcamelliaxcbc prfaescmac none modpnone modpnull modp768
    modp1024 modp1536 modp2048 modp3072 modp4096 modp6144 modp8192 ecp192 ecp224 ecp256
    ecp384 ecp521 modp1024s160 modp2048s224 modp2048s256 ecp224bp ecp256bp ecp384bp ecp512bp
    curve25519 x25519 curve448 x448 ntru112 ntru128 ntru192 ntru256 newhope128 noesn esn
    """
)
