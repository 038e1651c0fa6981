"""The hand-off documents' words in English and Japanese: one table, so a label
cannot exist in one language only (tests/handoff/test_words.py)."""

from __future__ import annotations

LANGUAGES = ("en", "ja")

# key -> (English, Japanese); {name} fields are filled by say()
WORDS: dict[str, tuple[str, str]] = {
    # the sheet's frame
    "sheet.title": (
        "AWS Site-to-Site VPN: parameters for the customer gateway",
        "AWS Site-to-Site VPN パラメータシート（カスタマーゲートウェイ側の設定値）",
    ),
    "sheet.lab": ("Lab", "ラボ"),
    "sheet.origin": ("Values from", "値の出典"),
    "v.origin_lab": (
        "lab {path} (planned: nothing applied yet)",
        "ラボ {path}（計画値: まだ何も作成していません）",
    ),
    "v.origin_api": (
        "VPN connection {id} as the {where} target holds it",
        "{where} ターゲットが保持する VPN 接続 {id} の値",
    ),
    "sheet.intro": (
        "Configure these values on your VPN device, for each of the two tunnels. "
        "Each value names the AWS option it comes from.",
        "お客様の VPN 機器に、2 本のトンネルそれぞれについて以下の値を設定してください。"
        "各値には、その値の元になった AWS のオプション名を併記しています。",
    ),
    "col.item": ("Item", "項目"),
    "col.tunnel": ("Tunnel {n}", "トンネル {n}"),
    "col.source": ("AWS option", "AWS のオプション"),
    "col.aws": ("AWS", "AWS"),
    "col.port": ("Protocol / port", "プロトコル / ポート"),
    "col.from": ("From", "送信元"),
    "col.to": ("To", "宛先"),
    "col.direction": ("Direction", "方向"),
    # sections
    "section.endpoints": ("Endpoints and behaviour", "エンドポイントと動作"),
    "section.phase1": ("IKE (phase 1)", "IKE（フェーズ 1）"),
    "section.phase2": ("IPsec (phase 2)", "IPsec（フェーズ 2）"),
    "section.traffic": ("Traffic through the tunnels", "トンネルを通る通信"),
    "section.routing": ("Routing", "ルーティング"),
    "section.devices": (
        "The proposals as your device names them",
        "機器ごとの表記（プロポーザル）",
    ),
    "section.devices_tunnel": (
        "The proposals as your device names them (tunnel {n})",
        "機器ごとの表記（プロポーザル、トンネル {n}）",
    ),
    "section.firewall": ("Your firewall: what to allow", "お客様側ファイアウォールで許可する通信"),
    "section.mtu": ("MTU and TCP MSS", "MTU と TCP MSS"),
    "section.keys": ("Pre-shared keys", "事前共有鍵"),
    # rows
    "row.outside": ("AWS outside IP address", "AWS 側の外部 IP アドレス"),
    "row.cgw": (
        "Your outside IP address (customer gateway)",
        "お客様側の外部 IP アドレス（カスタマーゲートウェイ）",
    ),
    "row.initiator": ("Who starts IKE", "IKE を開始する側"),
    "row.dpd_timeout": ("DPD timeout", "DPD タイムアウト"),
    "row.dpd_action": ("AWS on DPD timeout", "DPD タイムアウト時の AWS の動作"),
    "row.version": ("IKE version", "IKE バージョン"),
    "row.mode": ("Mode and authentication", "モードと認証方式"),
    "row.encryption": ("Encryption", "暗号化アルゴリズム"),
    "row.integrity": ("Integrity", "完全性（ハッシュ）アルゴリズム"),
    "row.dh": ("Diffie-Hellman groups", "Diffie-Hellman グループ"),
    "row.pfs": ("PFS (Diffie-Hellman groups)", "PFS（Diffie-Hellman グループ）"),
    "row.lifetime": ("Lifetime", "ライフタイム"),
    "row.esp": ("Protocol and mode", "プロトコルとモード"),
    "row.rekey": ("AWS's rekey margin", "AWS のリキーマージン"),
    "row.replay": ("Replay window", "リプレイウィンドウ"),
    "row.selectors_local": ("Traffic selector, your side", "トラフィックセレクター（お客様側）"),
    "row.selectors_remote": ("Traffic selector, AWS side", "トラフィックセレクター（AWS 側）"),
    "row.sa_pair": ("Security associations", "セキュリティアソシエーション"),
    "row.inside_aws": ("Inside address, AWS side", "トンネル内部アドレス（AWS 側）"),
    "row.inside_cgw": ("Inside address, your side", "トンネル内部アドレス（お客様側）"),
    "row.routing": ("Routing", "ルーティング方式"),
    "row.aws_networks": (
        "AWS networks to route into the tunnels",
        "トンネルへルーティングする AWS 側ネットワーク",
    ),
    "row.asn_cgw": ("BGP: your ASN", "BGP: お客様側 ASN"),
    "row.asn_aws": ("BGP: AWS's ASN", "BGP: AWS 側 ASN"),
    "row.neighbor": (
        "BGP: neighbour (AWS's inside address)",
        "BGP: ネイバー（AWS 側トンネル内部アドレス）",
    ),
    "row.timers": ("BGP: timers", "BGP: タイマー"),
    "row.prefix_limit": ("BGP: prefixes AWS accepts", "BGP: AWS が受け付ける経路数"),
    "row.advertised": ("BGP: what AWS advertises", "BGP: AWS が広報する経路"),
    "row.mtu": ("MTU (tunnel interface)", "MTU（トンネルインターフェイス）"),
    "row.mss": ("TCP MSS", "TCP MSS"),
    "row.keys": ("Delivery", "受け渡し方法"),
    # values
    "v.assigned": (
        "assigned by AWS when the VPN connection is created",
        "VPN 接続の作成時に AWS が割り当て",
    ),
    "v.cgw_unknown": (
        "the address you give us (not in the lab yet)",
        "お客様からご連絡いただくアドレス（ラボにはまだ未記載）",
    ),
    "v.start_add": (
        "your device (AWS only answers: StartupAction add)",
        "お客様の機器（AWS は応答のみ: StartupAction add）",
    ),
    "v.start_start": (
        "AWS starts IKEv2; your device may start too",
        "AWS が IKEv2 を開始（お客様の機器から開始しても可）",
    ),
    "v.seconds": ("{n} s", "{n} 秒"),
    "v.dpd_timeout": (
        "{n} s without an answer; send DPD (or keepalives) more often than that",
        "応答がない状態が {n} 秒続くと切断と判定。"
        "これより短い間隔で DPD（キープアライブ）を送信してください",
    ),
    "v.dpd_clear": (
        "ends the tunnel's IKE session: your device must start it again",
        "IKE セッションを終了（お客様の機器から再接続が必要）",
    ),
    "v.dpd_restart": ("starts IKE again itself", "AWS から IKE を再開始"),
    "v.dpd_none": ("does nothing", "何もしない"),
    "v.mode": (
        "IKEv1: main mode (not aggressive); pre-shared key",
        "IKEv1 の場合はメインモード（アグレッシブモード不可）、事前共有鍵",
    ),
    "v.mode_v2": ("pre-shared key", "事前共有鍵"),
    "v.esp": ("ESP, tunnel mode", "ESP、トンネルモード"),
    "v.pfs": ("required: {groups}", "必須: {groups}"),
    "v.rekey": (
        "AWS rekeys {margin} s before the lifetime ends (randomised up to {fuzz}%)",
        "ライフタイム終了の {margin} 秒前から AWS がリキー（最大 {fuzz}% ランダム化）",
    ),
    "v.replay": ("{n} packets", "{n} パケット"),
    "v.sa_pair": (
        "AWS keeps one SA pair per tunnel: one selector pair (routes: 0.0.0.0/0 both sides)",
        "AWS はトンネルごとに SA ペアを 1 つだけ保持します"
        "（セレクターは 1 組。ルートベースなら両側 0.0.0.0/0）",
    ),
    "v.static": ("static: {cidrs}", "スタティック: {cidrs}"),
    "v.bgp": (
        "dynamic (BGP), one eBGP session per tunnel",
        "ダイナミック（BGP）、トンネルごとに eBGP セッション 1 本",
    ),
    "v.timers": (
        "keepalive {keepalive} s, hold time {hold} s",
        "キープアライブ {keepalive} 秒、ホールドタイム {hold} 秒",
    ),
    "v.prefix_limit": (
        "at most {n}; AWS closes the session when you advertise more",
        "最大 {n} 経路（超えると AWS がセッションを切断）",
    ),
    "v.mtu": ("at most {n} bytes", "最大 {n} バイト"),
    "v.mss": ("at most {n} bytes (clamp it)", "最大 {n} バイト（MSS クランプを設定）"),
    "v.not_offered": ("not offered: {names}", "非対応: {names}"),
    "v.not_confirmed": ("not confirmed: {names}", "対応未確認: {names}"),
    "row.device_source": ("Where the words come from", "表記の出典"),
    "v.aws_guide": (
        "AWS Site-to-Site VPN user guide, tunnel options",
        "AWS Site-to-Site VPN ユーザーガイド「トンネルオプション」",
    ),
    "v.guessed": (
        "A word ending in '?' is spelled by analogy: check it in your release's reference.",
        "末尾が「?」の語は類推による表記です。お使いのリリースのリファレンスで確認してください。",
    ),
    "v.keys": (
        "Not in this sheet. AWS's key for each tunnel is delivered separately, in a file only "
        "its recipient can read (vpnlab sheet --keys-file), over a channel other than this "
        "sheet's.",
        "このシートには記載していません。各トンネルの鍵は、受け取る方だけが読めるファイル"
        "（vpnlab sheet --keys-file）で、このシートとは別の経路でお渡しします。",
    ),
    "v.udp500": ("UDP 500 (IKE)", "UDP 500（IKE）"),
    "v.udp4500": ("UDP 4500 (IKE and ESP behind NAT)", "UDP 4500（NAT 越えの IKE と ESP）"),
    "v.esp_proto": ("IP protocol 50 (ESP)", "IP プロトコル 50（ESP）"),
    "v.both_ways": ("both ways", "双方向"),
    # the report for the other company (vpnlab check --report)
    "report.title": (
        "vpnlab check: your VPN configuration against AWS Site-to-Site VPN",
        "vpnlab check 結果報告: お客様の VPN 設定と AWS Site-to-Site VPN の接続検証",
    ),
    "report.verdict": ("Verdict", "判定"),
    "report.passed": ("PASSED", "合格"),
    "report.failed": ("FAILED", "不合格"),
    "report.tested": ("What was tested", "検証したもの"),
    "report.rendered": ("the lab's own VPN server", "ラボ自身の VPN サーバー"),
    "report.against": (
        "against vpnlab's emulation of AWS's two tunnel endpoints (the lab's tunnel options)",
        "vpnlab が再現した AWS の 2 つのトンネルエンドポイント（ラボのトンネルオプション）と接続",
    ),
    "report.dataplane": ("Where it ran", "実行環境"),
    "report.items": (
        "What failed or is at risk, and the fix",
        "不合格・リスクのある項目と修正方法",
    ),
    "report.fix": ("fix", "修正"),
    "report.nothing": ("Nothing: every check passed.", "ありません（すべての検証に合格）。"),
    "report.diff": ("The changes to your files", "お客様のファイルへの変更"),
    "report.diff_how": (
        "A unified diff of your own files, named from the folder that holds your "
        "configuration (there: `git apply` or `patch -p1`); the values are AWS's tunnel "
        "options for this connection.",
        "お客様のファイルに対する unified diff です。パスは設定を置いたフォルダーからの相対"
        "パスです（そこで `git apply` または `patch -p1` で適用できます）。"
        "値はこの接続の AWS のトンネルオプションです。",
    ),
    "report.unwritten": (
        "Not in the diff (edit these by hand):",
        "diff に含めていないもの（手作業で修正してください）:",
    ),
    "report.untested": ("What was not tested", "検証していないもの"),
    "report.untested_aws": (
        "AWS itself: its endpoints were emulated (their proposals, lifetimes, rekeys, DPD "
        "and one SA pair per tunnel, as AWS documents them), not reached.",
        "AWS そのもの: エンドポイントは再現したもの（AWS の文書どおりのプロポーザル、"
        "ライフタイム、リキー、DPD、トンネルごとに SA ペア 1 つ）で、実際には接続していません。",
    ),
    "report.untested_path": (
        "The internet path: NAT devices and firewalls between your device and AWS.",
        "インターネット経路: お客様の機器と AWS の間にある NAT 機器やファイアウォール。",
    ),
    "report.untested_auth": (
        "Certificate authentication, IPv6 inside the tunnels, Transit Gateway; time beyond "
        "the compressed lifetimes of the check.",
        "証明書認証、トンネル内の IPv6、Transit Gateway。検証で短縮したライフタイムを超える時間。",
    ),
    "report.untested_twin": (
        "Your device's own software: your configuration ran as its twin, strongSwan "
        "configured from your file line by line.",
        "お客様の機器のソフトウェアそのもの: 設定は、そのファイルから 1 行ずつ変換した "
        "strongSwan（ツイン）として実行しました。",
    ),
    "report.evidence": ("Evidence: the check's rows", "証跡: 検証結果の一覧"),
}


def say(lang: str, key: str, **fields) -> str:
    english, japanese = WORDS[key]
    return (japanese if lang == "ja" else english).format(**fields)
