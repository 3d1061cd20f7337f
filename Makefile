# uchet: the two commands a new user needs are `make run` and `make test`.
SWIFT ?= swift
RELEASE := .build/release/uchet

.PHONY: run test bench fuzz reliability setup build clean check-html

## Installs missing Debian packages (libzip, libxml2, pkg-config).
setup:
	@./scripts/setup-deps

build: setup
	$(SWIFT) build -c release --product uchet

## Sets up, builds, fills an empty inbox with a demo school's exports, runs the pipeline.
run: build
	@if [ -z "$$(ls -A inbox | grep -v '^README.md$$')" ]; then $(RELEASE) demo --students 1000 --seed 2025; \
	else echo "В inbox уже есть файлы: обрабатываю их (демонстрационная школа не добавляется)."; fi
	@$(RELEASE) run --now; status=$$?; \
	echo; \
	echo "Учёт: var/ledger.sqlite ($(RELEASE) status — что в нём по классам)"; \
	echo "Отчёт запуска: outbox/reports/<запуск>/summary.json"; \
	echo "Принятые файлы: inbox/processed/, отклонённые с отчётами: inbox/rejected/"; \
	[ $$status -le 1 ]

## Sets up and runs every test.
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

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
