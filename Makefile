# amorce — set-up, demo, tests, benchmarks. Needs only python3 (≥ 3.11) with venv, pip and apt.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: models demo test test-unit test-sqlite test-postgres bench lint install install-dev chromium tesseract clean

$(BIN)/python:
	@echo "Création de l'environnement Python dans $(VENV)…"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "Installation d'amorce et de ses dépendances dans $(VENV) (quelques minutes la première fois)…"
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev,ray]'
	touch $@ $(VENV)/.installed

## the embedded vision models, converted once without torch into var/models (docs/modeles.md)
$(VENV)/.models: | $(VENV)/.installed
	@$(BIN)/amorce modeles installer || echo "*** Modèles de vision non installés : le détecteur intégré sera indisponible (relancez : make models) ***"
	@touch $@

models: $(VENV)/.installed
	$(BIN)/amorce modeles installer

install: $(VENV)/.installed $(VENV)/.models
install-dev: $(VENV)/.installed-dev $(VENV)/.models

## make demo: the platform with demo data on SQLite (var/), served with a job worker on :8000
demo: install
	@$(BIN)/amorce demo

## Debian's Chromium for the browser tests (never a downloaded browser)
chromium:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

## Debian's Tesseract with its French model, for the text in heritage photos (archives OCR)
tesseract:
	@{ command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx fra; } || \
	  { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq tesseract-ocr tesseract-ocr-fra; }

## make test: the whole suite on SQLite, then the database tests again on PostgreSQL
test: install-dev chromium tesseract test-sqlite test-postgres

## make test-unit: the unit tests alone (no database, no browser, no ../shared/data), in about a minute
test-unit: install-dev
	AMORCE_SHARED_DATA=/nonexistent $(BIN)/python -m pytest -n 2 --dist loadgroup -q -m unit

test-sqlite:
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

test-postgres:
	@if [ "$$AMORCE_SKIP_POSTGRES" = "1" ]; then \
	  echo "*** Tests PostgreSQL NON exécutés (AMORCE_SKIP_POSTGRES=1) ***"; \
	else \
	  DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -n 2 --dist loadgroup -q -m "django_db and not browser"; \
	fi

bench: install-dev
	@for script in benchmarks/[a-z]*.py; do \
	  case $$script in *_runner.py) continue;; esac; \
	  echo "== $$script"; $(BIN)/python $$script || exit 1; \
	done

lint: install-dev
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) var .pytest_cache
