# vpnlab — see README.md. Every target sets up what it needs (idempotent).
LAB    ?= labs/seed.yml
TARGET ?= local
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMPS := .vpnlab/stamps

.PHONY: setup setup-check setup-terraform synth hcl diagram lint apply verify destroy status check test test-fast test-root lint-code bench docs clean help
.DEFAULT_GOAL := help

help:                          ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 20

setup: setup-check             ## everything: venv, Debian packages, Node.js; says if Terraform is missing, and for what
	@scripts/setup-system.sh terraform --report
	@$(BIN)/python -c 'from driver.synth.terraform import write_cli_config; write_cli_config()'

setup-check: $(STAMPS)/python  ## what check, lint, init, sheet, diagram need (no Terraform, no Node.js)
	@scripts/setup-system.sh check
	@# the guest reads this checkout read-only: without bytecode it compiles vpnlab's
	@# ~140 modules at each start (~3 s under emulation), PYTHONDONTWRITEBYTECODE or not
	@$(BIN)/python -m compileall -q driver modules > /dev/null

setup-terraform: setup-check   ## + Node.js and Terraform, which synth, hcl, apply, verify, destroy need
	@scripts/setup-system.sh terraform
	@$(BIN)/python -c 'from driver.synth.terraform import write_cli_config; write_cli_config()'

$(STAMPS)/python: pyproject.toml setup.py
	@mkdir -p $(STAMPS) && chmod 700 .vpnlab  # the labs' state: their keys
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -e '.[dev,terraform]'
	@touch $@

synth: setup-terraform         ## synthesize LAB's Terraform JSON into cdktf.out/
	$(BIN)/vpnlab synth $(LAB)

hcl: setup-terraform           ## write LAB as formatted HCL into hcl.out/
	$(BIN)/vpnlab hcl $(LAB) -o hcl.out

test: setup-terraform          ## ruff, then the whole test suite (root tests need root; Terraform's applies in a second stream)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m tests.streams

test-fast: setup-terraform     ## everything but Terraform and the root/namespace tests
	$(BIN)/python -m pytest -m 'not terraform and not root'

test-root: setup-terraform     ## only the tests that need root and namespaces
	$(BIN)/python -m pytest -m root

lint-code: setup-check         ## ruff over the project's Python
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup-terraform         ## synth, check and guest times beside the recorded ones (root; RECORD=1 records)
	$(BIN)/python bench/synth.py $(LAB) $(if $(RECORD),--record)
	$(BIN)/python bench/check.py $(LAB) $(if $(RECORD),--record)
	$(BIN)/python bench/guest.py $(if $(RECORD),--record)
	$(BIN)/python bench/guest_phases.py $(if $(RECORD),--record)

apply: setup-terraform         ## build LAB on TARGET (local: emulator + namespaces; root)
	$(BIN)/vpnlab apply $(LAB) --target $(TARGET)

verify: setup-terraform        ## tunnels UP in VgwTelemetry, ping both ways (root)
	$(BIN)/vpnlab verify $(LAB) --target $(TARGET)

destroy: setup-terraform       ## tear LAB down on TARGET and prove nothing is left (root)
	$(BIN)/vpnlab destroy $(LAB) --target $(TARGET)

status: setup-check            ## what of LAB is up
	$(BIN)/vpnlab status $(LAB)

diagram: setup-check           ## draw LAB into docs/<lab name>.svg (tunnel state when deployed)
	$(BIN)/vpnlab diagram $(LAB)

lint: setup-check              ## offline checks of LAB (and CGW_CONFIG=file [CGW_SECRETS=file])
	$(BIN)/vpnlab lint $(LAB) $(if $(CGW_CONFIG),--cgw-config $(CGW_CONFIG)) $(if $(CGW_SECRETS),--cgw-secrets $(CGW_SECRETS))

check: setup-check             ## prove LAB's VPN in local namespaces with real strongSwan (root)
	$(BIN)/vpnlab check $(LAB)

docs: setup-terraform          ## rewrite the docs' generated parts and every shown output that differs (root; ~15 min: the guest's too)
	$(BIN)/python scripts/update-docs.py
	VPNLAB_UPDATE_DOCS=1 $(BIN)/python -m pytest -q -p no:cacheprovider -k 'doc or scenario' \
	    tests/test_doc_outputs.py tests/test_scenarios.py tests/local/test_guest.py

clean:                         ## remove generated files (not the venv)
	rm -rf cdktf.out hcl.out .pytest_cache
