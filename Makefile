# The two commands of the README:
#   make run    set everything up, build the default (sample) data and start the bot
#   make test   set everything up and run the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DATA := data/processed

.PHONY: run test install data console bench report clean

$(VENV)/installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/installed

$(DATA)/titles.parquet: $(VENV)/installed $(wildcard data/sample/*.csv data/sample/ratings/*.csv)
	$(PY) -m etl

data: $(DATA)/titles.parquet

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

report: install data
	$(PY) -m etl report

clean:
	rm -rf $(VENV) $(DATA) build .pytest_cache
