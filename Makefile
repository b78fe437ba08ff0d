# The two commands of the README:
#   make run    set everything up, build the default (sample) data and start the bot
#   make test   set everything up and run the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DATA := data/processed

.PHONY: run test install data sample console bench report clean mutants

$(VENV)/installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/installed

# Builds the default data (the sample, or CATALOG_RAW_DIR) when missing, of another layout or older than its
# inputs; a full build stays (its manifest.json says so): the ETL says it kept it, and `make sample` goes back.
data: install
	$(PY) -m etl --unless-current

# Back to the authored sample, over whatever data/processed (or CATALOG_DATA_DIR) holds.
sample: install
	$(PY) -m etl --raw data/sample --ratings data/sample/ratings

# Long polling when a token is configured (environment or .env); otherwise the same bot in the terminal.
run: install data
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ] || grep -qsE '^TELEGRAM_BOT_TOKEN=.+' .env; then \
		$(PY) -m bot; \
	else \
		echo "No TELEGRAM_BOT_TOKEN (see .env.example): starting the console instead."; \
		$(PY) -m bot console; \
	fi

console: install data
	$(PY) -m bot console

test: install
	$(PY) -m pytest

bench: install
	$(PY) -m bench catalog
	$(PY) -m bench recommender
	$(PY) -m bench bot

# Mutation testing (slow, not in CI): share of mutants killed per module, and the survivors.
mutants: install
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m bench mutants

report: install data
	$(PY) -m etl report

clean:
	rm -rf $(VENV) $(DATA) build .pytest_cache mutants
