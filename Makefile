# make assets  the design system (DSFR) and axe-core, from assets/package-lock.json
# make serve   assets, then `permis serve --demo` on http://localhost:8080 (demo people,
#              demo identity provider, test payments, the outbox at /dev/courriels)
# make test    assets, then every test (the browser tests need /usr/bin/chromium)
# make build   assets, then the binary in bin/permis
# make screenshots  assets, then the README's screenshots (docs/screenshots) taken in Chromium
# make crosscheck  the opening-hours corpus against opening_hours.js (npm, test only)
#
# The copied files are gitignored: internal/web embeds internal/web/dsfr/ and
# falls back to its neutral theme when dist/ is missing (plain `go run`).

DSFR := assets/node_modules/@gouvfr/dsfr/dist
OUT  := internal/web/dsfr/dist
AXE  := internal/browsertest/axe/axe.min.js

.PHONY: assets serve test build screenshots crosscheck

assets: $(OUT)/.copied $(AXE)

serve: assets
	go run ./cmd/permis serve --demo

# The PostgreSQL half of the suite runs when PERMIS_TEST_POSTGRES_URL is set
# (kept as given) or, if not, whenever a PostgreSQL answers on
# 127.0.0.1:5432 (database permis_test, created if missing). Only that half
# can see a race between two writers (storetest.ForEachRace). TESTFLAGS
# passes flags to go test; by default the tests run in a random order
# (-shuffle=on, the seed is printed: replay with TESTFLAGS=-shuffle=SEED),
# so that no test depends on another's leftovers (issue 16). -timeout: the
# portal package's Chromium journeys take about 4 minutes on an idle 2-core
# machine, and went past go test's default 10 minutes a binary once the
# machine was also building a 10 M-licence PostgreSQL register.
TESTFLAGS ?= -shuffle=on -timeout 20m
PGLOCAL := postgres://postgres@127.0.0.1:5432/permis_test?sslmode=disable

test: assets
	@if [ -n "$$PERMIS_TEST_POSTGRES_URL" ]; then \
	  pg="ON ($$PERMIS_TEST_POSTGRES_URL, from PERMIS_TEST_POSTGRES_URL)"; \
	elif pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || bash -c 'exec 3<>/dev/tcp/127.0.0.1/5432' 2>/dev/null; then \
	  PERMIS_TEST_POSTGRES_URL='$(PGLOCAL)'; export PERMIS_TEST_POSTGRES_URL; \
	  pg="ON ($$PERMIS_TEST_POSTGRES_URL: a PostgreSQL answers on 127.0.0.1:5432)"; \
	else \
	  pg="OFF (no PostgreSQL on 127.0.0.1:5432; set PERMIS_TEST_POSTGRES_URL to run it)"; \
	fi; \
	echo "== SQLite half: ON; PostgreSQL half: $$pg"; \
	rc=0; go test $(TESTFLAGS) ./... || rc=$$?; \
	echo "== halves that ran: SQLite ON; PostgreSQL $$pg"; \
	exit $$rc

build: assets
	go build -o bin/permis ./cmd/permis

screenshots: assets
	PERMIS_SCREENSHOTS=$(CURDIR)/docs/screenshots go test ./internal/portal -run '^TestScreenshots$$' -count=1

# npm ci runs again only when the lock file is newer than the last install
# (npm writes node_modules/.package-lock.json at each install).
assets/node_modules/.package-lock.json: assets/package-lock.json
	npm ci --prefix assets --ignore-scripts --no-audit --no-fund
	@touch $@

# Only what a server-rendered site needs: the CSS, the optional JS, the
# fonts (woff2: every supported browser reads it), the icons the CSS
# refers to, the favicons.
$(OUT)/.copied: assets/node_modules/.package-lock.json Makefile
	rm -rf $(OUT)
	mkdir -p $(OUT)/utility $(OUT)/fonts
	cp $(DSFR)/dsfr.min.css $(DSFR)/dsfr.module.min.js $(DSFR)/dsfr.nomodule.min.js $(OUT)/
	cp $(DSFR)/utility/utility.min.css $(OUT)/utility/
	cp $(DSFR)/fonts/*.woff2 $(OUT)/fonts/
	cp -R $(DSFR)/icons $(DSFR)/favicon $(OUT)/
	touch $@

$(AXE): assets/node_modules/.package-lock.json
	cp assets/node_modules/axe-core/axe.min.js $@

# make crosscheck  the opening-hours corpus (internal/openinghours/testdata/corpus.txt)
# checked against opening_hours.js, and the appointment invitations (internal/ical/testdata)
# read with ical.js; both installed from their lock file in a test-only folder.
CROSS := internal/openinghours/testdata/crosscheck
crosscheck:
	npm ci --prefix $(CROSS) --ignore-scripts --no-audit --no-fund
	go test -count=1 -run 'TestCorpus' -v ./internal/openinghours
	TZ=UTC node $(CROSS)/ical.mjs internal/ical/testdata/*.ics
