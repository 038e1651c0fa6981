"""The commands that write files for people: a lab (``init``, ``examples``), the
parameter sheet and the questionnaire for the other company (``sheet``)."""

from __future__ import annotations

import sys
from pathlib import Path

from driver.core.errors import VpnlabError


def cmd_examples(args) -> int:
    from driver.lab import examples

    if not args.names:
        width = max(len(name) for name in examples.names())
        for name in examples.names():
            print(f"{name:<{width}}  {examples.summary(name)}")
        print("\n`vpnlab examples NAME` writes NAME.yml here")
        return 0
    for path in examples.write(args.names, Path.cwd()):
        print(f"wrote {path.name}")
    return 0


def cmd_init(args) -> int:
    from driver.analysis.lab_from_cgw import lab_text, next_command

    if args.from_answers:
        return _init_from_answers(args)
    text = lab_text(args.from_cgw_config, args.cgw_secrets, daemon=args.cgw_daemon)
    if args.output is None:
        print(text, end="")
    elif args.output.exists():
        raise VpnlabError(f"{args.output} exists: vpnlab init writes only a new file")
    else:
        args.output.write_text(text)
        said = next_command(args.output, args.from_cgw_config, args.cgw_secrets, args.cgw_daemon)
        print(f"wrote {args.output}; now: {said}")
    return 0


def _init_from_answers(args) -> int:
    """The lab their answers call for; where they and AWS cannot meet, said as lint says
    it (errors refuse the lab, all at once; warnings go with it)."""
    from driver.analysis.findings import report
    from driver.core.output_files import refuse_unwritable, write_text
    from driver.handoff.answers import read_answers
    from driver.handoff.answers_lab import default_name, plan

    if args.cgw_secrets or args.cgw_daemon:
        raise VpnlabError("--cgw-secrets and --cgw-daemon go with --from-cgw-config")
    if args.output is not None and args.output.exists():
        raise VpnlabError(f"{args.output} exists: vpnlab init writes only a new file")
    if args.output is not None:
        refuse_unwritable(args.output, "lab")
    named = default_name(args.output or args.from_answers)
    planned = plan(read_answers(args.from_answers), str(args.from_answers), named)
    if planned.findings:
        print(report(planned.findings), file=sys.stderr)
    if not planned.lab:
        raise VpnlabError(f"{args.from_answers}: their answers and AWS cannot meet: no lab written")
    if args.output is None:
        print(planned.lab, end="")
    else:
        write_text(args.output, planned.lab, "lab")
        from driver.core.invocation import command

        print(f"wrote {args.output}; now: {command('check', args.output, root=True)}")
    return 0


def cmd_sheet(args) -> int:
    from driver.core.output_files import refuse_unwritable
    from driver.handoff.delivery import keys_file, refuse_keys_file, write_sheet
    from driver.lab.loader import load_lab

    if args.questionnaire:
        return _questionnaire(args)
    for path, what in ((args.output, "sheet"), (args.keys_file, "keys file")):
        if path is not None:
            refuse_unwritable(path, what)
    if args.output and args.keys_file and args.output.resolve() == args.keys_file.resolve():
        raise VpnlabError("-o and --keys-file name one file: the keys never go in the sheet")
    lab = load_lab(args.lab)
    connection = _connection(args, lab)
    if args.keys_file:
        refuse_keys_file(connection, args.keys_file, lab.name)  # before anything is written
    name = f"{lab.name} (site {args.site})" if lab.transit_gateway else lab.name
    written = write_sheet(connection, name, args.lang, args.output)
    if args.keys_file:
        keys_file(connection, args.keys_file, name)
    if args.output:
        said = f"wrote {written}"
        if args.keys_file:
            said += f" and the keys to {args.keys_file} (only you can read it)"
        print(said, file=sys.stderr)
    else:
        print(written, end="")
    return 0


def _connection(args, lab):
    """The VPN connection the sheet describes: the lab's plan, or as a target holds it."""
    from driver.handoff import connection

    if lab.transit_gateway is not None:
        return _site_connection(args, lab)
    if args.site is not None:
        raise VpnlabError(f"--site names a Transit Gateway lab's site; {args.lab} has one VPN")
    if args.target is None:
        return connection.from_lab(lab, args.lab)
    if args.target == "aws":
        from driver.aws.target import AwsTarget

        return connection.from_api(lab, AwsTarget(lab).client("ec2"), "aws")
    return connection.from_api(lab, _local_ec2(args, lab), "local")


def _local_ec2(args, lab):
    """EC2 as the lab's running emulator answers it, or a refusal naming the apply."""
    from driver.core.invocation import command
    from driver.core.state import LabState
    from driver.local.applied_dataplane import clients
    from driver.local.target import running_emulator

    emulator = running_emulator(LabState(lab.name), progress=lambda message: None)
    if emulator is None:
        raise VpnlabError(
            f"lab '{lab.name}' is not applied on the local target (no emulator running): "
            f"`{command('apply', args.lab, root=True)}` first, or leave out --target"
        )
    return clients(lab, emulator)[0]


def _site_connection(args, lab):
    """One site's connection of a Transit Gateway lab (each site has its own sheet)."""
    from driver.handoff import connection

    names = [s.name for s in lab.sites]
    if args.site not in names:
        given = f"no site '{args.site}'" if args.site else "--site is needed"
        raise VpnlabError(
            f"{args.lab} is a Transit Gateway lab with a VPN connection per site: {given}; "
            f"name one of {', '.join(names)} (--site {names[0]})"
        )
    index = names.index(args.site)
    if args.target is None:
        return connection.from_site(lab, index, args.lab)
    if args.target == "aws":
        from driver.aws.target import AwsTarget

        return connection.from_site_api(lab, index, AwsTarget(lab).client("ec2"), "aws")
    return connection.from_site_api(lab, index, _local_ec2(args, lab), "local")


def _questionnaire(args) -> int:
    from driver.core.output_files import refuse_unwritable, write_text
    from driver.handoff.questionnaire import questionnaire_workbook, questionnaire_yaml

    if args.keys_file or args.target:
        raise VpnlabError("--questionnaire is the blank questions: no --target, no --keys-file")
    if args.output is not None:
        refuse_unwritable(args.output, "questionnaire")
    if args.output is None:
        print(questionnaire_yaml(args.lang), end="")
    elif args.output.suffix.lower() == ".xlsx":
        questionnaire_workbook(args.lang, args.output)
    else:
        write_text(args.output, questionnaire_yaml(args.lang), "questionnaire")
    if args.output:
        print(f"wrote {args.output}; filled in: vpnlab init --from-answers FILE", file=sys.stderr)
    return 0
