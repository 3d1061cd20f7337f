# uchet: the two commands a new user needs are `make run` and `make test`.
SWIFT ?= swift
RELEASE := .build/release/uchet

.PHONY: run test lint format bench fuzz reliability setup build clean check-html

## Installs missing Debian packages (libzip, libxml2, pkg-config).
setup:
	@./scripts/setup-deps

build: setup
	$(SWIFT) build -c release --product uchet

## Sets up, builds, fills an empty inbox with a demo school's exports, runs the pipeline.
## When the top level is a real school (it has a ledger or taken-in files), the demo goes to demo-school/ instead.
run: build
	@if [ -e var/ledger.sqlite ] || [ -n "$$(ls -A inbox/processed 2>/dev/null)" ]; then \
	  echo "Здесь рабочая папка настоящей школы (есть учёт или inbox/processed): демонстрационная школа — в demo-school/."; \
	  [ -e demo-school/pipeline.json ] || $(RELEASE) demo --into demo-school --students 1000 --seed 2025 || exit $$?; \
	  cd demo-school && $(abspath $(RELEASE)) run --now; status=$$?; \
	  echo; \
	  echo "Учёт демонстрационной школы: demo-school/var/ledger.sqlite (cd demo-school && $(abspath $(RELEASE)) status)"; \
	  echo "Отчёт запуска: demo-school/outbox/reports/<запуск>/summary.json"; \
	  [ $$status -le 1 ]; \
	else \
	  if [ -z "$$(ls -A inbox | grep -v '^README.md$$')" ]; then $(RELEASE) demo --students 1000 --seed 2025 || exit $$?; \
	  else echo "В inbox уже есть файлы: обрабатываю их (демонстрационная школа не добавляется)."; fi; \
	  $(RELEASE) run --now; status=$$?; \
	  echo; \
	  echo "Учёт: var/ledger.sqlite ($(RELEASE) status — что в нём по классам)"; \
	  echo "Отчёт запуска: outbox/reports/<запуск>/summary.json"; \
	  echo "Принятые файлы: inbox/processed/, отклонённые с отчётами: inbox/rejected/"; \
	  [ $$status -le 1 ]; \
	fi

## Sets up and runs every test.
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## Checks the formatting of every Swift file against .swift-format (swift-format from the toolchain).
lint:
	@swift-format --version >/dev/null 2>&1 || { echo "swift-format не найден: он входит в набор Swift 6 (swift-format рядом с swift)"; exit 2; }
	swift-format lint --strict --recursive --parallel Package.swift Sources Tests

## Formats every Swift file in place (what make lint checks).
format:
	swift-format format --in-place --recursive --parallel Package.swift Sources Tests

## Times reading against python-calamine and openpyxl (not a test).
bench: setup
	@./scripts/bench

## Fuzzes the XLSX reader, the CSV reader and the profile matcher (FUZZ_SECONDS each, default 60).
fuzz: setup
	@./scripts/fuzz

## Hostile inputs, fuzzing, crash injection, disk full and soak; prints the table (as root for the disk-full part).
reliability: setup
	@./scripts/reliability

## Renders the class reports' HTML pages with headless Chromium (installs Debian's chromium if missing); fails on a console error.
check-html: build
	@./scripts/check-html

clean:
	rm -rf .build .build-bench .build-fuzz .build-reliability
