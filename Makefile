.PHONY: run test build bench samples proof
# Starts the service on http://localhost:8080 with SQLite (installs what is missing first).
run:
	bash scripts/run.sh
# Runs the whole suite on SQLite and on a throwaway PostgreSQL 15 (installs what is missing first).
test:
	bash scripts/test.sh
build:
	swift build
# Times the quality gate, uploads, the studio renderer and the queue (release build) and prints tables.
bench:
	bash scripts/bench.sh
# Renders the person-a fixtures in every preset into artifacts/samples/person-a-contact-sheet.png, and
# the presets page's examples (a public-domain portrait) into Public/images/presets.
samples:
	bash scripts/samples.sh
# The long proofs (load with wrk on PostgreSQL, uploads, deep API fuzzing), written to proof/RESULTS.md.
proof:
	bash scripts/proof.sh
