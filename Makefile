# make run   — set up everything and serve the demo on http://localhost:$(PORT)
# make test  — ruff, translations, import layers and pytest
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
# make run serves this machine only unless told otherwise (HOST=0.0.0.0 to let a phone on the network in).
HOST   ?= 127.0.0.1
FLASK  := $(BIN)/flask --app wsgi
# Labels must point at the server that answers them, so follow PORT unless set explicitly.
PUBLIC_BASE_URL ?= http://localhost:$(PORT)
export PUBLIC_BASE_URL

.PHONY: run test install lint format migrate messages translations clean swagger-ui

$(BIN)/activate: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/activate

install: $(BIN)/activate

translations: install
	$(BIN)/pybabel compile -d translations --statistics

run: install translations
	$(FLASK) db upgrade
	$(FLASK) units load
	$(FLASK) demo load
	$(FLASK) indicators demo
	$(FLASK) audit baseline
	@echo "*** DEMO SERVER: the demo accounts above share one password. It is not a production setup."
	@echo "*** Serving http://$(HOST):$(PORT) only; HOST=0.0.0.0 opens it to the network."
	$(BIN)/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT) wsgi:app

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install lint translations
	$(BIN)/lint-imports
	$(BIN)/pytest $(PYTEST_ARGS)

# Re-extract messages after changing user-facing text; then translate translations/vi/LC_MESSAGES/messages.po
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -o translations/messages.pot --no-location --sort-output --project vung-trong-registry .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

# Swagger UI for /api/docs is served from registry/static/swagger-ui, never from a CDN. To take another release
# of the swagger-ui-dist npm package: make swagger-ui SWAGGER_UI_VERSION=5.35.0 (needs npm); the tests check SHA256SUMS.
SWAGGER_UI_VERSION ?= $(shell cat registry/static/swagger-ui/VERSION)
SWAGGER_UI_FILES := swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css LICENSE NOTICE
SWAGGER_UI_DIR := $(CURDIR)/registry/static/swagger-ui
swagger-ui:
	rm -rf build/swagger-ui && mkdir -p build/swagger-ui
	cd build/swagger-ui && npm pack --silent swagger-ui-dist@$(SWAGGER_UI_VERSION) > /dev/null && tar xzf swagger-ui-dist-$(SWAGGER_UI_VERSION).tgz
	cd build/swagger-ui/package && cp $(SWAGGER_UI_FILES) $(SWAGGER_UI_DIR)/ && sha256sum $(SWAGGER_UI_FILES) > $(SWAGGER_UI_DIR)/SHA256SUMS
	echo $(SWAGGER_UI_VERSION) > $(SWAGGER_UI_DIR)/VERSION
	rm -rf build/swagger-ui && rmdir --ignore-fail-on-non-empty build

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
