"""Copy the top-level resource folders into the wheel as ``geokg/_resources``.

Only for standard wheels: an editable install reads the checkout, and forcing
paths into an editable wheel would shadow the package (pypa/hatch#1627).
"""

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class ResourcesHook(BuildHookInterface):
    def initialize(self, version, build_data):
        if self.target_name == "wheel" and version == "standard":
            for kind in ("ontology", "shapes", "queries"):
                build_data["force_include"][kind] = f"geokg/_resources/{kind}"
