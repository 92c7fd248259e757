# make assets  the design system (DSFR) and axe-core, from assets/package-lock.json
# make serve   assets, then `permis serve --demo` on http://localhost:8080 (demo people,
#              demo identity provider, test payments, the outbox at /dev/courriels)
# make test    assets, then every test (the browser tests need /usr/bin/chromium)
# make build   assets, then the binary in bin/permis
#
# The copied files are gitignored: internal/web embeds internal/web/dsfr/ and
# falls back to its neutral theme when dist/ is missing (plain `go run`).

DSFR := assets/node_modules/@gouvfr/dsfr/dist
OUT  := internal/web/dsfr/dist
AXE  := internal/browsertest/axe/axe.min.js

.PHONY: assets serve test build

assets: $(OUT)/.copied $(AXE)

serve: assets
	go run ./cmd/permis serve --demo

test: assets
	go test ./...

build: assets
	go build -o bin/permis ./cmd/permis

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
