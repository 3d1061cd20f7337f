# uchet: the two commands a new user needs are `make run` and `make test`.
SWIFT ?= swift
RELEASE := .build/release/uchet

.PHONY: run test bench setup build clean

## Installs missing Debian packages (libzip, libxml2, pkg-config).
setup:
	@./scripts/setup-deps

build: setup
	$(SWIFT) build -c release --product uchet

## Sets up, builds, and shows what uchet reads from an example workbook.
run: build
	$(RELEASE) inspect Tests/SpreadsheetTests/Fixtures/libreoffice-marks.xlsx --sheet 1
	@echo
	@echo "Это ячейки примера, как их видит uchet (uchet inspect). Ваш файл: $(RELEASE) inspect ФАЙЛ"

## Sets up and runs every test.
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## Times reading against python-calamine and openpyxl (not a test).
bench: setup
	@./scripts/bench

clean:
	rm -rf .build
