"""User data as a Terraform template file next to the stack (``templatefile()``).

The rendered cloud-config becomes an asset of the stack, so the HCL hand-off
carries a readable template instead of an opaque string, and Terraform values
known only after apply enter it as whole template variables.
"""

from pathlib import Path

from cdktf import AssetType, Fn, TerraformAsset
from constructs import Construct

from driver.render.cloud_init import terraform_template


def user_data(
    scope: Construct, id_: str, rendered: str, build_dir: Path, variables: dict[str, str]
) -> str:
    """``templatefile(<asset>, variables)`` for a rendered cloud-config."""
    template, names = terraform_template(rendered)
    missing = set(names) - set(variables)
    if missing:
        raise ValueError(f"user data {id_} uses {sorted(missing)} but no value was given")
    source = build_dir / f"{id_}.yaml.tftpl"
    source.write_text(template)
    asset = TerraformAsset(scope, f"{id_}-template", path=str(source), type=AssetType.FILE)
    return Fn.templatefile(asset.path, {name: variables[name] for name in names})
