.PHONY: run test build bench
# Starts the service on http://localhost:8080 with SQLite (installs what is missing first).
run:
	bash scripts/run.sh
# Runs the whole suite on SQLite and on a throwaway PostgreSQL 15 (installs what is missing first).
test:
	bash scripts/test.sh
build:
	swift build
# Times the photo quality gate on the fixtures (release build) and prints a table.
bench:
	bash scripts/bench.sh
